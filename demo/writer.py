"""Writes contract tables into a DuckDB file, atomically.

Why a module of its own: it is the only place that knows about files and DuckDB. Tables
go into a temporary file beside the target, which replaces the target only once every
table is written, so a crash or Ctrl-C never leaves a half-written warehouse behind.
Column names, types and primary keys come from :mod:`genbi.demo.schema`, never from the
builders, so the contract cannot drift.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from types import TracebackType

import duckdb
import pandas as pd

from genbi.demo.columns import ColumnData, Frame, Labelled, Nullable, row_count
from genbi.demo.schema import Table, table
from genbi.errors import WarehouseError


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_statement(spec: Table) -> str:
    """``CREATE TABLE`` for a contract table; the text comes from the schema constants only."""
    columns = ", ".join(
        f"{_identifier(column.name)} {column.sql_type}"
        + (" PRIMARY KEY" if column.name == spec.primary_key else "")
        for column in spec.columns
    )
    return f"CREATE TABLE {_identifier(spec.name)} ({columns})"


def comment_statements(spec: Table) -> list[str]:
    """``COMMENT ON`` statements carrying the contract's meanings into the catalogue."""
    statements = [f"COMMENT ON TABLE {_identifier(spec.name)} IS {_literal(spec.meaning)}"]
    statements.extend(
        f"COMMENT ON COLUMN {_identifier(spec.name)}.{_identifier(column.name)} "
        f"IS {_literal(column.meaning)}"
        for column in spec.columns
    )
    return statements


def _pandas_column(data: ColumnData) -> object:
    if isinstance(data, Labelled):
        return pd.Categorical.from_codes(data.codes, categories=pd.Index(list(data.labels)))
    if isinstance(data, Nullable):
        return pd.arrays.IntegerArray(data.values, data.missing)
    return data


def to_dataframe(spec: Table, frame: Frame) -> pd.DataFrame:
    """The frame as a pandas DataFrame in contract column order (DuckDB scans it zero-copy)."""
    expected = [column.name for column in spec.columns]
    if list(frame) != expected:
        raise ValueError(
            f"table {spec.name}: columns {list(frame)} differ from contract {expected}"
        )
    return pd.DataFrame({name: _pandas_column(frame[name]) for name in expected}, copy=False)


class WarehouseWriter:
    """A DuckDB file being built; ``with`` it, ``write`` each table, and it lands on exit.

    >>> with WarehouseWriter(Path("demo.duckdb")) as writer:  # doctest: +SKIP
    ...     writer.write("products", products_frame)
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.temporary = target.with_name(
            f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        )
        self._connection: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> WarehouseWriter:
        try:
            self._connection = duckdb.connect(str(self.temporary))
        except duckdb.Error as error:
            raise WarehouseError(
                f"Cannot create the demo warehouse in {self.target.parent}: {error}",
                hint="Choose a folder you can write to.",
            ) from error
        # Per session: a global SET fails while another database is open in the process.
        self._connection.execute("SET SESSION enable_progress_bar = false")
        return self

    def write(self, name: str, frame: Frame) -> float:
        """Create table ``name`` from ``frame``; returns the seconds it took."""
        started = time.perf_counter()
        spec = table(name)
        connection = self._require_connection()
        dataframe = to_dataframe(spec, frame)
        connection.execute(create_statement(spec))
        connection.from_df(dataframe).insert_into(name)
        for statement in comment_statements(spec):
            connection.execute(statement)
        if row_count(frame) != len(dataframe):
            raise ValueError(f"table {name}: row count changed while writing")
        return time.perf_counter() - started

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection = self._require_connection()
        self._connection = None
        if exc_type is not None:
            connection.close()
            self._discard()
            return
        connection.execute("CHECKPOINT")
        connection.close()
        self._land()

    def _require_connection(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            raise RuntimeError("WarehouseWriter used outside its with-block")
        return self._connection

    def _land(self) -> None:
        stale_log = self.target.with_name(self.target.name + ".wal")
        try:
            stale_log.unlink(missing_ok=True)
            os.replace(self.temporary, self.target)
        except OSError as error:
            self._discard()
            raise WarehouseError(
                f"Cannot move the new demo warehouse into place at {self.target}: {error}",
                hint="Close programs that hold the file open, or choose another path.",
            ) from error

    def _discard(self) -> None:
        for leftover in (self.temporary, self.temporary.with_name(self.temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)
