"""First-time and returning buyers (``QuerySpec.first_time``): a buyer is first-time in a
period when their first order ever falls in it, returning when they ordered before it.

Read however it is said ("first-time buyers", "customers who bought for the first time",
"首次购买的客户", "第一次下单的客户", "老客", "新老客"); "new customers" stays signups and
"returning buyer rate" the repeat purchase rate; no period, no answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.errors import ModelError
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import DimensionRef, FirstTime, OrderBy, QuerySpec, TimeRange

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _spec(planner: OfflinePlanner, question: str, previous: QuerySpec | None = None) -> QuerySpec:
    result = planner.plan(question, as_of=AS_OF, previous=previous)
    assert result.spec is not None, result.decline_reason
    return result.spec


@pytest.mark.parametrize("question, metrics, keep", [
    ("how many first-time buyers did we get in Q3?", ("buyers",), "first"),
    ("number of first time customers in Q3 2025", ("buyers",), "first"),
    ("how many customers bought for the first time in Q3", ("buyers",), "first"),
    ("new buyers in Q3 2025", ("buyers",), "first"),
    ("2025年第三季度首次购买的客户数", ("buyers",), "first"),
    ("2025年第三季度第一次下单的顾客有多少", ("buyers",), "first"),
    ("2025年第三季度首购用户有多少", ("buyers",), "first"),
    ("revenue from returning customers in Q3 2025", ("revenue",), "returning"),
    ("how many returning buyers in Q3 2025", ("buyers",), "returning"),  # not repeat buyers: ordered before Q3
    ("Q3 2025 revenue from existing customers", ("revenue",), "returning"),
    ("2025年第三季度老客的销售额", ("revenue",), "returning"),
    ("2025年第三季度回头客贡献了多少销售额", ("revenue",), "returning"),
    ("Q3 2025 revenue, first-time vs returning buyers", ("revenue",), "split"),
    ("aov of new vs returning customers in Q3 2025", ("aov",), "split"),
    ("2025年第三季度新老客的客单价", ("aov",), "split"),
    ("2025年第三季度新客和老客的订单数", ("orders",), "split"),
])
def test_first_time_is_read_however_said(planner: OfflinePlanner, question: str, metrics: tuple[str, ...],
                                         keep: str) -> None:
    spec = _spec(planner, question)
    assert spec.first_time == FirstTime(entity="customers", metric="orders", keep=keep)  # type: ignore[arg-type]
    assert spec.metrics == metrics and not spec.member_conditions and spec.limit is None


@pytest.mark.parametrize("question, metric", [
    ("new customers in Q3 2025", "new_customers"),
    ("2025年第三季度的新客数", "new_customers"),
    ("returning buyer rate in Q3 2025", "repeat_purchase_rate"),
])
def test_the_models_own_words_keep_their_meaning(planner: OfflinePlanner, question: str, metric: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,) and spec.first_time is None


@pytest.mark.parametrize("question", ["first-time buyers", "revenue from returning customers",
                                      "how many first-time buyers are left-handed last month"])
def test_no_period_or_an_unknown_condition_declines(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question, as_of=AS_OF).spec is None


def test_a_share_from_returning_customers_is_their_row(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "what % of 2025 revenue came from returning customers")
    assert spec.share_of_total and spec.first_time is not None and spec.first_time.keep == "split"


def test_a_followup_keeps_first_time(planner: OfflinePlanner) -> None:
    first = _spec(planner, "first-time buyers last month")
    spec = _spec(planner, "and by city tier?", previous=first)
    assert spec.first_time == first.first_time and [g.name for g in spec.group_by] == ["city_tier"]


_FIRST = "WITH f AS (SELECT customer_id, MIN(ordered_at) AS first_at FROM orders GROUP BY 1) "
_Q3 = "o.ordered_at >= TIMESTAMP '2025-07-01' AND o.ordered_at < TIMESTAMP '2025-10-01'"


@pytest.mark.parametrize("keep, metric, check", [
    ("first", "buyers", _FIRST + "SELECT COUNT(*) FROM f WHERE first_at >= TIMESTAMP '2025-07-01' "
                                 "AND first_at < TIMESTAMP '2025-10-01'"),
    ("returning", "revenue", _FIRST + f"SELECT SUM(o.revenue) FROM orders o JOIN f USING (customer_id) "
                                      f"WHERE f.first_at < TIMESTAMP '2025-07-01' AND {_Q3}"),
    ("split", "orders", _FIRST + "SELECT CASE WHEN f.first_at >= TIMESTAMP '2025-07-01' THEN 'first-time' "
                                 f"ELSE 'returning' END, COUNT(*) FROM orders o JOIN f USING (customer_id) WHERE {_Q3} "
                                 "GROUP BY 1"),
])
def test_first_time_gives_the_hand_written_numbers(warehouse_path: Path, keep: str, metric: str, check: str) -> None:
    spec = QuerySpec(metrics=(metric,), time_range=TimeRange(start=date(2025, 7, 1), end=date(2025, 9, 30)),
                     first_time=FirstTime(entity="customers", metric="orders", keep=keep))  # type: ignore[arg-type]
    sql = compile_spec(spec, load_model(), as_of=AS_OF).sql
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        got, want = sorted(connection.execute(sql).fetchall()), sorted(connection.execute(check).fetchall())
    assert [r[:-1] for r in got] == [r[:-1] for r in want]
    assert [r[-1] for r in got] == pytest.approx([r[-1] for r in want])


@pytest.mark.parametrize("dialect", ["postgres", "spark"])
def test_first_time_compiles_per_engine(dialect: str) -> None:
    spec = QuerySpec(metrics=("revenue",), time_range=TimeRange(start=date(2025, 7, 1), end=date(2025, 9, 30)),
                     first_time=FirstTime(entity="customers", metric="orders", keep="split"))
    sql = compile_spec(spec, load_model(), dialect=dialect, as_of=AS_OF).sql
    assert "HAVING" in sql and "MIN(orders.ordered_at) >=" in sql and "'first-time'" in sql


@pytest.mark.parametrize("question, periods, months", [
    ("revenue last month compared to the previous month", 2, None),
    ("orders this quarter vs the previous quarter", 2, None),
    ("how did revenue last month compare with the month before? monthly numbers please", 0, (10, 11)),
    ("orders last quarter compared with the prior quarter, by month", 0, (4, 9)),
])
def test_the_period_before_is_never_dropped(planner: OfflinePlanner, question: str, periods: int,
                                            months: tuple[int, int] | None) -> None:
    spec = _spec(planner, question)
    assert len(spec.periods) == periods
    if months is not None:
        assert spec.time_range is not None
        start, end = spec.time_range.resolve(AS_OF)
        assert start is not None and end is not None and (start.month, end.month) == months


# --- a top N within each group (QuerySpec.rank_within) ---

@pytest.mark.parametrize("question, within, limit", [
    ("top 2 campaigns by spend in each channel this year", "channel", 2),
    ("best-selling product in each category by units sold in 2025", "category", 1),
    ("top 3 cities by revenue per region in 2025", "region", 3),
    ("今年每个品类销量最高的产品", "category", 1),
    ("今年各渠道花费最高的两个活动", "channel", 2),
])
def test_a_top_n_within_each_group(planner: OfflinePlanner, question: str, within: str, limit: int) -> None:
    spec = _spec(planner, question)
    assert spec.rank_within == within and spec.limit == limit and len(spec.group_by) == 2


def test_a_followup_keeps_the_top_n_within_each_group(planner: OfflinePlanner) -> None:
    first = _spec(planner, "top 2 campaigns by spend in each channel this year")
    spec = _spec(planner, "what about last year?", previous=first)
    assert spec.rank_within == "channel" and spec.limit == 2


def test_a_top_n_within_each_group_gives_the_hand_written_rows(warehouse_path: Path) -> None:
    spec = QuerySpec(metrics=("spend",), group_by=(DimensionRef(name="campaign_name"), DimensionRef(name="channel")),
                     time_range=TimeRange(start=date(2025, 1, 1), end=date(2025, 12, 31)),
                     order_by=(OrderBy(field="spend"),), limit=2, rank_within="channel")
    check = ("SELECT campaign_name, channel, spend FROM (SELECT c.campaign_name, c.channel, SUM(a.spend) AS spend, "
             "ROW_NUMBER() OVER (PARTITION BY c.channel ORDER BY SUM(a.spend) DESC) AS n FROM ad_spend a "
             "JOIN campaigns c USING (campaign_id) WHERE a.date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
             "GROUP BY 1, 2) WHERE n <= 2")
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        got = connection.execute(compile_spec(spec, load_model(), as_of=AS_OF).sql).fetchall()
        want = connection.execute(check).fetchall()
    assert sorted(r[:2] for r in got) == sorted(r[:2] for r in want) and len(got) == 16
    for dialect in ("postgres", "spark"):
        assert "ROW_NUMBER() OVER (PARTITION BY channel" in compile_spec(spec, load_model(), dialect=dialect,
                                                                          as_of=AS_OF).sql


@pytest.mark.parametrize("question", ["first-time buyers by month in 2025", "2025年每个月首次购买的客户数"])
def test_first_time_split_by_time_declines(planner: OfflinePlanner, question: str) -> None:
    """First within the whole year is not first within each month: never shown per month."""
    assert planner.plan(question, as_of=AS_OF).spec is None
    spec = QuerySpec(metrics=("buyers",), group_by=(DimensionRef(name="metric_time", grain="month"),),
                     time_range=TimeRange(start=date(2025, 1, 1), end=date(2025, 12, 31)),
                     first_time=FirstTime(entity="customers", metric="orders", keep="first"))
    with pytest.raises(ModelError):
        compile_spec(spec, load_model(), as_of=AS_OF)
