"""A query's result as plain Python values, for every front end and tool alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ResultTable:
    """Rows of one read-only query, capped; ``truncated`` says more rows existed."""

    columns: tuple[str, ...]
    """Column names, in order."""
    rows: tuple[tuple[Any, ...], ...]
    """Rows as tuples of Python values (int, float, Decimal, str, bool, date, datetime, None)."""
    truncated: bool
    """True when the query had more rows than the cap and only the first ones are here."""
    row_count: int
    """Number of rows held in ``rows``."""
    elapsed_ms: float
    """Wall time to run the query and fetch the rows."""
    sql: str
    """The SQL that ran."""
    types: tuple[str, ...] = ()
    """Warehouse type names of the columns, when known (e.g. 'DATE', 'DOUBLE')."""

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """All values of one column."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class ResultColumns:
    """One read-only query's result column by column (``Warehouse.run_columns``): NumPy
    ``arrays`` when the engine could fetch them so, else the ``rows`` of ``ResultTable``.
    Either way the values are capped and masked like ``Warehouse.run``'s."""

    columns: tuple[str, ...]
    arrays: tuple[Any, ...] | None
    """One NumPy array per column (NULL numbers NaN, NULL text None), or None: see ``rows``."""
    rows: tuple[tuple[Any, ...], ...]
    """The rows, when ``arrays`` is None (an engine or a column type without a columnar fetch)."""
    truncated: bool
    row_count: int
    elapsed_ms: float
    sql: str
    types: tuple[str, ...] = ()
