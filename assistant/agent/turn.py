"""One answer's working state, shared by the tools and the middleware of that answer.

A turn is created per question and thrown away after it: the agent graph, its tools and its
middleware are built around it (cheap), so concurrent sessions never share anything but
the assistant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from langchain_core.tools import ToolException

from genbi.assistant.answer import Answer, AnswerRequest, Usage

MAX_CORRECTIONS = 2
"""Rounds a failed tool call goes back to the model before the offline planner answers."""
MAX_LLM_CALLS = 6
"""Model requests per answer (retries not counted) before genbi stops the loop."""


class ToolFailure(ToolException):
    """A tool call the model can fix: the message (with suggestions) goes back to it."""


@dataclass
class Outcome:
    """A tool's result as the user will see it."""

    tool: str
    answer: Answer
    terminal: bool
    """Ends the turn with this answer when it was the model's only call."""


@dataclass
class Turn:
    assistant: Any
    request: AnswerRequest
    language: str
    as_of: date
    model_name: str
    chat_model: Any = None
    outcomes: list[Outcome] = field(default_factory=list)
    decline: Answer | None = None
    llm_calls: int = 0
    """Chat-completion requests sent, retries included."""
    model_turns: int = 0
    """Model responses the loop acted on."""
    retries: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    tool_calls: int = 0
    corrections: int = 0
    recovered_calls: int = 0
    gave_up: str | None = None
    """Why the loop was stopped without an answer (too many corrections or calls)."""
    last_error: str = ""
    end_with: Answer | None = None
    """Set when the turn ends on a terminal tool result, without another model call."""

    def add(self, tool: str, answer: Answer, *, terminal: bool) -> None:
        self.outcomes.append(Outcome(tool, answer, terminal))

    @property
    def last_data(self) -> Answer | None:
        """The latest result with rows (for make_chart, generate_copy, final answers)."""
        for outcome in reversed(self.outcomes):
            if outcome.answer.columns:
                return outcome.answer
        previous = self.assistant.conversations.get(self.request.session_id).extras.get("agent_last")
        return previous if isinstance(previous, Answer) else None

    def count_usage(self, usage: dict[str, Any] | None) -> None:
        if usage:
            self.input_tokens += int(usage.get("input_tokens") or 0)
            self.output_tokens += int(usage.get("output_tokens") or 0)

    def usage(self, price_per_million: tuple[float, float] | None) -> Usage:
        cost = None
        if price_per_million is not None:
            cost = round((self.input_tokens * price_per_million[0]
                          + self.output_tokens * price_per_million[1]) / 1_000_000, 6)
        return Usage(model=self.model_name, llm_calls=self.llm_calls,
                     input_tokens=self.input_tokens, output_tokens=self.output_tokens,
                     cost_usd=cost, tool_calls=self.tool_calls, retries=self.retries,
                     corrections=self.corrections, recovered_calls=self.recovered_calls)
