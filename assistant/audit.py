"""The audit log: one JSON line per question, whoever asked and however it ended.

Every ``Assistant.answer`` (UI, Slack, CLI, eval) and every ``genbi sql`` appends a record to
``<state dir>/logs/audit.jsonl`` (``$GENBI_AUDIT_LOG`` overrides), with personal data masked::

    {"ts": "2026-01-05T09:14:03.512Z", "user": "slack:T0TEAM:U0ANA", "session": "slack:…",
     "role": "marketer", "question": "revenue by channel in 2025", "question_chars": 26,
     "language": "en", "brain": "offline planner", "outcome": "answered", "reason": null,
     "plan": {"spec": {…}} | {"tool": "rfm", "arguments": {…}} | null, "sql": "SELECT …",
     "rows": 8, "truncated": false, "duration_ms": 41.7, "llm": {"calls": 1, …} | null}

``outcome`` is ``answered``, ``declined``, ``refused`` (the guard or a role said no),
``error`` (understood, but the warehouse failed) or ``internal_error`` (our bug). Questions
longer than ``MAX_QUESTION_CHARS`` are cut (their length and a hash are kept). ``genbi audit
tail`` shows the latest records. Writing never breaks an answer: a failure is logged.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import threading
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from genbi import settings
from genbi.assistant.answer import Answer, AnswerRequest
from genbi.semantic_layer.masking import mask_text, strings_in, texts_unchanged
from genbi.text_safety import clean_text, strip_terminal

log = logging.getLogger(__name__)

AUDIT_ENV = "GENBI_AUDIT_LOG"
MAX_BYTES = 50 * 1024 * 1024
"""A log this large moves to ``audit.jsonl.1`` (older ones shift up) before the next write."""
BACKUPS = 5
"""Rotated files kept; the oldest is deleted: bounded disk, about ``BACKUPS + 1`` × 50 MB."""
MAX_QUESTION_CHARS = 2_000
MAX_SQL_CHARS = 20_000
_LOCK = threading.Lock()
_APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
"""How a record is added: appended by the kernel (several processes may share the log), the
file created with the mode ``open(path, "a")`` gives it."""


def audit_path() -> Path:
    """``$GENBI_AUDIT_LOG``, else ``<state dir>/logs/audit.jsonl``; resolved once per value of
    the variables it depends on (each answer writes a record)."""
    key = tuple(map(os.environ.get, _PATH_ENV))
    known = _PATHS.get(key)
    if known is None:
        env = key[0]
        known = Path(env).expanduser() if env else settings.state_dir() / "logs" / "audit.jsonl"
        if len(_PATHS) >= 32:
            _PATHS.clear()
        _PATHS[key] = known
    return known


_PATH_ENV = (AUDIT_ENV, "GENBI_HOME", "XDG_STATE_HOME", "HOME", "LOCALAPPDATA", "APPDATA")
"""What ``audit_path`` depends on: the variable itself, genbi's home, the platform's state folder."""
_PATHS: dict[tuple[str | None, ...], Path] = {}


class AuditLog:
    """An append-only JSON-lines file; ``path`` None resolves the configured one at each write."""

    def __init__(self, path: str | Path | None = None, *, max_bytes: int = MAX_BYTES,
                 backups: int = BACKUPS) -> None:
        self._path = Path(path) if path is not None else None
        self.max_bytes = max_bytes
        self.backups = backups
        self._kept: tuple[Path, int, int, int] | None = None
        """The append handle kept open between records: (path, descriptor, device, inode)."""

    @property
    def path(self) -> Path:
        return self._path if self._path is not None else audit_path()

    def append(self, record: dict[str, Any]) -> None:
        """Write one record, its values masked once more (ids and keys as they are); log,
        never raise, whatever goes wrong: an audit failure must not lose an answer."""
        path = self.path
        try:
            data = serialized(record)
            with _LOCK:
                handle = self._handle(path)
                while data:  # one write, as a rule: the record is in the file before the answer is shown
                    data = data[os.write(handle, data):]
        except Exception as error:
            log.warning("could not write the audit log %s: %s", path, error)

    def _handle(self, path: Path) -> int:
        """An append handle on the file now at ``path``, rotated first when full. Kept open
        between records (an open and a close less per answer; nothing is buffered: each record
        is one ``write`` to the kernel, as before), and opened again when ``path`` no longer
        names the file it holds: rotated here or by another process, deleted, or another path."""
        try:
            found: os.stat_result | None = os.stat(path)
        except OSError:  # not there yet, or deleted
            found = None
        if found is not None and stat.S_ISREG(found.st_mode) and found.st_size >= self.max_bytes:
            self._rotate(path)
            found = None
        kept = self._kept
        if kept is not None and found is not None and kept[0] == path \
                and (kept[2], kept[3]) == (found.st_dev, found.st_ino):
            return kept[1]
        self.close()
        try:
            handle = os.open(path, _APPEND, 0o666)
        except FileNotFoundError:  # the first record: make the folder, private (questions are)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = os.open(path, _APPEND, 0o666)
        opened = os.fstat(handle)
        self._kept = (path, handle, opened.st_dev, opened.st_ino)
        return handle

    def close(self) -> None:
        """Close the kept append handle (the next record opens it again)."""
        kept, self._kept = self._kept, None
        if kept is not None:
            with contextlib.suppress(OSError):
                os.close(kept[1])

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit the os module may be gone
            if getattr(self, "_kept", None) is not None:
                self.close()

    def _rotate(self, path: Path) -> None:
        """``audit.jsonl`` -> ``.1`` -> ``.2`` ... (the caller found it at ``max_bytes``)."""
        self.close()
        for index in range(self.backups, 0, -1):
            older = path.with_name(f"{path.name}.{index}")
            if index == self.backups:
                older.unlink(missing_ok=True)
            elif older.exists():
                older.rename(path.with_name(f"{path.name}.{index + 1}"))
        if self.backups > 0:
            path.rename(path.with_name(f"{path.name}.1"))
        else:
            path.unlink()

    def tail(self, count: int = 20) -> list[dict[str, Any]]:
        """The last ``count`` records, oldest first (unreadable lines are skipped)."""
        path = self.path
        if not path.is_file() or count <= 0:
            return []
        with path.open(encoding="utf-8", errors="replace") as handle:
            lines = deque(handle, maxlen=count)
        records = []
        for line in lines:
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
        return records


def serialized(record: dict[str, Any]) -> bytes:
    """One record as the log's line: its values masked once more (ids and keys as they are),
    JSON, terminated."""
    texts = strings_in([v for k, v in record.items() if k not in _ID_FIELDS])
    masked = record if texts is not None and texts_unchanged(texts) else \
        {k: v if k in _ID_FIELDS else _masked(v) for k, v in record.items()}
    line = json.dumps(masked, ensure_ascii=False, default=str, separators=(",", ":")) + "\n"
    try:  # strict UTF-8 fails exactly on a lone surrogate, the one thing ``clean_text`` replaces
        return line.encode("utf-8")
    except UnicodeEncodeError:
        return clean_text(line)[0].encode("utf-8")


_ID_FIELDS = frozenset({"ts", "user", "session", "role", "brain", "outcome", "language", "rows",
                        "truncated", "duration_ms", "question_chars", "question_sha256", "llm"})
"""Record fields that hold ids and numbers, never free text: masking them would alter an id
whose digits look like a phone number (a Slack thread ts, a session hash)."""


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value


def question_fields(question: str) -> dict[str, Any]:
    """The question as audited: masked, cut to ``MAX_QUESTION_CHARS``, its length and hash."""
    fields: dict[str, Any] = {"question": mask_text(question[:MAX_QUESTION_CHARS]),
                              "question_chars": len(question)}
    if len(question) > MAX_QUESTION_CHARS:
        fields["question_sha256"] = hashlib.sha256(question.encode("utf-8", "replace")).hexdigest()
    return fields


def outcome_of(answer: Answer) -> tuple[str, str | None]:
    """(outcome, reason) of an answer."""
    if answer.decline is not None:
        reason = answer.decline.reason
        return ("refused" if _refusal(reason) else "declined"), reason
    if answer.error:
        return ("refused" if _refusal(answer.error) else "error"), answer.error
    return "answered", None


def _refusal(text: str) -> bool:
    lowered = text.lower()
    return "refused" in lowered or "your role" in lowered or "personal data" in lowered


def answer_record(request: AnswerRequest, role: str, answer: Answer, duration_ms: float) -> dict[str, Any]:
    outcome, reason = outcome_of(answer)
    plan: dict[str, Any] | None = None
    if answer.spec is not None:
        plan = {"spec": answer.spec.model_dump(mode="json", exclude_defaults=True)}
    elif answer.tool_call is not None:
        plan = {"tool": answer.tool_call.name, "arguments": answer.tool_call.arguments}
    usage = answer.usage
    return {
        "ts": _now(), "user": request.user, "session": request.session_id, "role": role,
        **question_fields(request.question), "language": answer.language, "brain": answer.brain,
        "outcome": outcome, "reason": reason, "plan": plan,
        "sql": (answer.sql or "")[:MAX_SQL_CHARS] or None, "rows": len(answer.rows),
        "truncated": answer.truncated, "duration_ms": duration_ms,
        "llm": None if usage is None else {
            "model": usage.model, "calls": usage.llm_calls, "tool_calls": usage.tool_calls,
            "input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens,
            "retries": usage.retries},
    }


def audit_answer(audit: AuditLog | None, request: AnswerRequest, role: str, answer: Answer,
                 started: float) -> None:
    if audit is not None:
        audit.append(answer_record(request, role, answer, _ms(started)))


def audit_failure(audit: AuditLog | None, request: AnswerRequest, role: str, error: BaseException,
                  started: float) -> None:
    """An answer that raised (our bug): the type only, the details are in genbi's log."""
    if audit is not None:
        audit.append({"ts": _now(), "user": request.user, "session": request.session_id, "role": role,
                      **question_fields(request.question), "outcome": "internal_error",
                      "reason": type(error).__name__, "duration_ms": _ms(started)})


