"""The ``explain_change`` tool: "why did revenue drop in November?", "为什么上个月ROAS下降了".

A thin adapter over ``change_explainer.explain_change``: arguments from the chat, the CLI or
the LLM agent; a table of the top dimension's members, the dimension ranking and the
drill-down; a waterfall chart; the SQL of every step.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp

from genbi.lazy import lazy_module
from genbi.semantic_layer.query_spec import TimeGrain, period_start

from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .change_explainer import (
    ChangeExplanation,
    as_facts,
    explain_change,
    filters_from_text,
    member_names,
    where_from_values,
)
from .change_periods import Period
from .roles import RoleSource
from .waterfall import change_waterfall

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

NAME = "explain_change"
_YEAR_ON_YEAR = re.compile(
    r"\b(?:yoy|year[- ]on[- ]year|year[- ]over[- ]year|(?:vs\.?|versus|compared (?:with|to)|against|than) "
    r"(?:the same \w+ )?(?:last|a) year(?: ago| before| earlier)?)\b|同比|去年同期", re.IGNORECASE)


class ExplainChangeArgs(BaseModel):
    """Why a metric changed between two periods: contributions by every dimension."""

    model_config = ConfigDict(extra="forbid")

    metric: str | None = Field(None, description="Metric name from the semantic model, e.g. 'revenue', "
                               "'roas'; default: the model's first metric.")
    start: date | None = Field(None, description="First day of the period to explain; default: last month.")
    end: date | None = Field(None, description="Last day of the period to explain (inclusive).")
    compare: Literal["previous", "year"] = Field(
        "previous", description="'previous': against the period just before (MoM, QoQ); 'year': against "
        "the same period a year earlier (YoY, 同比).")
    where: str | None = Field(None, description="Filters, e.g. 'sales_channel=tmall; city_tier=tier1'.")
    as_of: date | None = Field(None, description="Today, for the default period.")

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """Named members become filters ("why did revenue on tmall drop" -> sales_channel=tmall);
        year-on-year words compare with the same period a year earlier."""
        found: dict[str, Any] = {}
        if where := where_from_values(values):
            found["where"] = where
        if _YEAR_ON_YEAR.search(question):
            found["compare"] = "year"
        return found


def run(args: ExplainChangeArgs, source: RoleSource | None = None) -> ToolResult:
    """Explain the change of one metric between two periods."""
    if source is None or source.model is None:
        raise ToolError("explain_change needs a warehouse with a semantic model.")
    model = source.model
    metric = _metric(model, args.metric)
    period = _period(args if args.as_of or args.start else args.model_copy(update={"as_of": _data_end(source, metric)}))
    explanation = explain_change(model, source.runner, metric, period, as_of=args.as_of or period.end,
                                 compare=args.compare, filters=filters_from_text(args.where))
    source.executed.extend(step.sql for step in explanation.steps)
    facts = as_facts(explanation, model)
    return ToolResult(tool=NAME, table=members_table(explanation, model), chart=chart(lambda: change_waterfall(explanation, model)),
                      facts=facts, tables=_secondary_tables(explanation, model),
                      sql=tuple(f"-- {step.label}\n{step.sql}" for step in explanation.steps))


def members_table(explanation: ChangeExplanation, model: Any) -> pd.DataFrame:
    """The top dimension's members that moved: values before and after, contribution, share."""
    top = explanation.top
    if top is None:
        return pd.DataFrame({"before": [explanation.before], "after": [explanation.after],
                             "contribution": [explanation.change]})
    columns = ["before", "after", "contribution", "share", "change_pct"]
    if explanation.kind == "ratio":
        columns += ["rate_effect", "mix_effect"]
    table = top.table[columns].reset_index()
    names = member_names(model, top.dimension)
    table.insert(1, "member_zh", [names.get(m, (str(m), str(m)))[1] for m in table["member"]])
    table["member"] = [names.get(m, (str(m), str(m)))[0] for m in table["member"]]
    moved = (table["before"].fillna(0) != 0) | (table["after"].fillna(0) != 0)
    return table[moved].reset_index(drop=True)


def _secondary_tables(explanation: ChangeExplanation, model: Any) -> dict[str, pd.DataFrame]:
    """How each dimension explains the change, and the drill-down, rounded for reading."""
    rows = []
    for split in explanation.ranked:
        assert split.score is not None
        dimension = model.dimension(split.dimension)
        member = member_names(model, split.dimension).get(split.score.top_member, (str(split.score.top_member),) * 2)
        rows.append({"dimension": dimension.label, "dimension_zh": dimension.label_zh, "member": member[0],
                     "member_zh": member[1], "contribution": round(split.score.top_contribution, 4),
                     "share": round(split.score.explained_share, 4)})
    tables = {"dimensions": pd.DataFrame(rows)}
    drill = explanation.drill
    if drill is not None:
        columns = ["before", "after", "contribution", "share", "change_pct"]
        table = drill.table[columns].reset_index()
        names = member_names(model, drill.dimension)
        table.insert(1, "member_zh", [names.get(m, (str(m), str(m)))[1] for m in table["member"]])
        table["member"] = [names.get(m, (str(m), str(m)))[0] for m in table["member"]]
        moved = (table["before"].fillna(0) != 0) | (table["after"].fillna(0) != 0)
        tables["drill"] = table[moved].round(4).reset_index(drop=True)
    return tables


