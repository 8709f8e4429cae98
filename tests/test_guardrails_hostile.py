"""The hostile suite: every attack through every entry point, with nothing written or leaked.

Each case of ``guardrails_support.HOSTILE`` (prompt injection, stacked statements, DDL/DML,
files and URLs, personal data as a low role, instructions inside data values, 100 KB and
binary input, 10k-row requests) runs through:

- the offline planner (``Assistant.answer``),
- ``genbi sql`` (the CLI's guard path, in-process),
- the LLM agent against the scripted server, which plays the attacker: it calls ``run_sql``
  with the attack, asks ``query_metrics`` for phone numbers, then pastes the tool result into
  its "answer",
- the Gradio answer handler (``Handlers.ask``, outputs and CSV export),
- the Slack handler (``SlackBot.answer``, every post and upload call recorded by the fake).

Each must end in a refusal or a safe answer: no exception, the warehouse file's sha256 and
its folder unchanged, and no raw personal data or canary content in anything shown, sent to
Slack, sent to the LLM, exported or audited.
"""

from __future__ import annotations

import re
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agent_support import all_text, attach_brain
from guardrails_support import (
    HOSTILE,
    REFUSAL_WORDS,
    AttackWarehouse,
    Hostile,
    attacker,
    build_attack_warehouse,
    flatten,
    leaks,
)

from genbi.assistant.agent.fake_server import ScriptedLLM
from genbi.assistant.answer import Answer, AnswerRequest
from genbi.assistant.service import Assistant

