"""An average of money said of people: "how much did gold members spend on average", "on
average, what does a buyer spend", "平均每位会员消费多少".

"Average revenue" alone is no number (per day? per order?), and is declined. When the question
says the money was spent by people (a person noun, or a count of people, beside it) the
average is per person: the model's one ratio of that money to a count of people — revenue
per buyer, over the customers who bought in the period. The answer says how it was read.
"""

from __future__ import annotations

import re

from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.vocabulary import people_counts
from genbi.semantic_layer.model import MetricType, SemanticModel

_PERSON = re.compile(
    r"\b(?:customers?|members?|buyers?|shoppers?|users?|clients?|consumers?|people|persons?|per head|per capita)\b"
    r"|会员|客户|顾客|用户|买家|消费者|每人|每个人|每位"
)


def average_per_person(model: SemanticModel, reading: Reading, metrics: list[str]) -> tuple[list[str], str] | None:
    """``metrics`` with each summed amount of money replaced by its ratio to the one count of
    people the model divides it by, and a note; None when the question names no people, or
    some metric has no such ratio (the average stays unanswerable)."""
    people = people_counts(model)
    if not (any(m.term.target in people for m in reading.metrics) or _PERSON.search(reading.text)):
        return None
    out: list[str] = []
    for name in metrics:
        if name in people:
            continue  # the people the money is divided by, not a number of its own
        metric = model.metric(name)
        if metric.type != MetricType.SIMPLE or metric.format.value != "currency":
            return None
        ratios = {r.name for r in model.metrics if r.type == MetricType.RATIO and r.numerator == metric.measure
                  and any(model.metric(p).measure == r.denominator for p in people)}
        if len(ratios) != 1:
            return None
        out.append(ratios.pop())
    if not out:
        return None
    out = list(dict.fromkeys(out))
    zh = reading.language == "zh"

    def label(name: str) -> str:
        metric = model.metric(name)
        return (metric.label_zh or metric.label) if zh else metric.label

    def by_measure(measure: str | None) -> str:
        return next((label(m.name) for m in model.metrics if m.type == MetricType.SIMPLE and m.measure == measure), "")

    parts = [(label(n), by_measure(model.metric(n).numerator), by_measure(model.metric(n).denominator)) for n in out]
    if zh:
        return out, "按人平均理解为" + "、".join(f"“{r}”（{a} ÷ {b}）" for r, a, b in parts) + "。"
    return out, "Read the average per person as " + ", ".join(f"{r} ({a} ÷ {b})" for r, a, b in parts) + "."
