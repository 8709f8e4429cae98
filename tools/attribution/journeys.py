"""Journeys from a warehouse, built in SQL and fetched aggregated (path counts).

A converting journey is a customer's touches within ``lookback_days`` before an order and
after their previous order (a touch is never credited to two orders). A non-converting
journey is a customer's touches after their last order (or all, if they never ordered)
within the period, limited to the ``lookback_days`` before their last such touch. Orders
with no touch in their window are counted but cannot be credited to any channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

from ..base import ToolError
from ..roles import RoleSource
from .models import path_table

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

_ORDERS = """
o_all AS (
  SELECT {o_id} AS order_id, {o_cust} AS customer_id, CAST({o_time} AS TIMESTAMP) AS ts,
         CAST({o_rev} AS DOUBLE) AS value
  FROM {T_o}
  WHERE {o_time} >= :order_from AND {o_time} < :end_excl
),
o_lag AS (
  SELECT *, LAG(ts) OVER (PARTITION BY customer_id ORDER BY ts, order_id) AS prev_ts FROM o_all
),
o AS (SELECT * FROM o_lag WHERE ts >= :start)"""

_TOUCHES_CHANNEL = """
t AS (
  SELECT {t_cust} AS customer_id, CAST({t_time} AS TIMESTAMP) AS ts,
         CAST({t_elem} AS VARCHAR) AS elem
  FROM {T_t}
  WHERE {t_time} >= :touch_from AND {t_time} < :end_excl AND {t_elem} IS NOT NULL
)"""

_TOUCHES_CAMPAIGN = """
t AS (
  SELECT {t_cust} AS customer_id, CAST({t_time} AS TIMESTAMP) AS ts,
         CAST(COALESCE(CAST({c_name} AS VARCHAR), CAST({t_elem} AS VARCHAR)) AS VARCHAR) AS elem
  FROM {T_t} LEFT JOIN {T_c} ON {c_id} = {t_elem}
  WHERE {t_time} >= :touch_from AND {t_time} < :end_excl AND {t_elem} IS NOT NULL
)"""

_JOURNEY = """
j AS (
  SELECT o.order_id, o.value, t.elem, t.ts,
         date_diff('second', t.ts, o.ts) / 86400.0 AS age
  FROM o JOIN t ON t.customer_id = o.customer_id
   AND (t.ts < o.ts OR (:touch_at_order AND t.ts = o.ts)) AND t.ts >= o.ts - to_days(CAST(:lookback AS INTEGER))
   AND (o.prev_ts IS NULL OR t.ts > o.prev_ts)
)"""

_PATHS = """
conv AS (
  SELECT order_id, ANY_VALUE(value) AS value, ARRAY_AGG(elem ORDER BY ts, elem) AS path
  FROM j GROUP BY order_id
),
last_order AS (SELECT customer_id, MAX(ts) AS last_ts FROM o_all GROUP BY customer_id),
open_touch AS (
  SELECT t.customer_id, t.elem, t.ts, MAX(t.ts) OVER (PARTITION BY t.customer_id) AS end_ts
  FROM t LEFT JOIN last_order ON last_order.customer_id = t.customer_id
  WHERE t.ts >= :start AND (last_order.last_ts IS NULL OR t.ts > last_order.last_ts)
),
nulls AS (
  SELECT customer_id, ARRAY_AGG(elem ORDER BY ts, elem) AS path FROM open_touch
  WHERE ts >= end_ts - to_days(CAST(:lookback AS INTEGER)) GROUP BY customer_id
),
paths AS (
  SELECT path, 1 AS conversions, value, 0 AS nulls FROM conv
  UNION ALL SELECT path, 0 AS conversions, 0.0 AS value, 1 AS nulls FROM nulls
)
SELECT path, SUM(conversions) AS conversions, SUM(value) AS value, SUM(nulls) AS nulls
FROM paths GROUP BY path"""

_DECAY = """
w AS (SELECT order_id, elem, value, POWER(0.5, age / :half_life) AS w FROM j),
n AS (SELECT elem, value, w / SUM(w) OVER (PARTITION BY order_id) AS share FROM w)
SELECT elem AS channel, SUM(share) AS conversions, SUM(share * value) AS revenue
FROM n GROUP BY elem"""

_SUMMARY = """
SELECT COUNT(*) AS orders, SUM(value) AS revenue,
       COUNT(*) FILTER (WHERE order_id IN (SELECT order_id FROM j)) AS orders_with_journey
