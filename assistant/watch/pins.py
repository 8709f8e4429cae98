"""Pinned answers and the dashboards they sit on, stored in genbi's state directory.

A pin keeps the query spec or the tool call behind an answer (never its rows), with the
question and language it was asked in, so re-running it on another day gives that day's
numbers. Dashboards are just names; a dashboard exists while it has pins.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from genbi.assistant.answer import Answer, ToolCall
from genbi.assistant.state import StateError, connected, open_state_file
from genbi.errors import PlanError
from genbi.semantic_layer.query_spec import QuerySpec

MAX_NAME = 60
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dashboard TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    question TEXT NOT NULL,
    language TEXT NOT NULL,
    spec TEXT,
    tool TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pins_dashboard ON pins (dashboard);
"""


@dataclass(frozen=True)
class Pin:
    """One pinned answer: what to re-run, never its numbers."""

    id: int
    dashboard: str
    title: str
    """How the question was read when it was pinned ("Revenue · by channel · last month")."""
    question: str
    language: str
    spec: QuerySpec | None
    tool_call: ToolCall | None
    created_by: str | None = None
    created_at: str = ""
    problem: str | None = None
    """Why the stored spec or tool call cannot be read any more (the model changed)."""


@dataclass(frozen=True)
class PinSource:
    """What an answer would be pinned as: the question and the spec or tool call behind it."""

    question: str
    language: str
    title: str
    spec: QuerySpec | None = None
    tool_call: ToolCall | None = None

    @classmethod
    def of(cls, answer: Answer) -> PinSource:
        """The pinnable part of ``answer``; ``PlanError`` for a decline or a failed answer."""
        if answer.declined or answer.error or (answer.spec is None and answer.tool_call is None):
            raise PlanError("That answer has no numbers to pin (it was declined or failed).",
                            "Ask a question that answers with numbers, then pin it.")
        return cls(answer.question, answer.language, answer.interpretation or answer.question,
                   answer.spec, answer.tool_call)


def clean_name(name: str) -> str:
    """A dashboard name as stored: trimmed, quotes dropped; ``StateError`` when empty or long."""
    clean = " ".join(name.strip().strip("'\"“”‘’「」『』").split())
    if not clean or len(clean) > MAX_NAME:
        raise StateError(f"A dashboard needs a name of 1 to {MAX_NAME} characters.",
                         "e.g. pin this to 'Weekly'.")
    return clean


class PinStore:
    """Pins in a SQLite file in the state directory (the same file as genbi's other state)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._lock = threading.Lock()
        self.path = open_state_file(path, _SCHEMA, self._lock, "dashboards")

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return connected(self.path, self._lock)

    def add(self, dashboard: str, source: PinSource, *, user: str | None = None) -> Pin:
        """Pin ``source`` at the end of ``dashboard`` (created by its first pin)."""
        name = clean_name(dashboard)
        known = self._dashboard_named(name) or name
        spec = source.spec.model_dump_json() if source.spec is not None else None
        tool = (json.dumps({"name": source.tool_call.name, "arguments": source.tool_call.arguments},
                           ensure_ascii=False, default=str) if source.tool_call is not None else None)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            position = db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM pins WHERE dashboard = ?",
                                  (known,)).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO pins (dashboard, position, title, question, language, spec, tool,"
                " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (known, position, source.title, source.question, source.language, spec, tool, user, created),
            )
            pin_id = int(cursor.lastrowid or 0)
        return Pin(pin_id, known, source.title, source.question, source.language, source.spec,
                   source.tool_call, user, created)

    def dashboards(self) -> list[tuple[str, int]]:
        """(name, number of pins) of every dashboard, by name."""
        with self._connect() as db:
            rows = db.execute("SELECT dashboard, COUNT(*) FROM pins GROUP BY dashboard"
                              " ORDER BY lower(dashboard)").fetchall()
        return [(str(r[0]), int(r[1])) for r in rows]

    def pins(self, dashboard: str) -> list[Pin]:
        """The pins of ``dashboard`` in the order they were pinned; ``StateError`` if unknown."""
        name = self._dashboard_named(clean_name(dashboard))
        if name is None:
            known = ", ".join(n for n, _ in self.dashboards()) or "none yet"
            raise StateError(f"No dashboard called '{dashboard.strip()}'.", f"Dashboards: {known}.")
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, dashboard, title, question, language, spec, tool, created_by, created_at"
                " FROM pins WHERE dashboard = ? ORDER BY position, id", (name,)).fetchall()
        return [_pin(row) for row in rows]

    def remove(self, pin_id: int) -> bool:
        with self._connect() as db:
            return db.execute("DELETE FROM pins WHERE id = ?", (pin_id,)).rowcount > 0

    def delete_dashboard(self, dashboard: str) -> int:
        """Remove every pin of ``dashboard``; how many there were."""
        name = self._dashboard_named(clean_name(dashboard))
        if name is None:
            return 0
        with self._connect() as db:
            return int(db.execute("DELETE FROM pins WHERE dashboard = ?", (name,)).rowcount)

    def _dashboard_named(self, name: str) -> str | None:
        """The stored spelling of ``name`` (names match without regard to case)."""
        with self._connect() as db:
            row = db.execute("SELECT dashboard FROM pins WHERE lower(dashboard) = lower(?) LIMIT 1",
                             (name,)).fetchone()
        return str(row[0]) if row else None


def _pin(row: tuple[Any, ...]) -> Pin:
    spec, call, problem = None, None, None
    try:
        spec = QuerySpec.model_validate_json(row[5]) if row[5] else None
        tool = json.loads(row[6]) if row[6] else None
        call = ToolCall(str(tool["name"]), dict(tool.get("arguments") or {})) if tool else None
    except (ValidationError, ValueError, KeyError, TypeError) as error:
        problem = f"This pin was saved by another genbi version and cannot be read ({type(error).__name__})."
    return Pin(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), spec, call, row[7],
               str(row[8]), problem)
