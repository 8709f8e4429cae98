""""How did douyin do last month?", "抖音上个月表现怎么样": performance asked without a metric.

A marketer asks how something did and expects its headline numbers, as a BI tool's Q&A
shows them. When a question names no metric but asks how a named member performed, the
answer is the model's first money metric, first count and first rate that can be split by
that member's dimension (model order: the model's author put the headline ones first),
and the answer says which were chosen.
"""

from __future__ import annotations

import re

from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.model import MetricFormat, SemanticModel

_PERFORMED = re.compile(
    r"\bhow (?:did|does|do|is|are|was|were|has|have)\b.*\b(?:do|doing|did|done|perform|performing|performed|go|going|went)\b"
    r"|\bperformance\b|表现|效果|做得怎么样|怎么样|如何|咋样"
)
_KINDS = ((MetricFormat.CURRENCY,), (MetricFormat.NUMBER,), (MetricFormat.RATIO,), (MetricFormat.PERCENT,))
"""Money, a count and a rate: a return (ROAS) before a percentage when the member has one."""


def performance_metrics(reading: Reading, model: SemanticModel) -> tuple[list[str], str] | None:
    """The headline metrics for "how did X do" and the note saying so; None when the
    question is not one, or names nothing to judge."""
    if reading.metrics or not _PERFORMED.search(reading.text):
        return None
    dimensions = {m.term.target for m in reading.values} | {m.term.target for m in reading.dimensions}
    if not dimensions:
        return None
    chosen: list[str] = []
    for formats in _KINDS:
        if len(chosen) == 3:
            break
        found = next((m.name for m in model.metrics if m.format in formats and m.name not in chosen
                      and all(model.can_group_by(m.name, d) for d in dimensions)), None)
        if found is not None:
            chosen.append(found)
    if not chosen:
        return None
    zh = reading.language == "zh"
    labels = [(model.metric(m).label_zh or model.metric(m).label) if zh else model.metric(m).label for m in chosen]
    note = (f"问题没有指定指标：显示{'、'.join(labels)}；需要其他指标请直接说。" if zh
            else f"No metric named: showing {', '.join(labels)}; ask for another by name.")
    return chosen, note



