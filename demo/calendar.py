"""The retail calendar of 2024-2025: daily demand weights and hours of the day.

Why a module of its own: signups, orders, sessions, touches and ad spend all follow one
calendar (Chinese New Year, Goddess Day, 520, 6.18, Double 11, Double 12), so the peaks the
realism tests look for are written down once, here, as data.

Days are counted from the window's first day (2024-01-01 is day 0, 2025-12-31 is day 730);
timestamps are seconds since 2024-01-01 00:00:00, naive Asia/Shanghai time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.sampling import FloatArray, IntArray

WINDOW_START = np.datetime64("2024-01-01", "D")
WINDOW_END = np.datetime64("2025-12-31", "D")
N_DAYS = int((WINDOW_END - WINDOW_START).astype(np.int64)) + 1
LAST_DAY = N_DAYS - 1
SECONDS_PER_DAY = 86_400
WINDOW_SECONDS = N_DAYS * SECONDS_PER_DAY

GROWTH_OVER_WINDOW = 0.20
"""Demand grows linearly by this share from the first to the last day (brand growth)."""

WEEKDAY_FACTORS = np.array([0.95, 0.95, 0.97, 1.0, 1.03, 1.08, 1.05])
"""Monday..Sunday."""

MONTH_FACTORS = np.array([1.0, 0.92, 1.0, 1.0, 1.0, 1.0, 0.93, 0.93, 1.0, 1.03, 1.05, 1.06])

NORMAL_HOURS = np.array(
    [0.6, 0.35, 0.2, 0.12, 0.1, 0.12, 0.25, 0.5, 0.8, 1.0, 1.15, 1.2,
     1.15, 1.0, 1.0, 1.0, 1.05, 1.1, 1.15, 1.3, 1.55, 1.7, 1.6, 1.1]
)  # fmt: skip
"""Relative activity per hour of an ordinary day: lunch and evening peaks."""

FESTIVAL_HOURS = NORMAL_HOURS * np.array([7.0, 2.5] + [1.0] * 18 + [1.5] * 4)
"""On a festival's peak day the sale opens at midnight, and evenings run hot."""


@dataclass(frozen=True)
class Festival:
    """A shopping festival: a peak day, a build-up before it and an after-effect."""

    name: str  # shown in campaign names
    day: str  # ISO date of the peak
    peak: float  # demand multiplier on the peak day
    lead_days: int  # days of build-up (pre-sale) before the peak
    lead_lift: float  # demand multiplier during the build-up
    after_days: int = 0  # days after the peak with a changed demand
    after_lift: float = 1.0  # multiplier on those days (<1: logistics pause over the holiday)


def _yearly(
    name: str, month_day: str, shape: tuple[float, int, float, int, float]
) -> tuple[Festival, ...]:
    """The same festival in both years of the window."""
    peak, lead_days, lead_lift, after_days, after_lift = shape
    return tuple(
        Festival(name, f"{year}-{month_day}", peak, lead_days, lead_lift, after_days, after_lift)
        for year in (2024, 2025)
    )


FESTIVALS: tuple[Festival, ...] = (
    Festival("Spring Festival", "2024-02-10", 3.4, 7, 1.35, 6, 0.6),
    Festival("Spring Festival", "2025-01-29", 3.4, 7, 1.35, 6, 0.6),
    # name, month-day, (peak, lead_days, lead_lift, after_days, after_lift)
    *_yearly("Goddess Day", "03-08", (2.2, 3, 1.2, 0, 1.0)),
    *_yearly("520", "05-20", (1.7, 2, 1.1, 0, 1.0)),
    *_yearly("618", "06-18", (5.5, 17, 1.35, 1, 1.4)),
    *_yearly("Double 11", "11-11", (9.5, 10, 1.6, 1, 1.8)),
    *_yearly("Double 12", "12-12", (2.4, 2, 1.15, 0, 1.0)),
)


def day_number(iso_date: str) -> int:
    """Days from 2024-01-01 to ``iso_date``."""
    return int((np.datetime64(iso_date, "D") - WINDOW_START).astype(np.int64))


def festival_multipliers() -> FloatArray:
    """Per day, the product of every festival's effect (1.0 on an ordinary day)."""
    multipliers = np.ones(N_DAYS)
    for festival in FESTIVALS:  # a dozen festivals, not rows
        peak = day_number(festival.day)
        multipliers[max(peak - festival.lead_days, 0) : peak] *= festival.lead_lift
        multipliers[peak + 1 : peak + 1 + festival.after_days] *= festival.after_lift
        multipliers[peak] *= festival.peak
    return multipliers


def peak_days() -> IntArray:
    """Day numbers of every festival's peak day."""
    return np.array(sorted(day_number(festival.day) for festival in FESTIVALS), dtype=np.int64)


def is_peak_day() -> np.ndarray:
    """Boolean per day: a festival's peak day."""
    mask = np.zeros(N_DAYS, dtype=bool)
    mask[peak_days()] = True
    return mask


def is_lead_day() -> np.ndarray:
    """Boolean per day: in a festival's build-up (pre-sale), peak excluded."""
    mask = np.zeros(N_DAYS, dtype=bool)
    for festival in FESTIVALS:
        peak = day_number(festival.day)
        mask[max(peak - festival.lead_days, 0) : peak] = True
    return mask


def demand_weights() -> FloatArray:
    """Relative shopping demand per day of the window (mean about 1)."""
    dates = WINDOW_START + np.arange(N_DAYS)
    weekday = (dates.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    month = dates.astype("datetime64[M]").astype(np.int64) % 12
    trend = 1.0 + GROWTH_OVER_WINDOW * np.arange(N_DAYS) / LAST_DAY
    weights = trend * WEEKDAY_FACTORS[weekday] * MONTH_FACTORS[month] * festival_multipliers()
    return weights / weights.mean()


def cumulative(weights: FloatArray) -> FloatArray:
    """``[0, w0, w0+w1, ...]``: the form :func:`genbi.demo.sampling.days_between` takes."""
    return np.concatenate(([0.0], np.cumsum(weights)))


def seconds_of_day(rng: np.random.Generator, days: IntArray) -> IntArray:
    """A time of day in seconds for each day, with festival peak days opening at midnight."""
    peak = is_peak_day()[days]
    hours = np.where(
        peak,
        np.searchsorted(np.cumsum(FESTIVAL_HOURS) / FESTIVAL_HOURS.sum(), rng.random(days.size)),
        np.searchsorted(np.cumsum(NORMAL_HOURS) / NORMAL_HOURS.sum(), rng.random(days.size)),
    )
    hours = np.minimum(hours, 23)
    return (hours * 3600 + rng.integers(0, 3600, days.size)).astype(np.int64)


def to_timestamps(seconds: IntArray) -> np.ndarray:
    """Seconds since 2024-01-01 00:00:00 as ``datetime64[s]``."""
    return WINDOW_START.astype("datetime64[s]") + seconds.astype("timedelta64[s]")


def to_dates(days: IntArray) -> np.ndarray:
    """Day numbers as ``datetime64[D]``."""
    return WINDOW_START + days.astype("timedelta64[D]")
