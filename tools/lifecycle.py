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

from pydantic import ConfigDict, Field

from genbi.lazy import lazy_module

from . import progress
from .audience_sql import PLACEHOLDER
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .customer_orders import latest_order_date
from .customer_where import WHERE_HELP, WHO_IN, limited_to
from .file_source import TransactionsFileArgs, transactions_source
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
_SOON_GONE = r"(?:at[- ]risk|churned|lapsed|dormant|inactive|prospects?)"
_ANY_STAGE = rf"(?:new|active|{_SOON_GONE[3:-1]})"
_LISTED = r"(?:\s*[,/]\s*(?:and\s+|or\s+)?|\s+(?:and|or|vs\.?|versus)\s+)"
_STAGE_LIST = (rf"\b{_SOON_GONE}{_LISTED}{_ANY_STAGE}\b|\b{_ANY_STAGE}{_LISTED}{_SOON_GONE}\b")
"""Lifecycle stages listed ("new, active, at risk or lapsed"): the question asks for the
stages. One of them must be a stage on the way out: "new and active customers" are two of
the model's own metrics, not this tool."""
_STAGE_ZH = "(?:新客|新客户|活跃|沉睡|流失风险|已流失|流失|潜客)"
_STAGE_LIST_ZH = (rf"{_STAGE_ZH}(?:的?(?:客户|用户))?\s*[、/,，和与及\s]\s*{_STAGE_ZH}(?:的?(?:客户|用户))?\s*[、/,，和与及\s]\s*"
                  rf"{_STAGE_ZH}")
"""三个阶段并列（"新客、活跃、沉睡客户各有多少"）。"""

_AIPL = """CASE WHEN COALESCE(o.orders_{w}, 0) >= 2 THEN 'loyalty' WHEN COALESCE(o.orders_{w}, 0) = 1 THEN 'purchase'
  WHEN (COALESCE(f.flags, 0) & {interest}) <> 0 THEN 'interest'
  WHEN (COALESCE(f.flags, 0) & {aware}) <> 0 THEN 'awareness' ELSE 'none' END"""
_STAGE = """CASE WHEN o.last_date IS NULL THEN 'prospect'
  WHEN DATE_DIFF('day', o.first_date, :end_day) < :active_days THEN 'new'
  WHEN DATE_DIFF('day', o.last_date, :end_day) < :active_days THEN 'active'
  WHEN DATE_DIFF('day', o.last_date, :end_day) < :churn_days THEN 'at_risk' ELSE 'churned' END"""
_IN = "{time} < :until_{w} AND {time} >= :since_{w}"
_BITS = {"s": (1, 2), "e": (4, 8)}
"""Window -> (its awareness bit: touched, its interest bit: visited or clicked) in a customer's flags."""


def _window(time: str, w: str) -> str:
    return _IN.replace("{time}", time).replace("{w}", w)


def _aipl(w: str) -> str:
    aware, interest = _BITS[w]
    return _AIPL.replace("{w}", w).replace("{aware}", str(aware)).replace("{interest}", str(interest))


def _flags(time: str, *, event: bool, click: str | None = None) -> str:
    """A row's bits: in a window an event makes its customer interested; a touch makes them
    aware, and interested when it is a click (``click``: the condition, None without types)."""
    def bits(w: str) -> str:
        aware, interest = _BITS[w]
        value = (str(interest) if event else
                 f"CASE WHEN {click} THEN {aware | interest} ELSE {aware} END" if click else str(aware))
        return f"CASE WHEN {_window(time, w)} THEN {value} ELSE 0 END"
    return f"{bits('s')} + {bits('e')}"


