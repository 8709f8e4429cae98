"""Conversion funnel: sessions reaching each step, step conversion, the biggest drop.

A step's count is the number of distinct sessions with that event (the metric glossary's
"funnel step count"); with ``strict`` a session counts at a step only if it also had every
earlier step. Groups are any event column (``device``) or customer attribute (``city``,
``loyalty_tier``) the semantic model has a role for (``event_<name>`` / ``customer_<name>``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from . import funnel_masks
from .audience_sql import PLACEHOLDER
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .customer_where import WHERE_CONDITIONS, customer_audience
from .file_source import FileTable, file_warehouse
from .files import split_list
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "funnel"
DEFAULT_STEPS = "visit,view_product,add_to_cart,checkout,purchase"
STEP_ZH = {"visit": "访问", "view_product": "浏览商品", "add_to_cart": "加购",
           "checkout": "结算", "purchase": "购买"}


class FunnelArgs(BaseModel):
    """Session funnel by step, optionally split by a device or customer dimension."""

    model_config = ConfigDict(extra="forbid")

    steps: str = Field(DEFAULT_STEPS, description="Comma-separated event names, in funnel order.")
    by: str | None = Field(None, description="Split by e.g. 'device', 'city_tier', 'loyalty_tier'.")
    start: date | None = Field(None, description="First event date (inclusive).")
    end: date | None = Field(None, description="Last event date (inclusive).")
    strict: bool = Field(False, description="Count a step only if the session had every earlier step.")
    where: str | None = Field(None, description=WHERE_CONDITIONS + " The funnel counts their sessions only.")
    events_file: str | None = Field(None, description="An events file or folder (CSV/Parquet) instead of the warehouse.")
    session_column: str = Field("session_id", description="Events file: session column.")
    event_column: str = Field("event_name", description="Events file: event name column.")
    time_column: str = Field("event_time", description="Events file: event time column.")


# --- pure core ------------------------------------------------------------------------------


def funnel_table(counts: pd.DataFrame, steps: list[str]) -> pd.DataFrame:
    """``counts`` (group, step, sessions) -> per group and step: conversion and drop-off."""
    grid = pd.MultiIndex.from_product([sorted(counts["group"].astype(str).unique()), steps],
                                      names=["group", "step"])
    table = (counts.assign(group=counts["group"].astype(str))
             .groupby(["group", "step"])["sessions"].sum().reindex(grid, fill_value=0).reset_index())
    table["step_index"] = table["step"].map({s: i for i, s in enumerate(steps)})
    first = table.groupby("group")["sessions"].transform("first")
    previous = table.groupby("group")["sessions"].shift(1)
    table["step_conversion"] = (table["sessions"] / previous).where(previous > 0)
    table["overall_conversion"] = (table["sessions"] / first).where(first > 0)
    table["drop_off"] = 1 - table["step_conversion"]
    table.insert(2, "step_zh", table["step"].map(lambda s: STEP_ZH.get(s, s)))
    return table


def biggest_drop(table: pd.DataFrame) -> dict[str, Any]:
    """The step transition losing the largest share of sessions (over all groups)."""
    total = table.groupby("step", sort=False)["sessions"].sum()
    conversion = total / total.shift(1)
    steps = [str(s) for s in total.index]
    rates = conversion.to_numpy(dtype=float)
    position = int(np.nanargmin(rates[1:])) + 1
    return {"from_step": steps[position - 1], "to_step": steps[position],
            "step_conversion": round(float(rates[position]), 4),
            "drop_off": round(1 - float(rates[position]), 4)}


# --- data -----------------------------------------------------------------------------------


def _group_slots(source: RoleSource, by: str | None) -> tuple[str, dict[str, str], str]:
    """SQL for the group expression, its role slots, and an optional join."""
    if by is None:
        return "'all'", {}, ""
    for role in (f"event_{by}", by):
        if source.has(role) and source.column(role).table == source.table("event_entity"):
            return "CAST({g} AS VARCHAR)", {"g": role}, ""
    role = f"customer_{by}" if source.has(f"customer_{by}") else by
    if not source.has(role) or source.column(role).table != source.table("customer_entity"):
        raise ToolError(
            f"genbi does not know the dimension '{by}' for a funnel.",
            "Use an event column such as 'device' or a customer attribute such as 'city_tier' "
            "(the model needs a role event_<name> or customer_<name>).",
        )
    join = " LEFT JOIN {T_c} ON {c_id} = {e_cust}"
    slots = {"g": role, "T_c": "customer_entity", "c_id": "customer_id", "e_cust": "event_customer"}
    return "CAST({g} AS VARCHAR)", slots, join


MAX_STEPS = 62
"""Each step is one bit of a session's step mask (a BIGINT)."""


