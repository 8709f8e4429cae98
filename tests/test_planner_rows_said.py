"""Which rows a number covers, said with the words of a count or a yes/no.

"revenue of attributed orders by channel" was read as two metrics, all revenue beside a count
of attributed orders; "monthly fee of cancelled subscriptions by plan" the same on a drafted
file: the fee of every subscription under a heading that named the cancelled ones. A count of
some of a table's rows said as whose another metric is keeps those rows (through the yes/no
that keeps the same ones), or declines when no yes/no does.

"各城市vip客户的销售额" (each city's sales from its VIP customers) was split by VIP and the city
dropped: a yes/no said right after a split with no word between says which rows, while "各城市
和vip" (with "和") still lists two splits. Each answer is checked against SQL on the raw rows."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from planner_support import declines, spec_of

from genbi.assistant import AnswerRequest, Assistant
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec

_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _filters(spec: QuerySpec) -> dict[str, tuple[object, ...]]:
    return {f.dimension: f.values for f in spec.filters}


@pytest.mark.parametrize(("question", "split"), [
    ("revenue of attributed orders by channel", {"channel"}),
    ("revenue from attributed orders by channel", {"channel"}),
    ("revenue for the attributed orders", set()),
    ("average order value of attributed orders by city", {"city"}),
])
def test_a_count_said_of_the_rows_keeps_them(planner: OfflinePlanner, question: str, split: set[str]) -> None:
    spec = spec_of(planner, question)
    assert "attributed_orders" not in spec.metrics, spec.metrics
    assert _filters(spec) == {"is_attributed": (True,)}, question
    assert {g.name for g in spec.group_by} == split


@pytest.mark.parametrize("question", ["各设备2025年完成购买的会话数", "有加购的会话数"])
def test_the_rows_of_a_plain_count_are_left_to_it(planner: OfflinePlanner, question: str) -> None:
    """"加购的会话数": the sessions with an add-to-cart, one number (a step's sessions, or the
    sessions with that event), not declined for the step's count said before the plain one."""
    assert len(spec_of(planner, question).metrics) == 1


@pytest.mark.parametrize("question", ["revenue and attributed orders by channel", "attributed orders by channel",
                                      "revenue, attributed orders by channel"])
def test_a_count_listed_beside_a_metric_stays_a_metric(planner: OfflinePlanner, question: str) -> None:
    assert "attributed_orders" in spec_of(planner, question).metrics


@pytest.mark.parametrize(("question", "split", "vip"), [
    ("各城市vip客户的销售额", {"city"}, True),
    ("各渠道vip的销售额", {"channel"}, True),
    ("各城市非vip客户的销售额", {"city"}, False),
    ("vip客户各城市的销售额", {"city"}, True),
    ("revenue of vip customers by city", {"city"}, True),
])
def test_a_yes_no_right_after_a_split_says_which_rows(planner: OfflinePlanner, question: str, split: set[str],
                                                      vip: bool) -> None:
    spec = spec_of(planner, question)
    assert {g.name for g in spec.group_by} == split, question
    assert _filters(spec) == {"is_vip": (vip,)}, question


@pytest.mark.parametrize("question", ["各城市和vip的销售额", "按城市和是否vip看销售额"])
def test_a_yes_no_listed_with_and_is_a_second_split(planner: OfflinePlanner, question: str) -> None:
    spec = spec_of(planner, question)
    assert {g.name for g in spec.group_by} == {"city", "is_vip"}
    assert not spec.filters


@pytest.fixture(scope="module")
def subscriptions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """A subscription export: a cancellation date where one was cancelled."""
    rng = np.random.default_rng(7)
    n = 1200
    signup = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    plan = rng.choice(["Basic", "Pro", "Team"], n, p=[0.6, 0.3, 0.1])
    ended = signup + pd.to_timedelta(rng.integers(20, 400, n), unit="D")
    cancelled = pd.Series(ended).where((rng.random(n) < 0.35) & (ended <= pd.Timestamp("2025-12-01")))
    frame = pd.DataFrame({"subscriber_id": np.arange(1, n + 1), "signup_date": signup.date, "plan": plan,
                          "monthly_fee": pd.Series(plan).map({"Basic": 9.0, "Pro": 29.0, "Team": 99.0}),
                          "country": rng.choice(["US", "UK", "DE"], n),
                          "cancelled_date": pd.to_datetime(cancelled).dt.date})
    path = tmp_path_factory.mktemp("subs") / "subscriptions.csv"
    frame.to_csv(path, index=False)
    return path, frame


@pytest.fixture(scope="module")
def chat(subscriptions: tuple[Path, pd.DataFrame]) -> Assistant:
    assistant = Assistant.open(subscriptions[0], llm=False)
    yield assistant
    assistant.close()


def _by_plan(chat: Assistant, question: str) -> dict[str, float]:
    answer = chat.answer(AnswerRequest(question, session_id=f"rows-{next(_SESSIONS)}"))
    assert answer.spec is not None and not answer.error, (question, answer.narrative)
    assert len(answer.spec.metrics) == 1, answer.interpretation
    return {str(row[0]): float(row[-1]) for row in answer.rows}


@pytest.mark.parametrize("question", ["monthly fee of cancelled subscriptions by plan",
                                      "monthly fee for cancelled subscriptions by plan",
                                      "各计划已取消订阅的月费"])
def test_fee_of_the_cancelled_on_a_drafted_file(chat: Assistant, subscriptions: tuple[Path, pd.DataFrame],
                                                question: str) -> None:
    raw = subscriptions[1]
    expected = raw[raw["cancelled_date"].notna()].groupby("plan")["monthly_fee"].sum()
    assert _by_plan(chat, question) == pytest.approx(expected.to_dict())


def test_cancellations_by_plan_are_still_counted(chat: Assistant, subscriptions: tuple[Path, pd.DataFrame]) -> None:
    raw = subscriptions[1]
    expected = raw[raw["cancelled_date"].notna()].groupby("plan").size()
    assert _by_plan(chat, "how many cancelled subscriptions by plan") == pytest.approx(expected.to_dict())


@pytest.mark.parametrize("question", ["events of checkout sessions by device", "events from purchase sessions last month"])
def test_a_count_with_no_yes_no_for_its_rows_declines(planner: OfflinePlanner, question: str) -> None:
    """The checkout sessions are those with a checkout event: no yes/no keeps them, so the
    events of them are declined, never every event beside a count of checkout sessions."""
    assert "sessions" in declines(planner, question).lower()
