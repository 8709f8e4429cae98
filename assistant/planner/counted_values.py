""""How many logins last week", "refunds by month": a member named in the plural is counted.

An event log has a type column ("login", "export"), an orders table a status ("refunded");
marketers count them by the member's own word in the plural, with no metric word. When a
question names no metric and one value is said in the plural (or with "how many", "多少个"),
the answer counts the rows of the value's own table (the model's plain count of that
table, with the value as a filter) and says so. A value of a table with no plain count of
its rows is left to decline.
"""

from __future__ import annotations

import re

from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.vocabulary import counts_rows_of
from genbi.semantic_layer.model import SemanticModel

_HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b|\bcount of\b|多少(?:个|次|笔|条)?|几(?:个|次|笔|条)")


def counted_value(reading: Reading, model: SemanticModel) -> tuple[list[str], str] | None:
    """The count metric for the one value said as a thing counted, and the note saying so."""
    counted = [v for v in reading.values if not v.negated and _said_as_count(reading, v)]
    if len(counted) != 1:
        return None
    value = counted[0]
    if not _KIND_OF_ROW.search(" ".join(normalize(w) for w in (value.term.target, model.dimension(value.term.target).label,
                                                               model.dimension(value.term.target).label_zh or ""))):
        return None  # "how many offline stores": a sales channel is where orders happen, not a kind of order
    table = model.dimension(value.term.target).table
    metric = next((m for m in model.metrics if counts_rows_of(model, m.name, table)), None)
    if metric is None:
        return None
    zh = reading.language == "zh"
    dimension = model.dimension(value.term.target)
    if zh:
        note = f"我把“{value.surface}”理解为{dimension.label_zh or dimension.label}为“{value.term.value}”的{metric.label_zh or metric.label}。"
    else:
        note = f"I counted '{value.surface}' as {metric.label.lower()} with {dimension.label.lower()} {value.term.value}."
    return [metric.name], note


_KIND_OF_ROW = re.compile(r"type|status|event|action|activit|kind|stage|step|outcome|result|类型|状态|事件|行为|动作|阶段|结果")
"""Dimensions whose members are kinds of the rows themselves (an event's type, an order's
status, a loyalty ledger's activity): "logins", "refunds", "redemptions" count those rows. Other members (a channel, a city) are no rows."""


def _said_as_count(reading: Reading, value: Mention) -> bool:
    surface, canonical = normalize(value.surface), normalize(str(value.term.value))
    plural = surface != canonical and surface.endswith("s") and not canonical.endswith("s")
    return plural or bool(_HOW_MANY.search(reading.text[max(0, value.start - 14):value.start]))
