"""The marketing tools on data whose money is on order lines: the UCI Online Retail file (one row
per line, InvoiceNo repeated, Quantity x UnitPrice, CustomerID, cancellations as negative lines,
lines with no customer), a header with its lines (invoices + invoice_lines) and an Olist-like
marketplace (orders + order_items, the person's id on the customers table).

Before: every tool declined on all three ("This tool needs orders ... genbi found none"). The
orders are now grouped from the model's sales measure (``tools.derived_orders``); RFM's numbers
are checked per customer against pandas on the raw rows, and the same purchases laid out as
one file or as two tables give the same RFM (a metamorphic pair).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from genbi.assistant import AnswerRequest, Assistant
from genbi.eval.byodata.warehouses import build
from genbi.semantic_layer.introspection import check_draft, draft_model
from genbi.tools.base import registered_tools
from genbi.tools.derived_orders import derived_orders
from genbi.tools.roles import RoleSource

_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def retail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build("retail", tmp_path_factory.mktemp("retail") / "retail.duckdb")


@pytest.fixture(scope="module")
def flat(retail: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The retail warehouse as the one file UCI ships, plus what that file also holds: a
    cancelled invoice (negative lines) and lines with no customer."""
    with duckdb.connect(str(retail), read_only=True) as con:
        frame = con.sql("""SELECT l.invoice_no AS InvoiceNo, l.stock_code AS StockCode, l.description AS Description,
                                  l.quantity AS Quantity, i.invoice_date AS InvoiceDate, CAST(l.unit_price AS DOUBLE) AS UnitPrice,
                                  i.customer_id AS CustomerID, i.country AS Country
                           FROM invoice_lines l JOIN invoices i USING (invoice_no)
                           ORDER BY i.invoice_date, l.invoice_no, l.stock_code""").df()
    first = frame.iloc[0]
    cancelled = frame.head(3).assign(InvoiceNo="C" + str(first["InvoiceNo"]), Quantity=lambda f: -f["Quantity"],
                                     InvoiceDate=first["InvoiceDate"] + pd.Timedelta(days=2))
    anonymous = frame.tail(4).assign(InvoiceNo="999999", CustomerID=None)
    raw = pd.concat([frame, cancelled, anonymous], ignore_index=True)
    path = tmp_path_factory.mktemp("uci") / "Online Retail.csv"
    out = raw.assign(InvoiceDate=raw["InvoiceDate"].dt.strftime("%m/%d/%Y %H:%M"))
    out.to_csv(path, index=False)
    return path, raw


