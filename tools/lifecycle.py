"""Lifecycle: AIPL stages and their transitions between two dates; new / active / at-risk / churned.

AIPL as of a date, over the ``window_days`` before it: Awareness = touched by marketing
but no visit or click; Interest = visited (any event) or clicked, no order; Purchase =
exactly one order; Loyalty = two or more orders; customers with none of these are
``none``. Lifecycle stages as of the end date, from order dates: new (first order within
``active_days``), active (last order within ``active_days``), at-risk (last order within
``churn_days``), churned (older), prospect (never ordered).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from .base import ToolError, ToolResult, ToolSpec, register_tool
from .customer_orders import latest_order_date, warehouse_summary
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "lifecycle"
AIPL = ("none", "awareness", "interest", "purchase", "loyalty")
AIPL_ZH = {"none": "未触达", "awareness": "认知", "interest": "兴趣", "purchase": "购买", "loyalty": "忠诚"}
STAGES = ("new", "active", "at_risk", "churned", "prospect")
STAGES_ZH = {"new": "新客", "active": "活跃", "at_risk": "流失风险", "churned": "已流失", "prospect": "潜客"}

_COUNTS_SQL = """
WITH t AS (
  SELECT {t_cust} AS customer_id, COUNT(*) AS touches, {clicks} AS clicks
  FROM {T_t} WHERE {t_time} < :until AND {t_time} >= :since GROUP BY 1
), e AS (
  SELECT {e_cust} AS customer_id, COUNT(*) AS visits
  FROM {T_e} WHERE {e_time} < :until AND {e_time} >= :since GROUP BY 1
), o AS (
  SELECT {o_cust} AS customer_id, COUNT(*) AS orders
  FROM {T_o} WHERE {o_time} < :until AND {o_time} >= :since GROUP BY 1
)
SELECT {c_id} AS customer_id, COALESCE(t.touches, 0) AS touches, COALESCE(t.clicks, 0) AS clicks,
       COALESCE(e.visits, 0) AS visits, COALESCE(o.orders, 0) AS orders
