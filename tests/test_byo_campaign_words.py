"""A per-customer campaign export (Kaggle's digital marketing conversion shape): a 0/1
'Conversion' counts the conversions ("how many conversions" answered the customers' previous
purchases, 8,936 for 1,749), a count of e-mail opens is a number to sum, not personal data
(it was refused as an address), and CTR is the click-through rate."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.semantic_layer.guard import model_policy

SHAPES = {
    "camel": {"outcome": "Conversion", "opens": "EmailOpens", "ctr": "ClickThroughRate", "channel": "CampaignChannel",
              "phone": "Phone", "email": "Email"},
    "snake": {"outcome": "response", "opens": "email_opens_count", "ctr": "click_through_rate", "channel": "channel",
              "phone": "mobile_number", "email": "email_address"},
}


def _export(path: Path, names: dict[str, str]) -> pd.DataFrame:
    rng = random.Random(len(path.name))
    frame = pd.DataFrame([{
        "CustomerID": i, names["channel"]: rng.choice(["Email", "PPC", "SEO"]),
        names["ctr"]: round(rng.uniform(0.01, 0.3), 4), names["opens"]: rng.randrange(0, 20),
        "PreviousPurchases": rng.randrange(0, 10), names["phone"]: rng.randrange(13_000_000_000, 13_999_999_999),
        names["email"]: f"user{i}@example.com", names["outcome"]: rng.choice([0, 1, 1])} for i in range(1, 601)])
    frame.to_csv(path, index=False)
    return frame


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_campaign_export_counts_conversions_and_opens(tmp_path: Path, shape: str) -> None:
    names = SHAPES[shape]
    frame = _export(tmp_path / f"{shape}.csv", names)
    assistant = Assistant.open(tmp_path / f"{shape}.csv", llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        outcome = "conversions" if shape == "camel" else "responses"
        assert rows(f"how many {outcome}") == {None: frame[names["outcome"]].sum()}
        assert rows(f"{outcome} by channel") == frame.groupby(names["channel"])[names["outcome"]].sum().to_dict()
        assert rows("email opens by channel") == frame.groupby(names["channel"])[names["opens"]].sum().to_dict()
        ctr = frame.groupby(names["channel"])[names["ctr"]].mean().to_dict()
        assert rows("average CTR by channel") == pytest.approx(ctr)
        private = {c for columns in model_policy(assistant.model).private.values() for c in columns}
        assert names["phone"].lower() in private and names["email"].lower() in private
        assert names["opens"].lower() not in private
    finally:
        assistant.warehouse.close()
