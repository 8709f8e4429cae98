"""Why did a metric change? Compare two periods, split the change over every dimension.

``explain_change`` is the engine behind the ``explain_change`` tool (and what monitors may
call): the metric in the period and in the one it is compared with, the usual size of such
changes (the same comparison over the periods before), each dimension's split of the change
(contributions; mix and rate effects for a ratio), the dimensions ranked by how much of the
change their top member explains, and one level of drill-down into that member. Every number
comes from a query spec compiled by the semantic layer; ``steps`` holds each statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module
from genbi.semantic_layer.model import Aggregation, DimensionType, MetricType, SemanticModel
from genbi.semantic_layer.query_spec import Filter, FilterOp

from .base import ToolError
from .change_math import (
    NO_MEMBER,
    DimensionScore,
    RatioTotals,
    Variation,
    additive_contributions,
    member_surprise,
    rank_dimensions,
    ratio_contributions,
    ratio_effects,
    ratio_totals,
    relative_changes,
    score_dimension,
    usual_range,
)
from .change_periods import Compare, Period, baseline, history_chain
from .metric_reader import ADDITIVE, MetricReader, Step, member_filter, part_names

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .roles import SqlRunner
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

MAX_RANKED_MEMBERS = 25
"""Dimensions with more members (campaigns, products, cities) are not ranked against the
coarse ones (a finer split always finds a bigger single mover by turnover); they are used
for the drill-down into the top member."""


@dataclass(frozen=True)
class Split:
    """One dimension's decomposition of the change."""

    dimension: str
    table: pd.DataFrame
    """Per member: before, after, contribution, change_pct, share (+ rate/mix effects)."""
    score: DimensionScore | None
    parts: tuple[pd.DataFrame, pd.DataFrame] | None = None
    """A ratio's numerator and denominator per member (columns before, after)."""


@dataclass(frozen=True)
class ChangeExplanation:
    """Everything an answer about one change says, as numbers."""

    metric: str
    kind: str
    """'additive' (a sum or count) or 'ratio'."""
    period: Period
    baseline: Period
    compare: Compare
    before: float
    after: float
    variation: Variation | None
    """The change against the spread of the same comparison over earlier periods."""
    splits: tuple[Split, ...]
    """Ranked dimensions first (most explaining first), then the unranked fine ones."""
    drill: Split | None = None
    """The top member of the top dimension, split by the dimension that explains it best."""
    member_variation: Variation | None = None
    """The top member's own change against its own earlier changes."""
    ratio: RatioTotals | None = None
    steps: tuple[Step, ...] = field(default=())

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def change_pct(self) -> float | None:
        return self.after / self.before - 1 if self.before else None

    @property
    def ranked(self) -> list[Split]:
        return [s for s in self.splits if s.score is not None and s.score.members <= MAX_RANKED_MEMBERS]

    @property
    def top(self) -> Split | None:
        return self.ranked[0] if self.ranked else None


def explain_change(model: SemanticModel, runner: SqlRunner, metric: str, period: Period, *,
                   as_of: date, compare: Compare = "previous", filters: Sequence[Filter] = (),
                   dialect: str = "duckdb") -> ChangeExplanation:
    """Explain the change of ``metric`` from the compared period to ``period``."""
    reader = MetricReader.for_metric(model, runner, as_of, metric, dialect)
    parts = part_names(reader.model, metric)
    kind = _kind(reader.model, metric, parts)
    before_period = baseline(period, compare)
    values, history = _history(reader, metric, period, compare, filters)
    before, after = values
    if before is None or after is None:
        raise ToolError(f"There is no {model.metric(metric).label.lower()} in one of the periods "
                        f"({before_period.start}..{before_period.end} or {period.start}..{period.end}).",
                        "Pick periods the data covers.")
    variation = usual_range(history[:-1], history[-1]) if history else None
    dimensions = candidate_dimensions(reader.model, metric, parts, filters)
    splits = [_split(reader, metric, parts, d, period, compare, filters) for d in dimensions]
    ranked = rank_dimensions([s.score for s in splits if s.score and s.score.members <= MAX_RANKED_MEMBERS])
    order = {score.dimension: i for i, score in enumerate(ranked)}
    splits.sort(key=lambda s: order.get(s.dimension, len(order)))
    ratio = None
    if splits and splits[0].parts is not None:
        ratio = ratio_totals(*splits[0].parts, splits[0].table)
    explanation = ChangeExplanation(metric, kind, period, before_period, compare, before, after, variation,
                                    tuple(splits), ratio=ratio)
    top = explanation.top
    drill = member_variation = None
    if top is not None and top.score is not None:
        keep = member_filter(top.dimension, top.score.top_member, list(top.table.index))
        drill = _drill(reader, metric, parts, _drill_candidates(explanation), top, keep, period, compare, filters)
        member_history = _history(reader, metric, period, compare, (*filters, keep), label="top member")[1]
        member_variation = usual_range(member_history[:-1], member_history[-1]) if member_history else None
    return ChangeExplanation(metric, kind, period, before_period, compare, before, after, variation,
                             tuple(splits), drill, member_variation, ratio, tuple(reader.steps))


