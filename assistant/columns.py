"""How each result column should be read: a time bucket, a category, or a metric with a format.

The chart chooser and the narrative work from this, not from the semantic model, so tool
results and raw SQL results can be charted the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from genbi.assistant.formatting import Format

ColumnKind = Literal["time", "dimension", "metric"]


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    label: str
    kind: ColumnKind
    fmt: Format = "number"
    grain: str | None = None
    additive: bool = True
    """False for ratios and distinct counts: parts must not be summed into a total."""


def infer_columns(columns: tuple[str, ...], rows: tuple[tuple[Any, ...], ...]) -> list[ColumnInfo]:
    """Best-effort roles for a result with no spec behind it (raw SQL, a tool table)."""
    infos = []
    for index, name in enumerate(columns):
        sample = next((row[index] for row in rows if row[index] is not None), None)
        if isinstance(sample, datetime | date):
            kind: ColumnKind = "time"
        elif isinstance(sample, int | float) and not isinstance(sample, bool):
            kind = "metric"
        else:
            kind = "dimension"
        infos.append(ColumnInfo(name=name, label=name.replace("_", " "), kind=kind))
    return infos
