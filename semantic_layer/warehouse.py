"""The read-only warehouse client: every statement passes the guard, runs capped and timed.

``Warehouse.open(path)`` connects to a DuckDB file read-only with external access off (the
second lock after the guard). ``run(sql)`` guards the statement, runs it on a cursor of its
own (so one Warehouse serves several threads), stops it after a timeout, and returns at
most ``row_cap`` rows with ``truncated`` set when there were more.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from genbi.errors import WarehouseError

from .guard import SqlPolicy, active_policy, guard
from .masking import mask_rows
from .result import ResultTable
from .sources import TableSource, is_file_source, needs_views, open_modelled, open_raw

DEFAULT_ROW_CAP = 10_000
DEFAULT_TIMEOUT_S = 30.0

_COLUMNS_SQL = (
    "SELECT table_name, column_name, data_type FROM information_schema.columns "
    "WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position"
)


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection that can no longer read files, URLs or the environment.

    External access is switched off with ``SET`` after connecting rather than in the connect
    config: DuckDB refuses a second in-process connection to a file under a different config,
    and the setting, once off, applies to every connection to that database and cannot be
    switched back on.
    """
    connection = duckdb.connect(str(path), read_only=True)
    connection.execute("SET enable_external_access = false")
    return connection


class Warehouse:
    """A read-only DuckDB warehouse. Use ``Warehouse.open(path)``; close it when done."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        *,
        path: Path | None = None,
        allowed_tables: Iterable[str] | None = None,
        row_cap: int = DEFAULT_ROW_CAP,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        policy: SqlPolicy | None = None,
    ) -> None:
        self._connection = connection
        self.path = path
        self.allowed_tables = None if allowed_tables is None else tuple(allowed_tables)
        self.row_cap = row_cap
        self.timeout_s = timeout_s
        self.policy = policy
        """The column allow-list every statement meets unless a request's policy is active."""
        self._schema: dict[str, dict[str, str]] | None = None

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        allowed_tables: Iterable[str] | None = None,
        row_cap: int = DEFAULT_ROW_CAP,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        policy: SqlPolicy | None = None,
        sources: Iterable[TableSource] | None = None,
    ) -> Warehouse:
        """Open a DuckDB file, a folder of CSV/Parquet files or one such file, read-only;
        ``WarehouseError`` if it is missing, unreadable or locked by a program writing to it.

        ``sources`` (``sources.table_sources(model)``) shows the model's tables under their
        clean names when the warehouse calls them otherwise ('Policy Holder').
        """
        path = Path(path).expanduser()
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
        return cls(
            connection,
            path=path,
            allowed_tables=allowed_tables,
            row_cap=row_cap,
            timeout_s=timeout_s,
            policy=policy,
        )

    def run(
        self,
        sql: str,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
        allowed_tables: Iterable[str] | None = None,
        policy: SqlPolicy | None = None,
    ) -> ResultTable:
        """Guard ``sql``, run it, and return at most ``max_rows`` (default ``row_cap``) rows.

        The column allow-list is ``policy``, else the request's (``guard.policy_scope``),
        else the warehouse's own. Raises ``UnsafeSQLError`` for anything but one read-only
        query over allowed columns, and ``WarehouseError`` when the query fails or runs
        longer than the timeout.
        """
        tables = self.allowed_tables if allowed_tables is None else tuple(allowed_tables)
        policy = policy or active_policy() or self.policy
        try:
            schema = self._real_schema() if policy is not None else None
            guard(sql, dialect="duckdb", allowed_tables=tables, policy=policy, schema=schema)
            cursor = self._connection.cursor()
        except duckdb.Error as error:  # the connection was closed or the file went away
            raise WarehouseError(
                f"The warehouse is not available: {_first_line(error)}",
                "Restart genbi; check that the warehouse file is still there.",
            ) from None
        cap = self.row_cap if max_rows is None else max_rows
        limit = self.timeout_s if timeout_s is None else timeout_s
        started = time.perf_counter()
        timer = threading.Timer(limit, _interrupt, args=(cursor,))
        timer.daemon = True
        timer.start()
        try:
            cursor.execute(sql)
            description = cursor.description or []
            rows = cursor.fetchmany(cap + 1)
        except duckdb.InterruptException:
            raise WarehouseError(
                f"The query took longer than {limit:g} s and was stopped.",
                "Narrow it down: a shorter period, fewer groups, or a filter.",
            ) from None
        except duckdb.Error as error:
            raise WarehouseError(
                f"The warehouse could not run the query: {_first_line(error)}",
                "Check table and column names with `genbi model show`.",
            ) from None
        finally:
            timer.cancel()
            cursor.close()
        kept = tuple(tuple(row) for row in rows[:cap])
        if policy is not None and not policy.allow_private:
            kept = mask_rows(kept)  # e-mails and phone numbers inside any text
        return ResultTable(
            columns=tuple(str(d[0]) for d in description),
            rows=kept,
            truncated=len(rows) > cap,
            row_count=min(len(rows), cap),
            elapsed_ms=(time.perf_counter() - started) * 1000,
            sql=sql,
            types=tuple(str(d[1]) for d in description),
        )

    def _real_schema(self) -> dict[str, dict[str, str]]:
        """The warehouse's own columns (lower-case), so ``*`` expands to what it returns."""
        if self._schema is None:
            self._schema = {t.lower(): {c.lower(): k for c, k in cols.items()}
                            for t, cols in self.tables().items()}
        return self._schema

    def tables(self) -> dict[str, dict[str, str]]:
        """Table name -> {column name: type}, for the tables of the main schema."""
        cursor = self._connection.cursor()
        try:
            found: dict[str, dict[str, str]] = {}
            for table, column, kind in cursor.execute(_COLUMNS_SQL).fetchall():
                found.setdefault(str(table), {})[str(column)] = str(kind)
            return found
        finally:
            cursor.close()

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _interrupt(cursor: duckdb.DuckDBPyConnection) -> None:
    """Stop a running query; harmless if it has just finished or its cursor closed."""
    with contextlib.suppress(duckdb.Error):
        cursor.interrupt()


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
    return WarehouseError(f"The warehouse {path} could not be opened: {_first_line(error)}")


def _first_line(error: Any) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
