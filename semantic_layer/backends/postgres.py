"""Postgres through psycopg 3, read-only by construction.

Every connection opens with ``default_transaction_read_only=on`` and psycopg's
``read_only`` (each statement runs in a ``BEGIN READ ONLY`` transaction that is rolled
back), and each statement carries its own ``statement_timeout``. It works as it is against a
role that can only ``SELECT``. Tables are those of the connection's current schema
(``public`` unless the URL's ``options=-csearch_path=...`` says otherwise).
"""

from __future__ import annotations

import threading
from typing import Any

from genbi.errors import ConfigError, WarehouseError

from .base import Fetched, first_line, query_error, timeout_error
from .location import Location, mask_secrets
from .values import duckdb_type, plain_row

_COLUMNS_SQL = (
    "SELECT table_name, column_name, data_type FROM information_schema.columns "
    "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
)
CONNECT_TIMEOUT_S = 10


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise ConfigError(
            "Postgres needs the psycopg driver, which is not installed.",
            "Install it with: pip install 'genbi[postgres]'",
        ) from None
    return psycopg


class PostgresBackend:
    """A Postgres database. Connections are pooled per thread-at-a-time use: a statement
    takes an idle one (or opens one) and gives it back."""

    dialect = "postgres"

    def __init__(self, location: Location, first: Any) -> None:
        self.location = location
        self._idle: list[Any] = [first]
        self._busy: set[Any] = set()
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def open(cls, location: Location) -> PostgresBackend:
        """Connect once now, so a wrong host or password is reported at start."""
        return cls(location, _connect(location))

    def _acquire(self) -> Any:
        with self._lock:
            if self._closed:
                raise WarehouseError("The warehouse connection is closed.", "Restart genbi.")
            connection = self._idle.pop() if self._idle else None
        if connection is None or connection.closed:
            connection = _connect(self.location)
        with self._lock:
            self._busy.add(connection)
        return connection

    def _release(self, connection: Any) -> None:
        with self._lock:
            self._busy.discard(connection)
            if self._closed or connection.closed:
                connection.close()
            else:
                self._idle.append(connection)

    def execute(self, sql: str, *, max_rows: int, timeout_s: float) -> Fetched:
        psycopg = _driver()
        connection = self._acquire()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)",
                               (str(max(1, int(timeout_s * 1000))),))
                cursor.execute(sql.encode())  # bytes: no placeholder parsing of '%'
                description = cursor.description or []
                rows = cursor.fetchmany(max_rows + 1)
        except psycopg.errors.QueryCanceled:
            raise timeout_error(timeout_s) from None
        except psycopg.errors.ReadOnlySqlTransaction as error:
            raise WarehouseError(
                f"The warehouse refused to change data: {first_line(error)}",
                "genbi only reads; ask a question instead.",
            ) from None
        except psycopg.OperationalError as error:
            raise WarehouseError(
                f"Lost the connection to {self.location.shown}: "
                f"{mask_secrets(first_line(error), self.location)}",
                "Check that the database is up, then ask again.",
            ) from None
        except psycopg.Error as error:
            raise query_error(mask_secrets(first_line(error), self.location)) from None
        finally:
            if not connection.closed:
                connection.rollback()
            self._release(connection)
        return Fetched(
            columns=tuple(d.name for d in description),
            types=tuple(_type_name(connection, d.type_code) for d in description),
            rows=[plain_row(row) for row in rows],
        )

    def cancel(self) -> None:
        with self._lock:
            busy = list(self._busy)
        for connection in busy:
            connection.cancel_safe()

    def columns(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for table, column, kind in self.execute(_COLUMNS_SQL, max_rows=1_000_000,
                                                timeout_s=60).rows:
            found.setdefault(str(table), {})[str(column)] = duckdb_type(str(kind), "postgres")
        return found

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def _connect(location: Location) -> Any:
    psycopg = _driver()
    extra: dict[str, Any] = {}
    password = location.password()
    if password:
        extra["password"] = password
    try:
        connection = psycopg.connect(
            location.url,
            autocommit=False,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="genbi",
            options="-c default_transaction_read_only=on",
            **extra,
        )
    except psycopg.Error as error:
        raise WarehouseError(
            f"Could not connect to {location.shown}: "
            f"{mask_secrets(first_line(error), location)}",
            "Check the host, port, database and user in the URL, and the password "
            "(GENBI_DB_PASSWORD or PGPASSWORD).",
        ) from None
    connection.read_only = True
    return connection


def _type_name(connection: Any, oid: int) -> str:
    from psycopg.types import TypeInfo  # noqa: F401  (the adapters map knows builtin oids)

    info = connection.adapters.types.get(oid)
    return duckdb_type(info.name, "postgres") if info is not None else "UNKNOWN"
