"""DuckDB, the embedded default: a file opened read-only with external access off."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from genbi.errors import WarehouseError

from ..resource_limits import dense_group_bits as dense_group_bits_within
from ..resource_limits import limit_resources
from ..sources import TableSource, is_file_source, needs_views, open_modelled, open_raw
from . import deadlines
from .base import Fetched, first_line, query_error, timeout_error
from .location import Location, parse_location

_COLUMNS_SQL = (
    "SELECT table_name, column_name, data_type FROM information_schema.columns "
    "WHERE table_schema = 'main' AND table_catalog = current_database() "
    "ORDER BY table_name, ordinal_position"
)


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection that can no longer read files, URLs or the environment.

    External access is switched off with ``SET`` after connecting rather than in the connect
    config: DuckDB refuses a second in-process connection to a file under a different config,
    and the setting, once off, applies to every connection to that database and cannot be
    switched back on.
    """
    connection = limit_resources(duckdb.connect(str(path), read_only=True))
    connection.execute("SET enable_external_access = false")
    return connection


DENSE_GROUP_BITS_MAX = 24
"""The largest flat aggregate a statement may ask for (``dense_group_bits``): 2**24 slots, a
few hundred MB for a narrow aggregate, about what a hash table of that many groups takes."""


class DuckDBBackend:
    """A DuckDB file. One connection; every statement runs on a cursor of its own, so one
    backend serves several threads."""

    dialect = "duckdb"

    def __init__(self, connection: duckdb.DuckDBPyConnection, location: Location) -> None:
        self.connection = connection
        self.location = location
        self._running: set[duckdb.DuckDBPyConnection] = set()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, location: Location | str | Path,
             sources: Iterable[TableSource] | None = None) -> DuckDBBackend:
        """A DuckDB file, a folder of CSV/Parquet files or one such file; ``sources`` shows
        the model's tables under clean names. ``WarehouseError`` if it is missing,
        unreadable or locked by a writer."""
        location = location if isinstance(location, Location) else parse_location(location)
        path = location.path
        assert path is not None, "a DuckDB location is a file"
        if not path.exists():
            raise WarehouseError(
                f"No warehouse file at {path}.",
                "Check the path (--db or GENBI_DB), or generate the demo warehouse with "
                "`genbi data generate --out <file>`.",
            )
        mapped = tuple(sources or ())
        try:
            if mapped and needs_views(path, mapped):
                connection = open_modelled(path, mapped)
            elif is_file_source(path):
                connection = open_raw(path)
            else:
                connection = connect_read_only(path)
        except duckdb.Error as error:
            raise _open_error(path, error) from None
        return cls(connection, location)

    def execute(self, sql: str, *, max_rows: int, timeout_s: float,
                dense_group_bits: int | None = None) -> Fetched:
        """``dense_group_bits``: the statement groups by integer keys that span at most
        2**bits values (DuckDB knows each column's range), so DuckDB may aggregate into a flat
        array indexed by the key instead of a hash table: half the CPU for 28M events grouped
        by 8.9M sessions. Set on this statement's cursor only; the answer is the same."""
        return self._execute(sql, max_rows=max_rows, timeout_s=timeout_s, columnar=False,
                             dense_group_bits=dense_group_bits)

    def execute_columns(self, sql: str, *, max_rows: int, timeout_s: float) -> Fetched:
        """``execute`` with NumPy arrays instead of rows when every column is a plain number,
        boolean or text (``plain_columns``)."""
        return self._execute(sql, max_rows=max_rows, timeout_s=timeout_s, columnar=True)

    def _execute(self, sql: str, *, max_rows: int, timeout_s: float, columnar: bool,
                 dense_group_bits: int | None = None) -> Fetched:
        try:
            cursor = self.connection.cursor()
        except duckdb.Error as error:
            raise _gone(error) from None
        with self._lock:
            self._running.add(cursor)
        fired = threading.Event()
        started = time.perf_counter()
        timer = deadlines.after(timeout_s, _interrupt, cursor, fired)
        arrays: tuple[Any, ...] | None = None
        rows: list[Any] = []
        try:
            if dense_group_bits:
                bits = dense_group_bits_within(max(1, min(int(dense_group_bits), DENSE_GROUP_BITS_MAX)))
                cursor.execute(f"SET SESSION perfect_ht_threshold = {bits}")
            cursor.execute(sql)
            description = cursor.description or []
            types = tuple(str(d[1]) for d in description)
            names = tuple(str(d[0]) for d in description)
            if columnar and plain_columns(names, types):
                fetched = cursor.fetchnumpy()
                arrays = tuple(_unmasked(fetched[name][: max_rows + 1]) for name in names)
            else:
                rows = cursor.fetchmany(max_rows + 1)
        except Exception as error:
            if fired.is_set() or isinstance(error, duckdb.InterruptException):
                raise timeout_error(timeout_s) from None  # whatever the interrupted call raised
            if isinstance(error, duckdb.Error):
                raise query_error(error) from None
            raise
        finally:
            timer.cancel()
            with self._lock:
                self._running.discard(cursor)
            cursor.close()
        if fired.is_set() or time.perf_counter() - started > timeout_s:
            raise timeout_error(timeout_s)  # one long call outlived (or held off) the interrupt
        return Fetched(columns=names, types=types, rows=[tuple(row) for row in rows], arrays=arrays)

    def cancel(self) -> None:
        with self._lock:
            running = list(self._running)
        for cursor in running:
            _interrupt(cursor)

    def columns(self) -> dict[str, dict[str, str]]:
        try:
            cursor = self.connection.cursor()
        except duckdb.Error as error:
            raise _gone(error) from None
        try:
            found: dict[str, dict[str, str]] = {}
            for table, column, kind in cursor.execute(_COLUMNS_SQL).fetchall():
                found.setdefault(str(table), {})[str(column)] = str(kind)
            return found
        finally:
            cursor.close()

    def close(self) -> None:
        self.connection.close()


