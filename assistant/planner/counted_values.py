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
from genbi.assistant.planner.vocabulary import counts_rows_of, plain_people_metric
from genbi.semantic_layer.model import SemanticModel

_HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b|\bcount of\b|多少(?:个|次|笔|条)?|几(?:个|次|笔|条)")


def said_as_count(text: str) -> bool:
    """"how many", "number of", "多少个": the question asks to count something."""
    return bool(_HOW_MANY.search(text.lower()))


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


_SPLIT_BY = re.compile(r"(?:\bby|\bper|按|分)\s*(?:是否|是不是|whether(?: or not)?)?\s*$")


def said_as_split(reading: Reading, mention: Mention) -> bool:
    """"by VIP", "按VIP": a split. A tag's ``grouped`` mark is not enough: "VIP customers by
    city" marks the tag too, though only the city splits."""
    return bool(_SPLIT_BY.search(reading.text[max(0, mention.start - 20):mention.start]))
_COUNT_AFTER = re.compile(r"^\s*(?:count|counts|number|numbers|total|数量|数|人数|总数|多少|有多少|有几)")


def counted_tag(reading: Reading, model: SemanticModel) -> tuple[list[str], str] | None:
    """"How many VIPs", "number of VIP members", "VIP会员数量": people named by a yes/no tag
    and counted. The tag's words usually carry the people noun ("VIP customers"), so no
    metric word is left; the count is the plain count of the tag's own table, with the tag
    as its filter (as "how many customers are VIP" reads)."""
    flags = {d.name for d in model.dimensions if d.type.value == "boolean"}
    tagged = [m for m in reading.dimensions if m.term.target in flags and not said_as_split(reading, m)]
    if len(tagged) != 1 or (reading.values and any(not v.negated for v in reading.values if v.term.target in flags)):
        return None
    mention = tagged[0]
    before = reading.text[max(0, mention.start - 14):mention.start]
    surface = normalize(mention.surface)
    plural = surface.endswith("s") and not surface.endswith("ss")
    if not (_HOW_MANY.search(before) or _COUNT_AFTER.search(reading.text[mention.end:]) or plural):
        return None
    dimension = model.dimension(mention.term.target)
    counts = [m for m in model.metrics if counts_rows_of(model, m.name, dimension.table)]
    if not counts:
        return None
    plain = plain_people_metric(model)
    metric = next((m for m in counts if m.name == plain), counts[0])  # "customers", not "new customers"
    if reading.language == "zh":
        note = f"我把“{mention.surface}”理解为{dimension.label_zh or dimension.label}的{metric.label_zh or metric.label}。"
    else:
        note = f"I counted '{mention.surface}' as {metric.label.lower()} who are {dimension.label}."
    return [metric.name], note
