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

``build_file(name, folder)`` writes one into ``folder`` and returns the file; the eval case
files beside this module (``eval/byodata/<name>/``) hold hand-written gold SQL over the
file's table (its name without ``.csv``) and real column names.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

Rows = list[list[Any]]


def build_file(name: str, folder: str | Path) -> Path:
    """Write export ``name`` (personality, bank, telco, fbads) into ``folder``; same every time."""
    file_name, delimiter, quoting, header, make = EXPORTS[name]
    target = Path(folder) / file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = make(random.Random(7))
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter, quoting=quoting, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return target


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


EXPORTS: dict[str, tuple[str, str, Literal[0, 1, 2, 3], list[str], Callable[[random.Random], Rows]]] = {
    "personality": ("marketing_campaign.csv", "\t", csv.QUOTE_MINIMAL, PERSONALITY, _personality),
    "bank": ("bank-full.csv", ";", csv.QUOTE_NONNUMERIC, BANK, _bank),
    "telco": ("WA_Fn-UseC_-Telco-Customer-Churn.csv", ",", csv.QUOTE_MINIMAL, TELCO, _telco),
    "fbads": ("KAG_conversion_data.csv", ",", csv.QUOTE_MINIMAL, FBADS, _fbads),
}
