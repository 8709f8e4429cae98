"""Spark through Spark Connect (``sc://host:port``), the remote protocol of Spark 3.4+ and
Databricks: genbi talks gRPC to the cluster and never starts a JVM of its own.

Spark SQL has no read-only session, so the guard is the lock that matters here and it is
strict for Spark: one SELECT over the model's tables, no file paths as tables, no
``reflect`` / ``java_method``. The session's current database is the URL's ``;database=NAME``
parameter (a genbi parameter, taken out before the URL reaches Spark), else Spark's default.
Each statement is tagged, so a timeout or ``cancel`` interrupts exactly the running ones.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import threading
import uuid
import warnings
from typing import Any

from genbi.errors import ConfigError, WarehouseError

from ..guard import guard
from .base import Fetched, first_line, query_error, timeout_error
from .location import Location, mask_secrets
from .values import duckdb_type, plain_row

_DATABASE = re.compile(r";database=([^;]*)", re.IGNORECASE)

UNREACHABLE_RETRIES = 4
"""pyspark retries an unreachable server for at least ten minutes by default (made for a
Databricks cluster waking up); six tries with backoff capped at 10 s give up after about 25 s,
so a wrong URL is an error a marketer sees, not a frozen prompt. A server's own "retry after"
hint is still honoured."""


def _session_builder() -> Any:
    try:
        with warnings.catch_warnings():  # "PySpark does not yet fully support pandas >= 3"
            warnings.simplefilter("ignore", FutureWarning)
            from pyspark.sql.connect.session import SparkSession
    except ImportError:
        raise ConfigError(
            "Spark Connect needs the pyspark client, which is not installed.",
            "Install it with: pip install 'genbi[spark]'",
        ) from None
    return SparkSession.builder


def split_database(url: str) -> tuple[str, str | None]:
    """The URL without genbi's ``;database=`` parameter, and that database."""
    found = _DATABASE.search(url)
    return _DATABASE.sub("", url), (found.group(1) if found else None)


class SparkBackend:
    dialect = "spark"
    default_timeout_s = 300.0
    """A cluster schedules every statement as a job; seconds are normal, minutes happen."""

    def __init__(self, location: Location, session: Any) -> None:
        self.location = location
        self.session = session
        self._tags: set[str] = set()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, location: Location) -> SparkBackend:
        url, database = split_database(location.url)
        session = None
        try:
            session = new_session(url)
            if database:
                session.catalog.setCurrentDatabase(database)
            session.sql("SELECT 1").collect()
        except ConfigError:
            raise
        except Exception as error:  # pyspark raises many types for an unreachable server
            if session is not None:
                _close_channel(session.client)
            raise WarehouseError(
                f"Could not connect to Spark at {location.shown}: "
                f"{mask_secrets(_reason(error), location)}",
                "Check that the Spark Connect server is running, the URL's host and port, and "
                "its ;token= when the server requires one.",
            ) from None
        return cls(location, session)

    def execute(self, sql: str, *, max_rows: int, timeout_s: float) -> Fetched:
        guard(sql, dialect=self.dialect)  # no read-only session here: the statement is re-checked
        tag = f"genbi-{uuid.uuid4().hex}"
        with self._lock:
            self._tags.add(tag)
        self.session.addTag(tag)
        timer = threading.Timer(timeout_s, self._interrupt, args=(tag,))
        timer.daemon = True
        timer.start()
        try:
            frame = self.session.sql(sql)
            table = frame.limit(max_rows + 1).toArrow()
        except Exception as error:  # Spark Connect errors share no base class worth naming
            if not timer.is_alive():
                raise timeout_error(timeout_s) from None
            raise query_error(mask_secrets(first_line(error), self.location)) from None
        finally:
            timer.cancel()
            self.session.removeTag(tag)
            with self._lock:
                self._tags.discard(tag)
        columns = [column.to_pylist() for column in table.columns]
        rows = [plain_row(row) for row in zip(*columns, strict=True)] if columns else []
        return Fetched(
            columns=tuple(table.column_names),
            types=tuple(_arrow_type(field.type) for field in table.schema),
            rows=rows,
        )

    def _interrupt(self, tag: str) -> None:
        with contextlib.suppress(Exception):  # the statement may have just finished
            self.session.interruptTag(tag)

    def cancel(self) -> None:
        with self._lock:
            tags = list(self._tags)
        for tag in tags:
            self._interrupt(tag)

    def columns(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        try:
            for table in self.session.catalog.listTables():
                if table.isTemporary:
                    continue
                qualified = f"{table.database}.{table.name}" if table.database else table.name
                for column in self.session.catalog.listColumns(qualified):
                    found.setdefault(table.name, {})[column.name] = duckdb_type(column.dataType, "spark")
        except Exception as error:
            raise WarehouseError(
                f"Could not list Spark's tables: {mask_secrets(first_line(error), self.location)}",
                "Check the URL's ;database= and that the Spark Connect server is up.",
            ) from None
        return found

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a session on a stopped server
            self.session.stop()


def new_session(url: str) -> Any:
    """A Spark Connect session that gives up on an unreachable server in seconds and never
    holds up the process's exit."""
    from pyspark.sql.connect.client.retries import DefaultPolicy

    session = _session_builder().remote(url).create()
    session.client.set_retry_policies([DefaultPolicy(max_retries=UNREACHABLE_RETRIES, max_backoff=10_000)])
    atexit.register(_close_channel, session.client)
    return session


def _close_channel(client: Any) -> None:
    """Close the gRPC channel without a goodbye call to the server, which may be gone.

    Also registered as an exit hook for every session: pyspark's own exit hook sends one more
    command to the server of each client still open, retried as any other, so with the server
    stopped a process that never closed its session waited minutes per session to exit (CI
    hung after its last test). Exit hooks run last-registered first: this one closes the
    channel before pyspark's runs, and pyspark skips a closed client."""
    with contextlib.suppress(Exception):
        client.close()


def _reason(error: Exception) -> str:
    """A gRPC failure as its status and details ('UNAUTHENTICATED: Invalid authentication
    token'), not the first line of its repr; other errors by their first line."""
    cause: BaseException | None = error
    while cause is not None:  # pyspark wraps the gRPC error after its retries give up
        code, details = getattr(cause, "code", None), getattr(cause, "details", None)
        if callable(code) and callable(details):
            with contextlib.suppress(Exception):
                return f"{getattr(code(), 'name', code())}: {details()}"
        cause = cause.__cause__ or cause.__context__
    return first_line(error)


def _arrow_type(kind: Any) -> str:
    import pyarrow as pa

    if pa.types.is_timestamp(kind):
        return "TIMESTAMP" if kind.tz is None else "TIMESTAMPTZ"
    names = {"int64": "BIGINT", "int32": "INTEGER", "int16": "SMALLINT", "int8": "TINYINT",
             "double": "DOUBLE", "float": "FLOAT", "string": "VARCHAR", "large_string": "VARCHAR",
             "bool": "BOOLEAN", "date32[day]": "DATE"}
    text = str(kind)
    if text.startswith("decimal"):
        return text.replace("decimal128", "DECIMAL").upper()
    return names.get(text, text.upper())
