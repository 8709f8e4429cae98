"""The query spec: what a question means, in the semantic model's own words.

Everything that answers a question (the offline planner, the LLM agent, a tool, a test)
produces one of these and hands it to the compiler; nothing above the semantic layer writes
SQL for modelled data. The spec is frozen and validated with pydantic because it is also the
argument schema the LLM fills in: its JSON schema is what the model sees.

Names refer to the semantic model: metric names (``revenue``, ``roas``), dimension names
(``city``, ``channel``, ``sales_channel``) and the special time dimension ``metric_time``,
which means "each metric's own time column" (orders.ordered_at for revenue, ad_spend.date for
spend), so ``ROAS by month`` puts each part on its own clock.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

METRIC_TIME = "metric_time"
"""The time dimension every metric has: its own time column (warehouse contract glossary)."""


class TimeGrain(StrEnum):
    DAY = "day"
    WEEK = "week"  # weeks start on Monday (warehouse contract)
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    WEEKDAY = "weekday"
    """Not a period: the day of the week, 'Monday' … 'Sunday' (a breakdown or a filter value)."""
    DAY_TYPE = "day_type"
    """Not a period: 'weekday' (Monday-Friday) or 'weekend' (Saturday, Sunday)."""
    HOUR = "hour"
    """Not a period: the hour of the day a timestamp falls in, 0-23 (a breakdown only)."""


DATE_PARTS = frozenset({TimeGrain.WEEKDAY, TimeGrain.DAY_TYPE, TimeGrain.HOUR})
"""Grains that name a part of every week rather than a period: they group and filter, but
no period is measured in them ("last weekday" means nothing)."""

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""The values of the weekday part, Monday first (ISO day numbers 1-7)."""
DAY_TYPES = ("weekday", "weekend")
"""The values of the day_type part."""


def is_period_grain(grain: TimeGrain | None) -> bool:
    """A grain that cuts time into periods (day … year), not a part of the week."""
    return grain is not None and grain not in DATE_PARTS


_NESTED_IN: dict[TimeGrain, frozenset[TimeGrain]] = {
    TimeGrain.DAY: frozenset({TimeGrain.WEEK, TimeGrain.MONTH, TimeGrain.QUARTER, TimeGrain.YEAR}),
    TimeGrain.MONTH: frozenset({TimeGrain.QUARTER, TimeGrain.YEAR}),
    TimeGrain.QUARTER: frozenset({TimeGrain.YEAR}),
}


def nests_in(grain: TimeGrain, coarser: TimeGrain | None) -> bool:
    """Every ``grain`` period lies whole inside one ``coarser`` period: days in months, months in
    years; not weeks in months (a week may span two), so an average per week by month is no average
    of whole weeks.

    >>> nests_in(TimeGrain.DAY, TimeGrain.MONTH), nests_in(TimeGrain.WEEK, TimeGrain.MONTH)
    (True, False)
    """
    return coarser is not None and coarser in _NESTED_IN.get(grain, frozenset())


class FilterOp(StrEnum):
    EQ = "="
    NE = "!="
    IN = "in"
    NOT_IN = "not in"
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    BETWEEN = "between"
    LIKE = "like"
    IS_NULL = "is null"
    """The rows with no value ("purchases without a coupon code"); takes no values."""
    NOT_NULL = "is not null"
    """The rows with a value ("purchases with a coupon code"); takes no values."""


Scalar = str | int | float | bool | date | datetime


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DimensionRef(_Frozen):
    """A dimension to group by; time dimensions carry a grain."""

    name: str = Field(description="Dimension name from the semantic model, or 'metric_time'.")
    grain: TimeGrain | None = Field(
        default=None, description="Time grain, required for time dimensions; 'weekday' (Monday … Sunday) or "
                                  "'day_type' (weekday / weekend) split by the part of the week instead of periods."
    )


