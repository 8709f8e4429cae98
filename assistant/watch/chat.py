"""Watch commands in the chat, for every front end: pin the last answer, create, list,
pause, resume and delete monitors.

Called from ``Assistant.answer`` inside the guardrails (the asker's role, masking, audit),
before any brain sees the message. The question inside a report or alert is answered by
the assistant's own brain, so it is read exactly as if it had been asked on its own.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from genbi.assistant.answer import Answer, AnswerRequest, Decline
from genbi.assistant.planner.text import language_of
from genbi.assistant.watch.monitors import (
    Monitor,
    Outcome,
    Threshold,
    outcome_of,
    with_default_period,
)
from genbi.assistant.watch.phrases import ManageCommand, MonitorCommand, PinCommand, read_command
from genbi.assistant.watch.pins import PinSource, PinStore
from genbi.errors import GenbiError

if TYPE_CHECKING:  # the scheduler (APScheduler, SQLAlchemy) loads only when a command needs it
    from genbi.assistant.watch.scheduler import Watcher

PINNABLE = "watch_pinnable"
"""Conversation extra: the last answer that can be pinned (``PinSource``)."""
BRAIN = "genbi"
Brain = Callable[[AnswerRequest], Answer]


def answer_command(assistant: Any, request: AnswerRequest, brain: Brain) -> Answer | None:
    """The answer to a watch command, or None when ``request`` is an ordinary question."""
    command = read_command(request.question)
    if command is None:
        return None
    language = request.language or ("zh" if language_of(request.question) == "zh" else "en")
    try:
        if isinstance(command, PinCommand):
            return _pin(assistant, request, command, language)
        if isinstance(command, ManageCommand):
            return _manage(assistant, request, command, language)
        return _create(assistant, request, command, language, brain)
    except GenbiError as problem:
        return _said(request, language, str(problem), declined=True)


def remember_pinnable(assistant: Any, request: AnswerRequest, answer: Answer) -> None:
    """Keep ``answer`` as what "pin this" pins in its conversation (when it has numbers)."""
    if answer.declined or answer.error or (answer.spec is None and answer.tool_call is None):
        return
    assistant.conversations.get(request.session_id).extras[PINNABLE] = PinSource.of(answer)


def watcher_of(assistant: Any) -> Watcher:
    """The assistant's watcher (the running one in ``genbi slack`` / ``genbi watch``), else
    one that only reads and edits the state directory's monitors."""
    watcher = getattr(assistant, "monitors", None)
    if watcher is not None:
        return watcher
    return shared_watcher()


_shared: dict[str, Watcher] = {}
_shared_lock = threading.Lock()


def shared_watcher() -> Watcher:
    """One list-and-edit watcher per state directory in this process."""
    from genbi import settings
    from genbi.assistant.watch.scheduler import Watcher

    key = str(settings.state_dir())
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Watcher().open(run=False)
        return _shared[key]


# --- pins ---


def _pin(assistant: Any, request: AnswerRequest, command: PinCommand, language: str) -> Answer:
    source = assistant.conversations.get(request.session_id).extras.get(PINNABLE)
    if source is None:
        message = ("还没有可以固定的答案：先问一个有数字的问题，再说“固定到周报”。" if language == "zh"
                   else "There is no answer to pin yet: ask a question with numbers first, then say "
                        "\"pin this to 'Weekly'\".")
        return _said(request, language, message, declined=True)
    pin = PinStore().add(command.dashboard, source, user=request.user)
    message = (f"已把“{pin.title}”固定到看板“{pin.dashboard}”（第 {pin.id} 号）；打开看板时会按当天日期重新计算。"
               if language == "zh" else
               f"Pinned \"{pin.title}\" to the dashboard '{pin.dashboard}' (pin {pin.id}); it is "
               "re-run with the current date whenever the dashboard opens.")
    return _said(request, language, message, interpretation=f"📌 {pin.dashboard}")


# --- monitors ---


