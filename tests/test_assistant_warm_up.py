"""``Assistant.warm_up`` (``assistant.runtime.ready``): the model's example questions read,
compiled, checked and shaped once an assistant opens, so the first question somebody asks does
not meet code paths and lazy tables for the first time. It runs nothing, remembers nothing,
writes no audit record and changes no answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.audit import AuditLog
from genbi.assistant.runtime import ready
from genbi.assistant.service import Assistant

QUESTIONS = ("revenue by channel in 2025", "上个月各渠道的订单数", "weekly orders last quarter",
             "top 5 cities by revenue last year", "AOV by loyalty tier")


@pytest.fixture()
def assistant(warehouse_path: Path, genbi_home: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def _answers(assistant: Assistant) -> list[tuple[Any, ...]]:
    found = []
    for number, question in enumerate(QUESTIONS):
        answer = assistant.answer(AnswerRequest(question, session_id=f"s{number}", use_cache=False))
        found.append((answer.spec, answer.sql, answer.rows, answer.narrative, answer.interpretation,
                      answer.warnings, answer.column_info, answer.chart is None, answer.declined))
    return found


def test_warming_up_runs_remembers_and_audits_nothing(assistant: Assistant, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []
    backend = assistant.warehouse.backend
    real = backend.execute
    monkeypatch.setattr(backend, "execute", lambda sql, **kw: ran.append(sql) or real(sql, **kw))
    assistant.audit = AuditLog(tmp_path / "audit.jsonl")
    assert assistant.planner is not None and assistant.planner.suggestions("en")
    passed = list(assistant.warehouse._passed)  # opening's own statements (the value index)
    assistant.warm_up()
    assert ran == [], "no statement runs"
    assert not (tmp_path / "audit.jsonl").exists(), "no audit record"
    assert not assistant._plans and not assistant._compiled, "no reading or compiled SQL remembered"
    assert list(assistant.warehouse._passed) == passed, "no guard verdict remembered"
    assert not assistant.conversations._sessions, "no conversation"


def test_answers_after_warming_up_are_the_same(assistant: Assistant, warehouse_path: Path,
                                               genbi_home: Path) -> None:
    cold = _answers(assistant)
    warmed = Assistant.open(warehouse_path, llm=False)
    try:
        ready(warmed)
        assert _answers(warmed) == cold
        suggestion = warmed.planner.suggestions("en")[0] if warmed.planner is not None else ""
        again = warmed.answer(AnswerRequest(suggestion, session_id="asked", use_cache=False))
        plain = assistant.answer(AnswerRequest(suggestion, session_id="asked", use_cache=False))
        assert (again.sql, again.rows, again.narrative) == (plain.sql, plain.rows, plain.narrative)
    finally:
        warmed.close()


def test_a_question_that_fails_does_not_stop_the_warm_up(assistant: Assistant,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert assistant.planner is not None
    monkeypatch.setattr(type(assistant.planner), "suggestions", lambda self, language, reading=None: ("", "???"))
    assistant.warm_up()  # nothing read: nothing to warm, no error
    seen: list[str] = []

    def failing(self: Assistant, question: str, access: Any) -> None:
        seen.append(question)
        raise RuntimeError("boom")

    monkeypatch.setattr(Assistant, "_warm_up", failing)
    assistant.warm_up()
    assert seen == ["", "???", "", "???"], "every question tried, in both languages"


def test_the_model_s_example_questions_warm_up_without_errors(assistant: Assistant) -> None:
    """Each example question goes the whole way (read, compiled, checked, shaped, masked,
    serialized as an audit record would be): a warm-up that skips silently warms nothing."""
    assert assistant.planner is not None and assistant.access is not None
    access = assistant.access.for_request(AnswerRequest("", session_id="w"), llm=False)
    for language in ("en", "zh"):
        for question in assistant.planner.suggestions(language):
            shaped = assistant._warm_up(question, access)  # raises on any failure
            assert shaped is not None and shaped.narrative and shaped.sql, question  # read, not skipped
