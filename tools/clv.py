"""Customer lifetime value: predicted revenue per customer over the next 12 months.

Method (documented fallback; no BG/NBD): a cohort-based empirical estimate. Customers
are placed in cells by their recency and frequency quintile scores (the RFM tool's
``quintile_scores``) as of a calibration date one horizon before ``as_of``; each cell's
average revenue over the following horizon is what the same cell is predicted to spend
next. Cells with fewer than ``min_cell`` customers fall back to the customer's RFM segment
average, then to the overall average. Predictions are reported per customer and averaged
by RFM segment.

Why not BG/NBD + Gamma-Gamma: ``lifetimes`` is unmaintained (needs ``pkg_resources``,
fails to converge on simple data) and ``pymc-marketing`` installs ~580 MB and needs ~40 s
to import and compile; neither fits this tool's budget today.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import Field

from genbi.lazy import lazy_module

from .base import ToolError, ToolResult, ToolSpec, register_tool
from .customer_orders import (
    TransactionsInput,
    latest_order_date,
    latest_transaction_date,
    read_transactions,
    transactions_summary,
    warehouse_summary,
)
from .rfm import SEGMENT_ORDER, SEGMENT_ZH, rfm_scores
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "clv"
METHOD = "cohort-based RFM-cell estimate (calibrated one horizon back)"


class CLVArgs(TransactionsInput):
    """12-month predicted customer value with segment averages."""

    horizon_days: int = Field(365, ge=30, le=730, description="Prediction horizon in days.")
    min_cell: int = Field(30, ge=1, description="Smallest R x F cell used before falling back.")
    top_n: int = Field(1000, ge=1, le=1_000_000, description="Customers in the returned list.")


def predict(
    calibration: pd.DataFrame, future_revenue: pd.Series, current: pd.DataFrame, min_cell: int
) -> np.ndarray:
    """Predicted value per current customer from calibration cells (pure)."""
    calib = calibration.assign(value=calibration["customer_id"].map(future_revenue).fillna(0.0).to_numpy())
    overall = float(calib["value"].mean())
    stats = calib.groupby(["r_score", "f_score"])["value"].agg(["mean", "size"])
    cells = stats.loc[stats["size"] >= min_cell, "mean"]
    segments = calib.groupby("segment")["value"].mean()
    keys = pd.MultiIndex.from_arrays([current["r_score"], current["f_score"]])
    by_cell = pd.Series(cells.reindex(keys).to_numpy(), index=current.index)
    by_segment = current["segment"].map(segments)
    return by_cell.fillna(by_segment).fillna(overall).to_numpy(dtype=float)


def run(args: CLVArgs, source: RoleSource | None = None) -> ToolResult:
    """Predict next-horizon value for every customer who ordered; average by segment."""
    summary_at, as_of, sql_start = _inputs(args, source)
    calib_date = as_of - timedelta(days=args.horizon_days)
    calib_summary = summary_at(calib_date)
    if calib_summary.empty:
        raise ToolError(f"No orders before {calib_date}: too little history for a {args.horizon_days}-day CLV.",
                        "Use a shorter horizon.")
    now_summary = summary_at(as_of)
    before = calib_summary.set_index("customer_id")["revenue"]
    after = now_summary.set_index("customer_id")["revenue"]
    future = after.reindex(before.index).fillna(0.0) - before
    calibration = rfm_scores(calib_summary, calib_date)
    current = rfm_scores(now_summary, as_of)
    current["predicted_value"] = predict(calibration, future, current, args.min_cell)
    table = _segment_table(current)
    top = current.sort_values("predicted_value", ascending=False).head(args.top_n)
    facts: dict[str, Any] = {
        "as_of": as_of.isoformat(), "horizon_days": args.horizon_days, "method": METHOD,
        "calibration_date": calib_date.isoformat(), "customers": len(current),
        "total_predicted_value": round(float(current["predicted_value"].sum()), 2),
        "mean_predicted_value": round(float(current["predicted_value"].mean()), 2),
        "segment_average": {str(s): round(float(v), 2) for s, v in zip(table["segment"], table["avg_predicted_value"], strict=True)},
    }
    sql = tuple(source.executed[sql_start:]) if source is not None else ()
    return ToolResult(tool=NAME, table=table, chart=_chart(table), facts=facts,
                      tables={"customers": top[["customer_id", "segment", "segment_zh", "recency_days",
                                                "frequency", "monetary", "predicted_value"]]},
                      customer_ids=tuple(int(c) for c in top["customer_id"]), sql=sql)


def _segment_table(current: pd.DataFrame) -> pd.DataFrame:
    grouped = current.groupby("segment")["predicted_value"]
    table = pd.DataFrame({"customers": grouped.size(), "avg_predicted_value": grouped.mean(),
                          "total_predicted_value": grouped.sum()}).reindex(SEGMENT_ORDER).dropna()
    table["value_share"] = table["total_predicted_value"] / table["total_predicted_value"].sum()
    table = table.reset_index().rename(columns={"index": "segment"})
    table.insert(1, "segment_zh", table["segment"].map(SEGMENT_ZH))
    table["customers"] = table["customers"].astype(int)
    return table


def _inputs(args: CLVArgs, source: RoleSource | None) -> tuple[Any, date, int]:
    if args.file:
        tx = read_transactions(args.file, args.customer_column, args.time_column, args.amount_column)
        return (lambda day: transactions_summary(tx, day)), args.as_of or latest_transaction_date(tx), 0
    if source is None:
        raise ToolError("The CLV tool needs a warehouse or --file with transactions.")
    start = len(source.executed)
    return (lambda day: warehouse_summary(source, day)), args.as_of or latest_order_date(source), start


def _chart(table: pd.DataFrame) -> go.Figure:
    labels = [f"{en} / {zh}" for en, zh in zip(table["segment"], table["segment_zh"], strict=True)]
    figure = go.Figure(go.Bar(x=labels, y=table["avg_predicted_value"], marker_color="#10b981"))
    figure.update_layout(title="Predicted 12-month value by RFM segment / 各分层客户未来12个月预测价值",
                         yaxis_title="CNY per customer / 每客户（元）")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=CLVArgs,
        run=run,
        description=(
            "Customer lifetime value: predicted revenue per customer over the next 12 months "
            "(cohort-based RFM-cell estimate), with averages per RFM segment."
        ),
        intents=("CLV", "LTV", "lifetime value", "customer value", "predicted value",
                 "生命周期价值", "客户价值", "客户终身价值", "预测价值"),
    )
)
