"""Blind questions for the five byo11 lookalikes (``byo11_public_datasets``), written BEFORE genbi
ran on them, each with its expected answer computed here in pandas from the generator's clean
values (never from genbi).

An expected answer is a number (one value), a dict {group: value} (every group must match; for
"top N" the dict holds exactly the groups the answer must list; a blank group genbi shows beside
them is no difference), or ``DECLINE``: the data cannot answer it, so any number is silently wrong.
Money of a status export (Shopify, 抖店) is what was paid: orders never paid (pending, voided,
已关闭) and orders refunded in full are left out of sales; counts of orders count every order.
``python tests/byo11_blind_questions.py OUT.json`` writes every expected answer for the record.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from blind_expect import DECLINE, Expect, Frames
from blind_expect import floats as _floats
from blind_expect import ints as _ints
from blind_expect import month as _month
from blind_expect import top as _top

# --- Instacart: no date, no price; an item is a line of order_products__prior ------------------


def _io(f: Frames) -> pd.DataFrame:
    return f["orders"]


def _il(f: Frames) -> pd.DataFrame:
    return f["lines"]


INSTACART: list[tuple[str, Expect]] = [
    ("how many orders", lambda f: len(_io(f))),
    ("how many customers", lambda f: int(_io(f)["user_id"].nunique())),
    ("orders by day of week", lambda f: _ints(_io(f)["order_dow"].value_counts())),
    ("orders by hour of day", lambda f: _ints(_io(f)["order_hour_of_day"].value_counts())),
    ("average days since prior order", lambda f: float(_io(f)["days_since_prior_order"].mean())),
    ("how many products", lambda f: len(f["products"])),
    ("top 3 departments by number of items ordered", lambda f: _top(_il(f)["department"].value_counts(), 3)),
    ("top 3 products by times ordered", lambda f: _top(_il(f)["product_name"].value_counts(), 3)),
    ("reorder rate", lambda f: float(_il(f)["reordered"].mean())),
    ("reorder rate by department", lambda f: _floats(_il(f).groupby("department")["reordered"].mean())),
    ("items ordered by department", lambda f: _ints(_il(f)["department"].value_counts())),
    ("top 3 aisles by items ordered", lambda f: _top(_il(f)["aisle"].value_counts(), 3)),
    ("average number of orders per customer", lambda f: float(len(_io(f)) / _io(f)["user_id"].nunique())),
    ("各部门的商品订购数", lambda f: _ints(_il(f)["department"].value_counts())),
    ("每周各天的订单数", lambda f: _ints(_io(f)["order_dow"].value_counts())),
    ("客户数", lambda f: int(_io(f)["user_id"].nunique())),
    ("revenue by department", lambda f: DECLINE),
    ("orders by month", lambda f: DECLINE),
    ("click-through rate", lambda f: DECLINE),
]

# --- Sample - Superstore: a row per order line -----------------------------------------------


def _ss(f: Frames) -> pd.DataFrame:
    return f["lines"]


SUPERSTORE: list[tuple[str, Expect]] = [
    ("total sales", lambda f: float(_ss(f)["Sales"].sum())),
    ("total profit", lambda f: float(_ss(f)["Profit"].sum())),
    ("sales by region", lambda f: _floats(_ss(f).groupby("Region")["Sales"].sum())),
    ("profit by category", lambda f: _floats(_ss(f).groupby("Category")["Profit"].sum())),
    ("top 3 sub-categories by sales", lambda f: _top(_ss(f).groupby("Sub-Category")["Sales"].sum(), 3)),
    ("sales by year", lambda f: _floats(_ss(f).groupby(_ss(f)["Order Date"].dt.year)["Sales"].sum())),
    ("sales in 2017", lambda f: float(_ss(f)[_ss(f)["Order Date"].dt.year == 2017]["Sales"].sum())),
    ("how many orders", lambda f: int(_ss(f)["Order ID"].nunique())),
    ("how many customers", lambda f: int(_ss(f)["Customer ID"].nunique())),
    ("average discount", lambda f: float(_ss(f)["Discount"].mean())),
    ("profit margin", lambda f: float(_ss(f)["Profit"].sum() / _ss(f)["Sales"].sum())),
    ("sales by segment", lambda f: _floats(_ss(f).groupby("Segment")["Sales"].sum())),
    ("total quantity by ship mode", lambda f: _ints(_ss(f).groupby("Ship Mode")["Quantity"].sum())),
    ("monthly sales in 2017", lambda f: _floats(
        _ss(f)[_ss(f)["Order Date"].dt.year == 2017].groupby(_month(_ss(f)["Order Date"]))["Sales"].sum())),
    ("各地区的销售额", lambda f: _floats(_ss(f).groupby("Region")["Sales"].sum())),
    ("各类别的利润", lambda f: _floats(_ss(f).groupby("Category")["Profit"].sum())),
    ("2016年的销售额", lambda f: float(_ss(f)[_ss(f)["Order Date"].dt.year == 2016]["Sales"].sum())),
    ("客户数量", lambda f: int(_ss(f)["Customer ID"].nunique())),
    ("sales by channel", lambda f: DECLINE),
    ("click-through rate by region", lambda f: DECLINE),
]

# --- Shopify orders export: an order's money on its first line; paid = paid / partially_refunded -


def _so(f: Frames) -> pd.DataFrame:
    return f["orders"]


def _kept(f: Frames) -> pd.DataFrame:
    return _so(f)[_so(f)["Financial Status"].isin(["paid", "partially_refunded"])]


def _kept_items(f: Frames) -> pd.DataFrame:
    return f["items"][f["items"]["Financial Status"].isin(["paid", "partially_refunded"])]


SHOPIFY: list[tuple[str, Expect]] = [
    ("how many orders", lambda f: int(_so(f)["Name"].nunique())),
    ("total sales", lambda f: float(_kept(f)["Total"].sum())),
    ("orders by financial status", lambda f: _ints(_so(f)["Financial Status"].value_counts())),
    ("total quantity sold", lambda f: int(_kept_items(f)["Lineitem quantity"].sum())),
    ("top 3 products by quantity sold",
     lambda f: _top(_kept_items(f).groupby("Lineitem name")["Lineitem quantity"].sum(), 3)),
    ("sales by month", lambda f: _floats(_kept(f).groupby(_month(_kept(f)["Created at"]))["Total"].sum())),
    ("average order value", lambda f: float(_kept(f)["Total"].mean())),
    ("how many customers", lambda f: int(_so(f)["Email"].nunique())),
    ("sales by shipping country", lambda f: _floats(_kept(f).groupby("Shipping Country")["Total"].sum())),
    ("how many orders used a discount code", lambda f: int(_so(f)["Discount Code"].notna().sum())),
    ("sales in March 2024", lambda f: float(_kept(f)[_month(_kept(f)["Created at"]) == "2024-03-01"]["Total"].sum())),
    ("orders in April 2024", lambda f: int((_month(_so(f)["Created at"]) == "2024-04-01").sum())),
    ("每月销售额", lambda f: _floats(_kept(f).groupby(_month(_kept(f)["Created at"]))["Total"].sum())),
    ("订单数", lambda f: int(_so(f)["Name"].nunique())),
    ("客单价", lambda f: float(_kept(f)["Total"].mean())),
    ("各国家的销售额", lambda f: _floats(_kept(f).groupby("Shipping Country")["Total"].sum())),
    ("cost per click", lambda f: DECLINE),
    ("return on ad spend", lambda f: DECLINE),
]

# --- 抖店 export: a row per 子订单; sales = 订单应付金额 of rows not 已关闭 --------------------------


def _dy(f: Frames) -> pd.DataFrame:
    return f["lines"]


def _paid(f: Frames) -> pd.DataFrame:
    return _dy(f)[_dy(f)["订单状态"] != "已关闭"]


DOUYIN: list[tuple[str, Expect]] = [
    ("销售额", lambda f: float(_paid(f)["订单应付金额"].sum())),
    ("订单数", lambda f: int(_dy(f)["主订单编号"].nunique())),
    ("各流量来源的销售额", lambda f: _floats(_paid(f).groupby("流量来源")["订单应付金额"].sum())),
    ("各省的销售额", lambda f: _floats(_paid(f).groupby("省")["订单应付金额"].sum())),
    ("销量最高的3个商品", lambda f: _top(_paid(f).groupby("选购商品")["商品数量"].sum(), 3)),
    ("每月销售额", lambda f: _floats(_paid(f).groupby(_month(_paid(f)["订单提交时间"]))["订单应付金额"].sum())),
    ("2024年11月的销售额",
     lambda f: float(_paid(f)[_month(_paid(f)["订单提交时间"]) == "2024-11-01"]["订单应付金额"].sum())),
    ("客单价", lambda f: float(_paid(f)["订单应付金额"].sum() / _paid(f)["主订单编号"].nunique())),
    ("销售额最高的3位达人", lambda f: _top(_paid(f).groupby("达人昵称")["订单应付金额"].sum(), 3)),
    ("各订单状态的订单数", lambda f: _ints(_dy(f).groupby("订单状态")["主订单编号"].nunique())),
    ("已关闭的订单数", lambda f: int(_dy(f)[_dy(f)["订单状态"] == "已关闭"]["主订单编号"].nunique())),
    ("各城市的订单数", lambda f: _ints(_dy(f).groupby("市")["主订单编号"].nunique())),
    ("total sales", lambda f: float(_paid(f)["订单应付金额"].sum())),
    ("sales by traffic source", lambda f: _floats(_paid(f).groupby("流量来源")["订单应付金额"].sum())),
    ("orders by province", lambda f: _ints(_dy(f).groupby("省")["主订单编号"].nunique())),
    ("average order value", lambda f: float(_paid(f)["订单应付金额"].sum() / _paid(f)["主订单编号"].nunique())),
    ("复购率", lambda f: DECLINE),
    ("各渠道的点击率", lambda f: DECLINE),
    ("广告花费", lambda f: DECLINE),
]

# --- Rossmann: a row per store and day (closed days 0); store.csv joined by Store -------------


def _rd(f: Frames) -> pd.DataFrame:
    return f["days"]


ROSSMANN: list[tuple[str, Expect]] = [
    ("total sales", lambda f: float(_rd(f)["Sales"].sum())),
    ("total customers", lambda f: float(_rd(f)["Customers"].sum())),
    ("sales by store type", lambda f: _floats(_rd(f).groupby("StoreType")["Sales"].sum())),
    ("total sales by promo", lambda f: _floats(_rd(f).groupby("Promo")["Sales"].sum())),
    ("sales by year", lambda f: _floats(_rd(f).groupby(_rd(f)["Date"].dt.year)["Sales"].sum())),
    ("sales in 2014", lambda f: float(_rd(f)[_rd(f)["Date"].dt.year == 2014]["Sales"].sum())),
    ("top 3 stores by sales", lambda f: _top(_rd(f).groupby("Store")["Sales"].sum(), 3)),
    ("sales by assortment", lambda f: _floats(_rd(f).groupby("Assortment")["Sales"].sum())),
    ("monthly sales in 2015", lambda f: _floats(
        _rd(f)[_rd(f)["Date"].dt.year == 2015].groupby(_month(_rd(f)["Date"]))["Sales"].sum())),
    ("how many stores", lambda f: len(f["stores"])),
    ("sales per customer", lambda f: float(_rd(f)["Sales"].sum() / _rd(f)["Customers"].sum())),
    ("sales by state holiday", lambda f: _floats(_rd(f).groupby("StateHoliday")["Sales"].sum())),
    ("sales by day of week", lambda f: _floats(_rd(f).groupby("DayOfWeek")["Sales"].sum())),
    ("各门店类型的销售额", lambda f: _floats(_rd(f).groupby("StoreType")["Sales"].sum())),
    ("2015年的销售额", lambda f: float(_rd(f)[_rd(f)["Date"].dt.year == 2015]["Sales"].sum())),
    ("顾客总数", lambda f: float(_rd(f)["Customers"].sum())),
    ("conversion rate", lambda f: DECLINE),
    ("total profit", lambda f: DECLINE),
    ("sales by channel", lambda f: DECLINE),
]

QUESTIONS: dict[str, list[tuple[str, Expect]]] = {
    "instacart": INSTACART, "superstore": SUPERSTORE, "shopify": SHOPIFY, "douyin": DOUYIN, "rossmann": ROSSMANN}

# tools a marketer would run on each (``genbi tool NAME --db PATH``): each must run or say why not
TOOLS: dict[str, list[str]] = {
    "instacart": ["rfm", "segments"],
    "superstore": ["rfm", "cohort_retention", "clv"],
    "shopify": ["rfm", "clv"],
    "douyin": ["rfm"],
    "rossmann": ["segments"],
}


def expected(name: str, clean: Frames) -> list[tuple[str, Any]]:
    return [(question, answer(clean)) for question, answer in QUESTIONS[name]]


if __name__ == "__main__":
    import sys

    import byo11_public_datasets as datasets
    from blind_expect import write_record

    write_record(datasets, QUESTIONS, sys.argv[1])
