"""Progress of a long tool run, for whoever is waiting (a CLI bar, a UI status line).

A tool announces its steps with ``step("Scoring customers", 0.6)``; the fraction is how far
the whole run is once that step starts. Nothing is shown unless a front end installs a
listener with ``listening(callback)`` for the duration of the run, so tools stay silent in
tests and in the LLM agent. The listener lives in a context variable: two threads of the UI
each see their own.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TextIO

Listener = Callable[[str, float], None]
"""Called with a step label and the fraction of the run done (0..1)."""

_LISTENER: ContextVar[Listener | None] = ContextVar("genbi_tool_progress", default=None)


def step(label: str, fraction: float) -> None:
    """Tell the listener (if any) that the run reached ``label`` at ``fraction`` done."""
    listener = _LISTENER.get()
    if listener is not None:
        listener(label, min(max(float(fraction), 0.0), 1.0))


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Route ``step`` calls made inside the block (same context) to ``listener``."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


class TerminalBar:
    """A one-line bar on a terminal that appears only once a run has taken ``delay_s``.

    Short runs print nothing, and nothing is printed to a stream that is not a terminal
    (pipes and logs stay clean).
    """

    def __init__(self, tool: str, stream: TextIO | None = None, delay_s: float = 2.0, width: int = 24) -> None:
        self.tool = tool
        self.stream = stream or sys.stderr
        self.delay_s = delay_s
        self.width = width
        self.started = time.perf_counter()
        self.shown = False
        self.last = ("", 0.0)

    def __call__(self, label: str, fraction: float) -> None:
        self.last = (label, fraction)
        if time.perf_counter() - self.started < self.delay_s or not self.stream.isatty():
            return
        self._draw(label, fraction)

    def _draw(self, label: str, fraction: float) -> None:
        filled = round(fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.tool} [{bar}] {fraction:4.0%} {label}"
        self.stream.write("\r\033[K" + line)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the bar's line (only if it was drawn)."""
        if self.shown and self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()
