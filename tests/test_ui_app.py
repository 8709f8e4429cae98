"""The Gradio app's handlers over a scripted fake assistant, through gradio_client.

The app runs in this process (no browser): these check what a browser cannot easily
provoke — an internal error becomes a friendly message and a logged traceback, a failed
query explains itself, and every browser session (and every "New conversation") gets its
own conversation key.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant.answer import Answer, AnswerRequest, Decline
from genbi.assistant.state import StateStore
from genbi.semantic_layer.loader import load_model


class FakeAssistant:
    """Same `answer()` as the real one; its answers say which conversation they belong to."""

    brain = "offline planner"
    source = ""

    def __init__(self) -> None:
        self.model = load_model(None)
        self.requests: list[AnswerRequest] = []
        self._lock = threading.Lock()

    def answer(self, request: AnswerRequest) -> Answer:
        with self._lock:
            self.requests.append(request)
            turn = sum(r.session_id == request.session_id for r in self.requests)
        question = request.question
        if "boom" in question:
            raise RuntimeError("kaboom: secret internal detail")
        if "weather" in question:
            return Answer(question=question, language="en", brain=self.brain,
                          decline=Decline("I don't know what 'weather' is.", ("Revenue by city",)))
        language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in question) else "en"
        common: dict[str, Any] = {"question": question, "language": language, "brain": self.brain,
                                  "interpretation": f"Revenue · turn {turn}", "sql": "SELECT 1"}
        if "slow warehouse" in question:
            return Answer(**common, error="The query took longer than 30 s and was stopped.")
        return Answer(**common, columns=("city", "revenue"), rows=((question, float(turn)),),
                      narrative=f"Turn {turn} of {request.session_id}.")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FakeAssistant]]:
    from genbi.ui.app import build_app

    root = tmp_path_factory.mktemp("ui-app")
    fake = FakeAssistant()
    app = build_app(fake, store=StateStore(root / "state.sqlite"), csv_root=root / "csv")
    app.queue(default_concurrency_limit=4)
    port = _free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NO_PROXY", "127.0.0.1,localhost")
        patch.setenv("no_proxy", "127.0.0.1,localhost")
        app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
                   quiet=True, ssr_mode=False, run_history=False, footer_links=[])
        fake.requests.clear()  # forget the start-up example checks
        try:
            yield f"http://127.0.0.1:{port}/", fake
        finally:
            app.close()


def _client(url: str) -> Any:
    from gradio_client import Client

    return Client(url, verbose=False, httpx_kwargs={"timeout": 600})  # a hang bound, not a speed check


def _last_bot_text(result: Any) -> str:
    history = result[0]
    return str(history[-1]["content"][0]["text"])


def test_an_internal_error_is_a_friendly_message_and_a_logged_traceback(
    served: tuple[str, FakeAssistant], caplog: pytest.LogCaptureFixture,
) -> None:
    url, _ = served
    with caplog.at_level(logging.ERROR, logger="genbi.ui"):
        result = _client(url).predict("boom please", "English", [], api_name="/ask")
    message = _last_bot_text(result)
    assert "something went wrong on my side" in message and "Try asking again" in message
    assert "kaboom" not in message and "Traceback" not in message
    logged = [r for r in caplog.records if r.name == "genbi.ui"]
    assert logged and logged[0].exc_info is not None
    assert "kaboom" in str(logged[0].exc_info[1])


def test_a_failed_query_says_so_in_the_questions_language(served: tuple[str, FakeAssistant]) -> None:
    url, _ = served
    result = _client(url).predict("slow warehouse 销售额", "English", [], api_name="/ask")
    message = _last_bot_text(result)
    assert "查询没有成功" in message and "30 s" in message


def test_a_decline_lists_suggestions(served: tuple[str, FakeAssistant]) -> None:
    url, _ = served
    message = _last_bot_text(_client(url).predict("the weather", "English", [], api_name="/ask"))
    assert "couldn't answer" in message and "- Revenue by city" in message


def test_an_empty_question_asks_nothing(served: tuple[str, FakeAssistant]) -> None:
    url, fake = served
    before = len(fake.requests)
    _client(url).predict("   ", "English", [], api_name="/ask")
    assert len(fake.requests) == before


def test_each_session_and_each_new_conversation_has_its_own_key(
    served: tuple[str, FakeAssistant],
) -> None:
    url, fake = served
    alice, bob = _client(url), _client(url)
    first = alice.predict("revenue a1", "English", [], api_name="/ask")
    alice.predict("revenue a2", "English", first[0], api_name="/ask")
    bob.predict("revenue b1", "English", [], api_name="/ask")
    alice.predict("English", api_name="/new_chat")
    alice.predict("revenue a3", "English", [], api_name="/ask")

    by_question = {r.question: r for r in fake.requests}
    a1, a2, b1, a3 = (by_question[q] for q in ("revenue a1", "revenue a2", "revenue b1", "revenue a3"))
    assert a1.session_id == a2.session_id  # a follow-up stays in its conversation
    assert b1.session_id != a1.session_id  # another browser session never shares it
    assert a3.session_id not in (a1.session_id, b1.session_id)  # "New conversation" renews it
    assert a1.user is None and b1.user is None  # no login configured: anonymous, never the session id


def test_the_answer_panel_gets_table_sql_and_csv(served: tuple[str, FakeAssistant]) -> None:
    url, _ = served
    result = _client(url).predict("revenue by city", "English", [], api_name="/ask")
    interpretation, table, csv, sql = result[2], result[5], result[6], result[7]
    assert interpretation["value"] == "### Revenue · turn 1"
    assert table["value"]["headers"] == ["City", "Revenue"]
    assert table["value"]["data"] == [["revenue by city", "1"]], "cells as the formatting layer writes them"
    assert Path(csv["value"]).read_text(encoding="utf-8-sig").splitlines()[0] == "City,Revenue"
    assert sql == "SELECT 1"


def test_the_ui_opens_another_warehouse_without_a_restart(tmp_path: Path) -> None:
    """Type a path, press Open: the side panel names the warehouse and its (drafted) model,
    and the next question is answered from it."""
    from genbi.eval.byodata.warehouses import build
    from genbi.ui.app import build_app

    star = build("star", tmp_path / "star.duckdb")
    fake = FakeAssistant()
    app = build_app(fake, store=StateStore(tmp_path / "state.sqlite"), csv_root=tmp_path / "csv")
    app.queue(default_concurrency_limit=2)
    port = _free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NO_PROXY", "127.0.0.1,localhost")
        patch.setenv("no_proxy", "127.0.0.1,localhost")
        patch.setenv("GENBI_HOME", str(tmp_path / "home"))
        patch.setenv("GENBI_UI_DATA_ROOTS", str(tmp_path))
        patch.delenv("GENBI_LLM_MODEL", raising=False)
        app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
                   quiet=True, ssr_mode=False, run_history=False, footer_links=[])
        try:
            client = _client(f"http://127.0.0.1:{port}/")
            source, _ = client.predict(str(star), "English", api_name="/open_warehouse")
            assert "star.duckdb" in source and "drafted from the warehouse" in source
            result = client.predict("sales amount by category", "English", [], api_name="/ask")
            assert "Beverages" in str(result)
            fake.requests.clear()
            other = _client(f"http://127.0.0.1:{port}/")  # another browser: still the shared warehouse
            other.predict("revenue by channel", "English", [], api_name="/ask")
            assert fake.requests, "a warehouse one session opened must not answer another session"
            fake.requests.clear()
            assert not fake.requests
        finally:
            app.close()


def test_the_ui_opens_an_excel_workbook_and_answers_from_its_rows(tmp_path: Path) -> None:
    """A workbook as e-mailed (a title row, a Grand Total row) opened from the side panel:
    answers sum its records, not the total row with them."""
    import pandas as pd

    frame = pd.DataFrame({"Order ID": [f"A{i:03d}" for i in range(40)], "Region": ["East", "West"] * 20,
                          "Order Date": pd.date_range("2024-01-01", periods=40, freq="3D"),
                          "Sales": [10.0 + i for i in range(40)]})
    workbook = tmp_path / "sales.xlsx"
    with pd.ExcelWriter(workbook, engine="xlsxwriter") as writer:
        frame.to_excel(writer, sheet_name="Orders", startrow=2, index=False)
        writer.sheets["Orders"].write(0, 0, "Sales report")
        writer.sheets["Orders"].write(3 + len(frame), 0, "Grand Total")
        writer.sheets["Orders"].write(3 + len(frame), 3, float(frame["Sales"].sum()))
    with _side_panel(tmp_path) as client:
        source, _ = client.predict(str(workbook), "English", api_name="/open_warehouse")
        assert "sales.xlsx" in source
        result = str(client.predict("total sales by region", "English", [], api_name="/ask"))
        east, west = (f"{frame.loc[frame.Region == r, 'Sales'].sum():,.0f}" for r in ("East", "West"))  # 580, 600
        assert east in result and west in result, result[:2000]
        assert f"{frame.Sales.sum():,.0f}" not in result  # the Grand Total row is no region of its own


def test_the_ui_opens_a_sqlite_database_and_answers_from_its_tables(tmp_path: Path) -> None:
    """A SQLite file (Chinook-like) opened from the side panel, offline: its tables joined."""
    import sqlite3

    db = tmp_path / "music.sqlite"
    connection = sqlite3.connect(db)
    connection.executescript("CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, Country NVARCHAR(40));"
                             "CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, CustomerId INTEGER, "
                             "InvoiceDate DATETIME, Total NUMERIC(10,2));")
    connection.executemany("INSERT INTO Customer VALUES (?, ?)", [(i, ["Brazil", "Chile"][i % 2]) for i in range(1, 21)])
    connection.executemany("INSERT INTO Invoice VALUES (?, ?, ?, ?)",
                           [(i, 1 + i % 20, f"2024-{1 + i % 12:02d}-10 00:00:00", 1.0 + i) for i in range(60)])
    connection.commit()
    brazil = connection.execute("SELECT SUM(Total) FROM Invoice JOIN Customer USING (CustomerId) "
                                "WHERE Country = 'Brazil'").fetchone()[0]
    connection.close()
    with _side_panel(tmp_path) as client:
        source, _ = client.predict(str(db), "English", api_name="/open_warehouse")
        assert "music.sqlite" in source
        result = str(client.predict("total by country", "English", [], api_name="/ask"))
        assert f"{brazil:,.0f}" in result, result[:2000]


@contextmanager
def _side_panel(tmp_path: Path) -> Iterator[Any]:
    """The UI served on a free port, with warehouses under ``tmp_path`` allowed in the side
    panel's "open another warehouse" box and no LLM; a client for it."""
    from genbi.ui.app import build_app

    app = build_app(FakeAssistant(), store=StateStore(tmp_path / "state.sqlite"), csv_root=tmp_path / "csv")
    app.queue(default_concurrency_limit=2)
    port = _free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NO_PROXY", "127.0.0.1,localhost")
        patch.setenv("no_proxy", "127.0.0.1,localhost")
        patch.setenv("GENBI_HOME", str(tmp_path / "home"))
        patch.setenv("GENBI_UI_DATA_ROOTS", str(tmp_path))
        patch.delenv("GENBI_LLM_MODEL", raising=False)
        app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
                   quiet=True, ssr_mode=False, run_history=False, footer_links=[])
        try:
            yield _client(f"http://127.0.0.1:{port}/")
        finally:
            app.close()
