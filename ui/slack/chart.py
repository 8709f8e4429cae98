"""The answer's chart as a PNG for Slack, drawn server-side with matplotlib (Agg, offline).

Same shapes as the assistant's own chart chooser: a line over time (one line per category
when there is one), bars for one category, grouped bars for two; nothing for a single number
(the narrative says it) or a result too wide to read as a picture. Chinese labels need a CJK
font (``apt-get install fonts-wqy-microhei``); without one the chart is still drawn, with
boxes for the missing glyphs, and the log says which package to install.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import math
import re
import textwrap
import threading
import warnings
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from genbi.assistant.charts import MAX_BARS, MAX_SERIES, TOP_BARS
from genbi.assistant.columns import ColumnInfo
from genbi.ui.slack.strings import Language
from genbi.ui.slack.table import cell, format_period

log = logging.getLogger(__name__)

CJK_FONTS = (
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "Source Han Sans CN", "SimHei", "Microsoft YaHei", "PingFang SC",
)
SIZE_INCHES = (8.0, 4.2)
DPI = 120
VALUE_LABELS_UP_TO = 15
"""Bars get their value written at the end when there are at most this many."""
_LOCK = threading.Lock()
"""Rendering sets matplotlib's (global) font settings for its duration; one chart at a time."""


def chart_png(
    columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]], *, title: str = "",
    language: Language = "en",
) -> bytes | None:
    """PNG bytes for the result, or None when a chart would not help."""
    if chart_kind(columns, rows) is None:
        return None
    buffer = io.BytesIO()
    with _LOCK, matplotlib.rc_context(_font_settings()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        figure = _figure(columns, rows, title, language)
        FigureCanvasAgg(figure)
        figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def chart_kind(columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]]) -> str | None:
    """"line", "bars", "grouped" or None, from the result's shape."""
    kinds = [c.kind for c in columns]
    times, dims = kinds.count("time"), kinds.count("dimension")
    if not rows or "metric" not in kinds:
        return None
    if times == 1 and dims <= 1:
        series = _groups(rows, kinds.index("dimension")) if dims else {None: list(rows)}
        return "line" if len(series) <= MAX_SERIES else None
    if times == 0 and dims == 1:
        return "bars"  # the top ones, sorted by value, plus "Others"
    if times == 0 and dims == 2 and len(rows) <= MAX_BARS * 4:
        second = [i for i, k in enumerate(kinds) if k == "dimension"][1]
        return "grouped" if len(_groups(rows, second)) <= MAX_SERIES else None
    return None


_CJK_FILES = ("wqy", "notosanscjk", "notosanssc", "sourcehansans", "simhei", "msyh", "pingfang")


@functools.cache
def cjk_font() -> str | None:
    """The first installed font that has Chinese glyphs, by family name.

    matplotlib caches its font list on first use, so a font installed later (apt-get after
    pip) is missing from it: such files are found on disk and added.
    """
    found = _known_cjk_font()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(key in Path(path).name.lower() for key in _CJK_FILES):
                with contextlib.suppress(OSError, RuntimeError, ValueError):
                    font_manager.fontManager.addfont(path)
        found = _known_cjk_font()
    if found is None:
        log.info("no CJK font found; Chinese chart labels will show as boxes "
                 "(apt-get install fonts-wqy-microhei)")
    return found


def _known_cjk_font() -> str | None:
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _font_settings() -> dict[Any, Any]:
    # An explicit list (not "sans-serif") is what makes matplotlib fall back glyph by glyph.
    return {"font.family": [name for name in ("DejaVu Sans", cjk_font()) if name],
            "axes.unicode_minus": False}


def _figure(
    columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]], title: str, language: Language,
) -> Figure:
    kind = chart_kind(columns, rows)
    figure = Figure(figsize=SIZE_INCHES)
    axes = figure.add_subplot()
    kinds = [c.kind for c in columns]
    metric = kinds.index("metric")
    dims = [i for i, k in enumerate(kinds) if k == "dimension"]
    if kind == "line":
        _lines(axes, columns, rows, kinds.index("time"), dims[0] if dims else None, metric, language)
    elif kind == "bars":
        _bars(axes, columns, rows, dims[0], metric, language)
    else:
        _grouped(axes, columns, rows, dims[0], dims[1], metric, language)
    _style(axes, columns[metric], language, horizontal=kind == "bars")
    if title:
        axes.set_title("\n".join(textwrap.wrap(title, 70)), loc="left", fontsize=11)
    return figure


