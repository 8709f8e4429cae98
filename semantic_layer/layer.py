"""The semantic layer's facade: a model, a warehouse and "today", answering query specs.

``explain(spec)`` compiles without running (plan + SQL, like MetricFlow's explain);
``query(spec)`` compiles, then runs through the guarded read-only warehouse, reading only
the model's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .compiled import CompiledQuery
from .compiler import compile_spec
from .model import SemanticModel
from .query_spec import QuerySpec
from .result import ResultTable
from .warehouse import Warehouse


@dataclass(frozen=True)
class SemanticLayer:
    model: SemanticModel
    warehouse: Warehouse
    as_of: date
    """"Today" for relative periods ("last month")."""
    dialect: str = "duckdb"

    def explain(self, spec: QuerySpec) -> CompiledQuery:
        """The SQL and output columns for ``spec``; nothing runs."""
        return compile_spec(spec, self.model, dialect=self.dialect, as_of=self.as_of)

    def query(self, spec: QuerySpec, *, max_rows: int | None = None) -> ResultTable:
        """Compile and run ``spec``."""
        compiled = self.explain(spec)
        return self.warehouse.run(
            compiled.sql, max_rows=max_rows, allowed_tables=self.model.table_names
        )

    def missing_in_warehouse(self) -> list[str]:
        """Model tables and columns the warehouse lacks (empty when they all exist)."""
        found = self.warehouse.tables()
        missing: list[str] = []
        for table in self.model.tables:
            columns = found.get(table.name)
            if columns is None:
                missing.append(table.name)
                continue
            missing += [f"{table.name}.{c}" for c in table.column_names if c not in columns]
        return missing
