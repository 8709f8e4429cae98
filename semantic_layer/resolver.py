"""Resolve a query spec against the model: names, reachability, values, period, order.

Every problem is collected and raised as one ModelError, phrased for a marketer: what was
asked that the model cannot do, and what to ask instead. The result is a ``Plan`` the
compiler turns into SQL without further checks.

Measures are grouped into *sources*: the measures of one table on one time column share one
aggregation (one CTE); a share metric (repeat purchase rate) gets a source of its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from genbi.errors import ModelError

from .model import (
    Aggregation,
    Dimension,
    DimensionType,
    Measure,
    Metric,
    MetricType,
    SemanticModel,
    derived_inputs,
)
from .query_spec import (
    DATE_PARTS,
    DAY_TYPES,
    METRIC_TIME,
    WEEKDAY_NAMES,
    DimensionRef,
    Filter,
    FilterOp,
    FirstTime,
    MemberCondition,
    QuerySpec,
    TimeGrain,
)
from .suggest import did_you_mean

_NUMERIC = ("INT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "DOUBLE", "FLOAT")
_TIME_OPS = frozenset(FilterOp) - {FilterOp.LIKE}


@dataclass(frozen=True)
class GroupKey:
    """One group-by column: a dimension (``None`` for metric time) and, for time, a grain."""

    name: str
    dimension: Dimension | None
    grain: TimeGrain | None

    @property
    def ref(self) -> str:
        if self.name in (PERIOD, FIRST_TIME):
            return self.name
        return self.dimension.name if self.dimension else METRIC_TIME


FIRST_TIME = "first_time"
"""The group key of a first-time split: 'first-time' or 'returning' (``QuerySpec.first_time``)."""
PERIOD = "period"
"""The group key of compared periods (``QuerySpec.periods``): each period's first day."""
CHANGE_SUFFIX, CHANGE_PCT_SUFFIX = "__change", "__change_pct"


@dataclass(frozen=True)
class ResolvedFilter:
    """A filter with canonical values (``dimension`` ``None`` means metric time)."""

    dimension: Dimension | None
    op: FilterOp
    values: tuple[Any, ...]
    part: TimeGrain | None = None
    """A part of the week compared instead of the date ('weekend'), for time filters."""


@dataclass(frozen=True)
class Source:
    """Measures aggregated together: one table's rows on one time column."""

    name: str
    table: str
    time_table: str | None
    """None (and ``time_column`` too) when the measures have no date (a table as of now)."""
    time_column: str | None
    time_is_date: bool
    measures: tuple[Measure, ...]
    share: Metric | None = None
    """For a share metric's source: the metric (its measure is aggregated per member)."""


@dataclass(frozen=True)
class Plan:
    metrics: tuple[Metric, ...]
    keys: tuple[GroupKey, ...]
    filters: tuple[ResolvedFilter, ...]
    period: tuple[date | None, date | None] | None
    sources: tuple[Source, ...]
    order: tuple[tuple[str, bool], ...]
    """(output column, descending) pairs, tie-breakers included."""
    limit: int | None
    offset: int = 0
    """Rows skipped before the limit ("the 2nd best": limit 1, offset 1)."""
    share: bool = False
    """Add ``<metric>__share``: each row's share of the metric's total over all rows."""
    periods: tuple[tuple[date, date], ...] = ()
    """Compared periods (inclusive days), oldest first; ``period`` is then their span."""
    having: tuple[tuple[Metric, FilterOp, float], ...] = ()
    """Conditions on metric values per row (SQL HAVING), before order and limit."""
    members: tuple[MemberTest, ...] = ()
    """Conditions on each member of an entity: every source keeps the rows of members that meet them."""
    count: bool = False
    """Return how many breakdown rows meet ``having`` (``<key>__count``), not the rows."""
    first: FirstTest | None = None
    """Members by whether their first row ever falls in the period (kept, left out, or a split)."""
    within: str | None = None
    """The group key the limit applies within (its own top N per member), when not over all rows."""
    tied: tuple[tuple[str, bool], ...] = ()
    """With ties kept: the order the rank is on (the asked order, no tie-breakers); rows of the
    same rank as the last one kept are kept too."""


@dataclass(frozen=True)
class FirstTest:
    """``QuerySpec.first_time``, resolved: the table and time column whose first row per member
    counts, the first day of the period, and the column naming the member in each table read."""

    entity: str
    source: Source
    keep: str
    start: date
    links: tuple[tuple[str, str], ...]

    def link(self, table: str) -> str:
        return dict(self.links)[table]


