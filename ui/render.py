"""An ``Answer`` as the chat UI shows it: a chat message, the table, the chart, the SQL,
a CSV file and whatever a tool added (facts, secondary tables, copy variants).

Pure functions of the answer (plus display labels), so they are unit-tested without a
browser; the only side effect is writing the CSV file where the caller says.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from genbi.assistant.answer import Answer
from genbi.assistant.display import answer_columns, display_table
from genbi.assistant.serialize import json_value
from genbi.text_safety import safe_markdown
from genbi.ui.strings import STRINGS, Language, text

TABLE_LIMIT = 1_000
"""Rows shown in the result table; the CSV holds all of them."""
MAX_EXTRA_TABLES = 3


@dataclass(frozen=True)
class RenderedAnswer:
    """Everything the answer panel and the chat need for one answer."""

    message: str
    """Markdown for the chat bubble: interpretation, narrative, notes, collapsible SQL."""
    interpretation: str
    table: pd.DataFrame
    table_note: str
    chart: Any
    sql: str
    csv_path: str | None
    extras_markdown: str = ""
    extra_tables: tuple[tuple[str, pd.DataFrame], ...] = field(default_factory=tuple)
    follow_ups: tuple[str, ...] = ()
    """Suggested next questions, shown as buttons under the answer."""
    customers: int | None = None
    """How many customers the answer is about when they can be saved as an audience."""


def render_answer(
    answer: Answer,
    language: Language,
    *,
    labels: Sequence[str] | None = None,
    csv_dir: Path | None = None,
    brain_label: str | None = None,
) -> RenderedAnswer:
    """Render ``answer``; ``labels`` are display names for ``answer.columns``.

    The CSV is written to ``csv_dir`` when given and the answer has columns.
    """
    language = answer.language if answer.language in ("en", "zh") else language  # the question's own
    shown = display_table(answer, TABLE_LIMIT)
    if answer.column_info or labels is None:
        headers = list(shown.headers)
        csv_headers = [c.name if c.hidden else c.label for c in answer_columns(answer)]
    else:
        headers = csv_headers = list(labels)
    table = pd.DataFrame(list(shown.rows), columns=_unique(headers), dtype=object)
    # the narrative says a tool's key facts as sentences; the raw facts stay in the JSON
    extras_md, extra_tables, extra_chart = render_extras(answer.extras, language, show_facts=not answer.narrative)
    csv_path = None
    if csv_dir is not None and csv_headers:
        csv_path = str(write_csv(csv_dir / csv_name(answer), csv_headers, answer.rows))
    return RenderedAnswer(
        message=chat_message(answer, language, brain_label=brain_label),
        interpretation=answer.interpretation,
        table=table,
        table_note=table_note(len(answer.rows), answer.truncated, language) if answer.columns else "",
        chart=answer.chart if answer.chart is not None else extra_chart,
        sql=answer.sql or "",
        csv_path=csv_path,
        extras_markdown=extras_md,
        extra_tables=extra_tables,
    )


def _unique(headers: Sequence[str]) -> list[str]:
    """Headers a table can hold: a repeated label gets a number."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


# --- the chat message ---


def chat_message(answer: Answer, language: Language, *, brain_label: str | None = None) -> str:
    """The chat bubble for an answer, a decline or a failed query (never a traceback)."""
    if answer.decline is not None:
        return decline_message(answer.decline.reason, answer.decline.suggestions, language)
    parts = [f"**{escape_markdown(answer.interpretation)}**"] if answer.interpretation else []
    if answer.error:
        parts.append(text("query_failed", language, error=answer.error))
    elif answer.narrative:
        parts.append(safe_markdown(answer.narrative))  # LLM text: no remote images, no raw HTML
    parts += [f"> {text('notes', language)}: {escape_markdown(w)}" for w in answer.warnings]
    if answer.sql:
        parts.append(sql_block(answer.sql, language))
    if brain_label:
        parts.append(f"<sub>{text('brain_line', language, brain=brain_label)}</sub>")
    return "\n\n".join(parts)


def decline_message(reason: str, suggestions: Sequence[str], language: Language) -> str:
    lines = [f"**{text('declined', language)}** {escape_markdown(reason)}"]
    if suggestions:
        lines.append(text("try_instead", language))
        lines.append("\n".join(f"- {escape_markdown(s)}" for s in suggestions))
    return "\n\n".join(lines)


def sql_block(sql: str, language: Language) -> str:
    """The SQL in a collapsed ``<details>`` block (opens on click)."""
    return f"<details><summary>{text('sql', language)}</summary>\n\n```sql\n{sql.strip()}\n```\n\n</details>"


