"""Compared periods: several named periods, growth cues and period-shifting follow-ups."""

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


def _plan(planner: OfflinePlanner, question: str, previous: QuerySpec | None = None) -> QuerySpec:
    result = planner.plan(question, as_of=AS_OF, previous=previous)
    assert result.spec is not None, result.decline_reason
    return result.spec


def _periods(spec: QuerySpec) -> list[tuple[str, str]]:
    return [tuple(d.isoformat() for d in p.resolve(AS_OF)) for p in spec.periods]  # type: ignore[misc]


def _range(spec: QuerySpec) -> tuple[str, str] | None:
    if spec.time_range is None:
        return None
    return tuple(d.isoformat() for d in spec.time_range.resolve(AS_OF))  # type: ignore[return-value]


Q2, Q3, Q4 = ("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30"), ("2025-10-01", "2025-12-31")


@pytest.mark.parametrize("question, periods", [
    ("Q3 vs Q4 revenue", [Q3, Q4]),
    ("revenue Q3 and Q4 2025", [Q3, Q4]),
    ("compare orders in 2024 and 2025", [("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")]),
    ("revenue this month vs same month last year", [("2024-12-01", "2024-12-31"), ("2025-12-01", "2025-12-31")]),
    ("上个月的销售额同比增长多少", [("2024-11-01", "2024-11-30"), ("2025-11-01", "2025-11-30")]),
    ("上季度订单数环比", [Q2, Q3]),
    ("how did ad spend change from Q2 to Q3 2025", [Q2, Q3]),
    ("Dec vs Nov orders", [("2025-11-01", "2025-11-30"), ("2025-12-01", "2025-12-31")]),
    ("Q4 GMV yoy", [("2024-10-01", "2024-12-31"), Q4]),
    ("2025年上半年和下半年的订单数对比", [("2025-01-01", "2025-06-30"), ("2025-07-01", "2025-12-31")]),
    ("last month revenue vs the month before", [("2025-10-01", "2025-10-31"), ("2025-11-01", "2025-11-30")]),
    # a rolling window against the one just before it (was: the second window silently dropped)
    ("revenue last 30 days vs the previous 30 days", [("2025-11-02", "2025-12-01"), ("2025-12-02", "2025-12-31")]),
    ("revenue last 7 days vs the 7 days before", [("2025-12-18", "2025-12-24"), ("2025-12-25", "2025-12-31")]),
    ("orders in the past 4 weeks compared with the prior 4 weeks",
     [("2025-11-06", "2025-12-03"), ("2025-12-04", "2025-12-31")]),
    ("最近30天和之前30天的销售额对比", [("2025-11-02", "2025-12-01"), ("2025-12-02", "2025-12-31")]),
])
def test_periods_side_by_side(planner: OfflinePlanner, question: str, periods: list[tuple[str, str]]) -> None:
    spec = _plan(planner, question)
    assert _periods(spec) == periods and spec.time_range is None
    assert all(g.name != "metric_time" for g in spec.group_by)


def test_growth_of_each_period_of_a_split_is_a_trend(planner: OfflinePlanner) -> None:
    spec = _plan(planner, "今年每个季度的GMV环比")
    assert not spec.periods and _range(spec) == ("2025-01-01", "2025-12-31")
    assert [(g.name, g.grain.value if g.grain else None) for g in spec.group_by] == [("metric_time", "quarter")]


@pytest.mark.parametrize("question", ["revenue in 2024 and 2025 combined", "monthly revenue, 2024 vs 2025"])
def test_combined_or_split_by_time_stays_one_range(planner: OfflinePlanner, question: str) -> None:
    spec = _plan(planner, question)
    assert not spec.periods and _range(spec) == ("2024-01-01", "2025-12-31")


@pytest.mark.parametrize("first, followup, time_range, periods", [
    ("上季度销售额", "那去年同期呢?", ("2024-07-01", "2024-09-30"), []),
    ("revenue last quarter", "and the quarter before?", Q2, []),
    ("tmall revenue last month", "what about the month before?", ("2025-10-01", "2025-10-31"), []),
    ("revenue in Q3 2025", "vs Q2?", None, [Q2, Q3]),
    ("上个月各渠道的花费", "环比呢", None, [("2025-10-01", "2025-10-31"), ("2025-11-01", "2025-11-30")]),
])
def test_followups_shift_or_compare_the_period(planner: OfflinePlanner, first: str, followup: str,
                                               time_range: tuple[str, str] | None,
                                               periods: list[tuple[str, str]]) -> None:
    previous = _plan(planner, first)
    spec = _plan(planner, followup, previous)
    assert _range(spec) == time_range and _periods(spec) == periods
    assert spec.filters == previous.filters and spec.metrics == previous.metrics


@pytest.mark.parametrize("question", ["上月和前一个月各渠道的投资回报率对比", "上月和前1个月的订单数对比"])
def test_the_period_before_is_no_top_n(planner: OfflinePlanner, question: str) -> None:
    """"前1个月" is the month before, not "前1" (top 1): a ranking cue inside a period cue
    once cut the answer to one row."""
    spec = _plan(planner, question)
    assert spec.limit is None
    assert _periods(spec) == [("2025-10-01", "2025-10-31"), ("2025-11-01", "2025-11-30")]


