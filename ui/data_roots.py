"""Which warehouses a UI user may open from the side panel.

Opening a path reads it with genbi's own rights, so a browser must not name any file on the
server (``/home/someone/secrets.csv``). Allowed: paths inside ``GENBI_UI_DATA_ROOTS`` (folders
separated by ``os.pathsep``), else inside the folder of the warehouse genbi started with.
"""

from __future__ import annotations

import os
from pathlib import Path

from genbi.errors import ConfigError

ROOTS_ENV = "GENBI_UI_DATA_ROOTS"


def allowed_roots(started: str | Path | None) -> list[Path]:
    configured = [p for p in os.environ.get(ROOTS_ENV, "").split(os.pathsep) if p.strip()]
    if configured:
        return [Path(p).expanduser().resolve() for p in configured]
    if started and Path(started).exists():
        start = Path(started).resolve()
        return [start if start.is_dir() else start.parent]
    return []


def check_openable(path: str, started: str | Path | None) -> Path:
    """``path`` resolved, when inside an allowed root; else ``ConfigError`` saying how to allow it."""
    resolved = Path(path).expanduser().resolve()
    roots = allowed_roots(started)
    if any(resolved == root or resolved.is_relative_to(root) for root in roots):
        return resolved
    where = ", ".join(str(r) for r in roots) or "nowhere yet"
    raise ConfigError(f"'{path}' is outside the folders the UI may open ({where}).",
                      f"Whoever runs genbi can allow more folders with {ROOTS_ENV}.")
