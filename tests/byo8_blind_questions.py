"""Blind questions for the five byo8 lookalikes (``byo8_public_datasets``), written BEFORE genbi
ran on them, each with its expected answer computed here in pandas from the generator's clean
values (never from genbi).

An expected answer is a number (one value), a dict {group: value} (every group must match; for
"top N" / "which … most" the dict holds exactly the groups the answer must list), or ``DECLINE``:
the data cannot answer it, so any number is silently wrong.
``python tests/byo8_blind_questions.py OUT.json`` writes every expected answer for the record.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from blind_expect import DECLINE, Expect, Frames
from blind_expect import floats as _floats
from blind_expect import ints as _ints
from blind_expect import month as _month
from blind_expect import top as _top


def _day(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%Y-%m-%d")


# --- Avazu ----------------------------------------------------------------------------------

def _ad(f: Frames) -> pd.DataFrame:
    return f["train"]


AVAZU: list[tuple[str, Expect]] = [
    ("how many impressions", lambda f: len(_ad(f))),
    ("total clicks", lambda f: int(_ad(f)["click"].sum())),
    ("click-through rate", lambda f: float(_ad(f)["click"].mean())),
    ("CTR by banner position", lambda f: _floats(_ad(f).groupby("banner_pos")["click"].mean())),
    ("clicks by day", lambda f: _ints(_ad(f).groupby(_day(_ad(f)["time"]))["click"].sum())),
    ("CTR by device type", lambda f: _floats(_ad(f).groupby("device_type")["click"].mean())),
    ("impressions on 2014-10-25", lambda f: int((_day(_ad(f)["time"]) == "2014-10-25").sum())),
    ("how many sites", lambda f: int(_ad(f)["site_id"].nunique())),
    ("top 2 site categories by clicks", lambda f: _top(_ad(f).groupby("site_category")["click"].sum(), 2)),
    ("每天的点击率", lambda f: _floats(_ad(f).groupby(_day(_ad(f)["time"]))["click"].mean())),
    ("各设备类型的点击量", lambda f: _ints(_ad(f).groupby("device_type")["click"].sum())),
    ("clicks by hour of day", lambda f: _ints(_ad(f).groupby(_ad(f)["time"].dt.hour)["click"].sum())),
    ("ROAS by campaign", lambda f: DECLINE),
    ("average order value", lambda f: DECLINE),
]

# --- Tmall order export ---------------------------------------------------------------------


def _tm(f: Frames) -> pd.DataFrame:
    return f["orders"]


PAID = "买家实际支付金额"
CREATED = "订单创建时间"

TMALL: list[tuple[str, Expect]] = [
    ("订单数", lambda f: len(_tm(f))),
    ("总销售额", lambda f: float(_tm(f)[PAID].sum())),
    ("total amount paid by buyers", lambda f: float(_tm(f)[PAID].sum())),
    ("各订单状态的订单数", lambda f: _ints(_tm(f)["订单状态"].value_counts())),
    ("每月销售额", lambda f: _floats(_tm(f).groupby(_month(_tm(f)[CREATED]))[PAID].sum())),
    ("2024年11月11日的订单数", lambda f: int((_day(_tm(f)[CREATED]) == "2024-11-11").sum())),
    ("有多少买家", lambda f: int(_tm(f)["买家会员名"].nunique())),
    ("交易成功订单的平均实付金额", lambda f: float(_tm(f)[_tm(f)["订单状态"] == "交易成功"][PAID].mean())),
    ("退款总额", lambda f: float(_tm(f)["退款金额"].sum())),
    ("手机订单的数量", lambda f: int((_tm(f)["是否手机订单"] == "手机订单").sum())),
    ("邮费总额", lambda f: float(_tm(f)["买家应付邮费"].sum())),
    ("sales by order status", lambda f: _floats(_tm(f).groupby("订单状态")[PAID].sum())),
    ("how many orders were closed", lambda f: int((_tm(f)["订单状态"] == "交易关闭").sum())),
    ("2024年11月每天的订单数", lambda f: _ints(_day(_tm(f)[CREATED])[_tm(f)[CREATED].dt.month == 11].value_counts())),
    ("各省份的点击率", lambda f: DECLINE),
    ("email open rate", lambda f: DECLINE),
]

# --- RetailRocket events ------------------------------------------------------------------------


def _ev(f: Frames) -> pd.DataFrame:
    return f["events"]


def _kind(f: Frames, event: str) -> pd.DataFrame:
    return _ev(f)[_ev(f)["event"] == event]


RETAILROCKET: list[tuple[str, Expect]] = [
    ("how many visitors", lambda f: int(_ev(f)["visitorid"].nunique())),
    ("number of events by event type", lambda f: _ints(_ev(f)["event"].value_counts())),
    ("how many transactions", lambda f: int(_ev(f)["transactionid"].nunique())),
    ("how many visitors made a purchase", lambda f: int(_kind(f, "transaction")["visitorid"].nunique())),
    ("views by month", lambda f: _ints(_month(_kind(f, "view")["time"]).value_counts())),
    ("top 4 items by views", lambda f: _top(_kind(f, "view")["itemid"].value_counts(), 4)),
    ("add to carts by month", lambda f: _ints(_month(_kind(f, "addtocart")["time"]).value_counts())),
    ("每月的访客数", lambda f: _ints(_ev(f).groupby(_month(_ev(f)["time"]))["visitorid"].nunique())),
    ("加购次数", lambda f: len(_kind(f, "addtocart"))),
    ("share of visitors who made a purchase",
     lambda f: _kind(f, "transaction")["visitorid"].nunique() / _ev(f)["visitorid"].nunique()),
    ("events on 2015-07-01", lambda f: int((_day(_ev(f)["time"]) == "2015-07-01").sum())),
    ("how many distinct items were viewed", lambda f: int(_kind(f, "view")["itemid"].nunique())),
    ("revenue by month", lambda f: DECLINE),
    ("average order value", lambda f: DECLINE),
]

# --- H&M folder -------------------------------------------------------------------------------


def _tx(f: Frames) -> pd.DataFrame:
    return f["transactions"]


def _tx_articles(f: Frames) -> pd.DataFrame:
    return _tx(f).merge(f["articles"], on="article_id", how="left")


HM: list[tuple[str, Expect]] = [
    ("total sales", lambda f: float(_tx(f)["price"].sum())),
    ("how many transactions", lambda f: len(_tx(f))),
    ("how many customers bought something", lambda f: int(_tx(f)["customer_id"].nunique())),
    ("sales by sales channel", lambda f: _floats(_tx(f).groupby("sales_channel_id")["price"].sum())),
    ("sales by product group", lambda f: _floats(_tx_articles(f).groupby("product_group_name")["price"].sum())),
    ("sales by month", lambda f: _floats(_tx(f).groupby(_month(_tx(f)["t_dat"]))["price"].sum())),
    ("average age of customers", lambda f: float(f["customers"]["age"].mean())),
    ("customers by club member status", lambda f: _ints(f["customers"]["club_member_status"].value_counts())),
    ("how many customers are there", lambda f: len(f["customers"])),
    ("top 3 product types by number of transactions",
     lambda f: _top(_tx_articles(f)["product_type_name"].value_counts(), 3)),
    ("各颜色的销售额", lambda f: _floats(_tx_articles(f).groupby("colour_group_name")["price"].sum())),
    ("每月的交易数", lambda f: _ints(_month(_tx(f)["t_dat"]).value_counts())),
    ("average price by index group", lambda f: _floats(_tx_articles(f).groupby("index_group_name")["price"].mean())),
    ("conversion rate by sales channel", lambda f: DECLINE),
    ("how many items were returned", lambda f: DECLINE),
]

# --- Amazon Sale Report ------------------------------------------------------------------------


def _am(f: Frames) -> pd.DataFrame:
    return f["sales"]


def _orders(frame: pd.DataFrame) -> int:
    return int(frame["Order ID"].nunique())


AMAZON_IN: list[tuple[str, Expect]] = [
    ("how many orders", lambda f: _orders(_am(f))),
    ("total amount", lambda f: float(_am(f)["Amount"].sum())),
    ("orders by status", lambda f: _ints(_am(f).groupby("Status")["Order ID"].nunique())),
    ("amount by category", lambda f: _floats(_am(f).groupby("Category")["Amount"].sum())),
    ("quantity by size", lambda f: _ints(_am(f).groupby("Size")["Qty"].sum())),
    ("top 3 states by amount", lambda f: _top(_am(f).groupby("ship-state")["Amount"].sum(), 3)),
    ("amount by month", lambda f: _floats(_am(f).groupby(_month(_am(f)["Date"]))["Amount"].sum())),
    ("how many B2B orders", lambda f: _orders(_am(f)[_am(f)["B2B"]])),
    ("cancellation rate", lambda f: _orders(_am(f)[_am(f)["Status"] == "Cancelled"]) / _orders(_am(f))),
    ("amount by fulfilment", lambda f: _floats(_am(f).groupby("Fulfilment")["Amount"].sum())),
    ("各品类的销量", lambda f: _ints(_am(f).groupby("Category")["Qty"].sum())),
    ("2022年5月的销售额", lambda f: float(_am(f)[_month(_am(f)["Date"]) == "2022-05-01"]["Amount"].sum())),
    ("average amount per order", lambda f: float(_am(f)["Amount"].sum()) / _orders(_am(f))),
    ("average customer age", lambda f: DECLINE),
    ("ROAS by campaign", lambda f: DECLINE),
]

QUESTIONS: dict[str, list[tuple[str, Expect]]] = {
    "avazu": AVAZU, "tmall": TMALL, "retailrocket": RETAILROCKET, "hm": HM, "amazon_in": AMAZON_IN}

# tools a marketer would run on each (``genbi tool NAME --db PATH``): each must run or say why not
TOOLS: dict[str, list[str]] = {
    "avazu": ["funnel", "segments", "ab_test"],
    "tmall": ["rfm", "segments", "cohort_retention", "funnel"],
    "retailrocket": ["funnel", "cohort_retention", "rfm", "attribution"],
    "hm": ["rfm", "segments", "cohort_retention", "clv", "churn_risk"],
    "amazon_in": ["rfm", "segments", "cohort_retention", "attribution"],
}


def expected(name: str, clean: Frames) -> list[tuple[str, Any]]:
    return [(question, answer(clean)) for question, answer in QUESTIONS[name]]


if __name__ == "__main__":
    import sys

    import byo8_public_datasets as datasets
    from blind_expect import write_record

    write_record(datasets, QUESTIONS, sys.argv[1])
