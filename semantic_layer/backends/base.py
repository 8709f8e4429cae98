"""The seam's types: what a backend returns, the protocol it meets, shared messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from genbi.errors import WarehouseError

from .location import Location


@dataclass(frozen=True)
class Fetched:
    """What one statement returned: at most ``max_rows + 1`` rows, so the caller can tell
    that more existed."""

    columns: tuple[str, ...]
    types: tuple[str, ...]
    """DuckDB-style type names ('BIGINT', 'DOUBLE', 'VARCHAR', 'DATE', 'TIMESTAMP' ...)
    whatever the engine, so the layers above read one vocabulary."""
    rows: list[tuple[Any, ...]]
    arrays: tuple[Any, ...] | None = None
    """Column by column instead of ``rows`` (then empty): one NumPy array per column, at most
    ``max_rows + 1`` long, from a backend that can fetch columns (``ColumnarBackend``) when
    every column is a plain number, boolean or text. NULL numbers are NaN (an integer column
    with a NULL is float, as pandas makes it from rows), NULL text and booleans None."""

    @property
    def length(self) -> int:
        return len(self.arrays[0]) if self.arrays else len(self.rows)


class Backend(Protocol):
    """One warehouse engine behind genbi's guard."""

    location: Location
    dialect: str
    """The sqlglot dialect the engine speaks."""

    def execute(self, sql: str, *, max_rows: int, timeout_s: float) -> Fetched:
        """Run one guarded read-only statement; ``WarehouseError`` on failure or timeout."""
        ...

    def cancel(self) -> None:
        """Stop every statement this backend is running (from any thread)."""
        ...

    def columns(self) -> dict[str, dict[str, str]]:
        """Table -> {column: DuckDB-style type} for the tables genbi may see."""
        ...

    def close(self) -> None: ...


class ColumnarBackend(Backend, Protocol):
    """A backend that can also return a result column by column (DuckDB's NumPy fetch): a
    million-row tool read then skips building a Python tuple per row."""

    def execute_columns(self, sql: str, *, max_rows: int, timeout_s: float) -> Fetched:
        """Like ``execute``; ``arrays`` set when every column has a plain type, else ``rows``."""
        ...


def timeout_error(limit: float) -> WarehouseError:
    return WarehouseError(
        f"The query was stopped after {limit:g} s (the time limit).",
        "Narrow it down: a shorter period, fewer groups, or a filter.",
    )


def query_error(error: Any) -> WarehouseError:
    return WarehouseError(
        f"The warehouse could not run the query: {first_line(error)}",
        "Check table and column names with `genbi model show` or the model browser.",
    )


def first_line(error: Any) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
