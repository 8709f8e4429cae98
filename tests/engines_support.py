"""Session fixtures: the demo warehouse loaded into a real Postgres and a real Spark Connect
server (``tests/servers.py``), each checked unchanged when the session ends.

A test that needs a server skips when its software is missing here, unless ``CI`` is set:
in CI a missing server is a failure.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from servers import ServerUnavailable, grant_reader, postgres_server, spark_connect_server

from genbi.semantic_layer.warehouse import Warehouse

ENGINES = ("postgres", "spark")


def unavailable(error: Exception) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"CI needs this server: {error}")
    pytest.skip(str(error))


def checksums(target: str | Path) -> dict[str, tuple[Any, ...]]:
    """Per table: its row count and, per column, the count of values and a sum over them
    (numbers summed, text by length, dates by their day number): any write shows."""
    with Warehouse.open(target, row_cap=100, timeout_s=600) as warehouse:
        found = {}
        for table, columns in sorted(warehouse.tables().items()):
            parts = ["COUNT(*)"]
            for column, kind in columns.items():
                quoted = f'"{column}"'
                if kind.startswith(("DATE", "TIMESTAMP")):
                    value = f"SUM(CAST(date_diff('day', DATE '2000-01-01', CAST({quoted} AS DATE)) AS BIGINT))"
                elif kind in ("VARCHAR", "BOOLEAN"):
                    value = f"SUM(LENGTH(CAST({quoted} AS VARCHAR)))"
                else:
                    value = f"SUM(CAST({quoted} AS DOUBLE))"
                parts += [f"COUNT({quoted})", value]
            found[table] = warehouse.run(f'SELECT {", ".join(parts)} FROM "{table}"').rows[0]
        return found


@contextlib.contextmanager
def _loaded(start: Any, warehouse_path: Path) -> Iterator[Any]:
    from genbi.demo.load import load_warehouse

    stack = contextlib.ExitStack()
    try:
        server = stack.enter_context(start())
    except ServerUnavailable as error:
        unavailable(error)
    with stack:
        load_warehouse(warehouse_path, server.url)
        expected = checksums(warehouse_path)
        assert same_checksums(checksums(server.url), expected), "the copy equals the DuckDB warehouse"
        yield server
        assert same_checksums(checksums(server.url), expected), "no test changed the server's tables"


def same_checksums(found: dict[str, tuple[Any, ...]], expected: dict[str, tuple[Any, ...]]) -> bool:
    """Equal tables, counts exactly and sums to 1e-9 (engines add floats in other orders)."""
    if found.keys() != expected.keys():
        return False
    return all(len(found[t]) == len(expected[t]) and all(
        a == b or (isinstance(a, float | int) and isinstance(b, float | int)
                   and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6))
        for a, b in zip(found[t], expected[t], strict=True)) for t in expected)


@contextlib.contextmanager
def _given(url: str, warehouse_path: Path) -> Iterator[str]:
    """A developer's own server that already holds the demo (``genbi data load``)."""
    expected = checksums(warehouse_path)
    assert same_checksums(checksums(url), expected), f"{url} holds the demo warehouse"
    yield url
    assert same_checksums(checksums(url), expected), "no test changed the server's tables"


def _server(variable: str, start: Any, warehouse_path: Path, url_of: Any) -> Iterator[str]:
    """``$variable`` (a server of your own that already holds the demo), else a private
    server started here with the demo loaded; ``url_of(server)`` is the URL genbi uses."""
    given = os.environ.get(variable)
    if given:
        with _given(given, warehouse_path) as url:
            yield url
        return
    with _loaded(start, warehouse_path) as server:
        yield url_of(server)


@pytest.fixture(scope="session")
def postgres_url(warehouse_path: Path) -> Iterator[str]:
    """The demo warehouse in Postgres, read by a role that may only SELECT."""
    yield from _server("GENBI_TEST_POSTGRES_URL", postgres_server, warehouse_path, grant_reader)


@pytest.fixture(scope="session")
def spark_url(warehouse_path: Path) -> Iterator[str]:
    """The demo warehouse in a local Spark Connect server's catalog."""
    yield from _server("GENBI_TEST_SPARK_URL", spark_connect_server, warehouse_path, lambda s: s.url)


@pytest.fixture(scope="session", params=ENGINES)
def engine_url(request: pytest.FixtureRequest) -> str:
    """Each server engine in turn."""
    return str(request.getfixturevalue(f"{request.param}_url"))
