"""A year word said apart from the day or month it dates ("christmas revenue last year",
"q4 orders last year", "去年各渠道双11的销售额") dates it. Read apart, the day was this year's
and the year word a second period: "Q4 2025 vs 2024", a silently wrong comparison. A named day
with its year after it ("christmas 2025") is that year's day, never the year 2025 and an
unknown word. Words that make two periods of them ("vs last year", "和去年比") still compare."""

from __future__ import annotations

from datetime import date

import pytest
from planner_support import spec_of as _spec

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _period(spec: QuerySpec) -> tuple[date | None, date | None]:
    assert not spec.periods, spec.periods
    assert spec.time_range is not None
    return spec.time_range.start, spec.time_range.end


@pytest.mark.parametrize(("question", "first", "last", "split"), [
    ("christmas revenue last year", date(2024, 12, 25), date(2024, 12, 25), set()),
    ("last year's Christmas revenue", date(2024, 12, 25), date(2024, 12, 25), set()),
    ("双11 revenue last year", date(2024, 11, 11), date(2024, 11, 11), set()),
    ("双11 revenue by channel last year", date(2024, 11, 11), date(2024, 11, 11), {"channel"}),
    ("去年各渠道双11的销售额", date(2024, 11, 11), date(2024, 11, 11), {"channel"}),
    ("去年双11的销售额", date(2024, 11, 11), date(2024, 11, 11), set()),
    ("november revenue by channel last year", date(2024, 11, 1), date(2024, 11, 30), {"channel"}),
    ("3月各渠道的销售额 去年", date(2024, 3, 1), date(2024, 3, 31), {"channel"}),
    ("q4 orders last year", date(2024, 10, 1), date(2024, 12, 31), set()),
    ("618 orders this year", date(2025, 6, 18), date(2025, 6, 18), set()),
    ("revenue on christmas 2025", date(2025, 12, 25), date(2025, 12, 25), set()),
    ("revenue on valentine's day 2025", date(2025, 2, 14), date(2025, 2, 14), set()),
    ("revenue on new year's day 2025", date(2025, 1, 1), date(2025, 1, 1), set()),
    ("2024年圣诞节的销售额", date(2024, 12, 25), date(2024, 12, 25), set()),
])
def test_the_year_word_dates_the_day(planner: OfflinePlanner, question: str, first: date, last: date,
                                     split: set[str]) -> None:
    spec = _spec(planner, question)
    assert _period(spec) == (first, last), question
    assert {g.name for g in spec.group_by} == split


@pytest.mark.parametrize("question", ["revenue on 双11 vs last year", "双11 revenue compared with last year",
                                      "双11的销售额和去年比"])
def test_words_that_compare_keep_two_periods(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    periods = spec.periods or ()
    ranges = {(p.start, p.end) for p in periods}
    assert ranges == {(date(2025, 11, 11), date(2025, 11, 11)), (date(2024, 11, 11), date(2024, 11, 11))}, spec


@pytest.mark.parametrize(("question", "day"), [
    ("双11 sales last year and this year", (11, 11)),
    ("去年和今年的双11销售额", (11, 11)),
    ("今年和去年各渠道双11的销售额", (11, 11)),
    ("christmas revenue last year vs this year", (12, 25)),
])
def test_two_year_words_date_the_day_twice(planner: OfflinePlanner, question: str, day: tuple[int, int]) -> None:
    """One year was read and the other dropped ('2025-11-11' alone) or compared as a whole year
    ('2025-11-11 对比 2024年')."""
    spec = _spec(planner, question)
    ranges = {(p.start, p.end) for p in spec.periods or ()}
    assert ranges == {(date(2025, *day), date(2025, *day)), (date(2024, *day), date(2024, *day))}, spec


def test_a_month_in_two_years_is_that_month_twice(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "revenue in november this year and last year")
    assert {(p.start, p.end) for p in spec.periods or ()} == {
        (date(2025, 11, 1), date(2025, 11, 30)), (date(2024, 11, 1), date(2024, 11, 30))}, spec
