"""Drafting the shapes of eval/byodata/more_shapes.py, each mechanism on more than one shape:
an event log (REES46, a GA4-style export), data with no calendar date (Instacart, dunnhumby,
a POS export with week numbers), a table describing only some of a key's values, column
prefixes and surrogate keys (TPC-DS, TPC-H), Y/N flags, codes named as entities."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer import naming
from genbi.semantic_layer.introspection import check_draft, draft_model
from genbi.semantic_layer.model import SemanticModel

AS_OF = date(2025, 1, 1)


def _write(folder: Path, name: str, header: list[str], rows: list[list[Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _ga4_events(folder: Path) -> Path:
    """A GA4-style event export: event_name page_view / add_to_cart / purchase, a value on every row."""
    rows = []
    for n in range(600):
        user = f"u{n % 90}"
        name = ["page_view", "page_view", "add_to_cart", "purchase", "session_start"][n % 5]
        rows.append([f"2024-07-{1 + n % 28:02d} {n % 24:02d}:10:00", name, user, round(10 + n % 17 * 3.5, 2),
                     ["Acme", "Globex", "Initech"][n % 3]])
    _write(folder, "events_export.csv", ["event_timestamp", "event_name", "user_pseudo_id", "value", "item_brand"], rows)
    return folder / "events_export.csv"


def _pos_weeks(folder: Path) -> Path:
    """A POS export with week numbers and no calendar: tickets, their lines, products."""
    _write(folder, "products.csv", ["product_id", "category"], [[p, ["Food", "Drink", "Home"][p % 3]] for p in range(1, 31)])
    _write(folder, "tickets.csv", ["ticket_id", "store", "week_no", "ticket_hour"],
           [[t, 1 + t % 4, 1 + t % 12, 8 + t % 12] for t in range(1, 301)])
    _write(folder, "ticket_lines.csv", ["ticket_id", "product_id", "qty", "amount"],
           [[1 + n % 300, 1 + n * 7 % 30, 1 + n % 3, round(2.5 + n % 11, 2)] for n in range(1200)])
    return folder


def _members(folder: Path) -> Path:
    """Orders of every customer, and a loyalty file describing only the members among them."""
    _write(folder, "orders.csv", ["order_id", "customer_id", "order_date", "amount"],
           [[o, 1 + o % 50, f"2024-0{1 + o % 9}-1{o % 10}", 20 + o % 13] for o in range(1, 401)])
    _write(folder, "loyalty_members.csv", ["customer_id", "tier_desc", "joined_flag"],
           [[c, ["Gold", "Silver"][c % 2], "Y" if c % 4 > 1 else "N"] for c in range(1, 51, 3)])
    return folder


def _tpch(folder: Path) -> Path:
    """TPC-H's naming: every column with its table's initial ('o_orderkey', 'l_orderkey')."""
    _write(folder, "customer.csv", ["c_custkey", "c_name", "c_mktsegment"],
           [[c, f"Customer#{c:09d}", ["BUILDING", "AUTOMOBILE", "MACHINERY"][c % 3]] for c in range(1, 61)])
    _write(folder, "orders.csv", ["o_orderkey", "o_custkey", "o_orderdate", "o_totalprice", "o_orderpriority"],
           [[o, 1 + o % 60, f"1995-0{1 + o % 9}-2{o % 8}", 100.0 + o, ["1-URGENT", "2-HIGH", "5-LOW"][o % 3]]
            for o in range(1, 301)])
    _write(folder, "lineitem.csv", ["l_orderkey", "l_linenumber", "l_quantity", "l_discount", "l_returnflag"],
           [[1 + n % 300, 1 + n // 300, 1 + n % 40, round(n % 10 / 100, 2), ["N", "R", "A"][n % 3]] for n in range(900)])
    return folder


def _rossmann(folder: Path) -> Path:
    """Rossmann's train.csv: 'Store' is which store (a code), 'Customers' how many came (a count)."""
    rows = [[1 + n % 40, 1 + n % 7, f"2015-07-{1 + n % 28:02d}", 3000 + n * 7 % 5000, 300 + n % 400, 1, n % 2]
            for n in range(800)]
    _write(folder, "train.csv", ["Store", "DayOfWeek", "Date", "Sales", "Customers", "Open", "Promo"], rows)
    return folder / "train.csv"


def _shipped(name: str, folder: Path) -> Path:
    from genbi.eval.byodata.exports import build_file

    return build_file(name, folder)


def _model(source: Path) -> SemanticModel:
    return check_draft(draft_model(source).text)


def _plan(model: SemanticModel, question: str) -> Any:
    return OfflinePlanner(model).plan(question, as_of=AS_OF)


