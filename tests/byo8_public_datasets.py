"""Lookalikes of five more public marketing / e-commerce datasets nobody tuned genbi for (round
byo8), written as they are downloaded (values generated with fixed seeds; nothing copied).

Each generator writes its file(s) into a folder and returns ``(path, clean)``: what the user passes
to ``--db`` (a file or a folder) and the clean values as DataFrames, so the expected answers are
computed in pandas, independently of genbi.

* ``avazu``: the Avazu click-through-rate data (``train.csv``): one ad impression a row, ``id`` a
  20-digit number (some past the int64 range, as in the original), ``click`` 0/1, ``hour`` as
  YYMMDDHH (14102100 = 2014-10-21 00:00), anonymised ``C1``, ``banner_pos``, hashed 8-hex
  ``site_id / site_domain / site_category / app_id / app_domain / app_category / device_id /
  device_ip / device_model``, ``device_type``, ``device_conn_type`` and ``C14``..``C21``.
* ``tmall``: a Tmall / Taobao seller-centre order export (``ExportOrderList202411.csv``) in GBK
  with the Chinese headers of the original (订单编号, 买家会员名, 买家应付货款, 买家实际支付金额,
  订单状态, 收货地址, 订单创建时间, 订单付款时间, 宝贝标题, 宝贝总数量, 是否手机订单, 退款金额 ...);
  the amounts written ￥1,299.00 (the full-width yuan sign and thousands separators); unpaid orders pay
  ￥0.00 and have no payment time.
* ``retailrocket``: RetailRocket's ``events.csv``: ``timestamp`` in epoch MILLIseconds,
  ``visitorid``, ``event`` view / addtocart / transaction, ``itemid`` and ``transactionid``
  (blank except on transactions; a transaction of several items is several rows); rows not in
  time order, as the original.
* ``hm``: the H&M personalised-fashion folder: ``transactions_train.csv`` (``t_dat``, a 64-hex
  ``customer_id``, a 10-digit ``article_id`` with its leading zero, ``price`` as a tiny fraction,
  ``sales_channel_id`` 1 / 2), ``customers.csv`` (``FN`` / ``Active`` 1.0 or blank,
  ``club_member_status``, ``fashion_news_frequency``, ``age``, ``postal_code``) and
  ``articles.csv`` (``prod_name``, ``product_type_name``, ``product_group_name``,
  ``colour_group_name``, ``index_group_name`` ...).
* ``amazon_in``: Kaggle "Amazon Sale Report.csv" (an Indian apparel seller): ``index``, ``Order
  ID`` '405-8078784-5731545' (an order of several lines repeats it), ``Date`` as mm-dd-yy
  ('04-30-22'), ``Status`` (Shipped, Shipped - Delivered to Buyer, Cancelled, Pending ...),
  ``Fulfilment``, ``Sales Channel ``, ``ship-service-level``, ``Style``, ``SKU``, ``Category``,
  ``Size``, ``ASIN``, ``Courier Status``, ``Qty``, ``currency`` INR, ``Amount`` (blank on
  cancelled lines), ``ship-city``, ``ship-state``, ``ship-postal-code`` as a float
  ('560085.0'), ``ship-country``, ``promotion-ids``, ``B2B`` False / True, ``fulfilled-by`` and
  the unnamed trailing column ``Unnamed: 22``.
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

Clean = dict[str, pd.DataFrame]


def _hex(rng: random.Random, n: int = 8) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


# --- Avazu CTR -------------------------------------------------------------------------------

def avazu(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(801)
    sites = [(_hex(rng), _hex(rng), cat) for cat in
             ["28905ebd", "50e219e0", "f028772b", "3e814130", "f66779e6"] for _ in range(3)]
    apps = [("ecad2386", "7801e8d9", "07d7df22")] + [(_hex(rng), _hex(rng), cat) for cat in
                                                     ["0f2161f8", "cef3e649", "8ded1f7a"]]
    models = [_hex(rng) for _ in range(30)]
    rows = []
    for _ in range(4000):
        day = rng.randint(21, 30)
        hour = rng.randint(0, 23)
        banner = rng.choices([0, 1, 2, 7], [72, 27, 0.5, 0.5])[0]
        device_type = rng.choices([1, 0, 4, 5], [92, 5, 2.5, 0.5])[0]
        on_app = rng.random() < 0.35
        site = ("85f751fd", "c4e18dd6", "50e219e0") if on_app else rng.choice(sites)
        app = rng.choice(apps[1:]) if on_app else apps[0]
        chance = 0.15 + (0.05 if banner == 1 else 0) + (0.04 if site[2] == "50e219e0" else 0) \
            - (0.05 if device_type == 4 else 0)
        big = rng.random() < 0.4
        ident = rng.randint(9_300_000_000_000_000_000, 18_400_000_000_000_000_000) if big \
            else rng.randint(1_000_000_000_000_000_000, 9_200_000_000_000_000_000)
        rows.append({"id": str(ident), "click": int(rng.random() < chance), "hour": f"1410{day:02d}{hour:02d}",
                     "C1": rng.choices([1005, 1002, 1010, 1007], [92, 5, 2, 1])[0], "banner_pos": banner,
                     "site_id": site[0], "site_domain": site[1], "site_category": site[2],
                     "app_id": app[0], "app_domain": app[1], "app_category": app[2],
                     "device_id": "a99f214a" if rng.random() < 0.82 else _hex(rng), "device_ip": _hex(rng),
                     "device_model": rng.choice(models), "device_type": device_type,
                     "device_conn_type": rng.choices([0, 2, 3, 5], [85, 8, 6, 1])[0],
                     "C14": rng.randint(375, 24052), "C15": rng.choice([320, 320, 300, 216, 728]),
                     "C16": rng.choice([50, 50, 250, 36, 90]), "C17": rng.randint(112, 2758),
                     "C18": rng.choice([0, 0, 3, 2, 1]), "C19": rng.choice([35, 39, 161, 1327, 687]),
                     "C20": rng.choice([-1, -1, 100084, 100148, 100111]), "C21": rng.choice([79, 157, 23, 221, 61])})
    frame = pd.DataFrame(rows).sort_values("hour", kind="stable", ignore_index=True)
    path = folder / "train.csv"
    frame.to_csv(path, index=False)
    frame["time"] = pd.to_datetime(frame["hour"], format="%y%m%d%H")
    return path, {"train": frame}


# --- Tmall / Taobao seller-centre order export (GBK, Chinese headers) ---------------------------

TMALL_HEADER = ["订单编号", "买家会员名", "买家支付宝账号", "支付单号", "买家应付货款", "买家应付邮费", "总金额",
                "买家实际支付金额", "订单状态", "买家留言", "收货人姓名", "收货地址", "运送方式", "联系手机",
                "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类", "物流单号", "物流公司", "订单备注",
                "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因", "是否手机订单", "退款金额"]
PROVINCES = [("浙江省", "杭州市"), ("江苏省", "南京市"), ("广东省", "深圳市"), ("上海", "上海市"),
             ("北京", "北京市"), ("四川省", "成都市"), ("山东省", "青岛市"), ("湖北省", "武汉市")]
ITEMS = [("【双11预售】保湿修护精华液 30ml 淡纹紧致", 1299.0), ("氨基酸洁面乳 温和清洁 120g", 89.0),
         ("玻尿酸补水面膜 10片装", 129.0), ("防晒霜 SPF50+ 清爽不油腻 50ml", 198.0),
         ("口红礼盒 三支装 节日送礼", 459.0), ("卸妆水 500ml 大瓶装", 69.9)]
STATUSES = [("交易成功", 70), ("交易关闭", 9), ("卖家已发货，等待买家确认", 10), ("买家已付款，等待卖家发货", 6),
            ("等待买家付款", 5)]


def _yuan(value: float) -> str:
    return f"￥{value:,.2f}"  # the full-width sign GBK has


def tmall(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(802)
    buyers = [f"tb{rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else
              rng.choice(["小鱼", "晴天", "阿木", "花花", "momo", "Lily"]) + f"{rng.randint(1, 999)}" for _ in range(700)]
    buyers = list(dict.fromkeys(buyers))
    rows = []
    start = datetime(2024, 10, 1)
    for n in range(2500):
        if rng.random() < 0.15:
            created = datetime(2024, 11, 11) + timedelta(seconds=rng.randint(0, 86399))
        else:
            created = start + timedelta(seconds=rng.randint(0, 61 * 86400 - 1))
        status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        kinds = rng.choices([1, 2, 3], [75, 20, 5])[0]
        lines = rng.sample(ITEMS, kinds)
        quantity = sum(rng.choice([1, 1, 1, 2]) for _ in lines)
        goods = round(sum(price for _, price in lines) * quantity / kinds, 2)
        post = 0.0 if goods >= 99 else 10.0
        total = round(goods + post, 2)
        discount = round(total * rng.choice([0, 0, 0.05, 0.1]), 2) if goods > 300 else 0.0
        paid = status not in ("等待买家付款", "交易关闭")
        pay = round(total - discount, 2) if paid else 0.0
        refund = round(pay * 0.5, 2) if status == "交易成功" and rng.random() < 0.04 else 0.0
        province, city = rng.choice(PROVINCES)
        shipped = status in ("交易成功", "卖家已发货，等待买家确认")
        rows.append({
            "订单编号": str(3800000000000000000 + rng.randint(0, 10**17) * 10 + n % 10),
            "买家会员名": rng.choice(buyers), "买家支付宝账号": "**", "支付单号": f"2024{rng.randint(10**23, 10**24 - 1)}"
            if paid else "", "买家应付货款": goods, "买家应付邮费": post, "总金额": total, "买家实际支付金额": pay,
            "订单状态": status, "买家留言": rng.choice(["", "", "", "请尽快发货", "送人的，不要放发票"]),
            "收货人姓名": rng.choice(["张*", "李*", "王*", "刘*", "陈*"]),
            "收货地址": f"{province} {city} 某某区 某某路{rng.randint(1, 300)}号({rng.randint(100000, 999999)})",
            "运送方式": "快递", "联系手机": f"'1{rng.randint(3, 9)}{rng.randint(0, 9)}****{rng.randint(1000, 9999)}",
            "订单创建时间": created, "订单付款时间": created + timedelta(seconds=rng.randint(5, 3600)) if paid else None,
            "宝贝标题": "，".join(title for title, _ in lines), "宝贝种类": kinds,
            "物流单号": f"No:SF{rng.randint(10**11, 10**12 - 1)}" if shipped else "",
            "物流公司": rng.choice(["顺丰速运", "中通快递", "圆通速递"]) if shipped else "", "订单备注": "",
            "宝贝总数量": quantity, "店铺Id": 71234567, "店铺名称": "某某美妆旗舰店",
            "订单关闭原因": rng.choice(["买家不想买了", "未及时付款", "其他原因"]) if status == "交易关闭" else "订单未关闭",
            "是否手机订单": "手机订单" if rng.random() < 0.86 else "", "退款金额": refund})
    frame = pd.DataFrame(rows)
    path = folder / "ExportOrderList202411.csv"
    with open(path, "w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(TMALL_HEADER)
        for row in rows:
            shown: list[Any] = []
            for name in TMALL_HEADER:
                value = row[name]
                if name in ("买家应付货款", "买家应付邮费", "总金额", "买家实际支付金额", "退款金额"):
                    value = _yuan(value)
                elif isinstance(value, datetime):
                    value = value.strftime("%Y-%m-%d %H:%M:%S")
                elif value is None:
                    value = ""
                shown.append(value)
            writer.writerow(shown)
    frame["订单创建时间"] = pd.to_datetime(frame["订单创建时间"])
    frame["订单付款时间"] = pd.to_datetime(frame["订单付款时间"])
    return path, {"orders": frame}


# --- RetailRocket events.csv -----------------------------------------------------------------

RR_START = 1430622000000  # 2015-05-03 03:00 UTC, in milliseconds
RR_END = 1442545187788  # 2015-09-18


def retailrocket(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(803)
    items = rng.sample(range(3, 466868), 400)
    popular = items[:40]
    rows = []
    transaction = 17000
    for visitor in rng.sample(range(0, 1407580), 900):
        first = rng.randint(RR_START, RR_END - 86_400_000)
        for _ in range(rng.choices([1, 2, 3, 5, 9], [50, 20, 15, 10, 5])[0]):
            item = rng.choice(popular) if rng.random() < 0.5 else rng.choice(items)
            stamp = first + rng.randint(0, 3 * 86_400_000)
            rows.append((stamp, visitor, "view", item, None))
            if rng.random() < 0.08:
                rows.append((stamp + rng.randint(1000, 600_000), visitor, "addtocart", item, None))
                if rng.random() < 0.4:
                    transaction += rng.randint(1, 9)
                    bought = [item] + ([rng.choice(items)] if rng.random() < 0.3 else [])
                    paid_at = stamp + rng.randint(700_000, 3_600_000)
                    rows.extend((paid_at, visitor, "transaction", one, transaction) for one in bought)
    rng.shuffle(rows)
    frame = pd.DataFrame(rows, columns=["timestamp", "visitorid", "event", "itemid", "transactionid"])
    frame["transactionid"] = frame["transactionid"].astype("Int64")
    path = folder / "events.csv"
    frame.to_csv(path, index=False)
    frame["time"] = pd.to_datetime(frame["timestamp"], unit="ms")
    return path, {"events": frame}


# --- H&M personalised fashion recommendations (a folder of three files) ------------------------

HM_TYPES = [("Trousers", "Garment Lower body"), ("Dress", "Garment Full body"), ("Sweater", "Garment Upper body"),
            ("T-shirt", "Garment Upper body"), ("Bra", "Underwear"), ("Socks", "Socks & Tights"),
            ("Bag", "Accessories"), ("Shorts", "Garment Lower body")]
HM_INDEX_GROUPS = ["Ladieswear", "Divided", "Menswear", "Baby/Children", "Sport"]
HM_COLOURS = ["Black", "White", "Dark Blue", "Light Pink", "Grey", "Beige"]


def hm(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(804)
    articles = []
    for _n in range(150):
        product_code = rng.randint(108775, 959461)
        kind, group = rng.choice(HM_TYPES)
        articles.append({"article_id": f"0{product_code}{rng.randint(1, 30):03d}", "product_code": f"0{product_code}",
                         "prod_name": f"{rng.choice(['Strap', 'Luna', 'Tilly', 'Jade', 'Ben', 'Mika'])} {kind.lower()}",
                         "product_type_no": 250 + HM_TYPES.index((kind, group)), "product_type_name": kind,
                         "product_group_name": group, "colour_group_name": rng.choice(HM_COLOURS),
                         "index_group_name": rng.choice(HM_INDEX_GROUPS),
                         "garment_group_name": rng.choice(["Jersey Basic", "Knitwear", "Trousers", "Accessories"]),
                         "detail_desc": f"{kind} in soft cotton jersey."})
    articles_frame = pd.DataFrame(articles).drop_duplicates("article_id", ignore_index=True)
    customers = []
    for _ in range(600):
        member = rng.choices(["ACTIVE", "PRE-CREATE", "LEFT CLUB"], [93, 6, 1])[0]
        news = rng.choices(["NONE", "Regularly", "Monthly"], [64, 35, 1])[0]
        fn = 1.0 if news == "Regularly" or rng.random() < 0.05 else None
        customers.append({"customer_id": _hex(rng, 64), "FN": fn, "Active": fn,
                          "club_member_status": member, "fashion_news_frequency": news,
                          "age": None if rng.random() < 0.01 else rng.randint(16, 80), "postal_code": _hex(rng, 64)})
    customers_frame = pd.DataFrame(customers)
    base = {row["article_id"]: rng.choice([0.0084576271186440, 0.0169322033898305, 0.0254067796610169,
                                           0.0338813559322033, 0.0508305084745762]) for row in articles}
    transactions = []
    for customer in rng.sample(list(customers_frame["customer_id"]), 480):
        for _ in range(rng.randint(1, 12)):
            article = rng.choice(list(base))
            day = date(2020, 6, 1) + timedelta(days=rng.randint(0, 113))
            transactions.append({"t_dat": day.isoformat(), "customer_id": customer, "article_id": article,
                                 "price": base[article] * rng.choice([1, 1, 1, 0.6]),
                                 "sales_channel_id": rng.choices([2, 1], [70, 30])[0]})
    tx = pd.DataFrame(transactions).sort_values("t_dat", kind="stable", ignore_index=True)
    folder.mkdir(parents=True, exist_ok=True)
    tx.to_csv(folder / "transactions_train.csv", index=False)
    customers_frame.to_csv(folder / "customers.csv", index=False)
    articles_frame.to_csv(folder / "articles.csv", index=False)
    tx["t_dat"] = pd.to_datetime(tx["t_dat"])
    return folder, {"transactions": tx, "customers": customers_frame, "articles": articles_frame}


# --- Amazon Sale Report (Kaggle, India) --------------------------------------------------------

AMZ_STATUSES = [("Shipped", 60), ("Shipped - Delivered to Buyer", 22), ("Cancelled", 14), ("Shipped - Returned to Seller", 2),
                ("Pending", 1), ("Shipped - Out for Delivery", 1)]
AMZ_CATEGORIES = [("kurta", 435.0), ("Set", 833.0), ("Western Dress", 763.0), ("Top", 526.0), ("Ethnic Dress", 723.0),
                  ("Blouse", 520.0)]
AMZ_STATES = [("MAHARASHTRA", "MUMBAI", 400081), ("KARNATAKA", "BENGALURU", 560085), ("TELANGANA", "HYDERABAD", 500032),
              ("UTTAR PRADESH", "LUCKNOW", 226010), ("TAMIL NADU", "CHENNAI", 600041), ("DELHI", "NEW DELHI", 110074),
              ("KERALA", "KOCHI", 682024)]


def amazon_in(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(805)
    rows = []
    for _ in range(2600):
        order = f"{rng.randint(171, 408)}-{rng.randint(1000000, 9999999)}-{rng.randint(1000000, 9999999)}"
        day = date(2022, 3, 31) + timedelta(days=rng.randint(0, 91))
        fulfil = rng.choices(["Amazon", "Merchant"], [70, 30])[0]
        state, city, pin = rng.choice(AMZ_STATES)
        b2b = rng.random() < 0.01
        for _line in range(rng.choices([1, 2, 3], [88, 9, 3])[0]):
            status = rng.choices([s for s, _ in AMZ_STATUSES], [w for _, w in AMZ_STATUSES])[0]
            category, price = rng.choice(AMZ_CATEGORIES)
            style = f"{rng.choice(['JNE', 'SET', 'J0', 'MEN'])}{rng.randint(1000, 3999)}"
            size = rng.choice(["S", "M", "L", "XL", "XXL", "3XL", "Free"])
            cancelled = status == "Cancelled"
            qty = 0 if cancelled and rng.random() < 0.9 else rng.choices([1, 2], [95, 5])[0]
            amount = None if cancelled and rng.random() < 0.4 else round(price * max(qty, 1) * rng.uniform(0.8, 1.2), 2)
            rows.append({"Order ID": order, "Date": day, "Status": status, "Fulfilment": fulfil,
                         "Sales Channel ": "Amazon.in", "ship-service-level": "Expedited" if fulfil == "Amazon" else "Standard",
                         "Style": style, "SKU": f"{style}-{category[:2].upper()}-{size}", "Category": category, "Size": size,
                         "ASIN": f"B0{_hex(rng, 8).upper()}", "Courier Status": "Cancelled" if cancelled else
                         ("Shipped" if status.startswith("Shipped") else "Unshipped"),
                         "Qty": qty, "currency": None if amount is None else "INR", "Amount": amount,
                         "ship-city": city, "ship-state": state, "ship-postal-code": float(pin), "ship-country": "IN",
                         "promotion-ids": "IN Core Free Shipping 2015/04/08 23-48-5-108" if rng.random() < 0.35 else None,
                         "B2B": b2b, "fulfilled-by": "Easy Ship" if fulfil == "Merchant" else None, "Unnamed: 22": None})
    frame = pd.DataFrame(rows)
    frame.insert(0, "index", range(len(frame)))
    shown = frame.copy()
    shown["Date"] = [d.strftime("%m-%d-%y") for d in frame["Date"]]
    shown["Unnamed: 22"] = ["False" if fulfil == "Merchant" else "" for fulfil in frame["Fulfilment"]]
    path = folder / "Amazon Sale Report.csv"
    shown.to_csv(path, index=False)
    frame["Date"] = pd.to_datetime(frame["Date"])
    return path, {"sales": frame}


GENERATORS = {"avazu": avazu, "tmall": tmall, "retailrocket": retailrocket, "hm": hm, "amazon_in": amazon_in}


def build(name: str, folder: Path) -> tuple[Path, Clean]:
    """Write dataset ``name`` into its own subfolder of ``folder`` (the H&M folder is the path)."""
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    return GENERATORS[name](target)


if __name__ == "__main__":  # write them all for a look: python tests/byo8_public_datasets.py /tmp/byo8
    import sys

    for key in GENERATORS:
        built, frames = build(key, Path(sys.argv[1]))
        print(key, built, {k: len(v) for k, v in frames.items()}, datetime.now(UTC).isoformat(timespec="seconds"))
