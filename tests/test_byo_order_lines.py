"""A flat file of order lines keyed by a row number counts orders, not lines.

Superstore's 'Orders' sheet has one row per order line: 'Row ID' is the key and 'Order ID'
repeats on every line of an order. Counting its rows as "orders" answered 2,150 where there
were 886 orders. The files here are generated with other names and sizes (an invoice number,
a row number named 'line no', a table named after the shop) so what passes is the rule."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

AS_OF = date(2025, 12, 31)

SHAPES = [  # (file name, row key, repeated number, what a row is called, what the number counts)
    ("Orders.csv", "Row ID", "Order ID", "order lines", "orders"),
    ("Sample - Corner Shop.csv", "Row ID", "Order ID", "order lines", "orders"),
    ("invoices.csv", "Line No", "Invoice No", "invoice lines", "invoices"),
]


def _lines(path: Path, key: str, number: str) -> pd.DataFrame:
    rng = random.Random(len(path.name))
    rows = []
    for order in range(400):
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
        region = rng.choice(["North", "South", "West"])
        for _ in range(rng.randrange(1, 5)):
            rows.append({number: f"CA-2025-{order:05d}", "Order Date": day.isoformat(), "Region": region,
                         "Sales": round(rng.uniform(5, 500), 2), "Quantity": rng.randrange(1, 6)})
    frame = pd.DataFrame(rows)
    frame.insert(0, key, range(1, len(frame) + 1))
    frame.to_csv(path, index=False)
    return frame


@pytest.mark.parametrize(("name", "key", "number", "lines", "counted"), SHAPES)
def test_rows_are_lines_and_orders_are_the_distinct_numbers(tmp_path: Path, name: str, key: str, number: str,
                                                           lines: str, counted: str) -> None:
    frame = _lines(tmp_path / name, key, number)
    assistant = Assistant.open(tmp_path / name, as_of=AS_OF, llm=False)
    try:
        def one(question: str) -> object:
            answer = assistant.answer(AnswerRequest(question, as_of=AS_OF, use_cache=False))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return answer.rows[0][-1]

        assert one(f"how many {counted} in 2025") == frame[number].nunique()
        assert one(f"number of {lines} in 2025") == len(frame)
        by_region = assistant.answer(AnswerRequest(f"{counted} by region", as_of=AS_OF, use_cache=False))
        assert dict(by_region.rows) == frame.groupby("Region")[number].nunique().to_dict()
    finally:
        assistant.warehouse.close()
