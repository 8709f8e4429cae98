"""Conditions on a metric per member ("campaigns with ROAS below 1", "销售额超过100万的城市"):
read as a HAVING on the breakdown when the members kept are the breakdown's, declined
otherwise. Metamorphic: the rows with the condition are exactly the rows of the same question
without it that meet it."""

from __future__ import annotations

import operator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.errors import ModelError
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import FilterOp, MetricFilter, QuerySpec

AS_OF = date(2025, 12, 31)
MODEL = load_model()
_COMPARE = {FilterOp.LT: operator.lt, FilterOp.LE: operator.le, FilterOp.GT: operator.gt, FilterOp.GE: operator.ge}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(MODEL)


@pytest.fixture(scope="module")
def demo(warehouse_path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse_path), read_only=True)


@pytest.mark.parametrize("question, without, condition, members", [
    ("which campaigns had roas below 1 in 2025", "roas by campaign in 2025",
     MetricFilter(metric="roas", op=FilterOp.LT, value=1), "campaign_name"),
    ("sales channels with more than 3,500 orders in 2025", "orders by sales channel in 2025",
     MetricFilter(metric="orders", op=FilterOp.GT, value=3500), "sales_channel"),
    ("销售额超过100万的城市", "各城市的销售额", MetricFilter(metric="revenue", op=FilterOp.GT, value=1e6), "city"),
    ("销售额在100万以上的城市有哪些", "各城市的销售额", MetricFilter(metric="revenue", op=FilterOp.GE, value=1e6), "city"),
    ("ROAS低于1的活动有哪些", "各活动的ROAS", MetricFilter(metric="roas", op=FilterOp.LT, value=1), "campaign_name"),
    ("cities where revenue exceeded 0.5m last year", "revenue by city last year",
     MetricFilter(metric="revenue", op=FilterOp.GT, value=5e5), "city"),
    ("conversion rate above 2% by campaign", "conversion rate by campaign",
     MetricFilter(metric="cvr", op=FilterOp.GT, value=0.02), "campaign_name"),
    ("which cities have fewer than 100 buyers this year", "buyers by city this year",
     MetricFilter(metric="buyers", op=FilterOp.LT, value=100), "city"),
])
def test_a_condition_keeps_the_rows_that_meet_it(planner: OfflinePlanner, demo: duckdb.DuckDBPyConnection,
                                                 question: str, without: str, condition: MetricFilter,
                                                 members: str) -> None:
    said, plain = _spec(planner, question), _spec(planner, without)
    assert said.having == (condition,) and [g.name for g in said.group_by] == [members]
    rows = _rows(demo, said, condition.metric, members)
    expected = {k: v for k, v in _rows(demo, plain, condition.metric, members).items()
                if k is not None and v is not None and _COMPARE[condition.op](v, condition.value)}
    assert rows == pytest.approx(expected) and 0 < len(rows) < len(_rows(demo, plain, condition.metric, members))


def test_a_ranking_cuts_after_the_condition(planner: OfflinePlanner, demo: duckdb.DuckDBPyConnection) -> None:
    spec = _spec(planner, "top 3 campaigns by revenue with roas above 2 in 2025")
    assert spec.limit == 3 and spec.order_by[0].field == "revenue"
    assert spec.having == (MetricFilter(metric="roas", op=FilterOp.GT, value=2),)
    rows = _rows(demo, spec, "roas", "campaign_name")
    assert len(rows) == 3 and all(v > 2 for v in rows.values())


