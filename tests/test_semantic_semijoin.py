"""Filters on a finer table ("orders containing a skincare item") compile to semi-joins.

Each case is checked against hand-written SQL on the demo warehouse: the filter selects
whole orders (or customers), and the metric is never summed over the item rows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import DimensionRef, Filter, FilterOp, QuerySpec, TimeRange
from genbi.semantic_layer.warehouse import Warehouse

YEAR = TimeRange(start=date(2025, 1, 1), end=date(2025, 12, 31))
IN_2025 = "o.ordered_at >= DATE '2025-01-01' AND o.ordered_at < DATE '2026-01-01'"
SKINCARE_ORDERS = (
    "SELECT i.order_id FROM order_items i JOIN products p USING (product_id) WHERE p.category = 'skincare'"
)

CASES = [
    (
        QuerySpec(metrics=("revenue",), group_by=(DimensionRef(name="city_tier"),),
                  filters=(Filter(dimension="category", values=("skincare",)),), time_range=YEAR),
        f"SELECT c.city_tier, SUM(o.revenue) FROM orders o JOIN customers c USING (customer_id) "
        f"WHERE o.order_id IN ({SKINCARE_ORDERS}) AND {IN_2025} GROUP BY 1",
    ),
    (
        QuerySpec(metrics=("aov",), filters=(Filter(dimension="category", op=FilterOp.NE, values=("skincare",)),),
                  time_range=YEAR),
        f"SELECT SUM(o.revenue) / COUNT(*) FROM orders o WHERE o.order_id NOT IN ({SKINCARE_ORDERS}) AND {IN_2025}",
    ),
    (
        QuerySpec(metrics=("buyers",), filters=(Filter(dimension="category", op=FilterOp.IN, values=("makeup", "fragrance")),),
                  time_range=YEAR),
        "SELECT COUNT(DISTINCT o.customer_id) FROM orders o WHERE o.order_id IN (SELECT i.order_id FROM order_items i "
        f"JOIN products p USING (product_id) WHERE p.category IN ('makeup', 'fragrance')) AND {IN_2025}",
    ),
    (
        QuerySpec(metrics=("customers",), filters=(Filter(dimension="category", values=("supplements",)),)),
        "SELECT COUNT(*) FROM customers WHERE customer_id IN (SELECT o.customer_id FROM order_items i "
        "JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE p.category = 'supplements')",
    ),
]


@pytest.mark.parametrize(("spec", "gold"), CASES, ids=["revenue_by_tier", "aov_without", "buyers_in", "customers_who_bought"])
def test_child_filters_match_hand_written_sql(warehouse_path: Path, spec: QuerySpec, gold: str) -> None:
    compiled = compile_spec(spec, load_model(), as_of=date(2025, 12, 31))
    assert " IN (" in compiled.sql
    with Warehouse.open(warehouse_path) as warehouse:
        got = sorted(warehouse.run(compiled.sql).rows)
        expected = sorted(warehouse.run(gold).rows)
    assert len(got) == len(expected)
    for row, gold_row in zip(got, expected, strict=True):
        assert row[:-1] == gold_row[:-1]
        assert row[-1] == pytest.approx(gold_row[-1], rel=1e-9)


def test_child_dimensions_still_cannot_split_a_coarser_metric() -> None:
    from genbi.errors import ModelError

    spec = QuerySpec(metrics=("revenue",), group_by=(DimensionRef(name="category"),))
    with pytest.raises(ModelError, match="product_sales"):
        compile_spec(spec, load_model(), as_of=date(2025, 12, 31))
