"""Lookalikes of five more public marketing / e-commerce datasets nobody tuned genbi for (round
byo11), written as they are downloaded (values generated with fixed seeds; nothing copied).

Each generator writes its file (or folder) and returns ``(path, clean)``: what the user passes to
``--db`` and the clean values as DataFrames, so the expected answers are computed in pandas,
independently of genbi.

* ``instacart``: Kaggle's "Instacart Market Basket Analysis", a folder of five CSVs:
  ``orders.csv`` (order_id, user_id, eval_set prior/train/test, order_number, order_dow 0-6,
  order_hour_of_day, days_since_prior_order a float, empty on a user's first order) with NO
  calendar date, ``order_products__prior.csv`` (order_id, product_id, add_to_cart_order,
  reordered 0/1; the prior orders' lines only), ``products.csv`` (product_id, product_name,
  aisle_id, department_id; some names quoted with commas), ``aisles.csv``, ``departments.csv``.
  No price anywhere.
* ``superstore``: Tableau's "Sample - Superstore.csv" (Windows-1252): Row ID, Order ID
  'CA-2016-152156', Order Date / Ship Date as m/d/yyyy, Ship Mode, Customer ID 'CG-12520',
  Customer Name, Segment, Country, City, State, Postal Code, Region, Product ID, Category,
  Sub-Category, Product Name, Sales, Quantity, Discount (0-0.8), Profit (negative when discounted).
* ``shopify``: a Shopify "orders_export_1.csv": one row per line item, ``Name`` '#1001' and
  ``Email`` / ``Created at`` on every row, the order-level fields (Financial Status paid /
  partially_refunded / refunded / pending / voided, Paid at, Fulfillment Status, Currency,
  Subtotal, Shipping, Taxes, Total, Discount Code, Discount Amount, Shipping Country ...) blank
  on the 2nd+ rows; ``Created at`` with its UTC offset '2024-03-01 10:15:00 +0800'.
* ``douyin``: a 抖店 (Douyin shop) order export, GBK encoded: one row per 子订单 (a main order's
  sku line), ``主订单编号`` / ``子订单编号`` written after a tab so Excel keeps the 19 digits,
  选购商品, 商品数量, 商品单价, 商品金额, 运费, 优惠总金额, 订单应付金额 (the sub-order's payable),
  订单提交时间, 达人昵称, 流量来源 短视频/直播/商品卡, 订单状态 已完成/已发货/待发货/已关闭, 省, 市.
  No buyer id (the export masks the buyer).
* ``rossmann``: Kaggle's "Rossmann Store Sales", a folder: ``train.csv`` (Store, DayOfWeek 1-7,
  Date yyyy-mm-dd, Sales, Customers, Open 0/1 (a closed day has 0 sales), Promo, StateHoliday
  '0'/'a'/'b'/'c', SchoolHoliday) and ``store.csv`` (Store, StoreType a-d, Assortment a-c,
  CompetitionDistance with blanks, Promo2, PromoInterval 'Jan,Apr,Jul,Oct' quoted ...).
"""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

Clean = dict[str, pd.DataFrame]


# --- Instacart Market Basket (no dates, no prices) ---------------------------------------------

IC_DEPARTMENTS = ["frozen", "bakery", "produce", "alcohol", "beverages", "pets", "dry goods pasta", "personal care",
                  "meat seafood", "pantry", "breakfast", "dairy eggs", "household", "babies", "snacks", "deli"]
IC_DEPT_WEIGHT = [8, 4, 29, 1, 8, 1, 3, 2, 2, 6, 2, 17, 2, 1, 9, 5]
IC_AISLES = [("fresh fruits", "produce"), ("fresh vegetables", "produce"), ("packaged vegetables fruits", "produce"),
             ("yogurt", "dairy eggs"), ("milk", "dairy eggs"), ("packaged cheese", "dairy eggs"), ("eggs", "dairy eggs"),
             ("chips pretzels", "snacks"), ("cookies cakes", "snacks"), ("water seltzer sparkling water", "beverages"),
             ("soft drinks", "beverages"), ("frozen meals", "frozen"), ("ice cream ice", "frozen"), ("bread", "bakery"),
             ("beer coolers", "alcohol"), ("cat food care", "pets"), ("dry pasta", "dry goods pasta"),
             ("oral hygiene", "personal care"), ("poultry counter", "meat seafood"), ("baking ingredients", "pantry"),
             ("spices seasonings", "pantry"), ("cereal", "breakfast"), ("paper goods", "household"),
             ("diapers wipes", "babies"), ("prepared meals", "deli"), ("lunch meat", "deli")]
