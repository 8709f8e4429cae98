"""Marketing tools reached from a question: intent words pick the tool, the answer renders it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.service import Assistant
from genbi.semantic_layer.loader import load_model

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize(
    ("question", "tool", "arguments"),
    [
        ("RFM analysis", "rfm", {}),
        ("做一个RFM分层", "rfm", {}),
        ("funnel by device in 2025", "funnel", {"by": "device", "start": "2025-01-01", "end": "2025-12-31"}),
        ("转化漏斗", "funnel", {}),
        ("Shapley attribution by campaign", "attribution", {"by": "campaign"}),
        ("checkout_coupon A/B test results", "ab_test", {"experiment": "checkout_coupon"}),
        ("客户留存分析", "cohort_retention", {}),
        ("which customers are at risk of churning", "churn_risk", {}),
        ("predicted customer lifetime value", "clv", {}),
        ("find customers similar to Champions", "lookalike", {"seed_segment": "Champions"}),
        ("找和重要价值客户相似的人群", "lookalike", {"seed_segment": "Champions"}),
        ("customer segments clustering", "segments", {}),
        ("AIPL lifecycle stages", "lifecycle", {}),
    ],
)
def test_intent_words_pick_the_tool(planner: OfflinePlanner, question: str, tool: str, arguments: dict[str, str]) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.tool_call is not None, result.decline_reason
    assert result.tool_call.name == tool
    for key, value in arguments.items():
        assert result.tool_call.arguments[key] == value


@pytest.mark.parametrize(
    "question", ["spend on retention campaigns in 2025", "How many checkout sessions were there in 2025?"]
)
def test_metric_questions_stay_metric_questions(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.tool_call is None
    assert result.spec is not None, result.decline_reason


def test_tool_answer_has_table_chart_and_narrative(warehouse_path: Path) -> None:
    assistant = Assistant.open(warehouse_path)
    try:
        answer = assistant.answer(AnswerRequest(question="RFM 分析", session_id="t"))
        assert answer.tool_call is not None and answer.tool_call.name == "rfm"
        assert answer.error is None
        assert len(answer.rows) == 8 and "segment" in " ".join(answer.columns).lower()
        assert answer.chart is not None
        assert "RFM" in answer.narrative
        funnel = assistant.answer(AnswerRequest(question="funnel by device", session_id="t"))
        assert funnel.tool_call is not None and funnel.tool_call.name == "funnel"
        assert funnel.tool_call.arguments == {"by": "device"}
        assert {row[funnel.columns.index("group")] for row in funnel.rows} >= {"ios", "android"}
    finally:
        assistant.close()


@pytest.mark.parametrize("question", ["SELECT a, b FROM orders", "select a,b from t", "a, b and c"])
def test_letters_in_a_list_are_not_an_ab_test(planner: OfflinePlanner, question: str) -> None:
    """'A/B' normalises to 'a b'; SQL or a list with 'a, b' is not an experiment readout."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.tool_call is None or result.tool_call.name != "ab_test"


@pytest.mark.parametrize("question", ["A/B test results", "a / b test for checkout_coupon", "ＡＢ测试"])
def test_ab_spelled_any_way_is_still_an_ab_test(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.tool_call is not None and result.tool_call.name == "ab_test", result.decline_reason
