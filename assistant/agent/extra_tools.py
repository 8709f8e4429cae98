"""The analytics tools of ``genbi.tools`` for the agent, plus make_chart and generate_copy.

Analytics tools run through semantic roles on the read-only warehouse; the model gets their
key facts and the first rows, the user the full tables and chart. Options that read local
files (``file``, ``paths_file`` and their column mappings) are hidden from the model and
refused: the chat never reads files from the machine.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from typing import Any, Literal

import plotly.graph_objects as go
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from genbi.assistant.agent.compact import compact_table, to_json
from genbi.assistant.agent.tools import make_tool
from genbi.assistant.agent.turn import ToolFailure, Turn
from genbi.assistant.answer import Answer, ToolCall
from genbi.assistant.serialize import json_value

log = logging.getLogger(__name__)
FILE_OPTIONS = ("file", "paths_file")
FILE_COLUMN_SUFFIX = "_column"


# --- analytics tools ----------------------------------------------------------------------


def agent_schema(args_model: type[BaseModel]) -> dict[str, Any]:
    """The args schema without file-only options."""
    schema = args_model.model_json_schema()
    schema.pop("title", None)
    properties = schema.get("properties", {})
    for name in list(properties):
        if _file_only(name, properties):
            properties.pop(name)
    if "required" in schema:
        schema["required"] = [r for r in schema["required"] if r in properties]
    return schema


def _file_only(name: str, properties: dict[str, Any]) -> bool:
    if name in FILE_OPTIONS:
        return True
    has_file = any(option in properties for option in FILE_OPTIONS)
    return has_file and (name.endswith(FILE_COLUMN_SUFFIX) or name == "separator")


def analytics_tool(turn: Turn, spec: Any) -> BaseTool:
    """A registered ``genbi.tools`` tool as an agent tool, run by ``Assistant.run_tool`` (the
    same path the offline planner's tool answers take)."""

    def run(args: BaseModel) -> str:
        if any(getattr(args, option, None) for option in FILE_OPTIONS):
            raise ToolFailure("Files cannot be read from the chat; the tool reads the warehouse.")
        call = ToolCall(spec.name, args.model_dump(mode="json", exclude_none=True, exclude_unset=True))
        answer: Answer = turn.assistant.run_tool(call, turn.request, language=turn.language,
                                                 brain=turn.model_name)
        if answer.decline is not None:
            raise ToolFailure(answer.decline.reason)
        if answer.error:
            raise ToolFailure(answer.error)
        answer = _without_private_columns(turn, answer)
        turn.add(spec.name, answer, terminal=False)
        facts = answer.extras.get("facts") or {}
        return to_json({"tool": spec.name, "facts": _jsonable(facts),
                        **compact_table(answer.columns, answer.rows, first_rows=5)})

    return make_tool(spec.name, spec.description, spec.args_model, run,
                     schema=agent_schema(spec.args_model))


def _without_private_columns(turn: Turn, answer: Answer) -> Answer:
    private = {d.column.lower() for d in turn.assistant.model.dimensions if d.pii and d.column}
    keep = [i for i, c in enumerate(answer.columns) if c.lower() not in private]
    if len(keep) == len(answer.columns):
        return answer
    return dataclasses.replace(answer, columns=tuple(answer.columns[i] for i in keep),
                               rows=tuple(tuple(row[i] for i in keep) for row in answer.rows))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in list(value.items())[:20]}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value[:10]]
    return json_value(value)


def analytics_tools(turn: Turn, names: list[str]) -> list[BaseTool]:
    from genbi.tools.base import registered_tools

    registry = registered_tools()
    # generate_copy joins every turn on its own, with the turn's model as its writer
    return [analytics_tool(turn, registry[name]) for name in names if name in registry and name != "generate_copy"]


def intent_matches(question: str) -> list[str]:
    """Analytics tools whose intent words or action patterns appear in the question ("why did
    revenue drop" names no tool but asks for the change explanation)."""
    import re

    from genbi.tools.base import registered_tools

    lowered = question.lower()
    return [name for name, spec in registered_tools().items()
            if any(word.lower() in lowered for word in spec.intents)
            or any(re.search(action, lowered) for action in spec.actions)]