IC_WORDS = ["Organic", "Banana", "Strawberries", "Baby Spinach", "Hass Avocado", "Whole Milk", "Greek Yogurt",
            "Sparkling Water", "Large Lemon", "Cheddar", "Sea Salt", "Chocolate Chip", "Vanilla", "Honeycrisp Apple",
            "Free Range", "Sourdough", "Unsweetened", "Low Fat", "Gluten Free", "Original"]


def instacart(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1101)
    departments = pd.DataFrame({"department_id": range(1, len(IC_DEPARTMENTS) + 1), "department": IC_DEPARTMENTS})
    dept_id = {d: i for i, d in zip(departments["department_id"], departments["department"], strict=True)}
    aisles = pd.DataFrame({"aisle_id": range(1, len(IC_AISLES) + 1), "aisle": [a for a, _ in IC_AISLES]})
    products = []
    for pid in range(1, 241):
        aisle_id = rng.randint(1, len(IC_AISLES))
        name = " ".join(rng.sample(IC_WORDS, rng.randint(2, 3)))
        if rng.random() < 0.08:
            name += ", Family Size"
        products.append({"product_id": pid, "product_name": f"{name} {pid}", "aisle_id": aisle_id,
                         "department_id": dept_id[IC_AISLES[aisle_id - 1][1]]})
    products_frame = pd.DataFrame(products)
    popularity = [rng.paretovariate(1.3) for _ in products]
    orders, lines = [], []
    order_id = 2_539_000
    for user in range(1, 261):
        count = rng.randint(4, 18)
        for number in range(1, count + 1):
            order_id += rng.randint(1, 40)
            eval_set = "prior" if number < count else rng.choice(["train", "test"])
            orders.append({"order_id": order_id, "user_id": user, "eval_set": eval_set, "order_number": number,
                           "order_dow": rng.choices(range(7), [19, 17, 13, 12, 12, 13, 14])[0],
                           "order_hour_of_day": rng.choices(range(24), [1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 8, 8, 8,
                                                                        8, 7, 6, 5, 4, 3, 2, 2, 1])[0],
                           "days_since_prior_order": None if number == 1 else float(rng.choice(
                               [*range(1, 31), 7, 7, 30, 30, 30]))})
            if eval_set != "prior":
                continue
            seen: set[int] = set()
            for cart in range(1, rng.randint(2, 16) + 1):
                pid = rng.choices(range(1, len(products) + 1), popularity)[0]
                lines.append({"order_id": order_id, "product_id": pid, "add_to_cart_order": cart,
                              "reordered": int(number > 1 and rng.random() < 0.6)})
                seen.add(pid)
    orders_frame = pd.DataFrame(orders)
    lines_frame = pd.DataFrame(lines)
    target = folder / "instacart"
    target.mkdir(parents=True, exist_ok=True)
    out = orders_frame.copy()
    out["days_since_prior_order"] = out["days_since_prior_order"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}")
    out.to_csv(target / "orders.csv", index=False)
    lines_frame.to_csv(target / "order_products__prior.csv", index=False)
    products_frame.to_csv(target / "products.csv", index=False)
    aisles.to_csv(target / "aisles.csv", index=False)
    departments.to_csv(target / "departments.csv", index=False)
    items = (lines_frame.merge(products_frame, on="product_id").merge(aisles, on="aisle_id")
             .merge(departments, on="department_id"))
    return target, {"orders": orders_frame, "lines": items, "products": products_frame}


