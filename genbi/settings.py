"""Where genbi keeps things, resolved once from flags, environment variables and defaults.

genbi never writes to a user's warehouse; its own state (verified examples, audiences,
feedback, the retrieval index, the audit log) lives under a per-user state directory, and
the demo warehouse it generates on first run lives under a per-user data directory.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import platformdirs

APP_NAME = "genbi"
DEMO_AS_OF = date(2025, 12, 31)
"""The demo warehouse's "today" for relative time (warehouse contract)."""


def data_dir() -> Path:
    """Per-user data directory (``GENBI_HOME`` overrides, handy for tests)."""
    home = os.environ.get("GENBI_HOME")
    return Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))


def state_dir() -> Path:
    """Per-user state directory for genbi's own state, separate from any warehouse."""
    home = os.environ.get("GENBI_HOME")
    return Path(home) / "state" if home else Path(platformdirs.user_state_dir(APP_NAME))


def default_db_path() -> Path:
    """The demo warehouse's location when neither ``--db`` nor ``GENBI_DB`` is given."""
    return data_dir() / "demo.duckdb"


def configured_db_path(flag: str | Path | None = None) -> Path:
    """``--db`` beats ``GENBI_DB`` beats the per-user demo warehouse."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get("GENBI_DB")
    return Path(env).expanduser() if env else default_db_path()


def as_of_date(flag: date | str | None = None) -> date:
    """``--as-of`` beats ``GENBI_AS_OF`` beats the demo's 2025-12-31."""
    value = flag or os.environ.get("GENBI_AS_OF")
    if value is None:
        return DEMO_AS_OF
    return value if isinstance(value, date) else date.fromisoformat(value)


def log_path() -> Path:
    """genbi's own log file (tracebacks of internal errors go here, never to the user)."""
    return state_dir() / "logs" / "genbi.log"
