"""Read-only views of the semantic model for the side panel: the searchable browser and
display labels for result columns.

Works on any object shaped like ``SemanticModel`` (``metrics`` / ``dimensions`` with
``name``, ``label``, ``label_zh``, ``description``, ``synonyms``), so it needs no warehouse.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from genbi.ui.render import escape_markdown
from genbi.ui.strings import Language, text

GRAIN_LABELS: dict[str, tuple[str, str]] = {
    "day": ("Day", "日"),
    "week": ("Week", "周"),
    "month": ("Month", "月"),
    "quarter": ("Quarter", "季度"),
    "year": ("Year", "年"),
}
MAX_VALUES_SHOWN = 8


def _label(item: Any, language: Language) -> str:
    chosen = getattr(item, "label_zh", None) if language == "zh" else getattr(item, "label", None)
    return str(chosen or getattr(item, "label", None) or getattr(item, "name", ""))


def _value_label(value: Any, language: Language) -> str:
    chosen = value.label_zh if language == "zh" and value.label_zh else value.label
    return str(chosen or value.value)


def _values(dimension: Any, language: Language) -> str:
    values = list(getattr(dimension, "values", ()) or ())
    shown = [_value_label(v, language) for v in values]
    more = len(shown) - MAX_VALUES_SHOWN
    text_ = ", ".join(shown[:MAX_VALUES_SHOWN])
    return f"{text_} … (+{more})" if more > 0 else text_


def browser_rows(model: Any, language: Language) -> list[dict[str, str]]:
    """One row per metric and dimension (personal-data dimensions left out)."""
    rows = []
    for kind, items in (("metric", model.metrics), ("dimension", model.dimensions)):
        for item in items:
            if getattr(item, "pii", False):
                continue
            rows.append({
                "kind": text(f"kind_{kind}", language),
                "label": _label(item, language),
                "id": item.name,
                "description": item.description,
                "synonyms": ", ".join(item.synonyms),
                "values": _values(item, language) if kind == "dimension" else "",
            })
    return rows


def _matches(row: dict[str, str], words: Iterable[str]) -> bool:
    haystack = " ".join(row.values()).lower()
    return all(word in haystack for word in words)


def search_rows(model: Any, query: str | None, language: Language) -> list[dict[str, str]]:
    """Browser rows containing every word of ``query`` (names, labels, synonyms, values)."""
    words = (query or "").lower().split()
    return [r for r in browser_rows(model, language) if _matches(r, words)]


def browse(model: Any, query: str | None, language: Language) -> pd.DataFrame:
    """The search result as a table with translated headers."""
    rows = [{**r, "name": f"{r['label']} ({r['id']})"} for r in search_rows(model, query, language)]
    headers = {key: text(f"col_{key}", language)
               for key in ("kind", "name", "description", "synonyms", "values")}
    frame = pd.DataFrame(rows, columns=list(headers))
    return frame.rename(columns=headers)


def browse_markdown(model: Any, query: str | None, language: Language) -> str:
    """The search result as compact markdown entries, readable in a narrow side panel."""
    rows = search_rows(model, query, language)
    if not rows:
        return text("model_no_match", language, query=escape_markdown(query or ""))
    return "\n\n".join(_entry(row, language) for row in rows)


def _entry(row: dict[str, str], language: Language) -> str:
    lines = [f"**{escape_markdown(row['label'])}** `{row['id']}` · {row['kind']}"]
    if row["description"]:
        lines.append(escape_markdown(row["description"]))
    if row["synonyms"]:
        lines.append(f"<sub>{text('col_synonyms', language)}: {escape_markdown(row['synonyms'])}</sub>")
    if row["values"]:
        lines.append(f"<sub>{text('col_values', language)}: {escape_markdown(row['values'])}</sub>")
    return "  \n".join(lines)


def column_label(name: str, model: Any, language: Language) -> str:
    """A result column's display name: the metric's or dimension's label, with its grain.

    ``revenue`` → "Revenue"; ``metric_time__month`` → "Month"; ``signup_date__week`` →
    "Signup date (Week)". Unknown names come back with underscores as spaces.
    """
    zh = language == "zh"
    base, _, grain = name.partition("__")
    grain_label = GRAIN_LABELS.get(grain, (grain, grain))[1 if zh else 0] if grain else ""
    if base == "metric_time" and grain:
        return grain_label
    item = _find(model, base) if model is not None else None
    label = _label(item, language) if item is not None else base.replace("_", " ")
    if grain:
        return f"{label}（{grain_label}）" if zh else f"{label} ({grain_label})"
    return label


def _find(model: Any, name: str) -> Any:
    for item in (*model.metrics, *model.dimensions):
        if item.name == name:
            return item
    return None


def column_labels(names: Iterable[str], model: Any, language: Language) -> list[str]:
    """Display names for result columns, made unique (a repeat gets its SQL name added)."""
    labels: list[str] = []
    for name in names:
        label = column_label(name, model, language)
        labels.append(f"{label} ({name})" if label in labels else label)
    return labels
