"""Local data a user points ``--db`` at: a DuckDB file, a folder of CSV/Parquet, or one file.

Two ways to open it, both read-only and with external access off once open:

* ``open_raw`` shows the tables under their own names (a file's table is its stem): what
  the drafter profiles and what hand-written gold SQL runs on.
* ``open_modelled`` shows them under the semantic model's clean names: a model table with
  ``source: "Policy Holder"`` and a column with ``source: "Policy Number"`` become the view
  ``policy_holder`` with the column ``policy_number``. The compiler, the guard and every
  tool then only ever see lower-case identifiers, whatever the warehouse calls things.

Files are loaded into memory (DuckDB cannot read files once external access is off).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb
from sqlglot import exp

from genbi.errors import WarehouseError

from . import naming
from .csv_marks import export_marks, marked_copy
from .csv_preamble import header_line
from .resource_limits import limit_resources
from .spreadsheets import (
    SPREADSHEET_SUFFIXES,
    SheetTable,
    is_spreadsheet,
    read_workbook,
    sheet_frame,
)
from .sqlite_files import is_sqlite, read_sqlite, table_frame
from .text_encoding import is_encoding_error, utf8_copy

if TYPE_CHECKING:
    from .model import SemanticModel, Table

FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".json", ".jsonl", ".ndjson",
                 ".csv.gz", ".tsv.gz", *SPREADSHEET_SUFFIXES)
DUCKDB_SUFFIXES = (".duckdb", ".db", ".ddb")


@dataclass(frozen=True)
class TableSource:
    """One model table: its clean name, its name in the warehouse, and renamed columns."""

    name: str
    source: str
    columns: tuple[tuple[str, str], ...] = ()
    """(clean name, warehouse name) of every model column, when any of them is renamed."""
    parsed: tuple[tuple[str, str, str], ...] = ()
    """(clean name, strptime format, DATE or TIMESTAMP) of text columns read as dates."""
    composed: tuple[tuple[str, tuple[str, ...], bool], ...] = ()
    """(clean name, the warehouse's year, month and day columns, whether the month is text)
    of dates the warehouse keeps in parts ('arrival_date_year', 'arrival_date_month' ...)."""

    @property
    def renamed(self) -> bool:
        return self.name != self.source or any(a != b for a, b in self.columns) or bool(self.parsed) \
            or bool(self.composed)


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")


def composed_date(parts: tuple[str, ...], month_text: bool) -> exp.Expr:
    """``make_date(year, month, day)`` over the warehouse's columns (the first of the month
    without a day); a month kept as text is a month's name ('July', 'jul') or its number.
    ``make_date`` is DuckDB's, Postgres' and Spark's alike."""
    def column(name: str) -> exp.Expr:
        return exp.column(exp.to_identifier(name, quoted=True))

    def whole(value: exp.Expr) -> exp.Expr:
        return exp.cast(value, "INT")

    month: exp.Expr = whole(column(parts[1]))
    if month_text:
        said = exp.func("LOWER", exp.func("TRIM", exp.cast(column(parts[1]), "VARCHAR")))
        month = exp.Case(this=said, ifs=[
            exp.If(this=exp.Literal.string(word), true=exp.Literal.number(i + 1))
            for i, name in enumerate(MONTH_NAMES) for word in dict.fromkeys((name, name[:3]))
        ], default=whole(exp.func("NULLIF", said, exp.Literal.string(""))))
    day = whole(column(parts[2])) if len(parts) > 2 else exp.Literal.number(1)
    return exp.Anonymous(this="make_date", expressions=[whole(column(parts[0])), month, day])


def is_file_source(path: Path) -> bool:
    """A folder of data files or one data file (not a DuckDB database)."""
    return path.is_dir() or _suffix(path) in FILE_SUFFIXES or is_sqlite(path)


def data_files(path: Path) -> list[Path]:
    """The data files behind a file source, one table each, in name order."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_file() and _suffix(p) in FILE_SUFFIXES)


def table_name_of(file: Path) -> str:
    """The table a data file becomes: its name without the data suffixes."""
    name = file.name
    for suffix in sorted(FILE_SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return file.stem


def open_raw(path: str | Path) -> duckdb.DuckDBPyConnection:
    """The data under its own table and column names, read-only."""
    location = _existing(path)
    if is_file_source(location):
        connection = duckdb.connect()
        _load_files(connection, location, catalog="memory")
    else:
        connection = _connect_file(location)
    limit_resources(connection)
    connection.execute("SET enable_external_access = false")
    return connection


def open_modelled(path: str | Path, tables: Iterable[TableSource]) -> duckdb.DuckDBPyConnection:
    """The data under the model's clean names: one view per model table over the real one."""
    location = _existing(path)
    connection = duckdb.connect()
    try:
        if is_file_source(location):
            connection.execute("ATTACH ':memory:' AS src")
            _load_files(connection, location, catalog="src")
        else:
            literal = exp.Literal.string(str(location)).sql("duckdb")
            connection.execute(f"ATTACH {literal} AS src (READ_ONLY)")
        real = _real_tables(connection)
        for table in tables:
            _create_view(connection, table, real)
        limit_resources(connection)
        connection.execute("SET enable_external_access = false")
    except duckdb.Error as error:
        connection.close()
        raise WarehouseError(f"{location} could not be opened: {_first_line(error)}",
                             "Check that it is a DuckDB file or a folder of CSV/Parquet files.") from None
    return connection


def needs_views(path: str | Path, tables: Iterable[TableSource]) -> bool:
    """Whether ``path`` must be opened through views (files, or renamed tables/columns)."""
    return is_file_source(Path(path).expanduser()) or any(t.renamed for t in tables)


def quote(name: str) -> str:
    """An identifier quoted for DuckDB, whatever characters it holds."""
    return exp.Identifier(this=name, quoted=True).sql("duckdb")


# --- helpers ----------------------------------------------------------------------------------

