"""Re-running a stored question (a pin, a monitor) through the assistant's guarded path.

What is stored is the plan — a query spec or a tool call — so nothing is re-read from the
question's words: a pin keeps meaning what it meant when it was pinned. It still runs as
the person who asks now (their role's row filters, masking, the SQL guard, the audit log).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Protocol

from genbi import settings
from genbi.assistant.access import answer_with_guardrails
from genbi.assistant.answer import Answer, AnswerRequest, Decline, ToolCall
from genbi.semantic_layer.query_spec import QuerySpec


class Replayable(Protocol):
    """A stored plan: a pin or a monitor."""

    @property
    def question(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def spec(self) -> QuerySpec | None: ...
    @property
    def tool_call(self) -> ToolCall | None: ...


def replay(assistant: Any, item: Replayable, *, as_of: date | None = None, user: str | None = None,
           purpose: str = "dashboard", problem: str | None = None) -> Answer:
    """``item``'s answer as of ``as_of`` (the assistant's today when None), under ``user``'s role.

    ``problem`` (a stored plan that can no longer be read) comes back as a decline saying so.
    """
    session = f"{purpose}:{uuid.uuid4().hex}"
    language = "zh" if item.language == "zh" else "en"
    request = AnswerRequest(question=item.question, session_id=session, as_of=as_of, user=user,
                            language=language)

    def brain(asked: AnswerRequest) -> Answer:
        if problem is not None or (item.spec is None and item.tool_call is None):
            reason = problem or "Nothing to re-run: the stored question has no query."
            return Answer(question=asked.question, language=language, brain=assistant.brain,
                          decline=Decline(reason), narrative=reason)
        if item.spec is not None:
            return assistant.execute(item.spec, asked, language=language)
        assert item.tool_call is not None
        call = current_call(assistant, item.question, item.tool_call, asked.as_of or assistant.as_of)
        return assistant.run_tool(call, asked, language=language)

    try:
        answer = answer_with_guardrails(assistant, request, brain)
        compare = getattr(assistant, "with_period_change", None) if purpose == "dashboard" else None
        return compare(answer, request) if compare is not None else answer  # a KPI tile's change
    finally:
        assistant.conversations.forget(session)


def current_call(assistant: Any, question: str, call: ToolCall, as_of: date) -> ToolCall:
    """``call`` as of ``as_of``. A tool call holds the dates its question resolved to when it
    was planned ("why did revenue drop last month" → start 2025-11-01), so a re-run plans
    the question again on the new date and takes that call when it differs from the stored
    one only in its dates; otherwise the stored call runs, with its ``as_of`` moved."""
    dated = {k for k, v in call.arguments.items() if _is_date(v)}
    if not dated:
        return call
    planner = getattr(assistant, "planner", None)
    fresh = planner.plan(question, as_of=as_of).tool_call if planner is not None else None
    if (fresh is not None and fresh.name == call.name
            and _undated(fresh.arguments) == _undated(call.arguments)):
        return ToolCall(fresh.name, dict(fresh.arguments))
    if "as_of" in call.arguments:
        return ToolCall(call.name, {**call.arguments, "as_of": as_of.isoformat()})
    return call


def _is_date(value: Any) -> bool:
    if isinstance(value, date):
        return True
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _undated(arguments: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in arguments.items() if not _is_date(v)}


def live_as_of(assistant: Any, today: date | None = None) -> date:
    """Today for a re-run: the real date (``today``), unless this assistant's today is fixed —
    the demo's date, a configured ``--as-of`` date, or the data's last date when it ends
    earlier — in which case that date, as for every other question."""
    today = today or date.today()
    fixed: date = assistant.as_of
    configured = settings.resolve_as_of().value
    if getattr(assistant, "data_end", None) is not None or fixed == settings.DEMO_AS_OF:
        return fixed
    if configured and configured[:1].isdigit():
        return fixed
    return today
