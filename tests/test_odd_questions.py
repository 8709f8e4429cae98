"""Odd input never reaches the user as "genbi hit an internal problem": empty and absurd periods,
numbers out of range, words thrown together. Each is answered or declined with a reason."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from genbi.assistant import AnswerRequest, Assistant


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def _answered_or_declined(assistant: Assistant, question: str, session: str) -> bool:
    """True when declined; fails the test on an internal error."""
    answer = assistant.answer(AnswerRequest(question, session_id=session))
    assert "internal problem" not in (answer.error or ""), (question, answer.error)
    return bool(answer.declined or answer.error)


@pytest.mark.parametrize("question", [
    "orders last 0 days", "近0天的订单", "orders last 999999 days", "revenue in the last 100000 years",
    "上0个月的销售额",
])
def test_an_empty_or_absurd_period_is_declined_not_a_crash(assistant: Assistant, question: str) -> None:
    assert _answered_or_declined(assistant, question, f"period-{question}")


@pytest.mark.parametrize("question", [
    "", " ", "?", "😀😀", "by by by", "revenue revenue revenue", "top 0 cities", "top -5 cities",
    "top 99999999999999999999 cities by revenue", "revenue in 9999", "revenue in 1900",
    "revenue from 2025-13-45 to 2025-02-30", "orders last -3 days", "revenue by", "% of %", "revenue / 0",
    "revenue\nby city", "REVENUE BY CITY", "上个月上个月上个月", "a" * 3000,
])
def test_odd_questions_are_answered_or_declined(assistant: Assistant, question: str) -> None:
    _answered_or_declined(assistant, question, "odd")


def test_words_thrown_together_never_crash(assistant: Assistant) -> None:
    """A seeded mix of the model's own words and question glue, as a hurried user types."""
    model = assistant.model
    words = [m.label.lower() for m in model.metrics] + [d.label.lower() for d in model.dimensions]
    words += [m.label_zh for m in model.metrics if m.label_zh]
    glue = ["by", "per", "vs", "for", "in", "last month", "this year", "top 5", "share of", "excluding", "who",
            "more than 3", "average", "trend", "按", "各", "上个月", "占比", "前三", "不含", "每周", "2024", "Q3", "yoy",
            "than", "and", "or", "where", "with", "without", "not", "how many", "which", "most", "least", "%",
            "per customer", "each month", "since june", "between 100 and 200", "over 500", "compared to last year",
            "双11", "618", "last 0 days", "近7天"]
    rng = random.Random(20261206)
    for index in range(120):
        pool = [rng.choice(words if rng.random() < 0.55 else glue) for _ in range(rng.randint(2, 7))]
        _answered_or_declined(assistant, " ".join(pool), f"mix-{index % 5}")
