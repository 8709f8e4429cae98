"""Which calendar period each row covers, and which are incomplete.

A month that the data (or the asked range) stops inside is not comparable with a full one:
"August, data up to Aug 22" must not read as "down 31% on July". The narrative, the notes and
the period-comparison labels all work from the ``Bucket`` values made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from genbi.assistant.formatting import Language, format_period
from genbi.assistant.planner.timeparse import describe_range
from genbi.semantic_layer.query_spec import QuerySpec, TimeGrain, TimeRange, period_start

_GRAINS = {g.value: g for g in TimeGrain}


@dataclass(frozen=True)
class Bucket:
    """One calendar period of a result: its name and the days the data covers in it."""

    name: str
    """"December 2025", "Q4 2025", "Dec 15 – 21" / "2025年12月"."""
    start: date
    end: date
    """The calendar period's last day."""
    covered_from: date
    covered_to: date

    @property
    def partial(self) -> bool:
        return self.covered_from > self.start or self.covered_to < self.end


def day_of(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def period_end(start: date, grain: str) -> date:
    """The last day of the ``grain`` period that begins on ``start``."""
    if grain == "day":
        return start
    if grain == "week":
        return start + timedelta(days=6)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def period_name(start: date, grain: str, language: Language) -> str:
    """A period as a sentence names it: "December 2025", "Q4 2025", "2025", "Dec 15 – 21"."""
    zh = language == "zh"
    if grain == "month":
        return f"{start.year}年{start.month}月" if zh else f"{start:%B %Y}"
    if grain == "quarter":
        quarter = (start.month - 1) // 3 + 1
        return f"{start.year}年第{quarter}季度" if zh else f"Q{quarter} {start.year}"
    return format_period(start, grain, language)


def day_name(day: date, language: Language) -> str:
    return f"{day.month}月{day.day}日" if language == "zh" else f"{day:%b} {day.day}"


def partial_note(bucket: Bucket, value: str, language: Language) -> str:
    """'December 2025 is partial: data up to Dec 18 (¥401,469 so far)'."""
    if language == "zh":
        since = f"{day_name(bucket.covered_from, language)}起，" if bucket.covered_from > bucket.start else ""
        so_far = f"（目前{value}）" if value else ""
        return f"{bucket.name}不完整：数据{since}截至{day_name(bucket.covered_to, language)}{so_far}"
    since = f"from {day_name(bucket.covered_from, language)} " if bucket.covered_from > bucket.start else ""
    so_far = f" ({value} so far)" if value and bucket.covered_to < bucket.end else f" ({value})" if value else ""
    return f"{bucket.name} is partial: data {since}up to {day_name(bucket.covered_to, language)}{so_far}"


def covered_span(time_range: TimeRange | None, as_of: date, data_end: date | None) -> tuple[date | None, date | None]:
    """The first and last day a query's rows can come from (None: not bounded)."""
    start, end = time_range.resolve(as_of) if time_range is not None else (None, None)
    if data_end is not None:
        end = data_end if end is None else min(end, data_end)
    return start, end


def trend_buckets(values: list[Any], grain: str | None, span: tuple[date | None, date | None],
                  language: Language) -> dict[date, Bucket]:
    """Each time bucket of a trend, keyed by its first day; the first and last are partial when
    the asked range or the data starts or stops inside them."""
    days = sorted({d for d in (day_of(v) for v in values) if d is not None})
    if not grain or grain not in _GRAINS or grain == "day" or not days:
        return {}
    buckets = {}
    for day in days:
        end = period_end(day, grain)
        covered_from = max(day, span[0]) if span[0] is not None and day == days[0] else day
        covered_to = min(end, span[1]) if span[1] is not None and day == days[-1] else end
        buckets[day] = Bucket(period_name(day, grain, language), day, end, covered_from, covered_to)
    return buckets


def compared_buckets(spec: QuerySpec, as_of: date, data_end: date | None, language: Language, *,
                     data_start: date | None = None) -> dict[date, Bucket]:
    """The periods of a comparison (``QuerySpec.periods``), keyed by first day as in the result.

    A relative period ("this month") is named by its calendar period ("December 2025") and is
    partial when the as-of date or the data stops inside it, or the data starts inside it
    (``data_start``); a date range keeps its dates."""
    buckets = {}
    for period in spec.periods:
        start, end = period.resolve(as_of)
        if start is None or end is None:
            continue
        covered_to = min(end, data_end) if data_end is not None else end
        covered_from = max(start, data_start) if data_start is not None else start
        if period.relative is not None and period.relative.kind != "trailing":
            unit = period.relative.unit.value
            first = period_start(start, period.relative.unit)
            buckets[start] = Bucket(period_name(first, unit, language), first, period_end(first, unit),
                                    covered_from, covered_to)
        else:
            name = describe_range(TimeRange(start=start, end=end), as_of, language)
            buckets[start] = Bucket(name, start, end, covered_from, covered_to)
    return buckets
