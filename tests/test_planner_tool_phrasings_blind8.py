"""Marketing tools asked for in chat, from a blind set (``fixtures/tool_phrasings_blind8.jsonl``,
committed before genbi was run on it) and reworded twins of every failure it found.

Blind score before the fixes: 55 of 88 (a lookalike answered by k-means because "segment" was
said, "the Can't lose segment" / "重要挽留客户有多少人" answered by k-means or the churn model, a
named experiment answered by the copy tool, "cut douyin spend by 30%" / "100万预算怎么分给各个渠道"
/ "找出和金卡会员类似的潜在客户" declined, "now for Champions" after copy answered with RFM, "what
about orders" after a why-question answered as a bare metric, "pricing experiment" answered with
every experiment, "weekly cohorts" and "who bought lipstick" dropped silently ...).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from planner_support import AS_OF, demo_assistant

from genbi.assistant import AnswerRequest
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.tools.base import tool_spec

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "fixtures" / "tool_phrasings_blind8.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
ONE_TURN = [c for c in CASES if len(c["turns"]) == 1]
LEFT = {  # what the blind set still misses, and what genbi does instead (checked, never skipped)
    "en04": ("in spring", "'spring' is no period the reader places: cohort retention runs, 'in spring' said unused"),
    "en07": ("1M", "'a 1M budget' has no period and the tool splits a weekly one: said unused, not guessed"),
    "zh12": ("100万", "'100万预算' has no period and the tool splits a weekly one: said unused, not guessed"),
    "no01": (None, "the demo model counts no campaigns: declined is right (the blind expectation was wrong)"),
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _with_defaults(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    spec = tool_spec(name)
    assert spec is not None
    defaults = {k: f.default for k, f in spec.args_model.model_fields.items() if f.default is not None}
    return {**defaults, **arguments}


def _fits(wanted: Any, got: Any) -> bool:
    if isinstance(wanted, str):  # "2025-03" is any day of March; "city=Beijing" within a where
        return got is not None and (str(got).lower().startswith(wanted.lower()) or wanted.lower() in str(got).lower())
    return bool(wanted == got)


@pytest.mark.parametrize("case", ONE_TURN, ids=[c["id"] for c in ONE_TURN])
def test_the_blind_question_makes_the_call_it_asks_for(planner: OfflinePlanner, case: dict[str, Any]) -> None:
    plan = planner.plan(case["turns"][0], as_of=AS_OF)
    expect = case["expect"]
    call = plan.tool_call
    if case["id"] in LEFT:
        noted, why = LEFT[case["id"]]
        if noted is None:
            assert call is None and plan.spec is None and plan.decline_reason, why
        else:  # the right tool, and the words it could not use are said in the answer
            assert call is not None and call.name == expect["tool"], (why, call, plan.decline_reason)
            assert any(noted.lower() in n.lower() for n in plan.notes), (why, plan.notes)
        return
    if "tool" in expect:
        assert call is not None and call.name == expect["tool"], (call, plan.decline_reason)
        arguments = _with_defaults(call.name, dict(call.arguments))
        assert all(_fits(v, arguments.get(k)) for k, v in expect.get("args", {}).items()), arguments
        assert all(arguments.get(k) not in (None, "") for k in expect.get("has", [])), arguments
    elif expect.get("metric"):
        assert call is None and plan.spec is not None, plan.decline_reason
    elif expect.get("decline"):
        assert call is None and plan.spec is None and plan.decline_reason
    else:  # what the tool can't take is said, or the question declined
        assert call is None or any(expect["noted"].lower() in n.lower() for n in plan.notes), plan.notes


TWINS = [
    # (question, tool, arguments): rewordings of the blind failures, each fixed by a general reading
    ("customers who resemble our Champions", "lookalike", {"seed_segment": "Champions"}),
    ("shoppers that resemble our gold members", "lookalike", {"seed_value": "gold"}),
    ("和铂金会员类似的新客户", "lookalike", {"seed_value": "platinum"}),
    ("how big is the Lost segment", "rfm", {"segment": "Lost"}),
    ("重要发展客户有多少", "rfm", {"segment": "Potential loyalists"}),
    ("size of the At risk segment", "rfm", {"segment": "At risk"}),
    ("how did the homepage banner experiment perform", "ab_test", {"experiment": "homepage_banner"}),
    ("结账优惠券实验效果如何", "ab_test", {"experiment": "checkout_coupon"}),
    ("is the subject line test significant", "ab_test", {"experiment": "welcome_email_subject"}),
    ("did the coupon test win", "ab_test", {"experiment": "checkout_coupon"}),
    ("优惠券AB测试结果", "ab_test", {"experiment": "checkout_coupon"}),  # caught by test_answer_every_tool
    ("banner实验结果", "ab_test", {"experiment": "homepage_banner"}),
    ("what happens if we double search spend", "budget_allocation", {"change": "search=+100%"}),
    ("if we reduce display budget by 25% what happens", "budget_allocation", {"change": "display=-25%"}),
    ("把搜索预算提高20%会怎样", "budget_allocation", {"change": "search=+20%"}),
    ("what's the ideal media mix", "budget_allocation", {}),
    ("每月预算100万怎么分给各个渠道", "budget_allocation", {"budget": 230769.23}),
    ("wechat post for gold members", "generate_copy", {"channel": "wechat", "where": "loyalty_tier=gold"}),
    ("从加购到下单流失了多少", "funnel", {}),
    ("把重复的客户账号合并一下", "identity_resolution", {}),
    ("retention for customers who registered in 2024", "cohort_retention", {"basis": "signup", "start": "2024-01-01"}),
    ("按注册月份看留存", "cohort_retention", {"basis": "signup"}),
    ("CLV over the next half year", "clv", {"horizon_days": 182}),
    ("funnel: desktop vs mobile web", "funnel", {"by": "device"}),
    ("which customers are slipping away", "churn_risk", {}),
    ("where are we losing shoppers in checkout", "funnel", {}),
    ("build an audience similar to platinum members", "lookalike", {"seed_value": "platinum"}),
    ("tier1 vs tier3 funnel", "funnel", {"by": "city_tier"}),
]


@pytest.mark.parametrize(("question", "tool", "wanted"), TWINS, ids=[t[0] for t in TWINS])
def test_a_rewording_makes_the_same_call(planner: OfflinePlanner, question: str, tool: str,
                                         wanted: dict[str, Any]) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == tool, (plan.tool_call, plan.decline_reason)
    assert wanted.items() <= dict(plan.tool_call.arguments).items()
    assert not plan.notes, plan.notes


@pytest.mark.parametrize(("question", "said"), [
    ("RFM for people who purchased sunscreen", "sunscreen"),
    ("买过口红的客户的流失风险", "口红"),
    ("按周的留存", "按周"),
    ("rfm in summer", "in summer"),
    ("how should I split a 1M budget across channels", "weekly budget"),
])
def test_what_the_tool_cannot_take_is_said(planner: OfflinePlanner, question: str, said: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and any(said in note for note in plan.notes), plan.notes


@pytest.mark.parametrize("question", ["results of the onboarding test", "did the new pricing test win"])
def test_an_experiment_the_warehouse_lacks_is_declined(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is None and plan.decline_reason and "experiment" in plan.decline_reason


@pytest.mark.parametrize("question", [
    "new buyers in Q3 2025", "上个月从访问到购买的转化率是多少", "how many users were in the banner test",
    "how much did we cut spend on douyin last month", "lost customers last month",
])
def test_metric_questions_near_the_new_words_are_not_tools(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question, as_of=AS_OF).tool_call is None


_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


@pytest.mark.parametrize(("first", "then", "tool", "wanted", "gone"), [
    ("write an SMS for At risk customers", "what about Champions?", "generate_copy",
     {"channel": "sms", "segment": "Champions"}, ()),
    ("给重要价值客户写条短信", "那重要挽留客户呢", "generate_copy", {"segment": "At risk"}, ()),
    ("why did orders drop last month", "and revenue?", "explain_change",
     {"metric": "revenue", "start": "2025-11-01"}, ()),
    ("find people similar to our gold members", "now for Champions instead", "lookalike",
     {"seed_segment": "Champions"}, ("seed_dimension", "seed_value")),
    ("signup cohort retention", "by first purchase month instead", "cohort_retention", {"basis": "first_purchase"}, ()),
])
def test_an_edit_said_after_a_tool_changes_that_call(assistant: Any, first: str, then: str, tool: str,
                                                     wanted: dict[str, Any], gone: tuple[str, ...]) -> None:
    """Before: "now for Champions" after copy was the RFM table, "what about orders" after a
    why-question the bare metric, "do the same for Loyal" after a lookalike declined."""
    session = f"blind8-{next(_SESSIONS)}"
    assistant.answer(AnswerRequest(first, session_id=session))
    answer = assistant.answer(AnswerRequest(then, session_id=session))
    assert answer.tool_call is not None and answer.tool_call.name == tool, (answer.tool_call, answer.narrative)
    arguments = dict(answer.tool_call.arguments)
    assert wanted.items() <= arguments.items()
    assert not set(gone) & arguments.keys()


@pytest.mark.parametrize(("question", "channel"), [
    ("给即将流失的客户写一封挽回邮件", "email"), ("write an SMS for customers likely to churn", "sms"),
])
def test_copy_for_another_tools_customers_is_copy_and_says_whom_it_is_not_for(
        planner: OfflinePlanner, question: str, channel: str) -> None:
    """Before: the churn model (its action, "即将流失", matched first); the copy was not asked for."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == "generate_copy"
    assert plan.tool_call.arguments.get("channel") == channel
    assert any("churn_risk" in note for note in plan.notes), plan.notes
