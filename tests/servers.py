"""Real Postgres and Spark Connect servers for the tests, started and always stopped here.

``.ci/run`` installs the software (Debian's postgresql and OpenJDK, pyspark in ``.venv-spark``);
the session fixtures in ``conftest.py`` start one private server of each on a free port,
load the demo warehouse into it and stop it at the end. Readiness is polled (``pg_ctl -w``,
the Spark log line plus a TCP probe) while the process is alive, never a fixed sleep.

Also a command for developers: ``python tests/servers.py`` starts both and waits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
READY_LIMIT_S = 600.0
"""Only a ceiling for a wedged server: readiness is polled, and a dead process fails at once."""


class ServerUnavailable(RuntimeError):
    """The server's software is not installed here (tests skip locally, fail in CI)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- Postgres -------------------------------------------------------------------------------


def postgres_bin() -> Path:
    """The newest installed Postgres's binaries (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise ServerUnavailable("Postgres is not installed (apt-get install postgresql).")


def _as_postgres(command: list[str]) -> list[str]:
    """Postgres refuses to run as root: run its tools as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PostgresServer:
    url: str
    folder: Path
    bin: Path

    def stop(self) -> None:
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                                     "-m", "immediate", "stop"]), capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A private Postgres cluster (trust auth, 127.0.0.1, a free port) with a database
    ``genbi`` and a role ``genbi_reader`` that may only read it."""
    binaries = postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="genbi-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    server = PostgresServer(f"postgresql://postgres@127.0.0.1:{port}/genbi", folder, binaries)
    try:
        _run(_as_postgres([str(binaries / "initdb"), "-D", str(folder / "data"), "-A", "trust",
                           "-U", "postgres", "--no-sync"]))
        _run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-w",
                           "-t", str(int(READY_LIMIT_S)), "-l", str(folder / "log"), "-o",
                           f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                           "start"]))
        _psql(server, "postgres", "CREATE DATABASE genbi")
        yield server
    finally:
        server.stop()


def grant_reader(server: PostgresServer) -> str:
    """A role that can only SELECT in ``genbi``; its URL."""
    _psql(server, "genbi",
          "DROP ROLE IF EXISTS genbi_reader; CREATE ROLE genbi_reader LOGIN; "
          "GRANT CONNECT ON DATABASE genbi TO genbi_reader; GRANT USAGE ON SCHEMA public TO genbi_reader; "
          "GRANT SELECT ON ALL TABLES IN SCHEMA public TO genbi_reader")
    return server.url.replace("postgres@", "genbi_reader@")


def _psql(server: PostgresServer, database: str, sql: str) -> None:
    port = server.url.rsplit(":", 1)[1].split("/")[0]
    _run([str(server.bin / "psql"), "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", database,
          "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed: {done.stderr.strip()[-2000:]}")


# --- Spark Connect --------------------------------------------------------------------------


def spark_home() -> Path:
    """A full pyspark (with its jars): $GENBI_SPARK_HOME, else ``.venv-spark`` beside the repo."""
    named = os.environ.get("GENBI_SPARK_HOME")
    candidates = [Path(named)] if named else []
    candidates += sorted(REPO.glob(".venv-spark/lib/python3*/site-packages/pyspark"))
    for home in candidates:
        if (home / "jars").is_dir() and (home / "bin" / "spark-submit").exists():
            return home
    raise ServerUnavailable("No full pyspark for a Spark Connect server (.ci/run installs it in .venv-spark).")


@dataclass
class SparkServer:
    url: str
    process: subprocess.Popen[bytes]
    folder: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def spark_connect_server() -> Iterator[SparkServer]:
    """A local[2] Spark Connect server on a free port, in a process group of its own."""
    home = spark_home()
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ServerUnavailable("No Java for Spark (apt-get install openjdk-17-jre-headless).")
    folder = Path(tempfile.mkdtemp(prefix="genbi-spark-"))
    port = free_port()
    log = folder / "server.log"
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1",
           "PYSPARK_PYTHON": sys.executable}
    command = [str(home / "bin" / "spark-submit"), "--class",
               "org.apache.spark.sql.connect.service.SparkConnectServer", "--master", "local[2]",
               "--driver-memory", "3g",  # 1g ran out of heap on the attribution journeys
               "--conf", f"spark.connect.grpc.binding.port={port}",
               "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
               "--conf", f"spark.sql.warehouse.dir={folder / 'warehouse'}",
               "--conf", "spark.ui.enabled=false",
               "--conf", "spark.sql.shuffle.partitions=4",
               "--conf", "spark.sql.session.timeZone=UTC",
               "--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={folder}"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env,
                                   cwd=folder, start_new_session=True)
    server = SparkServer(f"sc://127.0.0.1:{port}", process, folder)
    try:
        _wait_for_spark(server, log, port)
        yield server
    finally:
        server.stop()


def _wait_for_spark(server: SparkServer, log: Path, port: int) -> None:
    started = time.monotonic()
    while time.monotonic() - started < READY_LIMIT_S:
        if server.process.poll() is not None:
            raise RuntimeError(f"The Spark Connect server exited: {log.read_text(errors='replace')[-2000:]}")
        if "Spark Connect server started" in log.read_text(errors="replace"):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=5):
                return
        time.sleep(0.5)
    raise RuntimeError(f"The Spark Connect server did not start: {log.read_text(errors='replace')[-2000:]}")


if __name__ == "__main__":  # a developer's pair of servers: Ctrl+C stops both
    with postgres_server() as pg, spark_connect_server() as spark:
        print(f"GENBI_TEST_POSTGRES_URL={pg.url}\nGENBI_TEST_SPARK_URL={spark.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
