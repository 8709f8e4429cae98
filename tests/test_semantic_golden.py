"""Golden query specs: SQL snapshots per dialect, and results checked against hand-written SQL.

Cases live in ``tests/golden/specs.yaml``. For each case and dialect the compiled SQL must
equal ``tests/golden/<dialect>/<case>.sql``; set ``GENBI_UPDATE_GOLDEN=1`` to rewrite them,
then review the diff. On DuckDB the compiled query's rows must equal the case's independent
hand-written ``check`` query (a multiset, numbers to a relative 1e-6).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlglot
import yaml

from genbi.semantic_layer import (
    DIALECTS,
    CompiledQuery,
    QuerySpec,
    Warehouse,
    compile_spec,
    load_model,
)

GOLDEN = Path(__file__).parent / "golden"
CASES: list[dict[str, Any]] = yaml.safe_load((GOLDEN / "specs.yaml").read_text(encoding="utf-8"))
IDS = [case["name"] for case in CASES]
UPDATE = os.environ.get("GENBI_UPDATE_GOLDEN") == "1"
DEMO_AS_OF = date(2025, 12, 31)
MODEL = load_model()

GLOSSARY = (
    "revenue",
    "orders",
    "aov",
    "buyers",
    "revenue_per_buyer",
    "repeat_purchase_rate",
    "new_customers",
    "units_sold",
    "product_sales",
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "attributed_orders",
    "attributed_revenue",
    "cvr",
    "roas",
    "cpa",
    "sessions",
    "experiment_conversion_rate",
)
RATIOS = ("ctr", "cpc", "cpm", "cvr", "roas", "cpa", "aov", "revenue_per_buyer")


def compile_case(case: dict[str, Any], dialect: str) -> CompiledQuery:
    spec = QuerySpec.model_validate(case["spec"])
    return compile_spec(spec, MODEL, dialect=dialect, as_of=case.get("as_of", DEMO_AS_OF))


def golden_text(case: dict[str, Any], dialect: str, sql: str) -> str:
    header = [
        f"-- case: {case['name']}",
        f"-- question: {case['question']}",
        f"-- dialect: {dialect}",
        f"-- as_of: {case.get('as_of', DEMO_AS_OF)}",
    ]
    return "\n".join(header) + "\n" + sql.rstrip() + "\n"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_compiled_sql_matches_golden(case: dict[str, Any], dialect: str) -> None:
    compiled = compile_case(case, dialect)
    text = golden_text(case, dialect, compiled.sql)
    path = GOLDEN / dialect / f"{case['name']}.sql"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with GENBI_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), (
        f"compiled SQL differs from {path}; if the change is intended, "
        "rerun with GENBI_UPDATE_GOLDEN=1 and review the diff"
    )
    sqlglot.parse_one(compiled.sql, read=dialect)  # the dialect can read back what we wrote


def test_no_stale_golden_files() -> None:
    expected = {f"{d}/{name}.sql" for d in DIALECTS for name in IDS}
    found = {str(p.relative_to(GOLDEN)) for p in GOLDEN.glob("*/*.sql")}
    assert found - expected == set(), "golden files without a case: delete them"


def test_case_names_are_unique_and_enough() -> None:
    assert len(IDS) == len(set(IDS))
    assert len(IDS) >= 40


def test_cases_cover_the_glossary() -> None:
    used = {m for case in CASES for m in case["spec"]["metrics"]}
    assert set(GLOSSARY) - used == set()


@pytest.mark.parametrize("metric", RATIOS)
def test_every_ratio_is_covered_by_channel_and_by_month(metric: str) -> None:
    groupings = [
        {(g["name"], g.get("grain")) for g in case["spec"].get("group_by", [])}
        for case in CASES
        if metric in case["spec"]["metrics"]
    ]
    assert any(("channel", None) in g for g in groupings), f"{metric} by channel"
    assert any(("metric_time", "month") in g for g in groupings), f"{metric} by month"


# --- results on the demo warehouse --------------------------------------------------------


@pytest.fixture(scope="module")
def warehouse(warehouse_path: Path) -> Iterator[Warehouse]:
    with Warehouse.open(warehouse_path, allowed_tables=MODEL.table_names) as opened:
        yield opened


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_result_equals_hand_written_sql(case: dict[str, Any], warehouse: Warehouse) -> None:
    compiled = compile_case(case, "duckdb")
    got = warehouse.run(compiled.sql)
    want = warehouse.run(case["check"])
    assert not got.truncated and not want.truncated
    assert got.row_count > 0, "a golden case should return rows on the demo warehouse"
    assert len(got.columns) == len(want.columns)
    assert list(got.columns) == list(compiled.column_names)
    assert_same_rows(got.rows, want.rows)


def assert_same_rows(got: tuple[tuple[Any, ...], ...], want: tuple[tuple[Any, ...], ...]) -> None:
    assert len(got) == len(want), f"{len(got)} rows, expected {len(want)}"
    left = sorted((normalise(r) for r in got), key=sort_key)
    right = sorted((normalise(r) for r in want), key=sort_key)
    for a, b in zip(left, right, strict=True):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            if isinstance(x, float) and isinstance(y, float):
                assert math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9), (a, b)
            else:
                assert x == y, (a, b)


def normalise(row: tuple[Any, ...]) -> tuple[Any, ...]:
    out: list[Any] = []
    for value in row:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, bool) or value is None or isinstance(value, str | date):
            out.append(value)
        elif isinstance(value, int | float | Decimal):
            out.append(float(value))
        else:
            out.append(value)
    return tuple(out)


def sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        (0, "") if v is None else (1, f"{v:.6g}") if isinstance(v, float) else (1, str(v))
        for v in row
    )
