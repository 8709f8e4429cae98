"""The warehouse contract as data: every table, column, DuckDB type and meaning.

Why: the writer creates tables from this (so names and types cannot drift from the
contract in /work/shared/spec/warehouse.md), and it attaches each meaning as a DuckDB
comment, so schema introspection shows analysts and the assistant what a column means.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a contract table."""

    name: str  # column name, exactly as in the contract
    sql_type: str  # DuckDB type, exactly as in the contract
    meaning: str  # one line for analysts; becomes the column comment


@dataclass(frozen=True)
class Table:
    """One contract table."""

    name: str  # table name, exactly as in the contract
    meaning: str  # one line; becomes the table comment
    columns: tuple[Column, ...]  # in contract order
    primary_key: str | None = None  # the primary-key column, when the contract names one


TABLES: tuple[Table, ...] = (
    Table(
        "customers",
        "One row per unified customer (One ID).",
        (
            Column("customer_id", "BIGINT", "Unified customer id."),
            Column("signup_date", "DATE", "First registration date."),
            Column("gender", "VARCHAR", "'female', 'male' or 'unknown'."),
            Column("birth_year", "INTEGER", "Year of birth; NULL when not given."),
            Column("city", "VARCHAR", "English city name."),
            Column("city_tier", "VARCHAR", "'tier1', 'tier2' or 'tier3'."),
            Column("region", "VARCHAR", "Region of China the city is in."),
            Column("acquisition_channel", "VARCHAR", "Marketing channel, 'organic' or 'referral'."),
            Column("loyalty_tier", "VARCHAR", "'none', 'silver', 'gold' or 'platinum'."),
            Column("email", "VARCHAR", "PII: e-mail address."),
            Column("phone", "VARCHAR", "PII: mobile number."),
        ),
        primary_key="customer_id",
    ),
    Table(
        "campaigns",
        "One row per marketing campaign.",
        (
            Column("campaign_id", "INTEGER", "Campaign id."),
            Column("campaign_name", "VARCHAR", "Human-readable, unique name."),
            Column("channel", "VARCHAR", "Marketing channel of the campaign."),
            Column(
                "objective",
                "VARCHAR",
                "'acquisition', 'conversion', 'retention' or 'reactivation'.",
            ),
            Column("start_date", "DATE", "First day the campaign ran."),
            Column("end_date", "DATE", "Last day the campaign ran."),
            Column("budget", "DOUBLE", "Planned budget, CNY."),
        ),
        primary_key="campaign_id",
    ),
    Table(
        "ad_spend",
        "One row per campaign per day it ran.",
        (
            Column("date", "DATE", "Day."),
            Column("campaign_id", "INTEGER", "References campaigns."),
            Column(
                "impressions", "BIGINT", "Impressions, or deliveries for email / sms / app_push."
            ),
            Column("clicks", "BIGINT", "Clicks."),
            Column("spend", "DOUBLE", "Spend, CNY."),
        ),
    ),
    Table(
        "touchpoints",
        "One row per marketing touch of a known customer.",
        (
            Column("touchpoint_id", "BIGINT", "Touchpoint id."),
            Column("customer_id", "BIGINT", "References customers."),
            Column("campaign_id", "INTEGER", "References campaigns."),
            Column("channel", "VARCHAR", "The campaign's channel."),
            Column("touch_type", "VARCHAR", "'impression', 'click' or 'open'."),
            Column("touched_at", "TIMESTAMP", "When the touch happened."),
        ),
        primary_key="touchpoint_id",
    ),
    Table(
        "orders",
        "One row per order.",
        (
            Column("order_id", "BIGINT", "Order id."),
            Column("customer_id", "BIGINT", "References customers."),
            Column("ordered_at", "TIMESTAMP", "When the order was placed."),
            Column("sales_channel", "VARCHAR", "Where the order was placed."),
            Column(
                "campaign_id",
                "INTEGER",
                "Last-click attributed campaign at checkout; NULL = unattributed.",
            ),
            Column(
                "gross_amount", "DOUBLE", "Sum of the order's items' quantity × unit_price, CNY."
            ),
            Column("discount", "DOUBLE", "Discount, CNY."),
            Column("revenue", "DOUBLE", "gross_amount − discount, CNY."),
        ),
        primary_key="order_id",
    ),
    Table(
        "order_items",
        "One row per product line of an order.",
        (
            Column("order_id", "BIGINT", "References orders."),
            Column("product_id", "INTEGER", "References products."),
            Column("quantity", "INTEGER", "Units."),
            Column("unit_price", "DOUBLE", "Price per unit, CNY."),
        ),
    ),
    Table(
        "products",
        "The product catalogue.",
        (
            Column("product_id", "INTEGER", "Product id."),
            Column("product_name", "VARCHAR", "Product name."),
            Column("category", "VARCHAR", "Product category."),
            Column("list_price", "DOUBLE", "List price, CNY."),
        ),
        primary_key="product_id",
    ),
    Table(
        "events",
        "On-site / in-app behaviour, for funnels.",
        (
            Column("event_id", "BIGINT", "Event id."),
            Column("customer_id", "BIGINT", "References customers."),
            Column("session_id", "BIGINT", "Session the event belongs to."),
            Column(
                "event_name",
                "VARCHAR",
                "'visit', 'view_product', 'add_to_cart', 'checkout' or 'purchase'.",
            ),
            Column("event_at", "TIMESTAMP", "When the event happened."),
            Column("device", "VARCHAR", "'ios', 'android', 'desktop' or 'mobile_web'."),
        ),
        primary_key="event_id",
    ),
    Table(
        "experiment_assignments",
        "A/B/n test assignments and outcomes.",
        (
            Column("experiment_id", "VARCHAR", "Experiment name."),
            Column("customer_id", "BIGINT", "References customers."),
            Column("variant", "VARCHAR", "'control', 'treatment', or 'A' / 'B' / 'C'."),
            Column("assigned_at", "TIMESTAMP", "When the customer entered the test."),
            Column("converted", "BOOLEAN", "Ordered within the test window."),
            Column("revenue", "DOUBLE", "Revenue from the customer within the test window, CNY."),
        ),
    ),
)

TABLE_NAMES: tuple[str, ...] = tuple(table.name for table in TABLES)


def table(name: str) -> Table:
    """The contract table called ``name``."""
    return next(candidate for candidate in TABLES if candidate.name == name)
