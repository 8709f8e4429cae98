"""How each result column should be read: a time bucket, a category, or a metric with a format.

The chart chooser, the narrative and every front end's table work from this, not from the
semantic model, so tool results and raw SQL results are labelled, charted and formatted the
same way as metric queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from genbi.assistant.formatting import Format, Language, format_member, format_period, format_value

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
    value_labels: Mapping[Any, str] = field(default_factory=dict, compare=False, hash=False)
    """Dimension members' display names in the answer's language (Shanghai → 上海)."""
    null_label: str | None = None
    """What the group of rows with no value is called ("no campaign (organic)")."""
    hidden: bool = False
    """Kept in CSV / JSON but not shown (a tool's ``x_zh`` twin once it names ``x``'s members)."""

    def show(self, value: Any, language: Language = "en") -> str:
        """``value`` as every front end shows it in this column."""
        if self.kind == "metric":
            return format_value(value, self.fmt, language)
        if self.kind == "time" and value is not None:
            return format_period(value, self.grain, language)
        return format_member(value, language, labels=self.value_labels, null_label=self.null_label)

    def member(self, value: Any, language: Language = "en") -> str:
        """A category member's name (also for a time bucket used as a category)."""
        return self.show(value, language) if self.kind != "metric" else format_member(value, language)


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
