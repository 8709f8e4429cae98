"""The ``anomalies`` tool: "any unusual days in December?", "12月销售额有没有异常的日子".

A thin adapter over ``anomaly_detection.detect_anomalies`` (which monitors call directly):
arguments from the chat, the CLI or the LLM agent; one row per day of the window; a chart of
the value against its expected band with the unusual days marked.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module
from genbi.semantic_layer.query_spec import TimeGrain, period_start

from .anomaly_detection import THRESHOLD, AnomalyReport, detect_anomalies
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .calendar_effects import BY_KEY
from .change_explainer import filters_from_text, where_from_values
from .roles import RoleSource

if TYPE_CHECKING:
    import plotly.graph_objects as go
else:
    go = lazy_module("plotly.graph_objects")

NAME = "anomalies"


class AnomalyArgs(BaseModel):
    """Unusual days of a metric in a window, given its weekly pattern and the festivals."""

    model_config = ConfigDict(extra="forbid")

    metric: str | None = Field(None, description="Metric name, e.g. 'revenue', 'roas'; default: the model's first.")
    start: date | None = Field(None, description="First day of the window; default: the last 30 days.")
    end: date | None = Field(None, description="Last day of the window (inclusive).")
    where: str | None = Field(None, description="Filters, e.g. 'channel=douyin'.")
    time_grains: ClassVar[tuple[str, ...]] = ("day",)
    """The grain it works in: another said ("weekly cohorts") is noted, not dropped silently."""
    threshold: float = Field(THRESHOLD, gt=1.0, le=10.0, description="Robust z beyond which a day is unusual.")
    as_of: date | None = Field(None, description="Today, for the default window.")

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """Named members become filters ("unusual days for douyin" -> channel=douyin)."""
        where = where_from_values(values)
        return {"where": where} if where else {}


def run(args: AnomalyArgs, source: RoleSource | None = None) -> ToolResult:
    """Unusual days of one metric: value, expected value, robust z, festival."""
    if source is None or source.model is None:
        raise ToolError("anomalies needs a warehouse with a semantic model.")
    model = source.model
    metric = args.metric or str(model.metrics[0].name)
    if not model.has_metric(metric):
        metric = str(model.metric(metric).name)
    start, end = _window(args)
    report = detect_anomalies(model, source.runner, metric, start, end, as_of=args.as_of or end,
                              filters=filters_from_text(args.where), threshold=args.threshold)
    source.executed.extend(step.sql for step in report.steps)
    table = report.days[["day", "value", "expected", "low", "high", "z", "anomaly"]].copy()
    names = [_festival_pair(key) for key in report.days["festival"]]
    table["festival"] = [pair[0] if pair else "" for pair in names]
    table["festival_zh"] = [pair[1] if pair else "" for pair in names]
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: anomaly_chart(report)), facts=report_facts(report, model),
                      sql=tuple(f"-- {step.label}\n{step.sql}" for step in report.steps))


def report_facts(report: AnomalyReport, model: Any) -> dict[str, Any]:
    """The report as small JSON-able facts."""
    metric = model.metric(report.metric)
    return {
        "metric": metric.name, "metric_label": metric.label, "metric_label_zh": metric.label_zh,
        "format": metric.format.value, "start": report.start.isoformat(), "end": report.end.isoformat(),
        "days": len(report.days), "threshold": report.threshold,
        "anomalies": [{"day": a.day.isoformat(), "value": a.value, "expected": a.expected, "z": round(a.z, 2),
                       "direction": a.direction, "festival": _festival_pair(a.festival)}
                      for a in sorted(report.anomalies, key=lambda a: -abs(a.z))],
        "festivals": sorted({pair for f in report.days["festival"] if (pair := _festival_pair(f))}),
        "unjudged_festival_days": [d.isoformat() for d, _ in report.festival_days],
    }


def anomaly_chart(report: AnomalyReport) -> go.Figure:
    """The value per day, the expected band, unusual days in red."""
    days = report.days
    x = [d.isoformat() for d in days["day"]]
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=x, y=days["high"], mode="lines", line={"width": 0}, showlegend=False,
                                hoverinfo="skip"))
    figure.add_trace(go.Scatter(x=x, y=days["low"], mode="lines", line={"width": 0}, fill="tonexty",
                                fillcolor="rgba(31,78,121,0.12)", name="Expected range / 正常区间"))
    figure.add_trace(go.Scatter(x=x, y=days["expected"], mode="lines", line={"dash": "dot", "color": "#1f4e79"},
                                name="Expected / 预期值"))
    figure.add_trace(go.Scatter(x=x, y=days["value"], mode="lines+markers", line={"color": "#333333"},
                                marker={"size": 4}, name="Actual / 实际值"))
    flagged = days[days["anomaly"]]
    figure.add_trace(go.Scatter(x=[d.isoformat() for d in flagged["day"]], y=flagged["value"], mode="markers",
                                marker={"size": 11, "color": "#c62828", "symbol": "circle-open", "line": {"width": 3}},
                                name="Unusual / 异常"))
    figure.update_layout(title="Unusual days / 异常日期", hovermode="x unified")
    return figure


def _window(args: AnomalyArgs) -> tuple[date, date]:
    if args.start and args.end:
        return args.start, args.end
    today = args.as_of or date.today()
    if args.start:
        return args.start, today
    if args.end:
        return period_start(args.end, TimeGrain.MONTH), args.end
    return today - timedelta(days=29), today


def _festival_pair(key: str | None) -> tuple[str, str] | tuple[()]:
    if not key:
        return ()
    name, _, phase = key.partition(":")
    festival = BY_KEY[name]
    after = festival.after_words
    words = {"lead": (" build-up", "预热"), "peak": ("", "当天"), "after": (f" ({after[0]})", after[1])}[phase]
    return f"{festival.name}{words[0]}", f"{festival.name_zh}{words[1]}"


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=AnomalyArgs,
        run=run,
        description=(
            "Find unusual days in a metric's daily trend: compares every day with what its trend, "
            "weekday pattern and the shopping festivals of the data's market (双11, 618, 春节 …; Black Friday, "
            "Christmas …) lead one to "
            "expect, and lists the spikes and dips beyond the normal range."
        ),
        intents=("anomalies", "anomaly detection", "unusual days", "outliers", "abnormal", "anomalous",
                 "异常检测", "异常日期", "异动"),
        actions=(
            r"\b(?:unusual|abnormal|anomalous|odd|strange|weird|irregular)\b.{0,30}\b(?:days?|dates?|weeks?|spikes?|dips?|values?|activity|moves?)\b",
            r"\b(?:anomal(?:y|ies)|outliers?)\b",
            r"\b(?:any|find|detect|spot|flag)\b.{0,25}\b(?:spikes?|dips?|drops?|jumps?)\b",
            r"异常|异动|反常|离群|突增|突降|不正常|不对劲",
        ),
    )
)