def candidate_dimensions(model: SemanticModel, metric: str, parts: tuple[str, str] | None,
                         filters: Sequence[Filter] = ()) -> list[str]:
    """Every modelled categorical or boolean dimension the metric splits into parts that add
    up (no time or number dimensions, no PII), except those a filter pins to one value."""
    pinned = {f.dimension for f in filters if f.op == FilterOp.EQ or (f.op == FilterOp.IN and len(f.values) == 1)}
    additive_parts = parts if parts is not None else (metric,)
    return [
        d.name for d in model.dimensions
        if d.type in (DimensionType.CATEGORICAL, DimensionType.BOOLEAN) and not d.pii and d.name not in pinned
        and model.can_group_by(metric, d.name)
        and all(model.adds_up(p, [d.name]) for p in additive_parts)
    ]


def _kind(model: SemanticModel, metric: str, parts: tuple[str, str] | None) -> str:
    definition = model.metric(metric)
    if parts is not None:
        return "ratio"
    if definition.type == MetricType.SIMPLE and definition.measure and \
            model.measure(definition.measure).agg in (*ADDITIVE, Aggregation.COUNT_DISTINCT):
        return "additive"  # a distinct count splits only where it adds up (checked per dimension)
    raise ToolError(
        f"'{definition.label}' is not a sum, a count or a ratio of two of them, so genbi cannot "
        "split its change into parts that add up.",
        "Ask about a sum or count (revenue, orders, spend) or a ratio of two (ROAS, AOV, CTR).",
    )


def _history(reader: MetricReader, metric: str, period: Period, compare: Compare,
             filters: Sequence[Filter], label: str = "total") -> tuple[tuple[float | None, float | None], list[float]]:
    """(before, after) of the metric and the relative changes of the same comparison over the
    earlier periods, the last one being this period's own change."""
    chain = history_chain(period)
    now = _values(reader.per_period([metric], chain, filters=filters,
                                    label=f"{label}: {metric} in each period"), chain, metric)
    if compare == "previous":
        return (now[-2], now[-1]), relative_changes(now)
    year_before = [baseline(p, "year") for p in chain]
    then = _values(reader.per_period([metric], year_before, filters=filters,
                                     label=f"{label}: {metric} a year earlier"), year_before, metric)
    changes = [a / b - 1 for b, a in zip(then, now, strict=True) if a is not None and b]
    return (then[-1], now[-1]), changes if then[-1] else []


def _values(frame: pd.DataFrame, periods: Sequence[Period], metric: str) -> list[float | None]:
    found = {row.period: row[metric] for _, row in frame.iterrows()}
    values = [found.get(p.start) for p in periods]
    return [None if v is None or pd.isna(v) else float(v) for v in values]


