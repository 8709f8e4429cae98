"""genbi's own temporary folders: private to the user running it, removed when it stops.

Answer CSVs (which may hold anything a role may see) and Gradio's file cache live under
``<state dir>/tmp/<name>-<pid>`` with mode 0700, not in the system temp folder that every
local user can list; ``cleanup`` (also run at exit) removes them.
"""

from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path

from genbi import settings

_MADE: list[Path] = []


def private_dir(name: str) -> Path:
    """A new 0700 folder for this process under genbi's state directory."""
    root = settings.state_dir() / "tmp"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    folder = root / f"{name}-{os.getpid()}"
    folder.mkdir(exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    if not _MADE:
        atexit.register(cleanup)
    _MADE.append(folder)
    return folder


def cleanup() -> None:
    """Remove every folder ``private_dir`` made in this process."""
    while _MADE:
        shutil.rmtree(_MADE.pop(), ignore_errors=True)
