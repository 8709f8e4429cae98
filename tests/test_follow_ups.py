"""Suggested next questions: made from the model and the answer, in the answer's language,
and every one of them answered when asked next in the same conversation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from answer_support import english_words

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.assistant.state import StateStore


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    opened.store = StateStore(tmp_path_factory.mktemp("state") / "state.sqlite")
    yield opened
    opened.close()


@pytest.mark.parametrize(("question", "language"), [
    ("revenue by channel last month", "en"), ("上个月各渠道的销售额", "zh"), ("ROAS by channel last quarter", "en"),
    ("2025年每月的订单数", "zh"), ("revenue", "en"), ("RFM analysis", "en"), ("RFM 重要挽留客户", "zh"),
])
def test_every_follow_up_is_answered(assistant: Assistant, question: str, language: str) -> None:
    session = f"follow-{question}"
    answer = assistant.answer(AnswerRequest(question=question, session_id=session))
    asks = assistant.follow_ups(answer)
    assert 2 <= len(asks) <= 4, asks
    if language == "zh":
        assert not english_words(list(asks)), asks
    for index, ask in enumerate(asks):
        # each suggestion is a follow-up of the answer it was made for
        assistant.answer(AnswerRequest(question=question, session_id=f"{session}-{index}"))
        followed = assistant.answer(AnswerRequest(question=ask, session_id=f"{session}-{index}"))
        assert not followed.declined and not followed.error, (ask, followed.decline, followed.error)
        assert followed.language == language


def test_a_drill_down_names_the_leading_member(assistant: Assistant) -> None:
    answer = assistant.answer(AnswerRequest(question="revenue by sales channel in 2025", session_id="drill"))
    values = [row[1] for row in answer.rows]
    leader = answer.rows[values.index(max(values))][0]
    asks = assistant.follow_ups(answer)
    assert any(ask.lower().startswith("only") for ask in asks), asks
    shown = answer.column_info[0].show(leader, "en")
    assert any(shown in ask for ask in asks), (shown, asks)


def test_declines_get_no_follow_ups(assistant: Assistant) -> None:
    answer = assistant.answer(AnswerRequest(question="what is the meaning of life", session_id="x"))
    assert answer.declined and assistant.follow_ups(answer) == ()
