"""Query time limits kept by one watchdog thread instead of a thread per query.

A ``threading.Timer`` per statement starts a thread and waits until it runs: a fraction of a
millisecond on an idle machine, 5-10 ms on a busy one with two cores — a third of a small
query's own time. ``after(seconds, callback)`` puts a deadline on a heap that one daemon
thread watches; ``cancel()`` on the returned handle (when the query finished in time) is a
flag, so finishing costs nothing either.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Deadline:
    """One scheduled callback; ``cancel()`` before it fires and it never runs."""

    __slots__ = ("args", "callback", "cancelled", "when")

    def __init__(self, when: float, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.when = when
        self.callback = callback
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Watchdog:
    """Fires deadlines from one daemon thread, started on first use (and again in a forked
    child, where the parent's thread does not exist)."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._condition = threading.Condition()
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def after(self, seconds: float, callback: Callable[..., Any], *args: Any) -> Deadline:
        deadline = Deadline(time.monotonic() + seconds, callback, args)
        with self._condition:
            if len(self._heap) > 256:  # finished queries leave cancelled entries behind
                self._heap = [entry for entry in self._heap if not entry[2].cancelled]
                heapq.heapify(self._heap)
            heapq.heappush(self._heap, (deadline.when, next(self._order), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="genbi-query-deadlines", daemon=True)
                self._thread.start()
            elif self._heap[0][2] is deadline:
                self._condition.notify()  # the new deadline is the earliest: wake up sooner
        return deadline

    def _watch(self) -> None:
        while True:
            with self._condition:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    if self._heap:
                        self._condition.wait(self._heap[0][0] - time.monotonic())
                    else:
                        self._condition.wait()
                deadline = heapq.heappop(self._heap)[2]
            if not deadline.cancelled:
                try:
                    deadline.callback(*deadline.args)
                except Exception:  # a failing callback must not stop every later deadline
                    log.exception("a query deadline callback failed")


WATCHDOG = Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=WATCHDOG._reset)


def after(seconds: float, callback: Callable[..., Any], *args: Any) -> Deadline:
    """Call ``callback(*args)`` in ``seconds`` unless the returned deadline is cancelled."""
    return WATCHDOG.after(seconds, callback, *args)