# --- Tableau Sample - Superstore (Windows-1252, m/d/yyyy) ---------------------------------------

SS_PRODUCTS = [("Furniture", "Bookcases", "FUR-BO", ["Bush Somerset Collection Bookcase", "Sauder Classic Bookcase"], 260),
               ("Furniture", "Chairs", "FUR-CH", ["Hon Deluxe Fabric Upholstered Stacking Chairs", "Global Leather Task Chair"], 230),
               ("Furniture", "Tables", "FUR-TA", ["Bretford CR4500 Series Slim Rectangular Table", "Chromcraft Round Table"], 330),
               ("Furniture", "Furnishings", "FUR-FU", ["Eldon Expressions Wood Desk Accessories", "Howard Miller 13\u00bd\" Clock"], 40),
               ("Office Supplies", "Binders", "OFF-BI", ["Avery Non-Stick Binders", "GBC DocuBind TL300 Electric Binding System"], 60),
               ("Office Supplies", "Paper", "OFF-PA", ["Xerox 1967", "Easy-staple paper"], 20),
               ("Office Supplies", "Storage", "OFF-ST", ["Fellowes Super Stor/Drawer", "Eldon Fold \u2019N Roll Cart System"], 110),
               ("Office Supplies", "Art", "OFF-AR", ["Newell 322", "Boston Heavy-Duty Trimline Electric Pencil Sharpeners"], 15),
               ("Office Supplies", "Labels", "OFF-LA", ["Self-Adhesive Address Labels for Typewriters by Universal"], 12),
               ("Technology", "Phones", "TEC-PH", ["Mitel 5320IP Phone VoIP phone", "Apple iPhone\u00ae 5"], 300),
               ("Technology", "Accessories", "TEC-AC", ["Logitech Wireless Gaming Headset G930", "Memorex Micro Travel Drive 8 GB"], 120),
               ("Technology", "Machines", "TEC-MA", ["Cubify CubeX 3D Printer Double Head Print"], 600),
               ("Technology", "Copiers", "TEC-CO", ["Canon imageCLASS 2200 Advanced Copier"], 900)]
SS_PLACES = [("Henderson", "Kentucky", "42420", "South"), ("Los Angeles", "California", "90036", "West"),
             ("Fort Lauderdale", "Florida", "33311", "South"), ("New York City", "New York", "10024", "East"),
             ("Philadelphia", "Pennsylvania", "19140", "East"), ("Houston", "Texas", "77095", "Central"),
             ("Chicago", "Illinois", "60610", "Central"), ("Seattle", "Washington", "98103", "West"),
             ("San Francisco", "California", "94122", "West"), ("Columbus", "Ohio", "43229", "East")]
SS_MODES = [("Standard Class", 60, 4, 7), ("Second Class", 19, 2, 5), ("First Class", 15, 1, 3), ("Same Day", 6, 0, 0)]
SS_FIRST = ["Claire", "Darrin", "Sean", "Brosina", "Andrew", "Irene", "Harold", "Pete", "Alejandro", "Zuschuss"]
SS_LAST = ["Gute", "Van Huff", "O'Donnell", "Hoffman", "Allen", "Maddox", "Pawlan", "Kriz", "Grove", "Donatelli"]


