"""A value several dimensions hold, said after a verb that names one of them.

"customers acquired through WeChat": WeChat is a marketing channel, an order channel and the
acquisition channel. Before, "acquired" was an unknown word and the question declined (and in a
tool question, "clv for customers acquired through wechat", the channel was noted as not used);
"revenue from customers acquired via douyin" could be answered with the order channel. The verb
shares its start with the dimension's name ("acquired" / "acquisition", 获取 / 获取渠道, 来源 /
来源渠道), so the value is that dimension's.
"""

from __future__ import annotations

import pytest
from planner_support import AS_OF

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize(("question", "metric"), [
    ("customers acquired through wechat", "customers"),
    ("how many customers did we acquire via wechat", "customers"),
    ("revenue from customers acquired via wechat last month", "revenue"),
    ("new customers acquired via wechat last month", "new_customers"),
    ("通过微信获取的客户数", "customers"),
    ("微信来源的客户有多少", "customers"),
])
def test_the_verb_says_which_dimension_the_value_is_of(planner: OfflinePlanner, question: str, metric: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None, plan.decline_reason
    assert plan.spec.metrics == (metric,)
    assert [(f.dimension, f.values) for f in plan.spec.filters if f.dimension != "signup_date"] == [
        ("acquisition_channel", ("wechat",))]


@pytest.mark.parametrize(("question", "where"), [
    ("clv for customers acquired through wechat", "acquisition_channel=wechat"),
    ("cohort retention for customers acquired via search", "acquisition_channel=search"),
])
def test_a_tool_is_limited_to_the_customers_acquired_so(planner: OfflinePlanner, question: str, where: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.arguments.get("where") == where
    assert not plan.notes, plan.notes


@pytest.mark.parametrize(("question", "dimension"), [
    ("orders placed via tmall", "sales_channel"),  # a verb naming no dimension of the value: as before
    ("revenue from wechat last month", "channel"),
    ("今年通过抖音渠道注册的新用户有多少", "acquisition_channel"),
])
def test_controls_keep_their_reading(planner: OfflinePlanner, question: str, dimension: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None, plan.decline_reason
    assert dimension in {f.dimension for f in plan.spec.filters}


@pytest.mark.parametrize("question", [
    "customers acquired through wechat on rainy days", "通过微信获取的客户里喜欢猫的有多少",
])
def test_an_unknown_condition_beside_it_still_declines(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is None and plan.tool_call is None and plan.decline_reason


@pytest.mark.parametrize(("question", "split"), [
    ("aov for customers acquired via search vs email", True),
    ("revenue from customers acquired via search or email last month", False),
    ("通过抖音和微信获取的用户的客单价", False),
])
def test_members_listed_with_it_are_of_the_same_dimension(planner: OfflinePlanner, question: str, split: bool) -> None:
    """"acquired via search vs email" was search's acquisition channel AND email's order channel,
    two filters answering one number nobody asked for, in silence."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None, plan.decline_reason
    assert [(f.dimension, len(f.values)) for f in plan.spec.filters] == [("acquisition_channel", 2)]
    assert ([g.name for g in plan.spec.group_by] == ["acquisition_channel"]) is split
