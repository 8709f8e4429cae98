"""Faults: the warehouse missing, locked by a writer or gone mid-session, and LLM failures,
through the assistant, ``genbi``, the Gradio handler and the Slack handler. Each ends in a
clear message; nothing crashes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agent_support import attach_brain
from guardrails_support import flatten

from genbi.assistant.agent.fake_server import ScriptedLLM, malformed, status
from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.errors import WarehouseError
from genbi.semantic_layer.warehouse import Warehouse


@pytest.fixture()
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from genbi.demo import generate_warehouse

    monkeypatch.setenv("GENBI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GENBI_LLM_MODEL", raising=False)
    path = tmp_path / "small.duckdb"
    generate_warehouse(path, customers=300, seed=5)
    return path


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    from genbi.cli import main

    monkeypatch.setattr(sys, "argv", ["genbi", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    return int(stopped.value.code or 0), capsys.readouterr().err


def test_a_missing_warehouse_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENBI_HOME", str(tmp_path / "home"))
    missing = tmp_path / "gone.duckdb"
    with pytest.raises(WarehouseError, match="No warehouse file at"):
        Assistant.open(missing, llm=False)
    for command in (["ask", "revenue"], ["sql", "SELECT 1"]):
        code, err = run_cli([*command, "--db", str(missing)], capsys, monkeypatch)
        assert code == 1 and "No warehouse file" in err and "Traceback" not in err


@pytest.fixture()
def writer(small: Path) -> Iterator[Path]:
    """Another process holding the warehouse open for writing."""
    script = textwrap.dedent(f"""
        import duckdb, sys, time
        connection = duckdb.connect({str(small)!r})
        connection.execute("CREATE TABLE IF NOT EXISTS writer_was_here (x INT)")
        print("ready", flush=True)
        sys.stdin.read()
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    yield small
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=300)  # a hang bound: the writer exits when its stdin closes


def test_a_warehouse_locked_by_a_writer_is_a_clear_message(writer: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(WarehouseError, match="locked by a program that has it open for writing"):
        Warehouse.open(writer)
    with pytest.raises(WarehouseError, match="locked"):
        Assistant.open(writer, llm=False)
    code, err = run_cli(["sql", "SELECT COUNT(*) FROM orders", "--db", str(writer)], capsys, monkeypatch)
    assert code == 1 and "locked" in err and "Traceback" not in err


def test_a_runaway_query_is_stopped(small: Path) -> None:
    with Warehouse.open(small) as warehouse, pytest.raises(WarehouseError, match=r"stopped after 0\.3 s"):
        warehouse.run("SELECT COUNT(*) FROM range(100000000000) AS a(i) WHERE i % 7 = 3", timeout_s=0.3)


@pytest.fixture()
def broken(small: Path) -> Iterator[Assistant]:
    """An assistant whose warehouse went away after it started."""
    assistant = Assistant.open(small, llm=False)
    assistant.warehouse.close()
    yield assistant


def test_a_warehouse_gone_mid_session_is_a_message_in_every_front_end(broken: Assistant, tmp_path: Path) -> None:
    import gradio as gr
    from slack_sdk import WebClient

    from genbi.assistant.state import StateStore
    from genbi.ui.app import Handlers, UiContext, _answer_panel
    from genbi.ui.slack.bot import Ask, SlackBot
    from genbi.ui.slack.testing import FakeSlackApi

    answer = broken.answer(AnswerRequest("revenue by channel in 2025", user="ui:x"))
    assert answer.error and "The warehouse is not available" in answer.error

    with gr.Blocks():
        panel, _ = _answer_panel()
    handlers = Handlers(UiContext(broken, StateStore(tmp_path / "ui.sqlite"), tmp_path / "csv"), panel)
    outputs = list(handlers.ask("revenue by channel in 2025", None, "English", [],
                                types.SimpleNamespace(session_hash="s1")))
    shown = str(outputs[-1][0][-1]["content"])
    assert "not available" in shown and "went wrong" not in shown.lower()

    with FakeSlackApi() as fake:
        bot = SlackBot(broken, store=StateStore(tmp_path / "slack.sqlite"), progress_after=60)
        try:
            bot.answer(Ask(team="T", channel="C", user="U", question="revenue by channel in 2025",
                           thread_ts="1.000001"), WebClient(token="xoxb-t", base_url=fake.api_url)).result(600)
        finally:
            bot.close()
        posted = flatten([c.args for c in fake.of("chat.postMessage")])
    assert "not available" in posted and "something went wrong" not in posted.lower()


# --- LLM faults the agent suite does not cover, and LLM faults through the front ends -----------


@pytest.fixture()
def assistant(small: Path) -> Iterator[Assistant]:
    opened = Assistant.open(small, llm=False)
    yield opened
    opened.close()


@pytest.mark.llm
def test_a_rate_limit_that_never_clears_falls_back_with_a_note(assistant: Assistant, tmp_path: Path) -> None:
    with ScriptedLLM([status(429, retry_after=0.1)] * 3) as server:
        sleeps = attach_brain(assistant, server, tmp_path)
        answer = assistant.answer(AnswerRequest("revenue in 2025", session_id="429"))
    assert len(server.requests) == 3 and len(sleeps) == 2, "bounded retries with backoff"
    assert answer.brain == "offline planner" and answer.rows
    assert any("could not answer" in w for w in answer.warnings)


@pytest.mark.llm
@pytest.mark.parametrize("failure", [status(500), malformed()], ids=["http-500", "malformed-json"])
def test_llm_failures_never_crash_the_ui_or_the_bot(assistant: Assistant, tmp_path: Path, failure: Any) -> None:
    import gradio as gr
    from slack_sdk import WebClient

    from genbi.assistant.state import StateStore
    from genbi.ui.app import Handlers, UiContext, _answer_panel
    from genbi.ui.slack.bot import Ask, SlackBot
    from genbi.ui.slack.testing import FakeSlackApi

    with ScriptedLLM([failure] * 6) as server:
        attach_brain(assistant, server, tmp_path)
        with gr.Blocks():
            panel, _ = _answer_panel()
        handlers = Handlers(UiContext(assistant, StateStore(tmp_path / "ui.sqlite"), tmp_path / "csv"), panel)
        outputs = list(handlers.ask("revenue in 2025", None, "English", [], types.SimpleNamespace(session_hash="s")))
        with FakeSlackApi() as fake:
            bot = SlackBot(assistant, store=StateStore(tmp_path / "slack.sqlite"), progress_after=60)
            try:
                bot.answer(Ask(team="T", channel="C", user="U", question="revenue in 2025", thread_ts="1.000002"),
                           WebClient(token="xoxb-t", base_url=fake.api_url)).result(600)
            finally:
                bot.close()
            posted = flatten([c.args for c in fake.of("chat.postMessage")])
    shown = str(outputs[-1][0][-1]["content"])
    assert "offline planner" in shown and "went wrong" not in shown.lower()
    assert "offline planner" in posted and "something went wrong" not in posted.lower()
    assert len(server.requests) == 6, "each front end: three tries, then the offline planner"
