"""Compile a query spec into SQL, built as a sqlglot AST and rendered per dialect.

How numbers stay right:

- Each *source* (the measures of one table on one time column) is aggregated at its own
  table's grain, filtered on its own time column, and joined to the requested dimensions
  only through many-to-one paths derived from the model (LEFT JOINs, so rows without a
  parent stay, in a NULL group). Orders joined to order items, or spend joined to orders,
  never happens, so nothing fans out; COUNT(DISTINCT ...) stays exact.
- One source: a single SELECT (the readable case). Several sources: one CTE each, a
  ``group_keys`` CTE with the UNION of their group keys, and each CTE LEFT JOINed to it on
  the keys with NULL-safe equality (a portable FULL OUTER JOIN that also matches NULL
  groups); CROSS JOIN when there are no keys. Ratio and derived metrics are computed from
  the aggregated parts: a ratio of sums, NULL when the denominator is 0.
- Rows that no requested measure counts are filtered out (attributed orders by channel has
  no empty row for unattributed orders).
- ``metric_time`` is each source's own time column. Periods compile to
  ``time >= start AND time < end + 1 day`` with typed literals.

Output column names: a dimension's name (``channel``); a time dimension at a grain
``<name>__<grain>`` (``metric_time__month``, ``signup_date__week``), holding the period's
first day as a DATE (weeks start on Monday); a metric's name (``roas``).

Rows come sorted by the spec's order, then by the group keys ascending (NULLs last), so the
same spec always gives the same SQL and the same row order. A limit without an order sorts
by the first metric, descending (top N).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlglot import exp

from genbi.errors import ModelError

from .compiled import CompiledQuery, OutputColumn
from .dialects import check_dialect, date_part, day_literal, to_day, truncate
from .expressions import (
    bind_as_of,
    null_safe_divisions,
    parsed,
    qualify,
    qualify_parents,
    replace_columns,
    safe_divide,
)
from .graph import Edge, Path
from .model import (
    Aggregation,
    Dimension,
    DimensionType,
    Measure,
    Metric,
    MetricType,
    SemanticModel,
)
from .query_spec import (
    DATE_PARTS,
    FIRST_TIME_VALUES,
    METRIC_TIME,
    WEEKDAY_NAMES,
    DimensionRef,
    FilterOp,
    QuerySpec,
    TimeGrain,
    nests_in,
)
from .rendering import render
from .resolver import (
    CHANGE_PCT_SUFFIX,
    CHANGE_SUFFIX,
    COUNT_SUFFIX,
    FIRST_TIME,
    PERIOD,
    SHARE_SUFFIX,
    GroupKey,
    MemberTest,
    Plan,
    ResolvedFilter,
    Source,
    resolve,
)

_AGGREGATES: dict[Aggregation, Callable[[exp.Expr], exp.Expr]] = {
    Aggregation.SUM: lambda e: exp.Sum(this=e),
    Aggregation.COUNT: lambda e: exp.Count(this=e),
    Aggregation.COUNT_DISTINCT: lambda e: exp.Count(this=exp.Distinct(expressions=[e])),
    Aggregation.AVG: lambda e: exp.Avg(this=e),
    Aggregation.MIN: lambda e: exp.Min(this=e),
    Aggregation.MAX: lambda e: exp.Max(this=e),
}
_COMPARISONS: dict[FilterOp, type[exp.Binary]] = {
    FilterOp.EQ: exp.EQ,
    FilterOp.NE: exp.NEQ,
    FilterOp.LT: exp.LT,
    FilterOp.LE: exp.LTE,
    FilterOp.GT: exp.GT,
    FilterOp.GE: exp.GTE,
    FilterOp.LIKE: exp.Like,
}
_SPINE = "group_keys"
_RANK = "rank_in_group"
_PART_LABELS = {TimeGrain.WEEKDAY: ("Day of week", "星期"), TimeGrain.DAY_TYPE: ("Weekday or weekend", "工作日/周末"),
                TimeGrain.HOUR: ("Hour of day", "小时")}


def compile_spec(
    spec: QuerySpec,
    model: SemanticModel,
    *,
    dialect: str = "duckdb",
    as_of: date,
    allow_pii: bool = False,
) -> CompiledQuery:
    """Compile ``spec`` to SQL for ``dialect``; relative periods resolve against ``as_of``.

    Raises ``ModelError`` (all problems at once) when the spec names unknown things or asks
    for a split the model can't do without double counting.
    """
    check_dialect(dialect)
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    if spec.average_per is not None:
        return _average_per(spec, model, dialect=dialect, as_of=as_of, allow_pii=allow_pii)
    plan = resolve(spec, model, as_of=as_of, allow_pii=allow_pii)
    builder = _Builder(plan, model, dialect, as_of)
    tree = builder.build()
    return CompiledQuery(
        sql=render(tree, dialect),  # ``tree.sql(dialect=dialect, pretty=True)``, byte for byte
        columns=_output_columns(plan),
        time_range=plan.period,
        dialect=dialect,
        spec=spec,
        tables=tuple(sorted(builder.tables)),
        tree=tree,
    )


def compile_members(spec: QuerySpec, model: SemanticModel, *, dialect: str = "duckdb", as_of: date,
                    column: str = "customer_id") -> str:
    """The members a count of people counts, one row each: ``SELECT DISTINCT <key> AS column``.

    ``spec`` is a count of a table's rows by its key ("how many VIP customers who joined last
    year"): its filters, period and member conditions are the same WHERE the count compiles
    to, so a tool limited to "VIP customers" runs on exactly the people that count says.
    """
    check_dialect(dialect)
    plan = resolve(spec, model, as_of=as_of, allow_pii=False)
    if len(plan.sources) != 1 or plan.keys or len(plan.sources[0].measures) != 1:
        raise ModelError(f"'{', '.join(spec.metrics)}' does not count the rows of one table; no members to list.")
    source = plan.sources[0]
    table = model.table(source.table)
    measure = source.measures[0]
    counted = measure.agg.value == "count_distinct" or (measure.agg.value == "count" and table.primary_key)
    if not counted:
        raise ModelError(f"'{measure.name}' does not count the rows of '{table.name}' by a key.")
    builder = _Builder(plan, model, dialect, as_of)
    joins = _Joins(model, source.table)
    select = builder.from_where(source, joins, row_filter=builder.row_filter(source, [measure.filter]))
    key = (qualify(parsed(measure.expr), source.table) if measure.agg.value == "count_distinct"
           else exp.column(str(table.primary_key), table=source.table))  # the buyers of orders, or the customers
    select = select.select(exp.alias_(key, column, copy=False), copy=False).distinct(copy=False)
    return render(select, dialect)


def _average_per(spec: QuerySpec, model: SemanticModel, *, dialect: str, as_of: date,
                 allow_pii: bool) -> CompiledQuery:
    """"Average daily revenue": each metric's total per period (the spec split by that grain as
    well), averaged over those periods in an outer query, per row of the rest of the breakdown.
    Only metrics that add up: an average of daily ratios is no ratio of the period's sums."""
    grain = spec.average_per
    assert grain is not None
    problems = []
    if spec.periods or spec.share_of_total or spec.having or spec.count_members or spec.first_time \
            or spec.rank_within or spec.member_conditions:
        problems.append("An average per period is asked alone: not beside compared periods, shares or conditions.")
    if any(g.name == METRIC_TIME and g.grain not in DATE_PARTS and not nests_in(grain, g.grain) for g in spec.group_by):
        problems.append(f"An average per {grain.value} can only be split by a longer period holding whole "
                        f"{grain.value}s (an average daily revenue by month).")
    for name in spec.metrics:
        metric = model.metric(name) if model.has_metric(name) else None
        if metric is not None and metric.type != MetricType.SIMPLE:
            problems.append(f"'{name}' is a ratio: its average per {grain.value} would be an average of ratios.")
    if problems:
        raise ModelError(" ".join(problems), "Ask for the total, or the total split by period.")
    inner_spec = spec.model_copy(update={"average_per": None, "order_by": (), "limit": None, "with_ties": False,
                                         "group_by": (*spec.group_by, DimensionRef(name=METRIC_TIME, grain=grain))})
    inner = compile_spec(inner_spec, model, dialect=dialect, as_of=as_of, allow_pii=allow_pii)
    assert inner.tree is not None
    period = f"{METRIC_TIME}__{grain.value}"
    keys = [c for c in inner.columns if c.kind == "dimension" and c.name != period]
    metrics = [c for c in inner.columns if c.kind == "metric"]
    select = exp.select(
        *(exp.column(k.name) for k in keys),
        *(exp.alias_(exp.Avg(this=exp.column(m.name)), m.name) for m in metrics),
    ).from_(exp.Subquery(this=inner.tree.copy(), alias=exp.TableAlias(this=exp.to_identifier("per_period"))))
    if keys:
        select = select.group_by(*(exp.column(k.name) for k in keys))
    names = {c.name for c in (*keys, *metrics)}
    for order in spec.order_by:
        column = order.field if order.field in names else next((k.name for k in keys if k.ref == order.field), None)
        if column is not None:
            select = select.order_by(exp.Ordered(this=exp.column(column), desc=order.descending))
    if not spec.order_by:  # "average daily revenue by month": the months in order
        for key in keys:
            if key.ref == METRIC_TIME:
                select = select.order_by(exp.Ordered(this=exp.column(key.name), desc=False))
    if spec.limit is not None:
        select = select.limit(spec.limit)
    if spec.offset is not None:
        select = select.offset(spec.offset)
    labelled = tuple(
        OutputColumn(name=m.name, kind="metric", ref=m.ref, label=f"{m.label} per {grain.value} (average)",
                     label_zh=f"{_PER_ZH[grain]}{m.label_zh or m.label}", format=m.format)
        for m in metrics)
    return CompiledQuery(sql=render(select, dialect), columns=(*keys, *labelled), time_range=inner.time_range,
                         dialect=dialect, spec=spec, tables=inner.tables, tree=select)