def _create_view(connection: duckdb.DuckDBPyConnection, table: TableSource, real: dict[str, str]) -> None:
    found = real.get(table.source.lower())
    if found is None:
        raise WarehouseError(
            f"The model's table '{table.name}' reads '{table.source}', which is not in the warehouse.",
            "Check the table's source in the model (`genbi model check`), or draft it again.")
    if table.columns and (table.parsed or any(a != b for a, b in table.columns)):
        formats = {clean: (fmt, kind) for clean, fmt, kind in table.parsed}
        select = ", ".join(_read_column(real_name, clean, formats.get(clean)) for clean, real_name in table.columns)
    else:
        select = "*"
    for clean, parts, month_text in table.composed:
        select += f", {composed_date(parts, month_text).sql('duckdb')} AS {quote(clean)}"
    connection.execute(f"CREATE VIEW main.{quote(table.name)} AS SELECT {select} FROM src.main.{quote(found)}")


def _read_column(real_name: str, clean: str, parse: tuple[str, str] | None) -> str:
    if parse is None:
        return f"{quote(real_name)} AS {quote(clean)}"
    fmt, kind = parse
    literal = exp.Literal.string(fmt).sql("duckdb")
    target = "TIMESTAMP" if kind.upper().startswith("TIMESTAMP") else "DATE"
    return f"CAST(TRY_STRPTIME(CAST({quote(real_name)} AS VARCHAR), {literal}) AS {target}) AS {quote(clean)}"


def _real_tables(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = connection.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src' AND table_schema = 'main'"
    ).fetchall()
    return {str(r[0]).lower(): str(r[0]) for r in rows}


def _load_files(connection: duckdb.DuckDBPyConnection, location: Path, *, catalog: str) -> None:
    if is_sqlite(location):
        _load_sqlite(connection, location, catalog=catalog)
        return
    files = data_files(location)
    if not files:
        raise WarehouseError(f"No CSV, Parquet, JSON or Excel files in {location}.",
                             "Put one file per table in that folder (.csv, .parquet, .json, .xlsx).")
    taken = {table_name_of(f).lower() for f in files if not is_spreadsheet(f)}
    for file in files:
        if is_spreadsheet(file):
            for name, sheet in _sheet_names(file, read_workbook(file), taken):
                target = f"{catalog}.main.{quote(name)}"
                try:
                    load_sheet(connection, target, sheet)
                    _tidy(connection, target, cells=True)
                except duckdb.Error as error:
                    raise WarehouseError(f"Sheet '{sheet.sheet}' of {file.name} could not be read as a table: "
                                         f"{_first_line(error)}", "Check the sheet, or save it as CSV.") from None
            continue
        target = f"{catalog}.main.{quote(table_name_of(file))}"
        suffix = _suffix(file)
        reader = ("read_parquet" if suffix == ".parquet" else
                  "read_json_auto" if suffix in (".json", ".jsonl", ".ndjson") else "read_csv_auto")
        try:
            _read_file(connection, target, file, reader)
            _tidy(connection, target, cells=True)
        except duckdb.Error as error:
            raise WarehouseError(f"{file.name} could not be read as a table: {_first_line(error)}",
                                 "Check the file's format (one header row, one table per file).") from None


def _load_sqlite(connection: duckdb.DuckDBPyConnection, location: Path, *, catalog: str) -> None:
    """A SQLite file's tables (read with Python's sqlite3: DuckDB's reader is an extension it
    would have to download)."""
    tables = [t for t in read_sqlite(location) if t.columns]
    if not tables:
        raise WarehouseError(f"{location.name} is a SQLite database with no tables.",
                             "Check that it is the database you meant (its tables, not only views).")
    for table in tables:
        target = f"{catalog}.main.{quote(table.name)}"
        select = ", ".join(f"CAST(c{i} AS {kind}) AS {quote(name)}"
                           for i, (name, kind) in enumerate(zip(table.columns, table.kinds, strict=True)))
        try:
            with connection.cursor() as cursor:
                cursor.register("genbi_sqlite", table_frame(table))
                cursor.execute(f"CREATE TABLE {target} AS SELECT {select} FROM genbi_sqlite")
            _tidy(connection, target)
        except duckdb.Error as error:
            raise WarehouseError(f"Table '{table.name}' of {location.name} could not be read: {_first_line(error)}",
                                 "Export that table to CSV and open the folder instead.") from None


def _sheet_names(file: Path, sheets: list[SheetTable], taken: set[str]) -> list[tuple[str, SheetTable]]:
    """A workbook's one table is named after the file; several are named after their sheets
    (the file's name first when another file or sheet already has that name)."""
    stem = table_name_of(file)
    named = []
    for sheet in sheets:
        name = stem if len(sheets) == 1 else sheet.sheet.strip() or stem
        if name.lower() in taken:
            name = f"{stem}_{sheet.sheet.strip()}"
        taken.add(name.lower())
        named.append((name, sheet))
    return named


def load_sheet(connection: duckdb.DuckDBPyConnection, target: str, sheet: SheetTable) -> None:
    """One sheet's typed columns as a table (through a pandas frame DuckDB scans in place)."""
    frame = sheet_frame(sheet)
    frame.columns = [f"c{i}" for i in range(len(sheet.columns))]
    select = ", ".join(f"CAST(c{i} AS {kind}) AS {quote(name)}"
                       for i, (name, kind) in enumerate(zip(sheet.columns, sheet.kinds, strict=True)))
    with connection.cursor() as cursor:  # its own connection: an earlier fetchone() leaves no result in the way
        cursor.register("genbi_sheet", frame)
        cursor.execute(f"CREATE TABLE {target} AS SELECT {select} FROM genbi_sheet")


