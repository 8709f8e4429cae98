"""Per-connection resource limits for DuckDB: memory, threads, and a bounded private spill.

One marketer query (a cross join) once peaked at 15.9 GB before its timeout fired. Every
connection genbi opens on a warehouse gets ``limit_resources``: a memory limit (a quarter of
the machine's memory by default, so several askers fit), a thread count, and a spill folder
of genbi's own (``<state dir>/spill``, private, capped at ``GENBI_DUCKDB_SPILL``, default
4GB). Legitimate large aggregations on a 1M-customer warehouse spill instead of failing; a
runaway query hits the memory and spill caps or the timeout, and nothing is ever written
beside the user's warehouse. Configure with ``GENBI_DUCKDB_MEMORY`` (e.g. ``4GB``),
``GENBI_DUCKDB_SPILL`` (``0`` turns spilling off) and ``GENBI_DUCKDB_THREADS``;
``GENBI_QUERY_TIMEOUT`` (seconds) overrides every warehouse's time limit.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import duckdb

from genbi.errors import ConfigError

MEMORY_ENV = "GENBI_DUCKDB_MEMORY"
SPILL_ENV = "GENBI_DUCKDB_SPILL"
THREADS_ENV = "GENBI_DUCKDB_THREADS"
TIMEOUT_ENV = "GENBI_QUERY_TIMEOUT"
DEFAULT_SPILL = "4GB"
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)


def _default_memory() -> str:
    """A quarter of physical memory, at least 1GB (2GB where the size can't be read)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "2GB"
    return f"{max(1024, total // 4 // 2**20)}MiB"


def _size(env: str, default: str) -> str:
    value = os.environ.get(env, "").strip() or default
    found = _SIZE.match(value)
    if not found:
        raise ConfigError(f"{env}={value!r} is not a size.", "Write e.g. 2GB or 512MB.")
    return f"{found.group(1)}{found.group(2).upper().replace('I', 'i')}"


def memory_limit() -> str:
    """``$GENBI_DUCKDB_MEMORY`` (checked: a number and a unit), else a quarter of the memory."""
    return _size(MEMORY_ENV, _default_memory())


def spill_limit() -> str | None:
    """``$GENBI_DUCKDB_SPILL`` (a size, or ``0`` for no spilling), else 4GB."""
    if os.environ.get(SPILL_ENV, "").strip() in {"0", "off", "none"}:
        return None
    return _size(SPILL_ENV, DEFAULT_SPILL)


def spill_directory() -> str:
    """genbi's own private spill folder (never beside the user's warehouse)."""
    from genbi.settings import state_dir

    folder = state_dir() / "spill"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return str(folder)


def thread_count() -> int:
    """``$GENBI_DUCKDB_THREADS``, else the machine's cores up to 4."""
    value = os.environ.get(THREADS_ENV, "").strip()
    if not value:
        return max(1, min(4, os.cpu_count() or 1))
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{THREADS_ENV}={value!r} is not a positive whole number.", "Write e.g. 2.")
    return int(value)


_UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
DENSE_SLOT_BYTES = 32
"""What one slot of a flat aggregate of a few narrow states takes (the funnel's step mask:
~16 bytes measured), with room to spare."""


def dense_group_bits(wanted: int) -> int:
    """At most ``wanted``, and few enough that every thread's flat aggregate of 2**bits slots
    (``DENSE_SLOT_BYTES`` each) fits in half the memory limit: where it would not, DuckDB's
    hash table, which can spill, is the safer plan."""
    found = _SIZE.match(memory_limit())
    budget = float(found.group(1)) * _UNITS[found.group(2)] / 2 if found else 2**30
    bits = wanted
    while bits > 1 and thread_count() * DENSE_SLOT_BYTES << bits > budget:
        bits -= 1
    return bits


def query_timeout_s(default: float) -> float:
    """``$GENBI_QUERY_TIMEOUT`` (seconds) when set, else ``default``."""
    value = os.environ.get(TIMEOUT_ENV, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 86_400:
        raise ConfigError(f"{TIMEOUT_ENV}={value!r} is not a number of seconds.", "Write e.g. 30.")
    return seconds


MAX_CELL_CHARS = 20_000
"""A text cell longer than this is cut (``…`` marks it): one ``repeat(city, 10^7)`` would
otherwise carry megabytes into a chat bubble, a Slack message or an LLM prompt."""


def cap_cells(rows: tuple[tuple[Any, ...], ...], types: Sequence[str] | None = None) -> tuple[tuple[Any, ...], ...]:
    """``rows`` with every text cell cut to ``MAX_CELL_CHARS`` (the same rows when none is longer).

    Looked at column by column: a column whose warehouse type (``types``) is a number, date
    or boolean is skipped, and a text column costs one ``len`` per cell in C, so a
    million-row tool result is not walked cell by cell in Python."""
    if not rows or not _any_long(rows, types):
        return rows
    return tuple(tuple(v[:MAX_CELL_CHARS] + "…" if isinstance(v, str) and len(v) > MAX_CELL_CHARS else v
                       for v in row) for row in rows)


def cap_column(column: Any) -> Any:
    """``cap_cells`` for one fetched column (a NumPy array): text cells cut the same way."""
    if column.dtype.kind != "O" or len(column) == 0:
        return column
    values = column.tolist()
    if not any(isinstance(v, str) and len(v) > MAX_CELL_CHARS for v in values):
        return column
    out = column.copy()
    out[:] = [v[:MAX_CELL_CHARS] + "…" if isinstance(v, str) and len(v) > MAX_CELL_CHARS else v for v in values]
    return out


_NOT_TEXT = ("BIGINT", "INT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "DOUBLE", "FLOAT", "REAL",
             "DECIMAL", "NUMERIC", "DATE", "TIME", "BOOL", "INTERVAL")


def _any_long(rows: tuple[tuple[Any, ...], ...], types: Sequence[str] | None) -> bool:
    width = len(rows[0])
    if set(map(len, rows)) != {width}:
        return any(isinstance(v, str) and len(v) > MAX_CELL_CHARS for row in rows for v in row)
    for i in range(width):
        kind = types[i].upper() if types is not None and i < len(types) else ""
        if kind.startswith(_NOT_TEXT) and not kind.endswith("]"):
            continue
        texts = [v for v in map(itemgetter(i), rows) if isinstance(v, str)]
        if texts and max(map(len, texts)) > MAX_CELL_CHARS:
            return True
    return False


def limit_resources(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Apply the limits (before external access is switched off); returns the connection."""
    spill = spill_limit()
    if spill is None:
        temp: tuple[str, ...] = ("SET temp_directory = ''",)
    else:
        folder = spill_directory().replace("'", "''")
        temp = (f"SET temp_directory = '{folder}'", f"SET max_temp_directory_size = '{spill}'")
    settings = (f"SET memory_limit = '{memory_limit()}'", f"SET threads = {thread_count()}", *temp)
    for statement in settings:
        # A second connection to a database whose external access is already off may not
        # change the temp directory; the first connection set it for the whole database.
        with contextlib.suppress(duckdb.PermissionException):
            connection.execute(statement)
    return connection
