"""Blind questions for the five byo9 lookalikes (``byo9_public_datasets``), written BEFORE genbi
ran on them, each with its expected answer computed here in pandas from the generator's clean
values (never from genbi).

An expected answer is a number (one value), a dict {group: value} (every group must match; for
"top N" the dict holds exactly the groups the answer must list; a blank group genbi shows beside
them is no difference), or ``DECLINE``: the data cannot answer it, so any number is silently wrong.
``python tests/byo9_blind_questions.py OUT.json`` writes every expected answer for the record.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from blind_expect import DECLINE, Expect, Frames
from blind_expect import floats as _floats
from blind_expect import ints as _ints
from blind_expect import month as _month
from blind_expect import top as _top

# --- Adidas US sales ------------------------------------------------------------------------

def _ad(f: Frames) -> pd.DataFrame:
    return f["sales"]


def _year(f: Frames, year: int) -> pd.DataFrame:
    return _ad(f)[_ad(f)["Invoice Date"].dt.year == year]


ADIDAS: list[tuple[str, Expect]] = [
    ("total sales", lambda f: float(_ad(f)["Total Sales"].sum())),
    ("total operating profit", lambda f: float(_ad(f)["Operating Profit"].sum())),
    ("total units sold", lambda f: int(_ad(f)["Units Sold"].sum())),
    ("sales by region", lambda f: _floats(_ad(f).groupby("Region")["Total Sales"].sum())),
    ("top 3 retailers by total sales", lambda f: _top(_ad(f).groupby("Retailer")["Total Sales"].sum(), 3)),
    ("units sold by product", lambda f: _ints(_ad(f).groupby("Product")["Units Sold"].sum())),
    ("sales by sales method", lambda f: _floats(_ad(f).groupby("Sales Method")["Total Sales"].sum())),
    ("sales by month", lambda f: _floats(_ad(f).groupby(_month(_ad(f)["Invoice Date"]))["Total Sales"].sum())),
    ("total sales in 2021", lambda f: float(_year(f, 2021)["Total Sales"].sum())),
    ("average price per unit", lambda f: float(_ad(f)["Price per Unit"].mean())),
    ("average operating margin", lambda f: float(_ad(f)["Operating Margin"].mean())),
    ("operating profit by retailer", lambda f: _floats(_ad(f).groupby("Retailer")["Operating Profit"].sum())),
    ("各地区的销售额", lambda f: _floats(_ad(f).groupby("Region")["Total Sales"].sum())),
    ("2020年的营业利润", lambda f: float(_year(f, 2020)["Operating Profit"].sum())),
    ("customer retention rate", lambda f: DECLINE),
    ("click-through rate by region", lambda f: DECLINE),
]

# --- Hotel booking demand -------------------------------------------------------------------


def _hb(f: Frames) -> pd.DataFrame:
    return f["bookings"]


HOTEL: list[tuple[str, Expect]] = [
    ("how many bookings", lambda f: len(_hb(f))),
    ("cancellation rate", lambda f: float(_hb(f)["is_canceled"].mean())),
    ("cancellation rate by hotel", lambda f: _floats(_hb(f).groupby("hotel")["is_canceled"].mean())),
    ("bookings by market segment", lambda f: _ints(_hb(f)["market_segment"].value_counts())),
    ("average daily rate", lambda f: float(_hb(f)["adr"].mean())),
    ("average adr by hotel", lambda f: _floats(_hb(f).groupby("hotel")["adr"].mean())),
    ("bookings by arrival year", lambda f: _ints(_hb(f)["arrival_date_year"].value_counts())),
    ("how many bookings arrived in August 2016",
     lambda f: int((_month(_hb(f)["arrival"]) == "2016-08-01").sum())),
    ("average lead time", lambda f: float(_hb(f)["lead_time"].mean())),
    ("how many bookings were from repeated guests", lambda f: int(_hb(f)["is_repeated_guest"].sum())),
    ("top 3 countries by bookings", lambda f: _top(_hb(f)["country"].value_counts(), 3)),
    ("canceled bookings by deposit type",
     lambda f: _ints(_hb(f)[_hb(f)["is_canceled"] == 1]["deposit_type"].value_counts())),
    ("bookings by customer type", lambda f: _ints(_hb(f)["customer_type"].value_counts())),
    ("average number of children per booking", lambda f: float(_hb(f)["children"].mean())),
    ("各酒店的预订数", lambda f: _ints(_hb(f)["hotel"].value_counts())),
    ("平均提前预订天数", lambda f: float(_hb(f)["lead_time"].mean())),
    ("ROAS by distribution channel", lambda f: DECLINE),
    ("email open rate", lambda f: DECLINE),
]

# --- Starbucks offers -------------------------------------------------------------------------


def _pr(f: Frames) -> pd.DataFrame:
    return f["profile"]


def _events(f: Frames, event: str) -> pd.DataFrame:
    return f["transcript"][f["transcript"]["event"] == event]


STARBUCKS: list[tuple[str, Expect]] = [
    ("how many customers", lambda f: len(_pr(f))),
    ("average income", lambda f: float(_pr(f)["income"].mean())),
    ("average age of customers", lambda f: float(_pr(f)["age"].mean())),
    ("how many female customers", lambda f: int((_pr(f)["gender"] == "F").sum())),
    ("new members by year", lambda f: _ints(_pr(f)["became_member_on"].dt.year.value_counts())),
    ("how many offers were received", lambda f: len(_events(f, "offer received"))),
    ("how many offers were completed", lambda f: len(_events(f, "offer completed"))),
    ("number of events by event type", lambda f: _ints(f["transcript"]["event"].value_counts())),
    ("total transaction amount", lambda f: float(_events(f, "transaction")["amount"].sum())),
    ("average transaction amount", lambda f: float(_events(f, "transaction")["amount"].mean())),
    ("offers by offer type", lambda f: _ints(f["portfolio"]["offer_type"].value_counts())),
    ("average reward by offer type", lambda f: _floats(f["portfolio"].groupby("offer_type")["reward"].mean())),
    ("各性别的平均收入", lambda f: _floats(_pr(f).groupby("gender")["income"].mean())),
    ("每年新增会员数", lambda f: _ints(_pr(f)["became_member_on"].dt.year.value_counts())),
    ("click-through rate by channel", lambda f: DECLINE),
    ("revenue by store", lambda f: DECLINE),
]

# --- Olist marketing funnel -----------------------------------------------------------------------


def _leads(f: Frames) -> pd.DataFrame:
    return f["leads"]


def _deals(f: Frames) -> pd.DataFrame:
    return f["deals"]


def _deal_origin(f: Frames) -> pd.Series:
    joined = _deals(f).merge(_leads(f), on="mql_id", how="left")
    return joined.groupby("origin").size() / _leads(f).groupby("origin").size()


OLIST_FUNNEL: list[tuple[str, Expect]] = [
    ("how many leads", lambda f: len(_leads(f))),
    ("leads by origin", lambda f: _ints(_leads(f)["origin"].value_counts())),
    ("how many closed deals", lambda f: len(_deals(f))),
    ("deals by business segment", lambda f: _ints(_deals(f)["business_segment"].value_counts())),
    ("conversion rate from lead to closed deal", lambda f: len(_deals(f)) / len(_leads(f))),
    ("conversion rate by origin", lambda f: _floats(_deal_origin(f).fillna(0))),
    ("leads by month", lambda f: _ints(_month(_leads(f)["first_contact_date"]).value_counts())),
    ("deals won by month", lambda f: _ints(_month(_deals(f)["won_date"]).value_counts())),
    ("top 3 business segments by number of deals", lambda f: _top(_deals(f)["business_segment"].value_counts(), 3)),
    ("deals by lead type", lambda f: _ints(_deals(f)["lead_type"].value_counts())),
    ("average declared monthly revenue", lambda f: float(_deals(f)["declared_monthly_revenue"].mean())),
    ("how many sellers", lambda f: int(_deals(f)["seller_id"].nunique())),
    ("各来源的线索数", lambda f: _ints(_leads(f)["origin"].value_counts())),
    ("每月成交数", lambda f: _ints(_month(_deals(f)["won_date"]).value_counts())),
    ("average order value", lambda f: DECLINE),
    ("ROAS by origin", lambda f: DECLINE),
]

# --- Marketing Campaign Performance ---------------------------------------------------------------


def _cp(f: Frames) -> pd.DataFrame:
    return f["campaigns"]


def _ctr(frame: pd.DataFrame) -> float:
    return float(frame["Clicks"].sum() / frame["Impressions"].sum())


CAMPAIGNS: list[tuple[str, Expect]] = [
    ("how many campaigns", lambda f: len(_cp(f))),
    ("total clicks", lambda f: int(_cp(f)["Clicks"].sum())),
    ("total impressions", lambda f: int(_cp(f)["Impressions"].sum())),
    ("click-through rate", lambda f: _ctr(_cp(f))),
    ("average ROI", lambda f: float(_cp(f)["ROI"].mean())),
    ("average conversion rate by channel", lambda f: _floats(_cp(f).groupby("Channel_Used")["Conversion_Rate"].mean())),
    ("total acquisition cost", lambda f: float(_cp(f)["Acquisition_Cost"].sum())),
    ("acquisition cost by campaign type", lambda f: _floats(_cp(f).groupby("Campaign_Type")["Acquisition_Cost"].sum())),
    ("clicks by month", lambda f: _ints(_cp(f).groupby(_month(_cp(f)["Date"]))["Clicks"].sum())),
    ("top 2 companies by clicks", lambda f: _top(_cp(f).groupby("Company")["Clicks"].sum(), 2)),
    ("average engagement score by customer segment",
     lambda f: _floats(_cp(f).groupby("Customer_Segment")["Engagement_Score"].mean())),
    ("average campaign duration", lambda f: float(_cp(f)["Duration"].mean())),
    ("campaigns by location", lambda f: _ints(_cp(f)["Location"].value_counts())),
    ("CTR by campaign type", lambda f: _floats(_cp(f).groupby("Campaign_Type").apply(_ctr))),
    ("各渠道的点击量", lambda f: _ints(_cp(f).groupby("Channel_Used")["Clicks"].sum())),
    ("2021年6月的展示量", lambda f: int(_cp(f)[_month(_cp(f)["Date"]) == "2021-06-01"]["Impressions"].sum())),
    ("total revenue", lambda f: DECLINE),
    ("repeat purchase rate", lambda f: DECLINE),
]

QUESTIONS: dict[str, list[tuple[str, Expect]]] = {
    "adidas": ADIDAS, "hotel": HOTEL, "starbucks": STARBUCKS, "olist_funnel": OLIST_FUNNEL, "campaigns": CAMPAIGNS}

# tools a marketer would run on each (``genbi tool NAME --db PATH``): each must run or say why not
TOOLS: dict[str, list[str]] = {
    "adidas": ["segments", "rfm", "budget"],
    "hotel": ["segments", "funnel", "cohort_retention"],
    "starbucks": ["rfm", "cohort_retention", "funnel", "ab_test"],
    "olist_funnel": ["funnel", "attribution", "segments"],
    "campaigns": ["budget", "attribution", "ab_test"],
}


def expected(name: str, clean: Frames) -> list[tuple[str, Any]]:
    return [(question, answer(clean)) for question, answer in QUESTIONS[name]]


if __name__ == "__main__":
    import sys

    import byo9_public_datasets as datasets
    from blind_expect import write_record

    write_record(datasets, QUESTIONS, sys.argv[1])
