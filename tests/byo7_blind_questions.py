"""Blind questions for the five public-dataset lookalikes in ``byo_public_datasets``, written
BEFORE genbi was run on them, each with its expected answer computed here in pandas from the
generator's clean values (never from genbi).

An expected answer is a number (one value) or a dict {group: value} (every group must match;
for "top N" / "which … most" the dict holds exactly the groups the answer must list).
``python tests/byo7_blind_questions.py OUT.json`` writes every expected answer for the record.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

Expect = Callable[[pd.DataFrame], Any]


def _days(frame: pd.DataFrame) -> pd.Series:
    return frame["time"].dt.strftime("%Y-%m-%d")


def _counts(series: pd.Series) -> dict[Any, int]:
    return {key: int(value) for key, value in series.value_counts().items()}


def _means(frame: pd.DataFrame, by: str, column: str) -> dict[Any, float]:
    return {key: float(value) for key, value in frame.groupby(by)[column].mean().items()}


def _top(series: pd.Series, n: int) -> dict[Any, float]:
    ranked = series.sort_values(ascending=False)
    assert n == len(ranked) or ranked.iloc[n - 1] != ranked.iloc[n], "a tie at the cut-off"
    return {key: float(value) for key, value in ranked.head(n).items()}


def _buys(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["behavior_type"] == "buy"]


TAOBAO: list[tuple[str, Expect]] = [
    ("how many users are there", lambda f: f["user_id"].nunique()),
    ("how many purchases", lambda f: len(_buys(f))),
    ("number of events by behavior type", lambda f: _counts(f["behavior_type"])),
    ("how many users made a purchase", lambda f: _buys(f)["user_id"].nunique()),
    ("daily active users", lambda f: {k: int(v) for k, v in f.groupby(_days(f))["user_id"].nunique().items()}),
    ("purchases by day", lambda f: _counts(_days(_buys(f)))),
    ("top 5 categories by purchases", lambda f: _top(_buys(f)["category_id"].value_counts(), 5)),
    ("每天的浏览量", lambda f: _counts(_days(f[f["behavior_type"] == "pv"]))),
    ("有多少用户加入了购物车", lambda f: f[f["behavior_type"] == "cart"]["user_id"].nunique()),
    ("what share of users made a purchase", lambda f: _buys(f)["user_id"].nunique() / f["user_id"].nunique()),
    ("average number of events per user", lambda f: len(f) / f["user_id"].nunique()),
    ("购买用户数", lambda f: _buys(f)["user_id"].nunique()),
    ("page views on 2017-12-01",
     lambda f: int(((f["behavior_type"] == "pv") & (_days(f) == "2017-12-01")).sum())),
]

SHOPPERS: list[tuple[str, Expect]] = [
    ("how many sessions", lambda f: len(f)),
    ("conversion rate", lambda f: float(f["Revenue"].mean())),
    ("conversion rate by visitor type", lambda f: _means(f, "VisitorType", "Revenue")),
    ("sessions by month", lambda f: _counts(f["Month"])),
    ("how many sessions ended in a purchase in November",
     lambda f: int((f["Revenue"] & (f["Month"] == "Nov")).sum())),
    ("average page value by visitor type", lambda f: _means(f, "VisitorType", "PageValues")),
    ("conversion rate on weekends vs weekdays", lambda f: _means(f, "Weekend", "Revenue")),
    ("average bounce rate", lambda f: float(f["BounceRates"].mean())),
    ("新访客的转化率", lambda f: float(f[f["VisitorType"] == "New_Visitor"]["Revenue"].mean())),
    ("每个地区的会话数", lambda f: _counts(f["Region"])),
    ("average product related duration", lambda f: float(f["ProductRelated_Duration"].mean())),
    ("which month had the most purchases", lambda f: _top(f[f["Revenue"]]["Month"].value_counts(), 1)),
    ("转化率最高的流量类型", lambda f: _top(f.groupby("TrafficType")["Revenue"].mean(), 1)),
]

CHURN: list[tuple[str, Expect]] = [
    ("how many customers", lambda f: len(f)),
    ("churn rate", lambda f: float(f["Exited"].mean())),
    ("churn rate by country", lambda f: _means(f, "Geography", "Exited")),
    ("churn rate by gender", lambda f: _means(f, "Gender", "Exited")),
    ("how many customers churned in Germany", lambda f: int(f[f["Geography"] == "Germany"]["Exited"].sum())),
    ("average balance by country", lambda f: _means(f, "Geography", "Balance")),
    ("average age of churned customers", lambda f: float(f[f["Exited"] == 1]["Age"].mean())),
    ("how many active members", lambda f: int(f["IsActiveMember"].sum())),
    ("各国家的流失率", lambda f: _means(f, "Geography", "Exited")),
    ("女性客户的平均信用分", lambda f: float(f[f["Gender"] == "Female"]["CreditScore"].mean())),
    ("churn rate by number of products", lambda f: _means(f, "NumOfProducts", "Exited")),
    ("how many customers have a credit card", lambda f: int(f["HasCrCard"].sum())),
    ("流失客户数", lambda f: int(f["Exited"].sum())),
]

COOKIE_CATS: list[tuple[str, Expect]] = [
    ("how many players by version", lambda f: _counts(f["version"])),
    ("1-day retention by version", lambda f: _means(f, "version", "retention_1")),
    ("7-day retention by version", lambda f: _means(f, "version", "retention_7")),
    ("average game rounds by version", lambda f: _means(f, "version", "sum_gamerounds")),
    ("how many players played 0 game rounds", lambda f: int((f["sum_gamerounds"] == 0).sum())),
    ("7日留存率", lambda f: float(f["retention_7"].mean())),
    ("各版本的次日留存率", lambda f: _means(f, "version", "retention_1")),
    ("total game rounds", lambda f: int(f["sum_gamerounds"].sum())),
    ("how many gate_40 players were retained after 7 days",
     lambda f: int(f[f["version"] == "gate_40"]["retention_7"].sum())),
    ("how many players", lambda f: len(f)),
]

IFOOD: list[tuple[str, Expect]] = [
    ("how many customers", lambda f: len(f)),
    ("average income", lambda f: float(f["Income"].mean())),
    ("average income by country", lambda f: _means(f, "Country", "Income")),
    ("total wine spend", lambda f: int(f["MntWines"].sum())),
    ("how many customers accepted campaign 1", lambda f: int(f["AcceptedCmp1"].sum())),
    ("response rate", lambda f: float(f["Response"].mean())),
    ("customers by country", lambda f: _counts(f["Country"])),
    ("how many customers joined in 2013", lambda f: int((f["Dt_Customer"].dt.year == 2013).sum())),
    ("new customers by month",
     lambda f: {k: int(v) for k, v in f.groupby(f["Dt_Customer"].dt.strftime("%Y-%m-01")).size().items()}),
    ("各国家的客户数", lambda f: _counts(f["Country"])),
    ("各学历的平均收入", lambda f: _means(f, "Education", "Income")),
    ("total meat spend by marital status",
     lambda f: {k: int(v) for k, v in f.groupby("Marital_Status")["MntMeatProducts"].sum().items()}),
    ("how many complaints", lambda f: int(f["Complain"].sum())),
    ("average number of web purchases", lambda f: float(f["NumWebPurchases"].mean())),
]

QUESTIONS: dict[str, list[tuple[str, Expect]]] = {
    "taobao": TAOBAO, "shoppers": SHOPPERS, "churn": CHURN, "cookie_cats": COOKIE_CATS, "ifood": IFOOD}

# tools a marketer would run on each file (``genbi tool NAME --db FILE``), checked by hand
TOOLS: dict[str, list[str]] = {
    "taobao": ["funnel", "cohort_retention", "rfm", "segments", "lifecycle"],
    "shoppers": ["funnel", "segments"],
    "churn": ["churn_risk", "segments", "clv"],
    "cookie_cats": ["ab_test"],
    "ifood": ["rfm", "segments", "clv", "churn_risk"],
}


def expected(name: str, clean: pd.DataFrame) -> list[tuple[str, Any]]:
    return [(question, answer(clean)) for question, answer in QUESTIONS[name]]


if __name__ == "__main__":
    import json
    import sys
    import tempfile

    import byo_public_datasets as datasets

    record = {}
    with tempfile.TemporaryDirectory() as tmp:
        for key in QUESTIONS:
            _, frame = datasets.build(key, Path(tmp))
            record[key] = [{"question": q, "expected": a} for q, a in expected(key, frame)]
    Path(sys.argv[1]).write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str) + "\n")


# Round 2, written after the round-1 fixes and before genbi ran on these (a check of how far
# the fixes carry to other phrasings of the same data).
ROUND2: dict[str, list[tuple[str, Expect]]] = {
    "taobao": [
        ("how many favorites", lambda f: int((f["behavior_type"] == "fav").sum())),
        ("unique users by behavior type", lambda f: {k: int(v) for k, v in f.groupby("behavior_type")["user_id"].nunique().items()}),
        ("收藏次数", lambda f: int((f["behavior_type"] == "fav").sum())),
        ("how many users viewed items", lambda f: f[f["behavior_type"] == "pv"]["user_id"].nunique()),
        ("add to carts by day", lambda f: _counts(_days(f[f["behavior_type"] == "cart"]))),
    ],
    "shoppers": [
        ("average exit rate by month", lambda f: _means(f, "Month", "ExitRates")),
        ("purchases by visitor type", lambda f: _counts(f[f["Revenue"]]["VisitorType"])),
        ("how many sessions from new visitors", lambda f: int((f["VisitorType"] == "New_Visitor").sum())),
        ("conversion rate by region", lambda f: _means(f, "Region", "Revenue")),
        ("sessions by browser", lambda f: _counts(f["Browser"])),
    ],
    "churn": [
        ("average credit score by country", lambda f: _means(f, "Geography", "CreditScore")),
        ("how many customers are in France", lambda f: int((f["Geography"] == "France").sum())),
        ("churn rate for customers with a credit card", lambda f: float(f[f["HasCrCard"] == 1]["Exited"].mean())),
        ("average tenure of churned customers", lambda f: float(f[f["Exited"] == 1]["Tenure"].mean())),
        ("男性客户的流失率", lambda f: float(f[f["Gender"] == "Male"]["Exited"].mean())),
    ],
    "cookie_cats": [
        ("7-day retention for gate_30", lambda f: float(f[f["version"] == "gate_30"]["retention_7"].mean())),
        ("how many players were retained on day 1", lambda f: int(f["retention_1"].sum())),
        ("各版本的玩家数", lambda f: _counts(f["version"])),
        ("average game rounds of players retained after 7 days",
         lambda f: float(f[f["retention_7"]]["sum_gamerounds"].mean())),
    ],
    "ifood": [
        ("total spend by country", lambda f: {k: int(v) for k, v in f.assign(
            t=f[["MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts",
                 "MntGoldProds"]].sum(axis=1)).groupby("Country")["t"].sum().items()}),
        ("average recency", lambda f: float(f["Recency"].mean())),
        ("response rate by education", lambda f: _means(f, "Education", "Response")),
        ("how many customers accepted campaign 5 by marital status",
         lambda f: {k: int(v) for k, v in f.groupby("Marital_Status")["AcceptedCmp5"].sum().items()}),
    ],
}
