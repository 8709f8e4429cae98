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
    """One table: its name, column names and DuckDB types, and its values per column."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    values: tuple[list[Any], ...]
    dropped: tuple[str, ...] = ()
    """BLOB columns left out."""


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


def _kind(declared: str, values: list[Any]) -> str | None:
    """The DuckDB type a column loads as, or None to leave it out (binary data)."""
    present = [v for v in values if v is not None]
    if any(isinstance(v, bytes) for v in present):
        return None
    affinity = _affinity(declared)
    if not present:
        return {"INTEGER": "BIGINT", "REAL": "DOUBLE", "NUMERIC": "DOUBLE"}.get(affinity, "VARCHAR")
    if affinity == "TEXT":  # Northwind's Discontinued: '0'/'1' kept as text is a yes/no
        return "BIGINT" if {str(v) for v in present} == {"0", "1"} else "VARCHAR"
    if affinity != "REAL" and not _fractional(declared) and all(type(v) is int for v in present):
        return "BIGINT"
    if all(isinstance(v, int | float) for v in present):
        return "DOUBLE"
    return "VARCHAR"


def _fractional(declared: str) -> bool:
    """A declared type that holds fractions even when today's values are whole: NUMERIC(10,2),
    DECIMAL, MONEY (an invoice total of 5 is still money)."""
    text = declared.upper().replace(" ", "")
    scale = re.search(r"\(\d+,(\d+)\)", text)
    return bool(scale and int(scale.group(1)) > 0) or any(w in text for w in ("DEC", "MONEY", "CURRENCY"))


def _cast(kind: str, values: list[Any]) -> list[Any]:
    if kind == "BIGINT":
        return [None if v is None else int(v) for v in values]
    if kind == "VARCHAR":
        return [None if v is None else v if isinstance(v, str) else _text(v) for v in values]
    if kind == "DOUBLE":
        return [None if v is None else float(v) for v in values]
    return values


def _text(value: Any) -> str:
    """A number kept in a text column, written as SQLite would print it ('3', '2.5')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def read_sqlite(path: Path) -> list[SqliteTable]:
    """Every table of the SQLite file ``path`` (opened read-only), in name order."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise WarehouseError(f"{path.name} could not be opened as a SQLite database ({error}).",
                             "Check the file, or export its tables to CSV.") from None
    try:
        connection.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name")]
        return [_read_table(connection, name) for name in names]
    except sqlite3.Error as error:
        raise WarehouseError(f"{path.name} could not be read as a SQLite database ({error}).",
                             "Check the file (is it complete, not encrypted?), or export its tables to CSV.") from None
    finally:
        connection.close()


def _read_table(connection: sqlite3.Connection, name: str) -> SqliteTable:
    quoted = '"' + name.replace('"', '""') + '"'
    declared = [(str(r[1]), str(r[2] or "")) for r in connection.execute(f"PRAGMA table_info({quoted})")]
    rows = connection.execute(f"SELECT * FROM {quoted}").fetchall()
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in declared]
    columns, kinds, values, dropped = [], [], [], []
    for (column, declared_type), raw in zip(declared, by_column, strict=True):
        cells = list(raw)
        kind = _kind(declared_type, cells)
        if kind is None:
            dropped.append(column)
            continue
        columns.append(column)
        kinds.append(kind)
        values.append(_cast(kind, cells))
    return SqliteTable(name, tuple(columns), tuple(kinds), tuple(values), tuple(dropped))


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
    """The table as a pyarrow Table with its types (DuckDB scans it in place)."""
    import pyarrow as pa

    types = {"BIGINT": pa.int64(), "DOUBLE": pa.float64(), "VARCHAR": pa.string()}
    arrays = [pa.array(v, type=types[k]) for v, k in zip(table.values, table.kinds, strict=True)]
    return pa.table(arrays, names=[f"c{i}" for i in range(len(arrays))]) if arrays else None
