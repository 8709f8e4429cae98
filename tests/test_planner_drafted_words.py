"""Words on drafted models (zero configuration): a head several dimensions share is decided
by the metric or asked, a metric's generic last word may be left out ("discount" for
"Discount amount"), never at the cost of the counted noun ("claims" stays the claims)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.eval.byodata.warehouses import build
from genbi.semantic_layer.introspection import check_draft, draft_model

AS_OF = date(2024, 12, 30)


@pytest.fixture(scope="module")
def planners(tmp_path_factory: pytest.TempPathFactory) -> dict[str, OfflinePlanner]:
    folder = tmp_path_factory.mktemp("drafted")
    return {name: OfflinePlanner(check_draft(draft_model(build(name, folder / f"{name}.duckdb")).text))
            for name in ("marketplace", "insurance", "star", "retail")}


def test_a_head_two_dimensions_share_is_asked_when_the_metric_fits_both(planners: dict[str, OfflinePlanner]) -> None:
    result = planners["marketplace"].plan("sales by state", as_of=AS_OF)
    assert result.spec is None and len(result.suggestions) == 2
    assert {"sales by customer state", "sales by seller state"} == set(result.suggestions)
    assert planners["marketplace"].plan(result.suggestions[0], as_of=AS_OF).spec is not None


@pytest.mark.parametrize("name, question, dimension", [
    ("marketplace", "how many customers by state", "customer_state"),  # only customers have one
    ("insurance", "claim amount by status", "claim_status"),  # the claim's own status
])
def test_a_shared_head_the_metric_decides_is_that_dimension(planners: dict[str, OfflinePlanner], name: str,
                                                            question: str, dimension: str) -> None:
    spec = planners[name].plan(question, as_of=AS_OF).spec
    assert spec is not None and [g.name for g in spec.group_by] == [dimension]


@pytest.mark.parametrize("question", ["discount by store type", "discounts by store", "total discount last month"])
def test_an_amount_is_asked_by_its_head_word(planners: dict[str, OfflinePlanner], question: str) -> None:
    spec = planners["star"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("discount_amount",)


@pytest.mark.parametrize("question", ["claims by cause", "how many claims last month"])
def test_the_counted_noun_keeps_its_meaning(planners: dict[str, OfflinePlanner], question: str) -> None:
    spec = planners["insurance"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("claims",)


@pytest.fixture(scope="module")
def saas(tmp_path_factory: pytest.TempPathFactory) -> OfflinePlanner:
    """A product's exports: subscriptions by signup date, an event log whose timestamps all
    differ (no calendar), invoices with a status."""
    import duckdb

    folder = tmp_path_factory.mktemp("saas")
    with duckdb.connect() as con:
        con.sql(f"""COPY (SELECT i AS user_id, ['Free','Pro','Team'][1 + i % 3] AS plan,
            DATE '2024-01-01' + (i * 7 % 700)::INT AS signup_date, ['US','UK','DE'][1 + i % 3] AS country
            FROM range(600) t(i)) TO '{folder}/subscriptions.csv' (HEADER)""")
        con.sql(f"""COPY (SELECT i AS event_id, (i * 13) % 600 AS user_id,
            ['login','export','invite'][1 + i % 3] AS event_type,
            TIMESTAMP '2024-01-01 08:00:00' + INTERVAL (i * 37 % 1000000) MINUTE AS event_time,
            ['web','ios'][1 + i % 2] AS platform FROM range(5000) t(i)) TO '{folder}/events.csv' (HEADER)""")
        con.sql(f"""COPY (SELECT i AS invoice_id, (i * 7) % 600 AS user_id, DATE '2024-01-15' + (i % 600)::INT
            AS invoice_date, [29.0, 99.0, 499.0][1 + i % 3] AS amount, ['paid','failed'][1 + (i % 10 = 0)::INT] AS status
            FROM range(2000) t(i)) TO '{folder}/invoices.csv' (HEADER)""")
    return OfflinePlanner(check_draft(draft_model(folder).text))


@pytest.mark.parametrize("question, metric, filters, by", [
    ("how many signups last month", "subscriptions", [], []),
    ("logins by platform last week", "events", [("event_type", ("login",))], ["platform"]),
    ("how many exports last month", "events", [("event_type", ("export",))], []),
    ("how many failed invoices this year", "invoices", [("status", ("failed",))], []),
])
def test_an_event_log_is_counted_and_its_members_counted_by_their_plural(
        saas: OfflinePlanner, question: str, metric: str, filters: list[tuple[str, tuple[str, ...]]],
        by: list[str]) -> None:
    result = saas.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == (metric,) and [g.name for g in result.spec.group_by] == by
    assert [(f.dimension, f.values) for f in result.spec.filters] == filters
    assert any("counted" in n for n in result.notes) == (bool(filters) and metric not in question)


@pytest.mark.parametrize("question", ["number of logins per user", "logins per user last month",
                                      "how many exports per user by platform", "logins for each user"])
def test_a_thing_counted_per_a_metric_is_no_count_of_that_metric(saas: OfflinePlanner, question: str) -> None:
    """"logins per user": the users (a metric) are only the unit; counted alone they answered
    800 users for logins per user. With no such ratio in the model the question declines."""
    result = saas.plan(question, as_of=AS_OF)
    assert result.spec is None, result.spec
    assert "per user" in (result.decline_reason or "") or "for each user" in (result.decline_reason or "") \
        or "per each user" in (result.decline_reason or ""), result.decline_reason


@pytest.mark.parametrize("question, metric, by", [
    ("how many logins last month", "events", []),  # the thing counted alone still answers
    ("signups per month", "subscriptions", []),  # a grain after "per", not a unit
    ("signups per country", "subscriptions", ["country"]),  # a split
])
def test_per_a_grain_or_a_split_still_answers(saas: OfflinePlanner, question: str, metric: str, by: list[str]) -> None:
    result = saas.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == (metric,) and [g.name for g in result.spec.group_by if g.name != "metric_time"] == by


@pytest.mark.parametrize("question, metric", [
    ("average claim by cause", "avg_claim_amount"), ("average claim last year", "avg_claim_amount"),
    ("average premium by policy type", "avg_annual_premium"),  # the averaged twin of a summed amount
])
def test_the_average_of_a_counted_thing_is_its_average_amount(planners: dict[str, OfflinePlanner],
                                                              question: str, metric: str) -> None:
    spec = planners["insurance"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == (metric,)


@pytest.mark.parametrize("question", ["revenue by month in 2025", "上个月各国家的收入"])
def test_revenue_on_a_model_without_it_names_the_closest_money(saas: OfflinePlanner, question: str) -> None:
    result = saas.plan(question, as_of=AS_OF)
    assert result.spec is None and ("Invoice amount" in (result.decline_reason or "")
                                    or "发票金额" in (result.decline_reason or ""))


def test_a_sales_table_with_text_dates_answers_sales_by_month(tmp_path: Path) -> None:
    """Dates kept as text ('2024-01-05'); the table is 'sales' and its money 'amount': "sales"
    is the amount (its rows are counted as sale transactions)."""
    import duckdb

    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as con:
        con.sql("CREATE TABLE sales AS SELECT i AS sale_id, strftime(DATE '2024-01-01' + (i % 500)::INT, '%Y-%m-%d') "
                "AS sale_date, ['North','South'][1 + i % 2] AS region, (i % 97) * 1.5 AS amount FROM range(3000) t(i)")
    planner = OfflinePlanner(check_draft(draft_model(path).text))
    spec = planner.plan("sales by month in 2024", as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("amount",) and spec.group_by[0].grain is not None


def test_rows_counted_on_the_day_they_began_are_new(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "crm.duckdb"
    with duckdb.connect(str(path)) as con:
        con.sql("CREATE TABLE contacts AS SELECT i AS contact_id, ['Beijing','Shanghai'][1 + i % 2] AS city, "
                "DATE '2024-01-01' + (i % 400)::INT AS created_at FROM range(1500) t(i)")
    planner = OfflinePlanner(check_draft(draft_model(path).text))
    for question in ("new contacts by month in 2024", "2024年每个月新增的联系人"):
        spec = planner.plan(question, as_of=AS_OF).spec
        assert spec is not None and spec.metrics == ("contacts",), question


def test_a_place_named_by_one_character_is_a_shared_head(planners: dict[str, OfflinePlanner]) -> None:
    orders = planners["marketplace"].plan("各州的订单数", as_of=AS_OF).spec  # only customers' states fit orders
    assert orders is not None and [g.name for g in orders.group_by] == ["customer_state"]
    asked = planners["marketplace"].plan("各州的销售额", as_of=AS_OF)
    assert asked.spec is None and set(asked.suggestions) == {"各客户州的销售额", "各卖家州的销售额"}


@pytest.mark.parametrize("question", ["number of claims caused by Fire", "claims caused by collision last year"])
def test_a_dimension_said_as_a_verb_before_its_value(planners: dict[str, OfflinePlanner], question: str) -> None:
    spec = planners["insurance"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("claims",) and [f.dimension for f in spec.filters] == ["cause"]


@pytest.mark.parametrize("question, metric, filters", [
    ("sales for female customers by age band", "sales_amount", [("gender", ("F",))]),  # a one-letter code
    ("average sales per transaction by region", "avg_sales_amount", []),  # the amount's own average
    ("哪个门店的折扣最多", "discount_amount", []),  # 折扣 for 折扣金额
])
def test_star_schema_words(planners: dict[str, OfflinePlanner], question: str, metric: str,
                           filters: list[tuple[str, tuple[str, ...]]]) -> None:
    spec = planners["star"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == (metric,)
    assert [(f.dimension, f.values) for f in spec.filters] == filters


def test_other_english_names_of_a_country(planners: dict[str, OfflinePlanner]) -> None:
    spec = planners["retail"].plan("revenue by country excluding the uk", as_of=AS_OF).spec
    assert spec is not None and [(f.dimension, f.op.value, f.values) for f in spec.filters] == [
        ("country", "!=", ("United Kingdom",))]


@pytest.mark.parametrize("question", ["average sales per transaction by country", "average sales per invoice by country",
                                      "sales per transaction by country"])
def test_an_average_that_is_already_per_the_unit(planners: dict[str, OfflinePlanner], question: str) -> None:
    """"average sales" on invoice lines names the ratio per invoice; "per transaction" repeats
    its denominator instead of asking for a second ratio (it was declined)."""
    spec = planners["retail"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("sales_amount_per_invoice",)


@pytest.mark.parametrize("question", ["sales by states", "which states had the most sales"])
def test_a_shared_head_said_in_the_plural_is_asked_too(planners: dict[str, OfflinePlanner], question: str) -> None:
    """"states" was an unknown word where "state" asked which state."""
    result = planners["marketplace"].plan(question, as_of=AS_OF)
    assert result.spec is None and len(result.suggestions) == 2 and "customer state" in result.suggestions[0]


@pytest.mark.parametrize("question", ["average review score by product category", "review score by product category",
                                      "avg rating per product category", "平均评分按商品类目"])
def test_a_metric_no_split_reaches_is_never_swapped_for_one_sharing_only_how_it_aggregates(
        planners: dict[str, OfflinePlanner], question: str) -> None:
    """Reviews reach products only through an order's several items: the review score can't be
    split by category. "Average product weight" shares only the word "average" (平均) with it;
    shown in its place it answered another question (with a note nobody reads as 'wrong')."""
    result = planners["marketplace"].plan(question, as_of=AS_OF)
    assert result.spec is None or result.spec.metrics == ("avg_review_score",), result.spec
    reason = result.decline_reason or ""
    assert "Product category" in reason or "产品类别" in reason, reason


@pytest.mark.parametrize("question", ["average review score by order status", "平均评分按订单状态"])
def test_the_review_score_still_splits_where_it_reaches(planners: dict[str, OfflinePlanner], question: str) -> None:
    spec = planners["marketplace"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("avg_review_score",)
    assert [g.name for g in spec.group_by] == ["order_status"]
