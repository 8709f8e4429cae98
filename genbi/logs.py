"""Logging to a file in the state directory, so tracebacks are kept but never shown."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from genbi import settings

_configured = False


def configure_logging(level: int = logging.INFO) -> None:
    """Send genbi's log records to ``<state>/logs/genbi.log`` (once per process)."""
    global _configured
    if _configured:
        return
    path = settings.log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=5_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("genbi")
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
