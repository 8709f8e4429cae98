"""Query time limits share one watchdog thread: deadlines fire in time order, cancelled
ones never fire, and a callback that fails does not stop the later ones."""

from __future__ import annotations

import threading

from genbi.semantic_layer.backends.deadlines import Watchdog

HANG_S = 120  # a bound on a hang, never a speed check


def test_deadlines_fire_in_time_order_and_cancelled_ones_never() -> None:
    watchdog = Watchdog()
    fired: list[str] = []
    done = threading.Event()
    watchdog.after(0.2, lambda: (fired.append("last"), done.set()))
    watchdog.after(0.1, fired.append, "second")  # scheduled later, due earlier
    watchdog.after(0.05, lambda: 1 / 0)  # fails; the watchdog carries on
    watchdog.after(0.01, fired.append, "cancelled").cancel()
    watchdog.after(0.0, fired.append, "first")
    assert done.wait(HANG_S)
    assert fired == ["first", "second", "last"]


def test_many_finished_queries_leave_no_growing_heap() -> None:
    watchdog = Watchdog()
    for _ in range(2000):
        watchdog.after(3600, fired_never).cancel()
    assert len(watchdog._heap) <= 257


def fired_never() -> None:
    raise AssertionError("a cancelled deadline fired")
