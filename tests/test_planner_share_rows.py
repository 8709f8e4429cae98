""""What share of orders came from Tmall": the share is of the whole breakdown (every row is
returned), and the answer says the member asked first, with its share; before, it said only
the leader and the lowest, never Tmall.

``QuerySpec.share_rows`` names the members asked; a filter on them would make their share 100%.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pydantic
import pytest
from planner_support import demo_assistant, spec_of

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import Filter, QuerySpec

MODEL = load_model()


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(MODEL)


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


@pytest.mark.parametrize(("question", "same"), [
    ("what percent of orders came from tmall last month", "tmall's share of orders last month"),
    ("what % of 2025 revenue came from tier 1 cities?", "share of 2025 revenue from tier 1 cities"),
    ("天猫的订单占比", "what share of orders came from tmall"),
])
def test_a_share_of_one_member_keeps_its_row_of_the_whole(planner: OfflinePlanner, question: str,
                                                          same: str) -> None:
    spec = spec_of(planner, question)
    assert spec.share_of_total and len(spec.group_by) == 1 and not spec.filters
    (row,) = spec.share_rows
    assert row.dimension == spec.group_by[0].name
    assert spec == spec_of(planner, same)


def test_a_share_by_a_breakdown_keeps_every_row(planner: OfflinePlanner) -> None:
    assert spec_of(planner, "share of revenue by sales channel").share_rows == ()


def test_the_member_asked_is_said_first_with_its_share_of_the_whole(assistant: Any, warehouse_path: Path) -> None:
    from genbi.assistant import AnswerRequest

    answer = assistant.answer(AnswerRequest("what percent of orders came from tmall in 2025", session_id="share"))
    assert not answer.declined, answer.narrative
    rows = {row[0]: row for row in answer.rows}
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        tmall, total, channels = con.execute(
            "SELECT COUNT(*) FILTER (WHERE sales_channel = 'tmall'), COUNT(*), COUNT(DISTINCT sales_channel) "
            "FROM orders WHERE ordered_at >= '2025-01-01' AND ordered_at < '2026-01-01'").fetchone()
    assert len(rows) == channels and rows["tmall"][1] == tmall and rows["tmall"][2] == pytest.approx(tmall / total)
    assert answer.narrative.startswith(f"Orders for Tmall was {tmall:,}, {round(100 * tmall / total)}% of the total")


def test_share_rows_need_the_share_and_a_row_of_the_breakdown() -> None:
    tmall = Filter(dimension="sales_channel", values=("tmall",))
    with pytest.raises(pydantic.ValidationError):
        QuerySpec(metrics=("orders",), group_by=({"name": "sales_channel"},), share_rows=(tmall,))  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError):
        QuerySpec(metrics=("orders",), group_by=({"name": "city_tier"},), share_of_total=True,  # type: ignore[arg-type]
                  share_rows=(tmall,))


def test_the_sql_is_the_breakdown_with_shares_whatever_was_asked() -> None:
    base = {"metrics": ["revenue"], "group_by": [{"name": "sales_channel"}], "share_of_total": True,
            "order_by": [{"field": "revenue__share"}]}
    asked = {**base, "share_rows": [{"dimension": "sales_channel", "op": "in", "values": ["tmall", "jd"]}]}
    as_of = date(2025, 12, 31)
    assert compile_spec(QuerySpec.model_validate(asked), MODEL, as_of=as_of).sql == \
        compile_spec(QuerySpec.model_validate(base), MODEL, as_of=as_of).sql
