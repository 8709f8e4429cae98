"""When each customer orders, and the ``orders`` table once baskets and attribution exist.

Why a module of its own: order timing carries most of the realism analysts look for.
Each buyer becomes active at signup (or at the window start for older customers), places
a first order soon after, keeps ordering at a personal rate that follows the retail
calendar, and stops after a personal lifetime — which yields repeat buyers, lapsed
buyers, cohorts whose retention decays, and festival peaks, all without a loop per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.calendar import (
    LAST_DAY,
    SECONDS_PER_DAY,
    cumulative,
    demand_weights,
    seconds_of_day,
    to_timestamps,
)
from genbi.demo.columns import Frame, Labelled, Nullable
from genbi.demo.customers import SALES_CHANNELS, Customers
from genbi.demo.sampling import IntArray, categorical, days_between, sort_keys

FIRST_ORDER_WITHIN_DAYS = 45
"""A new customer's first order falls within this many days of signing up."""
ORDER_ID_BASE = 10_000_000
"""order_id = ORDER_ID_BASE + rank, so order ids never look like customer ids."""
OWN_SALES_CHANNELS = np.array(
    [SALES_CHANNELS.index(name) for name in ("online_store", "app", "mini_program")]
)
OFFLINE = SALES_CHANNELS.index("offline_store")
SALES_CHANNEL_WEIGHTS = (0.11, 0.15, 0.18, 0.14, 0.28, 0.14)
PREFERRED_SALES_CHANNEL_SHARE = 0.75


@dataclass(frozen=True)
class OrderTimes:
    """Orders as (customer, time) pairs, before baskets are filled."""

    customer: IntArray  # customer index (customer_id - 1)
    at: IntArray  # seconds since 2024-01-01 00:00:00


def active_span(customers: Customers) -> tuple[IntArray, IntArray]:
    """Per customer, the first and last day they may order (first > last: never orders)."""
    first_day = np.maximum(customers.signup_day, 0)
    last_day = np.minimum(first_day + customers.lifetime_days, LAST_DAY)
    never = ~customers.buyer | (customers.signup_day > LAST_DAY)
    return first_day, np.where(never, first_day - 1, last_day)


def base_orders(rng: np.random.Generator, customers: Customers) -> OrderTimes:
    """Every buyer's orders: a first order, then a calendar-shaped stream until they lapse."""
    weights = demand_weights()
    cum = cumulative(weights)
    first_day, last_day = active_span(customers)
    buyer = np.flatnonzero(last_day >= first_day)
    new = customers.signup_day[buyer] >= 0
    window_end = np.minimum(first_day[buyer] + FIRST_ORDER_WITHIN_DAYS, last_day[buyer])
    opening = np.where(new, days_between(rng, cum, first_day[buyer], window_end), -1)
    rest_from = np.where(new, opening, first_day[buyer])
    exposure = (cum[last_day[buyer] + 1] - cum[rest_from]) / weights.mean()
    extra = rng.poisson(customers.order_rate[buyer] * exposure) + (~new)
    repeat_customer = np.repeat(buyer, extra)
    repeat_days = days_between(
        rng, cum, np.repeat(rest_from, extra), np.repeat(last_day[buyer], extra)
    )
    customer = np.concatenate([buyer[new], repeat_customer])
    day = np.concatenate([opening[new], repeat_days])
    seconds = day * SECONDS_PER_DAY + seconds_of_day(rng, day)
    return sorted_orders(customer, seconds)


def sorted_orders(customer: IntArray, at: IntArray) -> OrderTimes:
    """Orders in order_id order: by time, then customer."""
    order = sort_keys(at, customer)
    return OrderTimes(customer=customer[order], at=at[order])


def with_extra_orders(orders: OrderTimes, customer: IntArray, at: IntArray) -> OrderTimes:
    """``orders`` plus extra (customer, time) pairs, re-sorted."""
    return sorted_orders(
        np.concatenate([orders.customer, customer]), np.concatenate([orders.at, at])
    )


def sales_channels(rng: np.random.Generator, orders: OrderTimes, customers: Customers) -> IntArray:
    """Mostly the customer's preferred sales channel, sometimes another."""
    preferred = customers.sales_channel[orders.customer]
    other = categorical(rng, SALES_CHANNEL_WEIGHTS, orders.customer.size)
    return np.where(
        rng.random(orders.customer.size) < PREFERRED_SALES_CHANNEL_SHARE, preferred, other
    )


def first_order_mask(orders: OrderTimes) -> np.ndarray:
    """True on each customer's first order."""
    first = np.zeros(orders.customer.size, dtype=bool)
    first[np.unique(orders.customer, return_index=True)[1]] = True
    return first


@dataclass(frozen=True)
class OrderAmounts:
    """Money per order, in fen (1/100 CNY), exact integers."""

    gross_cents: IntArray  # sum of the order's lines
    discount_cents: IntArray  # order-level discount


def orders_frame(
    orders: OrderTimes, sales_channel: IntArray, campaign: IntArray, amounts: OrderAmounts
) -> Frame:
    """The ``orders`` table; ``campaign`` is a campaign index or -1 for unattributed."""
    revenue_cents = amounts.gross_cents - amounts.discount_cents
    return {
        "order_id": ORDER_ID_BASE + np.arange(1, orders.customer.size + 1, dtype=np.int64),
        "customer_id": orders.customer + 1,
        "ordered_at": to_timestamps(orders.at),
        "sales_channel": Labelled(sales_channel, SALES_CHANNELS),
        "campaign_id": Nullable((campaign + 1).astype(np.int32), campaign < 0),
        "gross_amount": amounts.gross_cents / 100.0,
        "discount": amounts.discount_cents / 100.0,
        "revenue": revenue_cents / 100.0,
    }
