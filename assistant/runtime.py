"""What a long-running front end does once it has opened its assistant: settle the heap.

An open assistant holds about 100,000 long-lived objects (the model, the vocabulary, the
value index, sqlglot's tables) and every answer allocates a few thousand short-lived ones
(sqlglot trees, readings). Left alone, Python's cycle collector walks the long-lived ones
again and again: about one answer in eight pays a generation-1 collection (~1 ms) and now
and then one pays a full one (~25 ms), on a question DuckDB answers in 2 ms.

``settle_heap()`` collects what opening left behind, then moves every object still alive to
the collector's permanent generation (``gc.freeze``), so later collections walk only what
answers allocate, and lets the youngest generation grow to ``YOUNG`` objects before it is
collected (Python's default, 700, is reached inside most answers: ~0.2 ms each time, walking
the references out of the young objects; over 110 first asks on the 1M-customer demo, 99
collections at 700, 5 at 5,000, none at 10,000). The frozen objects are still freed by
reference counting; only a cycle among them would outlive its last use. It is process-wide, so it belongs in the entry points that
keep serving (``genbi ui``, the Slack bot, ``genbi watch``), called again after each further
open (earlier frozen objects are thawed first, so an assistant closed since is collected),
and not in a library call or a one-shot command. The benchmark calls it to measure what
those entry points do.

``ready(assistant)`` is what those entry points call after each open: the assistant's
``warm_up`` (the model's example questions read, compiled, checked and shaped, nothing run or
remembered, so the first question somebody asks does not meet code paths and lazy tables for
the first time), then ``settle_heap``.
"""

from __future__ import annotations

import gc
from typing import Any

YOUNG = 10_000
"""Allocations (less deallocations) of container objects between two collections of the
youngest generation; the older generations keep Python's thresholds."""


def settle_heap() -> None:
    """Collect everything collectable now and leave what survives out of later collections.

    First it loads what the first Chinese question with a word the model lacks would load
    (jieba's dictionary, about a second): a serving process pays it here, once, not inside
    somebody's answer."""
    from genbi.assistant.planner.coverage import ready_tokenizer

    ready_tokenizer()
    gc.unfreeze()  # what an earlier call froze is looked at again (a closed assistant's cycles)
    gc.collect()
    gc.freeze()
    young, *older = gc.get_threshold()
    if young:  # 0: automatic collection is off, and stays off
        gc.set_threshold(max(young, YOUNG), *older)


def ready(assistant: Any) -> None:
    """Warm ``assistant`` up (``Assistant.warm_up``), then settle the heap: what a front end
    that keeps serving does once it has opened an assistant."""
    warm_up = getattr(assistant, "warm_up", None)
    if warm_up is not None:
        warm_up()
    settle_heap()
