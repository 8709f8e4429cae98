"""Why a reading cannot become a spec: the planner declines with this reason and suggestions."""

from __future__ import annotations

from collections.abc import Sequence


class Unanswerable(Exception):
    """The reading cannot become a spec; ``reason`` says why in the user's language."""

    def __init__(self, reason: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.suggestions = tuple(suggestions)
