"""Deterministic lookalikes of well-known public marketing datasets, written as the CSV
files people download and point ``--db`` at, with their real file names, column names,
types and quirks (values are generated; nothing is copied from the originals).

* ``personality``: Kaggle "Customer Personality Analysis" (``marketing_campaign.csv``):
  TAB-separated, one row per customer, ``Income`` blank for some, ``Dt_Customer`` as
  dd-mm-yyyy text, wide ``Mnt*`` spend and ``Num*Purchases`` columns, 0/1 flags
  ``AcceptedCmp1..5``, ``Complain`` and ``Response``, constant ``Z_CostContact``/``Z_Revenue``.
* ``bank``: UCI "Bank Marketing" (``bank-full.csv``): SEMICOLON-separated, every text value
  quoted; yes/no columns (``default``, ``housing``, ``loan``, the outcome ``y``), ``month``
  as 'may', a ``day`` of the month and no year, ``pdays`` -1 for never contacted.
* ``telco``: IBM "Telco Customer Churn" (``WA_Fn-UseC_-Telco-Customer-Churn.csv``):
  ``SeniorCitizen`` 0/1 beside Yes/No columns, 'No internet service' as a third answer,
  ``TotalCharges`` as text with a blank (' ') for new customers, ``Churn`` Yes/No.
* ``fbads``: Kaggle Facebook ads "KAG_conversion_data.csv": an ad per row with campaign ids
  as numbers, age bands ('30-34'), gender M/F, an interest code, Impressions, Clicks,
  Spent, Total_Conversion and Approved_Conversion; no date.
* ``superstore``: Tableau "Sample - Superstore" (``Sample - Superstore.csv``): LATIN-1 (a
  no-break space and '®' in a few product names), one row per order line, ``Order Date`` and
  ``Ship Date`` as m/d/yyyy text, ids like 'CA-2016-152156', product names with commas and
  quotes inside, ``Discount`` 0-0.8 and ``Profit`` negative on deep discounts.
* ``mall``: Kaggle "Mall Customers" (``Mall_Customers.csv``): 200 customers, the gender in a
  column called ``Genre``, units and ranges in the headers (``Annual Income (k$)``,
  ``Spending Score (1-100)``); no date.
* ``olist``: a FOLDER of the Olist Brazilian e-commerce CSVs (customers, orders, order items,
  payments, reviews, products, sellers, and the category name translation that does not
  start with 'olist_'): ISO timestamps as text with blanks for undelivered orders,
  a ``customer_id`` per order and the person's ``customer_unique_id``, zip prefixes with
  leading zeros, Portuguese category names, review ids repeated where one review covers two orders.
* ``abtest``: Kaggle "Marketing A/B testing" (``marketing_AB.csv``): an unnamed index column
  first, names with spaces (``user id``, ``test group`` ad/psa), ``converted`` True/False,
  ``most ads day`` as weekday names, ``most ads hour`` 0-23; no date.

Marketing platform exports, as their "Export" buttons write them today:

* ``shopify``: Shopify ``orders_export.csv``: one row per LINE ITEM; the order number '#1001'
  in ``Name`` on every row, order-level fields (``Financial Status``, ``Paid at``,
  ``Subtotal``, ``Shipping``, ``Taxes``, ``Total``, ``Discount Code``, billing and shipping
  address, ``Refunded Amount``, ``Id``, ``Source`` ...) filled only on an order's FIRST row and
  blank on the others; ``Created at`` as '2024-07-01 10:15:22 -0400'; ``Lineitem quantity``,
  ``Lineitem name``, ``Lineitem price``; money as '18.00'; ~70 columns, many always empty.
* ``mailchimp``: Mailchimp campaign reports (``campaigns.csv``): a campaign per row, ``Send
  Date`` as 'Jul 01, 2024 09:00 am', ``Open Rate``/``Click Rate`` as '23.46%', counts of
  recipients, deliveries, bounces, unique/total opens and clicks, unsubscribes.
* ``ga4``: a Google Analytics 4 report download (``Traffic_acquisition_Session_source_medium.csv``):
  '#' comment lines above the header, ``Session source / medium`` ('google / organic'),
  ``Date`` as 20240701 (read as a number), sessions, engaged sessions, rates as fractions,
  ``Key events`` (GA4's new name for conversions), ``Total revenue``.
* ``metaads``: a Meta Ads Manager export (``<Account>-Campaigns-Jul-1-2024-Sep-30-2024.csv``):
  every value quoted, a campaign per day (``Reporting starts`` = ``Reporting ends``),
  ``Amount spent (USD)``, ``Results`` with its ``Result indicator``, ``Cost per results``,
  units in headers (``CPM (cost per 1,000 impressions) (USD)``), blanks for zero.

``build_file(name, folder)`` writes one into ``folder`` and returns the file (a folder of
files for ``olist``); the eval case files beside this module (``eval/byodata/<name>/``) hold
hand-written gold SQL over the file's table (its name without ``.csv``) and real column names.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from .crm_aw import FOLDERS as _MORE_FOLDERS
from .more_shapes import DUCKDB as _SHAPE_DUCKDB
from .more_shapes import EXPORTS as _SHAPE_EXPORTS
from .more_shapes import FOLDERS as _SHAPE_FOLDERS
from .platform_reports import ENCODINGS as _REPORT_ENCODINGS
from .platform_reports import EXPORTS as _REPORT_EXPORTS

Rows = list[list[Any]]


def build_file(name: str, folder: str | Path) -> Path:
    """Write export ``name`` (one of ``EXPORTS`` or ``FOLDERS``) into ``folder``; same every time.

    A folder export is written into ``folder/<name>`` and that folder is returned; a SQLite
    database (``sqlite_dbs.DATABASES``) is written as its ``.sqlite`` file."""
    from .sqlite_dbs import DATABASES, build_database

    if name in DATABASES:
        return build_database(name, folder)
    if name in _SHAPE_DUCKDB:
        from .more_shapes import build_duckdb

        return build_duckdb(name, folder)
    if name in FOLDERS:
        target = Path(folder) / name
        for file_name, header, rows in FOLDERS[name](random.Random(7)):
            _write(target / file_name, ",", csv.QUOTE_MINIMAL, header, rows, "utf-8")
        return target
    file_name, delimiter, quoting, header, make = EXPORTS[name]
    target = Path(folder) / file_name
    _write(target, delimiter, quoting, header, make(random.Random(7)), ENCODINGS.get(name, "utf-8"),
           PREAMBLES.get(name, []))
    return target


def _write(target: Path, delimiter: str, quoting: Literal[0, 1, 2, 3], header: list[str], rows: Rows,
           encoding: str, preamble: list[str] | None = None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding=encoding) as handle:
        handle.writelines(line + "\n" for line in preamble or [])
        writer = csv.writer(handle, delimiter=delimiter, quoting=quoting, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


# --- Customer Personality Analysis ----------------------------------------------------------

PERSONALITY = ["ID", "Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome", "Dt_Customer",
               "Recency", "MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts",
               "MntGoldProds", "NumDealsPurchases", "NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases",
               "NumWebVisitsMonth", "AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5", "AcceptedCmp1", "AcceptedCmp2",
               "Complain", "Z_CostContact", "Z_Revenue", "Response"]


def _personality(rng: random.Random) -> Rows:
    educations = [("Graduation", 50), ("PhD", 22), ("Master", 16), ("2n Cycle", 9), ("Basic", 3)]
    maritals = [("Married", 39), ("Together", 26), ("Single", 21), ("Divorced", 10), ("Widow", 3), ("Alone", 1)]
    rows: Rows = []
    ids = rng.sample(range(0, 11200), 2240)
    for i, ident in enumerate(ids):
        education = rng.choices([e for e, _ in educations], [w for _, w in educations])[0]
        income = round(rng.gauss(52000 + (8000 if education in ("PhD", "Master") else 0), 20000))
        income = max(1730, income) if education != "Basic" else max(1730, income // 2)
        kids, teens = rng.choices([0, 1, 2], [58, 40, 2])[0], rng.choices([0, 1, 2], [52, 46, 2])[0]
        rich = income / 60000
        spend = [int(max(0, rng.gauss(300 * rich, 250))), int(max(0, rng.gauss(26 * rich, 30))),
                 int(max(0, rng.gauss(170 * rich, 180))), int(max(0, rng.gauss(37 * rich, 40))),
                 int(max(0, rng.gauss(27 * rich, 30))), int(max(0, rng.gauss(44 * rich, 40)))]
        accepted = [int(rng.random() < p) for p in (0.07, 0.07, 0.07, 0.06, 0.013)]
        joined = date(2012, 7, 30) + timedelta(days=rng.randrange(700))
        rows.append([ident, rng.randint(1940, 1996), education,
                     rng.choices([m for m, _ in maritals], [w for _, w in maritals])[0],
                     "" if i % 93 == 17 else income, kids, teens, joined.strftime("%d-%m-%Y"), rng.randint(0, 99),
                     *spend, rng.randint(0, 8), rng.randint(0, 12), rng.randint(0, 10), rng.randint(0, 13),
                     rng.randint(0, 10), *accepted, int(rng.random() < 0.01), 3, 11,
                     int(rng.random() < 0.1 + 0.25 * (sum(accepted) > 0))])
    return rows


# --- UCI Bank Marketing ---------------------------------------------------------------------

BANK = ["age", "job", "marital", "education", "default", "balance", "housing", "loan", "contact", "day", "month",
        "duration", "campaign", "pdays", "previous", "poutcome", "y"]
_JOBS = [("blue-collar", 21), ("management", 21), ("technician", 17), ("admin.", 11), ("services", 9),
         ("retired", 5), ("self-employed", 3), ("entrepreneur", 3), ("unemployed", 3), ("housemaid", 3),
         ("student", 2), ("unknown", 1)]
_MONTHS = [("may", 30), ("jul", 15), ("aug", 14), ("jun", 12), ("nov", 9), ("apr", 6), ("feb", 6), ("jan", 3),
           ("oct", 2), ("sep", 1), ("mar", 1), ("dec", 1)]


def _bank(rng: random.Random) -> Rows:
    rows: Rows = []
    for _ in range(4521):
        job = rng.choices([j for j, _ in _JOBS], [w for _, w in _JOBS])[0]
        age = rng.randint(60, 90) if job == "retired" else rng.randint(19, 24) if job == "student" \
            else rng.randint(22, 61)
        contacted = rng.random() < 0.18
        poutcome = rng.choices(["failure", "other", "success"], [60, 22, 18])[0] if contacted else "unknown"
        duration = int(rng.expovariate(1 / 260)) + 4
        chance = 0.05 + (0.5 if poutcome == "success" else 0) + min(duration, 1200) / 4000
        rows.append([age, job, rng.choices(["married", "single", "divorced"], [60, 28, 12])[0],
                     rng.choices(["secondary", "tertiary", "primary", "unknown"], [51, 29, 15, 5])[0],
                     "yes" if rng.random() < 0.02 else "no", int(rng.gauss(1400, 3000)),
                     "yes" if rng.random() < 0.56 else "no", "yes" if rng.random() < 0.16 else "no",
                     rng.choices(["cellular", "unknown", "telephone"], [64, 29, 7])[0], rng.randint(1, 31),
                     rng.choices([m for m, _ in _MONTHS], [w for _, w in _MONTHS])[0], duration,
                     rng.choices(range(1, 11), [39, 28, 12, 8, 4, 3, 2, 2, 1, 1])[0],
                     rng.randint(1, 500) if contacted else -1, rng.randint(1, 6) if contacted else 0, poutcome,
                     "yes" if rng.random() < chance else "no"])
    return rows


# --- IBM Telco Customer Churn ---------------------------------------------------------------

TELCO = ["customerID", "gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "PhoneService", "MultipleLines",
         "InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
         "StreamingMovies", "Contract", "PaperlessBilling", "PaymentMethod", "MonthlyCharges", "TotalCharges", "Churn"]
_PAYMENTS = [("Electronic check", 34), ("Mailed check", 23), ("Bank transfer (automatic)", 22),
             ("Credit card (automatic)", 21)]


def _telco(rng: random.Random) -> Rows:
    rows: Rows = []
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    seen: set[str] = set()
    while len(rows) < 3500:
        ident = f"{rng.randint(0, 9999):04d}-{''.join(rng.choice(letters) for _ in range(5))}"
        if ident in seen:
            continue
        seen.add(ident)
        contract = rng.choices(["Month-to-month", "One year", "Two year"], [55, 21, 24])[0]
        tenure = 0 if rng.random() < 0.004 else rng.randint(1, 24 if contract == "Month-to-month" else 72)
        phone = rng.random() < 0.9
        internet = rng.choices(["Fiber optic", "DSL", "No"], [44, 34, 22])[0]
        services = ["No internet service" if internet == "No" else rng.choice(["Yes", "No"]) for _ in range(6)]
        monthly = round(20 + (5 if phone else 0) + {"Fiber optic": 50, "DSL": 25, "No": 0}[internet]
                        + 5 * services.count("Yes") + rng.uniform(-2, 2), 2)
        total = "" if tenure == 0 else f"{round(monthly * tenure * rng.uniform(0.95, 1.05), 2)}"
        churn = rng.random() < (0.42 if contract == "Month-to-month" else 0.11 if contract == "One year" else 0.03) \
            * (1.3 if internet == "Fiber optic" else 0.8)
        rows.append([ident, rng.choice(["Female", "Male"]), int(rng.random() < 0.16), rng.choice(["Yes", "No"]),
                     "Yes" if rng.random() < 0.3 else "No", tenure, "Yes" if phone else "No",
                     rng.choice(["Yes", "No"]) if phone else "No phone service", internet, *services, contract,
                     "Yes" if rng.random() < 0.59 else "No",
                     rng.choices([p for p, _ in _PAYMENTS], [w for _, w in _PAYMENTS])[0],
                     monthly, total or " ", "Yes" if churn else "No"])
    return rows


# --- Facebook ads (KAG conversion data) -----------------------------------------------------

FBADS = ["ad_id", "xyz_campaign_id", "fb_campaign_id", "age", "gender", "interest", "Impressions", "Clicks", "Spent",
         "Total_Conversion", "Approved_Conversion"]


def _fbads(rng: random.Random) -> Rows:
    rows: Rows = []
    ad, fb_campaign = 708746, 103916
    for campaign, ads in ((916, 54), (936, 464), (1178, 625)):
        for i in range(ads):
            if i % 3 == 0:
                fb_campaign += rng.randint(1, 40)
            impressions = int(rng.expovariate(1 / (8000 if campaign != 1178 else 180000))) + 90
            clicks = int(impressions * rng.uniform(0.0, 0.0003))
            total = max(1, int(rng.expovariate(1 / (1.5 if campaign != 1178 else 4.5))))
            rows.append([ad, campaign, fb_campaign, rng.choices(["30-34", "35-39", "40-44", "45-49"], [37, 18, 18, 27])[0],
                         rng.choice(["M", "F"]), rng.choice([2, 7, 10, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                                                             28, 29, 30, 31, 32, 36, 63, 64, 65, 100, 101, 102,
                                                             103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,
                                                             114]),
                         impressions, clicks, round(clicks * rng.uniform(1.0, 1.8), 2) if clicks else 0,
                         total, rng.randint(0, total)])
            ad += rng.randint(1, 700)
    return rows


# --- Tableau Sample - Superstore ------------------------------------------------------------

SUPERSTORE = ["Row ID", "Order ID", "Order Date", "Ship Date", "Ship Mode", "Customer ID", "Customer Name",
              "Segment", "Country", "City", "State", "Postal Code", "Region", "Product ID", "Category",
              "Sub-Category", "Product Name", "Sales", "Quantity", "Discount", "Profit"]
_SUBCATEGORIES = {
    "Furniture": [("Bookcases", "BO", 260), ("Chairs", "CH", 330), ("Furnishings", "FU", 60), ("Tables", "TA", 450)],
    "Office Supplies": [("Appliances", "AP", 120), ("Art", "AR", 25), ("Binders", "BI", 65), ("Envelopes", "EN", 40),
                        ("Fasteners", "FA", 12), ("Labels", "LA", 25), ("Paper", "PA", 45), ("Storage", "ST", 180),
                        ("Supplies", "SU", 45)],
    "Technology": [("Accessories", "AC", 145), ("Copiers", "CO", 1500), ("Machines", "MA", 1000), ("Phones", "PH", 270)],
}
_BRANDS = ["Bush", "Hon", "Global", "Eldon", "Avery", "Fellowes", "Xerox", "Logitech", "Samsung", "Cisco", "Staples",
           "Novimex", "Bretford", "Canon", "Acco", "Ibico", "GBC", "Tenex", "Wilson Jones", "Hewlett-Packard"]
_STATES = [("California", "West", ["Los Angeles", "San Francisco", "San Diego"], 20), ("Washington", "West", ["Seattle"], 5),
           ("New York", "East", ["New York City", "Rochester"], 11), ("Pennsylvania", "East", ["Philadelphia"], 6),
           ("Massachusetts", "East", ["Boston", "Springfield"], 2), ("Texas", "Central", ["Houston", "Dallas"], 10),
           ("Illinois", "Central", ["Chicago"], 5), ("Michigan", "Central", ["Detroit"], 3),
           ("Florida", "South", ["Jacksonville", "Miami"], 4), ("Georgia", "South", ["Atlanta"], 2),
           ("North Carolina", "South", ["Charlotte"], 2), ("Ohio", "East", ["Columbus", "Cleveland"], 5)]
_FIRST = ["Claire", "Darrin", "Sean", "Brosina", "Andrew", "Irene", "Harold", "Pete", "Alejandro", "Zuschuss",
          "Ken", "Sandra", "Emily", "Eric", "Tracy", "Matt", "Gene", "Steve", "Linda", "Dave"]
_LAST = ["Gute", "Van Huff", "O'Donnell", "Hoffman", "Allen", "Maddox", "Pawlan", "Kriz", "Grove", "Carroll",
         "Lonsdale", "Flanagan", "Burns", "Hoffmann", "Blumstein", "Abelman", "Hale", "Chand", "Cacioppo", "Brennan"]


def _superstore(rng: random.Random) -> Rows:
    customers = []
    for i in range(600):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        state, region, cities, _ = rng.choices(_STATES, [w for *_, w in _STATES])[0]
        customers.append((f"{first[0]}{last[0]}-{10000 + i * 15 + rng.randint(0, 14)}", f"{first} {last}",
                          rng.choices(["Consumer", "Corporate", "Home Office"], [52, 30, 18])[0], state, region,
                          rng.choice(cities), rng.randint(1040, 98199)))
    products = []
    for category, subs in _SUBCATEGORIES.items():
        for sub, code, price in subs:
            for k in range(8):
                name = f"{rng.choice(_BRANDS)} {sub[:-1] if sub.endswith('s') else sub} {rng.randint(100, 999)}"
                if k % 3 == 1:
                    name += f", {rng.choice(['Black', 'Blue', 'Assorted Colors', 'Pack of 12'])}"
                if k == 2:
                    name += ' 36" x 72"'
                if k == 5 and category == "Office Supplies":
                    name = name.replace(" ", "\u00a0", 1)  # the byte that makes the file Latin-1
                if k == 6 and category == "Technology":
                    name += " with Bluetooth\u00ae"
                products.append((f"{category[:3].upper()}-{code}-{10000000 + rng.randint(0, 9999999)}", category,
                                 sub, name, price * rng.uniform(0.3, 1.6)))
    rows: Rows = []
    row_id = 0
    seen: set[str] = set()
    while len(seen) < 2000:
        ordered = date(2014, 1, 3) + timedelta(days=int(rng.triangular(0, 1457, 1457)))
        mode = rng.choices(["Standard Class", "Second Class", "First Class", "Same Day"], [60, 19, 15, 6])[0]
        shipped = ordered + timedelta(days={"Same Day": 0, "First Class": 2, "Second Class": 3}.get(mode, 5)
                                      + rng.randint(0, 2) * (mode != "Same Day"))
        customer = rng.choice(customers)
        order_id = f"{rng.choice(['CA', 'CA', 'US'])}-{ordered.year}-{rng.randint(100000, 169999)}"
        if order_id in seen:
            continue
        seen.add(order_id)
        for _ in range(rng.choices([1, 2, 3, 4, 5], [35, 25, 18, 12, 10])[0]):
            row_id += 1
            product = rng.choice(products)
            quantity = rng.choices(range(1, 10), [9, 24, 23, 13, 12, 7, 6, 3, 3])[0]
            discount = rng.choices([0, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
                                   [48, 2, 1, 37, 2, 2, 1, 1, 4, 2])[0]
            sales = round(product[4] * quantity * (1 - discount), 4 if discount else 2)
            margin = rng.uniform(0.05, 0.45) - 1.1 * discount
            rows.append([row_id, order_id, f"{ordered.month}/{ordered.day}/{ordered.year}",
                         f"{shipped.month}/{shipped.day}/{shipped.year}", mode, customer[0], customer[1], customer[2],
                         "United States", customer[5], customer[3], customer[6], customer[4], product[0], product[1],
                         product[2], product[3], sales, quantity, discount, round(sales * margin, 4)])
    return rows


# --- Kaggle Mall Customers ------------------------------------------------------------------

MALL = ["CustomerID", "Genre", "Age", "Annual Income (k$)", "Spending Score (1-100)"]


def _mall(rng: random.Random) -> Rows:
    rows: Rows = []
    for i in range(200):
        income = 15 + int(i * 0.6) + rng.randint(0, 2)
        rows.append([i + 1, rng.choices(["Female", "Male"], [56, 44])[0], rng.randint(18, 70), income,
                     rng.randint(1, 99)])
    return rows


# --- Kaggle Marketing A/B testing -----------------------------------------------------------

ABTEST = ["", "user id", "test group", "converted", "total ads", "most ads day", "most ads hour"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _abtest(rng: random.Random) -> Rows:
    rows: Rows = []
    users = rng.sample(range(900000, 1654483), 12000)
    for i, user in enumerate(users):
        group = "psa" if rng.random() < 0.04 else "ad"
        ads = int(rng.expovariate(1 / 25)) + 1
        chance = (0.02 if group == "ad" else 0.01) + min(ads, 300) / 6000
        rows.append([i, user, group, "True" if rng.random() < chance else "False", ads, rng.choice(_DAYS),
                     rng.choices(range(24), [1] * 7 + [3] * 16 + [2])[0]])
    return rows


# --- Olist Brazilian e-commerce (a folder of files) -----------------------------------------

_OLIST_STATES = [("SP", ["sao paulo", "campinas", "guarulhos"], 42), ("RJ", ["rio de janeiro", "niteroi"], 13),
                 ("MG", ["belo horizonte", "uberlandia"], 12), ("RS", ["porto alegre"], 5), ("PR", ["curitiba"], 5),
                 ("SC", ["florianopolis"], 4), ("BA", ["salvador"], 3), ("DF", ["brasilia"], 2),
                 ("GO", ["goiania"], 2), ("PE", ["recife"], 2)]
_OLIST_CATEGORIES = [("cama_mesa_banho", 90), ("beleza_saude", 130), ("esporte_lazer", 110),
                     ("moveis_decoracao", 85), ("informatica_acessorios", 115), ("utilidades_domesticas", 90),
                     ("relogios_presentes", 200), ("telefonia", 70), ("brinquedos", 115), ("perfumaria", 120)]
_CATEGORY_EN = {"cama_mesa_banho": "bed_bath_table", "beleza_saude": "health_beauty", "esporte_lazer": "sports_leisure",
                "moveis_decoracao": "furniture_decor", "informatica_acessorios": "computers_accessories",
                "utilidades_domesticas": "housewares", "relogios_presentes": "watches_gifts", "telefonia": "telephony",
                "brinquedos": "toys", "perfumaria": "perfumery"}
_REVIEW_TITLES = ["", "", "", "Recomendo", "Ótimo", "Não recebi", "Bom produto"]
_REVIEW_TEXTS = ["", "", "Produto chegou antes do prazo, recomendo.", "Muito bom, entrega rápida",
                 "Não recebi o produto até agora", "Veio diferente do anunciado, \"péssimo\"",
                 "Gostei, mas a embalagem\nveio amassada"]


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _olist(rng: random.Random) -> list[tuple[str, list[str], Rows]]:
    stamp = "%Y-%m-%d %H:%M:%S"
    people = []
    for _ in range(3000):
        state, cities, _ = rng.choices(_OLIST_STATES, [w for *_, w in _OLIST_STATES])[0]
        people.append((_hex(rng), f"{rng.randint(1000, 99990):05d}", rng.choice(cities), state))
    products = []
    for _ in range(400):
        category = rng.choices(_OLIST_CATEGORIES, [10, 9, 8, 7, 7, 6, 6, 4, 4, 3])[0][0]
        products.append([_hex(rng), "" if rng.random() < 0.02 else category, rng.randint(20, 60),
                         rng.randint(100, 3000), rng.randint(1, 6), rng.randint(100, 9000)])
    sellers = [_hex(rng) for _ in range(150)]
    customers: Rows = []
    orders: Rows = []
    items: Rows = []
    payments: Rows = []
    reviews: Rows = []
    known = 0
    for _ in range(3000):
        repeat = known and rng.random() < 0.1  # a tenth of orders are a known person's again
        person = people[rng.randrange(known) if repeat else known]
        known += not repeat
        customer_id, order_id = _hex(rng), _hex(rng)
        customers.append([customer_id, person[0], person[1], person[2], person[3]])
        bought = datetime(2017, 1, 5) + timedelta(minutes=rng.randrange(600 * 24 * 60))
        status = rng.choices(["delivered", "shipped", "canceled", "invoiced", "processing", "unavailable"],
                             [94, 2, 1, 1, 1, 1])[0]
        approved = bought + timedelta(minutes=rng.randint(10, 3000))
        carrier = approved + timedelta(hours=rng.randint(20, 120)) if status in ("delivered", "shipped") else None
        delivered = carrier + timedelta(days=rng.randint(2, 25)) if carrier and status == "delivered" else None
        estimated = (bought + timedelta(days=rng.randint(15, 35))).replace(hour=0, minute=0, second=0)
        orders.append([order_id, customer_id, status, bought.strftime(stamp), approved.strftime(stamp),
                       carrier.strftime(stamp) if carrier else "", delivered.strftime(stamp) if delivered else "",
                       estimated.strftime(stamp)])
        total = 0.0
        seller = rng.choice(sellers)
        for n in range(rng.choices([1, 2, 3], [88, 9, 3])[0]):
            product = rng.choice(products)
            category_price = dict(_OLIST_CATEGORIES).get(str(product[1]), 100)
            price = round(max(4.9, rng.gauss(category_price, category_price / 2)), 2)
            freight = round(rng.uniform(7, 40), 2)
            total += price + freight
            items.append([order_id, n + 1, product[0], seller, (bought + timedelta(days=6)).strftime(stamp),
                          price, freight])
        kind = rng.choices(["credit_card", "boleto", "voucher", "debit_card"], [74, 19, 5, 2])[0]
        if kind == "voucher" and rng.random() < 0.5:
            part = round(total * 0.3, 2)
            payments.append([order_id, 1, "voucher", 1, part])
            payments.append([order_id, 2, "credit_card", rng.randint(1, 10), round(total - part, 2)])
        else:
            payments.append([order_id, 1, kind, rng.randint(1, 10) if kind == "credit_card" else 1,
                             round(total, 2)])
        if rng.random() < 0.99:
            late = delivered is not None and delivered > estimated
            score = rng.choices([1, 2, 3, 4, 5], [40, 10, 15, 15, 20] if late or delivered is None
                                else [6, 3, 8, 20, 63])[0]
            created = (delivered or estimated) + timedelta(days=1)
            review_id = reviews[-1][0] if reviews and rng.random() < 0.01 else _hex(rng)  # one review, two orders
            reviews.append([review_id, order_id, score, rng.choice(_REVIEW_TITLES), rng.choice(_REVIEW_TEXTS),
                            created.replace(hour=0, minute=0, second=0).strftime(stamp),
                            (created + timedelta(hours=rng.randint(5, 90))).strftime(stamp)])
    return [
        ("olist_customers_dataset.csv", ["customer_id", "customer_unique_id", "customer_zip_code_prefix",
                                         "customer_city", "customer_state"], customers),
        ("olist_orders_dataset.csv", ["order_id", "customer_id", "order_status", "order_purchase_timestamp",
                                      "order_approved_at", "order_delivered_carrier_date",
                                      "order_delivered_customer_date", "order_estimated_delivery_date"], orders),
        ("olist_order_items_dataset.csv", ["order_id", "order_item_id", "product_id", "seller_id",
                                           "shipping_limit_date", "price", "freight_value"], items),
        ("olist_order_payments_dataset.csv", ["order_id", "payment_sequential", "payment_type",
                                              "payment_installments", "payment_value"], payments),
        ("olist_order_reviews_dataset.csv", ["review_id", "order_id", "review_score", "review_comment_title",
                                             "review_comment_message", "review_creation_date",
                                             "review_answer_timestamp"], reviews),
        ("olist_products_dataset.csv", ["product_id", "product_category_name", "product_name_lenght",
                                        "product_description_lenght", "product_photos_qty", "product_weight_g"],
         products),
        ("olist_sellers_dataset.csv", ["seller_id", "seller_zip_code_prefix", "seller_city", "seller_state"],
         [[seller, f"{rng.randint(1000, 99990):05d}", *rng.choices(_OLIST_STATES, [w for *_, w in _OLIST_STATES])[0][1][:1],
           rng.choices(_OLIST_STATES, [w for *_, w in _OLIST_STATES])[0][0]] for seller in sellers]),
        ("product_category_name_translation.csv", ["product_category_name", "product_category_name_english"],
         [[name, _CATEGORY_EN[name]] for name, _ in _OLIST_CATEGORIES]),
    ]


# --- Shopify orders export ------------------------------------------------------------------

SHOPIFY = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
           "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
           "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
           "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status",
           "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City",
           "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
           "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
           "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at",
           "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee",
           "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Tax 1 Name",
           "Tax 1 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name",
           "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References"]
_SHOP_PRODUCTS = [("Classic Crew Tee - Black / M", "TEE-BLK-M", 28.0, "Northwind Apparel"),
                  ("Classic Crew Tee - White / L", "TEE-WHT-L", 28.0, "Northwind Apparel"),
                  ("Everyday Hoodie - Heather Grey / M", "HD-GRY-M", 64.0, "Northwind Apparel"),
                  ("Canvas Tote Bag", "TOTE-NAT", 22.0, "Harbor Goods"),
                  ("Ceramic Mug 12oz", "MUG-12", 16.0, "Harbor Goods"),
                  ("Wool Beanie - Navy", "BEANIE-NVY", 30.0, "Northwind Apparel"),
                  ("Organic Cotton Socks (3 Pack)", "SOCK-3PK", 18.0, "Sockwell"),
                  ("Leather Card Wallet", "WAL-CARD", 45.0, "Harbor Goods"),
                  ("Rain Shell Jacket - Olive / L", "JKT-OLV-L", 148.0, "Northwind Apparel"),
                  ("Gift Card", "", 50.0, "Northwind Shop")]
_SHOP_CITIES = [("New York", "NY", "New York", "United States", "US", "100", 22), ("Los Angeles", "CA", "California",
                "United States", "US", "900", 14), ("Chicago", "IL", "Illinois", "United States", "US", "606", 9),
                ("Austin", "TX", "Texas", "United States", "US", "787", 7), ("Seattle", "WA", "Washington",
                "United States", "US", "981", 7), ("Brooklyn", "NY", "New York", "United States", "US", "112", 6),
                ("Toronto", "ON", "Ontario", "Canada", "CA", "M5V", 8), ("Vancouver", "BC", "British Columbia",
                "Canada", "CA", "V6B", 4), ("London", "", "", "United Kingdom", "GB", "EC1", 5)]


def _money(value: float) -> str:
    return f"{value:.2f}"


def _shopify(rng: random.Random) -> Rows:
    rows: Rows = []
    start = datetime(2024, 1, 1, 0, 0)
    stamps = sorted(start + timedelta(seconds=rng.randrange(274 * 86400)) for _ in range(1100))
    for n, created in enumerate(stamps):
        offset = "-0400" if date(2024, 3, 10) <= created.date() < date(2024, 11, 3) else "-0500"
        shown = f"{created:%Y-%m-%d %H:%M:%S} {offset}"
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        email = f"{first.lower()}.{last.lower().replace(' ', '').replace(chr(39), '')}{rng.randint(1, 99)}@example.com"
        city, prov, prov_name, _country, code, zip_head, _ = rng.choices(_SHOP_CITIES,
                                                                       [c[-1] for c in _SHOP_CITIES])[0]
        lines = [rng.choices(_SHOP_PRODUCTS, [14, 10, 9, 8, 9, 6, 8, 5, 3, 2])[0]
                 for _ in range(rng.choices([1, 2, 3, 4], [55, 28, 12, 5])[0])]
        quantities = [rng.choices([1, 2, 3], [80, 16, 4])[0] for _ in lines]
        subtotal_before = sum(p[2] * q for p, q in zip(lines, quantities, strict=True))
        code_used = rng.choices(["", "WELCOME10", "SUMMER20", "FREESHIP"], [70, 15, 10, 5])[0]
        discount = round(subtotal_before * {"WELCOME10": 0.1, "SUMMER20": 0.2}.get(code_used, 0), 2)
        subtotal = round(subtotal_before - discount, 2)
        shipping = 0.0 if code_used == "FREESHIP" or subtotal >= 100 else (8.0 if code != "GB" else 15.0)
        taxes = round(subtotal * (0.08875 if prov == "NY" else 0.13 if code == "CA" else 0.2 if code == "GB"
                                  else 0.07), 2)
        total = round(subtotal + shipping + taxes, 2)
        status = rng.choices(["paid", "refunded", "partially_refunded", "pending", "voided"], [88, 5, 3, 2, 2])[0]
        paid = "" if status in ("pending", "voided") else \
            f"{created + timedelta(seconds=rng.randint(2, 40)):%Y-%m-%d %H:%M:%S} {offset}"
        refunded = total if status == "refunded" else round(total * 0.3, 2) if status == "partially_refunded" else 0
        fulfilled = status in ("paid", "partially_refunded") and rng.random() < 0.95
        fulfilled_at = f"{created + timedelta(hours=rng.randint(5, 72)):%Y-%m-%d %H:%M:%S} {offset}" \
            if fulfilled else ""
        source = rng.choices(["web", "pos", "shopify_draft_order", "580111"], [80, 10, 4, 6])[0]
        method = rng.choices(["Shopify Payments", "PayPal Express Checkout", "Shopify Payments + Gift Card",
                              "manual"], [70, 22, 4, 4])[0]
        street = f"{rng.randint(1, 999)} {rng.choice(['Main St', 'Oak Ave', 'King St W', 'Pine St', 'High St'])}"
        zip_code = f"{zip_head}{rng.randint(10, 99)}" if code == "US" else f"{zip_head} {rng.randint(1, 9)}AB"
        phone = "" if rng.random() < 0.6 else f"+1{rng.randint(2000000000, 9999999999)}"
        cancelled = f"{created + timedelta(hours=2):%Y-%m-%d %H:%M:%S} {offset}" if status == "voided" else ""
        order_id = 5600000000000 + n * 1733 + rng.randint(0, 999)
        for k, (product, quantity) in enumerate(zip(lines, quantities, strict=True)):
            head = k == 0
            line_discount = round(product[2] * quantity * {"WELCOME10": 0.1, "SUMMER20": 0.2}.get(code_used, 0), 2)
            order = [status, paid, "fulfilled" if fulfilled else "unfulfilled", fulfilled_at,
                     "yes" if rng.random() < 0.45 else "no", "USD", *map(_money, (subtotal, shipping, taxes, total)), code_used, _money(discount),
                     "" if source == "pos" else "Standard Shipping" if shipping or code_used == "FREESHIP"
                     else "Free Shipping"] if head else [""] * 13
            billing = [f"{first} {last}", street, street, "", "", city, zip_code, prov, code, phone,
                       f"{first} {last}", street, street, "", "", city, zip_code, prov, code, phone] if head \
                else [""] * 20
            tail = ["", "", cancelled, method, f"c{order_id}.1", _money(refunded), product[3], "0.00", "",
                    "", "", order_id, "", "Low", source] if head else \
                ["", "", "", "", "", "", product[3], "", "", "", "", "", "", "", ""]
            rows.append([f"#{1001 + n}", email, *order[:13], shown, quantity, product[0], _money(product[2]),
                         "" if rng.random() < 0.7 else _money(product[2] + 10), product[1], "true",
                         "false" if product[0] == "Gift Card" else "true",
                         "fulfilled" if fulfilled else "pending", *billing, *tail, _money(line_discount),
                         *(["Sales Tax", _money(taxes)] if head else ["", ""]), "", "", "",
                         *([prov_name, prov_name] if head else ["", ""]), "", "", "", ""])
    return rows


# --- Mailchimp campaign reports -------------------------------------------------------------

MAILCHIMP = ["Title", "Subject", "List", "Send Date", "Send Weekday", "Total Recipients", "Successful Deliveries",
             "Soft Bounces", "Hard Bounces", "Total Bounces", "Times Forwarded", "Forwarded Opens", "Unique Opens",
             "Open Rate", "Total Opens", "Unique Clicks", "Click Rate", "Total Clicks", "Unsubscribes",
             "Abuse Complaints", "Times Liked on Facebook", "Folder Id", "Unique Id"]
_MC_LISTS = [("Newsletter Subscribers", 18000, 0.24), ("Customers", 6500, 0.33), ("VIP Customers", 900, 0.46)]
_MC_KINDS = [("Newsletter", "Your {month} roundup: new arrivals inside"), ("Sale", "{pct}% off ends tonight"),
             ("Product Launch", "Meet the new {thing}"), ("Win-back", "We miss you - here's {pct}% off"),
             ("Event", "You're invited: {month} pop-up")]


def _mailchimp(rng: random.Random) -> Rows:
    rows: Rows = []
    sent = datetime(2023, 1, 3, 9, 0)
    while sent < datetime(2024, 9, 30):
        kind, subject = rng.choices(_MC_KINDS, [40, 25, 15, 10, 10])[0]
        name, size, open_base = rng.choices(_MC_LISTS, [60, 30, 10])[0]
        months = (sent.year - 2023) * 12 + sent.month
        recipients = int(size * (1 + months * 0.012) * rng.uniform(0.97, 1.0))
        soft, hard = int(recipients * rng.uniform(0.002, 0.008)), int(recipients * rng.uniform(0.0005, 0.003))
        delivered = recipients - soft - hard
        opens = int(delivered * max(0.05, rng.gauss(open_base + (0.04 if kind == "Sale" else 0), 0.03)))
        clicks = int(opens * max(0.02, rng.gauss(0.12 if kind != "Newsletter" else 0.09, 0.03)))
        title = f"{kind} - {sent:%b %d, %Y}" + (f" ({name})" if name != "Newsletter Subscribers" else "")
        rows.append([title, subject.format(month=f"{sent:%B}", pct=rng.choice([15, 20, 25, 30]),
                                           thing=rng.choice(["Rain Shell", "Everyday Hoodie", "Card Wallet"])),
                     name, f"{sent:%b %d, %Y %I:%M} {sent:%p}".replace("AM", "am").replace("PM", "pm"),
                     sent.strftime("%A"), recipients, delivered, soft, hard, soft + hard, rng.randint(0, 25),
                     rng.randint(0, 40), opens, f"{opens / delivered * 100:.2f}%", int(opens * rng.uniform(1.4, 2.2)),
                     clicks, f"{clicks / delivered * 100:.2f}%", int(clicks * rng.uniform(1.2, 1.8)),
                     int(delivered * rng.uniform(0.0005, 0.004)), rng.choices([0, 1, 2, 3], [70, 20, 7, 3])[0], 0,
                     rng.choice([0, 0, 0, 1532, 1540]), f"{rng.getrandbits(40):010x}"])
        sent += timedelta(days=rng.choice([2, 3, 3, 4, 5]), hours=rng.choice([-1, 0, 0, 1]))
        sent = sent.replace(hour=rng.choice([6, 8, 9, 9, 10, 14, 17]), minute=rng.choice([0, 0, 15, 30]))
    return rows


# --- Google Analytics 4 traffic acquisition report ------------------------------------------

GA4 = ["Session source / medium", "Date", "Sessions", "Engaged sessions", "Engagement rate",
       "Average engagement time per session", "Events per session", "Event count", "Key events",
       "Session key event rate", "Total revenue"]
GA4_PREAMBLE = ["# ----------------------------------------", "# Traffic acquisition: Session source / medium",
                "# Account: Northwind Shop", "# Property: Northwind Shop - GA4",
                "# ----------------------------------------", "#", "# All Users", "# Start date: 20240701",
                "# End date: 20240930"]
_GA4_SOURCES = [("google / organic", 900, 0.62, 0.018), ("(direct) / (none)", 700, 0.55, 0.024),
                ("google / cpc", 420, 0.58, 0.031), ("facebook / paid", 260, 0.41, 0.012),
                ("newsletter / email", 150, 0.71, 0.045), ("bing / organic", 70, 0.6, 0.016),
                ("l.instagram.com / referral", 90, 0.38, 0.008), ("chatgpt.com / referral", 25, 0.74, 0.03),
                ("(not set) / (not set)", 12, 0.2, 0.0), ("tiktok / paid", 110, 0.33, 0.006)]


def _ga4(rng: random.Random) -> Rows:
    rows: Rows = []
    day = date(2024, 7, 1)
    while day <= date(2024, 9, 30):
        weekend = day.weekday() >= 5
        for source, volume, engaged_rate, conv_rate in _GA4_SOURCES:
            sessions = int(volume * rng.uniform(0.75, 1.25) * (0.8 if weekend else 1.0))
            if sessions < 15 and rng.random() < 0.5:
                continue
            engaged = int(sessions * min(0.95, max(0.05, rng.gauss(engaged_rate, 0.04))))
            converted = int(sessions * max(0.0, rng.gauss(conv_rate, conv_rate / 4)))
            key_events = converted + int(converted * rng.uniform(0, 0.3))
            events = int(sessions * rng.uniform(4.5, 9.5))
            revenue = round(converted * rng.uniform(55, 95), 2)
            rows.append([source, day.strftime("%Y%m%d"), sessions, engaged, round(engaged / sessions, 6),
                         round(rng.uniform(25, 140), 4), round(events / sessions, 6), events, key_events,
                         round(converted / sessions, 6), revenue if revenue else 0])
        day += timedelta(days=1)
    return rows


# --- Meta (Facebook) Ads Manager export ------------------------------------------------------

METAADS = ["Reporting starts", "Reporting ends", "Campaign name", "Campaign delivery", "Ad set budget",
           "Ad set budget type", "Attribution setting", "Results", "Result indicator", "Reach", "Frequency",
           "Cost per results", "Amount spent (USD)", "Impressions", "CPM (cost per 1,000 impressions) (USD)",
           "Link clicks", "CPC (cost per link click) (USD)", "CTR (link click-through rate)", "Clicks (all)",
           "Purchases", "Purchases conversion value", "Ends"]
_META_CAMPAIGNS = [("Prospecting | Broad | Purchases", "offsite_conversion.fb_pixel_purchase", 180, 9.0, 0.012),
                   ("Retargeting | Website Visitors 30d", "offsite_conversion.fb_pixel_purchase", 60, 14.0, 0.021),
                   ("Summer Sale 2024 - Advantage+ Shopping", "offsite_conversion.fb_pixel_purchase", 250, 8.0,
                    0.014),
                   ("Brand Awareness - Reach", "reach", 40, 3.5, 0.004),
                   ("Traffic | Blog Content", "link_click", 35, 6.5, 0.016),
                   ("Lead Gen | Newsletter Signup", "lead", 50, 7.5, 0.011),
                   ("Video Views | Rain Shell Launch", "video_thruplay_watched_actions", 45, 4.0, 0.006),
                   ("Catalog Sales | DPA", "offsite_conversion.fb_pixel_purchase", 90, 10.0, 0.017)]


def _metaads(rng: random.Random) -> Rows:
    rows: Rows = []
    day = date(2024, 7, 1)
    while day <= date(2024, 9, 30):
        for n, (name, indicator, budget, cpm, ctr) in enumerate(_META_CAMPAIGNS):
            live = not (n == 2 and day > date(2024, 8, 31)) and not (n == 6 and day < date(2024, 8, 5))
            spend = round(budget * rng.uniform(0.85, 1.02), 2) if live else 0.0
            impressions = int(spend / cpm * 1000 * rng.uniform(0.85, 1.15)) if live else 0
            reach = int(impressions / rng.uniform(1.1, 1.9)) if impressions else 0
            link_clicks = int(impressions * max(0.0, rng.gauss(ctr, ctr / 5)))
            clicks_all = int(link_clicks * rng.uniform(1.4, 2.3))
            purchases = int(link_clicks * rng.uniform(0.015, 0.04)) if "purchase" in indicator else \
                int(link_clicks * rng.uniform(0.0, 0.004))
            value = round(purchases * rng.uniform(60, 110), 2)
            results = {"reach": reach, "link_click": link_clicks, "lead": int(link_clicks * rng.uniform(0.05, 0.12)),
                       "video_thruplay_watched_actions": int(impressions * rng.uniform(0.05, 0.1))}.get(indicator,
                                                                                                   purchases)
            shown = day.isoformat()
            rows.append([shown, shown, name, "active" if live else "inactive", budget, "Daily",
                         "7-day click or 1-day view", results or "", f"actions:{indicator}" if indicator != "reach"
                         else "reach", reach or "", round(impressions / reach, 6) if reach else "",
                         round(spend / results, 6) if results else "", spend, impressions or "",
                         round(spend / impressions * 1000, 6) if impressions else "", link_clicks or "",
                         round(spend / link_clicks, 6) if link_clicks else "",
                         round(link_clicks / impressions * 100, 6) if impressions else "", clicks_all or "",
                         purchases or "", value or "", "Ongoing"])
        day += timedelta(days=1)
    return rows


FOLDERS: dict[str, Callable[[random.Random], list[tuple[str, list[str], Rows]]]] = {"olist": _olist, **_MORE_FOLDERS,
                                                                                     **_SHAPE_FOLDERS}
ENCODINGS = {"superstore": "latin-1"}
EXPORTS: dict[str, tuple[str, str, Literal[0, 1, 2, 3], list[str], Callable[[random.Random], Rows]]] = {
    "personality": ("marketing_campaign.csv", "\t", csv.QUOTE_MINIMAL, PERSONALITY, _personality),
    "bank": ("bank-full.csv", ";", csv.QUOTE_NONNUMERIC, BANK, _bank),
    "telco": ("WA_Fn-UseC_-Telco-Customer-Churn.csv", ",", csv.QUOTE_MINIMAL, TELCO, _telco),
    "fbads": ("KAG_conversion_data.csv", ",", csv.QUOTE_MINIMAL, FBADS, _fbads),
    "superstore": ("Sample - Superstore.csv", ",", csv.QUOTE_MINIMAL, SUPERSTORE, _superstore),
    "mall": ("Mall_Customers.csv", ",", csv.QUOTE_MINIMAL, MALL, _mall),
    "abtest": ("marketing_AB.csv", ",", csv.QUOTE_MINIMAL, ABTEST, _abtest),
    "shopify": ("orders_export.csv", ",", csv.QUOTE_MINIMAL, SHOPIFY, _shopify),
    "mailchimp": ("campaigns.csv", ",", csv.QUOTE_MINIMAL, MAILCHIMP, _mailchimp),
    "ga4": ("Traffic_acquisition_Session_source_medium.csv", ",", csv.QUOTE_MINIMAL, GA4, _ga4),
    "metaads": ("Northwind-Shop-Campaigns-Jul-1-2024-Sep-30-2024.csv", ",", csv.QUOTE_ALL, METAADS, _metaads),
}
EXPORTS.update({name: (file_name, ",", csv.QUOTE_MINIMAL, header, make)
                for name, (file_name, header, make) in _SHAPE_EXPORTS.items()})
EXPORTS.update({name: (file_name, ",", csv.QUOTE_MINIMAL, header, make)
                for name, (file_name, header, make) in _REPORT_EXPORTS.items()})
ENCODINGS.update(_REPORT_ENCODINGS)
PREAMBLES = {"ga4": GA4_PREAMBLE}
