"""Conditions on each member that a metric counts ("how many customers placed more than 3
orders", "2025年消费超过5000元的客户有多少"): read as a member condition, compiled as the rows
of the members whose own total meets it. Checked against independent SQL on the test
warehouse; rewordings give the same spec; a condition members with none would meet, or a
breakdown that splits one member's rows, declines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.assistant.interpretation import interpret
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.errors import ModelError
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import FilterOp, MemberCondition, QuerySpec

AS_OF = date(2025, 12, 31)
MODEL = load_model()
Y2025 = "o.ordered_at >= DATE '2025-01-01' AND o.ordered_at < DATE '2026-01-01'"


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(MODEL)


@pytest.fixture(scope="module")
def demo(warehouse_path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse_path), read_only=True)


def _members(having: str, where: str = Y2025) -> str:
    return f"SELECT o.customer_id FROM orders o WHERE {where} GROUP BY 1 HAVING {having}"


@pytest.mark.parametrize("question, condition, gold", [
    ("how many customers placed more than 3 orders in 2025",
     MemberCondition(entity="customers", metric="orders", op=FilterOp.GT, value=3),
     f"SELECT COUNT(*) FROM ({_members('COUNT(*) > 3')})"),
    ("number of customers with at least 2 orders in 2025",
     MemberCondition(entity="customers", metric="orders", op=FilterOp.GE, value=2),
     f"SELECT COUNT(*) FROM ({_members('COUNT(*) >= 2')})"),
    ("how many customers spent over 3000 in 2025",
     MemberCondition(entity="customers", metric="revenue", op=FilterOp.GT, value=3000),
     f"SELECT COUNT(*) FROM ({_members('SUM(revenue) > 3000')})"),
    ("有多少客户在2025年消费超过5000元",
     MemberCondition(entity="customers", metric="revenue", op=FilterOp.GT, value=5000),
     f"SELECT COUNT(*) FROM ({_members('SUM(revenue) > 5000')})"),
    ("2025年订单数超过3的客户有多少",
     MemberCondition(entity="customers", metric="orders", op=FilterOp.GT, value=3),
     f"SELECT COUNT(*) FROM ({_members('COUNT(*) > 3')})"),
    ("number of customers with revenue above 2000 in 2025",  # "with revenue" alone would be a presence test
     MemberCondition(entity="customers", metric="revenue", op=FilterOp.GT, value=2000),
     f"SELECT COUNT(*) FROM ({_members('SUM(revenue) > 2000')})"),
    ("how many customers ordered more than 3 times in 2025",  # a count of people above 3: each one's orders
     MemberCondition(entity="customers", metric="orders", op=FilterOp.GT, value=3),
     f"SELECT COUNT(*) FROM ({_members('COUNT(*) > 3')})"),
    ("2025年下单次数超过3次的客户有多少",
     MemberCondition(entity="customers", metric="orders", op=FilterOp.GT, value=3),
     f"SELECT COUNT(*) FROM ({_members('COUNT(*) > 3')})"),
    ("how many gold members placed more than 3 orders in 2025",  # people named by a value
     MemberCondition(entity="customers", metric="orders", op=FilterOp.GT, value=3),
     "SELECT COUNT(*) FROM (" + _members(
         "COUNT(*) > 3", f"{Y2025} AND o.customer_id IN (SELECT customer_id FROM customers WHERE loyalty_tier = 'gold')")
     + ")"),
    ("how many female customers spent over 1000 in 2025",
     MemberCondition(entity="customers", metric="revenue", op=FilterOp.GT, value=1000),
     "SELECT COUNT(*) FROM (" + _members(
         "SUM(revenue) > 1000", f"{Y2025} AND o.customer_id IN (SELECT customer_id FROM customers WHERE gender = 'female')")
     + ")"),
    ("how many customers in shanghai spent over 3000 in 2025",  # a filter between who and the condition
     MemberCondition(entity="customers", metric="revenue", op=FilterOp.GT, value=3000),
     "SELECT COUNT(*) FROM (" + _members(
         "SUM(revenue) > 3000", f"{Y2025} AND o.customer_id IN (SELECT customer_id FROM customers WHERE city = 'Shanghai')")
     + ")"),
    ("how many buyers spent more than 2000 on tmall in 2025",
     MemberCondition(entity="customers", metric="revenue", op=FilterOp.GT, value=2000),
     "SELECT COUNT(*) FROM (" + _members("SUM(revenue) > 2000", f"{Y2025} AND o.sales_channel = 'tmall'") + ")"),
])
def test_members_meeting_a_condition_are_counted(planner: OfflinePlanner, demo: duckdb.DuckDBPyConnection,
                                                 question: str, condition: MemberCondition, gold: str) -> None:
    spec = _spec(planner, question)
    assert spec.member_conditions == (condition,) and spec.metrics == ("buyers",) and not spec.having
    got = demo.execute(compile_spec(spec, MODEL, as_of=AS_OF).sql).fetchall()
    want = demo.execute(gold).fetchall()
    assert got == want and want[0][0] > 0


@pytest.mark.parametrize("question", [
    "revenue from customers with more than 3 orders in 2025 by city tier",
    "2025 revenue from customers with more than 3 orders by city tier",  # "by" right after: still the customers'
])
def test_their_revenue_and_a_breakdown_by_their_own_attribute(planner: OfflinePlanner,
                                                              demo: duckdb.DuckDBPyConnection, question: str) -> None:
    spec = _spec(planner, question)
    assert not spec.having
    assert spec.metrics == ("revenue",) and [g.name for g in spec.group_by] == ["city_tier"]
    got = dict(demo.execute(compile_spec(spec, MODEL, as_of=AS_OF).sql).fetchall())
    want = dict(demo.execute(
        f"SELECT c.city_tier, SUM(o.revenue) FROM orders o LEFT JOIN customers c USING (customer_id) "
        f"WHERE {Y2025} AND o.customer_id IN ({_members('COUNT(*) > 3')}) GROUP BY 1").fetchall())
    assert got == pytest.approx(want)
    everyone = dict(demo.execute(compile_spec(_spec(planner, "revenue in 2025 by city tier"), MODEL,
                                              as_of=AS_OF).sql).fetchall())
    assert all(got[k] < everyone[k] for k in got)  # the condition is not silently dropped


@pytest.mark.parametrize("questions", [
    ("how many customers placed more than 3 orders in 2025", "number of customers with more than 3 orders in 2025",
     "customers who placed over 3 orders in 2025", "2025年订单数超过3的客户有多少",
     "how many customers bought more than 3 times in 2025", "2025年下单超过3次的客户有多少"),
    ("how many customers ordered 4 or more times in 2025", "how many customers placed at least 4 orders in 2025",
     "2025年买了4次以上的用户数"),
    ("how many customers ordered at least twice in 2025", "number of customers with at least 2 orders in 2025"),
    ("how many customers spent over 3000 in 2025", "how many customers spent more than 3000 in total in 2025",
     "有多少客户在2025年消费超过3000元"),
])
def test_rewordings_read_the_same(planner: OfflinePlanner, questions: tuple[str, ...]) -> None:
    specs = {_spec(planner, q) for q in questions}
    assert len(specs) == 1


@pytest.mark.parametrize("question, reason", [
    ("how many customers placed fewer than 2 orders in 2025", "condition"),  # includes those with none?
    ("how many customers have orders over 500", "condition"),  # each order's value, or how many orders?
    ("customers with an order over 500", "condition"),
    ("how many new customers placed more than 2 orders in 2025", "condition"),  # who is new is a condition too
    ("how many customers placed more than 3 orders in 2025 by sales channel", "split"),
    ("how many customers placed more than 3 orders by month in 2025", "split"),
    ("revenue by channel from customers with more than 5 orders", "split"),
])
def test_what_would_miscount_declines(planner: OfflinePlanner, question: str, reason: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and reason in (result.decline_reason or "")


@pytest.mark.parametrize("condition, group_by, metrics, problem", [
    (MemberCondition(entity="customers", metric="orders", op=FilterOp.LT, value=3), (), ("buyers",), "no rows"),
    (MemberCondition(entity="customers", metric="orders", op=FilterOp.GT, value=3), ("sales_channel",), ("buyers",),
     "split"),
    (MemberCondition(entity="customers", metric="orders", op=FilterOp.GT, value=3), (), ("spend",), "ad_spend"),
    (MemberCondition(entity="custmers", metric="orders", op=FilterOp.GT, value=3), (), ("buyers",), "customers"),
    (MemberCondition(entity="customers", metric="roas", op=FilterOp.GT, value=3), (), ("buyers",), "one table"),
])
def test_conditions_the_compiler_refuses_name_the_fix(condition: MemberCondition, group_by: tuple[str, ...],
                                                      metrics: tuple[str, ...], problem: str) -> None:
    spec = QuerySpec(metrics=metrics, group_by=tuple({"name": g} for g in group_by),  # type: ignore[misc]
                     member_conditions=(condition,))
    with pytest.raises(ModelError) as raised:
        compile_spec(spec, MODEL, as_of=AS_OF)
    assert problem in str(raised.value)


@pytest.mark.parametrize("question, metric, condition", [  # these declined before member conditions
    ("revenue from customers who placed more than 5 orders", "revenue", (FilterOp.GT, 5)),
    ("customers with at least 3 orders", "buyers", (FilterOp.GE, 3)),
    ("buyers with more than one order", "buyers", (FilterOp.GT, 1)),
])
def test_conditions_that_declined_now_count_each_customer(planner: OfflinePlanner, question: str, metric: str,
                                                          condition: tuple[FilterOp, float]) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    assert spec.member_conditions == (MemberCondition(entity="customers", metric="orders", op=condition[0],
                                                      value=condition[1]),)


def test_the_reading_says_whose_rows_are_counted(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "how many customers placed more than 3 orders in 2025")
    assert "only customers with Orders > 3" in interpret(spec, MODEL, AS_OF, "en")
    assert "仅订单数 > 3的客户" in interpret(spec, MODEL, AS_OF, "zh")


def _spec(planner: OfflinePlanner, question: str) -> QuerySpec:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    return result.spec


@pytest.mark.parametrize("question, said", [
    ("how many customers placed more than 3 orders in 2025", "(only customers with Orders > 3)"),
    ("有多少客户在2025年消费超过5000元", "（仅销售额 > ¥5,000的客户）"),
    ("how many campaigns had roas above 3 in 2025", "Campaign count (Return on ad spend > 3.00×)"),
])
def test_the_answer_says_the_number_counts_only_those(warehouse_path: Path, genbi_home: Path, question: str,
                                                      said: str) -> None:
    """The narrative and the column say whose rows the one number counts: "Buyers was 1,721"
    alone would read as every buyer."""
    from genbi.assistant import AnswerRequest, Assistant

    assistant = Assistant.open(warehouse_path, llm=False)
    try:
        answer = assistant.answer(AnswerRequest(question, session_id="members"))
    finally:
        assistant.close()
    assert not answer.declined and len(answer.rows) == 1
    assert said in answer.narrative


@pytest.fixture(scope="module")
def order_lines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file of order lines with a customer id column and no customers table (Superstore)."""
    from genbi.eval.byodata.exports import build_file

    return build_file("superstore", tmp_path_factory.mktemp("superstore"))


