"""A ratio to people who are said in between: "revenue per female customer", "每位VIP客户的销售额".

Before (session 20, found asking as a user): "revenue per female customer" and "revenue per
shanghai customer" were the revenue total of those customers ("per" dropped, silently), and
"revenue per vip customer last year" was revenue split by VIP yes/no. The members said
between "per" and the people are now the filter of the ratio. Controls: the plain ratio, an
unknown word in between (still declined), a split said with "each".
"""

from __future__ import annotations

from typing import Any

import pytest
from planner_support import AS_OF

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize(("question", "metric", "filters"), [
    ("revenue per female customer", "revenue_per_buyer", {("gender", "female")}),
    ("revenue per shanghai customer last month", "revenue_per_buyer", {("city", "Shanghai")}),
    ("revenue per vip customer last year", "revenue_per_buyer", {("is_vip", True)}),
    ("what's the revenue per platinum customer", "revenue_per_buyer", {("loyalty_tier", "platinum")}),
    ("orders per female customer", "orders_per_buyer", {("gender", "female")}),
    ("revenue per customer", "revenue_per_buyer", set()),
    ("女性客户的人均消费", "revenue_per_buyer", {("gender", "female")}),
    ("average revenue per purchasing customer", "revenue_per_buyer", set()),  # "purchasing customers" are buyers
    ("今年每个购买用户平均贡献了多少销售额", "revenue_per_buyer", set()),
])
def test_the_ratio_of_the_people_said(planner: OfflinePlanner, question: str, metric: str,
                                      filters: set[tuple[str, Any]]) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None, plan.decline_reason
    assert plan.spec.metrics == (metric,) and not plan.spec.group_by
    assert {(f.dimension, f.values[0]) for f in plan.spec.filters} == filters


@pytest.mark.parametrize("question", [
    "revenue per active customer", "每位vip客户的销售额", "每位客户的销售额", "orders per gold member",
])
def test_a_ratio_the_model_lacks_is_still_declined(planner: OfflinePlanner, question: str) -> None:
    """Never the total in the ratio's place: "每位VIP客户的销售额" declines as "每位客户的销售额" does."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is None and plan.decline_reason


def test_each_channel_is_still_a_split(planner: OfflinePlanner) -> None:
    plan = planner.plan("revenue for each channel last month", as_of=AS_OF)
    assert plan.spec is not None and [g.name for g in plan.spec.group_by] == ["channel"]
