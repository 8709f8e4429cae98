"""The campaign calendar: always-on flights, festival pushes and win-back sends.

Why a module of its own: campaigns are the spine that touches, attribution and ad spend
hang from. Each channel runs back-to-back always-on campaigns (so some campaign of every
channel is live almost every day), adds pushes before each shopping festival, and the
owned channels send monthly win-back campaigns. The number of parallel streams grows with
the customer base, so campaigns — and spend — grow proportionally.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.dtypes import StringDType

from genbi.demo.calendar import FESTIVALS, LAST_DAY, N_DAYS, WINDOW_START, day_number, to_dates
from genbi.demo.channels import CHANNEL_TITLES, CHANNELS, OBJECTIVES, OWNED
from genbi.demo.columns import Frame, Labelled
from genbi.demo.sampling import IntArray, categorical_by_group, positions, sort_keys

CUSTOMERS_PER_STREAM = 20_000
"""One parallel stream of campaigns per channel for every this many customers."""
SLOTS_PER_STREAM = 60
ACQUISITION, CONVERSION, RETENTION, REACTIVATION = range(4)

ALWAYS_ON_OBJECTIVES = np.array(
    [
        [0.0, 0.3, 0.7, 0.0],
        [0.0, 0.4, 0.6, 0.0],
        [0.2, 0.4, 0.4, 0.0],
        [0.6, 0.4, 0.0, 0.0],
        [0.6, 0.4, 0.0, 0.0],
        [0.4, 0.6, 0.0, 0.0],
        [0.7, 0.3, 0.0, 0.0],
        [0.0, 0.3, 0.7, 0.0],
    ]
)
"""Objective mix of always-on campaigns per channel (rows in CHANNELS order)."""
WIN_BACK_CHANNELS = np.array(
    [CHANNELS.index(name) for name in ("email", "sms", "wechat", "app_push")]
)

FESTIVAL_NAMES = tuple(dict.fromkeys(festival.name for festival in FESTIVALS))
THEMES = ("Always-on", "Win-back", *FESTIVAL_NAMES)
ALWAYS_ON, WIN_BACK = 0, 1


@dataclass(frozen=True)
class Campaigns:
    """All campaigns in campaign_id order (campaign_id = index + 1, by start date)."""

    channel: IntArray  # index into CHANNELS
    objective: IntArray  # index into OBJECTIVES
    start_day: IntArray  # first day it ran, days from 2024-01-01
    end_day: IntArray  # last day it ran
    theme: IntArray  # index into THEMES
    festival_year: IntArray  # the festival's year for festival pushes, else 0

    @property
    def count(self) -> int:
        return int(self.channel.size)

    @property
    def duration(self) -> IntArray:
        return self.end_day - self.start_day + 1


def streams_per_channel(customers: int) -> int:
    """Parallel campaign streams per channel at this scale (at least one)."""
    return max(1, round(customers / CUSTOMERS_PER_STREAM))


def _always_on(rng: np.random.Generator, streams: int) -> dict[str, IntArray]:
    channel = np.repeat(np.arange(len(CHANNELS)), streams)
    owned = OWNED[channel][:, None]
    shape = (channel.size, SLOTS_PER_STREAM)
    length = np.where(owned, rng.integers(10, 22, shape), rng.integers(21, 46, shape))
    gap = np.where(owned, rng.integers(0, 5, shape), rng.integers(0, 4, shape))
    first = -rng.integers(0, 21, (channel.size, 1))
    start = first + np.cumsum(length + gap, axis=1) - (length + gap)
    channels = np.broadcast_to(channel[:, None], shape).ravel()
    return {
        "channel": channels,
        "start": start.ravel(),
        "end": (start + length - 1).ravel(),
        "objective": categorical_by_group(rng, channels, ALWAYS_ON_OBJECTIVES),
        "theme": np.full(channels.size, ALWAYS_ON),
        "year": np.zeros(channels.size, dtype=np.int64),
    }


def _festival_pushes(rng: np.random.Generator, streams: int) -> dict[str, IntArray]:
    peaks = np.array([day_number(festival.day) for festival in FESTIVALS])
    leads = np.array([festival.lead_days for festival in FESTIVALS])
    themes = np.array([THEMES.index(festival.name) for festival in FESTIVALS])
    years = np.array([int(festival.day[:4]) for festival in FESTIVALS])
    which = np.repeat(np.arange(len(FESTIVALS)), len(CHANNELS) * streams)
    channel = np.tile(np.repeat(np.arange(len(CHANNELS)), streams), len(FESTIVALS))
    keep = rng.random(which.size) < np.where(channel == CHANNELS.index("display"), 0.6, 0.8)
    which, channel = which[keep], channel[keep]
    build_up = np.maximum(leads[which], 3) + rng.integers(0, 6, which.size)
    preheat = np.isin(channel, [CHANNELS.index("douyin"), CHANNELS.index("xiaohongshu")])
    objective = np.where(preheat & (rng.random(which.size) < 0.3), ACQUISITION, CONVERSION)
    return {
        "channel": channel,
        "start": peaks[which] - build_up,
        "end": peaks[which] + rng.integers(0, 2, which.size),
        "objective": objective,
        "theme": themes[which],
        "year": years[which],
    }


def _win_backs(rng: np.random.Generator, streams: int) -> dict[str, IntArray]:
    month_starts = np.unique((WINDOW_START + np.arange(N_DAYS)).astype("datetime64[M]"))
    first_days = (month_starts.astype("datetime64[D]") - WINDOW_START).astype(np.int64)
    month = np.repeat(first_days, WIN_BACK_CHANNELS.size * streams)
    channel = np.tile(np.repeat(WIN_BACK_CHANNELS, streams), first_days.size)
    start = month + rng.integers(0, 15, month.size)
    return {
        "channel": channel,
        "start": start,
        "end": start + rng.integers(6, 14, month.size),
        "objective": np.full(month.size, REACTIVATION),
        "theme": np.full(month.size, WIN_BACK),
        "year": np.zeros(month.size, dtype=np.int64),
    }


def build_campaigns(rng: np.random.Generator, customers: int) -> Campaigns:
    """Every campaign of the window, clipped to it and sorted by start date."""
    streams = streams_per_channel(customers)
    parts = [_always_on(rng, streams), _festival_pushes(rng, streams), _win_backs(rng, streams)]
    merged = {
        key: np.concatenate([part[key] for part in parts]).astype(np.int64) for key in parts[0]
    }
    inside = (merged["start"] <= LAST_DAY) & (merged["end"] >= 0)
    start = np.clip(merged["start"][inside], 0, LAST_DAY)
    end = np.clip(merged["end"][inside], 0, LAST_DAY)
    channel, objective = merged["channel"][inside], merged["objective"][inside]
    theme, year = merged["theme"][inside], merged["year"][inside]
    order = sort_keys(start, channel, objective, end, theme)
    return Campaigns(
        channel=channel[order],
        objective=objective[order],
        start_day=start[order],
        end_day=end[order],
        theme=theme[order],
        festival_year=year[order],
    )


def campaign_names(campaigns: Campaigns) -> np.ndarray:
    """Unique names like ``Double 11 2025 · Search · Conversion #0321``."""
    text = StringDType()
    month = np.datetime_as_string(to_dates(campaigns.start_day), unit="M").astype(text)
    period = np.where(campaigns.festival_year > 0, campaigns.festival_year.astype(text), month)
    number = np.strings.zfill((np.arange(campaigns.count) + 1).astype(text), 4)
    parts = [
        np.array(THEMES, dtype=text)[campaigns.theme], " ", period, " · ",
        np.array(CHANNEL_TITLES, dtype=text)[campaigns.channel], " · ",
        np.strings.capitalize(np.array(OBJECTIVES, dtype=text)[campaigns.objective]), " #", number,
    ]  # fmt: skip
    name = parts[0]
    for part in parts[1:]:
        name = np.strings.add(name, part)
    return name.astype(object)