def escape_markdown(value: str) -> str:
    """Keep user and data words from being read as markdown or HTML."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", value)


# --- the table and the CSV ---


def display_value(value: Any) -> Any:
    """A cell for the on-screen table: dates as ISO text, decimals as floats, NaN as None."""
    if isinstance(value, datetime | date):
        return json_value(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _decimals(values: Sequence[Any]) -> int | None:
    """Rounding for a float column: 2 places for money-sized numbers, 4 for small ratios."""
    floats = [abs(v) for v in values if isinstance(v, float)]
    if not floats:
        return None
    return 2 if max(floats) >= 10 else 4


def result_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], limit: int = TABLE_LIMIT
) -> pd.DataFrame:
    """The first ``limit`` rows as a DataFrame (floats rounded for reading; CSV keeps all)."""
    shown = [[display_value(v) for v in row] for row in rows[:limit]]
    frame = pd.DataFrame(shown, columns=list(headers), dtype=object)
    for index, header in enumerate(headers):
        column = [row[index] for row in shown]
        places = _decimals(column)
        if all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in column) and column:
            numeric = pd.to_numeric(frame.iloc[:, index], errors="coerce")
            frame[header] = numeric.round(places) if places is not None else numeric
    return frame


def table_note(rows: int, truncated: bool, language: Language, limit: int = TABLE_LIMIT) -> str:
    """"1,200 rows." / "Showing the first 1,000 of 1,200 rows …" (+ the warehouse cap)."""
    if rows > limit:
        note = text("rows_cut", language, shown=limit, rows=rows)
    elif rows == 0:
        note = text("no_rows", language)
    else:
        note = text("rows_all", language, rows=rows)
    return f"{note} {text('rows_capped', language)}" if truncated else note


def csv_name(answer: Answer) -> str:
    """A file name from what was asked: ``genbi-revenue-by-channel.csv``-like, ASCII only."""
    if answer.spec is not None:
        words = [*answer.spec.metrics, *(g.name for g in answer.spec.group_by)]
    elif answer.tool_call is not None:
        words = [answer.tool_call.name]
    else:
        words = ["result"]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")[:60] or "result"
    return f"genbi-{slug}.csv"


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """All rows, full precision, UTF-8 with a BOM so Excel shows Chinese correctly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else json_value(v) for v in row])
    return path


# --- tool extras ---


def render_extras(
    extras: Mapping[str, Any], language: Language, *, show_facts: bool = True,
) -> tuple[str, tuple[tuple[str, pd.DataFrame], ...], Any]:
    """Facts, copy variants and secondary tables from a tool answer, plus a spare chart.

    Accepts a ``ToolResult``-shaped object under any key (``table``/``tables``/``facts``/
    ``chart`` attributes), a ``facts`` dict, ``variants`` (strings, or dicts with ``text``
    and ``checks``), ``tables`` (name → DataFrame), or DataFrames under their own names.
    """
    facts: dict[str, Any] = {}
    variants: list[Any] = []
    tables: list[tuple[str, pd.DataFrame]] = []
    chart = None
    for key, value in extras.items():
        if hasattr(value, "facts") and hasattr(value, "tables"):
            facts.update(getattr(value, "facts", {}) or {})
            tables += list((getattr(value, "tables", {}) or {}).items())
            chart = chart if chart is not None else getattr(value, "chart", None)
        elif key == "facts" and isinstance(value, Mapping):
            facts.update(value)
        elif key in ("variants", "copy_variants") and isinstance(value, list | tuple):
            variants += list(value)
        elif key == "tables" and isinstance(value, Mapping):
            tables += list(value.items())
        elif isinstance(value, pd.DataFrame):
            tables.append((key, value))
        elif hasattr(value, "to_plotly_json") and chart is None:
            chart = value
    listed = facts.get("variants")
    if isinstance(listed, list) and listed and all(isinstance(v, Mapping) for v in listed):
        variants += facts.pop("variants")  # generate_copy: each variant with its status
    parts = []
    if facts and show_facts:
        parts.append(facts_markdown(facts, language))
    if variants:
        parts.append(variants_markdown(variants, language))
    shown = tuple((_title(name), frame.head(TABLE_LIMIT)) for name, frame in tables[:MAX_EXTRA_TABLES])
    return "\n\n".join(parts), shown, chart


def _title(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def facts_markdown(facts: Mapping[str, Any], language: Language) -> str:
    """One line per fact. Left out: empty facts, the other language's twin (``audience_en``)
    and nested detail (a mapping of mappings: the tool's raw inputs, in its CSV / JSON)."""
    lines = [f"**{text('facts', language)}**"]
    other = "_en" if language == "zh" else "_zh"
    for key, value in facts.items():
        if value is None or value == [] or str(key).endswith(other) or _nested(value):
            continue
        shown = json_value(value) if not isinstance(value, list | tuple | dict) else value
        lines.append(f"- {_title(str(key))}: {escape_markdown(str(shown))}")
    return "\n".join(lines)


def _nested(value: Any) -> bool:
    return isinstance(value, Mapping) and any(isinstance(v, Mapping | list | tuple) for v in value.values())


def variants_markdown(variants: Sequence[Any], language: Language) -> str:
    """Numbered copy variants, each with its checks (✅ passed / ❌ failed)."""
    lines = [f"**{text('variants', language)}**"]
    for number, variant in enumerate(variants, 1):
        if isinstance(variant, Mapping):
            body = str(variant.get("text") or variant.get("copy") or "")
            checks = variant.get("checks") or {}
        else:
            body, checks = str(variant), {}
        lines.append(f"{number}. {escape_markdown(body)}")
        status = variant.get("status") if isinstance(variant, Mapping) else None
        if status:
            mark = {"pass": "✅", "rewritten": "✏️", "fail": "❌"}.get(str(status), "")
            problems = "; ".join(str(p) for p in variant.get("problems") or ())
            label = text(f"copy_{status}", language) if f"copy_{status}" in STRINGS else str(status)
            lines.append(f"   <sub>{mark} {escape_markdown(label)}"
                         + (f" — {escape_markdown(problems)}" if problems else "") + "</sub>")
        if isinstance(checks, Mapping) and checks:
            marks = ", ".join(f"{'✅' if ok else '❌'} {_title(str(name))}" for name, ok in checks.items())
            lines.append(f"   <sub>{text('checks', language)}: {marks}</sub>")
    return "\n".join(lines)
