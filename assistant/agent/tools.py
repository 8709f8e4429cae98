"""The agent's core tools: query_metrics, describe_model, lookup_values, run_sql, decline.

Each tool is a pydantic argument model (its JSON schema is what the model sees) and a
function of the turn. A tool returns compact JSON for the model and records the full
``Answer`` for the user on the turn; a mistake the model can fix raises ``ToolFailure``
with the reason and suggestions, which goes back to the model as an error.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from typing import Any, Literal

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from genbi.assistant.agent.compact import compact_table, to_json
from genbi.assistant.agent.sql_policy import check_no_pii
from genbi.assistant.agent.turn import ToolFailure, Turn
from genbi.assistant.answer import Answer, Decline
from genbi.assistant.charts import choose_chart
from genbi.assistant.columns import infer_columns
from genbi.assistant.narrative import narrate
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.vocabulary import TermKind
from genbi.errors import GenbiError
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.query_spec import QuerySpec

MAX_VALUE_MATCHES = 10


class QueryMetricsArgs(QuerySpec):
    """A query spec, plus what to do with its result."""

    then: Literal["answer", "continue"] = Field(
        default="answer",
        description="'answer' (default) shows the result to the user as the answer; 'continue' "
        "returns a summary to you for another step or an explanation.",
    )


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DescribeModelArgs(_Args):
    name: str | None = Field(
        default=None, description="A metric or dimension name for its details; omit to list all."
    )


class LookupValuesArgs(_Args):
    text: str = Field(description="The value as the user wrote it, e.g. 'Shanghai', '上海', 'tmall'.")
    dimension: str | None = Field(default=None, description="Only values of this dimension.")


class RunSqlArgs(_Args):
    sql: str = Field(description="One read-only SELECT over the modelled tables (DuckDB SQL).")


class DeclineArgs(_Args):
    reason: str = Field(description="Why this cannot be answered, in the user's language.")
    suggestions: list[str] = Field(default_factory=list, description="Questions that can be answered.")


def make_tool(
    name: str, description: str, args_model: type[BaseModel], run: Callable[[BaseModel], str],
    *, schema: dict[str, Any] | None = None,
) -> BaseTool:
    """A LangChain tool that validates with ``args_model`` and reports failures to the model.

    ``schema`` overrides the JSON schema the model sees (e.g. without file-only options).
    """

    def call(**kwargs: Any) -> str:
        try:
            args = args_model.model_validate(kwargs)
        except ValidationError as error:
            raise ToolFailure(_validation_message(name, error)) from None
        return run(args)

    return StructuredTool.from_function(
        func=call, name=name, description=description,
        args_schema=schema if schema is not None else _schema(args_model),
        handle_tool_error=True, metadata={"args_model": args_model},
    )


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema.pop("title", None)
    return schema


def _validation_message(name: str, error: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in error.errors()[:6]
    )
    return f"Invalid arguments for {name}: {problems}. Fix them and call {name} again."


# --- query_metrics ------------------------------------------------------------------------


def query_metrics(turn: Turn) -> BaseTool:
    def run(args: BaseModel) -> str:
        assert isinstance(args, QueryMetricsArgs)
        fields = args.model_dump(exclude={"then"}, exclude_unset=True)
        spec = QuerySpec.model_validate(fields)
        assistant = turn.assistant
        try:
            compile_spec(spec, assistant.model, as_of=turn.as_of)
        except GenbiError as problem:
            raise ToolFailure(f"{problem} {_names_hint(turn, str(problem))}".strip()) from None
        answer: Answer = assistant.execute(spec, turn.request, language=turn.language,
                                           brain=turn.model_name)
        if answer.decline is not None:
            raise ToolFailure(answer.decline.reason)
        if answer.error:
            raise ToolFailure(answer.error)
        turn.add("query_metrics", answer, terminal=args.then == "answer")
        table = compact_table(answer.columns, answer.rows, truncated=answer.truncated)
        return to_json({"interpretation": answer.interpretation, **table})

    return make_tool(
        "query_metrics",
        "Compute metrics from the semantic model: metrics, optional breakdown (group_by), "
        "filters, time range, order and limit. The primary way to answer questions with numbers.",
        QueryMetricsArgs, run,
    )


def _names_hint(turn: Turn, problem: str) -> str:
    model = turn.assistant.model
    lowered = problem.lower()
    if "metric" in lowered:
        return "Valid metric names: " + ", ".join(model.metric_names) + "."
    if "dimension" in lowered:
        names = [d.name for d in model.dimensions if not d.pii]
        return "Valid dimension names: " + ", ".join(names) + ", metric_time."
    return ""


# --- describe_model -----------------------------------------------------------------------


def describe_model(turn: Turn) -> BaseTool:
    def run(args: BaseModel) -> str:
        assert isinstance(args, DescribeModelArgs)
        model = turn.assistant.model
        if not args.name:
            return to_json({
                "metrics": [[m.name, m.label, m.label_zh] for m in model.metrics],
                "dimensions": [[d.name, d.label, d.label_zh] for d in model.dimensions if not d.pii],
            })
        name = args.name.strip()
        if model.has_metric(name):
            metric = model.metric(name)
            return to_json({"metric": name, "label": metric.label, "label_zh": metric.label_zh,
                            "description": metric.description, "format": metric.format.value,
                            "synonyms": list(metric.synonyms),
                            "dimensions": list(model.dimensions_for_metric(name))})
        if model.has_dimension(name) and not model.dimension(name).pii:
            dimension = model.dimension(name)
            return to_json({"dimension": name, "label": dimension.label,
                            "label_zh": dimension.label_zh, "type": dimension.type.value,
                            "description": dimension.description,
                            "values": _values(turn, name)[:30],
                            "metrics": list(model.metrics_for_dimension(name))})
        if model.has_dimension(name):
            raise ToolFailure(f"'{name}' is personal data and is never available.")
        close = difflib.get_close_matches(name, [*model.metric_names, *model.dimension_names], n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ToolFailure(f"No metric or dimension called '{name}'.{hint} Call describe_model "
                          "without a name to list them.")

    return make_tool("describe_model",
                     "List the semantic model's metrics and dimensions, or details of one "
                     "(description, values, which dimensions a metric can be split by).",
                     DescribeModelArgs, run)


def _values(turn: Turn, dimension: str) -> list[Any]:
    listed = [v.value for v in turn.assistant.model.dimension(dimension).values]
    vocabulary = turn.assistant.planner.vocabulary
    found = {t.value for terms in vocabulary.terms.values() for t in terms
             if t.kind == TermKind.VALUE and t.target == dimension}
    return listed + sorted((v for v in found if v not in listed), key=str)


# --- lookup_values ------------------------------------------------------------------------


def lookup_values(turn: Turn) -> BaseTool:
    def run(args: BaseModel) -> str:
        assert isinstance(args, LookupValuesArgs)
        matches = find_values(turn, args.text, args.dimension)
        if not matches:
            return to_json({"matches": [], "note": f"No value like '{args.text}'."})
        return to_json({"matches": matches})

    return make_tool("lookup_values",
                     "Find the exact stored value (and its dimension) for something the user "
                     "named: a city, channel, campaign, product, tier. English or Chinese, fuzzy.",
                     LookupValuesArgs, run)


def find_values(turn: Turn, text: str, dimension: str | None = None) -> list[dict[str, Any]]:
    """Exact then fuzzy matches of ``text`` among the value index's surface forms."""
    vocabulary = turn.assistant.planner.vocabulary
    wanted = normalize(text)
    surfaces = [s for s, terms in vocabulary.terms.items()
                if any(t.kind == TermKind.VALUE and (dimension is None or t.target == dimension)
                       for t in terms)]
    ranked = [s for s in surfaces if s == wanted]
    ranked += [s for s in surfaces if s not in ranked and wanted and (wanted in s or s in wanted)]
    ranked += [s for s in difflib.get_close_matches(wanted, surfaces, n=MAX_VALUE_MATCHES, cutoff=0.6)
               if s not in ranked]
    out: list[dict[str, Any]] = []
    for surface in ranked:
        for term in vocabulary.terms[surface]:
            entry = {"dimension": term.target, "value": term.value, "matched": surface}
            if term.kind == TermKind.VALUE and (dimension is None or term.target == dimension) \
                    and not any(e["dimension"] == term.target and e["value"] == term.value for e in out):
                out.append(entry)
    return out[:MAX_VALUE_MATCHES]


