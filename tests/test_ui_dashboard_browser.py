"""The Dashboards page of `genbi ui` in headless Chromium: pin an answer from the chat, open
/dashboards, see it re-run as of today, re-run it as of another date and get that period's
numbers, download the static export, and pause a monitor.

A `genbi ui` subprocess of its own (the server fixture of test_ui_browser.py), expected
numbers from an `Assistant` called directly on the same warehouse. Every wait is for a
condition on the page, never a fixed sleep.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from test_ui_browser import (  # noqa: F401  (fixtures: a server and a browser of this module's own)
    SCREENSHOTS,
    UiServer,
    _ask,
    browser,
    needs_chromium,
    ui_server,
)

from genbi.assistant.answer import Answer, AnswerRequest

QUESTION = "revenue by channel last month"
WAIT_MS = 300_000  # a hang bound: waits end as soon as the page shows the text


@pytest.fixture(scope="module")
def reference(ui_server: UiServer) -> Iterator[Any]:  # noqa: F811
    from genbi.assistant import Assistant

    assistant = Assistant.open(ui_server.db, llm=False)
    yield assistant
    assistant.close()


@pytest.fixture()
def page(browser: Any, ui_server: UiServer) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                  locale="en-US")
    tab = context.new_page()
    ui_server.wait_ready()
    tab.goto(ui_server.url)
    tab.locator("#question textarea").wait_for(timeout=WAIT_MS)
    yield tab
    context.close()


def _expected(reference: Any, as_of: date) -> Answer:
    answer = reference.answer(AnswerRequest(question=QUESTION, session_id=f"ref-{as_of}", as_of=as_of))
    assert answer.rows and not answer.error
    return answer


def _shown_values(answer: Answer) -> list[str]:
    """The metric column as the page shows it (the one formatting layer)."""
    info = answer.column_info[-1]
    return [info.show(row[-1], "en") for row in answer.rows]


def _status(page: Any, words: str) -> None:
    page.locator("#dashboard-status").get_by_text(words).wait_for(timeout=WAIT_MS)


def _wait_tiles(page: Any, words: list[str]) -> None:
    """Until the grid (drawn after the status line) shows every one of ``words``."""
    page.wait_for_function(
        """words => {
            const text = [...document.querySelectorAll('.dashboard-tile')].map(t => t.innerText)
                .join('\\n').replaceAll(',', '');
            return words.every(w => text.includes(w.replaceAll(',', '')));
        }""",
        arg=words, timeout=WAIT_MS,
    )


@pytest.mark.browser
@needs_chromium
def test_pin_then_open_the_dashboard_page(page: Any, ui_server: UiServer, reference: Any) -> None:  # noqa: F811
    _ask(page, QUESTION)
    page.locator("#pin-dashboard input, #pin-dashboard textarea").first.fill("Weekly")
    page.locator("#pin-answer").click()
    page.locator("#feedback-status").get_by_text("Pinned to").wait_for(timeout=WAIT_MS)

    _add_monitor(ui_server)
    page.goto(ui_server.url.rstrip("/") + "/dashboards")
    _status(page, "Weekly · 1 pin(s) · as of 2025-12-31")
    december = _expected(reference, date(2025, 12, 31))
    _wait_tiles(page, [december.interpretation, *_shown_values(december)])
    assert page.locator(".dashboard-tile").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "20-dashboard.png"), full_page=True)

    page.locator("#dashboard-as-of input, #dashboard-as-of textarea").first.fill("2025-11-30")
    page.locator("#dashboard-refresh").click()
    _status(page, "as of 2025-11-30")
    november = _expected(reference, date(2025, 11, 30))
    _wait_tiles(page, _shown_values(november))
    assert _shown_values(november) != _shown_values(december), "another month, other numbers"

    with page.expect_download(timeout=WAIT_MS) as download:
        page.locator("#dashboard-export-html").click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert "Weekly" in exported and "2025-11-30" in exported and "Plotly.newPlot" in exported

    _wait_text(page, "#monitors-table", "every Monday at 09:00")
    page.locator("#monitor-number input").fill("1")
    page.locator("#monitor-pause").click()
    page.locator("#monitor-status").get_by_text("Paused monitor #1").wait_for(timeout=WAIT_MS)
    _wait_text(page, "#monitors-table", "paused")


def _wait_text(page: Any, selector: str, words: str) -> None:
    page.wait_for_function("([selector, words]) => (document.querySelector(selector)?.innerText ?? '')"
                           ".includes(words)", arg=[selector, words], timeout=WAIT_MS)


def _add_monitor(server: UiServer) -> None:
    """A weekly report in the server's state directory, as Slack would have stored it."""
    from genbi.assistant.watch.monitors import Monitor
    from genbi.assistant.watch.schedule import Schedule
    from genbi.assistant.watch.scheduler import Watcher
    from genbi.semantic_layer.query_spec import QuerySpec

    with Watcher(path=server.home / "state" / "monitors.sqlite", timezone=ZoneInfo("UTC")).open() as watcher:
        watcher.add(Monitor(id=0, kind="report", asked="tell me every Monday how revenue did",
                            question="revenue", title="Revenue", spec=QuerySpec(metrics=["revenue"]),
                            schedule=Schedule(every="week", day_of_week=0), destination="slack:T0:C0SALES"))
