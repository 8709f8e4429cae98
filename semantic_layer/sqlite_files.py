"""SQLite database files as tables: the sample databases and app exports people bring.

Chinook, Northwind, Sakila, a Kaggle dataset's ``database.sqlite``, an app's local store: a
marketer's "database" is often one SQLite file. DuckDB reads SQLite only through an
extension it downloads on first use, which an offline machine (or a locked-down laptop)
cannot do, so the file is read with Python's own ``sqlite3`` (read-only, never written)
and each table loaded into genbi's in-memory copy, like a CSV.

SQLite types are loose: a column declares a type, each value has its own. A column takes
the type its declaration names (SQLite's affinity rules: ``INT`` → integer; ``CHAR``,
``CLOB``, ``TEXT`` → text; ``REAL``, ``FLOA``, ``DOUB`` → double; ``DATE``, ``TIME`` → left
as text for the date reader shared with CSV files; ``DECIMAL``/``NUMERIC`` → double) when
every value fits it; a value that does not ("N/A" in an INTEGER column) keeps the column as
text, as a CSV reader would, and the loader's number tidying takes it from there. BLOB
columns (pictures, hashes) carry nothing to count or group and are left out; SQLite's own
tables (``sqlite_*``) and views are not loaded.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbi.errors import WarehouseError

HEADER = b"SQLite format 3\x00"
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db3")


def is_sqlite(path: Path) -> bool:
    """Whether ``path`` is a SQLite database file (by its header, whatever its suffix)."""
    if not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(len(HEADER)) == HEADER
    except OSError:
        return False


@dataclass(frozen=True)
class SqliteTable:
    """One table: its name, the columns loaded and their DuckDB types (values are streamed from
    the file by ``table_frame``, never held as Python rows)."""

    path: Path
    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    """BLOB columns left out."""


CHUNK_ROWS = 100_000
"""Rows converted at a time: memory stays bounded by one chunk whatever the table's size."""


