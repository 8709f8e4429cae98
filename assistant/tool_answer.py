"""A marketing tool's result as an ``Answer``: title, labelled columns, chart and sentences.

The chat (``Assistant.run_tool``) and ``genbi tool`` on the command line both shape a tool's
result here, so a tool's table reads the same everywhere: headers in the answer's language,
money, rates and counts through the one formatting layer, facts worded as sentences.
"""

from __future__ import annotations

from typing import Any

from genbi.assistant.answer import Answer, ToolCall
from genbi.assistant.formatting import Language
from genbi.assistant.serialize import json_value
from genbi.assistant.tool_labels import (
    all_member_words,
    argument_phrase,
    column_words,
    localize_chart,
    tool_columns,
    tool_title,
    value_words,
)
from genbi.assistant.tool_narrative import narrate_tool
from genbi.semantic_layer.model import SemanticModel
from genbi.tools.base import ToolResult, registered_tools


def tool_answer(
    call: ToolCall, result: ToolResult, *, question: str, language: Language, brain: str,
    model: SemanticModel | None = None, notes: tuple[str, ...] = (), timings_ms: dict[str, float] | None = None,
    chart: bool = True,
) -> Answer:
    """``result`` of ``call`` as the answer every front end shows; ``model`` names members
    (None for a tool run on a file); ``chart`` False leaves the tool's chart out (a terminal)."""
    table = result.table
    columns = tuple(str(c) for c in table.columns)
    rows = tuple(tuple(json_value(v) for v in row) for row in table.itertuples(index=False, name=None))
    words = _words(model, language)
    interpretation = describe_call(call, language, model)
    shown_chart: Any = None
    if chart:
        shown_chart = localize_chart(result.chart, language, {**column_words(language), **words}, interpretation)
    return Answer(
        question=question, language=language, brain=brain, interpretation=interpretation, tool_call=call,
        sql="\n\n".join(result.sql) or None, columns=columns, rows=rows, chart=shown_chart,
        narrative=narrate_tool(call.name, result.facts, language, len(rows), words),
        warnings=(*notes, *kept_note(result.facts, language)), timings_ms=dict(timings_ms or {}),
        extras={"tool_result": result, "facts": result.facts},
        column_info=tool_columns(table, language, model, call.arguments),
    )


def kept_note(facts: dict[str, Any], language: Language) -> tuple[str, ...]:
    """Says the journeys came from genbi's kept journey table, built when (like the result
    cache's note): the numbers are of the data as it was then, which the fingerprint vouches
    is the data now."""
    kept = facts.get("journeys_kept")
    if not isinstance(kept, dict):
        return ()
    when = str(kept.get("built_at", ""))[:16].replace("T", " ")
    if kept.get("built_now"):
        return ("旅程已从数据仓库构建并保存，同一数据上的后续提问将直接读取（--no-cache 不使用保存的旅程）。"
                if language == "zh" else
                "Journeys built from the warehouse and kept for later questions on the same data "
                "(--no-cache skips them).",)
    return (f"旅程来自genbi保存的旅程表（{when} UTC 在相同数据上构建；--no-cache 从数据仓库重新计算）。"
            if language == "zh" else
            f"Journeys from genbi's kept journey table, built {when} UTC on the same data "
            "(--no-cache recomputes them from the warehouse).",)


def describe_call(call: ToolCall, language: Language, model: SemanticModel | None = None) -> str:
    """How a tool call reads: "RFM segments · as of 2025-12-31 · Champions" / "RFM客户分层 · …"."""
    spec = registered_tools().get(call.name)
    title = tool_title(call.name, language, spec.description.split(":")[0] if spec else "")
    words = _words(model, language)
    members = words
    if model is not None:  # metric names in arguments ("explain_change" on roas) and every member
        metrics = {m.name: (m.label_zh if language == "zh" else m.label) for m in model.metrics}
        dimensions = {d.name: (d.label_zh or d.label if language == "zh" else d.label) for d in model.dimensions}
        members = {**dimensions, **metrics, **all_member_words(model, language), **words}
    phrase = argument_phrase(call.name, call.arguments, language, members)
    return f"{title} · {phrase}" if phrase else title


def _words(model: SemanticModel | None, language: Language) -> dict[str, str]:
    words = value_words(model, language)
    if language == "zh":
        from genbi.tools.rfm import SEGMENT_ZH  # RFM segment names in arguments

        words.update(SEGMENT_ZH)
    return words
