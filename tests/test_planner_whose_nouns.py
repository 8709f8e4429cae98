"""A count named after another metric with "of" / "for" names whose it is ("revenue of
customers", "sales of invoices"), not a second metric; when that entity's own table has a
column of the measured name ("average unit price of tracks": the track table has a unit price
the model does not measure), the question is declined instead of answered from the other table.
A drafted SQLite model (Chinook-like), zero configuration; words drafted for counts and units."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.eval.byodata.sqlite_dbs import build_database
from genbi.semantic_layer.introspection import check_draft, draft_model
from genbi.semantic_layer.loader import load_model

AS_OF = date(2025, 12, 23)


@pytest.fixture(scope="module")
def chinook(tmp_path_factory: pytest.TempPathFactory) -> OfflinePlanner:
    data = build_database("chinook", tmp_path_factory.mktemp("sqlite"))
    return OfflinePlanner(check_draft(draft_model(data).text))


@pytest.mark.parametrize(("question", "metrics"), [
    ("revenue of customers", ("sales_amount",)),
    ("sales of invoices in 2024", ("sales_amount",)),
    ("how many units were sold in 2023", ("quantity",)),  # "units" is no unit price
    ("units by genre", ("quantity",)),
    ("revenue and customers", ("sales_amount", "customers")),  # listed: both asked
])
def test_a_count_that_says_whose_is_not_a_second_metric(chinook: OfflinePlanner, question: str,
                                                        metrics: tuple[str, ...]) -> None:
    result = chinook.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == metrics


@pytest.mark.parametrize("question", ["average unit price of tracks", "avg unit price for the tracks"])
def test_a_column_the_entity_has_of_its_own_is_not_answered_from_another_table(chinook: OfflinePlanner,
                                                                               question: str) -> None:
    result = chinook.plan(question, as_of=AS_OF)
    assert result.spec is None and result.decline_reason is not None
    assert "track" in result.decline_reason and "unit_price" in result.decline_reason


@pytest.mark.parametrize("question", ["客户总数", "2022年有多少张发票", "发票总数"])
def test_chinese_counts_with_a_measure_word_or_a_total(chinook: OfflinePlanner, question: str) -> None:
    result = chinook.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason


@pytest.mark.parametrize("question", ["revenue from new customers", "新客的客单价"])
def test_a_subset_counted_on_its_own_date_still_declines(question: str) -> None:
    result = OfflinePlanner(load_model()).plan(question, as_of=AS_OF)
    assert result.spec is None and result.decline_reason is not None


def test_drafted_chinese_count_words_never_double_the_suffix(tmp_path: Path) -> None:
    from genbi.semantic_layer.naming import count_words_zh

    assert count_words_zh("客户数") == ["客户数量", "客户总数", "客户"]
    assert count_words_zh("track 数量") == ["track 总数"]


# --- Northwind-like (declared foreign keys, discounted lines, optional dates) --------------------

@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> tuple[OfflinePlanner, Path]:
    data = build_database("northwind", tmp_path_factory.mktemp("nw"))
    return OfflinePlanner(check_draft(draft_model(data).text)), data


def test_declared_foreign_keys_link_tables_named_unlike_their_parent(northwind: tuple[OfflinePlanner, Path]) -> None:
    planner, _ = northwind
    model = planner.model
    assert any(link.column == "ship_via" and link.to == "shippers" for link in model.table("orders").many_to_one)
    spec = planner.plan("orders by shipper", as_of=AS_OF).spec
    assert spec is not None and [g.name for g in spec.group_by] == ["shipper_company"]


def test_line_sales_are_net_of_a_fractional_discount(northwind: tuple[OfflinePlanner, Path]) -> None:
    import sqlite3

    planner, data = northwind
    metric = planner.model.metric("sales_amount")
    measure = planner.model.measure(metric.measure or "")
    assert "discount" in measure.expr
    from genbi.semantic_layer.sources import open_raw

    connection = open_raw(data)
    expr = measure.expr.replace("quantity", "Quantity").replace("unit_price", "UnitPrice").replace("discount", "Discount")
    total = connection.execute(f'SELECT SUM({expr}) FROM "Order Details"').fetchone()[0]
    raw = sqlite3.connect(data).execute('SELECT SUM(UnitPrice * Quantity * (1 - Discount)) FROM "Order Details"').fetchone()[0]
    assert abs(total - raw) < 1e-6 * raw


@pytest.mark.parametrize(("question", "shipped"), [
    ("how many orders have shipped", True), ("orders already shipped", True),
    ("how many orders have not shipped yet", False), ("orders still not shipped", False),
])
def test_an_optional_date_of_an_event_is_also_a_yes_no(northwind: tuple[OfflinePlanner, Path], question: str,
                                                        shipped: bool) -> None:
    spec = northwind[0].plan(question, as_of=AS_OF).spec
    assert spec is not None
    assert [(f.dimension, f.op.value, f.values) for f in spec.filters] == [("shipped", "=", (shipped,))]


@pytest.mark.parametrize("question", ["top 3 customers by sales", "revenue by customer", "各客户的销售额"])
def test_a_split_or_ranking_over_a_counted_noun_uses_its_name(northwind: tuple[OfflinePlanner, Path],
                                                              question: str) -> None:
    spec = northwind[0].plan(question, as_of=AS_OF).spec
    assert spec is not None and [g.name for g in spec.group_by] == ["company"]
    assert spec.metrics == ("sales_amount",)


@pytest.mark.parametrize("question", ["how many customers", "customers by country", "how many customers in 2023"])
def test_a_counted_noun_with_no_split_or_ranking_stays_a_count(northwind: tuple[OfflinePlanner, Path],
                                                               question: str) -> None:
    spec = northwind[0].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("customers",)
    assert "company" not in [g.name for g in spec.group_by]


def test_a_catalog_with_parents_of_its_own_is_counted_and_its_text_flag_filters(
        northwind: tuple[OfflinePlanner, Path]) -> None:
    """Products (40 rows, with a supplier and a category) are no lookup table: "how many products
    are discontinued" counts them, Discontinued kept as text '0'/'1' being a yes/no."""
    spec = northwind[0].plan("how many products are discontinued", as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("products",)
    assert [(f.dimension, f.values) for f in spec.filters] == [("discontinued", (True,))]


# --- Sakila-like (audit stamps, an address chain, a link table, return dates, a film catalog) ---

@pytest.fixture(scope="module")
def sakila(tmp_path_factory: pytest.TempPathFactory) -> OfflinePlanner:
    data = build_database("sakila", tmp_path_factory.mktemp("sk"))
    return OfflinePlanner(check_draft(draft_model(data).text))


def test_last_update_stamps_date_nothing(sakila: OfflinePlanner) -> None:
    """'last_update' on every table is bookkeeping: no lookup table is counted by it, and it is
    no breakdown."""
    model = sakila.model
    assert not any("last_update" in (d.column or "") for d in model.dimensions)
    counted = {model.measure(m.measure).table for m in model.metrics if m.measure}
    assert not counted & {"city", "country", "category"}


@pytest.mark.parametrize(("question", "metric", "groups"), [
    ("revenue by country", "amount", ["country"]),  # payment → customer → address → city → country
    ("customers by country", "customers", ["country"]),
    ("revenue by film category", "amount", ["category"]),  # one breakdown, through the link table
    ("rentals by film rating", "rentals", ["rating"]),
    ("average rental rate by rating", "avg_rental_rate", ["rating"]),  # the catalog's own average
    ("每月的收入", "amount", ["metric_time"]),
])
def test_a_normalised_schema_answers_through_its_links(sakila: OfflinePlanner, question: str, metric: str,
                                                       groups: list[str]) -> None:
    spec = sakila.plan(question, as_of=AS_OF).spec
    assert spec is not None
    assert spec.metrics == (metric,) and [g.name for g in spec.group_by] == groups


@pytest.mark.parametrize(("question", "returned"), [
    ("how many rentals have not been returned", False), ("rentals already returned", True)])
def test_a_return_date_says_returned(sakila: OfflinePlanner, question: str, returned: bool) -> None:
    spec = sakila.plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("rentals",)
    assert [(f.dimension, f.values) for f in spec.filters] == [("returned", (returned,))]
