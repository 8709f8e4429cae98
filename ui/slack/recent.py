"""A small bounded map for what the bot remembers between Slack requests.

Threads it started, answers that can still be rated, event ids already handled: all are
kept in memory, forgetting the least recently used first, and shared by the worker threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """A thread-safe least-recently-used map with at most ``limit`` entries.

    >>> seen: Recent[str, bool] = Recent(2)
    >>> seen.add("a"), seen.add("a"), seen.add("b"), seen.add("c"), "a" in seen
    (True, False, True, True, False)
    """

    def __init__(self, limit: int) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            self._trim()

    def setdefault(self, key: K, factory: Callable[[], V]) -> V:
        """The value for ``key``, stored from ``factory()`` when there is none yet."""
        with self._lock:
            if key not in self._items:
                self._items[key] = factory()
            self._items.move_to_end(key)
            self._trim()
            return self._items[key]

    def add(self: Recent[K, bool], key: K) -> bool:
        """Remember ``key``; True when it was new (a set that forgets)."""
        with self._lock:
            new = key not in self._items
            self._items[key] = True
            self._items.move_to_end(key)
            self._trim()
            return new

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def _trim(self) -> None:
        while len(self._items) > self._limit:
            self._items.popitem(last=False)
