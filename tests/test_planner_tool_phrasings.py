"""Marketing tools asked for in a marketer's own words, not the tool's name.

Written from questions nobody tuned for ("customers we're about to lose", "people who shop like
our Loyal customers", "conversion funnel from product view to purchase"), each checked against
what it read before: a lookalike question answered with the RFM table of its seed segment, a
list of lifecycle stages answered by the churn model, "segment by recency, frequency and
monetary" by k-means, "lookalikes of our champions" (a plural) by RFM. Every question here has a
reworded twin that must make the same call, and metric questions near the same words must
stay metric questions.
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


def _call(planner: OfflinePlanner, question: str) -> tuple[str | None, dict[str, Any]]:
    plan = planner.plan(question, as_of=AS_OF)
    return (plan.tool_call.name if plan.tool_call else None), (dict(plan.tool_call.arguments) if plan.tool_call else {})


ROUTED = [
    # (question, reworded twin, tool)
    ("list the customers we're about to lose", "which customers might we lose", "churn_risk"),
    ("which customers are at risk of lapsing", "who could we soon lose", "churn_risk"),
    ("who looks like our Champions but hasn't bought much yet", "people who shop like our Champions", "lookalike"),
    ("lookalikes of our champions", "find more buyers similar to our Champions", "lookalike"),
    ("和重要价值客户类似的人群有哪些", "找出跟重要价值客户相似的客户", "lookalike"),
    ("conversion funnel from product view to purchase", "show me the conversion funnel", "funnel"),
    ("funnels by device", "the funnel by device", "funnel"),
    ("how many customers are new, active, at risk or lapsed", "breakdown of customers into active, at-risk and churned",
     "lifecycle"),
    ("新客、活跃、沉睡客户各有多少", "新客户/活跃/已流失的客户分别多少", "lifecycle"),
    ("segment customers by recency frequency and monetary", "score customers on recency, frequency and monetary value",
     "rfm"),
    ("how many customers come back in the months after their first order", "do customers return after their first purchase",
     "cohort_retention"),
    ("首单之后有多少人复购", "首次购买后再次购买的客户有多少", "cohort_retention"),
    ("first-click vs last-click revenue by channel", "compare last click versus first click by channel", "attribution"),
    ("how much revenue does each channel drive using a last-click model", "markov attribution by channel", "attribution"),
    ("if we move 10% of budget from display to search what happens", "what if we shift spend from display to search",
     "budget_allocation"),
]


@pytest.mark.parametrize(("question", "twin", "tool"), ROUTED, ids=[r[0] for r in ROUTED])
def test_a_tool_asked_for_in_other_words(planner: OfflinePlanner, question: str, twin: str, tool: str) -> None:
    assert _call(planner, question)[0] == tool
    assert _call(planner, twin)[0] == tool


@pytest.mark.parametrize(("question", "twin"), [
    ("lookalikes of our champions", "customers who look like our Champions"),
    ("people who shop like our Loyal customers", "lookalike audience of Loyal customers"),
    ("和重要价值客户类似的人群", "重要价值客户的相似人群"),
])
def test_the_seed_is_read_the_same_however_it_is_said(planner: OfflinePlanner, question: str, twin: str) -> None:
    name, arguments = _call(planner, question)
    assert name == "lookalike" and arguments.get("seed_segment")
    assert _call(planner, twin) == (name, arguments)


@pytest.mark.parametrize("question", [
    "find more customers like our best buyers", "find lookalike customers", "找相似人群", "找出和高价值客户相似的人",
])
def test_a_lookalike_without_a_seed_asks_whose(planner: OfflinePlanner, question: str) -> None:
    """Before: the tool ran and failed with "Give exactly one seed: --seed-segment ..." (a CLI
    flag in a chat, in English for a Chinese question), or the RFM table was shown."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is None and plan.spec is None and plan.decline_reason
    assert "--" not in plan.decline_reason
    assert plan.suggestions
    for suggestion in plan.suggestions:  # every offered choice runs the tool with a seed
        name, arguments = _call(planner, suggestion)
        assert name == "lookalike" and arguments.get("seed_segment"), suggestion


