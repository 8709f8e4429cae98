"""Close readings: a word with two meanings is resolved by the question or asked about, and a
short reply to the clarifying question picks one reading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.planner.clarify import pick_choice
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def test_an_open_reading_asks_with_one_question_per_meaning(planner: OfflinePlanner) -> None:
    result = planner.plan("上个月花了多少钱", as_of=AS_OF)
    assert result.spec is None and result.decline_reason and "销售额" in result.decline_reason
    assert len(result.suggestions) == 2 and len(result.choice_labels) == 2
    for choice in result.suggestions:  # each choice is a question the planner answers
        spec = planner.plan(choice, as_of=AS_OF).spec
        assert spec is not None and spec.metrics[0] in ("revenue", "spend")


@pytest.mark.parametrize("question", ["上个月客户花了多少钱", "上个月女性花了多少钱", "90后去年花了多少钱"])
def test_a_customer_as_the_subject_means_what_customers_spent(planner: OfflinePlanner, question: str) -> None:
    spec = planner.plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("revenue",)


@pytest.mark.parametrize("reply, picked", [
    ("1", "a"), ("2", "b"), ("第二个", "b"), ("the first", "a"), ("投放花费", "b"), ("销售额", "a"), ("随便", None),
])
def test_a_short_reply_picks_a_choice(reply: str, picked: str | None) -> None:
    assert pick_choice(reply, ("a", "b"), ("销售额", "投放花费")) == picked


def test_the_assistant_answers_the_picked_reading(warehouse_path: Path) -> None:
    from genbi.assistant.service import Assistant

    assistant = Assistant.open(warehouse_path, llm=False)
    try:
        asked = assistant.answer(AnswerRequest(question="上个月花了多少钱", session_id="s"))
        assert asked.decline is not None and len(asked.decline.suggestions) == 2
        answer = assistant.answer(AnswerRequest(question="投放花费", session_id="s"))
        assert answer.spec is not None and answer.spec.metrics == ("spend",)
        assert answer.spec.time_range is not None and answer.spec.time_range.relative is not None
    finally:
        assistant.close()
