"""Per-customer order summaries as of a date, from the warehouse (SQL) or a transactions file.

Several tools (RFM, CLV, churn, segments, lookalike) start from the same thing: for each
customer who ordered on or before ``as_of``, the first and last order date, the number of
orders and the revenue. The warehouse aggregates it in SQL through roles; a transactions
file (customer, timestamp, amount) is aggregated in pandas to the same columns.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from pydantic import ConfigDict, Field

from genbi.lazy import lazy_module

from .base import ToolError
from .customer_where import WHERE_HELP
from .file_source import TransactionsFileArgs
from .files import read_table, require_columns
from .roles import RoleSource

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

SUMMARY_COLUMNS = ["customer_id", "first_date", "last_date", "orders", "revenue"]

_SUMMARY_SQL = """
SELECT {o_cust} AS customer_id, MIN(CAST({o_time} AS DATE)) AS first_date,
       MAX(CAST({o_time} AS DATE)) AS last_date, COUNT(*) AS orders,
       SUM(CAST({o_rev} AS DOUBLE)) AS revenue
FROM {T_o}
WHERE {o_time} < :until AND {o_time} >= :since AND {o_cust} IS NOT NULL
GROUP BY 1"""

_LATEST_SQL = "SELECT MAX(CAST({o_time} AS DATE)) AS latest FROM {T_o}"

ORDER_SLOTS = {"T_o": "order_entity", "o_cust": "order_customer", "o_time": "order_time",
               "o_rev": "order_revenue"}


def latest_order_date(source: RoleSource) -> date:
    """The date of the newest order: the default 'as of' when none is given."""
    latest = source.query(_LATEST_SQL, {"T_o": "order_entity", "o_time": "order_time"})["latest"].iloc[0]
    if pd.isna(latest):
        raise ToolError("The warehouse has no orders.")
    return pd.Timestamp(latest).date()


def warehouse_summary(source: RoleSource, as_of: date, since: date | None = None) -> pd.DataFrame:
    """Orders on or before ``as_of`` (and on or after ``since``) per customer, in SQL."""
    source.same_table("order_customer", "order_time", "order_revenue")
    frame = source.query(
        _SUMMARY_SQL, ORDER_SLOTS,
        until=as_of + timedelta(days=1), since=since or date(1900, 1, 1),
    )
    return _typed(frame)


def read_transactions(path: str, customer: str, time: str, amount: str) -> pd.DataFrame:
    """A transactions file mapped to ``customer_id, ts, amount`` (one row per order)."""
    frame = read_table(path)
    require_columns(
        frame, {"customer_column": customer, "time_column": time, "amount_column": amount},
        f"Transactions file {path}",
    )
    out = pd.DataFrame(
        {
            "customer_id": frame[customer],
            "ts": pd.to_datetime(frame[time], errors="coerce"),
            "amount": pd.to_numeric(frame[amount], errors="coerce").fillna(0.0),
        }
    )
    bad = int(out["ts"].isna().sum())
    if bad == len(out):
        raise ToolError(f"No value in '{time}' could be read as a date or timestamp.")
    return out.dropna(subset=["ts", "customer_id"])


def transactions_summary(tx: pd.DataFrame, as_of: date, since: date | None = None) -> pd.DataFrame:
    """The same summary as ``warehouse_summary`` from a ``customer_id, ts, amount`` frame."""
    day = tx["ts"].dt.normalize()
    keep = day <= pd.Timestamp(as_of)
    if since is not None:
        keep &= day >= pd.Timestamp(since)
    part = tx[keep].assign(day=day[keep])
    grouped = part.groupby("customer_id", sort=True)
    frame = pd.DataFrame(
        {
            "first_date": grouped["day"].min(),
            "last_date": grouped["day"].max(),
            "orders": grouped.size(),
            "revenue": grouped["amount"].sum(),
        }
    ).reset_index()
    return _typed(frame)


def latest_transaction_date(tx: pd.DataFrame) -> date:
    if tx.empty:
        raise ToolError("The transactions file has no rows.")
    return pd.Timestamp(tx["ts"].max()).date()


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[SUMMARY_COLUMNS].copy()
    frame["first_date"] = pd.to_datetime(frame["first_date"])
    frame["last_date"] = pd.to_datetime(frame["last_date"])
    frame["orders"] = frame["orders"].astype("int64")
    frame["revenue"] = frame["revenue"].astype("float64").fillna(0.0)
    return frame.sort_values("customer_id", kind="stable").reset_index(drop=True)


class TransactionsInput(TransactionsFileArgs):
    """Flags shared by tools that start from orders per customer (warehouse or file)."""

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(None, description="Analysis date; default: the latest order date.")
    where: str | None = Field(None, description=WHERE_HELP)


def load_summary(
    args: TransactionsInput, source: RoleSource | None, since_days: int | None = None
) -> tuple[pd.DataFrame, date, tuple[str, ...]]:
    """The per-customer summary, the as-of date used, and the SQL that ran."""
    if args.file:
        tx = read_transactions(args.file, args.customer_column, args.time_column, args.amount_column)
        as_of = args.as_of or latest_transaction_date(tx)
        since = as_of - timedelta(days=since_days - 1) if since_days else None
        return transactions_summary(tx, as_of, since), as_of, ()
    if source is None:
        raise ToolError("This tool needs a warehouse or --file with transactions.")
    before = len(source.executed)
    as_of = args.as_of or latest_order_date(source)
    since = as_of - timedelta(days=since_days - 1) if since_days else None
    summary = warehouse_summary(source, as_of, since)
    return summary, as_of, tuple(source.executed[before:])
