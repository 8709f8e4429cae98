"""A/B test: p-values against scipy by hand, CIs, SRM, verdicts, file entry, warehouse roles."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from genbi.tools.ab_test import ABTestArgs, compare, run, sample_ratio_check, summarise
from genbi.tools.base import ToolError
from genbi.tools.roles import RoleSource
from genbi.tools.testing import demo_source as _demo_source
from genbi.tools.warehouse import GuardedDuckDB


def _assignments(n0: int, c0: int, n1: int, c1: int) -> pd.DataFrame:
    variant = ["control"] * n0 + ["treatment"] * n1
    converted = [1] * c0 + [0] * (n0 - c0) + [1] * c1 + [0] * (n1 - c1)
    return pd.DataFrame({"variant": variant, "converted": converted})


def test_z_test_matches_scipy_by_hand() -> None:
    n0, c0, n1, c1 = 1000, 100, 1000, 130
    result = compare(summarise(_assignments(n0, c0, n1, c1), "variant", ["converted"]))
    row = result[result["variant"] == "treatment"].iloc[0]
    pooled = (c0 + c1) / (n0 + n1)
    z = (c1 / n1 - c0 / n0) / np.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1))
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    assert row["difference"] == pytest.approx(0.03)
    se = np.sqrt(0.1 * 0.9 / n0 + 0.13 * 0.87 / n1)
    assert row["diff_low"] == pytest.approx(0.03 - stats.norm.ppf(0.975) * se, rel=1e-9)
    # two variants: the chi-square (no correction) equals the z-test
    assert row["overall_p_value"] == pytest.approx(row["p_value"], rel=1e-9)
    assert bool(row["significant"])


def test_welch_matches_scipy_on_raw_data() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.gamma(2, 50, 400), rng.gamma(2, 58, 300)
    frame = pd.DataFrame({"variant": ["A"] * 400 + ["B"] * 300, "revenue": np.r_[a, b]})
    row = compare(summarise(frame, "variant", ["revenue"])).query("variant == 'B'").iloc[0]
    expected = stats.ttest_ind(b, a, equal_var=False)
    assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    ci = expected.confidence_interval(0.95)
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_three_variants_are_holm_adjusted() -> None:
    frame = pd.concat(
        [_assignments(500, 50, 500, 75), _assignments(0, 0, 500, 52).assign(variant="C")]
    )
    result = compare(summarise(frame, "variant", ["converted"]))
    tested = result[~result["is_control"]].set_index("variant")
    assert tested.loc["treatment", "p_adjusted"] == pytest.approx(
        min(1.0, 2 * min(tested["p_value"]))
    )


def test_sample_ratio_mismatch() -> None:
    assert not sample_ratio_check(pd.Series([5000, 5040]))["srm_detected"]
    srm = sample_ratio_check(pd.Series([5000, 5400]))
    assert srm["srm_detected"]
    assert srm["srm_p_value"] == pytest.approx(stats.chisquare([5000, 5400]).pvalue)
    assert not sample_ratio_check(pd.Series([2000, 8000]), [20, 80])["srm_detected"]
    with pytest.raises(ToolError):
        sample_ratio_check(pd.Series([1, 2]), [1, 1, 1])


def test_file_entry_and_verdicts(tmp_path: Path) -> None:
    frame = pd.concat(
        [
            _assignments(2000, 200, 2000, 290).assign(exp="coupon"),
            _assignments(2000, 200, 2000, 204).assign(exp="subject"),
        ]
    )
    frame["revenue"] = frame["converted"] * 100.0
    file = tmp_path / "ab.csv"
    frame.to_csv(file, index=False)
    result = run(ABTestArgs(file=str(file), experiment_column="exp"))
    facts = result.facts["experiments"]
    assert facts["coupon"]["significant"] and not facts["subject"]["significant"]
    assert "significantly better" in facts["coupon"]["verdict_en"]
    assert "显著优于" in facts["coupon"]["verdict_zh"]
    assert "No significant difference" in facts["subject"]["verdict_en"]
    assert set(result.table["outcome"]) == {"converted", "revenue"}
    single = run(ABTestArgs(file=str(file), experiment_column="exp", experiment="coupon"))
    assert single.facts["control"] == "control"
    with pytest.raises(ToolError, match="Experiments: coupon, subject"):
        run(ABTestArgs(file=str(file), experiment_column="exp", experiment="nope"))


def test_warehouse_via_roles(tmp_path: Path) -> None:
    path = tmp_path / "ab.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE tests (test VARCHAR, arm VARCHAR, won BOOLEAN, amount DOUBLE)")
    frame = _assignments(1000, 100, 1000, 150).rename(columns={"variant": "arm"})
    frame = frame.assign(test="t1", won=frame["converted"].astype(bool), amount=frame["converted"] * 10.0)
    con.register("f", frame[["test", "arm", "won", "amount"]])
    con.execute("INSERT INTO tests SELECT * FROM f")
    con.close()
    roles = {"experiment_entity": "tests", "experiment_id": "tests.test",
             "experiment_variant": "tests.arm", "experiment_converted": "tests.won",
             "experiment_revenue": "tests.amount"}
    result = run(ABTestArgs(), RoleSource(roles, GuardedDuckDB(path)))
    assert result.facts["significant"]
    assert result.facts["n"] == {"control": 1000, "treatment": 1000}
    rev = result.table.query("outcome == 'revenue' and variant == 'treatment'").iloc[0]
    assert rev["difference"] == pytest.approx(0.5)


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def test_demo_experiments(demo_source: RoleSource) -> None:
    result = run(ABTestArgs(), demo_source)
    facts = result.facts["experiments"]
    assert len(facts) >= 3
    # the demo's designs: a real coupon lift and win-back lift, a banner test with no effect
    assert facts["checkout_coupon"]["significant"]
    assert facts["winback_sms"]["significant"]
    assert not facts["homepage_banner"]["significant"]
    assert not facts["homepage_banner"]["srm_detected"]
    assert any(len(f["variants"]) == 3 for f in facts.values())
