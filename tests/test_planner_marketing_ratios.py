"""Two marketing ratios of the demo model: orders per buyer (purchase frequency) and cost per
signup (ad spend / new signups, each on its own time column), read from "A per B" however
said, computed as a ratio of separately aggregated parts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.loader import load_model

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize("question, metric", [
    ("orders per buyer in 2025", "orders_per_buyer"),
    ("average orders per customer in 2025", "orders_per_buyer"),
    ("purchase frequency in 2025", "orders_per_buyer"),
    ("2025年人均订单数", "orders_per_buyer"),
    ("2025年每个买家的订单数", "orders_per_buyer"),
    ("cost per signup in 2025", "cost_per_signup"),
    ("ad spend per new customer in 2025", "cost_per_signup"),
    ("2025年的注册成本", "cost_per_signup"),
])
def test_the_ratio_is_read(planner: OfflinePlanner, question: str, metric: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == (metric,)


def test_cost_per_signup_by_month_is_each_part_on_its_own_clock(planner: OfflinePlanner, warehouse_path: Path) -> None:
    result = planner.plan("cost per signup by month in 2025", as_of=AS_OF)
    assert result.spec is not None
    sql = compile_spec(result.spec, load_model(), as_of=AS_OF).sql
    check = ("WITH s AS (SELECT DATE_TRUNC('month', date) AS m, SUM(spend) AS x FROM ad_spend "
             "WHERE date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1), "
             "n AS (SELECT DATE_TRUNC('month', signup_date) AS m, COUNT(*) AS y FROM customers "
             "WHERE signup_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1) "
             "SELECT s.m, x / y FROM s JOIN n USING (m)")
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        got = sorted((str(r[0])[:10], r[1]) for r in connection.execute(sql).fetchall())
        want = sorted((str(r[0])[:10], r[1]) for r in connection.execute(check).fetchall())
    assert [g[0] for g in got] == [w[0] for w in want]
    assert [g[1] for g in got] == pytest.approx([w[1] for w in want])


@pytest.mark.parametrize("question", ["今年各销售渠道的每单平均收入", "今年各销售渠道每单的收入", "今年各销售渠道每单收入",
                                      "今年各销售渠道每单平均销售额"])
def test_per_order_said_as_mei_dan_is_aov(planner: OfflinePlanner, question: str) -> None:
    """"每单…": per order (it was an unknown word), as "每个订单的平均…" reads it."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == ("aov",) and [g.name for g in result.spec.group_by] == ["sales_channel"]
