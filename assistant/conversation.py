"""Per-session conversation state: what was asked last, so follow-ups can edit it.

One store serves every front end; sessions are keyed by the UI session, the Slack thread
or the eval case, and never share state. The store is bounded (least recently used sessions
are forgotten) and safe to use from several threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from genbi.assistant.answer import ToolCall
from genbi.semantic_layer.query_spec import QuerySpec


@dataclass
class Conversation:
    session_id: str
    last_spec: QuerySpec | None = None
    last_tool: ToolCall | None = None
    language: str | None = None
    history: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    def remember(self, question: str, spec: QuerySpec | None, tool: ToolCall | None = None) -> None:
        self.history.append(question)
        del self.history[:-50]
        if spec is not None:
            self.last_spec, self.last_tool = spec, None
        if tool is not None:
            self.last_tool = tool


class ConversationStore:
    def __init__(self, max_sessions: int = 2_000) -> None:
        self._sessions: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_sessions

    def get(self, session_id: str) -> Conversation:
        with self._lock:
            conversation = self._sessions.get(session_id)
            if conversation is None:
                conversation = self._sessions[session_id] = Conversation(session_id)
            self._sessions.move_to_end(session_id)
            while len(self._sessions) > self._max:
                self._sessions.popitem(last=False)
            return conversation

    def forget(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)
