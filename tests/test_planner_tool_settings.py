"""A tool's own settings said in the question are used ("into 4 clusters", "an audience of 5,000
customers"); what a tool call cannot use is said in a note, never dropped silently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant import Assistant
from genbi.tools.question_numbers import amount_after, count_of, number_value


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def _call(assistant: Assistant, question: str) -> tuple[str | None, dict[str, Any], tuple[str, ...]]:
    plan = assistant.planner.plan(question, as_of=assistant.as_of)
    call = plan.tool_call
    return (call.name if call else None), (dict(call.arguments) if call else {}), tuple(plan.notes)


@pytest.mark.parametrize(("question", "tool", "wanted"), [
    ("segment customers into 4 clusters", "segments", {"k_min": 4, "k_max": 4}),
    ("split our customers into 5 groups", "segments", {"k_min": 5, "k_max": 5}),
    ("把客户分成5类", "segments", {"k_min": 5, "k_max": 5}),
    ("客户聚类，分成四个群", "segments", {"k_min": 4, "k_max": 4}),
    ("lookalike audience of 5,000 customers like Champions", "lookalike", {"top_n": 5000}),
    ("the 200 customers most likely to churn", "churn_risk", {"top_n": 200}),
    ("allocate a weekly budget of 20k across channels", "budget_allocation", {"budget": 20000.0}),
    ("reallocate budget: 50,000 per week", "budget_allocation", {"budget": 50000.0}),
])
def test_a_tools_setting_said_in_the_question_is_used(assistant: Assistant, question: str, tool: str,
                                                      wanted: dict[str, Any]) -> None:
    name, arguments, notes = _call(assistant, question)
    assert name == tool, (question, name)
    for key, value in wanted.items():
        assert arguments.get(key, {"k_min": 3}.get(key)) == value, (question, arguments)
    assert not any("not used" in n or "没有用上" in n for n in notes), notes


@pytest.mark.parametrize(("question", "said"), [
    ("segment customers into 1000 clusters", "1000 clusters"),   # beyond what the tool takes
    ("budget allocation of 50000", "50000"),                     # a budget without its period
    ("attribution for gold members", "gold"),                    # a filter the tool cannot apply
])
def test_what_a_tool_cannot_use_is_said(assistant: Assistant, question: str, said: str) -> None:
    name, _, notes = _call(assistant, question)
    assert name is not None
    assert any(said in note for note in notes), (question, notes)


def test_reading_counts_and_amounts() -> None:
    assert count_of("into 4 clusters", "clusters?") == 4
    assert count_of("分成五类", "clusters?", "类") == 5
    assert count_of("revenue in 2025", "clusters?") is None
    assert amount_after("a weekly budget of $1.5m", "weekly budget") == 1_500_000
    assert amount_after("每周预算2万", "weekly budget", "每周预算") == 20_000
    assert number_value("5,000") == 5000 and number_value("abc") is None


@pytest.mark.parametrize(("question", "tool"), [
    ("did the checkout coupon test win", "ab_test"), ("which variant won the homepage banner experiment", "ab_test"),
    ("where do people drop off in checkout", "funnel"), ("cart abandonment by device", "funnel"),
    ("哪一步流失最多", "funnel"), ("which channel gets credit for sales", "attribution"),
    ("who might leave us soon", "churn_risk"), ("customers likely to stop buying", "churn_risk"),
    ("哪些客户可能流失", "churn_risk"),
])
def test_tools_asked_for_in_plain_words(assistant: Assistant, question: str, tool: str) -> None:
    assert _call(assistant, question)[0] == tool


@pytest.mark.parametrize("question", ["retention by signup month", "新客留存怎么样"])
def test_the_word_naming_the_tool_is_no_filter_left_unused(assistant: Assistant, question: str) -> None:
    name, _, notes = _call(assistant, question)
    assert name == "cohort_retention" and not any("not limited" in n or "没有按" in n for n in notes), notes
