"""The semantic model: what the warehouse's tables mean, in a marketer's words.

A model is data (YAML, see ``models/demo.yaml``) validated by these pydantic classes with
``extra="forbid"``: tables with their many-to-one relationships, dimensions (globally unique
names), measures (one aggregation over one table, on one time column), metrics (simple,
ratio, derived, share) and semantic roles for the analytics tools. Join paths are never
written down: the compiler derives them from the relationships (see ``graph.py``).

Cross-reference checks (unknown names, cycles, reachability) live in ``validation.py`` and
run in ``loader.load_model``; the lookups here assume a model that passed them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from genbi.errors import ModelError

from .expressions import parse_expression, referenced_columns
from .graph import JoinGraph
from .query_spec import TimeGrain
from .suggest import did_you_mean

_T = TypeVar("_T")

Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=63)]
"""Model names are lower-case SQL-safe identifiers: they become output column names."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Described(_Strict):
    """A named thing and the words people use for it, in English and Chinese."""

    name: Name
    label: str = Field(description="Display name in English, e.g. 'Revenue'.")
    label_zh: str = Field(description="Display name in Chinese, e.g. '销售额'.")
    description: str = Field(description="What it means, precisely, in one or two sentences.")
    synonyms: tuple[str, ...] = Field(default=(), description="Other words (en and zh).")


# --- tables -------------------------------------------------------------------------------


class Column(_Strict):
    name: Name
    type: str = Field(description="Warehouse type, e.g. BIGINT, VARCHAR, DATE, TIMESTAMP.")
    description: str = ""
    source: str | None = Field(
        default=None, description="The warehouse's own column name when it is not a clean "
        "lower-case name ('Policy Number', 'Order'); genbi reads it under ``name``.")
    date_format: str | None = Field(
        default=None, description="The warehouse keeps this date as text in this strptime "
        "format ('%m/%d/%Y %H:%M'); genbi reads it as the column's DATE/TIMESTAMP type.")
    parts: tuple[Name, ...] | None = Field(
        default=None, min_length=2, max_length=3,
        description="The warehouse keeps this date split into columns of this table: the year, "
        "the month (a number or a name such as 'July') and, optionally, the day of the month, in "
        "that order; genbi reads them as one DATE (the first of the month without a day).")

    @property
    def is_temporal(self) -> bool:
        return self.type.upper().split("(")[0] in {"DATE", "TIMESTAMP", "DATETIME"}

    @property
    def is_date(self) -> bool:
        return self.type.upper() == "DATE"


class Relationship(_Strict):
    """A many-to-one link: ``column`` on this table references ``to`` (its primary key)."""

    column: Name = Field(description="Foreign key column on this table.")
    to: Name = Field(description="The parent table (the 'one' side).")
    to_column: Name | None = Field(default=None, description="Defaults to the parent's key.")


class Table(_Strict):
    name: Name
    description: str
    source: str | None = Field(
        default=None, description="The warehouse's own table name (or file stem) when it is "
        "not a clean lower-case name ('Policy Holder'); genbi reads it under ``name``.")
    primary_key: Name | None = None
    columns: tuple[Column, ...] = Field(min_length=1)
    many_to_one: tuple[Relationship, ...] = ()

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# --- dimensions ---------------------------------------------------------------------------


class DimensionType(StrEnum):
    CATEGORICAL = "categorical"
    BOOLEAN = "boolean"
    TIME = "time"
    NUMBER = "number"
    """Compared with numbers ("age under 25", "25-34岁"), not listed by value."""


class DimensionValue(_Strict):
    """A frequent value of a categorical dimension and the words for it."""

    value: str | int | bool
    label: str | None = None
    label_zh: str | None = None
    synonyms: tuple[str, ...] = ()


