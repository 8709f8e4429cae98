"""Known changes planted in the demo warehouse, for testing explanations and alerts.

Off by default: the demo's numbers (and every test and eval case written against them) stay
the same unless a caller plants something. A planted change is applied after the table it
touches is built from the seed, so everything else in the warehouse is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.calendar import WINDOW_END, WINDOW_START
from genbi.demo.channels import CHANNELS
from genbi.errors import GenbiError


@dataclass(frozen=True)
class SpendCut:
    """Every campaign of ``channel`` spends ``factor`` times its usual amount in ``month``.

    Impressions and clicks are left as they were, so the channel's cost per click falls too
    (a renegotiated rate card, say); known customers' touches stay consistent.
    """

    channel: str
    month: str
    """'YYYY-MM' inside the demo window."""
    factor: float = 0.1

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise GenbiError(f"Unknown channel '{self.channel}' for a planted spend cut.",
                             f"Use one of: {', '.join(CHANNELS)}.")
        try:
            first = np.datetime64(f"{self.month}-01", "D")
        except ValueError as error:
            raise GenbiError(f"The month '{self.month}' is not 'YYYY-MM'.") from error
        if not WINDOW_START <= first <= WINDOW_END:
            raise GenbiError(f"The month {self.month} is outside the demo's 2024-2025 window.")
        if not 0.0 <= self.factor <= 10.0:
            raise GenbiError(f"A spend factor must be between 0 and 10, got {self.factor}.")

    def day_range(self) -> tuple[int, int]:
        """First and last-plus-one day numbers of the month (days from 2024-01-01)."""
        first = np.datetime64(f"{self.month}-01", "D")
        after = (np.datetime64(self.month, "M") + 1).astype("datetime64[D]")
        return int((first - WINDOW_START).astype(int)), int((after - WINDOW_START).astype(int))

    @classmethod
    def parse(cls, text: str) -> SpendCut:
        """``"douyin:2025-09:0.1"`` (factor optional) -> a cut."""
        parts = text.split(":")
        if len(parts) not in (2, 3):
            raise GenbiError(f"A spend cut is 'channel:YYYY-MM[:factor]', got '{text}'.")
        try:
            factor = float(parts[2]) if len(parts) == 3 else 0.1
        except ValueError as error:
            raise GenbiError(f"The factor in '{text}' is not a number.") from error
        return cls(parts[0].strip(), parts[1].strip(), factor)


def cut_spend(spend_cents: np.ndarray, day: np.ndarray, channel: np.ndarray, cut: SpendCut) -> np.ndarray:
    """``spend_cents`` with the cut applied to the channel's rows in the month."""
    first, after = cut.day_range()
    rows = (channel == CHANNELS.index(cut.channel)) & (day >= first) & (day < after)
    out = spend_cents.copy()
    out[rows] = np.round(out[rows] * cut.factor).astype(out.dtype)
    return out
