"""A Spark Connect URL that points nowhere: a quick, readable error, and a process that exits.

pyspark retries an unreachable server for at least ten minutes and, at exit, sends one more
command to the server of every session still open. CI once hung for an hour after its last
test: sessions left open by tests tried to reach the Spark server the session had already
stopped. These run in a child process, since the hang is at interpreter exit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from servers import free_port

pytest.importorskip("pyspark.sql.connect.session")

HANG_BOUND_S = 300
"""Not a timing: pyspark's own retries at exit last at least ten minutes."""

CHILD = """
import sys
from genbi.errors import WarehouseError
from genbi.semantic_layer.backends.location import parse_location
from genbi.semantic_layer.backends.spark import SparkBackend, new_session

url = sys.argv[1]
left_open = new_session(url)  # never closed, never used: exit must not wait on it
try:
    SparkBackend.open(parse_location(url))
except WarehouseError as error:
    print("ERROR", error)
    print("HINT", error.hint)
"""


def test_an_unreachable_spark_is_an_error_and_the_process_still_exits(tmp_path: Path) -> None:
    url = f"sc://127.0.0.1:{free_port()}"
    child = tmp_path / "child.py"  # a file, not -c: pyspark takes a -c program for its doctests
    child.write_text(CHILD)
    done = subprocess.run([sys.executable, "-W", "ignore", str(child), url], capture_output=True,
                          text=True, timeout=HANG_BOUND_S)
    assert done.returncode == 0, done.stderr[-6000:]
    assert f"ERROR Could not connect to Spark at {url}: UNAVAILABLE" in done.stdout
    assert "Rendezvous" not in done.stdout  # gRPC's status, not the repr of its call object
    assert "HINT Check that the Spark Connect server is running" in done.stdout