_PER_ZH = {TimeGrain.DAY: "日均", TimeGrain.WEEK: "周均", TimeGrain.MONTH: "月均", TimeGrain.QUARTER: "季均",
           TimeGrain.YEAR: "年均"}


def _output_columns(plan: Plan) -> tuple[OutputColumn, ...]:
    if plan.count:
        (key,) = plan.keys
        label = key.dimension.label if key.dimension else "Periods"
        label_zh = key.dimension.label_zh if key.dimension else "时段"
        return (OutputColumn(name=key.name + COUNT_SUFFIX, kind="metric", ref=key.name, label=f"{label} count",
                             label_zh=f"{label_zh}数", format="number"),)
    keys = [_key_column(k) for k in plan.keys]
    metrics = []
    for m in plan.metrics:
        metrics.append(OutputColumn(name=m.name, kind="metric", ref=m.name, label=m.label,
                                    label_zh=m.label_zh, format=m.format.value))
        if plan.share:
            metrics.append(OutputColumn(name=m.name + SHARE_SUFFIX, kind="metric", ref=m.name,
                                        label=f"Share of {m.label or m.name}",
                                        label_zh=f"{m.label_zh or m.label or m.name}占比", format="percent"))
        if plan.periods:
            metrics.append(OutputColumn(name=m.name + CHANGE_SUFFIX, kind="metric", ref=m.name,
                                        label=f"Change in {m.label or m.name}",
                                        label_zh=f"{m.label_zh or m.label or m.name}变化", format=m.format.value))
            metrics.append(OutputColumn(name=m.name + CHANGE_PCT_SUFFIX, kind="metric", ref=m.name,
                                        label=f"Change in {m.label or m.name} (%)",
                                        label_zh=f"{m.label_zh or m.label or m.name}变化率", format="percent"))
    return tuple(keys + metrics)