class Filter(_Frozen):
    """A condition on a dimension (never on a metric)."""

    dimension: str = Field(description="Dimension name from the semantic model.")
    part: TimeGrain | None = Field(
        default=None,
        description="Only for a time dimension or 'metric_time': compare this part of the date instead of "
                    "the date, 'weekday' (values 'Monday' … 'Sunday') or 'day_type' ('weekday' / 'weekend'): "
                    "'orders on weekends' is dimension 'metric_time', part 'day_type', values ['weekend'].",
    )
    op: FilterOp = Field(default=FilterOp.EQ)
    values: tuple[Scalar, ...] = Field(
        description="One value for =, !=, <, <=, >, >=, like; two for between; any for in; none for is null "
                    "and is not null."
    )

    @model_validator(mode="after")
    def _arity(self) -> Filter:
        wanted = {FilterOp.BETWEEN: 2, FilterOp.IN: None, FilterOp.NOT_IN: None, FilterOp.IS_NULL: 0,
                  FilterOp.NOT_NULL: 0}.get(self.op, 1)
        if wanted is None and not self.values:
            raise ValueError(f"filter on {self.dimension!r} with {self.op.value!r} needs values")
        if wanted is not None and len(self.values) != wanted:
            raise ValueError(
                f"filter on {self.dimension!r} with {self.op.value!r} takes {wanted} "
                f"value(s), got {len(self.values)}"
            )
        if self.part is not None and self.part not in (TimeGrain.WEEKDAY, TimeGrain.DAY_TYPE):
            raise ValueError(f"a filter's part is 'weekday' or 'day_type', not {self.part.value!r}")
        return self


class MetricFilter(_Frozen):
    """A condition on a metric's value per row of the breakdown (SQL HAVING): "campaigns with
    ROAS below 1", "销售额超过100万的城市". Rows are kept or dropped after the metric is
    computed per member, before any ranking cuts them to N."""

    metric: str = Field(description="A metric name that is also in this spec's metrics.")
    op: FilterOp = Field(description="One of <, <=, >, >=.")
    value: float = Field(description="The threshold in the metric's own unit (a rate as a fraction: 5% is 0.05).")

    @model_validator(mode="after")
    def _comparison(self) -> MetricFilter:
        _compares(self.metric, self.op)
        return self


def _compares(metric: str, op: FilterOp) -> None:
    """A threshold on a metric is a comparison (a list of values or a LIKE means nothing there)."""
    if op not in (FilterOp.LT, FilterOp.LE, FilterOp.GT, FilterOp.GE):
        raise ValueError(f"a condition on metric {metric!r} compares with <, <=, > or >=, not {op.value!r}")


MAX_PERIODS_BACK = 3650
"""The most units a relative period counts back ("last 3650 days")."""


class RelativeTime(_Frozen):
    """A period relative to the as-of date, per the warehouse contract.

    - ``trailing``: the ``n`` units ending on the as-of date, inclusive ("past 30 days").
    - ``previous``: the ``n`` full calendar periods before the current one ("last month").
    - ``current``: from the start of the period holding the as-of date to the as-of date
      ("this month", "year to date").
    """

    kind: Literal["trailing", "previous", "current"]
    unit: TimeGrain
    n: int = Field(default=1, ge=1, le=MAX_PERIODS_BACK)

    @model_validator(mode="after")
    def _a_period(self) -> RelativeTime:
        if self.unit in DATE_PARTS:
            raise ValueError(f"'{self.unit.value}' is a part of the week, not a period to count back in")
        return self

    def resolve(self, as_of: date) -> tuple[date, date]:
        """Return the inclusive ``(start, end)`` dates this period covers on ``as_of``."""
        if self.kind == "trailing":
            return _shift(as_of, self.unit, -self.n) + timedelta(days=1), as_of
        current_start = period_start(as_of, self.unit)
        if self.kind == "current":
            return current_start, as_of
        return _shift(current_start, self.unit, -self.n), current_start - timedelta(days=1)


class MemberCondition(_Frozen):
    """A condition on each member of an entity, over the question's own period and filters:
    "customers who placed more than 3 orders", "客户中消费超过5000元的". The metrics then count
    only the rows of members that meet it (SQL ``IN`` a per-member ``HAVING``), so "how many
    buyers" counts those customers and "revenue" is theirs alone. Members with none of the
    metric have no rows to count, so a condition they would meet (fewer than, at most) is
    refused: it could not say whether they are in. None of it at all ("customers who haven't
    ordered yet", ``= 0``) is the anti-join: the members (rows of the entity's own table) with
    no row ever, which needs no row to show them."""

    entity: str = Field(description="The table whose rows are the members, e.g. 'customers'; or 'table.column' "
                                    "when the members are the values of a column of the metric's own table "
                                    "(a file of order lines with a customer id).")
    metric: str = Field(description="A simple or ratio metric, computed per member over the spec's period and filters.")
    op: FilterOp = Field(description=">, >= or = with a positive number (a member with none of the metric never "
                                     "meets it): 'customers who ordered exactly once' is orders = 1. '= 0' is the "
                                     "members with none of it ever ('customers who never ordered', orders = 0): "
                                     "counted over all time and no filter, for a metric of the entity's own table "
                                     "(the customers counted), with a count metric.")
    value: float = Field(description="The threshold in the metric's own unit.")
    filters: tuple[Filter, ...] = Field(
        default=(),
        description="Conditions on the rows this condition counts, besides the spec's own filters: 'customers who "
                    "bought both skincare and makeup' is two conditions, orders >= 1 with category = 'skincare' "
                    "and orders >= 1 with category = 'makeup' (each member needs both; a list of values in one "
                    "filter would count members with either).",
    )

    @model_validator(mode="after")
    def _comparison(self) -> MemberCondition:
        if self.op != FilterOp.EQ:
            _compares(self.metric, self.op)
        return self


