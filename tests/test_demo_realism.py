"""The demo warehouse says something: seasonality, channel differences, churn, journeys,
funnels and experiments an analyst can find (contract: "Realism the data must have").

Every check runs on the session's default-scale warehouse (20,000 customers, seed 42).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pytest
from scipy.stats import chi2_contingency

PAID_AND_OWNED = (
    "email",
    "sms",
    "wechat",
    "douyin",
    "xiaohongshu",
    "search",
    "display",
    "app_push",
)


@pytest.fixture(scope="module")
def con(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(warehouse_path), read_only=True)
    yield connection
    connection.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The single value a query returns."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def by_key(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, float]:
    return {key: value for key, value in con.execute(sql).fetchall()}


# --- seasonality -----------------------------------------------------------------------

DAILY = """
WITH daily AS (SELECT CAST(ordered_at AS DATE) AS day, sum(revenue) AS revenue FROM orders GROUP BY 1),
monthly AS (SELECT date_trunc('month', day) AS month, median(revenue) AS median_day FROM daily GROUP BY 1)
SELECT strftime(day, '%Y-%m-%d'), revenue / median_day
FROM daily JOIN monthly ON date_trunc('month', daily.day) = monthly.month
"""


@pytest.mark.parametrize(
    "day",
    ["2024-11-11", "2025-11-11", "2024-06-18", "2025-06-18", "2024-02-10", "2025-01-29"],
)
def test_festival_days_are_revenue_peaks(con: duckdb.DuckDBPyConnection, day: str) -> None:
    ratio = by_key(con, DAILY)[day]
    assert ratio >= 2.0, f"{day}: revenue only {ratio:.2f}x the median day of its month"


@pytest.mark.parametrize("year", [2024, 2025])
def test_double_eleven_is_the_biggest_day_of_the_year(
    con: duckdb.DuckDBPyConnection, year: int
) -> None:
    top = con.execute(
        "SELECT CAST(ordered_at AS DATE) FROM orders WHERE year(ordered_at) = ? "
        "GROUP BY 1 ORDER BY sum(revenue) DESC LIMIT 1",
        [year],
    ).fetchone()
    assert top is not None and str(top[0]) == f"{year}-11-11"


def test_weekly_and_monthly_numbers_are_not_noise(con: duckdb.DuckDBPyConnection) -> None:
    smallest_month = scalar(
        con,
        "SELECT min(n) FROM (SELECT count(*) AS n FROM orders GROUP BY date_trunc('month', ordered_at))",
    )
    assert smallest_month >= 800
    smallest_channel_month = scalar(
        con,
        "SELECT min(n) FROM (SELECT count(*) AS n FROM orders o JOIN campaigns c USING (campaign_id) "
        "WHERE c.channel <> 'display' GROUP BY c.channel, date_trunc('month', o.ordered_at))",
    )
    assert smallest_channel_month >= 20


# --- channels --------------------------------------------------------------------------

CHANNEL_ECONOMICS = """
WITH delivery AS (
    SELECT c.channel, sum(a.spend) AS spend, sum(a.clicks) AS clicks, sum(a.impressions) AS impressions
    FROM ad_spend a JOIN campaigns c USING (campaign_id) GROUP BY 1),
results AS (
    SELECT c.channel, count(*) AS conversions, sum(o.revenue) AS revenue
    FROM orders o JOIN campaigns c USING (campaign_id) GROUP BY 1)
SELECT channel, conversions / clicks AS cvr, revenue / spend AS roas, clicks / impressions AS ctr,
       spend / clicks AS cpc