class Dimension(Described):
    type: DimensionType = DimensionType.CATEGORICAL
    table: Name
    column: Name | None = Field(default=None, description="The column; or give expr.")
    expr: str | None = Field(default=None, description="SQL over the table's columns.")
    grains: tuple[TimeGrain, ...] = Field(
        default=(), description="Time dimensions: the grains it may be grouped by (all if empty)."
    )
    pii: bool = Field(default=False, description="Personal data: never grouped or filtered on.")
    values: tuple[DimensionValue, ...] = ()
    null_label: str | None = Field(
        default=None, description="What rows with no value are called, e.g. 'no campaign (organic)'."
    )
    null_label_zh: str | None = Field(default=None, description="The same in Chinese, e.g. '无活动（自然）'.")

    @property
    def allowed_grains(self) -> tuple[TimeGrain, ...]:
        return self.grains or tuple(TimeGrain)


# --- measures and metrics -----------------------------------------------------------------


class Aggregation(StrEnum):
    SUM = "sum"
    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    AVG = "avg"
    MIN = "min"
    MAX = "max"


class Measure(_Strict):
    """One aggregation over one table's rows, on one time column."""

    name: Name
    description: str = ""
    table: Name
    agg: Aggregation
    expr: str = Field(description="SQL over the table's columns, e.g. 'quantity * unit_price'.")
    filter: str | None = Field(default=None, description="SQL condition on the table's rows.")
    time: str | None = Field(
        default=None,
        description="'table.column' of its time; the table may be a parent. None for a table "
        "with no date (one file of customers or contacts as of now): its metrics are then "
        "never split or filtered by time.",
    )
    fill_nulls_with: float | None = Field(
        default=None,
        description="Value for groups without rows when joined to other metrics; counts: 0.",
    )

    @property
    def null_fill(self) -> float | None:
        if self.fill_nulls_with is not None:
            return self.fill_nulls_with
        return 0 if self.agg in (Aggregation.COUNT, Aggregation.COUNT_DISTINCT) else None


class MetricType(StrEnum):
    SIMPLE = "simple"
    RATIO = "ratio"
    DERIVED = "derived"
    SHARE = "share"


class MetricFormat(StrEnum):
    CURRENCY = "currency"
    PERCENT = "percent"
    NUMBER = "number"
    RATIO = "ratio"


class ShareOp(StrEnum):
    GE = ">="
    GT = ">"
    EQ = "="
    LE = "<="
    LT = "<"


class Share(_Strict):
    """Share of the members of ``entity`` whose per-member ``measure`` meets a condition.

    Repeat purchase rate: of the customers who ordered in the period (each group), the share
    with ``orders >= 2`` in that same period (and group).
    """

    entity: Name = Field(description="Column on the measure's table naming the members.")
    measure: Name = Field(description="Measure aggregated per member.")
    op: ShareOp = ShareOp.GE
    value: float


class Metric(Described):
    type: MetricType
    format: MetricFormat = MetricFormat.NUMBER
    measure: Name | None = Field(default=None, description="simple: the measure.")
    numerator: Name | None = Field(default=None, description="ratio: the numerator measure.")
    denominator: Name | None = Field(default=None, description="ratio: the denominator measure.")
    expr: str | None = Field(default=None, description="derived: SQL over other metric names.")
    share: Share | None = Field(default=None, description="share: the condition.")


# --- the model ----------------------------------------------------------------------------


class CloseReading(_Strict):
    """Words that honestly mean two or more metrics ("花了多少钱": what customers spent or
    what we spent on ads). The planner picks one from the rest of the question, or asks."""

    words: tuple[str, ...] = Field(min_length=1)
    metrics: tuple[Name, ...] = Field(min_length=2)


