"""Snowflake, BigQuery and Trino through their official DB-API drivers (optional extras).

No server of these can run in genbi's CI, so they are tested by compiling the demo's
queries for each dialect and by running this module against fake driver modules that
record what they are asked (``tests/test_warehouse_dbapi.py``); the README says so.

URLs:
- ``snowflake://user@account/database/schema?warehouse=WH&role=ROLE``
- ``bigquery://project/dataset`` (credentials: the Google default chain)
- ``trino://user@host:port/catalog/schema`` (``https`` when a password is given)

None of these engines has a read-only session genbi can switch on; use a role that can
only read (the README shows how), and the guard refuses everything but one SELECT.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.qualify_tables import qualify_tables

from genbi.errors import ConfigError, WarehouseError

from ..guard import guard
from .base import Fetched, first_line, query_error, timeout_error
from .location import Location, mask_secrets
from .values import duckdb_type, plain_row

_EXTRAS = {"snowflake": "snowflake.connector", "bigquery": "google.cloud.bigquery.dbapi",
           "trino": "trino.dbapi"}


def driver(engine: str) -> Any:
    """The engine's DB-API module; ``ConfigError`` naming the extra when it is missing."""
    try:
        return importlib.import_module(_EXTRAS[engine])
    except ImportError:
        raise ConfigError(
            f"{engine.capitalize()} needs its Python driver, which is not installed.",
            f"Install it with: pip install 'genbi[{engine}]'",
        ) from None


@dataclass(frozen=True)
class Recipe:
    """How one engine is reached: connect, where its tables are, how a statement is limited."""

    connect: Callable[[], Any]
    columns_sql: str
    prepare: Callable[[str], str] = lambda sql: sql
    """Rewrites a guarded statement before it runs (BigQuery: qualify the tables)."""
    timeout_sql: Callable[[float], str | None] = lambda seconds: None


class DbApiBackend:
    """A DB-API 2.0 connection per statement-at-a-time use, like the Postgres backend."""

    def __init__(self, location: Location, recipe: Recipe) -> None:
        self.location = location
        self.dialect = location.engine
        self.recipe = recipe
        self._connection = self._connect()
        self._running: set[Any] = set()
        self._lock = threading.Lock()

    def _connect(self) -> Any:
        try:
            return self.recipe.connect()
        except ConfigError:
            raise
        except Exception as error:  # each driver has its own error tree
            raise WarehouseError(
                f"Could not connect to {self.location.shown}: "
                f"{mask_secrets(first_line(error), self.location)}",
                "Check the URL and the credentials (GENBI_DB_PASSWORD or the engine's own).",
            ) from None

    def execute(self, sql: str, *, max_rows: int, timeout_s: float) -> Fetched:
        guard(sql, dialect=self.dialect)  # no read-only session here: the statement is re-checked
        return self._run(self.recipe.prepare(sql), max_rows=max_rows, timeout_s=timeout_s)

    def _run(self, sql: str, *, max_rows: int, timeout_s: float) -> Fetched:
        """Run a statement as it is: a guarded one, or the backend's own catalog query."""
        cursor = self._connection.cursor()
        with self._lock:
            self._running.add(cursor)
        timer = threading.Timer(timeout_s, self._cancel_cursor, args=(cursor,))
        timer.daemon = True
        timer.start()
        try:
            limit = self.recipe.timeout_sql(timeout_s)
            if limit:
                cursor.execute(limit)
            cursor.execute(sql)
            description = cursor.description or []
            rows = cursor.fetchmany(max_rows + 1)
        except Exception as error:  # each driver has its own error tree
            if not timer.is_alive():
                raise timeout_error(timeout_s) from None
            raise query_error(mask_secrets(first_line(error), self.location)) from None
        finally:
            timer.cancel()
            with self._lock:
                self._running.discard(cursor)
            _quietly(cursor.close)
        return Fetched(
            columns=tuple(_name(d[0]) for d in description),
            types=tuple(duckdb_type(str(d[1]), self.dialect) if isinstance(d[1], str) else "UNKNOWN"
                        for d in description),
            rows=[plain_row(row) for row in rows],
        )

    def _cancel_cursor(self, cursor: Any) -> None:
        for method in ("cancel", "close"):
            if hasattr(cursor, method):
                _quietly(getattr(cursor, method))
                return

    def cancel(self) -> None:
        with self._lock:
            running = list(self._running)
        for cursor in running:
            self._cancel_cursor(cursor)

    def columns(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for table, column, kind in self._run(self.recipe.columns_sql, max_rows=1_000_000,
                                             timeout_s=120).rows:
            found.setdefault(_name(str(table)), {})[_name(str(column))] = duckdb_type(str(kind), self.dialect)
        return found

    def close(self) -> None:
        _quietly(self._connection.close)


def _name(text: str) -> str:
    """Snowflake answers unquoted names in upper case; genbi's models are lower case."""
    return text.lower() if text.isupper() else text


def _quietly(call: Callable[[], Any]) -> None:
    try:
        call()
    except Exception:  # a cancelled or closed cursor may complain
        return


def open_dbapi(location: Location) -> DbApiBackend:
    recipes = {"snowflake": _snowflake, "bigquery": _bigquery, "trino": _trino}
    if location.engine not in recipes:
        raise ConfigError(f"No backend for {location.engine}.")
    return DbApiBackend(location, recipes[location.engine](location))


def _path_parts(location: Location) -> list[str]:
    return [unquote(p) for p in location.parts.path.strip("/").split("/") if p]


def _query(location: Location) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(location.parts.query).items()}


