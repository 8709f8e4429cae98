"""Where an answer's own time goes, stage by stage, with DuckDB's part taken out.

    .venv/bin/python bench/answer_stages.py --db /tmp/demo1m.duckdb

Each benchmark question (``bench_answers.QUESTIONS``) is answered once for real, then its
fetched result is replayed for every timed answer, so what is left is genbi's own Python:
planning, compiling, the guard, masking and capping the rows, shaping (chart, narrative),
masking the answer and the audit record. *first* forgets the planner's readings, compiled
SQL and guard verdicts before each answer (a question never asked), *again* keeps them. CPU time of this
process, the minimum of ``--repeat`` runs: on a shared machine the neighbours only ever add.
Use it to see what to work on; ``bench_answers.py`` gives the numbers a user feels.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_answers import QUESTIONS, ready
from bench_answers import _forget_questions as forget_questions

from genbi.assistant import AnswerRequest, Assistant

STAGES = (  # (module, attribute, label); the outer stages include the inner ones
    ("genbi.assistant.service", "Assistant.offline_plan", "plan"),
    ("genbi.assistant.service", "Assistant._compile", "compile"),
    ("genbi.semantic_layer.warehouse", "Warehouse._guard", "guard"),
    ("genbi.semantic_layer.warehouse", "mask_rows", "mask rows"),
    ("genbi.assistant.service", "Assistant._shape", "shape"),
    ("genbi.assistant.access", "Access.mask", "mask answer"),
    ("genbi.assistant.audit", "audit_answer", "audit"),
)
SPENT: dict[str, float] = {}


def _timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label] = SPENT.get(label, 0.0) + time.process_time() - started
    return wrapper


def instrument() -> None:
    for module_name, attribute, label in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, _timed(label, getattr(owner, name)))


def replay_results() -> None:
    """Run each statement once; answer later runs of it from what it fetched."""
    from genbi.semantic_layer.backends import duckdb_backend

    fetched: dict[str, Any] = {}
    execute = duckdb_backend.DuckDBBackend.execute

    def remembered(self: Any, sql: str, *, max_rows: int, timeout_s: float) -> Any:
        if sql not in fetched:
            fetched[sql] = execute(self, sql, max_rows=max_rows, timeout_s=timeout_s)
        return fetched[sql]

    duckdb_backend.DuckDBBackend.execute = remembered  # type: ignore[method-assign]


def measure(assistant: Assistant, question: str, first: bool, repeat: int) -> tuple[float, dict[str, float]]:
    best_total, best_stages = float("inf"), {}
    for attempt in range(repeat):
        if first:  # forget what the assistant remembers of questions (what this version has)
            for memo in (getattr(assistant, "_plans", None), assistant._compiled, assistant.warehouse._passed):
                if memo is not None:
                    memo.clear()
            forget_questions()
        SPENT.clear()
        started = time.process_time()
        assistant.answer(AnswerRequest(question, session_id=f"{first}-{attempt}", use_cache=False))
        total = time.process_time() - started
        if total < best_total:
            best_total, best_stages = total, dict(SPENT)
    return best_total * 1000, {k: v * 1000 for k, v in best_stages.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    os.environ.setdefault("GENBI_HOME", tempfile.mkdtemp(prefix="genbi-bench-"))
    instrument()
    replay_results()
    assistant = Assistant.open(args.db, llm=False)
    ready(assistant)  # as the long-running front ends do
    try:
        for number, question in enumerate(QUESTIONS):  # every statement fetched once
            assistant.answer(AnswerRequest(question, session_id=f"warm-{number}", use_cache=False))
        labels = [label for _, _, label in STAGES]
        print(f"{'question (ms of CPU)':<42}{'first':>7}{'again':>7}" + "".join(f"{label[:9]:>10}" for label in labels))
        totals: dict[str, list[float]] = {"first": [], "again": []}
        for question in QUESTIONS:
            first, stages = measure(assistant, question, True, args.repeat)
            again, _ = measure(assistant, question, False, args.repeat)
            totals["first"].append(first)
            totals["again"].append(again)
            print(f"{question[:41]:<42}{first:>7.2f}{again:>7.2f}"
                  + "".join(f"{stages.get(label, 0.0):>10.2f}" for label in labels))
        print(f"{'median':<42}{statistics.median(totals['first']):>7.2f}{statistics.median(totals['again']):>7.2f}"
              "   (stages: of the first ask)")
    finally:
        assistant.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