def superstore(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1102)
    customers = []
    for i in range(180):
        first, last = rng.choice(SS_FIRST), rng.choice(SS_LAST)
        customers.append((f"{first[0]}{last[0]}-{10000 + 15 * i}", f"{first} {last}",
                          rng.choices(["Consumer", "Corporate", "Home Office"], [52, 30, 18])[0], rng.choice(SS_PLACES)))
    rows = []
    row_id = 1
    for _ in range(900):
        ordered = date(2014, 1, 3) + timedelta(days=rng.randint(0, 1455))
        mode, _w, low, high = rng.choices(SS_MODES, [m[1] for m in SS_MODES])[0]
        shipped = ordered + timedelta(days=rng.randint(low, high))
        cid, cname, segment, (city, state, postal, region) = rng.choice(customers)
        order_id = f"{rng.choice(['CA', 'US'])}-{ordered.year}-{rng.randint(100000, 169999)}"
        for _ in range(rng.randint(1, 5)):
            category, sub, prefix, names, base = rng.choice(SS_PRODUCTS)
            quantity = rng.randint(1, 9)
            discount = rng.choices([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8], [48, 4, 30, 3, 4, 3, 4, 4])[0]
            sales = round(base * rng.uniform(0.3, 1.6) * quantity * (1 - discount), 4)
            profit = round(sales * (rng.uniform(0.05, 0.4) - discount * rng.uniform(0.9, 1.5)), 4)
            rows.append({"Row ID": row_id, "Order ID": order_id, "Order Date": ordered, "Ship Date": shipped,
                         "Ship Mode": mode, "Customer ID": cid, "Customer Name": cname, "Segment": segment,
                         "Country": "United States", "City": city, "State": state, "Postal Code": postal,
                         "Region": region, "Product ID": f"{prefix}-{rng.randint(10000000, 10004999)}",
                         "Category": category, "Sub-Category": sub, "Product Name": rng.choice(names), "Sales": sales,
                         "Quantity": quantity, "Discount": discount, "Profit": profit})
            row_id += 1
    frame = pd.DataFrame(rows)
    out = frame.copy()
    for key in ("Order Date", "Ship Date"):
        out[key] = [f"{d.month}/{d.day}/{d.year}" for d in out[key]]
    path = folder / "Sample - Superstore.csv"
    out.to_csv(path, index=False, encoding="cp1252")
    for key in ("Order Date", "Ship Date"):
        frame[key] = pd.to_datetime(frame[key])
    return path, {"lines": frame}


# --- Shopify orders export (order fields on the first line item only) ---------------------------

SHOPIFY_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
                  "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
                  "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
                  "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
                  "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing City", "Billing Country",
                  "Shipping Name", "Shipping City", "Shipping Country", "Notes", "Cancelled at", "Payment Method",
                  "Refunded Amount", "Vendor", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Phone"]
SHOPIFY_ORDER_FIELDS = {"Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
                        "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount",
                        "Shipping Method", "Billing Name", "Billing City", "Billing Country", "Shipping Name",
                        "Shipping City", "Shipping Country", "Notes", "Cancelled at", "Payment Method",
                        "Refunded Amount", "Id", "Tags", "Risk Level", "Source", "Phone"}
SHOPIFY_ITEMS = [("Linen Shirt - S / Sand", "LS-S-SAND", 58.0), ("Linen Shirt - M / Sand", "LS-M-SAND", 58.0),
                 ("Wool Beanie - Charcoal", "WB-CH", 24.0), ("Canvas Tote", "CT-01", 32.0),
                 ("Organic Tee - M / White", "OT-M-WH", 29.0), ("Denim Jacket - L", "DJ-L", 128.0),
                 ("Gift Card", "", 50.0)]
SHOPIFY_PLACES = [("Singapore", "SG", 8), ("Kuala Lumpur", "MY", 4), ("Hong Kong", "HK", 5), ("Sydney", "AU", 3),
                  ("Los Angeles", "US", 3)]
SHOPIFY_STATUS = [("paid", 72), ("partially_refunded", 5), ("refunded", 8), ("pending", 9), ("voided", 6)]
SHOPIFY_KEPT = {"paid", "partially_refunded"}


