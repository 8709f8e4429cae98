"""``genbi model draft``: a draft of the demo warehouse validates and answers revenue by month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.errors import WarehouseError
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.introspection import check_draft, draft_model
from genbi.semantic_layer.query_spec import DimensionRef, QuerySpec, TimeGrain
from genbi.semantic_layer.warehouse import Warehouse


def test_draft_of_demo_answers_revenue_by_month(warehouse_path: Path) -> None:
    model = check_draft(draft_model(warehouse_path).text)
    orders = model.table("orders")
    assert orders.primary_key == "order_id"
    assert {r.column: r.to for r in orders.many_to_one} == {"customer_id": "customers", "campaign_id": "campaigns"}
    revenue = next(m.name for m in model.metrics if m.measure and model.measure(m.measure).table == "orders"
                   and model.measure(m.measure).expr == "revenue" and model.measure(m.measure).agg.value == "sum")
    spec = QuerySpec(metrics=(revenue,), group_by=(DimensionRef(name="metric_time", grain=TimeGrain.MONTH),))
    compiled = compile_spec(spec, model, as_of=date(2025, 12, 31))
    with Warehouse.open(warehouse_path) as warehouse:
        got = sorted(warehouse.run(compiled.sql).rows)
        expected = sorted(
            warehouse.run(
                "SELECT CAST(DATE_TRUNC('month', ordered_at) AS DATE), SUM(revenue) FROM orders GROUP BY 1"
            ).rows
        )
    assert len(got) == len(expected) == 24
    for (month, value), (gold_month, gold_value) in zip(got, expected, strict=True):
        assert month == gold_month
        assert value == pytest.approx(gold_value, rel=1e-9)


def test_draft_reads_a_folder_of_csv_files(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("COPY (SELECT range AS shop_id, 'shop ' || range AS shop_name FROM range(5)) TO '" + str(tmp_path / "shops.csv") + "'")
    con.execute(
        "COPY (SELECT range AS sale_id, range % 5 AS shop_id, DATE '2025-01-01' + CAST(range AS INTEGER) AS sold_on,"
        " range * 1.5 AS amount, 9.9 + range % 3 AS unit_price FROM range(50)) TO '" + str(tmp_path / "sales.csv") + "'"
    )
    con.close()
    model = check_draft(draft_model(tmp_path).text)
    assert [r.to for r in model.table("sales").many_to_one] == ["shops"]
    aggs = {(m.expr, m.agg.value) for m in model.measures}
    assert {("amount", "sum"), ("unit_price", "avg")} <= aggs
    assert ("shop_id", "sum") not in aggs and ("sale_id", "sum") not in aggs


def test_draft_of_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="No warehouse"):
        draft_model(tmp_path / "nope.duckdb")
    with pytest.raises(WarehouseError, match="No CSV"):
        draft_model(tmp_path)