@dataclass(frozen=True)
class MemberTest:
    """A member condition, resolved: its metric per member over ``source`` (the period and
    filters of the plan apply to it too), and the column naming the member in each table the
    plan reads (``orders.customer_id`` for customers)."""

    entity: str
    source: Source
    metric: Metric
    op: FilterOp
    value: float
    links: tuple[tuple[str, str], ...]
    filters: tuple[ResolvedFilter, ...] = ()
    """The condition's own filters on the rows it counts (orders with a skincare line)."""

    def link(self, table: str) -> str:
        return dict(self.links)[table]


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[str, str | None]] = []

    def add(self, message: str, hint: str | None = None) -> None:
        if (message, hint) not in self.items:
            self.items.append((message, hint))

    def raise_any(self) -> None:
        if not self.items:
            return
        if len(self.items) == 1:
            raise ModelError(*self.items[0])
        lines = [m + (f" {h}" if h else "") for m, h in self.items]
        raise ModelError(
            f"The question can't be answered as asked ({len(lines)} problems): "
            + " ".join(f"({i}) {line}" for i, line in enumerate(lines, 1)),
            "Fix these and ask again.",
        )


def resolve(spec: QuerySpec, model: SemanticModel, *, as_of: date, allow_pii: bool) -> Plan:
    """Check ``spec`` against ``model`` and return the plan, or raise one ModelError."""
    problems = _Problems()
    metrics = _metrics(spec, model, problems)
    keys = _keys(spec.group_by, model, problems, allow_pii)
    periods = _periods(spec, as_of, problems)
    if periods:
        keys = (GroupKey(PERIOD, None, None), *keys)
    filters = _filters(spec.filters, model, problems, allow_pii)
    problems.raise_any()
    _check_reachable(metrics, keys, filters, model, problems)
    if spec.share_of_total:
        split_first = spec.first_time is not None and spec.first_time.keep == "split"
        _check_share(metrics, (*keys, GroupKey(FIRST_TIME, None, None)) if split_first else keys, model, problems)
    order = _order(spec, metrics, keys, problems)
    having = _having(spec, metrics, problems)
    if spec.count_members and (not spec.having or len(spec.group_by) != 1 or spec.share_of_total or spec.periods):
        problems.add("Counting the rows that meet a condition needs the condition (having) and exactly one "
                     "breakdown, without shares or compared periods.",
                     "Ask e.g. 'how many campaigns had ROAS above 3'.")
    problems.raise_any()
    period = spec.time_range.resolve(as_of) if spec.time_range else None
    if periods:
        period = (periods[0][0], max(end for _, end in periods))
    sources = _sources(metrics, model)
    _check_dated(sources, keys, filters, period, problems)
    members = _member_tests(spec, keys, sources, model, problems)
    first = _first_test(spec.first_time, period, bool(periods), sources, model, problems) if spec.first_time else None
    if first is not None and any(k.grain is not None and k.grain not in DATE_PARTS for k in keys):
        problems.add("First-time or returning is counted against the start of the whole period, so it can't be split "
                     "by time (a buyer first in March would count as first-time in May too).",
                     "Ask one period at a time, e.g. 'first-time buyers in March 2025'.")
    if first is not None and first.keep == "split":
        keys = (*keys, GroupKey(FIRST_TIME, None, None))
    problems.raise_any()
    return Plan(
        metrics=metrics,
        keys=keys,
        filters=filters,
        period=period,
        sources=sources,
        order=order,
        limit=spec.limit,
        offset=_offset(spec, problems),
        share=spec.share_of_total,
        periods=periods,
        having=having,
        members=members,
        count=spec.count_members,
        first=first,
        within=_within(spec, keys, problems),
        tied=_tied(spec, order, problems),
    )


def _offset(spec: QuerySpec, problems: _Problems) -> int:
    """"the 2nd best channel": rows skipped before the limit; only on one ranking over all rows."""
    if spec.offset is None:
        return 0
    if spec.limit is None or not spec.order_by or spec.rank_within or spec.with_ties or spec.count_members \
            or spec.share_of_total or spec.periods:
        problems.add("An ordinal ('the 2nd best') needs one ranking over all rows: a limit and an order, without "
                     "ties, shares, compared periods or a ranking within groups.",
                     "Ask e.g. 'the 2nd best channel by revenue last month'.")
        problems.raise_any()
    return spec.offset


