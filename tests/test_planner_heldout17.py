"""Mechanisms found by the blind heldout17 pass (``eval/heldout/heldout17.jsonl``), each
checked with reworded variants in both languages and with an unknown condition added
(which must decline): part of a year said once beside two years is that part of each,
a split by time with a year-on-year cue and no period is this year's units beside last
year's, and a channel said as what was sent is the channel of the marketing touch."""

from __future__ import annotations

from datetime import date

import pytest
from planner_support import declines as _declines
from planner_support import spec_of as _spec

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec, TimeGrain


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _filters(spec: QuerySpec) -> dict[str, set[object]]:
    return {f.dimension: set(f.values) for f in spec.filters}


def _periods(spec: QuerySpec) -> list[tuple[date | None, date | None]]:
    return [p.resolve(date(2025, 12, 31)) for p in spec.periods]


# --- part of a year, two years ---------------------------------------------------------

Q4S = [(date(2024, 10, 1), date(2024, 12, 31)), (date(2025, 10, 1), date(2025, 12, 31))]


@pytest.mark.parametrize("question", [
    "revenue oct-dec 2024 vs 2025",
    "sales for oct thru dec, 2024 vs 2025",
    "orders october to december 2024 vs 2025",
    "Q4 2024 vs 2025 orders",
    "2024年和2025年10-12月的订单量对比",
    "2024年和2025年第四季度的销售额对比",
    "2024年和2025年10月到12月的买家数",
])
def test_part_of_a_year_said_once_is_that_part_of_each_year(planner: OfflinePlanner, question: str) -> None:
    assert _periods(_spec(planner, question)) == Q4S


@pytest.mark.parametrize("question, expected", [
    ("revenue 2024 vs 2025", [(date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))]),
    ("revenue 2025 vs december 2024", [(date(2024, 12, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))]),
    ("feb 2024 vs 2025 revenue", [(date(2024, 2, 1), date(2024, 2, 29)), (date(2025, 2, 1), date(2025, 2, 28))]),
])
def test_whole_years_and_parts_said_with_their_own_year_stay(planner: OfflinePlanner, question: str,
                                                             expected: list[tuple[date, date]]) -> None:
    assert _periods(_spec(planner, question)) == expected


@pytest.mark.parametrize("question", ["10-12月的订单量", "10到12月的订单量", "orders oct-dec"])
def test_a_span_of_months_is_one_period(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.time_range is not None
    assert spec.time_range.resolve(date(2025, 12, 31)) == (date(2025, 10, 1), date(2025, 12, 31))


# --- a split by time, year on year -----------------------------------------------------

@pytest.mark.parametrize("question, grain", [
    ("quarterly revenue yoy", TimeGrain.QUARTER),
    ("quarterly orders, yoy", TimeGrain.QUARTER),
    ("revenue by quarter, year over year", TimeGrain.QUARTER),
    ("monthly buyers yoy", TimeGrain.MONTH),
    ("各季度GMV同比", TimeGrain.QUARTER),
    ("每个季度的订单量同比", TimeGrain.QUARTER),
    ("每个月的新客数同比", TimeGrain.MONTH),
])
def test_split_by_time_yoy_is_each_unit_beside_the_same_unit_a_year_before(
        planner: OfflinePlanner, question: str, grain: TimeGrain) -> None:
    spec = _spec(planner, question)
    assert [(g.name, g.grain) for g in spec.group_by] == [("metric_time", grain)]
    assert spec.time_range is not None and not spec.periods
    assert spec.time_range.resolve(date(2025, 12, 31)) == (date(2024, 1, 1), date(2025, 12, 31))


def test_split_by_time_yoy_mid_year_runs_to_date(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "quarterly revenue yoy", as_of=date(2025, 6, 15))
    assert spec.time_range is not None
    assert spec.time_range.resolve(date(2025, 6, 15)) == (date(2024, 1, 1), date(2025, 6, 15))


def test_yoy_without_a_split_still_compares_two_periods(planner: OfflinePlanner) -> None:
    assert len(_spec(planner, "revenue yoy").periods) == 2


# --- a channel said as what was sent -----------------------------------------------------

@pytest.mark.parametrize("question, channel", [
    ("how many customers did we email", "email"),
    ("how many customers got an email from us last month", "email"),
    ("how many people received an sms from us in november", "sms"),
    ("customers reached via app push last week", "app_push"),
    ("上个月给多少客户发过短信", "sms"),
    ("今年邮件触达了多少人", "email"),
    ("去年给多少人发过邮件", "email"),
    ("上周收到过推送的客户有多少", "app_push"),
])
def test_a_channel_said_as_what_was_sent_counts_the_people_touched(
        planner: OfflinePlanner, question: str, channel: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == ("touched_customers",)
    assert _filters(spec) == {"touch_channel": {channel}}


@pytest.mark.parametrize("question, metric, dimension", [
    ("how many customers did we get from email last year", "customers", "acquisition_channel"),
    ("new customers from email this year", "new_customers", "acquisition_channel"),
    ("通过短信注册的客户数", "new_customers", "acquisition_channel"),
    ("revenue from email campaigns", "revenue", "channel"),
])
def test_a_channel_said_as_a_source_is_not_a_touch(planner: OfflinePlanner, question: str, metric: str,
                                                  dimension: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    assert dimension in _filters(spec)


@pytest.mark.parametrize("question", [
    "how many customers did we email who own a cat",
    "上个月给多少养猫的客户发过短信",
    "quarterly revenue yoy for customers with a pet",
    "revenue oct-dec 2024 vs 2025 from customers who own a cat",
    "2024年和2025年10-12月养猫客户的订单量对比",
])
def test_an_unknown_condition_beside_them_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)