def _read_file(connection: duckdb.DuckDBPyConnection, target: str, file: Path, reader: str) -> None:
    """Load one file; a CSV that is not UTF-8 (Windows-1252, UTF-16) is read from a UTF-8 copy."""
    literal = exp.Literal.string(str(file)).sql("duckdb")
    skip = header_line(file) if reader == "read_csv_auto" else 0
    options = f", skip={skip}, header=true" if skip else ""
    marks = export_marks(file, skip) if reader == "read_csv_auto" else None
    if marks:  # a payment bill's backticks and summary lines: read from a copy without them
        with tempfile.TemporaryDirectory(prefix="genbi-") as folder:
            _read_file(connection, target, marked_copy(file, Path(folder), marks), reader)
        return
    try:
        connection.execute(f"CREATE TABLE {target} AS SELECT * FROM {reader}({literal}{options})")
    except duckdb.InvalidInputException as error:
        if reader != "read_csv_auto" or not is_encoding_error(error):
            raise
        with tempfile.TemporaryDirectory(prefix="genbi-") as folder:
            copy, _ = utf8_copy(file, Path(folder))
            copied = exp.Literal.string(str(copy)).sql("duckdb")
            connection.execute(f"CREATE TABLE {target} AS SELECT * FROM {reader}({copied}{options})")
    if skip:
        _drop_empty_unnamed(connection, target)


def _drop_empty_unnamed(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """A column with no header and no values (the empty column A of a sheet whose table starts
    in column B, saved as CSV): nothing to ask about, dropped."""
    described = connection.execute(f"SELECT * FROM {target} LIMIT 0").description or []
    for name in [str(d[0]) for d in described if re.fullmatch(r"column\d+", str(d[0]))]:
        filled = connection.execute(f"SELECT COUNT({quote(name)}) FROM {target}").fetchone()
        if filled is not None and filled[0] == 0:
            connection.execute(f"ALTER TABLE {target} DROP COLUMN {quote(name)}")


DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d",
                "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
                "%Y/%m/%d %H:%M:%S", "%d.%m.%Y %H:%M", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y",
                "%d-%b-%Y", "%b %d, %Y", "%d-%m-%Y %H:%M", "%d-%m-%Y", "%m-%d-%Y")
"""Text dates: those DuckDB's CSV reader leaves as text ('12/1/2010 8:26' in retail exports),
and ISO dates kept in a text column (a server table loaded from CSV as text)."""
_DATE_SAMPLE = 2000


class _Executes(Protocol):
    def execute(self, sql: str) -> Any: ...


FILE_DATE_FORMATS = (*DATE_FORMATS, "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%b %d, %Y %I:%M %p",
                     "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M %p", "%Y-%m-%d %I:%M %p")
"""More text dates a loaded file is read in (genbi's in-memory copy only, so no other engine has
to read them): Shopify's '2024-07-01 10:15:22 -0400' (the wall-clock time kept, the offset
dropped: a day is the shop's day) and Mailchimp's 'Jul 01, 2024 09:00 am'."""

_OFFSET = exp.Literal.string(r"\s*(?:[+-]\d{2}:?\d{2}|Z)$").sql("duckdb")


