"""The one typed answer every front end renders: the CLI, Gradio, Slack and the eval harness.

A question goes in as an ``AnswerRequest`` and comes back as an ``Answer`` whatever brain
(offline planner or LLM agent) produced it, so front ends never branch on the brain and the
eval harness scores exactly what a marketer would have seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from genbi.assistant.columns import ColumnInfo
from genbi.semantic_layer.query_spec import QuerySpec

Language = Literal["en", "zh"]


@dataclass(frozen=True)
class AnswerRequest:
    """A question from one conversation."""

    question: str
    session_id: str = "default"
    """Conversation key: a Gradio session, a Slack thread, an eval case."""
    as_of: date | None = None
    """Overrides the assistant's "today" for relative time ("last month")."""
    user: str | None = None
    """Who asked (UI session, Slack user), for the audit log."""
    language: Language | None = None
    """Force the answer language; by default the question's own."""
    use_cache: bool = True
    """False recomputes from the warehouse instead of reusing a cached result (``--no-cache``)."""
    reply_to: str | None = None
    """Where scheduled reports and alerts asked for in this conversation are posted
    ("slack:TEAM:CHANNEL"); None where genbi cannot post later (the chat UI, ``genbi ask``)."""


@dataclass(frozen=True)
class ToolCall:
    """A marketing tool invocation chosen instead of a metric query."""

    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Decline:
    """Why a question was not answered, and what the user could ask instead."""

    reason: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Usage:
    """The LLM work behind one answer (the LLM brain's answers only)."""

    model: str
    llm_calls: int = 0
    """Chat-completion requests sent, retries included."""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    """None when the model's price is unknown (see ``GENBI_LLM_PRICE``)."""
    tool_calls: int = 0
    retries: int = 0
    corrections: int = 0
    """Rounds in which a tool call failed validation and went back to the model."""
    recovered_calls: int = 0
    """Tool calls the model wrote as JSON text and genbi recovered."""


@dataclass(frozen=True)
class Answer:
    """What the assistant says back: numbers, how it read the question, and how it got them."""

    question: str
    language: Language
    brain: str
    """"offline planner" or the LLM model name."""
    interpretation: str = ""
    """How the question was read, e.g. "Revenue · by city tier · 2025"."""
    spec: QuerySpec | None = None
    tool_call: ToolCall | None = None
    sql: str | None = None
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    truncated: bool = False
    chart: Any = None
    """A plotly figure, or None when a chart would not help."""
    narrative: str = ""
    decline: Decline | None = None
    error: str | None = None
    """Set when the question was understood but answering failed (warehouse down, timeout)."""
    warnings: tuple[str, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    """Tool-specific payloads (segment tables, copy variants) the front ends render."""
    usage: Usage | None = None
    """Tokens, requests and cost when an LLM answered (or tried to, before a fallback)."""
    column_info: tuple[ColumnInfo, ...] = ()
    """How to label and format each of ``columns`` in the answer's language (headers, members,
    money, rates); front ends show ``rows`` through it, CSV / JSON keep the raw values."""
    cached_age_s: float | None = None
    """Set when the numbers came from the result cache: how old they are, in seconds."""
    route: str = ""
    """With an LLM configured: why this brain answered ("the planner read every word of the
    question", "the planner did not understand 'take'; the model read it")."""

    @property
    def declined(self) -> bool:
        return self.decline is not None
