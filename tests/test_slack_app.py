"""The Slack bot end to end, with no network: Bolt in HTTP mode behind genbi's HTTP server,
receiving requests signed like Slack's, and a WebClient pointed at a local fake Slack Web API
that records every post, update and file upload.

The real assistant answers over the 20k demo warehouse; a thin wrapper counts its calls so
the tests can prove that rejected and refused requests run nothing.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from genbi.assistant import Assistant
from genbi.assistant.answer import Answer, AnswerRequest
from genbi.assistant.state import StateStore
from genbi.errors import ConfigError
from genbi.ui.slack import blocks
from genbi.ui.slack.access import AccessList
from genbi.ui.slack.bot import SlackBot
from genbi.ui.slack.config import load_config
from genbi.ui.slack.server import SlackHttpServer, _serve_socket_mode, build_app, check_token
from genbi.ui.slack.testing import BOT_USER, Call, FakeSlackApi, signed_headers

SECRET = "8f742231b10e8888abcd99eeff0011aa"
TOKEN = "xoxb-1-2-test"
TEAM, CHANNEL, USER = "T0TEAM", "C0SALES", "U0ANA"
PNG = b"\x89PNG\r\n\x1a\n"


class Counting:
    """The assistant, counting questions; ``gate`` (when set) holds each answer until opened."""

    def __init__(self, assistant: Assistant) -> None:
        self.inner = assistant
        self.model = assistant.model
        self.requests: list[AnswerRequest] = []
        self.gate: threading.Event | None = None
        self.fail = False

    def answer(self, request: AnswerRequest) -> Answer:
        self.requests.append(request)
        if self.gate is not None:
            assert self.gate.wait(300), "the test never released the answer"
        if self.fail:
            raise RuntimeError("boom: internal detail that must not reach Slack")
        return self.inner.answer(request)

    def follow_ups(self, answer: Answer) -> tuple[str, ...]:
        return self.inner.follow_ups(answer)


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path)
    yield opened
    opened.close()


class Slack:
    """One bot behind a real HTTP endpoint, a fake Slack API, and helpers to talk to it."""

    def __init__(self, assistant: Assistant, store: StateStore, access: AccessList | None = None,
                 **bot_options: Any) -> None:
        self.fake = FakeSlackApi().start()
        self.assistant = Counting(assistant)
        self.store = store
        config = load_config({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET})
        self.bot = SlackBot(self.assistant, store=store, access=access, **bot_options)
        app = build_app(config, self.bot, client=WebClient(token=TOKEN, base_url=self.fake.api_url))
        self.server = SlackHttpServer(app, port=0).start()
        self._events = 0

    def close(self) -> None:
        if self.assistant.gate is not None:
            self.assistant.gate.set()
        self.server.close()
        self.bot.close()
        self.fake.close()

    # --- requests from "Slack" ---

    def post(self, body: str, *, content_type: str = "application/x-www-form-urlencoded",
             secret: str = SECRET, timestamp: int | None = None) -> tuple[int, str, float]:
        headers = signed_headers(secret, body, timestamp=timestamp, content_type=content_type)
        request = urllib.request.Request(self.server.url, data=body.encode(), headers=headers, method="POST")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.read().decode(), time.monotonic() - started
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), time.monotonic() - started

    def command(self, question: str, *, user: str = USER, channel: str = CHANNEL, **kw: Any) -> tuple[int, str, float]:
        form = {"command": "/genbi", "text": question, "team_id": TEAM, "channel_id": channel,
                "channel_name": "sales", "user_id": user, "trigger_id": "trig",
                "response_url": f"{self.fake.url}/response/1"}
        return self.post(urllib.parse.urlencode(form), **kw)

    def event(self, **event: Any) -> tuple[int, str, float]:
        self._events += 1
        event.setdefault("user", USER)
        event.setdefault("channel", CHANNEL)
        event.setdefault("ts", f"1767000000.{self._events:06d}")
        event.setdefault("team", TEAM)
        body = {"token": "x", "team_id": TEAM, "api_app_id": "A0GENBI", "type": "event_callback",
                "event_id": f"Ev{self._events:08d}", "event_time": int(time.time()), "event": event}
        return self.post(json.dumps(body), content_type="application/json")

    def click(self, action_id: str, value: str, *, message_ts: str, thread_ts: str | None,
              user: str = USER, block_id: str = blocks.FEEDBACK_BLOCK) -> tuple[int, str, float]:
        payload = {
            "type": "block_actions", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A0GENBI", "trigger_id": "trig-1", "channel": {"id": CHANNEL},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": CHANNEL},
            "message": {"type": "message", "ts": message_ts, "thread_ts": thread_ts, "blocks": []},
            "actions": [{"type": "button", "action_id": action_id, "block_id": block_id, "value": value,
                         "action_ts": "1767000001.000001"}],
        }
        return self.post(urllib.parse.urlencode({"payload": json.dumps(payload)}))

    # --- what the bot sent ---

    def answers(self, count: int = 1) -> list[Call]:
        """Posted messages carrying an answer (they have feedback or suggestion buttons)."""
        return posted(self.fake, lambda call: _block(call, "actions") is not None, count)

    def settle(self, seconds: float = 0.4) -> None:
        """Give background work a moment, for tests that assert nothing happened."""
        time.sleep(seconds)


def posted(fake: FakeSlackApi, wanted: Callable[[Call], bool], count: int = 1, timeout: float = 30) -> list[Call]:
    """The ``chat.postMessage`` calls ``wanted`` picks, once there are ``count`` of them.

    Picking by content keeps the tests independent of a "still working" message, which a
    slow machine may post first.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in fake.of("chat.postMessage") if wanted(c)]
        if len(found) >= count:
            return found
        time.sleep(0.02)
    raise AssertionError(f"not posted; calls: {[c.method for c in fake.calls]}")