def _metric(model: Any, name: str | None) -> str:
    if name is None:  # the model's sales when it names them ("revenue", "sales"), else its first metric
        sales = [m.name for m in model.metrics if m.format.value == "currency"
                 and {w.lower() for w in (m.name, m.label, *m.synonyms)} & {"revenue", "sales"}]
        return str((sales or [model.metrics[0].name])[0])
    if not model.has_metric(name):
        try:
            return str(model.metric(name).name)  # a label or synonym
        except Exception as problem:
            raise ToolError(str(problem)) from problem
    return name


def _period(args: ExplainChangeArgs) -> Period:
    """The asked period; by default the last complete calendar month before today."""
    if args.start and args.end:
        return Period(args.start, args.end)
    if args.start or args.end:
        raise ToolError("Give both the first and the last day of the period to explain.",
                        "For example: start 2025-11-01, end 2025-11-30.")
    today = args.as_of or date.today()
    first = period_start(today, TimeGrain.MONTH)
    if today == _month_end(today):
        return Period(first, today)
    last = first - timedelta(days=1)
    return Period(period_start(last, TimeGrain.MONTH), last)


def _data_end(source: RoleSource, metric: str) -> date | None:
    """The last day the metric's time column reaches: on a user's export that ended in 2011, "last
    month" before today is a month with no data (the default period explained nothing)."""
    model = source.model
    measures = model.metric_measures(metric)
    time = next((m.time for m in measures if m.time), None)
    if time is None:
        return None
    table, _, column = time.partition(".")
    sql = exp.select(exp.Max(this=exp.cast(exp.column(column, table=table, quoted=True), "DATE")).as_("latest")) \
        .from_(exp.to_table(f'"{table}"')).sql("duckdb")
    latest = source.result(sql).rows[0][0]
    if latest is None:
        return None
    day = latest if isinstance(latest, date) else date.fromisoformat(str(latest)[:10])
    return min(day, date.today())


def _month_end(day: date) -> date:
    return period_start(day.replace(day=28) + timedelta(days=4), TimeGrain.MONTH) - timedelta(days=1)


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=ExplainChangeArgs,
        run=run,
        description=(
            "Explain why a metric changed: compares a period with the one before (or the same "
            "period last year), splits the change over every dimension (mix vs rate for ratios "
            "such as ROAS), ranks the dimensions, drills into the top one, and says when the "
            "change is within normal variation."
        ),
        intents=("explain the change", "change explanation", "driver analysis", "what drove", "变化原因",
                 "驱动因素", "下降原因", "增长原因"),
        actions=(
            r"\b(?:why|how come)\b.{0,40}\b(?:is|are|was|were|'s|'re)\b.{0,60}\b(?:down|up|lower|higher|worse|better|"
            r"off|flat)\b",
            r"\b(?:why|how come)\b.{0,80}\b(?:drop|dropped|fall|fell|fallen|decline[sd]?|decrease[sd]?|"
            r"go(?:ne)? (?:up|down)|went (?:up|down)|rise|rose|risen|grow|grew|grown|increase[sd]?|"
            r"jump(?:ed)?|spike[sd]?|change[sd]?|dip(?:ped)?|slump(?:ed)?|surge[sd]?|so (?:low|high))\b",
            r"\b(?:what|who|which \w+)\b.{0,20}\b(?:drove|drives|driving|caused|causes|explains?|behind)\b"
            r".{0,60}\b(?:drop|fall|decline|decrease|rise|growth|increase|jump|spike|change|dip|surge|uplift)\b",
            r"\bexplain\b.{0,60}\b(?:drop|fall|decline|decrease|rise|growth|increase|jump|spike|change|dip)\b",
            r"(?:为什么|为何|为啥|怎么|咋|怎么回事).{0,30}(?:下降|下滑|下跌|降低|减少|跌|涨|上涨|上升|增长|增加|提升|变化|波动|变少|变多|暴跌|暴涨|降了|少了|多了|高了|低了|掉了|掉)",
            r"(?:下降|下滑|下跌|降低|减少|上涨|上升|增长|增加|提升|变化|波动)的?(?:原因|驱动因素|主要因素)",
            r"(?:是什么|什么|哪些因素|哪个因素).{0,6}(?:导致|造成|驱动|带来)",
        ),
    )
)
