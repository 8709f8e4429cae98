""""The past half year", "近半年", "半年内": the six months up to now.

Before, each was declined ("I don't know what 'half' refers to", 我不理解“近半年”), and a tool asked for
a period it has no start for ("RFM analysis for the last 6 months", "近半年的RFM分析") ran on all
history, in silence or with a note. A tool with a look-back (RFM) now takes the period's length.
Controls: the calendar halves (上半年, H1, "first half of 2024") keep their reading.
"""

from __future__ import annotations

from datetime import date

import pytest
from planner_support import AS_OF

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import RelativeTime, TimeGrain


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


SIX_MONTHS = RelativeTime(kind="trailing", unit=TimeGrain.MONTH, n=6)


@pytest.mark.parametrize("question", [
    "revenue in the past half year", "revenue over the last half-year", "orders in the past half a year",
    "revenue within half a year", "近半年的销售额", "最近半年的订单数", "过去半年的销售额", "半年内的销售额",
])
def test_half_a_year_up_to_now_is_the_last_six_months(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None, plan.decline_reason
    assert plan.spec.time_range is not None and plan.spec.time_range.relative == SIX_MONTHS
    six = planner.plan("近6个月的销售额" if "半年" in question else "revenue in the past 6 months", as_of=AS_OF)
    assert six.spec is not None and six.spec.time_range == plan.spec.time_range  # metamorphic: said in months


@pytest.mark.parametrize(("question", "start"), [
    ("上半年的销售额", date(AS_OF.year, 1, 1)), ("去年上半年的销售额", date(AS_OF.year - 1, 1, 1)),
    ("revenue in the first half of 2024", date(2024, 1, 1)),
])
def test_the_calendar_halves_keep_their_reading(planner: OfflinePlanner, question: str, start: date) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None and plan.spec.time_range is not None
    assert plan.spec.time_range.start == start and plan.spec.time_range.relative is None


@pytest.mark.parametrize(("question", "days", "as_of"), [
    ("RFM analysis for the last 6 months", None, AS_OF), ("近半年的RFM分析", None, AS_OF),
    ("RFM for customers who bought in the last 90 days", 90, AS_OF),
    ("rfm for 2024", 366, date(2024, 12, 31)),
])
def test_a_tool_with_a_look_back_takes_the_period(planner: OfflinePlanner, question: str, days: int | None,
                                                  as_of: date) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == "rfm"
    arguments = plan.tool_call.arguments
    assert str(arguments["as_of"]) == as_of.isoformat()
    if days is None:  # six calendar months up to the as-of date, as the metric questions read them
        assert 181 <= arguments["lookback_days"] <= 184
    else:
        assert arguments["lookback_days"] == days
    assert not plan.notes, plan.notes
    plain = planner.plan("RFM analysis", as_of=AS_OF)
    assert plain.tool_call is not None and "lookback_days" not in plain.tool_call.arguments


def test_a_tool_with_a_start_keeps_its_own_period(planner: OfflinePlanner) -> None:
    """Attribution's lookback_days is the journey window, not the period: its period is start..end."""
    plan = planner.plan("channel attribution for the last 6 months", as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == "attribution"
    assert "lookback_days" not in plan.tool_call.arguments and plan.tool_call.arguments.get("start")