@pytest.mark.parametrize("question, metric", [
    ("how much did we make on douyin in october", "revenue"),
    ("how much money did we bring in last month by channel", "revenue"),
    ("上个月抖音赚了多少钱", "revenue"),
])
def test_money_in_said_with_a_verb_is_the_models_sales(planner: OfflinePlanner, question: str, metric: str) -> None:
    """"How much did we make": the model's own word for sales decides the metric, and the
    answer says how it was read."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    assert list(result.spec.metrics) == [metric]
    assert any("make" in n or "bring in" in n or "赚了多少" in n for n in result.notes)


@pytest.mark.parametrize("question", ["上个月卖了多少件", "how much did we spend on douyin"])
def test_other_how_much_questions_keep_their_metric(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None and "revenue" not in result.spec.metrics
    assert not result.notes or not any("read '" in n or "理解为" in n for n in result.notes)


Y2024, Y2025 = ("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")
NOV, DEC = ("2025-11-01", "2025-11-30"), ("2025-12-01", "2025-12-31")


@pytest.mark.parametrize("question, periods", [
    ("销售额同比", [Y2024, Y2025]),
    ("revenue yoy", [Y2024, Y2025]),
    ("revenue compared to last year", [Y2024, Y2025]),
    ("revenue growth vs last year", [Y2024, Y2025]),  # "last year" is the base, not the period
    ("订单数环比", [NOV, DEC]),
    ("订单数比上个月", [NOV, DEC]),
    ("qoq revenue", [Q3, Q4]),
])
def test_a_comparison_without_its_period_compares_the_current_one(
    planner: OfflinePlanner, question: str, periods: list[tuple[str, str]]
) -> None:
    """Was: the comparison word was dropped and the all-time total answered ("销售额同比"), or
    "vs last year" was read as the period and compared with the year before it (2024 vs 2023)."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    assert _periods(result.spec) == periods
    assert any(("No period named" in n) or ("没有说时间" in n) for n in result.notes), result.notes


@pytest.mark.parametrize("named, bare", [
    ("revenue this year vs last year", "revenue vs last year"),
    ("今年销售额同比", "销售额同比"),
    ("本月订单数环比", "订单数环比"),
])
def test_naming_the_current_period_changes_nothing(planner: OfflinePlanner, named: str, bare: str) -> None:
    """Metamorphic: the current period is what a bare comparison means."""
    assert _periods(_plan(planner, named)) == _periods(_plan(planner, bare))


@pytest.mark.parametrize("elliptical, spelled", [
    ("revenue this quarter vs last", "revenue this quarter vs last quarter"),
    ("orders this month vs last, by channel", "orders this month vs last month, by channel"),
    ("how is revenue this year compared to last", "revenue this year vs last year"),
    ("orders in november vs the previous one", "orders in november vs october"),
    ("revenue this month compared with the prior", "revenue this month vs last month"),
])
def test_the_unit_left_out_of_a_comparison_is_the_periods_own(planner: OfflinePlanner, elliptical: str,
                                                              spelled: str) -> None:
    """Metamorphic: "this quarter vs last" is "this quarter vs last quarter" (the comparison
    was dropped: the current quarter alone)."""
    said, full = _plan(planner, elliptical), _plan(planner, spelled)
    assert len(said.periods) == 2 and _periods(said) == _periods(full)
    assert said.group_by == full.group_by


@pytest.mark.parametrize("question, language", [
    ("revenue on 双11 by channel", "en"), ("spend of 小红书 campaigns last month", "en"), ("revenue on 双11", "en"),
    ("上个月的ROAS", "zh"), ("各渠道的GMV和ROAS", "zh"), ("双11各渠道的销售额", "zh"),
])
def test_a_chinese_name_in_an_english_question_keeps_it_english(planner: OfflinePlanner, question: str,
                                                                 language: str) -> None:
    assert planner.plan(question, as_of=AS_OF).language == language


@pytest.mark.parametrize("question, count, first, last", [
    ("month over month change in orders for 2025", 12, ("2025-01-01", "2025-01-31"), ("2025-12-01", "2025-12-31")),
    ("2025年订单数月环比", 12, ("2025-01-01", "2025-01-31"), ("2025-12-01", "2025-12-31")),
    ("revenue MoM in Q3", 3, ("2025-07-01", "2025-07-31"), ("2025-09-01", "2025-09-30")),
])
def test_a_step_the_cue_names_splits_a_longer_period(planner: OfflinePlanner, question: str, count: int,
                                                     first: tuple[str, str], last: tuple[str, str]) -> None:
    """"Month over month for 2025" is each month against the one before (it was 2025 vs 2024)."""
    periods = _periods(_plan(planner, question))
    assert len(periods) == count and periods[0] == first and periods[-1] == last


def test_a_step_over_one_unit_compares_with_the_unit_before(planner: OfflinePlanner) -> None:
    assert _periods(_plan(planner, "last month revenue mom")) == [("2025-10-01", "2025-10-31"),
                                                                  ("2025-11-01", "2025-11-30")]


def test_too_many_steps_decline(planner: OfflinePlanner) -> None:
    result = planner.plan("revenue month over month for 2024 and 2025", as_of=AS_OF)
    assert result.spec is None and "24" in (result.decline_reason or "")


@pytest.mark.parametrize("question", ["did revenue go up after the 618 campaign", "双11之后销售额怎么样",
                                      "orders after march 2025"])
def test_the_days_around_a_named_one_are_asked_for(planner: OfflinePlanner, question: str) -> None:
    """"orders after march 2025" was March alone; "after the 618 campaign" the day of 618."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and result.decline_reason