def _tied(spec: QuerySpec, order: tuple[tuple[str, bool], ...], problems: _Problems) -> tuple[tuple[str, bool], ...]:
    """"top 2, ties included": the asked order (not the tie-breakers added after it) the rank is on."""
    if not spec.with_ties:
        return ()
    if spec.limit is None or not spec.order_by or spec.count_members:
        problems.add("Keeping ties needs a ranking: a limit and an order.", "Ask e.g. 'top 3 cities by orders, ties included'.")
        problems.raise_any()
    return order[:len(spec.order_by)]


def _within(spec: QuerySpec, keys: tuple[GroupKey, ...], problems: _Problems) -> str | None:
    """"top 2 campaigns in each channel": the key each member of which gets its own top N."""
    if spec.rank_within is None:
        return None
    key = next((k for k in keys if spec.rank_within in (k.name, k.ref)), None)
    if key is None or spec.limit is None or len(keys) < 2 or spec.count_members or spec.periods or spec.share_of_total:
        problems.add("A top N within each group needs the group among two or more breakdowns, and a limit.",
                     "Ask e.g. 'top 2 campaigns by spend in each channel'.")
        problems.raise_any()
    assert key is not None
    return key.name


def _first_test(first: FirstTime, period: tuple[date | None, date | None] | None, compared: bool,
                 sources: tuple[Source, ...], model: SemanticModel, problems: _Problems) -> FirstTest | None:
    """First-time members need a period to be first in, one table whose first row counts, and
    a link from every table read to the members."""
    try:
        entity = model.table(first.entity)
        metric = model.metric(first.metric)
    except ModelError as error:
        problems.add(error.message, error.hint)
        return None
    if period is None or period[0] is None or compared:
        problems.add("First-time or returning needs one period to be first in.",
                     "Name one, e.g. 'first-time buyers last month'.")
        return None
    measures = model.metric_measures(metric.name) if metric.type in (MetricType.SIMPLE, MetricType.RATIO) else ()
    if entity.primary_key is None or len({m.table for m in measures}) != 1 or len({m.time for m in measures}) != 1:
        problems.add(f"'{metric.name}' can't say when each of {entity.name} first appeared.",
                     "Use a count of rows with a date, e.g. orders.")
        return None
    source = _source(f"{entity.name}_first", measures[0].table, measures[0].time, tuple(measures), model)
    if source.time_column is None or source.time_table != source.table:
        problems.add(f"'{metric.name}' has no date of its own to find each member's first one.", None)
        return None
    links: dict[str, str] = {}
    for read in dict.fromkeys([source.table, *(s.table for s in sources)]):
        column = _member_column(model, read, entity.name, entity.primary_key)
        if column is None:
            problems.add(f"Rows of '{read}' don't name one of {entity.name}, so first-time ones can't be told apart.",
                         f"Ask for metrics of a table linked to {entity.name}.")
        else:
            links[read] = column
    if any(s.share is not None for s in sources):
        problems.add("First-time or returning can't be combined with share metrics yet.", None)
    return FirstTest(entity.name, source, first.keep, period[0], tuple(sorted(links.items())))



def _having(spec: QuerySpec, metrics: tuple[Metric, ...], problems: _Problems
            ) -> tuple[tuple[Metric, FilterOp, float], ...]:
    """A condition on a metric keeps or drops rows of a breakdown; with no breakdown, or with
    shares or compared periods (whose totals and changes would then cover other rows than
    those shown), it has no single meaning."""
    if not spec.having:
        return ()
    by_name = {m.name: m for m in metrics}
    found = []
    for condition in spec.having:
        if condition.metric not in by_name:
            problems.add(f"The condition on '{condition.metric}' needs that metric in the question's metrics.",
                         f"Add '{condition.metric}' to the metrics.")
            continue
        found.append((by_name[condition.metric], condition.op, condition.value))
    if not spec.group_by:
        problems.add("A condition on a metric keeps or drops rows of a breakdown, and there is none.",
                     "Split it, e.g. 'campaigns with ROAS below 1'.")
    if spec.share_of_total or spec.periods:
        problems.add("A condition on a metric can't be combined with shares of the total or compared periods.",
                     "Ask for the rows that meet the condition, then for their share or change.")
    return tuple(found)