def _key_column(k: GroupKey) -> OutputColumn:
    if k.name == FIRST_TIME:  # "first-time vs returning buyers"
        return OutputColumn(name=k.name, kind="dimension", ref=k.ref, grain=None,
                            label="First-time or returning", label_zh="新客/老客")
    if k.grain in _PART_LABELS:  # a part of the week: names, not period dates
        return OutputColumn(name=k.name, kind="dimension", ref=k.ref, grain=None,
                            label=_PART_LABELS[k.grain][0], label_zh=_PART_LABELS[k.grain][1])
    return OutputColumn(
        name=k.name,
        kind="dimension",
        ref=k.ref,
        grain=k.grain,
        label=k.dimension.label if k.dimension else ("Period" if k.name == PERIOD else "Time"),
        label_zh=k.dimension.label_zh if k.dimension else ("时段" if k.name == PERIOD else "时间"),
    )


# --- one source: FROM, joins, WHERE, group keys and aggregates ----------------------------


@dataclass
class _Part:
    """A source ready to aggregate (no projections yet)."""

    select: exp.Select
    keys: dict[str, exp.Expr]
    aggregates: dict[str, exp.Expr]
    ctes: list[tuple[str, exp.Query]] = field(default_factory=list)


class _Joins:
    """LEFT JOINs from a root table along many-to-one paths, one alias per path."""

    def __init__(self, model: SemanticModel, root: str) -> None:
        self.model = model
        self.root = root
        self.aliases: dict[Path, str] = {(): root}
        self.joins: list[exp.Join] = []
        self.tables = {root}

    def alias_for(self, table: str) -> str:
        path = self.model.graph.path(self.root, table)
        assert path is not None, f"{table} is not reachable from {self.root}"
        alias = self.root
        for depth in range(1, len(path) + 1):
            prefix, edge = path[:depth], path[depth - 1]
            if prefix not in self.aliases:
                self.aliases[prefix] = self._new_alias(edge.parent)
                self.joins.append(self._join(edge, self.aliases[prefix], alias))
            alias = self.aliases[prefix]
        return alias

    def _new_alias(self, table: str) -> str:
        taken = set(self.aliases.values())
        alias, n = table, 1
        while alias in taken:
            n += 1
            alias = f"{table}_{n}"
        self.tables.add(table)
        return alias

    @staticmethod
    def _join(edge: Edge, alias: str, child_alias: str) -> exp.Join:
        source: exp.Expr = exp.table_(edge.parent)
        if alias != edge.parent:
            source = exp.alias_(source, alias, table=True, copy=False)
        on = exp.EQ(
            this=exp.column(edge.column, table=child_alias),
            expression=exp.column(edge.parent_column, table=alias),
        )
        return exp.Join(this=source, on=on, side="LEFT")