def _create(assistant: Any, request: AnswerRequest, command: MonitorCommand, language: str,
            brain: Brain) -> Answer:
    if not request.reply_to:
        message = ("定时报告和提醒会发到 Slack：请在 Slack 里对 genbi 说这句话（或用 `genbi watch add --channel`）。"
                   if language == "zh" else
                   "Scheduled reports and alerts are posted to Slack: say this to genbi in Slack "
                   "(or use `genbi watch add --channel`).")
        return _said(request, language, message, declined=True)
    session = f"watch:{uuid.uuid4().hex}"
    inner = brain(dataclasses.replace(request, question=command.question, session_id=session))
    try:
        if inner.declined or inner.error:
            return dataclasses.replace(inner, question=request.question)
        monitor = _monitor(request, command, inner, language)
        as_of = request.as_of or assistant.as_of
        preview = _preview(assistant, monitor, dataclasses.replace(request, session_id=session), as_of)
    finally:
        assistant.conversations.forget(session)
    if preview.kind == "error":
        return _said(request, language, preview.message, declined=True)
    saved = watcher_of(assistant).add(monitor)
    assert preview.answer is not None
    return _confirmation(request, saved, outcome_of(saved, preview.answer, as_of), language)


def _monitor(request: AnswerRequest, command: MonitorCommand, inner: Answer, language: str) -> Monitor:
    threshold = None
    if command.kind == "alert" and command.condition is None:
        if inner.tool_call is None or inner.tool_call.name != "anomalies":
            raise GenbiError("An unusual-days alert needs a metric to watch, such as revenue or ROAS.",
                             "e.g. alert me about unusual days in daily ROAS on douyin.")
    elif command.kind == "alert":
        if inner.spec is None or not inner.spec.metrics:
            raise GenbiError("An alert needs a metric to watch, such as ROAS or revenue.",
                             "e.g. alert me when daily ROAS on douyin drops below 2.")
        assert command.condition is not None
        threshold = Threshold(metric=inner.spec.metrics[0], op=command.condition.op,
                              value=command.condition.threshold, percent=command.condition.percent)
    spec = with_default_period(inner.spec, command.schedule) if inner.spec is not None else None
    tool = ({"name": inner.tool_call.name, "arguments": inner.tool_call.arguments}
            if inner.tool_call is not None else None)
    return Monitor(id=0, kind=command.kind, asked=request.question, question=command.question,
                   language="zh" if language == "zh" else "en", title=inner.interpretation or command.question,
                   spec=spec, tool=tool, schedule=command.schedule, threshold=threshold,
                   destination=str(request.reply_to), created_by=request.user)


def _preview(assistant: Any, monitor: Monitor, request: AnswerRequest, as_of: date) -> Outcome:
    """The monitor run once now (inside the current guardrails), so a broken one is never stored."""
    from genbi.assistant.watch.replay import current_call

    day = monitor.run_day(as_of)
    asked = dataclasses.replace(request, question=monitor.question, as_of=day)
    if monitor.spec is not None:
        answer = assistant.execute(monitor.spec, asked, language=monitor.language)
    else:
        assert monitor.tool_call is not None
        call = current_call(assistant, monitor.question, monitor.tool_call, day)
        answer = assistant.run_tool(call, asked, language=monitor.language)
    return outcome_of(monitor, answer, day)


