"""`genbi slack` and `genbi ui` stop on SIGINT / SIGTERM while busy, and never linger.

Each test starts the real command in a subprocess and always kills it in the end; the wait
for a clean exit has a generous bound (a busy CI machine), never a tight one.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from genbi.ui.slack.testing import FakeSlackApi, signed_headers

SECRET = "8f742231b10e8888abcd99eeff0011aa"
TOKEN = "xoxb-1-2-test"
BOUND_S = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def started(args: list[str], env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], queue.Queue[str]]]:
    process = subprocess.Popen([sys.executable, "-m", "genbi", *args], env=env, stderr=subprocess.STDOUT,
                               stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stream = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    try:
        yield process, lines
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def _until(lines: queue.Queue[str], needle: str) -> str:
    seen = []
    while True:
        line = lines.get(timeout=BOUND_S)
        seen.append(line)
        if needle in line:
            return "".join(seen)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GENBI_"))}
    env.update(GENBI_HOME=str(tmp_path / "home"), MPLCONFIGDIR=str(tmp_path / "mpl"), **extra)
    return env


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_genbi_slack_stops_under_load(stop: signal.Signals, warehouse_path: Path, tmp_path: Path) -> None:
    port = _free_port()
    with FakeSlackApi() as fake, started(
        ["slack", "--db", str(warehouse_path), "--host", "127.0.0.1", "--port", str(port)],
        _env(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, GENBI_SLACK_API_URL=fake.api_url,
             GENBI_DUCKDB_THREADS="1"),
    ) as (process, lines):
        _until(lines, "HTTP mode on")
        for number in range(24):  # more questions than workers: a queue to drop
            form = urllib.parse.urlencode({"command": "/genbi", "text": f"revenue by city and product in 202{number % 2 + 4}",
                                           "team_id": "T0", "channel_id": "C0", "user_id": f"U{number}"})
            request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=form.encode(),
                                             headers=signed_headers(SECRET, form), method="POST")
            with urllib.request.urlopen(request, timeout=BOUND_S) as response:
                assert response.status == 200
        process.send_signal(stop)
        assert process.wait(timeout=BOUND_S) == 0
        assert "genbi slack: stopped." in _until(lines, "stopped")


def test_genbi_ui_stops_on_sigterm_and_removes_its_private_files(warehouse_path: Path, tmp_path: Path) -> None:
    port = _free_port()
    env = _env(tmp_path)
    with started(["ui", "--db", str(warehouse_path), "--port", str(port)], env) as (process, lines):
        _until(lines, "genbi is ready")
        temp = tmp_path / "home" / "state" / "tmp"
        made = [p for p in temp.iterdir() if p.is_dir()]
        assert made and all(oct(p.stat().st_mode & 0o777) == "0o700" for p in made)
        assert oct(temp.stat().st_mode & 0o777) == "0o700"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=BOUND_S) == 0
    assert not [p for p in temp.iterdir() if p.is_dir()], "the private temp folders are removed"