def _reference(raw: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """RFM inputs the textbook way: invoices of known customers that add up to more than nothing."""
    lines = raw[raw["CustomerID"].notna()].assign(amount=raw["Quantity"] * raw["UnitPrice"])
    invoices = lines.groupby("InvoiceNo").agg(customer=("CustomerID", "max"), day=("InvoiceDate", "min"),
                                              total=("amount", "sum"))
    invoices = invoices[invoices["total"] > 0]
    per = invoices.groupby("customer").agg(frequency=("total", "size"), monetary=("total", "sum"),
                                           last=("day", "max"))
    per["recency_days"] = [(as_of - pd.Timestamp(d).date()).days for d in per["last"]]
    per.index = per.index.astype(str)
    return per


def _rfm_per_customer(target: Path | str) -> pd.DataFrame:
    """One row per customer from the RFM tool, on the model the chat drafts for ``target``."""
    assistant = Assistant.open(target, llm=False)
    try:
        source = RoleSource.from_model(assistant.model, assistant.warehouse)
        spec = registered_tools()["rfm"]
        result = spec.run(spec.args_model(), source)
        assert result.per_customer is not None
        frame = result.per_customer()
    finally:
        assistant.close()
    frame["customer_id"] = frame["customer_id"].map(_key)
    return frame.set_index("customer_id").sort_index()


def _key(value: object) -> str:
    return str(int(value)) if isinstance(value, float) else str(value)


def test_rfm_on_the_uci_file_is_the_textbook_computation(flat: tuple[Path, pd.DataFrame]) -> None:
    path, raw = flat
    found = _rfm_per_customer(path)
    as_of = pd.Timestamp(raw["InvoiceDate"].max()).date()
    expected = _reference(raw, as_of).sort_index()
    expected.index = [_key(c) for c in expected.index]
    expected = expected.sort_index()
    assert list(found.index) == list(expected.index)
    assert found["frequency"].tolist() == expected["frequency"].tolist()
    assert found["monetary"].to_numpy() == pytest.approx(expected["monetary"].to_numpy(), rel=1e-9)
    assert found["recency_days"].tolist() == expected["recency_days"].tolist()


def test_the_same_purchases_as_a_header_and_its_lines_give_the_same_rfm(retail: Path, flat: tuple[Path, pd.DataFrame]) -> None:
    lines = _rfm_per_customer(retail)
    one_file = _rfm_per_customer(flat[0])
    # the file adds a cancellation (net of it, no purchase) and no-one's lines: the same customers, numbers
    assert list(lines.index) == list(one_file.index)
    assert lines["frequency"].tolist() == one_file["frequency"].tolist()
    assert lines["monetary"].to_numpy() == pytest.approx(one_file["monetary"].to_numpy(), rel=1e-9)


def test_a_marketplace_counts_the_person_not_each_orders_customer_row(tmp_path: Path) -> None:
    """Olist gives every order its own customer_id; the person is customer_unique_id."""
    path = build("marketplace", tmp_path / "marketplace.duckdb")
    found = _rfm_per_customer(path)
    with duckdb.connect(str(path), read_only=True) as con:
        expected = con.sql("""SELECT c.customer_unique_id AS person, COUNT(*) AS frequency, SUM(total) AS monetary
            FROM (SELECT o.order_id, ANY_VALUE(o.customer_id) AS customer_id, SUM(i.price) AS total
                  FROM order_items i JOIN orders o USING (order_id) GROUP BY o.order_id HAVING SUM(i.price) > 0) t
            JOIN customers c USING (customer_id) GROUP BY 1 ORDER BY 1""").df().set_index("person")
    assert list(found.index) == list(expected.index.astype(str))
    assert found["frequency"].tolist() == expected["frequency"].tolist()
    assert found["monetary"].to_numpy() == pytest.approx(expected["monetary"].to_numpy(), rel=1e-9)
    assert (found["frequency"] > 1).any()  # counted by each order's customer row, no one bought twice


@pytest.mark.parametrize("name", ["star", "saas", "insurance"])
def test_no_orders_are_made_up_where_the_money_has_no_order(tmp_path: Path, name: str) -> None:
    """A star schema's date is a calendar (grouped by it, each day was 'an order'); a subscription
    export and an insurance CRM have no purchases: the tools keep saying what they need."""
    model = check_draft(draft_model(build(name, tmp_path / f"{name}.duckdb")).text)
    assert derived_orders(model) is None


def test_a_model_with_its_own_orders_keeps_them(tmp_path: Path) -> None:
    from genbi.semantic_layer.loader import load_model

    assert derived_orders(load_model()) is None


@pytest.fixture(scope="module")
def chat(flat: tuple[Path, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(tmp_path_factory.mktemp("home")))
        patch.delenv("GENBI_DB", raising=False)
        opened = Assistant.open(flat[0], llm=False)
        yield opened
        opened.close()


@pytest.mark.parametrize("question, tool", [
    ("rfm segments", "rfm"), ("RFM分析", "rfm"), ("monthly cohort retention", "cohort_retention"),
    ("customer lifetime value", "clv"), ("which customers are likely to churn", "churn_risk"),
    ("customer lifecycle stages", "lifecycle"),
])
def test_every_customer_tool_answers_in_the_chat_on_the_uci_file(chat: Assistant, question: str, tool: str) -> None:
    answer = chat.answer(AnswerRequest(question, session_id=f"uci-{next(_SESSIONS)}"))
    assert answer.tool_call is not None and answer.tool_call.name == tool, answer.narrative
    assert not answer.error and not answer.declined and answer.rows, answer.error or answer.narrative
    assert answer.chart is not None or tool in ("churn_risk",)


def test_the_rfm_answer_counts_every_known_buyer_once(chat: Assistant, flat: tuple[Path, pd.DataFrame]) -> None:
    answer = chat.answer(AnswerRequest("rfm analysis", session_id=f"uci-{next(_SESSIONS)}"))
    table = answer.extras["tool_result"].table
    raw = flat[1]
    expected = _reference(raw, pd.Timestamp(raw["InvoiceDate"].max()).date())
    assert int(table["customers"].sum()) == len(expected)
    assert float(table["revenue"].sum()) == pytest.approx(expected["monetary"].sum(), rel=1e-9)


def test_lines_keyed_by_their_rows_are_still_lines(tmp_path: Path) -> None:
    """Superstore's export numbers its rows ('Row ID') beside the 'Order ID' each line belongs to:
    drafted as a table of orders keyed by row, RFM counted lines as orders (Champions "21.98 orders"
    against 5 for every customer). Each customer's orders and spend are now pandas' on the raw rows."""
    import byo11_public_datasets

    path, _ = byo11_public_datasets.build("superstore", tmp_path)
    raw = pd.read_csv(path, encoding="cp1252")
    shared = raw.groupby("Order ID")["Customer ID"].transform("nunique") > 1  # the lookalike's rare id collision
    raw.loc[shared, "Order ID"] = raw.loc[shared, "Order ID"] + "-" + raw.loc[shared, "Customer ID"]
    raw.to_csv(path, index=False, encoding="cp1252")
    found = _rfm_per_customer(path)
    bought = raw[raw["Sales"] > 0]
    per = bought.groupby("Customer ID").agg(frequency=("Order ID", "nunique"), monetary=("Sales", "sum"))
    per.index = [_key(c) for c in per.index]
    per = per.sort_index()
    assert list(found.index) == list(per.index)
    assert found["frequency"].tolist() == per["frequency"].tolist()
    assert found["monetary"].to_numpy() == pytest.approx(per["monetary"].to_numpy(), rel=1e-9)


def test_a_line_export_is_grouped_by_the_column_the_model_counts_orders_by(tmp_path: Path) -> None:
    """Shopify's orders_export repeats the order's 'Name' (#1001) on each line and also has a
    'Receipt Number' (POS receipts, mostly blank): the orders are what the model counts as orders."""
    from genbi.eval.byodata.exports import build_file

    model = check_draft(draft_model(build_file("shopify", tmp_path)).text)
    found = derived_orders(model)
    assert found is not None
    assert '"orders_export"."name" AS order_id' in found.sql
    assert "financial_status" in found.sql  # the sales measure's own filter: voided and refunded orders stay out


def test_explain_change_by_default_explains_the_datas_last_month_of_its_sales(flat: tuple[Path, pd.DataFrame]) -> None:
    """With no period and no metric, the CLI explained the month before today with the model's
    first metric: on a file ending in 2011 that is "no quantity in 2026-10" (an error)."""
    assistant = Assistant.open(flat[0], llm=False)
    try:
        source = RoleSource.from_model(assistant.model, assistant.warehouse)
        spec = registered_tools()["explain_change"]
        result = spec.run(spec.args_model(), source)
    finally:
        assistant.close()
    assert result.facts["metric"] == "sales_amount"
    assert result.facts["period"] == ["2011-11-01", "2011-11-30"], result.facts["period"]


@pytest.mark.parametrize("question", ["write an sms for our champions", "给重要价值客户写一条短信"])
def test_copy_on_the_uci_file_is_written_from_its_products(chat: Assistant, question: str) -> None:
    """Before: "Copy needs products" (no order lines were known). The lines are the file's rows,
    the products its StockCode and Description."""
    answer = chat.answer(AnswerRequest(question, session_id=f"uci-{next(_SESSIONS)}"))
    assert answer.tool_call is not None and answer.tool_call.name == "generate_copy"
    assert not answer.error, answer.error
    facts = answer.extras["tool_result"].facts
    # the catalogue's capitals in the case a customer reads
    assert facts["passed"] >= 1 and "Box of 6 Assorted Colour Teaspoons" in facts["facts_used"].values(), facts
    # someone else's data: never signed with the demo's brand; a placeholder the answer points out
    signature = "【品牌名】" if facts["language"] == "zh" else "[Brand]:"
    texts = [v["text"] for v in facts["variants"]]
    assert facts["brand_placeholder"] and all(t.startswith(signature) for t in texts), texts
    assert "Lumière" not in answer.narrative and "GENBI_BRAND" in answer.narrative, answer.narrative


def test_copy_on_a_drafted_model_is_signed_with_the_brand_set(chat: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENBI_BRAND", "Acme")
    answer = chat.answer(AnswerRequest("write an sms for our champions", session_id=f"uci-{next(_SESSIONS)}"))
    facts = answer.extras["tool_result"].facts
    assert not facts["brand_placeholder"] and all(v["text"].startswith("Acme:") for v in facts["variants"]), facts


def test_an_email_needs_a_category_and_says_so(chat: Assistant) -> None:
    answer = chat.answer(AnswerRequest("write an email for our champions", session_id=f"uci-{next(_SESSIONS)}"))
    assert answer.error and "category" in answer.error and "SMS" in answer.error


def test_copy_on_a_marketplace_names_its_categories(tmp_path_factory: pytest.TempPathFactory) -> None:
    path = build("marketplace", tmp_path_factory.mktemp("market") / "marketplace.duckdb")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(tmp_path_factory.mktemp("home")))
        assistant = Assistant.open(path, llm=False)
        try:
            answer = assistant.answer(AnswerRequest("write an email for our champions", session_id="market"))
        finally:
            assistant.close()
    assert not answer.error, answer.error
    with duckdb.connect(str(path), read_only=True) as con:
        categories = {r[0] for r in con.execute("SELECT DISTINCT product_category_name FROM products").fetchall()}
    assert any(c in answer.narrative for c in categories), answer.narrative


def test_the_olist_files_as_kaggle_names_them(tmp_path: Path) -> None:
    """olist_orders_dataset, olist_order_items_dataset, olist_customers_dataset, olist_products_dataset:
    the person behind each order's customer_id, and the products' categories for the copy."""
    from genbi.eval.byodata.exports import build_file

    folder = build_file("olist", tmp_path)
    model = check_draft(draft_model(folder).text)
    found = derived_orders(model)
    assert found is not None
    assert "customer_unique_id" in found.sql
    assert found.roles["product_category"] == "olist_products_dataset.product_category_name"


def test_a_payments_export_counts_only_what_was_paid(tmp_path: Path) -> None:
    """A Stripe-like payments file keyed by charge: its drafted revenue leaves failed and refunded
    charges out, so it got no order roles (the tools would have summed every row) and every tool
    declined. The orders are now the paid charges, as the chat's revenue counts them."""
    import numpy as np

    rng = np.random.default_rng(3)
    n = 1500
    frame = pd.DataFrame({
        "id": [f"ch_{i:06d}" for i in range(n)],
        "Created (UTC)": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 500 * 24, n), unit="h"),
        "Amount": np.round(rng.gamma(2, 40, n), 2),
        "Status": rng.choice(["Paid", "Refunded", "Failed"], n, p=[0.85, 0.1, 0.05]),
        "Customer ID": [f"cus_{c:04d}" for c in rng.integers(1, 300, n)],
    })
    path = tmp_path / "payments.csv"
    frame.to_csv(path, index=False)
    found = _rfm_per_customer(path)
    paid = frame[frame["Status"] == "Paid"].groupby("Customer ID")["Amount"].agg(["size", "sum"]).sort_index()
    assert list(found.index) == list(paid.index)
    assert found["frequency"].tolist() == paid["size"].tolist()
    assert found["monetary"].to_numpy() == pytest.approx(paid["sum"].to_numpy(), rel=1e-9)


