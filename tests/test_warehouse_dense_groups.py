"""``dense_group_bits``: a tool's aggregate over dense integer keys may use DuckDB's flat
aggregate; the answer is the same, and the setting stays on that statement's cursor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from genbi.semantic_layer import Warehouse
from genbi.semantic_layer.resource_limits import dense_group_bits

SQL = "SELECT k % 7 AS r, COUNT(*) AS n, SUM(v) AS s FROM (SELECT k, BIT_OR(v) AS v FROM t GROUP BY k) GROUP BY 1 ORDER BY 1"


@pytest.fixture()
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    path = tmp_path / "dense.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE t AS SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i % 50000 END AS k, "
                           "CAST(1 << (i % 5) AS INTEGER) AS v FROM range(300000) AS r(i)")
    with Warehouse.open(path) as opened:
        yield opened


def test_the_same_rows_with_and_without_the_hint(warehouse: Warehouse) -> None:
    plain = warehouse.run(SQL, max_rows=100).rows
    assert warehouse.dense_groups
    assert warehouse.run(SQL, max_rows=100, dense_group_bits=20).rows == plain
    cursor = warehouse.backend.connection.cursor()
    assert cursor.execute("SELECT current_setting('perfect_ht_threshold')").fetchall() == [(12,)]


def test_the_flat_aggregate_fits_in_half_the_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENBI_DUCKDB_MEMORY", "1GB")
    monkeypatch.setenv("GENBI_DUCKDB_THREADS", "4")
    assert dense_group_bits(24) == 21
    monkeypatch.setenv("GENBI_DUCKDB_MEMORY", "64GB")
    assert dense_group_bits(24) == 24
