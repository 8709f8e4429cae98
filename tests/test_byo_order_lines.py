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
            answer = assistant.answer(AnswerRequest(question, as_of=AS_OF, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return answer.rows[0][-1]

        assert one(f"how many {counted} in 2025") == frame[number].nunique()
        assert one(f"number of {lines} in 2025") == len(frame)
        by_region = assistant.answer(AnswerRequest(f"{counted} by region", as_of=AS_OF, use_cache=False,
                                                   session_id="by region"))
        assert dict(by_region.rows) == frame.groupby("Region")[number].nunique().to_dict()
    finally:
        assistant.warehouse.close()


def _workbook(folder: Path, *, excel: bool) -> tuple[Path, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Superstore's workbook shape under other names: order lines, a sheet listing the
    returned orders (its key is the order number, 1 in 10 orders), and one manager per region
    (keyed by the region's name, no id)."""
    lines = _lines(folder / "lines.csv", "Row ID", "Order ID")
    (folder / "lines.csv").unlink()
    orders = lines["Order ID"].drop_duplicates()
    returns = pd.DataFrame({"Returned": "Yes", "Order ID": orders.iloc[::10].to_numpy()})
    people = pd.DataFrame({"Manager": ["Ann Lee", "Bo Chan", "Cy Diaz"], "Region": ["North", "South", "West"]})
    sheets = {"Orders": lines, "Returns": returns, "People": people}
    if excel:
        path = folder / "Shop Workbook.xlsx"
        with pd.ExcelWriter(path) as writer:
            for name, frame in sheets.items():
                frame.to_excel(writer, sheet_name=name, index=False)
    else:
        path = folder / "shop"
        path.mkdir()
        for name, frame in sheets.items():
            frame.to_csv(path / f"{name}.csv", index=False)
    return path, lines, returns, people


@pytest.mark.parametrize("excel", [False, True], ids=["csv folder", "excel workbook"])
def test_a_sheet_listing_some_orders_and_a_lookup_by_name_are_joined(tmp_path: Path, excel: bool) -> None:
    path, lines, returns, people = _workbook(tmp_path, excel=excel)
    returned = lines[lines["Order ID"].isin(returns["Order ID"])]
    assistant = Assistant.open(path, as_of=AS_OF, llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, as_of=AS_OF, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        assert rows("how many orders were returned") == {None: returns["Order ID"].nunique()}
        assert rows("how many orders in 2025") == {None: lines["Order ID"].nunique()}
        by_region = rows("returned sales by region")
        assert by_region == pytest.approx(returned.groupby("Region")["Sales"].sum().to_dict())
        managers = lines.merge(people, on="Region").groupby("Manager")["Sales"].sum().to_dict()
        assert rows("sales by manager") == pytest.approx(managers)
        assert rows("sales by region") == pytest.approx(lines.groupby("Region")["Sales"].sum().to_dict())
        per_order = lines["Sales"].sum() / lines["Order ID"].nunique()
        assert rows("average order value") == {None: pytest.approx(per_order)}
    finally:
        assistant.warehouse.close()
