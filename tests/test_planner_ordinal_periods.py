""""The first quarter of the year", "last year to date": periods said in words read as their
short forms do.

Written before the rewrite: "revenue in the first quarter" answered all-time revenue, "the
last quarter of 2024" answered Q3 2025 against 2024, "去年四季度" Q4 2025 against 2024,
"第一季度" declined as a ranking's first, and "ytd orders compared to last year to date"
dropped the comparison. Each pair must read exactly alike.
"""

from __future__ import annotations

import pytest
from planner_support import spec_of

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize(("said", "short"), [
    ("revenue in the first quarter", "revenue in q1"),
    ("revenue in the first quarter of the year", "revenue in q1 this year"),
    ("revenue in the 2nd quarter of this year", "revenue in q2 this year"),
    ("revenue in the third quarter of last year", "revenue in q3 last year"),
    ("revenue in the last quarter of 2024", "revenue in q4 2024"),
    ("orders in the final quarter of the year by month", "orders in q4 this year by month"),
    ("revenue in the first half of the year", "revenue in h1 this year"),
    ("year to date orders compared to last year to date", "ytd orders vs last ytd"),
    ("quarter to date revenue vs previous quarter to date", "qtd revenue vs last qtd"),
    ("第一季度的销售额", "2025年第一季度的销售额"),
    ("今年的第一季度销售额", "2025年第一季度的销售额"),
    ("去年四季度的订单数", "2024年第四季度的订单数"),
    ("去年第四季度的订单数", "2024年第四季度的订单数"),
    ("去年最后一个季度的销售额", "2024年第四季度的销售额"),
    ("2024年三季度各渠道的订单数", "2024年第三季度各渠道的订单数"),
])
def test_a_period_in_words_reads_as_its_short_form(planner: OfflinePlanner, said: str, short: str) -> None:
    assert spec_of(planner, said) == spec_of(planner, short)


def test_last_quarter_alone_is_still_the_quarter_before(planner: OfflinePlanner) -> None:
    spec = spec_of(planner, "revenue last quarter")
    assert spec.time_range is not None and spec.time_range.relative is not None
    assert (spec.time_range.relative.kind, spec.time_range.relative.unit.value) == ("previous", "quarter")


def test_a_comparison_to_the_year_before_to_date_keeps_both_periods(planner: OfflinePlanner) -> None:
    spec = spec_of(planner, "year to date orders compared to last year to date")
    assert spec.periods and len(spec.periods) == 2


@pytest.mark.parametrize(("said", "short"), [
    ("how many customers bought twice or more last quarter", "how many customers bought at least twice last quarter"),
    ("customers who ordered 3 times or more", "customers who ordered at least 3 times"),
])
def test_a_count_of_times_with_its_bound_after_reads_as_at_least(planner: OfflinePlanner, said: str,
                                                                  short: str) -> None:
    """"Twice or more" declined ('twice' unknown); "3 times or more" asked which to rank by."""
    assert spec_of(planner, said) == spec_of(planner, short)
