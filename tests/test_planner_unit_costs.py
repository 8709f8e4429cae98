""""The cheapest clicks": a unit cost said as cheap or expensive ranks by that cost.

Written from how marketers ask before the reader existed (``planner/unit_costs.py``); the
metamorphic pairs say the same question with the metric's own name and must read alike.
"""

from __future__ import annotations

import pytest
from planner_support import AS_OF, declines, spec_of

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize(("question", "named"), [
    ("which campaign objective gets the cheapest clicks", "which campaign objective has the lowest cost per click"),
    ("most expensive channel per click last quarter", "channel with the highest cpc last quarter"),
    ("which channel's clicks are the most expensive", "which channel has the highest cost per click"),
    ("cheapest channel for a conversion last quarter", "which channel has the lowest cost per conversion last quarter"),
    ("where do we get the cheapest conversions by channel", "lowest cost per conversion by channel"),
    ("哪个渠道点击最便宜", "哪个渠道点击成本最低"),
    ("哪个渠道获客最贵", "哪个渠道获客成本最高"),
    ("上个月哪个营销渠道的转化最便宜", "上个月哪个营销渠道的转化成本最低"),
])
def test_cheap_or_expensive_beside_a_unit_ranks_by_its_cost(planner: OfflinePlanner, question: str,
                                                            named: str) -> None:
    said, plain = spec_of(planner, question), spec_of(planner, named)
    assert said.metrics == plain.metrics and said.metrics[0] in ("cpc", "cpa")
    assert said.order_by == plain.order_by and said.limit == plain.limit
    assert said.group_by == plain.group_by and said.time_range == plain.time_range
    expensive = "expensive" in question or "贵" in question
    assert said.order_by[0].field == said.metrics[0] and said.order_by[0].descending is expensive


def test_the_answer_says_how_it_was_read(planner: OfflinePlanner) -> None:
    result = planner.plan("which campaign objective gets the cheapest clicks", as_of=AS_OF)
    assert any("lowest cost per click" in note for note in result.notes), result.notes


@pytest.mark.parametrize("question", [
    "which channel has the cheapest clicks on rainy days",  # an unknown condition still declines
    "cheapest product",  # no cost per product: nothing to rank by
    "cheapest clicks and revenue by channel",  # another metric named too
    "上个月下雨天哪个渠道点击最便宜",
])
def test_without_one_unit_cost_to_rank_by_it_declines(planner: OfflinePlanner, question: str) -> None:
    declines(planner, question)


# --- "average revenue per user" is no A/B test's revenue per participant ---

@pytest.mark.parametrize("question", ["average revenue per user", "revenue per user last month", "ARPU"])
def test_revenue_per_user_outside_a_test_is_not_the_experiments(planner: OfflinePlanner, question: str) -> None:
    """The demo's A/B metric was also called "revenue per user", so ARPU answered one test's
    participants' revenue. Without a ratio of revenue to users the question declines."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None or "experiment_revenue_per_user" not in result.spec.metrics


def test_the_experiments_revenue_per_user_is_still_asked_by_its_name(planner: OfflinePlanner) -> None:
    assert spec_of(planner, "experiment revenue per user by variant").metrics == ("experiment_revenue_per_user",)