def step_codes(steps: list[str]) -> dict[str, int]:
    """Each distinct event name -> the bits of the funnel positions it fills (a name listed
    twice fills both)."""
    codes: dict[str, int] = {}
    for i, step in enumerate(steps):
        codes[step] = codes.get(step, 0) | 1 << i
    return codes


def fetch_counts(source: RoleSource, args: FunnelArgs, steps: list[str]) -> pd.DataFrame:
    """Sessions per group reaching each step, in one pass over the step events (and the
    period's): one step mask per session (``BIT_OR`` of its events' bits), then how many
    sessions share each mask (``funnel_masks``); step i counts the masks with its bit
    (``strict``: every bit up to i)."""
    if len(steps) > MAX_STEPS:
        raise ToolError(f"A funnel has at most {MAX_STEPS} steps.", "Merge or drop some steps.")
    group, slots, join = _group_slots(source, args.by)
    slots |= {"T_e": "event_entity", "e_sess": "event_session", "e_name": "event_name",
              "e_time": "event_time"}
    codes = step_codes(steps)
    names = {f"s{i}": name for i, name in enumerate(codes)}
    values: dict[str, Any] = dict(names)
    period = []
    if args.start:
        period.append("{e_time} >= :start")
        values["start"] = args.start
    if args.end:
        period.append("{e_time} < :end_excl")
        values["end_excl"] = args.end + timedelta(days=1)
    if args.where:  # "funnel for VIP customers": the sessions of those customers
        if args.events_file:
            raise ToolError("A customer condition (where) needs the warehouse: an events file has no customer "
                            "attributes.", "Leave out --where, or run the funnel on the warehouse.")
        latest = source.query("SELECT MAX({e_time}) AS t FROM {T_e}", slots)["t"].iloc[0]
        as_of = args.end or (pd.Timestamp(latest).date() if not pd.isna(latest) else date.today())
        period.append("{e_cust} IN (SELECT customer_id FROM " + PLACEHOLDER + ")")
        slots["e_cust"] = "event_customer"
        values[PLACEHOLDER] = customer_audience(source, args.where, as_of).tree(source)
    where = f" WHERE {' AND '.join(period)}" if period else ""
    per_event = bool(args.by) and not join
    factors = _event_value_factors(source, group, slots, len(steps)) if per_event else None
    kind = "INTEGER" if len(steps) * len(factors or [None]) <= 30 else "BIGINT"  # INTEGER: ~15% less CPU
    whens = " ".join(f"WHEN CAST({{e_name}} AS VARCHAR) = :{key} THEN {codes[name]}" for key, name in names.items())
    bits = f"CAST(CASE {whens} ELSE 0 END AS {kind})"
    if args.by is None or factors is not None:  # the session alone is the key
        block = ""
        if factors is not None:  # one block of step bits per value of the event column
            sql, block_values = funnel_masks.block_sql(group, factors)
            block, values = f" * {sql}", values | block_values
        rows = f"SELECT {{e_sess}} AS session, {bits}{block} AS b FROM {{T_e}}{where}"
        sessions = "SELECT session, BIT_OR(b) AS m FROM e WHERE b <> 0 GROUP BY session"
        final = "SELECT 'all' AS grp, m, COUNT(*) AS n FROM s GROUP BY m"
    else:
        # A customer attribute is one value per session (ANY_VALUE skips the events before a
        # login, which have no customer); an event column with many values keys the session.
        rows = f"SELECT {{e_sess}} AS session, {group} AS grp, {bits} AS b FROM {{T_e}}{join}{where}"
        keep, key = ("ANY_VALUE(grp) AS grp", "session") if join else ("grp", "session, grp")
        sessions = f"SELECT session, {keep}, BIT_OR(b) AS m FROM e WHERE b <> 0 GROUP BY {key}"
        final = "SELECT grp, m, COUNT(*) AS n FROM s GROUP BY grp, m"
    template = f"WITH e AS ({rows}), s AS ({sessions}) {final}"
    found = source.query_dense(template, slots, **values)
    return funnel_masks.step_counts(found["grp"], found["m"], found["n"], steps, args.strict, factors)