class SemanticModel(_Strict):
    """The whole model. Build it with ``loader.load_model`` (which validates references)."""

    name: Name
    description: str = ""
    tables: tuple[Table, ...] = Field(min_length=1)
    dimensions: tuple[Dimension, ...] = ()
    measures: tuple[Measure, ...] = ()
    metrics: tuple[Metric, ...] = ()
    roles: dict[str, str] = Field(
        default_factory=dict,
        description="Semantic role -> 'table' or 'table.column', for the analytics tools.",
    )
    currency: str | None = Field(
        default=None, max_length=8,
        description="Symbol money is shown with ('¥', '€', '$'); none shows plain numbers.",
    )
    calendar: Literal["cn", "western", "none"] | None = Field(
        default=None, description="The retail calendar of the data's market, for the festivals the "
        "anomaly tool expects: 'cn' (双11, 618, 春节 …), 'western' (Black Friday, Christmas …) or 'none'; "
        "unset: China's where money is yuan or the names are Chinese, else the Western one.",
    )
    brand: str | None = Field(
        default=None, max_length=20,
        description="Sender name marketing copy is signed with; a drafted model has none (copy then "
        "signs with a placeholder the marketer fills in, never another company's name).",
    )
    close_readings: tuple[CloseReading, ...] = Field(
        default=(), description="Words with two meanings, answered by asking which is meant."
    )

    _tables: dict[str, Table] = PrivateAttr(default_factory=dict)
    _dimensions: dict[str, Dimension] = PrivateAttr(default_factory=dict)
    _measures: dict[str, Measure] = PrivateAttr(default_factory=dict)
    _metrics: dict[str, Metric] = PrivateAttr(default_factory=dict)
    _graph: JoinGraph | None = PrivateAttr(default=None)
    _derived: dict[Any, Any] = PrivateAttr(default_factory=lambda: _Derived())
    """What lookups work out from the (frozen) model, kept: a metric's measures and tables,
    whether it can be split or filtered by a dimension, facts the planner derives
    (``derived``). Only answers are kept, never a lookup that raised."""

    def model_post_init(self, context: object, /) -> None:
        self._tables = {t.name: t for t in self.tables}
        self._dimensions = {d.name: d for d in self.dimensions}
        self._measures = {m.name: m for m in self.measures}
        self._metrics = {m.name: m for m in self.metrics}
        self._graph = None
        self._derived = _Derived()

    def derived(self, key: Hashable, build: Callable[[], _T]) -> _T:
        """``build()``, worked out once per model (the model is frozen): facts the planner
        derives from the model alone, never from a question. ``key`` names the fact."""
        try:
            found: _T = _private(self)["_derived"][key]
            return found
        except KeyError:
            found = _private(self)["_derived"][key] = build()
            return found

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> SemanticModel:
        """A copy with ``update`` applied, its lookups rebuilt (not validated again)."""
        copied = super().model_copy(update=update, deep=deep)
        copied.model_post_init(None)
        return copied

    # -- lookups that raise a ModelError a user can act on --

    def table(self, name: str) -> Table:
        return _get(_private(self)["_tables"], name, "table")

    def dimension(self, name: str) -> Dimension:
        return _get(_private(self)["_dimensions"], name, "dimension", lambda: self._synonyms(self.dimensions))

    def measure(self, name: str) -> Measure:
        return _get(_private(self)["_measures"], name, "measure")

    def metric(self, name: str) -> Metric:
        return _get(_private(self)["_metrics"], name, "metric", lambda: self._synonyms(self.metrics))

    def has_metric(self, name: str) -> bool:
        return name in _private(self)["_metrics"]

    def has_dimension(self, name: str) -> bool:
        return name in _private(self)["_dimensions"]

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(_private(self)["_tables"])

    @property
    def metric_names(self) -> tuple[str, ...]:
        return tuple(_private(self)["_metrics"])

    @property
    def dimension_names(self) -> tuple[str, ...]:
        return tuple(_private(self)["_dimensions"])

    # -- the join graph and reachability --

    @property
    def graph(self) -> JoinGraph:
        private = _private(self)
        if private["_graph"] is None:
            private["_graph"] = JoinGraph.from_edges(
                (t.name, r.column, r.to, r.to_column or self._parent_key(r.to))
                for t in self.tables
                for r in t.many_to_one
            )
        graph: JoinGraph = private["_graph"]
        return graph

    def _parent_key(self, table: str) -> str:
        parent = _private(self)["_tables"].get(table)
        return (parent.primary_key if parent else None) or "?"

    def metric_measures(self, metric: str) -> tuple[Measure, ...]:
        """The measures a metric is computed from (derived metrics: of their inputs)."""
        key = ("metric_measures", metric)
        known = _private(self)["_derived"].get(key)
        if known is None:
            known = _private(self)["_derived"][key] = self._metric_measures(metric)
        measures: tuple[Measure, ...] = known
        return measures

    def _metric_measures(self, metric: str) -> tuple[Measure, ...]:
        names: list[str] = []
        for measure in self._measure_names(self.metric(metric), ()):
            if measure not in names:
                names.append(measure)
        return tuple(self.measure(n) for n in names)

    def _measure_names(self, metric: Metric, seen: tuple[str, ...]) -> list[str]:
        if metric.name in seen:
            return []
        if metric.type == MetricType.SIMPLE:
            return [metric.measure or ""]
        if metric.type == MetricType.RATIO:
            return [metric.numerator or "", metric.denominator or ""]
        if metric.type == MetricType.SHARE:
            return [metric.share.measure] if metric.share else []
        names: list[str] = []
        for ref in derived_inputs(metric.expr or ""):
            if ref in _private(self)["_metrics"]:
                names += self._measure_names(_private(self)["_metrics"][ref], (*seen, metric.name))
        return names

    def measure_tables(self, metric: str) -> tuple[str, ...]:
        """Tables whose rows a metric aggregates (one per measure, deduplicated)."""
        key = ("measure_tables", metric)
        known = _private(self)["_derived"].get(key)
        if known is None:
            known = _private(self)["_derived"][key] = tuple(dict.fromkeys(m.table for m in self.metric_measures(metric)))
        tables: tuple[str, ...] = known
        return tables

    def dimension_reachable(self, table: str, dimension: str) -> bool:
        """Can rows of ``table`` be labelled with ``dimension`` through many-to-one joins?"""
        return self.graph.reachable(table, self.dimension(dimension).table)

    def adds_up(self, metric: str, dimensions: Sequence[str]) -> bool:
        """True if ``metric``'s rows split by ``dimensions`` add up to its total.

        Sums and counts always do. A distinct count of a parent's key does when every split
        is an attribute of that parent: each buyer has one city, so buyers by city add up to
        all buyers (buyers by sales channel don't: one buyer orders on several).
        """
        definition = self.metric(metric)
        if definition.type != MetricType.SIMPLE or not definition.measure:
            return False
        measure = self.measure(definition.measure)
        if measure.agg in (Aggregation.SUM, Aggregation.COUNT):
            return True
        if measure.agg != Aggregation.COUNT_DISTINCT or measure.filter:
            return False
        key = measure.expr.strip().split(".")[-1]
        parents = [link.to for link in self.table(measure.table).many_to_one if link.column == key]
        splits = [d for d in dimensions if d not in ("metric_time", "period")]
        return bool(parents) and bool(splits) and all(self.dimension(d).table == parents[0] for d in splits)

    def can_group_by(self, metric: str, dimension: str) -> bool:
        """True if every part of ``metric`` can be split by ``dimension`` without fan-out."""
        if dimension == "metric_time":
            return True
        key = ("can_group_by", metric, dimension)
        known = _private(self)["_derived"].get(key)
        if known is None:
            known = _private(self)["_derived"][key] = all(self.dimension_reachable(t, dimension) for t in self.measure_tables(metric))
        can: bool = known
        return can

    def can_filter_by(self, metric: str, dimension: str) -> bool:
        """True if ``metric`` can be filtered by ``dimension``: directly, or through a finer
        table as "rows that contain such a row" (orders containing a skincare item)."""
        if dimension == "metric_time" or self.can_group_by(metric, dimension):
            return True
        key = ("can_filter_by", metric, dimension)
        known = _private(self)["_derived"].get(key)
        if known is None:
            target = self.dimension(dimension).table
            known = _private(self)["_derived"][key] = all(
                self.graph.reachable(t, target) or self.graph.bridge(t, target, self.table_names)
                for t in self.measure_tables(metric)
            )
        can: bool = known
        return can

    def dimensions_for_metric(self, metric: str, *, include_pii: bool = False) -> tuple[str, ...]:
        """Dimension names ``metric`` can be grouped and filtered by, in model order."""
        return tuple(
            d.name
            for d in self.dimensions
            if (include_pii or not d.pii) and self.can_group_by(metric, d.name)
        )

    def metrics_for_dimension(self, dimension: str) -> tuple[str, ...]:
        """Metric names that can be split by ``dimension``, in model order."""
        return tuple(m.name for m in self.metrics if self.can_group_by(m.name, dimension))

    # -- words --

    def synonym_index(self) -> dict[str, tuple[str, str]]:
        """Lower-cased name, label, label_zh or synonym -> ('metric' | 'dimension', name)."""
        index: dict[str, tuple[str, str]] = {}
        for kind, items in (("metric", self.metrics), ("dimension", self.dimensions)):
            for item in items:
                for word in (item.name, item.label, item.label_zh, *item.synonyms):
                    index.setdefault(word.lower(), (kind, item.name))
        return index

    def resolve_value(self, dimension: str, text: str | int | bool) -> str | int | bool | None:
        """The canonical value of ``dimension`` that ``text`` names (value, label, synonym)."""
        wanted = str(text).strip().lower()
        for value in self.dimension(dimension).values:
            words = (str(value.value), value.label or "", value.label_zh or "", *value.synonyms)
            if wanted in (w.lower() for w in words):
                return value.value
        return None

    # -- roles --

    def role(self, role: str) -> str:
        """The 'table' or 'table.column' a semantic role maps to."""
        return _get(self.roles, role, "semantic role")

    def role_column(self, role: str) -> tuple[str, str]:
        """``(table, column)`` for a column role such as 'order_time'."""
        target = self.role(role)
        table, _, column = target.partition(".")
        if not column:
            raise ModelError(
                f"The semantic role '{role}' names the table '{table}', not a column.",
                "Use a column role, e.g. 'order_time', or call role() for table roles.",
            )
        return table, column

    def role_table(self, role: str) -> str:
        """The table of a role ('customer_entity' -> 'customers', 'order_time' -> 'orders')."""
        return self.role(role).partition(".")[0]

    @staticmethod
    def _synonyms(items: Iterable[Described]) -> dict[str, str]:
        words: dict[str, str] = {}
        for item in items:
            for word in (item.label, item.label_zh, *item.synonyms):
                words.setdefault(word.lower(), item.name)
        return words


