"""A marketplace's order report (Kaggle's 'Amazon Sale Report' shape): its one Amount is the
sales of a file named a sales report, 'ship-state' is asked as the state, 'B2B' is one word,
and a category called 'Top' does not take the ranking word ("top 3 states by sales" was
refused as a condition on '3')."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

AS_OF = date(2022, 6, 30)


def _report(path: Path, place: str) -> pd.DataFrame:
    rng = random.Random(len(path.name))
    rows = []
    for i in range(1500):
        day = date(2022, 4, 1) + timedelta(days=rng.randrange(91))
        rows.append({"Order ID": f"405-{i:07d}", "Date": day.strftime("%m-%d-%y"),
                     "Status": rng.choice(["Shipped", "Shipped", "Cancelled"]),
                     "Category": rng.choice(["Top", "Set", "Saree", "kurta"]), "Qty": rng.randrange(1, 3),
                     "Amount": round(rng.uniform(200, 1500), 2), f"{place}-state": rng.choice(["DELHI", "GOA", "KERALA"]),
                     "B2B": rng.random() < 0.05})
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return frame


@pytest.mark.parametrize(("name", "place"), [("Amazon Sale Report.csv", "ship"), ("shop_sales_report.csv", "billing")])
def test_a_sales_report_is_asked_as_sales(tmp_path: Path, name: str, place: str) -> None:
    frame = _report(tmp_path / name, place)
    state = f"{place}-state"
    assistant = Assistant.open(tmp_path / name, as_of=AS_OF, llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, as_of=AS_OF, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        sold = frame[frame["Status"] != "Cancelled"]  # a cancelled order's amount never came in
        assert rows("sales by category") == pytest.approx(sold.groupby("Category")["Amount"].sum().to_dict())
        top = sold.groupby(state)["Amount"].sum().nlargest(2)
        assert rows("top 2 states by sales") == pytest.approx(top.to_dict())
        tops = sold[sold["Category"] == "Top"]["Amount"].sum()
        assert rows("sales of tops") == {None: pytest.approx(tops)}
        assert rows("how many B2B orders") == {None: int(frame["B2B"].sum())}
    finally:
        assistant.warehouse.close()
