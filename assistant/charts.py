"""Pick the chart a marketer would draw for the shape of a result.

- one number → a KPI card, with the change on the period before when it is known;
- a time grain with at least 3 points → a line (a second metric that is a rate or ratio goes
  on a right-hand axis); fewer points → bars, one per period;
- one category → bars sorted by value; more than ``TOP_BARS`` members → horizontal bars of
  the top ones plus "Others" (summed only for additive metrics); a rate beside an amount →
  bars and a line on a second axis;
- two categories → stacked bars (as shares of each bar when the metric is a share);
- anything wider → no chart (the table says it better).

Labels, values and axis ticks go through ``formatting`` so the chart reads like the table.
Answer charts are written as plotly's JSON (``chart_spec.ChartSpec``), not built through
plotly's validators: the browser draws the JSON either way, and validating a figure costs
more than most queries. Tools build their own plotly charts (heatmap for cohorts, funnel
for funnels); ``style_figure`` gives those the same fonts (CJK included) and look.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from genbi.assistant.chart_spec import ChartDraft, ChartSpec, trace
from genbi.assistant.columns import ColumnInfo
from genbi.assistant.formatting import Language, format_change, format_value
from genbi.lazy import lazy_module
from genbi.semantic_layer.resolver import PERIOD

if TYPE_CHECKING:
    import plotly.graph_objects as go
else:
    go = lazy_module("plotly.graph_objects")

MAX_BARS = 30
"""Kept for front ends drawing their own charts (Slack): bars beyond this go to "Others"."""
MAX_SERIES = 12
TOP_BARS = 15
MIN_LINE_POINTS = 3
FONT_FAMILY = ("Inter, 'Helvetica Neue', Arial, 'Noto Sans CJK SC', 'Noto Sans SC', "
               "'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', sans-serif")
PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B", "#B279A2",
           "#FF9DA6", "#9D755D", "#BAB0AC", "#2F4B7C", "#A05195")
Rows = Sequence[Sequence[Any]]
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
    columns: Sequence[ColumnInfo],
    rows: Rows,
    *,
    title: str = "",
    language: Language = "en",
    previous: Sequence[Any] | None = None,
) -> ChartSpec | None:
    """The chart for the result (plotly's JSON), or ``None`` when a table is clearer.

    ``previous``: for a single-row result, the same numbers for the period before (the KPI
    card shows the change).
    """
    if not rows:
        return None
    metrics = [i for i, c in enumerate(columns) if c.kind == "metric"]
    times = [i for i, c in enumerate(columns) if c.kind == "time"]
    dims = [i for i, c in enumerate(columns) if c.kind == "dimension"]
    if not metrics:
        return None
    figure: ChartDraft | None = None
    if not times and not dims and len(rows) == 1:
        figure = _kpi(columns, rows[0], metrics, title, language, previous)
    elif len(times) == 1 and len(dims) <= 1:
        figure = _over_time(columns, rows, times[0], dims[0] if dims else None, metrics, language)
    elif len(dims) == 1 and not times:  # compared periods ("month over month for 2025") keep their time order
        periods = columns[dims[0]].name == PERIOD
        figure = _bars(columns, rows, dims[0], metrics, language, keep_order=periods, upright=periods)
    elif len(dims) == 2 and not times:
        figure = _stacked(columns, rows, dims[0], dims[1], metrics[0], language)
    if figure is None:
        return None
    figure.update_layout(template=_template(), **_house_style(figure.layout, title))
    return figure.spec()


def _house_style(layout: dict[str, Any], title: str) -> dict[str, Any]:
    """Fonts (CJK included), colours, title, and a default size and margins for ``layout``."""
    style: dict[str, Any] = {"title": {"text": title} if title else None,
                             "font": {"family": FONT_FAMILY, "size": 13},
                             "legend": {"title": {"text": ""}}, "colorway": list(PALETTE)}
    if layout.get("height") is None:
        style["height"] = 400
    if layout.get("margin", {}).get("t") is None:
        style["margin"] = {"l": 60, "r": 30, "t": 60 if title else 24, "b": 50}
    return style


def style_figure(figure: go.Figure, title: str = "") -> go.Figure:
    """The house look for a tool's plotly figure: white template, readable fonts in English
    and Chinese.

    The template replaces plotly's default one instead of being merged into it with
    ``update_layout``: a merge walks the whole default template key by key (a tenth to a
    third of a second a chart, more than most queries), and every colour our charts need is
    set explicitly. The rest is one ``update_layout``: each call re-validates the figure."""
    figure.layout.template = _template()
    layout = {"height": figure.layout.height, "margin": {"t": figure.layout.margin.t}}
    figure.update_layout(**_house_style(layout, title))
    return figure


# --- single numbers ---


def _kpi(
    columns: Sequence[ColumnInfo], row: Sequence[Any], metrics: list[int], title: str,
    language: Language, previous: Sequence[Any] | None,
) -> ChartDraft:
    figure = ChartDraft()
    count = len(metrics)
    for slot, index in enumerate(metrics):
        info, value = columns[index], row[index]
        shown = format_value(value, info.fmt, language)
        before = previous[index] if previous is not None else None
        change = ""
        new, old = _number(value), _number(before)
        if new is not None and old is not None:
            change = format_change(new, old, language)
            before_text = format_value(before, info.fmt, language)
            change = (f"较上期{change}（上期{before_text}）" if language == "zh"
                      else f"{change} on the period before ({before_text})") if change else ""
        x = (slot + 0.5) / count
        color = _change_color(value, before)
        lines = [(info.label, 0.85, 16, "#555"), (f"<b>{shown}</b>", 0.52, 40, "#1f2d3d"),
                 (change, 0.18, 14, color)]
        for words, y, size, tint in lines:
            if words:
                figure.add_annotation(text=words, x=x, y=y, xref="paper", yref="paper", showarrow=False,
                                      font={"size": size, "color": tint})
    figure.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, height=230,
                         margin={"l": 20, "r": 20, "t": 50 if title else 20, "b": 20})
    return figure


def _change_color(value: Any, before: Any) -> str:
    new, old = _number(value), _number(before)
    if new is None or old is None or new == old:
        return "#555"
    return "#2e7d32" if new > old else "#c62828"


# --- time ---


def _over_time(
    columns: Sequence[ColumnInfo], rows: Rows, x: int, color: int | None, metrics: list[int],
    language: Language,
) -> ChartDraft | None:
    points = sorted({r[x] for r in rows if r[x] is not None})
    y = metrics[0]
    if len(points) < MIN_LINE_POINTS:
        # one or two periods are a comparison, not a trend: bars, one per period
        ordered = sorted((r for r in rows if r[x] is not None), key=lambda r: r[x])
        shown = [tuple(columns[x].show(v, language) if i == x else v for i, v in enumerate(r)) for r in ordered]
        labelled = [*columns]
        labelled[x] = ColumnInfo(columns[x].name, columns[x].label, "dimension")
        if color is None:
            return _bars(labelled, shown, x, metrics, language, keep_order=True)
        return _grouped(labelled, shown, x, color, y, language)
    groups = _series(rows, color)
    if len(groups) > MAX_SERIES:
        groups = dict(sorted(groups.items(), key=lambda kv: -_total(kv[1], y))[:MAX_SERIES])
    figure = ChartDraft()
    secondary = _secondary(columns, metrics) if color is None else None
    for name, members in groups.items():
        members = sorted((r for r in members if r[x] is not None), key=lambda r: r[x])
        label = columns[color].member(name, language) if color is not None else columns[y].label
        figure.add_trace(trace(
            "scatter", x=[r[x] for r in members], y=[_plain(r[y]) for r in members], name=label,
            mode="lines+markers", text=[columns[y].show(r[y], language) for r in members],
            customdata=[columns[x].show(r[x], language) for r in members],
            hovertemplate="%{customdata}: %{text}<extra>" + _escape(label) + "</extra>",
        ))
    if secondary is not None:
        members = sorted((r for r in rows if r[x] is not None), key=lambda r: r[x])
        _add_secondary_line(figure, columns, members, x, secondary, language,
                            [r[x] for r in members])
    _ticks(figure, columns[y], [_plain(r[y]) for r in rows], language, "y")
    _period_ticks(figure, columns[x], points, language)
    figure.update_layout(xaxis={"title": {"text": columns[x].label}}, yaxis={"title": {"text": columns[y].label}},
                         showlegend=color is not None or secondary is not None)
    return figure


def _period_ticks(figure: ChartDraft, column: ColumnInfo, points: list[Any], language: Language) -> None:
    """Axis ticks at the periods themselves, labelled by grain (no "23:59:59.9995")."""
    if len(points) <= 24:
        figure.update_layout(xaxis={"tickvals": points, "ticktext": [column.show(p, language) for p in points]})
    else:
        step = math.ceil(len(points) / 12)
        chosen = points[::step]
        figure.update_layout(xaxis={"tickvals": chosen, "ticktext": [column.show(p, language) for p in chosen]})


# --- categories ---


def _bars(
    columns: Sequence[ColumnInfo], rows: Rows, x: int, metrics: list[int], language: Language,
    *, keep_order: bool = False, upright: bool = False,
) -> ChartDraft:
    y = metrics[0]
    info = columns[y]
    ordered = list(rows) if keep_order else sorted(rows, key=lambda r: _sort_key(r[y]))
    others = None
    if len(ordered) > TOP_BARS:
        rest = ordered[TOP_BARS:]
        ordered = ordered[:TOP_BARS]
        if info.additive:
            others = (len(rest), round(sum(_plain(r[y]) or 0 for r in rest), 2))
    names = [columns[x].member(r[x], language) for r in ordered]
    values = [_plain(r[y]) for r in ordered]
    if others is not None:
        names.append(f"其他（{others[0]}项）" if language == "zh" else f"Others ({others[0]})")
        values.append(others[1])
    texts = [format_value(v, info.fmt, language) for v in values]
    horizontal = not upright and (len(names) > 8 or max((len(n) for n in names), default=0) > 14)
    secondary = _secondary(columns, metrics)
    if horizontal and secondary is None:
        figure = ChartDraft(trace(
            "bar", y=names, x=values, orientation="h", text=texts, textposition="outside",
            marker={"color": PALETTE[0]}, name=info.label, hovertemplate="%{y}: %{text}<extra></extra>",
            cliponaxis=False,
        ))
        figure.update_layout(yaxis={"autorange": "reversed", "title": {"text": columns[x].label}})
        _ticks(figure, info, values, language, "x")
        figure.update_layout(xaxis={"title": {"text": info.label}}, height=max(320, 60 + 26 * len(names)),
                             margin={"l": 140, "r": 60})
        return figure
    figure = ChartDraft(trace(
        "bar", x=names, y=values, text=texts, textposition="outside", marker={"color": PALETTE[0]},
        name=info.label, hovertemplate="%{x}: %{text}<extra></extra>", cliponaxis=False,
    ))
    if secondary is not None:
        kept = {columns[x].member(r[x], language): r for r in ordered}
        _add_secondary_line(figure, columns, [kept[n] for n in names if n in kept], x, secondary,
                            language, [n for n in names if n in kept])
        figure.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom",
                                                      "x": 1, "xanchor": "right"})
    _ticks(figure, info, values, language, "y")
    figure.update_layout(xaxis={"title": {"text": columns[x].label}}, yaxis={"title": {"text": info.label}})
    return figure


def _grouped(
    columns: Sequence[ColumnInfo], rows: Rows, x: int, color: int, y: int, language: Language,
) -> ChartDraft | None:
    groups = _series(rows, color)
    if len(groups) > MAX_SERIES:
        return None
    figure = ChartDraft()
    for name, members in groups.items():
        figure.add_trace(trace(
            "bar", x=[columns[x].member(r[x], language) for r in members], y=[_plain(r[y]) for r in members],
            name=columns[color].member(name, language),
            text=[columns[y].show(r[y], language) for r in members], textposition="outside",
        ))
    _ticks(figure, columns[y], [_plain(r[y]) for r in rows], language, "y")
    figure.update_layout(barmode="group", xaxis={"title": {"text": columns[x].label}},
                         yaxis={"title": {"text": columns[y].label}})
    return figure


def _stacked(
    columns: Sequence[ColumnInfo], rows: Rows, x: int, color: int, y: int, language: Language,
) -> ChartDraft | None:
    """Stacked bars of ``y`` per member of ``x``, split by ``color``; as shares when ``y`` is one."""
    info = columns[y]
    if not info.additive and info.fmt != "percent":
        return _grouped(columns, rows, x, color, y, language)
    totals: dict[Any, float] = {}
    for row in rows:
        totals[row[x]] = totals.get(row[x], 0.0) + (_plain(row[y]) or 0.0)
    keep = [k for k, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:TOP_BARS]]
    groups = _series([r for r in rows if r[x] in keep], color)
    if len(groups) > MAX_SERIES:
        return None
    share = info.fmt == "percent"
    figure = ChartDraft()
    for name, members in sorted(groups.items(), key=lambda kv: -_total(kv[1], y)):
        by_member = {r[x]: _plain(r[y]) for r in members}
        values = [by_member.get(k) for k in keep]
        if not share:
            values = [None if v is None else v / totals[k] if totals[k] else None for k, v in zip(keep, values, strict=True)]
        figure.add_trace(trace(
            "bar", x=[columns[x].member(k, language) for k in keep], y=values,
            name=columns[color].member(name, language), textposition="none",
            text=[columns[y].show(by_member.get(k), language) for k in keep],
            hovertemplate="%{x} · " + _escape(columns[color].member(name, language)) + ": %{text}<extra></extra>",
        ))
    figure.update_layout(barmode="stack", xaxis={"title": {"text": columns[x].label}},
                         yaxis={"tickformat": ".0%", "title": {"text": "占比" if language == "zh" else "Share"}})
    return figure


# --- helpers ---


def _secondary(columns: Sequence[ColumnInfo], metrics: list[int]) -> int | None:
    """A second metric worth a right-hand axis: a rate or ratio beside an amount or count."""
    if len(metrics) < 2:
        return None
    first, second = columns[metrics[0]], columns[metrics[1]]
    rates = ("percent", "ratio")
    if (first.fmt in rates) != (second.fmt in rates):
        return metrics[1]
    return None


def _add_secondary_line(
    figure: ChartDraft, columns: Sequence[ColumnInfo], rows: Rows, x: int, y: int,
    language: Language, xs: list[Any],
) -> None:
    info = columns[y]
    figure.add_trace(trace(
        "scatter", x=xs, y=[_plain(r[y]) for r in rows], name=info.label, yaxis="y2", mode="lines+markers",
        line={"color": PALETTE[1]}, text=[info.show(r[y], language) for r in rows],
        hovertemplate="%{text}<extra>" + _escape(info.label) + "</extra>",
    ))
    figure.update_layout(yaxis2={"overlaying": "y", "side": "right", "showgrid": False,
                                 "title": {"text": info.label}})
    _ticks(figure, info, [_plain(r[y]) for r in rows], language, "y2")


def _ticks(figure: ChartDraft, info: ColumnInfo, values: Sequence[float | None], language: Language,
           axis: str) -> None:
    """Value-axis ticks written by the formatting layer (¥120万, 35%, 2.50×)."""
    numbers = [v for v in values if v is not None and not math.isnan(v)]
    if not numbers:
        return
    ticks = nice_ticks(min(0.0, *numbers), max(0.0, *numbers))
    text = [_short(format_value(t, info.fmt, language)) for t in ticks]
    name = {"x": "xaxis", "y": "yaxis", "y2": "yaxis2"}[axis]
    figure.update_layout(**{name: {"tickvals": ticks, "ticktext": text}})


def _short(text: str) -> str:
    """"¥1.50M" → "¥1.5M", "20.0%" → "20%" on an axis."""
    return _TRAILING_ZEROS.sub(_kept_decimals, text).replace(".%", "%").replace(".M", "M").replace(
        ".万", "万").replace(".亿", "亿").replace(".B", "B").replace(".×", "×").rstrip(".")


_TRAILING_ZEROS = re.compile(r"(\.\d*?)0+(?=\D*$)")


def _kept_decimals(match: re.Match[str]) -> str:
    """The ``\\1`` of the substitution (the group always takes part), without parsing a
    template on every tick."""
    return match.group(1)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × a power of ten) covering ``low``..``high``."""
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _series(rows: Rows, key: int | None) -> dict[Any, list[Sequence[Any]]]:
    groups: dict[Any, list[Sequence[Any]]] = {}
    for row in rows:
        groups.setdefault(row[key] if key is not None else None, []).append(row)
    return groups


def _total(rows: Sequence[Sequence[Any]], y: int) -> float:
    return sum(_plain(r[y]) or 0.0 for r in rows)


def _sort_key(value: Any) -> tuple[int, float]:
    number = _plain(value)
    return (1, 0.0) if number is None else (0, -number)


def _plain(value: Any) -> float | None:
    number = _number(value)
    return None if number is None else float(number)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _escape(text: str) -> str:
    return text.replace("<", "&lt;")