def _snowflake(location: Location) -> Recipe:
    parts, query = _path_parts(location), _query(location)
    if not location.parts.username or not location.parts.hostname or len(parts) < 2:
        raise ConfigError(f"Incomplete Snowflake URL: {location.shown}.",
                          "Use snowflake://user@account/database/schema?warehouse=WH&role=ROLE.")
    settings = {"user": unquote(location.parts.username), "account": location.parts.hostname,
                "database": parts[0], "schema": parts[1], "application": "genbi",
                **{k: query[k] for k in ("warehouse", "role", "authenticator") if k in query}}
    password = location.password()
    if password:
        settings["password"] = password

    def connect() -> Any:
        return driver("snowflake").connect(**settings)

    return Recipe(
        connect=connect,
        columns_sql="SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = CURRENT_SCHEMA() ORDER BY table_name, ordinal_position",
        prepare=_unquote_lower,
        timeout_sql=lambda s: f"ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = {max(1, int(s))}",
    )


def _unquote_lower(sql: str) -> str:
    """Snowflake folds unquoted names to upper case; genbi quotes lower-case names, which
    would then miss the tables. Lower-case quoted names are unquoted, so they resolve."""
    tree = sqlglot.parse_one(sql, read="snowflake")
    for identifier in tree.find_all(exp.Identifier):
        if identifier.quoted and identifier.this.islower() and identifier.this.isidentifier():
            identifier.set("quoted", False)
    return tree.sql("snowflake")


def _bigquery(location: Location) -> Recipe:
    project = location.parts.hostname
    parts = _path_parts(location)
    if not project or not parts:
        raise ConfigError(f"Incomplete BigQuery URL: {location.shown}.", "Use bigquery://project/dataset.")
    dataset = parts[0]

    def connect() -> Any:
        dbapi = driver("bigquery")
        from google.cloud import bigquery

        return dbapi.connect(client=bigquery.Client(project=project))

    def prepare(sql: str) -> str:
        tree = sqlglot.parse_one(sql, read="bigquery")
        return qualify_tables(tree, db=dataset, catalog=project, dialect="bigquery").sql("bigquery")

    return Recipe(
        connect=connect,
        columns_sql=f"SELECT table_name, column_name, data_type FROM `{project}.{dataset}`."
                    "INFORMATION_SCHEMA.COLUMNS ORDER BY table_name, ordinal_position",
        prepare=prepare,
    )


def _trino(location: Location) -> Recipe:
    parts, query = _path_parts(location), _query(location)
    if not location.parts.hostname or len(parts) < 2:
        raise ConfigError(f"Incomplete Trino URL: {location.shown}.", "Use trino://user@host:port/catalog/schema.")
    catalog, schema = parts[0], parts[1]
    password = location.password()

    def connect() -> Any:
        dbapi = driver("trino")
        user = unquote(location.parts.username or "genbi")
        extra: dict[str, Any] = {"http_scheme": query.get("http_scheme", "http")}
        if password:  # Trino accepts passwords over https only
            from trino.auth import BasicAuthentication

            extra = {"auth": BasicAuthentication(user, password), "http_scheme": "https"}
        return dbapi.connect(host=location.parts.hostname, port=location.parts.port or 8080,
                             user=user, catalog=catalog, schema=schema, source="genbi", **extra)

    literal = exp.Literal.string(schema).sql("trino")
    return Recipe(
        connect=connect,
        columns_sql="SELECT table_name, column_name, data_type FROM information_schema.columns "
                    f"WHERE table_schema = {literal} ORDER BY table_name, ordinal_position",
        timeout_sql=lambda s: f"SET SESSION query_max_execution_time = '{max(1, int(s))}s'",
    )