def audit_sql(audit: AuditLog | None, *, user: str, role: str, sql: str, outcome: str,
              reason: str | None, rows: int, truncated: bool, started: float) -> None:
    """A ``genbi sql`` statement."""
    if audit is not None:
        audit.append({"ts": _now(), "user": user, "session": "cli", "role": role, "question": None,
                      "brain": "sql", "outcome": outcome, "reason": reason, "plan": None,
                      "sql": sql[:MAX_SQL_CHARS], "rows": rows, "truncated": truncated,
                      "duration_ms": _ms(started)})


def audit_tool(audit: AuditLog | None, *, user: str, role: str, tool: str, arguments: dict[str, Any],
               outcome: str, reason: str | None, rows: int, started: float) -> None:
    """A ``genbi tool`` run."""
    if audit is not None:
        audit.append({"ts": _now(), "user": user, "session": "cli", "role": role, "question": None,
                      "brain": "tool", "outcome": outcome, "reason": reason,
                      "plan": {"tool": tool, "arguments": arguments}, "sql": None, "rows": rows,
                      "truncated": False, "duration_ms": _ms(started)})


def format_record(record: dict[str, Any]) -> str:
    """One line for ``genbi audit tail``."""
    when = str(record.get("ts", ""))[:19].replace("T", " ")
    who = record.get("user") or record.get("session") or "-"
    what = record.get("question") or record.get("sql") or ""
    what = " ".join(strip_terminal(str(what)).split())
    what = what if len(what) <= 80 else what[:79] + "…"
    rows = record.get("rows")
    tail = f" · {rows} rows" if isinstance(rows, int) and record.get("outcome") == "answered" else ""
    reason = record.get("reason")
    why = f" · {' '.join(strip_terminal(str(reason)).split())[:100]}" if reason and record.get("outcome") != "answered" else ""
    duration = record.get("duration_ms")
    took = f" · {duration:,.0f} ms" if isinstance(duration, int | float) else ""
    who = strip_terminal(str(who))
    return (f"{when}  {who} ({strip_terminal(str(record.get('role', '-')))})  {record.get('outcome', '?')}{tail}{took}"
            f"  {what!r}{why}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
