"""Lookalikes of five more public marketing / e-commerce datasets nobody tuned genbi for (round
byo10), written as they are downloaded (values generated with fixed seeds; nothing copied).

Each generator writes its file into a folder and returns ``(path, clean)``: what the user passes to
``--db`` and the clean values as DataFrames, so the expected answers are computed in pandas,
independently of genbi.

* ``online_retail``: UCI "Online Retail II" (``online_retail_II.xlsx``): ONE table split over two
  sheets, 'Year 2009-2010' and 'Year 2010-2011', with the same header ``Invoice, StockCode,
  Description, Quantity, InvoiceDate, Price, Customer ID, Country``; ``Invoice`` a number, or text
  'C489449' for a cancellation (whose ``Quantity`` is negative); ``StockCode`` a number or text
  ('85123A', 'POST'); ``Customer ID`` a float (13085.0) or empty.
* ``gstore``: Kaggle "Google Analytics Customer Revenue Prediction" (``train.csv``, the Google
  Merchandise Store's sessions): ``channelGrouping``, ``date`` as 20160902, the JSON text columns
  ``device``, ``geoNetwork``, ``totals`` (numbers as strings: {"visits": "1", "pageviews": "3",
  "transactionRevenue": "37860000"} in millionths of a dollar) and ``trafficSource`` (nested
  ``adwordsClickInfo``), ``fullVisitorId`` 19 digits (leading zeros; many above 2^63),
  ``sessionId``, ``socialEngagementType``, ``visitId``, ``visitNumber``, ``visitStartTime`` (Unix
  seconds).
* ``black_friday``: Analytics Vidhya's "Black Friday" sales (``train.csv``): ``User_ID``,
  ``Product_ID`` ('P00069042'), ``Gender`` F/M, ``Age`` bands ('0-17' ... '55+'), ``Occupation``
  a code 0-20, ``City_Category`` A/B/C, ``Stay_In_Current_City_Years`` '0'..'4+',
  ``Marital_Status`` 0/1, ``Product_Category_1`` and the sparse ``Product_Category_2/3`` (floats
  with blanks), ``Purchase``; no date at all.
* ``criteo``: Criteo's "Attribution Modeling for Bidding" log (``criteo_attribution_dataset.tsv.gz``,
  tab separated, gzipped): an impression per row; ``timestamp`` seconds since the start, ``uid``,
  ``campaign`` an integer id, ``conversion`` / ``attribution`` / ``click`` 0/1,
  ``conversion_timestamp``, ``conversion_id``, ``click_pos``, ``click_nb`` and
  ``time_since_last_click`` with -1 for "none", ``cost`` and ``cpo`` (small floats), ``cat1``..``cat9``.
* ``wechat_pay``: a WeChat Pay merchant bill (微信支付 商户平台 交易账单): Chinese headers
  (交易时间, 公众账号ID, 商户号, 微信订单号, 商户订单号, 用户标识, 交易类型, 交易状态 SUCCESS/REFUND,
  付款银行, 应结订单金额, 代金券金额, 退款金额, 商品名称, 手续费, 费率 '0.60%', 订单金额 ...), every value
  prefixed with a backtick (`2024-01-01 09:12:33, `88.00) so Excel keeps it as text, and two
  summary lines at the bottom (总交易单数,应结订单总金额,... then their values).
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

Clean = dict[str, pd.DataFrame]


# --- UCI Online Retail II (two sheets of one table) -------------------------------------------

RETAIL_HEADER = ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"]
RETAIL_PRODUCTS = [("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 2.55), ("71053", "WHITE METAL LANTERN", 3.39),
                   ("84406B", "CREAM CUPID HEARTS COAT HANGER", 2.75), ("22752", "SET 7 BABUSHKA NESTING BOXES", 7.65),
                   ("21730", "GLASS STAR FROSTED T-LIGHT HOLDER", 4.25), ("22633", "HAND WARMER UNION JACK", 1.85),
                   ("84879", "ASSORTED COLOUR BIRD ORNAMENT", 1.69), ("22423", "REGENCY CAKESTAND 3 TIER", 12.75),
                   ("85099B", "JUMBO BAG RED RETROSPOT", 2.08), ("47566", "PARTY BUNTING", 4.95),
                   ("POST", "POSTAGE", 18.0), ("M", "Manual", 9.95)]
RETAIL_COUNTRIES = [("United Kingdom", 80), ("Germany", 5), ("France", 5), ("EIRE", 4), ("Netherlands", 2),
                    ("Spain", 2), ("Australia", 1), ("Switzerland", 1)]


def online_retail(folder: Path) -> tuple[Path, Clean]:
    import xlsxwriter

    rng = random.Random(1001)
    customers = [float(12346 + 7 * i) for i in range(260)]
    home = {c: rng.choices([n for n, _ in RETAIL_COUNTRIES], [w for _, w in RETAIL_COUNTRIES])[0] for c in customers}
    rows: list[dict] = []
    number = 489434
    for _ in range(620):
        when = datetime(2009, 12, 1, 7, 45) + timedelta(minutes=rng.randint(0, 60 * 24 * 738))
        customer = rng.choice(customers) if rng.random() > 0.15 else None
        country = home[customer] if customer is not None else "United Kingdom"
        cancelled = rng.random() < 0.08
        invoice = f"C{number}" if cancelled else number
        number += rng.randint(1, 9)
        for _ in range(rng.randint(1, 9)):
            code, description, price = rng.choice(RETAIL_PRODUCTS)
            quantity = rng.choice([1, 2, 3, 4, 6, 12, 12, 24, 48])
            rows.append({"Invoice": invoice, "StockCode": int(code) if code.isdigit() else code,
                         "Description": description, "Quantity": -quantity if cancelled else quantity,
                         "InvoiceDate": when, "Price": 0.0 if rng.random() < 0.01 else price,
                         "Customer ID": customer, "Country": country})
    rows.sort(key=lambda r: r["InvoiceDate"])
    frame = pd.DataFrame(rows)
    path = folder / "online_retail_II.xlsx"
    book = xlsxwriter.Workbook(str(path))
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    split = datetime(2010, 12, 1)
    for sheet_name, part in (("Year 2009-2010", [r for r in rows if r["InvoiceDate"] < split]),
                             ("Year 2010-2011", [r for r in rows if r["InvoiceDate"] >= split])):
        sheet = book.add_worksheet(sheet_name)
        sheet.write_row(0, 0, RETAIL_HEADER)
        for i, row in enumerate(part, start=1):
            for j, key in enumerate(RETAIL_HEADER):
                value = row[key]
                if key == "InvoiceDate":
                    sheet.write_datetime(i, j, value, stamp)
                elif value is not None:
                    sheet.write(i, j, value)
    book.close()
    frame["Invoice"] = frame["Invoice"].astype(str)
    frame["Revenue"] = frame["Quantity"] * frame["Price"]
    return path, {"lines": frame}


# --- Google Merchandise Store sessions (GA Customer Revenue) -------------------------------

GA_CHANNELS = [("Organic Search", "google", "organic", 42), ("Social", "youtube.com", "referral", 25),
               ("Direct", "(direct)", "(none)", 16), ("Referral", "mall.googleplex.com", "referral", 11),
               ("Paid Search", "google", "cpc", 3), ("Affiliates", "Partners", "affiliate", 2),
               ("Display", "dfa", "cpm", 1)]
GA_DEVICES = [("desktop", "Windows", "Chrome", 50), ("desktop", "Macintosh", "Chrome", 15),
              ("mobile", "Android", "Chrome", 15), ("mobile", "iOS", "Safari", 14), ("tablet", "iOS", "Safari", 3),
              ("desktop", "Windows", "Firefox", 3)]
GA_PLACES = [("Americas", "Northern America", "United States", "California", "Mountain View", 40),
             ("Asia", "Southern Asia", "India", "Karnataka", "Bengaluru", 14),
             ("Europe", "Northern Europe", "United Kingdom", "England", "London", 9),
             ("Americas", "Northern America", "Canada", "Ontario", "Toronto", 5),
             ("Asia", "Eastern Asia", "Japan", "not available in demo dataset", "not available in demo dataset", 4),
             ("Europe", "Western Europe", "Germany", "not available in demo dataset", "(not set)", 4),
             ("Asia", "Western Asia", "Turkey", "Izmir", "Izmir", 3)]
NA = "not available in demo dataset"


def gstore(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1002)
    visitors = [rng.choice(["000", "00", "0", ""]) + str(rng.randint(10 ** 15, 10 ** 19 - 1)) for _ in range(1900)]
    visitors = [v[-19:].rjust(19, "0") for v in visitors]
    seen: dict[str, int] = {}
    rows, clean = [], []
    start = datetime(2016, 8, 1, tzinfo=UTC)
    for _ in range(3000):
        visitor = rng.choice(visitors)
        seen[visitor] = seen.get(visitor, 0) + 1
        started = start + timedelta(seconds=rng.randint(0, 366 * 86400 - 1))
        seconds = int(started.timestamp())
        grouping, source, medium, _w = rng.choices(GA_CHANNELS, [c[-1] for c in GA_CHANNELS])[0]
        category, system, browser, _w = rng.choices(GA_DEVICES, [d[-1] for d in GA_DEVICES])[0]
        continent, sub, country, region, city, _w = rng.choices(GA_PLACES, [p[-1] for p in GA_PLACES])[0]
        hits = rng.randint(1, 30)
        pageviews = max(1, hits - rng.randint(0, 3))
        bounced = pageviews == 1
        revenue = rng.randint(5, 400) * 10_000 * rng.choice([1, 10, 100]) if not bounced and rng.random() < 0.06 else None
        totals: dict[str, str] = {"visits": "1", "hits": str(hits), "pageviews": str(pageviews)}
        if bounced:
            totals["bounces"] = "1"
        if seen[visitor] == 1:
            totals["newVisits"] = "1"
        if revenue is not None:
            totals["transactionRevenue"] = str(revenue)
        traffic: dict[str, object] = {"campaign": "(not set)", "source": source, "medium": medium,
                                      "adwordsClickInfo": {"criteriaParameters": NA}}
        if medium == "organic":
            traffic["keyword"] = "(not provided)"
        if grouping == "Direct":
            traffic["isTrueDirect"] = True
        device = {"browser": browser, "browserVersion": NA, "browserSize": NA, "operatingSystem": system,
                  "operatingSystemVersion": NA, "isMobile": category != "desktop", "mobileDeviceBranding": NA,
                  "flashVersion": NA, "language": NA, "screenColors": NA, "screenResolution": NA,
                  "deviceCategory": category}
        geo = {"continent": continent, "subContinent": sub, "country": country, "region": region, "metro": "(not set)",
               "city": city, "cityId": NA, "networkDomain": rng.choice(["(not set)", "unknown.unknown", "comcast.net"]),
               "latitude": NA, "longitude": NA, "networkLocation": NA}
        rows.append({"channelGrouping": grouping, "date": started.strftime("%Y%m%d"),
                     "device": json.dumps(device), "fullVisitorId": visitor,
                     "geoNetwork": json.dumps(geo), "sessionId": f"{visitor}_{seconds}",
                     "socialEngagementType": "Not Socially Engaged", "totals": json.dumps(totals),
                     "trafficSource": json.dumps(traffic), "visitId": seconds, "visitNumber": seen[visitor],
                     "visitStartTime": seconds})
        clean.append({"channelGrouping": grouping, "date": pd.Timestamp(started.date()), "fullVisitorId": visitor,
                      "deviceCategory": category, "browser": browser, "operatingSystem": system, "country": country,
                      "continent": continent, "hits": hits, "pageviews": pageviews, "bounces": 1 if bounced else 0,
                      "newVisits": 1 if seen[visitor] == 1 else 0, "revenue": (revenue or 0) / 1e6,
                      "transactions": 1 if revenue is not None else 0, "source": source, "medium": medium})
    path = folder / "train.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path, {"sessions": pd.DataFrame(clean)}


# --- Black Friday sales ----------------------------------------------------------------------

BF_AGES = [("0-17", 3), ("18-25", 18), ("26-35", 40), ("36-45", 20), ("46-50", 8), ("51-55", 7), ("55+", 4)]


def black_friday(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1003)
    users = []
    for i in range(420):
        users.append({"User_ID": 1000001 + i, "Gender": rng.choices(["M", "F"], [75, 25])[0],
                      "Age": rng.choices([a for a, _ in BF_AGES], [w for _, w in BF_AGES])[0],
                      "Occupation": rng.randint(0, 20), "City_Category": rng.choices("ABC", [27, 42, 31])[0],
                      "Stay_In_Current_City_Years": rng.choices(["0", "1", "2", "3", "4+"], [13, 35, 19, 17, 16])[0],
                      "Marital_Status": rng.choices([0, 1], [59, 41])[0]})
    products = [f"P00{rng.randint(10000, 379999):06d}" for _ in range(350)]
    category = {p: rng.choices(range(1, 21), [26, 4, 4, 2, 27, 4, 1, 21, 1, 1, 4, 1, 1, 1, 1, 2, 1, 1, 1, 1])[0]
                for p in products}
    second = {p: (float(rng.randint(2, 18)) if rng.random() < 0.68 else None) for p in products}
    third = {p: (float(rng.randint(3, 18)) if second[p] is not None and rng.random() < 0.45 else None) for p in products}
    rows = []
    for _ in range(4000):
        user, product = rng.choice(users), rng.choice(products)
        base = {1: 13600, 5: 6240, 8: 7500}.get(category[product], 9000)
        rows.append({"User_ID": user["User_ID"], "Product_ID": product, "Gender": user["Gender"], "Age": user["Age"],
                     "Occupation": user["Occupation"], "City_Category": user["City_Category"],
                     "Stay_In_Current_City_Years": user["Stay_In_Current_City_Years"],
                     "Marital_Status": user["Marital_Status"], "Product_Category_1": category[product],
                     "Product_Category_2": second[product], "Product_Category_3": third[product],
                     "Purchase": max(185, int(rng.gauss(base, base * 0.35)))})
    frame = pd.DataFrame(rows)
    path = folder / "train.csv"
    frame.to_csv(path, index=False)  # the sparse categories are written 2.0 / '' as pandas does
    return path, {"purchases": frame}


# --- Criteo attribution log (tab separated, gzipped) -----------------------------------------

CRITEO_COLUMNS = ["timestamp", "uid", "campaign", "conversion", "conversion_timestamp", "conversion_id", "attribution",
                  "click", "click_pos", "click_nb", "cost", "cpo", "time_since_last_click",
                  *[f"cat{i}" for i in range(1, 10)]]


def criteo(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1004)
    campaigns = {c: (rng.uniform(0.02, 0.5), rng.uniform(0.01, 0.08)) for c in
                 (10341182, 15398570, 17686799, 5061834, 29427842, 30801593, 31772643, 1140446, 26852416, 9100690)}
    users = [rng.randint(1, 32_000_000) for _ in range(1400)]
    rows = []
    conversion_id = 1000
    for _ in range(4200):
        campaign = rng.choice(list(campaigns))
        ctr, cvr = campaigns[campaign]
        stamp = rng.randint(0, 2_671_000)
        click = int(rng.random() < ctr)
        converted = int(rng.random() < cvr * (3 if click else 1))
        conversion_id += converted * rng.randint(1, 5)
        attributed = int(converted and click and rng.random() < 0.7)
        clicks_before = rng.randint(1, 4) if attributed else -1
        rows.append({"timestamp": stamp, "uid": rng.choice(users), "campaign": campaign, "conversion": converted,
                     "conversion_timestamp": stamp + rng.randint(60, 600_000) if converted else -1,
                     "conversion_id": conversion_id if converted else -1, "attribution": attributed, "click": click,
                     "click_pos": rng.randint(0, clicks_before - 1) if attributed else -1, "click_nb": clicks_before,
                     "cost": round(rng.uniform(0.00002, 0.0009) * (4 if click else 1), 6),
                     "cpo": round(rng.uniform(0.05, 1.2), 6),
                     "time_since_last_click": rng.randint(30, 900_000) if rng.random() < 0.3 else -1,
                     **{f"cat{i}": rng.randint(1_000_000, 32_000_000) for i in range(1, 10)}})
    frame = pd.DataFrame(rows, columns=CRITEO_COLUMNS)
    path = folder / "criteo_attribution_dataset.tsv.gz"
    with gzip.open(path, "wt", newline="") as out:
        frame.to_csv(out, sep="\t", index=False)
    return path, {"impressions": frame}


# --- WeChat Pay merchant bill ----------------------------------------------------------------

WECHAT_HEADER = ["交易时间", "公众账号ID", "商户号", "特约商户号", "设备号", "微信订单号", "商户订单号", "用户标识", "交易类型",
                 "交易状态", "付款银行", "货币种类", "应结订单金额", "代金券金额", "微信退款单号", "商户退款单号", "退款金额",
                 "充值券退款金额", "退款类型", "退款状态", "商品名称", "商户数据包", "手续费", "费率", "订单金额", "申请退款金额",
                 "费率备注"]
WECHAT_FOOTER = ["总交易单数", "应结订单总金额", "退款总金额", "充值券退款总金额", "手续费总金额", "订单总金额", "申请退款总金额"]
WECHAT_GOODS = [("会员月卡", 30.0), ("会员年卡", 298.0), ("精品咖啡豆 250g", 88.0), ("挂耳咖啡 10包", 45.0),
                ("手冲壶套装", 199.0), ("冷萃咖啡 6瓶", 59.9)]
WECHAT_BANKS = [("OTHERS", 35), ("CMB_CREDIT", 15), ("ICBC_DEBIT", 14), ("CCB_DEBIT", 12), ("ABC_DEBIT", 8),
                ("BOC_CREDIT", 6), ("CFT", 10)]


def wechat_pay(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(1005)
    openids = ["oUpF8u" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
                                  for _ in range(22)) for _ in range(700)]
    records = []
    start = datetime(2024, 1, 1)
    for n in range(2600):
        when = start + timedelta(seconds=rng.randint(0, 91 * 86400 - 1))
        goods, price = rng.choice(WECHAT_GOODS)
        amount = round(price * rng.choice([1, 1, 1, 2, 3]), 2)
        coupon = rng.choice([0.0] * 8 + [5.0, 10.0]) if amount > 40 else 0.0
        records.append({"when": when, "order": f"T{when:%Y%m%d}{n:06d}", "wx": f"42000{rng.randint(10**22, 10**23 - 1)}",
                        "user": rng.choice(openids), "type": rng.choices(["JSAPI", "NATIVE", "APP", "MICROPAY"],
                                                                          [60, 15, 10, 15])[0],
                        "bank": rng.choices([b for b, _ in WECHAT_BANKS], [w for _, w in WECHAT_BANKS])[0],
                        "goods": goods, "amount": amount, "coupon": coupon, "fee": round(amount * 0.006, 2)})
    rows = []
    for r in records:
        rows.append({**r, "status": "SUCCESS", "refund": 0.0, "settled": round(r["amount"] - r["coupon"], 2)})
        if rng.random() < 0.07:
            back = r["amount"] if rng.random() < 0.8 else round(r["amount"] / 2, 2)
            later = r["when"] + timedelta(hours=rng.randint(1, 96))
            rows.append({**r, "when": later, "status": "REFUND", "refund": back, "settled": 0.0, "amount": 0.0,
                         "coupon": 0.0, "fee": round(-back * 0.006, 2)})
    rows.sort(key=lambda r: r["when"])
    path = folder / "交易账单_1601234567_20240101-20240331.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(",".join(WECHAT_HEADER) + "\r\n")
        for i, r in enumerate(rows):
            refund = r["status"] == "REFUND"
            cells = [f"{r['when']:%Y-%m-%d %H:%M:%S}", "wx2421b1c4370ec43b", "1601234567", "0", "",
                     r["wx"], r["order"], r["user"], r["type"], r["status"], r["bank"], "CNY", f"{r['settled']:.2f}",
                     f"{r['coupon']:.2f}", f"50300{i:010d}" if refund else "0", f"R{r['order']}" if refund else "0",
                     f"{r['refund']:.2f}", "0.00", "ORIGINAL" if refund else "", "SUCCESS" if refund else "",
                     r["goods"], "", f"{r['fee']:.2f}", "0.60%", f"{r['amount']:.2f}",
                     f"{r['refund']:.2f}", ""]
            out.write(",".join("`" + c for c in cells) + "\r\n")
        frame = pd.DataFrame(rows)
        paid = frame[frame["status"] == "SUCCESS"]
        out.write(",".join(WECHAT_FOOTER) + "\r\n")
        out.write(",".join("`" + c for c in [str(len(frame)), f"{paid['settled'].sum():.2f}", f"{frame['refund'].sum():.2f}",
                                             "0.00", f"{frame['fee'].sum():.2f}", f"{frame['amount'].sum():.2f}",
                                             f"{frame['refund'].sum():.2f}"]) + "\r\n")
    frame = frame.rename(columns={"when": "交易时间", "order": "商户订单号", "user": "用户标识", "type": "交易类型",
                                  "status": "交易状态", "bank": "付款银行", "goods": "商品名称", "amount": "订单金额",
                                  "coupon": "代金券金额", "fee": "手续费", "refund": "退款金额", "settled": "应结订单金额"})
    return path, {"bill": frame}


GENERATORS = {"online_retail": online_retail, "gstore": gstore, "black_friday": black_friday, "criteo": criteo,
              "wechat_pay": wechat_pay}


def build(name: str, folder: Path) -> tuple[Path, Clean]:
    """Write dataset ``name`` into its own subfolder of ``folder``."""
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    return GENERATORS[name](target)


if __name__ == "__main__":  # write them all for a look: python tests/byo10_public_datasets.py /tmp/byo10
    import sys

    for key in GENERATORS:
        built, frames = build(key, Path(sys.argv[1]))
        print(key, built, {k: len(v) for k, v in frames.items()}, date.today(), csv.__name__)
