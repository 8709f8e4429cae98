"""A drafted model understands the words marketers use on their own data: a dimension beats
a tool of the same name, sign-ups count an entity by its created/signup date, average order
value is money per header, order ≈ invoice ≈ transaction, and money has no invented currency.

The mart is generated here with names unlike any other test's (clients / orders /
order_items, created_at, placed_on), so what passes is the mechanism, not one schema."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

AS_OF = date(2025, 12, 31)


def _mart(folder: Path) -> Path:
    rng = random.Random(7)
    folder.mkdir()
    clients = [(100 + i, rng.choice(["Austria", "Poland", "Italy"]), date(2024, 1, 1) + timedelta(days=rng.randrange(700)),
                rng.choice(["Retail", "Wholesale"])) for i in range(300)]
    orders = [(f"SO-{i:05d}", rng.choice(clients)[0], date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
               rng.choice(["phone", "shop", "app"])) for i in range(900)]
    items = [(o[0], f"P{rng.randrange(40)}", rng.randrange(1, 6), round(rng.uniform(2, 80), 2))
             for o in orders for _ in range(rng.randrange(1, 4))]
    with duckdb.connect() as connection:
        for name, header, rows in (("clients", "client_id INT, Country TEXT, created_at DATE, segment TEXT", clients),
                                   ("orders", "order_id TEXT, client_id INT, placed_on DATE, channel TEXT", orders),
                                   ("order_items", "order_id TEXT, product_code TEXT, qty INT, unit_price DOUBLE",
                                    items)):
            connection.execute(f"CREATE TABLE {name} ({header})")
            connection.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(rows[0]))})", rows)
            connection.execute(f"COPY {name} TO '{folder / (name + '.csv')}' (HEADER)")
    return folder


@pytest.fixture(scope="module")
def mart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _mart(tmp_path_factory.mktemp("byo") / "mart")


@pytest.fixture()
def assistant(mart: Path) -> Iterator[Assistant]:
    opened = Assistant.open(mart, as_of=AS_OF, llm=False)
    try:
        yield opened
    finally:
        opened.warehouse.close()


def _ask(assistant: Assistant, question: str) -> dict[tuple[object, ...], object]:
    answer = assistant.answer(AnswerRequest(question, as_of=AS_OF, use_cache=False))
    assert answer.decline is None and answer.error is None and answer.tool_call is None, (
        answer.decline, answer.error, answer.tool_call)
    return {tuple(str(v)[:7] for v in row[:-1]): row[-1] for row in answer.rows}


def _gold(mart: Path, sql: str) -> dict[tuple[object, ...], object]:
    with duckdb.connect() as connection:
        for name in ("clients", "orders", "order_items"):
            connection.execute(f"CREATE VIEW {name} AS SELECT * FROM '{mart / (name + '.csv')}'")
        return {tuple(str(v)[:7] for v in row[:-1]): row[-1] for row in connection.execute(sql).fetchall()}


def test_a_dimension_named_like_a_tool_is_a_breakdown(assistant: Assistant, mart: Path) -> None:
    got = _ask(assistant, "how many orders per segment in 2025")
    assert got == _gold(mart, "SELECT c.segment, COUNT(*) FROM orders o JOIN clients c USING (client_id) "
                              "GROUP BY 1")


@pytest.mark.parametrize("question", ["how many clients signed up each month in 2025",
                                      "new sign-ups per month in 2025", "2025年每月新注册客户数"])
def test_signups_count_the_entity_by_its_created_date(assistant: Assistant, mart: Path, question: str) -> None:
    got = _ask(assistant, question)
    gold = _gold(mart, "SELECT date_trunc('month', created_at), COUNT(*) FROM clients "
                       "WHERE year(created_at) = 2025 GROUP BY 1")
    assert got == gold and len(gold) >= 10


@pytest.mark.parametrize("question", ["average order value by channel", "AOV by channel", "客单价按渠道",
                                      "average basket value by channel"])
def test_average_order_value_is_money_per_header(assistant: Assistant, mart: Path, question: str) -> None:
    got = _ask(assistant, question)
    gold = _gold(mart, "SELECT o.channel, SUM(i.qty * i.unit_price) / COUNT(DISTINCT o.order_id) "
                       "FROM orders o JOIN order_items i USING (order_id) GROUP BY 1")
    assert got.keys() == gold.keys()
    assert all(abs(float(got[k]) - float(gold[k])) < 1e-6 for k in gold)  # type: ignore[arg-type]


@pytest.mark.parametrize("question", ["number of transactions in 2025", "how many invoices in 2025", "订单数"])
def test_header_words_mean_the_same_purchase(assistant: Assistant, question: str) -> None:
    assert _ask(assistant, question) == {(): 900}


def test_drafted_money_invents_no_currency(assistant: Assistant) -> None:
    answer = assistant.answer(AnswerRequest("sales by channel", as_of=AS_OF, use_cache=False))
    assert answer.rows and not any(sign in answer.narrative for sign in "¥$€")


def test_the_project_file_names_the_currency(mart: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "genbi.yaml").write_text("currency: €\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GENBI_PROJECT", raising=False)
    monkeypatch.delenv("GENBI_CURRENCY", raising=False)
    opened = Assistant.open(mart, as_of=AS_OF, llm=False)
    try:
        answer = opened.answer(AnswerRequest("sales by channel", as_of=AS_OF, use_cache=False))
    finally:
        opened.warehouse.close()
    assert "€" in answer.narrative


def test_a_tool_the_model_cannot_run_gives_way_to_the_metric_question(tmp_path: Path) -> None:
    """The mart without prices: no money, so no orders for the tools (none can be grouped from
    sales lines either), and "segments: orders by channel" is answered by the metrics. (On the
    mart with prices the customer tools run: their orders are grouped from the lines.)"""
    mart = _mart(tmp_path / "mart")
    with duckdb.connect() as connection:
        connection.execute(f"""COPY (SELECT order_id, product_code, qty FROM '{mart / "order_items.csv"}')
                               TO '{mart / "order_items_new.csv"}' (HEADER)""")
    (mart / "order_items_new.csv").replace(mart / "order_items.csv")
    question = "segments: orders by channel"
    opened = Assistant.open(mart, as_of=AS_OF, llm=False)
    try:
        assert opened.planner is not None
        assert opened.planner.plan(question, as_of=AS_OF).tool_call is not None  # the words name a tool ...
        got = _ask(opened, question)  # ... which needs roles this data has not: the metrics answer
    finally:
        opened.warehouse.close()
    assert got == _gold(mart, "SELECT channel, COUNT(*) FROM orders GROUP BY 1")


def test_a_newer_drafter_drafts_again(mart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from genbi.assistant import workspace

    before = workspace.drafted_model_path(mart)
    monkeypatch.setattr(workspace, "_drafter", lambda: "another drafter")
    assert workspace.drafted_model_path(mart) != before


@pytest.mark.parametrize("amount", ["sales_amount", "amount"])
def test_a_mart_without_a_customer_table_still_knows_who_spends(tmp_path: Path, amount: str) -> None:
    """Was (a drafted invoices export, customers = distinct customer_id on invoices): "which
    country's customers spend the most" ranked countries by head count; with an amount not
    called sales ("Invoice amount", the model's one summed money) it still did."""
    import duckdb

    from genbi.assistant.answer import AnswerRequest
    from genbi.assistant.service import Assistant

    path = tmp_path / "invoices.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE invoices AS SELECT i AS invoice_no, CASE WHEN i % 3 = 0 THEN 200 + i % 2 ELSE 100 + i % 7 END AS customer_id, "
                    "CASE WHEN i % 3 = 0 THEN 'France' ELSE 'Germany' END AS country, "
                    "DATE '2024-01-01' + i::INTEGER AS invoice_date, (CASE WHEN i % 3 = 0 THEN 500 ELSE 10 END)::DOUBLE AS " + amount + " "
                    "FROM range(60) t(i)")
        expected = con.execute("SELECT country FROM invoices GROUP BY country ORDER BY SUM(" + amount + ") DESC LIMIT 1").fetchone()
        most_people = con.execute("SELECT country FROM invoices GROUP BY country "
                                  "ORDER BY COUNT(DISTINCT customer_id) DESC LIMIT 1").fetchone()
    assert expected != most_people  # the two readings give different answers here
    assistant = Assistant.open(path, llm=False)
    try:
        answer = assistant.answer(AnswerRequest("which country's customers spend the most", session_id="byo"))
    finally:
        assistant.close()
    assert not answer.declined, answer.narrative
    assert answer.rows[0][0] == expected[0] and len(answer.rows[0]) == 2, answer.rows
