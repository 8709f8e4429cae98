"""A yes/no column said both ways with "no" ("on promo vs no promo", "promo days vs non-promo
days"): the two rows of the split. Found on a Rossmann-like file: "average customers per day on
promo vs no promo" answered the promo days alone, in silence. Also: a daily average split by a
column is no share of a whole ("日均销售：是最高，占61%" summed two averages)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from genbi.assistant import AnswerRequest, Assistant


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Assistant, pd.DataFrame]]:
    rng = np.random.default_rng(3)
    days = pd.date_range("2015-01-01", periods=90, freq="D")
    frame = pd.DataFrame({"Store": np.repeat([1, 2, 3], len(days)), "Date": np.tile(days, 3),
                          "Promo": rng.integers(0, 2, len(days) * 3)})
    frame["Sales"] = 1000 + frame["Promo"] * 400 + rng.integers(0, 300, len(frame))
    frame["Customers"] = 100 + frame["Promo"] * 30 + rng.integers(0, 20, len(frame))
    path = tmp_path_factory.mktemp("shop") / "train.csv"
    frame.assign(Date=frame["Date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    assistant = Assistant.open(path, llm=False)
    yield assistant, frame
    assistant.close()


@pytest.mark.parametrize("question", [
    "sales on promo vs no promo", "sales on promo days vs non-promo days", "sales on promo days and non promo days",
])
def test_a_flag_said_both_ways_is_split(shop: tuple[Assistant, pd.DataFrame], question: str) -> None:
    assistant, frame = shop
    answer = assistant.answer(AnswerRequest(question=question))
    assert answer.spec is not None and [g.name for g in answer.spec.group_by] == ["promo"], answer.interpretation
    assert not answer.spec.filters
    got = sorted(float(row[-1]) for row in answer.rows)
    assert got == sorted(float(v) for v in frame.groupby("Promo")["Sales"].sum())


def test_a_daily_average_by_a_split_is_no_share(shop: tuple[Assistant, pd.DataFrame]) -> None:
    assistant, frame = shop
    answer = assistant.answer(AnswerRequest(question="促销日和非促销日的日均销售额"))
    assert answer.spec is not None and answer.spec.average_per is not None
    assert "占" not in answer.narrative, answer.narrative
    daily = frame.groupby(["Promo", "Date"])["Sales"].sum().groupby("Promo").mean()
    assert sorted(round(float(row[-1]), 6) for row in answer.rows) == sorted(round(float(v), 6) for v in daily)
