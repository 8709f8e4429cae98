"""Monitors: a scheduled report or a threshold alert, and what one run of it found.

A monitor stores the plan of its question (query spec or tool call), never rows, plus its
schedule, its condition (alerts) and where to post (``destination``, e.g. "slack:T1:C42").
``check`` re-runs the plan as of the run's date through the guarded path and turns the
answer into an ``Outcome``: a report to post, an alert, nothing to say, or an error that
is posted too — a monitor that silently stops working is worse than none.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from genbi.assistant.answer import Answer, ToolCall
from genbi.assistant.formatting import format_value
from genbi.assistant.watch.replay import replay
from genbi.assistant.watch.schedule import Schedule
from genbi.semantic_layer.masking import mask_text
from genbi.semantic_layer.query_spec import QuerySpec, TimeGrain, TimeRange


class Threshold(BaseModel):
    """Alert when ``metric`` is ``op`` ``value`` on any row of the answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: str
    op: Literal["<", ">"]
    value: float
    percent: bool = False

    def breached(self, number: float) -> bool:
        return bool({"<": operator.lt, ">": operator.gt}[self.op](number, self.value))


class Monitor(BaseModel):
    """One stored report or alert (the job store's copy is the only one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int = Field(description="Small number people use: 'pause monitor 3'.")
    kind: Literal["report", "alert"]
    asked: str = Field(description="The message that created it.")
    question: str = Field(description="The question re-run each time.")
    language: Literal["en", "zh"] = "en"
    title: str = Field(description="How the question was read when it was created.")
    spec: QuerySpec | None = None
    tool: dict[str, Any] | None = Field(default=None, description="{name, arguments} of a tool call.")
    schedule: Schedule
    threshold: Threshold | None = None
    destination: str = Field(description="Where runs are posted: 'slack:TEAM:CHANNEL'.")
    created_by: str | None = None
    created_at: str = ""

    @property
    def watches_anomalies(self) -> bool:
        """An alert on unusual days (the anomalies tool) rather than on a threshold."""
        return self.kind == "alert" and self.threshold is None

    def run_day(self, as_of: date) -> date:
        """The date a run answers as of: the day before for unusual days (today is not over,
        and a half-day always looks like a dip)."""
        return as_of - timedelta(days=1) if self.watches_anomalies else as_of

    @property
    def tool_call(self) -> ToolCall | None:
        return ToolCall(str(self.tool["name"]), dict(self.tool.get("arguments") or {})) if self.tool else None

    def describe(self, language: str | None = None) -> str:
        """'#3 weekly report · Revenue · by channel · every Monday at 09:00'."""
        zh = (language or self.language) == "zh"
        when = self.schedule.describe("zh" if zh else "en")
        if self.watches_anomalies:
            what = f"{'异常提醒' if zh else 'unusual-days alert'}: {self.title}"
        elif self.kind == "alert" and self.threshold is not None:
            sign = ("低于" if self.threshold.op == "<" else "高于") if zh else ("below" if self.threshold.op == "<" else "above")
            what = f"{'提醒' if zh else 'alert'}: {self.title} {sign} {_threshold_text(self.threshold, zh)}"
        else:
            what = f"{'报告' if zh else 'report'}: {self.title}"
        return f"#{self.id} {what} · {when}"


@dataclass(frozen=True)
class Outcome:
    """What one run found and what to post."""

    monitor: Monitor
    kind: Literal["report", "alert", "quiet", "error"]
    message: str
    answer: Answer | None = None
    as_of: date | None = None


def with_default_period(spec: QuerySpec, schedule: Schedule) -> QuerySpec:
    """A question with no period covers the one just closed: yesterday for a daily run, last
    week for a weekly one ("tell me every Monday how revenue did" means last week's)."""
    if spec.time_range is not None or spec.periods:
        return spec
    grains = [g.grain for g in spec.group_by if g.grain is not None]
    period = schedule.period()
    if grains and grains[0] in (TimeGrain.DAY, TimeGrain.WEEK, TimeGrain.MONTH):
        period = period.model_copy(update={"unit": grains[0]})
    return spec.model_copy(update={"time_range": TimeRange(relative=period)})


def check(assistant: Any, monitor: Monitor, *, as_of: date | None, user: str | None = None) -> Outcome:
    """Run ``monitor`` once as of ``as_of`` and say what to post."""
    day = monitor.run_day(as_of) if as_of is not None else None
    answer = replay(assistant, monitor, as_of=day, user=user or monitor.created_by, purpose="monitor")
    return outcome_of(monitor, answer, day)


def outcome_of(monitor: Monitor, answer: Answer, as_of: date | None) -> Outcome:
    """What ``answer`` (one run of ``monitor``) means: report, alert, nothing, or an error."""
    zh = monitor.language == "zh"
    if answer.declined or answer.error:
        problem = answer.error or (answer.decline.reason if answer.decline else "")
        return Outcome(monitor, "error", failure_text(monitor, problem), answer, as_of)
    if monitor.watches_anomalies:
        return _unusual_days(monitor, answer, as_of)
    if monitor.kind == "report" or monitor.threshold is None:
        heading = f"{'定时报告' if zh else 'Scheduled report'} #{monitor.id}: {answer.interpretation}"
        return Outcome(monitor, "report", heading, answer, as_of)
    return _alert(monitor, answer, as_of)


def failure_text(monitor: Monitor, problem: str) -> str:
    """A run that failed, said plainly, with what happens next."""
    when = monitor.schedule.describe(monitor.language)
    problem = mask_text(problem)
    if monitor.language == "zh":
        return (f"⚠️ 监控 #{monitor.id}（{monitor.title}）这次没能运行：{problem} "
                f"下次将在{when}再试；如需停止，请说“删除监控 {monitor.id}”。")
    return (f"⚠️ Monitor #{monitor.id} ({monitor.title}) could not run: {problem} "
            f"It will try again {when}; say 'delete monitor {monitor.id}' to stop it.")


def _alert(monitor: Monitor, answer: Answer, as_of: date | None) -> Outcome:
    threshold = monitor.threshold
    assert threshold is not None
    zh = monitor.language == "zh"
    if threshold.metric not in answer.columns:
        problem = (f"结果里没有指标 {threshold.metric}。" if zh
                   else f"the result has no '{threshold.metric}' column any more.")
        return Outcome(monitor, "error", failure_text(monitor, problem), answer, as_of)
    at = answer.columns.index(threshold.metric)
    hits = [row for row in answer.rows if _number(row[at]) is not None and threshold.breached(_number(row[at]))]  # type: ignore[arg-type]
    if not answer.rows:
        note = "这一期没有数据。" if zh else "no data for the period."
        return Outcome(monitor, "quiet", note, answer, as_of)
    if not hits:
        return Outcome(monitor, "quiet", "", answer, as_of)
    lines = [_hit_line(answer, row, at, zh) for row in hits[:10]]
    more = len(hits) - len(lines)
    sign = ("低于" if threshold.op == "<" else "高于") if zh else ("below" if threshold.op == "<" else "above")
    limit = _threshold_text(threshold, zh)
    if zh:
        head = f"🚨 提醒 #{monitor.id}：{answer.interpretation} {sign} {limit}"
        tail = f"\n…另有 {more} 行" if more > 0 else ""
    else:
        head = f"🚨 Alert #{monitor.id}: {answer.interpretation} is {sign} {limit}"
        tail = f"\n… and {more} more rows" if more > 0 else ""
    return Outcome(monitor, "alert", head + "\n" + "\n".join(lines) + tail, answer, as_of)


def _unusual_days(monitor: Monitor, answer: Answer, as_of: date | None) -> Outcome:
    """Unusual days in the period just closed (the last day for a daily check, the last week
    for a weekly one), from the anomalies tool's facts."""
    zh = monitor.language == "zh"
    facts = answer.extras.get("facts") or {}
    if "anomalies" not in facts:
        problem = "结果里没有异常检测。" if zh else "the answer is not an unusual-days check any more."
        return Outcome(monitor, "error", failure_text(monitor, problem), answer, as_of)
    end = date.fromisoformat(str(facts.get("end"))) if facts.get("end") else as_of
    since = (end or date.max) - timedelta(days=monitor.schedule.lookback_days())
    recent = [a for a in facts["anomalies"] if date.fromisoformat(str(a["day"])) > since]
    if not recent:
        return Outcome(monitor, "quiet", "", answer, as_of)
    fmt = str(facts.get("format") or "number")
    language: Literal["en", "zh"] = "zh" if zh else "en"
    lines = []
    for item in sorted(recent, key=lambda a: str(a["day"])):
        value, expected = (format_value(item[k], fmt, language) for k in ("value", "expected"))
        kind = ("偏高" if item["direction"] == "spike" else "偏低") if zh else item["direction"]
        lines.append(f"• {item['day']}: {value} ({'预期' if zh else 'expected'} {expected}, {kind})")
    head = (f"🚨 提醒 #{monitor.id}：{answer.interpretation} 出现异常" if zh
            else f"🚨 Alert #{monitor.id}: unusual {answer.interpretation}")
    return Outcome(monitor, "alert", head + "\n" + "\n".join(lines), answer, as_of)


def _hit_line(answer: Answer, row: tuple[Any, ...], at: int, zh: bool) -> str:
    """'• 2025-12-30: 1.62×' — the row's other columns say which day or member it is."""
    language: Literal["en", "zh"] = "zh" if zh else "en"
    infos = {c.name: c for c in answer.column_info}
    parts = [infos[c].show(row[i], language) if c in infos else str(row[i])
             for i, c in enumerate(answer.columns) if i != at and (c not in infos or infos[c].kind != "metric")]
    info = infos.get(answer.columns[at])
    value = info.show(row[at], language) if info is not None else format_value(row[at], "number", language)
    return f"• {' · '.join(parts)}: {value}" if parts else f"• {value}"


def _threshold_text(threshold: Threshold, zh: bool) -> str:
    if threshold.percent:
        return f"{threshold.value * 100:g}%"
    return f"{threshold.value:,.10g}"


def _number(value: Any) -> float | None:
    try:
        return None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None
