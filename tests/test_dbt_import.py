"""``genbi model import-dbt``: a small dbt MetricFlow project over the retail test warehouse
becomes a genbi model that answers like hand-written SQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.assistant import AnswerRequest, Assistant
from genbi.eval.byodata.warehouses import build
from genbi.semantic_layer.dbt_import import import_dbt
from genbi.semantic_layer.introspection import check_draft
from genbi.semantic_layer.warehouse import Warehouse

PROJECT = Path(__file__).parent / "fixtures" / "dbt_retail"


@pytest.fixture(scope="module")
def retail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build("retail", tmp_path_factory.mktemp("dbt") / "retail.duckdb")


def test_what_maps_and_what_is_reported(retail: Path) -> None:
    with Warehouse.open(retail) as warehouse:
        draft = import_dbt(PROJECT, columns=warehouse.tables())
    model = check_draft(draft.text)
    assert model.table("invoices").primary_key == "invoice_no"
    assert {(t.name, r.column, r.to) for t in model.tables for r in t.many_to_one} == {
        ("invoices", "customer_id", "customers"), ("invoice_lines", "invoice_no", "invoices")}
    assert model.measure("invoice_count").expr == "invoice_no"  # count of 1 counts the key
    assert model.measure("line_sales").time == "invoices.invoice_date"  # invoice__invoice_date
    assert model.metric("revenue_per_buyer").type.value == "ratio"
    assert model.metric("average_invoice_value").expr == "revenue / invoices"  # alias resolved
    assert model.metric("buyers").label_zh == "买家数"
    report = " ".join(draft.report)
    for left_out in ("median_price", "cumulative_revenue", "uk_revenue"):
        assert left_out in report
    assert {d.name for d in model.dimensions} >= {"country", "invoice_country", "invoice_date"}


def test_imported_model_answers_like_hand_written_sql(retail: Path, tmp_path: Path) -> None:
    model_path = tmp_path / "dbt.yaml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENBI_")} | {"GENBI_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "genbi", "model", "import-dbt", str(PROJECT), "--db", str(retail),
                           "--out", str(model_path)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assistant = Assistant.open(retail, model_path=model_path, as_of=date(2011, 12, 31), llm=False)
    try:
        answer = assistant.answer(AnswerRequest(question="average invoice value in 2011", session_id="t"))
    finally:
        assistant.close()
    with duckdb.connect(str(retail), read_only=True) as connection:
        gold = connection.execute(
            "SELECT SUM(l.quantity * l.unit_price) / COUNT(DISTINCT i.invoice_no) FROM invoices i "
            "LEFT JOIN invoice_lines l USING (invoice_no) WHERE year(i.invoice_date) = 2011").fetchone()
    assert gold is not None and answer.rows
    assert float(answer.rows[0][-1]) == pytest.approx(float(gold[0]), rel=1e-9), json.dumps(answer.sql)
