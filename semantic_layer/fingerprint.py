"""A warehouse's fingerprint: changes whenever its data may have changed.

Caches of what genbi derives from a warehouse (query results, the value index, a drafted
model) are keyed by it, so they are rebuilt when the data changes and never served stale.
For local data it is the files' paths, sizes and change times (a DuckDB file with its
write-ahead log, or every file of a CSV/Parquet folder). A server warehouse (Postgres,
Spark ...) has no cheap, trustworthy change stamp, so it has no fingerprint and nothing
derived from it is cached.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

WAL_SUFFIX = ".wal"


def data_files(location: Path) -> list[Path]:
    """The files whose contents are the warehouse's data."""
    if location.is_dir():
        return sorted(p for p in location.iterdir() if p.is_file() and not p.name.startswith("."))
    files = [location]
    wal = location.with_name(location.name + WAL_SUFFIX)
    if wal.exists():
        files.append(wal)
    return files


def fingerprint(location: str | Path | None) -> str | None:
    """A short digest of the data files' identity and change stamps; None when unknown
    (no local path, or the files cannot be read)."""
    if location is None:
        return None
    path = Path(location).expanduser()
    try:
        stamps = [f"{p.resolve()}:{p.stat().st_size}:{p.stat().st_mtime_ns}:{p.stat().st_ino}"
                  for p in data_files(path)]
    except OSError:
        return None
    if not stamps:
        return None
    return hashlib.sha256("|".join(stamps).encode()).hexdigest()[:24]