def shopify(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1103)
    emails = [f"{rng.choice(['amy', 'ben', 'chen', 'dev', 'eli', 'fay', 'gus', 'hana'])}{i}@example.com" for i in range(150)]
    home = {e: rng.choices(SHOPIFY_PLACES, [p[2] for p in SHOPIFY_PLACES])[0] for e in emails}
    orders, lines = [], []
    for n in range(520):
        name = f"#{1001 + n}"
        local = datetime(2024, 1, 1) + timedelta(minutes=rng.randint(0, 60 * 24 * 181))
        if rng.random() < 0.12:  # early in the morning of a month's 1st: the month by the shop's clock
            local = local.replace(day=1, hour=rng.randint(0, 6))
        email = rng.choice(emails)
        city, country, _w = home[email]
        status = rng.choices([s for s, _ in SHOPIFY_STATUS], [w for _, w in SHOPIFY_STATUS])[0]
        items = [rng.choice(SHOPIFY_ITEMS) for _ in range(rng.choices([1, 2, 3, 4], [50, 30, 14, 6])[0])]
        quantities = [rng.choices([1, 2, 3], [75, 20, 5])[0] for _ in items]
        subtotal = round(sum(p * q for (_, _, p), q in zip(items, quantities, strict=True)), 2)
        code = rng.choice(["WELCOME10", "SPRING15", ""]) if rng.random() < 0.3 else ""
        discount = round(subtotal * (0.10 if code == "WELCOME10" else 0.15), 2) if code else 0.0
        shipping = 0.0 if subtotal - discount >= 100 else 8.0
        taxes = round((subtotal - discount) * 0.09, 2)
        total = round(subtotal - discount + shipping + taxes, 2)
        stamp = f"{local:%Y-%m-%d %H:%M:%S} +0800"
        orders.append({"Name": name, "Email": email, "Financial Status": status, "Created at": local,
                       "Subtotal": subtotal, "Shipping": shipping, "Taxes": taxes, "Total": total,
                       "Discount Code": code or None, "Discount Amount": discount, "Shipping Country": country})
        for i, ((title, sku, price), quantity) in enumerate(zip(items, quantities, strict=True)):
            row = {"Name": name, "Email": email, "Financial Status": status,
                   "Paid at": stamp if status != "pending" and status != "voided" else "",
                   "Fulfillment Status": "fulfilled" if status in SHOPIFY_KEPT else "unfulfilled",
                   "Fulfilled at": stamp if status in SHOPIFY_KEPT else "", "Accepts Marketing": rng.choice(["yes", "no"]),
                   "Currency": "SGD", "Subtotal": f"{subtotal:.2f}", "Shipping": f"{shipping:.2f}", "Taxes": f"{taxes:.2f}",
                   "Total": f"{total:.2f}", "Discount Code": code, "Discount Amount": f"{discount:.2f}",
                   "Shipping Method": "Standard" if shipping else "Free Shipping", "Created at": stamp,
                   "Lineitem quantity": quantity, "Lineitem name": title, "Lineitem price": f"{price:.2f}",
                   "Lineitem compare at price": "", "Lineitem sku": sku, "Lineitem requires shipping": "true",
                   "Lineitem taxable": "true", "Lineitem fulfillment status": "fulfilled" if status in SHOPIFY_KEPT else "pending",
                   "Billing Name": email.split("@")[0].title(), "Billing City": city, "Billing Country": country,
                   "Shipping Name": email.split("@")[0].title(), "Shipping City": city, "Shipping Country": country,
                   "Notes": "", "Cancelled at": stamp if status == "voided" else "",
                   "Payment Method": rng.choice(["Shopify Payments", "PayPal Express Checkout"]),
                   "Refunded Amount": f"{total if status == 'refunded' else (10.0 if status == 'partially_refunded' else 0):.2f}",
                   "Vendor": "Sand & Stone", "Id": 5_600_000_000_000 + n * 977, "Tags": "", "Risk Level": "Low",
                   "Source": rng.choice(["web", "web", "shopify_draft_order", "pos"]), "Lineitem discount": "0.00",
                   "Phone": ""}
            if i > 0:
                row = {k: ("" if k in SHOPIFY_ORDER_FIELDS else v) for k, v in row.items()}
            lines.append(row)
            lines[-1]["_order"] = name
    path = folder / "orders_export_1.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, SHOPIFY_HEADER, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(lines)
    orders_frame = pd.DataFrame(orders)
    items_frame = pd.DataFrame([{"Name": r["_order"], "Lineitem name": r["Lineitem name"],
                                 "Lineitem quantity": r["Lineitem quantity"], "Lineitem price": float(r["Lineitem price"])}
                                for r in lines]).merge(orders_frame[["Name", "Financial Status"]], on="Name")
    return path, {"orders": orders_frame, "items": items_frame}