def _block(call: Call, kind: str) -> dict[str, Any] | None:
    return next((b for b in call.args.get("blocks") or [] if b["type"] == kind), None)


def _text(call: Call) -> str:
    return json.dumps(call.args.get("blocks") or call.args.get("text"), ensure_ascii=False)


@pytest.fixture()
def store(tmp_path: Path) -> StateStore:
    return StateStore(tmp_path / "state.sqlite")


@pytest.fixture()
def slack(assistant: Assistant, store: StateStore) -> Iterator[Slack]:
    harness = Slack(assistant, store)
    yield harness
    harness.close()


# --- the slash command ---


def test_slash_command_acks_at_once_then_answers_in_a_thread_with_blocks_and_a_chart(slack: Slack) -> None:
    slack.assistant.gate = threading.Event()
    status, body, seconds = slack.command("revenue by month in 2025")
    assert status == 200 and body == "" and seconds < 3, "Slack needs the ack within 3 s"
    parent = slack.fake.wait_for("chat.postMessage")[0]
    assert parent.args["text"] == f"<@{USER}> asked: revenue by month in 2025"
    assert "thread_ts" not in parent.args and parent.token == TOKEN
    slack.assistant.gate.set()

    answer = slack.answers()[0]
    thread_ts = answer.args["thread_ts"]
    assert answer.args["channel"] == CHANNEL and thread_ts == "1767225600.000001"
    section, table = answer.args["blocks"][0], answer.args["blocks"][1]
    assert "peaked at" in section["text"]["text"]
    assert table["text"]["text"].startswith("```\nMonth") and "2025-11" in table["text"]["text"]
    flat = _text(answer)
    assert "Read as: Revenue · by month · 2025" in flat and "SELECT" in flat and "DATE_TRUNC" in flat
    buttons = _block(answer, "actions")
    assert buttons is not None and [e["action_id"] for e in buttons["elements"]] == [
        blocks.ACTION_RIGHT, blocks.ACTION_WRONG]

    complete = slack.fake.wait_for("files.completeUploadExternal")[0]
    assert complete.args["channel_id"] == CHANNEL and complete.args["thread_ts"] == thread_ts
    assert json.loads(complete.args["files"])[0]["title"] == "Revenue · by month · 2025"
    upload = slack.fake.wait_for("upload")[0]
    assert upload.body[:8] == PNG and len(upload.body) > 5_000
    url_call = slack.fake.of("files.getUploadURLExternal")[0]
    assert url_call.args["filename"] == "genbi-chart.png" and int(url_call.args["length"]) == len(upload.body)

    request = slack.assistant.requests[0]
    assert request.session_id == f"slack:{TEAM}:{CHANNEL}:{thread_ts}"
    assert request.user == f"slack:{TEAM}:{USER}"


