"""Pinned answers and dashboards: pinned from chat, stored as plans (never rows), re-run
with the date they are opened on, under the viewer's role, exported as HTML and PNG."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.assistant import Assistant
from genbi.assistant.access import AccessControl, RolesConfig
from genbi.assistant.answer import AnswerRequest
from genbi.assistant.state import StateError
from genbi.assistant.watch.dashboards import open_dashboard
from genbi.assistant.watch.pins import PinSource, PinStore
from genbi.errors import PlanError
from genbi.semantic_layer.query_spec import DimensionRef, OrderBy, QuerySpec, TimeRange
from genbi.ui.dashboard_export import dashboard_html, dashboard_png

EAST_USER = "ui:east"


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def ask(assistant: Assistant, question: str, session: str = "ui-pins", user: str | None = None):  # type: ignore[no-untyped-def]
    return assistant.answer(AnswerRequest(question=question, session_id=session, user=user))


def revenue_between(warehouse_path: Path, start: date, end: date, region: str | None = None) -> float:
    """Net revenue of orders placed in [start, end), from the raw tables."""
    with duckdb.connect(str(warehouse_path), read_only=True) as db:
        sql = ("SELECT SUM(o.revenue) FROM orders o JOIN customers c ON o.customer_id = c.customer_id "
               "WHERE o.ordered_at >= ? AND o.ordered_at < ?" + (" AND c.region = ?" if region else ""))
        params: list[object] = [start, end] + ([region] if region else [])
        return float(db.execute(sql, params).fetchone()[0])


def test_pin_from_chat_and_reopen_on_another_day(assistant: Assistant, warehouse_path: Path,
                                                 genbi_home: Path) -> None:
    assert not ask(assistant, "revenue last month").declined
    pinned = ask(assistant, "pin this to 'Weekly'")
    assert pinned.decline is None and "Weekly" in pinned.narrative
    store = PinStore()
    [pin] = store.pins("weekly")  # names match without regard to case
    assert pin.spec is not None and pin.spec.time_range is not None and pin.spec.time_range.relative is not None

    december = open_dashboard(assistant, "Weekly", as_of=date(2025, 12, 31))
    november = open_dashboard(assistant, "Weekly", as_of=date(2025, 11, 30))
    assert december.tiles[0].answer.rows[0][0] == pytest.approx(
        revenue_between(warehouse_path, date(2025, 11, 1), date(2025, 12, 1)))
    assert november.tiles[0].answer.rows[0][0] == pytest.approx(
        revenue_between(warehouse_path, date(2025, 10, 1), date(2025, 11, 1)))
    card = json.dumps(december.tiles[0].answer.chart.to_plotly_json(), ensure_ascii=False, default=str)
    assert "period before" in card, "a single number's card shows its change, as in the chat"


def test_chinese_pin_and_nothing_to_pin(assistant: Assistant, genbi_home: Path) -> None:
    nothing = ask(assistant, "把这个固定到周报看板", session="ui-empty")
    assert nothing.declined and "还没有" in nothing.narrative
    ask(assistant, "上个月各渠道的销售额", session="ui-zh")
    assert not ask(assistant, "把这个固定到周报看板", session="ui-zh").declined
    [pin] = PinStore().pins("周报")
    assert pin.language == "zh" and pin.spec is not None and pin.spec.group_by[0].name == "channel"
    board = open_dashboard(assistant, "周报")
    assert board.tiles[0].answer.language == "zh" and len(board.tiles[0].answer.rows) > 1


def test_a_pin_runs_under_the_viewers_role(assistant: Assistant, warehouse_path: Path, genbi_home: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ask(assistant, "revenue last month", session="ui-roles")
    ask(assistant, "pin this to Roles", session="ui-roles")
    roles = RolesConfig.model_validate({
        "roles": {"east_marketer": {"row_filters": [{"dimension": "region", "values": ["East"]}]}},
        "users": {EAST_USER: "east_marketer"}})
    monkeypatch.setattr(assistant, "access", AccessControl(roles, assistant.model))
    east = open_dashboard(assistant, "Roles", as_of=date(2025, 12, 31), user=EAST_USER).tiles[0].answer
    assert east.rows[0][0] == pytest.approx(
        revenue_between(warehouse_path, date(2025, 11, 1), date(2025, 12, 1), region="East"))
    everyone = open_dashboard(assistant, "Roles", as_of=date(2025, 12, 31)).tiles[0].answer
    assert everyone.rows[0][0] > east.rows[0][0]


def test_personal_data_stays_masked_on_a_dashboard(assistant: Assistant, genbi_home: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An admin may pin customers by e-mail; anyone else opening that dashboard gets no raw
    address (the pin re-runs under the viewer's role). Was: a question the planner now
    declines (PII is never a breakdown there), so the test skipped and checked nothing."""
    roles = RolesConfig.model_validate({"default_role": "marketer", "users": {"ui:boss": "admin"}})
    monkeypatch.setattr(assistant, "access", AccessControl(roles, assistant.model))
    spec = QuerySpec(metrics=("revenue",), group_by=(DimensionRef(name="email"),),
                     order_by=(OrderBy(field="revenue", descending=True),), limit=5,
                     time_range=TimeRange(start=date(2025, 1, 1), end=date(2025, 12, 31)))
    pinned = assistant.execute(spec, AnswerRequest("top 5 customers by revenue in 2025 by email",
                                                   session_id="ui-pii", user="ui:boss"), language="en")
    assert "@" in repr(pinned.rows)  # the admin sees addresses: the check below is not blind
    PinStore().add("PII", PinSource.of(pinned), user="ui:boss")
    for viewer in ("ui:ana", None):
        tile = open_dashboard(assistant, "PII", as_of=date(2025, 12, 31), user=viewer).tiles[0].answer
        text = repr(tile.rows) + tile.narrative + (tile.decline.reason if tile.decline else "")
        assert "@example" not in text


