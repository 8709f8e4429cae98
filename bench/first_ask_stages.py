"""Where a first ask's own CPU goes, in the benchmark's own first-ask sequence.

    .venv/bin/python bench/first_ask_stages.py --db /tmp/demo1m.duckdb --rounds 5
    .venv/bin/python bench/first_ask_stages.py --db /tmp/demo1m.duckdb --only 双11 --profile

What ``bench_answers.bench_first_asks`` does (a newly opened, readied assistant per round,
the per-text memos forgotten, each question's SQL run on a plain connection just before its
answer, result cache off), with each stage wrapped in ``time.thread_time``: the answering
thread's CPU, so DuckDB's other threads and the neighbours on a shared machine are left out.
*own* is the answer's thread CPU minus the backend's ``execute``. Median over the rounds per
question. ``answer_stages.py`` replays results and takes the minimum of hot repeats; this one
measures the cold first asks the user-facing ratio is made of. ``--profile`` prints cProfile's
view of the same answers instead (its overhead inflates small calls; use it to find, the
stage times to measure).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from bench_answers import QUESTIONS, ready
from bench_answers import _forget_questions as forget_questions

from genbi.assistant import AnswerRequest, Assistant

STAGES = (  # (module, attribute, label); the outer stages include the inner ones
    ("genbi.assistant.service", "Assistant.offline_plan", "plan"),
    ("genbi.assistant.service", "Assistant._compile", "compile"),
    ("genbi.semantic_layer.warehouse", "Warehouse._guard", "guard"),
    ("genbi.semantic_layer.backends.duckdb_backend", "DuckDBBackend.execute", "db"),
    ("genbi.assistant.service", "Assistant._shape", "shape"),
    ("genbi.assistant.access", "Access.mask", "mask answer"),
    ("genbi.assistant.audit", "audit_answer", "audit"),
)
SPENT: dict[str, float] = {}


def _timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label] = SPENT.get(label, 0.0) + time.thread_time() - started
    return wrapper


def instrument(extra: tuple[tuple[str, str, str], ...] = ()) -> None:
    for module_name, attribute, label in (*STAGES, *extra):
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, _timed(label, getattr(owner, name)))


def _stage(text: str) -> tuple[str, str, str]:
    """``module:attribute[:label]`` as a stage (the label defaults to the attribute's last part)."""
    module_name, attribute, *label = text.split(":")
    return module_name, attribute, label[0] if label else attribute.rsplit(".", 1)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", help="only the questions holding this text")
    parser.add_argument("--profile", action="store_true", help="cProfile instead of stage times")
    parser.add_argument("--stage", action="append", default=[], metavar="MODULE:ATTRIBUTE[:LABEL]",
                        help="time this function too (e.g. genbi.assistant.planner.reading:Reader.read:read)")
    args = parser.parse_args(argv)
    extra = tuple(_stage(text) for text in args.stage)
    os.environ.setdefault("GENBI_HOME", tempfile.mkdtemp(prefix="genbi-bench-"))
    if not args.profile:
        instrument(extra)
    assistant = Assistant.open(args.db, llm=False)
    ready(assistant)
    sqls: dict[str, str] = {}
    try:  # as bench_answers: every question answered once before the first-ask rounds
        for number, question in enumerate(QUESTIONS):
            answer = assistant.answer(AnswerRequest(question, session_id=f"warm-{number}"))
            if answer.sql is not None and not answer.error and not answer.declined:
                sqls[question] = answer.sql
    finally:
        assistant.close()
    asked = [q for q in QUESTIONS if q in sqls and (args.only is None or args.only in q)]
    raw = duckdb.connect(str(args.db), read_only=True)
    profile = cProfile.Profile(*((time.thread_time_ns, 1e-9) if os.environ.get("THREAD_TIMER") else ()))
    seen: dict[str, list[dict[str, float]]] = {q: [] for q in asked}
    try:
        for round_number in range(args.rounds):
            assistant = Assistant.open(args.db, llm=False)
            ready(assistant)
            try:
                for number, question in enumerate(asked):
                    forget_questions()
                    raw.execute(sqls[question]).fetchall()
                    request = AnswerRequest(question, session_id=f"first-{round_number}-{number}", use_cache=False)
                    SPENT.clear()
                    if args.profile:
                        profile.enable()
                    started = time.thread_time()
                    assistant.answer(request)
                    total = time.thread_time() - started
                    if args.profile:
                        profile.disable()
                    stages = dict(SPENT, total=total)
                    stages["own"] = total - stages.get("db", 0.0)
                    seen[question].append(stages)
            finally:
                assistant.close()
    finally:
        raw.close()
    if args.profile:
        if os.environ.get("DUMP"):
            profile.dump_stats(os.environ["DUMP"])
        pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("NSTAT", "40")))
        return 0
    labels = ["own", "total", "db", *(label for _, _, label in (*STAGES, *extra) if label != "db")]
    print(f"{'question (ms of thread CPU)':<42}" + "".join(f"{label[:9]:>10}" for label in labels))
    medians: dict[str, list[float]] = {label: [] for label in labels}
    for question, rounds in seen.items():
        row = [statistics.median(r.get(label, 0.0) for r in rounds) * 1000 for label in labels]
        for label, value in zip(labels, row, strict=True):
            medians[label].append(value)
        print(f"{question[:41]:<42}" + "".join(f"{value:>10.2f}" for value in row))
    print(f"{'median':<42}" + "".join(f"{statistics.median(medians[label]):>10.2f}" for label in labels))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
