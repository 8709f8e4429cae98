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
    # per any word for the people (user, member, 每位客户) is per buyer, as the model reads "revenue per customer"
    ("revenue per user", "revenue_per_buyer", set()),
    ("revenue per member", "revenue_per_buyer", set()),
    ("average order count per customer", "orders_per_buyer", set()),
    ("orders per gold member", "orders_per_buyer", {("loyalty_tier", "gold")}),
    ("每位客户的销售额", "revenue_per_buyer", set()),
    ("每个用户的销售额", "revenue_per_buyer", set()),
    ("每位vip客户的销售额", "revenue_per_buyer", {("is_vip", True)}),
])
def test_the_ratio_of_the_people_said(planner: OfflinePlanner, question: str, metric: str,
                                      filters: set[tuple[str, Any]]) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None, plan.decline_reason
    assert plan.spec.metrics == (metric,) and not plan.spec.group_by
    assert {(f.dimension, f.values[0]) for f in plan.spec.filters} == filters


@pytest.mark.parametrize("question", [
    "revenue per active customer", "clicks per user", "ad clicks per member", "sessions per customer",
])
def test_a_ratio_the_model_lacks_is_still_declined(planner: OfflinePlanner, question: str) -> None:
    """Never the total in the ratio's place: an unknown word, or an amount the model has no ratio of
    to its people (no clicks per buyer)."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is None and plan.decline_reason


def test_each_channel_is_still_a_split(planner: OfflinePlanner) -> None:
    plan = planner.plan("revenue for each channel last month", as_of=AS_OF)
    assert plan.spec is not None and [g.name for g in plan.spec.group_by] == ["channel"]


@pytest.mark.parametrize(("question", "split"), [
    ("average revenue per user by channel", "channel"), ("revenue per customer by channel", "channel"),
    ("revenue and customers by channel", "acquisition_channel"),
])
def test_a_breakdown_word_is_read_for_the_ratio_answered(planner: OfflinePlanner, question: str, split: str) -> None:
    """"ARPU by channel" was split by the customers' acquisition channel (the word read for the
    customer count before it became the ratio); the ratio's own rows have the order channel."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None, plan.decline_reason
    assert [g.name for g in plan.spec.group_by] == [split]


def test_revenue_per_member_is_revenue_over_buyers(warehouse_path: Any) -> None:
    import duckdb

    from genbi.semantic_layer.compiler import compile_spec

    model = load_model()
    plan = OfflinePlanner(model).plan("revenue per member last year", as_of=AS_OF)
    assert plan.spec is not None
    con = duckdb.connect(str(warehouse_path), read_only=True)
    got = con.execute(compile_spec(plan.spec, model, as_of=AS_OF).sql).fetchone()[0]
    year = AS_OF.year - 1
    want = con.execute("SELECT SUM(revenue) / COUNT(DISTINCT customer_id) FROM orders "
                       f"WHERE ordered_at >= DATE '{year}-01-01' AND ordered_at < DATE '{year + 1}-01-01'").fetchone()[0]
    con.close()
    assert abs(float(got) - float(want)) < 1e-9
