"""Deterministic test warehouses in the shapes users bring (not the demo's).

* ``retail``: an Online-Retail-like sales mart: customers, invoices and invoice lines with
  text ids ('536365', 'C536366' for cancellations, '85123A'), no line key (the key is
  composite), ``country`` on both customers and invoices, data ending 2011-12-09.
* ``insurance``: a normalised CRM/insurance schema, 18 tables with Mixed Case names and
  spaces ("Policy Holder", "Claim Amount", "Order", a table called "Group" keyed "ID"), text
  policy numbers, shared key names, a one-to-one extension ("Policy Detail") and a foreign
  key named unlike its parent ("Claim"."Insured Party").
* ``star``: a star schema: fact_sales with integer date keys into dim_date.
* ``marketplace``: an Olist-like marketplace export: orders with text ids and timestamps,
  order items with a price and no quantity (one row per item sold), payments several to an
  order (composite key), reviews, products, sellers with a city and state of their own, and
  customers with no date at all.
* ``saas``: a product's exports: subscriptions keyed by user with a signup date, an event
  log (login, export, invite, upgrade) whose timestamps all differ, invoices with a status.
* ``ads``: one flat ad-performance export (a day × campaign × country × device row with
  impressions, clicks, cost, conversions and conversion value), the file a marketer
  downloads from an ads manager; names with spaces and capitals.

``build(name, path)`` writes one as a DuckDB file; the eval case files beside this module
(``eval/byodata/<name>/``) hold hand-written gold SQL over the tables' real names.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

Rows = list[tuple[Any, ...]]


def build(name: str, path: str | Path) -> Path:
    """Write warehouse ``name`` (retail, insurance, star, marketplace, ads, saas) to ``path``; same every time."""
    target = Path(path)
    target.unlink(missing_ok=True)
    connection = duckdb.connect(str(target))
    try:
        BUILDERS[name](connection, random.Random(7))
    finally:
        connection.close()
    return target


def _table(connection: duckdb.DuckDBPyConnection, name: str, columns: list[tuple[str, str]], rows: Rows) -> None:
    quoted = ", ".join(f'"{c}" {t}' for c, t in columns)
    connection.execute(f'CREATE TABLE "{name}" ({quoted})')
    if rows:
        import pandas as pd

        frame = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(columns))], dtype=object)
        connection.register("incoming", frame)
        connection.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')
        connection.unregister("incoming")


# --- retail -----------------------------------------------------------------------------------

COUNTRIES = [("United Kingdom", 60), ("Germany", 9), ("France", 8), ("EIRE", 7), ("Spain", 5),
             ("Netherlands", 4), ("Belgium", 4), ("Switzerland", 3)]
PRODUCTS = [("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 2.55), ("71053", "WHITE METAL LANTERN", 3.39),
            ("84406B", "CREAM CUPID HEARTS COAT HANGER", 2.75), ("84029G", "KNITTED UNION FLAG HOT WATER BOTTLE", 3.39),
            ("22752", "SET 7 BABUSHKA NESTING BOXES", 7.65), ("21730", "GLASS STAR FROSTED T-LIGHT HOLDER", 4.25),
            ("22633", "HAND WARMER UNION JACK", 1.85), ("22632", "HAND WARMER RED POLKA DOT", 1.85),
            ("84879", "ASSORTED COLOUR BIRD ORNAMENT", 1.69), ("22745", "POPPY'S PLAYHOUSE BEDROOM", 2.10),
            ("22748", "POPPY'S PLAYHOUSE KITCHEN", 2.10), ("22749", "FELTCRAFT PRINCESS CHARLOTTE DOLL", 3.75),
            ("22310", "IVORY KNITTED MUG COSY", 1.65), ("84969", "BOX OF 6 ASSORTED COLOUR TEASPOONS", 4.25),
            ("22623", "BOX OF VINTAGE JIGSAW BLOCKS", 4.95), ("22622", "BOX OF VINTAGE ALPHABET BLOCKS", 9.95),
            ("21754", "HOME BUILDING BLOCK WORD", 5.95), ("21755", "LOVE BUILDING BLOCK WORD", 5.95),
            ("21777", "RECIPE BOX WITH METAL HEART", 7.95), ("48187", "DOORMAT NEW ENGLAND", 7.95),
            ("22960", "JAM MAKING SET WITH JARS", 4.25), ("22913", "RED COAT RACK PARIS FASHION", 4.95),
            ("22912", "YELLOW COAT RACK PARIS FASHION", 4.95), ("22914", "BLUE COAT RACK PARIS FASHION", 4.95)]


def _retail(connection: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    countries = [c for c, _ in COUNTRIES]
    weights = [w for _, w in COUNTRIES]
    customers = [(f"{12346 + i}", rng.choices(countries, weights)[0]) for i in range(400)]
    _table(connection, "customers", [("customer_id", "VARCHAR"), ("country", "VARCHAR")], customers)
    start, days = datetime(2010, 12, 1, 8, 0), (date(2011, 12, 9) - date(2010, 12, 1)).days
    invoices: Rows = []
    lines: Rows = []
    for i in range(2500):
        cancelled = rng.random() < 0.03
        number = f"{'C' if cancelled else ''}{536365 + i}"
        day = min(days, int(days * (i / 2500) + rng.random() * 3))
        when = start + timedelta(days=day, minutes=rng.randrange(0, 600))
        customer = None if rng.random() < 0.05 else rng.choice(customers)
        country = customer[1] if customer else rng.choices(countries, weights)[0]
        invoices.append((number, when, customer[0] if customer else None, country))
        for code, description, price in rng.sample(PRODUCTS, rng.randint(1, 6)):
            quantity = rng.choice([1, 2, 3, 4, 6, 8, 12, 24])
            lines.append((number, code, description, -quantity if cancelled else quantity, price))
    _table(connection, "invoices", [("invoice_no", "VARCHAR"), ("invoice_date", "TIMESTAMP"),
                                    ("customer_id", "VARCHAR"), ("country", "VARCHAR")], invoices)
    _table(connection, "invoice_lines", [("invoice_no", "VARCHAR"), ("stock_code", "VARCHAR"),
                                         ("description", "VARCHAR"), ("quantity", "INTEGER"),
                                         ("unit_price", "DECIMAL(10,2)")], lines)


# --- insurance --------------------------------------------------------------------------------

REGIONS = ["North", "South", "East", "West", "Central"]
PRODUCT_LINES = ["Auto", "Home", "Life", "Health", "Travel"]
CAUSES = ["Collision", "Theft", "Fire", "Water Damage", "Illness", "Storm"]


def _insurance(connection: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    t = _table
    t(connection, "Region", [("Region ID", "INTEGER"), ("Region Name", "VARCHAR")],
      [(i + 1, r) for i, r in enumerate(REGIONS)])
    t(connection, "Agency", [("Agency ID", "INTEGER"), ("Agency Name", "VARCHAR"), ("Region ID", "INTEGER")],
      [(i + 1, f"Agency {chr(65 + i)}", i % 5 + 1) for i in range(8)])
    t(connection, "Agent", [("Agent ID", "INTEGER"), ("Agent Name", "VARCHAR"), ("Agency ID", "INTEGER"),
                            ("Hire Date", "DATE")],
      [(i + 1, f"Agent {i + 1:02d}", rng.randint(1, 8), date(2015, 1, 1) + timedelta(days=rng.randrange(2500)))
       for i in range(30)])
    t(connection, "Product Line", [("Product Line ID", "INTEGER"), ("Product Line Name", "VARCHAR")],
      [(i + 1, p) for i, p in enumerate(PRODUCT_LINES)])
    types = [(1, "Auto Basic", 1), (2, "Auto Premium", 1), (3, "Home Standard", 2), (4, "Home Plus", 2),
             (5, "Term Life", 3), (6, "Whole Life", 3), (7, "Health Family", 4), (8, "Travel Annual", 5)]
    t(connection, "Policy Type", [("Policy Type ID", "INTEGER"), ("Policy Type Name", "VARCHAR"),
                                  ("Product Line ID", "INTEGER")], types)
    t(connection, "Group", [("ID", "INTEGER"), ("Name", "VARCHAR")],  # a reserved word, keyed 'ID'
      [(i + 1, g) for i, g in enumerate(["Individual", "Family", "Corporate"])])
    customers = []
    for i in range(600):
        gender = rng.choice(["Female", "Male"])
        customers.append((f"CU{i + 1:05d}", f"Name{i}", f"Surname{i % 97}", gender,
                          date(1950, 1, 1) + timedelta(days=rng.randrange(18000)), rng.randint(1, 5),
                          f"user{i}@example.com", rng.randint(1, 3)))
    t(connection, "Policy Holder", [("Customer ID", "VARCHAR"), ("First Name", "VARCHAR"), ("Last Name", "VARCHAR"),
                                    ("Gender", "VARCHAR"), ("Date Of Birth", "DATE"), ("Region ID", "INTEGER"),
                                    ("Email", "VARCHAR"), ("Group ID", "INTEGER")], customers)
    policies = []
    for i in range(1500):
        kind = rng.choice(types)
        started = date(2022, 1, 1) + timedelta(days=rng.randrange(1080))
        premium = round(rng.uniform(200, 3000) * (1.5 if kind[2] == 3 else 1), 2)
        policies.append((f"POL-{100000 + i}", rng.choice(customers)[0], rng.randint(1, 30), kind[0], started,
                         started + timedelta(days=365), premium,
                         rng.choices(["Active", "Lapsed", "Cancelled"], [70, 20, 10])[0],
                         rng.choice(["Monthly", "Quarterly", "Annual"])))
    t(connection, "Policy", [("Policy Number", "VARCHAR"), ("Customer ID", "VARCHAR"), ("Agent ID", "INTEGER"),
                             ("Policy Type ID", "INTEGER"), ("Start Date", "DATE"), ("End Date", "DATE"),
                             ("Annual Premium", "DECIMAL(12,2)"), ("Policy Status", "VARCHAR"),
                             ("Payment Frequency", "VARCHAR")], policies)
    t(connection, "Policy Detail", [("Policy Number", "VARCHAR"), ("Sales Channel", "VARCHAR"),
                                    ("Renewal Count", "INTEGER")],  # one row per policy
      [(p[0], rng.choice(["Online", "Branch", "Broker"]), rng.randint(0, 5)) for p in policies])
    autos = [p for p in policies if p[3] in (1, 2)]
    t(connection, "Vehicle", [("Vehicle ID", "INTEGER"), ("Policy Number", "VARCHAR"), ("Make", "VARCHAR"),
                              ("Model Year", "INTEGER"), ("Vehicle Value", "DECIMAL(12,2)")],
      [(i + 1, p[0], rng.choice(["Toyota", "Ford", "BMW", "Honda", "Tesla"]), rng.randint(2008, 2024),
        round(rng.uniform(5000, 60000), 2)) for i, p in enumerate(autos)])
    coverages = ["Liability", "Collision", "Comprehensive", "Fire", "Flood", "Accident"]
    t(connection, "Coverage", [("Coverage ID", "INTEGER"), ("Coverage Name", "VARCHAR"), ("Order", "INTEGER")],
      [(i + 1, c, i + 1) for i, c in enumerate(coverages)])
    pc = [(p[0], c, round(rng.uniform(10000, 200000), -3), rng.choice([250, 500, 1000]))
          for p in policies for c in rng.sample(range(1, 7), rng.randint(1, 3))]
    t(connection, "Policy Coverage", [("Policy Number", "VARCHAR"), ("Coverage ID", "INTEGER"),
                                      ("Coverage Limit", "DECIMAL(12,2)"), ("Deductible", "INTEGER")], pc)
    t(connection, "Claim Status", [("Claim Status ID", "INTEGER"), ("Status Name", "VARCHAR")],
      [(1, "Open"), (2, "Approved"), (3, "Rejected"), (4, "Paid")])
    t(connection, "Adjuster", [("Adjuster ID", "INTEGER"), ("Adjuster Name", "VARCHAR"), ("Office", "VARCHAR")],
      [(i + 1, f"Adjuster {i + 1}", rng.choice(["Head Office", "Branch"])) for i in range(12)])
    claims = []
    for i in range(1200):
        policy = rng.choice(policies)
        when = policy[4] + timedelta(days=rng.randrange(365))
        claims.append((i + 1, policy[0], min(when, date(2024, 12, 31)), round(rng.uniform(100, 20000), 2),
                       rng.choices([1, 2, 3, 4], [15, 25, 15, 45])[0], rng.randint(1, 12), rng.choice(CAUSES),
                       policy[1]))
    t(connection, "Claim", [("Claim ID", "INTEGER"), ("Policy Number", "VARCHAR"), ("Claim Date", "DATE"),
                            ("Claim Amount", "DECIMAL(12,2)"), ("Claim Status ID", "INTEGER"),
                            ("Adjuster ID", "INTEGER"), ("Cause", "VARCHAR"),
                            ("Insured Party", "VARCHAR")], claims)  # the holder, named otherwise
    methods = ["Bank Transfer", "Credit Card", "Cheque"]
    t(connection, "Payment Method", [("Payment Method ID", "INTEGER"), ("Method Name", "VARCHAR")],
      [(i + 1, m) for i, m in enumerate(methods)])
    paid = [c for c in claims if c[4] == 4]
    t(connection, "Claim Payment", [("Payment ID", "INTEGER"), ("Claim ID", "INTEGER"), ("Payment Date", "DATE"),
                                    ("Paid Amount", "DECIMAL(12,2)"), ("Payment Method ID", "INTEGER")],
      [(i + 1, c[0], c[2] + timedelta(days=rng.randint(5, 40)), round(float(c[3]) * rng.uniform(0.6, 1.0), 2),
        rng.randint(1, 3)) for i, c in enumerate(paid)])
    premiums: Rows = []
    for policy in policies:
        for k in range(rng.randint(1, 4)):
            due = policy[4] + timedelta(days=90 * k)
            premiums.append((len(premiums) + 1, policy[0], due, round(float(policy[6]) / 4, 2), rng.randint(1, 3)))
    t(connection, "Premium Payment", [("Premium Payment ID", "INTEGER"), ("Policy Number", "VARCHAR"),
                                      ("Due Date", "DATE"), ("Amount", "DECIMAL(12,2)"),
                                      ("Payment Method ID", "INTEGER")], premiums)


# --- star -------------------------------------------------------------------------------------

def _star(connection: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    first = date(2023, 1, 1)
    dates = [first + timedelta(days=i) for i in range(730)]
    _table(connection, "dim_date", [("date_key", "INTEGER"), ("full_date", "DATE"), ("year", "INTEGER"),
                                    ("month", "INTEGER"), ("quarter", "INTEGER")],
           [(int(d.strftime("%Y%m%d")), d, d.year, d.month, (d.month - 1) // 3 + 1) for d in dates])
    categories = {"Beverages": ["Cola", "Green Tea", "Orange Juice", "Mineral Water"],
                  "Snacks": ["Potato Chips", "Pretzels", "Chocolate Bar"],
                  "Dairy": ["Milk", "Yogurt", "Cheese"], "Household": ["Detergent", "Paper Towels"]}
    products = [(i + 1, name, cat, rng.choice(["Acme", "Globex", "Initech"]))
                for i, (cat, name) in enumerate((c, n) for c, names in categories.items() for n in names)]
    _table(connection, "dim_product", [("product_key", "INTEGER"), ("product_name", "VARCHAR"),
                                       ("category", "VARCHAR"), ("brand", "VARCHAR")], products)
    stores = [(i + 1, f"Store {i + 1}", city, region, rng.choice(["Mall", "Street"]))
              for i, (city, region) in enumerate([("Berlin", "North"), ("Hamburg", "North"), ("Munich", "South"),
                                                  ("Stuttgart", "South"), ("Cologne", "West"), ("Leipzig", "East")])]
    _table(connection, "dim_store", [("store_key", "INTEGER"), ("store_name", "VARCHAR"), ("city", "VARCHAR"),
                                     ("region", "VARCHAR"), ("store_type", "VARCHAR")], stores)
    customers = [(i + 1, rng.choice(["F", "M"]), rng.choice(["18-29", "30-44", "45-59", "60+"]),
                  rng.choice(["Bronze", "Silver", "Gold"])) for i in range(300)]
    _table(connection, "dim_customer", [("customer_key", "INTEGER"), ("gender", "VARCHAR"),
                                        ("age_band", "VARCHAR"), ("loyalty_tier", "VARCHAR")], customers)
    facts = []
    for i in range(6000):
        product = rng.choice(products)
        quantity = rng.randint(1, 10)
        amount = round(quantity * rng.uniform(0.8, 6.0), 2)
        facts.append((i + 1, int(rng.choice(dates).strftime("%Y%m%d")), product[0], rng.choice(stores)[0],
                      rng.choice(customers)[0], quantity, amount, round(amount * rng.choice([0, 0, 0.1]), 2)))
    _table(connection, "fact_sales", [("sales_id", "INTEGER"), ("date_key", "INTEGER"), ("product_key", "INTEGER"),
                                      ("store_key", "INTEGER"), ("customer_key", "INTEGER"), ("quantity", "INTEGER"),
                                      ("sales_amount", "DECIMAL(12,2)"), ("discount_amount", "DECIMAL(12,2)")], facts)


def _marketplace(connection: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    states = {"SP": ["sao paulo", "campinas", "santos"], "RJ": ["rio de janeiro", "niteroi"],
              "MG": ["belo horizonte", "uberlandia"], "PR": ["curitiba", "londrina"], "BA": ["salvador"]}
    places = [(state, city) for state, cities in states.items() for city in cities]
    customers = []
    for i in range(1500):
        state, city = rng.choice(places)
        customers.append((f"c{i:05d}", f"u{rng.randint(0, 1399):05d}", city, state))
    _table(connection, "customers", [("customer_id", "VARCHAR"), ("customer_unique_id", "VARCHAR"),
                                     ("customer_city", "VARCHAR"), ("customer_state", "VARCHAR")], customers)
    sellers = []
    for i in range(60):
        state, city = rng.choice(places)
        sellers.append((f"s{i:04d}", city, state))
    _table(connection, "sellers", [("seller_id", "VARCHAR"), ("seller_city", "VARCHAR"), ("seller_state", "VARCHAR")],
           sellers)
    categories = ["bed_bath_table", "health_beauty", "sports_leisure", "computers_accessories", "furniture_decor",
                  "watches_gifts", "toys"]
    products = [(f"p{i:04d}", rng.choice(categories), rng.randint(50, 5000)) for i in range(250)]
    _table(connection, "products", [("product_id", "VARCHAR"), ("product_category_name", "VARCHAR"),
                                    ("product_weight_g", "INTEGER")], products)
    start = datetime(2017, 1, 1)
    orders, items, payments, reviews = [], [], [], []
    for i in range(4000):
        order_id = f"o{i:06d}"
        bought = start + timedelta(seconds=rng.randint(0, 607 * 86400))
        status = rng.choices(["delivered", "shipped", "canceled"], [90, 7, 3])[0]
        delivered = bought + timedelta(days=rng.randint(2, 30)) if status == "delivered" else None
        orders.append((order_id, rng.choice(customers)[0], status, bought, delivered))
        total = 0.0
        for line in range(rng.choice([1, 1, 1, 2, 3])):
            price, freight = round(rng.uniform(10, 400), 2), round(rng.uniform(5, 40), 2)
            items.append((order_id, line + 1, rng.choice(products)[0], rng.choice(sellers)[0], price, freight))
            total += price + freight
        parts = [round(total, 2)] if rng.random() < 0.9 else [round(total * 0.7, 2), round(total - round(total * 0.7, 2), 2)]
        for sequence, value in enumerate(parts, start=1):
            kind = rng.choices(["credit_card", "boleto", "voucher", "debit_card"], [70, 20, 6, 4])[0]
            payments.append((order_id, sequence, kind, rng.randint(1, 10) if kind == "credit_card" else 1, value))
        if status != "canceled" and rng.random() < 0.8:
            reviews.append((f"r{i:06d}", order_id, rng.choices([1, 2, 3, 4, 5], [10, 5, 10, 25, 50])[0],
                            (delivered or bought) + timedelta(days=1)))
    _table(connection, "orders", [("order_id", "VARCHAR"), ("customer_id", "VARCHAR"), ("order_status", "VARCHAR"),
                                  ("order_purchase_timestamp", "TIMESTAMP"),
                                  ("order_delivered_customer_date", "TIMESTAMP")], orders)
    _table(connection, "order_items", [("order_id", "VARCHAR"), ("order_item_id", "INTEGER"),
                                       ("product_id", "VARCHAR"), ("seller_id", "VARCHAR"), ("price", "DOUBLE"),
                                       ("freight_value", "DOUBLE")], items)
    _table(connection, "order_payments", [("order_id", "VARCHAR"), ("payment_sequential", "INTEGER"),
                                          ("payment_type", "VARCHAR"), ("payment_installments", "INTEGER"),
                                          ("payment_value", "DOUBLE")], payments)
    _table(connection, "order_reviews", [("review_id", "VARCHAR"), ("order_id", "VARCHAR"), ("review_score", "INTEGER"),
                                         ("review_creation_date", "TIMESTAMP")], reviews)


def _ads(connection: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    campaigns = [("Spring Sale", "Facebook"), ("Brand Search", "Google Ads"), ("Retargeting", "Facebook"),
                 ("Summer Promo", "TikTok"), ("Newsletter", "Email"), ("Generic Search", "Google Ads")]
    rows = []
    for offset in range(334):
        day = date(2025, 1, 1) + timedelta(days=offset)
        for campaign, channel in campaigns:
            impressions = rng.randint(1000, 20000)
            clicks = int(impressions * rng.uniform(0.005, 0.05))
            conversions = int(clicks * rng.uniform(0.01, 0.1))
            rows.append((day, campaign, channel, rng.choice(["US", "UK", "DE"]), rng.choice(["mobile", "desktop"]),
                         impressions, clicks, round(clicks * rng.uniform(0.3, 2.0), 2), conversions,
                         round(conversions * rng.uniform(20, 120), 2)))
    _table(connection, "ads_performance", [("Date", "DATE"), ("Campaign Name", "VARCHAR"), ("Channel", "VARCHAR"),
                                           ("Country", "VARCHAR"), ("Device", "VARCHAR"), ("Impressions", "INTEGER"),
                                           ("Clicks", "INTEGER"), ("Cost", "DOUBLE"), ("Conversions", "INTEGER"),
                                           ("Conversion Value", "DOUBLE")], rows)


def _saas(connection: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    plans = [("Free", 0.0), ("Pro", 29.0), ("Team", 99.0), ("Enterprise", 499.0)]
    users = []
    for uid in range(1, 801):
        plan, mrr = rng.choice(plans)
        users.append((uid, plan, date(2024, 1, 1) + timedelta(days=rng.randint(0, 545)),
                      rng.choice(["US", "UK", "DE", "FR", "JP"]), rng.choice(["google", "facebook", "referral", "direct"]),
                      mrr))
    _table(connection, "subscriptions", [("user_id", "INTEGER"), ("plan", "VARCHAR"), ("signup_date", "DATE"),
                                         ("country", "VARCHAR"), ("signup_source", "VARCHAR"), ("mrr", "DOUBLE")], users)
    events, seen = [], set()
    for event in range(1, 12001):
        owner = rng.choice(users)
        moment = datetime(2024, 1, 1) + timedelta(seconds=rng.randint(0, 545 * 86400))
        while moment in seen:
            moment += timedelta(seconds=1)
        seen.add(moment)
        events.append((event, owner[0], rng.choices(["login", "export", "invite", "upgrade"], [70, 15, 10, 5])[0],
                       moment, rng.choice(["web", "ios", "android"])))
    _table(connection, "events", [("event_id", "INTEGER"), ("user_id", "INTEGER"), ("event_type", "VARCHAR"),
                                  ("event_time", "TIMESTAMP"), ("platform", "VARCHAR")], events)
    paying = [u for u in users if u[5] > 0]
    invoices = [(invoice, user[0], date(2024, 1, 15) + timedelta(days=rng.randint(0, 530)), user[5],
                 rng.choices(["paid", "failed", "refunded"], [88, 9, 3])[0])
                for invoice, user in ((i, rng.choice(paying)) for i in range(1, 3001))]
    _table(connection, "invoices", [("invoice_id", "INTEGER"), ("user_id", "INTEGER"), ("invoice_date", "DATE"),
                                    ("amount", "DOUBLE"), ("status", "VARCHAR")], invoices)


BUILDERS: dict[str, Callable[[duckdb.DuckDBPyConnection, random.Random], None]] = {
    "retail": _retail, "insurance": _insurance, "star": _star, "marketplace": _marketplace, "ads": _ads,
    "saas": _saas,
}
