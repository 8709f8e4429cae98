"""``settle_heap``: what the serving entry points do after opening their assistant."""

from __future__ import annotations

import gc
import weakref

from genbi.assistant.runtime import YOUNG, settle_heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_settling_collects_garbage_and_freezes_what_is_alive() -> None:
    garbage = _Node()
    gone = weakref.ref(garbage)
    del garbage
    kept = _Node()
    settle_heap()
    assert gone() is None, "cyclic garbage left from opening is collected"
    assert gc.get_freeze_count() > 0, "what is alive is left out of later collections"
    assert weakref.ref(kept)() is kept
    assert gc.get_threshold()[0] >= YOUNG, "the youngest generation is collected less often"


def test_settling_again_collects_what_was_frozen_and_died_since() -> None:
    """A UI session that opens another warehouse closes the old assistant: its cycles, frozen
    at the first settle, are collected at the next one."""
    old = _Node()
    gone = weakref.ref(old)
    settle_heap()
    del old  # frozen, now garbage: a plain collection never looks at it
    gc.collect()
    assert gone() is not None
    settle_heap()
    assert gone() is None
    assert gc.get_freeze_count() > 0
