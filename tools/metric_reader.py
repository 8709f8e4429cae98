"""Metric values per period and member, through the semantic layer (never hand-written SQL).

The change explanation and the anomaly detector ask the same kind of question many times
("spend by channel in October and in November"); each one is a ``QuerySpec`` compiled by
the semantic layer (so joins are fan-out safe and filters resolve member words) and run on
the guarded, read-only warehouse. Every statement is kept with a label for the answer.

A ratio metric is read as its two parts: the reader adds a plain sum metric for each of its
measures to a private copy of the model, so ``roas`` by channel comes back as attributed
revenue and spend by channel, the pieces the mix / rate split needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from genbi.errors import GenbiError
from genbi.lazy import lazy_module
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.model import Aggregation, Metric, MetricType, SemanticModel
from genbi.semantic_layer.query_spec import (
    DimensionRef,
    Filter,
    FilterOp,
    QuerySpec,
    TimeGrain,
    TimeRange,
)

from .base import ToolError
from .change_math import NO_MEMBER
from .change_periods import Period

if TYPE_CHECKING:
    import pandas as pd

    from .roles import SqlRunner
else:
    pd = lazy_module("pandas")

PART_PREFIX = "part__"
ADDITIVE = (Aggregation.SUM, Aggregation.COUNT)


@dataclass(frozen=True)
class Step:
    """One statement the analysis ran, and what it was for."""

    label: str
    sql: str


@dataclass
class MetricReader:
    """Runs query specs of one model on one warehouse and remembers each statement."""

    model: SemanticModel
    runner: SqlRunner
    as_of: date
    dialect: str = "duckdb"
    steps: list[Step] = field(default_factory=list)

    @classmethod
    def for_metric(cls, model: SemanticModel, runner: SqlRunner, as_of: date, metric: str,
                   dialect: str = "duckdb") -> MetricReader:
        """A reader whose model also holds the metric's parts as plain metrics (ratios)."""
        definition = model.metric(metric)
        extra = [_part_metric(model, m) for m in (definition.numerator, definition.denominator)
                 if definition.type == MetricType.RATIO and m and not model.has_metric(PART_PREFIX + m)]
        if extra:
            model = model.model_copy(update={"metrics": (*model.metrics, *extra)})
        return cls(model, runner, as_of, dialect)

    def run(self, spec: QuerySpec, label: str) -> pd.DataFrame:
        """Compile and run ``spec``; a problem becomes a ``ToolError`` a marketer can act on."""
        try:
            compiled = compile_spec(spec, self.model, dialect=self.dialect, as_of=self.as_of)
            self.steps.append(Step(label, compiled.sql))
            result = self.runner.run(compiled.sql, max_rows=100_000, timeout_s=None)
        except ToolError:
            raise
        except GenbiError as problem:
            raise ToolError(str(problem), getattr(problem, "hint", None)) from problem
        return pd.DataFrame(list(result.rows), columns=list(result.columns))

    def per_period(self, metrics: Sequence[str], periods: Sequence[Period], *, by: str | None = None,
                   filters: Sequence[Filter] = (), label: str = "") -> pd.DataFrame:
        """One row per period (and member of ``by``): columns ``period``, ``member``, metrics.

        Two or more periods go in one statement (the layer's compared periods); one period
        is a plain time range.
        """
        group = (DimensionRef(name=by),) if by else ()
        ranges = tuple(p.as_range() for p in periods)
        if len(ranges) >= 2:
            spec = QuerySpec(metrics=tuple(metrics), group_by=group, filters=tuple(filters), periods=ranges)
        else:
            spec = QuerySpec(metrics=tuple(metrics), group_by=group, filters=tuple(filters), time_range=ranges[0])
        frame = self.run(spec, label)
        if "period" not in frame.columns:
            frame.insert(0, "period", periods[0].start)
        frame["period"] = pd.to_datetime(frame["period"]).dt.date
        frame["member"] = frame[by].map(_member) if by else "all"
        return frame[["period", "member", *metrics]]

    def daily(self, metric: str, start: date, end: date, filters: Sequence[Filter] = (),
              label: str = "") -> pd.Series:
        """The metric per day from ``start`` to ``end`` (days without rows are 0 for sums)."""
        spec = QuerySpec(metrics=(metric,), group_by=(DimensionRef(name="metric_time", grain=TimeGrain.DAY),),
                         filters=tuple(filters), time_range=TimeRange(start=start, end=end))
        frame = self.run(spec, label)
        days = pd.to_datetime(frame["metric_time__day"])
        values = pd.Series(pd.to_numeric(frame[metric], errors="coerce").to_numpy(dtype=float), index=days)
        full = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")
        return values.groupby(level=0).sum().reindex(full)


def part_names(model: SemanticModel, metric: str) -> tuple[str, str] | None:
    """The numerator and denominator part metrics of a ratio of sums/counts, else None."""
    definition = model.metric(metric)
    if definition.type != MetricType.RATIO or not definition.numerator or not definition.denominator:
        return None
    if any(model.measure(m).agg not in ADDITIVE for m in (definition.numerator, definition.denominator)):
        return None
    return PART_PREFIX + definition.numerator, PART_PREFIX + definition.denominator


def member_filter(dimension: str, member: Any, members: Sequence[Any]) -> Filter:
    """A filter keeping one member; the missing member (NULL) is "none of the others"."""
    if member != NO_MEMBER:
        return Filter(dimension=dimension, op=FilterOp.EQ, values=(member,))
    others = tuple(m for m in members if m != NO_MEMBER)
    if not others:
        raise ToolError(f"Every row has no {dimension}; there is nothing to drill into.")
    return Filter(dimension=dimension, op=FilterOp.NOT_IN, values=others)


def _member(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return NO_MEMBER
    return value


def _part_metric(model: SemanticModel, measure: str) -> Metric:
    source = model.measure(measure)
    return Metric(name=PART_PREFIX + measure, type=MetricType.SIMPLE, measure=measure,
                  label=measure.replace("_", " "), label_zh=measure,
                  description=source.description or f"The {measure} part of a ratio.")
