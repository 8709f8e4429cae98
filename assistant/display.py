"""An answer's table as people read it: headers and cells in the answer's language, numbers
through the one formatting layer. The chat UI, Slack and the CLI all show this; the raw
``Answer.rows`` stay for CSV, JSON and the eval harness."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from genbi.assistant.answer import Answer
from genbi.assistant.columns import ColumnInfo, infer_columns
from genbi.assistant.formatting import Language


@dataclass(frozen=True)
class DisplayTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    """Per column: a number (right-aligned)."""


def answer_columns(answer: Answer) -> tuple[ColumnInfo, ...]:
    """The answer's column infos, or ones read from the values when it has none."""
    if len(answer.column_info) == len(answer.columns):
        return answer.column_info
    return tuple(infer_columns(tuple(answer.columns), tuple(answer.rows)))


def display_table(answer: Answer, limit: int | None = None) -> DisplayTable:
    """The first ``limit`` rows of ``answer`` (all when None) as formatted text."""
    columns = answer_columns(answer)
    return format_rows(columns, answer.rows if limit is None else answer.rows[:limit], answer.language)


def format_rows(columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]], language: Language) -> DisplayTable:
    """Hidden columns (a tool's ``_zh`` twins) are left out."""
    keep = [i for i, c in enumerate(columns) if not c.hidden]
    shown = tuple(tuple(columns[i].show(row[i], language) for i in keep) for row in rows)
    return DisplayTable(
        headers=tuple(columns[i].label for i in keep), rows=shown,
        numeric=tuple(columns[i].kind == "metric" for i in keep),
    )