def _member_tests(spec: QuerySpec, keys: tuple[GroupKey, ...], sources: tuple[Source, ...], model: SemanticModel,
                  problems: _Problems) -> tuple[MemberTest, ...]:
    """Each member condition with the table its metric is computed on and the column naming
    the member in every table read. Refused where one member's rows could land in several
    rows of the answer (a breakdown by an order's channel or month: "customers with more
    than 3 orders" per channel would mix all their orders with the channel's), or where the
    members meeting it could have no rows at all ("fewer than 3 orders" includes customers
    with none, whom no order row shows)."""
    tests: list[MemberTest] = []
    for condition in spec.member_conditions:
        if "." in condition.entity:
            tests += _column_members(spec, keys, sources, model, problems, condition)
            continue
        try:
            entity = model.table(condition.entity)
            metric = model.metric(condition.metric)
        except ModelError as error:
            problems.add(error.message, error.hint)
            continue
        if entity.primary_key is None:
            problems.add(f"The table '{entity.name}' has no key naming each of its rows, so its members can't be "
                         "counted one by one.", "Give the table a primary_key in the model.")
            continue
        measures = model.metric_measures(metric.name) if metric.type in (MetricType.SIMPLE, MetricType.RATIO) else ()
        if len({m.table for m in measures}) != 1 or len({m.time for m in measures}) != 1:
            problems.add(f"A condition on each of {entity.name} needs a metric of one table; '{metric.name}' isn't one.",
                         "Use a count or a sum, e.g. orders or revenue.")
            continue
        if _never(condition):
            if not _never_answerable(entity.name, metric, measures, sources, problems):
                continue
        elif condition.op in (FilterOp.LT, FilterOp.LE) or condition.value < 0 or (
                condition.op in (FilterOp.GE, FilterOp.EQ) and condition.value <= 0):
            problems.add(f"{entity.name.capitalize()} with no {metric.label or metric.name} at all would meet "
                         f"'{metric.name} {condition.op.value} {condition.value:g}', but they have no rows to count.",
                         "Ask with 'more than' or 'at least' a positive number.")
            continue
        table = measures[0].table
        links: dict[str, str] = {}
        for read in dict.fromkeys([table, *(s.table for s in sources)]):
            column = _member_column(model, read, entity.name, entity.primary_key)
            if column is None:
                problems.add(f"Rows of '{read}' don't name one of {entity.name}, so they can't be kept per member.",
                             f"Ask for metrics of a table linked to {entity.name}.")
            else:
                links[read] = column
        for key in keys:
            if key.dimension is None or not (key.dimension.table == entity.name
                                             or model.graph.reachable(entity.name, key.dimension.table)):
                problems.add(f"A breakdown by {key.name} would split the rows of one member of {entity.name} over "
                             "several rows, while the condition counts them all together.",
                             f"Break it down by something each member of {entity.name} has one of, or not at all.")
        if spec.periods or any(s.share is not None for s in sources):
            problems.add("A condition on each member can't be combined with compared periods or share metrics yet.",
                         "Ask for one period and a count or a sum.")
        source = _source(f"{entity.name}_members", table, measures[0].time, tuple(measures), model)
        tests.append(MemberTest(entity.name, source, metric, condition.op, condition.value,
                                tuple(sorted(links.items())), _own_filters(condition, table, model, problems)))
    return tuple(tests)


def _own_filters(condition: MemberCondition, table: str, model: SemanticModel,
                 problems: _Problems) -> tuple[ResolvedFilter, ...]:
    """A condition's own filters, each on a column its rows reach (many-to-one, or a finer row
    they contain: an order with a skincare line)."""
    own = _filters(condition.filters, model, problems, False)
    for item in own:
        if item.dimension is not None and not model.graph.reachable(table, item.dimension.table) \
                and model.graph.bridge(table, item.dimension.table, model.table_names) is None:
            problems.add(f"Rows of '{table}' can't be filtered on {item.dimension.name} for a condition on each "
                         f"member.", "Filter on something the counted rows have.")
    return own


def _never(condition: MemberCondition) -> bool:
    """"customers who never ordered": none of the metric, the anti-join."""
    return condition.op == FilterOp.EQ and condition.value == 0


def _never_answerable(entity: str, metric: Metric, measures: Sequence[Measure], sources: tuple[Source, ...],
                      problems: _Problems) -> bool:
    """Members with none of a count are rows of the entity's own table the count's table has no
    row for: the question must count the entity's own rows (customers), and the metric must
    count rows (a sum of zero over some rows is not "none"). Anything else is refused."""
    if any(m.agg not in (Aggregation.COUNT, Aggregation.COUNT_DISTINCT) for m in measures):
        problems.add(f"'None of {metric.name}' is only asked of a count (orders), not of an amount.",
                     "Ask for members with no orders.")
        return False
    if any(s.table != entity for s in sources):
        problems.add(f"Members of {entity} with no {metric.label or metric.name} have no rows to add up; only "
                     f"{entity} themselves can be counted.", f"Ask how many {entity} have none.")
        return False
    return True


