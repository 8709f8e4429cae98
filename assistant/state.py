"""genbi's own state: verified examples, feedback and saved audiences, never in the warehouse.

One SQLite file under the per-user state directory (``GENBI_HOME`` overrides). SQLite
because it is in the standard library, survives crashes, and serialises writes from the
UI's many sessions without a server. The user's warehouse stays read-only.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from genbi import settings
from genbi.errors import GenbiError
from genbi.tools.audience_sql import customer_keys

_SCHEMA = """
CREATE TABLE IF NOT EXISTS examples (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    spec TEXT,
    sql TEXT,
    language TEXT,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (question, spec)
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT,
    user TEXT,
    question TEXT NOT NULL,
    rating INTEGER NOT NULL,
    interpretation TEXT,
    spec TEXT,
    sql TEXT,
    comment TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audiences (
    name TEXT PRIMARY KEY,
    description TEXT,
    source TEXT,
    customer_ids TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
"""


class StateError(GenbiError):
    """genbi's state store could not be read or written."""


@dataclass(frozen=True)
class Example:
    """A verified question → query pair (from 👍, Slack or the eval train split)."""

    id: int
    question: str
    spec: dict[str, Any] | None
    sql: str | None
    language: str | None
    source: str


@dataclass(frozen=True)
class Audience:
    name: str
    description: str
    source: str
    customer_ids: tuple[int, ...] | tuple[str, ...]
    created_at: str

    @property
    def size(self) -> int:
        return len(self.customer_ids)


class StateStore:
    def __init__(self, path: str | Path | None = None) -> None:
        self._lock = threading.Lock()
        self._names_lock = threading.Lock()
        self._reader: sqlite3.Connection | None = None
        self._names: tuple[int, list[str]] | None = None
        self.path = open_state_file(path, _SCHEMA, self._lock, "state store")

    def _connect(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return connected(self.path, self._lock)

    # --- verified examples ---

    def add_example(
        self, question: str, *, spec: dict[str, Any] | None, sql: str | None,
        language: str | None, source: str,
    ) -> bool:
        """Store a verified example; False when the same question and spec are already there."""
        with self._connect() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO examples (question, spec, sql, language, source, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (question.strip(), _dump(spec), sql, language, source, _now()),
            )
            return cursor.rowcount > 0

    def examples(self, *, source: str | None = None) -> list[Example]:
        query = "SELECT id, question, spec, sql, language, source FROM examples"
        params: tuple[Any, ...] = ()
        if source:
            query, params = query + " WHERE source = ?", (source,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id", params).fetchall()
        return [Example(r[0], r[1], json.loads(r[2]) if r[2] else None, r[3], r[4], r[5]) for r in rows]

    # --- feedback ---

    def add_feedback(
        self, *, question: str, rating: int, session: str | None = None, user: str | None = None,
        interpretation: str | None = None, spec: dict[str, Any] | None = None,
        sql: str | None = None, comment: str | None = None,
    ) -> int:
        if rating not in (-1, 1):
            raise StateError(f"Feedback rating must be 1 or -1, got {rating}.")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (session, user, question, rating, interpretation, spec, sql,"
                " comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session, user, question, rating, interpretation, _dump(spec), sql, comment, _now()),
            )
            return int(cursor.lastrowid or 0)

    def feedback(self) -> list[dict[str, Any]]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM feedback ORDER BY id").fetchall()]

    # --- audiences ---

    def save_audience(
        self, name: str, customer_ids: Iterable[int | str], *, description: str = "", source: str = "",
    ) -> Audience:
        clean = name.strip()
        if not clean or len(clean) > 80:
            raise StateError("An audience needs a name of 1 to 80 characters.")
        ids = customer_keys(customer_ids)
        if not ids:
            raise StateError(f"The audience '{clean}' would be empty.", "Pick a non-empty result.")
        created = _now()
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO audiences (name, description, source, customer_ids, size,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (clean, description, source, json.dumps(ids), len(ids), created),
            )
        return Audience(clean, description, source, ids, created)

    def audience(self, name: str) -> Audience:
        with self._connect() as db:
            row = db.execute(
                "SELECT name, description, source, customer_ids, created_at FROM audiences"
                " WHERE lower(name) = lower(?)", (name.strip(),),
            ).fetchone()
        if row is None:
            known = ", ".join(a.name for a in self.audiences()) or "none saved yet"
            raise StateError(f"No saved audience called '{name}'.", f"Saved audiences: {known}.")
        return Audience(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4])

    def audience_names(self) -> list[str]:
        """The saved audiences' names: every question is checked against them, so they are
        read again only when the file changed (SQLite's ``data_version`` on one kept reading
        connection, which changes whenever any other connection or process commits), not
        with a connection and a transaction per question."""
        with self._names_lock:
            try:
                if self._reader is None:
                    self._reader = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
                version = self._reader.execute("PRAGMA data_version").fetchone()[0]
                if self._names is None or self._names[0] != version:
                    rows = self._reader.execute("SELECT name FROM audiences ORDER BY name").fetchall()
                    self._names = (version, [str(row[0]) for row in rows])
            except sqlite3.Error as error:
                self._reader, self._names = None, None
                raise StateError(f"genbi's state store at {self.path} cannot be read ({error}).") from None
            return list(self._names[1])

    def audiences(self) -> list[Audience]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT name, description, source, customer_ids, created_at FROM audiences ORDER BY name"
            ).fetchall()
        return [Audience(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4]) for r in rows]

    def rename_audience(self, name: str, new_name: str) -> Audience:
        """``name`` under ``new_name`` (same customers); refuses to overwrite another audience."""
        found = self.audience(name)
        clean = new_name.strip()
        if not clean or len(clean) > 80:
            raise StateError("An audience needs a name of 1 to 80 characters.")
        if clean.casefold() != found.name.casefold() and any(
                a.name.casefold() == clean.casefold() for a in self.audiences()):
            raise StateError(f"There is already an audience called '{clean}'.",
                             f"Pick another name, or delete '{clean}' first.")
        with self._connect() as db:
            db.execute("UPDATE audiences SET name = ? WHERE name = ?", (clean, found.name))
        return Audience(clean, found.description, found.source, found.customer_ids, found.created_at)

    def delete_audience(self, name: str) -> bool:
        with self._connect() as db:
            return db.execute("DELETE FROM audiences WHERE lower(name) = lower(?)", (name,)).rowcount > 0


def open_state_file(path: str | Path | None, schema: str, lock: threading.Lock, what: str) -> Path:
    """``path`` (default: ``genbi.sqlite`` in the state directory) with ``schema`` applied;
    ``StateError`` naming ``what`` when it cannot be opened."""
    chosen = Path(path) if path else settings.state_dir() / "genbi.sqlite"
    try:
        chosen.parent.mkdir(parents=True, exist_ok=True)
        with connected(chosen, lock) as db:
            db.executescript(schema)
    except (OSError, sqlite3.Error) as error:
        raise StateError(f"genbi's {what} at {chosen} cannot be opened ({error}).",
                         "Check the folder is writable, or set GENBI_HOME to another folder.") from None
    return chosen


@contextmanager
def connected(path: Path, lock: threading.Lock) -> Iterator[sqlite3.Connection]:
    """One transaction on genbi's SQLite state file (WAL, so readers never wait on a writer);
    ``lock`` serialises this process's threads."""
    with lock:
        db = sqlite3.connect(path, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            yield db
            db.commit()
        finally:
            db.close()


def _dump(value: dict[str, Any] | None) -> str | None:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str) if value is not None else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
