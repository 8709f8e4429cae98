"""The read-only warehouse client: every statement passes the guard, runs capped and timed.

``Warehouse.open(target)`` opens a DuckDB file (the embedded default) or a warehouse URL
(``postgresql://…``, ``sc://host:15002`` …) through the backend seam (``backends``).
``run(sql)`` guards the statement, translates it from the dialect it was written in
(genbi's own SQL is DuckDB's) to the engine's, runs it under a timeout and returns at most
``row_cap`` rows with ``truncated`` set when there were more. Every backend is read-only by
its own construction too: the guard is the first lock, the connection the second.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from genbi.errors import UnsafeSQLError

from .backends import Backend, Location, open_backend, rewrites
from .backends.base import Fetched
from .backends.duckdb_backend import DuckDBBackend, connect_read_only
from .guard import SqlPolicy, active_policy, guard, policy_digest, prepare
from .masking import mask_columns, mask_rows
from .resource_limits import cap_cells, cap_column, query_timeout_s
from .result import ResultColumns, ResultTable
from .sources import TableSource

DEFAULT_ROW_CAP = 10_000
DEFAULT_TIMEOUT_S = 30.0
PASSED_KEPT = 512
HOUSE_DIALECT = "duckdb"
"""The dialect genbi's tools, planner, agent prompts and eval gold SQL are written in."""

__all__ = ["DEFAULT_ROW_CAP", "DEFAULT_TIMEOUT_S", "HOUSE_DIALECT", "Warehouse", "connect_read_only"]


