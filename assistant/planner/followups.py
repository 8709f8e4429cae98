"""Follow-ups edit the previous spec with what the new question says and keep the rest
("now by channel", "只看上海", "by city tier instead", "换成订单数")."""

from __future__ import annotations

import re

from genbi.assistant.planner import cues
from genbi.assistant.planner.period_spec import time_bucket
from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.query_spec import (
    DimensionRef,
    Filter,
    FilterOp,
    QuerySpec,
    TimeGrain,
    TimeRange,
)

_INSTEAD = re.compile(r"\binstead\b|\brather\b|改成|换成|改为|换为|改按|换按")
_SPLIT_FURTHER = re.compile(
    r"\b(?:split|break|cut|slice)(?:\s(?:that|it|this|those|these|them))?(?:\s(?:down|out|up))?\s(?:further\s)?by\b"
    r"|\b(?:also|further)\sby\b|再按|再分|细分|拆分|拆[一1]下|拆开"  # the text has 一 as 1
)
"""Dividing the answer shown ("split that by city tier", "再按设备拆一下"): its rows each split
further, so its own breakdown (a month, a channel) stays."""


def merge_followup(
    reading: Reading,
    previous: QuerySpec,
    metrics: list[str],
    group_by: list[DimensionRef],
    filters: list[Filter],
    time_range: TimeRange | None,
    grain: TimeGrain | None,
) -> tuple[list[str], list[DimensionRef], list[Filter], TimeRange | None]:
    """Edit the previous spec with what this question says; keep what it doesn't touch."""
    if not metrics:
        metrics = list(previous.metrics)
    elif reading.add_metric:
        metrics = list(dict.fromkeys([*previous.metrics, *metrics]))
    categorical = [g for g in group_by if not time_bucket(g)]  # a split by weekday is one too
    instead = bool(_INSTEAD.search(reading.text))
    if instead and grain is not None and not categorical and \
            not any(time_bucket(g) for g in previous.group_by):
        merged_groups = list(group_by)  # "now by month instead" of a region split
    elif categorical:
        keep = list(previous.group_by) if reading.add_metric or _SPLIT_FURTHER.search(reading.text) else []
        if instead:  # "by city tier instead": the new split replaces the old one, time stays
            keep = [g for g in previous.group_by if time_bucket(g)]
        if grain is not None:
            keep = [g for g in keep if not time_bucket(g)]
        merged_groups = list(dict.fromkeys([*keep, *group_by]))
    elif grain is not None:
        merged_groups = [g for g in previous.group_by if not time_bucket(g)] + [
            g for g in group_by if time_bucket(g)
        ]
    else:
        merged_groups = list(previous.group_by)
    merged_filters = _merged_filters(reading, previous.filters, filters)
    lifted = _all_members(reading)  # "how about for all cities" after "revenue in shanghai": every city again
    merged_filters = [f for f in merged_filters if f.dimension not in lifted or f in filters]
    for widened in _compared_members(reading, previous.filters, filters):  # "compared to male": one row each
        if all(g.name != widened for g in merged_groups):
            merged_groups.append(DimensionRef(name=widened))
    return metrics, merged_groups, merged_filters, time_range or previous.time_range


def _merged_filters(reading: Reading, previous: tuple[Filter, ...], filters: list[Filter]) -> list[Filter]:
    """A filter on a dimension replaces the previous one ("only douyin" after "only tmall"),
    except a second exclusion said as an addition, which widens it ("remove douyin too",
    "也去掉抖音"): both values stay out; an exclusion from a list of members kept ("only tmall,
    jd and app" → "drop jd"), which leaves the rest of the list (everything else stays out);
    and members set beside the previous ones ("compared
    to male", "和抖音对比"): both are kept."""
    merged = []
    for new in filters:
        old = next((f for f in previous if (f.dimension, f.part) == (new.dimension, new.part)), None)
        if old is not None and reading.add_metric and old.op in _EXCLUDING and new.op in _EXCLUDING:
            values = tuple(dict.fromkeys([*old.values, *new.values]))
            new = Filter(dimension=new.dimension, op=FilterOp.NOT_IN if len(values) > 1 else FilterOp.NE, values=values,
                         part=new.part)
        elif old is not None and old.op in _INCLUDING and new.op in _EXCLUDING and \
                (kept := tuple(v for v in old.values if v not in new.values)):
            # "only wechat, douyin and xiaohongshu" → "drop douyin": the others stay in; read as
            # everything but douyin it brought back every channel the list had left out
            new = Filter(dimension=new.dimension, op=FilterOp.IN if len(kept) > 1 else FilterOp.EQ, values=kept,
                         part=new.part)
        elif old is not None and reading.versus and old.op in _INCLUDING and new.op in _INCLUDING:
            values = tuple(dict.fromkeys([*old.values, *new.values]))
            new = Filter(dimension=new.dimension, op=FilterOp.IN, values=values, part=new.part)
        merged.append(new)
    touched = {(f.dimension, f.part) for f in filters}
    return [f for f in previous if (f.dimension, f.part) not in touched] + merged


def _all_members(reading: Reading) -> set[str]:
    """Dimensions a follow-up names as a whole ("for all cities", "所有渠道呢"): a filter the
    previous question had on them is lifted. Kept, the answer was Shanghai's again, said as if
    for every city."""
    return {m.term.target for m in reading.dimensions
            if m.suppressed and not m.grouped and cues.ALL_OF.search(reading.text[max(0, m.start - 30):m.start])}


_EXCLUDING = (FilterOp.NE, FilterOp.NOT_IN)
_INCLUDING = (FilterOp.EQ, FilterOp.IN)


def _compared_members(reading: Reading, previous: tuple[Filter, ...], filters: list[Filter]) -> list[str]:
    """Dimensions whose members a follow-up sets beside the ones before ("for female
    customers" → "compared to male"): both stay, split by that dimension (the second had
    replaced the first)."""
    if not reading.versus:
        return []
    return [new.dimension for new in filters if new.op in _INCLUDING and any(
        old.dimension == new.dimension and old.op in _INCLUDING and set(new.values) - set(old.values)
        for old in previous)]