def _column_members(spec: QuerySpec, keys: tuple[GroupKey, ...], sources: tuple[Source, ...], model: SemanticModel,
                    problems: _Problems, condition: MemberCondition) -> list[MemberTest]:
    """Members named by a column of the rows themselves ("order_lines.customer_id"): the
    metrics and the condition must be of that table, and nothing may split the answer (a
    member's rows may carry several values of any other column)."""
    table_name, _, column = condition.entity.partition(".")
    try:
        table = model.table(table_name)
        metric = model.metric(condition.metric)
    except ModelError as error:
        problems.add(error.message, error.hint)
        return []
    if table.column(column) is None:
        problems.add(f"The table '{table.name}' has no column '{column}' to name its members.",
                     f"Name one of its columns, e.g. '{table.name}.{table.columns[0].name}'." if table.columns else None)
        return []
    measures = model.metric_measures(metric.name) if metric.type in (MetricType.SIMPLE, MetricType.RATIO) else ()
    if {m.table for m in measures} != {table.name} or len({m.time for m in measures}) != 1 \
            or any(s.table != table.name or s.share is not None for s in sources):
        problems.add(f"Members named by {condition.entity} need the condition and the metrics on '{table.name}'.",
                     f"Ask for metrics of '{table.name}'.")
        return []
    if condition.op in (FilterOp.LT, FilterOp.LE) or condition.value < 0 or (
            condition.op in (FilterOp.GE, FilterOp.EQ) and condition.value <= 0):
        problems.add(f"Members with no {metric.label or metric.name} at all would meet "
                     f"'{metric.name} {condition.op.value} {condition.value:g}', but they have no rows to count.",
                     "Ask with 'more than' or 'at least' a positive number.")
        return []
    if keys or spec.periods:
        problems.add(f"A condition on each of {condition.entity} can't be split: one member's rows may fall in "
                     "several rows of a breakdown.", "Ask without the breakdown.")
        return []
    source = _source(f"{table.name}_members", table.name, measures[0].time, tuple(measures), model)
    return [MemberTest(condition.entity, source, metric, condition.op, condition.value, ((table.name, column),))]


def _member_column(model: SemanticModel, table: str, entity: str, key: str) -> str | None:
    """The column of ``table`` naming one row of ``entity`` (its key, or the one link to it)."""
    if table == entity:
        return key
    columns = {e.column for e in model.graph.outgoing(table) if e.parent == entity and e.parent_column == key}
    return columns.pop() if len(columns) == 1 else None


def _periods(spec: QuerySpec, as_of: date, problems: _Problems) -> tuple[tuple[date, date], ...]:
    """Compared periods, oldest first; each needs both ends and none may overlap another."""
    found: list[tuple[date, date]] = []
    for time_range in spec.periods:
        start, end = time_range.resolve(as_of)
        if start is None or end is None:
            problems.add("Each compared period needs a start and an end.", "Name the periods, e.g. 'Q3 vs Q4 2025'.")
            return ()
        found.append((start, end))
    found.sort()
    if any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(found)):
        problems.add("Compared periods overlap, so a day would count in two rows.",
                     "Compare periods that don't overlap, e.g. 'Q3 vs Q4'.")
        return ()
    return tuple(found)


SHARE_SUFFIX = "__share"
COUNT_SUFFIX = "__count"


def _check_share(metrics: tuple[Metric, ...], keys: tuple[GroupKey, ...], model: SemanticModel,
                 problems: _Problems) -> None:
    """A share of the total only adds up for sums and counts split by something."""
    if not keys:
        problems.add("A share of the total needs a breakdown: the whole is always 100%.",
                     "Split it, e.g. 'share of revenue by sales channel'.")
    for metric in metrics:
        if not model.adds_up(metric.name, [key.ref for key in keys if key.name != FIRST_TIME]):
            problems.add(f"'{metric.name}' has no share of a total: only sums and counts add up across rows.",
                         "Ask for the share of revenue, orders, units or spend.")


# --- metrics ------------------------------------------------------------------------------


def _metrics(spec: QuerySpec, model: SemanticModel, problems: _Problems) -> tuple[Metric, ...]:
    found: list[Metric] = []
    for name in dict.fromkeys(spec.metrics):
        try:
            found.append(model.metric(name))
        except ModelError as error:
            problems.add(error.message, error.hint)
    return tuple(found)