def test_slash_command_help_and_empty_text_answer_in_the_ack(slack: Slack) -> None:
    status, body, _ = slack.command("")
    assert status == 200 and "/genbi revenue by channel" in json.loads(body)["text"]
    slack.settle()
    assert slack.assistant.requests == [] and slack.fake.of("chat.postMessage") == []


def test_slash_command_where_the_bot_cannot_post_says_so_privately(slack: Slack) -> None:
    slack.fake.errors["chat.postMessage"] = "channel_not_found"
    assert slack.command("revenue by channel")[0] == 200
    response = slack.fake.wait_for("response")[0]
    assert "/invite @genbi" in response.args["text"] and response.args["response_type"] == "ephemeral"
    assert slack.assistant.requests == []


# --- mentions, thread follow-ups and direct messages ---


def test_a_mention_is_answered_in_its_thread_and_a_follow_up_keeps_the_context(slack: Slack) -> None:
    status, _, seconds = slack.event(type="app_mention", text=f"<@{BOT_USER}> revenue by month in 2025",
                                     ts="1767000000.000100")
    assert status == 200 and seconds < 3
    first = slack.answers()[0]
    assert first.args["thread_ts"] == "1767000000.000100"
    # Slack also sends the mention as a plain message event: it must not be answered twice.
    slack.event(type="message", text=f"<@{BOT_USER}> revenue by month in 2025", ts="1767000000.000100")

    slack.event(type="message", text="now by channel", ts="1767000000.000200",
                thread_ts="1767000000.000100")
    second = slack.answers(2)[1]
    assert second.args["thread_ts"] == "1767000000.000100"
    assert "Read as: Revenue · by marketing channel · 2025" in _text(second), "follow-up kept 2025"
    sessions = {r.session_id for r in slack.assistant.requests}
    assert sessions == {f"slack:{TEAM}:{CHANNEL}:1767000000.000100"}
    slack.settle()
    assert len(slack.assistant.requests) == 2


def test_thread_chatter_from_someone_else_is_left_alone(slack: Slack) -> None:
    slack.event(type="app_mention", text=f"<@{BOT_USER}> revenue in 2025", ts="1767000000.000300")
    slack.answers()
    slack.event(type="message", text="nice, thanks!", user="U0BOB", ts="1767000000.000301",
                thread_ts="1767000000.000300")
    slack.event(type="message", text="unrelated channel talk", ts="1767000000.000302")
    slack.event(type="message", subtype="message_changed", ts="1767000000.000303",
                thread_ts="1767000000.000300")
    slack.settle()
    assert len(slack.assistant.requests) == 1


def test_a_retried_event_is_answered_once(slack: Slack) -> None:
    body = {"token": "x", "team_id": TEAM, "type": "event_callback", "event_id": "EvSAME",
            "event": {"type": "app_mention", "user": USER, "channel": CHANNEL, "ts": "1767000000.000400",
                      "text": f"<@{BOT_USER}> orders in 2025"}}
    slack.post(json.dumps(body), content_type="application/json")
    slack.post(json.dumps(body), content_type="application/json")
    slack.answers()
    slack.settle()
    assert len(slack.assistant.requests) == 1


