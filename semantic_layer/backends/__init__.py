"""The warehouse seam: one small protocol every engine implements, and ``open_backend``.

A backend knows its engine and nothing of genbi's rules: it lists the tables and their
columns, runs one statement it is handed (already guarded by ``Warehouse.run``) under a
timeout and a row cap, cancels what is running, and closes. It is read-only by its own
construction as well (DuckDB ``read_only`` with external access off, a Postgres read-only
transaction, ...), the second lock behind the guard.

Engines: ``duckdb`` (a file, the embedded default), ``postgres`` (psycopg 3), ``spark``
(Spark Connect), and ``snowflake`` / ``bigquery`` / ``trino`` through their official DB-API
drivers, installed as extras (``pip install 'genbi[snowflake]'``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .base import Backend, Fetched
from .location import Location, parse_location

if TYPE_CHECKING:
    from ..sources import TableSource


def open_backend(target: str | Path | Location,
                 sources: Iterable[TableSource] | None = None) -> Backend:
    """The backend for a local path (DuckDB file, CSV/Parquet folder or file) or a
    warehouse URL (see ``location``). ``sources`` shows the warehouse's tables under the
    model's clean names, text dates read as dates (``semantic_layer.sources`` on a local
    warehouse, ``modelled`` on a server)."""
    location = target if isinstance(target, Location) else parse_location(target)
    if location.engine == "duckdb":
        from .duckdb_backend import DuckDBBackend

        return DuckDBBackend.open(location, sources=sources)
    backend = _open_server(location)
    renamed = tuple(t for t in sources or () if t.renamed)
    if renamed:
        from .modelled import ModelledBackend

        return ModelledBackend(backend, renamed)
    return backend


def _open_server(location: Location) -> Backend:
    if location.engine == "postgres":
        from .postgres import PostgresBackend

        return PostgresBackend.open(location)
    if location.engine == "spark":
        from .spark import SparkBackend

        return SparkBackend.open(location)
    from .dbapi import open_dbapi

    return open_dbapi(location)


__all__ = ["Backend", "Fetched", "Location", "open_backend", "parse_location"]
