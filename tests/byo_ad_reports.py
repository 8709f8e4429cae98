"""Lookalikes of ad-platform and lifecycle exports marketers bring (values generated; nothing copied).

* ``google_ads``: a Google Ads campaign report: 'Campaign', 'Day', 'Impr.', 'Interactions',
  'Clicks', 'Cost' as '$1,234.56' text, 'Avg. CPC', 'CTR' as '3.45%' text, 'Conv.', 'Conv. value',
  'Conv. rate', and 'Total: ...' rows at the bottom.
* ``zhitongche``: a Taobao/Tmall ad plan report (计划名称, 日期, 展现量, 点击量, 花费, 点击率 as '1.23%',
  平均点击花费, 成交金额, 成交笔数, 投入产出比) with a 合计 row at the bottom.
* ``subscriptions``: an app's subscriptions (user_id, plan, country, start_date, cancelled_at, mrr).
* ``loyalty``: a points ledger (member_id, txn_date, txn_type earn/redeem/expire, points signed, store).
* ``amazon_sp``: an Amazon Sponsored Products campaign report ('Date' as 'Jul 01, 2024', 'Campaign Name',
  'Impressions', 'Clicks', 'Click-Thru Rate (CTR)', 'Cost Per Click (CPC)', 'Spend', '7 Day Total Sales ',
  'Total Advertising Cost of Sales (ACOS) ', 'Total Return on Advertising Spend (ROAS)', '7 Day Total Orders (#)').
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

GADS_CAMPAIGNS = [("Search | Brand", "Search", 80, 0.09, 0.9, 0.08), ("Search | Generic Jackets", "Search", 150, 0.04,
                                                                                                       2.1, 0.03),
                  ("PMax | All Products", "Performance Max", 220, 0.012, 0.7, 0.025),
                  ("Shopping | Bestsellers", "Shopping", 120, 0.015, 0.55, 0.035),
                  ("Display | Remarketing", "Display", 40, 0.004, 0.35, 0.01),
                  ("YouTube | Rain Shell", "Video", 30, 0.002, 0.25, 0.004)]


def _money(value: float) -> str:
    return f"${value:,.2f}"


def google_ads(path: Path) -> pd.DataFrame:
    """The report as the user downloads it (path) and the clean numbers (returned) to check against."""
    rng = random.Random(101)
    rows = []
    day = date(2024, 4, 1)
    while day <= date(2024, 9, 30):
        for name, kind, budget, ctr, cpc, cvr in GADS_CAMPAIGNS:
            cost = round(budget * rng.uniform(0.6, 1.1), 2)
            clicks = max(1, int(cost / (cpc * rng.uniform(0.8, 1.2))))
            impressions = int(clicks / (ctr * rng.uniform(0.8, 1.2)))
            conv = round(clicks * cvr * rng.uniform(0.5, 1.5), 2)
            value = round(conv * rng.uniform(70, 120), 2)
            rows.append({"Campaign": name, "Campaign type": kind, "Day": day.isoformat(), "Impr.": impressions,
                         "Interactions": clicks, "Clicks": clicks, "Cost": cost, "Conv.": conv, "Conv. value": value})
        day += timedelta(days=1)
    clean = pd.DataFrame(rows)
    shown = clean.copy()
    shown["Avg. CPC"] = [_money(c / k) for c, k in zip(clean["Cost"], clean["Clicks"], strict=True)]
    shown["CTR"] = [f"{k / i * 100:.2f}%" for k, i in zip(clean["Clicks"], clean["Impr."], strict=True)]
    shown["Conv. rate"] = [f"{v / k * 100:.2f}%" for v, k in zip(clean["Conv."], clean["Clicks"], strict=True)]
    shown["Cost"] = [_money(c) for c in clean["Cost"]]
    shown["Conv. value"] = [f"{v:,.2f}" for v in clean["Conv. value"]]
    shown["Impr."] = [f"{i:,}" for i in clean["Impr."]]
    shown = shown[["Campaign", "Campaign type", "Day", "Impr.", "Interactions", "Clicks", "CTR", "Avg. CPC", "Cost",
                   "Conv.", "Conv. rate", "Conv. value"]]
    totals = {"Campaign": "Total: Account", "Campaign type": "", "Day": "",
              "Impr.": f"{clean['Impr.'].sum():,}", "Interactions": clean["Interactions"].sum(),
              "Clicks": clean["Clicks"].sum(), "CTR": "", "Avg. CPC": "", "Cost": _money(clean["Cost"].sum()),
              "Conv.": round(clean["Conv."].sum(), 2), "Conv. rate": "", "Conv. value": f"{clean['Conv. value'].sum():,.2f}"}
    shown = pd.concat([shown, pd.DataFrame([totals])], ignore_index=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("Campaign report\n\"April 1, 2024 - September 30, 2024\"\n")
        shown.to_csv(out, index=False)
    return clean


ZTC_PLANS = [("日常推广-连衣裙", 300, 0.021, 0.9, 0.035), ("大促-双11预热", 500, 0.028, 1.2, 0.05),
             ("新品测款-防晒衣", 150, 0.015, 0.7, 0.02), ("店铺-智能推广", 220, 0.018, 0.8, 0.03)]


def zhitongche(path: Path) -> pd.DataFrame:
    rng = random.Random(202)
    rows = []
    day = date(2024, 6, 1)
    while day <= date(2024, 8, 31):
        for name, budget, ctr, cpc, cvr in ZTC_PLANS:
            cost = round(budget * rng.uniform(0.6, 1.1), 2)
            clicks = max(1, int(cost / (cpc * rng.uniform(0.8, 1.2))))
            shows = int(clicks / (ctr * rng.uniform(0.8, 1.2)))
            orders = int(clicks * cvr * rng.uniform(0.5, 1.5))
            amount = round(orders * rng.uniform(80, 160), 2)
            rows.append({"计划名称": name, "日期": day.strftime("%Y%m%d"), "展现量": shows, "点击量": clicks,
                         "花费": cost, "成交笔数": orders, "成交金额": amount})
        day += timedelta(days=1)
    clean = pd.DataFrame(rows)
    shown = clean.copy()
    shown["点击率"] = [f"{k / s * 100:.2f}%" for k, s in zip(clean["点击量"], clean["展现量"], strict=True)]
    shown["平均点击花费"] = [round(c / k, 2) for c, k in zip(clean["花费"], clean["点击量"], strict=True)]
    shown["投入产出比"] = [round(a / c, 2) for a, c in zip(clean["成交金额"], clean["花费"], strict=True)]
    shown = shown[["日期", "计划名称", "展现量", "点击量", "点击率", "花费", "平均点击花费", "成交笔数", "成交金额",
                   "投入产出比"]]
    total = {"日期": "合计", "计划名称": "", "展现量": clean["展现量"].sum(), "点击量": clean["点击量"].sum(),
             "点击率": "", "花费": round(clean["花费"].sum(), 2), "平均点击花费": "", "成交笔数": clean["成交笔数"].sum(),
             "成交金额": round(clean["成交金额"].sum(), 2), "投入产出比": ""}
    shown = pd.concat([shown, pd.DataFrame([total])], ignore_index=True)
    shown.to_csv(path, index=False, encoding="utf-8-sig")
    return clean


def subscriptions(path: Path) -> pd.DataFrame:
    rng = random.Random(303)
    rows = []
    plans = [("Basic", 9.99), ("Pro", 29.0), ("Team", 99.0)]
    for i in range(1, 2501):
        plan, price = rng.choices(plans, [60, 30, 10])[0]
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 600))
        cancelled = start + timedelta(days=rng.randrange(20, 400)) if rng.random() < 0.4 else None
        if cancelled and cancelled > date(2024, 9, 30):
            cancelled = None
        rows.append({"user_id": f"u{i:05d}", "plan": plan, "country": rng.choice(["US", "UK", "DE", "FR", "CA"]),
                     "start_date": start.isoformat(), "cancelled_at": cancelled.isoformat() if cancelled else "",
                     "status": "cancelled" if cancelled else "active",
                     "mrr": price if rng.random() < 0.8 else round(price * 10 / 12, 2)})
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return frame


def loyalty(path: Path) -> pd.DataFrame:
    rng = random.Random(404)
    rows = []
    for n in range(1, 3001):
        kind = rng.choices(["earn", "redeem", "expire"], [70, 25, 5])[0]
        points = rng.randrange(10, 500)
        rows.append({"txn_id": n, "member_id": f"M{rng.randrange(1, 400):04d}",
                     "txn_date": (date(2024, 1, 1) + timedelta(days=rng.randrange(0, 270))).isoformat(),
                     "txn_type": kind, "points": points if kind == "earn" else -points,
                     "store": rng.choice(["Downtown", "Mall", "Airport", "Online"]),
                     "purchase_amount": round(points / 2 * rng.uniform(0.9, 1.1), 2) if kind == "earn" else 0.0})
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return frame


AMZ = [("SP - Auto - Rain Jackets", 40, 0.004, 0.85, 0.1), ("SP - Exact - rain jacket women", 60, 0.006, 1.3, 0.14),
       ("SP - Broad - hiking gear", 35, 0.003, 0.7, 0.06), ("SB - Brand Video", 25, 0.002, 1.1, 0.05)]


def amazon_sp(path: Path) -> pd.DataFrame:
    rng = random.Random(505)
    rows = []
    day = date(2024, 7, 1)
    while day <= date(2024, 9, 30):
        for name, budget, ctr, cpc, cvr in AMZ:
            spend = round(budget * rng.uniform(0.6, 1.1), 2)
            clicks = max(1, int(spend / (cpc * rng.uniform(0.8, 1.2))))
            impressions = int(clicks / (ctr * rng.uniform(0.8, 1.2)))
            orders = int(clicks * cvr * rng.uniform(0.5, 1.5))
            sales = round(orders * rng.uniform(35, 60), 2)
            rows.append({"Date": day, "Campaign Name": name, "Impressions": impressions, "Clicks": clicks,
                         "Spend": spend, "7 Day Total Sales": sales, "7 Day Total Orders (#)": orders})
        day += timedelta(days=1)
    clean = pd.DataFrame(rows)
    shown = pd.DataFrame({
        "Date": [d.strftime("%b %d, %Y") for d in clean["Date"]], "Portfolio name": "Not grouped",
        "Currency": "USD", "Campaign Name": clean["Campaign Name"], "Impressions": clean["Impressions"],
        "Clicks": clean["Clicks"],
        "Click-Thru Rate (CTR)": [f"{c / i * 100:.4f}%" for c, i in zip(clean["Clicks"], clean["Impressions"],
                                                                         strict=True)],
        "Cost Per Click (CPC)": [f"$ {s / c:.2f}" for s, c in zip(clean["Spend"], clean["Clicks"], strict=True)],
        "Spend": [f"$ {s:,.2f}" for s in clean["Spend"]],
        "7 Day Total Sales ": [f"$ {s:,.2f}" for s in clean["7 Day Total Sales"]],
        "Total Advertising Cost of Sales (ACOS) ": [f"{s / v * 100:.4f}%" if v else ""
                                                    for s, v in zip(clean["Spend"], clean["7 Day Total Sales"],
                                                                    strict=True)],
        "Total Return on Advertising Spend (ROAS)": [round(v / s, 2) for s, v in zip(clean["Spend"],
                                                                                       clean["7 Day Total Sales"],
                                                                                       strict=True)],
        "7 Day Total Orders (#)": clean["7 Day Total Orders (#)"]})
    shown.to_csv(path, index=False)
    clean["Date"] = pd.to_datetime(clean["Date"])
    return clean


SHAPES = {"google_ads": ("Campaign report.csv", google_ads), "zhitongche": ("直通车_计划报表.csv", zhitongche),
          "subscriptions": ("subscriptions.csv", subscriptions), "loyalty": ("points_ledger.csv", loyalty),
          "amazon_sp": ("Sponsored_Products_Campaign_report.csv", amazon_sp)}


if __name__ == "__main__":
    import sys
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/byo4")
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, make in SHAPES.values():
        make(folder / file_name)
        print(folder / file_name)
