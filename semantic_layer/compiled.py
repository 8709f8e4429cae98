"""What the compiler hands back: the SQL, what each output column is, and the period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from .query_spec import QuerySpec, TimeGrain

if TYPE_CHECKING:
    from sqlglot import exp


@dataclass(frozen=True)
class OutputColumn:
    """One column of a compiled query's result, in result order."""

    name: str
    """The SQL column name: a dimension name (``channel``), ``<time>__<grain>``
    (``metric_time__month``, ``signup_date__week``) or a metric name (``roas``)."""
    kind: Literal["dimension", "metric"]
    ref: str
    """The dimension name (``metric_time`` for metric time) or the metric name."""
    grain: TimeGrain | None = None
    """For time dimensions: the grain of the period start dates in this column."""
    label: str = ""
    label_zh: str = ""
    format: str | None = None
    """For metrics: currency, percent, number or ratio (how to display the values)."""


@dataclass(frozen=True)
class CompiledQuery:
    """A query spec compiled to SQL for one dialect (nothing has run)."""

    sql: str
    """Readable (pretty-printed) SQL, deterministic for a given spec, model and as-of."""
    columns: tuple[OutputColumn, ...]
    """Output columns in order: group-by dimensions, then metrics."""
    time_range: tuple[date | None, date | None] | None
    """The resolved period, both ends inclusive (``None`` sides are open); ``None`` if the
    spec had no time range."""
    dialect: str
    spec: QuerySpec
    tables: tuple[str, ...]
    """Warehouse tables the SQL reads (for the guard's allow-list and for display)."""
    tree: exp.Expr | None = field(default=None, compare=False, repr=False)
    """The sqlglot tree ``sql`` was rendered from (rendering it again gives ``sql``): the
    guard checks it instead of parsing ``sql`` again (``guard(built=...)``). Shared by every
    run of this query: never change it."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)