@pytest.mark.parametrize("question, having", [
    ("how many customers placed more than 3 orders", 'COUNT(DISTINCT "Order ID") > 3'),
    ("how many customers have more than 5 orders", 'COUNT(DISTINCT "Order ID") > 5'),
    ("number of customers with sales above 2000", 'SUM("Sales") > 2000'),
])
def test_members_named_by_a_column_of_the_rows(order_lines: Path, genbi_home: Path, question: str,
                                               having: str) -> None:
    """One file of order lines: the customers are the values of its customer id column."""
    from genbi.assistant import AnswerRequest, Assistant

    assistant = Assistant.open(order_lines, llm=False)
    try:
        answer = assistant.answer(AnswerRequest(question, session_id="lines"))
    finally:
        assistant.close()
    assert not answer.declined, answer.decline
    assert answer.spec is not None and "." in answer.spec.member_conditions[0].entity
    want = duckdb.connect().execute(
        f"SELECT COUNT(*) FROM (SELECT \"Customer ID\" FROM read_csv('{order_lines}', encoding = 'latin-1') "
        f"GROUP BY 1 HAVING {having})").fetchall()
    assert answer.rows == ((want[0][0],),) and want[0][0] > 0


def test_members_named_by_a_column_are_never_split(order_lines: Path, genbi_home: Path) -> None:
    from genbi.assistant import AnswerRequest, Assistant

    assistant = Assistant.open(order_lines, llm=False)
    try:
        answer = assistant.answer(AnswerRequest("how many customers placed more than 3 orders by region", session_id="x"))
    finally:
        assistant.close()
    assert answer.declined  # a customer's orders may be in several regions


