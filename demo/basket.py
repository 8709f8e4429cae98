"""What is in each order (``order_items``) and what it cost (gross, discount, revenue).

Why a module of its own: baskets tie orders to the catalogue. Lines, quantities and prices
are drawn per order, duplicates merged, and money is kept in integer fen until the table
is written, so gross_amount equals the sum of quantity × unit_price and revenue equals
gross_amount − discount exactly. Discounts deepen on festival days and for coupon holders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.calendar import SECONDS_PER_DAY, is_lead_day, is_peak_day
from genbi.demo.columns import Frame
from genbi.demo.customers import Customers
from genbi.demo.orders import ORDER_ID_BASE, OrderAmounts, OrderTimes
from genbi.demo.products import Catalogue, product_weights
from genbi.demo.sampling import IntArray, categorical_by_group

EXTRA_LINES_MEAN = 0.30
"""Mean number of lines beyond the first, for an average shopper on an ordinary day."""
MAX_LINES = 6
MEMBER_PRICE_SHARE = 0.12
"""Share of lines sold at the 10 %-off member price."""
COUPON_SHARE = 0.45
"""Share of ordinary orders that use a small coupon."""
EXPERIMENT_COUPON_RATE = 0.15
"""Discount the checkout_coupon experiment's treatment group gets at checkout."""


@dataclass(frozen=True)
class Lines:
    """Order lines in (order, product) order."""

    order: IntArray  # order index (order_id - ORDER_ID_BASE - 1)
    product: IntArray  # product index (product_id - 1)
    quantity: IntArray
    unit_cents: IntArray  # unit price in fen


def build_lines(
    rng: np.random.Generator, orders: OrderTimes, customers: Customers, catalogue: Catalogue
) -> Lines:
    """One to six distinct products per order; more on festival days and for big spenders."""
    day = orders.at // SECONDS_PER_DAY
    festive = np.where(is_peak_day()[day], 1.8, np.where(is_lead_day()[day], 1.25, 1.0))
    mean_extra = EXTRA_LINES_MEAN * customers.basket_size[orders.customer] * festive
    lines = np.minimum(1 + rng.poisson(mean_extra), MAX_LINES)
    order = np.repeat(np.arange(orders.customer.size, dtype=np.int64), lines)
    group = customers.shopper_group[orders.customer][order]
    product = categorical_by_group(rng, group, product_weights(catalogue))
    key, duplicates = np.unique(order * len(catalogue.names) + product, return_counts=True)
    order, product = key // len(catalogue.names), key % len(catalogue.names)
    extra_units = (rng.random(key.size) < 0.14).astype(np.int64) + (rng.random(key.size) < 0.04)
    member = rng.random(key.size) < MEMBER_PRICE_SHARE
    list_cents = catalogue.price_cents[product]
    return Lines(
        order=order,
        product=product,
        quantity=duplicates + extra_units,
        unit_cents=np.where(member, np.round(list_cents * 0.9), list_cents).astype(np.int64),
    )


def discount_rates(
    rng: np.random.Generator, orders: OrderTimes, coupon_holder: np.ndarray
) -> np.ndarray:
    """Order-level discount rate: festival deals, everyday coupons and the test coupon."""
    count = orders.customer.size
    day = orders.at // SECONDS_PER_DAY
    everyday = np.where(rng.random(count) < COUPON_SHARE, rng.uniform(0.04, 0.12, count), 0.0)
    festival = np.where(
        is_peak_day()[day],
        rng.uniform(0.15, 0.30, count),
        np.where(is_lead_day()[day], rng.uniform(0.06, 0.16, count), 0.0),
    )
    return np.maximum.reduce(
        [everyday, festival, np.where(coupon_holder, EXPERIMENT_COUPON_RATE, 0.0)]
    )


def order_amounts(lines: Lines, rates: np.ndarray) -> OrderAmounts:
    """Gross (sum of lines) and discount per order, in fen."""
    line_cents = lines.quantity * lines.unit_cents
    gross = (
        np.bincount(lines.order, weights=line_cents, minlength=rates.size).round().astype(np.int64)
    )
    return OrderAmounts(gross_cents=gross, discount_cents=np.round(gross * rates).astype(np.int64))


def order_items_frame(lines: Lines) -> Frame:
    """The ``order_items`` table."""
    return {
        "order_id": ORDER_ID_BASE + lines.order + 1,
        "product_id": (lines.product + 1).astype(np.int32),
        "quantity": lines.quantity.astype(np.int32),
        "unit_price": lines.unit_cents / 100.0,
    }
