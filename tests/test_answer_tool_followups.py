"""Follow-ups to a tool's answer, through the assistant's real answer path.

Before: after "markov attribution for last quarter", "now by campaign" and "what about the
quarter before" were declined ("I couldn't find a metric to compute"); after an older metric
question they would have been read against that question instead of the tool just shown.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from planner_support import demo_assistant

from genbi.assistant import AnswerRequest

_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


def _dialog(assistant: Any, *questions: str) -> list[Any]:
    session = f"followup-{next(_SESSIONS)}"
    return [assistant.answer(AnswerRequest(q, session_id=session)) for q in questions]


def _call(answer: Any) -> tuple[str, dict[str, Any]]:
    assert answer.tool_call is not None, (answer.error, answer.spec)
    return answer.tool_call.name, dict(answer.tool_call.arguments)


def test_a_breakdown_then_the_period_before_edit_the_tool_call(assistant: Any) -> None:
    first, by_campaign, before = _dialog(
        assistant, "markov attribution for last quarter", "now by campaign", "what about the quarter before")
    name, arguments = _call(first)
    assert (name, arguments["start"], arguments["end"]) == ("attribution", "2025-07-01", "2025-09-30")
    assert _call(by_campaign) == ("attribution", {**arguments, "by": "campaign"})
    assert _call(before) == ("attribution", {**arguments, "by": "campaign", "start": "2025-04-01", "end": "2025-06-30"})
    assert not before.error and before.rows


@pytest.mark.parametrize("followup", ["now by campaign", "split it by campaign", "by campaign instead", "按活动看"])
def test_the_same_followup_said_in_other_words_makes_the_same_call(assistant: Any, followup: str) -> None:
    _, answer = _dialog(assistant, "markov attribution for last quarter", followup)
    assert _call(answer) == ("attribution", {"start": "2025-07-01", "end": "2025-09-30", "by": "campaign"})


@pytest.mark.parametrize(("question", "followup", "changed"), [
    ("rfm analysis", "for 2024", {"as_of": "2024-12-31", "lookback_days": 366}),  # 2024's orders
    ("churn risk", "top 10", {"top_n": 10}),
    ("RFM分析", "2024年的呢", {"as_of": "2024-12-31", "lookback_days": 366}),
    ("predicted CLV", "over the next 6 months", {"horizon_days": 182}),
])
def test_a_setting_said_alone_changes_only_that_setting(assistant: Any, question: str, followup: str,
                                                        changed: dict[str, Any]) -> None:
    first, then = _dialog(assistant, question, followup)
    name, arguments = _call(first)
    assert _call(then) == (name, {**arguments, **changed})


def test_a_tools_followup_is_not_read_against_an_older_metric_question(assistant: Any) -> None:
    _, _, then = _dialog(assistant, "revenue by channel last month", "markov attribution for last quarter",
                         "now by campaign")
    assert then.spec is None
    assert _call(then)[1].get("by") == "campaign"


def test_a_metric_question_after_a_tool_is_a_metric_question(assistant: Any) -> None:
    _, then = _dialog(assistant, "rfm analysis", "revenue by channel last month")
    assert then.tool_call is None and then.spec is not None and then.spec.metrics == ("revenue",)


def test_what_the_tool_cannot_take_is_said_not_run_again(assistant: Any) -> None:
    _, then = _dialog(assistant, "markov attribution for last quarter", "only tmall")
    assert then.declined and then.tool_call is None
    assert "attribution" in then.narrative and "everyone" not in then.narrative


def test_the_period_before_an_all_time_call_is_declined(assistant: Any) -> None:
    _, then = _dialog(assistant, "markov attribution", "and the quarter before?")
    assert then.declined and then.tool_call is None and "period" in then.narrative


def test_a_declined_metric_question_after_a_tool_keeps_its_own_reason(assistant: Any) -> None:
    _, then = _dialog(assistant, "rfm analysis", "how many orders over 500")
    assert then.declined and "rfm" not in then.narrative.lower()