# --- run_sql ------------------------------------------------------------------------------


def run_sql(turn: Turn) -> BaseTool:
    def run(args: BaseModel) -> str:
        assert isinstance(args, RunSqlArgs)
        assistant = turn.assistant
        try:
            check_no_pii(args.sql, assistant.model)
            result = assistant.warehouse.run(args.sql)
        except GenbiError as problem:
            raise ToolFailure(f"{problem} Prefer query_metrics when the metrics can express it.") from None
        columns, rows = tuple(result.columns), tuple(tuple(r) for r in result.rows)
        infos = infer_columns(columns, rows)
        answer = Answer(
            question=turn.request.question, language=turn.language,
            brain=turn.model_name, interpretation="SQL", sql=args.sql, columns=columns,
            rows=rows, truncated=result.truncated,
            chart=choose_chart(infos, rows, language=turn.language),
            narrative=narrate(infos, rows, language=turn.language),
        )
        turn.add("run_sql", answer, terminal=True)
        return to_json(compact_table(columns, rows, truncated=result.truncated))

    tables = ", ".join(turn.assistant.model.table_names)
    return make_tool("run_sql",
                     f"Run one read-only SELECT (DuckDB) over the modelled tables ({tables}) when "
                     "query_metrics cannot express the question. Personal data is refused.",
                     RunSqlArgs, run)


# --- decline ------------------------------------------------------------------------------


def decline(turn: Turn) -> BaseTool:
    def run(args: BaseModel) -> str:
        assert isinstance(args, DeclineArgs)
        turn.decline = Answer(
            question=turn.request.question, language=turn.language,
            brain=turn.model_name, narrative=args.reason,
            decline=Decline(reason=args.reason, suggestions=tuple(args.suggestions[:5])),
        )
        return json.dumps({"declined": True})

    return make_tool("decline",
                     "Decline a question that is out of scope for this marketing data or asks "
                     "to change data.",
                     DeclineArgs, run)


CORE_TOOLS: tuple[Callable[[Turn], BaseTool], ...] = (
    query_metrics, describe_model, lookup_values, run_sql, decline,
)
