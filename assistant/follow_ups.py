"""Suggested next questions under an answer: drill into its leading member, compare with the
period before, break down by a related dimension, see the trend, or — for a set of customers —
save them, find lookalikes and write copy.

Candidates come from the semantic model (which dimensions split the metric, their labels in
the answer's language, the members the answer holds) and from the answer itself (its spec, its
first row, a tool's facts). Every candidate is read back by the offline planner as a follow-up
of the answer and kept only when it asks something new that genbi can answer, so a click never
lands on a decline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from genbi.assistant.answer import Answer
from genbi.assistant.audience_commands import read_audience_command
from genbi.assistant.formatting import Language
from genbi.assistant.labels import member_labels
from genbi.semantic_layer.model import DimensionType, SemanticModel
from genbi.semantic_layer.query_spec import QuerySpec

if TYPE_CHECKING:
    from genbi.assistant.planner.planner import OfflinePlanner

MAX_FOLLOW_UPS = 4
SHORT_PERIODS = ("week", "month", "quarter")
"""Relative periods compared with the one before ("环比"); longer ones with last year ("同比")."""


def follow_ups(answer: Answer, model: SemanticModel, planner: OfflinePlanner, as_of: date) -> tuple[str, ...]:
    """Up to four next questions for ``answer``, in its language, each checked by the planner."""
    if answer.declined or answer.error:
        return ()
    language: Language = "zh" if answer.language == "zh" else "en"
    if answer.spec is not None:
        candidates = list(_for_spec(answer, answer.spec, model, language))
        return _answerable(candidates, planner, as_of, answer.spec)
    if answer.tool_call is not None:
        return _answerable(list(_for_tool(answer, language)), planner, as_of, None)
    return ()


def _answerable(candidates: list[str], planner: OfflinePlanner, as_of: date, spec: QuerySpec | None) -> tuple[str, ...]:
    """The candidates the planner reads as a new question (a different spec, a tool, an
    audience command), one per distinct reading."""
    kept: list[str] = []
    seen: set[Any] = {spec} if spec is not None else set()
    for question in dict.fromkeys(candidates):
        if read_audience_command(question) is not None:
            kept.append(question)
        else:
            plan = planner.plan(question, as_of=as_of, previous=spec)
            call = plan.tool_call
            reading = plan.spec if plan.spec is not None else (
                (call.name, json.dumps(call.arguments, sort_keys=True, default=str)) if call is not None else None)
            if reading is None or reading in seen or plan.choice_labels:
                continue
            seen.add(reading)
            kept.append(question)
        if len(kept) == MAX_FOLLOW_UPS:
            break
    return tuple(kept)


def _for_spec(answer: Answer, spec: QuerySpec, model: SemanticModel, language: Language) -> Iterable[str]:
    zh = language == "zh"
    grouped = [g.name for g in spec.group_by if g.name != "metric_time"]
    timed = any(g.name == "metric_time" for g in spec.group_by)
    related = _related_dimensions(model, spec.metrics[0], grouped)
    leader = _leading_member(answer, model, grouped[0], language) if grouped and not timed else None
    if leader is not None and related:  # drill down into the first row
        label = _dimension_label(model, related[0], language)
        yield f"只看{leader}，按{label}" if zh else f"only {leader}, by {label.lower()}"
    if spec.time_range is not None and not spec.periods:
        relative = spec.time_range.relative
        short = relative is not None and relative.unit.value in SHORT_PERIODS
        yield ("环比" if short else "同比") if zh else ("vs the period before" if short else "year over year")
    for dimension in related[1:3] if leader is not None else related[:2]:
        label = _dimension_label(model, dimension, language)
        yield f"按{label}看" if zh else f"now by {label.lower()}"
    if not timed and not spec.periods:
        yield "按月看趋势" if zh else "by month"


def _related_dimensions(model: SemanticModel, metric: str, grouped: list[str]) -> list[str]:
    """Categorical dimensions that split ``metric`` and are not shown yet: first those on the
    table of the breakdown shown (channel → campaign), then on the metric's own table (an
    order's sales channel), then those with named members."""
    if not model.has_metric(metric):
        return []
    usable = [d for d in model.dimensions_for_metric(metric)
              if d not in grouped and model.dimension(d).type == DimensionType.CATEGORICAL]
    tables = {model.dimension(g).table for g in grouped if model.has_dimension(g)}
    own = set(model.measure_tables(metric))
    return sorted(usable, key=lambda d: (model.dimension(d).table not in tables, model.dimension(d).table not in own,
                                         not model.dimension(d).values))


def _leading_member(answer: Answer, model: SemanticModel, dimension: str, language: Language) -> str | None:
    """The member of ``dimension`` with the largest first metric, by its name in ``language``."""
    if dimension not in answer.columns or not answer.rows:
        return None
    index = answer.columns.index(dimension)
    metric = next((i for i, c in enumerate(answer.column_info) if c.kind == "metric"), None)
    rows = [r for r in answer.rows if r[index] is not None]
    if metric is None or not rows:
        return None
    top = max(rows, key=lambda r: r[metric] if isinstance(r[metric], int | float) else float("-inf"))
    value = top[index]
    return member_labels(model, dimension, language).get(str(value)) or str(value)


def _dimension_label(model: SemanticModel, dimension: str, language: Language) -> str:
    found = model.dimension(dimension)
    return (found.label_zh or found.label) if language == "zh" else found.label


def _for_tool(answer: Answer, language: Language) -> Iterable[str]:
    """Next steps from a tool's facts: drill into a segment; for a set of customers, save them,
    find more like them, write to them."""
    from genbi.tools.rfm import SEGMENT_ZH

    zh = language == "zh"
    assert answer.tool_call is not None
    name, arguments = answer.tool_call.name, answer.tool_call.arguments
    facts: dict[str, Any] = answer.extras.get("facts") or {}
    segment = arguments.get("segment") if name == "rfm" else None
    if name == "rfm" and segment is None:
        for key in ("top_revenue_segment", "largest_segment"):
            found = facts.get(key)
            if isinstance(found, str):
                yield f"RFM {SEGMENT_ZH.get(found, found)}" if zh else f"RFM {found}"
    customers = getattr(answer.extras.get("tool_result"), "customer_ids", None)
    if customers:
        title = (SEGMENT_ZH.get(str(segment), str(segment)) if zh else str(segment)) if segment else None
        saved = title or (answer.interpretation.split(" · ")[0])
        yield f"把这些客户存为“{saved}”" if zh else f"save these customers as '{saved}'"
    if segment:
        shown = SEGMENT_ZH.get(str(segment), str(segment)) if zh else str(segment)
        yield f"找和{shown}相似的人群" if zh else f"find customers similar to {shown}"
        yield f"给{shown}写一条短信" if zh else f"write an SMS for the {shown} segment"
