"""The eight marketing channels and how each behaves: reach, clicks, cost and return.

Why a module of its own: channel differences are the main thing an analyst should find
in the demo data (search and WeChat convert better per click than display, ROAS differs by
channel), so every number that makes channels differ sits here, side by side, in the
contract's channel order.
"""

from __future__ import annotations

import numpy as np

from genbi.demo.sampling import FloatArray

CHANNELS = ("email", "sms", "wechat", "douyin", "xiaohongshu", "search", "display", "app_push")
CHANNEL_TITLES = (
    "Email",
    "SMS",
    "WeChat",
    "Douyin",
    "Xiaohongshu",
    "Search",
    "Display",
    "App Push",
)
OWNED = np.array([True, True, False, False, False, False, False, True])
"""Owned channels send to the brand's own audience (deliveries, cheap); the rest are paid media."""

OBJECTIVES = ("acquisition", "conversion", "retention", "reactivation")

ACQUISITION_SOURCES = (*CHANNELS, "organic", "referral")

PERSONAS = (
    "social_native",
    "searcher",
    "wechat_loyal",
    "inbox_reader",
    "app_member",
    "omnichannel",
)
"""Media habits of a customer; they decide which channels reach them."""

# rows: personas; columns: CHANNELS
PERSONA_AFFINITY: FloatArray = np.array(
    [
        [0.3, 0.3, 1.0, 2.2, 2.4, 0.6, 1.0, 0.5],
        [0.6, 0.4, 0.8, 0.6, 0.8, 2.6, 1.2, 0.5],
        [0.4, 0.8, 2.6, 0.7, 0.6, 0.6, 0.8, 0.6],
        [2.4, 1.6, 1.0, 0.4, 0.4, 0.8, 0.8, 0.6],
        [0.8, 0.6, 1.0, 0.6, 0.8, 0.6, 0.6, 2.6],
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    ]
)

# Where in a journey before a purchase each channel tends to appear.
# rows: last touch before the order, touches in between, first touch of the journey
JOURNEY_POSITION: FloatArray = np.array(
    [
        [1.2, 0.9, 1.4, 0.6, 0.7, 1.8, 0.3, 1.1],
        [0.9, 0.8, 1.1, 1.1, 1.3, 1.0, 1.0, 0.9],
        [0.5, 0.4, 0.8, 1.6, 1.5, 0.6, 1.6, 0.5],
    ]
)
LAST, MIDDLE, FIRST = 0, 1, 2

BACKGROUND_REACH: FloatArray = np.array([1.0, 0.6, 1.2, 1.4, 1.1, 0.7, 1.8, 1.0])
"""How often a touch that leads to no purchase comes from each channel."""

CLICK_SHARE_LAST: FloatArray = np.array([0.75, 0.65, 0.82, 0.50, 0.60, 0.92, 0.30, 0.75])
"""Share of last touches before an order that are clicks."""
CLICK_SHARE_EARLIER: FloatArray = np.array([0.25, 0.15, 0.30, 0.18, 0.25, 0.55, 0.06, 0.20])
"""Share of earlier journey touches that are clicks."""
CLICK_SHARE_BACKGROUND: FloatArray = np.array([0.06, 0.03, 0.08, 0.04, 0.06, 0.30, 0.01, 0.05])
"""Share of touches outside a purchase journey that are clicks."""
OPEN_SHARE: FloatArray = np.array([1.0, 0.0, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0])
"""Of non-click touches, the share recorded as 'open' (e-mail opens, WeChat article opens)."""

TOUCH_TYPES = ("impression", "click", "open")
IMPRESSION, CLICK, OPEN = 0, 1, 2

CPM: FloatArray = np.array([12.0, 45.0, 40.0, 22.0, 35.0, 110.0, 6.0, 8.0])
"""Cost per thousand impressions (deliveries for email / sms / app_push), CNY."""
CTR: FloatArray = np.array([0.025, 0.012, 0.022, 0.015, 0.020, 0.045, 0.005, 0.030])
"""Clicks per impression (per delivery for owned channels)."""
TARGET_ROAS: FloatArray = np.array([6.4, 3.4, 4.6, 2.1, 2.8, 5.6, 1.6, 5.8])
"""Attributed revenue per CNY spent that each channel's campaigns are paced towards."""
DAILY_FLOOR_SPEND: FloatArray = np.array([10.0, 20.0, 60.0, 60.0, 60.0, 80.0, 40.0, 5.0])
"""Minimum spend per campaign day at the default 20,000-customer scale, CNY."""