# --- make_chart ---------------------------------------------------------------------------


class MakeChartArgs(BaseModel):
    kind: Literal["bar", "line", "pie", "table"] = Field(description="Chart type; 'table' for none.")
    x: str | None = Field(default=None, description="Column for categories or time; default the first.")
    y: list[str] | None = Field(default=None, description="Numeric columns; default all numeric ones.")
    title: str | None = None


def make_chart(turn: Turn) -> BaseTool:
    def run(args: BaseModel) -> str:
        assert isinstance(args, MakeChartArgs)
        base = turn.last_data
        if base is None:
            raise ToolFailure("There is no result to chart yet; call query_metrics first.")
        chart = build_chart(base, args)
        answer = dataclasses.replace(base, chart=chart, brain=turn.model_name)
        turn.add("make_chart", answer, terminal=True)
        return json.dumps({"chart": args.kind, "rows": len(base.rows)})

    return make_tool("make_chart", "Redraw the latest result as a bar, line or pie chart (or a "
                     "plain table).", MakeChartArgs, run)


def build_chart(answer: Answer, args: MakeChartArgs) -> go.Figure | None:
    if args.kind == "table":
        return None
    columns = list(answer.columns)
    numeric = [c for i, c in enumerate(columns) if _numeric(answer.rows, i)]
    x = args.x if args.x in columns else next((c for c in columns if c not in numeric), None)
    ys = [c for c in (args.y or numeric) if c in numeric] or numeric[:1]
    if x is None or not ys:
        raise ToolFailure(f"Cannot chart columns {columns}: need one label column and a number.")
    xs = [json_value(row[columns.index(x)]) for row in answer.rows]
    figure = go.Figure()
    for y in ys:
        values = [row[columns.index(y)] for row in answer.rows]
        if args.kind == "pie":
            figure.add_trace(go.Pie(labels=xs, values=values, name=y))
            break
        trace = go.Scatter(x=xs, y=values, name=y, mode="lines+markers") if args.kind == "line" \
            else go.Bar(x=xs, y=values, name=y)
        figure.add_trace(trace)
    figure.update_layout(title=args.title or answer.interpretation, template="plotly_white")
    return figure


def _numeric(rows: tuple[tuple[Any, ...], ...], index: int) -> bool:
    values = [row[index] for row in rows if row[index] is not None]
    return bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


# --- generate_copy ------------------------------------------------------------------------


def generate_copy(turn: Turn, wrap: Callable[[Callable[[], Any]], Any]) -> BaseTool:
    """The ``generate_copy`` tool with the turn's model as its writer.

    The tool resolves the audience, computes its facts and checks every channel and
    compliance rule; the model only drafts (``genbi.assistant.copywriter``). ``wrap`` is the
    turn's retry-and-usage wrapper for each model request.
    """
    from genbi.assistant.copywriter import generate_copy_answer
    from genbi.tools.base import registered_tools

    spec = registered_tools()["generate_copy"]

    def run(args: BaseModel) -> str:
        arguments = args.model_dump(mode="json", exclude_none=True, exclude_unset=True)
        arguments.setdefault("language", turn.language)
        answer = generate_copy_answer(turn.assistant, ToolCall(spec.name, arguments), turn.request,
                                      language=turn.language, chat_model=turn.chat_model,
                                      brain=turn.model_name, wrap=wrap)
        if answer.decline is not None:
            raise ToolFailure(answer.decline.reason)
        if answer.error:
            raise ToolFailure(answer.error)
        turn.add(spec.name, answer, terminal=True)
        facts = answer.extras.get("facts") or {}
        return to_json({"tool": spec.name, "variants": _jsonable(facts.get("variants", [])),
                        "facts_used": _jsonable(facts.get("facts_used", {}))})

    return make_tool(spec.name, spec.description, spec.args_model, run, schema=agent_schema(spec.args_model))