class Warehouse:
    """A read-only warehouse behind the guard. Use ``Warehouse.open(target)``; close it."""

    def __init__(
        self,
        backend: Backend,
        *,
        allowed_tables: Iterable[str] | None = None,
        row_cap: int = DEFAULT_ROW_CAP,
        timeout_s: float | None = None,
        policy: SqlPolicy | None = None,
    ) -> None:
        self.backend = backend
        self.allowed_tables = None if allowed_tables is None else tuple(allowed_tables)
        self.row_cap = row_cap
        self.timeout_s = query_timeout_s(timeout_s if timeout_s is not None else getattr(
            backend, "default_timeout_s", DEFAULT_TIMEOUT_S))
        """Per statement: ``$GENBI_QUERY_TIMEOUT``, else the given, else the engine's default
        (a Spark cluster plans and ships each query as a job)."""
        self.policy = policy
        """The column allow-list every statement meets unless a request's policy is active."""
        self._schema: dict[str, dict[str, str]] | None = None
        self._passed_lock = threading.Lock()
        self._passed: OrderedDict[tuple[str, str, tuple[str, ...] | None, str], None] = OrderedDict()
        """Statements that passed the guard on this warehouse, with the tables and policy they
        were checked against: the same statement under the same rules passes again, so a
        repeated question skips re-parsing (the check is a pure function of these)."""

    @classmethod
    def open(
        cls,
        target: str | Path | Location,
        *,
        allowed_tables: Iterable[str] | None = None,
        row_cap: int = DEFAULT_ROW_CAP,
        timeout_s: float | None = None,
        policy: SqlPolicy | None = None,
        sources: Iterable[TableSource] | None = None,
    ) -> Warehouse:
        """Open a DuckDB file, a folder of CSV/Parquet files or one such file read-only, or
        connect to a warehouse URL; ``WarehouseError`` if it is missing, unreachable,
        unreadable or locked by a writer.

        ``sources`` (``sources.table_sources(model)``) shows the model's tables under their
        clean names when a local warehouse calls them otherwise ('Policy Holder').
        """
        return cls(
            open_backend(target, sources=sources),
            allowed_tables=allowed_tables,
            row_cap=row_cap,
            timeout_s=timeout_s,
            policy=policy,
        )

    @property
    def dialect(self) -> str:
        """The sqlglot dialect of the engine ('duckdb', 'postgres', 'spark' ...)."""
        return self.backend.dialect

    @property
    def columnar(self) -> bool:
        """Bulk reads (``run_columns``) come as NumPy arrays here: a DuckDB engine, whose SQL
        genbi writes (tools may then fetch a whole per-customer table and work on it in memory)."""
        return self.dialect == "duckdb" and callable(getattr(self.backend, "execute_columns", None))

    @property
    def dense_groups(self) -> bool:
        """``run(..., dense_group_bits=)`` is honoured here (a DuckDB file)."""
        return isinstance(self.backend, DuckDBBackend)

    @property
    def location(self) -> Location:
        return self.backend.location

    @property
    def path(self) -> Path | None:
        """The DuckDB file, for a file warehouse; None for a server."""
        return self.backend.location.path

    @property
    def shown(self) -> str:
        """Where the data is, safe to print (passwords masked)."""
        return self.backend.location.shown

    def run(
        self,
        sql: str,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
        allowed_tables: Iterable[str] | None = None,
        policy: SqlPolicy | None = None,
        dialect: str = HOUSE_DIALECT,
        built: exp.Expr | None = None,
        dense_group_bits: int | None = None,
    ) -> ResultTable:
        """Guard ``sql``, run it, and return at most ``max_rows`` (default ``row_cap``) rows.

        ``dialect`` is the one ``sql`` is written in (genbi's SQL is DuckDB's); it is
        translated to the engine's after the guard. The column allow-list is ``policy``,
        else the request's (``guard.policy_scope``), else the warehouse's own. Raises
        ``UnsafeSQLError`` for anything but one read-only query over allowed columns, and
        ``WarehouseError`` when the query fails or runs longer than the timeout. ``built``:
        the tree genbi's compiler rendered ``sql`` from, which the guard checks instead of
        parsing the text again (``guard.guard``). ``dense_group_bits``: a hint for a tool's big
        aggregate over dense integer keys (``DuckDBBackend.execute``); other engines ignore it.
        """
        statement, cap, limit, policy = self._prepare(sql, max_rows, timeout_s, allowed_tables, policy, dialect,
                                                      built)
        started = time.perf_counter()
        if dense_group_bits and isinstance(self.backend, DuckDBBackend):
            fetched = self.backend.execute(statement, max_rows=cap, timeout_s=limit,
                                           dense_group_bits=dense_group_bits)
        else:
            fetched = self.backend.execute(statement, max_rows=cap, timeout_s=limit)
        kept = self._kept_rows(fetched, cap, policy)
        return ResultTable(
            columns=fetched.columns,
            rows=kept,
            truncated=len(fetched.rows) > cap,
            row_count=len(kept),
            elapsed_ms=(time.perf_counter() - started) * 1000,
            sql=statement,
            types=fetched.types,
        )

    def run_columns(
        self,
        sql: str,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
        allowed_tables: Iterable[str] | None = None,
        policy: SqlPolicy | None = None,
        dialect: str = HOUSE_DIALECT,
    ) -> ResultColumns:
        """``run`` for a bulk read (a tool's per-customer table): the same guard, cap, cell
        limit and masking, with the result column by column as NumPy arrays when the engine
        can fetch it so (DuckDB, every column a plain number, boolean or text), else as rows.
        A million rows then skip a Python tuple each."""
        statement, cap, limit, policy = self._prepare(sql, max_rows, timeout_s, allowed_tables, policy, dialect)
        started = time.perf_counter()
        execute_columns = getattr(self.backend, "execute_columns", None)
        fetched = (execute_columns if execute_columns is not None else self.backend.execute)(
            statement, max_rows=cap, timeout_s=limit)
        arrays: tuple[Any, ...] | None = None
        rows: tuple[tuple[Any, ...], ...] = ()
        if fetched.arrays is not None:
            arrays = tuple(cap_column(column[:cap]) for column in fetched.arrays)
            if policy is not None and not policy.allow_private:
                arrays = mask_columns(arrays, fetched.types)
        else:
            rows = self._kept_rows(fetched, cap, policy)
        return ResultColumns(
            columns=fetched.columns,
            arrays=arrays,
            rows=rows,
            truncated=fetched.length > cap,
            row_count=len(arrays[0]) if arrays else len(rows),
            elapsed_ms=(time.perf_counter() - started) * 1000,
            sql=statement,
            types=fetched.types,
        )

    def _prepare(self, sql: str, max_rows: int | None, timeout_s: float | None,
                 allowed_tables: Iterable[str] | None, policy: SqlPolicy | None,
                 dialect: str, built: exp.Expr | None = None) -> tuple[str, int, float, SqlPolicy | None]:
        """Guard ``sql`` and translate it: the statement to run, its row cap, its time limit
        and the policy it was checked against."""
        tables = self.allowed_tables if allowed_tables is None else tuple(allowed_tables)
        policy = policy or active_policy() or self.policy
        self._guard(sql, dialect, tables, policy, built)
        statement = self._translate(sql, dialect)
        cap = self.row_cap if max_rows is None else max_rows
        limit = self.timeout_s if timeout_s is None else timeout_s
        return statement, cap, limit, policy

    @staticmethod
    def _kept_rows(fetched: Fetched, cap: int, policy: SqlPolicy | None) -> tuple[tuple[Any, ...], ...]:
        kept = cap_cells(tuple(fetched.rows[:cap]), fetched.types)
        if policy is not None and not policy.allow_private:
            kept = mask_rows(kept, types=fetched.types)  # e-mails and phone numbers inside any text
        return kept

    def _guard(self, sql: str, dialect: str, tables: tuple[str, ...] | None, policy: SqlPolicy | None,
               built: exp.Expr | None = None, *, remember: bool = True) -> None:
        key = (sql, dialect, tables, policy_digest(policy))
        with self._passed_lock:
            if key in self._passed:
                self._passed.move_to_end(key)
                return
        schema = self._real_schema() if policy is not None else None
        guard(sql, dialect=dialect, allowed_tables=tables, policy=policy, schema=schema, built=built)
        if not remember:
            return
        with self._passed_lock:
            self._passed[key] = None
            if len(self._passed) > PASSED_KEPT:
                self._passed.popitem(last=False)

    def check(self, sql: str, *, policy: SqlPolicy | None = None, built: exp.Expr | None = None) -> None:
        """The guard's verdict on ``sql`` (genbi's dialect) as ``run`` would reach it, without
        running it and without remembering the verdict (``Assistant.warm_up``). Raises
        ``UnsafeSQLError`` as ``run`` would."""
        self._guard(sql, HOUSE_DIALECT, self.allowed_tables, policy or active_policy() or self.policy, built,
                    remember=False)

    def prepare_guard(self, policy: SqlPolicy | None = None) -> None:
        """Read the warehouse's columns and ready the guard for ``policy`` (default: the
        warehouse's own) now, so the first question does not wait for it."""
        policy = policy or self.policy
        if policy is not None and not policy.closed:
            prepare(policy, self._real_schema(), HOUSE_DIALECT)

    def _translate(self, sql: str, dialect: str) -> str:
        """``sql`` in the engine's dialect; the translation is guarded again, in that dialect,
        so nothing the translator produced slips past."""
        if dialect == self.dialect:
            return sql
        try:
            tree = sqlglot.parse_one(sql, read=dialect)
            tree = rewrites.for_engine(tree, self.dialect, self._real_schema())
            statement = tree.sql(self.dialect)
        except SqlglotError as error:
            raise UnsafeSQLError(
                f"The query could not be translated for {self.dialect}: {error}",
                "Write it in plain SELECT syntax.",
            ) from None
        guard(statement, dialect=self.dialect)
        return statement

    def cancel(self) -> None:
        """Stop whatever this warehouse is running (e.g. the UI's stop button)."""
        self.backend.cancel()

    def _real_schema(self) -> dict[str, dict[str, str]]:
        """The warehouse's own columns (lower-case), so ``*`` expands to what it returns."""
        if self._schema is None:
            self._schema = {t.lower(): {c.lower(): k for c, k in cols.items()}
                            for t, cols in self.tables().items()}
        return self._schema

    def tables(self) -> dict[str, dict[str, str]]:
        """Table name -> {column name: DuckDB-style type}, for the tables genbi may see."""
        return self.backend.columns()

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