def _stages_sql(source: RoleSource) -> tuple[str, dict[str, str]]:
    """``c``: every customer's AIPL stage at both dates and lifecycle stage at the end date,
    from one pass over orders and one over touches and events together (their rows as
    awareness and interest bits, OR-ed per customer; parts without roles count as zero)."""
    slots = {"T_o": "order_entity", "o_cust": "order_customer", "o_time": "order_time"}
    ctes = [
        "o AS (SELECT {o_cust} AS customer_id, "
        f"COUNT(*) FILTER (WHERE {_window('{o_time}', 's')}) AS orders_s, "
        f"COUNT(*) FILTER (WHERE {_window('{o_time}', 'e')}) AS orders_e, "
        "MIN(CAST({o_time} AS DATE)) AS first_date, MAX(CAST({o_time} AS DATE)) AS last_date "
        "FROM {T_o} WHERE {o_time} < :until_e AND {o_cust} IS NOT NULL GROUP BY 1)"]
    rows = []
    if all(source.has(r) for r in ("touchpoint_customer", "touchpoint_time")):
        slots |= {"T_t": "touchpoint_entity", "t_cust": "touchpoint_customer", "t_time": "touchpoint_time"}
        click = None
        if source.has("touchpoint_type"):
            slots["t_type"] = "touchpoint_type"
            click = "lower(CAST({t_type} AS VARCHAR)) = 'click'"
        rows.append(f"SELECT {{t_cust}} AS customer_id, {_flags('{t_time}', event=False, click=click)} AS flags "
                    "FROM {T_t} WHERE {t_time} < :until_e AND {t_time} >= :since_s")
    if all(source.has(r) for r in ("event_customer", "event_time")):
        slots |= {"T_e": "event_entity", "e_cust": "event_customer", "e_time": "event_time"}
        rows.append(f"SELECT {{e_cust}} AS customer_id, {_flags('{e_time}', event=True)} AS flags "
                    "FROM {T_e} WHERE {e_time} < :until_e AND {e_time} >= :since_s")
    if rows:
        ctes.append(f"f AS (SELECT customer_id, BIT_OR(flags) AS flags FROM ({' UNION ALL '.join(rows)}) AS r "
                    "GROUP BY 1)")
    else:
        ctes.append("f AS (SELECT NULL AS customer_id, 0 AS flags)")
    joins = ["LEFT JOIN o ON o.customer_id = pop.customer_id", "LEFT JOIN f ON f.customer_id = pop.customer_id"]
    if source.has("customer_entity") and source.has("customer_id"):
        slots |= {"T_c": "customer_entity", "c_id": "customer_id"}
        ctes.append("pop AS (SELECT {c_id} AS customer_id FROM {T_c})")
    else:  # a file of orders: the customers are the ones who ordered
        ctes.append("pop AS (SELECT DISTINCT customer_id FROM o)")
    select = (f"c AS (SELECT pop.customer_id, {_aipl('s')} AS aipl_start, "
              f"{_aipl('e')} AS aipl_end, {_STAGE} AS stage FROM pop {' '.join(joins)})")
    return "WITH " + ",\n".join([*ctes, select]) + "\n", slots


class LifecycleArgs(TransactionsFileArgs):
    """AIPL counts and transitions between two dates, and lifecycle stages."""

    model_config = ConfigDict(extra="forbid")

    start: date | None = Field(None, description="First date; default: 90 days before end.")
    end: date | None = Field(None, description="Second date; default: the latest order date.")
    window_days: int = Field(365, ge=7, le=1095, description="Look-back window for AIPL.")
    active_days: int = Field(90, ge=7, le=730)
    churn_days: int = Field(180, ge=14, le=1095)
    stage: str | None = Field(None, description="Return customers in this AIPL or lifecycle stage (at the end date).")
    where: str | None = Field(None, description=WHERE_HELP)


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