@pytest.mark.parametrize("question", [
    "last click revenue by channel in 2025",  # the model's own attributed revenue
    "new vs returning customers revenue in 2025",
    "customers who bought more than 3 times",
    "how many new customers last month",
    "revenue by channel",
    "上个月各渠道的销售额",
])
def test_metric_questions_near_the_same_words_stay_metric_questions(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is None and plan.spec is not None, plan.decline_reason


def test_new_and_active_alone_are_not_the_lifecycle_tool(planner: OfflinePlanner) -> None:
    """Two stages that are both the model's own metrics are a metric question; a stage on the
    way out (at risk, lapsed, churned) listed with them asks for the stages."""
    assert _call(planner, "new and active customers last month")[0] != "lifecycle"
    assert _call(planner, "new, active and lapsed customers")[0] == "lifecycle"


@pytest.mark.parametrize(("question", "tool", "wanted"), [
    ("time decay attribution with a 7 day half life", "attribution", {"half_life_days": 7.0}),
    ("时间衰减归因，半衰期3天", "attribution", {"half_life_days": 3.0}),
    ("attribution with a lookback window of 14 days", "attribution", {"lookback_days": 14}),
    ("attribution with a 2-week lookback", "attribution", {"lookback_days": 14}),
    ("predicted CLV over the next 6 months", "clv", {"horizon_days": 182}),
    ("未来3个月的客户价值预测", "clv", {"horizon_days": 91}),
    ("A/B test power for a 2% lift", "ab_test", {"target_lift": 0.02}),
    ("sample size for a 10% uplift at 90% power", "ab_test", {"target_lift": 0.1, "power": 0.9}),
    ("write 3 wechat posts for champions", "generate_copy", {"variants": 3, "segment": "Champions"}),
])
def test_a_tools_own_setting_said_in_words_is_used_and_not_called_unused(
        planner: OfflinePlanner, question: str, tool: str, wanted: dict[str, Any]) -> None:
    """Before: "'6 months' was not used" (the CLV horizon is a setting), "'3 wechat' was not
    used" (3 variants, the default, dropped as a default), the half-life and window ignored."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == tool
    assert wanted.items() <= dict(plan.tool_call.arguments).items()
    assert not [n for n in plan.notes if "not used" in n or "没有用上" in n], plan.notes


@pytest.mark.parametrize(("question", "said"), [
    ("funnel for mobile users only", "for mobile users only"),
    ("RFM excluding wholesale", "excluding wholesale"),
    ("只看安卓用户的转化漏斗", "安卓"),  # a value the model knows: said of the value
    ("仅限高净值人群的转化漏斗", "仅限高净值人群"),
])
def test_a_restriction_no_setting_took_is_said_not_dropped(planner: OfflinePlanner, question: str, said: str) -> None:
    """Before: the funnel for everyone, with nothing saying "mobile" was not applied."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None
    assert any(said in note for note in plan.notes), plan.notes


def test_a_restriction_a_setting_took_is_not_noted(planner: OfflinePlanner) -> None:
    plan = planner.plan("write an sms for champions only", as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.arguments.get("segment") == "Champions"
    assert not plan.notes


@pytest.mark.parametrize(("question", "twin", "tool"), [
    ("why is tmall revenue down this quarter", "how come tmall revenue is lower this quarter", "explain_change"),
    ("flag abnormal drops in daily orders", "find any dips in daily orders", "anomalies"),
])
def test_why_and_unusual_said_plainly(planner: OfflinePlanner, question: str, twin: str, tool: str) -> None:
    """Before: tmall's revenue this quarter as one number (the "why ... down" dropped); a decline."""
    assert _call(planner, question)[0] == tool
    assert _call(planner, twin) == _call(planner, question)


@pytest.mark.parametrize(("question", "start", "end", "compare"), [
    ("explain the change in AOV from Q2 to Q3", "2025-07-01", "2025-09-30", "previous"),
    ("explain the change in revenue from 2024 to 2025", "2025-01-01", "2025-12-31", "previous"),
    ("what drove the change in orders from November 2024 to November 2025", "2025-11-01", "2025-11-30", "year"),
])
def test_a_change_from_one_period_to_another_explains_the_later(planner: OfflinePlanner, question: str, start: str,
                                                              end: str, compare: str) -> None:
    """Before: "from Q2 to Q3" was one span, April to September, explained against the six
    months before it."""
    name, arguments = _call(planner, question)
    assert name == "explain_change"
    assert (arguments["start"], arguments["end"], arguments.get("compare", "previous")) == (start, end, compare)


def test_two_periods_the_tool_cannot_compare_are_declined(planner: OfflinePlanner) -> None:
    plan = planner.plan("explain the change in revenue from Q1 to Q3", as_of=AS_OF)
    assert plan.tool_call is None and plan.decline_reason and "q1 to q3" in plan.decline_reason.lower()


ZH_ROUTED = [
    # (question, reworded twin, tool): 11 of these 19 were declined before ("我不理解问题中的…")
    ("哪些会员最近可能不来了", "哪些客户快要不回来了", "churn_risk"),
    ("帮我找一批像铂金会员那样的客户", "找和铂金会员相似的客户", "lookalike"),
    ("各渠道对成交的贡献是多少", "各渠道对转化的贡献", "attribution"),
    ("结账优惠券实验哪个版本效果好", "结账优惠券实验哪个组表现更好", "ab_test"),
    ("预测一下客户未来一年能贡献多少钱", "估计一下客户明年能消费多少钱", "clv"),
    ("看一下每个月新客的后续复购留存", "新客之后的复购留存怎么样", "cohort_retention"),
    ("从浏览到下单每一步的转化率", "各步骤的转化率", "funnel"),
    ("下个月预算怎么在各渠道之间分配", "预算在各渠道怎么重新分配", "budget_allocation"),
    ("如果把展示广告的预算挪20%到搜索会怎样", "把展示广告的预算转移一部分到搜索", "budget_allocation"),
    ("双11之后销售额为啥掉了", "双11之后销售额为什么下降了", "explain_change"),
    ("最近有哪几天的销量不正常", "最近销量有没有异常的日子", "anomalies"),
    ("按最近一次消费、消费频率、消费金额给客户分层", "RFM分层", "rfm"),
]


@pytest.mark.parametrize(("question", "twin", "tool"), ZH_ROUTED, ids=[r[0] for r in ZH_ROUTED])
def test_a_tool_asked_for_in_chinese_words(planner: OfflinePlanner, question: str, twin: str, tool: str) -> None:
    assert _call(planner, question)[0] == tool
    assert _call(planner, twin)[0] == tool


def test_a_lookalike_of_a_member_tier_said_in_chinese_seeds_on_that_tier(planner: OfflinePlanner) -> None:
    name, arguments = _call(planner, "帮我找一批像铂金会员那样的客户")
    assert name == "lookalike" and arguments.get("seed_value") == "platinum"
