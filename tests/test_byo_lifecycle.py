"""Lifecycle files marketers bring: an app's subscriptions (a start date, an optional
cancellation date, MRR) and a loyalty points ledger (earn / redeem / expire entries, points
signed).

Before: "cancellations by month", "new subscriptions by month" and "churn rate" were declined
(the last with a tool's role error), "subscribers by country" was refused as social-media
followers, "total MRR" summed the cancelled subscriptions' MRR too (59,239.87 for 42,562.82); "total points earned" summed every entry (314,728 net for 534,535 earned) and
"points redeemed", "how many redemptions", "points balance", "各门店的积分" were declined."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

SUBSCRIPTIONS = {
    "app": {"id": "user_id", "plan": "plan", "start": "start_date", "end": "cancelled_at", "mrr": "mrr",
            "country": "country", "file": "subscriptions.csv"},
    "billing": {"id": "Subscription ID", "plan": "Plan Name", "start": "Started", "end": "Canceled On", "mrr": "MRR",
                "country": "Billing Country", "file": "recurly_export.csv"},
}


def _subscriptions(path: Path, names: dict[str, str]) -> pd.DataFrame:
    rng = random.Random(len(path.name))
    rows = []
    for i in range(1, 1201):
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 600))
        end = start + timedelta(days=rng.randrange(20, 400)) if rng.random() < 0.4 else None
        end = end if end and end <= date(2024, 9, 30) else None
        rows.append({names["id"]: f"S{i:05d}", names["plan"]: rng.choice(["Basic", "Pro", "Team"]),
                     names["country"]: rng.choice(["US", "UK", "DE"]), names["start"]: start.isoformat(),
                     names["end"]: end.isoformat() if end else "", names["mrr"]: rng.choice([9.99, 29.0, 99.0])})
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return frame


@pytest.mark.parametrize("shape", sorted(SUBSCRIPTIONS))
def test_a_subscriptions_file_counts_cancellations_when_they_happened(tmp_path: Path, shape: str) -> None:
    names = SUBSCRIPTIONS[shape]
    frame = _subscriptions(tmp_path / names["file"], names)
    ended = frame[frame[names["end"]] != ""]
    ended = ended[ended[names["end"]].notna()]
    assistant = Assistant.open(tmp_path / names["file"], llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {str(row[0])[:7] if len(row) > 1 else None: row[-1] for row in answer.rows}

        by_end = ended.groupby(ended[names["end"]].str[:7]).size().to_dict()
        assert rows("cancellations by month") == by_end
        assert rows("how many cancellations in 2024") == {None: int((ended[names["end"]].str[:4] == "2024").sum())}
        assert rows("new subscriptions by month") == frame.groupby(frame[names["start"]].str[:7]).size().to_dict()
        assert rows("churn rate") == {None: pytest.approx(len(ended) / len(frame))}
        churn = (ended.groupby(names["plan"]).size() / frame.groupby(names["plan"]).size()).to_dict()
        assert rows("churn rate by plan") == pytest.approx(churn)
        assert rows("subscribers by country") == frame.groupby(names["country"]).size().to_dict()
        assert rows("各套餐的订阅数") == frame.groupby(names["plan"]).size().to_dict()
        live = frame[~frame.index.isin(ended.index)]
        assert rows("total MRR") == {None: pytest.approx(live[names["mrr"]].sum())}
        assert rows("MRR by plan") == pytest.approx(live.groupby(names["plan"])[names["mrr"]].sum().to_dict())
    finally:
        assistant.warehouse.close()


LEDGERS = {
    "pos": {"member": "member_id", "kind": "txn_type", "points": "points", "store": "store", "date": "txn_date", "by": ("store", "门店"),
            "kinds": ("earn", "redeem", "expire"), "file": "points_ledger.csv"},
    "crm": {"member": "Loyalty Number", "kind": "Activity", "points": "Points", "store": "Location",
            "date": "Activity Date", "by": ("location", "地点"), "kinds": ("Earned", "Redeemed", "Expired"), "file": "loyalty_activity.csv"},
}


@pytest.mark.parametrize("shape", sorted(LEDGERS))
def test_a_points_ledger_says_earned_and_redeemed(tmp_path: Path, shape: str) -> None:
    names = LEDGERS[shape]
    rng = random.Random(len(shape))
    earn, redeem, expire = names["kinds"]
    rows = []
    for _ in range(1500):
        kind = rng.choices([earn, redeem, expire], [70, 25, 5])[0]
        points = rng.randrange(10, 500)
        rows.append({names["member"]: f"M{rng.randrange(1, 300):04d}", names["kind"]: kind,
                     names["points"]: points if kind == earn else -points,
                     names["store"]: rng.choice(["Downtown", "Mall", "Online"]),
                     names["date"]: (date(2024, 1, 1) + timedelta(days=rng.randrange(0, 270))).isoformat()})
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / names["file"], index=False)
    assistant = Assistant.open(tmp_path / names["file"], llm=False)
    try:
        def rows_of(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        earned, redeemed = frame[frame[names["kind"]] == earn], frame[frame[names["kind"]] == redeem]
        assert rows_of("total points earned") == {None: earned[names["points"]].sum()}
        assert rows_of(f"points earned by {names['by'][0]}") == earned.groupby(names["store"])[names["points"]].sum().to_dict()
        assert rows_of("points redeemed") == {None: redeemed[names["points"]].sum()}
        assert rows_of("how many redemptions") == {None: len(redeemed)}
        assert rows_of("points balance") == {None: frame[names["points"]].sum()}
        assert rows_of(f"各{names['by'][1]}的积分") == frame.groupby(names["store"])[names["points"]].sum().to_dict()
    finally:
        assistant.warehouse.close()
