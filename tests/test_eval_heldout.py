"""The held-out marketer questions (``eval/heldout``): valid cases, well-defined gold, and
the offline planner's score on them, so a change that breaks a general mechanism shows.

The set was written before the planner changes it measures (see ``eval/README.md``); it
is not part of the scored folder that ``genbi eval`` runs by default.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant.service import Assistant
from genbi.eval.cases import (
    CASES_DIR,
    TRAIN_FILE_NAME,
    EvalCase,
    default_case_paths,
    load_case_file,
    load_cases,
)
from genbi.eval.harness import connect_read_only, run_eval
from genbi.eval.report import answered_wrong

HELDOUT_DIR = CASES_DIR.parent / "heldout"
HELDOUT = load_cases([HELDOUT_DIR])
LIMIT = re.compile(r"\bLIMIT (\d+)\s*$", re.IGNORECASE)


def _run(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with connect_read_only(path) as connection:
        return connection.execute(sql).fetchall()


def test_heldout_cases_are_their_own() -> None:
    own = load_cases(default_case_paths()) + load_case_file(CASES_DIR / TRAIN_FILE_NAME)
    assert len(HELDOUT) >= 80
    assert {c.id for c in HELDOUT}.isdisjoint(c.id for c in own)
    assert {c.question for c in HELDOUT if not c.context}.isdisjoint(c.question for c in own)
    assert {c.lang for c in HELDOUT} == {"en", "zh"}
    assert sum(c.expect_decline for c in HELDOUT) >= 15


@pytest.mark.parametrize("case", [c for c in HELDOUT if c.gold_sql], ids=lambda c: c.id)
def test_heldout_gold_is_well_defined(warehouse_path: Path, case: EvalCase) -> None:
    assert case.gold_sql
    match = LIMIT.search(case.gold_sql)
    rows = _run(warehouse_path, LIMIT.sub(f"LIMIT {int(match.group(1)) + 1}", case.gold_sql) if match
                else case.gold_sql)
    assert rows and all(any(row[i] is not None for row in rows) for i in range(len(rows[0])))
    if match:  # no tie at the cut-off: the gold would be arbitrary (nor, when ordered, inside it)
        ranked = [row[-1] for row in rows]
        if case.ordered:
            assert len(set(ranked)) == len(ranked), ranked
        else:
            assert len(ranked) < 2 or ranked[-1] != ranked[-2], ranked


def test_offline_planner_on_the_heldout_set(warehouse_path: Path) -> None:
    """At least 95% right and at most 2% answered wrong (a wrong number, or an answer where
    a decline was right)."""
    assistant = Assistant.open(warehouse_path)
    try:
        report = run_eval([HELDOUT_DIR], answerer=assistant, db_path=warehouse_path)
    finally:
        assistant.close()
    wrong = [c.case.id for c in report.cases if answered_wrong(c)]
    misses = [f"{c.case.id}: {c.reason or c.error}" for c in report.cases if not c.ok]
    assert report.summary["accuracy"] >= 0.95, misses
    assert len(wrong) <= 0.02 * len(report.cases), misses