def test_a_direct_message_is_answered_in_a_thread_in_chinese(slack: Slack) -> None:
    slack.event(type="message", channel="D0ANA", channel_type="im", text="2025年各渠道的销售额",
                ts="1767000000.000500")
    answer = slack.answers()[0]
    assert answer.args["channel"] == "D0ANA" and answer.args["thread_ts"] == "1767000000.000500"
    flat = _text(answer)
    assert "我的理解：" in flat and "👍 正确" in flat
    assert slack.fake.wait_for("upload")[0].body[:8] == PNG


def test_a_decline_offers_suggestions_and_a_click_asks_one_in_the_thread(slack: Slack) -> None:
    slack.event(type="app_mention", text=f"<@{BOT_USER}> what is the weather", ts="1767000000.000600")
    decline = slack.answers()[0]
    suggestions = _block(decline, "actions")
    assert suggestions is not None and suggestions["block_id"] == blocks.SUGGESTIONS_BLOCK
    assert "I couldn't answer that." in _text(decline)
    assert slack.fake.of("files.completeUploadExternal") == []
    first = suggestions["elements"][0]
    slack.click(first["action_id"], first["value"], message_ts="1767225600.000001",
                thread_ts="1767000000.000600", block_id=blocks.SUGGESTIONS_BLOCK)
    answer = slack.answers(2)[1]
    assert answer.args["thread_ts"] == "1767000000.000600"
    assert slack.assistant.requests[1].question == first["value"]


def test_an_answer_offers_next_questions_as_buttons_that_ask_in_the_thread(slack: Slack) -> None:
    slack.event(type="app_mention", text=f"<@{BOT_USER}> revenue by channel last month", ts="1767000000.000610")
    answer = slack.answers()[0]
    actions = [b for b in answer.args["blocks"] if b["type"] == "actions"]
    assert [b["block_id"] for b in actions] == [blocks.FEEDBACK_BLOCK, blocks.SUGGESTIONS_BLOCK]
    asks = actions[1]["elements"]
    assert 2 <= len(asks) <= 4 and "Ask next:" in _text(answer)
    slack.click(asks[0]["action_id"], asks[0]["value"], message_ts="1767225600.000002",
                thread_ts="1767000000.000610", block_id=blocks.SUGGESTIONS_BLOCK)
    followed = slack.answers(2)[1]
    assert followed.args["thread_ts"] == "1767000000.000610"
    assert slack.assistant.requests[1].question == asks[0]["value"]
    assert "couldn't answer" not in _text(followed)


def test_an_audience_saved_in_a_thread_is_exported_as_a_csv_file(slack: Slack) -> None:
    thread = "1767000000.000620"
    for number, question in enumerate(("RFM Champions", "save these customers as 'slack champs'",
                                       "export audience slack champs"), 1):
        slack.event(type="app_mention", text=f"<@{BOT_USER}> {question}", ts=thread)
        slack.answers(number)
    deadline = time.monotonic() + 30
    while not (files := [u for u in slack.fake.of("upload") if b"customer_id" in u.body[:16]]):
        assert time.monotonic() < deadline, [c.method for c in slack.fake.calls]
        time.sleep(0.05)
    ids = files[0].body.decode("utf-8-sig").split()
    assert ids[0] == "customer_id" and len(ids) > 10 and all(i.isdigit() for i in ids[1:])
    slack.event(type="app_mention", text=f"<@{BOT_USER}> delete audience slack champs", ts=thread)
    assert "Deleted" in _text(slack.answers(4)[3])


def test_a_tool_answer_is_posted_with_its_table(slack: Slack) -> None:
    slack.event(type="app_mention", text=f"<@{BOT_USER}> RFM 分析", ts="1767000000.000650")
    answer = slack.answers()[0]
    assert answer.args["thread_ts"] == "1767000000.000650"
    assert answer.args["blocks"][1]["text"]["text"].startswith("```\n")
    assert "我的理解：" in _text(answer)


# --- feedback buttons ---


def _answer_key(call: Call) -> str:
    buttons = _block(call, "actions")
    assert buttons is not None
    return str(buttons["elements"][0]["value"])