@pytest.mark.parametrize("question", ["各国家有多少客户", "德国有多少个客户", "how many customers in germany"])
def test_customers_said_plainly_count_the_distinct_customers_of_a_line_file(chat: Assistant, question: str) -> None:
    """The line file counts customers as distinct CustomerID; "客户" alone was not a word of that
    count ("我不理解问题中的“客户”"), only 客户数 was."""
    answer = chat.answer(AnswerRequest(question, session_id=f"uci-{next(_SESSIONS)}"))
    assert answer.spec is not None and answer.spec.metrics == ("customers",), answer.narrative


@pytest.mark.parametrize("question, metric", [
    ("how many invoices", "invoices"), ("how many orders last month", "invoices"), ("订单数", "invoices"),
    ("average order value by country", "sales_amount_per_invoice"),
])
def test_online_retail_ii_names_its_invoices_invoice(flat: tuple[Path, pd.DataFrame], tmp_path: Path,
                                                       question: str, metric: str) -> None:
    """Online Retail II calls the invoice number 'Invoice' (no 'No'), the price 'Price' and the
    customer 'Customer ID': the invoices were not counted ("how many invoices" was declined)."""
    raw = flat[1].rename(columns={"InvoiceNo": "Invoice", "UnitPrice": "Price", "CustomerID": "Customer ID"})
    path = tmp_path / "online_retail_II.csv"
    raw.assign(InvoiceDate=raw["InvoiceDate"].dt.strftime("%Y-%m-%d %H:%M:%S")).to_csv(path, index=False)
    model = check_draft(draft_model(path).text)
    from genbi.assistant.planner.planner import OfflinePlanner

    spec = OfflinePlanner(model).plan(question, as_of=date(2011, 12, 9)).spec
    assert spec is not None and spec.metrics == (metric,)
    assert derived_orders(model) is not None