def _lines(axes: Axes, columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]], x: int,
           color: int | None, y: int, language: Language) -> None:
    groups = _groups(rows, color) if color is not None else {None: list(rows)}
    for name, members in groups.items():
        points = sorted((r for r in members if isinstance(r[x], date | datetime)),
                        key=lambda r: r[x])
        label = cell(name, columns[color], language) if color is not None else columns[y].label
        axes.plot([r[x] for r in points], [_number(r[y]) for r in points],
                  marker="o" if len(points) <= 40 else None, markersize=3, linewidth=1.8,
                  label=label)
    locator = AutoDateLocator(maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.set_xlabel(columns[x].label)
    if color is not None:
        axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _bars(axes: Axes, columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]], x: int,
          y: int, language: Language) -> None:
    rows = sorted(rows, key=lambda r: -_number(r[y]) if not math.isnan(_number(r[y])) else math.inf)
    names = [_label(r[x], columns[x], language) for r in rows[:TOP_BARS]]
    values = [_number(r[y]) for r in rows[:TOP_BARS]]
    labels = [cell(r[y], columns[y], language) for r in rows[:TOP_BARS]]
    if len(rows) > TOP_BARS and columns[y].additive:
        rest = [v for v in (_number(r[y]) for r in rows[TOP_BARS:]) if not math.isnan(v)]
        names.append(f"其他（{len(rows) - TOP_BARS}项）" if language == "zh" else f"Others ({len(rows) - TOP_BARS})")
        values.append(sum(rest))
        labels.append(cell(sum(rest), columns[y], language))
    bars = axes.barh(range(len(names)), values, color="#4C78A8")
    axes.set_yticks(range(len(names)), names, fontsize=9)
    axes.invert_yaxis()
    axes.set_ylabel(columns[x].label)
    if len(names) <= VALUE_LABELS_UP_TO + 1:
        axes.bar_label(bars, labels=labels, padding=3, fontsize=8)
        axes.margins(x=0.15)


def _grouped(axes: Axes, columns: Sequence[ColumnInfo], rows: Sequence[Sequence[Any]], x: int,
             color: int, y: int, language: Language) -> None:
    categories = list(dict.fromkeys(r[x] for r in rows))
    groups = _groups(rows, color)
    slot = 0.8 / len(groups)
    for index, (name, members) in enumerate(groups.items()):
        by_category = {r[x]: _number(r[y]) for r in members}
        positions = [i - 0.4 + slot * (index + 0.5) for i in range(len(categories))]
        axes.bar(positions, [by_category.get(c, math.nan) for c in categories], width=slot,
                 label=cell(name, columns[color], language))
    axes.set_xticks(range(len(categories)), [_label(c, columns[x], language) for c in categories],
                    fontsize=9, rotation=30 if len(categories) > 6 else 0, ha="right"
                    if len(categories) > 6 else "center")
    axes.set_xlabel(columns[x].label)
    axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                title=columns[color].label, title_fontsize=8)


def _style(axes: Axes, metric: ColumnInfo, language: Language, *, horizontal: bool) -> None:
    value_axis = axes.xaxis if horizontal else axes.yaxis
    value_axis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(v, metric, language)))
    (axes.set_xlabel if horizontal else axes.set_ylabel)(metric.label)
    axes.grid(axis="x" if horizontal else "y", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _tick(value: float, metric: ColumnInfo, language: Language) -> str:
    """An axis label: like the table's, without ".00" on round numbers (¥100万, not ¥100.00万)."""
    return re.sub(r"\.0+(?=\D*$)", "", cell(value, metric, language))


def _groups(rows: Sequence[Sequence[Any]], key: int) -> dict[Any, list[Sequence[Any]]]:
    groups: dict[Any, list[Sequence[Any]]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


def _label(value: Any, column: ColumnInfo, language: Language) -> str:
    text = format_period(value, column.grain, language) if isinstance(value, date | datetime) else cell(value, column, language)
    return text if len(text) <= 28 else text[:27] + "…"


def _number(value: Any) -> float:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return math.nan
