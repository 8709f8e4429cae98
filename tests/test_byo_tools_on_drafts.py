"""The marketing tools on a marketer's own orders export, asked in the chat, zero configuration.

Before: a drafted model had no semantic roles, so every tool declined on the user's own data
("The semantic model declares no role 'order_entity'"), and a tool answer whose customers are
keyed by text ("C-0042", a Chinese export's 客户名称) crashed the chat (``int('李四')`` when
remembering "these customers"). The numbers are checked against pandas on the same file.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from genbi.assistant import AnswerRequest, Assistant
from genbi.semantic_layer.introspection import draft_model

_SESSIONS = itertools.count()


def _orders(seed: int = 7, n: int = 3000, text_ids: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    customer = rng.integers(1, 501, n)
    return pd.DataFrame({
        "Order ID": [f"SO-{100000 + i}" for i in range(n)],
        "Customer ID": [f"C-{c:04d}" for c in customer] if text_ids else customer,
        "Order Date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "Channel": rng.choice(["Online", "Store", "Marketplace"], n),
        "Amount": np.round(rng.gamma(2.0, 60.0, n), 2),
        "Shipping Fee": np.round(rng.uniform(0, 15, n), 2),
    })


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("orders_export")
    frame = _orders()
    frame.to_csv(folder / "orders.csv", index=False)
    return folder / "orders.csv", frame


@pytest.fixture(scope="module")
def assistant(export: tuple[Path, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(tmp_path_factory.mktemp("home")))
        patch.delenv("GENBI_DB", raising=False)
        opened = Assistant.open(export[0], llm=False)
        yield opened
        opened.close()


def _ask(assistant: Assistant, *questions: str) -> list[Any]:
    session = f"byo-tools-{next(_SESSIONS)}"
    return [assistant.answer(AnswerRequest(q, session_id=session)) for q in questions]


def test_the_draft_names_the_orders_roles(export: tuple[Path, pd.DataFrame]) -> None:
    roles = yaml.safe_load(draft_model(export[0]).text)["roles"]
    assert roles == {"order_entity": "orders", "order_id": "orders.order_id", "order_time": "orders.order_date",
                     "order_customer": "orders.customer_id", "order_revenue": "orders.amount"}


def test_rfm_in_the_chat_counts_every_buyer_and_their_money(assistant: Assistant,
                                                            export: tuple[Path, pd.DataFrame]) -> None:
    (answer,) = _ask(assistant, "rfm analysis")
    assert answer.tool_call is not None and not answer.error and not answer.declined
    table = answer.extras["tool_result"].table
    frame = export[1]
    assert int(table["customers"].sum()) == frame["Customer ID"].nunique()
    assert float(table["revenue"].sum()) == pytest.approx(frame["Amount"].sum(), rel=1e-9)


@pytest.mark.parametrize("question", ["monthly retention cohorts", "predicted CLV", "customer lifecycle",
                                      "churn risk", "lookalikes of our champions", "RFM分析"])
def test_each_customer_tool_answers_or_says_why_in_words(assistant: Assistant, question: str) -> None:
    (answer,) = _ask(assistant, question)
    assert answer.tool_call is not None
    problem = answer.error or (answer.narrative if answer.declined else "")
    assert "role '" not in problem.split("(")[0], problem  # never only a role name
    assert answer.rows or problem


def test_customers_keyed_by_text_can_be_saved_as_an_audience(assistant: Assistant) -> None:
    segment, saved = _ask(assistant, "how many champions", "save these customers as top buyers")
    assert not segment.error and not saved.declined, saved.narrative
    (listed,) = _ask(assistant, "list my audiences")
    assert any("top buyers" in str(row).lower() for row in listed.rows)


def test_order_lines_get_no_order_roles(tmp_path: Path) -> None:
    """An export with a row per order line (the order number repeats) is no table of orders:
    the tools would count each line as an order."""
    frame = _orders(n=600)
    lines = pd.concat([frame, frame.assign(Amount=frame["Amount"] / 2)], ignore_index=True)
    lines.to_csv(tmp_path / "order_lines.csv", index=False)
    assert not yaml.safe_load(draft_model(tmp_path / "order_lines.csv").text).get("roles")


def test_a_sum_kept_to_paid_rows_or_a_cost_is_not_the_order_amount(tmp_path: Path) -> None:
    frame = _orders(n=600).drop(columns=["Amount"])
    frame.to_csv(tmp_path / "fees_only.csv", index=False)  # the one sum of money is a fee
    assert not yaml.safe_load(draft_model(tmp_path / "fees_only.csv").text).get("roles")


def test_copy_from_data_without_products_is_refused_not_written_with_blanks(assistant: Assistant) -> None:
    """Before: "The  you love is ready when you are!", "Your  misses you", marked failed but shown."""
    for question in ("write an sms for champions", "write an email to win back at risk customers",
                     "给重要价值客户写一条短信"):
        (answer,) = _ask(assistant, question)
        assert answer.error and "product" in answer.error, (question, answer.narrative)
        assert not answer.rows


def test_no_order_roles_where_the_drafts_sales_leave_rows_out() -> None:
    """A draft whose revenue sums paid rows only (refunds left out) gets no order roles: the
    tools sum every row and would disagree with the chat's revenue."""
    from genbi.semantic_layer.drafted_roles import draft_roles

    table = {"name": "payments", "primary_key": "id",
             "columns": [{"name": n} for n in ("id", "customer_email", "created", "amount", "status")]}
    measures = [{"name": "amount_m", "table": "payments", "agg": "sum", "expr": "amount", "time": "payments.created"},
                {"name": "paid_m", "table": "payments", "agg": "sum", "expr": "amount", "time": "payments.created",
                 "filter": "status = 'succeeded'"}]
    metrics = [{"name": "amount", "type": "simple", "measure": "amount_m", "format": "currency", "synonyms": []},
               {"name": "revenue", "type": "simple", "measure": "paid_m", "format": "currency", "synonyms": ["sales"]}]
    assert draft_roles({"tables": [table], "measures": measures, "metrics": metrics}) == {}
    unfiltered = [dict(measures[1], filter=None)]
    roles = draft_roles({"tables": [table], "measures": unfiltered,
                         "metrics": [dict(metrics[1], measure="paid_m")]})
    assert roles["order_customer"] == "payments.customer_email" and roles["order_revenue"] == "payments.amount"



