"""Every question of the eval case files (scored, held out, BYO): the texts the planner's
shortcuts are checked against, so a shortcut that skips work can be shown to change nothing."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def eval_questions() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "eval").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("question"), str):
                found.append(record["question"])
    return found
