"""Answers as JSON-able dicts, for ``genbi ask --json``, reports and the HTTP front ends."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from genbi.assistant.answer import Answer


def json_value(value: Any) -> Any:
    """A cell as JSON: dates as ISO strings, NaN as null, decimals as floats."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def answer_to_dict(answer: Answer, *, max_rows: int | None = None) -> dict[str, Any]:
    rows = answer.rows if max_rows is None else answer.rows[:max_rows]
    return {
        "question": answer.question,
        "language": answer.language,
        "brain": answer.brain,
        "route": answer.route,
        "interpretation": answer.interpretation,
        "spec": answer.spec.model_dump(mode="json") if answer.spec else None,
        "tool_call": (
            {"name": answer.tool_call.name,
             "arguments": {k: json_value(v) for k, v in answer.tool_call.arguments.items()}}
            if answer.tool_call else None
        ),
        "sql": answer.sql,
        "columns": list(answer.columns),
        "rows": [[json_value(v) for v in row] for row in rows],
        "truncated": answer.truncated or (max_rows is not None and len(answer.rows) > max_rows),
        "narrative": answer.narrative,
        "declined": answer.declined,
        "decline": (
            {"reason": answer.decline.reason, "suggestions": list(answer.decline.suggestions)}
            if answer.decline else None
        ),
        "error": answer.error,
        "warnings": list(answer.warnings),
        "timings_ms": answer.timings_ms,
        "cached_age_s": answer.cached_age_s,
        "chart": answer.chart.to_plotly_json() if answer.chart is not None else None,
        "usage": dataclasses.asdict(answer.usage) if answer.usage is not None else None,
    }