def leaves(metric: Metric, model: SemanticModel) -> list[Measure | Metric]:
    """What a metric aggregates: measures, or share metrics (aggregated on their own)."""
    if metric.type == MetricType.SHARE:
        return [metric]
    if metric.type != MetricType.DERIVED:
        return list(model.metric_measures(metric.name))
    found: list[Measure | Metric] = []
    for ref in derived_inputs(metric.expr or ""):
        found += [leaf for leaf in leaves(model.metric(ref), model) if leaf not in found]
    return found


def _leaf_table(leaf: Measure | Metric, model: SemanticModel) -> str:
    if isinstance(leaf, Measure):
        return leaf.table
    assert leaf.share is not None
    return model.measure(leaf.share.measure).table


# --- group by and filters -----------------------------------------------------------------


def _keys(
    refs: tuple[DimensionRef, ...], model: SemanticModel, problems: _Problems, allow_pii: bool
) -> tuple[GroupKey, ...]:
    keys: list[GroupKey] = []
    for ref in refs:
        key = _key(ref, model, problems, allow_pii)
        if key is not None and key.name not in (k.name for k in keys):
            keys.append(key)
    return tuple(keys)


def _key(
    ref: DimensionRef, model: SemanticModel, problems: _Problems, allow_pii: bool
) -> GroupKey | None:
    if ref.name == METRIC_TIME:
        grain = ref.grain or TimeGrain.DAY
        return GroupKey(f"{METRIC_TIME}__{grain.value}", None, grain)
    dimension = _dimension(ref.name, model, problems, allow_pii, "group by")
    if dimension is None:
        return None
    if dimension.type != DimensionType.TIME:
        if ref.grain is not None:
            problems.add(
                f"'{ref.name}' is not a time dimension, so it has no grain.",
                f"Group by '{ref.name}' without a grain.",
            )
        return GroupKey(dimension.name, dimension, None)
    grain = ref.grain or TimeGrain.DAY
    if grain == TimeGrain.HOUR:
        problems.add(f"'{ref.name}' is split by hour only as each metric's own time.", f"Group by '{METRIC_TIME}' by hour.")
    elif grain not in dimension.allowed_grains and grain not in DATE_PARTS:
        allowed = ", ".join(g.value for g in dimension.allowed_grains)
        problems.add(f"'{ref.name}' can't be grouped by {grain.value}.", f"Use one of: {allowed}.")
    return GroupKey(f"{dimension.name}__{grain.value}", dimension, grain)


def _dimension(
    name: str, model: SemanticModel, problems: _Problems, allow_pii: bool, use: str
) -> Dimension | None:
    try:
        dimension = model.dimension(name)
    except ModelError as error:
        hint = error.hint
        if model.has_metric(name):
            hint = f"'{name}' is a metric; {use} needs a dimension such as 'channel' or 'city'."
        problems.add(error.message, hint)
        return None
    if dimension.pii and not allow_pii:
        problems.add(
            f"'{name}' ({dimension.label}) is personal data, and genbi does not {use} it.",
            "Use an aggregate dimension instead, such as city or loyalty tier.",
        )
        return None
    return dimension


def _filters(
    filters: tuple[Filter, ...], model: SemanticModel, problems: _Problems, allow_pii: bool
) -> tuple[ResolvedFilter, ...]:
    resolved: list[ResolvedFilter] = []
    for item in filters:
        if item.part is not None:
            _part_filter(item, model, problems, allow_pii, resolved)
            continue
        if item.dimension == METRIC_TIME:
            values = _time_values(item, problems)
            resolved.append(ResolvedFilter(None, item.op, values))
            continue
        dimension = _dimension(item.dimension, model, problems, allow_pii, "filter on")
        if dimension is None:
            continue
        if dimension.type == DimensionType.TIME:
            resolved.append(ResolvedFilter(dimension, item.op, _time_values(item, problems)))
        else:
            values = tuple(_value(model, dimension, item.op, v, problems) for v in item.values)
            resolved.append(ResolvedFilter(dimension, item.op, values))
    return tuple(resolved)


_PART_VALUES = {
    TimeGrain.WEEKDAY: {**{n.lower(): n for n in WEEKDAY_NAMES}, **{n[:3].lower(): n for n in WEEKDAY_NAMES},
                        **{str(i): n for i, n in enumerate(WEEKDAY_NAMES, start=1)}},
    TimeGrain.DAY_TYPE: {t: t for t in DAY_TYPES} | {"weekdays": "weekday", "weekends": "weekend"},
}