def test_declined_answers_cannot_be_pinned(assistant: Assistant) -> None:
    from genbi.assistant.watch.pins import PinSource

    declined = ask(assistant, "what is the weather in Paris", session="ui-decline")
    with pytest.raises(PlanError):
        PinSource.of(declined)


def test_unknown_dashboard_says_which_exist(genbi_home: Path) -> None:
    with pytest.raises(StateError, match="No dashboard called 'Nope'"):
        PinStore().pins("Nope")


def test_export_html_and_png(assistant: Assistant, genbi_home: Path) -> None:
    ask(assistant, "revenue by channel last month", session="ui-export")
    ask(assistant, "pin this to <Board & Co>", session="ui-export")
    ask(assistant, "revenue last month", session="ui-export")
    ask(assistant, "pin this to <Board & Co>", session="ui-export")
    board = open_dashboard(assistant, "<Board & Co>", as_of=date(2025, 12, 31))
    page = dashboard_html(board, assistant.model)
    assert page.count("<div class='tile'>") == 2
    assert "&lt;Board &amp; Co&gt;" in page and "<Board & Co>" not in page
    assert page.count("plotly.js v") <= 2 and "Plotly.newPlot" in page, "plotly.js inlined once, offline"
    assert "2025-12-31" in page
    png = dashboard_png(board, assistant.model)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def test_a_pinned_tool_answer_moves_with_the_date(assistant: Assistant, genbi_home: Path) -> None:
    """A tool call holds the dates its question resolved to; a re-run plans them again."""
    asked = ask(assistant, "why did revenue drop last month", session="ui-why")
    assert asked.tool_call is not None and asked.tool_call.name == "explain_change"
    ask(assistant, "pin this to Why", session="ui-why")
    december = open_dashboard(assistant, "Why", as_of=date(2025, 12, 31)).tiles[0].answer
    october = open_dashboard(assistant, "Why", as_of=date(2025, 11, 30)).tiles[0].answer
    assert december.tool_call is not None and october.tool_call is not None
    assert december.tool_call.arguments["start"] == "2025-11-01"
    assert october.tool_call.arguments["start"] == "2025-10-01" and october.tool_call.arguments["end"] == "2025-10-31"
    assert not october.error and october.narrative != december.narrative


def test_dashboard_command_line(warehouse_path: Path, genbi_home: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from genbi.cli import app

    runner = CliRunner()
    db = ["--db", str(warehouse_path)]
    pinned = runner.invoke(app, ["dashboard", "pin", "Board", "revenue last month", *db])
    assert pinned.exit_code == 0 and "Pinned 'Revenue · last month' to 'Board'" in pinned.output, pinned.output
    assert "Board\t1 pin(s)" in runner.invoke(app, ["dashboard", "list"]).output
    shown = runner.invoke(app, ["dashboard", "show", "Board", "--as-of", "2025-11-30", "--json", *db])
    payload = json.loads(shown.output)
    assert payload["as_of"] == "2025-11-30" and payload["tiles"][0]["interpretation"] == "Revenue · last month"
    out, png = tmp_path / "board.html", tmp_path / "board.png"
    exported = runner.invoke(app, ["dashboard", "export", "Board", "--out", str(out), "--png", str(png), *db])
    assert exported.exit_code == 0, exported.output
    assert "Revenue · last month" in out.read_text(encoding="utf-8") and png.read_bytes().startswith(b"\x89PNG")
    unknown = runner.invoke(app, ["dashboard", "show", "Nope", *db])
    assert unknown.exit_code != 0
    assert runner.invoke(app, ["dashboard", "delete", "Board"]).exit_code == 0
    assert "No dashboards yet" in runner.invoke(app, ["dashboard", "list"]).output