def _split(reader: MetricReader, metric: str, parts: tuple[str, str] | None, dimension: str,
           period: Period, compare: Compare, filters: Sequence[Filter], label: str = "split") -> Split:
    """The change of ``metric`` member by member of ``dimension``, scored against each
    member's own earlier changes (one statement reads every period of the history)."""
    metrics = list(parts) if parts else [metric]
    chain = history_chain(period)
    now = _matrices(reader.per_period(metrics, chain, by=dimension, filters=filters,
                                      label=f"{label}: {metric} by {dimension}"), chain, metrics)
    if compare == "year":
        year_before = [baseline(p, "year") for p in chain]
        then = _matrices(reader.per_period(metrics, year_before, by=dimension, filters=filters,
                                           label=f"{label}: {metric} by {dimension}, a year earlier"),
                         year_before, metrics, members=now[metrics[0]].index)
        before = {m: then[m].to_numpy() for m in metrics}
        after = {m: now[m].to_numpy() for m in metrics}
    else:
        before = {m: now[m].to_numpy()[:, :-1] for m in metrics}
        after = {m: now[m].to_numpy()[:, 1:] for m in metrics}
    members = now[metrics[0]].index
    if parts is None:
        changes = after[metric] - before[metric]
        has_data = before[metric].sum(axis=0) != 0
    else:
        changes = ratio_contributions(before[parts[0]], before[parts[1]], after[parts[0]], after[parts[1]])
        has_data = before[parts[1]].sum(axis=0) != 0
    history = np.where(has_data[None, :-1], changes[:, :-1], np.nan)
    last = {m: (pd.Series(before[m][:, -1], index=members), pd.Series(after[m][:, -1], index=members))
            for m in metrics}
    table, total, part_frames = _decomposed(last, metrics, parts)
    surprise = pd.Series(member_surprise(history, changes[:, -1]), index=members).reindex(table.index)
    return Split(dimension, table, score_dimension(dimension, table, total, surprise), part_frames)


def _matrices(frame: pd.DataFrame, periods: Sequence[Period], metrics: Sequence[str],
              members: pd.Index | None = None) -> dict[str, pd.DataFrame]:
    """Per metric: members x periods (0 where a member had no rows)."""
    index = members if members is not None else pd.Index(frame["member"].unique(), name="member")
    columns = [p.start for p in periods]
    out = {}
    for metric in metrics:
        wide = frame.pivot_table(index="member", columns="period", values=metric, aggfunc="sum", sort=False)
        out[metric] = wide.reindex(index=index, columns=columns).astype(float).fillna(0.0)
    return out


def _decomposed(last: dict[str, tuple[pd.Series, pd.Series]], metrics: Sequence[str], parts: tuple[str, str] | None,
                ) -> tuple[pd.DataFrame, float, tuple[pd.DataFrame, pd.DataFrame] | None]:
    """(member table, total change, ratio parts) between the two compared periods."""
    if parts is None:
        table = additive_contributions(*last[metrics[0]])
        return table, float(table["contribution"].sum()), None
    numerator, denominator = (pd.DataFrame({"before": last[p][0], "after": last[p][1]}) for p in parts)
    table = ratio_effects(numerator, denominator)
    totals = ratio_totals(numerator, denominator, table)
    return table, totals.after - totals.before, (numerator, denominator)


DRILL_RANKED = 5
"""Ranked dimensions (after the top one) the drill-down tries, besides every fine one."""


def _drill_candidates(explanation: ChangeExplanation) -> list[str]:
    """The next best coarse dimensions and every fine one (campaigns, products, cities): where
    the top member's change is most likely to concentrate, at a fraction of the statements."""
    ranked = [s.dimension for s in explanation.ranked[1:1 + DRILL_RANKED]]
    fine = [s.dimension for s in explanation.splits if s.score is None or s.score.members > MAX_RANKED_MEMBERS]
    return [*ranked, *fine]


def _drill(reader: MetricReader, metric: str, parts: tuple[str, str] | None, dimensions: Sequence[str],
           top: Split, keep: Filter, period: Period, compare: Compare, filters: Sequence[Filter]) -> Split | None:
    """The top member split by every other dimension; the best-explaining split."""
    assert top.score is not None
    best: Split | None = None
    for dimension in dimensions:
        if dimension == top.dimension:
            continue
        split = _split(reader, metric, parts, dimension, period, compare, (*filters, keep),
                       label=f"drill into {top.dimension} = {top.score.top_member}")
        if split.score is None or split.score.members < 2:
            continue
        if best is None or best.score is None or rank_dimensions([split.score, best.score])[0] is split.score:
            best = split
    return best


def where_from_values(values: Sequence[tuple[str, Any]]) -> str | None:
    """Members a question names, as a ``where`` text: [("channel", "douyin")] -> "channel=douyin"."""
    by_dimension: dict[str, list[str]] = {}
    for dimension, value in values:
        by_dimension.setdefault(dimension, []).append(str(value))
    return "; ".join(f"{d}={','.join(v)}" for d, v in by_dimension.items()) or None