# --- 抖店 order export (GBK; a row per 子订单; ids after a tab) ---------------------------------

DY_HEADER = ["主订单编号", "子订单编号", "选购商品", "商品规格", "商品数量", "商品ID", "商家编码", "商品单价", "商品金额", "运费",
             "优惠总金额", "订单应付金额", "支付方式", "收件人", "收件人手机号", "省", "市", "区", "详细地址", "买家留言",
             "订单提交时间", "支付完成时间", "订单状态", "达人ID", "达人昵称", "流量来源", "APP渠道"]
DY_GOODS = [("玻尿酸补水面膜 10片装", 59.9), ("烟酰胺美白精华 30ml", 129.0), ("氨基酸洗面奶 120g", 45.0),
            ("防晒霜 SPF50+", 89.0), ("保湿面霜 50g", 99.0), ("卸妆水 500ml", 69.0)]
DY_PLACES = [("广东省", "广州市", 18), ("广东省", "深圳市", 12), ("浙江省", "杭州市", 10), ("江苏省", "南京市", 8),
             ("四川省", "成都市", 9), ("上海市", "上海市", 9), ("北京市", "北京市", 8), ("山东省", "济南市", 6)]
DY_TALENTS = [("小美说护肤", 40), ("成分党阿杰", 25), ("-", 20), ("颜值研究所", 15)]
DY_STATUS = [("已完成", 70), ("已发货", 10), ("待发货", 8), ("已关闭", 12)]


def douyin(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1104)
    rows = []
    for n in range(1400):
        main = 6_920_000_000_000_000_000 + n * 7_919_003
        placed = datetime(2024, 9, 1) + timedelta(seconds=rng.randint(0, 122 * 86400))
        province, city, _w = rng.choices(DY_PLACES, [p[2] for p in DY_PLACES])[0]
        status = rng.choices([s for s, _ in DY_STATUS], [w for _, w in DY_STATUS])[0]
        talent = rng.choices([t for t, _ in DY_TALENTS], [w for _, w in DY_TALENTS])[0]
        source = "商品卡" if talent == "-" else rng.choices(["直播", "短视频"], [65, 35])[0]
        for k in range(rng.choices([1, 2, 3], [78, 17, 5])[0]):
            goods, price = rng.choice(DY_GOODS)
            quantity = rng.choices([1, 2, 3], [80, 15, 5])[0]
            amount = round(price * quantity, 2)
            discount = round(rng.choice([0, 0, 5, 10, 20]) * min(1, amount / 100), 2)
            freight = 0.0 if k else rng.choice([0.0, 0.0, 6.0])
            payable = round(amount - discount + freight, 2)
            rows.append({"主订单编号": main, "子订单编号": main + k + 1, "选购商品": goods, "商品规格": "默认",
                         "商品数量": quantity, "商品ID": 3_600_000_000_000_000_000 + DY_GOODS.index((goods, price)),
                         "商家编码": f"SKU{DY_GOODS.index((goods, price)):03d}", "商品单价": price, "商品金额": amount,
                         "运费": freight, "优惠总金额": discount, "订单应付金额": payable,
                         "支付方式": "" if status == "已关闭" else rng.choice(["抖音支付", "微信", "支付宝"]),
                         "收件人": "王**", "收件人手机号": "138****" + f"{rng.randint(0, 9999):04d}", "省": province, "市": city,
                         "区": "****", "详细地址": "******", "买家留言": "",
                         "订单提交时间": placed,
                         "支付完成时间": "" if status == "已关闭" else f"{placed + timedelta(seconds=40):%Y/%m/%d %H:%M:%S}",
                         "订单状态": status, "达人ID": "" if talent == "-" else f"{sum(map(ord, talent)) * 7919}",
                         "达人昵称": talent, "流量来源": source, "APP渠道": rng.choice(["抖音", "抖音极速版", "抖音火山版"])})
    frame = pd.DataFrame(rows)
    out = frame.copy()
    for key in ("主订单编号", "子订单编号", "商品ID"):
        out[key] = "\t" + out[key].astype(str)
    out["订单提交时间"] = [f"{t:%Y/%m/%d %H:%M:%S}" for t in out["订单提交时间"]]
    path = folder / "抖店订单导出_20250101.csv"
    out.to_csv(path, index=False, encoding="gbk")
    return path, {"lines": frame}


