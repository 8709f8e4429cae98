"""The result as Slack shows it: column roles and labels, and a compact aligned text table.

Slack has no table block, so the first rows go in a code block, padded by display width
(a Chinese character takes two cells in a monospace font), numbers right-aligned and
formatted the way the narrative formats them (¥1.2M, 12.5%, ¥120.5万).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from genbi.assistant.columns import ColumnInfo, infer_columns
from genbi.assistant.formatting import Format
from genbi.assistant.formatting import format_period as shared_period
from genbi.ui.model_browser import column_labels
from genbi.ui.slack.strings import Language

TABLE_ROWS = 12
"""Rows shown in Slack; a year of months fits."""
MAX_CELL = 24
"""Display cells per column before a value is cut with an ellipsis."""
MAX_WIDTH = 96
"""Display cells per table line: wider results show their first columns (Slack wraps lines)."""
GRAINS = ("day", "week", "month", "quarter", "year")
_FORMATS: tuple[Format, ...] = ("currency", "percent", "number", "ratio")


def column_infos(
    names: Sequence[str], rows: Sequence[Sequence[Any]], model: Any, language: Language
) -> list[ColumnInfo]:
    """Roles, formats and labels for result columns, from the semantic model where it knows them.

    Names the model does not know (tool tables, raw SQL) are read from their values.
    """
    inferred = infer_columns(tuple(names), tuple(tuple(r) for r in rows))
    labels = column_labels(names, model, language) if model is not None else [i.label for i in inferred]
    infos = []
    for info, label in zip(inferred, labels, strict=True):
        base, _, grain = info.name.partition("__")
        if model is not None and model.has_metric(base):
            fmt = str(model.metric(base).format)
            infos.append(ColumnInfo(info.name, label, "metric",
                                    fmt=next((f for f in _FORMATS if f == fmt), "number")))
        elif grain in GRAINS:
            infos.append(ColumnInfo(info.name, label, "time", grain=grain))
        elif model is not None and model.has_dimension(base) and info.kind != "time":
            infos.append(ColumnInfo(info.name, label, "dimension"))
        else:
            infos.append(ColumnInfo(info.name, label, info.kind, fmt=info.fmt))
    return infos


def answer_column_infos(answer: Any, model: Any) -> tuple[ColumnInfo, ...]:
    """The answer's own column infos (labels and member names in its language), else ones
    read from the model and the values."""
    if len(answer.column_info) == len(answer.columns):
        return tuple(answer.column_info)
    return tuple(column_infos(answer.columns, answer.rows, model, answer.language))


def cell(value: Any, column: ColumnInfo, language: Language) -> str:
    """One value as shown in the table (and on chart axes): the one formatting layer."""
    return column.show(value, language)


def format_period(value: date | datetime, grain: str | None, language: Language = "en") -> str:
    """A time bucket by its grain: 2025-03 for a month, 2025 Q1, 2025."""
    return shared_period(value, grain, language)


def text_table(
    columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]], language: Language,
    limit: int = TABLE_ROWS,
) -> str:
    """The first ``limit`` rows as aligned plain text (header, rule, rows).

    >>> print(text_table([ColumnInfo("city", "City", "dimension"),
    ...                   ColumnInfo("revenue", "Revenue", "metric", fmt="currency")],
    ...                  [("上海", 1234.5), ("Beijing", 99.0)], "en"))
    City       Revenue
    -------  ---------
    上海     ¥1,234.50
    Beijing     ¥99.00
    """
    header = [_cut(c.label) for c in columns]
    body = [[_cut(cell(v, c, language)) for v, c in zip(row, columns, strict=True)]
            for row in rows[:limit]]
    widths = [max(width(text) for text in [h, *(r[i] for r in body)]) for i, h in enumerate(header)]
    right = [c.kind == "metric" for c in columns]
    lines = [_line(header, widths, right), "  ".join("-" * w for w in widths)]
    lines += [_line(r, widths, right) for r in body]
    return "\n".join(line.rstrip() for line in lines)


def visible_columns(
    columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]], language: Language,
    limit: int = TABLE_ROWS, max_width: int = MAX_WIDTH,
) -> list[int]:
    """Indexes of the leading columns that fit in ``max_width`` cells (always at least two)."""
    shown: list[int] = []
    used = 0
    for index, column in enumerate(columns):
        if column.hidden:
            continue
        cells = [_cut(column.label), *(_cut(cell(r[index], column, language)) for r in rows[:limit])]
        size = max(width(c) for c in cells) + (2 if shown else 0)
        if len(shown) >= 2 and used + size > max_width:
            break
        shown.append(index)
        used += size
    return shown


def width(text: str) -> int:
    """Monospace display cells: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _cut(text: str, limit: int = MAX_CELL) -> str:
    text = " ".join(text.split())
    if width(text) <= limit:
        return text
    kept = ""
    for ch in text:
        if width(kept + ch) > limit - 1:
            break
        kept += ch
    return kept + "…"


def _line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    parts = []
    for text, size, is_right in zip(cells, widths, right, strict=True):
        pad = " " * (size - width(text))
        parts.append(pad + text if is_right else text + pad)
    return "  ".join(parts)