def test_a_follow_up_keeps_the_members_or_declines_a_split(planner: OfflinePlanner) -> None:
    first = _spec(planner, "how many customers placed more than 3 orders in 2025")
    again = planner.plan("and in 2024?", as_of=AS_OF, previous=first)
    assert again.spec is not None and again.spec.member_conditions == first.member_conditions
    by_gender = planner.plan("by gender", as_of=AS_OF, previous=first)
    assert by_gender.spec is not None and by_gender.spec.member_conditions == first.member_conditions
    by_month = planner.plan("by month", as_of=AS_OF, previous=first)
    assert by_month.spec is None and "split" in (by_month.decline_reason or "")


@pytest.mark.parametrize("question", ["2025年每个月的复购率（当月下单2次及以上的买家占比）",
                                      "repeat purchase rate in 2025 (buyers with at least 2 orders)"])
def test_a_condition_that_restates_a_share_explains_it(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics[0] == "repeat_purchase_rate" and not spec.member_conditions and not spec.having


@pytest.mark.parametrize("question", ["how many repeat customers did we have in 2025", "2025年复购用户有多少",
                                      "2025年复购客户有多少",  # "returning buyers" ordered before 2025: first_time
                                      "how many customers bought more than once in 2025", "2025年多次购买的客户有多少"])
def test_the_members_a_share_counts_are_its_test(planner: OfflinePlanner, demo: duckdb.DuckDBPyConnection,
                                                 question: str) -> None:
    """"repeat customers": the buyers the repeat purchase rate counts as repeat (2 or more orders
    in the period), said in a note; 复购客户 had given the rate beside every customer."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None and result.notes, result.decline_reason
    assert result.spec.metrics == ("buyers",)
    assert result.spec.member_conditions == (MemberCondition(entity="customers", metric="orders", op=FilterOp.GE,
                                                             value=2),)
    got = demo.execute(compile_spec(result.spec, MODEL, as_of=AS_OF).sql).fetchall()
    assert got == demo.execute(f"SELECT COUNT(*) FROM ({_members('COUNT(*) >= 2')})").fetchall()


@pytest.mark.parametrize("question", ["number of customers with at least 2 orders by city tier in 2025",
                                      "revenue by city tier for customers with at least 2 orders"])
def test_at_least_a_number_is_no_ranking(planner: OfflinePlanner, question: str) -> None:
    """"at least 2 orders" had cut the breakdown to its bottom row ("least")."""
    spec = _spec(planner, question)
    assert spec.limit is None and not spec.order_by and spec.member_conditions


def test_the_most_of_the_members_a_share_counts(planner: OfflinePlanner) -> None:
    """"the most buyers who ordered more than once" had ranked cities by all their buyers."""
    spec = _spec(planner, "which city had the most buyers who ordered more than once in 2025")
    assert spec.member_conditions and [g.name for g in spec.group_by] == ["city"] and spec.limit == 1