FROM delivery JOIN results USING (channel)
"""


def economics(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, float]]:
    cursor = con.execute(CHANNEL_ECONOMICS)
    names = [column[0] for column in cursor.description]
    return {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}


def test_every_channel_has_campaigns_spend_and_conversions(con: duckdb.DuckDBPyConnection) -> None:
    assert set(economics(con)) == set(PAID_AND_OWNED)


def test_search_and_wechat_convert_better_per_click_than_display(
    con: duckdb.DuckDBPyConnection,
) -> None:
    cvr = {channel: values["cvr"] for channel, values in economics(con).items()}
    assert cvr["search"] > 2 * cvr["display"]
    assert cvr["wechat"] > 2 * cvr["display"]


def test_roas_is_plausible_per_channel_and_differs(con: duckdb.DuckDBPyConnection) -> None:
    roas = {channel: values["roas"] for channel, values in economics(con).items()}
    assert all(1.0 <= value <= 8.0 for value in roas.values()), roas
    assert max(roas.values()) / min(roas.values()) >= 2.5, roas


def test_ctr_and_cpc_differ_by_channel(con: duckdb.DuckDBPyConnection) -> None:
    rows = economics(con)
    ctr = {channel: values["ctr"] for channel, values in rows.items()}
    cpc = {channel: values["cpc"] for channel, values in rows.items()}
    assert all(0.001 <= value <= 0.10 for value in ctr.values()), ctr
    assert max(ctr.values()) / min(ctr.values()) >= 3, ctr
    assert max(cpc.values()) / min(cpc.values()) >= 3, cpc
    overall = scalar(con, "SELECT sum(clicks) / sum(impressions) FROM ad_spend")
    assert 0.005 <= overall <= 0.05


# --- customers and orders --------------------------------------------------------------


def test_average_order_value_fits_a_beauty_brand(con: duckdb.DuckDBPyConnection) -> None:
    assert 150 <= scalar(con, "SELECT sum(revenue) / count(*) FROM orders") <= 500


def test_repeat_and_lapsed_buyers_both_exist(con: duckdb.DuckDBPyConnection) -> None:
    repeat = scalar(
        con,
        "SELECT avg(CAST(n >= 2 AS DOUBLE)) FROM (SELECT count(*) AS n FROM orders GROUP BY customer_id)",
    )
    lapsed = scalar(
        con,
        "SELECT avg(CAST(last < TIMESTAMP '2025-12-31' - INTERVAL 180 DAY AS DOUBLE)) "
        "FROM (SELECT max(ordered_at) AS last FROM orders GROUP BY customer_id)",
    )
    assert 0.25 <= repeat <= 0.75
    assert 0.20 <= lapsed <= 0.80


def test_yearly_repeat_purchase_rate_is_plausible(con: duckdb.DuckDBPyConnection) -> None:
    rates = by_key(
        con,
        "SELECT CAST(y AS VARCHAR), avg(CAST(n >= 2 AS DOUBLE)) FROM "
        "(SELECT year(ordered_at) AS y, customer_id, count(*) AS n FROM orders GROUP BY 1, 2) GROUP BY 1",
    )
    assert all(0.2 <= rate <= 0.6 for rate in rates.values()), rates


def test_rfm_segments_differ(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        """
        WITH rfm AS (
            SELECT customer_id, count(*) AS frequency, sum(revenue) AS monetary,
                   date_diff('day', max(ordered_at), TIMESTAMP '2025-12-31') AS recency
            FROM orders GROUP BY 1),
        scored AS (SELECT *, ntile(5) OVER (ORDER BY frequency, customer_id) AS f_band FROM rfm)
        SELECT f_band, avg(monetary), avg(recency) FROM scored GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    monetary = [row[1] for row in rows]
    recency = [row[2] for row in rows]
    assert monetary[-1] >= 3 * monetary[0]
    assert recency[-1] < recency[0]
    one_timers = scalar(
        con,
        "SELECT avg(CAST(n = 1 AS DOUBLE)) FROM (SELECT count(*) AS n FROM orders GROUP BY customer_id)",
    )
    loyal = scalar(
        con,
        "SELECT avg(CAST(n >= 4 AS DOUBLE)) FROM (SELECT count(*) AS n FROM orders GROUP BY customer_id)",
    )
    assert one_timers >= 0.3 and loyal >= 0.1