class _Builder:
    def __init__(self, plan: Plan, model: SemanticModel, dialect: str, as_of: date) -> None:
        self.plan = plan
        self.as_of = as_of
        self.model = model
        self.dialect = dialect
        self.tables: set[str] = set()

    # -- the whole query --

    def build(self) -> exp.Select:
        parts = {s.name: self.part(s) for s in self.plan.sources}
        if len(parts) == 1:
            (part,) = parts.values()
            query = self.single(part)
        else:
            query = self.combined(parts)
        if self.plan.count:
            return self.counted(query)
        query = self.order_and_limit(query)
        return query

    def counted(self, query: exp.Select) -> exp.Select:
        """``SELECT COUNT(*) FROM (<the rows that meet the condition>)``; the inner query's CTEs
        move to the outer one (a CTE inside a FROM subquery is not portable)."""
        arg = "with_" if "with_" in exp.Select.arg_types else "with"  # sqlglot 30 renamed it
        ctes = query.args.get(arg)
        query.set(arg, None)
        (key,) = self.plan.keys
        outer = exp.select(exp.alias_(exp.Count(this=exp.Star()), key.name + COUNT_SUFFIX, copy=False))
        outer = outer.from_(query.subquery("counted", copy=False), copy=False)
        if ctes is not None:
            outer.set(arg, ctes)
        return outer

    def single(self, part: _Part) -> exp.Select:
        select = part.select
        for name, key in part.keys.items():
            select = select.select(exp.alias_(key, name, copy=False), copy=False)
        for metric in self.plan.metrics:
            value = self.metric_expr(metric, lambda name: part.aggregates[name].copy())
            reused = self.plan.share or self.plan.periods  # ``value`` goes into more columns
            select = select.select(exp.alias_(value.copy() if reused else value, metric.name, copy=False),
                                   copy=False)
            select = self.with_share(select, metric, value, part.keys)
            select = self.with_change(select, metric, value, part.keys)
        if part.keys:
            select = select.group_by(*(k.copy() for k in part.keys.values()), copy=False)
        for metric, op, threshold in self.plan.having:
            value = self.metric_expr(metric, lambda name: part.aggregates[name].copy())
            select = select.having(_condition(value, op, (threshold,)), copy=False)
        return self.with_ctes(select, part.ctes)

    def combined(self, parts: dict[str, _Part]) -> exp.Select:
        ctes: list[tuple[str, exp.Query]] = []
        owner: dict[str, str] = {}
        for name, part in parts.items():
            ctes += part.ctes
            ctes.append((name, self.aggregated(part)))
            owner.update({column: name for column in part.aggregates})
        keys = [k.name for k in self.plan.keys]
        if keys:
            ctes.append((_SPINE, self.spine(list(parts), keys)))
            select = exp.select(*(exp.column(k, table=_SPINE).as_(k) for k in keys))
            select = select.from_(exp.table_(_SPINE), copy=False)
            for name in parts:
                on = exp.and_(*(self.same_key(k, name) for k in keys), copy=False)
                select.append("joins", exp.Join(this=exp.table_(name), on=on, side="LEFT"))
        else:
            first, *others = parts
            select = exp.select().from_(exp.table_(first), copy=False)
            for name in others:
                select.append("joins", exp.Join(this=exp.table_(name), kind="CROSS"))
        fills = {m.name: m.null_fill for s in self.plan.sources for m in s.measures}

        def ref(column: str) -> exp.Expr:
            value: exp.Expr = exp.column(column, table=owner[column])
            fill = fills.get(column) if keys else None
            if fill is None and keys and column.endswith(("__members", "__matching")):
                fill = 0
            if fill is not None:
                value = exp.Coalesce(this=value, expressions=[_number(fill)])
            return value

        for metric in self.plan.metrics:
            value = self.metric_expr(metric, ref)
            select = select.select(exp.alias_(value.copy(), metric.name, copy=False), copy=False)
            spine_keys: dict[str, exp.Expr] = {k: exp.column(k, table=_SPINE) for k in keys}
            select = self.with_share(select, metric, value, spine_keys)
            select = self.with_change(select, metric, value, spine_keys)
        for metric, op, threshold in self.plan.having:  # the parts are joined, not grouped: a WHERE
            select = select.where(_condition(self.metric_expr(metric, ref), op, (threshold,)), copy=False)
        return self.with_ctes(select, ctes)

    def with_share(self, select: exp.Select, metric: Metric, value: exp.Expr,
                   keys: dict[str, exp.Expr]) -> exp.Select:
        """``value / SUM(value) OVER ()``: the row's share of the total over every row of the
        result (window functions run after GROUP BY and before LIMIT, so a top-N keeps the
        share of the whole). Split by time and by a dimension ("share of revenue by channel
        each month"), the share is within each period (``OVER (PARTITION BY month)``): a
        channel's share of the whole year's total, cut into months, means nothing anyone asks."""
        if not self.plan.share:
            return select
        periods = self.time_keys()
        partition = [keys[name].copy() for name in periods if name in keys] \
            if len(periods) < len(self.plan.keys) else []
        total = exp.Window(this=exp.Sum(this=value.copy()), partition_by=partition or None)
        share = exp.Div(this=exp.Cast(this=value, to=exp.DataType.build("DOUBLE")),
                        expression=exp.Nullif(this=total, expression=exp.Literal.number(0)))
        return select.select(exp.alias_(share, metric.name + SHARE_SUFFIX, copy=False), copy=False)

    def time_keys(self) -> list[str]:
        """The group keys that are periods: metric time at a grain, or compared periods."""
        return [k.name for k in self.plan.keys if k.name == PERIOD or (k.dimension is None and k.grain)]

    def aggregated(self, part: _Part) -> exp.Select:
        select = part.select
        for name, key in part.keys.items():
            select = select.select(exp.alias_(key, name, copy=False), copy=False)
        for name, value in part.aggregates.items():
            select = select.select(exp.alias_(value, name, copy=False), copy=False)
        if part.keys:
            select = select.group_by(*(k.copy() for k in part.keys.values()), copy=False)
        return select

    def spine(self, sources: list[str], keys: list[str]) -> exp.Query:
        """Every group key that any source has, once (UNION treats NULLs as equal)."""
        selects = [
            exp.select(*(exp.column(k) for k in keys)).from_(exp.table_(s), copy=False)
            for s in sources
        ]
        union: exp.Query = selects[0]
        for other in selects[1:]:
            union = exp.union(union, other, distinct=True)
        return union

    @staticmethod
    def same_key(key: str, source: str) -> exp.Expr:
        return exp.NullSafeEQ(
            this=exp.column(key, table=_SPINE), expression=exp.column(key, table=source)
        )

    @staticmethod
    def with_ctes(select: exp.Select, ctes: list[tuple[str, exp.Query]]) -> exp.Select:
        """The tree ``select.with_(name, as_=body)`` builds, without parsing each name (the
        builder parsed every CTE's name as SQL: a sixth of compiling a ratio over two tables)."""
        if not ctes:
            return select
        arg = "with_" if "with_" in exp.Select.arg_types else "with"
        made = [exp.CTE(this=body, alias=exp.TableAlias(this=exp.to_identifier(name))) for name, body in ctes]
        existing = select.args.get(arg)
        if existing is None:
            select.set(arg, exp.With(expressions=made))
        else:
            for cte in made:
                existing.append("expressions", cte)
        return select

    def ranked_within(self, select: exp.Select) -> exp.Select:
        """The top N of each member of one key: ``ROW_NUMBER() OVER (PARTITION BY key ORDER BY
        <the order>)`` on the finished rows, kept up to N; the CTEs move to the outer query.
        With ties kept (``plan.tied``) the number is ``RANK()`` over the asked order alone, so
        rows tied with the N-th are kept too; with no key it ranks all rows."""
        plan = self.plan
        assert plan.limit is not None and (plan.within is not None or plan.tied)
        arg = "with_" if "with_" in exp.Select.arg_types else "with"
        ctes = select.args.get(arg)
        select.set(arg, None)
        columns = [c.alias_or_name for c in select.expressions]
        order = [(name, desc) for name, desc in plan.order if name != plan.within]
        ranked_on = [(name, desc) for name, desc in plan.tied if name != plan.within] if plan.tied else order
        rank = exp.Window(this=exp.Anonymous(this="RANK") if plan.tied else exp.RowNumber(),
                          partition_by=[exp.column(plan.within)] if plan.within is not None else None,
                          order=exp.Order(expressions=[
                              exp.Ordered(this=exp.column(name), desc=desc, nulls_first=False) for name, desc in ranked_on]))
        numbered = exp.select(*(exp.column(c) for c in columns)).select(exp.alias_(rank, _RANK, copy=False), copy=False)
        numbered = numbered.from_(select.subquery("ranked_rows", copy=False), copy=False)
        outer = exp.select(*(exp.column(c) for c in columns)).from_(numbered.subquery("ranked", copy=False), copy=False)
        outer = outer.where(exp.LTE(this=exp.column(_RANK), expression=exp.Literal.number(plan.limit)), copy=False)
        outer = outer.order_by(*([exp.Ordered(this=exp.column(plan.within), nulls_first=False)]
                                 if plan.within is not None else []), *(
            exp.Ordered(this=exp.column(name), desc=desc, nulls_first=False) for name, desc in order), copy=False)
        if ctes is not None:
            outer.set(arg, ctes)
        return outer

    def order_and_limit(self, select: exp.Select) -> exp.Select:
        if self.plan.within is not None or (self.plan.tied and self.plan.limit is not None):
            return self.ranked_within(select)
        if self.plan.order:
            select = select.order_by(
                *(
                    exp.Ordered(this=_sort_key(name), desc=desc, nulls_first=False)
                    for name, desc in self.plan.order
                ),
                copy=False,
            )
        if self.plan.limit is not None:
            select = select.limit(self.plan.limit, copy=False)
        if self.plan.offset:
            select = select.offset(self.plan.offset, copy=False)
        return select

    # -- metrics from aggregated parts --

    def metric_expr(self, metric: Metric, ref: Callable[[str], exp.Expr]) -> exp.Expr:
        if metric.type == MetricType.SIMPLE:
            return ref(metric.measure or "")
        if metric.type == MetricType.RATIO:
            return safe_divide(ref(metric.numerator or ""), ref(metric.denominator or ""))
        if metric.type == MetricType.SHARE:
            return safe_divide(ref(f"{metric.name}__matching"), ref(f"{metric.name}__members"))
        formula = null_safe_divisions(parsed(metric.expr or ""))
        return replace_columns(
            formula, lambda name: _paren(self.metric_expr(self.model.metric(name), ref))
        )

    # -- sources --

    def part(self, source: Source) -> _Part:
        if source.share is not None:
            return self.share_part(source)
        joins = _Joins(self.model, source.table)
        keys = {k.name: self.key_expr(k, joins, source) for k in self.plan.keys}
        filters = [m.filter for m in source.measures]
        shared = filters[0] if len(set(filters)) == 1 else None
        aggregates = {
            m.name: self.aggregate(m, source.table, filtered=shared is None, joins=joins)
            for m in source.measures
        }
        select = self.from_where(source, joins, row_filter=self.row_filter(source, filters))
        return _Part(select, keys, aggregates)

    def row_filter(self, source: Source, filters: list[str | None]) -> exp.Expr | None:
        """Rows no measure counts are left out, so they make no empty groups.

        (Attributed orders by channel has no row for unattributed orders.) One filter shared
        by every measure moves to WHERE; different filters are OR-ed there and stay in CASE.
        """
        if any(f is None for f in filters):
            return None
        conditions = [
            qualify(parsed(f or ""), source.table) for f in dict.fromkeys(filters)
        ]
        return conditions[0] if len(conditions) == 1 else exp.or_(*conditions, copy=False)

    def from_where(
        self, source: Source, joins: _Joins, *, row_filter: exp.Expr | None = None
    ) -> exp.Select:
        conditions = self.period_conditions(source, joins)
        conditions += [self.filter_condition(f, joins, source) for f in self.plan.filters]
        conditions += self.ranked_members(source, joins)
        conditions += self.member_conditions(source)
        if self.plan.first is not None and self.plan.first.keep != "split":
            first = self.first_member(source)
            conditions.append(first if self.plan.first.keep == "first" else exp.Not(this=first))
        if row_filter is not None:
            conditions.append(row_filter)
        select = exp.select().from_(exp.table_(source.table), copy=False)
        for join in joins.joins:
            select.append("joins", join)
        if conditions:
            select = select.where(exp.and_(*conditions, copy=False), copy=False)
        self.tables |= joins.tables
        return select

    def ranked_members(self, source: Source, joins: _Joins) -> list[exp.Expr]:
        """A ranking cut to its top N ranks members: rows with no member ("which campaign had
        the most revenue": orders of no campaign) are no candidate, so they are left out; so
        does a condition on a metric ("channels with at least 2,000 orders"). A breakdown
        without either keeps them as their own row."""
        plan = self.plan
        keys = [k for k in plan.keys if k.dimension is not None and k.dimension.type != DimensionType.TIME]
        cut = plan.limit is not None and not plan.share and bool(plan.order) \
            and plan.order[0][0] not in {k.name for k in plan.keys}
        if not keys or not (cut or plan.having):  # "channels with ≥ 2,000 orders": no channel is none
            return []
        return [exp.Not(this=exp.Is(this=self.key_expr(k, joins, source), expression=exp.Null())) for k in keys]

    def member_conditions(self, source: Source) -> list[exp.Expr]:
        """``orders.customer_id IN (SELECT orders.customer_id FROM orders WHERE <period and
        filters> GROUP BY orders.customer_id HAVING COUNT(orders.order_id) > 3)``: the rows of
        the members that meet each condition, counted over the question's own period and filters."""
        found: list[exp.Expr] = []
        for test in self.plan.members:
            table = test.source.table
            joins = _Joins(self.model, table)
            member = exp.column(test.link(table), table=table)
            if test.op == FilterOp.EQ and test.value == 0:
                found.append(self.never_members(test, source))
                continue
            conditions = self.period_conditions(test.source, joins)
            conditions += [self.filter_condition(f, joins, test.source) for f in (*self.plan.filters, *test.filters)]
            conditions.append(exp.Not(this=exp.Is(this=member.copy(), expression=exp.Null())))
            aggregates = {m.name: self.aggregate(m, table, joins=joins) for m in test.source.measures}
            value = self.metric_expr(test.metric, lambda name, found=aggregates: found[name].copy())  # type: ignore[misc]
            inner = exp.select(member.copy()).from_(exp.table_(table), copy=False)
            for join in joins.joins:
                inner.append("joins", join)
            inner = inner.where(exp.and_(*conditions, copy=False), copy=False)
            inner = inner.group_by(member.copy(), copy=False).having(_condition(value, test.op, (test.value,)),
                                                                     copy=False)
            self.tables |= joins.tables
            found.append(exp.In(this=exp.column(test.link(source.table), table=source.table), query=inner.subquery()))
        return found

    def never_members(self, test: MemberTest, source: Source) -> exp.Expr:
        """``customers.customer_id NOT IN (SELECT orders.customer_id FROM orders WHERE
        orders.customer_id IS NOT NULL)``: members with no row of the metric's table ever (the
        anti-join; "never" is over all time and no filter, whatever period the members' own
        count has: "signed up in 2025 and never ordered"). A count's measure filter still
        applies ("never ordered through a campaign" has no attributed order), and so do the
        condition's own filters ("never bought skincare": no order with a skincare line)."""
        table = test.source.table
        joins = _Joins(self.model, table)
        member = exp.column(test.link(table), table=table)
        conditions: list[exp.Expr] = [exp.Not(this=exp.Is(this=member.copy(), expression=exp.Null()))]
        conditions += [qualify(parsed(m.filter), table) for m in test.source.measures if m.filter]
        conditions += [self.filter_condition(f, joins, test.source) for f in test.filters]  # "never bought skincare"
        inner = exp.select(member.copy()).from_(exp.table_(table), copy=False)
        for join in joins.joins:
            inner.append("joins", join)
        inner = inner.where(exp.and_(*conditions, copy=False), copy=False)
        self.tables |= joins.tables | {table}
        return exp.Not(this=exp.In(this=exp.column(test.link(source.table), table=source.table),
                                   query=inner.subquery()))

    def first_member(self, source: Source) -> exp.Expr:
        """``orders.customer_id IN (SELECT orders.customer_id FROM orders WHERE orders.customer_id
        IS NOT NULL GROUP BY orders.customer_id HAVING MIN(orders.ordered_at) >= <period start>)``:
        the row's member did it first in the period (over all time and rows: no filters)."""
        test = self.plan.first
        assert test is not None and test.source.time_column is not None
        table = test.source.table
        member = exp.column(test.link(table), table=table)
        first = exp.Min(this=exp.column(test.source.time_column, table=table))
        inner = exp.select(member.copy()).from_(exp.table_(table), copy=False)
        inner = inner.where(exp.Not(this=exp.Is(this=member.copy(), expression=exp.Null())), copy=False)
        inner = inner.group_by(member.copy(), copy=False).having(
            exp.GTE(this=first, expression=day_literal(test.start, is_date=test.source.time_is_date)), copy=False)
        self.tables.add(table)
        return exp.In(this=exp.column(test.link(source.table), table=source.table), query=inner.subquery())

    def share_part(self, source: Source) -> _Part:
        """Per member (customer): the measure; then the share of members meeting the test."""
        share = source.share
        assert share is not None and share.share is not None
        measure = source.measures[0]
        joins = _Joins(self.model, source.table)
        member = _free_name(share.share.entity, [k.name for k in self.plan.keys])
        keys = {k.name: self.key_expr(k, joins, source) for k in self.plan.keys}
        members = self.from_where(source, joins)
        entity = exp.column(share.share.entity, table=source.table)
        for name, key in keys.items():
            members = members.select(exp.alias_(key, name, copy=False), copy=False)
        members = members.select(exp.alias_(entity, member, copy=False), copy=False)
        per_member = self.aggregate(measure, source.table, filtered=False, joins=joins)
        if measure.filter:  # the members are those with a row that counts (a paid order): not a
            # customer whose only order was cancelled, who would count as a buyer with 0 orders
            members = members.where(qualify(parsed(measure.filter), source.table), copy=False)
        members = members.select(exp.alias_(per_member, measure.name, copy=False), copy=False)
        members = members.group_by(*(k.copy() for k in keys.values()), entity.copy(), copy=False)
        cte = f"{share.name}_members"
        test = _share_test(share, exp.column(measure.name, table=cte))
        counted = exp.column(member, table=cte)
        aggregates: dict[str, exp.Expr] = {
            f"{share.name}__matching": exp.Count(
                this=exp.Case(ifs=[exp.If(this=test, true=counted.copy())])
            ),
            f"{share.name}__members": exp.Count(this=counted.copy()),
        }
        return _Part(
            select=exp.select().from_(exp.table_(cte), copy=False),
            keys={k.name: exp.column(k.name, table=cte) for k in self.plan.keys},
            aggregates=aggregates,
            ctes=[(cte, members)],
        )

    def aggregate(self, measure: Measure, table: str, *, filtered: bool = True,
                  joins: _Joins | None = None) -> exp.Expr:
        """The measure's aggregate over ``table``'s rows; a ``parent.column`` in its expression
        reads the parent joined to each row (many-to-one: one value per row)."""
        value = qualify_parents(parsed(measure.expr, tables=True), table, joins.alias_for if joins else None)
        if measure.filter and filtered:
            condition = qualify(parsed(measure.filter), table)
            value = exp.Case(ifs=[exp.If(this=condition, true=value)])
        return _AGGREGATES[measure.agg](value)

    def key_expr(self, key: GroupKey, joins: _Joins, source: Source) -> exp.Expr:
        if key.name == PERIOD:
            return self.period_key(source, joins)
        if key.name == FIRST_TIME:
            first, returning = (exp.Literal.string(v) for v in FIRST_TIME_VALUES)
            return exp.Case(ifs=[exp.If(this=self.first_member(source), true=first)], default=returning)
        if key.dimension is None:
            column = _time_column(source, joins)
            assert key.grain is not None
            return truncate(column, key.grain, is_date=source.time_is_date, dialect=self.dialect)
        value = self.dimension_expr(key.dimension, joins)
        if key.grain is None:
            return value
        return truncate(
            value, key.grain, is_date=self._is_date(key.dimension), dialect=self.dialect
        )

    def dimension_expr(self, dimension: Dimension, joins: _Joins) -> exp.Expr:
        alias = joins.alias_for(dimension.table)
        if dimension.column:
            return exp.column(dimension.column, table=alias)
        return bind_as_of(qualify(parsed(dimension.expr or ""), alias), self.as_of)

    def _is_date(self, dimension: Dimension) -> bool:
        column = self.model.table(dimension.table).column(dimension.column or "")
        return column is not None and column.is_date

    # -- WHERE --

    def period_key(self, source: Source, joins: _Joins) -> exp.Expr:
        """The first day of the compared period a row falls in, on the source's own clock."""
        ifs = [exp.If(this=self.within(source, joins, start, end),
                      true=exp.cast(exp.Literal.string(start.isoformat()), exp.DataType.build("DATE")))
               for start, end in self.plan.periods]
        return exp.Case(ifs=ifs)

    def within(self, source: Source, joins: _Joins, start: date, end: date) -> exp.Expr:
        column = _time_column(source, joins)
        is_date = source.time_is_date
        return exp.and_(
            exp.GTE(this=column, expression=day_literal(start, is_date=is_date)),
            exp.LT(this=column.copy(), expression=day_literal(end + timedelta(days=1), is_date=is_date)),
        )

    def with_change(self, select: exp.Select, metric: Metric, value: exp.Expr, keys: dict[str, exp.Expr]) -> exp.Select:
        """``<metric>__change`` and ``__change_pct``: each compared period against the one
        before it, within the same breakdown row (LAG over the period order)."""
        if not self.plan.periods:
            return select
        others = [k.copy() for name, k in keys.items() if name != PERIOD]
        order = exp.Order(expressions=[exp.Ordered(this=keys[PERIOD].copy())])
        before = exp.Window(this=exp.Anonymous(this="LAG", expressions=[value.copy()]),
                            partition_by=others or None, order=order)
        change = exp.Sub(this=_paren(value.copy(), always=True), expression=before.copy())
        pct = exp.Sub(this=safe_divide(value.copy(), before), expression=exp.Literal.number(1))
        select = select.select(exp.alias_(change, metric.name + CHANGE_SUFFIX, copy=False), copy=False)
        return select.select(exp.alias_(pct, metric.name + CHANGE_PCT_SUFFIX, copy=False), copy=False)

    def period_conditions(self, source: Source, joins: _Joins) -> list[exp.Expr]:
        if self.plan.periods:
            return [exp.or_(*(self.within(source, joins, s, e) for s, e in self.plan.periods))]
        if self.plan.period is None:
            return []
        start, end = self.plan.period
        column = _time_column(source, joins)
        is_date = source.time_is_date
        conditions: list[exp.Expr] = []
        if start is not None:
            conditions.append(exp.GTE(this=column, expression=day_literal(start, is_date=is_date)))
        if end is not None:
            after = day_literal(end + timedelta(days=1), is_date=is_date)
            conditions.append(exp.LT(this=column.copy(), expression=after))
        return conditions

    def filter_condition(self, item: ResolvedFilter, joins: _Joins, source: Source) -> exp.Expr:
        if item.part is not None:  # "on weekends": the part of the week of each row's date
            if item.dimension is None:
                column: exp.Expr = _time_column(source, joins)
                is_date = source.time_is_date
            else:
                column, is_date = self.dimension_expr(item.dimension, joins), self._is_date(item.dimension)
            return _condition(date_part(column, item.part, is_date=is_date, dialect=self.dialect),
                              item.op, item.values)
        if item.dimension is None:
            column = _time_column(source, joins)
            target = to_day(column, is_date=source.time_is_date)
            return _condition(target, item.op, item.values)
        if not self.model.graph.reachable(joins.root, item.dimension.table):
            return self.semi_join(item, joins)
        return self.dimension_condition(item, joins)

    def semi_join(self, item: ResolvedFilter, joins: _Joins) -> exp.Expr:
        """``orders.order_id [NOT] IN (SELECT order_items.order_id FROM order_items ...)``:
        rows that contain (or lack) a finer row matching the filter; never a fan-out join."""
        assert item.dimension is not None
        bridge = self.model.graph.bridge(joins.root, item.dimension.table, self.model.table_names)
        assert bridge is not None, "resolver admits only bridged filters"
        child, path = bridge
        inner = _Joins(self.model, child)
        link = path[-1]
        negative = {FilterOp.NE: FilterOp.EQ, FilterOp.NOT_IN: FilterOp.IN}
        positive = ResolvedFilter(item.dimension, negative.get(item.op, item.op), item.values)
        condition = self.dimension_condition(positive, inner)
        subquery = exp.select(exp.column(link.column, table=inner.alias_for(link.child))).from_(
            exp.table_(child), copy=False
        )
        for join in inner.joins:
            subquery.append("joins", join)
        linked = exp.column(link.column, table=inner.alias_for(link.child))
        not_null = exp.Not(this=exp.Is(this=linked, expression=exp.Null()))
        subquery = subquery.where(exp.and_(condition, not_null, copy=False), copy=False)
        self.tables |= inner.tables
        test = exp.In(this=exp.column(link.parent_column, table=joins.root), query=subquery.subquery())
        return exp.Not(this=test) if item.op in negative else test

    def dimension_condition(self, item: ResolvedFilter, joins: _Joins) -> exp.Expr:
        assert item.dimension is not None
        value = self.dimension_expr(item.dimension, joins)
        if item.dimension.type == DimensionType.BOOLEAN and item.op in (FilterOp.EQ, FilterOp.NE):
            wanted = bool(item.values[0]) == (item.op == FilterOp.EQ)
            return value if wanted else exp.Not(this=_paren(value, always=True))
        if item.dimension.column is None:
            value = exp.Paren(this=value)
        elif item.dimension.type == DimensionType.TIME:
            value = to_day(value, is_date=self._is_date(item.dimension))
        return _condition(value, item.op, item.values)


