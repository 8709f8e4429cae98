"""Days of the week come Monday first, in the table and the chart, not in alphabetical order."""

from __future__ import annotations

from pathlib import Path

import pytest

from genbi.assistant import AnswerRequest, Assistant
from genbi.semantic_layer.query_spec import WEEKDAY_NAMES


@pytest.mark.parametrize("question", ["orders by day of week in 2025", "按周几的订单数"])
def test_days_of_the_week_are_in_week_order(warehouse_path: Path, question: str) -> None:
    assistant = Assistant.open(warehouse_path, llm=False)
    try:
        answer = assistant.answer(AnswerRequest(question, session_id="weekday"))
    finally:
        assistant.close()
    assert answer.error is None and not answer.declined, answer.narrative
    days = [row[0] for row in answer.rows]
    assert days == [d for d in WEEKDAY_NAMES if d in days] and len(days) == 7