def test_cohort_retention_decays(con: duckdb.DuckDBPyConnection) -> None:
    retention = by_key(
        con,
        """
        WITH first AS (SELECT customer_id, date_trunc('month', min(ordered_at)) AS cohort FROM orders GROUP BY 1),
        active AS (SELECT DISTINCT customer_id, date_trunc('month', ordered_at) AS month FROM orders),
        aged AS (
            SELECT f.customer_id, date_diff('month', f.cohort, a.month) AS age
            FROM first f JOIN active a USING (customer_id)
            WHERE f.cohort BETWEEN DATE '2024-02-01' AND DATE '2024-07-01')
        SELECT CAST(age AS VARCHAR), count(DISTINCT customer_id) * 1.0
               / (SELECT count(DISTINCT customer_id) FROM aged) FROM aged GROUP BY 1
        """,
    )
    assert retention["0"] == pytest.approx(1.0)
    assert retention["1"] > retention["6"] > retention["12"] > 0.02


def test_loyalty_tiers_follow_spend(con: duckdb.DuckDBPyConnection) -> None:
    spend = by_key(
        con,
        "SELECT c.loyalty_tier, avg(coalesce(o.revenue, 0)) FROM customers c LEFT JOIN "
        "(SELECT customer_id, sum(revenue) AS revenue FROM orders GROUP BY 1) o USING (customer_id) GROUP BY 1",
    )
    assert spend["none"] < spend["silver"] < spend["gold"] < spend["platinum"]


def test_cities_regions_and_tiers_are_consistent(con: duckdb.DuckDBPyConnection) -> None:
    assert scalar(con, "SELECT count(DISTINCT city) FROM customers") >= 20
    inconsistent = scalar(
        con,
        "SELECT count(*) FROM (SELECT city FROM customers GROUP BY city "
        "HAVING count(DISTINCT city_tier) > 1 OR count(DISTINCT region) > 1)",
    )
    assert inconsistent == 0
    assert by_key(con, "SELECT city, city_tier FROM customers GROUP BY ALL")["Shanghai"] == "tier1"
    assert scalar(con, "SELECT count(DISTINCT region) FROM customers") == 7


def test_pii_looks_real_but_is_harmless(con: duckdb.DuckDBPyConnection) -> None:
    bad_phones = scalar(
        con, r"SELECT count(*) FROM customers WHERE NOT regexp_full_match(phone, '1[3-9]\d{9}')"
    )
    bad_emails = scalar(
        con,
        r"SELECT count(*) FROM customers WHERE NOT regexp_full_match(email, '[a-z]+[._]?[a-z]+\d+@example\.(com|net|org)')",
    )
    assert bad_phones == 0 and bad_emails == 0
    assert scalar(
        con,
        "SELECT count(DISTINCT email) = count(*) AND count(DISTINCT phone) = count(*) FROM customers",
    )


