"""A marketer's own files as a small warehouse, so every tool runs the same SQL on them.

A CSV / Parquet / JSON Lines file, or a folder of them (read together, columns matched by
name), is loaded into an in-memory DuckDB table; the flags map its columns to the roles the
tools use (``--customer-column cid`` -> ``order_customer``). The result is a ``RoleSource``
over a guarded ``Warehouse``: the same one-SELECT guard and the same masking of e-mail
addresses and phone numbers as the real warehouse, with reading files switched off once
the tables are loaded.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp

from genbi.errors import WarehouseError
from genbi.semantic_layer.backends.duckdb_backend import DuckDBBackend
from genbi.semantic_layer.backends.location import Location
from genbi.semantic_layer.guard import SqlPolicy
from genbi.semantic_layer.sources import load_sheet, tidy_file_table
from genbi.semantic_layer.spreadsheets import SPREADSHEET_SUFFIXES, pick_sheet
from genbi.semantic_layer.text_encoding import is_encoding_error, utf8_copy
from genbi.semantic_layer.warehouse import Warehouse

from .base import ToolError
from .roles import RoleSource

_READERS = {".csv": "read_csv", ".tsv": "read_csv", ".txt": "read_csv", ".parquet": "read_parquet",
            ".jsonl": "read_json", ".ndjson": "read_json", ".json": "read_json",
            **dict.fromkeys(SPREADSHEET_SUFFIXES, "sheet")}


@dataclass(frozen=True)
class FileTable:
    """One table to load: its name, the file or folder, and ``column -> SQL type`` to keep.

    ``columns`` maps the file's column (as the user named it) to (output name, kind), kind
    one of ``id``, ``text``, ``time``, ``number``, ``flag``; a ``row_id`` (row number) is added.
    """

    name: str
    path: str
    columns: Mapping[str, tuple[str, str]]


def _files(path: str) -> tuple[str, list[str]]:
    """The reader function and the file list for a file or a folder of same-kind files."""
    target = Path(path).expanduser()
    if target.is_dir():
        found = sorted(p for p in target.iterdir() if p.suffix.lower() in _READERS and p.is_file())
        if not found:
            raise ToolError(f"The folder '{target}' holds no CSV, Parquet or JSON Lines file.",
                            "Point --file at a file or a folder of .csv / .parquet files.")
        kinds = {_READERS[p.suffix.lower()] for p in found}
        if kinds == {"sheet"} and len(found) > 1:
            raise ToolError(f"The folder '{target}' holds several workbooks; a tool reads one table.",
                            "Point --file at one workbook, or save the sheets as CSV files in one folder.")
        if len(kinds) > 1:
            raise ToolError(f"The folder '{target}' mixes file kinds ({', '.join(sorted(kinds))}).",
                            "Keep one kind of file per folder.")
        return kinds.pop(), [str(p) for p in found]
    if not target.is_file():
        raise ToolError(f"The file '{target}' does not exist.", "Check the path.")
    reader = _READERS.get(target.suffix.lower())
    if reader is None:
        raise ToolError(f"genbi cannot read '{target.suffix}' files.",
                        f"Use one of: {', '.join(sorted(_READERS))}.")
    return reader, [str(target)]


def _q(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


_CASTS = {
    "id": "{c}",
    "text": "CAST({c} AS VARCHAR)",
    "time": "TRY_CAST({c} AS TIMESTAMP)",
    "number": "TRY_CAST({c} AS DOUBLE)",
    "flag": "{c}",
}


def _load(connection: duckdb.DuckDBPyConnection, table: FileTable) -> list[str]:
    """Load ``table``; CSV files not in UTF-8 (Windows-1252, UTF-16) are read from UTF-8 copies."""
    reader, files = _files(table.path)
    try:
        return _load_files(connection, table, reader, files)
    except duckdb.Error as error:
        if reader != "read_csv" or not is_encoding_error(error):
            raise ToolError(f"The file '{table.path}' could not be read: {str(error).splitlines()[0]}") from None
        connection.execute("DROP TABLE IF EXISTS raw_input")
    except WarehouseError as error:  # a workbook that cannot be read
        raise ToolError(error.message, error.hint) from None
    with tempfile.TemporaryDirectory(prefix="genbi-") as folder:
        copies = [str(utf8_copy(Path(f), Path(folder))[0]) for f in files]
        try:
            return _load_files(connection, table, reader, copies)
        except duckdb.Error as error:
            raise ToolError(f"The file '{table.path}' could not be read: {str(error).splitlines()[0]}") from None


def _load_files(connection: duckdb.DuckDBPyConnection, table: FileTable, reader: str, files: list[str]) -> list[str]:
    if reader == "sheet":
        load_sheet(connection, "raw_input", pick_sheet(Path(files[0]), list(table.columns)))
    else:
        if reader == "read_json":
            relation = connection.read_json(files, format="newline_delimited")
        else:
            relation = getattr(connection, reader)(files, union_by_name=True)
        relation.create("raw_input")
    tidy_file_table(connection, "raw_input")
    present = [str(r[0]) for r in connection.execute("DESCRIBE raw_input").fetchall()]
    missing = []
    for column in table.columns:
        if column not in present:
            close = difflib.get_close_matches(column, present, n=1)
            missing.append(f"'{column}' is not a column{f' (did you mean {close[0]!r}?)' if close else ''}")
    if missing:
        raise ToolError(f"{Path(table.path).name}: {'; '.join(missing)}.",
                        f"Columns in the file: {', '.join(present)}. Map them with the --*-column flags, or give "
                        f"the file as --db instead: genbi then reads its columns itself (an export of order lines "
                        f"is grouped into orders).")
    select = ", ".join(f"{_CASTS[kind].format(c=_q(src))} AS {_q(out)}" for src, (out, kind) in table.columns.items())
    connection.execute(
        f"CREATE TABLE {_q(table.name)} AS SELECT ROW_NUMBER() OVER () AS row_id, {select} FROM raw_input")
    connection.execute("DROP TABLE raw_input")
    _check_times(connection, table)
    return ["row_id", *(out for out, _ in table.columns.values())]


def _check_times(connection: duckdb.DuckDBPyConnection, table: FileTable) -> None:
    for src, (out, kind) in table.columns.items():
        if kind == "time":
            total, bad = connection.execute(
                f"SELECT COUNT(*), COUNT(*) FILTER (WHERE {_q(out)} IS NULL) FROM {_q(table.name)}").fetchone() or (0, 0)
            if total and bad == total:
                raise ToolError(f"No value in the column '{src}' could be read as a date or timestamp.",
                                "Use ISO dates such as 2025-03-31 or 2025-03-31 14:05:00.")


def file_warehouse(tables: list[FileTable], derived: Mapping[str, str] | None = None) -> Warehouse:
    """An in-memory warehouse holding ``tables`` (and ``derived`` tables: name -> a SELECT of
    genbi's own over them), guarded and masked like the real one."""
    connection = duckdb.connect()
    columns = {}
    try:
        for table in tables:
            columns[table.name.lower()] = frozenset(c.lower() for c in _load(connection, table))
        for name, select in (derived or {}).items():
            connection.execute(f"CREATE TABLE {_q(name)} AS {select}")
            described = connection.execute(f"DESCRIBE {_q(name)}").fetchall()
            columns[name.lower()] = frozenset(str(r[0]).lower() for r in described)
        connection.execute("SET enable_external_access = false")
    except BaseException:
        connection.close()
        raise
    policy = SqlPolicy(columns=columns)
    names = ", ".join(t.path for t in tables)
    backend = DuckDBBackend(connection, Location(engine="duckdb", url=f"files: {names}"))
    return Warehouse(backend, allowed_tables=list(columns), policy=policy)


class TransactionsFileArgs(BaseModel):
    """Flags of a transactions file (one row per order): a file or folder and its columns."""

    model_config = ConfigDict(extra="forbid")

    file: str | None = Field(None, description="A transactions file or folder (CSV/Parquet) instead of the warehouse.")
    customer_column: str = Field("customer_id", description="Customer column in the file.")
    time_column: str = Field("ordered_at", description="Order timestamp column in the file.")
    amount_column: str = Field("revenue", description="Order amount column in the file.")


def transactions_source(args: TransactionsFileArgs) -> RoleSource:
    """Orders from a transactions file as the order roles (``order_id`` = row number)."""
    assert args.file is not None
    table = FileTable("orders", args.file, {
        args.customer_column: ("customer_id", "id"),
        args.time_column: ("ordered_at", "time"),
        args.amount_column: ("revenue", "number"),
    })
    roles = {"order_entity": "orders", "order_customer": "orders.customer_id",
             "order_time": "orders.ordered_at", "order_revenue": "orders.revenue",
             "order_id": "orders.row_id"}
    return RoleSource(roles=roles, runner=file_warehouse([table]), keys={"orders": "row_id"})