def test_a_ledgers_rows_without_money_are_no_purchases(tmp_path: Path) -> None:
    """A points ledger drafted as the orders (one row per transaction, a purchase amount): its
    redemptions and expiries carry no money. They counted as orders: RFM frequency 7.52 where
    the members made 5.36 purchases on average, and two members who only redeemed were buyers."""
    from tests.byo_ad_reports import loyalty

    raw = loyalty(tmp_path / "points_ledger.csv")
    found = _rfm_per_customer(tmp_path / "points_ledger.csv")
    bought = raw[raw["purchase_amount"] > 0].groupby("member_id").agg(frequency=("txn_id", "size"),
                                                                       monetary=("purchase_amount", "sum"))
    assert list(found.index) == sorted(bought.index)
    assert found["frequency"].tolist() == bought.sort_index()["frequency"].tolist()
    assert found["monetary"].round(2).tolist() == bought.sort_index()["monetary"].round(2).tolist()


def test_an_order_file_with_personal_columns_still_runs_the_tools(tmp_path: Path) -> None:
    """The order table read as its purchases selects only what the roles name: reading every
    column passed the orders' phone and email to the guard, which refused the whole tool."""
    rows = [{"order_id": n, "customer_id": n % 37, "order_date": date(2024, 1, 1 + n % 28).isoformat(),
             "amount": 0.0 if n % 5 == 0 else float(10 + n % 13), "phone": f"1380000{n % 37:04d}",
             "email": f"user{n % 37}@example.com"} for n in range(1, 400)]
    raw = pd.DataFrame(rows)
    raw.to_csv(tmp_path / "orders.csv", index=False)
    found = _rfm_per_customer(tmp_path / "orders.csv")
    bought = raw[raw["amount"] > 0].groupby("customer_id")["order_id"].size()
    bought.index = bought.index.astype(str)
    assert found["frequency"].to_dict() == bought.sort_index().to_dict()


