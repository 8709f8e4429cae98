"""What a tool tells the model: row counts, the first rows and column stats, never whole tables.

The front ends get the full result in the ``Answer``; the model gets enough to explain it or
to take the next step, in a few hundred tokens, as JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from genbi.assistant.serialize import json_value

FIRST_ROWS = 10


def compact_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], *, truncated: bool = False,
    first_rows: int = FIRST_ROWS,
) -> dict[str, Any]:
    """Row count, columns, the first rows and min / max / sum of numeric columns."""
    summary: dict[str, Any] = {
        "row_count": len(rows),
        "columns": list(columns),
        "first_rows": [[_short(v) for v in row] for row in rows[:first_rows]],
    }
    if truncated:
        summary["truncated"] = True
    stats = {name: _stats([row[i] for row in rows]) for i, name in enumerate(columns)}
    stats = {name: s for name, s in stats.items() if s}
    if stats and len(rows) > 1:
        summary["stats"] = stats
    return summary


def to_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str, separators=(",", ":"))


def _stats(values: list[Any]) -> dict[str, float] | None:
    numbers = [float(v) for v in values
               if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(float(v))]
    if not numbers or len(numbers) < len([v for v in values if v is not None]):
        return None
    return {"min": _round(min(numbers)), "max": _round(max(numbers)), "sum": _round(sum(numbers))}


def _short(value: Any) -> Any:
    value = json_value(value)
    if isinstance(value, float):
        return _round(value)
    if isinstance(value, str) and len(value) > 80:
        return value[:77] + "..."
    return value


def _round(value: float) -> float:
    """Four significant digits after the point for small numbers, two for large ones."""
    return round(value, 4) if abs(value) < 100 else round(value, 2)
