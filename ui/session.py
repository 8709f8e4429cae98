"""One browser session's UI state: its conversation key and the answers it has seen.

Lives in a ``gr.State``, so every page load gets its own; the assistant keys its
conversation memory (follow-ups) by ``conversation_id``, which "New conversation" renews.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from genbi.assistant.answer import Answer
from genbi.ui.render import RenderedAnswer

MAX_ANSWERS = 50
"""Answers kept per session for re-display and feedback (older ones are dropped)."""


def new_conversation_id() -> str:
    return f"ui-{uuid.uuid4().hex}"


@dataclass
class Shown:
    """An answer and how it was rendered, keyed by its chat message's position."""

    answer: Answer
    rendered: RenderedAnswer
    message_index: int


@dataclass
class Session:
    conversation_id: str = field(default_factory=new_conversation_id)
    shown: list[Shown] = field(default_factory=list)
    selected: Shown | None = None
    pending_correction: Shown | None = None

    def add(self, answer: Answer, rendered: RenderedAnswer, message_index: int) -> Shown:
        entry = Shown(answer, rendered, message_index)
        self.shown.append(entry)
        del self.shown[:-MAX_ANSWERS]
        self.selected = entry
        return entry

    def at_message(self, index: int) -> Shown | None:
        """The answer whose chat bubble is at ``index``, if it is still kept."""
        return next((s for s in self.shown if s.message_index == index), None)

    def restart(self) -> None:
        """A new conversation: fresh assistant memory, nothing selected."""
        self.conversation_id = new_conversation_id()
        self.shown.clear()
        self.selected = None
        self.pending_correction = None
