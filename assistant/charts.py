"""Pick a chart for the shape of a result: KPI, line, bar, grouped bars or multi-line.

Rules (Power BI Q&A style): one number → KPI card; a time grain → line; one category →
bar; time + category → multi-line; two categories → grouped bars; anything wider → no
chart (the table says it better).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
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
TEMPLATE_KEYS = ("colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor", "plot_bgcolor",
                 "title", "xaxis", "yaxis")
"""The parts of plotly_white a 2-D chart shows. The whole template (defaults for maps, 3-D
and every trace type) is validated and deep-copied into each figure and again whenever the
figure is read (masking, serialising): 30-60 ms an answer, more than most queries."""


@cache
def _template() -> dict[str, Any]:
    import plotly.io as pio

    layout = pio.templates["plotly_white"].layout.to_plotly_json()
    return {"layout": {key: layout[key] for key in TEMPLATE_KEYS if key in layout}}


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


def _layout(title: str, y_label: str, x_label: str) -> dict[str, Any]:
    return {
        "title": {"text": title} if title else None,
        "template": _template(),
        "margin": {"l": 40, "r": 20, "t": 50 if title else 20, "b": 40},
        "xaxis": {"title": {"text": x_label}},
        "yaxis": {"title": {"text": y_label}},
        "legend": {"title": {"text": ""}},
        "height": 380,
    }


def _kpi(
    columns: list[ColumnInfo],
    row: tuple[Any, ...],
    metrics: list[int],
    title: str,
) -> go.Figure:
    traces = []
    count = len(metrics)
    for slot, index in enumerate(metrics):
        value = row[index]
        number = float(value) if isinstance(value, int | float) else None
        style: dict[str, Any] = {"valueformat": ",.4~g"}
        if columns[index].fmt == "currency":
            style["prefix"] = "¥"
        if columns[index].fmt == "percent" and number is not None:
            number, style["suffix"] = number * 100, "%"
        traces.append({
            "type": "indicator", "mode": "number", "value": number,
            "title": {"text": columns[index].label}, "number": style,
            "domain": {"x": [slot / count, (slot + 1) / count], "y": [0, 1]},
        })
    layout = {"title": {"text": title} if title else None, "height": 220, "template": _template(),
              "margin": {"l": 20, "r": 20, "t": 50, "b": 20}}
    return go.Figure({"data": traces, "layout": layout})


def _series(rows: tuple[tuple[Any, ...], ...], key: int | None) -> dict[Any, list[tuple[Any, ...]]]:
    groups: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows:
        groups.setdefault(row[key] if key is not None else None, []).append(row)
    return groups


def _lines(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], x: int, color: int | None,
    y: int, title: str, language: Language = "en",
) -> go.Figure | None:
    def trace(name: str, members: list[tuple[Any, ...]]) -> dict[str, Any]:
        members = sorted(members, key=lambda r: (r[x] is None, r[x]))
        return {"type": "scatter", "x": [r[x] for r in members], "y": [r[y] for r in members],
                "mode": "lines+markers", "name": name}

    return _figure(columns, rows, x, color, y, title, language, trace)


def _bars(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], x: int, color: int | None,
    y: int, title: str, language: Language = "en",
) -> go.Figure | None:
    def trace(name: str, members: list[tuple[Any, ...]]) -> dict[str, Any]:
        return {"type": "bar", "x": [format_member(r[x], language) for r in members],
                "y": [r[y] for r in members], "name": name}

    return _figure(columns, rows, x, color, y, title, language, trace, barmode="group")


def _figure(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], x: int, color: int | None,
    y: int, title: str, language: Language, trace: Callable[[str, list[tuple[Any, ...]]], Any],
    **layout: Any,
) -> go.Figure | None:
    """One trace per series (per member of ``color``), or None when there are too many.

    The figure is built in one constructor call from plain dicts: every ``update_layout``
    or ``add_trace`` re-walks and re-validates the figure, which cost more than the query
    for small results."""
    groups = _series(rows, color)
    if len(groups) > MAX_SERIES:
        return None
    data = []
    for name, members in groups.items():
        label = format_member(name, language) if color is not None else columns[y].label
        data.append(trace(label, members))
    return go.Figure({"data": data, "layout": {**_layout(title, columns[y].label, columns[x].label), **layout}})
