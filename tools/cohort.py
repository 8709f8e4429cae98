"""Cohort retention: first-purchase- or signup-month cohorts x months since, retention %.

A customer is retained in month k of their cohort when they ordered in that calendar month.
First-purchase cohorts have month 0 = 100 %; signup cohorts count every signup in the
cohort's size, so month 0 is the share who bought in their signup month.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from genbi.lazy import lazy_module

from .audience_sql import PLACEHOLDER
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .customer_orders import (
    TransactionsInput,
    latest_order_date,
    latest_transaction_date,
    read_transactions,
)
from .customer_where import limited_to
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "cohort_retention"


class CohortArgs(TransactionsInput):
    """Monthly cohort retention matrix and heatmap."""

    basis: Literal["first_purchase", "signup"] = Field(
        "first_purchase", description="Cohort by first-purchase month or signup month."
    )
    start: date | None = Field(None, description="First cohort month (any date in it).")
    time_grains: ClassVar[tuple[str, ...]] = ("month",)
    """The grain it works in: another said ("weekly cohorts") is noted, not dropped silently."""
    max_months: int = Field(12, ge=1, le=60, description="Months since cohort start to show.")

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """What a cohort is said to be: "customers who signed up in March", "三月份注册的用户",
        "by first purchase month" / "按首购月份"."""
        if _FIRST_PURCHASE_SAID.search(question):
            return {"basis": "first_purchase"}
        if _SIGNUP_SAID.search(question):
            return {"basis": "signup"}
        return {}


_SIGNUP_SAID = re.compile(
    r"\b(?:sign(?:ed|s|ing)?[- ]?ups?|join(?:ed|s|ing)?|register(?:ed|s)?|registration|enrol+(?:ed|ment)?)\b|注册|开卡|入会",
    re.IGNORECASE)
_FIRST_PURCHASE_SAID = re.compile(
    r"\bfirst[- ](?:purchase|order|buy)s?\b|首购|首单|首次购买|第一次购买|首次下单", re.IGNORECASE)


# --- pure core ------------------------------------------------------------------------------


def activity_from_transactions(tx: pd.DataFrame, as_of: date) -> tuple[pd.DataFrame, pd.Series]:
    """(cohort, period, customers) counts and cohort sizes from ``customer_id, ts`` rows."""
    tx = tx[tx["ts"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)]
    month = tx["ts"].dt.to_period("M")
    frame = pd.DataFrame({"customer_id": tx["customer_id"].to_numpy(), "month": month.to_numpy()})
    frame = frame.drop_duplicates()
    frame["cohort"] = frame.groupby("customer_id")["month"].transform("min")
    frame["period"] = (frame["month"] - frame["cohort"]).map(lambda offset: offset.n)
    counts = frame.groupby(["cohort", "period"]).size().rename("customers").reset_index()
    counts["cohort"] = counts["cohort"].dt.to_timestamp()
    sizes = counts[counts["period"] == 0].set_index("cohort")["customers"]
    return counts, sizes


def retention_matrix(
    counts: pd.DataFrame, sizes: pd.Series, max_months: int, as_of: date | None = None
) -> pd.DataFrame:
    """Rows: cohort month; columns: cohort size and months 0..max_months as retention share."""
    counts = counts[(counts["period"] >= 0) & (counts["period"] <= max_months)]
    wide = counts.pivot_table(index="cohort", columns="period", values="customers", aggfunc="sum")
    wide = wide.reindex(index=sizes.index.sort_values(), columns=range(max_months + 1))
    share = wide.fillna(0.0).div(sizes.reindex(wide.index), axis=0)
    last = pd.Timestamp(as_of) if as_of is not None else sizes.index.max()
    for cohort in share.index:  # months not yet observed stay empty, not 0 %
        months_seen = (last.year - cohort.year) * 12 + last.month - cohort.month
        share.loc[cohort, [k for k in share.columns if k > months_seen]] = np.nan
    share.columns = [f"m{k}" for k in share.columns]
    share.insert(0, "cohort_size", sizes.reindex(share.index).astype(int))
    share.index = [c.strftime("%Y-%m") for c in share.index]
    share.index.name = "cohort"
    return share.reset_index()


# --- data -----------------------------------------------------------------------------------

_FIRST_PURCHASE_SQL = """
WITH o AS (
  SELECT DISTINCT {o_cust} AS customer_id, date_trunc('month', CAST({o_time} AS DATE)) AS m
  FROM {T_o} WHERE {o_time} < :until AND {o_cust} IS NOT NULL<WHO_O>
),
c AS (SELECT customer_id, MIN(m) AS cohort FROM o GROUP BY 1)
SELECT c.cohort, date_diff('month', c.cohort, o.m) AS period, COUNT(*) AS customers
FROM o JOIN c ON c.customer_id = o.customer_id
WHERE c.cohort >= :start GROUP BY 1, 2"""

_SIGNUP_SQL = """
WITH c AS (
  SELECT {c_id} AS customer_id, date_trunc('month', CAST({c_signup} AS DATE)) AS cohort
  FROM {T_c} WHERE {c_signup} < :until AND {c_signup} >= :start<WHO_C>
),
o AS (
  SELECT DISTINCT {o_cust} AS customer_id, date_trunc('month', CAST({o_time} AS DATE)) AS m
  FROM {T_o} WHERE {o_time} < :until
)
SELECT c.cohort, date_diff('month', c.cohort, o.m) AS period, COUNT(*) AS customers
FROM c JOIN o ON o.customer_id = c.customer_id GROUP BY 1, 2
UNION ALL
SELECT cohort, -1 AS period, COUNT(*) AS customers FROM c GROUP BY 1"""


def _warehouse_counts(source: RoleSource, args: CohortArgs, as_of: date) -> tuple[pd.DataFrame, pd.Series]:
    slots = {"T_o": "order_entity", "o_cust": "order_customer", "o_time": "order_time"}
    start = (args.start or date(1900, 1, 1)).replace(day=1)
    values: dict[str, Any] = {"until": as_of + timedelta(days=1), "start": start}
    who = limited_to(source, args, as_of)  # "retention of VIP customers": their cohorts, sized by them
    if who is not None:
        values[PLACEHOLDER] = who.tree(source)
    among = " AND {%s} IN (SELECT customer_id FROM " + PLACEHOLDER + ")" if who is not None else ""
    if args.basis == "signup":
        slots |= {"T_c": "customer_entity", "c_id": "customer_id", "c_signup": "customer_signup_time"}
        raw = source.query(_SIGNUP_SQL.replace("<WHO_C>", among.replace("%s", "c_id")), slots, **values)
    else:
        raw = source.query(_FIRST_PURCHASE_SQL.replace("<WHO_O>", among.replace("%s", "o_cust")), slots, **values)
    raw["cohort"] = pd.to_datetime(raw["cohort"])
    raw["period"] = raw["period"].astype(int)
    raw["customers"] = raw["customers"].astype(int)
    if args.basis == "signup":
        sizes = raw[raw["period"] == -1].set_index("cohort")["customers"]
        return raw[raw["period"] >= 0], sizes
    return raw, raw[raw["period"] == 0].set_index("cohort")["customers"]


def run(args: CohortArgs, source: RoleSource | None = None) -> ToolResult:
    """Retention by cohort month and months since."""
    sql: tuple[str, ...] = ()
    if args.file:
        if args.basis == "signup":
            raise ToolError("A transactions file has no signup dates.", "Use --basis first_purchase.")
        if args.where:
            limited_to(source, args, date.today())  # a file has no customer attributes: says so
        tx = read_transactions(args.file, args.customer_column, args.time_column, args.amount_column)
        as_of = args.as_of or latest_transaction_date(tx)
        if args.start:
            first = tx.groupby("customer_id")["ts"].transform("min")
            tx = tx[first >= pd.Timestamp(args.start.replace(day=1))]
        counts, sizes = activity_from_transactions(tx, as_of)
    elif source is not None:
        before = len(source.executed)
        as_of = args.as_of or latest_order_date(source)
        counts, sizes = _warehouse_counts(source, args, as_of)
        sql = tuple(source.executed[before:])
    else:
        raise ToolError("The cohort tool needs a warehouse or --file with transactions.")
    if sizes.empty and args.where:
        raise ToolError(f"No customer of '{args.where}' has a cohort in the period.",
                        "Widen the customer condition or the start month.")
    if sizes.empty:
        raise ToolError("No cohorts in the period.")
    table = retention_matrix(counts, sizes, args.max_months, as_of)
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: _chart(table, args.basis)),
                      facts=_facts(table, args, as_of), sql=sql)


def _facts(table: pd.DataFrame, args: CohortArgs, as_of: date) -> dict[str, Any]:
    weights = table["cohort_size"]
    facts: dict[str, Any] = {"basis": args.basis, "as_of": as_of.isoformat(), "cohorts": len(table),
                             "customers": int(weights.sum())}
    for k in (1, 3, 6, 12):
        column = f"m{k}"
        if column in table and table[column].notna().any():
            seen = table[column].notna()
            facts[f"avg_retention_m{k}"] = round(float(np.average(table.loc[seen, column], weights=weights[seen])), 4)
    if "m1" in table and table["m1"].notna().any():
        m1 = table["m1"].to_numpy(dtype=float)
        cohorts = table["cohort"].astype(str).tolist()
        facts["best_cohort_m1"] = cohorts[int(np.nanargmax(m1))]
        facts["worst_cohort_m1"] = cohorts[int(np.nanargmin(m1))]
    return facts


def _chart(table: pd.DataFrame, basis: str) -> go.Figure:
    months = [c for c in table.columns if c.startswith("m")]
    z = table[months].to_numpy(dtype=float)
    figure = go.Figure(
        go.Heatmap(z=z, x=months, y=table["cohort"], colorscale="Blues", zmin=0,
                   zmax=float(np.nanmax(z[:, 1:])) if z.shape[1] > 1 and np.isfinite(z[:, 1:]).any() else 1.0,
                   text=np.where(np.isnan(z), "", np.vectorize(lambda v: f"{v:.0%}")(np.nan_to_num(z))),
                   texttemplate="%{text}", hovertemplate="%{y} %{x}: %{z:.1%}<extra></extra>")
    )
    figure.update_layout(title=f"Retention by {basis.replace('_', '-')} cohort / 同期群留存率",
                         xaxis_title="months since / 间隔月数", yaxis_title="cohort / 同期群",
                         yaxis={"autorange": "reversed"})
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=CohortArgs,
        run=run,
        description=(
            "Cohort retention: first-purchase or signup month cohorts by months since, as a "
            "retention % matrix and heatmap."
        ),
        intents=("retention", "cohort", "cohort analysis", "repeat purchase by cohort",
                 "留存", "留存率", "同期群", "复购留存", "群组分析"),
        actions=(  # "how many come back in the months after their first order"
            r"\bhow well (?:do|did|does|are|were) we (?:keep|keeping|retain\w*|hold on to|holding on to)\b"
            r"|\b(?:do|did|does) we (?:keep|retain) (?:the\s+)?(?:customers|buyers|users|members|shoppers)\b",
            r"\b(?:come|comes|came|coming|return|returns|returned|returning|buy again|order again|reorder\w*|"
            r"repurchas\w*)\b(?:\s+back)?.{0,40}\b(?:after|since)\s+(?:their|the|its|a)\s+first\s+"
            r"(?:order|purchase|buy|month|visit)s?\b",
            r"(?:首单|首次购买|第一次购买|首购)(?:之?后).{0,12}(?:回购|复购|回来|再次购买|再买)",
            r"新客.{0,10}(?:后续|之后|以后|随后).{0,6}(?:复购|回购|留存)|(?:后续|之后)的?(?:复购|回购)?留存",
        ),
    )
)
