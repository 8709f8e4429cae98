"""Real Postgres and Spark Connect servers for the tests, started and always stopped here.

``.ci/run`` installs the software (Debian's postgresql and OpenJDK, pyspark in ``.venv-spark``);
the session fixtures in ``conftest.py`` start one private server of each on a free port,
load the demo warehouse into it and stop it at the end. Readiness is polled (``pg_ctl -w``,
the Spark log line plus a TCP probe) while the process is alive, never a fixed sleep.

A server must not outlive the tests even when pytest is killed (SIGKILL runs no
``finally``): each server folder holds ``owner.json`` (who started it, what to stop), and a
watchdog process (``python tests/servers.py watch FOLDER``, in a session of its own) waits
for the owner's exit and then stops the server. Starting a server first stops those whose
owner is gone (a watchdog killed along with its owner).

Also a command for developers: ``python tests/servers.py`` starts both and waits.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
READY_LIMIT_S = 600.0
"""Only a ceiling for a wedged server: readiness is polled, and a dead process fails at once."""


class ServerUnavailable(RuntimeError):
    """The server's software is not installed here (tests skip locally, fail in CI)."""


def started_at(pid: int) -> int | None:
    """When ``pid`` started (clock ticks since boot, /proc), None when it is not running:
    with the pid, it names one process even after the pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[19])  # field 22 of stat; the first two (pid, comm) are cut off


def alive(pid: int, started: int | None) -> bool:
    return pid > 0 and started is not None and started_at(pid) == started


# --- never outlive the owner ------------------------------------------------------------------

OWNER_FILE = "owner.json"
FOLDER_PREFIXES = ("genbi-pg-", "genbi-spark-")


def claim(folder: Path, **stop: object) -> None:
    """Write who owns the server in ``folder`` (this process) and how to stop it."""
    record = {"owner": os.getpid(), "owner_started": started_at(os.getpid()), **stop}
    (folder / OWNER_FILE).write_text(json.dumps(record))


def watch(folder: Path) -> subprocess.Popen[bytes]:
    """A watchdog that stops the server in ``folder`` once this process has exited. It
    runs in a session of its own, so a signal to the tests' process group spares it."""
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "watch", str(folder)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, close_fds=True)


def _watchdog(folder: Path) -> None:
    """Block until the owner named in ``folder``'s record exits, then stop its server."""
    record = json.loads((folder / OWNER_FILE).read_text())
    owner = int(record["owner"])
    try:
        handle = os.pidfd_open(owner)  # readable once the process has exited; no polling
    except (ProcessLookupError, AttributeError, OSError):
        handle = None
    if handle is not None and alive(owner, record["owner_started"]):
        select.select([handle], [], [])
    while alive(owner, record["owner_started"]):  # no pidfd here: poll the owner instead
        time.sleep(1)
    stop_recorded(folder, record)


def stop_recorded(folder: Path, record: dict[str, object]) -> None:
    """Stop the server a record describes (if it is still the one that was started)."""
    if record.get("kind") == "postgres":
        binaries = Path(str(record["bin"]))
        subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(folder / "data"),
                                     "-m", "immediate", "stop"]), capture_output=True, check=False)
    elif record.get("kind") == "spark":
        pid, started = int(str(record["pid"])), record.get("pid_started")
        _stop_group(pid, lambda: alive(pid, started if isinstance(started, int) else None))
    shutil.rmtree(folder, ignore_errors=True)


def _stop_group(pid: int, running: Callable[[], bool]) -> None:
    """SIGTERM the process group led by ``pid``, SIGKILL it if it is still there after a minute."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not running():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + 60
        while running() and time.monotonic() < deadline:
            time.sleep(0.2)


def stop_orphans() -> list[Path]:
    """Stop the servers whose owner is gone (its watchdog was killed with it); their folders."""
    stopped = []
    for prefix in FOLDER_PREFIXES:
        for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
            try:
                record = json.loads((folder / OWNER_FILE).read_text())
            except (OSError, ValueError):
                continue  # not started by this module (or still being set up)
            if not alive(int(record.get("owner", 0)), record.get("owner_started")):
                stop_recorded(folder, record)
                stopped.append(folder)
    return stopped


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
    watchdog: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        _end(self.watchdog)
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                                     "-m", "immediate", "stop"]), capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A private Postgres cluster (trust auth, 127.0.0.1, a free port) with a database
    ``genbi`` and a role ``genbi_reader`` that may only read it."""
    binaries = postgres_bin()
    stop_orphans()
    folder = Path(tempfile.mkdtemp(prefix="genbi-pg-"))
    claim(folder, kind="postgres", bin=str(binaries))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    server = PostgresServer(f"postgresql://postgres@127.0.0.1:{port}/genbi", folder, binaries, watch(folder))
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
    watchdog: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        _end(self.watchdog)
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
    """A local[2] Spark Connect server on a free port, in a process group of its own, that
    answers only clients with its token (the URL's ``;token=``)."""
    home = spark_home()
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ServerUnavailable("No Java for Spark (apt-get install openjdk-17-jre-headless).")
    stop_orphans()
    folder = Path(tempfile.mkdtemp(prefix="genbi-spark-"))
    claim(folder, kind="spark", pid=0)  # an owner at once: never taken for an orphan's folder
    port = free_port()
    log = folder / "server.log"
    token = secrets.token_urlsafe(24)  # Spark Connect's bearer token, from the environment
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1",
           "PYSPARK_PYTHON": sys.executable, "SPARK_CONNECT_AUTHENTICATE_TOKEN": token}
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
    claim(folder, kind="spark", pid=process.pid, pid_started=started_at(process.pid))
    # "localhost": pyspark sends a token without TLS only over a local (loopback) channel
    server = SparkServer(f"sc://localhost:{port}/;token={token}", process, folder, watch(folder))
    try:
        _wait_for_spark(server, log, port)
        yield server
    finally:
        server.stop()


def _end(watchdog: subprocess.Popen[bytes] | None) -> None:
    """Stop a server's watchdog before the server itself is stopped the ordinary way."""
    if watchdog is not None and watchdog.poll() is None:
        watchdog.terminate()
        watchdog.wait()


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


if __name__ == "__main__" and sys.argv[1:2] == ["watch"]:
    _watchdog(Path(sys.argv[2]))
elif __name__ == "__main__":  # a developer's pair of servers: Ctrl+C stops both
    with postgres_server() as pg, spark_connect_server() as spark:
        print(f"GENBI_TEST_POSTGRES_URL={pg.url}\nGENBI_TEST_SPARK_URL={spark.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
