"""Customers: who they are (the ``customers`` table) and how they behave (latent traits).

Why a module of its own: every other table is driven by the customer base. Besides the
contract's columns, each customer gets hidden traits — media persona, purchase rate,
lifetime, basket size, preferred device and sales channel — that the order, touch and
session builders read, so that behaviour is consistent per person (RFM segments, cohorts
and churn differ for a reason, not by noise).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.calendar import LAST_DAY, cumulative, demand_weights, to_dates
from genbi.demo.channels import ACQUISITION_SOURCES
from genbi.demo.columns import Frame, Labelled, Nullable
from genbi.demo.geography import CITIES, CITY_REGION, CITY_TIER, CITY_WEIGHTS, REGIONS, TIERS
from genbi.demo.identity import emails, phones
from genbi.demo.sampling import (
    FloatArray,
    IntArray,
    categorical,
    categorical_by_group,
    days_between,
)

GENDERS = ("female", "male", "unknown")
GENDER_WEIGHTS = (0.80, 0.14, 0.06)
DEVICES = ("ios", "android", "desktop", "mobile_web")
SALES_CHANNELS = ("online_store", "app", "mini_program", "offline_store", "tmall", "jd")
LOYALTY_TIERS = ("none", "silver", "gold", "platinum")

PRE_WINDOW_SHARE = 0.32
"""Share of customers who signed up in the two years before the data window."""
MISSING_BIRTH_YEAR_SHARE = 0.05
AGE_BANDS = 3  # born 1998 or later, 1988-1997, earlier or unknown

# persona mix per age band (rows) over PERSONAS (columns)
PERSONA_MIX = np.array(
    [
        [0.36, 0.12, 0.12, 0.06, 0.16, 0.18],
        [0.22, 0.18, 0.18, 0.12, 0.14, 0.16],
        [0.08, 0.18, 0.30, 0.22, 0.08, 0.14],
    ]
)
# primary device per city tier (rows) over DEVICES
DEVICE_MIX = np.array(
    [
        [0.52, 0.28, 0.12, 0.08],
        [0.38, 0.42, 0.10, 0.10],
        [0.26, 0.56, 0.06, 0.12],
    ]
)
# preferred sales channel per persona (rows) over SALES_CHANNELS
SALES_CHANNEL_MIX = np.array(
    [
        [0.08, 0.10, 0.16, 0.10, 0.38, 0.18],
        [0.16, 0.08, 0.08, 0.10, 0.36, 0.22],
        [0.06, 0.08, 0.42, 0.16, 0.18, 0.10],
        [0.20, 0.08, 0.12, 0.20, 0.26, 0.14],
        [0.06, 0.52, 0.14, 0.10, 0.12, 0.06],
        [0.14, 0.14, 0.16, 0.16, 0.26, 0.14],
    ]
)
# acquisition source per persona (rows) over ACQUISITION_SOURCES
ACQUISITION_MIX = np.array(
    [
        [0.02, 0.01, 0.08, 0.20, 0.22, 0.05, 0.06, 0.02, 0.26, 0.08],
        [0.03, 0.01, 0.05, 0.05, 0.06, 0.30, 0.10, 0.02, 0.32, 0.06],
        [0.03, 0.04, 0.30, 0.05, 0.04, 0.05, 0.06, 0.02, 0.26, 0.15],
        [0.12, 0.08, 0.08, 0.03, 0.03, 0.08, 0.08, 0.02, 0.36, 0.12],
        [0.04, 0.02, 0.08, 0.06, 0.06, 0.06, 0.06, 0.10, 0.40, 0.12],
        [0.05, 0.03, 0.10, 0.10, 0.10, 0.10, 0.08, 0.04, 0.30, 0.10],
    ]
)


@dataclass(frozen=True)
class Customers:
    """All customers, in customer_id order (customer_id = index + 1, by signup date)."""

    signup_day: IntArray  # days from 2024-01-01 (negative: before the window)
    gender: IntArray  # index into GENDERS
    birth_year: IntArray  # year of birth (meaningless where birth_year_missing)
    birth_year_missing: np.ndarray  # True where birth_year is NULL
    city: IntArray  # index into geography.CITIES
    persona: IntArray  # media habits, index into channels.PERSONAS
    device: IntArray  # primary device, index into DEVICES
    sales_channel: IntArray  # preferred sales channel, index into SALES_CHANNELS
    acquisition: IntArray  # index into channels.ACQUISITION_SOURCES
    buyer: np.ndarray  # True if the customer ever orders in the window
    order_rate: FloatArray  # orders per average day while active (beyond the first)
    lifetime_days: IntArray  # days the customer stays active after becoming active
    basket_size: FloatArray  # multiplier on lines per order
    browsing: FloatArray  # multiplier on sessions and touches

    @property
    def count(self) -> int:
        return int(self.signup_day.size)

    @property
    def age_band(self) -> IntArray:
        band = np.where(self.birth_year >= 1998, 0, np.where(self.birth_year >= 1988, 1, 2))
        return np.where(self.birth_year_missing, 2, band).astype(np.int64)

    @property
    def shopper_group(self) -> IntArray:
        """gender × age band, the row of products.CATEGORY_MIX."""
        return self.gender * AGE_BANDS + self.age_band

    @property
    def ids(self) -> IntArray:
        return np.arange(1, self.count + 1, dtype=np.int64)


def signup_days(rng: np.random.Generator, count: int) -> IntArray:
    """Signup days, sorted: a growing stream before the window, then following demand."""
    before = rng.random(count) < PRE_WINDOW_SHARE
    days = np.empty(count, dtype=np.int64)
    days[before] = -730 + np.floor(730 * np.sqrt(rng.random(int(before.sum())))).astype(np.int64)
    inside = int((~before).sum())
    signup_cumulative = cumulative(demand_weights() ** 0.6)
    days[~before] = days_between(
        rng, signup_cumulative, np.zeros(inside, np.int64), np.full(inside, LAST_DAY, np.int64)
    )
    return np.sort(days)


def birth_years(rng: np.random.Generator, count: int) -> tuple[IntArray, np.ndarray]:
    """Birth years around 1993 (an 18-60 year-old base) and which are missing."""
    years = np.clip(np.round(rng.normal(1993.0, 7.5, count)), 1964, 2007).astype(np.int64)
    return years, rng.random(count) < MISSING_BIRTH_YEAR_SHARE


def build_customers(rng: np.random.Generator, count: int) -> Customers:
    """Draw ``count`` customers with their public attributes and hidden traits."""
    signup = signup_days(rng, count)
    gender = categorical(rng, GENDER_WEIGHTS, count)
    years, missing = birth_years(rng, count)
    band = np.where(missing, 2, np.where(years >= 1998, 0, np.where(years >= 1988, 1, 2)))
    city = categorical(rng, CITY_WEIGHTS, count)
    persona = categorical_by_group(rng, band, PERSONA_MIX)
    before_window = signup < 0
    return Customers(
        signup_day=signup,
        gender=gender,
        birth_year=years,
        birth_year_missing=missing,
        city=city,
        persona=persona,
        device=categorical_by_group(rng, CITY_TIER[city], DEVICE_MIX),
        sales_channel=categorical_by_group(rng, persona, SALES_CHANNEL_MIX),
        acquisition=categorical_by_group(rng, persona, ACQUISITION_MIX),
        buyer=rng.random(count) < np.where(before_window, 0.62, 0.74),
        order_rate=rng.gamma(0.8, 1.0 / (0.8 * 125.0), count),
        lifetime_days=np.ceil(rng.exponential(420.0, count)).astype(np.int64),
        basket_size=rng.lognormal(0.0, 0.3, count),
        browsing=rng.gamma(2.0, 0.5, count),
    )


def loyalty_tiers(
    rng: np.random.Generator, lifetime_revenue: FloatArray, signup_day: IntArray
) -> IntArray:
    """Loyalty tier from spend in the window, plus a little history for older members."""
    tenure_bonus = np.clip(-signup_day, 0, None) / 730.0 * 400.0
    score = (lifetime_revenue + tenure_bonus * (lifetime_revenue > 0)) * rng.lognormal(
        0.0, 0.25, lifetime_revenue.size
    )
    thresholds = np.array([600.0, 2500.0, 6000.0])
    tiers = np.searchsorted(thresholds, score, side="right")
    lapsed_member = (
        (lifetime_revenue == 0) & (signup_day < 0) & (rng.random(signup_day.size) < 0.25)
    )
    return np.where(lapsed_member, 1, tiers).astype(np.int64)


def customers_frame(rng: np.random.Generator, customers: Customers, loyalty: IntArray) -> Frame:
    """The ``customers`` table."""
    return {
        "customer_id": customers.ids,
        "signup_date": to_dates(customers.signup_day),
        "gender": Labelled(customers.gender, GENDERS),
        "birth_year": Nullable(customers.birth_year.astype(np.int32), customers.birth_year_missing),
        "city": Labelled(customers.city, CITIES),
        "city_tier": Labelled(CITY_TIER[customers.city], TIERS),
        "region": Labelled(CITY_REGION[customers.city], REGIONS),
        "acquisition_channel": Labelled(customers.acquisition, ACQUISITION_SOURCES),
        "loyalty_tier": Labelled(loyalty, LOYALTY_TIERS),
        "email": emails(rng, customers.count),
        "phone": phones(rng, customers.count),
    }
