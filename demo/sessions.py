"""On-site and in-app sessions (the ``events`` table), for funnel analysis.

Why a module of its own: funnels need sessions that drop off at every step, at rates that
differ by device, and purchases that match real orders. Every order placed in the brand's
own store, app or mini program gets a full session ending in a ``purchase`` event at the
order's timestamp; browsing sessions stop at visit, product view, cart or checkout.
Marketplace (Tmall, JD) and offline-store orders leave no on-site trace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.calendar import (
    LAST_DAY,
    SECONDS_PER_DAY,
    WINDOW_SECONDS,
    cumulative,
    demand_weights,
    seconds_of_day,
    to_timestamps,
)
from genbi.demo.columns import Frame, Labelled
from genbi.demo.customers import DEVICES, SALES_CHANNELS, Customers
from genbi.demo.orders import OWN_SALES_CHANNELS, OrderTimes
from genbi.demo.sampling import (
    IntArray,
    categorical,
    days_between,
    group_cumsum,
    positions,
    sort_keys,
)

EVENT_NAMES = ("visit", "view_product", "add_to_cart", "checkout", "purchase")
PURCHASE = EVENT_NAMES.index("purchase")
IOS, ANDROID, DESKTOP, MOBILE_WEB = range(4)
BROWSE_SESSIONS = 14.0
"""Mean browsing sessions per customer over the window, for an average browser."""
NON_BUYER_ACTIVITY = 0.6
PRIMARY_DEVICE_SHARE = 0.65

OTHER_DEVICE_MIX = (0.2, 0.25, 0.2, 0.35)
"""Devices of sessions away from a customer's primary device: mostly the web."""

FUNNEL = np.array(
    [
        [0.78, 0.34, 0.42],
        [0.74, 0.30, 0.38],
        [0.70, 0.26, 0.36],
        [0.58, 0.16, 0.22],
    ]
)
"""Per device (rows in DEVICES order): P(view | visit), P(cart | view), P(checkout | cart)."""


@dataclass(frozen=True)
class Sessions:
    """Sessions with their step counts; times are when the session starts or ends."""

    customer: IntArray  # customer index
    device: IntArray  # index into DEVICES
    steps: IntArray  # (sessions × 5) events per step, in EVENT_NAMES order
    anchor: IntArray  # seconds since 2024-01-01: start, or the purchase time if anchored_end
    anchored_end: np.ndarray  # True: anchor is the last event (the purchase)


def _purchase_devices(rng: np.random.Generator, channel: IntArray, primary: IntArray) -> IntArray:
    mobile_os = np.where(
        primary <= ANDROID, primary, np.where(rng.random(primary.size) < 0.45, IOS, ANDROID)
    )
    web = np.where(
        primary >= DESKTOP, primary, np.where(rng.random(primary.size) < 0.6, MOBILE_WEB, DESKTOP)
    )
    return np.where(channel == SALES_CHANNELS.index("online_store"), web, mobile_os).astype(
        np.int64
    )


def purchase_sessions(
    rng: np.random.Generator, orders: OrderTimes, sales_channel: IntArray, customers: Customers
) -> Sessions:
    """A complete visit → purchase session for each order placed in an own sales channel."""
    own = np.isin(sales_channel, OWN_SALES_CHANNELS)
    customer = orders.customer[own]
    count = customer.size
    steps = np.column_stack(
        [
            np.ones(count),
            1 + rng.poisson(1.2, count),
            1 + rng.poisson(0.3, count),
            np.ones(count),
            np.ones(count),
        ]
    ).astype(np.int64)
    device = _purchase_devices(rng, sales_channel[own], customers.device[customer])
    return Sessions(customer, device, steps, orders.at[own], np.ones(count, dtype=bool))


