"""Customer lifetime value: predicted revenue per customer over the next horizon (12 months).

Default method, the standard probabilistic pair fitted by maximum likelihood
(``clv_models``): BG/NBD for the number of future purchase days and Gamma-Gamma for the
value of a purchase day, with each customer's probability of still being active. Inputs
per customer come from one SQL aggregate (purchase days, first and last purchase day, age,
revenue), in weeks; both models are fitted on a fixed random sample of ``train_size``
customers and applied to everyone, vectorised. Predicted value = expected purchase days
in the horizon x expected value of a purchase day (undiscounted).

Fallback (``--method cohort``, or when the likelihood cannot be maximised to usable
parameters, e.g. too few repeat buyers): a cohort-based empirical estimate. Customers are
placed in cells by their recency and frequency quintile scores as of a calibration date one
horizon before ``as_of``; each cell's average revenue over the following horizon is what
the same cell is predicted to spend next (cells under ``min_cell`` customers fall back to the
RFM segment, then the overall average).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from genbi.lazy import lazy_module

from . import progress
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .clv_models import FitError, fit_bgnbd, fit_gamma_gamma
from .compute import single_threaded
from .customer_orders import ORDER_SLOTS, TransactionsInput, latest_order_date, warehouse_summary
from .customer_where import limited_to
from .file_source import transactions_source
from .question_numbers import days_said
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
COHORT = "cohort-based RFM-cell estimate (calibrated one horizon back)"
PROBABILISTIC = "BG/NBD purchase days x Gamma-Gamma value per day, maximum likelihood (SciPy)"
_CUSTOMERS_SQL = """
WITH d AS (
  SELECT {o_cust} AS customer_id, CAST({o_time} AS DATE) AS day, COUNT(*) AS orders,
         SUM(CAST({o_rev} AS DOUBLE)) AS revenue
  FROM {T_o} WHERE {o_time} < :until AND {o_cust} IS NOT NULL GROUP BY 1, 2
)
SELECT customer_id, COUNT(*) - 1 AS x, DATE_DIFF('day', MIN(day), MAX(day)) AS t_x_days,
       DATE_DIFF('day', MIN(day), :as_of) AS age_days, SUM(orders) AS frequency,
       COALESCE(SUM(revenue), 0) AS monetary
FROM d GROUP BY 1 ORDER BY 1"""


class CLVArgs(TransactionsInput):
    """12-month predicted customer value with segment averages."""

    horizon_days: int = Field(365, ge=30, le=730, description="Prediction horizon in days.")

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """"over the next 6 months", "未来3个月": the prediction horizon."""
        horizon = days_said(question, r"(?:over|in|for|within)?\s*the next|horizon", chinese=r"未来|接下来的?")
        return {"horizon_days": horizon} if horizon is not None else {}
    min_cell: int = Field(30, ge=1, description="Smallest R x F cell used before falling back (cohort method).")
    top_n: int = Field(1000, ge=1, le=1_000_000, description="Customers in the returned list.")
    method: Literal["bgnbd", "cohort"] = Field("bgnbd", description="bgnbd (BG/NBD + Gamma-Gamma) or cohort.")
    train_size: int = Field(50_000, ge=100, le=1_000_000, description="Customers the models are fitted on.")


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
    source = transactions_source(args) if args.file else source
    if source is None:
        raise ToolError("The CLV tool needs a warehouse or --file with transactions.")
    start = len(source.executed)
    as_of = args.as_of or latest_order_date(source)
    fallback = None
    if args.method == "bgnbd":
        progress.step("Reading purchase histories", 0.05)
        customers = _customers(source, as_of)
        try:
            current, extra = _probabilistic(customers, args, as_of)
        except FitError as error:
            fallback = str(error)
    if args.method == "cohort" or fallback is not None:
        current, extra = _cohort(source, args, as_of)
        extra["method"] = COHORT + (f" (fallback: {fallback})" if fallback else "")
    if (who := limited_to(source, args, as_of)) is not None:  # predicted for everyone, reported for these
        current = current[current["customer_id"].isin(list(who.members(source)))].reset_index(drop=True)
        if current.empty:
            raise ToolError(f"No customer with an order on or before {as_of} is one of '{args.where}'.",
                            "Check the condition with a question such as 'how many customers ...'.")
    table = _segment_table(current)
    top = _top(current, args.top_n)
    facts: dict[str, Any] = {
        "as_of": as_of.isoformat(), "horizon_days": args.horizon_days, **extra, "customers": len(current),
        "total_predicted_value": round(float(current["predicted_value"].sum()), 2),
        "mean_predicted_value": round(float(current["predicted_value"].mean()), 2),
        "segment_average": {str(s): round(float(v), 2) for s, v in zip(table["segment"], table["avg_predicted_value"], strict=True)},
    }
    columns = [c for c in ("customer_id", "segment", "segment_zh", "recency_days", "frequency", "monetary",
                           "p_alive", "expected_purchases", "predicted_value") if c in current]
    progress.step("Done", 1.0)
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: _chart(table)), facts=facts,
                      tables={"customers": top[columns]},
                      customer_ids=tuple(top["customer_id"].tolist()), sql=tuple(source.executed[start:]),
                      per_customer=lambda: current[columns])


def _top(current: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` highest predicted values, ties by customer id: sorting a million rows by two
    keys costs more than the fit, so only those at or above the n-th largest value are sorted."""
    values = current["predicted_value"].to_numpy(dtype=float)
    if len(values) > 4 * n and not np.isnan(values).any():
        nth = np.partition(values, len(values) - n)[len(values) - n]
        current = current[values >= nth]
    return current.sort_values(["predicted_value", "customer_id"], ascending=[False, True]).head(n)


