""""How many orders over 1000 yuan": money said after a count of rows is each row's own value.

Written from how marketers ask. Before, the planner declined ("I can only apply a condition
like 'orders over 1000 yuan' to each row of a breakdown"), and "revenue from customers who
spent over 1000" answered the number of those customers instead of their revenue. Each
answer is checked against the warehouse computed directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from planner_support import declines, demo_assistant, spec_of

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model

NOV = "ordered_at >= '2025-11-01' AND ordered_at < '2025-12-01'"


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


@pytest.mark.parametrize(("question", "sql"), [
    ("how many orders were above 1000 yuan", "SELECT COUNT(*) FROM orders WHERE revenue > 1000"),
    ("how many orders over 1000 yuan last month", f"SELECT COUNT(*) FROM orders WHERE revenue > 1000 AND {NOV}"),
    ("orders with revenue over 1000 last month", f"SELECT COUNT(*) FROM orders WHERE revenue > 1000 AND {NOV}"),
    ("how many orders of ¥500 or more did we get last month",
     f"SELECT COUNT(*) FROM orders WHERE revenue >= 500 AND {NOV}"),
    ("revenue from orders over 1000 yuan", "SELECT SUM(revenue) FROM orders WHERE revenue > 1000"),
    ("revenue from customers who spent over 1000 yuan",
     "SELECT SUM(revenue) FROM orders WHERE customer_id IN "
     "(SELECT customer_id FROM orders GROUP BY 1 HAVING SUM(revenue) > 1000)"),
])
def test_a_condition_on_each_rows_value_answers_the_number_asked(assistant: Any, warehouse_path: Path, question: str,
                                                                 sql: str) -> None:
    from genbi.assistant import AnswerRequest

    answer = assistant.answer(AnswerRequest(question, session_id=question))
    assert not answer.declined, answer.narrative
    assert len(answer.rows) == 1 and len(answer.rows[0]) == 1, answer.columns
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        expected = con.execute(sql).fetchone()[0]
    assert answer.rows[0][0] == pytest.approx(expected)


def test_by_a_dimension_each_member_counts_its_own_rows_over_the_value(planner: OfflinePlanner) -> None:
    spec = spec_of(planner, "orders over ¥1000 by sales channel in 2025")
    assert spec.metrics == ("orders",) and [g.name for g in spec.group_by] == ["sales_channel"]
    (condition,) = spec.member_conditions
    assert (condition.entity, condition.metric, condition.op.value, condition.value) == ("orders", "revenue", ">", 1000)


@pytest.mark.parametrize("question", [
    "orders over 500",  # each order's value, or how many orders? not said
    "how many orders over 1000 yuan on rainy days",  # an unknown condition still declines
])
def test_an_unsaid_unit_or_an_unknown_condition_still_declines(planner: OfflinePlanner, question: str) -> None:
    declines(planner, question)
