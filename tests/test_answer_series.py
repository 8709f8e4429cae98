"""A trend split by a breakdown ("revenue by month and sales channel"), through the answer path.

Before: "by month and sales channel" dropped the channel (one row per month), and every answer
split by time and one dimension was narrated as "72 rows."; "what % of each month's revenue came
from tmall" named no share of tmall's at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from planner_support import demo_assistant

from genbi.assistant import AnswerRequest

_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


def _ask(assistant: Any, question: str) -> Any:
    return assistant.answer(AnswerRequest(question, session_id=f"series-{next(_SESSIONS)}"))


@pytest.mark.parametrize(("question", "twin", "dimension"), [
    ("revenue by month and sales channel in 2025", "revenue by sales channel and month in 2025", "sales_channel"),
    ("aov by quarter and loyalty tier", "aov by loyalty tier and quarter", "loyalty_tier"),
])
def test_a_dimension_listed_after_a_time_split_is_a_breakdown_too(assistant: Any, question: str, twin: str,
                                                                   dimension: str) -> None:
    answer, again = _ask(assistant, question), _ask(assistant, twin)
    assert answer.spec is not None and dimension in [g.name for g in answer.spec.group_by]
    assert {g.name for g in answer.spec.group_by} == {g.name for g in again.spec.group_by}


def test_a_series_by_a_breakdown_says_who_leads(assistant: Any, warehouse_path: Path) -> None:
    answer = _ask(assistant, "revenue by month and sales channel in 2025")
    months = duckdb.connect(str(warehouse_path), read_only=True).execute(
        "SELECT COUNT(DISTINCT DATE_TRUNC('month', ordered_at)) FROM orders WHERE YEAR(ordered_at) = 2025").fetchone()
    assert months is not None
    assert f"of {months[0]} months" in answer.narrative and "rows." not in answer.narrative


def test_a_share_asked_of_one_member_each_month_is_said_first(assistant: Any, warehouse_path: Path) -> None:
    answer = _ask(assistant, "what % of each month's revenue came from tmall in 2025")
    rows = duckdb.connect(str(warehouse_path), read_only=True).execute(
        "SELECT DATE_TRUNC('month', ordered_at) AS m, SUM(revenue) FILTER (WHERE sales_channel = 'tmall') / SUM(revenue)"
        " AS s FROM orders WHERE YEAR(ordered_at) = 2025 GROUP BY 1 ORDER BY 1").fetchall()
    low, high = min(r[1] for r in rows), max(r[1] for r in rows)
    assert answer.narrative.startswith("Tmall's share of each month's revenue ran from")
    assert f"{low:.0%}" in answer.narrative and f"{high:.0%}" in answer.narrative
    chinese = _ask(assistant, "2025年每个月天猫的销售额占比")
    assert chinese.narrative.startswith("天猫占每月") or "天猫" in chinese.narrative.split("；")[0]