FIRST_TIME_VALUES = ("first-time", "returning")
"""The values of a first-time split: members whose first row ever falls in the period, and the rest."""


class FirstTime(_Frozen):
    """Members by when they first did something: "first-time buyers last month" are the
    customers whose first order ever (all time, no filters) falls in the question's period;
    "returning buyers" had one before it. Needs a period with a start."""

    entity: str = Field(description="The members' table, e.g. 'customers'.")
    metric: str = Field(description="A metric of the table whose first row counts, e.g. 'orders' (its time column).")
    keep: Literal["first", "returning", "split"] = Field(
        description="'first': only first-time members' rows; 'returning': only the others'; 'split': a breakdown "
                    "'first_time' with values 'first-time' / 'returning'.")


class TimeRange(_Frozen):
    """The period the metrics cover, on ``metric_time``; both ends inclusive."""

    start: date | None = Field(default=None, description="First day, inclusive.")
    end: date | None = Field(default=None, description="Last day, inclusive.")
    relative: RelativeTime | None = Field(
        default=None, description="A period relative to the as-of date, instead of start/end."
    )

    @model_validator(mode="after")
    def _one_form(self) -> TimeRange:
        if self.relative is not None and (self.start or self.end):
            raise ValueError("a time range is either relative or start/end, not both")
        if self.relative is None and self.start is None and self.end is None:
            raise ValueError("a time range needs start, end or relative")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"time range starts {self.start} after it ends {self.end}")
        return self

    def resolve(self, as_of: date) -> tuple[date | None, date | None]:
        """Inclusive ``(start, end)``; an open side is ``None``."""
        return self.relative.resolve(as_of) if self.relative else (self.start, self.end)


class OrderBy(_Frozen):
    """Sort by a metric or a group-by dimension of the same spec."""

    field: str = Field(description="A metric or group-by dimension name in this spec.")
    descending: bool = True


