"""'Did you mean' suggestions for names a user (or an LLM) got slightly wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates that look like ``name`` (case-insensitive), best first."""
    pool = {c.lower(): c for c in candidates}
    hits = difflib.get_close_matches(name.lower(), list(pool), n=n, cutoff=0.6)
    return [pool[h] for h in hits]


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint sentence, e.g. "Did you mean 'revenue'?", or None when nothing is close."""
    hits = close_matches(name, candidates)
    if not hits:
        return None
    return "Did you mean " + " or ".join(f"'{h}'" for h in hits) + "?"
