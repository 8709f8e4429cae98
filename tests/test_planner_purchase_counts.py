"""How many times people bought: "more than 2 purchases", "3 or more orders", "only once",
"不止一次", "只买过一次", "其中…的有多少人", "of those, how many bought more than once".

Each is a condition on every customer's number of orders in the period (a member
condition), never dropped (it answered all buyers), never a ranking's N ("3 or more
orders" gave the top 3), and never read as money ("buyers bought more than once" gave revenue)."""

from __future__ import annotations

from datetime import date

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import FilterOp, MemberCondition, QuerySpec

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _spec(planner: OfflinePlanner, question: str, previous: QuerySpec | None = None) -> QuerySpec:
    result = planner.plan(question, as_of=AS_OF, previous=previous)
    assert result.spec is not None, result.decline_reason
    return result.spec


def _orders(op: FilterOp, value: float) -> tuple[MemberCondition, ...]:
    return (MemberCondition(entity="customers", metric="orders", op=op, value=value),)


@pytest.mark.parametrize("question, op, value", [
    ("How many customers made more than 2 purchases in 2025?", FilterOp.GT, 2),
    ("how many people placed more than 2 orders in 2025", FilterOp.GT, 2),
    ("number of customers with 3 or more orders in 2025", FilterOp.GE, 3),
    ("customers who had 5+ orders in 2025, how many?", FilterOp.GE, 5),
    ("number of customers who ordered only once in 2025", FilterOp.EQ, 1),
    ("how many customers bought just once in 2025", FilterOp.EQ, 1),
    ("how many customers bought exactly 2 times in 2025", FilterOp.EQ, 2),
    ("how many bought more than once in 2025", FilterOp.GE, 2),
    ("how many tmall buyers bought more than once in 2025", FilterOp.GE, 2),
    ("how many shoppers came back and placed a second order in 2025?", FilterOp.GE, 2),
    ("how many customers ordered again in 2025", FilterOp.GE, 2),
    ("how many customers made a second purchase in 2025", FilterOp.GE, 2),
    ("2025年只买过一次的客户有多少", FilterOp.EQ, 1),
    ("2025年只下过一次单的顾客数", FilterOp.EQ, 1),
    ("2025年买了不止一次的客户有多少", FilterOp.GT, 1),
    ("2025年订单数超过1的有多少人", FilterOp.GT, 1),
    ("2025年购买超过2次的顾客有多少人", FilterOp.GT, 2),
])
def test_a_number_of_purchases_is_a_condition_on_each_customer(planner: OfflinePlanner, question: str,
                                                               op: FilterOp, value: float) -> None:
    spec = _spec(planner, question)
    assert spec.member_conditions == _orders(op, value)
    assert spec.metrics == ("buyers",) and spec.limit is None
    assert spec.time_range is not None


def test_n_or_more_is_no_ranking(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "customers with 3 or more orders this year, by loyalty tier")
    assert spec.member_conditions == _orders(FilterOp.GE, 3)
    assert spec.limit is None and [g.name for g in spec.group_by] == ["loyalty_tier"]


@pytest.mark.parametrize("first, followup, op, value", [
    ("今年在天猫下单的客户有多少", "其中买了不止一次的有多少人", FilterOp.GT, 1),
    ("今年在天猫下单的客户有多少", "这些人里只买过一次的有多少", FilterOp.EQ, 1),
    ("tmall buyers in 2025", "of those, how many bought more than once?", FilterOp.GE, 2),
])
def test_among_them_keeps_the_first_question(planner: OfflinePlanner, first: str, followup: str,
                                             op: FilterOp, value: float) -> None:
    spec = _spec(planner, followup, previous=_spec(planner, first))
    assert spec.member_conditions == _orders(op, value)
    assert [(f.dimension, f.values) for f in spec.filters] == [("sales_channel", ("tmall",))]


@pytest.mark.parametrize("question", ["上个月下单的顾客有多少", "上个月购买的客户有多少", "上个月下过单的客户数"])
def test_people_who_ordered_are_buyers_not_signups(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).metrics == ("buyers",)


@pytest.mark.parametrize("question", [
    "campaigns with exactly 3 orders in 2025",  # a row's metric equal to a number: no such filter
    "how many left-handed customers ordered only once in 2025",
    "今年左撇子客户里只买过一次的有多少",
])
def test_what_it_cannot_hold_declines(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question, as_of=AS_OF).spec is None