# --- an event log -----------------------------------------------------------------------------

@pytest.mark.parametrize(("shape", "purchase"), [("rees46", "purchase"), ("2019-Oct.csv", "purchase"),
                                                  ("ga4", "purchase")])
def test_an_event_logs_revenue_is_the_price_of_its_purchases(tmp_path: Path, shape: str, purchase: str) -> None:
    """REES46 as one file ('events.csv'; a month's download is named '2019-Oct.csv') and a GA4-style export."""
    source = _ga4_events(tmp_path) if shape == "ga4" else _shipped("rees46", tmp_path)
    if shape.endswith(".csv"):
        source = source.rename(source.with_name(shape))
    model = _model(source)
    revenue = model.measure(model.metric("revenue").measure or "")
    assert revenue.agg.value == "sum" and f"= '{purchase}' THEN" in revenue.expr  # a viewed item's price was never paid
    buyers = model.measure(model.metric("buyers").measure or "")
    assert buyers.agg.value == "count_distinct" and f"= '{purchase}' THEN" in buyers.expr
    assert model.metric("events").label == "Events"
    spec = _plan(model, "how many purchases").spec
    assert spec is not None and spec.metrics == ("purchase_events",)
    ratio = _plan(model, "purchases per view").spec
    assert ratio is not None and ratio.metrics == ("purchases_per_view",)
    assert _plan(model, "total revenue by brand").spec is not None


# --- no calendar date anywhere ----------------------------------------------------------------

@pytest.mark.parametrize(("shape", "question", "metric", "group"), [
    ("instacart", "how many orders", "orders", []),
    ("instacart", "orders by day of week", "orders", ["order_day_of_week"]),  # order_dow 0-6, no date
    ("instacart", "number of orders by hour of day", "orders", ["order_hour_of_day"]),
    ("instacart", "reorder rate by department", "reordered_rate", ["department"]),
    ("instacart", "top 5 aisles by items ordered", "order_product_priors", ["aisle"]),
    ("dunnhumby", "total sales", "sales_value", []),
    ("dunnhumby", "sales by week number", "sales_value", ["week_number"]),
    ("dunnhumby", "how many baskets", "baskets", []),
    ("pos", "total amount by week number", "amount", ["week_number"]),
    ("pos", "tickets by hour", "tickets", ["ticket_hour"]),
])
def test_data_without_a_calendar_counts_sums_and_splits_by_its_own_columns(
        tmp_path: Path, shape: str, question: str, metric: str, group: list[str]) -> None:
    source = _pos_weeks(tmp_path / "pos") if shape == "pos" else _shipped(shape, tmp_path)
    model = _model(source)
    spec = _plan(model, question).spec
    assert spec is not None, _plan(model, question).decline_reason
    assert spec.metrics == (metric,) and [g.name for g in spec.group_by] == group
    assert spec.time_range is None


@pytest.mark.parametrize(("shape", "question"), [("instacart", "orders last month"), ("dunnhumby", "sales in 2019"),
                                                 ("pos", "total amount last week")])
def test_data_without_a_calendar_declines_a_period(tmp_path: Path, genbi_home: Path, shape: str,
                                                   question: str) -> None:
    from genbi.assistant import AnswerRequest, Assistant

    source = _pos_weeks(tmp_path / "pos") if shape == "pos" else _shipped(shape, tmp_path)
    assistant = Assistant.open(source, llm=False)
    try:
        answer = assistant.answer(AnswerRequest(question=question, use_cache=False))
    finally:
        assistant.close()
    assert answer.decline is not None and "date" in answer.decline.reason, (answer.decline, answer.sql)


# --- joins and keys ---------------------------------------------------------------------------

@pytest.mark.parametrize(("shape", "child", "parent"), [("dunnhumby", "transaction_data", "hh_demographic"),
                                                         ("members", "orders", "loyalty_members")])
def test_a_table_describing_some_of_a_keys_values_is_joined(tmp_path: Path, shape: str, child: str,
                                                             parent: str) -> None:
    source = _members(tmp_path / "m") if shape == "members" else _shipped(shape, tmp_path)
    draft = draft_model(source)
    model = check_draft(draft.text)
    assert parent in [r.to for r in model.table(child).many_to_one]
    assert any("only some" in line and parent in line for line in draft.report)