FROM {T_c} LEFT JOIN t ON t.customer_id = {c_id} LEFT JOIN e ON e.customer_id = {c_id}
LEFT JOIN o ON o.customer_id = {c_id}"""


class LifecycleArgs(BaseModel):
    """AIPL counts and transitions between two dates, and lifecycle stages."""

    model_config = ConfigDict(extra="forbid")

    start: date | None = Field(None, description="First date; default: 90 days before end.")
    end: date | None = Field(None, description="Second date; default: the latest order date.")
    window_days: int = Field(365, ge=7, le=1095, description="Look-back window for AIPL.")
    active_days: int = Field(90, ge=7, le=730)
    churn_days: int = Field(180, ge=14, le=1095)
    stage: str | None = Field(None, description="Return customers in this AIPL or lifecycle stage (at the end date).")


def aipl(touches: np.ndarray, clicks: np.ndarray, visits: np.ndarray, orders: np.ndarray) -> np.ndarray:
    """AIPL stage per customer from counts in the window (pure, vectorised)."""
    return np.select(
        [orders >= 2, orders == 1, (visits > 0) | (clicks > 0), touches > 0],
        ["loyalty", "purchase", "interest", "awareness"], default="none",
    )


def lifecycle_stage(first: pd.Series, last: pd.Series, as_of: date, active_days: int, churn_days: int) -> np.ndarray:
    """new / active / at_risk / churned / prospect from first and last order dates (pure)."""
    now = pd.Timestamp(as_of)
    since_first = (now - first).dt.days.to_numpy(dtype=float)
    since_last = (now - last).dt.days.to_numpy(dtype=float)
    return np.select(
        [np.isnan(since_last), since_first < active_days, since_last < active_days, since_last < churn_days],
        ["prospect", "new", "active", "at_risk"], default="churned",
    )


def _counts(source: RoleSource, day: date, window_days: int) -> pd.DataFrame:
    slots = {"T_c": "customer_entity", "c_id": "customer_id",
             "T_t": "touchpoint_entity", "t_cust": "touchpoint_customer", "t_time": "touchpoint_time",
             "T_e": "event_entity", "e_cust": "event_customer", "e_time": "event_time",
             "T_o": "order_entity", "o_cust": "order_customer", "o_time": "order_time"}
    clicks = "0"
    if source.has("touchpoint_type"):
        clicks = "COUNT(*) FILTER (WHERE lower(CAST({t_type} AS VARCHAR)) = 'click')"
        slots["t_type"] = "touchpoint_type"
    values = {"until": day + timedelta(days=1), "since": day - timedelta(days=window_days - 1)}
    frame = source.query(_COUNTS_SQL.replace("{clicks}", clicks), slots, **values)
    return frame.set_index("customer_id").astype(float)


def run(args: LifecycleArgs, source: RoleSource | None = None) -> ToolResult:
    """AIPL at both dates, the transition matrix, and lifecycle stages at the end date."""
    if source is None:
        raise ToolError("The lifecycle tool needs a warehouse with touchpoints, events and orders.")
    begin = len(source.executed)
    end = args.end or latest_order_date(source)
    start = args.start or end - timedelta(days=90)
    if start >= end:
        raise ToolError("The start date must be before the end date.")
    states = {}
    for label, day in (("start", start), ("end", end)):
        c = _counts(source, day, args.window_days)
        states[label] = pd.Series(aipl(c["touches"].to_numpy(), c["clicks"].to_numpy(),
                                       c["visits"].to_numpy(), c["orders"].to_numpy()), index=c.index)
    both = pd.DataFrame(states).fillna("none")
    matrix = pd.crosstab(both["start"], both["end"]).reindex(index=list(AIPL), columns=list(AIPL), fill_value=0)
    counts = pd.DataFrame({
        "stage": list(AIPL), "stage_zh": [AIPL_ZH[s] for s in AIPL],
        "customers_start": [int((both["start"] == s).sum()) for s in AIPL],
        "customers_end": [int((both["end"] == s).sum()) for s in AIPL],
    })
    counts["change"] = counts["customers_end"] - counts["customers_start"]
    summary = warehouse_summary(source, end).set_index("customer_id").reindex(both.index)
    life = pd.Series(lifecycle_stage(summary["first_date"], summary["last_date"], end,
                                     args.active_days, args.churn_days), index=both.index)
    life_counts = {s: int((life == s).sum()) for s in STAGES}
    audience = None
    if args.stage:
        wanted = args.stage.strip().lower()
        zh = {**{v: k for k, v in AIPL_ZH.items()}, **{v: k for k, v in STAGES_ZH.items()}}
        wanted = zh.get(args.stage.strip(), wanted).replace("-", "_")
        if wanted in AIPL:
            audience = tuple(int(c) for c in both.index[both["end"] == wanted])
        elif wanted in STAGES:
            audience = tuple(int(c) for c in life.index[life == wanted])
        else:
            raise ToolError(f"There is no stage '{args.stage}'.", f"Stages: {', '.join(AIPL + STAGES)}.")
    moved = int(np.triu(matrix.to_numpy(), 1).sum())
    facts: dict[str, Any] = {
        "start": start.isoformat(), "end": end.isoformat(), "window_days": args.window_days,
        "aipl_start": dict(zip(counts["stage"], counts["customers_start"], strict=True)),
        "aipl_end": dict(zip(counts["stage"], counts["customers_end"], strict=True)),
        "moved_up": moved, "lifecycle": life_counts,
        "lifecycle_zh": {STAGES_ZH[k]: v for k, v in life_counts.items()},
    }
    transitions = matrix.copy()
    transitions.index.name, transitions.columns.name = "from", None
    return ToolResult(tool=NAME, table=counts, chart=_chart(matrix), facts=facts,
                      tables={"transitions": transitions.reset_index(),
                              "lifecycle": pd.DataFrame({"stage": list(STAGES), "stage_zh": [STAGES_ZH[s] for s in STAGES],
                                                         "customers": list(life_counts.values())})},
                      customer_ids=audience, sql=tuple(source.executed[begin:]))


def _chart(matrix: pd.DataFrame) -> go.Figure:
    labels = [f"{s} / {AIPL_ZH[s]}" for s in AIPL]
    n = len(AIPL)
    sources, targets, values = [], [], []
    grid = matrix.to_numpy()
    for i, j in zip(*np.nonzero(grid), strict=True):
        sources.append(int(i))
        targets.append(n + int(j))
        values.append(int(grid[i, j]))
    figure = go.Figure(go.Sankey(node={"label": labels + labels}, link={"source": sources, "target": targets, "value": values}))
    figure.update_layout(title="AIPL transitions between the two dates / AIPL 人群流转")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=LifecycleArgs,
        run=run,
        description=(
            "Customer lifecycle: AIPL (awareness, interest, purchase, loyalty) counts and "
            "transitions between two dates, plus new / active / at-risk / churned stages."
        ),
        intents=("lifecycle", "AIPL", "awareness", "interest", "loyalty", "customer journey stages",
                 "生命周期", "人群流转", "认知", "兴趣", "忠诚", "AIPL模型"),
    )
)
