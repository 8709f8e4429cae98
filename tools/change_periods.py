"""Which period a change is measured against, and the earlier periods that say what is usual.

A whole calendar unit (a month, a quarter, a year, a Monday-to-Sunday week) steps back one
such unit; any other range steps back by its own length ("the last 30 days" against the 30
days before). "Same period last year" moves the dates back one year.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from genbi.semantic_layer.query_spec import TimeGrain, TimeRange, period_start, shift_period

Compare = Literal["previous", "year"]

HISTORY_PERIODS = 12
"""Earlier comparisons the usual range is made from (a year of months)."""


@dataclass(frozen=True)
class Period:
    """Inclusive first and last day."""

    start: date
    end: date

    def shifted(self, steps: int, unit: TimeGrain | None) -> Period:
        """Moved by ``steps`` calendar units, or by its own length when ``unit`` is None."""
        if unit is None:
            days = (self.end - self.start).days + 1
            return Period(self.start + timedelta(days=days * steps), self.end + timedelta(days=days * steps))
        start = shift_period(self.start, unit, steps)
        end = shift_period(self.end + timedelta(days=1), unit, steps) - timedelta(days=1)
        return Period(start, end)

    def as_range(self) -> TimeRange:
        return TimeRange(start=self.start, end=self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def calendar_unit(period: Period) -> TimeGrain | None:
    """The calendar unit a period is a whole number of (months, quarters, years, weeks)."""
    month_end = period.end.day == calendar.monthrange(period.end.year, period.end.month)[1]
    if period.start.day == 1 and month_end:
        months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        if months % 12 == 0 and period.start.month == 1:
            return TimeGrain.YEAR
        if months % 3 == 0 and period.start.month % 3 == 1:
            return TimeGrain.QUARTER
        return TimeGrain.MONTH
    if period_start(period.start, TimeGrain.WEEK) == period.start and period.days % 7 == 0:
        return TimeGrain.WEEK
    return None


def step_of(period: Period) -> tuple[int, TimeGrain | None]:
    """How far back "the period before" is: (units, unit), e.g. (3, MONTH) for a quarter."""
    unit = calendar_unit(period)
    if unit in (TimeGrain.MONTH, TimeGrain.QUARTER, TimeGrain.YEAR):
        months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        return months, TimeGrain.MONTH
    if unit == TimeGrain.WEEK:
        return period.days // 7, TimeGrain.WEEK
    return 1, None


def baseline(period: Period, compare: Compare) -> Period:
    """The period the change is measured against."""
    if compare == "year":
        return period.shifted(-1, TimeGrain.YEAR)
    units, unit = step_of(period)
    return period.shifted(-units, unit)


def history_chain(period: Period, count: int = HISTORY_PERIODS) -> list[Period]:
    """``count`` + 1 consecutive periods of the same size ending with ``period`` (oldest first)."""
    units, unit = step_of(period)
    return [period.shifted(-units * k, unit) for k in range(count, -1, -1)]


def describe(period: Period) -> str:
    """ISO dates, e.g. '2025-11-01..2025-11-30'."""
    return f"{period.start.isoformat()}..{period.end.isoformat()}"