# --- small pieces -------------------------------------------------------------------------


def _condition(target: exp.Expr, op: FilterOp, values: tuple[Any, ...]) -> exp.Expr:
    """The SQL for a filter. "Not X" keeps rows where the dimension is unknown (NULL):
    revenue not from email campaigns includes unattributed revenue (as Cube does)."""
    literals = [_literal(v) for v in values]
    if op == FilterOp.IS_NULL:
        return exp.Is(this=target, expression=exp.Null())
    if op == FilterOp.NOT_NULL:
        return exp.Not(this=exp.Is(this=target, expression=exp.Null()))
    if op == FilterOp.IN:
        return exp.In(this=target, expressions=literals)
    if op == FilterOp.NOT_IN:
        return _or_null(exp.Not(this=exp.In(this=target, expressions=literals)), target)
    if op == FilterOp.BETWEEN:
        return exp.Between(this=target, low=literals[0], high=literals[1])
    if op == FilterOp.NE:
        return _or_null(exp.NEQ(this=target, expression=literals[0]), target)
    return _COMPARISONS[op](this=target, expression=literals[0])


def _or_null(condition: exp.Expr, target: exp.Expr) -> exp.Expr:
    is_null = exp.Is(this=target.copy(), expression=exp.Null())
    return exp.or_(condition, is_null, copy=False)


