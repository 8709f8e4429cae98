"""Periods and grains of the spec: compared periods replace the period and any time
split; a trend without a grain gets one from the length of its period."""

from __future__ import annotations

from datetime import date

from genbi.assistant.planner import cues
from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.query_spec import (
    METRIC_TIME,
    DimensionRef,
    Filter,
    FilterOp,
    QuerySpec,
    TimeGrain,
    TimeRange,
    is_period_grain,
)


def side_by_side(
    reading: Reading, previous: QuerySpec | None, time_range: TimeRange | None,
    periods: tuple[TimeRange, ...], group_by: list[DimensionRef],
) -> tuple[TimeRange | None, tuple[TimeRange, ...], list[DimensionRef]]:
    """Compared periods replace the period and any time split; a follow-up that names no
    period keeps the conversation's compared periods ("what about orders?")."""
    if not periods and previous is not None and previous.periods and not reading.times:
        periods = previous.periods
    if not periods:
        return time_range, periods, group_by
    return None, periods, [g for g in group_by if not time_bucket(g)]


def time_bucket(ref: DimensionRef) -> bool:
    """A split of time into periods (by month, by day), not by a part of the week."""
    return ref.name == METRIC_TIME and is_period_grain(ref.grain or TimeGrain.DAY)


def grain_named_comparison(reading: Reading) -> bool:
    """"Q4 GMV yoy", "MoM orders": the grain word names the comparison, not a time split."""
    return bool(cues.YEAR_ON_YEAR.search(reading.text) or cues.PERIOD_ON_PERIOD.search(reading.text))


def trend_grain(time_range: TimeRange | None, as_of: date) -> TimeGrain:
    if time_range is None:
        return TimeGrain.MONTH
    start, end = time_range.resolve(as_of)
    if start and end and (end - start).days <= 31:
        return TimeGrain.DAY
    if start and end and (end - start).days <= 92:
        return TimeGrain.WEEK
    return TimeGrain.MONTH


def part_filters(reading: Reading) -> list[Filter]:
    """"on weekends", "每周一": each row's date on those days of the week (several said: any)."""
    found: dict[TimeGrain, list[str]] = {}
    for mention in reading.parts:
        if not mention.split:
            found.setdefault(mention.part, []).extend(v for v in mention.values if v not in found.get(mention.part, []))
    return [Filter(dimension=METRIC_TIME, part=part, op=FilterOp.EQ if len(values) == 1 else FilterOp.IN,
                   values=tuple(values)) for part, values in found.items()]
