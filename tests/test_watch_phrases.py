"""Reading watch commands: pins, reports, alerts and their management, in English and
Chinese — and never an ordinary question (every eval question is checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genbi.assistant.watch.phrases import (
    ManageCommand,
    MonitorCommand,
    PinCommand,
    read_command,
)
from genbi.assistant.watch.schedule import Schedule

REPO = Path(__file__).resolve().parents[1]
MONDAY_9 = Schedule(every="week", day_of_week=0)


@pytest.mark.parametrize(("message", "dashboard"), [
    ("pin this to 'Weekly'", "Weekly"),
    ("Add it to the Weekly dashboard", "Weekly"),
    ("save the last answer to my Q4 review", "Q4 review"),
    ("把这个固定到周报看板", "周报"),
    ("固定到“渠道周报”", "渠道周报"),
])
def test_pins(message: str, dashboard: str) -> None:
    assert read_command(message) == PinCommand(dashboard)


@pytest.mark.parametrize(("message", "question", "schedule"), [
    ("tell me every Monday how revenue by channel did", "revenue by channel", MONDAY_9),
    ("every Friday at 5pm send me orders by city", "orders by city",
     Schedule(every="week", day_of_week=4, hour=17)),
    ("send me a daily report of orders at 8am", "orders", Schedule(every="day", hour=8)),
    ("remind me each month about revenue by channel", "revenue by channel", Schedule(every="month", day=1)),
    ("每周一告诉我各渠道的销售额怎么样", "各渠道的销售额", MONDAY_9),
    ("每天早上8点推送昨天的销售额", "昨天的销售额", Schedule(every="day", hour=8)),
    ("每月1号给我发一下上个月各渠道的销售额", "上个月各渠道的销售额", Schedule(every="month", day=1)),
    ("每个工作日下午3点半告诉我订单数", "订单数", Schedule(every="weekday", hour=15, minute=30)),
])
def test_reports(message: str, question: str, schedule: Schedule) -> None:
    assert read_command(message) == MonitorCommand("report", question, schedule)


@pytest.mark.parametrize(("message", "question", "op", "threshold"), [
    ("alert me when daily ROAS on douyin drops below 2", "daily ROAS on douyin", "<", 2.0),
    ("let me know if revenue goes above 1.5M", "revenue", ">", 1_500_000.0),
    ("notify me when conversion rate falls below 3%", "conversion rate", "<", 0.03),
    ("抖音每日ROAS低于2时提醒我", "抖音每日ROAS", "<", 2.0),
    ("当天猫的销售额超过10万的时候通知我", "天猫的销售额", ">", 100_000.0),
])
def test_alerts(message: str, question: str, op: str, threshold: float) -> None:
    command = read_command(message)
    assert isinstance(command, MonitorCommand) and command.kind == "alert"
    assert command.question == question and command.condition is not None
    assert command.condition.op == op and command.condition.threshold == pytest.approx(threshold)
    assert command.schedule == Schedule(every="day")


@pytest.mark.parametrize(("message", "action", "number"), [
    ("list my monitors", "list", None), ("what alerts do I have?", "list", None), ("我的提醒", "list", None),
    ("pause monitor 3", "pause", 3), ("resume alert #2", "resume", 2), ("delete report 4", "delete", 4),
    ("暂停监控3", "pause", 3), ("恢复提醒 2", "resume", 2), ("删除监控 5", "delete", 5),
])
def test_management(message: str, action: str, number: int | None) -> None:
    assert read_command(message) == ManageCommand(action, number)  # type: ignore[arg-type]


@pytest.mark.parametrize("message", [
    "revenue by channel last month", "daily revenue last month", "show me weekly revenue in 2025",
    "revenue every month in 2025", "tell me revenue by channel", "which channel had revenue above 1000",
    "给我看每天的销售额", "每天的销售额", "orders on mondays", "pause", "delete monitor",
])
def test_ordinary_questions_are_not_commands(message: str) -> None:
    assert read_command(message) is None


def test_no_eval_question_reads_as_a_command() -> None:
    files = list(REPO.glob("eval/**/*.jsonl"))
    questions = [json.loads(line).get("question", "") for f in files
                 for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(questions) > 300
    assert [q for q in questions if read_command(q) is not None] == []


@pytest.mark.parametrize(("message", "question"), [
    ("alert me about unusual days in daily ROAS on douyin", "unusual days in daily ROAS on douyin"),
    ("tell me when anything unusual happens to revenue", "unusual days in revenue"),
    ("alert me if orders look unusual", "unusual days in orders"),
    ("销售额出现异常时提醒我", "销售额有没有异常的日子"),
])
def test_unusual_day_alerts(message: str, question: str) -> None:
    assert read_command(message) == MonitorCommand("alert", question, Schedule(every="day"))