def browse_sessions(rng: np.random.Generator, customers: Customers) -> Sessions:
    """Sessions without a purchase, dropping off at a device-dependent rate per step."""
    first_day = np.clip(customers.signup_day, 0, LAST_DAY)
    span = (LAST_DAY - first_day + 1) / (LAST_DAY + 1)
    activity = np.where(customers.buyer, 1.0, NON_BUYER_ACTIVITY) * customers.browsing
    customer = np.repeat(
        np.arange(customers.count, dtype=np.int64), rng.poisson(BROWSE_SESSIONS * activity * span)
    )
    count = customer.size
    device = np.where(
        rng.random(count) < PRIMARY_DEVICE_SHARE,
        customers.device[customer],
        categorical(rng, OTHER_DEVICE_MIX, count),
    )
    reached = np.cumprod(rng.random((count, 3)) < FUNNEL[device], axis=1).astype(bool)
    steps = np.column_stack(
        [
            np.ones(count, dtype=np.int64),
            reached[:, 0] * (1 + rng.poisson(1.0, count)),
            reached[:, 1] * (1 + rng.poisson(0.2, count)),
            reached[:, 2].astype(np.int64),
            np.zeros(count, dtype=np.int64),
        ]
    )
    day = days_between(
        rng, cumulative(demand_weights()), first_day[customer], np.full(count, LAST_DAY)
    )
    start = day * SECONDS_PER_DAY + seconds_of_day(rng, day)
    return Sessions(customer, device, steps, start, np.zeros(count, dtype=bool))


def combine(*parts: Sessions) -> Sessions:
    """All sessions, in the order given (ids are assigned by start time later)."""
    return Sessions(
        customer=np.concatenate([part.customer for part in parts]),
        device=np.concatenate([part.device for part in parts]),
        steps=np.concatenate([part.steps for part in parts]),
        anchor=np.concatenate([part.anchor for part in parts]),
        anchored_end=np.concatenate([part.anchored_end for part in parts]),
    )


@dataclass(frozen=True)
class Events:
    """Events in event_id order: sessions by start time, each session's events in step order."""

    session: IntArray  # session index into the Sessions they came from
    session_id: IntArray  # session_id: sessions numbered by start time
    name: IntArray  # index into EVENT_NAMES
    at: IntArray  # seconds since 2024-01-01


def expand_events(rng: np.random.Generator, sessions: Sessions) -> Events:
    """One row per event, seconds apart, purchases exactly at their order's time.

    Events are numbered session by session (sessions in start order), so only the
    sessions are sorted, never the far more numerous events.
    """
    per_session = sessions.steps.sum(axis=1)
    first_event = np.cumsum(per_session) - per_session
    session = np.repeat(np.arange(per_session.size, dtype=np.int64), per_session)
    name = np.repeat(np.tile(np.arange(len(EVENT_NAMES)), per_session.size), sessions.steps.ravel())
    gap = rng.integers(5, 240, session.size)
    gap[first_event] = 0
    elapsed = group_cumsum(gap, per_session)
    duration = elapsed[first_event + per_session - 1]
    start = np.maximum(sessions.anchor - np.where(sessions.anchored_end, duration, 0), 0)
    ranked = sort_keys(start, sessions.customer, sessions.device)
    gather = np.repeat(first_event[ranked], per_session[ranked]) + positions(per_session[ranked])
    session_id = np.repeat(np.arange(1, ranked.size + 1, dtype=np.int64), per_session[ranked])
    at = np.minimum(start[session[gather]] + elapsed[gather], WINDOW_SECONDS - 1)
    at = np.where(name[gather] == PURCHASE, sessions.anchor[session[gather]], at)
    return Events(session[gather], session_id, name[gather], at)


def events_frame(events: Events, sessions: Sessions) -> Frame:
    """The ``events`` table."""
    return {
        "event_id": np.arange(1, events.at.size + 1, dtype=np.int64),
        "customer_id": sessions.customer[events.session] + 1,
        "session_id": events.session_id,
        "event_name": Labelled(events.name, EVENT_NAMES),
        "event_at": to_timestamps(events.at),
        "device": Labelled(sessions.device[events.session], DEVICES),
    }