FUNNEL_ORDER = {"visit": 0, "session_start": 0, "first_visit": 0, "view": 1, "pv": 1, "page_view": 1,
                "pageview": 1, "view_item": 1, "view_product": 1, "product_view": 1, "cart": 2, "add_to_cart": 2,
                "addtocart": 2, "checkout": 3, "begin_checkout": 3, "purchase": 4, "buy": 4, "order": 4,
                "transaction": 4, "purchased": 4}
"""Where an event log's own event names stand in a shopping funnel (by their usual names)."""


def steps_in_data(source: RoleSource) -> list[str]:
    """The event log's own names of funnel steps, in funnel order (one per stage): the default
    steps when the log names them otherwise (Taobao's pv, cart, buy; REES46's view, cart, purchase)."""
    found = source.query("SELECT DISTINCT CAST({e_name} AS VARCHAR) AS name FROM {T_e} LIMIT 200",
                         {"e_name": "event_name", "T_e": "event_entity"})
    stages: dict[int, str] = {}
    for name in sorted(str(v) for v in found["name"] if not pd.isna(v)):
        stage = FUNNEL_ORDER.get(name.strip().lower())
        if stage is not None:
            stages.setdefault(stage, name)
    return [stages[k] for k in sorted(stages)]


def _event_value_factors(source: RoleSource, group: str, slots: dict[str, str],
                         steps: int) -> list[tuple[str | None, int]] | None:
    """The event column's distinct values and their blocks' factors (``value_factors``);
    None when they are too many for one mask. Read over all events: a value without step
    events gets a block that stays empty; one more value than can fit is enough to know."""
    most = funnel_masks.MASK_BITS // steps + 1
    found = source.query(f"SELECT DISTINCT {group} AS grp FROM {{T_e}} LIMIT {most}", slots)
    return funnel_masks.value_factors([None if pd.isna(v) else str(v) for v in found["grp"]], steps)


def events_source(args: FunnelArgs) -> RoleSource:
    """An events file as the event roles; ``--by`` names one of its columns."""
    columns = {args.session_column: ("session_id", "id"), args.event_column: ("event_name", "text"),
               args.time_column: ("event_time", "time")}
    roles = {"event_entity": "events", "event_session": "events.session_id", "event_name": "events.event_name",
             "event_time": "events.event_time"}
    if args.by:
        columns[args.by] = ("grp", "text")
        roles[f"event_{args.by}"] = "events.grp"
    warehouse = file_warehouse([FileTable("events", str(args.events_file), columns)])
    return RoleSource(roles=roles, runner=warehouse, keys={"events": "row_id"})


