"""Stopping a server (``genbi ui``, ``genbi slack``) promptly on Ctrl+C or SIGTERM, even busy.

``stop_signals`` turns SIGINT and SIGTERM into an event the server's main thread waits on, so
it can close its listener, cancel running queries and drop queued questions. Whatever then
still runs cannot keep the process alive: ``GRACE_S`` seconds after the first signal, or at
a second one, the process exits (``os._exit``) — a stuck worker never makes an orphan.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

log = logging.getLogger(__name__)

GRACE_S = 8.0


@contextlib.contextmanager
def stop_signals(grace_s: float = GRACE_S) -> Iterator[threading.Event]:
    """An event set by the first SIGINT / SIGTERM (main thread only); handlers restored after."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop  # signals can only be caught on the main thread (e.g. under a test runner)
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            log.warning("second signal %s: exiting now", signum)
            os._exit(128 + signum)
        stop.set()
        threading.Thread(target=_exit_after, args=(grace_s, 128 + signum), daemon=True,
                         name="genbi-shutdown-watchdog").start()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def wait(stop: threading.Event) -> None:
    """Block the main thread until ``stop`` is set (short waits, so signals are handled)."""
    while not stop.wait(0.5):
        pass


def _exit_after(grace_s: float, code: int) -> None:
    threading.Event().wait(grace_s)
    log.warning("shutdown took longer than %.0f s: exiting now", grace_s)
    os._exit(code)
