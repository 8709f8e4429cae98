"""RFM: quintiles equal pandas qcut, segments, the transactions-file entry, the warehouse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from genbi.tools.base import ToolError
from genbi.tools.customer_orders import transactions_summary
from genbi.tools.rfm import RFMArgs, find_segment, quintile_scores, rfm_scores, run
from genbi.tools.roles import RoleSource
from genbi.tools.testing import demo_source as _demo_source


def _transactions(n: int = 200, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    customers = rng.integers(1, n // 2, n)
    days = rng.integers(0, 365, n)
    return pd.DataFrame(
        {
            "customer_id": customers,
            "ts": pd.Timestamp("2025-01-01") + pd.to_timedelta(days, unit="D"),
            "amount": np.round(rng.gamma(2, 60, n), 2),
        }
    )


def test_quintiles_match_pandas_qcut() -> None:
    summary = transactions_summary(_transactions(), date(2025, 12, 31))
    scores = rfm_scores(summary, date(2025, 12, 31))  # sorted by customer id
    for column, score in (("frequency", "f_score"), ("monetary", "m_score")):
        expected = pd.qcut(scores[column].rank(method="first"), 5, labels=False) + 1
        np.testing.assert_array_equal(scores[score], expected)
    expected_r = 5 - pd.qcut(scores["recency_days"].rank(method="first"), 5, labels=False)
    np.testing.assert_array_equal(scores["r_score"], expected_r)
    counts = scores["r_score"].value_counts()
    assert counts.max() - counts.min() <= 1


def test_ties_are_deterministic_and_small_inputs_work() -> None:
    values = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    ids = np.arange(10)[::-1]
    scores = quintile_scores(values, ids)
    np.testing.assert_array_equal(scores, [5, 5, 4, 4, 3, 3, 2, 2, 1, 1])  # by id, not by row
    np.testing.assert_array_equal(quintile_scores(np.array([3.0, 1.0]), np.array([1, 2])), [5, 3])


def test_segments_by_hand() -> None:
    summary = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "first_date": pd.to_datetime(["2025-01-01"] * 4),
            "last_date": pd.to_datetime(["2025-12-30", "2025-12-30", "2025-03-01", "2025-02-01"]),
            "orders": [5, 1, 5, 1],
            "revenue": [500.0, 50.0, 600.0, 40.0],
        }
    )
    scores = rfm_scores(summary, date(2025, 12, 31)).set_index("customer_id")
    assert scores.loc[1, "segment"] == "Champions" and scores.loc[1, "segment_zh"] == "重要价值客户"
    assert scores.loc[2, "segment"] == "New"
    assert scores.loc[3, "segment"] == "Can't lose"
    assert scores.loc[4, "segment"] == "Lost" and scores.loc[4, "segment_zh"] == "一般挽留客户"
    assert scores.loc[1, "recency_days"] == 1


def test_file_entry_with_audience(tmp_path: Path) -> None:
    file = tmp_path / "tx.csv"
    _transactions(400).rename(columns={"customer_id": "cid", "ts": "when", "amount": "paid"}).to_csv(
        file, index=False
    )
    args = RFMArgs(file=str(file), customer_column="cid", time_column="when",
                   amount_column="paid", as_of=date(2025, 12, 31), segment="重要价值客户")
    result = run(args)
    assert result.table["customers"].sum() == result.facts["customers"]
    assert result.table["revenue_share"].sum() == pytest.approx(1.0)
    champions = int(result.table.set_index("segment").loc["Champions", "customers"])
    assert result.customer_ids is not None and len(result.customer_ids) == champions
    assert result.chart.data[0].type == "treemap"
    assert find_segment("can't lose") == "Can't lose"
    with pytest.raises(ToolError, match="Segments:"):
        find_segment("whales")


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def test_demo_rfm(demo_source: RoleSource) -> None:
    result = run(RFMArgs(as_of=date(2025, 12, 31)), demo_source)
    sizes = result.facts["segment_sizes"]
    assert sum(1 for v in sizes.values() if v > 0) >= 6
    assert result.facts["customers"] > 1000
