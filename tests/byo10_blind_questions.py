"""Blind questions for the five byo10 lookalikes (``byo10_public_datasets``), written BEFORE genbi
ran on them, each with its expected answer computed here in pandas from the generator's clean
values (never from genbi).

An expected answer is a number (one value), a dict {group: value} (every group must match; for
"top N" the dict holds exactly the groups the answer must list; a blank group genbi shows beside
them is no difference), or ``DECLINE``: the data cannot answer it, so any number is silently wrong.
``python tests/byo10_blind_questions.py OUT.json`` writes every expected answer for the record.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from blind_expect import DECLINE, Expect, Frames
from blind_expect import floats as _floats
from blind_expect import ints as _ints
from blind_expect import month as _month
from blind_expect import top as _top

# --- UCI Online Retail II: one table over two sheets; revenue = Quantity x Price, net of cancellations


def _ol(f: Frames) -> pd.DataFrame:
    return f["lines"]


ONLINE_RETAIL: list[tuple[str, Expect]] = [
    ("total revenue", lambda f: float(_ol(f)["Revenue"].sum())),
    ("revenue by country", lambda f: _floats(_ol(f).groupby("Country")["Revenue"].sum())),
    ("top 3 countries by revenue", lambda f: _top(_ol(f).groupby("Country")["Revenue"].sum(), 3)),
    ("revenue by month", lambda f: _floats(_ol(f).groupby(_month(_ol(f)["InvoiceDate"]))["Revenue"].sum())),
    ("revenue in 2011", lambda f: float(_ol(f)[_ol(f)["InvoiceDate"].dt.year == 2011]["Revenue"].sum())),
    ("how many invoices", lambda f: int(_ol(f)["Invoice"].nunique())),
    ("how many customers", lambda f: int(_ol(f)["Customer ID"].nunique())),
    ("total quantity", lambda f: int(_ol(f)["Quantity"].sum())),
    ("top 3 products by quantity", lambda f: _top(_ol(f).groupby("Description")["Quantity"].sum(), 3)),
    ("average price", lambda f: float(_ol(f)["Price"].mean())),
    ("customers by country", lambda f: _ints(_ol(f).groupby("Country")["Customer ID"].nunique())),
    ("invoices in December 2010", lambda f: int(_ol(f)[_month(_ol(f)["InvoiceDate"]) == "2010-12-01"]["Invoice"].nunique())),
    ("各国家的销售额", lambda f: _floats(_ol(f).groupby("Country")["Revenue"].sum())),
    ("2010年的销售额", lambda f: float(_ol(f)[_ol(f)["InvoiceDate"].dt.year == 2010]["Revenue"].sum())),
    ("客户数量", lambda f: int(_ol(f)["Customer ID"].nunique())),
    ("click-through rate by country", lambda f: DECLINE),
    ("cost per acquisition", lambda f: DECLINE),
]

# --- Google Merchandise Store sessions: revenue in dollars (the file's millionths / 1e6) ---------


def _gs(f: Frames) -> pd.DataFrame:
    return f["sessions"]


GSTORE: list[tuple[str, Expect]] = [
    ("how many sessions", lambda f: len(_gs(f))),
    ("how many unique visitors", lambda f: int(_gs(f)["fullVisitorId"].nunique())),
    ("sessions by channel grouping", lambda f: _ints(_gs(f)["channelGrouping"].value_counts())),
    ("total pageviews", lambda f: int(_gs(f)["pageviews"].sum())),
    ("sessions by device category", lambda f: _ints(_gs(f)["deviceCategory"].value_counts())),
    ("top 3 countries by sessions", lambda f: _top(_gs(f)["country"].value_counts(), 3)),
    ("total transaction revenue", lambda f: float(_gs(f)["revenue"].sum())),
    ("revenue by channel grouping", lambda f: _floats(_gs(f).groupby("channelGrouping")["revenue"].sum())),
    ("sessions by month", lambda f: _ints(_gs(f).groupby(_month(_gs(f)["date"])).size())),
    ("average pageviews per session", lambda f: float(_gs(f)["pageviews"].mean())),
    ("sessions by browser", lambda f: _ints(_gs(f)["browser"].value_counts())),
    ("total hits by medium", lambda f: _ints(_gs(f).groupby("medium")["hits"].sum())),
    ("sessions in December 2016", lambda f: int((_month(_gs(f)["date"]) == "2016-12-01").sum())),
    ("各渠道分组的会话数", lambda f: _ints(_gs(f)["channelGrouping"].value_counts())),
    ("各设备类别的浏览量", lambda f: _ints(_gs(f).groupby("deviceCategory")["pageviews"].sum())),
    ("2017年1月的会话数", lambda f: int((_month(_gs(f)["date"]) == "2017-01-01").sum())),
    ("cost per click by channel", lambda f: DECLINE),
    ("email open rate", lambda f: DECLINE),
]

# --- Black Friday: no date in the file ---------------------------------------------------------


def _bf(f: Frames) -> pd.DataFrame:
    return f["purchases"]


BLACK_FRIDAY: list[tuple[str, Expect]] = [
    ("total purchase amount", lambda f: float(_bf(f)["Purchase"].sum())),
    ("how many customers", lambda f: int(_bf(f)["User_ID"].nunique())),
    ("how many products", lambda f: int(_bf(f)["Product_ID"].nunique())),
    ("total purchase by age", lambda f: _floats(_bf(f).groupby("Age")["Purchase"].sum())),
    ("average purchase by gender", lambda f: _floats(_bf(f).groupby("Gender")["Purchase"].mean())),
    ("total purchase by city category", lambda f: _floats(_bf(f).groupby("City_Category")["Purchase"].sum())),
    ("average purchase amount", lambda f: float(_bf(f)["Purchase"].mean())),
    ("top 3 products by total purchase", lambda f: _top(_bf(f).groupby("Product_ID")["Purchase"].sum(), 3)),
    ("customers by age", lambda f: _ints(_bf(f).groupby("Age")["User_ID"].nunique())),
    ("total purchase by marital status", lambda f: _floats(_bf(f).groupby("Marital_Status")["Purchase"].sum())),
    ("total purchase by product category 1",
     lambda f: _floats(_bf(f).groupby("Product_Category_1")["Purchase"].sum())),
    ("purchase by years in current city",
     lambda f: _floats(_bf(f).groupby("Stay_In_Current_City_Years")["Purchase"].sum())),
    ("各年龄段的购买总额", lambda f: _floats(_bf(f).groupby("Age")["Purchase"].sum())),
    ("各城市类别的客户数", lambda f: _ints(_bf(f).groupby("City_Category")["User_ID"].nunique())),
    ("女性客户的购买总额", lambda f: float(_bf(f)[_bf(f)["Gender"] == "F"]["Purchase"].sum())),
    ("purchase by month", lambda f: DECLINE),
    ("conversion rate by campaign", lambda f: DECLINE),
]

# --- Criteo attribution log: -1 is "none" in the *_timestamp / click_* / time_since_* columns ----


def _cr(f: Frames) -> pd.DataFrame:
    return f["impressions"]


def _ctr(frame: pd.DataFrame) -> float:
    return float(frame["click"].sum() / len(frame))


CRITEO: list[tuple[str, Expect]] = [
    ("how many impressions", lambda f: len(_cr(f))),
    ("total clicks", lambda f: int(_cr(f)["click"].sum())),
    ("click-through rate", lambda f: _ctr(_cr(f))),
    ("total cost", lambda f: float(_cr(f)["cost"].sum())),
    ("how many campaigns", lambda f: int(_cr(f)["campaign"].nunique())),
    ("how many users", lambda f: int(_cr(f)["uid"].nunique())),
    ("clicks by campaign", lambda f: _ints(_cr(f).groupby("campaign")["click"].sum())),
    ("top 3 campaigns by cost", lambda f: _top(_cr(f).groupby("campaign")["cost"].sum(), 3)),
    ("click-through rate by campaign", lambda f: _floats(_cr(f).groupby("campaign").apply(_ctr))),
    ("total attributed conversions", lambda f: int(_cr(f)["attribution"].sum())),
    ("attributed conversions by campaign", lambda f: _ints(_cr(f).groupby("campaign")["attribution"].sum())),
    ("cost per click", lambda f: float(_cr(f)["cost"].sum() / _cr(f)["click"].sum())),
    ("average time since last click",
     lambda f: float(_cr(f)[_cr(f)["time_since_last_click"] != -1]["time_since_last_click"].mean())),
    ("各活动的点击量", lambda f: _ints(_cr(f).groupby("campaign")["click"].sum())),
    ("总花费", lambda f: float(_cr(f)["cost"].sum())),
    ("点击率", lambda f: _ctr(_cr(f))),
    ("revenue by country", lambda f: DECLINE),
    ("impressions by month", lambda f: DECLINE),
]

# --- WeChat Pay merchant bill: refund rows carry 0 in 订单金额; the footer is no record -----------


def _wx(f: Frames) -> pd.DataFrame:
    return f["bill"]


def _paid(f: Frames) -> pd.DataFrame:
    return _wx(f)[_wx(f)["交易状态"] == "SUCCESS"]


WECHAT_PAY: list[tuple[str, Expect]] = [
    ("总订单金额", lambda f: float(_wx(f)["订单金额"].sum())),
    ("订单数", lambda f: int(_wx(f)["商户订单号"].nunique())),
    ("退款总金额", lambda f: float(_wx(f)["退款金额"].sum())),
    ("手续费总额", lambda f: float(_wx(f)["手续费"].sum())),
    ("代金券总金额", lambda f: float(_wx(f)["代金券金额"].sum())),
    ("各交易类型的订单金额", lambda f: _floats(_wx(f).groupby("交易类型")["订单金额"].sum())),
    ("每月订单金额", lambda f: _floats(_wx(f).groupby(_month(_wx(f)["交易时间"]))["订单金额"].sum())),
    ("各商品的订单金额", lambda f: _floats(_wx(f).groupby("商品名称")["订单金额"].sum())),
    ("2024年2月的订单金额", lambda f: float(_wx(f)[_month(_wx(f)["交易时间"]) == "2024-02-01"]["订单金额"].sum())),
    ("平均订单金额", lambda f: float(_paid(f)["订单金额"].mean())),
    ("各付款银行的订单数", lambda f: _ints(_wx(f).groupby("付款银行")["商户订单号"].nunique())),
    ("客户数", lambda f: int(_wx(f)["用户标识"].nunique())),
    ("total order amount", lambda f: float(_wx(f)["订单金额"].sum())),
    ("top 3 products by order amount", lambda f: _top(_wx(f).groupby("商品名称")["订单金额"].sum(), 3)),
    ("refund amount by month", lambda f: _floats(_wx(f).groupby(_month(_wx(f)["交易时间"]))["退款金额"].sum())),
    ("how many customers", lambda f: int(_wx(f)["用户标识"].nunique())),
    ("各渠道的点击率", lambda f: DECLINE),
    ("ROI by campaign", lambda f: DECLINE),
]

QUESTIONS: dict[str, list[tuple[str, Expect]]] = {
    "online_retail": ONLINE_RETAIL, "gstore": GSTORE, "black_friday": BLACK_FRIDAY, "criteo": CRITEO,
    "wechat_pay": WECHAT_PAY}

# tools a marketer would run on each (``genbi tool NAME --db PATH``): each must run or say why not
TOOLS: dict[str, list[str]] = {
    "online_retail": ["rfm", "cohort_retention", "clv"],
    "gstore": ["funnel", "segments", "attribution"],
    "black_friday": ["segments", "rfm"],
    "criteo": ["attribution", "budget_allocation"],
    "wechat_pay": ["rfm", "lifecycle"],
}


def expected(name: str, clean: Frames) -> list[tuple[str, Any]]:
    return [(question, answer(clean)) for question, answer in QUESTIONS[name]]


if __name__ == "__main__":
    import sys

    import byo10_public_datasets as datasets
    from blind_expect import write_record

    write_record(datasets, QUESTIONS, sys.argv[1])