def filters_from_text(where: str | None) -> tuple[Filter, ...]:
    """``"channel=douyin; city=Shanghai,Beijing"`` -> filters (values resolved by the layer)."""
    if not where:
        return ()
    out: list[Filter] = []
    for part in where.replace("；", ";").split(";"):
        if not part.strip():
            continue
        name, sep, values = part.partition("=")
        wanted = tuple(v.strip() for v in values.replace("，", ",").split(",") if v.strip())
        if not sep or not name.strip() or not wanted:
            raise ToolError(f"The filter '{part.strip()}' is not 'dimension=value'.",
                            "Write filters like 'channel=douyin; city=Shanghai,Beijing'.")
        out.append(Filter(dimension=name.strip(), op=FilterOp.IN, values=wanted))
    return tuple(out)


def as_facts(explanation: ChangeExplanation, model: SemanticModel, top_members: int = 3) -> dict[str, Any]:
    """The explanation as small JSON-able facts for the narrative and the LLM."""
    metric = model.metric(explanation.metric)
    facts: dict[str, Any] = {
        "metric": metric.name, "metric_label": metric.label, "metric_label_zh": metric.label_zh,
        "format": metric.format.value, "kind": explanation.kind, "compare": explanation.compare,
        "period": [explanation.period.start.isoformat(), explanation.period.end.isoformat()],
        "baseline": [explanation.baseline.start.isoformat(), explanation.baseline.end.isoformat()],
        "before": explanation.before, "after": explanation.after, "change": explanation.change,
        "change_pct": explanation.change_pct, "variation": _variation_facts(explanation.variation),
        "dimensions": [_score_facts(model, s.score) for s in explanation.ranked],
    }
    top = explanation.top
    if top is not None:
        facts["top_dimension"] = _dimension_words(model, top.dimension)
        facts["top_members"] = _member_rows(model, top.dimension, top.table, top_members)
        facts["member_variation"] = _variation_facts(explanation.member_variation)
    if explanation.drill is not None and explanation.drill.score is not None:
        facts["drill"] = {**_dimension_words(model, explanation.drill.dimension),
                          "members": _member_rows(model, explanation.drill.dimension, explanation.drill.table,
                                                  top_members),
                          "share_of_member": explanation.drill.score.explained_share}
    if explanation.ratio is not None:
        facts["rate_effect"], facts["mix_effect"] = explanation.ratio.rate_effect, explanation.ratio.mix_effect
        facts["unexplained"] = explanation.ratio.unexplained
    return facts


def member_names(model: SemanticModel, dimension: str) -> dict[Any, tuple[str, str]]:
    """Member value -> (English, Chinese) name from the model (the missing member included)."""
    definition = model.dimension(dimension)
    names: dict[Any, tuple[str, str]] = {
        NO_MEMBER: (definition.null_label or "none", definition.null_label_zh or "无")}
    for value in definition.values:
        names[value.value] = (value.label or str(value.value), value.label_zh or value.label or str(value.value))
    return names


def _dimension_words(model: SemanticModel, name: str) -> dict[str, str]:
    dimension = model.dimension(name)
    return {"name": name, "label": dimension.label, "label_zh": dimension.label_zh}


def _score_facts(model: SemanticModel, score: DimensionScore | None) -> dict[str, Any]:
    assert score is not None
    return {**_dimension_words(model, score.dimension), "top_member": _plain(score.top_member),
            "contribution": score.top_contribution, "explained_share": score.explained_share}


def _member_rows(model: SemanticModel, dimension: str, table: pd.DataFrame, count: int) -> list[dict[str, Any]]:
    rows = []
    names = member_names(model, dimension)
    for member, row in table.head(count).iterrows():
        item: dict[str, Any] = {"member": _plain(member), "contribution": float(row["contribution"]),
                "share": _float(row["share"]), "before": _float(row["before"]), "after": _float(row["after"]),
                "change_pct": _float(row["change_pct"])}
        if "rate_effect" in row:
            item |= {"rate_effect": float(row["rate_effect"]), "mix_effect": float(row["mix_effect"])}
        if member in names:  # the model's words, NULL included ("no campaign (organic)")
            item |= {"label": names[member][0], "label_zh": names[member][1]}
        rows.append(item)
    return rows


def _variation_facts(variation: Variation | None) -> dict[str, Any] | None:
    if variation is None:
        return None
    return {"within": variation.within, "low_pct": variation.low_pct, "high_pct": variation.high_pct,
            "median_pct": variation.median_pct, "change_pct": variation.change_pct,
            "history": variation.history, "z": variation.z}


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
