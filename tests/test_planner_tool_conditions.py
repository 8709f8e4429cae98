"""A tool question that limits who or when, in words no tool setting takes, says so in the answer.

Found using genbi as a user would (session 19): "churn risk for vip customers" ran the churn
model on everyone and said nothing; so did "RFM for customers over 30", "30岁以上客户的RFM分析"
and "RFM analysis on rainy days". "RFM / churn risk / CLV for customers who joined last year"
silently moved the analysis date to 2024-12-31 (a signup cohort is not an as-of date), and
"funnel for vip customers" split the funnel by VIP yes/no. A probe of 10 tools x 11 conditions in
both languages (220 questions) had 59 silent drops; now 1 ("抖音渠道获客的客户的渠道归因":
抖音 taken as the touch channel split).

Metamorphic: each tool question is asked plain and with a condition; with the condition the
call must differ, be declined, or carry a note naming what was not used — never the same call
in silence.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from planner_support import AS_OF, demo_assistant

from genbi.assistant import AnswerRequest
from genbi.assistant.planner.planner import OfflinePlanner, PlannerResult
from genbi.semantic_layer.loader import load_model

TOOLS_EN = ["RFM analysis", "churn risk", "customer lifetime value", "customer segments", "customer lifecycle",
            "retention cohorts", "funnel", "attribution", "lookalikes of champions"]
TOOLS_ZH = ["RFM分析", "流失风险", "客户终身价值", "客户生命周期", "留存分析", "转化漏斗", "渠道归因"]
CONDITIONS_EN = {  # the words a note must name
    "for vip customers": "vip customers",
    "for customers over 30": "over 30",
    "for customers aged 25 to 34": "25",
    "on rainy days": "rainy",
    "for female customers": "female",
    "among platinum members": "platinum",
}
CONDITIONS_ZH = {
    "vip客户的": "vip客户",
    "30岁以上客户的": "30岁以上",
    "下雨天的": "下雨天",
    "女性客户的": "女性",
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _plan(planner: OfflinePlanner, question: str) -> PlannerResult:
    return planner.plan(question, as_of=AS_OF)


def _not_silent(plain: PlannerResult, limited: PlannerResult, named: str) -> None:
    assert plain.tool_call is not None, plain.decline_reason
    if limited.decline_reason or limited.tool_call is None:
        return
    if limited.tool_call.name == plain.tool_call.name and limited.tool_call.arguments == plain.tool_call.arguments:
        assert any(named.lower() in note.lower() for note in limited.notes), limited.notes


@pytest.mark.parametrize(("tool", "condition"), list(itertools.product(TOOLS_EN, CONDITIONS_EN)))
def test_an_english_condition_is_used_or_said(planner: OfflinePlanner, tool: str, condition: str) -> None:
    _not_silent(_plan(planner, tool), _plan(planner, f"{tool} {condition}"), CONDITIONS_EN[condition])


@pytest.mark.parametrize(("tool", "condition"), list(itertools.product(TOOLS_ZH, CONDITIONS_ZH)))
def test_a_chinese_condition_is_used_or_said(planner: OfflinePlanner, tool: str, condition: str) -> None:
    _not_silent(_plan(planner, tool), _plan(planner, f"{condition}{tool}"), CONDITIONS_ZH[condition])


@pytest.mark.parametrize("question", [
    "churn risk for customers who joined last year", "RFM analysis for customers who signed up in 2024",
    "customer lifetime value of customers who joined last year", "去年注册的客户的流失风险", "2024年注册的客户的RFM分析",
])
def test_a_signup_cohort_is_not_the_analysis_date(planner: OfflinePlanner, question: str) -> None:
    """Before: as_of 2024-12-31 (churn risk as of the end of last year), in silence. Now the
    tool runs as of today, limited to the customers who signed up then (``where``)."""
    plan = _plan(planner, question)
    assert plan.tool_call is not None, plan.decline_reason
    assert str(plan.tool_call.arguments.get("as_of")) == AS_OF.isoformat()
    assert plan.tool_call.arguments.get("where") == "joined=2024-01-01..2024-12-31", plan.tool_call.arguments


def test_cohort_retention_still_reads_a_signup_cohort(planner: OfflinePlanner) -> None:
    plan = _plan(planner, "retention cohorts for customers who joined last year")
    assert plan.tool_call is not None and plan.tool_call.name == "cohort_retention"
    assert plan.tool_call.arguments.get("basis") == "signup"
    assert str(plan.tool_call.arguments.get("start")) == "2024-01-01"


def test_a_period_said_of_the_tool_is_still_its_date(planner: OfflinePlanner) -> None:
    plan = _plan(planner, "RFM analysis as of the end of last year")
    assert plan.tool_call is not None and str(plan.tool_call.arguments.get("as_of")) == "2024-12-31"


@pytest.mark.parametrize(("question", "split"), [
    ("funnel for vip customers", None), ("vip客户的转化漏斗", None),
    ("funnel by vip", "is_vip"), ("funnel by device", "device"),
])
def test_a_tag_said_as_who_is_not_a_split(planner: OfflinePlanner, question: str, split: str | None) -> None:
    """Before: "funnel for vip customers" was the funnel by VIP yes/no; now their sessions only."""
    plan = _plan(planner, question)
    assert plan.tool_call is not None and plan.tool_call.name == "funnel", plan.decline_reason
    assert plan.tool_call.arguments.get("by") == split
    if split is None:
        assert plan.tool_call.arguments.get("where") == "is_vip=true", plan.tool_call.arguments


@pytest.mark.parametrize("question", [
    "RFM analysis", "build an audience similar to platinum members", "how big is the Lost segment",
    "attribution with a lookback window of 14 days", "write 3 wechat posts for champions in a playful tone",
    "优惠券AB测试结果", "未来3个月的客户价值预测", "churn risk model", "run a quick segmentation",
])
def test_how_a_tool_is_asked_for_is_no_condition(planner: OfflinePlanner, question: str) -> None:
    plan = _plan(planner, question)
    assert plan.tool_call is not None, plan.decline_reason
    assert not [n for n in plan.notes if "not used" in n or "没有用上" in n or "not limited" in n or "限定" in n], \
        plan.notes


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


@pytest.mark.parametrize(("question", "said"), [
    ("attribution for vip customers", "vip customers"), ("lookalikes of champions for customers over 30", "over 30"),
    ("30岁以上客户的渠道归因", "30岁以上"),
])
def test_the_answer_says_it_is_for_everyone(assistant: Any, question: str, said: str) -> None:
    """Through the real answer path: a tool that takes no customer condition says so in the
    answer's warnings, next to the table (the per-customer tools are limited instead:
    ``test_tools_customer_where``)."""
    answer = assistant.answer(AnswerRequest(question=question))
    assert answer.tool_call is not None and not answer.error, answer.error
    assert any(said in w.lower() for w in answer.warnings), answer.warnings
