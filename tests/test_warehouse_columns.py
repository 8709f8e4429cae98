"""Bulk reads column by column (``Warehouse.run_columns``): the same guard, cap, cell limit
and masking as ``run``, the same values, NumPy arrays instead of a tuple per row."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from genbi.errors import UnsafeSQLError
from genbi.semantic_layer import Warehouse
from genbi.semantic_layer.guard import SqlPolicy
from genbi.semantic_layer.resource_limits import MAX_CELL_CHARS
from genbi.tools.roles import RoleSource

POLICY = SqlPolicy(columns={"people": frozenset({"id", "phone", "note", "spend", "vip", "born", "price"})})


@pytest.fixture()
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    path = tmp_path / "people.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE people (id BIGINT, phone BIGINT, note VARCHAR, spend DOUBLE, vip BOOLEAN,"
                           " born DATE, price DECIMAL(10, 2))")
        connection.execute(
            "INSERT INTO people VALUES (1, 13912345678, 'mail bob@corp.cn', 1.5, true, '1990-01-02', 1.25),"
            " (2, 42, 'plain', NULL, NULL, NULL, NULL), (3, NULL, NULL, 2.5, false, '2000-03-04', 2.50)")
    with Warehouse.open(path, policy=POLICY) as opened:
        yield opened


def _cells(result: Any) -> list[tuple[Any, ...]]:
    """Rows of a column result, NaN as None (as the rows path holds a NULL number)."""
    if result.arrays is None:
        return [tuple(row) for row in result.rows]
    columns = [[None if isinstance(v, float) and math.isnan(v) else v for v in a.tolist()] for a in result.arrays]
    return list(zip(*columns, strict=True))


def test_plain_columns_come_as_arrays_with_the_rows_values_masked_alike(warehouse: Warehouse) -> None:
    sql = "SELECT id, phone, note, spend, vip, id * 2 AS twice, SUM(id) OVER () AS total FROM people ORDER BY id"
    rows = warehouse.run(sql, max_rows=10)
    columns = warehouse.run_columns(sql, max_rows=10)
    assert columns.arrays is not None and all(isinstance(a, np.ndarray) for a in columns.arrays)
    assert (columns.columns, columns.types, columns.row_count, columns.truncated) == (
        rows.columns, rows.types, 3, False)
    assert _cells(columns) == [tuple(r) for r in rows.rows]
    assert "139****5678" in _cells(columns)[0] and "mail b***@corp.cn" in _cells(columns)[0]
    assert columns.arrays[1].dtype == object  # the masked phone column
    assert columns.arrays[0].dtype == np.int64 and columns.arrays[3].dtype == np.float64
    summed = "SELECT id, SUM(phone) AS phones FROM people GROUP BY id ORDER BY id"  # HUGEINT: a float array
    assert _cells(warehouse.run_columns(summed)) == [tuple(r) for r in warehouse.run(summed).rows]
    assert _cells(warehouse.run_columns(summed))[0] == (1, "139****5678")


def test_a_role_that_may_see_personal_data_gets_them_raw(warehouse: Warehouse) -> None:
    result = warehouse.run_columns("SELECT phone, note FROM people WHERE id = 1",
                                   policy=POLICY.allowing_private())
    assert _cells(result) == [(13912345678, "mail bob@corp.cn")]


def test_dates_and_decimals_come_as_rows(warehouse: Warehouse) -> None:
    sql = "SELECT id, born, price FROM people ORDER BY id"
    result = warehouse.run_columns(sql)
    assert result.arrays is None and result.rows == warehouse.run(sql).rows


def test_the_cap_the_guard_and_the_cell_limit_apply(warehouse: Warehouse) -> None:
    result = warehouse.run_columns("SELECT id FROM people ORDER BY id", max_rows=2)
    assert (result.truncated, result.row_count, result.arrays[0].tolist()) == (True, 2, [1, 2])
    with pytest.raises(UnsafeSQLError):
        warehouse.run_columns("DROP TABLE people")
    with pytest.raises(UnsafeSQLError):
        warehouse.run_columns("SELECT secret FROM people")
    long = warehouse.run_columns(f"SELECT repeat(note, {MAX_CELL_CHARS}) AS t FROM people WHERE id = 2")
    assert long.arrays is not None and long.arrays[0][0] == "plain" * (MAX_CELL_CHARS // 5) + "…"


class _RowsOnly:
    """A backend without a columnar fetch (Postgres, Spark ...)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.dialect, self.location = inner, inner.dialect, inner.location

    def execute(self, sql: str, **kw: Any) -> Any:
        return self.inner.execute(sql, **kw)

    def columns(self) -> Any:
        return self.inner.columns()

    def close(self) -> None:
        self.inner.close()


def test_an_engine_without_a_columnar_fetch_gives_the_rows(warehouse: Warehouse) -> None:
    sql = "SELECT id, phone, note FROM people ORDER BY id"
    expected = warehouse.run(sql).rows
    warehouse.backend = _RowsOnly(warehouse.backend)  # type: ignore[assignment]
    result = warehouse.run_columns(sql)
    assert result.arrays is None and result.rows == expected


def test_a_tool_frame_is_the_same_either_way(warehouse: Warehouse) -> None:
    """``columns_frame`` (arrays) and ``frame`` (rows) agree on every value; a runner with
    only ``run`` (a test double) gets the rows path."""
    source = RoleSource(roles={}, runner=warehouse)
    sql = "SELECT id, note, spend, COUNT(*) OVER () AS n FROM people ORDER BY id"
    by_rows, by_columns = source.frame(sql), source.columns_frame(sql)
    pd.testing.assert_frame_equal(by_columns, by_rows)

    class OnlyRun:
        def run(self, sql: str, **kw: Any) -> Any:
            return warehouse.run(sql, **kw)

    plain = RoleSource(roles={}, runner=OnlyRun())
    pd.testing.assert_frame_equal(plain.columns_frame(sql), by_rows)
    assert source.executed == [sql, sql]
