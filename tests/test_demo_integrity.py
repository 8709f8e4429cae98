"""The demo warehouse is internally consistent: money adds up, references resolve, every
row lies in the data window, and derived tables agree with the tables they come from.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

WINDOW_START, WINDOW_END = "2024-01-01", "2025-12-31"


@pytest.fixture(scope="module")
def con(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(warehouse_path), read_only=True)
    yield connection
    connection.close()


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


# --- money -----------------------------------------------------------------------------


def test_revenue_is_gross_minus_discount(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        count(
            con, "SELECT count(*) FROM orders WHERE abs(revenue - (gross_amount - discount)) > 1e-6"
        )
        == 0
    )
    assert (
        count(con, "SELECT count(*) FROM orders WHERE discount < 0 OR discount >= gross_amount")
        == 0
    )


def test_gross_amount_is_the_sum_of_the_items(con: duckdb.DuckDBPyConnection) -> None:
    mismatched = count(
        con,
        "SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(quantity * unit_price) AS lines "
        "FROM order_items GROUP BY 1) i USING (order_id) WHERE abs(o.gross_amount - i.lines) > 1e-6",
    )
    assert mismatched == 0


def test_every_order_has_items_and_every_item_an_order(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        count(
            con,
            "SELECT count(*) FROM orders WHERE order_id NOT IN (SELECT order_id FROM order_items)",
        )
        == 0
    )
    assert (
        count(
            con,
            "SELECT count(*) FROM order_items WHERE order_id NOT IN (SELECT order_id FROM orders)",
        )
        == 0
    )


def test_order_lines_are_sane(con: duckdb.DuckDBPyConnection) -> None:
    assert count(con, "SELECT count(*) FROM order_items WHERE quantity < 1 OR unit_price <= 0") == 0
    assert (
        count(con, "SELECT count(*) - count(DISTINCT (order_id, product_id)) FROM order_items") == 0
    )
    above_list = count(
        con,
        "SELECT count(*) FROM order_items i JOIN products p USING (product_id) WHERE i.unit_price > p.list_price",
    )
    assert above_list == 0


def test_money_has_at_most_two_decimals(con: duckdb.DuckDBPyConnection) -> None:
    for table, column in [
        ("orders", "gross_amount"), ("orders", "discount"), ("orders", "revenue"),
        ("order_items", "unit_price"), ("ad_spend", "spend"), ("campaigns", "budget"),
        ("products", "list_price"), ("experiment_assignments", "revenue"),
    ]:  # fmt: skip
        off = count(
            con,
            f"SELECT count(*) FROM {table} WHERE abs({column} * 100 - round({column} * 100)) > 1e-6",
        )
        assert off == 0, (table, column)


# --- campaigns and delivery ------------------------------------------------------------


def test_spend_only_on_days_the_campaign_ran(con: duckdb.DuckDBPyConnection) -> None:
    outside = count(
        con,
        "SELECT count(*) FROM ad_spend a JOIN campaigns c USING (campaign_id) "
        "WHERE a.date NOT BETWEEN c.start_date AND c.end_date",
    )
    assert outside == 0
    assert (
        count(
            con,
            "SELECT count(*) FROM ad_spend WHERE campaign_id NOT IN (SELECT campaign_id FROM campaigns)",
        )
        == 0
    )


def test_one_spend_row_per_campaign_day(con: duckdb.DuckDBPyConnection) -> None:
    assert count(con, "SELECT count(*) - count(DISTINCT (date, campaign_id)) FROM ad_spend") == 0
    gaps = count(
        con,
        "SELECT count(*) FROM campaigns c JOIN (SELECT campaign_id, count(*) AS days FROM ad_spend GROUP BY 1) a "
        "USING (campaign_id) WHERE a.days <> date_diff('day', c.start_date, c.end_date) + 1",
    )
    assert gaps == 0
    assert (
        count(
            con,
            "SELECT count(*) FROM campaigns WHERE campaign_id NOT IN (SELECT campaign_id FROM ad_spend)",
        )
        == 0
    )


def test_delivery_numbers_are_consistent(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        count(
            con,
            "SELECT count(*) FROM ad_spend WHERE clicks > impressions OR clicks < 0 OR spend <= 0",
        )
        == 0
    )
    over_budget = count(
        con,
        "SELECT count(*) FROM campaigns c JOIN (SELECT campaign_id, sum(spend) AS spent FROM ad_spend GROUP BY 1) a "
        "USING (campaign_id) WHERE a.spent > c.budget + 1e-6",
    )
    assert over_budget == 0


def test_known_customers_touches_fit_within_delivery(con: duckdb.DuckDBPyConnection) -> None:
    exceeded = count(
        con,
        """
        SELECT count(*) FROM (
            SELECT campaign_id, CAST(touched_at AS DATE) AS date,
                   count(*) FILTER (WHERE touch_type = 'click') AS clicks, count(*) AS touches
            FROM touchpoints GROUP BY 1, 2) t
        LEFT JOIN ad_spend a USING (campaign_id, date)
        WHERE a.campaign_id IS NULL OR t.clicks > a.clicks OR t.touches > a.impressions
        """,
    )
    assert exceeded == 0


def test_campaigns_are_named_uniquely_and_lie_in_the_window(con: duckdb.DuckDBPyConnection) -> None:
    assert count(con, "SELECT count(*) - count(DISTINCT campaign_name) FROM campaigns") == 0
    assert (
        count(
            con,
            f"SELECT count(*) FROM campaigns WHERE start_date > end_date "
            f"OR start_date < DATE '{WINDOW_START}' OR end_date > DATE '{WINDOW_END}'",
        )
        == 0
    )


def test_touchpoints_carry_their_campaigns_channel_and_dates(
    con: duckdb.DuckDBPyConnection,
) -> None:
    wrong = count(
        con,
        "SELECT count(*) FROM touchpoints t JOIN campaigns c USING (campaign_id) "
        "WHERE t.channel <> c.channel OR CAST(t.touched_at AS DATE) NOT BETWEEN c.start_date AND c.end_date",
    )
    assert wrong == 0
    assert (
        count(
            con,
            "SELECT count(*) FROM touchpoints WHERE campaign_id NOT IN (SELECT campaign_id FROM campaigns)",
        )
        == 0
    )


def test_touch_types_fit_their_channel(con: duckdb.DuckDBPyConnection) -> None:
    opens = {
        row[0]
        for row in con.execute(
            "SELECT DISTINCT channel FROM touchpoints WHERE touch_type = 'open'"
        ).fetchall()
    }
    assert opens <= {"email", "wechat"}
    assert (
        count(
            con,
            "SELECT count(*) FROM touchpoints WHERE channel = 'email' AND touch_type = 'impression'",
        )
        == 0
    )


# --- references and the window ---------------------------------------------------------


@pytest.mark.parametrize("table", ["touchpoints", "orders", "events", "experiment_assignments"])
def test_customer_references_resolve(con: duckdb.DuckDBPyConnection, table: str) -> None:
    assert (
        count(
            con,
            f"SELECT count(*) FROM {table} WHERE customer_id NOT IN (SELECT customer_id FROM customers)",
        )
        == 0
    )


def test_product_and_campaign_references_resolve(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        count(
            con,
            "SELECT count(*) FROM order_items WHERE product_id NOT IN (SELECT product_id FROM products)",
        )
        == 0
    )
    assert (
        count(
            con,
            "SELECT count(*) FROM orders WHERE campaign_id IS NOT NULL AND campaign_id NOT IN (SELECT campaign_id FROM campaigns)",
        )
        == 0
    )


@pytest.mark.parametrize(
    "table,column",
    [("orders", "ordered_at"), ("touchpoints", "touched_at"), ("events", "event_at"),
     ("experiment_assignments", "assigned_at"), ("ad_spend", "date")],
)  # fmt: skip
def test_everything_happens_inside_the_window(
    con: duckdb.DuckDBPyConnection, table: str, column: str
) -> None:
    outside = count(
        con,
        f"SELECT count(*) FROM {table} WHERE {column} < TIMESTAMP '{WINDOW_START}' "
        f"OR {column} >= TIMESTAMP '{WINDOW_END}' + INTERVAL 1 DAY",
    )
    assert outside == 0


def test_nobody_orders_before_signing_up(con: duckdb.DuckDBPyConnection) -> None:
    early = count(
        con,
        "SELECT count(*) FROM orders o JOIN customers c USING (customer_id) "
        "WHERE CAST(o.ordered_at AS DATE) < c.signup_date",
    )
    assert early == 0
    unsigned = count(
        con,
        "SELECT count(*) FROM experiment_assignments e JOIN customers c USING (customer_id) "
        "WHERE CAST(e.assigned_at AS DATE) < c.signup_date",
    )
    assert unsigned == 0


# --- events and orders agree -----------------------------------------------------------


def test_every_purchase_event_is_an_order_placed_on_site(con: duckdb.DuckDBPyConnection) -> None:
    unmatched = count(
        con,
        """
        SELECT count(*) FROM events e WHERE e.event_name = 'purchase' AND NOT EXISTS (
            SELECT 1 FROM orders o WHERE o.customer_id = e.customer_id AND o.ordered_at = e.event_at
              AND o.sales_channel IN ('online_store', 'app', 'mini_program'))
        """,
    )
    assert unmatched == 0
    purchases = count(con, "SELECT count(*) FROM events WHERE event_name = 'purchase'")
    on_site = count(
        con,
        "SELECT count(*) FROM orders WHERE sales_channel IN ('online_store', 'app', 'mini_program')",
    )
    assert purchases == on_site


def test_purchase_closes_its_session(con: duckdb.DuckDBPyConnection) -> None:
    bad = count(
        con,
        """
        SELECT count(*) FROM (
            SELECT session_id, count(*) FILTER (WHERE event_name = 'purchase') AS purchases,
                   max(event_at) AS last_at, max(event_at) FILTER (WHERE event_name = 'purchase') AS bought_at,
                   count(*) FILTER (WHERE event_name = 'checkout') AS checkouts
            FROM events GROUP BY 1)
        WHERE purchases > 1 OR (purchases = 1 AND (bought_at <> last_at OR checkouts = 0))
        """,
    )
    assert bad == 0


def test_app_and_mini_program_sessions_happen_on_phones(con: duckdb.DuckDBPyConnection) -> None:
    wrong = count(
        con,
        """
        SELECT count(*) FROM events e JOIN orders o ON o.customer_id = e.customer_id AND o.ordered_at = e.event_at
        WHERE e.event_name = 'purchase'
          AND ((o.sales_channel IN ('app', 'mini_program') AND e.device NOT IN ('ios', 'android'))
            OR (o.sales_channel = 'online_store' AND e.device NOT IN ('desktop', 'mobile_web')))
        """,
    )
    assert wrong == 0