def _literal(value: Any) -> exp.Expr:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, date):
        return day_literal(value, is_date=True)
    if isinstance(value, int | float):
        return _number(value)
    return exp.Literal.string(str(value))


def _number(value: float) -> exp.Expr:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    literal = exp.Literal.number(abs(value))
    return exp.Neg(this=literal) if value < 0 else literal


def _paren(tree: exp.Expr, *, always: bool = False) -> exp.Expr:
    if always and not isinstance(tree, exp.Column):
        return exp.Paren(this=tree)
    return exp.Paren(this=tree) if isinstance(tree, exp.Binary) else tree


def _share_test(metric: Metric, value: exp.Expr) -> exp.Expr:
    assert metric.share is not None
    return _COMPARISONS[FilterOp(metric.share.op.value)](
        this=value, expression=_number(metric.share.value)
    )


def _free_name(name: str, taken: list[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _time_column(source: Source, joins: _Joins) -> exp.Column:
    """The source's time column; the resolver refuses time on a source without one."""
    assert source.time_column is not None and source.time_table is not None
    return exp.column(source.time_column, table=joins.alias_for(source.time_table))


def _sort_key(name: str) -> exp.Expr:
    """What an output column is ordered by: itself, or for days of the week their place in it
    (Monday first), not their names' alphabetical order (Friday, Monday, Saturday …)."""
    column = exp.column(name)
    if not name.endswith(f"__{TimeGrain.WEEKDAY.value}"):
        return column
    case = exp.Case()
    for number, day in enumerate(WEEKDAY_NAMES, start=1):
        case = case.when(exp.EQ(this=column.copy(), expression=exp.Literal.string(day)), exp.Literal.number(number))
    return case
