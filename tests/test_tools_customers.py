"""Customer-level tools (churn, CLV, segments, lookalike): pure parts and the demo warehouse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from genbi.tools.base import ToolError, registered_tools
from genbi.tools.churn import ChurnArgs
from genbi.tools.churn import run as churn_run
from genbi.tools.clv import CLVArgs
from genbi.tools.clv import run as clv_run
from genbi.tools.lookalike import LookalikeArgs, score
from genbi.tools.lookalike import run as lookalike_run
from genbi.tools.roles import RoleSource
from genbi.tools.segments import SegmentArgs, cluster, profile
from genbi.tools.segments import run as segments_run
from genbi.tools.testing import demo_source as _demo_source


def _transactions(path: Path) -> Path:
    rng = np.random.default_rng(7)
    rows = []
    for customer in range(400):
        rate = rng.gamma(1.0, 0.02)  # orders per day
        day = rng.uniform(0, 200)
        while day < 730:
            rows.append((customer, pd.Timestamp("2024-01-01") + pd.Timedelta(days=day), rng.gamma(2, 80)))
            day += rng.exponential(1 / max(rate, 1e-3))
            if rng.random() < 0.05:
                break
    pd.DataFrame(rows, columns=["cid", "at", "paid"]).to_csv(path / "tx.csv", index=False)
    return path / "tx.csv"


def test_clv_and_churn_on_a_transactions_file(tmp_path: Path) -> None:
    file = str(_transactions(tmp_path))
    flags = {"file": file, "customer_column": "cid", "time_column": "at", "amount_column": "paid"}
    clv = clv_run(CLVArgs(**flags))
    averages = clv.facts["segment_average"]
    assert averages["Champions"] > averages["Lost"]
    assert clv.table["value_share"].sum() == pytest.approx(1.0)
    churn = churn_run(ChurnArgs(**flags, top_n=20))
    assert 0.5 < churn.facts["auc"] <= 1.0
    assert len(churn.customer_ids or ()) == 20
    assert churn.table["churn_probability"].is_monotonic_decreasing


def test_clusters_found_and_named() -> None:
    rng = np.random.default_rng(0)
    big = pd.DataFrame({"frequency": rng.normal(20, 1, 60), "monetary": rng.normal(5000, 100, 60)})
    small = pd.DataFrame({"frequency": rng.normal(1, 0.1, 140), "monetary": rng.normal(50, 5, 140)})
    features = pd.concat([big, small], ignore_index=True).clip(lower=0)
    labels, scores, z = cluster(features, 2, 4, 200, 0)
    assert max(scores, key=lambda k: scores[k]) == 2
    table = profile(features, z, labels)
    assert sorted(table["customers"]) == [60, 140]
    assert "frequent" in table.loc[table["customers"] == 60, "name"].iloc[0]


def test_lookalike_scores_separable_seed() -> None:
    rng = np.random.default_rng(1)
    features = pd.DataFrame({"monetary": np.r_[rng.normal(900, 50, 50), rng.normal(100, 50, 450)]})
    seed = np.r_[np.ones(40, bool), np.zeros(460, bool)]
    similarity, auc = score(features, seed)
    assert auc > 0.8
    assert similarity[40:50].mean() > similarity[50:].mean()  # unseeded look-alikes rank high
    with pytest.raises(ToolError):
        score(features, np.zeros(500, bool))


def test_every_tool_registered_with_schema_and_intents() -> None:
    tools = registered_tools()
    assert {"attribution", "ab_test", "rfm", "funnel", "cohort_retention", "segments",
            "lookalike", "churn_risk", "clv"} <= set(tools)
    for spec in tools.values():
        schema = spec.args_model.model_json_schema()
        assert schema.get("additionalProperties") is False, spec.name
        assert spec.description and spec.run.__doc__, spec.name
        assert any(ord(ch) > 0x3000 for word in spec.intents for ch in word), spec.name


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def test_demo_customer_tools(demo_source: RoleSource) -> None:
    churn = churn_run(ChurnArgs(top_n=100), demo_source)
    assert churn.facts["auc"] > 0.6
    clv = clv_run(CLVArgs(as_of=date(2025, 12, 31)), demo_source)
    assert clv.facts["segment_average"]["Champions"] > clv.facts["segment_average"]["Lost"]
    segments = segments_run(SegmentArgs(k_min=3, k_max=3, cluster=0), demo_source)
    assert segments.facts["k"] == 3
    assert len(segments.customer_ids or ()) == int(segments.table.loc[0, "customers"])
    look = lookalike_run(LookalikeArgs(seed_dimension="loyalty_tier", seed_value="platinum", top_n=50), demo_source)
    assert look.facts["auc"] > 0.7 and len(look.customer_ids or ()) == 50
