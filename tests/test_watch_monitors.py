"""Monitors end to end: asked in chat, stored in APScheduler's persistent job store, run by
the scheduler at a frozen clock's due times, and posted to a fake Slack Web API.

The clock is frozen with time-machine and moved by hand; ``Watcher.run_due`` runs
APScheduler's own due-job pass in the test's thread, so "not yet due" is checked exactly,
with no waiting. A "restart" is a second watcher opened on the same job store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
import time_machine
from slack_sdk import WebClient

from genbi.assistant import Assistant
from genbi.assistant.answer import AnswerRequest
from genbi.assistant.watch.monitors import Monitor
from genbi.assistant.watch.schedule import Schedule
from genbi.assistant.watch.scheduler import Watcher
from genbi.errors import WarehouseError
from genbi.semantic_layer.query_spec import QuerySpec
from genbi.ui.slack.monitors import SlackDelivery, channel_of, destination
from genbi.ui.slack.testing import FakeSlackApi

CHANNEL = "C0SALES"
HERE = destination("T0TEAM", CHANNEL)
UTC_ZONE = UTC
SUNDAY_NOON = datetime(2026, 1, 4, 12, 0, tzinfo=UTC)
MONDAY_9 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    opened.results = None  # every run reads the warehouse (a failure must not hide in the cache)
    yield opened
    opened.close()


@pytest.fixture()
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


class Clocked:
    """The watcher under test at a frozen time, restartable on the same job store."""

    def __init__(self, assistant: Assistant, fake: FakeSlackApi, path: Path, traveller: Any) -> None:
        self.assistant, self.fake, self.path, self.clock = assistant, fake, path, traveller
        self.client = WebClient(token="xoxb-1-2-test", base_url=fake.api_url)
        self.watcher = self._open()

    def _open(self) -> Watcher:
        watcher = Watcher(self.assistant, SlackDelivery(self.client, self.assistant.model), path=self.path,
                          timezone=UTC_ZONE, inline=True).open(run=True)
        self.assistant.monitors = watcher
        return watcher

    def restart(self) -> None:
        self.watcher.close()
        self.watcher = self._open()

    def at(self, moment: datetime) -> list[Any]:
        """Move the clock to ``moment``, run what is due; the messages posted so far."""
        self.clock.move_to(moment)
        self.watcher.run_due()
        return self.fake.of("chat.postMessage")

    def ask(self, question: str, *, where: str | None = HERE) -> Any:
        return self.assistant.answer(AnswerRequest(question=question, session_id="slack:T0TEAM:C0SALES:1",
                                                   user="slack:T0TEAM:U0ANA", reply_to=where))

    def close(self) -> None:
        self.watcher.close()
        self.assistant.monitors = None


@pytest.fixture()
def clocked(assistant: Assistant, slack: FakeSlackApi, genbi_home: Path) -> Iterator[Clocked]:
    with time_machine.travel(SUNDAY_NOON, tick=False) as traveller:
        running = Clocked(assistant, slack, genbi_home / "monitors.sqlite", traveller)
        yield running
        running.close()


def _text(call: Any) -> str:
    blocks = call.args.get("blocks")
    parsed = json.loads(blocks) if isinstance(blocks, str) else (blocks or [])
    return call.args.get("text", "") + "\n" + json.dumps(parsed, ensure_ascii=False)


def test_weekly_report_posts_when_due_and_not_twice_after_restart(clocked: Clocked) -> None:
    created = clocked.ask("tell me every Monday how revenue by channel did")
    assert created.decline is None and "#1" in created.interpretation, created.narrative
    assert "every Monday at 09:00" in created.interpretation
    assert created.rows, "the confirmation shows how the report looks now"

    assert clocked.at(datetime(2026, 1, 5, 8, 59, 59, tzinfo=UTC)) == []
    posts = clocked.at(MONDAY_9)
    assert len(posts) == 1
    assert posts[0].args["channel"] == CHANNEL
    assert "Scheduled report #1" in _text(posts[0]) and "last week" in _text(posts[0])
    assert clocked.fake.wait_for("files.completeUploadExternal"), "the chart goes with the report"

    assert len(clocked.at(datetime(2026, 1, 5, 9, 0, 20, tzinfo=UTC))) == 1
    clocked.restart()
    assert len(clocked.at(datetime(2026, 1, 5, 9, 1, tzinfo=UTC))) == 1, "a restart does not post it again"
    assert len(clocked.at(datetime(2026, 1, 12, 8, 59, tzinfo=UTC))) == 1
    assert len(clocked.at(datetime(2026, 1, 12, 9, 0, tzinfo=UTC))) == 2, "next Monday's report"


def _douyin_roas(warehouse_path: Path, day: date) -> float:
    """ROAS of douyin on ``day``, computed from the raw tables (not through genbi)."""
    with duckdb.connect(str(warehouse_path), read_only=True) as db:
        revenue = db.execute(
            "SELECT SUM(o.revenue) FROM orders o JOIN campaigns c ON o.campaign_id = c.campaign_id "
            "WHERE c.channel = 'douyin' AND CAST(o.ordered_at AS DATE) = ?", [day]).fetchone()[0]
        spend = db.execute(
            "SELECT SUM(a.spend) FROM ad_spend a JOIN campaigns c ON a.campaign_id = c.campaign_id "
            "WHERE c.channel = 'douyin' AND a.date = ?", [day]).fetchone()[0]
    return float(revenue or 0) / float(spend)


def test_threshold_alert_posts_only_when_breached(clocked: Clocked, warehouse_path: Path) -> None:
    yesterday = date(2025, 12, 30)  # the demo's today is 2025-12-31
    roas = _douyin_roas(warehouse_path, yesterday)
    high, low = round(roas * 1.5, 2), round(roas * 0.5, 2)
    breached = clocked.ask(f"alert me when daily ROAS on douyin drops below {high}")
    quiet = clocked.ask(f"当抖音的每日ROAS低于{low}时提醒我")
    assert "#1" in breached.interpretation and "#2" in quiet.interpretation
    assert clocked.at(datetime(2026, 1, 5, 8, 59, tzinfo=UTC)) == []
    posts = clocked.at(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    assert len(posts) == 1, "only the breached alert posts"
    text = _text(posts[0])
    assert "Alert #1" in text and f"{roas:,.2f}×" in text and "2025-12-30" in text
    clocked.restart()
    assert len(clocked.at(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))) == 1
    assert len(clocked.at(datetime(2026, 1, 6, 9, 0, tzinfo=UTC))) == 2, "checked again the next day"


def test_failing_query_posts_a_clear_error(clocked: Clocked, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "#1" in clocked.ask("tell me every Monday how revenue by channel did").interpretation

    def down(*_: Any, **__: Any) -> Any:
        raise WarehouseError("The warehouse could not be reached (connection refused).")

    monkeypatch.setattr(clocked.assistant.warehouse, "run", down)
    posts = clocked.at(MONDAY_9)
    assert len(posts) == 1
    text = _text(posts[0])
    assert "Monitor #1" in text and "could not run" in text and "connection refused" in text
    assert "try again every Monday" in text


def test_a_monitor_the_model_no_longer_answers_posts_why(clocked: Clocked) -> None:
    stale = Monitor(id=0, kind="report", asked="old", question="old metric", title="Old metric",
                    spec=QuerySpec(metrics=["revenue_before_rename"]), schedule=Schedule(every="day"),
                    destination=HERE)
    clocked.watcher.add(stale)
    posts = clocked.at(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    assert len(posts) == 1 and "could not run" in _text(posts[0]) and "revenue_before_rename" in _text(posts[0])


def test_list_pause_resume_delete_from_chat(clocked: Clocked) -> None:
    clocked.ask("tell me every Monday how revenue by channel did")
    clocked.ask("每天早上8点推送昨天的销售额")
    listed = clocked.ask("list my monitors")
    assert [row[0] for row in listed.rows] == [1, 2]
    assert "every day at 08:00" in listed.narrative
    assert "Paused" in clocked.ask("pause monitor 1").narrative
    assert clocked.at(MONDAY_9) and all("#1" not in _text(p) for p in clocked.fake.of("chat.postMessage"))
    assert "Resumed" in clocked.ask("resume monitor 1").narrative
    assert "已删除" in clocked.ask("删除监控 2").narrative
    assert [row[0] for row in clocked.ask("list monitors").rows] == [1]
    assert clocked.ask("pause monitor 7").declined
    other = clocked.ask("list monitors", where=destination("T0TEAM", "C0OTHER"))
    assert not other.rows, "another channel sees only its own monitors"


def test_monitors_need_somewhere_to_post(clocked: Clocked) -> None:
    answer = clocked.ask("tell me every Monday how revenue by channel did", where=None)
    assert answer.declined and "Slack" in answer.narrative
    assert clocked.watcher.monitors() == []


def test_an_unreadable_question_is_not_scheduled(clocked: Clocked) -> None:
    answer = clocked.ask("tell me every Monday how the weather was")
    assert answer.declined
    assert clocked.watcher.monitors() == []


def test_one_runner_per_state_directory(clocked: Clocked) -> None:
    from genbi.errors import ConfigError

    second = Watcher(clocked.assistant, lambda outcome: None, path=clocked.path, inline=True)
    with pytest.raises(ConfigError, match="already runs the monitors"):
        second.open(run=True)
    second.close()


def test_destinations_round_trip() -> None:
    assert channel_of(destination("T1", "D0DM")) == "D0DM"
    assert channel_of("ui:someone") is None


def test_the_slack_bot_creates_a_monitor_for_its_channel(clocked: Clocked) -> None:
    from genbi.ui.slack.bot import Ask, SlackBot

    bot = SlackBot(clocked.assistant, progress_after=600)
    try:
        ask = Ask(team="T0TEAM", channel="D0DIRECT", user="U0ANA", thread_ts="1767000000.000001",
                  question="每周一告诉我各渠道的销售额", direct=True)
        bot.answer(ask, clocked.client).result(timeout=120)
    finally:
        bot.close()
    [listed] = clocked.watcher.monitors()
    assert listed.monitor.destination == destination("T0TEAM", "D0DIRECT") and listed.monitor.language == "zh"
    reply = clocked.fake.of("chat.postMessage")[-1]
    assert reply.args["channel"] == "D0DIRECT" and "#1" in _text(reply)
    clocked.fake.clear()
    posts = clocked.at(MONDAY_9)
    assert len(posts) == 1 and posts[0].args["channel"] == "D0DIRECT" and "定时报告 #1" in _text(posts[0])


def test_genbi_watch_once_posts_what_is_due(warehouse_path: Path, slack: FakeSlackApi, genbi_home: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from genbi.cli import app

    report = Monitor(id=0, kind="report", asked="tell me every Monday how revenue did", question="revenue",
                     title="Revenue", spec=QuerySpec(metrics=["revenue"]), schedule=Schedule(every="week"),
                     destination=HERE)
    with Watcher(path=genbi_home / "state" / "monitors.sqlite", timezone=UTC_ZONE).open() as watcher:
        due = watcher.add(report)
        watcher.add(report)  # #2 stays on its schedule: not due now
        watcher.scheduler.modify_job(f"monitor-{due.id}", jobstore="monitors",
                                     next_run_time=datetime.now(UTC) - timedelta(minutes=1))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-test")
    monkeypatch.setenv("GENBI_SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("GENBI_TIMEZONE", "UTC")
    done = CliRunner().invoke(app, ["watch", "--once", "--db", str(warehouse_path)])
    assert done.exit_code == 0, done.output
    [post] = slack.of("chat.postMessage")
    assert "Scheduled report #1" in _text(post) and post.args["channel"] == CHANNEL
    listed = CliRunner().invoke(app, ["watch", "list"])
    assert "#1 report: Revenue · every Monday at 09:00" in listed.output and "#2" in listed.output


def test_unusual_days_alert_uses_the_anomaly_detector(clocked: Clocked, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's revenue dips on 2025-01-23; the daily check the morning after says so, once,
    and the next mornings (which still see that dip in their 30 days) stay quiet."""
    monkeypatch.setattr(clocked.assistant, "as_of", date(2025, 1, 24))  # "today" is the clock's date
    clocked.clock.move_to(datetime(2025, 1, 23, 12, 0, tzinfo=UTC))
    created = clocked.ask("alert me about unusual days in revenue")
    assert created.decline is None and "#1" in created.interpretation, created.narrative
    assert clocked.watcher.monitors()[0].monitor.tool_call is not None
    assert clocked.at(datetime(2025, 1, 24, 8, 59, tzinfo=UTC)) == []
    posts = clocked.at(datetime(2025, 1, 24, 9, 0, tzinfo=UTC))
    assert len(posts) == 1
    text = _text(posts[0])
    assert "Alert #1" in text and "2025-01-23" in text and "dip" in text
    clocked.restart()
    assert len(clocked.at(datetime(2025, 1, 24, 9, 30, tzinfo=UTC))) == 1
    assert len(clocked.at(datetime(2025, 1, 26, 9, 0, tzinfo=UTC))) == 1, "an older dip is not posted again"
