"""What an assistant remembers between questions (the planner's reading, the compiled SQL)
changes no answer: a re-asked question reads as it did, a follow-up still reads against its
own conversation, and every caller gets a reading of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant


@pytest.fixture()
def assistant(warehouse_path: Path, genbi_home: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def _ask(assistant: Assistant, question: str, session: str) -> tuple[object, str | None, tuple[tuple[object, ...], ...]]:
    answer = assistant.answer(AnswerRequest(question, session_id=session, use_cache=False))
    return answer.spec, answer.sql, answer.rows


def test_a_re_asked_question_gives_the_same_answer(assistant: Assistant) -> None:
    first = _ask(assistant, "revenue by channel in 2025", "a")
    again = _ask(assistant, "revenue by channel in 2025", "b")
    assert first == again and first[1] is not None and first[2]


def test_a_follow_up_reads_against_its_own_conversation(assistant: Assistant) -> None:
    _ask(assistant, "revenue by channel in 2025", "with-context")
    followed = _ask(assistant, "what about 2024?", "with-context")
    _ask(assistant, "orders by city tier in 2025", "other-context")
    other = _ask(assistant, "what about 2024?", "other-context")
    assert followed[0] is not None and other[0] is not None
    assert followed[0] != other[0]  # the same words after another question read differently
    assert followed == _ask(assistant, "revenue by channel in 2024", "fresh")


def test_each_caller_gets_its_own_reading(assistant: Assistant) -> None:
    request = AnswerRequest("customers similar to Champions", session_id="copies")
    first = assistant.offline_plan(request)
    assert first.tool_call is not None and first.reading is not None
    first.tool_call.arguments["poisoned"] = True
    first.reading.metrics.clear()
    second = assistant.offline_plan(request)
    assert second.tool_call is not None and "poisoned" not in second.tool_call.arguments
    assert second.reading is not None and second.reading is not first.reading
    assert second.spec == first.spec and second.tool_call.name == first.tool_call.name


def test_later_callers_get_the_reading_as_it_was_read(assistant: Assistant) -> None:
    """The first caller's changes reach no later caller, and later callers share nothing."""
    assert assistant.planner is not None
    request = AnswerRequest("revenue by channel in 2025", session_id="snapshot")
    fresh = assistant.planner.plan(request.question, as_of=assistant.as_of, previous=None)
    first = assistant.offline_plan(request)
    assert first.reading is not None and first.reading == fresh.reading and first.reading.metrics
    first.reading.metrics.clear()
    second, third = assistant.offline_plan(request), assistant.offline_plan(request)
    assert second.reading == fresh.reading and third.reading == fresh.reading
    assert second.reading is not third.reading and second.reading is not None and third.reading is not None
    second.reading.metrics.clear()
    assert third.reading.metrics and assistant.offline_plan(request).reading == fresh.reading


def test_a_copied_reading_is_the_reading_and_shares_nothing_that_changes(assistant: Assistant) -> None:
    """``copied_reading``: equal to the planner's reading for the benchmark's and eval's
    questions, with every list its own, and None for a reading holding anything not frozen."""
    import json
    import pickle

    from genbi.assistant.planner.reading import copied_reading

    assert assistant.planner is not None
    root = Path(__file__).resolve().parents[1]
    questions = [json.loads(line)["question"] for path in sorted((root / "eval" / "cases").glob("*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:300]
    copied = 0
    for question in questions:
        reading = assistant.planner.plan(question, as_of=assistant.as_of).reading
        if reading is None:
            continue
        twin = copied_reading(reading)
        if twin is None:
            continue
        copied += 1
        assert twin == reading == pickle.loads(pickle.dumps(reading))
        for name, value in vars(reading).items():
            if isinstance(value, list):
                assert getattr(twin, name) is not value
    assert copied > 250
    reading = assistant.planner.plan("revenue by channel", as_of=assistant.as_of).reading
    assert reading is not None
    reading.unknown.append(["a list is not frozen"])  # type: ignore[arg-type]
    assert copied_reading(reading) is None