def test_thumbs_up_stores_a_verified_example_and_replaces_the_buttons(slack: Slack) -> None:
    slack.command("revenue by channel in 2025")
    answer = slack.answers()[0]
    message_ts = "1767225600.000002"  # the fake's second ts: the parent is 000001
    assert answer.args["thread_ts"] == "1767225600.000001"
    status, _, seconds = slack.click(blocks.ACTION_RIGHT, _answer_key(answer), message_ts=message_ts,
                                     thread_ts="1767225600.000001")
    assert status == 200 and seconds < 3
    update = next(c for c in slack.fake.wait_for("chat.update") if c.args["ts"] == message_ts)
    assert "marked this right. Saved as a verified example." in _text(update)
    assert not any(b.get("block_id") == blocks.FEEDBACK_BLOCK for b in update.args["blocks"]), "rated: the buttons are gone"
    examples = slack.store.examples(source="slack")
    assert [e.question for e in examples] == ["revenue by channel in 2025"]
    assert examples[0].spec is not None and examples[0].sql and "SUM" in examples[0].sql
    feedback = slack.store.feedback()
    assert feedback[0]["rating"] == 1 and feedback[0]["user"] == f"slack:{TEAM}:{USER}"
    assert slack.assistant.requests and len(slack.assistant.requests) == 1, "rating runs no query"


def test_thumbs_down_stores_feedback_and_asks_what_was_wrong(slack: Slack) -> None:
    slack.event(type="app_mention", text=f"<@{BOT_USER}> orders by city tier in 2025", ts="1767000000.000700")
    answer = slack.answers()[0]
    key = _answer_key(answer)
    slack.click(blocks.ACTION_WRONG, key, message_ts="1767225600.000001", thread_ts="1767000000.000700")
    modal = slack.fake.wait_for("views.open")[0]
    assert modal.args["trigger_id"] == "trig-1"
    assert modal.args["view"]["callback_id"] == blocks.CORRECTION_VIEW
    assert "marked this wrong" in _text(slack.fake.wait_for("chat.update")[0])
    assert [f["rating"] for f in slack.store.feedback()] == [-1]
    assert slack.store.examples() == []

    view = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": USER, "team_id": TEAM},
            "view": {"type": "modal", "callback_id": blocks.CORRECTION_VIEW, "private_metadata": modal.args["view"]["private_metadata"],
                     "state": {"values": {blocks.CORRECTION_BLOCK: {blocks.CORRECTION_INPUT: {
                         "type": "plain_text_input", "value": "I meant tier 1 cities only"}}}}}}
    status, _, _ = slack.post(urllib.parse.urlencode({"payload": json.dumps(view)}))
    assert status == 200
    deadline = time.monotonic() + 10
    while len(slack.store.feedback()) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    comments = [f["comment"] for f in slack.store.feedback()]
    assert comments == [None, "I meant tier 1 cities only"]


def test_rating_an_answer_the_bot_no_longer_remembers_says_so(slack: Slack) -> None:
    slack.click(blocks.ACTION_RIGHT, "forgotten", message_ts="1767000000.000001", thread_ts=None)
    ephemeral = slack.fake.wait_for("chat.postEphemeral")[0]
    assert "too old to rate" in ephemeral.args["text"] and ephemeral.args["user"] == USER
    assert slack.store.feedback() == []


# --- request verification ---


@pytest.mark.parametrize("problem", ["bad signature", "stale timestamp", "no signature"])
def test_unverified_requests_get_401_and_run_nothing(slack: Slack, problem: str) -> None:
    form = urllib.parse.urlencode({"command": "/genbi", "text": "revenue", "team_id": TEAM,
                                   "channel_id": CHANNEL, "user_id": USER})
    if problem == "bad signature":
        status, _, _ = slack.post(form, secret="0" * 32)
    elif problem == "stale timestamp":
        status, _, _ = slack.post(form, timestamp=int(time.time()) - 6 * 60)
    else:
        request = urllib.request.Request(slack.server.url, data=form.encode(), method="POST")
        try:
            urllib.request.urlopen(request, timeout=120)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
    assert status == 401
    slack.settle()
    assert slack.assistant.requests == []
    assert slack.fake.calls == [], "not even auth.test: nothing ran"


