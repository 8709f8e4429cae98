"""A/B/n tests: who was assigned to which variant, and whether the variant made them buy.

Why a module of its own: experiments must behave like real tests an analyst can evaluate.
Members are assigned with stratified block randomisation (balanced on whether they would
have bought anyway), then a variant's true effect is applied by adding real orders — so
``converted`` and ``revenue`` are read back from the orders table, a real lift shows up as
a significant difference, and a test with no effect shows (almost) none at any scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.calendar import SECONDS_PER_DAY, day_number, seconds_of_day, to_timestamps
from genbi.demo.columns import Frame, Labelled
from genbi.demo.customers import Customers
from genbi.demo.orders import OrderTimes
from genbi.demo.sampling import IntArray, exact_subset, sort_keys

VARIANTS = ("control", "treatment", "A", "B", "C")
ACTIVE_SAMPLE, NEW_SIGNUPS, LAPSED_BUYERS = "active_sample", "new_signups", "lapsed_buyers"
LAPSED_AFTER_DAYS = 120


@dataclass(frozen=True)
class Design:
    """One experiment's set-up and its true effect."""

    experiment_id: str  # the experiment_id written to the table
    variants: tuple[str, ...]  # variant labels, the first is the baseline
    true_lift: tuple[float, ...]  # absolute extra conversion rate per variant
    first_day: str  # ISO date assignment starts
    assign_days: int  # days during which members are assigned
    window_days: int  # conversion window after assignment
    population: str  # ACTIVE_SAMPLE, NEW_SIGNUPS or LAPSED_BUYERS
    share: float  # share of the eligible population enrolled


DESIGNS: tuple[Design, ...] = (
    Design(
        experiment_id="checkout_coupon",
        variants=("control", "treatment"),
        true_lift=(0.0, 0.035),  # a coupon at checkout: a real, detectable lift
        first_day="2025-03-03",
        assign_days=7,
        window_days=21,
        population=ACTIVE_SAMPLE,
        share=0.40,
    ),
    Design(
        experiment_id="welcome_email_subject",
        variants=("A", "B", "C"),
        true_lift=(0.0, 0.02, 0.0),  # B a little better; too small to be sure at 20k
        first_day="2025-04-01",
        assign_days=91,
        window_days=14,
        population=NEW_SIGNUPS,
        share=1.0,
    ),
    Design(
        experiment_id="homepage_banner",
        variants=("control", "treatment"),
        true_lift=(0.0, 0.0),  # no effect at all
        first_day="2025-08-04",
        assign_days=7,
        window_days=21,
        population=ACTIVE_SAMPLE,
        share=0.45,
    ),
    Design(
        experiment_id="winback_sms",
        variants=("control", "treatment"),
        true_lift=(0.0, 0.03),  # an SMS brings lapsed buyers back
        first_day="2025-09-01",
        assign_days=5,
        window_days=30,
        population=LAPSED_BUYERS,
        share=1.0,
    ),
)
COUPON_EXPERIMENT = "checkout_coupon"


@dataclass(frozen=True)
class Assignments:
    """Experiment members, sorted by experiment then customer."""

    experiment: IntArray  # index into DESIGNS
    customer: IntArray  # customer index
    variant: IntArray  # index into VARIANTS
    assigned_at: IntArray  # seconds since 2024-01-01
    window_end: IntArray  # last second that counts as a conversion


class OrderBook:
    """Orders keyed by (customer, time) for counting and summing within time windows."""

    def __init__(self, orders: OrderTimes, revenue_cents: IntArray | None = None) -> None:
        key = (orders.customer << 32) | orders.at
        order = np.argsort(key, kind="stable")
        self.keys = key[order]
        amounts = np.zeros(order.size) if revenue_cents is None else revenue_cents[order]
        self.running = np.concatenate(([0], np.cumsum(amounts)))

    def _bounds(
        self, customer: IntArray, start: IntArray, end: IntArray
    ) -> tuple[IntArray, IntArray]:
        low = np.searchsorted(self.keys, (customer << 32) | start, side="left")
        high = np.searchsorted(self.keys, (customer << 32) | end, side="right")
        return low, high

    def count(self, customer: IntArray, start: IntArray, end: IntArray) -> IntArray:
        """Orders of each customer with start <= ordered_at <= end."""
        low, high = self._bounds(customer, start, end)
        return (high - low).astype(np.int64)

    def total(self, customer: IntArray, start: IntArray, end: IntArray) -> np.ndarray:
        """Summed amounts of those orders."""
        low, high = self._bounds(customer, start, end)
        return self.running[high] - self.running[low]


def _population(design: Design, customers: Customers, orders: OrderTimes) -> IntArray:
    start = day_number(design.first_day)
    if design.population == NEW_SIGNUPS:
        signup = customers.signup_day
        return np.flatnonzero((signup >= start) & (signup < start + design.assign_days))
    if design.population == LAPSED_BUYERS:
        before = orders.at < start * SECONDS_PER_DAY
        last = np.full(customers.count, -1, dtype=np.int64)
        np.maximum.at(last, orders.customer[before], orders.at[before])
        return np.flatnonzero((last >= 0) & (last < (start - LAPSED_AFTER_DAYS) * SECONDS_PER_DAY))
    return np.flatnonzero(customers.signup_day <= start)


