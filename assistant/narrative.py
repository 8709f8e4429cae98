"""One or two sentences that say what the numbers show, in the question's language.

Written from the result itself (never from an LLM in the offline path), so every number in
the narrative is a number in the table.
"""

from __future__ import annotations

from typing import Any

from genbi.assistant.columns import ColumnInfo
from genbi.assistant.formatting import (
    Language,
    format_change,
    format_share,
    format_value,
)
from genbi.semantic_layer.resolver import SHARE_SUFFIX


def narrate(
    columns: list[ColumnInfo],
    rows: tuple[tuple[Any, ...], ...],
    *,
    language: Language = "en",
    period: str = "",
    ranked: bool = False,
) -> str:
    """Describe a result: a KPI, a breakdown's leader and laggard, or a trend's range."""
    metrics = [i for i, c in enumerate(columns) if c.kind == "metric"]
    times = [i for i, c in enumerate(columns) if c.kind == "time"]
    dims = [i for i, c in enumerate(columns) if c.kind == "dimension"]
    if not rows:
        return "没有符合条件的数据。" if language == "zh" else "No data matches this question."
    if not metrics:
        return _count_rows(len(rows), language)
    if not times and not dims:
        return _kpi(columns, rows[0], metrics, period, language)
    metric = metrics[0]
    if len(times) == 1 and not dims:
        return _trend(columns, rows, times[0], metric, period, language)
    if len(dims) == 1 and not times:
        return _breakdown(columns, rows, dims[0], metric, period, language, ranked)
    return _count_rows(len(rows), language)


def _suffix(period: str, language: Language) -> str:
    if not period:
        return ""
    return f"（{period}）" if language == "zh" else f" ({period})"


def _kpi(
    columns: list[ColumnInfo], row: tuple[Any, ...], metrics: list[int], period: str,
    language: Language,
) -> str:
    parts = [
        (columns[i].label, format_value(row[i], columns[i].fmt, language)) for i in metrics
    ]
    if language == "zh":
        body = "，".join(f"{label}为{value}" for label, value in parts)
        return f"{period + '，' if period else ''}{body}。"
    body = "; ".join(f"{label} was {value}" for label, value in parts)
    return f"{body[0].upper()}{body[1:]}{' in ' + period if period else ''}."


def _breakdown(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], dim: int, metric: int,
    period: str, language: Language, ranked: bool,
) -> str:
    valued = [r for r in rows if isinstance(r[metric], int | float)]
    if not valued:
        return _count_rows(len(rows), language)
    info = columns[metric]
    top = max(valued, key=lambda r: r[metric])
    low = min(valued, key=lambda r: r[metric])
    total = sum(r[metric] for r in valued)
    given = next((i for i, c in enumerate(columns) if c.name == info.name + SHARE_SUFFIX), None)
    if given is not None and isinstance(top[given], int | float):
        # the query computed each row's share of the whole (also right under a top-N)
        top_share: str | None = format_share(top[given], 1.0)
    elif info.additive and len(valued) > 1 and total > 0 and not ranked:
        top_share = format_share(top[metric], total)
    else:
        top_share = None
    share = f" ({top_share} of the total)" if top_share else ""
    fmt = lambda v: format_value(v, info.fmt, language)  # noqa: E731
    if language == "zh":
        share_zh = f"，占{top_share}" if top_share else ""
        text = f"按{columns[dim].label}看{info.label}{_suffix(period, language)}：{columns[dim].member(top[dim], language)}最高，为{fmt(top[metric])}{share_zh}"
        if len(valued) > 1:
            text += f"；{columns[dim].member(low[dim], language)}最低，为{fmt(low[metric])}"
        return text + "。"
    text = f"{info.label} by {columns[dim].label.lower()}{_suffix(period, language)}: {columns[dim].member(top[dim], language)} leads with {fmt(top[metric])}{share}"
    if len(valued) > 1:
        text += f"; {columns[dim].member(low[dim], language)} is lowest at {fmt(low[metric])}"
    return text + "."


def _trend(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], time: int, metric: int,
    period: str, language: Language,
) -> str:
    ordered = sorted((r for r in rows if r[time] is not None and isinstance(r[metric], int | float)), key=lambda r: r[time])
    if not ordered:
        return _count_rows(len(rows), language)
    info = columns[metric]
    fmt = lambda v: format_value(v, info.fmt, language)  # noqa: E731
    peak = max(ordered, key=lambda r: r[metric])
    low = min(ordered, key=lambda r: r[metric])
    last = ordered[-1]
    when = lambda r: columns[time].show(r[time], language)  # noqa: E731
    change = format_change(last[metric], ordered[-2][metric], language) if len(ordered) > 1 else ""
    if language == "zh":
        text = f"{info.label}{_suffix(period, language)}最高在{when(peak)}（{fmt(peak[metric])}），最低在{when(low)}（{fmt(low[metric])}）"
        if change:
            text += f"；最近一期{when(last)}为{fmt(last[metric])}，较上一期{change}"
        return text + "。"
    text = f"{info.label}{_suffix(period, language)} peaked at {fmt(peak[metric])} ({when(peak)}) and was lowest at {fmt(low[metric])} ({when(low)})"
    if change:
        text += f"; the latest, {when(last)}, was {fmt(last[metric])}, {change} on the period before"
    return text + "."


def _count_rows(count: int, language: Language) -> str:
    return f"共{count}行结果。" if language == "zh" else f"{count} rows."