def test_an_app_database_with_its_lines_and_catalogue_gives_the_copy_its_products(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Purchases carry the money and a status; their products are on purchase_items (no price),
    priced in products (session 19, an app database in Postgres). Before: "Copy needs products"
    (the lines were looked for on the purchases themselves, and needed a price of their own)."""
    import numpy as np

    rng = np.random.default_rng(5)
    folder = tmp_path_factory.mktemp("app")
    users = pd.DataFrame({"user_id": range(1, 301), "created_at": pd.Timestamp("2024-01-01")
                          + pd.to_timedelta(rng.integers(0, 500, 300), unit="D")})
    purchases = pd.DataFrame({"purchase_id": range(1, 1201), "user_id": rng.integers(1, 301, 1200),
                              "purchased_at": pd.Timestamp("2024-02-01")
                              + pd.to_timedelta(rng.integers(0, 500 * 86400, 1200), unit="s"),
                              "total_usd": np.round(rng.gamma(3, 18, 1200), 2),
                              "status": rng.choice(["paid"] * 9 + ["cancelled"], 1200)})
    products = pd.DataFrame({"sku": [f"SK{i}" for i in range(12)], "product_name": [f"Item {i}" for i in range(12)],
                             "category": ["serum", "cleanser", "mask"] * 4, "unit_price": rng.integers(10, 60, 12) * 1.0})
    items = pd.DataFrame({"purchase_id": np.repeat(purchases["purchase_id"], 2).to_numpy(),
                          "sku": rng.choice(products["sku"], 2400), "qty": rng.integers(1, 3, 2400)})
    for name, frame in [("users", users), ("purchases", purchases), ("products", products), ("purchase_items", items)]:
        frame.to_csv(folder / f"{name}.csv", index=False)
    assistant = Assistant.open(folder, llm=False)
    try:
        derived = derived_orders(assistant.model)
        assert derived is not None
        assert {"order_item_product", "order_item_price", "product_category"} <= set(derived.roles), derived.roles
        lines = derived.roles["order_item_entity"]
        with duckdb.connect() as con:
            for name in ("products", "purchase_items"):
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv_auto('{folder / (name + '.csv')}')")
            got = con.execute(f"SELECT SUM(quantity * unit_price) FROM ({derived.tables[lines]})").fetchone()
        priced = items.merge(products, on="sku")
        assert got is not None and float(got[0]) == pytest.approx(float((priced["qty"] * priced["unit_price"]).sum()))
        answer = assistant.answer(AnswerRequest("write an email for our champions", session_id="app-copy"))
        assert answer.tool_call is not None and answer.tool_call.name == "generate_copy"
        assert not answer.error, answer.error
        facts = answer.extras["tool_result"].facts
        assert facts["passed"] >= 1 and set(facts["facts_used"].values()) & {"serum", "cleanser", "mask", "Serum",
                                                                            "Cleanser", "Mask"}, facts["facts_used"]
    finally:
        assistant.close()
