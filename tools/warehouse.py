"""Opening a warehouse for the tools: the semantic layer's ``Warehouse`` when present.

``GuardedDuckDB`` is a small stand-in with the same seam (``run(sql)`` -> columns and rows,
read-only connection, every statement through ``semantic_layer.guard``), used by tests and
benchmarks on warehouses the tools build roles for by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from genbi.errors import WarehouseError
from genbi.semantic_layer.guard import guard

from .roles import RoleSource


@dataclass(frozen=True)
class Rows:
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


class GuardedDuckDB:
    """A read-only DuckDB file; ``run`` accepts one guarded SELECT."""

    def __init__(self, path: str | Path) -> None:
        try:
            self._con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as error:
            raise WarehouseError(f"The warehouse '{path}' could not be opened: {error}") from None

    def run(
        self, sql: str, *, max_rows: int | None = None, timeout_s: float | None = None
    ) -> Rows:
        guard(sql)
        try:
            cursor = self._con.execute(sql)
        except duckdb.Error as error:
            raise WarehouseError(f"The query failed: {error}") from None
        columns = [d[0] for d in cursor.description or ()]
        rows = cursor.fetchall() if max_rows is None else cursor.fetchmany(max_rows)
        return Rows(columns, rows)

    def close(self) -> None:
        self._con.close()


def open_source(path: str | Path, model: Any = None) -> RoleSource:
    """Roles of ``model`` (default: the shipped demo model) over the warehouse at ``path``."""
    import genbi.semantic_layer as semantic_layer

    model = model if model is not None else semantic_layer.load_model()
    warehouse_class = getattr(semantic_layer, "Warehouse", None)
    runner = warehouse_class.open(path) if warehouse_class is not None else GuardedDuckDB(path)
    return RoleSource.from_model(model, runner)
