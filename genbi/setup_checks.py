"""What ``genbi doctor`` checks besides the brain: the warehouse, the model, the state
directory and the fonts charts need — each failure with the command that fixes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from genbi import settings
from genbi.assistant.agent.doctor import Check

CJK_FONT_HINTS = ("wqy", "noto sans cjk", "noto sans sc", "source han sans", "simhei", "pingfang", "yahei")


def environment_checks(workspace: settings.Workspace) -> list[Check]:
    return [_warehouse(workspace), _model(workspace), _state_dir(), _fonts()]


def _warehouse(workspace: settings.Workspace) -> Check:
    location = str(workspace.db.value)
    if "://" in location:
        return Check("warehouse", True, f"{location.split('://')[0]} connection (checked when a question runs)")
    path = Path(location)
    if path.exists():
        return Check("warehouse", True, f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    if workspace.demo_default:
        return Check("warehouse", True, f"{path} is generated on the first question (or: genbi data generate --out {path})")
    return Check("warehouse", False, f"{path} does not exist. Fix: pass --db with an existing .duckdb file or "
                                     "CSV/Parquet folder, or unset GENBI_DB to use the demo warehouse.")


def _model(workspace: settings.Workspace) -> Check:
    if workspace.model.value is None:
        return Check("model", True, "chosen when the warehouse opens (the demo model or a draft of your tables)")
    from genbi.errors import GenbiError
    from genbi.semantic_layer.loader import load_model

    try:
        model = load_model(workspace.model.value)
    except (GenbiError, OSError, ValueError) as problem:
        return Check("model", False, f"{problem} Fix: genbi model check --model {workspace.model.value}, or "
                                     "genbi model draft --db YOUR_DB --out model.yaml.")
    return Check("model", True, f"{len(model.metrics)} metrics, {len(model.dimensions)} dimensions")


def _state_dir() -> Check:
    folder = settings.state_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as problem:
        return Check("state dir", False, f"{folder} is not writable ({problem.strerror}). Fix: set GENBI_HOME "
                                         "to a folder you can write.")
    return Check("state dir", True, str(folder))


def _fonts() -> Check:
    """Chinese chart labels need a CJK font (the browser's and Slack's PNG charts)."""
    found = _cjk_font()
    if found:
        return Check("fonts", True, f"Chinese font: {found}")
    # a warning, not a failure: answers are right without it, only Chinese chart labels suffer
    return Check("fonts", True, "warning: no Chinese font, so Chinese chart labels show as boxes. "
                                "Fix: sudo apt-get install -y fonts-wqy-microhei")


def _cjk_font() -> str | None:
    if shutil.which("fc-list"):
        try:
            listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                                    timeout=20, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        families = [line.split(",")[0].strip() for line in listed.splitlines() if line.strip()]
        if families:
            return sorted(families)[0]
    for root in ("/usr/share/fonts", os.path.expanduser("~/.fonts"), "/Library/Fonts", "C:/Windows/Fonts"):
        for path in Path(root).rglob("*") if Path(root).is_dir() else ():
            if any(hint.replace(" ", "") in path.name.lower() for hint in CJK_FONT_HINTS):
                return path.name
    return None
