"""A shopper survey export with no dates (Kaggle's 'Customer Shopping Trends' shape) is asked
as marketers ask it: its one purchase amount is the revenue, a column named for what was done
to a thing ('Item Purchased', 'Promo Code Used') is said by the thing, and a yes/no status
('Subscription Status') by its participle ("subscribed customers"). Two files with different
names for the same things, so what passes is the rule."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

SHAPES = {  # role -> column name, per file
    "trends": {"amount": "Purchase Amount (USD)", "item": "Item Purchased", "promo": "Promo Code Used",
               "status": "Subscription Status"},
    "survey": {"amount": "Order Amount", "item": "Product Bought", "promo": "Coupon Redeemed",
               "status": "Subscription Flag"},
}


def _survey(path: Path, names: dict[str, str]) -> pd.DataFrame:
    rng = random.Random(len(path.name))
    frame = pd.DataFrame([{
        "Customer ID": i, "Gender": rng.choice(["Male", "Female"]),
        names["item"]: rng.choice(["Coat", "Boots", "Hat", "Jeans", "Belt"]),
        "Category": rng.choice(["Clothing", "Footwear", "Accessories"]), names["amount"]: rng.randrange(20, 100),
        names["promo"]: rng.choice(["Yes", "No"]), names["status"]: rng.choice(["Yes", "No"]),
        "Season": rng.choice(["Winter", "Summer"])} for i in range(1, 801)])
    frame.to_csv(path, index=False)
    return frame


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_survey_is_asked_in_marketing_words(tmp_path: Path, shape: str) -> None:
    names = SHAPES[shape]
    frame = _survey(tmp_path / f"{shape}.csv", names)
    amount = names["amount"]
    assistant = Assistant.open(tmp_path / f"{shape}.csv", llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        assert rows("revenue by category") == frame.groupby("Category")[amount].sum().to_dict()
        assert rows("各类别的销售额") == frame.groupby("Category")[amount].sum().to_dict()
        top = frame.groupby(names["item"])[amount].sum().nlargest(2)
        assert rows(f"top 2 {'items' if shape == 'trends' else 'products'} by revenue") == top.to_dict()
        yes = frame[frame[names["promo"]] == "Yes"]
        subscribed = frame[frame[names["status"]] == "Yes"]
        promo_phrase = "a promo code" if shape == "trends" else "a coupon"
        verb = "used" if shape == "trends" else "redeemed"
        assert rows(f"how many customers {verb} {promo_phrase}") == {None: len(yes)}
        assert rows("how many subscribed customers") == {None: len(subscribed)}
        assert rows("revenue from subscribed customers by season") == \
            subscribed.groupby("Season")[amount].sum().to_dict()
    finally:
        assistant.warehouse.close()