@pytest.mark.parametrize(("shape", "joins"), [
    ("tpcds", {("store_sales", "sold_date_sk", "date_dim"), ("store_sales", "item_sk", "item"),
               ("customer", "current_addr_sk", "customer_address")}),
    ("tpch", {("lineitem", "orderkey", "orders"), ("orders", "custkey", "customer")}),
])
def test_a_tables_column_prefix_is_no_word_and_surrogate_keys_join(tmp_path: Path, shape: str,
                                                                   joins: set[tuple[str, str, str]]) -> None:
    source = _tpch(tmp_path / "h") if shape == "tpch" else _shipped(shape, tmp_path)
    model = _model(source)
    found = {(t.name, r.column, r.to) for t in model.tables for r in t.many_to_one}
    assert joins <= found
    summed = {model.measure(m.measure or "").expr for m in model.metrics if m.measure
              and model.measure(m.measure).agg.value in ("sum", "avg")}
    assert not any(e.endswith(("_sk", "key", "number")) for e in summed)  # keys and line numbers are never summed
    assert not any(model.measure(m.measure or "").table == "date_dim" for m in model.metrics if m.measure)


@pytest.mark.parametrize(("shape", "dimension", "expr"), [("tpcds", "weekend", "weekend = 'Y'"),
                                                          ("members", "joined_flag", "joined_flag = 'Y'")])
def test_a_y_n_text_column_is_a_flag(tmp_path: Path, shape: str, dimension: str, expr: str) -> None:
    source = _members(tmp_path / "m") if shape == "members" else _shipped(shape, tmp_path)
    found = _model(source).dimension(dimension)
    assert found.type.value == "boolean" and found.expr == expr


# --- what a number column is ------------------------------------------------------------------

@pytest.mark.parametrize(("shape", "code", "count"), [("dunnhumby", "manufacturer", "sales_value"),
                                                      ("rossmann", "store", "customers")])
def test_a_number_named_as_one_entity_is_a_code_not_an_amount(tmp_path: Path, shape: str, code: str,
                                                               count: str) -> None:
    source = _rossmann(tmp_path / "r") if shape == "rossmann" else _shipped(shape, tmp_path)
    model = _model(source)
    summed = {model.measure(m.measure or "").expr for m in model.metrics if m.measure}
    assert code not in summed and count in summed  # 'Customers' (plural) stays a count


@pytest.mark.parametrize(("shape", "label", "column"), [("dunnhumby", "Age", "age_desc"),
                                                        ("members", "Tier", "tier_desc")])
def test_a_desc_column_of_categories_is_said_as_the_thing(tmp_path: Path, shape: str, label: str, column: str) -> None:
    source = _members(tmp_path / "m") if shape == "members" else _shipped(shape, tmp_path)
    assert any(d.label == label and d.column == column for d in _model(source).dimensions)


@pytest.mark.parametrize(("name", "id_like"), [("ss_net_paid", False), ("amount_paid", False), ("CustID", True),
                                               ("ss_item_sk", True), ("void", False), ("l_linenumber", True),
                                               ("o_custkey", True), ("monkey", False)])
def test_words_ending_in_id_are_not_all_identifiers(name: str, id_like: bool) -> None:
    assert naming.is_id_like(name) is id_like


def _erp_lines(folder: Path) -> Path:
    """An ERP's sales lines: 'Unit Price' per unit, 'Extended Price' the line's price × quantity."""
    _write(folder, "sales_lines.csv", ["Order Number", "Order Date", "Item", "Quantity", "Unit Price", "Extended Price"],
           [[f"SO{n // 4:05d}", f"2024-0{1 + n % 9}-1{n % 10}", f"Item {n % 25}", 1 + n % 6, 9.5, 9.5 * (1 + n % 6)]
            for n in range(400)])
    return folder / "sales_lines.csv"


@pytest.mark.parametrize(("shape", "metric"), [("tpcds", "ext_sales_price"), ("erp", "extended_price")])
def test_an_extended_price_is_the_lines_sales(tmp_path: Path, shape: str, metric: str) -> None:
    model = _model(_erp_lines(tmp_path / "e") if shape == "erp" else _shipped(shape, tmp_path))
    extended = model.measure(model.metric(metric).measure or "")
    assert extended.agg.value == "sum"  # a price × quantity: summed, never averaged
    spec = _plan(model, "total sales").spec
    assert spec is not None and spec.metrics == (metric,)


@pytest.mark.parametrize(("shape", "question", "metric", "group"), [
    ("instacart", "orders by department", "orders_order_products_prior", ["department"]),  # distinct orders, not items
    ("pos", "tickets by category", "tickets_ticket_lines", ["category"]),
])
def test_headers_split_by_their_lines_products_are_counted_once_each(
        tmp_path: Path, shape: str, question: str, metric: str, group: list[str]) -> None:
    source = _pos_weeks(tmp_path / "pos") if shape == "pos" else _shipped(shape, tmp_path)
    model = _model(source)
    spec = _plan(model, question).spec
    assert spec is not None and spec.metrics == (metric,) and [g.name for g in spec.group_by] == group
    assert model.measure(model.metric(metric).measure or "").agg.value == "count_distinct"