# --- Rossmann Store Sales (a folder: daily store sales + a store table) --------------------------

def rossmann(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1105)
    stores = []
    for s in range(1, 21):
        promo2 = int(rng.random() < 0.5)
        distance = None if rng.random() < 0.1 else float(rng.choice(range(20, 30000, 10)))
        stores.append({"Store": s, "StoreType": rng.choices("abcd", [54, 2, 13, 31])[0],
                       "Assortment": rng.choices("abc", [53, 1, 46])[0], "CompetitionDistance": distance,
                       "CompetitionOpenSinceMonth": None if distance is None else float(rng.randint(1, 12)),
                       "CompetitionOpenSinceYear": None if distance is None else float(rng.randint(2000, 2014)),
                       "Promo2": promo2, "Promo2SinceWeek": float(rng.randint(1, 50)) if promo2 else None,
                       "Promo2SinceYear": float(rng.randint(2010, 2014)) if promo2 else None,
                       "PromoInterval": rng.choice(["Jan,Apr,Jul,Oct", "Feb,May,Aug,Nov", "Mar,Jun,Sept,Dec"]) if promo2 else None})
    store_frame = pd.DataFrame(stores)
    base = {s["Store"]: rng.uniform(3500, 9000) for s in stores}
    holidays = {date(2013, 1, 1): "a", date(2013, 3, 29): "b", date(2013, 12, 25): "c", date(2014, 1, 1): "a",
                date(2014, 4, 18): "b", date(2014, 12, 25): "c", date(2015, 1, 1): "a", date(2015, 4, 3): "b",
                date(2015, 5, 1): "a"}
    rows = []
    day = date(2015, 7, 31)
    while day >= date(2013, 1, 1):
        for s in range(1, 21):
            holiday = holidays.get(day, "0")
            is_open = int(day.isoweekday() != 7 and (holiday == "0" or rng.random() < 0.05) and rng.random() > 0.01)
            promo = int(day.isoweekday() <= 5 and (day.toordinal() // 7) % 2 == 0)
            sales = int(base[s] * (1.25 if promo else 1.0) * rng.uniform(0.7, 1.3)) if is_open else 0
            customers = int(sales / rng.uniform(8.5, 10.5)) if is_open else 0
            rows.append({"Store": s, "DayOfWeek": day.isoweekday(), "Date": pd.Timestamp(day), "Sales": sales,
                         "Customers": customers, "Open": is_open, "Promo": promo, "StateHoliday": holiday,
                         "SchoolHoliday": int(day.month in (7, 8))})
        day -= timedelta(days=1)
    frame = pd.DataFrame(rows)
    target = folder / "rossmann-store-sales"
    target.mkdir(parents=True, exist_ok=True)
    out = frame.copy()
    out["Date"] = out["Date"].dt.strftime("%Y-%m-%d")
    out.to_csv(target / "train.csv", index=False)
    store_frame.to_csv(target / "store.csv", index=False)
    return target, {"days": frame.merge(store_frame, on="Store"), "stores": store_frame}


GENERATORS = {"instacart": instacart, "superstore": superstore, "shopify": shopify, "douyin": douyin,
              "rossmann": rossmann}


def build(name: str, folder: Path) -> tuple[Path, Clean]:
    """Write dataset ``name`` into its own subfolder of ``folder``."""
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    return GENERATORS[name](target)


if __name__ == "__main__":  # write them all for a look: python tests/byo11_public_datasets.py /tmp/byo11
    import sys

    for key in GENERATORS:
        built, frames = build(key, Path(sys.argv[1]))
        print(key, built, {k: len(v) for k, v in frames.items()})
