"""Phrasings from blind marketer questions (``eval/heldout/heldout11.jsonl``), one group per
general rule, each with several phrasings (en and zh): "peak"/"busiest" of a time unit is
its one top member, and the periods, negations and filters the first run declined."""

from __future__ import annotations

from datetime import date

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec, TimeGrain

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _spec(planner: OfflinePlanner, question: str, as_of: date = AS_OF, previous: QuerySpec | None = None) -> QuerySpec:
    result = planner.plan(question, as_of=as_of, previous=previous)
    assert result.spec is not None, result.decline_reason
    return result.spec


def _declines(planner: OfflinePlanner, question: str, as_of: date = AS_OF) -> str:
    result = planner.plan(question, as_of=as_of)
    assert result.spec is None and result.tool_call is None, result.spec
    assert result.decline_reason
    return result.decline_reason


# --- "peak hour", "busiest day", "下单高峰": the one top (or bottom) member, not every one ---

@pytest.mark.parametrize("question, grain, metric, descending", [
    ("what was our peak hour for orders last month?", TimeGrain.HOUR, "orders", True),
    ("peak hour for revenue this year", TimeGrain.HOUR, "revenue", True),
    ("peak day for orders last month", TimeGrain.DAY, "orders", True),
    ("busiest hour of the day in 2025 by number of orders", TimeGrain.HOUR, "orders", True),
    ("which hour of the day had the lowest revenue last quarter", TimeGrain.HOUR, "revenue", False),
    ("上个月下单高峰是几点", TimeGrain.HOUR, "orders", True),
    ("上个月几点下单最多", TimeGrain.HOUR, "orders", True),
    ("今年哪个小时段销售额最高", TimeGrain.HOUR, "revenue", True),
    ("上个月的销售额峰值是哪一天", TimeGrain.DAY, "revenue", True),
    ("上个月订单最淡的是几点", TimeGrain.HOUR, "orders", False),
])
def test_a_peak_time_unit_is_its_one_top_member(planner: OfflinePlanner, question: str, grain: TimeGrain,
                                               metric: str, descending: bool) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    assert [g.grain for g in spec.group_by] == [grain]
    assert spec.limit == 1
    assert spec.order_by and spec.order_by[0].descending is descending


@pytest.mark.parametrize("question", [
    "what was our peak hour for orders last month on rainy days?",
    "上个月下雨天的下单高峰是几点",
])
def test_a_peak_time_unit_with_an_unknown_condition_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- the weekend before last; "and the weekend before that?" moves a weekend back a week ---

@pytest.mark.parametrize("question", [
    "how much rev did we do the weekend before last?",
    "orders the weekend before last",
    "revenue over the last weekend but one",
    "2 weekends ago revenue",
    "上上周末的订单数",
    "上上个周末的销售额",
])
def test_the_weekend_before_last(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.time_range is not None
    assert spec.time_range.resolve(AS_OF) == (date(2025, 12, 20), date(2025, 12, 21))


@pytest.mark.parametrize("first, then", [
    ("how many orders last weekend", "and the weekend before that?"),
    ("revenue last weekend", "the weekend before?"),
    ("上周末卖了多少钱", "再往前一个周末呢"),
    ("上周末的订单数", "前一个周末呢"),
])
def test_the_weekend_before_a_weekend_is_a_week_earlier(planner: OfflinePlanner, first: str, then: str) -> None:
    spec = _spec(planner, then, previous=_spec(planner, first))
    assert spec.time_range is not None
    assert spec.time_range.resolve(AS_OF) == (date(2025, 12, 20), date(2025, 12, 21))


@pytest.mark.parametrize("first, then", [
    (None, "orders the weekend before"),
    (None, "再往前一个周末的订单"),
    ("revenue last month", "and the weekend before that?"),
    ("上个月的销售额", "再往前一个周末呢"),
])
def test_the_weekend_before_no_weekend_declines(planner: OfflinePlanner, first: str | None, then: str) -> None:
    previous = _spec(planner, first) if first else None
    result = planner.plan(then, as_of=AS_OF, previous=previous)
    assert result.spec is None and result.decline_reason