def _part_filter(item: Filter, model: SemanticModel, problems: _Problems, allow_pii: bool,
                 resolved: list[ResolvedFilter]) -> None:
    """"on weekends": a part of the week of the time dimension (or each metric's own time)."""
    dimension = None
    if item.dimension != METRIC_TIME:
        dimension = _dimension(item.dimension, model, problems, allow_pii, "filter on")
        if dimension is None:
            return
        if dimension.type != DimensionType.TIME:
            problems.add(f"'{item.dimension}' is not a time dimension, so it has no {item.part}.",
                         f"Filter on '{METRIC_TIME}' or a date dimension.")
            return
    if item.op not in (FilterOp.EQ, FilterOp.NE, FilterOp.IN, FilterOp.NOT_IN):
        problems.add(f"A filter on the {item.part} of a date compares with =, !=, in or not in.", None)
        return
    assert item.part is not None
    names = _PART_VALUES[item.part]
    values = []
    for value in item.values:
        name = names.get(str(value).strip().lower())
        if name is None:
            problems.add(f"'{value}' is not a {item.part.value}.", f"Use one of: {', '.join(dict.fromkeys(names.values()))}.")
        else:
            values.append(name)
    resolved.append(ResolvedFilter(dimension, item.op, tuple(values), item.part))


def _time_values(item: Filter, problems: _Problems) -> tuple[date, ...]:
    if item.op not in _TIME_OPS:
        problems.add(
            f"A time filter on '{item.dimension}' can't use '{item.op.value}'.",
            "Use =, <, <=, >, >=, between or in with dates (YYYY-MM-DD).",
        )
        return ()
    days: list[date] = []
    for value in item.values:
        day = _as_date(value)
        if day is None:
            problems.add(
                f"'{value}' is not a date, for the filter on '{item.dimension}'.",
                "Write dates as YYYY-MM-DD, e.g. 2025-03-01.",
            )
        else:
            days.append(day)
    return tuple(days)


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _value(
    model: SemanticModel, dimension: Dimension, op: FilterOp, value: Any, problems: _Problems
) -> Any:
    if dimension.type == DimensionType.BOOLEAN:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "是"):
            return True
        if text in ("false", "no", "0", "否"):
            return False
        problems.add(f"'{value}' is not true or false, for '{dimension.name}'.", None)
        return value
    if op != FilterOp.LIKE and isinstance(value, str | int) and not isinstance(value, bool):
        canonical = model.resolve_value(dimension.name, value)
        if canonical is not None:
            return canonical
    column = model.table(dimension.table).column(dimension.column or "")
    if column is not None and column.type.upper() in _NUMERIC and isinstance(value, str):
        try:
            return int(value) if value.strip().lstrip("-").isdigit() else float(value)
        except ValueError:
            problems.add(f"'{value}' is not a number, for '{dimension.name}'.", None)
    return value


# --- reachability -------------------------------------------------------------------------


def _check_reachable(
    metrics: tuple[Metric, ...],
    keys: tuple[GroupKey, ...],
    filters: tuple[ResolvedFilter, ...],
    model: SemanticModel,
    problems: _Problems,
) -> None:
    wanted = [("split", k.dimension) for k in keys if k.dimension] + [
        ("filtered", f.dimension) for f in filters if f.dimension
    ]
    dimension_names = [d.name for _, d in wanted if d]
    for metric in metrics:
        for leaf in leaves(metric, model):
            table = _leaf_table(leaf, model)
            for verb, dimension in wanted:
                assert dimension is not None
                if model.graph.reachable(table, dimension.table):
                    continue
                if verb == "filtered" and model.graph.bridge(table, dimension.table, model.table_names):
                    continue  # compiled as a semi-join: rows that contain a matching row
                _unreachable(metric, verb, dimension, table, dimension_names, model, problems)


def _unreachable(
    metric: Metric,
    verb: str,
    dimension: Dimension,
    table: str,
    wanted: list[str],
    model: SemanticModel,
    problems: _Problems,
) -> None:
    graph = model.graph
    finer = [t.name for t in model.tables if graph.reachable(t.name, table)]
    bridge = next((t for t in finer if t != table and graph.reachable(t, dimension.table)), None)
    why = (
        f"one row of '{table}' can relate to several rows of '{dimension.table}' (through "
        f"'{bridge}'), so splitting it would double count"
        if bridge
        else f"rows of '{table}' are not linked to '{dimension.table}'"
    )
    alternatives = [
        m.name
        for m in model.metrics
        if m.name != metric.name
        and m.format == metric.format
        and all(model.can_group_by(m.name, d) for d in wanted)
        and any(t in finer and t != table for t in model.measure_tables(m.name))
    ]
    if alternatives:
        hint = (
            "Try "
            + " or ".join(f"'{a}' ({model.metric(a).label})" for a in alternatives[:3])
            + f" by {dimension.name} instead."
        )
    else:
        usable = ", ".join(model.dimensions_for_metric(metric.name)) or "none"
        hint = f"'{metric.name}' can be split by: {usable}."
    problems.add(
        f"'{metric.name}' ({metric.label}) can't be {verb} by '{dimension.name}' "
        f"({dimension.label}): it is counted per row of '{table}', and {why}.",
        hint,
    )