@pytest.mark.parametrize("question", [
    "revenue by channel from customers with more than 5 orders",  # the condition is each customer's, split by channel
    "buyers over ¥500 by channel",  # a money amount on a count of people, said as no spending
    "revenue over 1m",  # no breakdown to keep rows of
    "revenue over 1m by month vs last year",  # compared periods
])
def test_a_condition_on_other_members_declines(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and result.decline_reason


def test_a_rate_said_without_its_percent_sign_says_so(planner: OfflinePlanner) -> None:
    result = planner.plan("which campaigns have a conversion rate above 2", as_of=AS_OF)
    assert result.spec is not None and result.spec.having[0].value == pytest.approx(0.02)
    assert any("2%" in note for note in result.notes)


@pytest.mark.parametrize("spec, problem", [
    (QuerySpec(metrics=("revenue",), having=(MetricFilter(metric="revenue", op=FilterOp.GT, value=1),)),
     "breakdown"),
    (QuerySpec(metrics=("revenue",), group_by=({"name": "city"},),  # type: ignore[arg-type]
               having=(MetricFilter(metric="orders", op=FilterOp.GT, value=1),)), "orders"),
    (QuerySpec(metrics=("revenue",), group_by=({"name": "city"},), share_of_total=True,  # type: ignore[arg-type]
               having=(MetricFilter(metric="revenue", op=FilterOp.GT, value=1),)), "share"),
])
def test_conditions_the_compiler_refuses_name_the_fix(spec: QuerySpec, problem: str) -> None:
    with pytest.raises(ModelError) as raised:
        compile_spec(spec, MODEL, as_of=AS_OF)
    assert problem in str(raised.value)


def test_a_metric_condition_compares_only() -> None:
    with pytest.raises(ValueError, match="compares with"):
        MetricFilter(metric="revenue", op=FilterOp.IN, value=1)


def _spec(planner: OfflinePlanner, question: str) -> QuerySpec:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    return result.spec


def _rows(demo: duckdb.DuckDBPyConnection, spec: QuerySpec, metric: str, members: str) -> dict[str, float]:
    compiled = compile_spec(spec, MODEL, as_of=AS_OF)
    frame = demo.execute(compiled.sql).fetchdf()
    return dict(zip(frame[members], frame[metric], strict=True))


def test_the_number_counts_the_noun_after_it_not_the_verb(planner: OfflinePlanner) -> None:
    """"sold more than 1000 units": units sold > 1000 per product (the verb "sold" is revenue,
    which can't be split by product: it was declined)."""
    spec = _spec(planner, "which products have sold more than 1000 units this year")
    assert spec.metrics == ("units_sold",) and spec.having == (MetricFilter(metric="units_sold", op=FilterOp.GT,
                                                                                 value=1000),)


@pytest.mark.parametrize("question", ["revenue by city for cities with more than 500 buyers",
                                      "cities with AOV higher than 350", "客单价低于300的城市"])
def test_a_comparison_with_a_number_is_no_superlative(planner: OfflinePlanner, question: str) -> None:
    """"more than 500 buyers" had cut the answer to the top 1 city."""
    spec = _spec(planner, question)
    assert spec.limit is None and spec.having


@pytest.mark.parametrize("question", ["average roas of campaigns with more than 1000 clicks",
                                      "total revenue of cities with more than 500 buyers"])
def test_one_number_over_the_rows_that_meet_a_condition_declines(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and "combine" in (result.decline_reason or "")


def test_zero_beside_another_fact_keeps_members_with_none(planner: OfflinePlanner,
                                                          demo: duckdb.DuckDBPyConnection) -> None:
    spec = _spec(planner, "campaigns with spend in 2025 but zero attributed orders")
    assert spec.having == (MetricFilter(metric="attributed_orders", op=FilterOp.LE, value=0),)
    rows = _rows(demo, spec, "attributed_orders", "campaign_name")
    assert rows and set(rows.values()) == {0}


def test_money_spent_is_asked_beside_a_zero(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "campaigns that spent money this year but got zero attributed orders")
    assert spec.metrics == ("spend", "attributed_orders") and spec.having[0].value == 0


@pytest.mark.parametrize("question", ["cities with zero orders last month", "campaigns with zero attributed orders"])
def test_zero_alone_declines(planner: OfflinePlanner, question: str) -> None:
    """A member with no orders has no order rows: the condition alone would answer 'none'."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and "zero" in (result.decline_reason or "")


@pytest.mark.parametrize("question", ["how many offline stores do we have", "各城市有多少家门店"])
def test_a_place_is_no_kind_of_row_to_count(planner: OfflinePlanner, question: str) -> None:
    """"how many offline stores": orders through the offline-store channel are no store count."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None


@pytest.mark.parametrize("question, listing", [
    ("how many campaigns had roas above 3 in 2025", "which campaigns had roas above 3 in 2025"),
    ("number of cities with revenue above 1 million", "cities with revenue above 1 million"),
    ("ROAS超过3的活动有几个", "ROAS超过3的活动有哪些"),
    ("有多少个城市的销售额超过100万", "销售额超过100万的城市"),
    ("how many sales channels had more than 3500 orders in 2025", "sales channels with more than 3,500 orders in 2025"),
])
def test_how_many_members_meet_it_is_their_count(planner: OfflinePlanner, demo: duckdb.DuckDBPyConnection,
                                                 question: str, listing: str) -> None:
    """Metamorphic: the count is the number of rows the listing question returns."""
    counted, listed = _spec(planner, question), _spec(planner, listing)
    assert counted.count_members and not listed.count_members
    assert counted.having == listed.having and counted.group_by == listed.group_by
    (row,) = demo.execute(compile_spec(counted, MODEL, as_of=AS_OF).sql).fetchall()
    rows = demo.execute(compile_spec(listed, MODEL, as_of=AS_OF).sql).fetchall()
    assert row == (len(rows),) and rows


def test_counting_members_needs_a_condition_and_one_breakdown() -> None:
    for spec in (QuerySpec(metrics=("revenue",), group_by=({"name": "city"},),  # type: ignore[arg-type]
                           count_members=True),
                 QuerySpec(metrics=("revenue",), group_by=({"name": "city"}, {"name": "gender"}),  # type: ignore[arg-type]
                           having=(MetricFilter(metric="revenue", op=FilterOp.GT, value=1),), count_members=True)):
        with pytest.raises(ModelError, match="exactly one"):
            compile_spec(spec, MODEL, as_of=AS_OF)
