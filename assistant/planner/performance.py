""""How did douyin do last month?", "抖音上个月表现怎么样": performance asked without a metric.

A marketer asks how something did and expects its headline numbers, as a BI tool's Q&A
shows them. When a question names no metric but asks how a named member performed, the
answer is the model's first money metric, first count and first rate that can be split by
that member's dimension (model order: the model's author put the headline ones first),
and the answer says which were chosen.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.model import Aggregation, MetricFormat, MetricType, SemanticModel

_PERFORMED = re.compile(
    r"\bhow (?:did|does|do|is|are|was|were|has|have)\b.*\b(?:do|doing|did|done|perform|performing|performed|go|going|went)\b"
    r"|\bperformance\b|表现|效果|做得怎么样|怎么样|如何|咋样"
)


def _money(model: SemanticModel, name: str) -> bool:
    """A total of money, the model's sales first ("sales", "revenue" among its words)."""
    metric = model.metric(name)
    return metric.format == MetricFormat.CURRENCY and metric.type == MetricType.SIMPLE and \
        model.measure(metric.measure or "").agg == Aggregation.SUM


def _count(model: SemanticModel, name: str) -> bool:
    """A plain count of rows or things (orders, invoices, buyers), no condition of its own."""
    metric = model.metric(name)
    if metric.type != MetricType.SIMPLE or metric.format != MetricFormat.NUMBER:
        return False
    measure = model.measure(metric.measure or "")
    return measure.agg in (Aggregation.COUNT, Aggregation.COUNT_DISTINCT) and not measure.filter


def _sales_first(model: SemanticModel, name: str) -> int:
    words = {w.lower() for w in (name, model.metric(name).label, *model.metric(name).synonyms)}
    return 0 if words & {"sales", "revenue", "gmv"} else 1


_RATES: tuple[Callable[[SemanticModel, str], bool], ...] = (
    lambda model, name: model.metric(name).format == MetricFormat.RATIO,
    lambda model, name: model.metric(name).format == MetricFormat.PERCENT,
    lambda model, name: model.metric(name).type == MetricType.RATIO,
)
"""The rate shown: a return (ROAS) before a percentage before a money ratio (AOV)."""


def performance_metrics(reading: Reading, model: SemanticModel) -> tuple[list[str], str] | None:
    """The headline metrics for "how did X do" and the note saying so; None when the
    question is not one, or names nothing to judge."""
    if reading.metrics or not _PERFORMED.search(reading.text):
        return None
    dimensions = {m.term.target for m in reading.values} | {m.term.target for m in reading.dimensions}
    if not dimensions:
        return None
    splits = [m.name for m in model.metrics if all(model.can_group_by(m.name, d) for d in dimensions)]
    money = sorted((m for m in splits if _money(model, m)), key=lambda m: _sales_first(model, m))
    counts = [m for m in splits if _count(model, m)]
    rates = next(([m for m in splits if fits(model, m)] for fits in _RATES if any(fits(model, m) for m in splits)), [])
    chosen = list(dict.fromkeys(found[0] for found in (money, counts, rates) if found))
    if not chosen:
        return None
    zh = reading.language == "zh"
    labels = [(model.metric(m).label_zh or model.metric(m).label) if zh else model.metric(m).label for m in chosen]
    note = (f"问题没有指定指标：显示{'、'.join(labels)}；需要其他指标请直接说。" if zh
            else f"No metric named: showing {', '.join(labels)}; ask for another by name.")
    return chosen, note



