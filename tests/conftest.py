"""Shared fixtures: one generated demo warehouse per test session, and an isolated genbi home."""

from __future__ import annotations

import atexit
import faulthandler
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines_support import engine_url, postgres_url, spark_url  # noqa: F401  (session servers)
from planted_support import PLANTED_CUT

# Before anything imports genbi: the whole session's state and data live in a throw-away
# GENBI_HOME, so no test (nor a subprocess it starts) writes the user's audit log, log
# file, audiences or demo warehouse. Tests that need their own home still monkeypatch it.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="genbi-test-home-"))
os.environ["GENBI_HOME"] = str(_SESSION_HOME)
os.environ.pop("GENBI_DB", None)
os.environ.setdefault("MPLCONFIGDIR", str(_SESSION_HOME / "mpl"))
atexit.register(shutil.rmtree, _SESSION_HOME, True)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

TEST_CUSTOMERS = 20_000
TEST_SEED = 42


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse at its default scale, generated once for the whole session."""
    from genbi.demo import generate_warehouse

    path = tmp_path_factory.mktemp("warehouse") / "demo.duckdb"
    generate_warehouse(path, customers=TEST_CUSTOMERS, seed=TEST_SEED)
    return path


@pytest.fixture(scope="session")
def planted_warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse (default scale and seed) with ``PLANTED_CUT`` planted, for the change
    explanation and anomaly tests; generated once for the whole session."""
    from genbi.demo import generate_warehouse
    from genbi.demo.planted import SpendCut

    path = tmp_path_factory.mktemp("planted") / "demo.duckdb"
    generate_warehouse(path, customers=TEST_CUSTOMERS, seed=TEST_SEED, spend_cut=SpendCut(*PLANTED_CUT))
    return path


@pytest.fixture()
def genbi_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away GENBI_HOME so no test touches the real per-user directories."""
    monkeypatch.setenv("GENBI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GENBI_DB", raising=False)
    return tmp_path / "home"


SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
_SESSION_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the browser tests left their screenshots, for a person to look at."""
    shots = sorted(SCREENSHOTS.glob("*.png")) if SCREENSHOTS.is_dir() else []
    fresh = [p for p in shots if p.stat().st_mtime >= _SESSION_STARTED]
    if fresh:
        terminalreporter.write_line(f"screenshots: {len(fresh)} in {SCREENSHOTS}")


@pytest.fixture(autouse=True)
def _demo_currency() -> Iterator[None]:
    """An assistant sets the money symbol its model declares; each test starts with the demo's."""
    from genbi.assistant import formatting

    yield
    formatting.use_currency(formatting.CURRENCY)


@pytest.fixture(autouse=True)
def _heap_as_found() -> Iterator[None]:
    """A test that runs a serving entry point (the UI opening a warehouse) settles the heap
    (``assistant.runtime.settle_heap``): the rest of the session's objects go back to the
    collector, so a later test's garbage is collected as usual."""
    import gc

    threshold = gc.get_threshold()
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
    if gc.get_threshold() != threshold:
        gc.set_threshold(*threshold)


EXIT_HANG_BOUND_S = 300
"""How long the finished test process may take to exit. Not a timing: exiting takes seconds;
a hang (CI once waited an hour after its last test) takes until CI's own limit."""

_exit_status = 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Name the threads that will hold up the exit, and bound the wait for them.

    Every result is known by now; a thread left running (a worker pool's stuck job, a client
    retrying a server the session stopped) must not turn a finished run into a CI timeout.
    After the bound the process prints every thread's stack and exits with the run's own
    status."""
    import sys
    import threading

    lingering = [t.name for t in threading.enumerate()
                 if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if lingering:
        print(f"\nthreads still running at exit: {', '.join(sorted(lingering))}", file=sys.stderr, flush=True)

    def bound() -> None:
        time.sleep(EXIT_HANG_BOUND_S)
        print(f"\nthe test process did not exit {EXIT_HANG_BOUND_S} s after its last test; "
              "every thread's stack follows:", file=sys.stderr, flush=True)
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        sys.stderr.flush()
        os._exit(_exit_status)

    threading.Thread(target=bound, name="exit-bound", daemon=True).start()
