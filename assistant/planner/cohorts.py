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
