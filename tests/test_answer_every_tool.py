"""Every marketing tool asked in the chat, in English and Chinese, answers without error.

Each question goes through the real answer path — planner, tool, guardrails (masking of
rows, narrative and the tool's own chart) — and the chart is then rendered the way the
front ends do (plotly JSON for the UI, a PNG for Slack), so a chart a tool builds can never
again crash an answer after the tool itself ran fine.
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly.io as pio
import pytest
from answer_support import NUMBER_TEXT, english_words, shown_text

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.tools.base import registered_tools

QUESTIONS: dict[str, tuple[str, str]] = {
    "rfm": ("RFM analysis", "做一个RFM分层"),
    "segments": ("customer segments clustering", "客户聚类"),
    "lifecycle": ("AIPL lifecycle stages", "AIPL模型人群流转"),
    "cohort_retention": ("cohort retention", "同期群留存"),
    "funnel": ("funnel by device", "转化漏斗"),
    "attribution": ("Shapley attribution by channel", "多触点归因"),
    "ab_test": ("checkout_coupon A/B test", "优惠券AB测试结果"),
    "lookalike": ("find customers similar to Champions", "找和重要价值客户相似的人群"),
    "churn_risk": ("which customers are at risk of churning", "流失预警"),
    "clv": ("predicted customer lifetime value", "客户终身价值预测"),
    "generate_copy": ("write an SMS to win back the At risk segment", "给铂金会员写一条微信推送，推新品面霜"),
    "explain_change": ("why did revenue drop in November?", "为什么上个月ROAS下降了"),
    "anomalies": ("any unusual days in December?", "12月销售额有没有异常的日子"),
    "budget_allocation": ("how should we reallocate the budget across channels", "各渠道预算分配优化"),
    "identity_resolution": ("identity resolution (One ID)", "ID打通"),
}
OWN_WAREHOUSE = {"identity_resolution"}
"""Tools the demo warehouse has no input for; each is asked in chat in its own test file
(identity records: tests/test_tools_budget_identity.py)."""
CASES = [(tool, language, QUESTIONS[tool][index]) for tool in QUESTIONS if tool not in OWN_WAREHOUSE
         for index, language in enumerate(("en", "zh"))]


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Assistant:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def test_every_registered_tool_has_questions() -> None:
    assert set(QUESTIONS) == set(registered_tools())


@pytest.mark.parametrize(("tool", "language", "question"), CASES, ids=[f"{t}-{lang}" for t, lang, _ in CASES])
def test_tool_answers_in_chat(assistant: Assistant, tool: str, language: str, question: str) -> None:
    answer = assistant.answer(AnswerRequest(question=question, session_id=f"{tool}-{language}"))
    assert answer.decline is None, answer.decline
    assert answer.error is None, answer.error
    assert answer.tool_call is not None and answer.tool_call.name == tool
    assert answer.language == language
    assert answer.narrative
    if answer.chart is not None:
        json.loads(pio.to_json(answer.chart))  # what the UI sends to the browser
    shown = shown_text(answer)
    for text in shown:  # the formatting layer's digits: at most two decimals
        assert all(len(m) <= 2 for m in NUMBER_TEXT.findall(text)), text
    if language == "zh":
        assert not english_words(shown), english_words(shown)