def _catalog(folder: Path) -> Path:
    """A product file whose 'Description' is the product (Online Retail's)."""
    _write(folder, "products.csv", ["StockCode", "Description", "Category Desc"],
           [[f"8{p:04d}", f"WHITE MUG {p}", ["KITCHEN", "GARDEN"][p % 2]] for p in range(80)])
    _write(folder, "sales.csv", ["InvoiceNo", "StockCode", "InvoiceDate", "Quantity", "UnitPrice"],
           [[f"5{n // 3:05d}", f"8{n % 80:04d}", f"2011-0{1 + n % 9}-1{n % 10} 10:00", 1 + n % 5, 2.5]
            for n in range(600)])
    return folder


@pytest.mark.parametrize(("shape", "column", "product"), [("dunnhumby", "commodity_desc", False),
                                                          ("catalog", "category_desc", False),
                                                          ("catalog", "description", True)])
def test_a_description_is_the_product_only_when_it_describes_the_product(tmp_path: Path, shape: str, column: str,
                                                                         product: bool) -> None:
    source = _catalog(tmp_path / "c") if shape == "catalog" else _shipped(shape, tmp_path)
    found = next(d for d in _model(source).dimensions if d.column == column)
    assert ("product" in found.synonyms) is product


@pytest.mark.parametrize("shape", ["instacart", "pos"])
def test_a_decline_on_data_without_a_calendar_suggests_no_period(tmp_path: Path, shape: str) -> None:
    source = _pos_weeks(tmp_path / "pos") if shape == "pos" else _shipped(shape, tmp_path)
    planner = OfflinePlanner(_model(source))
    result = planner.plan("what is the weather like", as_of=AS_OF)
    assert result.spec is None and result.suggestions
    assert not any("last month" in s for s in result.suggestions)
    assert all(planner.plan(s, as_of=AS_OF).spec is not None for s in result.suggestions)


def _shop_without_dates(folder: Path) -> Path:
    """Orders and their lines with no date anywhere, and a product file holding the stock."""
    _write(folder, "products.csv", ["ProductID", "ProductName", "UnitPrice", "UnitsInStock"],
           [[p, f"Product {p}", 2.0 + p, 100 + p * 3] for p in range(1, 41)])
    _write(folder, "orders.csv", ["OrderID", "CustomerID", "ShipCountry"],
           [[o, f"C{o % 30:03d}", ["Germany", "France", "Spain"][o % 3]] for o in range(1, 201)])
    _write(folder, "order_details.csv", ["OrderID", "ProductID", "Quantity", "LineTotal"],
           [[1 + n % 200, 1 + n * 7 % 40, 1 + n % 9, 5.0 * (1 + n % 9)] for n in range(700)])
    return folder


@pytest.mark.parametrize(("shape", "question", "table"), [("shop", "units sold", "order_details"),
                                                          ("dunnhumby", "units sold", "transaction_data")])
def test_with_no_calendar_a_catalogs_numbers_are_averaged_never_summed(tmp_path: Path, shape: str, question: str,
                                                                      table: str) -> None:
    source = _shop_without_dates(tmp_path / "s") if shape == "shop" else _shipped(shape, tmp_path)
    model = _model(source)
    spec = _plan(model, question).spec
    assert spec is not None and model.measure(model.metric(spec.metrics[0]).measure or "").table == table
    catalog = {model.measure(m.measure or "").agg.value for m in model.metrics if m.measure
               and model.measure(m.measure).table in ("products", "product")}
    assert catalog <= {"avg", "count"}  # 'UnitsInStock' is averaged, never summed as units sold


def _sequenced_orders(folder: Path) -> Path:
    """Orders keyed by order_id with each customer's running 'order_number' (1st, 2nd ...)."""
    _write(folder, "orders.csv", ["order_id", "customer_id", "order_number", "order_date", "amount"],
           [[1000 + o, 1 + o % 40, 1 + o // 40, f"2024-0{1 + o % 9}-1{o % 10}", 10 + o % 7] for o in range(400)])
    return folder


@pytest.mark.parametrize("shape", ["instacart", "sequenced"])
def test_a_running_order_number_on_orders_keyed_by_their_id_counts_no_orders(tmp_path: Path, shape: str) -> None:
    source = _sequenced_orders(tmp_path / "s") if shape == "sequenced" else _shipped(shape, tmp_path)
    model = _model(source)
    spec = _plan(model, "how many orders").spec
    assert spec is not None and spec.metrics == ("orders",)
    orders = model.measure(model.metric("orders").measure or "")
    assert (orders.agg.value, orders.expr) == ("count", "order_id")