def _assignment_times(
    rng: np.random.Generator, design: Design, customers: Customers, members: IntArray
) -> IntArray:
    start = day_number(design.first_day)
    if design.population == NEW_SIGNUPS:
        day = customers.signup_day[members]
    else:
        day = start + rng.integers(0, design.assign_days, members.size)
    return day * SECONDS_PER_DAY + seconds_of_day(rng, day)


def balanced_variants(rng: np.random.Generator, outcome: np.ndarray, variants: int) -> IntArray:
    """Block randomisation within outcome strata: each variant gets an equal share of both."""
    order = sort_keys(outcome, rng.random(outcome.size))
    blocks = -(-outcome.size // variants)
    shuffled = np.argsort(rng.random((blocks, variants)), axis=1).ravel()[: outcome.size]
    variant = np.empty(outcome.size, dtype=np.int64)
    variant[order] = shuffled
    return variant


@dataclass(frozen=True)
class _Enrolment:
    """One experiment's members, in customer order."""

    members: IntArray  # customer index
    variant: IntArray  # index into the design's variants
    assigned_at: IntArray  # seconds since 2024-01-01
    window_end: IntArray  # last second that counts
    caused: IntArray  # positions (into members) of members the variant made buy


def _enrol(
    rng: np.random.Generator,
    design: Design,
    customers: Customers,
    orders: OrderTimes,
    book: OrderBook,
) -> _Enrolment:
    eligible = _population(design, customers, orders)
    members = exact_subset(rng, eligible, round(design.share * eligible.size))
    assigned = _assignment_times(rng, design, customers, members)
    window_end = assigned + design.window_days * SECONDS_PER_DAY
    would_buy = book.count(members, assigned, window_end) > 0
    variant = balanced_variants(rng, would_buy, len(design.variants))
    caused = _caused_by_variant(rng, design, variant, would_buy)
    return _Enrolment(members, variant, assigned, window_end, caused)


def _caused_by_variant(
    rng: np.random.Generator, design: Design, variant: IntArray, would_buy: np.ndarray
) -> IntArray:
    """Members whose variant made them buy: an exact share of each variant's group."""
    picked = [
        exact_subset(
            rng,
            np.flatnonzero((variant == index) & ~would_buy),
            round(lift * int((variant == index).sum())),
        )
        for index, lift in enumerate(design.true_lift)
    ]
    return np.sort(np.concatenate(picked)).astype(np.int64)


def run_experiments(
    rng: np.random.Generator, customers: Customers, orders: OrderTimes
) -> tuple[Assignments, OrderTimes]:
    """Enrol every experiment's members; return them and the orders their variants caused."""
    book = OrderBook(orders)
    parts: list[tuple[IntArray, ...]] = []
    extra_customer: list[IntArray] = []
    extra_at: list[IntArray] = []
    for index, design in enumerate(DESIGNS):  # four experiments, not rows
        enrolled = _enrol(rng, design, customers, orders, book)
        labels = np.array([VARIANTS.index(label) for label in design.variants])
        parts.append(
            (
                np.full(enrolled.members.size, index),
                enrolled.members,
                labels[enrolled.variant],
                enrolled.assigned_at,
                enrolled.window_end,
            )
        )
        delay = rng.integers(600, design.window_days * SECONDS_PER_DAY, enrolled.caused.size)
        extra_customer.append(enrolled.members[enrolled.caused])
        extra_at.append(enrolled.assigned_at[enrolled.caused] + delay)
    columns = [
        np.concatenate([part[column] for part in parts]).astype(np.int64) for column in range(5)
    ]
    order = sort_keys(columns[0], columns[1])
    assignments = Assignments(*(column[order] for column in columns))
    return assignments, OrderTimes(np.concatenate(extra_customer), np.concatenate(extra_at))


def coupon_holders(assignments: Assignments, orders: OrderTimes, customers: int) -> np.ndarray:
    """True on orders placed with the checkout_coupon treatment's coupon."""
    experiment = [design.experiment_id for design in DESIGNS].index(COUPON_EXPERIMENT)
    treated = (assignments.experiment == experiment) & (
        assignments.variant == VARIANTS.index("treatment")
    )
    start = np.full(customers, -1, dtype=np.int64)
    end = np.full(customers, -1, dtype=np.int64)
    start[assignments.customer[treated]] = assignments.assigned_at[treated]
    end[assignments.customer[treated]] = assignments.window_end[treated]
    mine_start, mine_end = start[orders.customer], end[orders.customer]
    return (mine_start >= 0) & (orders.at >= mine_start) & (orders.at <= mine_end)


def experiments_frame(
    assignments: Assignments, orders: OrderTimes, revenue_cents: IntArray
) -> Frame:
    """The ``experiment_assignments`` table, outcomes read back from the final orders."""
    book = OrderBook(orders, revenue_cents)
    args = (assignments.customer, assignments.assigned_at, assignments.window_end)
    names = tuple(design.experiment_id for design in DESIGNS)
    return {
        "experiment_id": Labelled(assignments.experiment, names),
        "customer_id": assignments.customer + 1,
        "variant": Labelled(assignments.variant, VARIANTS),
        "assigned_at": to_timestamps(assignments.assigned_at),
        "converted": book.count(*args) > 0,
        "revenue": np.round(book.total(*args)) / 100.0,
    }
