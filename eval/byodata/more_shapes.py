"""Three more shapes of public data marketers bring (values generated; nothing copied).

* ``rees46``: the REES46 "eCommerce behavior data from multi category store" / "events
  history in electronics store" download (``events.csv``): ONE event log, a row per view,
  cart, remove_from_cart or purchase; ``event_time`` as '2020-10-01 00:00:04 UTC' text,
  ``product_id``, ``category_id`` as a 19-digit number, ``category_code`` like
  'electronics.smartphone' (blank for many), ``brand`` in lower case (blank for some),
  ``price`` on every event (so revenue is the price of PURCHASE events only), ``user_id``,
  ``user_session`` as a UUID.
* ``instacart``: the Instacart Market Basket Analysis CSVs: ``orders.csv`` with NO calendar
  date (``order_dow`` 0-6, ``order_hour_of_day`` 0-23, ``days_since_prior_order`` as '8.0',
  blank on a user's first order, ``eval_set`` prior/train/test), ``order_products__prior.csv``
  (``add_to_cart_order``, ``reordered`` 0/1, lines of prior orders only), ``products.csv``
  (names with commas and quotes), ``aisles.csv``, ``departments.csv``. No prices.
* ``dunnhumby``: dunnhumby "The Complete Journey": ``transaction_data.csv`` in upper case
  (``BASKET_ID``, ``DAY`` as a day number 1-711 with no calendar, ``WEEK_NO``, ``QUANTITY``,
  ``SALES_VALUE``, ``STORE_ID``, ``RETAIL_DISC`` / ``COUPON_DISC`` / ``COUPON_MATCH_DISC``
  as negative or zero amounts, ``TRANS_TIME`` as HHMM, a few lines with QUANTITY 0) keyed by
  a lower-case ``household_key``; ``hh_demographic.csv`` for a third of the households
  (``AGE_DESC`` '45-54', ``INCOME_DESC`` '35-49K', ``HOMEOWNER_DESC`` ...), ``product.csv``
  (``DEPARTMENT``, ``BRAND`` National/Private, ``COMMODITY_DESC``), ``campaign_table.csv`` (who
  got which campaign) and ``campaign_desc.csv`` (``START_DAY``/``END_DAY`` day numbers).
* ``tpcds``: a TPC-DS-like star schema in ONE DuckDB file (``tpcds.duckdb``, as ``dsdgen``
  writes it): ``store_sales`` keyed to its dimensions by surrogate keys named with each
  table's prefix (``ss_sold_date_sk`` → ``date_dim.d_date_sk``, ``ss_item_sk`` →
  ``item.i_item_sk``, ``ss_customer_sk`` → ``customer.c_customer_sk`` →
  ``c_current_addr_sk`` → ``customer_address.ca_address_sk``, ``ss_store_sk``,
  ``ss_promo_sk`` blank for most lines); the only calendar is ``date_dim.d_date`` (1998-2003,
  sales 1998-2002); ``ss_ext_sales_price`` = price × quantity, ``ss_net_paid`` after coupons.

``build_file`` (``exports.py``) writes them; the case files beside this module hold
hand-written gold SQL over the tables as genbi loads them (a file's table is its stem).
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

Rows = list[list[Any]]
Files = list[tuple[str, list[str], Rows]]


# --- REES46 event log -----------------------------------------------------------------------

REES46 = ["event_time", "event_type", "product_id", "category_id", "category_code", "brand", "price", "user_id",
          "user_session"]
_R_CATEGORIES = [("electronics.smartphone", ["samsung", "apple", "xiaomi", "huawei", "oppo"], (90.0, 1400.0)),
                 ("electronics.audio.headphone", ["sony", "apple", "jbl", "samsung"], (9.0, 350.0)),
                 ("computers.notebook", ["lenovo", "hp", "asus", "acer", "apple"], (250.0, 2500.0)),
                 ("appliances.kitchen.refrigerators", ["lg", "samsung", "bosch", "indesit"], (200.0, 1600.0)),
                 ("appliances.environment.vacuum", ["samsung", "philips", "bosch", "vitek"], (40.0, 600.0)),
                 ("electronics.video.tv", ["samsung", "lg", "sony", "xiaomi"], (150.0, 2200.0)),
                 ("", ["lucente", "respect", "karcher", "sokolov"], (5.0, 300.0))]


def _rees46(rng: random.Random) -> Rows:
    products: list[tuple[int, int, str, str, float]] = []
    for c, (code, brands, (low, high)) in enumerate(_R_CATEGORIES):
        category_ids = [2053013555631882655 + c * 1000003 + k * 17 for k in range(2)]
        for _ in range(45 if code else 70):
            brand = "" if rng.random() < (0.04 if code else 0.3) else rng.choice([b for b in brands if b])
            products.append((1000000 + len(products) * 7 + rng.randint(0, 6), rng.choice(category_ids), code, brand,
                             round(rng.uniform(low, high), 2)))
    weights = [min(25.0, rng.paretovariate(1.3)) for _ in products]
    users = [512000000 + rng.randint(0, 99999999) for _ in range(2600)]
    start = datetime(2020, 10, 1)
    span = (datetime(2021, 3, 1) - start).total_seconds()
    rows: Rows = []
    while len(rows) < 48000:
        user = rng.choice(users)
        session = str(uuid.UUID(int=rng.getrandbits(128)))
        moment = start + timedelta(seconds=rng.randint(0, int(span) - 3 * 3600))
        for product in rng.choices(products, weights, k=rng.randint(1, 7)):
            events = ["view"]
            if rng.random() < 0.22:
                events.append("cart")
                if rng.random() < 0.15:
                    events.append("remove_from_cart")
                elif rng.random() < 0.55:
                    events.append("purchase")
            for event in events:
                moment += timedelta(seconds=rng.randint(3, 240))
                price = product[4] if event == "view" or rng.random() < 0.9 else round(product[4] * 0.95, 2)
                rows.append([moment.strftime("%Y-%m-%d %H:%M:%S UTC"), event, product[0], product[1], product[2],
                             product[3], price, user, session])
    rows.sort(key=lambda r: r[0])
    return rows


# --- Instacart ------------------------------------------------------------------------------

_I_DEPARTMENTS = ["frozen", "other", "bakery", "produce", "alcohol", "international", "beverages", "pets",
                  "dry goods pasta", "bulk", "personal care", "meat seafood", "pantry", "breakfast", "canned goods",
                  "dairy eggs", "household", "babies", "snacks", "deli", "missing"]
_I_AISLES = [("fresh fruits", "produce"), ("fresh vegetables", "produce"), ("packaged vegetables fruits", "produce"),
             ("yogurt", "dairy eggs"), ("milk", "dairy eggs"), ("packaged cheese", "dairy eggs"), ("eggs", "dairy eggs"),
             ("water seltzer sparkling water", "beverages"), ("soft drinks", "beverages"), ("juice nectars", "beverages"),
             ("chips pretzels", "snacks"), ("crackers", "snacks"), ("cookies cakes", "snacks"),
             ("bread", "bakery"), ("frozen produce", "frozen"), ("ice cream ice", "frozen"),
             ("frozen meals", "frozen"), ("cereal", "breakfast"), ("paper goods", "household"),
             ("cleaning products", "household"), ("soap", "personal care"), ("baby food formula", "babies"),
             ("cat food care", "pets"), ("beers coolers", "alcohol"), ("red wines", "alcohol"),
             ("canned meals beans", "canned goods"), ("dry pasta", "dry goods pasta"), ("spices seasonings", "pantry"),
             ("lunch meat", "deli"), ("poultry counter", "meat seafood"), ("bulk grains rice dried goods", "bulk"),
             ("asian foods", "international"), ("missing", "missing"), ("other", "other")]
_I_WORDS = ["Organic", "Large", "Original", "Unsweetened", "Whole", "Lightly Salted", "Low Fat", "Gluten Free",
            "Family Size", "Sparkling", "Classic", "Honey", "Vanilla", "Spicy", "Baby"]
_I_NOUNS = {"produce": ["Bananas", "Strawberries", "Baby Spinach", "Hass Avocado", "Lemons", "Blueberries", "Cucumber"],
            "dairy eggs": ["Whole Milk", "Greek Yogurt", "Cheddar Cheese", "Large Eggs", "Half & Half"],
            "beverages": ["Sparkling Water", "Lime Seltzer", "Orange Juice", "Cola", "Cold Brew Coffee"],
            "snacks": ["Tortilla Chips", "Sea Salt Crackers", "Chocolate Chip Cookies", "Pretzels"]}


def _instacart(rng: random.Random) -> Files:
    departments = [[i + 1, name] for i, name in enumerate(_I_DEPARTMENTS)]
    department_id = {name: i + 1 for i, name in enumerate(_I_DEPARTMENTS)}
    aisles = [[i + 1, name] for i, (name, _) in enumerate(_I_AISLES)]
    products: Rows = []
    for n in range(700):
        aisle = rng.randrange(len(_I_AISLES))
        department = _I_AISLES[aisle][1]
        noun = rng.choice(_I_NOUNS.get(department, [_I_AISLES[aisle][0].title().split()[0] + " Mix", "Pack", "Bar"]))
        name = f"{rng.choice(_I_WORDS)} {noun}"
        if rng.random() < 0.05:
            name = f'{name}, "{rng.choice(["Value", "Big"])}" Pack'
        products.append([n + 1, name, aisle + 1, department_id[department]])
    weights = [rng.paretovariate(1.1) * (3 if p[3] in (4, 16) else 1) for p in products]
    orders: Rows = []
    lines: Rows = []
    order_id = 1
    ids = rng.sample(range(1, 3_400_000), 12 * 700)
    for user in range(1, 701):
        count = rng.randint(3, 12)
        bought: set[int] = set()
        dow, hour = rng.randrange(7), rng.choice(range(7, 23))
        favourites = rng.choices(products, weights, k=25)
        for number in range(1, count + 1):
            final = number == count
            eval_set = ("train" if rng.random() < 0.7 else "test") if final else "prior"
            oid = ids[order_id - 1]
            order_id += 1
            order_dow = dow if rng.random() < 0.4 else rng.choices(range(7), [18, 17, 13, 12, 12, 13, 15])[0]
            order_hour = hour if rng.random() < 0.3 else rng.choices(range(24), [1, 1, 1, 1, 1, 1, 2, 5, 9, 12, 13, 13,
                                                                              13, 13, 13, 13, 12, 10, 8, 6, 5, 4, 3, 2])[0]
            gap = "" if number == 1 else f"{float(min(30, max(0, int(rng.expovariate(1 / 11))))):.1f}"
            orders.append([oid, user, eval_set, number, order_dow, order_hour, gap])
            if eval_set != "prior":
                continue
            basket = list(dict.fromkeys(p[0] for p in (rng.choice(favourites) if rng.random() < 0.6
                                                        else rng.choices(products, weights)[0]
                                                        for _ in range(rng.randint(1, 16)))))
            for position, product in enumerate(basket, start=1):
                lines.append([oid, product, position, 1 if product in bought else 0])
            bought.update(basket)
    lines.sort(key=lambda r: (r[0], r[2]))
    return [("orders.csv", ["order_id", "user_id", "eval_set", "order_number", "order_dow", "order_hour_of_day",
                            "days_since_prior_order"], orders),
            ("order_products__prior.csv", ["order_id", "product_id", "add_to_cart_order", "reordered"], lines),
            ("products.csv", ["product_id", "product_name", "aisle_id", "department_id"], products),
            ("aisles.csv", ["aisle_id", "aisle"], aisles),
            ("departments.csv", ["department_id", "department"], departments)]


# --- dunnhumby The Complete Journey ---------------------------------------------------------

_D_DEPARTMENTS = [("GROCERY", ["SOFT DRINKS", "BAKED BREAD/BUNS/ROLLS", "CHEESE", "BAG SNACKS", "COLD CEREAL"], (0.8, 6.0), 50),
                  ("PRODUCE", ["TROPICAL FRUIT", "VEGETABLES - ALL OTHERS", "BERRIES"], (0.5, 5.0), 18),
                  ("MEAT", ["BEEF", "CHICKEN"], (3.0, 14.0), 8),
                  ("DRUG GM", ["COLD AND FLU", "CANDY - PACKAGED", "MAGAZINE"], (1.0, 9.0), 10),
                  ("MEAT-PCKGD", ["LUNCHMEAT", "HOT DOGS"], (2.0, 7.0), 6),
                  ("DELI", ["DELI MEATS", "SALAD BAR"], (2.0, 9.0), 5),
                  ("PASTRY", ["BREAKFAST SWEETS"], (1.5, 6.0), 3),
                  ("NUTRITION", ["HEALTH FOODS"], (2.0, 8.0), 2),
                  ("KIOSK-GAS", ["COUPON/MISC ITEMS"], (15.0, 45.0), 2)]
_D_AGES = [("19-24", 6), ("25-34", 18), ("35-44", 24), ("45-54", 36), ("55-64", 7), ("65+", 9)]
_D_INCOMES = [("Under 15K", 8), ("15-24K", 9), ("25-34K", 10), ("35-49K", 21), ("50-74K", 24), ("75-99K", 12),
              ("100-124K", 4), ("125-149K", 5), ("150-174K", 3), ("175-199K", 1), ("200-249K", 1), ("250K+", 1)]
_D_HOMES = [("Homeowner", 63), ("Unknown", 29), ("Renter", 5), ("Probable Renter", 1), ("Probable Owner", 2)]
_D_COMPS = [("2 Adults No Kids", 32), ("2 Adults Kids", 24), ("Single Female", 18), ("Single Male", 12),
            ("1 Adult Kids", 6), ("Unknown", 8)]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _dunnhumby(rng: random.Random) -> Files:
    products: Rows = []
    for department, commodities, (low, high), weight in _D_DEPARTMENTS:
        for _ in range(weight * 6):
            commodity = rng.choice(commodities)
            products.append([25000 + len(products) * 37 + rng.randint(0, 30), rng.randint(2, 6000), department,
                             "Private" if rng.random() < 0.3 else "National", commodity,
                             f"{commodity.split()[0]} {rng.choice(['REGULAR', 'PREMIUM', 'VALUE', 'ASSORTED'])}",
                             rng.choice(["12 OZ", "16 OZ", "1 LB", "2 LTR", "", "6 PK"]), (low, high)])
    households = list(range(1, 801))
    demographics: Rows = []
    for key in rng.sample(households, 280):
        comp = _pick(rng, _D_COMPS)
        kids = "None/Unknown" if "No Kids" in comp or "Single" in comp or comp == "Unknown" else rng.choice(["1", "2", "3+"])
        size = {"2 Adults No Kids": "2", "Single Female": "1", "Single Male": "1"}.get(
            comp, rng.choice(["2", "3", "4", "5+"]))
        demographics.append([_pick(rng, _D_AGES), rng.choice(["A", "B", "U"]), _pick(rng, _D_INCOMES),
                             _pick(rng, _D_HOMES), comp, size, kids, key])
    demographics.sort(key=lambda r: r[7])
    stores = [rng.randint(280, 33000) for _ in range(25)]
    store_weights = [rng.paretovariate(1.2) for _ in stores]
    weights = [rng.paretovariate(1.3) for _ in products]
    transactions: Rows = []
    basket_id = 26984851472
    while len(transactions) < 42000:
        household = rng.choice(households)
        day = rng.randint(1, 711)
        store = rng.choices(stores, store_weights)[0]
        basket_id += rng.randint(1, 4000)
        time = rng.randint(6, 23) * 100 + rng.randint(0, 59)
        for product in rng.choices(products, weights, k=rng.randint(1, 18)):
            low, high = product[7]
            quantity = 0 if rng.random() < 0.005 else rng.choices([1, 2, 3, 4], [70, 18, 8, 4])[0]
            unit = round(rng.uniform(low, high), 2)
            sales = round(unit * quantity, 2)
            retail = -round(sales * rng.choice([0.1, 0.2, 0.3]), 2) if quantity and rng.random() < 0.35 else 0.0
            coupon = -round(rng.choice([0.5, 1.0, 1.5]), 2) if quantity and rng.random() < 0.02 else 0.0
            match = -0.4 if coupon and rng.random() < 0.4 else 0.0
            transactions.append([household, basket_id, day, product[0], quantity, sales, store, retail, time,
                                 (day - 1) // 7 + 1, coupon, match])
    transactions.sort(key=lambda r: (r[2], r[1]))
    campaigns: Rows = []
    plan: Rows = []
    for number in range(1, 31):
        kind = "TypeA" if number % 5 == 0 else ("TypeC" if number % 7 == 0 else "TypeB")
        begin = rng.randint(220, 680)
        campaigns.append([kind, number, begin, begin + rng.randint(30, 70)])
        for household in rng.sample(households, rng.randint(15, 120) if kind != "TypeA" else rng.randint(150, 300)):
            plan.append([kind, household, number])
    return [("transaction_data.csv", ["household_key", "BASKET_ID", "DAY", "PRODUCT_ID", "QUANTITY", "SALES_VALUE",
                                      "STORE_ID", "RETAIL_DISC", "TRANS_TIME", "WEEK_NO", "COUPON_DISC",
                                      "COUPON_MATCH_DISC"], transactions),
            ("hh_demographic.csv", ["AGE_DESC", "MARITAL_STATUS_CODE", "INCOME_DESC", "HOMEOWNER_DESC", "HH_COMP_DESC",
                                    "HOUSEHOLD_SIZE_DESC", "KID_CATEGORY_DESC", "household_key"], demographics),
            ("product.csv", ["PRODUCT_ID", "MANUFACTURER", "DEPARTMENT", "BRAND", "COMMODITY_DESC",
                             "SUB_COMMODITY_DESC", "CURR_SIZE_OF_PRODUCT"], [p[:7] for p in products]),
            ("campaign_table.csv", ["DESCRIPTION", "household_key", "CAMPAIGN"], plan),
            ("campaign_desc.csv", ["DESCRIPTION", "CAMPAIGN", "START_DAY", "END_DAY"], campaigns)]


FOLDERS = {"instacart": _instacart, "dunnhumby": _dunnhumby}
EXPORTS = {"rees46": ("events.csv", REES46, _rees46)}


# --- a TPC-DS-like surrogate-key star schema in one DuckDB file -------------------------------

_T_CATEGORIES = {"Electronics": ["camcorders", "stereo", "televisions"], "Home": ["bedding", "furniture", "lighting"],
                 "Sports": ["fitness", "golf", "outdoor"], "Jewelry": ["rings", "bracelets"],
                 "Books": ["fiction", "cooking", "travel"], "Music": ["rock", "classical", "pop"]}
_T_BRANDS = ["amalgamalg #1", "edu packimporto #2", "exportiunivamalg #9", "importoamalg #4", "scholaramalgamalg #7",
             "corpbrand #3", "brandmaxi #5", "univunivamalg #6"]
_T_STATES = [("TN", "Midway"), ("GA", "Fairview"), ("TX", "Oak Grove"), ("CA", "Pleasant Hill"), ("OH", "Five Points"),
             ("IL", "Riverside"), ("NY", "Centerville"), ("WA", "Greenwood")]
_T_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _sk_id(rng: random.Random) -> str:
    return "AAAAAAAA" + "".join(rng.choice("ABCDEFGHIJKLMNOP") for _ in range(8))


def _tpcds(rng: random.Random) -> list[tuple[str, str, Rows]]:
    first = datetime(1998, 1, 1)
    dates: Rows = []
    for n in range(2191):  # 1998-01-01 .. 2003-12-31
        day = first + timedelta(days=n)
        dates.append([2450815 + n, _sk_id(rng), day.date(), (n + 3) // 7 + 5270, day.year, day.month, day.day,
                      (day.month - 1) // 3 + 1, _T_DAYS[day.weekday()], "Y" if day.weekday() >= 5 else "N"])
    items: Rows = []
    for n in range(1, 301):
        category = rng.choice(list(_T_CATEGORIES))
        items.append([n, _sk_id(rng), f"{rng.choice(['Able', 'Bright', 'Classic', 'Daring', 'Eager'])} "
                      f"{rng.choice(_T_CATEGORIES[category])} item", round(rng.uniform(0.9, 95.0), 2),
                      rng.choice(_T_BRANDS), rng.choice(_T_CATEGORIES[category]), category,
                      rng.choice(["oughtn st", "ableeing", "antiese", "callyought"])])
    addresses: Rows = []
    customers: Rows = []
    for n in range(1, 1201):
        state, city = rng.choice(_T_STATES)
        addresses.append([n, _sk_id(rng), city, "Williamson County", state, f"{rng.randint(10000, 99999)}",
                          "United States"])
        customers.append([n, _sk_id(rng), rng.randint(1, 1200) if rng.random() < 0.97 else None,
                          rng.choice(["Emma", "Liam", "James", "Mary", "Linda", "Robert", "Susan"]),
                          rng.choice(["Smith", "Brown", "Jones", "Miller", "Davis"]),
                          "Y" if rng.random() < 0.5 else "N", rng.randint(1930, 1992),
                          rng.choice(["UNITED STATES", "CANADA", "MEXICO", "GERMANY", "JAPAN"]), f"c{n}@example.com"])
    stores = [[n, _sk_id(rng), name, state, city, rng.randint(200, 300), rng.randint(5000000, 9000000)]
              for n, (name, (state, city)) in enumerate(zip(["ought", "able", "pri", "ese", "anti", "cally"],
                                                             rng.sample(_T_STATES, 6), strict=True), start=1)]
    promotions = [[n, _sk_id(rng), f"promo {rng.choice(['ation', 'eing', 'ought', 'bar', 'cally'])} {n}",
                   round(rng.uniform(100, 1000), 2), "Y" if rng.random() < 0.4 else "N",
                   "Y" if rng.random() < 0.3 else "N", "N"] for n in range(1, 31)]
    sales: Rows = []
    ticket = 1
    weights = [rng.paretovariate(1.4) for _ in items]
    while len(sales) < 40000:
        offset = rng.randint(0, 1825)  # 1998-01-01 .. 2002-12-31
        customer = rng.randint(1, 1200) if rng.random() < 0.96 else None
        store = rng.choices(range(1, 7), [30, 20, 15, 15, 10, 10])[0]
        promo = rng.randint(1, 30) if rng.random() < 0.3 else None
        for item in rng.choices(items, weights, k=rng.randint(1, 14)):
            quantity = rng.randint(1, 100)
            listed = round(item[3] * rng.uniform(1.0, 1.6), 2)
            price = round(listed * rng.uniform(0.4, 1.0), 2)
            ext = round(price * quantity, 2)
            coupon = round(ext * rng.uniform(0.05, 0.2), 2) if promo and rng.random() < 0.3 else 0.0
            paid = round(ext - coupon, 2)
            cost = round(item[3] * 0.7 * quantity, 2)
            sales.append([dates[offset][0], 28800 + rng.randint(0, 43199), item[0], customer, store, promo, ticket,
                          quantity, listed, price, ext, coupon, paid, round(paid - cost, 2)])
        ticket += 1
    return [
        ("date_dim", "d_date_sk INTEGER, d_date_id VARCHAR, d_date DATE, d_week_seq INTEGER, d_year INTEGER, "
         "d_moy INTEGER, d_dom INTEGER, d_qoy INTEGER, d_day_name VARCHAR, d_weekend VARCHAR", dates),
        ("item", "i_item_sk INTEGER, i_item_id VARCHAR, i_item_desc VARCHAR, i_current_price DECIMAL(7,2), "
         "i_brand VARCHAR, i_class VARCHAR, i_category VARCHAR, i_manufact VARCHAR", items),
        ("customer_address", "ca_address_sk INTEGER, ca_address_id VARCHAR, ca_city VARCHAR, ca_county VARCHAR, "
         "ca_state VARCHAR, ca_zip VARCHAR, ca_country VARCHAR", addresses),
        ("customer", "c_customer_sk INTEGER, c_customer_id VARCHAR, c_current_addr_sk INTEGER, c_first_name VARCHAR, "
         "c_last_name VARCHAR, c_preferred_cust_flag VARCHAR, c_birth_year INTEGER, c_birth_country VARCHAR, "
         "c_email_address VARCHAR", customers),
        ("store", "s_store_sk INTEGER, s_store_id VARCHAR, s_store_name VARCHAR, s_state VARCHAR, s_city VARCHAR, "
         "s_number_employees INTEGER, s_floor_space INTEGER", stores),
        ("promotion", "p_promo_sk INTEGER, p_promo_id VARCHAR, p_promo_name VARCHAR, p_cost DECIMAL(15,2), "
         "p_channel_email VARCHAR, p_channel_tv VARCHAR, p_discount_active VARCHAR", promotions),
        ("store_sales", "ss_sold_date_sk INTEGER, ss_sold_time_sk INTEGER, ss_item_sk INTEGER, ss_customer_sk INTEGER, "
         "ss_store_sk INTEGER, ss_promo_sk INTEGER, ss_ticket_number INTEGER, ss_quantity INTEGER, "
         "ss_list_price DECIMAL(7,2), ss_sales_price DECIMAL(7,2), ss_ext_sales_price DECIMAL(7,2), "
         "ss_coupon_amt DECIMAL(7,2), ss_net_paid DECIMAL(7,2), ss_net_profit DECIMAL(7,2)", sales),
    ]


def build_duckdb(name: str, folder: str | Path) -> Path:
    """Write DuckDB database ``name`` (one of ``DUCKDB``) into ``folder``; same every time."""
    import duckdb
    import pandas as pd

    file_name, make = DUCKDB[name]
    target = Path(folder) / file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as connection:
        for table, columns, rows in make(random.Random(7)):
            connection.execute(f"CREATE TABLE {table} ({columns})")
            frame = pd.DataFrame(rows, columns=[c.split()[0] for c in columns.split(", ")])  # noqa: F841
            connection.execute(f"INSERT INTO {table} SELECT * FROM frame")
    return target


DUCKDB = {"tpcds": ("tpcds.duckdb", _tpcds)}
