"""SQLite database files as a warehouse: read with Python's sqlite3 (DuckDB's own SQLite reader
is an extension it would download), typed from the declared types, never written."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from genbi.errors import WarehouseError
from genbi.semantic_layer.sources import is_file_source, open_raw
from genbi.semantic_layer.sqlite_files import is_sqlite, read_sqlite


def _shop(path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE [Customer] ([CustomerId] INTEGER PRIMARY KEY, [Name] NVARCHAR(40), [City] NVARCHAR(40),
                                 [Photo] BLOB, [Score] TEXT);
        CREATE TABLE [Invoice] ([InvoiceId] INTEGER PRIMARY KEY, [CustomerId] INTEGER, [InvoiceDate] DATETIME,
                                [Total] NUMERIC(10,2), [Items] INTEGER, [Note]);
        CREATE VIEW [BigInvoices] AS SELECT * FROM [Invoice] WHERE [Total] > 20;
    """)
    cities = ["Paris", "Lyon", "Oslo"]
    connection.executemany("INSERT INTO Customer VALUES (?, ?, ?, ?, ?)",
                           [(i, f"C{i}", cities[i % 3], b"\x89PNG" if i % 2 else None, 7) for i in range(1, 31)])
    connection.executemany("INSERT INTO Invoice VALUES (?, ?, ?, ?, ?, ?)",
                           [(i, 1 + i % 30, f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} 00:00:00", 5 + i % 40,
                             "N/A" if i == 7 else i % 4, None) for i in range(1, 121)])
    connection.commit()
    connection.close()
    return path


def test_a_sqlite_file_is_found_by_its_header_whatever_its_suffix(tmp_path: Path) -> None:
    db = _shop(tmp_path / "shop.db")
    other = tmp_path / "store.sqlite3"
    other.write_bytes(db.read_bytes())
    duck = tmp_path / "real.db"
    duckdb.connect(str(duck)).close()
    assert is_sqlite(db) and is_sqlite(other) and is_file_source(db) and is_file_source(other)
    assert not is_sqlite(duck) and not is_file_source(duck)  # a DuckDB .db still opens as DuckDB
    assert not is_sqlite(tmp_path)


def test_tables_load_with_their_declared_types_and_the_file_is_never_written(tmp_path: Path) -> None:
    db = _shop(tmp_path / "shop.db")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    connection = open_raw(db)
    tables = {r[0] for r in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {"Customer", "Invoice"}  # no view, no sqlite_ table
    kinds = dict(connection.execute("SELECT column_name, data_type FROM information_schema.columns "
                                    "WHERE table_name = 'Invoice'").fetchall())
    assert kinds["InvoiceId"] == "BIGINT" and kinds["Total"] == "DOUBLE"
    assert kinds["InvoiceDate"] == "TIMESTAMP"  # DATETIME text, read by the loader's date reader
    assert kinds["Items"] in ("BIGINT", "VARCHAR")  # 'N/A' among integers: a blank, as in a CSV
    columns = [r[0] for r in connection.execute("SELECT column_name FROM information_schema.columns "
                                                "WHERE table_name = 'Customer'").fetchall()]
    assert "Photo" not in columns  # binary data is left out
    assert connection.execute("SELECT SUM(Total), COUNT(*) FROM Invoice").fetchone() == (
        sum(5 + i % 40 for i in range(1, 121)), 120)
    assert connection.execute("SELECT Score FROM Customer LIMIT 1").fetchone() == ("7",)  # TEXT affinity
    connection.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_read_sqlite_reports_dropped_binary_columns(tmp_path: Path) -> None:
    tables = {t.name: t for t in read_sqlite(_shop(tmp_path / "shop.db"))}
    assert tables["Customer"].dropped == ("Photo",)
    assert tables["Customer"].kinds == ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR")


def test_an_empty_or_broken_sqlite_file_gets_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).execute("CREATE VIEW v AS SELECT 1 AS x").connection.commit()
    with pytest.raises(WarehouseError, match="no tables"):
        open_raw(empty)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(WarehouseError, match="SQLite"):
        open_raw(broken)


def test_the_cli_answers_from_a_sqlite_file(tmp_path: Path) -> None:
    db = _shop(tmp_path / "shop.db")
    done = subprocess.run([sys.executable, "-m", "genbi", "ask", "total by city", "--db", str(db)],
                          capture_output=True, text=True, env={**_env(tmp_path)}, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    connection = sqlite3.connect(db)
    paris = connection.execute("SELECT SUM(Total) FROM Invoice JOIN Customer USING (CustomerId) "
                               "WHERE City = 'Paris'").fetchone()[0]
    assert f"{paris:,.0f}" in done.stdout.replace(".00", ""), done.stdout[-2000:]


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("GENBI_LLM")}
    env["GENBI_HOME"] = str(tmp_path / "home")
    return env


def test_a_table_streams_in_chunks_with_one_type_per_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are converted a chunk at a time; a column's type is decided over the whole table
    (an 'N/A' in the last chunk keeps the column text in every chunk)."""
    from genbi.semantic_layer import sqlite_files

    monkeypatch.setattr(sqlite_files, "CHUNK_ROWS", 7)
    db = tmp_path / "chunks.sqlite"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, x REAL)")
    connection.executemany("INSERT INTO t VALUES (?, ?, ?)",
                           [(i, "N/A" if i == 49 else i, i / 2) for i in range(50)])
    connection.commit()
    connection.close()
    (table,) = read_sqlite(db)
    assert table.kinds == ("BIGINT", "VARCHAR", "DOUBLE")
    frame = sqlite_files.table_frame(table)
    assert frame.num_rows == 50 and frame.column(1).to_pylist()[:3] == ["0", "1", "2"]
