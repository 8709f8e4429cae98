"""Ranked by growth: "which region grew the most", "增长最快的渠道", "biggest drop in orders".

A ranking asked with a growth word over compared periods ranks by the change against the
period before, not by the level: "which region grew revenue the most this year" is the
region with the biggest increase, which need not be the biggest region. Speed words
("fastest", "增速", "growth rate") rank by the relative change; decline words ("drop",
"下降最多") put the largest fall first.
"""

from __future__ import annotations

import re

from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.query_spec import OrderBy

CHANGE, CHANGE_PCT = "__change", "__change_pct"

_GROWTH = re.compile(
    r"\b(?:grow|grows|grew|grown|growing|growth|increase[sd]?|increasing|gain(?:ed|s)?|rise|rises|rose|risen|"
    r"decline[sd]?|declining|drop(?:ped|s)?|decrease[sd]?|decreasing|fall|falls|fell|fallen|shrank|shrunk|shrink(?:ing)?)\b"
    r"|增长|增加|增幅|增速|涨幅|涨|上升|提升|下降|下滑|减少|跌|降幅|萎缩"
)
_RELATIVE = re.compile(
    r"\b(?:fastest|quickest|slowest|growth rates?|rate of (?:growth|increase|decline)|percent(?:age)?|pct)\b|%"
    r"|最快|最慢|增速|增长率|增幅|涨幅|降幅|下降率|百分比"
)
_FALLING = re.compile(
    r"\b(?:decline[sd]?|declining|drop(?:ped|s)?|decrease[sd]?|decreasing|fall|falls|fell|fallen|shrank|shrunk|shrink(?:ing)?)\b"
    r"|下降|下滑|减少|跌|降幅|萎缩"
)


def asks_growth(reading: Reading) -> bool:
    return bool(_GROWTH.search(reading.text))


def by_growth(reading: Reading, metrics: list[str], order_by: tuple[OrderBy, ...]) -> tuple[OrderBy, ...]:
    """``order_by`` with a ranking on a metric's level turned into one on its change, when the
    question asks which grew (or fell) the most; unchanged otherwise."""
    if not order_by or not asks_growth(reading):
        return order_by
    first = order_by[0]
    if first.field not in metrics:
        return order_by
    suffix = CHANGE_PCT if _RELATIVE.search(reading.text) else CHANGE
    descending = first.descending != bool(_FALLING.search(reading.text))  # "biggest drop": most negative first
    return (OrderBy(field=first.field + suffix, descending=descending), *order_by[1:])