def run(args: LifecycleArgs, source: RoleSource | None = None) -> ToolResult:
    """AIPL at both dates, the transition matrix, and lifecycle stages at the end date (in SQL)."""
    source = transactions_source(args) if args.file else source
    if source is None:
        raise ToolError("The lifecycle tool needs a warehouse or --file with transactions.")
    begin = len(source.executed)
    progress.step("Counting touches, visits and orders", 0.1)
    end = args.end or latest_order_date(source)
    start = args.start or end - timedelta(days=90)
    if start >= end:
        raise ToolError("The start date must be before the end date.")
    template, slots = _stages_sql(source)
    values: dict[str, Any] = {"until_s": start + timedelta(days=1), "since_s": start - timedelta(days=args.window_days - 1),
              "until_e": end + timedelta(days=1), "since_e": end - timedelta(days=args.window_days - 1),
              "end_day": end, "active_days": args.active_days, "churn_days": args.churn_days}
    who = limited_to(source, args, end)  # stages of these customers only
    among = WHO_IN if who is not None else ""
    if who is not None:
        values[PLACEHOLDER] = who.tree(source)
    grid = source.query_dense(template + "SELECT aipl_start, aipl_end, stage, COUNT(*) AS customers FROM c "
                              f"{among} GROUP BY 1, 2, 3", slots, **values)  # o and f: aggregates by customer
    if who is not None and grid.empty:
        raise ToolError(f"No customer is one of '{args.where}'.",
                        "Check the condition with a question such as 'how many customers ...'.")
    matrix = (grid.pivot_table(index="aipl_start", columns="aipl_end", values="customers", aggfunc="sum", fill_value=0)
              .reindex(index=list(AIPL), columns=list(AIPL), fill_value=0).astype(int))
    counts = pd.DataFrame({
        "stage": list(AIPL), "stage_zh": [AIPL_ZH[s] for s in AIPL],
        "customers_start": matrix.sum(axis=1).to_numpy(dtype=int),
        "customers_end": matrix.sum(axis=0).to_numpy(dtype=int),
    })
    counts["change"] = counts["customers_end"] - counts["customers_start"]
    by_stage = grid.groupby("stage")["customers"].sum()
    life_counts = {s: int(by_stage.get(s, 0)) for s in STAGES}
    audience = None
    if args.stage:
        wanted = args.stage.strip().lower()
        zh = {**{v: k for k, v in AIPL_ZH.items()}, **{v: k for k, v in STAGES_ZH.items()}}
        wanted = zh.get(args.stage.strip(), wanted).replace("-", "_")
        if wanted not in AIPL and wanted not in STAGES:
            raise ToolError(f"There is no stage '{args.stage}'.", f"Stages: {', '.join(AIPL + STAGES)}.")
        column = "aipl_end" if wanted in AIPL else "stage"
        ids = source.query_dense(template + f"SELECT customer_id FROM c {among or 'WHERE TRUE'} AND {column} = :wanted "
                                 "ORDER BY customer_id", slots, wanted=wanted, **values)
        audience = tuple(ids["customer_id"].tolist())
    moved = int(np.triu(matrix.to_numpy(), 1).sum())
    notes = [] if source.has("touchpoint_time") and source.has("event_time") else [
        "awareness and interest need touchpoints and events; on an orders file they stay 'none'"]
    facts: dict[str, Any] = {
        "start": start.isoformat(), "end": end.isoformat(), "window_days": args.window_days,
        "aipl_start": dict(zip(counts["stage"], counts["customers_start"], strict=True)),
        "aipl_end": dict(zip(counts["stage"], counts["customers_end"], strict=True)),
        "moved_up": moved, "lifecycle": life_counts,
        "lifecycle_zh": {STAGES_ZH[k]: v for k, v in life_counts.items()},
        **({"notes": notes} if notes else {}),
    }
    transitions = matrix.copy()
    transitions.index.name, transitions.columns.name = "from", None
    progress.step("Done", 1.0)

    def per_customer() -> pd.DataFrame:
        return source.query_dense(template + f"SELECT * FROM c {among} ORDER BY customer_id", slots, **values)

    return ToolResult(tool=NAME, table=counts, chart=chart(lambda: _chart(matrix)), facts=facts,
                      tables={"transitions": transitions.reset_index(),
                              "lifecycle": pd.DataFrame({"stage": list(STAGES), "stage_zh": [STAGES_ZH[s] for s in STAGES],
                                                         "customers": list(life_counts.values())})},
                      customer_ids=audience, sql=tuple(source.executed[begin:]), per_customer=per_customer)


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
        actions=(_STAGE_LIST, _STAGE_LIST_ZH),
    )
)