def test_a_folder_of_customers_and_orders_drafts_the_order_roles_only(tmp_path: Path) -> None:
    """Customer roles would change how a drafted model's words are read ("sales of invoices"):
    the orders' roles are what the tools need."""
    rng = np.random.default_rng(3)
    customers = pd.DataFrame({"customer_id": np.arange(1, 801), "city": rng.choice(["Beijing", "Shanghai"], 800)})
    orders = pd.DataFrame({"order_id": np.arange(10001, 14001), "customer_id": rng.integers(1, 701, 4000),
                           "order_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, 4000), unit="D"),
                           "total": np.round(rng.gamma(2.0, 80.0, 4000), 2)})
    customers.to_csv(tmp_path / "customers.csv", index=False)
    orders.to_csv(tmp_path / "orders.csv", index=False)
    roles = yaml.safe_load(draft_model(tmp_path).text)["roles"]
    assert roles["order_customer"] == "orders.customer_id" and "customer_entity" not in roles
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(tmp_path / "home"))
        opened = Assistant.open(tmp_path, llm=False)
        try:
            (rfm,) = _ask(opened, "rfm analysis")
        finally:
            opened.close()
    assert int(rfm.extras["tool_result"].table["customers"].sum()) == orders["customer_id"].nunique()


def test_a_tool_that_cannot_run_says_why_in_the_questions_language(tmp_path: Path) -> None:
    """"RFM分析" on a shop's daily totals (no customers) answered in English: "This tool needs orders"."""
    days = pd.date_range("2024-01-01", periods=120, freq="D")
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "channel": ["tmall", "jd"] * 60,
                  "sales": np.arange(120) * 10.0 + 5}).to_csv(tmp_path / "daily_sales.csv", index=False)
    assistant = Assistant.open(tmp_path / "daily_sales.csv", llm=False)
    try:
        zh = assistant.answer(AnswerRequest(question="RFM分析"))
        en = assistant.answer(AnswerRequest(question="rfm analysis"))
    finally:
        assistant.close()
    said_zh, said_en = zh.error or zh.narrative, en.error or en.narrative
    assert "这个工具需要订单" in said_zh and "This tool needs" not in said_zh, said_zh
    assert "This tool needs orders" in said_en, said_en
    assert not zh.rows and not en.rows
