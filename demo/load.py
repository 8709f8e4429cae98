"""``load_warehouse``: copy a DuckDB warehouse (the demo, or any file) into a server, so a
newcomer can try genbi on Postgres or Spark: ``genbi data load --to postgresql://…``.

This is the one place genbi writes to a server, with a connection of its own that the
assistant never sees. Tables are replaced whole (dropped, created, filled); types are
translated by sqlglot from DuckDB's to the engine's. Postgres is filled with ``COPY`` from
CSV that DuckDB writes; Spark receives Arrow batches over Spark Connect and saves managed
tables in the session's current database.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from genbi.errors import ConfigError, WarehouseError
from genbi.semantic_layer.backends.base import first_line
from genbi.semantic_layer.backends.location import Location, mask_secrets, parse_location

SPARK_BATCH_ROWS = 200_000


@dataclass
class LoadReport:
    target: str
    """Where the tables went (password masked)."""
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def load_warehouse(source: str | Path, target: str, *, tables: list[str] | None = None,
                   on_table: Callable[[str, int], None] | None = None) -> LoadReport:
    """Copy every table of the DuckDB file ``source`` (or only ``tables``) into ``target``."""
    location = parse_location(target)
    if location.engine not in ("postgres", "spark"):
        raise ConfigError(
            f"genbi data load copies into Postgres or Spark, not {location.engine}.",
            "Give --to postgresql://user@host/db or sc://host:15002.",
        )
    started = time.perf_counter()
    report = LoadReport(target=location.shown)
    path = Path(source).expanduser()
    if not path.is_file():
        raise WarehouseError(f"No DuckDB file at {path}.", "Pass --from a .duckdb file (the demo by default).")
    with duckdb.connect(str(path), read_only=True) as reader:
        names = tables or [r[0] for r in reader.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        writer = _postgres_writer if location.engine == "postgres" else _spark_writer
        writer(reader, names, location, report, on_table)
    report.seconds = time.perf_counter() - started
    return report


def _columns(reader: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(str(r[0]), str(r[1])) for r in reader.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]


def _ident(name: str, dialect: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(dialect)


def _type(duckdb_type: str, dialect: str) -> str:
    return exp.DataType.build(duckdb_type, dialect="duckdb").sql(dialect)


# --- Postgres ---------------------------------------------------------------------------------

def _postgres_writer(reader: duckdb.DuckDBPyConnection, names: list[str], location: Location,
                     report: LoadReport, on_table: Callable[[str, int], None] | None) -> None:
    try:
        import psycopg
    except ImportError:
        raise ConfigError("Loading into Postgres needs psycopg.", "pip install 'genbi[postgres]'") from None
    password = location.password()
    try:
        connection = psycopg.connect(location.url, **({"password": password} if password else {}))
    except psycopg.Error as error:
        raise WarehouseError(f"Could not connect to {location.shown}: {mask_secrets(first_line(error), location)}",
                             "Check the URL and that the role may create tables.") from None
    with connection, tempfile.TemporaryDirectory() as folder:
        for table in names:
            report.rows[table] = _copy_postgres_table(reader, connection, table, Path(folder))
            if on_table:
                on_table(table, report.rows[table])


def _copy_postgres_table(reader: duckdb.DuckDBPyConnection, connection: Any, table: str,
                         folder: Path) -> int:
    columns = _columns(reader, table)
    name = _ident(table, "postgres")
    definition = ", ".join(f"{_ident(c, 'postgres')} {_type(t, 'postgres')}" for c, t in columns)
    csv = folder / f"{table}.csv"
    reader.execute(f"COPY (SELECT * FROM {_ident(table, 'duckdb')}) TO '{csv}' (HEADER false)")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}".encode())
        cursor.execute(f"CREATE TABLE {name} ({definition})".encode())
        with cursor.copy(f"COPY {name} FROM STDIN (FORMAT csv)".encode()) as copy, csv.open("rb") as data:
            while chunk := data.read(1 << 20):
                copy.write(chunk)
        cursor.execute(f"ANALYZE {name}".encode())
        cursor.execute(f"SELECT COUNT(*) FROM {name}".encode())
        counted = cursor.fetchone()
    connection.commit()
    return int(counted[0]) if counted else 0


# --- Spark ------------------------------------------------------------------------------------

def _spark_writer(reader: duckdb.DuckDBPyConnection, names: list[str], location: Location,
                  report: LoadReport, on_table: Callable[[str, int], None] | None) -> None:
    from genbi.semantic_layer.backends.spark import new_session, split_database

    url, database = split_database(location.url)
    try:
        session = new_session(url)
    except Exception as error:
        raise WarehouseError(f"Could not connect to Spark at {location.shown}: "
                             f"{mask_secrets(first_line(error), location)}") from None
    try:
        if database:
            session.sql(f"CREATE DATABASE IF NOT EXISTS {_ident(database, 'spark')}")
            session.catalog.setCurrentDatabase(database)
        for table in names:
            report.rows[table] = _copy_spark_table(reader, session, table)
            if on_table:
                on_table(table, report.rows[table])
    finally:
        session.stop()


def _copy_spark_table(reader: duckdb.DuckDBPyConnection, session: Any, table: str) -> int:
    columns = _columns(reader, table)
    schema = ", ".join(f"{_ident(c, 'spark')} {_spark_type(t)}" for c, t in columns)
    name = _ident(table, "spark")
    session.sql(f"DROP TABLE IF EXISTS {name}")
    batches = reader.sql(f"SELECT * FROM {_ident(table, 'duckdb')}").to_arrow_reader(SPARK_BATCH_ROWS)
    mode = "overwrite"
    for batch in batches:
        import pyarrow as pa

        frame = session.createDataFrame(pa.Table.from_batches([batch]), schema=schema)
        frame.write.mode(mode).saveAsTable(table)
        mode = "append"
    if mode == "overwrite":  # an empty table still gets created
        session.createDataFrame([], schema=schema).write.mode(mode).saveAsTable(table)
    return int(session.table(table).count())


def _spark_type(duckdb_type: str) -> str:
    """Spark's type; DuckDB's naive TIMESTAMP is Spark's TIMESTAMP_NTZ (no time-zone shift)."""
    if duckdb_type.upper() == "TIMESTAMP":
        return "TIMESTAMP_NTZ"
    return _type(duckdb_type, "spark")