def _affinity(declared: str) -> str:
    """SQLite's type affinity of a declared type (https://sqlite.org/datatype3.html, 3.1)."""
    text = declared.upper()
    if "INT" in text:
        return "INTEGER"
    if any(word in text for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if not text or "BLOB" in text:
        return "BLOB"
    if any(word in text for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


@dataclass(frozen=True)
class _Stored:
    """How a column's values are stored, counted by SQLite's ``typeof`` in one scan."""

    integers: int
    reals: int
    texts: int
    blobs: int
    flag_texts: int
    """Text values that are '0' or '1'."""


def _kind(declared: str, stored: _Stored) -> str | None:
    """The DuckDB type a column loads as, or None to leave it out (binary data)."""
    if stored.blobs:
        return None
    affinity = _affinity(declared)
    if not (stored.integers or stored.reals or stored.texts):
        return {"INTEGER": "BIGINT", "REAL": "DOUBLE", "NUMERIC": "DOUBLE"}.get(affinity, "VARCHAR")
    if affinity == "TEXT":  # Northwind's Discontinued: '0'/'1' kept as text is a yes/no
        return "BIGINT" if stored.texts == stored.flag_texts and not stored.reals else "VARCHAR"
    if stored.texts:
        return "VARCHAR"
    if affinity != "REAL" and not _fractional(declared) and not stored.reals:
        return "BIGINT"
    return "DOUBLE"


def _fractional(declared: str) -> bool:
    """A declared type that holds fractions even when today's values are whole: NUMERIC(10,2),
    DECIMAL, MONEY (an invoice total of 5 is still money)."""
    text = declared.upper().replace(" ", "")
    scale = re.search(r"\(\d+,(\d+)\)", text)
    return bool(scale and int(scale.group(1)) > 0) or any(w in text for w in ("DEC", "MONEY", "CURRENCY"))


def _cast(kind: str, values: tuple[Any, ...]) -> list[Any]:
    if kind == "BIGINT":
        return [None if v is None else int(v) for v in values]
    if kind == "VARCHAR":
        return [None if v is None else v if isinstance(v, str) else _text(v) for v in values]
    return [None if v is None else float(v) for v in values]


def _text(value: Any) -> str:
    """A number kept in a text column, written as SQLite would print it ('3', '2.5')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _connect(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise WarehouseError(f"{path.name} could not be opened as a SQLite database ({error}).",
                             "Check the file, or export its tables to CSV.") from None
    connection.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
    return connection


def _unreadable(path: Path, error: sqlite3.Error) -> WarehouseError:
    return WarehouseError(f"{path.name} could not be read as a SQLite database ({error}).",
                          "Check the file (is it complete, not encrypted?), or export its tables to CSV.")


def read_sqlite(path: Path) -> list[SqliteTable]:
    """Every table of the SQLite file ``path`` (opened read-only) with its columns' types, in
    name order."""
    connection = _connect(path)
    try:
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name")]
        return [_read_table(connection, path, name) for name in names]
    except sqlite3.Error as error:
        raise _unreadable(path, error) from None
    finally:
        connection.close()


def _read_table(connection: sqlite3.Connection, path: Path, name: str) -> SqliteTable:
    declared = [(str(r[1]), str(r[2] or "")) for r in connection.execute(f"PRAGMA table_info({_quoted(name)})")]
    if not declared:
        return SqliteTable(path, name, (), ())
    counts = ", ".join(
        f"SUM(typeof({q}) = 'integer'), SUM(typeof({q}) = 'real'), SUM(typeof({q}) = 'text'), "
        f"SUM(typeof({q}) = 'blob'), SUM(typeof({q}) = 'text' AND {q} IN ('0', '1'))"
        for q in (_quoted(c) for c, _ in declared))
    row = connection.execute(f"SELECT {counts} FROM {_quoted(name)}").fetchone() or ()
    columns, kinds, dropped = [], [], []
    for index, (column, declared_type) in enumerate(declared):
        stored = _Stored(*(int(x or 0) for x in row[index * 5:index * 5 + 5]))
        kind = _kind(declared_type, stored)
        if kind is None:
            dropped.append(column)
            continue
        columns.append(column)
        kinds.append(kind)
    return SqliteTable(path, name, tuple(columns), tuple(kinds), tuple(dropped))


def foreign_keys(path: Path) -> list[tuple[str, str, str, str | None]]:
    """The file's declared single-column foreign keys: (table, column, parent table, parent
    column or None for the parent's key). Declared, not checked: the drafter still checks
    that every value is a parent key."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    found: list[tuple[str, str, str, str | None]] = []
    try:
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")]
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            rows = connection.execute(f"PRAGMA foreign_key_list({quoted})").fetchall()
            sizes: dict[int, int] = {}
            for row in rows:
                sizes[row[0]] = sizes.get(row[0], 0) + 1
            found += [(name, str(r[3]), str(r[2]), None if r[4] is None else str(r[4])) for r in rows if sizes[r[0]] == 1]
    except sqlite3.Error:
        return found
    finally:
        connection.close()
    return found


def table_frame(table: SqliteTable) -> Any:
    """The table as a pyarrow Table with its types, read from the file a chunk of rows at a
    time (DuckDB scans it in place)."""
    import pyarrow as pa

    types = {"BIGINT": pa.int64(), "DOUBLE": pa.float64(), "VARCHAR": pa.string()}
    schema = pa.schema([(f"c{i}", types[k]) for i, k in enumerate(table.kinds)])
    select = ", ".join(_quoted(c) for c in table.columns)
    connection = _connect(table.path)
    batches = []
    try:
        cursor = connection.execute(f"SELECT {select} FROM {_quoted(table.name)}")
        while rows := cursor.fetchmany(CHUNK_ROWS):
            columns = zip(*rows, strict=True)
            batches.append(pa.record_batch([pa.array(_cast(kind, values), type=types[kind])
                                            for kind, values in zip(table.kinds, columns, strict=True)],
                                           schema=schema))
    except sqlite3.Error as error:
        raise _unreadable(table.path, error) from None
    finally:
        connection.close()
    return pa.Table.from_batches(batches, schema=schema)
