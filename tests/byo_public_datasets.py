"""Lookalikes of five public customer / marketing datasets nobody tuned genbi for, written as
they are downloaded (values generated with fixed seeds; nothing copied from the originals).

Each generator writes the file into a folder and returns ``(path, clean)``: the file the user
passes to ``--db`` and the clean values as a DataFrame, so expected answers are computed in
pandas, independently of genbi.

* ``taobao``: Alibaba Tianchi "User Behavior Data from Taobao" (``UserBehavior.csv``): NO header
  row; ``user_id, item_id, category_id, behavior_type, timestamp`` with behavior_type pv / cart /
  fav / buy and the time as a unix epoch (2017-11-25 .. 2017-12-03, a few stray timestamps
  outside that range as in the original); rows grouped by user. ``header=True`` writes the
  header line a user adds by hand.
* ``shoppers``: UCI "Online Shoppers Purchasing Intention" (``online_shoppers_intention.csv``):
  a session per row, page counts and durations, ``BounceRates``/``ExitRates``/``PageValues``,
  ``Month`` abbreviated except 'June' (no Jan or Apr, no year), codes for OS / browser / region /
  traffic type, ``VisitorType`` Returning_Visitor / New_Visitor / Other, ``Weekend`` and the
  outcome ``Revenue`` as TRUE / FALSE.
* ``churn``: Kaggle "Bank Customer Churn" (``Churn_Modelling.csv``): ``RowNumber``,
  ``CustomerId``, ``Surname``, ``CreditScore``, ``Geography`` France / Spain / Germany,
  ``Gender``, ``Age``, ``Tenure``, ``Balance`` (0.0 for a third), ``NumOfProducts``, 0/1
  ``HasCrCard`` / ``IsActiveMember`` and the outcome ``Exited``; no date.
* ``cookie_cats``: the Cookie Cats mobile game A/B test (``cookie_cats.csv``): ``userid``,
  ``version`` gate_30 / gate_40, ``sum_gamerounds``, ``retention_1`` / ``retention_7`` as
  True / False; no date.
* ``ifood``: Kaggle "Marketing Analytics" (``marketing_data.csv``, the iFood campaign file with a
  country): comma-separated, the header `` Income `` with spaces around it and values like
  '$84,835.00 ' (blank for some), ``Dt_Customer`` as m/d/yy ('6/16/14'), ``Country`` codes
  SP / CA / US / AUS / GER / IND / SA / ME, 0/1 ``AcceptedCmp3,4,5,1,2``, ``Response``, ``Complain``.
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

TAOBAO_START = 1511539200  # 2017-11-25 00:00 Beijing time
TAOBAO_END = 1512316799  # 2017-12-03 23:59:59 Beijing time


def taobao(folder: Path, header: bool = False) -> tuple[Path, pd.DataFrame]:
    rng = random.Random(701)
    categories = sorted(rng.sample(range(1000000, 5200000), 40))
    items = [(rng.randint(1000, 5160000), rng.choice(categories)) for _ in range(900)]
    rows = []
    users = sorted(rng.sample(range(1, 1018000), 320))
    for user in users:
        for _ in range(rng.randint(3, 35)):
            item, category = rng.choice(items)
            behavior = rng.choices(["pv", "cart", "fav", "buy"], [86, 6, 3, 5])[0]
            stamp = rng.randint(TAOBAO_START, TAOBAO_END)
            rows.append((user, item, category, behavior, stamp))
    # the original has a handful of timestamps outside its nine days
    for n, stamp in enumerate([1511452800 + 3600, 1511452800 + 7200, 1512403200 + 600]):
        user, item, category, _, _ = rows[97 * (n + 1)]
        rows.append((user, item, category, "pv", stamp))
    rows.sort(key=lambda row: row[0])
    clean = pd.DataFrame(rows, columns=["user_id", "item_id", "category_id", "behavior_type", "timestamp"])
    path = folder / "UserBehavior.csv"
    clean.to_csv(path, index=False, header=header)
    clean["time"] = pd.to_datetime(clean["timestamp"], unit="s")  # UTC, as the epoch is
    return path, clean


SHOPPER_MONTHS = {"Feb": 2, "Mar": 3, "May": 5, "June": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11,
                  "Dec": 12}


def shoppers(folder: Path) -> tuple[Path, pd.DataFrame]:
    rng = random.Random(702)
    rows = []
    for _ in range(3000):
        month = rng.choices(list(SHOPPER_MONTHS), [2, 15, 27, 2, 4, 4, 4, 5, 24, 13])[0]
        visitor = rng.choices(["Returning_Visitor", "New_Visitor", "Other"], [85, 14, 1])[0]
        admin = rng.choice([0, 0, 0, 1, 2, 3, 4, 6])
        info = rng.choice([0, 0, 0, 0, 1, 2])
        product = rng.randint(1, 80)
        page_value = 0.0 if rng.random() < 0.78 else round(rng.uniform(1, 120), 6)
        buy_chance = 0.08 + (0.45 if page_value > 0 else 0) + (0.06 if visitor == "New_Visitor" else 0) \
            + (0.05 if month == "Nov" else 0)
        bounce = 0.2 if product == 1 and rng.random() < 0.5 else round(rng.uniform(0, 0.05), 6)
        rows.append({
            "Administrative": admin, "Administrative_Duration": float(admin * rng.randint(0, 60)),
            "Informational": info, "Informational_Duration": float(info * rng.randint(0, 90)),
            "ProductRelated": product, "ProductRelated_Duration": round(product * rng.uniform(5, 60), 6),
            "BounceRates": bounce, "ExitRates": round(min(0.2, bounce + rng.uniform(0, 0.05)), 6),
            "PageValues": page_value, "SpecialDay": rng.choices([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], [90, 2, 2, 2, 2, 2])[0]
            if month in ("Feb", "May") else 0.0,
            "Month": month, "OperatingSystems": rng.choice([1, 2, 2, 2, 3, 3, 4]),
            "Browser": rng.choice([1, 2, 2, 2, 2, 4, 5]), "Region": rng.choice([1, 1, 1, 2, 3, 3, 4, 6, 7, 9]),
            "TrafficType": rng.choice([1, 2, 2, 3, 3, 4, 6, 8, 10, 13]), "VisitorType": visitor,
            "Weekend": rng.random() < 0.23, "Revenue": rng.random() < buy_chance})
    clean = pd.DataFrame(rows)
    shown = clean.copy()
    for flag in ("Weekend", "Revenue"):
        shown[flag] = shown[flag].map({True: "TRUE", False: "FALSE"})
    path = folder / "online_shoppers_intention.csv"
    shown.to_csv(path, index=False)
    return path, clean


SURNAMES = ["Hargrave", "Hill", "Onio", "Boni", "Mitchell", "Chu", "Bartlett", "Obinna", "He", "H?", "Bearce",
            "Andrews", "Kay", "Chin", "Scott", "Goforth", "Romeo", "Henderson", "Muldrow", "Hao", "McDonald"]


def churn(folder: Path) -> tuple[Path, pd.DataFrame]:
    rng = random.Random(703)
    rows = []
    for n in range(3000):
        country = rng.choices(["France", "Spain", "Germany"], [50, 25, 25])[0]
        gender = rng.choice(["Male", "Female"])
        age = max(18, min(92, int(rng.gauss(39, 10))))
        balance = 0.0 if country != "Germany" and rng.random() < 0.45 else round(rng.uniform(40000, 220000), 2)
        products = rng.choices([1, 2, 3, 4], [50, 46, 3, 1])[0]
        active = int(rng.random() < 0.52)
        chance = 0.12 + (0.16 if country == "Germany" else 0) + (0.06 if gender == "Female" else 0) \
            + (0.15 if age > 45 else 0) - (0.08 if active else 0) + (0.5 if products >= 3 else 0)
        rows.append({"RowNumber": n + 1, "CustomerId": 15565701 + rng.randint(0, 250000) * 3 + n % 3,
                     "Surname": rng.choice(SURNAMES), "CreditScore": max(350, min(850, int(rng.gauss(650, 96)))),
                     "Geography": country, "Gender": gender, "Age": age, "Tenure": rng.randint(0, 10),
                     "Balance": balance, "NumOfProducts": products, "HasCrCard": int(rng.random() < 0.7),
                     "IsActiveMember": active, "EstimatedSalary": round(rng.uniform(11.58, 199992.48), 2),
                     "Exited": int(rng.random() < chance)})
    clean = pd.DataFrame(rows).drop_duplicates("CustomerId", ignore_index=True)
    clean["RowNumber"] = range(1, len(clean) + 1)
    path = folder / "Churn_Modelling.csv"
    clean.to_csv(path, index=False)
    return path, clean


def cookie_cats(folder: Path) -> tuple[Path, pd.DataFrame]:
    rng = random.Random(704)
    rows = []
    ids = sorted(rng.sample(range(116, 9999861), 4000))
    for userid in ids:
        version = rng.choice(["gate_30", "gate_40"])
        rounds = 0 if rng.random() < 0.045 else int(rng.paretovariate(0.9)) + rng.randint(0, 20)
        day1 = rounds > 0 and rng.random() < (0.448 if version == "gate_30" else 0.442) + min(rounds, 50) / 200
        day7 = rounds > 0 and rng.random() < (0.19 if version == "gate_30" else 0.182) + (0.1 if day1 else 0)
        rows.append({"userid": userid, "version": version, "sum_gamerounds": min(rounds, 49854),
                     "retention_1": day1, "retention_7": day7})
    clean = pd.DataFrame(rows)
    path = folder / "cookie_cats.csv"
    clean.to_csv(path, index=False)  # True / False as pandas writes them, as the original
    return path, clean


IFOOD_COUNTRIES = ["SP", "CA", "US", "AUS", "GER", "IND", "SA", "ME"]


def ifood(folder: Path) -> tuple[Path, pd.DataFrame]:
    rng = random.Random(705)
    rows = []
    ids = rng.sample(range(0, 11200), 2240)
    for cid in ids:
        income = None if rng.random() < 0.011 else round(rng.uniform(1730, 113734), 0)
        joined = date(2012, 7, 30) + timedelta(days=rng.randint(0, 699))
        kids = rng.choice([0, 0, 1, 1, 2])
        wealth = (income or 50000) / 100000
        flags = {f"AcceptedCmp{k}": int(rng.random() < 0.07 + 0.03 * wealth) for k in (3, 4, 5, 1, 2)}
        flags["AcceptedCmp2"] = int(rng.random() < 0.013)
        rows.append({
            "ID": cid, "Year_Birth": rng.randint(1940, 1996),
            "Education": rng.choices(["Graduation", "PhD", "Master", "2n Cycle", "Basic"], [50, 22, 17, 9, 2])[0],
            "Marital_Status": rng.choices(["Married", "Together", "Single", "Divorced", "Widow", "Alone"],
                                          [39, 26, 21, 10, 3, 1])[0],
            "Income": income, "Kidhome": kids, "Teenhome": rng.choice([0, 0, 1, 1, 2]), "Dt_Customer": joined,
            "Recency": rng.randint(0, 99), "MntWines": int(rng.uniform(0, 1400) * wealth),
            "MntFruits": int(rng.uniform(0, 200) * wealth), "MntMeatProducts": int(rng.uniform(0, 1700) * wealth),
            "MntFishProducts": int(rng.uniform(0, 260) * wealth), "MntSweetProducts": int(rng.uniform(0, 260) * wealth),
            "MntGoldProds": int(rng.uniform(0, 320) * wealth), "NumDealsPurchases": rng.randint(0, 15),
            "NumWebPurchases": rng.randint(0, 27), "NumCatalogPurchases": rng.randint(0, 28),
            "NumStorePurchases": rng.randint(0, 13), "NumWebVisitsMonth": rng.randint(0, 20), **flags,
            "Response": int(rng.random() < 0.15), "Complain": int(rng.random() < 0.01),
            "Country": rng.choices(IFOOD_COUNTRIES, [49, 12, 5, 7, 5, 7, 15, 1])[0]})
    clean = pd.DataFrame(rows)
    order = ["ID", "Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome", "Dt_Customer",
             "Recency", "MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts",
             "MntGoldProds", "NumDealsPurchases", "NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases",
             "NumWebVisitsMonth", "AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5", "AcceptedCmp1", "AcceptedCmp2",
             "Response", "Complain", "Country"]
    clean = clean[order]
    path = folder / "marketing_data.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([" Income " if name == "Income" else name for name in order])
        for row in clean.itertuples(index=False):
            values = list(row)
            values[4] = "" if pd.isna(row.Income) else f"${row.Income:,.2f} "
            values[7] = f"{row.Dt_Customer.month}/{row.Dt_Customer.day}/{row.Dt_Customer.year % 100:02d}"
            writer.writerow(values)
    clean["Dt_Customer"] = pd.to_datetime(clean["Dt_Customer"])
    return path, clean


GENERATORS = {"taobao": taobao, "shoppers": shoppers, "churn": churn, "cookie_cats": cookie_cats, "ifood": ifood}


def build(name: str, folder: Path) -> tuple[Path, pd.DataFrame]:
    folder.mkdir(parents=True, exist_ok=True)
    return GENERATORS[name](folder)


if __name__ == "__main__":  # write them all for a look: python tests/byo_public_datasets.py /tmp/byo7
    import sys

    for key in GENERATORS:
        built, frame = build(key, Path(sys.argv[1]))
        print(key, built, len(frame), datetime.now(UTC).isoformat(timespec="seconds"))
