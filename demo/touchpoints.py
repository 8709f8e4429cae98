"""Marketing touches of known customers: journeys before orders, and everyday exposure.

Why a module of its own: touches are what multi-touch attribution analyses. Before many
orders a customer sees a sequence of channels — upper-funnel media (display, Douyin,
Xiaohongshu) early, search, WeChat and owned channels late — so Markov or Shapley
attribution credits channels differently from last click. Touches that lead to no
purchase come from everyday exposure. Every touch belongs to a campaign of its channel
that was live that day.
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
from genbi.demo.campaigns import CampaignDays, Campaigns, live_campaign
from genbi.demo.channels import (
    BACKGROUND_REACH,
    CHANNELS,
    CLICK,
    CLICK_SHARE_BACKGROUND,
    CLICK_SHARE_EARLIER,
    CLICK_SHARE_LAST,
    FIRST,
    IMPRESSION,
    JOURNEY_POSITION,
    LAST,
    MIDDLE,
    OPEN,
    OPEN_SHARE,
    PERSONA_AFFINITY,
    TOUCH_TYPES,
)
from genbi.demo.columns import Frame, Labelled
from genbi.demo.customers import Customers
from genbi.demo.orders import OFFLINE, OrderTimes
from genbi.demo.sampling import (
    FloatArray,
    IntArray,
    categorical_by_group,
    days_between,
    group_cumsum,
    positions,
    sort_keys,
)

JOURNEY_SHARE_FIRST = 0.95
"""Share of first orders preceded by a tracked journey."""
JOURNEY_SHARE_REPEAT = 0.85
JOURNEY_SHARE_OFFLINE = 0.35
JOURNEY_DAYS = 30
"""Touches more than this many days before the order are not part of its journey."""
BACKGROUND_TOUCHES = 11.0
"""Mean touches per customer over the whole window outside purchase journeys."""


@dataclass(frozen=True)
class Touches:
    """Touches in touchpoint_id order (by time)."""

    customer: IntArray  # customer index
    campaign: IntArray  # campaign index
    channel: IntArray  # index into CHANNELS
    kind: IntArray  # index into TOUCH_TYPES
    at: IntArray  # seconds since 2024-01-01


def _touch_kinds(rng: np.random.Generator, channel: IntArray, click_share: FloatArray) -> IntArray:
    clicked = rng.random(channel.size) < click_share
    opened = rng.random(channel.size) < OPEN_SHARE[channel]
    return np.where(clicked, CLICK, np.where(opened, OPEN, IMPRESSION)).astype(np.int64)


def _journey_lengths(rng: np.random.Generator, first: np.ndarray, offline: np.ndarray) -> IntArray:
    share = np.where(
        offline, JOURNEY_SHARE_OFFLINE, np.where(first, JOURNEY_SHARE_FIRST, JOURNEY_SHARE_REPEAT)
    )
    has_journey = rng.random(first.size) < share
    length = np.where(first, 2 + rng.poisson(1.8, first.size), 1 + rng.poisson(1.3, first.size))
    return np.where(has_journey, np.minimum(length, 9), 0).astype(np.int64)


def _offsets_before_order(rng: np.random.Generator, length: IntArray) -> tuple[IntArray, IntArray]:
    """Seconds before the order per touch, and the touch's position (0 = last touch)."""
    position = positions(length)
    size = position.size
    click_through = rng.random(size) < 0.55
    last_gap = np.where(
        click_through,
        rng.integers(120, 3 * 3600, size),
        np.minimum(rng.exponential(1.6 * SECONDS_PER_DAY, size), 6.5 * SECONDS_PER_DAY),
    )
    earlier_gap = rng.exponential(2.6 * SECONDS_PER_DAY, size)
    gap = np.where(position == 0, last_gap, earlier_gap).astype(np.int64)
    return group_cumsum(gap, length), position


def journey_touches(
    rng: np.random.Generator,
    orders: OrderTimes,
    first: np.ndarray,
    sales_channel: IntArray,
    customers: Customers,
    live: CampaignDays,
) -> Touches:
    """Touch sequences in the 30 days before orders, channel mix shifting along the journey."""
    length = _journey_lengths(rng, first, sales_channel == OFFLINE)
    offset, position = _offsets_before_order(rng, length)
    order = np.repeat(np.arange(orders.customer.size, dtype=np.int64), length)
    stage = np.where(position == 0, LAST, np.where(position == length[order] - 1, FIRST, MIDDLE))
    persona = customers.persona[orders.customer[order]]
    table = PERSONA_AFFINITY[:, None, :] * JOURNEY_POSITION[None, :, :]
    channel = categorical_by_group(rng, persona * 3 + stage, table.reshape(-1, len(CHANNELS)))
    at = orders.at[order] - offset
    keep = (offset <= JOURNEY_DAYS * SECONDS_PER_DAY) & (at >= 0)
    click_share = np.where(stage == LAST, CLICK_SHARE_LAST[channel], CLICK_SHARE_EARLIER[channel])
    kind = _touch_kinds(rng, channel, click_share)
    campaign = live_campaign(rng, live, channel, np.clip(at // SECONDS_PER_DAY, 0, LAST_DAY))
    keep &= campaign >= 0
    return Touches(
        orders.customer[order][keep], campaign[keep], channel[keep], kind[keep], at[keep]
    )


def background_touches(
    rng: np.random.Generator, customers: Customers, live: CampaignDays
) -> Touches:
    """Everyday exposure of known customers, from shortly before signup to the window's end."""
    first_day = np.clip(customers.signup_day - 30, 0, LAST_DAY)
    span = (LAST_DAY - first_day + 1) / (LAST_DAY + 1)
    count = rng.poisson(BACKGROUND_TOUCHES * customers.browsing * span)
    customer = np.repeat(np.arange(customers.count, dtype=np.int64), count)
    day = days_between(
        rng,
        cumulative(demand_weights() ** 0.5),
        first_day[customer],
        np.full(customer.size, LAST_DAY),
    )
    reach = PERSONA_AFFINITY * BACKGROUND_REACH[None, :]
    channel = categorical_by_group(rng, customers.persona[customer], reach)
    kind = _touch_kinds(rng, channel, CLICK_SHARE_BACKGROUND[channel])
    campaign = live_campaign(rng, live, channel, day)
    at = day * SECONDS_PER_DAY + seconds_of_day(rng, day)
    keep = campaign >= 0
    return Touches(customer[keep], campaign[keep], channel[keep], kind[keep], at[keep])


def combine(*parts: Touches) -> Touches:
    """All touches in touchpoint_id order: by time, customer, campaign, type."""
    fields = ("customer", "campaign", "channel", "kind", "at")
    merged = {name: np.concatenate([getattr(part, name) for part in parts]) for name in fields}
    order = sort_keys(merged["at"], merged["customer"], merged["campaign"], merged["kind"])
    return Touches(**{name: merged[name][order] for name in fields})


def touchpoints_frame(touches: Touches, campaigns: Campaigns) -> Frame:
    """The ``touchpoints`` table."""
    return {
        "touchpoint_id": np.arange(1, touches.at.size + 1, dtype=np.int64),
        "customer_id": touches.customer + 1,
        "campaign_id": (touches.campaign + 1).astype(np.int32),
        "channel": Labelled(campaigns.channel[touches.campaign], CHANNELS),
        "touch_type": Labelled(touches.kind, TOUCH_TYPES),
        "touched_at": to_timestamps(touches.at),
    }
