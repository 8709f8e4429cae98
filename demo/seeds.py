"""One independent random stream per table, all derived from the user's seed.

Why: with ``SeedSequence.spawn`` each builder owns its stream, so changing how one table
is drawn never shifts the numbers of another, and the same seed and scale give the same
warehouse on any machine (numpy's PCG64 bit generator is platform independent).
"""

from __future__ import annotations

import numpy as np

STREAMS = (
    "products",
    "customers",
    "campaigns",
    "orders",
    "experiments",
    "order_items",
    "touchpoints",
    "attribution",
    "ad_spend",
    "events",
    "loyalty",
)
"""Stream names in spawn order. Append new names at the end: reordering changes every table."""


def spawn_streams(seed: int) -> dict[str, np.random.Generator]:
    """A generator per stream name, each from its own child of ``SeedSequence(seed)``."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, children, strict=True)
    }
