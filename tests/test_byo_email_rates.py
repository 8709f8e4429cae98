"""An email campaign report (sends, deliveries, unique opens and clicks, unsubscribes, orders,
revenue per send): the open rate, click rate, click-to-open rate and revenue per email sent are
what a marketer asks of it first. With no rate column in the file they were declined ("I don't
know what 'open', 'rate' refers to"), and "click through rate by segment" even reached a tool
that needs orders. Each is the ratio of the summed columns, checked against pandas."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from genbi.assistant import AnswerRequest, Assistant

_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    rng = np.random.default_rng(3)
    rows = []
    for day in pd.date_range("2025-01-06", "2025-11-24", freq="7D"):
        for name, segment in [("Weekly Newsletter", "All"), ("Winback", "Lapsed"), ("VIP Early Access", "VIP")]:
            sent = int(rng.integers(2000, 20000))
            delivered = int(sent * rng.uniform(0.95, 0.99))
            opens = int(delivered * rng.uniform(0.15, 0.45))
            clicks = int(opens * rng.uniform(0.05, 0.2))
            orders = int(clicks * rng.uniform(0.02, 0.1))
            rows.append({"send_date": day.date(), "campaign_name": name, "audience_segment": segment,
                         "emails_sent": sent, "delivered": delivered, "unique_opens": opens, "unique_clicks": clicks,
                         "unsubscribes": int(delivered * rng.uniform(0, 0.005)), "orders": orders,
                         "revenue": round(orders * rng.uniform(40, 120), 2)})
    frame = pd.DataFrame(rows)
    path = tmp_path_factory.mktemp("email") / "email_campaigns.csv"
    frame.to_csv(path, index=False)
    return path, frame


@pytest.fixture(scope="module")
def chat(report: tuple[Path, pd.DataFrame]) -> Assistant:
    assistant = Assistant.open(report[0], llm=False)
    yield assistant
    assistant.close()


def _by_campaign(chat: Assistant, question: str) -> dict[str, float]:
    answer = chat.answer(AnswerRequest(question, session_id=f"email-{next(_SESSIONS)}"))
    assert answer.spec is not None and not answer.error and answer.tool_call is None, (question, answer.narrative)
    assert len(answer.spec.metrics) == 1 and [g.name for g in answer.spec.group_by] == ["email_campaign"], \
        answer.interpretation
    return {str(row[0]): float(row[-1]) for row in answer.rows}


@pytest.mark.parametrize(("question", "numerator", "denominator"), [
    ("open rate by campaign", "unique_opens", "delivered"),
    ("各活动的打开率", "unique_opens", "delivered"),
    ("click through rate by campaign", "unique_clicks", "delivered"),
    ("ctr by campaign", "unique_clicks", "delivered"),
    ("各活动的点击率", "unique_clicks", "delivered"),
    ("click to open rate by campaign", "unique_clicks", "unique_opens"),
    ("ctor by campaign", "unique_clicks", "unique_opens"),
    ("revenue per email sent by campaign", "revenue", "emails_sent"),
    ("unsubscribe rate by campaign", "unsubscribes", "delivered"),
])
def test_email_rates_are_ratios_of_the_sums(chat: Assistant, report: tuple[Path, pd.DataFrame], question: str,
                                           numerator: str, denominator: str) -> None:
    sums = report[1].groupby("campaign_name")[[numerator, denominator]].sum()
    expected = (sums[numerator] / sums[denominator]).to_dict()
    assert _by_campaign(chat, question) == pytest.approx(expected)


def test_click_rate_by_segment_is_a_metric_not_a_tool(chat: Assistant, report: tuple[Path, pd.DataFrame]) -> None:
    answer = chat.answer(AnswerRequest("click through rate by audience segment", session_id="email-tool"))
    assert answer.tool_call is None and answer.spec is not None, answer.narrative
    sums = report[1].groupby("audience_segment")[["unique_clicks", "delivered"]].sum()
    got = {str(row[0]): float(row[-1]) for row in answer.rows}
    assert got == pytest.approx((sums["unique_clicks"] / sums["delivered"]).to_dict())