def test_signups_reach_back_up_to_two_years_before_the_window(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = con.execute(
        "SELECT min(signup_date), max(signup_date), avg(CAST(signup_date < DATE '2024-01-01' AS DOUBLE)) FROM customers"
    ).fetchone()
    assert row is not None
    low, high, before = row
    assert str(low) >= "2022-01-01" and str(high) <= "2025-12-31"
    assert 0.1 <= before <= 0.6
    assert str(low) < "2022-03-01" and str(high) > "2025-11-30"


# --- journeys and attribution ----------------------------------------------------------


def test_most_purchasers_saw_two_channels_before_their_first_order(
    con: duckdb.DuckDBPyConnection,
) -> None:
    share = scalar(
        con,
        """
        WITH first AS (SELECT customer_id, min(ordered_at) AS at FROM orders GROUP BY 1)
        SELECT avg(CAST(coalesce(channels, 0) >= 2 AS DOUBLE)) FROM first LEFT JOIN (
            SELECT f.customer_id, count(DISTINCT t.channel) AS channels
            FROM first f JOIN touchpoints t ON t.customer_id = f.customer_id
             AND t.touched_at < f.at AND t.touched_at >= f.at - INTERVAL 30 DAY
            GROUP BY 1) USING (customer_id)
        """,
    )
    assert share > 0.5


def test_unattributed_orders_are_a_realistic_share(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        0.30 <= scalar(con, "SELECT avg(CAST(campaign_id IS NULL AS DOUBLE)) FROM orders") <= 0.50
    )
    assert (
        scalar(
            con,
            "SELECT count(*) FROM orders WHERE sales_channel = 'offline_store' AND campaign_id IS NOT NULL",
        )
        == 0
    )


def test_attributed_campaigns_were_live_and_touched_the_buyer_shortly_before(
    con: duckdb.DuckDBPyConnection,
) -> None:
    not_live = scalar(
        con,
        "SELECT count(*) FROM orders o JOIN campaigns c USING (campaign_id) "
        "WHERE CAST(o.ordered_at AS DATE) NOT BETWEEN c.start_date AND c.end_date",
    )
    untouched = scalar(
        con,
        """
        SELECT count(*) FROM orders o JOIN campaigns c USING (campaign_id)
        WHERE NOT EXISTS (
            SELECT 1 FROM touchpoints t
            WHERE t.customer_id = o.customer_id AND t.channel = c.channel AND t.touch_type = 'click'
              AND t.touched_at < o.ordered_at AND t.touched_at >= o.ordered_at - INTERVAL 7 DAY)
        """,
    )
    assert not_live == 0 and untouched == 0


def test_multi_touch_credit_differs_from_last_click(con: duckdb.DuckDBPyConnection) -> None:
    """First-touch credit favours upper-funnel media that last click barely credits."""
    first_touch = by_key(
        con,
        """
        WITH journeys AS (
            SELECT o.order_id, t.channel,
                   row_number() OVER (PARTITION BY o.order_id ORDER BY t.touched_at, t.touchpoint_id) AS step
            FROM orders o JOIN touchpoints t ON t.customer_id = o.customer_id
             AND t.touched_at < o.ordered_at AND t.touched_at >= o.ordered_at - INTERVAL 30 DAY
            WHERE o.campaign_id IS NOT NULL)
        SELECT channel, count(*) * 1.0 / sum(count(*)) OVER () FROM journeys WHERE step = 1 GROUP BY 1
        """,
    )
    last_click = by_key(
        con,
        "SELECT c.channel, count(*) * 1.0 / sum(count(*)) OVER () FROM orders o "
        "JOIN campaigns c USING (campaign_id) GROUP BY 1",
    )
    upper = ("display", "douyin", "xiaohongshu")
    assert sum(first_touch[c] for c in upper) >= 1.5 * sum(last_click[c] for c in upper)
    assert first_touch["search"] < last_click["search"]


def test_journeys_before_orders_span_several_touches(con: duckdb.DuckDBPyConnection) -> None:
    average = scalar(
        con,
        """
        SELECT avg(touches) FROM (
            SELECT o.order_id, count(t.touchpoint_id) AS touches FROM orders o
            JOIN touchpoints t ON t.customer_id = o.customer_id
             AND t.touched_at < o.ordered_at AND t.touched_at >= o.ordered_at - INTERVAL 30 DAY
            GROUP BY 1)
        """,
    )
    assert average >= 2.5
    non_converting = scalar(
        con,
        "SELECT avg(CAST(NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id) AS DOUBLE)) "
        "FROM (SELECT DISTINCT customer_id FROM touchpoints) c",
    )
    assert non_converting >= 0.1  # paths that end without a purchase, for Markov models


# --- funnels ---------------------------------------------------------------------------

STEPS = ("visit", "view_product", "add_to_cart", "checkout", "purchase")


def test_funnel_falls_at_every_step(con: duckdb.DuckDBPyConnection) -> None:
    counts = by_key(con, "SELECT event_name, count(DISTINCT session_id) FROM events GROUP BY 1")
    values = [counts[step] for step in STEPS]
    assert all(a > b for a, b in pairwise(values)), counts
    assert 0.02 <= counts["purchase"] / counts["visit"] <= 0.2


def test_funnel_drop_off_differs_by_device(con: duckdb.DuckDBPyConnection) -> None:
    rate = by_key(
        con,
        "SELECT device, count(DISTINCT session_id) FILTER (WHERE event_name = 'checkout') * 1.0 "
        "/ count(DISTINCT session_id) FILTER (WHERE event_name = 'visit') FROM events GROUP BY 1",
    )
    assert set(rate) == {"ios", "android", "desktop", "mobile_web"}
    assert max(rate.values()) >= 1.5 * min(rate.values())
    assert rate["mobile_web"] == min(rate.values())


def test_every_session_starts_with_a_visit(con: duckdb.DuckDBPyConnection) -> None:
    without_visit = scalar(
        con,
        "SELECT count(*) FROM (SELECT session_id FROM events GROUP BY 1 "
        "HAVING count(*) FILTER (WHERE event_name = 'visit') <> 1 "
        "OR min(event_at) < min(event_at) FILTER (WHERE event_name = 'visit'))",
    )
    assert without_visit == 0
    mixed = scalar(
        con,
        "SELECT count(*) FROM (SELECT session_id FROM events GROUP BY 1 "
        "HAVING count(DISTINCT customer_id) > 1 OR count(DISTINCT device) > 1)",
    )
    assert mixed == 0


# --- experiments -----------------------------------------------------------------------


def experiment_counts(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, int, int]]]:
    rows = con.execute(
        "SELECT experiment_id, variant, count(*), sum(CAST(converted AS INTEGER)) "
        "FROM experiment_assignments GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    tests: dict[str, list[tuple[str, int, int]]] = {}
    for experiment, variant, members, converted in rows:
        tests.setdefault(experiment, []).append((variant, members, converted))
    return tests


def p_value(arms: list[tuple[str, int, int]]) -> float:
    table = [[converted, members - converted] for _, members, converted in arms]
    return float(chi2_contingency(table, correction=False)[1])


def test_there_are_several_experiments_one_with_three_variants(
    con: duckdb.DuckDBPyConnection,
) -> None:
    tests = experiment_counts(con)
    assert len(tests) >= 3
    assert any(sorted(arm[0] for arm in arms) == ["A", "B", "C"] for arms in tests.values())
    assert all(
        sorted(arm[0] for arm in arms) in (["A", "B", "C"], ["control", "treatment"])
        for arms in tests.values()
    )


def test_one_experiment_has_a_real_lift(con: duckdb.DuckDBPyConnection) -> None:
    tests = experiment_counts(con)
    assert p_value(tests["checkout_coupon"]) < 0.01
    control, treatment = tests["checkout_coupon"]
    assert treatment[2] / treatment[1] > control[2] / control[1]


def test_one_experiment_has_no_lift(con: duckdb.DuckDBPyConnection) -> None:
    assert p_value(experiment_counts(con)["homepage_banner"]) > 0.2


def test_experiment_arms_are_balanced(con: duckdb.DuckDBPyConnection) -> None:
    for experiment, arms in experiment_counts(con).items():
        sizes = [members for _, members, _ in arms]
        assert max(sizes) - min(sizes) <= 2, experiment


def test_experiment_outcomes_come_from_real_orders(con: duckdb.DuckDBPyConnection) -> None:
    """Converted members ordered after assignment (windows are 14 to 30 days); others did not."""
    violations = scalar(
        con,
        """
        WITH outcome AS (
            SELECT e.*,
                   EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = e.customer_id
                           AND o.ordered_at >= e.assigned_at
                           AND o.ordered_at <= e.assigned_at + INTERVAL 30 DAY) AS ordered_30,
                   EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = e.customer_id
                           AND o.ordered_at >= e.assigned_at
                           AND o.ordered_at <= e.assigned_at + INTERVAL 14 DAY) AS ordered_14
            FROM experiment_assignments e)
        SELECT count(*) FROM outcome
        WHERE (converted AND NOT ordered_30) OR (NOT converted AND ordered_14)
           OR (converted AND revenue <= 0) OR (NOT converted AND revenue <> 0)
        """,
    )
    assert violations == 0
    duplicates = scalar(
        con,
        "SELECT count(*) - count(DISTINCT (experiment_id, customer_id)) FROM experiment_assignments",
    )
    assert duplicates == 0
