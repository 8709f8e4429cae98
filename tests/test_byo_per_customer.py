"""Per-customer metrics on a marketer's own order export: sales per customer, orders per
customer and the repeat purchase rate, drafted wherever purchases name their customer.

"revenue per customer by country", "purchase frequency", "各国家的复购率" were declined on the
UCI Online Retail file ("no ratio of Sales amount to Customers"): the demo model has these
metrics, a drafted one did not. Each answer is checked against pandas on the raw rows."""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from genbi.assistant import AnswerRequest, Assistant
from genbi.eval.byodata.warehouses import build

_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The retail warehouse as one file of order lines, as UCI ships it."""
    folder = tmp_path_factory.mktemp("retail")
    retail = build("retail", folder / "retail.duckdb")
    with duckdb.connect(str(retail), read_only=True) as con:
        frame = con.sql("""SELECT l.invoice_no AS InvoiceNo, l.stock_code AS StockCode, l.quantity AS Quantity,
                                  i.invoice_date AS InvoiceDate, CAST(l.unit_price AS DOUBLE) AS UnitPrice,
                                  i.customer_id AS CustomerID, i.country AS Country
                           FROM invoice_lines l JOIN invoices i USING (invoice_no)""").df()
    (folder / "uci").mkdir()
    path = folder / "uci" / "Online Retail.csv"
    frame.assign(InvoiceDate=frame["InvoiceDate"].dt.strftime("%m/%d/%Y %H:%M")).to_csv(path, index=False)
    return path, frame.assign(amount=frame["Quantity"] * frame["UnitPrice"])


@pytest.fixture(scope="module", params=["one file of lines", "invoices and their lines"])
def chat(request: pytest.FixtureRequest, lines: tuple[Path, pd.DataFrame]) -> Assistant:
    """The same purchases as UCI's one file, and as the warehouse's invoices (customer, country)
    with their lines (the sales): the per-customer metrics are drafted on both."""
    target = lines[0] if request.param == "one file of lines" else lines[0].parent.parent / "retail.duckdb"
    assistant = Assistant.open(target, llm=False)
    yield assistant
    assistant.close()


def _by_country(chat: Assistant, question: str) -> dict[str, float]:
    answer = chat.answer(AnswerRequest(question, session_id=f"pc-{next(_SESSIONS)}"))
    assert answer.spec is not None and not answer.error, (question, answer.narrative)
    assert [g.name for g in answer.spec.group_by] == ["country"], answer.interpretation
    return {str(row[0]): float(row[-1]) for row in answer.rows}


@pytest.mark.parametrize("question", ["revenue per customer by country", "average spend per customer by country",
                                      "各国家的人均消费"])
def test_sales_per_customer(chat: Assistant, lines: tuple[Path, pd.DataFrame], question: str) -> None:
    raw = lines[1]
    per = raw.groupby("Country").agg(sales=("amount", "sum"), people=("CustomerID", "nunique"))
    expected = (per["sales"] / per["people"]).to_dict()
    assert _by_country(chat, question) == pytest.approx(expected)


@pytest.mark.parametrize("question", ["purchase frequency by country", "orders per customer by country",
                                      "各国家的人均订单数"])
def test_orders_per_customer(chat: Assistant, lines: tuple[Path, pd.DataFrame], question: str) -> None:
    raw = lines[1]
    per = raw.groupby("Country").agg(orders=("InvoiceNo", "nunique"), people=("CustomerID", "nunique"))
    assert _by_country(chat, question) == pytest.approx((per["orders"] / per["people"]).to_dict())


@pytest.mark.parametrize("question", ["repeat purchase rate by country", "各国家的复购率", "repeat rate by country"])
def test_repeat_purchase_rate(chat: Assistant, lines: tuple[Path, pd.DataFrame], question: str) -> None:
    raw = lines[1]
    per = raw.groupby(["Country", "CustomerID"])["InvoiceNo"].nunique().reset_index()
    expected = per.groupby("Country")["InvoiceNo"].apply(lambda n: float((n >= 2).mean())).to_dict()
    assert _by_country(chat, question) == pytest.approx(expected)


def test_an_unknown_condition_on_a_per_customer_metric_still_declines(chat: Assistant) -> None:
    answer = chat.answer(AnswerRequest("revenue per customer by country for vip loyalty members",
                                       session_id=f"pc-{next(_SESSIONS)}"))
    assert answer.spec is None and answer.decline is not None, answer.interpretation


def test_suggestions_on_an_export_split_by_few_members_and_skip_row_averages(chat: Assistant) -> None:
    """The UI's examples on the UCI file were 'Quantity by stock code last month' and 'Average
    unit price by description last month': a breakdown of every product, a per-line average."""
    for language in ("en", "zh"):
        suggested = chat.planner.suggestions(language)
        assert len(suggested) == 4, suggested
        said = " ".join(suggested).lower()
        assert "stock code" not in said and "description" not in said and "商品编码" not in said, suggested
        assert "unit price" not in said and "单价" not in said, suggested
