"""Five more exports marketers download, written blind (values generated; nothing copied).

* ``klaviyo``: a Klaviyo flow message performance export
  (``flows-message-performance-2024-07-01-to-2024-09-30.csv``): a row per flow message per day,
  ``Flow Name``, ``Flow Message Name``, ``Channel`` Email/SMS, ``Flow Status`` Live/Manual,
  counts of recipients, deliveries, bounces, unique opens and clicks, ``Placed Order``,
  rates as '41.20%', ``Revenue`` as '$1,234.50'; an SMS has no opens ('-' in ``Opens`` and
  ``Open Rate``).
* ``oceanengine``: a 巨量引擎 (Ocean Engine / TikTok China) ad plan report
  (``巨量引擎_广告计划报表_20240701-20240930.csv``), UTF-8 with a byte-order mark as Excel wants
  it, Chinese headers (``日期``, ``广告计划``, ``计划ID``, ``推广目的``, ``投放状态``, ``消耗``,
  ``展示数``, ``点击数``, ``点击率`` '2.35%', ``平均点击单价``, ``平均千次展现费用``, ``转化数``,
  ``转化成本``, ``转化率``, ``成交订单数``, ``成交金额``, ``支付ROI``), '-' for ratios of a paused
  plan, and a ``总计`` row first, right under the header.
* ``youzan``: a 有赞 order export (``订单导出_20241008.csv``) in GBK (what Excel on a Chinese
  Windows writes): a row per ORDER LINE with the order's fields repeated on every line
  (``订单实付金额``, ``运费`` counted once per order), ``订单状态`` 已完成/已发货/待发货/已退款/已关闭,
  ``下单时间`` '2024-07-01 10:15:22', ``付款时间`` blank for closed orders, the buyer's
  ``买家手机号``, ``收货省份``/``收货城市``, ``订单来源`` 微信小程序/H5商城/线下门店.
* ``loyalty``: a loyalty programme points ledger (``points_ledger.csv``): a row per points
  transaction, ``Member ID`` 'M000123', ``Member Tier``, ``Txn Date`` as m/d/yyyy,
  ``Store``, ``Txn Type`` Earn/Redeem/Expire/Adjustment, signed ``Points``, ``Purchase Amount``
  as '$45.20' (blank unless a purchase), ``Reward`` and ``Coupon Code`` for redemptions,
  ``Balance After``.
* ``deals``: a HubSpot "all deals" export (``hubspot-crm-exports-all-deals-2024-10-01.csv``):
  ``Record ID``, ``Deal Name``, ``Pipeline``, ``Deal Stage`` (open stages, 'Closed won',
  'Closed lost'), ``Amount`` as '$12,500.00' (blank for some), ``Close Date`` and
  ``Create Date`` as '2024-03-05 14:22', ``Deal owner``, ``Deal Type``, ``Original Source``,
  ``Deal probability`` as a fraction, ``Closed lost reason``.

``build_file`` (``exports.py``) writes them; the case files beside this module hold
hand-written gold SQL over the tables as genbi loads them (a file's table is its stem).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

Rows = list[list[Any]]


def _usd(value: float) -> str:
    return f"${value:,.2f}"


def _pct(part: float, whole: float) -> str:
    return f"{part / whole * 100:.2f}%" if whole else "-"


# --- Klaviyo flow message performance -------------------------------------------------------

KLAVIYO = ["Day", "Flow Name", "Flow ID", "Flow Status", "Flow Message Name", "Message ID", "Channel", "Recipients",
           "Delivered", "Bounced", "Opens", "Open Rate", "Clicks", "Click Rate", "Placed Order", "Placed Order Rate",
           "Revenue", "Unsubscribes", "Spam Complaints"]
_K_FLOWS = [("Welcome Series", "Live", [("Welcome Email 1 - Brand Story", "Email", 60), ("Welcome Email 2 - 10% Off", "Email", 48),
                                        ("Welcome SMS - Code Reminder", "SMS", 20), ("Welcome Email 3 - Best Sellers", "Email", 40)]),
            ("Abandoned Cart", "Live", [("Abandoned Cart Email 1", "Email", 35), ("Abandoned Cart SMS", "SMS", 15),
                                        ("Abandoned Cart Email 2 - Free Shipping", "Email", 25)]),
            ("Browse Abandonment", "Live", [("Browse Abandonment - Still Looking?", "Email", 45)]),
            ("Post-Purchase Thank You", "Live", [("Thank You + Care Guide", "Email", 30),
                                                 ("Review Request", "Email", 22)]),
            ("Winback - 90 Days", "Manual", [("We Miss You", "Email", 26), ("Last Chance 20% Off", "Email", 18)])]


def _klaviyo(rng: random.Random) -> Rows:
    rows: Rows = []
    day = date(2024, 7, 1)
    while day <= date(2024, 9, 30):
        for f, (flow, status, messages) in enumerate(_K_FLOWS):
            if flow.startswith("Winback") and date(2024, 8, 12) <= day <= date(2024, 8, 25):
                continue  # switched to manual and paused for two weeks
            for m, (message, channel, volume) in enumerate(messages):
                recipients = int(volume * 12 * rng.uniform(0.6, 1.4))
                if recipients == 0:
                    continue
                bounced = sum(rng.random() < (0.01 if channel == "Email" else 0.02) for _ in range(recipients))
                delivered = recipients - bounced
                opens = int(delivered * rng.uniform(0.35, 0.6)) if channel == "Email" else None
                clicks = int(delivered * (rng.uniform(0.02, 0.08) if channel == "Email" else rng.uniform(0.06, 0.14)))
                placed = int(clicks * rng.uniform(0.02, 0.3 if "Cart" in flow else 0.12) + 0.5)
                revenue = round(sum(rng.uniform(35, 140) for _ in range(placed)), 2)
                rows.append([day.isoformat(), flow, f"X{f}k{f * 7}Q", status, message, f"R{f}{m}a{m * 3}Z", channel,
                             recipients, delivered, bounced, "-" if opens is None else opens,
                             "-" if opens is None else _pct(opens, delivered), clicks, _pct(clicks, delivered), placed,
                             _pct(placed, delivered), _usd(revenue), int(delivered * rng.uniform(0, 0.012)),
                             1 if rng.random() < 0.03 else 0])
        day += timedelta(days=1)
    return rows


# --- 巨量引擎 ad plan report ------------------------------------------------------------------

OCEANENGINE = ["日期", "广告计划", "计划ID", "推广目的", "投放状态", "消耗", "展示数", "点击数", "点击率", "平均点击单价",
               "平均千次展现费用", "转化数", "转化成本", "转化率", "成交订单数", "成交金额", "支付ROI"]
_O_PLANS = [("夏季新品_信息流_商品购买", "商品购买", 1800, 0.018, 0.035),
            ("爆款连衣裙_直播间引流", "直播间推广", 2600, 0.024, 0.028),
            ("品牌词_搜索广告", "商品购买", 600, 0.045, 0.06),
            ("会员招募_线索收集", "销售线索收集", 900, 0.012, 0.08),
            ("APP下载_安卓", "应用推广", 1200, 0.01, 0.11),
            ("中秋礼盒_预热", "商品购买", 1500, 0.02, 0.03),
            ("老客召回_DMP人群包", "商品购买", 700, 0.03, 0.05),
            ("抖音小店_短视频带货", "商品购买", 2000, 0.022, 0.032)]


def _oceanengine(rng: random.Random) -> Rows:
    rows: Rows = []
    day = date(2024, 7, 1)
    while day <= date(2024, 9, 30):
        for n, (plan, goal, budget, ctr, cvr) in enumerate(_O_PLANS):
            paused = (n == 5 and day < date(2024, 8, 20)) or (n == 3 and day > date(2024, 9, 15))
            spend = 0.0 if paused else round(budget * rng.uniform(0.7, 1.1), 2)
            impressions = 0 if paused else int(spend / rng.uniform(18, 32) * 1000)
            clicks = int(impressions * max(0.0, rng.gauss(ctr, ctr / 6)))
            conversions = int(clicks * max(0.0, rng.gauss(cvr, cvr / 5)))
            sells = goal in ("商品购买", "直播间推广")
            orders = conversions if sells else 0
            gmv = round(orders * rng.uniform(89, 239), 2)
            rows.append([day.isoformat(), plan, 1790000000000000 + n * 104729, goal, "已暂停" if paused else "投放中",
                         f"{spend:.2f}", impressions, clicks, _pct(clicks, impressions),
                         f"{spend / clicks:.2f}" if clicks else "-",
                         f"{spend / impressions * 1000:.2f}" if impressions else "-", conversions,
                         f"{spend / conversions:.2f}" if conversions else "-", _pct(conversions, clicks), orders,
                         f"{gmv:.2f}", f"{gmv / spend:.2f}" if spend and sells else "-"])
        day += timedelta(days=1)
    spend = sum(float(r[5]) for r in rows)
    impressions, clicks, conversions = (sum(r[k] for r in rows) for k in (6, 7, 11))
    orders, gmv = sum(r[14] for r in rows), sum(float(r[15]) for r in rows)
    total = ["总计", "-", "-", "-", "-", f"{spend:.2f}", impressions, clicks, _pct(clicks, impressions),
             f"{spend / clicks:.2f}", f"{spend / impressions * 1000:.2f}", conversions, f"{spend / conversions:.2f}",
             _pct(conversions, clicks), orders, f"{gmv:.2f}", f"{gmv / spend:.2f}"]
    return [total, *rows]


# --- 有赞 order export ------------------------------------------------------------------------

YOUZAN = ["订单号", "订单状态", "下单时间", "付款时间", "买家手机号", "收货人", "收货省份", "收货城市", "商品名称", "商品规格",
          "商品单价", "购买数量", "商品实付金额", "运费", "订单实付金额", "订单来源", "退款状态", "买家备注"]
_Y_PRODUCTS = [("植萃洁面乳", ["100ml", "150ml"], 69.0), ("玻尿酸补水面膜", ["5片装", "10片装"], 99.0),
               ("烟酰胺精华液", ["30ml"], 189.0), ("防晒霜SPF50", ["50g"], 129.0), ("氨基酸洗发水", ["500ml"], 59.0),
               ("香氛身体乳", ["白茶", "玫瑰"], 79.0), ("中秋礼盒", ["标准装", "豪华装"], 299.0),
               ("护手霜三支装", ["-"], 45.0)]
_Y_PLACES = [("广东省", ["广州市", "深圳市", "佛山市"], 22), ("浙江省", ["杭州市", "宁波市"], 15),
             ("江苏省", ["南京市", "苏州市"], 14), ("上海市", ["上海市"], 12), ("北京市", ["北京市"], 10),
             ("四川省", ["成都市"], 9), ("湖北省", ["武汉市"], 7), ("山东省", ["青岛市", "济南市"], 8)]
_Y_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_Y_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "婷", "雪", "晨", "欣怡", "子涵", "浩然"]


def _youzan(rng: random.Random) -> Rows:
    buyers = [(f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
               rng.choice(_Y_SURNAMES) + rng.choice(_Y_GIVEN),
               rng.choices(_Y_PLACES, [p[2] for p in _Y_PLACES])[0]) for _ in range(900)]
    weights = [rng.paretovariate(1.5) for _ in buyers]
    start = datetime(2024, 1, 1)
    stamps = sorted(start + timedelta(seconds=rng.randrange(274 * 86400)) for _ in range(2400))
    rows: Rows = []
    for created in stamps:
        phone, name, (province, cities, _) = rng.choices(buyers, weights)[0]
        city = rng.choice(cities)
        status = rng.choices(["已完成", "已发货", "待发货", "已退款", "已关闭"], [70, 10, 4, 6, 10])[0]
        if created > datetime(2024, 9, 20) and status == "已完成":
            status = "已发货"
        paid = "" if status == "已关闭" else f"{created + timedelta(seconds=rng.randint(5, 300)):%Y-%m-%d %H:%M:%S}"
        picks = rng.sample(_Y_PRODUCTS, rng.choices([1, 2, 3], [60, 30, 10])[0])
        lines = []
        for product, specs, price in picks:
            quantity = rng.choices([1, 2, 3], [75, 20, 5])[0]
            paid_line = round(price * quantity * rng.choice([1.0, 1.0, 0.9, 0.85]), 2)
            lines.append((product, rng.choice(specs), price, quantity, paid_line))
        items = round(sum(line[4] for line in lines), 2)
        freight = 0.0 if items >= 99 else 8.0
        total = round(items + freight, 2)
        source = rng.choices(["微信小程序", "H5商城", "线下门店"], [62, 28, 10])[0]
        note = rng.choice(["", "", "", "", "请尽快发货", "送人的，不要放发票", "周末送货"])
        order_no = f"E{created:%Y%m%d%H%M%S}{rng.randint(10000000, 99999999)}"
        for product, spec, price, quantity, paid_line in lines:
            rows.append([order_no, status, f"{created:%Y-%m-%d %H:%M:%S}", paid, phone, name, province, city, product,
                         spec, f"{price:.2f}", quantity, f"{paid_line:.2f}", f"{freight:.2f}", f"{total:.2f}",
                         source, "退款成功" if status == "已退款" else "", note])
    rows.reverse()  # newest first, as the export lists them
    return rows


# --- loyalty points ledger ------------------------------------------------------------------

LOYALTY = ["Txn ID", "Member ID", "Member Tier", "Txn Date", "Store", "Txn Type", "Points", "Purchase Amount", "Reward",
           "Coupon Code", "Balance After"]
_L_STORES = [("Downtown Flagship", 30), ("Westfield Mall", 25), ("Airport Kiosk", 8), ("Online", 37)]
_L_TIERS = [("Bronze", 55), ("Silver", 28), ("Gold", 13), ("Platinum", 4)]
_L_REWARDS = [("$5 Off Coupon", 500), ("Free Coffee", 300), ("$20 Off Coupon", 1800), ("Free Shipping", 250)]


def _loyalty(rng: random.Random) -> Rows:
    rows: Rows = []
    events: list[tuple[datetime, str, str]] = []
    tiers = {}
    for m in range(1, 901):
        member = f"M{m:06d}"
        tiers[member] = rng.choices([t for t, _ in _L_TIERS], [w for _, w in _L_TIERS])[0]
        joined = datetime(2024, 1, 1) + timedelta(days=rng.randint(0, 240))
        for _ in range(rng.randint(1, 14)):
            events.append((joined + timedelta(days=rng.randint(0, 60 + m % 200), minutes=rng.randint(0, 900)),
                           member, "purchase"))
    events = [e for e in events if e[0] < datetime(2024, 10, 1)]
    events.sort()
    balance: dict[str, int] = {}
    home = {m: rng.choices([s for s, _ in _L_STORES], [w for _, w in _L_STORES])[0] for m in tiers}
    for moment, member, _ in events:
        store = home[member] if rng.random() < 0.8 else rng.choice([s for s, _ in _L_STORES])
        rate = {"Bronze": 1, "Silver": 1.25, "Gold": 1.5, "Platinum": 2}[tiers[member]]
        amount = round(rng.uniform(8, 180), 2)
        points = int(amount * rate)
        balance[member] = balance.get(member, 0) + points
        rows.append([moment, member, tiers[member], moment.strftime("%m/%d/%Y"), store, "Earn", points, _usd(amount),
                     "", "", balance[member]])
        affordable = [r for r in _L_REWARDS if r[1] <= balance[member]]
        if affordable and rng.random() < 0.35:
            reward, cost = rng.choice(affordable)
            balance[member] -= cost
            code = f"{reward.split()[0].strip('$').upper()[:4]}-{rng.getrandbits(20):05X}"
            rows.append([moment + timedelta(minutes=1), member, tiers[member], moment.strftime("%m/%d/%Y"), store,
                         "Redeem", -cost, "", reward, code, balance[member]])
        if rng.random() < 0.02:
            adjust = rng.choice([-50, 25, 50, 100])
            balance[member] = max(0, balance[member] + adjust)
            rows.append([moment + timedelta(minutes=2), member, tiers[member], moment.strftime("%m/%d/%Y"), "Online",
                         "Adjustment", adjust, "", "", "", balance[member]])
    for member, points in balance.items():  # points older than the programme's window lapse on Sep 30
        if points > 400 and rng.random() < 0.15:
            expired = points // 4
            balance[member] = points - expired
            rows.append([datetime(2024, 9, 30, 23, 59), member, tiers[member], "09/30/2024", "Online", "Expire",
                         -expired, "", "", "", balance[member]])
    rows.sort(key=lambda r: r[0])
    return [[f"T{n + 100001}", *row[1:]] for n, row in enumerate(rows)]


# --- HubSpot deals export -------------------------------------------------------------------

DEALS = ["Record ID", "Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date", "Create Date", "Deal owner",
         "Deal Type", "Original Source", "Deal probability", "Closed lost reason", "Associated Company"]
_H_STAGES = [("Appointment scheduled", 0.2, 9), ("Qualified to buy", 0.4, 8), ("Presentation scheduled", 0.6, 6),
             ("Decision maker bought-in", 0.8, 5), ("Contract sent", 0.9, 4), ("Closed won", 1.0, 30),
             ("Closed lost", 0.0, 38)]
_H_OWNERS = ["Alex Rivera", "Jordan Lee", "Sam Taylor", "Morgan Blake", "Casey Park", ""]
_H_SOURCES = [("Organic Search", 22), ("Paid Search", 17), ("Paid Social", 12), ("Email Marketing", 10),
              ("Referrals", 14), ("Direct Traffic", 10), ("Offline Sources", 15)]
_H_COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Retail", "Wayne Logistics", "Hooli",
                "Vandelay Imports", "Pied Piper", "Soylent Foods", "Tyrell Labs", "Wonka Treats"]
_H_REASONS = ["Price", "Went with competitor", "No budget", "Timing", "No decision"]


def _deals(rng: random.Random) -> Rows:
    rows: Rows = []
    for n in range(1400):
        created = datetime(2023, 1, 2, 8) + timedelta(days=rng.randint(0, 630), minutes=rng.randint(0, 600))
        stage, probability, _ = rng.choices(_H_STAGES, [s[2] for s in _H_STAGES])[0]
        closed = stage.startswith("Closed")
        if closed:
            close = created + timedelta(days=rng.randint(5, 120), minutes=rng.randint(0, 300))
            if close > datetime(2024, 9, 30, 18):
                stage, probability, closed = "Contract sent", 0.9, False
        close_shown = f"{close:%Y-%m-%d %H:%M}" if closed else \
            (f"{created + timedelta(days=rng.randint(30, 120)):%Y-%m-%d} 00:00" if rng.random() < 0.7 else "")
        deal_type = rng.choices(["New Business", "Existing Business", ""], [65, 25, 10])[0]
        amount = round(rng.lognormvariate(8.6 if deal_type != "Existing Business" else 8.1, 0.8), -2)
        company = rng.choice(_H_COMPANIES)
        rows.append([11000000000 + n * 9173 + rng.randint(0, 999),
                     f"{company} - {rng.choice(['Annual Plan', 'Pilot', 'Expansion', 'Renewal', 'Onboarding'])}",
                     "Sales Pipeline" if deal_type != "Existing Business" else "Renewals Pipeline", stage,
                     "" if rng.random() < 0.06 else _usd(amount), close_shown, f"{created:%Y-%m-%d %H:%M}",
                     rng.choices(_H_OWNERS, [24, 22, 20, 18, 12, 4])[0], deal_type,
                     rng.choices([s for s, _ in _H_SOURCES], [w for _, w in _H_SOURCES])[0], probability,
                     rng.choice(_H_REASONS) if stage == "Closed lost" and rng.random() < 0.8 else "", company])
    return rows


ENCODINGS = {"oceanengine": "utf-8-sig", "youzan": "gbk"}
EXPORTS: dict[str, tuple[str, list[str], Callable[[random.Random], Rows]]] = {
    "klaviyo": ("flows-message-performance-2024-07-01-to-2024-09-30.csv", KLAVIYO, _klaviyo),
    "oceanengine": ("巨量引擎_广告计划报表_20240701-20240930.csv", OCEANENGINE, _oceanengine),
    "youzan": ("订单导出_20241008.csv", YOUZAN, _youzan),
    "loyalty": ("points_ledger.csv", LOYALTY, _loyalty),
    "deals": ("hubspot-crm-exports-all-deals-2024-10-01.csv", DEALS, _deals),
}
