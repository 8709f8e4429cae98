"""Pick a chart for the shape of a result: KPI, line, bar, grouped bars or multi-line.

Rules (Power BI Q&A style): one number → KPI card; a time grain → line; one category →
bar; time + category → multi-line; two categories → grouped bars; anything wider → no
chart (the table says it better).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from genbi.assistant.columns import ColumnInfo
from genbi.assistant.formatting import Language, format_member
from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import plotly.graph_objects as go
else:
    go = lazy_module("plotly.graph_objects")

MAX_BARS = 30
MAX_SERIES = 12


def choose_chart(
    columns: list[ColumnInfo],
    rows: tuple[tuple[Any, ...], ...],
    *,
    title: str = "",
    language: Language = "en",
) -> go.Figure | None:
    """A plotly figure for the result, or ``None`` when a table is clearer."""
    if not rows:
        return None
    metrics = [i for i, c in enumerate(columns) if c.kind == "metric"]
    times = [i for i, c in enumerate(columns) if c.kind == "time"]
    dims = [i for i, c in enumerate(columns) if c.kind == "dimension"]
    if not metrics:
        return None
    metric = metrics[0]
    if not times and not dims and len(rows) == 1:
        return _kpi(columns, rows[0], metrics, title)
    if len(times) == 1 and not dims:
        return _lines(columns, rows, times[0], None, metric, title, language)
    if len(times) == 1 and len(dims) == 1:
        return _lines(columns, rows, times[0], dims[0], metric, title, language)
    if len(dims) == 1 and not times and len(rows) <= MAX_BARS:
        return _bars(columns, rows, dims[0], None, metric, title, language)
    if len(dims) == 2 and not times and len(rows) <= MAX_BARS * 4:
        return _bars(columns, rows, dims[0], dims[1], metric, title, language)
    return None


def _layout(fig: go.Figure, title: str, y_label: str) -> go.Figure:
    fig.update_layout(
        title=title or None,
        template="plotly_white",
        margin={"l": 40, "r": 20, "t": 50 if title else 20, "b": 40},
        yaxis_title=y_label,
        legend_title_text="",
        height=380,
    )
    return fig


def _kpi(
    columns: list[ColumnInfo],
    row: tuple[Any, ...],
    metrics: list[int],
    title: str,
) -> go.Figure:
    fig = go.Figure()
    count = len(metrics)
    for slot, index in enumerate(metrics):
        value = row[index]
        number = float(value) if isinstance(value, int | float) else None
        style: dict[str, Any] = {"valueformat": ",.4~g"}
        if columns[index].fmt == "currency":
            style["prefix"] = "¥"
        if columns[index].fmt == "percent" and number is not None:
            number, style["suffix"] = number * 100, "%"
        fig.add_trace(
            go.Indicator(
                mode="number",
                value=number,
                title={"text": columns[index].label},
                number=style,
                domain={"x": [slot / count, (slot + 1) / count], "y": [0, 1]},
            )
        )
    fig.update_layout(title=title or None, height=220, margin={"l": 20, "r": 20, "t": 50, "b": 20})
    return fig


def _series(rows: tuple[tuple[Any, ...], ...], key: int | None) -> dict[Any, list[tuple[Any, ...]]]:
    groups: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows:
        groups.setdefault(row[key] if key is not None else None, []).append(row)
    return groups


def _lines(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], x: int, color: int | None,
    y: int, title: str, language: Language = "en",
) -> go.Figure | None:
    def trace(name: str, members: list[tuple[Any, ...]]) -> go.Scatter:
        members = sorted(members, key=lambda r: (r[x] is None, r[x]))
        return go.Scatter(x=[r[x] for r in members], y=[r[y] for r in members],
                          mode="lines+markers", name=name)

    return _figure(columns, rows, x, color, y, title, language, trace)


def _bars(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], x: int, color: int | None,
    y: int, title: str, language: Language = "en",
) -> go.Figure | None:
    def trace(name: str, members: list[tuple[Any, ...]]) -> go.Bar:
        return go.Bar(x=[format_member(r[x], language) for r in members],
                      y=[r[y] for r in members], name=name)

    figure = _figure(columns, rows, x, color, y, title, language, trace)
    if figure is not None:
        figure.update_layout(barmode="group")
    return figure


def _figure(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], x: int, color: int | None,
    y: int, title: str, language: Language, trace: Callable[[str, list[tuple[Any, ...]]], Any],
) -> go.Figure | None:
    """One trace per series (per member of ``color``), or None when there are too many."""
    groups = _series(rows, color)
    if len(groups) > MAX_SERIES:
        return None
    fig = go.Figure()
    for name, members in groups.items():
        label = format_member(name, language) if color is not None else columns[y].label
        fig.add_trace(trace(label, members))
    fig.update_xaxes(title_text=columns[x].label)
    return _layout(fig, title, columns[y].label)
