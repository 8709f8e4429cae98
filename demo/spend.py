"""Daily media delivery and cost (``ad_spend``) and the campaigns' planned budgets.

Why a module of its own: spend is where channel economics show. Each campaign is funded
so that its channel's return lands near that channel's target ROAS (with per-campaign
noise and a minimum spend, so weak campaigns look weak), spend is paced over the days it
ran, and impressions and clicks follow the channel's CPM and CTR. Known customers' touches
never exceed what the campaign delivered that day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.calendar import N_DAYS, SECONDS_PER_DAY, demand_weights, to_dates
from genbi.demo.campaigns import CUSTOMERS_PER_STREAM, Campaigns, streams_per_channel
from genbi.demo.channels import CLICK, CPM, CTR, DAILY_FLOOR_SPEND, TARGET_ROAS
from genbi.demo.columns import Frame
from genbi.demo.sampling import IntArray, positions, sort_keys
from genbi.demo.touchpoints import Touches

ROAS_NOISE = 0.30
"""Lognormal sigma of a campaign's return around its channel's target."""


@dataclass(frozen=True)
class DailySpend:
    """One row per campaign per day it ran, sorted by (day, campaign)."""

    day: IntArray  # days from 2024-01-01
    campaign: IntArray  # campaign index
    impressions: IntArray
    clicks: IntArray
    spend_cents: IntArray


def campaign_totals(
    rng: np.random.Generator, campaigns: Campaigns, attributed_cents: np.ndarray, customers: int
) -> np.ndarray:
    """Total spend per campaign in fen: return-paced, never below the channel's floor."""
    per_stream = customers / CUSTOMERS_PER_STREAM / streams_per_channel(customers)
    floor = DAILY_FLOOR_SPEND[campaigns.channel] * 100.0 * per_stream * campaigns.duration
    roas = TARGET_ROAS[campaigns.channel] * rng.lognormal(0.0, ROAS_NOISE, campaigns.count)
    return np.maximum(attributed_cents / roas, floor)


def _known_touches(rows_key: IntArray, touches: Touches) -> tuple[IntArray, IntArray]:
    """Per ad_spend row, known customers' clicks and other touches that day."""
    touch_key = touches.campaign * N_DAYS + touches.at // SECONDS_PER_DAY
    row = np.searchsorted(rows_key, touch_key)
    clicks = np.bincount(row, weights=touches.kind == CLICK, minlength=rows_key.size)
    others = np.bincount(row, minlength=rows_key.size) - clicks
    return clicks.astype(np.int64), others.astype(np.int64)


def daily_spend(
    rng: np.random.Generator, campaigns: Campaigns, totals: np.ndarray, touches: Touches
) -> DailySpend:
    """Pace each campaign's spend over its days and derive impressions and clicks."""
    campaign = np.repeat(np.arange(campaigns.count, dtype=np.int64), campaigns.duration)
    day = campaigns.start_day[campaign] + positions(campaigns.duration)
    pacing = demand_weights()[day] ** 0.7 * rng.gamma(6.0, 1.0 / 6.0, day.size)
    share = pacing / np.bincount(campaign, weights=pacing, minlength=campaigns.count)[campaign]
    spend_cents = np.maximum(np.round(totals[campaign] * share), 1).astype(np.int64)
    channel = campaigns.channel[campaign]
    cpm = (CPM * 100.0)[channel] * rng.lognormal(0.0, 0.2, campaigns.count)[campaign]
    impressions = np.round(spend_cents / cpm * 1000.0 * rng.lognormal(0.0, 0.08, day.size))
    ctr = CTR[channel] * rng.lognormal(0.0, 0.25, campaigns.count)[campaign]
    clicks = rng.binomial(
        impressions.astype(np.int64), np.minimum(ctr * rng.lognormal(0.0, 0.1, day.size), 0.5)
    )
    known_clicks, known_others = _known_touches(campaign * N_DAYS + day, touches)
    clicks = np.maximum(clicks, known_clicks)
    impressions = np.maximum(impressions.astype(np.int64), clicks + known_others)
    order = sort_keys(day, campaign)
    return DailySpend(
        day[order], campaign[order], impressions[order], clicks[order], spend_cents[order]
    )


def budgets_cents(rng: np.random.Generator, spend: DailySpend, campaigns: Campaigns) -> np.ndarray:
    """Planned budget: what was spent plus 0-25 % headroom, rounded up to 100 CNY."""
    spent = np.bincount(spend.campaign, weights=spend.spend_cents, minlength=campaigns.count)
    planned = spent * rng.uniform(1.0, 1.25, campaigns.count)
    return np.ceil(planned / 10_000.0) * 10_000.0


def ad_spend_frame(spend: DailySpend) -> Frame:
    """The ``ad_spend`` table."""
    return {
        "date": to_dates(spend.day),
        "campaign_id": (spend.campaign + 1).astype(np.int32),
        "impressions": spend.impressions,
        "clicks": spend.clicks,
        "spend": spend.spend_cents / 100.0,
    }