FROM o"""

_BOUNDS = "SELECT MIN(CAST({o_time} AS DATE)) AS lo, MAX(CAST({o_time} AS DATE)) AS hi FROM {T_o}"


@dataclass(frozen=True)
class Journeys:
    """What the warehouse gave: the path table, real-time time decay, order totals."""

    paths: pd.DataFrame
    time_decay: pd.DataFrame
    orders: int
    revenue: float
    orders_with_journey: int
    start: date
    end: date


def _slots(source: RoleSource, by: str) -> dict[str, str]:
    slots = {
        "T_o": "order_entity", "o_id": "order_id", "o_cust": "order_customer",
        "o_time": "order_time", "o_rev": "order_revenue",
        "T_t": "touchpoint_entity", "t_cust": "touchpoint_customer", "t_time": "touchpoint_time",
    }
    source.same_table("order_id", "order_customer", "order_time", "order_revenue")
    if by == "campaign":
        slots["t_elem"] = "touchpoint_campaign"
        if source.has("campaign_name"):
            slots.update(T_c="campaign_entity", c_id="campaign_id", c_name="campaign_name")
    else:
        slots["t_elem"] = "touchpoint_channel"
    source.same_table(*(r for k, r in slots.items() if k.startswith("t_")))
    return slots


def fetch_journeys(
    source: RoleSource,
    *,
    start: date | None,
    end: date | None,
    lookback_days: int,
    half_life_days: float,
    by: str = "channel",
    touch_at_order: bool = False,
) -> Journeys:
    """Run the journey SQL (three aggregated queries) and return what the models need.

    ``touch_at_order``: a touch at the very time of the order belongs to its journey (a touch
    log marks the converting touch itself)."""
    slots = _slots(source, by)
    if start is None or end is None:
        bounds = source.query(_BOUNDS, {"T_o": "order_entity", "o_time": "order_time"})
        lo, hi = bounds.iloc[0]["lo"], bounds.iloc[0]["hi"]
        if pd.isna(lo):
            raise ToolError("There are no orders in the warehouse to attribute.")
        start = start or pd.Timestamp(lo).date()
        end = end or pd.Timestamp(hi).date()
    if end < start:
        raise ToolError(f"The end date {end} is before the start date {start}.")
    touches = _TOUCHES_CAMPAIGN if "c_name" in slots else _TOUCHES_CHANNEL
    head = "WITH " + ",".join([_ORDERS, touches, _JOURNEY]) + ","
    values = {
        "start": start,
        "end_excl": end + timedelta(days=1),
        "order_from": start - timedelta(days=lookback_days),
        "touch_from": start - timedelta(days=lookback_days),
        "lookback": lookback_days,
        "touch_at_order": touch_at_order,
    }
    raw = source.query(head + _PATHS, slots, **values)
    paths = path_table(
        [tuple(p) for p in raw["path"]],
        raw["conversions"].astype(float),
        raw["value"].astype(float).fillna(0.0),
        raw["nulls"].astype(float),
    )
    decay = source.query(head + _DECAY, slots, half_life=float(half_life_days), **values)
    decay = decay.astype({"conversions": float, "revenue": float})
    summary = source.query(head.rstrip(",") + _SUMMARY, slots, **values).iloc[0]
    return Journeys(
        paths=paths,
        time_decay=decay,
        orders=int(summary["orders"]),
        revenue=float(np.nan_to_num(summary["revenue"])),
        orders_with_journey=int(summary["orders_with_journey"]),
        start=start,
        end=end,
    )