def derived_inputs(expr: str) -> tuple[str, ...]:
    """Metric names a derived metric's expression refers to, in order of appearance."""
    if not expr.strip():
        return ()
    try:
        return referenced_columns(parse_expression(expr))
    except ModelError:
        return ()


def _private(model: SemanticModel) -> dict[str, Any]:
    """A model's private lookups, read directly: through pydantic's attribute fallback a read
    costs ~2 µs, and answering a question reads them a few hundred times (no ``typing.cast``
    either: a Python call per read for nothing)."""
    private: dict[str, Any] = model.__pydantic_private__  # type: ignore[assignment]
    return private


class _Derived(dict[Any, Any]):
    """``SemanticModel.derived``'s store: what was worked out is no part of the model, so
    two models are equal whatever either has worked out."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Derived)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, _Derived)

    __hash__ = None


def _get(
    items: dict[str, _T],
    name: str,
    kind: str,
    words: Callable[[], dict[str, str]] | None = None,
) -> _T:
    if name in items:
        return items[name]
    by_word = words().get(name.lower()) if words else None
    hint = (
        f"Did you mean '{by_word}'?"
        if by_word
        else did_you_mean(name, items) or f"Known {kind}s: {', '.join(sorted(items)) or 'none'}."
    )
    raise ModelError(f"Unknown {kind} '{name}'.", hint)


def counts_rows_of(model: SemanticModel, metric: str, table: str) -> bool:
    """``metric`` is the plain count of ``table``'s rows by its key (no filter)."""
    definition = model.metric(metric)
    if definition.type != MetricType.SIMPLE or definition.measure is None:
        return False
    measure = model.measure(definition.measure)
    key = model.table(table).primary_key
    counted = (key, f"{table}.{key}") if key is not None else ("1", "*")  # a keyless file counts its rows
    return (measure.table == table and measure.agg.value in ("count", "count_distinct")
            and measure.filter is None and measure.expr.strip() in counted)
