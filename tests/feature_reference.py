"""Reference (pandas) behavioural features per customer, the golden numbers for feature_sql.

RFM and tenure from orders; when the model has the roles, the discount share of spend,
the category mix of item spend (``cat_<category>`` shares) and the channel mix of marketing
touches (``ch_<channel>`` shares) over the ``window_days`` before the date. Everything is
aggregated in SQL through roles; pandas only pivots the long results.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module
from genbi.tools.customer_orders import warehouse_summary
from genbi.tools.roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

_DISCOUNT_SQL = """
SELECT {o_cust} AS customer_id,
       SUM(CAST({o_disc} AS DOUBLE)) / NULLIF(SUM(CAST({o_rev} AS DOUBLE) + CAST({o_disc} AS DOUBLE)), 0)
         AS discount_share
FROM {T_o} WHERE {o_time} < :until AND {o_time} >= :since GROUP BY 1"""

_CATEGORY_SQL = """
SELECT {o_cust} AS customer_id, CAST({p_cat} AS VARCHAR) AS key,
       SUM(CAST({i_qty} AS DOUBLE) * CAST({i_price} AS DOUBLE)) AS amount
FROM {T_i} JOIN {T_o} ON {o_id} = {i_order} JOIN {T_p} ON {p_id} = {i_prod}
WHERE {o_time} < :until AND {o_time} >= :since GROUP BY 1, 2"""

_CHANNEL_SQL = """
SELECT {t_cust} AS customer_id, CAST({t_chan} AS VARCHAR) AS key, COUNT(*) AS amount
FROM {T_t} WHERE {t_time} < :until AND {t_time} >= :since GROUP BY 1, 2"""


def _mix(long: pd.DataFrame, prefix: str) -> pd.DataFrame:
    if long.empty:
        return pd.DataFrame(index=pd.Index([], name="customer_id"))
    wide = long.pivot_table(index="customer_id", columns="key", values="amount", aggfunc="sum", fill_value=0.0)
    wide = wide.div(wide.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    wide.columns = [f"{prefix}{c}" for c in wide.columns]
    return wide


def rfm_features(summary: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Recency, frequency, monetary, tenure and AOV from an order summary (pure)."""
    now = pd.Timestamp(as_of)
    frame = pd.DataFrame(
        {
            "recency_days": (now - summary["last_date"]).dt.days.to_numpy(dtype=float),
            "frequency": summary["orders"].to_numpy(dtype=float),
            "monetary": summary["revenue"].to_numpy(dtype=float),
            "tenure_days": (now - summary["first_date"]).dt.days.to_numpy(dtype=float),
        },
        index=pd.Index(summary["customer_id"].to_numpy(), name="customer_id"),
    )
    frame["aov"] = frame["monetary"] / frame["frequency"].clip(lower=1)
    return frame


def customer_features(
    source: RoleSource, as_of: date, window_days: int = 365, mixes: bool = True
) -> pd.DataFrame:
    """One row per customer with an order on or before ``as_of``; numeric columns only."""
    summary = warehouse_summary(source, as_of)
    frame = rfm_features(summary, as_of)
    values = {"until": as_of + timedelta(days=1), "since": as_of - timedelta(days=window_days - 1)}
    orders = {"T_o": "order_entity", "o_cust": "order_customer", "o_time": "order_time",
              "o_rev": "order_revenue"}
    parts = []
    if source.has("order_discount"):
        disc = source.query(_DISCOUNT_SQL, orders | {"o_disc": "order_discount"}, **values)
        parts.append(disc.set_index("customer_id").astype(float))
    item_roles = ("order_item_order", "order_item_product", "order_item_quantity",
                  "order_item_price", "product_id", "product_category", "order_id")
    if mixes and all(source.has(r) for r in item_roles):
        slots = orders | {"T_i": "order_item_entity", "T_p": "product_entity", "o_id": "order_id",
                          "i_order": "order_item_order", "i_prod": "order_item_product",
                          "i_qty": "order_item_quantity", "i_price": "order_item_price",
                          "p_id": "product_id", "p_cat": "product_category"}
        parts.append(_mix(source.query(_CATEGORY_SQL, slots, **values), "cat_"))
    touch_roles = ("touchpoint_customer", "touchpoint_channel", "touchpoint_time")
    if mixes and all(source.has(r) for r in touch_roles):
        slots = {"T_t": "touchpoint_entity", "t_cust": "touchpoint_customer",
                 "t_chan": "touchpoint_channel", "t_time": "touchpoint_time"}
        parts.append(_mix(source.query(_CHANNEL_SQL, slots, **values), "ch_"))
    for part in parts:
        frame = frame.join(part, how="left")
    return frame.fillna(0.0).sort_index()
