"""A yes/no tag compared with its complement ("VIP vs non-VIP revenue", "vip和非vip的销售额") is
the split by that tag: both rows. Before (session 19): the English declined ("needs a yes/no
split the question didn't map to") although the demo has one, and the Chinese answered the
non-VIPs only, in silence. Also a condition said on the people ("never ordered") makes a
question whole, not a bare metric continuing the last answer's split."""

from __future__ import annotations

import pytest
from planner_support import AS_OF, declines, spec_of

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize(("question", "metric", "splits"), [
    ("vip vs non-vip revenue", "revenue", ["is_vip"]),
    ("vips vs non-vips revenue", "revenue", ["is_vip"]),
    ("revenue: vip versus non vip customers", "revenue", ["is_vip"]),
    ("aov of vip compared with non-vip customers", "aov", ["is_vip"]),
    ("vip和非vip的销售额", "revenue", ["is_vip"]),
    ("vip客户与非vip客户的客单价对比", "aov", ["is_vip"]),
    ("vip vs non-vip revenue last month by channel", "revenue", ["channel", "is_vip"]),
])
def test_a_tag_said_both_ways_is_split_by(planner: OfflinePlanner, question: str, metric: str,
                                          splits: list[str]) -> None:
    spec = spec_of(planner, question)
    assert spec.metrics == (metric,)
    assert sorted(g.name for g in spec.group_by) == sorted(splits)
    assert not [f for f in spec.filters if f.dimension == "is_vip"]


@pytest.mark.parametrize("question", [
    "vip vs non-vip revenue on rainy days", "下雨天vip和非vip的销售额",
])
def test_an_unknown_condition_still_declines(planner: OfflinePlanner, question: str) -> None:
    assert declines(planner, question, AS_OF)


def test_one_side_alone_is_still_a_filter(planner: OfflinePlanner) -> None:
    spec = spec_of(planner, "non-vip revenue")
    assert [(f.dimension, f.values) for f in spec.filters] == [("is_vip", (False,))] and not spec.group_by


@pytest.mark.parametrize("question", ["how many customers never ordered", "从没下过单的客户数",
                                      "customers who haven't bought anything yet"])
def test_a_never_question_after_a_split_is_a_question_of_its_own(planner: OfflinePlanner, question: str) -> None:
    """Found in the UI (session 19): after "revenue by city", "how many customers never ordered"
    was taken for a bare metric continuing it and split by city; the never-clause is a condition
    said, so the question is whole."""
    previous = spec_of(planner, "revenue by city")
    spec = spec_of(planner, question, previous=previous)
    assert spec.metrics == ("customers",) and not spec.group_by and spec.member_conditions, spec


def test_a_bare_metric_after_a_split_still_continues_it(planner: OfflinePlanner) -> None:
    previous = spec_of(planner, "revenue by city")
    assert [g.name for g in spec_of(planner, "客户数", previous=previous).group_by] == ["city"]
