"""A CRM contacts export with a date for when each contact became a customer (HubSpot's
'Became a Customer Date'): "how many customers did we win last month", "new customers by month",
"conversion rate to customer by source" were declined ("I don't know what 'win' refers to"):
the date was read as a date alone. The rows that became customers are counted on that date,
and their share of all contacts (by when each was created) is the conversion rate; each
answer is checked against pandas on the raw rows."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from genbi.assistant import AnswerRequest, Assistant

_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def contacts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    rng = np.random.default_rng(11)
    n = 2000
    created = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    stage = rng.choice(["Lead", "MQL", "SQL", "Customer"], n, p=[0.45, 0.25, 0.15, 0.15])
    won = pd.Series(created + pd.to_timedelta(rng.integers(5, 40, n), unit="D")).where(stage == "Customer")
    frame = pd.DataFrame({"Record ID": np.arange(100001, 100001 + n),
                          "Create Date": created.strftime("%Y-%m-%d %H:%M"), "Lifecycle Stage": stage,
                          "Original Source": rng.choice(["Organic Search", "Paid Search", "Paid Social", "Referrals"], n),
                          "Became a Customer Date": won.dt.strftime("%Y-%m-%d %H:%M")})
    path = tmp_path_factory.mktemp("crm") / "hubspot-crm-exports-all-contacts-2025-12-01.csv"  # HubSpot's name
    frame.to_csv(path, index=False)
    return path, frame


@pytest.fixture(scope="module")
def chat(contacts: tuple[Path, pd.DataFrame]) -> Assistant:
    assistant = Assistant.open(contacts[0], llm=False)
    yield assistant
    assistant.close()


def _ask(chat: Assistant, question: str) -> list[tuple[object, ...]]:
    answer = chat.answer(AnswerRequest(question, session_id=f"crm-{next(_SESSIONS)}"))
    assert answer.spec is not None and not answer.error and answer.tool_call is None, (question, answer.narrative)
    assert len(answer.spec.metrics) == 1, answer.interpretation
    return [tuple(row) for row in answer.rows]


@pytest.mark.parametrize("question", ["conversion rate to customer by original source", "customer conversion rate by source",
                                      "各来源的客户转化率"])
def test_conversion_rate_is_the_share_that_became_customers(chat: Assistant, contacts: tuple[Path, pd.DataFrame],
                                                            question: str) -> None:
    raw = contacts[1]
    expected = raw.groupby("Original Source")["Became a Customer Date"].agg(lambda s: s.notna().mean())
    got = {str(row[0]): float(row[-1]) for row in _ask(chat, question)}  # type: ignore[arg-type]
    assert got == pytest.approx(expected.to_dict())


@pytest.mark.parametrize("question", ["new customers by month", "customers won by month", "每月新增客户数"])
def test_customers_won_are_counted_on_the_day_they_became_one(chat: Assistant, contacts: tuple[Path, pd.DataFrame],
                                                             question: str) -> None:
    became = pd.to_datetime(contacts[1]["Became a Customer Date"]).dropna()
    expected = became.dt.strftime("%Y-%m").value_counts().to_dict()
    got = {str(row[0])[:7]: int(row[-1]) for row in _ask(chat, question)}  # type: ignore[call-overload]
    assert got == expected


def test_how_many_customers_did_we_win_in_a_month(chat: Assistant, contacts: tuple[Path, pd.DataFrame]) -> None:
    became = pd.to_datetime(contacts[1]["Became a Customer Date"])
    expected = int(((became >= "2025-06-01") & (became < "2025-07-01")).sum())
    assert _ask(chat, "how many customers did we win in june 2025") == [(expected,)]


def test_contacts_are_still_every_row(chat: Assistant, contacts: tuple[Path, pd.DataFrame]) -> None:
    expected = contacts[1].groupby("Original Source").size().to_dict()
    got = {str(row[0]): int(row[-1]) for row in _ask(chat, "contacts by original source")}  # type: ignore[call-overload]
    assert got == expected