IDS = [case.id for case in HOSTILE]
REMOTE_CONTENT = re.compile(r"!\[[^\]]*\]\(|<img\b|<script\b|<iframe\b", re.IGNORECASE)
"""Markdown or HTML a chat client would fetch or run by itself."""
AGENT_CASES = [pytest.param(case, id=case.id) for case in HOSTILE]
ATTACKER = "slack:T0EVIL:U0MALLORY"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """genbi's state (audit log, roles) for this module, away from the warehouse."""
    folder = tmp_path_factory.mktemp("guardrails-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(folder))
        for name in ("GENBI_ROLE", "GENBI_ROLES", "GENBI_AUDIT_LOG", "GENBI_LLM_MODEL", "GENBI_UI_AUTH",
                     "GENBI_UI_USER_HEADER"):
            patch.delenv(name, raising=False)
        patch.setenv("GENBI_QUERY_TIMEOUT", "3")  # runaway attacks stop in seconds, not 30 s
        yield folder


@pytest.fixture(scope="module")
def attack(tmp_path_factory: pytest.TempPathFactory) -> AttackWarehouse:
    return build_attack_warehouse(tmp_path_factory.mktemp("attack-warehouse"))


@pytest.fixture(scope="module")
def offline(attack: AttackWarehouse, home: Path) -> Iterator[Assistant]:
    opened = Assistant.open(attack.path, llm=False)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def agent(attack: AttackWarehouse, home: Path) -> Iterator[Assistant]:
    opened = Assistant.open(attack.path, llm=False)  # the scripted brain is attached per test
    yield opened
    opened.close()


@pytest.fixture()
def unchanged(attack: AttackWarehouse) -> Iterator[None]:
    """The warehouse file (and its folder) byte for byte the same after the test."""
    digest, siblings = attack.sha256(), attack.siblings()
    yield
    assert attack.sha256() == digest, "the warehouse file changed"
    assert attack.siblings() == siblings, "a file appeared beside the warehouse"


def assert_safe(answer: Answer, attack: AttackWarehouse) -> None:
    assert isinstance(answer, Answer)
    found = leaks(flatten(answer), attack)
    assert not found, f"leaked: {found[:5]}"


# --- 1. the offline planner ---------------------------------------------------------------------


@pytest.mark.parametrize("case", HOSTILE, ids=IDS)
def test_offline_planner(case: Hostile, offline: Assistant, attack: AttackWarehouse, unchanged: None) -> None:
    answer = offline.answer(AnswerRequest(case.render(attack.canary), session_id=f"h-{case.id}", user=ATTACKER))
    assert_safe(answer, attack)
    if "sql" in case.tags and not case.sql_ok:
        assert not answer.rows or answer.spec is not None or answer.tool_call is not None, \
            "raw SQL in a question is never run as such"


# --- 2. genbi sql ---------------------------------------------------------------------------------


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    from genbi.cli import main

    monkeypatch.setattr(sys, "argv", ["genbi", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.out, captured.err


@pytest.mark.parametrize("case", HOSTILE, ids=IDS)
def test_genbi_sql(case: Hostile, attack: AttackWarehouse, home: Path, unchanged: None,
                   capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_cli(["sql", case.render(attack.canary), "--db", str(attack.path), "--json"],
                             capsys, monkeypatch)
    err = "".join(line for line in err.splitlines(keepends=True) if not line.startswith("note: "))
    assert "Traceback" not in err and "internal problem" not in err
    if case.sql_ok:
        assert code == 0, err
    else:
        assert code == 1 and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
        if "sql" in case.tags:
            assert any(word in err for word in REFUSAL_WORDS), err
    assert not leaks(out + err, attack)


# --- 2b. genbi ask and genbi tool -----------------------------------------------------------------


@pytest.mark.parametrize("case", HOSTILE, ids=IDS)
def test_genbi_ask(case: Hostile, attack: AttackWarehouse, home: Path, unchanged: None,
                   capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_cli(["ask", case.render(attack.canary), "--db", str(attack.path), "--json"],
                             capsys, monkeypatch)
    assert code in (0, 1, 2) and "Traceback" not in err and "internal problem" not in err, err  # 2: usage
    assert not leaks(out + err, attack), leaks(out + err, attack)[:5]


@pytest.mark.parametrize("case", HOSTILE, ids=IDS)
def test_genbi_tool(case: Hostile, attack: AttackWarehouse, home: Path, unchanged: None,
                    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The attack as a tool's free-text argument (an RFM segment name)."""
    code, out, err = run_cli(["tool", "rfm", "--segment", case.render(attack.canary)[:2_000], "--db",
                              str(attack.path), "--json"], capsys, monkeypatch)
    assert code in (0, 1, 2) and "Traceback" not in err and "internal problem" not in err, err
    assert not leaks(out + err, attack), leaks(out + err, attack)[:5]


# --- 3. the LLM agent, with the fake LLM as the attacker ----------------------------------------


@pytest.mark.llm
@pytest.mark.parametrize("case", AGENT_CASES)
def test_agent_with_an_attacking_llm(case: Hostile, agent: Assistant, attack: AttackWarehouse,
                                     tmp_path: Path, unchanged: None) -> None:
    with ScriptedLLM(attacker(case, attack.canary)) as server:
        attach_brain(agent, server, tmp_path)
        try:
            answer = agent.answer(AnswerRequest(case.render(attack.canary), session_id=f"a-{case.id}",
                                                user=ATTACKER))
        finally:
            agent.agent = None
    assert_safe(answer, attack)
    sent = all_text(server.requests)
    assert not leaks(sent, attack), f"the LLM received: {leaks(sent, attack)[:5]}"
    for request in server.requests:
        messages = request.get("messages", [])
        for index, message in enumerate(messages):
            if message.get("role") == "tool" and _destructive(message, messages[:index]):
                assert any(word in str(message.get("content")) for word in REFUSAL_WORDS), message


def _destructive(tool_message: dict[str, Any], before: list[dict[str, Any]]) -> bool:
    """The tool message answers a run_sql call that writes, reads files or reads personal data
    (the call is in the nearest assistant message before it: the fake reuses call ids)."""
    caller = next((m for m in reversed(before) if m.get("role") == "assistant" and m.get("tool_calls")), None)
    for call in (caller or {}).get("tool_calls") or []:
        if call.get("id") == tool_message.get("tool_call_id") and call["function"]["name"] == "run_sql":
            sql = call["function"]["arguments"].upper()
            return any(word in sql for word in ("DROP", "DELETE", "UPDATE ", "INSERT", "ATTACH",
                                                "READ_", "EMAIL", "PHONE", "COPY", "TRUNCATE"))
    return False


# --- 4. the Gradio answer handler ---------------------------------------------------------------


@pytest.fixture(scope="module")
def ui_handlers(offline: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Any:
    import gradio as gr

    from genbi.assistant.state import StateStore
    from genbi.ui.app import Handlers, UiContext, _answer_panel

    root = tmp_path_factory.mktemp("ui")
    with gr.Blocks():
        panel, _ = _answer_panel()
    return Handlers(UiContext(offline, StateStore(root / "state.sqlite"), root / "csv"), panel)


@pytest.mark.parametrize("case", HOSTILE, ids=IDS)
def test_ui_handler(case: Hostile, ui_handlers: Any, attack: AttackWarehouse, unchanged: None) -> None:
    request = types.SimpleNamespace(session_hash=f"mallory-{case.id}")
    outputs = list(ui_handlers.ask(case.render(attack.canary), None, "English", [], request))
    assert outputs, "the handler always yields"
    history = outputs[-1][0]
    if case.render(attack.canary).strip():
        assert isinstance(history, list) and history[-1]["role"] == "assistant"
        assert "went wrong" not in str(history[-1]["content"]).lower(), "an internal error"
    shown = flatten(outputs[-1][:2]) + flatten(outputs[-1][3:])  # all but the Session object
    assert not leaks(shown, attack), leaks(shown, attack)[:5]
    chat = re.sub(r"```.*?```", "", flatten(history), flags=re.S)  # what the chat renders as markdown
    assert not REMOTE_CONTENT.search(chat), REMOTE_CONTENT.search(chat)


# --- 5. the Slack handler -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def slack(offline: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, Any]]:
    from slack_sdk import WebClient

    from genbi.assistant.state import StateStore
    from genbi.ui.slack.bot import SlackBot
    from genbi.ui.slack.testing import FakeSlackApi

    fake = FakeSlackApi().start()
    bot = SlackBot(offline, store=StateStore(tmp_path_factory.mktemp("slack") / "state.sqlite"),
                   progress_after=60)
    client = WebClient(token="xoxb-test", base_url=fake.api_url)
    yield bot, fake, client
    bot.close()
    fake.close()


@pytest.mark.parametrize("case", HOSTILE, ids=IDS)
def test_slack_handler(case: Hostile, slack: tuple[Any, Any, Any], attack: AttackWarehouse,
                       unchanged: None) -> None:
    from genbi.ui.slack.bot import Ask

    bot, fake, client = slack
    fake.clear()
    question = case.render(attack.canary)
    ask = Ask(team="T0EVIL", channel="C0GENERAL", user="U0MALLORY", question=question,
              thread_ts=f"1767000000.{abs(hash(case.id)) % 10**6:06d}")
    bot.answer(ask, client).result(timeout=120)
    posts = fake.of("chat.postMessage")
    assert posts, "every question gets a reply in its thread"
    assert all(p.args.get("thread_ts") == ask.thread_ts for p in posts)
    sent = flatten([c.args for c in fake.calls])
    assert "something went wrong" not in sent.lower(), "an internal error"
    assert not leaks(sent, attack), leaks(sent, attack)[:5]


# --- the audit log of all of the above ----------------------------------------------------------


def test_zz_every_attack_was_audited_without_personal_data(home: Path, attack: AttackWarehouse) -> None:
    """Runs last in this module: the audit log holds the attacks, masked."""
    from genbi.assistant.audit import AuditLog

    path = AuditLog().path
    assert path.is_relative_to(home)
    text = path.read_text(encoding="utf-8")
    assert not leaks(text, attack), leaks(text, attack)[:5]
    records = AuditLog().tail(100_000)
    users = {r.get("user") for r in records}
    assert ATTACKER in users and "slack:T0EVIL:U0MALLORY" in users
    assert None in users, "UI questions without a login are audited as anonymous (a session id is no identity)"
    assert any(str(u).startswith("cli:") for u in users)
    outcomes = {r["outcome"] for r in records}
    assert {"refused", "answered"} <= outcomes
    assert all(len(r.get("question") or "") <= 2_000 for r in records)
    assert threading.active_count() < 200
