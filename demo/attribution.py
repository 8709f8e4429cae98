"""Last-click attribution as the checkout recorded it: ``orders.campaign_id``.

Why a module of its own: attribution is derived, not drawn. An order is credited to the
campaign of the customer's latest click within the look-back window, provided that
campaign was still live when the order was placed; offline-store orders and a share of
orders whose tracking was lost stay unattributed (NULL). Keeping the rule in one place
makes the contract's meaning of campaign_id checkable.
"""

from __future__ import annotations

import numpy as np

from genbi.demo.calendar import SECONDS_PER_DAY
from genbi.demo.campaigns import Campaigns
from genbi.demo.channels import CLICK
from genbi.demo.orders import OFFLINE, OrderTimes
from genbi.demo.sampling import IntArray
from genbi.demo.touchpoints import Touches

LOOKBACK_DAYS = 7
"""A click older than this at checkout earns no credit."""
TRACKING_LOSS = 0.04
"""Share of online orders whose click trail was lost (cookie cleared, app switch)."""


def last_click_campaign(
    rng: np.random.Generator,
    orders: OrderTimes,
    sales_channel: IntArray,
    touches: Touches,
    campaigns: Campaigns,
) -> IntArray:
    """Campaign index credited with each order, or -1 for unattributed."""
    clicked = touches.kind == CLICK
    click_key = (touches.customer[clicked] << 32) | touches.at[clicked]
    order = np.argsort(click_key, kind="stable")
    click_key, click_campaign = click_key[order], touches.campaign[clicked][order]
    latest = np.searchsorted(click_key, (orders.customer << 32) | orders.at, side="left") - 1
    found = latest >= 0
    latest = np.maximum(latest, 0)
    same_customer = (click_key[latest] >> 32) == orders.customer
    age = orders.at - (click_key[latest] & 0xFFFFFFFF)
    campaign = click_campaign[latest]
    order_day = orders.at // SECONDS_PER_DAY
    live = (campaigns.start_day[campaign] <= order_day) & (order_day <= campaigns.end_day[campaign])
    credited = found & same_customer & (age <= LOOKBACK_DAYS * SECONDS_PER_DAY) & live
    credited &= (sales_channel != OFFLINE) & (rng.random(orders.at.size) >= TRACKING_LOSS)
    return np.where(credited, campaign, -1)