def test_url_verification_and_health(slack: Slack) -> None:
    status, body, _ = slack.post(json.dumps({"type": "url_verification", "challenge": "abc123"}),
                                 content_type="application/json")
    assert status == 200 and json.loads(body)["challenge"] == "abc123"
    health = slack.server.url.replace("/slack/events", "/health")
    with urllib.request.urlopen(health, timeout=120) as response:
        assert response.read() == b"ok"


# --- access list ---


@pytest.fixture()
def guarded(assistant: Assistant, store: StateStore) -> Iterator[Slack]:
    access = AccessList(channels=frozenset({CHANNEL}), direct_messages=False, users=frozenset({USER}))
    harness = Slack(assistant, store, access=access)
    yield harness
    harness.close()


def test_an_allowed_user_in_an_allowed_channel_is_answered(guarded: Slack) -> None:
    guarded.command("revenue in 2025")
    guarded.answers()


def test_a_user_not_on_the_list_is_refused_politely_and_nothing_is_queried(guarded: Slack) -> None:
    status, body, _ = guarded.command("revenue in 2025", user="U0EVE")
    assert status == 200 and "not on genbi's access list" in json.loads(body)["text"]
    guarded.event(type="app_mention", user="U0EVE", text=f"<@{BOT_USER}> revenue", ts="1767000000.000800")
    ephemeral = guarded.fake.wait_for("chat.postEphemeral")[0]
    assert ephemeral.args["user"] == "U0EVE" and "haven't looked anything up" in ephemeral.args["text"]
    guarded.click(blocks.ACTION_RIGHT, "any", message_ts="1767000000.000001", thread_ts=None, user="U0EVE")
    guarded.fake.wait_for("chat.postEphemeral", 2)
    guarded.settle()
    assert guarded.assistant.requests == []
    assert guarded.fake.of("chat.postMessage") == [] and guarded.store.feedback() == []


def test_other_channels_and_direct_messages_are_refused_with_their_reason(guarded: Slack) -> None:
    _, body, _ = guarded.command("revenue", channel="C0OTHER")
    assert "isn't enabled in this channel" in json.loads(body)["text"]
    guarded.event(type="message", channel="D0ANA", channel_type="im", text="revenue", ts="1767000000.000900")
    refusal = guarded.fake.wait_for("chat.postMessage")[0]
    assert "doesn't answer direct messages" in _text(refusal)
    assert refusal.args["thread_ts"] == "1767000000.000900"
    guarded.settle()
    assert guarded.assistant.requests == []


# --- slow answers and failures ---


def test_a_slow_answer_posts_progress_then_removes_it(assistant: Assistant, store: StateStore) -> None:
    harness = Slack(assistant, store, progress_after=0.05, progress_every=0.1)
    try:
        harness.assistant.gate = threading.Event()
        harness.event(type="app_mention", text=f"<@{BOT_USER}> revenue by month in 2025", ts="1767000000.001000")
        progress = harness.fake.wait_for("chat.postMessage")[0]
        assert progress.args["text"].startswith("⏳ Still working on it…")
        assert progress.args["thread_ts"] == "1767000000.001000"
        harness.fake.wait_for("chat.update")
        harness.assistant.gate.set()
        harness.answers()
        deleted = harness.fake.wait_for("chat.delete")[0]
        assert deleted.args["ts"] == "1767225600.000001"
    finally:
        harness.close()


def test_many_slow_questions_at_once_are_all_acknowledged_in_time(slack: Slack) -> None:
    slack.assistant.gate = threading.Event()
    for i in range(12):  # more than Bolt's and the bot's worker threads
        status, _, seconds = slack.event(type="app_mention", text=f"<@{BOT_USER}> orders in 2025",
                                         ts=f"1767000000.002{i:03d}")
        assert status == 200 and seconds < 3
    slack.assistant.gate.set()
    assert len(slack.answers(12)) == 12