def _confirmation(request: AnswerRequest, monitor: Monitor, preview: Outcome, language: str) -> Answer:
    zh = language == "zh"
    when = monitor.schedule.describe(language)
    answer = preview.answer
    assert answer is not None
    title = answer.interpretation or monitor.title
    if monitor.watches_anomalies:
        now = preview.message if preview.kind == "alert" else ("最近没有异常。" if zh else "No unusual days lately.")
        head = (f"好的：{when}检查“{title}”，出现异常时发到这里（提醒 #{monitor.id}）。{now}" if zh else
                f"Done: {when} I'll check \"{title}\" and post here when a day is unusual (alert #{monitor.id}). {now}")
    elif monitor.kind == "alert":
        now = preview.message if preview.kind == "alert" else ("目前没有触发。" if zh else "Right now it is not breached.")
        head = (f"好的：{when}检查“{title}”，触发时发到这里（提醒 #{monitor.id}）。{now}" if zh else
                f"Done: {when} I'll check \"{title}\" and post here when it is breached (alert #{monitor.id}). {now}")
    else:
        head = (f"好的：{when}把“{title}”发到这里（报告 #{monitor.id}）。下面是现在的结果。" if zh else
                f"Done: {when} I'll post \"{title}\" here (report #{monitor.id}). Here is how it looks now.")
    stop = (f"说“暂停监控 {monitor.id}”或“删除监控 {monitor.id}”即可停止。" if zh
            else f"Say 'pause monitor {monitor.id}' or 'delete monitor {monitor.id}' to stop it.")
    kind = ("提醒" if monitor.kind == "alert" else "定时报告") if zh else ("Alert" if monitor.kind == "alert" else "Scheduled report")
    return dataclasses.replace(
        answer, question=request.question, interpretation=f"{kind} #{monitor.id} · {when} · {title}",
        narrative=f"{head}\n\n{answer.narrative}\n\n{stop}".strip(),
        extras={**answer.extras, "monitor": monitor.model_dump(mode="json")},
    )


def _manage(assistant: Any, request: AnswerRequest, command: ManageCommand, language: str) -> Answer:
    watcher = watcher_of(assistant)
    mine = watcher.monitors(request.reply_to)
    zh = language == "zh"
    if command.action == "list":
        return _listing(request, mine, language)
    listed = next((m for m in mine if m.monitor.id == command.monitor_id), None)
    if listed is None:
        message = (f"这里没有 #{command.monitor_id} 号监控；说“我的监控”查看列表。" if zh
                   else f"There is no monitor #{command.monitor_id} here; say 'list monitors' to see them.")
        return _said(request, language, message, declined=True)
    number = listed.monitor.id
    done = {"pause": watcher.pause, "resume": watcher.resume, "delete": watcher.delete}[command.action](number)
    words = {"pause": ("已暂停", "Paused"), "resume": ("已恢复", "Resumed"), "delete": ("已删除", "Deleted")}
    word = words[command.action][0 if zh else 1]
    message = f"{word}：{listed.monitor.describe(language)}" if zh else f"{word}: {listed.monitor.describe(language)}"
    return _said(request, language, message if done else message + " (?)")


def _listing(request: AnswerRequest, listed: list[Any], language: str) -> Answer:
    zh = language == "zh"
    if not listed:
        message = ("这里还没有监控。试试“每周一告诉我各渠道的销售额”。" if zh else
                   "No monitors here yet. Try \"tell me every Monday how revenue by channel did\".")
        return _said(request, language, message)
    columns = ("id", "kind", "question", "schedule", "next_run", "status")
    rows = tuple(
        (m.monitor.id, m.monitor.kind, m.monitor.title, m.monitor.schedule.describe(language),
         m.next_run.isoformat(timespec="minutes") if m.next_run else "",
         ("已暂停" if zh else "paused") if m.paused else ("运行中" if zh else "active"))
        for m in listed)
    lines = "\n".join(f"- {m.monitor.describe(language)}{(' (已暂停)' if zh else ' (paused)') if m.paused else ''}"
                      for m in listed)
    head = f"{len(listed)} 个监控：" if zh else f"{len(listed)} monitor(s):"
    return dataclasses.replace(_said(request, language, f"{head}\n{lines}",
                                     interpretation="监控" if zh else "Monitors"),
                               columns=columns, rows=rows)


def _said(request: AnswerRequest, language: str, message: str, *, declined: bool = False,
          interpretation: str = "") -> Answer:
    return Answer(question=request.question, language="zh" if language == "zh" else "en", brain=BRAIN,
                  interpretation=interpretation, narrative=message,
                  decline=Decline(message) if declined else None)
