"""Evaluation cases: the JSON Lines format of the warehouse contract, validated on the way in.

One case a line::

    {"id": "rev_2025", "question": "What was total revenue in 2025?", "lang": "en",
     "gold_sql": "SELECT SUM(revenue) ...", "tags": ["metric", "revenue"]}

Optional keys: ``as_of``, ``tags``, ``expect_tool``, ``context``, ``expect_decline`` (all from
the contract) and ``ordered`` (ours: the question asks for an order, so row order is scored).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CASES_DIR = Path(__file__).parent / "cases"
"""The project's own case files."""
TRAIN_FILE_NAME = "train.jsonl"
"""Seed examples for the LLM's retrieval; never scored."""

GLOSSARY_METRICS: tuple[str, ...] = (
    "revenue",
    "orders",
    "aov",
    "buyers",
    "revenue_per_buyer",
    "repeat_purchase_rate",
    "new_customers",
    "units_sold",
    "product_sales",
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "attributed_orders",
    "attributed_revenue",
    "cvr",
    "roas",
    "cpa",
    "funnel_step_count",
    "experiment_conversion_rate",
)
"""The contract's metric glossary, as the tag each case asking for that metric carries."""


class CaseFileError(ValueError):
    """A case file that cannot be used: unreadable, malformed, or with clashing ids."""


class EvalCase(BaseModel):
    """One evaluation case (warehouse contract, "Evaluation case files")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    question: str = Field(min_length=1)
    lang: Literal["en", "zh"]
    gold_sql: str | None = None
    """A hand-written query whose result is the right answer; absent for declines."""
    as_of: date | None = None
    """"Today" for relative time; the demo's 2025-12-31 when absent."""
    tags: tuple[str, ...] = ()
    expect_tool: str | None = None
    """The tool that must answer (instead of a metric query)."""
    context: tuple[str, ...] = ()
    """Earlier questions of the same conversation, asked in order before ``question``."""
    expect_decline: bool = False
    """The right answer is to decline: out of scope, unanswerable, or too ambiguous."""
    ordered: bool = False
    """The question asks for an order (top N, ranking): row order is scored too."""

    @model_validator(mode="after")
    def _answer_is_defined(self) -> EvalCase:
        if self.expect_decline and (self.gold_sql or self.expect_tool):
            raise ValueError("a decline case has neither gold_sql nor expect_tool")
        if not self.expect_decline and not (self.gold_sql or self.expect_tool):
            raise ValueError("a case needs gold_sql, expect_tool or expect_decline: true")
        if self.ordered and not self.gold_sql:
            raise ValueError("ordered only applies to a case with gold_sql")
        return self


def load_case_file(path: Path) -> list[EvalCase]:
    """Read one JSON Lines file; blank lines are skipped, every other line must be a case."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot read ({exc})") from exc
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            cases.append(EvalCase.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise CaseFileError(f"{path}:{number}: {exc}") from exc
    return cases


def load_cases(paths: Iterable[Path]) -> list[EvalCase]:
    """Cases from files or folders (a folder gives its ``*.jsonl`` except ``train.jsonl``).

    Ids must be unique across everything loaded.
    """
    cases: list[EvalCase] = []
    seen: dict[str, Path] = {}
    for path in expand_case_paths(paths):
        for case in load_case_file(path):
            if case.id in seen:
                raise CaseFileError(f"{path}: case id {case.id!r} already used in {seen[case.id]}")
            seen[case.id] = path
            cases.append(case)
    return cases


def expand_case_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders as their sorted scored ``*.jsonl`` files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.glob("*.jsonl")) if p.name != TRAIN_FILE_NAME)
        else:
            files.append(path)
    return files


def default_case_paths() -> list[Path]:
    """The project's scored case files."""
    return expand_case_paths([CASES_DIR])


def select_by_tags(cases: Sequence[EvalCase], tags: Sequence[str] | None) -> list[EvalCase]:
    """Cases carrying at least one of ``tags`` (all cases when ``tags`` is empty or None)."""
    if not tags:
        return list(cases)
    wanted = set(tags)
    return [case for case in cases if wanted.intersection(case.tags)]


def stratified_sample(paths: Iterable[Path], every: int) -> list[EvalCase]:
    """A share of the cases that still covers every kind of question: every ``every``-th case
    of each file, plus the first case of each language × tag pair the stride missed.

    For running the eval where a full pass is too slow (a Spark server on a small machine)
    without losing a whole kind of question (a tag seen only in Chinese, say) to the stride.
    """
    if every < 1:
        raise ValueError("every must be 1 or more")
    per_file = [load_cases([path]) for path in expand_case_paths(paths)]
    chosen = {case.id for cases in per_file for case in cases[::every]}
    covered = {(case.lang, tag) for cases in per_file for case in cases if case.id in chosen
               for tag in case.tags}
    for case in (case for cases in per_file for case in cases):
        missing = {(case.lang, tag) for tag in case.tags} - covered
        if missing and case.id not in chosen:
            chosen.add(case.id)
            covered |= missing
    return [case for cases in per_file for case in cases if case.id in chosen]
