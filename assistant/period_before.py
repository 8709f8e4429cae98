"""The period just before another, for "compared with the period before" (KPI cards).

Whole calendar months (or quarters, years) step back by as many months; any other range
steps back by its own length, so "last 30 days" compares with the 30 days before it.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from genbi.semantic_layer.query_spec import TimeGrain, TimeRange, shift_period


def previous_range(start: date, end: date) -> TimeRange:
    """The range of the same calendar size immediately before ``start``..``end``.

    >>> previous_range(date(2025, 4, 1), date(2025, 6, 30))
    TimeRange(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 3, 31), relative=None)
    """
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first = shift_period(start, TimeGrain.MONTH, -months)
        return TimeRange(start=first, end=start - timedelta(days=1))
    days = (end - start).days + 1
    return TimeRange(start=start - timedelta(days=days), end=start - timedelta(days=1))