def test_an_internal_error_gets_a_polite_reply_in_the_thread(slack: Slack) -> None:
    slack.assistant.fail = True
    slack.event(type="app_mention", text=f"<@{BOT_USER}> revenue by month", ts="1767000000.001100")
    reply = posted(slack.fake, lambda call: "something went wrong on my side" in _text(call))[0]
    assert reply.args["thread_ts"] == "1767000000.001100"
    assert "boom" not in _text(reply) and "Traceback" not in _text(reply)


def test_a_failed_chart_upload_still_leaves_the_answer(slack: Slack) -> None:
    slack.fake.errors["files.getUploadURLExternal"] = "missing_scope"
    slack.event(type="app_mention", text=f"<@{BOT_USER}> revenue by month in 2025", ts="1767000000.001200")
    slack.answers()
    posted(slack.fake, lambda call: "The chart could not be attached (missing_scope)." in _text(call))


# --- startup ---


def test_a_rejected_bot_token_is_one_clear_line() -> None:
    with FakeSlackApi() as fake:
        fake.errors["auth.test"] = "invalid_auth"
        with pytest.raises(ConfigError, match=r"Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)"):
            check_token(WebClient(token=TOKEN, base_url=fake.api_url))


def test_a_rejected_app_token_in_socket_mode_is_one_clear_line(assistant: Assistant, store: StateStore) -> None:
    config = load_config({"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": "xapp-1-A1-2-abc"})
    with FakeSlackApi() as fake:
        fake.errors["apps.connections.open"] = "invalid_auth"
        bot = SlackBot(Counting(assistant), store=store)
        app = build_app(config, bot, client=WebClient(token=TOKEN, base_url=fake.api_url))
        with pytest.raises(ConfigError, match=r"Slack rejected SLACK_APP_TOKEN \(invalid_auth\)"):
            _serve_socket_mode(app, config, "banner", announce=lambda _: None)
        bot.close()
        assert fake.of("apps.connections.open")[0].token == "xapp-1-A1-2-abc"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_genbi_slack_command_serves_signed_http_requests(warehouse_path: Path, tmp_path: Path) -> None:
    """The real command: settings from the environment, the warehouse, HTTP mode, Ctrl+C."""
    port = _free_port()
    with FakeSlackApi() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GENBI_"))}
        env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, GENBI_SLACK_API_URL=fake.api_url,
                   GENBI_HOME=str(tmp_path / "home"), MPLCONFIGDIR=str(tmp_path / "mpl"))
        process = subprocess.Popen(
            [sys.executable, "-m", "genbi", "slack", "--db", str(warehouse_path), "--host", "127.0.0.1",
             "--port", str(port)], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        lines: queue.Queue[str] = queue.Queue()
        assert process.stderr is not None
        threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()  # type: ignore[union-attr]
        try:
            banner = lines.get(timeout=300)
            assert f"HTTP mode on http://127.0.0.1:{port}/slack/events" in banner, banner
            assert "@genbi in genbi test" in banner
            form = urllib.parse.urlencode({"command": "/genbi", "text": "orders by channel in 2025",
                                           "team_id": TEAM, "channel_id": CHANNEL, "user_id": USER})
            request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=form.encode(),
                                             headers=signed_headers(SECRET, form), method="POST")
            with urllib.request.urlopen(request, timeout=120) as response:
                assert response.status == 200
            complete = fake.wait_for("files.completeUploadExternal", timeout=300)[0]
            answer = posted(fake, lambda call: _block(call, "actions") is not None)[0]
            assert answer.args["thread_ts"] == complete.args["thread_ts"] == "1767225600.000001"
            assert "Read as: Orders" in _text(answer)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                code = process.wait(timeout=120)  # generous: a busy CI machine; never an orphan
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise
        assert code == 0
        assert lines.get(timeout=120).strip() == "genbi slack: stopped."
