"""A server warehouse read the way the model drafter reads a DuckDB connection.

``genbi model draft --db postgresql://…`` profiles tables with DuckDB SQL (counts, distinct
values, key containment). ``ServerReader.execute(sql)`` answers the same calls on any
backend: the table list and ``DESCRIBE`` from the backend's catalog, everything else
translated through the guarded ``Warehouse.run``. Text columns holding dates are recognised
as on a DuckDB file: a sample of their values comes back and is matched in DuckDB
(``sources.text_date_format``).
"""

from __future__ import annotations

import re
from typing import Any

from .location import parse_location

_DESCRIBE = re.compile(r"^\s*DESCRIBE\s+(.+?)\s*;?\s*$", re.IGNORECASE)
_TABLE_LIST = re.compile(r"information_schema\.tables", re.IGNORECASE)
ROW_CAP = 10_000_000


class Rows:
    """The answer to one ``execute``: ``fetchone`` / ``fetchall`` like a DuckDB cursor."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._rows)


class ServerReader:
    """DuckDB-connection-shaped reads over a warehouse URL (see the module docstring)."""

    server = True

    def __init__(self, url: str) -> None:
        from ..warehouse import Warehouse

        self.location = parse_location(url)
        self.warehouse = Warehouse.open(url, row_cap=ROW_CAP, timeout_s=600)
        self._columns = self.warehouse.tables()

    @property
    def name(self) -> str:
        """A name for the drafted model: the database (or dataset, schema) in the URL."""
        parts = [p for p in self.location.parts.path.replace(";", "/").split("/") if p and "=" not in p]
        return parts[-1] if parts else self.location.engine

    def execute(self, sql: str, parameters: Any = None) -> Rows:
        described = _DESCRIBE.match(sql)
        if described:
            table = described.group(1).strip('"`')
            return Rows([(c, k) for c, k in self._columns.get(table, {}).items()])
        if _TABLE_LIST.search(sql):
            return Rows([(t,) for t in sorted(self._columns)])
        return Rows(list(self.warehouse.run(sql, max_rows=ROW_CAP).rows))

    def close(self) -> None:
        self.warehouse.close()