def _customers(source: RoleSource, as_of: date) -> pd.DataFrame:
    source.same_table("order_customer", "order_time", "order_revenue")
    frame = source.query_columns(_CUSTOMERS_SQL, ORDER_SLOTS, until=as_of + timedelta(days=1), as_of=as_of)
    if frame.empty:
        raise ToolError(f"No customer has an order on or before {as_of}.")
    return frame


def _probabilistic(customers: pd.DataFrame, args: CLVArgs, as_of: date) -> tuple[pd.DataFrame, dict[str, Any]]:
    """BG/NBD x Gamma-Gamma on a sample, applied to everyone (vectorised)."""
    x = customers["x"].to_numpy(dtype=float)
    t_x = customers["t_x_days"].to_numpy(dtype=float) / 7.0
    age = customers["age_days"].to_numpy(dtype=float) / 7.0
    revenue = customers["monetary"].to_numpy(dtype=float)
    spend = revenue / (x + 1)  # value of a purchase day
    rng = np.random.default_rng(0)
    sample = rng.choice(len(x), size=min(args.train_size, len(x)), replace=False)
    progress.step(f"Fitting BG/NBD and Gamma-Gamma on {len(sample):,} customers", 0.4)
    with single_threaded("scipy.optimize", "scipy.special"):
        purchases = fit_bgnbd(x[sample], t_x[sample], age[sample])
        # Gamma-Gamma on the repeat buyers; x + 1 purchase days average ``spend``
        value = fit_gamma_gamma(x[sample] + 1, spend[sample])
    progress.step("Predicting every customer", 0.7)
    weeks = args.horizon_days / 7.0
    expected = purchases.expected_purchases(weeks, x, t_x, age)
    current = rfm_scores(_summary(customers, as_of), as_of)
    current["p_alive"] = purchases.p_alive(x, t_x, age)
    current["expected_purchases"] = expected
    current["predicted_value"] = expected * value.expected_spend(x + 1, spend)
    extra = {
        "method": PROBABILISTIC, "fitted_on": len(sample),
        "bgnbd": {"r": round(purchases.r, 4), "alpha": round(purchases.alpha, 4), "a": round(purchases.a, 4),
                  "b": round(purchases.b, 4)},
        "gamma_gamma": {"p": round(value.p, 4), "q": round(value.q, 4), "gamma": round(value.gamma, 4)},
        "mean_p_alive": round(float(current["p_alive"].mean()), 4),
        "expected_purchase_days": round(float(expected.sum()), 1),
        "definition": "purchase = a day with at least one order; time in weeks; value undiscounted",
    }
    return current, extra


def _summary(customers: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The order summary ``rfm_scores`` reads, from the per-customer aggregate."""
    now = pd.Timestamp(as_of)
    return pd.DataFrame({
        "customer_id": customers["customer_id"],
        "first_date": now - pd.to_timedelta(customers["age_days"], unit="D"),
        "last_date": now - pd.to_timedelta(customers["age_days"] - customers["t_x_days"], unit="D"),
        "orders": customers["frequency"].astype("int64"),
        "revenue": customers["monetary"].astype(float),
    })


def _cohort(source: RoleSource, args: CLVArgs, as_of: date) -> tuple[pd.DataFrame, dict[str, Any]]:
    calib_date = as_of - timedelta(days=args.horizon_days)
    calib_summary = warehouse_summary(source, calib_date)
    if calib_summary.empty:
        raise ToolError(f"No orders before {calib_date}: too little history for a {args.horizon_days}-day CLV.",
                        "Use a shorter horizon.")
    now_summary = warehouse_summary(source, as_of)
    before = calib_summary.set_index("customer_id")["revenue"]
    after = now_summary.set_index("customer_id")["revenue"]
    future = after.reindex(before.index).fillna(0.0) - before
    calibration = rfm_scores(calib_summary, calib_date)
    current = rfm_scores(now_summary, as_of)
    current["predicted_value"] = predict(calibration, future, current, args.min_cell)
    return current, {"method": COHORT, "calibration_date": calib_date.isoformat()}


def _segment_table(current: pd.DataFrame) -> pd.DataFrame:
    grouped = current.groupby("segment")["predicted_value"]
    table = pd.DataFrame({"customers": grouped.size(), "avg_predicted_value": grouped.mean(),
                          "total_predicted_value": grouped.sum()}).reindex(SEGMENT_ORDER).dropna()
    table["value_share"] = table["total_predicted_value"] / table["total_predicted_value"].sum()
    table = table.reset_index().rename(columns={"index": "segment"})
    table.insert(1, "segment_zh", table["segment"].map(SEGMENT_ZH))
    table["customers"] = table["customers"].astype(int)
    return table


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
            "(BG/NBD + Gamma-Gamma fitted by maximum likelihood, probability alive; cohort "
            "estimate as fallback), with averages per RFM segment."
        ),
        actions=(  # "预测一下客户未来一年能贡献多少钱", "how much will customers spend next year"
            r"(?:预测|预计|估计|估算).{0,12}(?:未来|接下来|明年|今后|以后).{0,12}(?:贡献|花|消费|价值|多少钱)",
            r"\b(?:predict|forecast|estimate)\w*\b.{0,30}\b(?:customers?|buyers?)\b.{0,30}\b(?:spend|be worth|value)\b",
        ),
        intents=("CLV", "LTV", "lifetime value", "customer value", "predicted value",
                 "生命周期价值", "客户价值", "客户终身价值", "预测价值"),
    )
)
