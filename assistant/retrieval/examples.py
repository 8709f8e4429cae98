"""Verified examples from the eval files' train split, checked before they are trusted.

A train case gives a question and its gold SQL. The offline planner's spec for the question
becomes an example only when it returns the same rows as the gold SQL on this warehouse, so
a wrong spec never teaches the LLM, and a warehouse the cases were not written for (a
user's own) simply gets no seed examples.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from genbi.errors import GenbiError
from genbi.semantic_layer.compiler import compile_spec

log = logging.getLogger(__name__)
TRAIN_SOURCE = "eval-train"


def default_train_file() -> Path:
    return Path(str(files("genbi.eval") / "cases" / "train.jsonl"))


def seed_train_examples(store: Any, assistant: Any, path: Path | None = None) -> int:
    """Add the verified train-split examples to ``store``; returns how many were added."""
    path = path or default_train_file()
    if not path.is_file():
        return 0
    added = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        spec, sql = _verified_spec(case, assistant)
        if spec is not None and store.add_example(
            case["question"], spec=spec, sql=sql, language=case.get("lang"), source=TRAIN_SOURCE,
        ):
            added += 1
    return added


def _verified_spec(case: dict[str, Any], assistant: Any) -> tuple[dict[str, Any] | None, str | None]:
    if case.get("context") or not case.get("gold_sql"):
        return None, None
    as_of = date.fromisoformat(case["as_of"]) if case.get("as_of") else assistant.as_of
    plan = assistant.planner.plan(case["question"], as_of=as_of)
    if plan.spec is None:
        return None, None
    try:
        compiled = compile_spec(plan.spec, assistant.model, as_of=as_of)
        ours = assistant.warehouse.run(compiled.sql)
        gold = assistant.warehouse.run(case["gold_sql"])
    except GenbiError as error:
        log.info("train example %s not verified: %s", case.get("id"), error)
        return None, None
    if same_rows(ours.rows, gold.rows):
        return plan.spec.model_dump(mode="json", exclude_defaults=True), compiled.sql
    return None, None


def same_rows(left: Any, right: Any) -> bool:
    """Equal as multisets of rows, ignoring column order and float noise."""
    return Counter(_row_key(r) for r in left) == Counter(_row_key(r) for r in right)


def _row_key(row: Any) -> tuple[str, ...]:
    return tuple(sorted(_cell(v) for v in row))


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6g}"
    if value is None:
        return "∅"
    return str(value)