@dataclass(frozen=True)
class CampaignDays:
    """Every (campaign, day) a campaign ran, grouped by channel and day for fast look-up."""

    campaign: IntArray  # campaign index per row, rows sorted by (channel, day, campaign)
    first_row: IntArray  # per channel*N_DAYS + day: first row of that channel-day
    live: IntArray  # per channel*N_DAYS + day: how many campaigns of the channel ran that day


def campaign_days(campaigns: Campaigns) -> CampaignDays:
    """Index of live campaigns per channel and day."""
    campaign = np.repeat(np.arange(campaigns.count, dtype=np.int64), campaigns.duration)
    day = campaigns.start_day[campaign] + positions(campaigns.duration)
    key = campaigns.channel[campaign] * N_DAYS + day
    order = np.argsort(key, kind="stable")
    live = np.bincount(key, minlength=len(CHANNELS) * N_DAYS).astype(np.int64)
    return CampaignDays(campaign=campaign[order], first_row=np.cumsum(live) - live, live=live)


def live_campaign(
    rng: np.random.Generator, index: CampaignDays, channel: IntArray, day: IntArray
) -> IntArray:
    """A random campaign of ``channel`` live on ``day`` per row; -1 where none ran."""
    key = channel * N_DAYS + day
    live = index.live[key]
    row = index.first_row[key] + np.floor(rng.random(key.size) * live).astype(np.int64)
    row = np.minimum(row, index.campaign.size - 1)
    return np.where(live > 0, index.campaign[row], -1)


def campaigns_frame(campaigns: Campaigns, budget_cents: np.ndarray) -> Frame:
    """The ``campaigns`` table."""
    return {
        "campaign_id": np.arange(1, campaigns.count + 1, dtype=np.int32),
        "campaign_name": campaign_names(campaigns),
        "channel": Labelled(campaigns.channel, CHANNELS),
        "objective": Labelled(campaigns.objective, OBJECTIVES),
        "start_date": to_dates(campaigns.start_day),
        "end_date": to_dates(campaigns.end_day),
        "budget": budget_cents / 100.0,
    }
