"""CI's accuracy gate: the offline planner's execution accuracy on the project's eval cases.

The threshold lives in ``eval/threshold.json``; a change that drops accuracy below it fails
CI. The report is written to ``artifacts/eval-offline.json`` for inspection.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genbi.assistant.service import Assistant
from genbi.eval.cases import default_case_paths
from genbi.eval.harness import run_eval
from genbi.eval.threshold import check_threshold, load_threshold

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Assistant:
    assistant = Assistant.open(warehouse_path)
    yield assistant  # type: ignore[misc]
    assistant.close()


def test_offline_planner_meets_the_accuracy_threshold(assistant: Assistant, warehouse_path: Path) -> None:
    report = run_eval(default_case_paths(), answerer=assistant, db_path=warehouse_path)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "eval-offline.json").write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    check = check_threshold(report, load_threshold())
    misses = [c for c in report.cases if not c.ok][:15]
    detail = "\n".join(f"- {c.case.id}: {c.reason or c.error}" for c in misses) if misses else ""
    assert check.passed, f"{check.message}\n{detail}"


def test_every_decline_case_is_declined(assistant: Assistant, warehouse_path: Path) -> None:
    report = run_eval(default_case_paths(), answerer=assistant, db_path=warehouse_path, tags=["decline"])
    assert report.cases, "no decline cases found"
    wrong = [c.case.id for c in report.cases if not c.ok]
    assert not wrong, f"answered instead of declining: {wrong}"