_PLAIN_TYPES = frozenset({"BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                          "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "VARCHAR"})
"""Types whose NumPy column holds the values a row would (a HUGEINT, e.g. a SUM of counts,
comes as a float: exact below 2**53). Dates, decimals, lists ... come as rows: their
NumPy forms (datetime64, float) are not the Python values the rows path gives."""


def plain_columns(names: tuple[str, ...], types: tuple[str, ...]) -> bool:
    """Every column plain (``_PLAIN_TYPES``) and every name distinct (columns are fetched by name)."""
    return bool(names) and len(set(names)) == len(names) and all(t.upper() in _PLAIN_TYPES for t in types)


def _unmasked(column: Any) -> Any:
    """A fetched column as a plain array: NULLs of a number column as NaN (float), of a text
    or boolean column as None (object), the values pandas gives the same rows."""
    import numpy as np

    if not isinstance(column, np.ma.MaskedArray):
        return column
    if not column.mask.any():
        return column.data
    if column.dtype.kind in "iuf":
        return np.where(column.mask, np.nan, column.data.astype(float))
    values = column.data.astype(object)
    values[column.mask] = None
    return values


def _interrupt(cursor: duckdb.DuckDBPyConnection, fired: threading.Event | None = None) -> None:
    """Stop a running query; harmless if it has just finished or its cursor closed."""
    if fired is not None:
        fired.set()
    with contextlib.suppress(duckdb.Error):
        cursor.interrupt()


def _gone(error: duckdb.Error) -> WarehouseError:
    """The connection was closed or the file went away."""
    return WarehouseError(
        f"The warehouse is not available: {first_line(error)}",
        "Restart genbi; check that the warehouse file is still there.",
    )


def _open_error(path: Path, error: duckdb.Error) -> WarehouseError:
    text = str(error)
    if "lock" in text.lower() or isinstance(error, duckdb.ConnectionException):
        return WarehouseError(
            f"The warehouse {path} is locked by a program that has it open for writing.",
            "Close that program (or its connection) and try again.",
        )
    if "not a valid DuckDB database" in text:
        return WarehouseError(
            f"{path} is not a DuckDB database file.",
            "Point --db at a .duckdb file, e.g. one made by `genbi data generate`.",
        )
    return WarehouseError(f"The warehouse {path} could not be opened: {first_line(error)}")