# --- order --------------------------------------------------------------------------------


def _order(
    spec: QuerySpec, metrics: tuple[Metric, ...], keys: tuple[GroupKey, ...], problems: _Problems
) -> tuple[tuple[str, bool], ...]:
    columns = [k.name for k in keys] + [m.name for m in metrics]
    if spec.share_of_total:
        columns += [m.name + SHARE_SUFFIX for m in metrics]
    if spec.periods:  # "which region grew the most": ranked by the change against the period before
        columns += [m.name + suffix for m in metrics for suffix in (CHANGE_SUFFIX, CHANGE_PCT_SUFFIX)]
    order: list[tuple[str, bool]] = []
    for item in spec.order_by:
        column = _order_column(item.field, keys, columns)
        if column is None:
            problems.add(
                f"Can't sort by '{item.field}': it is not a metric or a group-by of this question.",
                did_you_mean(item.field, columns) or f"Sort by one of: {', '.join(columns)}.",
            )
        elif column not in (c for c, _ in order):
            order.append((column, item.descending))
    if not order and spec.limit is not None and metrics:
        order.append((metrics[0].name, True))
    order += [(k.name, False) for k in keys if k.name not in (c for c, _ in order)]
    return tuple(order)


def _check_dated(sources: tuple[Source, ...], keys: tuple[GroupKey, ...], filters: tuple[ResolvedFilter, ...],
                 period: tuple[date | None, date | None] | None, problems: _Problems) -> None:
    """A metric of a table with no date (one file of customers as of now) has no 'when':
    a period, a trend or a time filter on it is refused, never silently dropped."""
    undated = sorted({m.table for s in sources if s.time_column is None for m in s.measures})
    timed = period is not None or any(k.dimension is None for k in keys) or any(f.dimension is None for f in filters)
    if undated and timed:
        problems.add(f"'{undated[0]}' has no date in the data, so its numbers can't be split or filtered by time.",
                     "Ask without a period or a trend (e.g. by one of its categories instead).")
    by_day = sorted({m.table for s in sources if s.time_column is not None and s.time_is_date for m in s.measures})
    if by_day and any(k.dimension is None and k.grain == TimeGrain.HOUR for k in keys):
        problems.add(f"'{by_day[0]}' is recorded by day, with no time of day, so it can't be split by hour.",
                     "Split it by day or by day of week instead.")


def _order_column(field: str, keys: tuple[GroupKey, ...], columns: list[str]) -> str | None:
    if field in columns:
        return field
    return next((k.name for k in keys if k.ref == field), None)


# --- sources ------------------------------------------------------------------------------


def _sources(metrics: tuple[Metric, ...], model: SemanticModel) -> tuple[Source, ...]:
    taken = set(model.table_names)
    grouped: dict[tuple[str, str | None], list[Measure]] = {}
    shares: list[Metric] = []
    for metric in metrics:
        for leaf in leaves(metric, model):
            if isinstance(leaf, Metric):
                if leaf not in shares:
                    shares.append(leaf)
                continue
            bucket = grouped.setdefault((leaf.table, leaf.time), [])
            if leaf not in bucket:
                bucket.append(leaf)
    sources = [
        _source(_unique(f"{table}_agg", taken), table, measures[0].time, tuple(measures), model)
        for (table, _), measures in grouped.items()
    ]
    for share in shares:
        assert share.share is not None
        measure = model.measure(share.share.measure)
        name = _unique(f"{share.name}_agg", taken)
        sources.append(_source(name, measure.table, measure.time, (measure,), model, share=share))
    return tuple(sources)


def _source(
    name: str,
    table: str,
    time: str | None,
    measures: tuple[Measure, ...],
    model: SemanticModel,
    share: Metric | None = None,
) -> Source:
    if time is None:
        return Source(name, table, None, None, False, measures, share)
    time_table, _, time_column = time.partition(".")
    column = model.table(time_table).column(time_column)
    is_date = column is not None and column.is_date
    return Source(name, table, time_table, time_column, is_date, measures, share)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate)
    return candidate
