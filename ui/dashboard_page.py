"""The Dashboards page of ``genbi ui`` (/dashboards): pinned answers re-run in a grid, the
static exports, and the monitors (list, pause, resume, delete).

Opening the page or picking a dashboard re-runs every pin as of today (or the date typed
in) through the assistant's guarded path, as the person looking (``ui.identity``); nothing
shown here was stored as numbers. Handlers catch everything, log it and say so.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from genbi.assistant.watch.dashboards import Dashboard, open_dashboard
from genbi.assistant.watch.pins import PinStore
from genbi.assistant.watch.replay import live_as_of
from genbi.errors import GenbiError
from genbi.ui import render
from genbi.ui.model_browser import column_labels
from genbi.ui.private_temp import private_dir
from genbi.ui.strings import text

log = logging.getLogger("genbi.ui.dashboards")

PATH = "/dashboards"
TILES_PER_ROW = 2
MONITOR_COLUMNS = ("#", "kind", "question", "schedule", "next run", "posts to", "status")


@dataclass(eq=False)
class ShownTile:
    """One tile as the grid draws it (hashed by identity: Gradio hashes state values, and a
    figure or a table has no value hash)."""

    heading: str
    markdown: str
    chart: Any
    table: pd.DataFrame


def dashboard_page(app: gr.Blocks, context: Any) -> None:
    """Add the Dashboards page to ``app`` (the chat app of ``ui.app``)."""
    page = DashboardHandlers(context)
    with app.route(text("dashboards", "en"), PATH):
        gr.Markdown(text("dashboards_title", "en"))
        with gr.Row(equal_height=True):
            board = gr.Dropdown(label=text("dashboard", "en"), choices=[], scale=3, elem_id="dashboard-name")
            as_of = gr.Textbox(label=text("dashboard_as_of", "en"), scale=2, elem_id="dashboard-as-of")
            refresh = gr.Button(text("dashboard_refresh", "en"), scale=1, elem_id="dashboard-refresh")
        with gr.Row():
            html = gr.DownloadButton(text("dashboard_export_html", "en"), visible=False, size="sm",
                                     elem_id="dashboard-export-html")
            png = gr.DownloadButton(text("dashboard_export_png", "en"), visible=False, size="sm",
                                    elem_id="dashboard-export-png")
        status = gr.Markdown("", elem_id="dashboard-status")
        tiles = gr.State([])

        @gr.render(inputs=[tiles])
        def grid(shown: list[ShownTile]) -> None:
            for start in range(0, len(shown), TILES_PER_ROW):
                with gr.Row(equal_height=False):
                    for tile in shown[start:start + TILES_PER_ROW]:
                        with gr.Column(elem_classes=["dashboard-tile"]):
                            gr.Markdown(f"### {tile.heading}\n\n{tile.markdown}")
                            if tile.chart is not None:
                                gr.Plot(tile.chart, show_label=False)
                            if len(tile.table.columns):
                                gr.Dataframe(tile.table, interactive=False, max_height=260)

        gr.Markdown(text("monitors_title", "en"))
        monitors = gr.Dataframe(interactive=False, elem_id="monitors-table", max_height=320)
        with gr.Row(equal_height=True):
            number = gr.Number(value=None, label=text("monitor_number", "en"), precision=0, scale=1, elem_id="monitor-number")
            pause = gr.Button(text("monitor_pause", "en"), scale=1, elem_id="monitor-pause")
            resume = gr.Button(text("monitor_resume", "en"), scale=1, elem_id="monitor-resume")
            delete = gr.Button(text("monitor_delete", "en"), scale=1, variant="stop", elem_id="monitor-delete")
        monitor_status = gr.Markdown("", elem_id="monitor-status")

        shown = [board, as_of, tiles, status, html, png]
        hidden: dict[str, Any] = {"api_visibility": "undocumented"}
        app.load(page.open_page, None, [*shown, monitors], **hidden)
        board.input(page.show, [board, as_of], [tiles, status, html, png], **hidden)
        refresh.click(page.show, [board, as_of], [tiles, status, html, png], api_name="dashboard")
        for button, action in ((pause, "pause"), (resume, "resume"), (delete, "delete")):
            button.click(page.monitor_action(action), [number], [monitors, monitor_status], **hidden)


class DashboardHandlers:
    """The page's event handlers; each returns values for its outputs and never raises."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.exports = private_dir("dashboards")

    def open_page(self, request: gr.Request) -> list[Any]:
        """The first dashboard as of today, and the monitors."""
        try:
            names = [name for name, _ in PinStore().dashboards()]
            today = live_as_of(self.context.assistant).isoformat()
        except Exception:
            log.exception("could not open the dashboards page")
            return [gr.skip(), gr.skip(), [], text("internal_error", "en"), gr.skip(), gr.skip(), gr.skip()]
        first = names[0] if names else None
        shown = self.show(first, today, request) if first else [[], text("dashboards_none", "en"),
                                                                 gr.update(visible=False), gr.update(visible=False)]
        return [gr.update(choices=names, value=first), today, *shown, self._monitors()]

    def show(self, name: str | None, as_of: str, request: gr.Request) -> list[Any]:
        """Re-run ``name``'s pins as of ``as_of``: tiles, a status line, the two exports."""
        if not name:
            return [[], text("dashboards_none", "en"), gr.update(visible=False), gr.update(visible=False)]
        try:
            day = date.fromisoformat(as_of.strip()) if (as_of or "").strip() else None
        except ValueError:
            return [gr.skip(), text("dashboard_bad_date", "en", value=as_of), gr.skip(), gr.skip()]
        try:
            board = open_dashboard(self.context.assistant, name, as_of=day,
                                   user=self.context.identity.user(request))
            html, png = self._export(board)
        except GenbiError as problem:
            return [[], str(problem), gr.update(visible=False), gr.update(visible=False)]
        except Exception:
            log.exception("could not open the dashboard %r", name)
            return [[], text("internal_error", "en"), gr.update(visible=False), gr.update(visible=False)]
        status = text("dashboard_status", "en", name=board.name, count=len(board.tiles), as_of=board.as_of.isoformat())
        return [[self._tile(t.answer, t.pin.title) for t in board.tiles], status,
                gr.update(value=str(html), visible=True), gr.update(value=str(png), visible=True)]

    def _tile(self, answer: Any, title: str) -> ShownTile:
        language = "zh" if answer.language == "zh" else "en"
        labels = column_labels(answer.columns, self.context.assistant.model, language)
        rendered = render.render_answer(answer, language, labels=labels)
        problem = answer.error or (answer.decline.reason if answer.decline else "")
        words = f"⚠️ {problem}" if problem else answer.narrative
        return ShownTile(answer.interpretation or title, words, rendered.chart, rendered.table)

    def _export(self, board: Dashboard) -> tuple[Path, Path]:
        from genbi.ui.dashboard_export import dashboard_html, dashboard_png

        stem = "".join(c if c.isalnum() else "-" for c in board.name).strip("-")[:40] or "dashboard"
        folder = self.exports / uuid.uuid4().hex[:12]
        folder.mkdir(mode=0o700)
        html = folder / f"{stem}-{board.as_of.isoformat()}.html"
        html.write_text(dashboard_html(board, self.context.assistant.model), encoding="utf-8")
        png = folder / f"{stem}-{board.as_of.isoformat()}.png"
        png.write_bytes(dashboard_png(board, self.context.assistant.model))
        return html, png

    # --- monitors ---

    def _monitors(self) -> Any:
        from genbi.assistant.watch.chat import watcher_of

        try:
            listed = watcher_of(self.context.assistant).monitors()
        except Exception:
            log.exception("could not list the monitors")
            return gr.skip()
        rows = [(m.monitor.id, m.monitor.kind, m.monitor.title, m.monitor.schedule.describe("en"),
                 m.next_run.isoformat(timespec="minutes") if m.next_run else "", m.monitor.destination,
                 "paused" if m.paused else "active") for m in listed]
        return pd.DataFrame(rows, columns=list(MONITOR_COLUMNS))

    def monitor_action(self, action: str) -> Any:
        def run(number: float | None) -> list[Any]:
            from genbi.assistant.watch.chat import watcher_of

            if number is None:
                return [gr.skip(), text("monitor_pick", "en")]
            try:
                watcher = watcher_of(self.context.assistant)
                done = {"pause": watcher.pause, "resume": watcher.resume, "delete": watcher.delete}[action](int(number))
            except Exception:
                log.exception("could not %s monitor %s", action, number)
                return [gr.skip(), text("internal_error", "en")]
            key = f"monitor_{action}d" if done else "monitor_unknown"
            return [self._monitors(), text(key, "en", number=int(number))]

        return run
