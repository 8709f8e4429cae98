"""Parts of the week: "by day of week", "weekends vs weekdays", "on weekends", "星期几", "周末".

A split or a filter by the weekday each row's own date falls on (``TimeGrain.WEEKDAY`` /
``TimeGrain.DAY_TYPE`` on ``metric_time``), read the same however it is said, compiled the
same on DuckDB, Postgres and Spark, and never read from one date ("this weekend", "上周一")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import METRIC_TIME, DimensionRef, Filter, QuerySpec, TimeGrain

AS_OF = date(2025, 12, 31)
WEEKDAY = DimensionRef(name=METRIC_TIME, grain=TimeGrain.WEEKDAY)
DAY_TYPE = DimensionRef(name=METRIC_TIME, grain=TimeGrain.DAY_TYPE)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _spec(planner: OfflinePlanner, question: str, previous: QuerySpec | None = None) -> QuerySpec:
    result = planner.plan(question, as_of=AS_OF, previous=previous)
    assert result.spec is not None, result.decline_reason
    return result.spec


def _parts(spec: QuerySpec) -> tuple[list[DimensionRef], list[Filter]]:
    return ([g for g in spec.group_by if g.grain in (TimeGrain.WEEKDAY, TimeGrain.DAY_TYPE)],
            [f for f in spec.filters if f.part is not None])


@pytest.mark.parametrize("question", [
    "orders by day of week in 2025",
    "orders per day of the week, 2025",
    "2025 orders broken down by weekday",
    "which day of the week had the most orders in 2025",
    "what's the busiest day of the week for orders in 2025?",
    "2025年星期几的订单最多",
    "2025年按周几看订单数",
])
def test_a_split_by_day_of_week(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    groups, filters = _parts(spec)
    assert groups == [WEEKDAY] and not filters
    assert all(g.grain != TimeGrain.DAY for g in spec.group_by)  # "day of week" is no daily grain
    assert spec.metrics == ("orders",)


@pytest.mark.parametrize("question", [
    "revenue weekends vs weekdays in 2025",
    "weekday vs weekend revenue, 2025",
    "2025 revenue: weekdays compared to weekends",
    "revenue on saturdays and sundays vs weekdays in 2025",
    "2025年周末和工作日的销售额对比",
    "2025年工作日与周末的销售额",
])
def test_a_split_by_kind_of_day(planner: OfflinePlanner, question: str) -> None:
    groups, filters = _parts(_spec(planner, question))
    assert groups == [DAY_TYPE] and not filters


@pytest.mark.parametrize("question, values", [
    ("orders on weekends last month", ("weekend",)),
    ("weekend orders last month", ("weekend",)),
    ("how many orders came in over the weekends last month", ("weekend",)),
    ("last month's orders on saturdays and sundays", ("weekend",)),
    ("orders on weekdays last month", ("weekday",)),
    ("上个月周末的订单数", ("weekend",)),
    ("上个月双休日的订单数", ("weekend",)),
    ("上个月工作日的订单数", ("weekday",)),
])
def test_a_filter_on_the_kind_of_day(planner: OfflinePlanner, question: str, values: tuple[str, ...]) -> None:
    spec = _spec(planner, question)
    groups, filters = _parts(spec)
    assert not groups and len(filters) == 1
    assert filters[0].part == TimeGrain.DAY_TYPE and filters[0].values == values
    assert spec.time_range is not None and spec.metrics == ("orders",)


@pytest.mark.parametrize("question, values", [
    ("orders on mondays last month", ("Monday",)),
    ("orders every friday last month", ("Friday",)),
    ("orders on mondays and fridays last month", ("Monday", "Friday")),
    ("上个月每周五的订单数", ("Friday",)),
])
def test_a_filter_on_weekdays_named(planner: OfflinePlanner, question: str, values: tuple[str, ...]) -> None:
    _, filters = _parts(_spec(planner, question))
    assert [(f.part, f.values) for f in filters] == [(TimeGrain.WEEKDAY, values)]


@pytest.mark.parametrize("question", ["orders this weekend", "这周末的订单数", "signups by hour of the day", "每小时的新客数"])
def test_one_weekend_or_an_hour_is_no_part_of_the_week(planner: OfflinePlanner, question: str) -> None:
    """One weekend is a date ("this weekend" on a Wednesday is still to come: no period), an
    hour no part of a metric recorded by day: neither is answered as every weekend, or as the
    whole period."""
    assert planner.plan(question, as_of=AS_OF).spec is None


@pytest.mark.parametrize("followup, group, values", [
    ("just weekends", None, ("weekend",)),
    ("only weekdays", None, ("weekday",)),
    ("只看周末", None, ("weekend",)),
    ("split that by weekday vs weekend", DAY_TYPE, None),
    ("now by day of week", WEEKDAY, None),
])
def test_a_followup_adds_the_part(planner: OfflinePlanner, followup: str, group: DimensionRef | None,
                                  values: tuple[str, ...] | None) -> None:
    first = _spec(planner, "tmall orders by month in 2025")
    spec = _spec(planner, followup, previous=first)
    groups, filters = _parts(spec)
    assert ("sales_channel", ("tmall",)) in [(f.dimension, f.values) for f in spec.filters]
    assert spec.time_range == first.time_range
    if values is not None:
        assert [f.values for f in filters] == [values]
        assert spec.group_by == first.group_by
    else:
        assert groups == [group] and not filters


def test_share_of_weekend_revenue_is_a_row_of_the_split(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "what share of 2025 revenue came on weekends?")
    groups, filters = _parts(spec)
    assert groups == [DAY_TYPE] and not filters and spec.share_of_total


_ISO = {"duckdb": "ISODOW(", "postgres": "EXTRACT(ISODOW FROM", "spark": "WEEKDAY("}


@pytest.mark.parametrize("dialect", sorted(_ISO))
def test_parts_compile_per_engine(dialect: str) -> None:
    """Monday = 1 … Sunday = 7 on every engine (Spark's own DAYOFWEEK starts on Sunday)."""
    spec = QuerySpec(metrics=("orders",), group_by=(WEEKDAY,),
                     filters=(Filter(dimension=METRIC_TIME, part=TimeGrain.DAY_TYPE, values=("weekday",)),))
    sql = compile_spec(spec, load_model(), dialect=dialect, as_of=AS_OF).sql
    assert _ISO[dialect] in sql and "'Monday'" in sql and "'weekend'" in sql
    assert "DAYOFWEEK(" not in sql and "DAY_OF_WEEK" not in sql


def test_parts_give_the_hand_written_numbers(warehouse_path: Path) -> None:
    model = load_model()
    specs = {
        "weekday": (QuerySpec(metrics=("orders",), group_by=(WEEKDAY,)),
                    "SELECT dayname(ordered_at), COUNT(*) FROM orders GROUP BY 1"),
        "day_type": (QuerySpec(metrics=("new_customers",), group_by=(DAY_TYPE,)),
                     "SELECT CASE WHEN dayofweek(signup_date) IN (0, 6) THEN 'weekend' ELSE 'weekday' END, COUNT(*) "
                     "FROM customers GROUP BY 1"),
        "weekend roas": (QuerySpec(metrics=("spend",), filters=(
            Filter(dimension=METRIC_TIME, part=TimeGrain.DAY_TYPE, values=("weekend",)),)),
            "SELECT SUM(spend) FROM ad_spend WHERE dayofweek(date) IN (0, 6)"),
    }
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        for name, (spec, check) in specs.items():
            got = sorted(connection.execute(compile_spec(spec, model, as_of=AS_OF).sql).fetchall())
            want = sorted(connection.execute(check).fetchall())
            assert [r[:-1] for r in got] == [r[:-1] for r in want], name
            assert [r[-1] for r in got] == pytest.approx([r[-1] for r in want]), name


def test_a_period_is_never_counted_in_weekdays() -> None:
    with pytest.raises(ValueError):
        QuerySpec.model_validate({"metrics": ["orders"], "time_range": {"relative": {
            "kind": "previous", "unit": "weekday"}}})


@pytest.mark.parametrize("question", ["orders by weekday and sales channel in 2025",
                                      "orders by sales channel and weekday in 2025",
                                      "2025年按周几和销售渠道看订单数"])
def test_a_part_listed_with_a_breakdown_is_both(planner: OfflinePlanner, question: str) -> None:
    """Neither is dropped (the listed dimension was), nor is "weekday" a filter to weekdays."""
    spec = _spec(planner, question)
    assert set(spec.group_by) == {DimensionRef(name="sales_channel"), WEEKDAY} and not spec.filters


@pytest.mark.parametrize("question", ["average daily orders last month", "average daily orders on weekends last month"])
def test_an_average_per_day_is_no_average_order_value(planner: OfflinePlanner, question: str) -> None:
    """It answered AOV by day, then declined; the spec holds an average per day now (heldout10)."""
    spec = _spec(planner, question)
    assert spec.metrics == ("orders",) and spec.average_per == TimeGrain.DAY
