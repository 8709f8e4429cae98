"""CDNOW-like transactions from the BG/NBD + Gamma-Gamma story, with a held-out half-year.

A cohort makes its first purchase within the first 12 weeks; while active a customer buys
at a Gamma-distributed weekly rate and drops out after a purchase with a Beta-distributed
probability (never right after the first one, as in the model); every purchase's value is Gamma with a customer-specific scale. The data is
cut at ``calibration_weeks`` and the following ``holdout_weeks`` are kept to check a
prediction against what really happened.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2024-01-01")


def simulate(customers: int = 2357, calibration_weeks: float = 78, holdout_weeks: float = 26, seed: int = 5,
             r: float = 0.25, alpha: float = 4.0, a: float = 0.8, b: float = 2.5,
             p: float = 6.0, q: float = 4.0, gamma: float = 15.0) -> pd.DataFrame:
    """One row per purchase: customer, week (float), value."""
    rng = np.random.default_rng(seed)
    end = calibration_weeks + holdout_weeks
    rows = []
    for customer in range(customers):
        rate = rng.gamma(r, 1 / alpha)
        drop = rng.beta(a, b)
        scale = 1 / rng.gamma(q, 1 / gamma)  # nu ~ Gamma(q, gamma); the spend scale is 1 / nu
        week = rng.uniform(0, 12)
        first = True
        while week < end:
            rows.append((customer, week, rng.gamma(p, scale)))
            if not first and rng.random() < drop:  # dropping out follows a repeat purchase
                break
            first = False
            week += rng.exponential(1 / max(rate, 1e-9))
    return pd.DataFrame(rows, columns=["customer", "week", "value"])


def as_transactions(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole days from the start date (one row per purchase), as a marketer's export."""
    days = np.floor(frame["week"] * 7).astype(int)
    return pd.DataFrame({"customer": frame["customer"], "ordered_at": START + pd.to_timedelta(days, unit="D"),
                         "amount": frame["value"].round(2)})
