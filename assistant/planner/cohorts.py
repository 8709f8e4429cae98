""""Customers who signed up in 2024 ordered on tmall this year": a period said of when people
joined is no period of the metric (orders in 2025) but a condition on who they are (their
signup date in 2024). When the model names the customers' signup time (the role
``customer_signup_time``, or a time dimension of the customer table called so), and every
metric can be filtered by it, the joining period becomes that filter; otherwise the start-date
check declines, as before (never the joining period answered as the metric's period)."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from datetime import date

from genbi.assistant.planner.checks import counts_starts
from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import Filter, FilterOp

_SIGNUP_NAME = re.compile(r"sign_?up|regist|join|member_since|注册|入会", re.IGNORECASE)


def signup_dimension(model: SemanticModel) -> str | None:
    """The dimension holding when each customer joined, if the model has one."""
    column = model.roles.get("customer_signup_time")
    for dimension in model.dimensions:
        if column and f"{dimension.table}.{dimension.column or dimension.name}" == column:
            return dimension.name
    if "customer_entity" not in model.roles:  # role_table raises a ModelError, neither of these
        return None
    try:
        customers = model.role_table("customer_entity")
    except (KeyError, ValueError):
        return None
    return next((d.name for d in model.dimensions if d.table == customers and d.type.value == "time"
                 and (_SIGNUP_NAME.search(d.name) or _SIGNUP_NAME.search(d.label))), None)


def drop_joining_words(reading: Reading, model: SemanticModel, starts: AbstractSet[str]) -> None:
    """"customers who signed up in 2024 and bought on tmall": the joining verb ("signed up",
    "注册", a word for signups) says who the people are, not a second number, when a metric
    not counted on joining is asked beside it."""
    if not reading.joined:
        return
    spans = [(first, last) for _, _, first, last in reading.joined]
    inside = [m for m in reading.metrics if m.term.target in starts
              and any(first <= m.start and m.end <= last for first, last in spans)]
    if inside and any(m.term.target not in starts for m in reading.metrics if m not in inside):
        reading.metrics = [m for m in reading.metrics if m not in inside]


def joined_filters(reading: Reading, model: SemanticModel, metrics: list[str], starts: list[str],
                   as_of: date) -> list[Filter]:
    """Joining periods turned into filters on the signup date (and taken out of the reading's
    periods and start dates), for metrics not counted on that date themselves (``starts``)."""
    if not reading.joined or not metrics or set(metrics) <= set(starts):
        return []
    dimension = signup_dimension(model)
    if dimension is None or not all(model.can_filter_by(m, dimension) for m in metrics):
        return []
    filters = []
    for said, mention, _, _ in reading.joined:
        if mention.time_range is None:
            continue
        first, last = mention.time_range.resolve(as_of)
        if first is None and last is None:
            continue
        if first is None or last is None:  # "signed up before 2024", "2024年以后注册的": one side open
            filters.append(Filter(dimension=dimension, op=FilterOp.LE if first is None else FilterOp.GE,
                                  values=(last if first is None else first,)))
        else:
            filters.append(Filter(dimension=dimension, op=FilterOp.BETWEEN, values=(first, last)))
        reading.times = [t for t in reading.times if t is not mention]
        reading.started = [s for s in reading.started if s != said]
    reading.joined = []
    return filters


_BEGINNING = re.compile(r"start|launch|began|begin|go_?live|开始|上线|启动", re.IGNORECASE)


def start_dimension(model: SemanticModel, metrics: list[str]) -> str | None:
    """The one time dimension holding when a thing began ("campaign start date") that every
    metric can be filtered by, other than the customers' signup date (people joining are
    ``joined_filters``'); None when there is none, or more than one to choose from."""
    signup = signup_dimension(model)
    found = [d.name for d in model.dimensions if d.type.value == "time" and d.name != signup
             and (_BEGINNING.search(d.name) or _BEGINNING.search(d.column or "") or _BEGINNING.search(d.label))
             and all(model.can_filter_by(m, d.name) for m in metrics)]
    return found[0] if len(found) == 1 else None


def started_filters(reading: Reading, model: SemanticModel, metrics: list[str], as_of: date) -> list[Filter]:
    """"spend of campaigns that started in November", "10月上线的活动的花费": a period said of when
    things began is a condition on their start date, not the metric's period (the spend of
    every campaign in November, or, as before, a decline). Only for metrics not counted on
    that date themselves (a budget by start date reads the period as its own)."""
    counted = [m for m in metrics if not counts_starts(model, m)]
    if not reading.began or not counted:
        return []
    dimension = start_dimension(model, counted)
    if dimension is None:
        return []
    table = model.dimension(dimension).table
    filters = []
    for said, mention, first_at, last_at in reading.began:
        if mention.time_range is None or not _said_of(reading, model, table, first_at, last_at):
            continue  # "products launched this year": no start date of products, so no filter (declined)
        first, last = mention.time_range.resolve(as_of)
        if first is None or last is None:
            continue
        filters.append(Filter(dimension=dimension, op=FilterOp.BETWEEN, values=(first, last)))
        reading.times = [t for t in reading.times if t is not mention]
        reading.started = [s for s in reading.started if s != said]
    reading.began = []
    return filters


_SUBJECT_BEFORE_EN = re.compile(r"^\s?(?:that|which|we|they)?\s?(?:were|was|have|has|had|got|we)?\s?$")


def _said_of(reading: Reading, model: SemanticModel, table: str, first: int, last: int) -> bool:
    """The thing said to begin ("campaigns that started", "上线的活动") is a dimension of the start
    date's own table: the campaigns' start date is no product's launch."""
    text = reading.text
    for mention in reading.dimensions:
        if not model.has_dimension(mention.term.target) or model.dimension(mention.term.target).table != table:
            continue
        if mention.end <= first and _SUBJECT_BEFORE_EN.match(text[mention.end:first]):
            return True  # "campaigns that started in Q3"
        if mention.start >= last and text[last:mention.start].strip() in {"", "的"}:
            return True  # "10月上线的活动"
    return False
