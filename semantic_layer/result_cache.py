"""Results of read-only queries, kept for a while so a repeated question answers at once.

Keyed by (the SQL that ran, the warehouse's fingerprint, the asker's role and its column
policy, the row cap): a result is only ever given back for the very statement that produced
it, on the very same data, to a role with the very same view of that data. When the data
changes the fingerprint changes and the old results are unreachable (and swept); results
also expire after a time to live (``GENBI_CACHE_TTL`` seconds, 0 switches caching off). A
warehouse without a fingerprint (a server) is never cached.

Only masked results are stored: a role allowed to see personal data always reads the
warehouse. The store is one SQLite file in the state directory, so every front end on the machine —
CLI runs, the chat UI, the Slack bot, dashboards — shares it. Values are stored as tagged
JSON (dates, decimals ... come back as the same types); a result with a value JSON cannot
hold exactly is simply not cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .fingerprint import fingerprint
from .guard import SqlPolicy, policy_digest
from .result import ResultTable
from .tagged_json import NotEncodable, decode_value, encode_value

if TYPE_CHECKING:
    from sqlglot import exp

log = logging.getLogger(__name__)

DEFAULT_TTL_S = 600.0
MAX_ENTRIES = 500
MAX_ROWS_CACHED = 50_000
TTL_ENV = "GENBI_CACHE_TTL"


def ttl_from_env(default: float = DEFAULT_TTL_S) -> float:
    """``GENBI_CACHE_TTL`` in seconds (0 = no caching); the default when unset or unreadable."""
    raw = os.environ.get(TTL_ENV, "").strip()
    try:
        return max(0.0, float(raw)) if raw else default
    except ValueError:
        log.warning("%s=%r is not a number of seconds; using %s", TTL_ENV, raw, default)
        return default


@dataclass(frozen=True)
class CacheKey:
    """What a cached result is valid for."""

    sql: str
    fingerprint: str
    role: str
    policy: str
    """``policy_digest`` of the role's column policy (roles.yaml edits change it)."""
    max_rows: int

    @property
    def digest(self) -> str:
        text = "\x1f".join((self.sql, self.fingerprint, self.role, self.policy, str(self.max_rows)))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class CachedResult:
    result: ResultTable
    stored_at: float
    """Unix time the result was computed."""

    @property
    def age_s(self) -> float:
        return max(0.0, time.time() - self.stored_at)


class ResultCache:
    """A shared, size-capped, time-limited store of query results (see the module doc)."""

    def __init__(self, path: Path, *, ttl_s: float = DEFAULT_TTL_S, max_entries: int = MAX_ENTRIES,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock

    @classmethod
    def default(cls) -> ResultCache:
        """The state directory's cache with the configured time to live."""
        from genbi import settings

        return cls(settings.state_dir() / "cache" / "results.sqlite", ttl_s=ttl_from_env())

    @property
    def enabled(self) -> bool:
        return self.ttl_s > 0

    def get(self, key: CacheKey) -> CachedResult | None:
        """The result stored under ``key`` if it is younger than the time to live."""
        if not self.enabled or not self.path.exists():
            return None
        try:
            with self._connect() as db:
                row = db.execute("SELECT stored_at, payload FROM results WHERE key = ?",
                                 (key.digest,)).fetchone()
        except sqlite3.Error as error:
            log.warning("result cache unreadable (%s); answering without it", error)
            return None
        if row is None or self._clock() - row[0] > self.ttl_s:
            return None
        try:
            return CachedResult(_decode(json.loads(row[1])), row[0])
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, key: CacheKey, result: ResultTable) -> None:
        """Store ``result`` (skipped when too big or holding values JSON can't keep exactly)."""
        if not self.enabled or len(result.rows) > MAX_ROWS_CACHED:
            return
        try:
            payload = json.dumps(_encode(result), ensure_ascii=False, allow_nan=True)
        except NotEncodable:
            return
        now = self._clock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with self._connect() as db:
                db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                           (key.digest, key.fingerprint, now, payload))
                db.execute("DELETE FROM results WHERE stored_at < ?", (now - self.ttl_s,))
                db.execute("DELETE FROM results WHERE key NOT IN "
                           "(SELECT key FROM results ORDER BY stored_at DESC LIMIT ?)", (self.max_entries,))
        except (OSError, sqlite3.Error) as error:
            log.warning("result cache not written (%s)", error)

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        created = not self.path.exists()
        db = sqlite3.connect(self.path, timeout=5.0)
        if created:
            with contextlib.suppress(OSError):
                self.path.chmod(0o600)  # business numbers: readable by this user only
        try:
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, fingerprint TEXT, "
                       "stored_at REAL, payload TEXT)")
            with db:
                yield db
        finally:
            db.close()


def _encode(result: ResultTable) -> dict[str, Any]:
    return {"columns": list(result.columns), "types": list(result.types),
            "truncated": result.truncated, "sql": result.sql, "elapsed_ms": result.elapsed_ms,
            "rows": [[encode_value(v) for v in row] for row in result.rows]}


def _decode(data: dict[str, Any]) -> ResultTable:
    rows = tuple(tuple(decode_value(v) for v in row) for row in data["rows"])
    return ResultTable(columns=tuple(data["columns"]), rows=rows, truncated=bool(data["truncated"]),
                       row_count=len(rows), elapsed_ms=float(data["elapsed_ms"]), sql=str(data["sql"]),
                       types=tuple(data["types"]))


class _Runner(Protocol):
    path: Path | None
    row_cap: int

    def run(self, sql: str, *, policy: SqlPolicy | None = None, built: exp.Expr | None = None) -> ResultTable: ...


def run_cached(runner: _Runner, sql: str, *, cache: ResultCache | None, role: str,
               policy: SqlPolicy | None, use_cache: bool = True,
               built: exp.Expr | None = None) -> tuple[ResultTable, CachedResult | None]:
    """``runner.run(sql, policy=policy, built=built)``, or the stored result of that very
    statement on the same data for the same role; the second value is the cache entry when
    one answered. ``built``: the compiler's tree of ``sql`` (``Warehouse.run``).

    A hit skips the guard: the entry was stored by a guarded run of the same SQL under the
    same policy, on data with the same fingerprint, so the verdict cannot differ. Results
    of a role allowed to see personal data are never stored: what reaches the disk is
    always masked (as the audit log is)."""
    cacheable = (cache is not None and cache.enabled and use_cache
                 and policy is not None and not policy.allow_private)
    stamp = fingerprint(runner.path) if cacheable else None
    key = None if stamp is None else CacheKey(sql, stamp, role, policy_digest(policy), runner.row_cap)
    if cache is not None and key is not None:
        hit = cache.get(key)
        if hit is not None:
            return hit.result, hit
    result = runner.run(sql, policy=policy, built=built)
    if cache is not None and key is not None:
        cache.put(key, result)
    return result, None