class QuerySpec(_Frozen):
    """A question in semantic terms: metrics, breakdown, filters, period, order, limit."""

    metrics: tuple[str, ...] = Field(min_length=1, description="Metric names to compute.")
    group_by: tuple[DimensionRef, ...] = Field(default=(), description="Breakdown dimensions.")
    filters: tuple[Filter, ...] = Field(default=(), description="Dimension conditions (AND).")
    time_range: TimeRange | None = Field(default=None, description="Period on metric_time.")
    order_by: tuple[OrderBy, ...] = Field(default=(), description="Sort order.")
    limit: int | None = Field(default=None, ge=1, le=100_000, description="Top-N row limit.")
    offset: int | None = Field(
        default=None, ge=1, le=100_000,
        description="With limit and order_by: rows skipped before the limit, for an ordinal: 'the 2nd best "
                    "channel by revenue' is order_by revenue descending, limit 1, offset 1; '第三高' offset 2.",
    )
    rank_within: str | None = Field(
        default=None,
        description="With limit and two or more group_by: a group_by dimension the limit applies within, "
                    "each of its members getting its own top N: 'top 2 campaigns in each channel' is group_by "
                    "[campaign_name, channel], rank_within 'channel', limit 2.",
    )
    with_ties: bool = Field(
        default=False,
        description="With limit and order_by: rows tied with the last one kept are kept too, so the limit counts "
                    "ranks, not rows: 'top 2 cities by orders, ties included', '前两名，并列的都列出来'.",
    )
    share_of_total: bool = Field(
        default=False,
        description="Also return each row's share of the column total (<metric>__share), for "
                    "additive metrics split by at least one dimension: 'share of revenue by channel'.",
    )
    periods: tuple[TimeRange, ...] = Field(
        default=(),
        description="Two or more periods side by side, instead of time_range: one row per period "
                    "(column 'period', its first day) and breakdown, with <metric>__change and "
                    "<metric>__change_pct against the period before it: 'Q3 vs Q4', 'this month vs "
                    "the same month last year', '同比', '环比'.",
    )

    having: tuple[MetricFilter, ...] = Field(
        default=(),
        description="Conditions on metric values per breakdown row, e.g. ROAS < 1 for 'campaigns with ROAS "
                    "below 1'. Needs a group_by; each metric must be in metrics; not with share_of_total or periods.",
    )

    count_members: bool = Field(
        default=False,
        description="With having and one group_by: return only how many rows of the breakdown meet it "
                    "(one row, column '<dimension>__count'): 'how many campaigns had ROAS above 3'.",
    )
    first_time: FirstTime | None = Field(
        default=None,
        description="First-time vs returning members ('first-time buyers', 'new vs returning customers', "
                    "'首次购买的客户', '新老客'): entity 'customers', metric 'orders'.",
    )
    average_per: TimeGrain | None = Field(
        default=None,
        description="Each metric's total per such period (day, week, month …), averaged over the periods of "
                    "the range that have any rows: 'average daily revenue', '日均订单数', 'average monthly "
                    "signups'. Additive metrics only; not with periods, shares, having or a time group-by.",
    )
    member_conditions: tuple[MemberCondition, ...] = Field(
        default=(),
        description="Conditions on each member of an entity (each customer) over the period and filters: "
                    "'customers with more than 3 orders' is entity 'customers', metric 'orders', op '>', value 3; "
                    "the metrics then count only those members' rows ('how many buyers' counts them).",
    )
    share_rows: tuple[Filter, ...] = Field(
        default=(),
        description="With share_of_total: the breakdown rows the question asked the share of ('what share of "
                    "revenue came from tmall' is revenue by sales_channel with shares, asking about "
                    "sales_channel = 'tmall'). Every row is still returned (the whole the shares are of); the "
                    "answer says these rows first. Equal/in conditions on group_by dimensions.",
    )

    @model_validator(mode="after")
    def _periods(self) -> QuerySpec:
        if self.periods and len(self.periods) < 2:
            raise ValueError("periods compares two or more periods; use time_range for one")
        if self.periods and self.time_range is not None:
            raise ValueError("a spec has either time_range or periods, not both")
        if self.periods and any(g.name == METRIC_TIME and is_period_grain(g.grain or TimeGrain.DAY)
                                for g in self.group_by):
            raise ValueError("periods already splits by time; drop the metric_time group-by")
        if self.average_per is not None and not is_period_grain(self.average_per):
            raise ValueError("average_per is a period grain: day, week, month, quarter or year")
        if self.share_rows and not self.share_of_total:
            raise ValueError("share_rows keeps rows after their shares are computed: it needs share_of_total")
        grouped = {g.name for g in self.group_by}
        for row in self.share_rows:
            if row.dimension not in grouped or row.part is not None or row.op not in (FilterOp.EQ, FilterOp.IN):
                raise ValueError(f"share_rows names rows of the breakdown with = or in: '{row.dimension}' isn't "
                                 "a group_by dimension compared that way")
        return self


def period_start(day: date, unit: TimeGrain) -> date:
    """First day of the calendar period (Monday-start weeks) that holds ``day``."""
    if unit == TimeGrain.DAY:
        return day
    if unit == TimeGrain.WEEK:
        return day - timedelta(days=day.weekday())
    if unit == TimeGrain.MONTH:
        return day.replace(day=1)
    if unit == TimeGrain.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def shift_period(day: date, unit: TimeGrain, n: int) -> date:
    """``day`` moved by ``n`` calendar units (month ends clamped)."""
    return _shift(day, unit, n)


def _shift(day: date, unit: TimeGrain, n: int) -> date:
    """Move ``day`` by ``n`` units, clamping month ends (Mar 31 - 1 month = Feb 28/29)."""
    if unit == TimeGrain.DAY:
        return day + timedelta(days=n)
    if unit == TimeGrain.WEEK:
        return day + timedelta(weeks=n)
    months = {TimeGrain.MONTH: 1, TimeGrain.QUARTER: 3, TimeGrain.YEAR: 12}[unit] * n
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
