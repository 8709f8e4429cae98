"""Funnel and cohort retention: pure cores by hand, files, the demo warehouse via roles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from genbi.tools.base import ToolError
from genbi.tools.cohort import CohortArgs, activity_from_transactions, retention_matrix
from genbi.tools.cohort import run as cohort_run
from genbi.tools.funnel import FunnelArgs, biggest_drop, events_source, fetch_counts, funnel_table
from genbi.tools.funnel import run as funnel_run
from genbi.tools.roles import RoleSource
from genbi.tools.testing import demo_source as _demo_source

STEPS = ["visit", "view_product", "add_to_cart", "checkout", "purchase"]


def test_funnel_table_by_hand() -> None:
    counts = pd.DataFrame({"group": ["ios"] * 5 + ["web"] * 4, "step": STEPS + STEPS[:4],
                           "sessions": [100, 80, 20, 15, 12, 50, 30, 10, 5]})
    table = funnel_table(counts, STEPS).set_index(["group", "step"])
    assert table.loc[("ios", "add_to_cart"), "step_conversion"] == pytest.approx(0.25)
    assert table.loc[("ios", "purchase"), "overall_conversion"] == pytest.approx(0.12)
    assert table.loc[("web", "purchase"), "sessions"] == 0
    drop = biggest_drop(table.reset_index())
    assert (drop["from_step"], drop["to_step"]) == ("view_product", "add_to_cart")
    assert drop["step_conversion"] == pytest.approx(30 / 110, abs=1e-4)


def _tx() -> pd.DataFrame:
    rows = [(1, "2025-01-05"), (1, "2025-02-10"), (1, "2025-04-01"), (2, "2025-01-20"),
            (3, "2025-02-01"), (3, "2025-03-03"), (3, "2025-03-09")]
    return pd.DataFrame({"customer_id": [r[0] for r in rows], "ts": pd.to_datetime([r[1] for r in rows]),
                         "amount": 10.0})


def test_retention_matrix_by_hand() -> None:
    counts, sizes = activity_from_transactions(_tx(), date(2025, 4, 30))
    table = retention_matrix(counts, sizes, 3, date(2025, 4, 30)).set_index("cohort")
    # Jan cohort: customers 1, 2; month 1 only customer 1; month 3 customer 1
    assert table.loc["2025-01", "cohort_size"] == 2
    assert table.loc["2025-01", "m1"] == pytest.approx(0.5)
    assert table.loc["2025-01", "m2"] == pytest.approx(0.0)
    assert table.loc["2025-01", "m3"] == pytest.approx(0.5)
    # Feb cohort (customer 3) is seen for two more months: m2 observed (0 %), m3 not yet
    assert table.loc["2025-02", "m1"] == pytest.approx(1.0)
    assert table.loc["2025-02", "m2"] == pytest.approx(0.0)
    assert pd.isna(table.loc["2025-02", "m3"])


def test_cohort_file_entry(tmp_path: Path) -> None:
    file = tmp_path / "tx.parquet"
    frame = _tx()  # written by DuckDB: the reader needs no pyarrow
    with duckdb.connect() as con:
        con.register("frame", frame)
        con.execute(f"COPY frame TO '{file}' (FORMAT parquet)")
    result = cohort_run(CohortArgs(file=str(file), time_column="ts", amount_column="amount", max_months=3))
    assert result.facts["cohorts"] == 2
    assert result.chart.data[0].type == "heatmap"
    with pytest.raises(ToolError, match="signup"):
        cohort_run(CohortArgs(file=str(file), time_column="ts", amount_column="amount", basis="signup"))


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def test_demo_funnel(demo_source: RoleSource) -> None:
    result = funnel_run(FunnelArgs(by="device"), demo_source)
    sessions = list(result.facts["sessions"].values())
    assert sessions == sorted(sessions, reverse=True) and sessions[-1] > 0
    assert result.facts["biggest_drop"]["to_step"] in STEPS
    assert set(result.facts["conversion_by_group"]) == {"ios", "android", "desktop", "mobile_web"}
    strict = funnel_run(FunnelArgs(strict=True, by="city_tier"), demo_source)
    assert strict.facts["sessions"]["purchase"] <= result.facts["sessions"]["purchase"]
    with pytest.raises(ToolError, match="dimension 'shoe_size'"):
        funnel_run(FunnelArgs(by="shoe_size"), demo_source)


def test_demo_cohorts(demo_source: RoleSource) -> None:
    result = cohort_run(CohortArgs(max_months=6), demo_source)
    assert (result.table["m0"] == 1.0).all()
    assert 0 < result.facts["avg_retention_m1"] < 1
    signup = cohort_run(CohortArgs(basis="signup", start=date(2025, 1, 1)), demo_source)
    assert signup.table["cohort"].iloc[0] == "2025-01"
    assert (signup.table["m0"] < 1).all()


def test_funnel_counts_by_hand_from_a_file(tmp_path: Path) -> None:
    """Each session's step mask: a step counts once however often it occurs, an event not in
    the funnel counts for nothing, a strict step needs every earlier one, a step listed twice
    fills both places."""
    rows = [("s1", "visit", "ios"), ("s1", "view_product", "ios"), ("s1", "view_product", "ios"),
            ("s1", "add_to_cart", "ios"), ("s2", "visit", "ios"), ("s2", "add_to_cart", "ios"),
            ("s3", "view_product", "android"), ("s3", "purchase", "android"), ("s4", "visit", "android"),
            ("s4", "search", "android"), ("s5", "search", "android")]
    file = tmp_path / "events.csv"
    pd.DataFrame({"session_id": [r[0] for r in rows], "event_name": [r[1] for r in rows],
                  "event_time": "2025-03-01 10:00:00", "device": [r[2] for r in rows]}).to_csv(file, index=False)

    def counts(**args: object) -> dict[tuple[str, str], int]:
        table = funnel_run(FunnelArgs(events_file=str(file), by="device", **args)).table
        return {(g, s): int(n) for g, s, n in zip(table["group"], table["step"], table["sessions"], strict=True)}

    loose = counts()
    assert [loose[("ios", s)] for s in STEPS] == [2, 1, 2, 0, 0]
    assert [loose[("android", s)] for s in STEPS] == [1, 1, 0, 0, 1]
    strict = counts(strict=True)
    assert [strict[("ios", s)] for s in STEPS] == [2, 1, 1, 0, 0]
    assert [strict[("android", s)] for s in STEPS] == [1, 0, 0, 0, 0]
    for strict_, ios, android in ((False, [2, 1, 2], [1, 1, 1]), (True, [2, 1, 1], [1, 0, 0])):
        args = FunnelArgs(events_file=str(file), by="device", steps="visit,view_product,visit", strict=strict_)
        long = fetch_counts(events_source(args), args, ["visit", "view_product", "visit"])
        assert long[long["group"] == "ios"]["sessions"].tolist() == ios
        assert long[long["group"] == "android"]["sessions"].tolist() == android


def test_a_session_on_two_devices_counts_under_each(tmp_path: Path) -> None:
    """A device is an event's: a session that moved from the web to the app is counted under
    each device with the steps it took there (the same numbers on every run), once overall."""
    rows = [("s1", "visit", "web"), ("s1", "view_product", "web"), ("s1", "add_to_cart", "app"),
            ("s2", "visit", "app"), ("s2", "view_product", "app")]
    file = tmp_path / "events.csv"
    pd.DataFrame({"session_id": [r[0] for r in rows], "event_name": [r[1] for r in rows],
                  "event_time": "2025-03-01 10:00:00", "device": [r[2] for r in rows]}).to_csv(file, index=False)
    by_device = funnel_run(FunnelArgs(events_file=str(file), by="device")).table
    seen = {(g, s): int(n) for g, s, n in zip(by_device["group"], by_device["step"], by_device["sessions"],
                                              strict=True)}
    assert [seen[("web", s)] for s in STEPS[:3]] == [1, 1, 0]
    assert [seen[("app", s)] for s in STEPS[:3]] == [1, 1, 1]
    overall = funnel_run(FunnelArgs(events_file=str(file))).table
    assert overall["sessions"].tolist()[:3] == [2, 2, 1]
