"""A dashboard as a static file: one self-contained HTML page (plotly.js inlined once, so it
opens offline and can be mailed), or one PNG image of its tiles (matplotlib, no browser).
"""

from __future__ import annotations

import html
import io
import math
from typing import Any

from genbi.assistant.answer import Answer
from genbi.assistant.watch.dashboards import Dashboard
from genbi.ui.slack.table import answer_column_infos

TABLE_ROWS = 20
PNG_COLUMNS = 2
_STYLE = """
body {font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
      margin: 24px; color: #1f2933; background: #f7f8fa}
.grid {display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px}
.tile {background: #fff; border: 1px solid #e4e7eb; border-radius: 8px; padding: 12px 16px}
.tile h2 {font-size: 1.05em; margin: 0 0 6px} .note {color: #616e7c; font-size: 0.9em}
.error {color: #b42318} table {border-collapse: collapse; font-size: 0.9em; margin-top: 8px}
td, th {border-bottom: 1px solid #e4e7eb; padding: 3px 8px; text-align: left}
td.num {text-align: right}
"""


def dashboard_html(dashboard: Dashboard, model: Any = None) -> str:
    """The whole dashboard as one HTML document."""
    tiles = []
    script_included = False
    for tile in dashboard.tiles:
        chart = ""
        if tile.answer.chart is not None and not (tile.answer.error or tile.answer.declined):
            chart = tile.answer.chart.to_html(full_html=False, include_plotlyjs=not script_included,
                                              config={"displaylogo": False, "responsive": True})
            script_included = True
        tiles.append(_tile(tile.answer, tile.pin.title, chart, model))
    title = html.escape(dashboard.name)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{title}</h1>"
            f"<p class='note'>As of {dashboard.as_of.isoformat()} · genbi</p>"
            f"<div class='grid'>{''.join(tiles)}</div></body></html>")


def _tile(answer: Answer, pinned_title: str, chart: str, model: Any) -> str:
    heading = html.escape(answer.interpretation or pinned_title)
    if answer.error or answer.declined:
        problem = answer.error or (answer.decline.reason if answer.decline else "")
        return f"<div class='tile'><h2>{heading}</h2><p class='error'>{html.escape(problem)}</p></div>"
    narrative = f"<p>{html.escape(answer.narrative)}</p>" if answer.narrative else ""
    notes = "".join(f"<p class='note'>{html.escape(w)}</p>" for w in answer.warnings)
    return f"<div class='tile'><h2>{heading}</h2>{narrative}{chart}{_table(answer, model)}{notes}</div>"


def _table(answer: Answer, model: Any) -> str:
    if not answer.columns or not answer.rows:
        return ""
    infos = answer_column_infos(answer, model)
    language = "zh" if answer.language == "zh" else "en"
    head = "".join(f"<th>{html.escape(c.label)}</th>" for c in infos if not c.hidden)
    body = []
    for row in answer.rows[:TABLE_ROWS]:
        cells = "".join(
            f"<td class='{'num' if c.kind == 'metric' else ''}'>{html.escape(c.show(v, language))}</td>"
            for c, v in zip(infos, row, strict=False) if not c.hidden)
        body.append(f"<tr>{cells}</tr>")
    more = (f"<p class='note'>… {len(answer.rows) - TABLE_ROWS:,} more rows</p>"
            if len(answer.rows) > TABLE_ROWS else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def dashboard_png(dashboard: Dashboard, model: Any = None) -> bytes:
    """The dashboard's tiles in a grid, as one PNG: each tile's chart, or its sentence."""
    import matplotlib.image as mpimg
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from genbi.ui.slack.chart import chart_png, cjk_font

    count = max(len(dashboard.tiles), 1)
    columns = min(PNG_COLUMNS, count)
    rows = math.ceil(count / columns)
    figure = Figure(figsize=(8 * columns, 4.6 * rows + 0.6), dpi=100)
    FigureCanvasAgg(figure)
    family = [cjk_font() or "DejaVu Sans", "DejaVu Sans"]
    figure.suptitle(f"{dashboard.name} · {dashboard.as_of.isoformat()}", fontsize=16, family=family)
    for index, tile in enumerate(dashboard.tiles):
        axes = figure.add_subplot(rows, columns, index + 1)
        axes.set_axis_off()
        answer = tile.answer
        png = None
        if not (answer.error or answer.declined) and answer.rows:
            infos = answer_column_infos(answer, model)
            png = chart_png(infos, answer.rows, title=answer.interpretation, language=answer.language)
        if png is not None:
            axes.imshow(mpimg.imread(io.BytesIO(png), format="png"))
        else:
            words = answer.error or (answer.decline.reason if answer.decline else answer.narrative)
            axes.set_title(answer.interpretation or tile.pin.title, fontsize=11, family=family)
            axes.text(0.5, 0.5, _wrap(words or "—"), ha="center", va="center", fontsize=12, wrap=True,
                      family=family)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _wrap(text: str, width: int = 60) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text