def run(args: FunnelArgs, source: RoleSource | None = None) -> ToolResult:
    """Sessions per funnel step (per group), step conversion and the biggest drop."""
    source = events_source(args) if args.events_file else source
    if source is None:
        raise ToolError("The funnel tool needs a warehouse with events, or --events-file.")
    steps = split_list(args.steps)
    if len(steps) < 2:
        raise ToolError("A funnel needs at least two steps.", f"For example: {DEFAULT_STEPS}.")
    before = len(source.executed)
    counts = fetch_counts(source, args, steps)
    if counts["sessions"].sum() == 0 and args.steps == DEFAULT_STEPS and not args.events_file:
        found = steps_in_data(source)  # Taobao's pv, cart, buy: the log's own names, in funnel order
        if len(found) >= 2:
            steps = found
            counts = fetch_counts(source, args, steps)
    if counts["sessions"].sum() == 0:
        hint = (f"Event names in the file's '{args.event_column}' column must match --steps."
                if args.events_file else "Check --steps against the event names, or widen the dates.")
        raise ToolError("No sessions have these funnel events in the period.", hint)
    table = funnel_table(counts, steps)
    drop = biggest_drop(table)
    totals = table.groupby("step", sort=False)["sessions"].sum()
    facts: dict[str, Any] = {
        "steps": steps, "strict": args.strict, "by": args.by,
        "sessions": {str(s): int(v) for s, v in totals.items()},
        "overall_conversion": round(float(totals.iloc[-1] / max(totals.iloc[0], 1)), 4),
        "biggest_drop": drop,
        "biggest_drop_zh": f"{STEP_ZH.get(drop['from_step'], drop['from_step'])} → "
                           f"{STEP_ZH.get(drop['to_step'], drop['to_step'])}",
    }
    if args.by:
        last = table[table["step"] == steps[-1]].set_index("group")["overall_conversion"]
        facts["best_group"], facts["worst_group"] = str(last.idxmax()), str(last.idxmin())
        facts["conversion_by_group"] = {str(g): round(float(v), 4) for g, v in last.items()}
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: _chart(table)), facts=facts,
                      sql=tuple(source.executed[before:]))


def _chart(table: pd.DataFrame) -> go.Figure:
    figure = go.Figure()
    for group, part in table.groupby("group", sort=True):
        labels = [f"{s} / {z}" for s, z in zip(part["step"], part["step_zh"], strict=True)]
        figure.add_trace(go.Funnel(name=str(group), y=labels, x=part["sessions"],
                                   textinfo="value+percent previous"))
    figure.update_layout(title="Conversion funnel (sessions) / 转化漏斗（会话数）")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=FunnelArgs,
        run=run,
        description=(
            "Conversion funnel from visit to purchase: sessions per step, step conversion and "
            "drop-off by device or any customer dimension, naming the biggest drop."
        ),
        intents=("funnel", "conversion funnel", "drop-off", "drop off", "add to cart", "checkout",
                 "漏斗", "转化漏斗", "流失环节", "加购", "结算"),
        actions=(  # "where do people drop off", "cart abandonment", "哪一步流失最多"
            r"\b(?:where|which step|what step)\b.{0,20}\blos(?:e|ing)\s+(?:the\s+)?(?:people|users|customers|shoppers|"
            r"visitors|buyers)\b",
            r"\bdrop(?:s|ping|ped)?[- ]?offs?\b|\bwhere do (?:people|users|customers|shoppers|visitors) "
            r"(?:drop|leave|abandon|quit|give up)\b|\babandon\w*\b.{0,20}\b(?:carts?|checkouts?)\b"
            r"|\b(?:cart|checkout) abandonment\b",
            r"(?:哪[一1]?步|哪[一1]?个环节|哪[一1]?个步骤).{0,6}(?:流失|掉|放弃)",  # 哪一步: "哪1步" once normalised
            r"(?:每[一1]?步|各步骤?|每个步骤|各环节|每个环节)的?转化",  # "从浏览到下单每一步的转化率"
            r"\b(?:each|every)\s+step\b.{0,20}\bconver|\bstep[- ]by[- ]step\s+conver",
            r"(?:浏览|访问|加购|加入购物车|结算|下单|支付|购买)(?:到|至|→|->)(?:浏览|加购|加入购物车|结算|下单|支付|购买)"
            r".{0,8}(?:流失|掉|漏|放弃)",  # "从访问到购买的转化率" is the model's own rate
        ),
    )
)