def text_date_format(connection: _Executes, table: str, column: str,
                     formats: tuple[str, ...] = DATE_FORMATS) -> str | None:
    """The format of ``formats`` every sampled value of a text column is written in.

    The sample is fetched and matched in DuckDB here, so a DuckDB file and a server
    (``backends.reader.ServerReader``, with the same SELECT translated) get one verdict."""
    sample = [str(row[0]) for row in connection.execute(
        f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL LIMIT {_DATE_SAMPLE}").fetchall()]
    return date_format_of(sample, formats)


def day_month_swapped(connection: _Executes, table: str, column: str, fmt: str) -> str | None:
    """The format with day and month swapped when every sampled value reads both ways
    ('04-09-2012' is 4 September or April 9): the draft then says which it chose."""
    if "%d" not in fmt or "%m" not in fmt:
        return None
    other = fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
    sample = [str(row[0]) for row in connection.execute(
        f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL LIMIT {_DATE_SAMPLE}").fetchall()]
    with duckdb.connect() as matcher:
        found = matcher.execute("SELECT COUNT(TRY_STRPTIME(v, ?)) FROM UNNEST(?::VARCHAR[]) AS t(v)",
                                [other, sample]).fetchone()
    return other if sample and found and int(found[0]) == len(sample) else None


def date_format_of(values: list[str], formats: tuple[str, ...] = DATE_FORMATS) -> str | None:
    """The first of ``formats`` DuckDB's ``TRY_STRPTIME`` reads every value in."""
    if not values:
        return None
    with duckdb.connect() as matcher:
        for fmt in formats:
            found = matcher.execute("SELECT COUNT(TRY_STRPTIME(v, ?)) FROM UNNEST(?::VARCHAR[]) AS t(v)",
                                    [fmt, values]).fetchone()
            if found and int(found[0]) == len(values):
                return fmt
    return None


def _parse_text_dates(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Turn text columns holding dates in one of ``DATE_FORMATS`` into DATE / TIMESTAMP, so
    a loaded file has its time column (only in genbi's in-memory copy, never in the file)."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) != "VARCHAR":
            continue
        column = quote(str(name))
        fmt = text_date_format(connection, target, column, FILE_DATE_FORMATS)
        if fmt is not None:
            kind_to = "TIMESTAMP" if "%H" in fmt or "%I" in fmt else "DATE"
            text = column
            if fmt.endswith(" %z"):  # the time as the shop's clock read it
                fmt, text = fmt.removesuffix(" %z"), f"regexp_replace({column}, {_OFFSET}, '')"
            literal = exp.Literal.string(fmt).sql("duckdb")
            connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE {kind_to} "
                               f"USING CAST(STRPTIME({text}, {literal}) AS {kind_to})")


_DATE_WORDS = {"date", "day", "period", "yyyymmdd"}
_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UINTEGER", "UBIGINT", "VARCHAR"}


def _parse_compact_dates(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Dates written as eight digits, year first (Google Analytics' Date 20240701, read as a
    number by the CSV reader, or kept as text): read as DATE when the header names a date or a
    day and every filled value is a real day between 1900 and 2100 ('20241301' keeps the column
    a number, and so does any value of another length)."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        said = naming.words(str(name))
        if str(kind) not in _INTEGERS or not (set(said) & _DATE_WORDS or (len(said) > 1 and said[-1] == "on")):
            continue  # 'became_member_on' 20170212 (Starbucks' profile.json): the day it happened on
        column = quote(str(name))
        text = f"CAST({column} AS VARCHAR)"
        day = f"TRY_STRPTIME({text}, '%Y%m%d')"
        found = connection.execute(
            f"SELECT COUNT({column}), COUNT(*) FILTER (WHERE regexp_full_match(trim({text}), '(19|20)\\d{{6}}') "
            f"AND {day} IS NOT NULL) FROM {target}").fetchone()
        if found and found[0] and found[0] == found[1]:
            connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE DATE "
                               f"USING CAST(STRPTIME(trim({text}), '%Y%m%d') AS DATE)")
    _parse_compact_hours(connection, target)


_HOUR_STAMPS = ((r"\d{10}", "%Y%m%d%H"), (r"\d{8}", "%y%m%d%H"))
"""An hour written as digits: GA4's dateHour 2024070113 (ten, year first), Avazu's 'hour'
14102100 (eight, a two-digit year: 2014-10-21 00:00)."""


def _parse_compact_hours(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Hours written as digits, year first ('hour' 14102100, 'dateHour' 2024070113): read as
    TIMESTAMP when the header names an hour and every filled value is one length that reads as a
    real hour, so "clicks by day" has a time and 14102100 is never summed or split as a number (an
    'hour' of 0..23 is an hour of the day and stays a number)."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) not in _INTEGERS or "hour" not in naming.words(str(name)):
            continue
        column = quote(str(name))
        text = f"trim(CAST({column} AS VARCHAR))"
        for digits, fmt in _HOUR_STAMPS:
            stamp = f"TRY_STRPTIME({text}, '{fmt}')"
            found = connection.execute(
                f"SELECT COUNT({column}), COUNT(*) FILTER (WHERE regexp_full_match({text}, '{digits}') AND {stamp} "
                f"BETWEEN TIMESTAMP '1990-01-01' AND TIMESTAMP '2100-01-01') FROM {target}").fetchone()
            if found and found[0] and found[0] == found[1]:
                connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE TIMESTAMP "
                                   f"USING STRPTIME({text}, '{fmt}')")
                break


_EPOCH_WORDS = {"timestamp", "time", "ts", "datetime", "epoch", "unix", "at", "created", "updated", "date"}
_EPOCH_RANGES = ((631152000, 4102444800, 1_000_000), (631152000_000, 4102444800_000, 1_000))
"""Seconds, then milliseconds, since 1970-01-01 UTC, from 1990 to 2100 (10 and 13 digits), and
what each is multiplied by to make microseconds."""


def _parse_epoch_times(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Times written as unix epochs (Taobao's UserBehavior 'timestamp' 1511544070, a tracker's
    'event_time_ms' 1720000000000): read as TIMESTAMP (UTC, no zone) when the header names a time
    and every filled value is whole seconds (or milliseconds) between 1990 and 2100, so "purchases
    by day" has a time and the epochs are never summed as an amount."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        words = set(naming.words(str(name)))
        if str(kind) not in _INTEGERS - {"VARCHAR"} or not words & _EPOCH_WORDS or words & {"id", "key", "zone"}:
            continue
        column = quote(str(name))
        for low, high, scale in _EPOCH_RANGES:
            found = connection.execute(f"SELECT COUNT({column}), COUNT(*) FILTER (WHERE {column} BETWEEN {low} AND "
                                       f"{high}) FROM {target}").fetchone()
            if found and found[0] and found[0] == found[1]:
                connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE TIMESTAMP "
                                   f"USING make_timestamp(CAST({column} AS BIGINT) * {scale})")
                break


_FILLED = {"VARCHAR", "BOOLEAN", "DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"}


def _fill_group_fields(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """A file of lines whose header fields are written on a group's FIRST row only (Shopify's
    orders_export: an order's 'Financial Status', 'Billing City', 'Paid at' on its first line
    item, blank on the others): those fields are copied down to the group's other rows, so
    'orders by billing city' or 'units sold by financial status' has no blank group. The group
    is a text column repeated over contiguous rows ('#1001' in 'Name'); only text, yes/no and
    dates are copied — amounts ('Total') stay on the first row and are summed as they are."""
    described = connection.execute(f"DESCRIBE {target}").fetchall()
    counted = connection.execute(f"SELECT COUNT(*) FROM {target}").fetchone()
    rows = int(counted[0]) if counted else 0
    if rows < 10:
        return
    blanks = [quote(str(name)) for name, kind, *_ in described if str(kind) in _FILLED]
    for name, kind, *_ in described:
        if str(kind) != "VARCHAR":
            continue
        group = quote(str(name))
        groups = _groups_lines(connection, target, group, rows)
        if not groups:
            continue
        others = [c for c in blanks if c != group]
        if not others:
            return
        checks = ", ".join(f"COUNT(*) FILTER (WHERE NOT head AND {c} IS NOT NULL), COUNT(*) FILTER (WHERE head AND {c} "
                           f"IS NOT NULL), COUNT(*) FILTER (WHERE head AND lines > 1 AND {c} IS NOT NULL)"
                           for c in others)
        counts = connection.execute(
            f"SELECT {checks} FROM (SELECT *, rowid = MIN(rowid) OVER (PARTITION BY {group}) AS head, "
            f"COUNT(*) OVER (PARTITION BY {group}) AS lines FROM {target})").fetchone() or ()
        # a field on most first rows, or an optional one ('Discount Code') on the first rows of
        # many orders of several lines and never on a second line: the order's, not the line's
        fill = [c for i, c in enumerate(others) if counts[3 * i] == 0
                and (counts[3 * i + 1] * 2 >= groups or counts[3 * i + 2] >= _FIELD_EVIDENCE)]
        if not fill:
            continue
        replaced = ", ".join(f"FIRST_VALUE({c}) OVER (PARTITION BY {group} ORDER BY rowid) AS {c}" for c in fill)
        connection.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT * REPLACE ({replaced}) FROM {target} "
                           f"ORDER BY rowid")
        return


_FIELD_EVIDENCE = 20
"""First rows of orders of several lines that carry an optional field, none of their other rows
ever carrying it, before the field is taken for the order's: by chance alone that is unlikely."""


def _groups_lines(connection: duckdb.DuckDBPyConnection, target: str, group: str, rows: int) -> int:
    """How many groups text column ``group`` ('#1001', 'E2024…') makes of a file's rows when they
    are runs of lines (on every row, repeated, each value's rows together, second rows a tenth
    of the file); 0 when they are not."""
    found = connection.execute(
        f"SELECT COUNT(*), COUNT(*) FILTER (WHERE n > 1), COUNT(*) FILTER (WHERE last - first + 1 <> n), "
        f"SUM(n) FROM (SELECT COUNT(*) AS n, MIN(rowid) AS first, MAX(rowid) AS last FROM {target} "
        f"WHERE {group} IS NOT NULL GROUP BY {group})").fetchone()
    if found is None:
        return 0
    groups, repeated, scattered, covered = found
    lines = int(covered or 0) == rows and bool(repeated) and not scattered and (rows - groups) * 10 >= rows
    return int(groups) if lines else 0


_GROUP_AMOUNTS = {"amount", "total", "subtotal", "freight", "shipping", "postage", "fee", "fees", "tax", "taxes",
                  "payment", "paid", "payable", "revenue", "sales", "gmv", "charge", "charges", "due", "balance"}
"""Header words of an amount that belongs to a whole order: 订单实付金额 (order payment amount), 运费."""


def _once_per_group(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """A file of lines that repeats its order's amounts on every line (有赞's 订单实付金额 and
    运费 on each item of an order): summed as they are, an order of three items counts its
    total three times. An amount the same on every line of every order, where some other
    number differs between an order's lines, is kept on the order's first line only, as
    Shopify's export writes it, so sums and averages count each order once."""
    described = connection.execute(f"DESCRIBE {target}").fetchall()
    counted = connection.execute(f"SELECT COUNT(*) FROM {target}").fetchone()
    rows = int(counted[0]) if counted else 0
    numbers = [str(name) for name, kind, *_ in described if str(kind) in ("DOUBLE", "BIGINT", "INTEGER", "DECIMAL")
               or str(kind).startswith("DECIMAL")]
    amounts = [n for n in numbers if set(naming.words(n)) & _GROUP_AMOUNTS and not naming.is_id_like(n)
               and not set(naming.words(n)) & _CODE_WORDS]
    if rows < 10 or not amounts or len(numbers) < 2:
        return
    for name, kind, *_ in described:
        group = quote(str(name))
        if str(kind) != "VARCHAR" or not _groups_lines(connection, target, group, rows):
            continue
        checks = ", ".join(f"COUNT(*) FILTER (WHERE n > 1 AND (lo_{i} IS DISTINCT FROM hi_{i} OR k_{i} <> n))"
                           for i in range(len(numbers)))
        inner = ", ".join(f"MIN({quote(c)}) AS lo_{i}, MAX({quote(c)}) AS hi_{i}, COUNT({quote(c)}) AS k_{i}"
                          for i, c in enumerate(numbers))
        differ = connection.execute(f"SELECT {checks} FROM (SELECT COUNT(*) AS n, {inner} FROM {target} "
                                    f"GROUP BY {group})").fetchone() or ()
        same = [c for i, c in enumerate(numbers) if c in amounts and differ[i] == 0]
        if not same or all(differ[i] == 0 for i in range(len(numbers))):
            return  # no order-level amount, or no number that differs between lines: rows are no lines
        kept = ", ".join(f"CASE WHEN rowid = MIN(rowid) OVER (PARTITION BY {group}) THEN {quote(c)} END AS {quote(c)}"
                         for c in same)
        connection.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT * REPLACE ({kept}) FROM {target} "
                           f"ORDER BY rowid")
        return


def tidy_file_table(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """A file loaded into table ``target`` read as ``open_raw`` reads it (total rows dropped,
    '$1,234.50' and '07/01/2024' read as what they say): a tool's ``--file`` sees the same
    numbers as a question about that file."""
    _tidy(connection, target, cells=True)


def _tidy(connection: duckdb.DuckDBPyConnection, target: str, *, cells: bool = False) -> None:
    """What an exported report carries besides its records: total rows, then text a reader left
    for dates and numbers (genbi's in-memory copy only, never the file). ``cells``: a file's or
    a sheet's cells, whose numbers may be text (a database's declared TEXT stays text)."""
    _flatten_objects(connection, target)
    _drop_total_rows(connection, target)
    _parse_text_dates(connection, target)
    _parse_compact_dates(connection, target)
    _parse_epoch_times(connection, target)
    _fill_group_fields(connection, target)
    _parse_blank_numbers(connection, target)
    _parse_formatted_numbers(connection, target)
    if cells:
        _parse_text_numbers(connection, target)
    _parse_durations(connection, target)
    _parse_unit_durations(connection, target)
    _micros_as_units(connection, target)
    _blank_impossible_ages(connection, target)
    _blank_minus_one(connection, target)
    _once_per_group(connection, target)


_PLAIN_NUMBER = r"[+-]?(?:0|[1-9]\d{0,9})(?:\.\d+)?"
_CODE_WORDS = {"phone", "mobile", "telephone", "tel", "zip", "postal", "postcode", "code", "id", "number", "no", "sku",
               "ean", "upc", "isbn", "year", "account", "card"}


def _parse_text_numbers(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Numbers a spreadsheet stores as text (Excel's 'number stored as text', common in platform
    exports: 展现量 '15267', 花费 '294.58'), or a CSV reader kept as text for a placeholder ('-'
    for an SMS's opens, a paused ad plan's cost per click) or a total row since dropped: read as
    numbers when every filled cell is a plain number with no leading zero (a code keeps '02134')
    and at most ten digits before the point (a phone number stays text), and the header names no
    code, id or phone; placeholders are empty."""
    pattern = exp.Literal.string(_PLAIN_NUMBER).sql("duckdb")
    blanks = ", ".join(exp.Literal.string(p).sql("duckdb") for p in PLACEHOLDERS)
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) != "VARCHAR" or naming.is_id_like(str(name)) or set(naming.words(str(name))) & _CODE_WORDS:
            continue
        column = quote(str(name))
        value = f"trim({column})"
        filled = f"{column} IS NOT NULL AND lower({value}) NOT IN ({blanks})"
        found = connection.execute(
            f"SELECT COUNT(*) FILTER (WHERE {filled}), "
            f"COUNT(*) FILTER (WHERE {filled} AND NOT regexp_full_match({value}, {pattern})), "
            f"COUNT(*) FILTER (WHERE {filled} AND contains({value}, '.')) FROM {target}").fetchall()
        total, other, dotted = found[0]
        if not total or other:
            continue
        kind_to = "DOUBLE" if dotted else "BIGINT"
        connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE {kind_to} USING "
                           f"CASE WHEN {filled} THEN CAST({value} AS {kind_to}) END")


_DURATION_NAME = re.compile(r"duration|length|time (?:on|spent)|watch ?time|engagement time|时长|停留", re.IGNORECASE)


def _parse_durations(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """A duration a report prints as a clock ('Avg. Session Duration' 00:01:57) is read as a
    time of day by the CSV reader, which can be neither summed nor averaged: read as seconds
    when the header names a duration (a 'Time' column of clock times stays a time)."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) == "TIME" and _DURATION_NAME.search(str(name)):
            column = quote(str(name))
            connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE DOUBLE USING epoch({column})")


_TIME_UNITS = r"(second|sec|minute|min|hour|hr|day|week|month|year|yr)"
_WITH_UNIT = rf"(?i)^\s*(\d{{1,9}}(?:\.\d+)?)\s*{_TIME_UNITS}s?\.?\s*$"


def _flatten_objects(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """A JSON object in a column (Starbucks' transcript.json: 'value' is {"amount": 0.83} on a
    transaction, {"offer id": ...} on an offer received, {"offer_id": ..., "reward": 2} on one
    completed) read as one column per key: no question can sum 'value', but it can sum 'amount'.
    Keys written two ways ('offer id', 'offer_id') are one column; a key named like a column the
    table has already keeps the object's name in front ('value_time')."""
    _json_text_objects(connection, target)
    for _ in range(3):  # an object inside an object: one level a pass
        described = connection.execute(f"DESCRIBE {target}").fetchall()
        objects = [str(row[0]) for row in described if str(row[1]).startswith("STRUCT(")]
        if not objects:
            return
        taken = {str(row[0]).lower() for row in described if str(row[0]) not in objects}
        picks: list[str] = []
        for name in objects:
            fields = [str(d[0]) for d in connection.execute(
                f"SELECT unnest({quote(name)}) FROM {target} LIMIT 0").description or []]
            same: dict[str, list[str]] = {}
            for field in fields:
                same.setdefault(re.sub(r"[^0-9a-z]+", "_", field.lower()).strip("_") or "field", []).append(field)
            for key, spelled in same.items():
                clean = re.sub(r"[^0-9A-Za-z]+", "_", spelled[0]).strip("_") or key  # 'deviceCategory' keeps its words
                column = clean if clean.lower() not in taken else f"{name}_{clean}"
                taken.add(column.lower())
                parts = ", ".join(f"struct_extract({quote(name)}, {exp.Literal.string(f).sql('duckdb')})"
                                  for f in spelled)
                picks.append(f"{'COALESCE(' + parts + ')' if len(spelled) > 1 else parts} AS {quote(column)}")
        kept = ", ".join(quote(name) for name in objects)
        connection.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT * EXCLUDE ({kept}), "
                           f"{', '.join(picks)} FROM {target}")


_MICROS = re.compile(r"(?:^|[._ ])(?:micros|\w*_micros|\w*Micros)$"
                     r"|(?:^|[._])(?:total)?(?:local)?(?:transaction|product)(?:revenue|price|tax|shipping)$",
                     re.IGNORECASE)
"""Money kept in millionths: a name that says so ('cost_micros', Google Ads) or Google Analytics'
export fields (totals.transactionRevenue, productRevenue, productPrice: 'multiplied by 10^6')."""


def _micros_as_units(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Millionths of a currency unit (GA's transactionRevenue 37860000 is $37.86) as units: summed
    as they are, revenue would be a million times too large. Only whole numbers every one of which
    is a multiple of 10,000 (whole cents), so an amount already in units is left as it is."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) not in ("BIGINT", "HUGEINT", "INTEGER", "UBIGINT") or not _MICROS.search(str(name)):
            continue
        column = quote(str(name))
        found = connection.execute(f"SELECT COUNT({column}) FILTER (WHERE {column} <> 0), "
                                   f"COUNT({column}) FILTER (WHERE {column} <> 0 AND {column} % 10000 = 0) "
                                   f"FROM {target}").fetchone()
        if found and found[0] and found[0] == found[1]:
            connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE DOUBLE USING {column} / 1000000.0")


_CHANGES = {"change", "delta", "diff", "difference", "growth", "net", "balance", "adjustment", "variance", "gain",
            "loss", "profit", "return", "returns", "score", "sentiment", "rating", "lift", "trend", "offset"}


def _blank_minus_one(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """-1 written for "none" in a column of counts, positions or times that are never negative
    (Criteo's time_since_last_click, click_pos, conversion_timestamp: -1 where there was no
    click): empty, so an average is over the rows that have one. Only when -1 is the one
    negative value, on 5% of the rows or more, among more than ten other values, and the header
    names no change, balance or score (whose -1 is a value)."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind).split("(")[0] not in ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "DOUBLE") \
                or set(naming.words(str(name))) & _CHANGES:
            continue
        column = quote(str(name))
        found = connection.execute(
            f"SELECT COUNT(*) FILTER (WHERE {column} = -1), COUNT(*) FILTER (WHERE {column} < 0 AND {column} <> -1), "
            f"COUNT(DISTINCT {column}) FILTER (WHERE {column} >= 0), COUNT(*) FROM {target}").fetchone()
        if found and found[0] and not found[1] and found[2] > 10 and found[0] * 20 >= found[3]:
            connection.execute(f"UPDATE {target} SET {column} = NULL WHERE {column} = -1")


def _json_text_objects(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """A CSV column whose every filled cell is a JSON object written as text (Kaggle's Google
    Merchandise Store sessions: 'device', 'geoNetwork', 'totals' {"visits": "1", "pageviews":
    "3"}, 'trafficSource'): the object it is, so ``_flatten_objects`` makes a column of each key
    (and the numbers in them are read as numbers afterwards)."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) != "VARCHAR":
            continue
        column = quote(str(name))
        cell = f"NULLIF(trim({column}), '')"
        found = connection.execute(
            f"SELECT COUNT({cell}), COUNT(*) FILTER (WHERE starts_with({cell}, '{{') AND ends_with({cell}, '}}') "
            f"AND json_valid({cell})) FROM {target}").fetchone()
        if not found or not found[0] or found[0] != found[1]:
            continue
        shape = connection.execute(f"SELECT json_group_structure(json({cell})) FROM {target}").fetchone()
        if not shape or not str(shape[0]).startswith("{") or str(shape[0]) == "{}":
            continue
        literal = exp.Literal.string(str(shape[0])).sql("duckdb")
        connection.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT * REPLACE "
                           f"(json_transform({cell}, {literal}) AS {column}) FROM {target}")


_NUMBERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "DECIMAL"}


def _blank_impossible_ages(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """An age no one has (Starbucks' profile.json writes 118 for every customer who gave none; other
    exports 999 or -1): not given, so it never drags an average age to 66. Only in a column whose
    header says age and only past 110 or below 0."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind).split("(")[0] not in _NUMBERS or naming.words(str(name))[-1:] != ["age"]:
            continue
        column = quote(str(name))
        connection.execute(f"UPDATE {target} SET {column} = NULL WHERE {column} > 110 OR {column} < 0")


def _parse_unit_durations(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """A duration written with its unit in every cell (the Marketing Campaign Performance file's
    'Duration' of '30 days'): the number of that unit, so it is averaged and summed, not a
    category. Only when every filled cell has the same unit (a column of '2 weeks' and '10 days'
    stays text: its numbers are not in one unit)."""
    literal = exp.Literal.string(_WITH_UNIT).sql("duckdb")
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) != "VARCHAR":
            continue
        column = quote(str(name))
        found = connection.execute(
            f"SELECT COUNT({column}), COUNT(regexp_extract({column}, {literal}, 1)) FILTER "
            f"(WHERE regexp_matches({column}, {literal})), COUNT(DISTINCT lower(regexp_extract({column}, "
            f"{literal}, 2))) FILTER (WHERE regexp_matches({column}, {literal})) FROM {target}").fetchone()
        if found is None or not found[0] or found[1] != found[0] or found[2] != 1:
            continue
        connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE DOUBLE USING "
                           f"CAST(regexp_extract({column}, {literal}, 1) AS DOUBLE)")


TOTAL_LABEL = (r"(?:grand\s+|sub-?\s*)?totals?(?:\s*[:：].*|\s*[(（][^)）]*[)）])?"
               r"|(?:合计|总计|小计|總計|合計|小計)(?:\s*[:：].*|\s*[(（][^)）]*[)）])?")
"""A row label that says the row sums others: 'Total', 'Grand Total', 'Subtotal', 'Total: Account'
(Google Ads), 'Grand Total (400 records)' (Salesforce), 合计（12条） — not a name that starts
with the word ('Total Wine')."""

PLACEHOLDERS = ("", "-", "--", "—", "–", "n/a", "na", "#n/a", "null", "none")
"""What reports print in a cell that has no value (Google Ads' '--')."""


def _drop_total_rows(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Remove summary rows a report export ends with ('Total: Account,--,--,"277,642",...'):
    counted as records they double every sum. A row goes when its first text column is a
    total label and every other text column is empty, a placeholder or a number kept as text."""
    texts = [quote(str(name)) for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall()
             if str(kind) == "VARCHAR"]
    if not texts:
        return
    label = exp.Literal.string(TOTAL_LABEL).sql("duckdb")
    blanks = ", ".join(exp.Literal.string(p).sql("duckdb") for p in PLACEHOLDERS)
    number = exp.Literal.string(_NUMBER).sql("duckdb")
    rest = "".join(f" AND ({c} IS NULL OR lower(trim({c})) IN ({blanks}) OR regexp_full_match(trim({c}), {number}))"
                   for c in texts[1:])
    condition = f"regexp_full_match(trim({texts[0]}), {label}, 'i'){rest}"
    found = connection.execute(f"SELECT COUNT(*) FROM {target} WHERE {condition}").fetchall()
    if found[0][0]:  # rebuilt, not DELETEd: DuckDB's ALTER ... USING would still read the deleted rows
        connection.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT * FROM {target} "
                           f"WHERE ({condition}) IS NOT TRUE")


_SIGNS = "$€£¥￥₹₩"
"""Currency signs a report prints before an amount; '￥' is the full-width yuan sign a Chinese
export (Tmall's ExportOrderList, GBK has no '¥') writes, '₹' the rupee, '₩' the won."""
_NUMBER = rf"[+-]?[{_SIGNS}]?\s?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?\s?%?"
"""A number as reports print it: '1,974', '$1,234.56', '3.45%', '¥200', '￥1,299.00' (not '1.234,56')."""


_NOT_DIGITS = exp.Literal.string(rf"[,{_SIGNS}%\s]").sql("duckdb")


def _parse_formatted_numbers(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Numbers a CSV reader kept as text because they are printed for people ('1,974'
    impressions, '$12.50', a '3.45%' CTR) or a cell holds a placeholder ('--'): read as DOUBLE,
    percentages as fractions (3.45% -> 0.0345), placeholders empty. Only when every filled
    cell is such a number and at least one carries a thousands comma, a currency sign or a
    percent sign: a plain column of digits kept as text ('02134') is a code."""
    pattern = exp.Literal.string(_NUMBER).sql("duckdb")
    blanks = ", ".join(exp.Literal.string(p).sql("duckdb") for p in PLACEHOLDERS)
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) != "VARCHAR":
            continue
        column = quote(str(name))
        value = f"trim({column})"
        filled = f"{column} IS NOT NULL AND lower({value}) NOT IN ({blanks})"
        sample = connection.execute(  # most text is no number: a sample says so without a full scan
            f"SELECT COUNT(*) FILTER (WHERE NOT regexp_full_match({value}, {pattern})) FROM "
            f"(SELECT {column} FROM {target} WHERE {filled} LIMIT {_DATE_SAMPLE}) AS s").fetchall()
        if sample[0][0]:
            continue
        found = connection.execute(
            f"SELECT COUNT(*) FILTER (WHERE {filled}), "
            f"COUNT(*) FILTER (WHERE {filled} AND NOT regexp_full_match({value}, {pattern})), "
            f"COUNT(*) FILTER (WHERE {filled} AND regexp_matches({value}, '[,{_SIGNS}%]')), "
            f"COUNT(*) FILTER (WHERE {filled} AND contains({value}, '%')) FROM {target}").fetchall()
        total, other, formatted, percent = found[0]
        if not total or other or not formatted or percent not in (0, total):
            continue
        digits = f"CAST(regexp_replace({value}, {_NOT_DIGITS}, '', 'g') AS DOUBLE)"
        scaled = f"{digits} / 100" if percent else digits
        connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE DOUBLE USING "
                           f"CASE WHEN {filled} THEN {scaled} END")


def _parse_blank_numbers(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Numbers a CSV reader kept as text because some cells hold only spaces (a new
    customer's ' ' TotalCharges): read as DOUBLE with those cells empty (NULL), so they are
    summed and averaged like the numbers they are. Text where any non-blank cell is not a
    number stays text (codes, '02134' keeps its zero only if some cell is not numeric)."""
    for name, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if str(kind) != "VARCHAR":
            continue
        column = quote(str(name))
        sample = connection.execute(  # most text is no number: a sample says so without a full scan
            f"SELECT COUNT(*) FILTER (WHERE TRY_CAST(TRIM(v) AS DOUBLE) IS NULL AND TRIM(v) <> '') FROM "
            f"(SELECT {column} AS v FROM {target} WHERE {column} IS NOT NULL LIMIT {_DATE_SAMPLE})").fetchone()
        if not sample or sample[0] > 0:
            continue
        found = connection.execute(
            f"SELECT COUNT(*) FILTER (WHERE TRIM({column}) = ''), "
            f"COUNT(*) FILTER (WHERE TRIM({column}) <> '' AND TRY_CAST(TRIM({column}) AS DOUBLE) IS NULL), "
            f"COUNT(*) FILTER (WHERE TRIM({column}) <> '') FROM {target}").fetchone()
        if found and found[0] > 0 and found[1] == 0 and found[2] > 0:
            connection.execute(f"ALTER TABLE {target} ALTER {column} TYPE DOUBLE "
                               f"USING TRY_CAST(NULLIF(TRIM({column}), '') AS DOUBLE)")


def _connect_file(location: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(location), read_only=True)
    except duckdb.Error as error:
        raise WarehouseError(f"{location} could not be opened as a DuckDB file ({_first_line(error)}).",
                             "Pass a DuckDB file, a folder of CSV/Parquet files, or one such file.") from None


def _existing(path: str | Path) -> Path:
    location = Path(path).expanduser()
    if not location.exists():
        raise WarehouseError(f"No warehouse at {location}.",
                             "Pass a DuckDB file, a folder of CSV/Parquet files, or one such file (--db).")
    return location


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(FILE_SUFFIXES + DUCKDB_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def table_sources(model: SemanticModel) -> tuple[TableSource, ...]:
    """What each model table reads in the warehouse."""
    return tuple(
        TableSource(t.name, t.source or t.name,
                    tuple((c.name, c.source or c.name) for c in t.columns if not c.parts)
                    if any(c.source or c.date_format for c in t.columns) else (),
                    tuple((c.name, c.date_format, c.type) for c in t.columns if c.date_format),
                    tuple((c.name, tuple(_real_name(t, p) for p in c.parts), _is_text(t, c.parts[1]))
                          for c in t.columns if c.parts))
        for t in model.tables
    )


def _real_name(table: Table, name: str) -> str:
    column = table.column(name)
    return column.source or name if column is not None else name


def _is_text(table: Table, name: str) -> bool:
    column = table.column(name)
    return column is None or column.type.upper().split("(")[0] in ("VARCHAR", "TEXT", "STRING", "CHAR")
