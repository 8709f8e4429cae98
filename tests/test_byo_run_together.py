"""Headers that run their words together in one case ('ORDERNUMBER', 'QUANTITYORDERED',
'PRODUCTLINE', 'dealsize'), as Kaggle's sample sales export and many ERP dumps have them, are
read word by word: the order number counts orders (it was summed as a metric), the product
line is a breakdown, the quantity is the units."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.semantic_layer import naming

AS_OF = date(2025, 12, 31)


@pytest.mark.parametrize(("header", "expected"), [
    ("ORDERNUMBER", ["order", "number"]), ("QUANTITYORDERED", ["quantity", "ordered"]),
    ("PRICEEACH", ["price", "each"]), ("ORDERLINENUMBER", ["order", "line", "number"]),
    ("PRODUCTLINE", ["product", "line"]), ("CUSTOMERNAME", ["customer", "name"]),
    ("CONTACTLASTNAME", ["contact", "last", "name"]), ("dealsize", ["deal", "size"]),
    ("ADDRESSLINE1", ["address", "line", "1"]), ("postalcode", ["postal", "code"]),
    ("pageviews", ["page", "views"]),
])
def test_words_run_together_are_told_apart(header: str, expected: list[str]) -> None:
    assert naming.words(header) == expected


@pytest.mark.parametrize("word", ["timestamp", "revenue", "discount", "customers", "impressions", "campaign",
                                  "membership", "weekend", "birthday", "SALESPERSON", "Description", "category"])
def test_one_word_stays_one(word: str) -> None:
    assert naming.words(word) == [word.lower()]


def _export(path: Path) -> pd.DataFrame:
    rng = random.Random(11)
    rows = []
    for number in range(5000, 5400):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
        client, status = rng.choice(["Acme Toys", "Bolt Gifts", "Cove Models", "Dune Hobby"]), \
            rng.choices(["Shipped", "Cancelled", "On Hold"], [90, 6, 4])[0]
        for line in range(1, rng.randrange(2, 6)):
            units, each = rng.randrange(10, 50), round(rng.uniform(20, 90), 2)
            rows.append({"INVOICENUMBER": number, "UNITSORDERED": units, "PRICEEACH": each,
                         "INVOICELINENUMBER": line, "SALES": round(units * each, 2),
                         "INVOICEDATE": f"{day.month}/{day.day}/{day.year} 0:00", "STATUS": status,
                         "PRODUCTLINE": rng.choice(["Planes", "Ships", "Trains"]), "CLIENTNAME": client,
                         "DEALSIZE": "Small" if units * each < 1500 else "Large"})
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return frame


def test_an_export_with_run_together_headers_answers(tmp_path: Path) -> None:
    frame = _export(tmp_path / "export.csv")
    year = pd.to_datetime(frame["INVOICEDATE"], format="%m/%d/%Y %H:%M").dt.year
    assistant = Assistant.open(tmp_path / "export.csv", as_of=AS_OF, llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, as_of=AS_OF, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        assert rows("how many invoices in 2025") == {None: frame[year == 2025]["INVOICENUMBER"].nunique()}
        sold = frame[frame["STATUS"] != "Cancelled"]  # a cancelled order's sales never came in
        assert rows("sales by product line") == pytest.approx(sold.groupby("PRODUCTLINE")["SALES"].sum().to_dict())
        assert rows("sales by deal size") == pytest.approx(sold.groupby("DEALSIZE")["SALES"].sum().to_dict())
        assert rows("units ordered in 2024") == {None: frame[year == 2024]["UNITSORDERED"].sum()}
        cancelled = frame[frame["STATUS"] == "Cancelled"].groupby("CLIENTNAME")["INVOICENUMBER"].nunique()
        assert rows("cancelled invoices by client") == cancelled.to_dict()
        top = sold.groupby("CLIENTNAME")["SALES"].sum().nlargest(2)
        assert rows("top 2 clients by sales") == pytest.approx(top.to_dict())
    finally:
        assistant.warehouse.close()
