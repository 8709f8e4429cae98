"""The writer seam: who drafts the copy. Templates offline; an LLM when the assistant has one.

``CopyWriter`` is the protocol the tool calls; ``TemplateWriter`` (``templates.py``) ships
beside it and needs nothing but the templates in ``prompts/copy``. The assistant layer
implements an LLM writer (``genbi.assistant.copywriter``) with structured output and hands
it to the tool through ``copy_services`` — tools never import the assistant.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Draft:
    """One variant as written: field name -> text (``text`` for SMS, ``title``/``body`` ...)."""

    fields: dict[str, str]
    tone: str | None = None
    """The tone it was written in, when the writer varied it."""


@dataclass(frozen=True)
class CopyRequest:
    """Everything a writer needs for one batch of variants."""

    channel: str
    goal: str
    language: str
    tone: str
    variants: int
    audience: str
    """Who the copy is for, in words ("At risk (重要挽留客户), 1,234 customers")."""
    facts: dict[str, str]
    """Worded facts about the audience the copy must use at least one of."""
    fields: tuple[str, ...]
    """The fields each variant has, in order."""
    rules: tuple[str, ...]
    """The channel's rules, worded (limits, signature, opt-out)."""
    brand: str
    product: str | None = None
    offer: str | None = None
    link: str | None = None
    short: bool = False
    feedback: tuple[str, ...] = ()
    """Rule violations of the previous attempt, one line each (set on the retry)."""
    previous: tuple[Draft, ...] = ()
    """The drafts those violations are about."""
    seed: int = 0
    """Which variants to start from (revisions ask for different ones)."""


@runtime_checkable
class CopyWriter(Protocol):
    """Drafts variants for a request; raises ``ToolError`` when it cannot."""

    name: str
    retries_on_violation: bool
    """True when a second call with the violations fed back can fix them (an LLM)."""

    def write(self, request: CopyRequest) -> list[Draft]: ...


class AudienceLike(Protocol):
    @property
    def customer_ids(self) -> tuple[int, ...]: ...


class AudienceBook(Protocol):
    """Saved audiences by name (``genbi.assistant.state.StateStore`` is one)."""

    def audience(self, name: str) -> AudienceLike: ...


@dataclass(frozen=True)
class CopyServices:
    """What the caller lends the tool for one run: an LLM writer, a saved-audience book."""

    writer: CopyWriter | None = None
    audiences: AudienceBook | None = None


_SERVICES: ContextVar[CopyServices | None] = ContextVar("genbi_copy_services", default=None)


@contextmanager
def copy_services(*, writer: CopyWriter | None = None, audiences: AudienceBook | None = None) -> Iterator[None]:
    """Lend ``generate_copy`` a writer and/or an audience book for the calls inside the block::

        with copy_services(writer=LangChainCopyWriter(chat_model)):
            assistant.run_tool(ToolCall("generate_copy", {...}), request, language="zh")
    """
    token = _SERVICES.set(CopyServices(writer=writer, audiences=audiences))
    try:
        yield
    finally:
        _SERVICES.reset(token)


def current_services() -> CopyServices:
    return _SERVICES.get() or CopyServices()
