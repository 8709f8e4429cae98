"""Lookalikes of marketing exports nobody tuned genbi for (values generated with fixed seeds; nothing copied).

Each generator writes the file as the user downloads it (quirks real exports have: preamble
lines, currency symbols, thousands separators, '%' text, totals rows, mixed date formats,
Chinese headers) and returns the clean numbers as a DataFrame, so tests compute the expected
answers in pandas, independently of genbi.

* ``stripe``: a Stripe payments export ('id', 'Created (UTC)', 'Amount', 'Amount Refunded',
  'Currency', 'Status' succeeded/failed/refunded, 'Fee', 'Customer Email', 'Description').
* ``klaviyo``: an email campaign report (send date, recipients, delivered, opens, unique opens,
  clicks, unsubscribes, bounces, 'Open Rate' as '%' text, revenue as '$1,234.56').
* ``salesforce``: CRM opportunities (Stage incl. Closed Won / Closed Lost, Amount, Close Date
  as M/D/YYYY, Lead Source, Opportunity Owner) with a report title and a 'Grand Total' row.
* ``appsflyer``: a mobile-app install report (date, media source, campaign, impressions,
  clicks, installs, cost, revenue, day-1/day-7 retention as '%' text).
* ``bank_calls``: the UCI bank-marketing call campaign (semicolon separated; y = yes/no).
* ``youzan``: a 有赞/拼多多 style order export (订单号, 下单时间, 实付金额 '¥1,234.00',
  优惠金额, 订单状态 with 已退款/交易关闭, 收货省份, 商品名称).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

STRIPE_PRODUCTS = [("Starter plan", 19.0), ("Pro plan", 49.0), ("Team plan", 149.0), ("Onboarding call", 250.0)]


def stripe(path: Path) -> pd.DataFrame:
    """Stripe's unified payments export: amounts in dollars, a status per charge; 'refunded'
    charges carry their full amount in 'Amount Refunded', some succeeded ones a partial refund."""
    rng = random.Random(501)
    rows = []
    start = datetime(2024, 1, 1, 8, 0, 0)
    for n in range(900):
        created = start + timedelta(minutes=rng.randint(0, 60 * 24 * 181))
        product, price = rng.choice(STRIPE_PRODUCTS)
        amount = round(price * rng.choice([1, 1, 1, 2, 3]), 2)
        status = rng.choices(["succeeded", "failed", "refunded"], [80, 12, 8])[0]
        refunded = amount if status == "refunded" else (round(amount * 0.5, 2)
                                                        if status == "succeeded" and rng.random() < 0.05 else 0.0)
        fee = round(amount * 0.029 + 0.30, 2) if status != "failed" else 0.0
        rows.append({"id": f"ch_3O{n:06d}Xk{rng.randint(1000, 9999)}", "created": created, "amount": amount,
                     "refunded": refunded, "status": status, "fee": fee,
                     "email": f"user{rng.randint(1, 400)}@example.com", "description": product})
    clean = pd.DataFrame(rows).sort_values("created", ignore_index=True)
    shown = pd.DataFrame({
        "id": clean["id"], "Created (UTC)": clean["created"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Amount": [f"{a:,.2f}" for a in clean["amount"]], "Amount Refunded": [f"{a:,.2f}" for a in clean["refunded"]],
        "Currency": "usd", "Status": clean["status"], "Fee": [f"{f:.2f}" for f in clean["fee"]],
        "Customer Email": clean["email"], "Description": clean["description"]})
    shown.to_csv(path, index=False)
    return clean


KLAVIYO_NAMES = ["Spring Sale Launch", "New Arrivals", "Weekend Flash Sale", "Loyalty Rewards", "Product Tips",
                 "Back in Stock", "VIP Early Access", "Holiday Gift Guide", "Last Chance", "Welcome Back"]


def klaviyo(path: Path) -> pd.DataFrame:
    """One row per campaign send; 'Open Rate' and 'Click Rate' as '%' text, 'Revenue' as '$1,234.56'."""
    rng = random.Random(502)
    rows = []
    day = date(2024, 1, 4)
    n = 0
    while day <= date(2024, 6, 28):
        recipients = rng.randint(8000, 40000)
        bounces = int(recipients * rng.uniform(0.005, 0.03))
        delivered = recipients - bounces
        unique_opens = int(delivered * rng.uniform(0.15, 0.45))
        opens = int(unique_opens * rng.uniform(1.2, 1.8))
        clicks = int(unique_opens * rng.uniform(0.05, 0.2))
        rows.append({"campaign": f"{KLAVIYO_NAMES[n % len(KLAVIYO_NAMES)]} #{n + 1}", "send": day,
                     "recipients": recipients, "delivered": delivered, "opens": opens, "unique_opens": unique_opens,
                     "clicks": clicks, "unsubscribes": int(delivered * rng.uniform(0.001, 0.006)),
                     "bounces": bounces, "revenue": round(clicks * rng.uniform(2, 9), 2)})
        day += timedelta(days=rng.choice([3, 4, 7]))
        n += 1
    clean = pd.DataFrame(rows)
    shown = pd.DataFrame({
        "Campaign Name": clean["campaign"], "Send Date": [d.strftime("%b %d, %Y") for d in clean["send"]],
        "Total Recipients": [f"{r:,}" for r in clean["recipients"]], "Delivered": clean["delivered"],
        "Opens": clean["opens"], "Unique Opens": clean["unique_opens"],
        "Open Rate": [f"{u / d * 100:.2f}%" for u, d in zip(clean["unique_opens"], clean["delivered"], strict=True)],
        "Clicks": clean["clicks"],
        "Click Rate": [f"{c / d * 100:.2f}%" for c, d in zip(clean["clicks"], clean["delivered"], strict=True)],
        "Unsubscribes": clean["unsubscribes"], "Bounces": clean["bounces"],
        "Revenue": [f"${r:,.2f}" for r in clean["revenue"]]})
    shown.to_csv(path, index=False)
    return clean


SF_OWNERS = ["Dana Whitfield", "Marcus Lee", "Priya Raman", "Tom Okafor"]
SF_SOURCES = ["Web", "Partner Referral", "Trade Show", "Email Campaign", "Cold Call"]
SF_STAGES = ["Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"]


def salesforce(path: Path) -> pd.DataFrame:
    """A Salesforce opportunities report: a title and a blank line above the header, 'Amount' as
    '$12,000.00', 'Close Date' as M/D/YYYY, a 'Grand Total' row at the end."""
    rng = random.Random(503)
    rows = []
    for n in range(400):
        stage = rng.choices(SF_STAGES, [10, 10, 8, 6, 30, 36])[0]
        close = date(2024, 1, 1) + timedelta(days=rng.randint(0, 364))
        rows.append({"opportunity": f"Opp-{n + 1:04d} Renewal" if rng.random() < 0.3 else f"Opp-{n + 1:04d} New Biz",
                     "account": f"Account {rng.randint(1, 150):03d} Inc.", "stage": stage,
                     "amount": float(rng.randint(20, 400) * 250), "close": close,
                     "source": rng.choice(SF_SOURCES), "owner": rng.choice(SF_OWNERS)})
    clean = pd.DataFrame(rows)
    shown = pd.DataFrame({
        "Opportunity Name": clean["opportunity"], "Account Name": clean["account"], "Stage": clean["stage"],
        "Amount": [f"${a:,.2f}" for a in clean["amount"]],
        "Close Date": [f"{d.month}/{d.day}/{d.year}" for d in clean["close"]],
        "Lead Source": clean["source"], "Opportunity Owner": clean["owner"]})
    total = {c: "" for c in shown.columns}
    total.update({"Opportunity Name": "Grand Total (400 records)", "Amount": f"${clean['amount'].sum():,.2f}"})
    shown = pd.concat([shown, pd.DataFrame([total])], ignore_index=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write('"Opportunities by Stage"\n"As of 12/31/2024"\n\n')
        shown.to_csv(out, index=False)
    return clean


AF_SOURCES = [("googleadwords_int", 0.04, 0.9), ("Facebook Ads", 0.03, 1.1), ("tiktokglobal_int", 0.05, 0.6),
              ("Apple Search Ads", 0.08, 1.8), ("unityads_int", 0.02, 0.4)]


def appsflyer(path: Path) -> pd.DataFrame:
    """A daily install report by media source and campaign; 'Cost' and 'Revenue' with '$',
    retention as '%' text (each day's share of that day's installs)."""
    rng = random.Random(504)
    rows = []
    day = date(2024, 3, 1)
    while day <= date(2024, 5, 31):
        for source, ctr, cpc in AF_SOURCES:
            for campaign in ("UA_Broad", "UA_Retarget"):
                clicks = rng.randint(200, 2000)
                installs = int(clicks * rng.uniform(0.05, 0.3))
                rows.append({"date": day, "source": source, "campaign": f"{source.split('_')[0][:8]}_{campaign}",
                             "impressions": int(clicks / (ctr * rng.uniform(0.7, 1.3))), "clicks": clicks,
                             "installs": installs, "cost": round(clicks * cpc * rng.uniform(0.8, 1.2), 2),
                             "revenue": round(installs * rng.uniform(0.5, 4.0), 2),
                             "d1": rng.uniform(0.2, 0.45), "d7": rng.uniform(0.05, 0.18)})
        day += timedelta(days=1)
    clean = pd.DataFrame(rows)
    shown = pd.DataFrame({
        "Date": [d.isoformat() for d in clean["date"]], "Media Source": clean["source"], "Campaign": clean["campaign"],
        "Impressions": [f"{i:,}" for i in clean["impressions"]], "Clicks": clean["clicks"],
        "Installs": clean["installs"], "Cost": [f"${c:,.2f}" for c in clean["cost"]],
        "Revenue": [f"${r:,.2f}" for r in clean["revenue"]],
        "Retention Day 1": [f"{r * 100:.1f}%" for r in clean["d1"]],
        "Retention Day 7": [f"{r * 100:.1f}%" for r in clean["d7"]]})
    shown.to_csv(path, index=False)
    return clean


BANK_JOBS = ["admin.", "blue-collar", "technician", "services", "management", "retired", "student", "entrepreneur"]
BANK_MONTHS = ["mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def bank_calls(path: Path) -> pd.DataFrame:
    """The 'bank-additional' layout: semicolon separated, every text quoted, y = "yes"/"no"."""
    rng = random.Random(505)
    rows = []
    for _ in range(3000):
        job = rng.choice(BANK_JOBS)
        month = rng.choice(BANK_MONTHS)
        contact = rng.choice(["cellular", "cellular", "telephone"])
        p = 0.08 + (0.2 if job in ("student", "retired") else 0) + (0.1 if month in ("mar", "sep", "oct", "dec")
                                                                    else 0) + (0.03 if contact == "cellular" else 0)
        prev = rng.choices(["nonexistent", "failure", "success"], [80, 14, 6])[0]
        rows.append({"age": rng.randint(18, 88) if job == "retired" else rng.randint(18, 60), "job": job,
                     "marital": rng.choice(["married", "single", "divorced"]),
                     "education": rng.choice(["university.degree", "high.school", "basic.9y", "professional.course"]),
                     "default": rng.choice(["no", "no", "unknown"]), "housing": rng.choice(["yes", "no"]),
                     "loan": rng.choice(["yes", "no", "no"]), "contact": contact, "month": month,
                     "day_of_week": rng.choice(["mon", "tue", "wed", "thu", "fri"]),
                     "duration": rng.randint(5, 1200), "campaign": rng.randint(1, 8),
                     "pdays": 999 if prev == "nonexistent" else rng.randint(1, 20),
                     "previous": 0 if prev == "nonexistent" else rng.randint(1, 3), "poutcome": prev,
                     "y": "yes" if rng.random() < p + (0.3 if prev == "success" else 0) else "no"})
    clean = pd.DataFrame(rows)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(";".join(f'"{c}"' for c in clean.columns) + "\n")
        for row in rows:
            out.write(";".join(str(v) if isinstance(v, int) else f'"{v}"' for v in row.values()) + "\n")
    return clean


YZ_PRODUCTS = [("夏季冰丝防晒衣", 129.0), ("纯棉短袖T恤", 59.0), ("高腰阔腿牛仔裤", 169.0), ("轻薄羽绒马甲", 239.0),
               ("运动速干短裤", 79.0)]
YZ_PROVINCES = ["广东省", "浙江省", "江苏省", "上海", "北京", "四川省", "山东省"]
YZ_STATUS = ["交易成功", "已发货", "待发货", "已退款", "交易关闭"]


def youzan(path: Path) -> pd.DataFrame:
    """A shop's order export: 实付金额/优惠金额 as '¥1,234.00', 下单时间 in two formats (the shop
    changed its export settings), 订单状态 with refunded and closed (never paid) orders."""
    rng = random.Random(506)
    rows = []
    start = datetime(2024, 3, 1, 9, 0, 0)
    for n in range(1200):
        placed = start + timedelta(minutes=rng.randint(0, 60 * 24 * 152))
        product, price = rng.choice(YZ_PRODUCTS)
        quantity = rng.choice([1, 1, 1, 2, 3])
        discount = round(rng.choice([0, 0, 5, 10, 20]) * 1.0, 2)
        status = rng.choices(YZ_STATUS, [60, 10, 6, 12, 12])[0]
        rows.append({"order": f"E2024{n + 1:08d}", "placed": placed, "paid": round(price * quantity - discount, 2),
                     "discount": discount, "status": status, "province": rng.choice(YZ_PROVINCES),
                     "product": product, "quantity": quantity, "buyer": f"买家{rng.randint(1, 500)}"})
    clean = pd.DataFrame(rows).sort_values("placed", ignore_index=True)
    shown = pd.DataFrame({
        "订单号": clean["order"],
        "下单时间": [p.strftime("%Y-%m-%d %H:%M:%S") if i % 3 else p.strftime("%Y/%m/%d %H:%M")
                 for i, p in enumerate(clean["placed"])],
        "买家昵称": clean["buyer"], "商品名称": clean["product"], "商品数量": clean["quantity"],
        "实付金额": [f"¥{a:,.2f}" for a in clean["paid"]], "优惠金额": [f"¥{a:,.2f}" for a in clean["discount"]],
        "订单状态": clean["status"], "收货省份": clean["province"]})
    shown.to_csv(path, index=False, encoding="utf-8-sig")
    # the minute-only rows are read to the minute: keep the clean times comparable
    clean["placed"] = [p if i % 3 else p.replace(second=0) for i, p in enumerate(clean["placed"])]
    return clean
