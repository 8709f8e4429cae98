"""A/B depth against independent computations: Bayesian chance to beat, power planning,
always-valid p-values, CUPED, delta-method ratios, capping, aggregated counts, SRM first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from statsmodels.stats.power import NormalIndPower

from genbi.tools import ab_stats
from genbi.tools.ab_test import ABTestArgs, run
from genbi.tools.base import ToolError


def test_chance_to_beat_equals_numerical_integration() -> None:
    for s1, n1, s0, n0 in ((12, 100, 8, 100), (45, 1000, 60, 1000), (0, 10, 1, 10)):
        a1, b1, a0, b0 = 1 + s1, 1 + n1 - s1, 1 + s0, 1 + n0 - s0
        want = integrate.quad(lambda x, a1=a1, b1=b1, a0=a0, b0=b0: stats.beta.pdf(x, a1, b1) * stats.beta.cdf(x, a0, b0),
                              0, 1, limit=200)[0]
        assert ab_stats.chance_to_beat(s1, n1, s0, n0) == pytest.approx(want, abs=1e-7)


def test_power_planning_matches_statsmodels() -> None:
    sd, n = 2.0, 400
    mde = ab_stats.minimum_detectable_effect(sd, n, n, 0.05, 0.8)
    effect = NormalIndPower().solve_power(nobs1=n, alpha=0.05, power=0.8, ratio=1.0)
    assert mde == pytest.approx(effect * sd, rel=1e-5)  # statsmodels adds the far tail
    size = ab_stats.sample_size(sd, 0.3, 0.05, 0.8)
    want = NormalIndPower().solve_power(effect_size=0.3 / sd, alpha=0.05, power=0.8, ratio=1.0)
    assert size == int(np.ceil(want))


def test_always_valid_p_is_the_mixture_likelihood_ratio() -> None:
    difference, variance, tau2 = 0.8, 0.09, 0.25
    ratio = integrate.quad(lambda t: stats.norm.pdf(difference, t, np.sqrt(variance)) / stats.norm.pdf(difference, 0, np.sqrt(variance))
                           * stats.norm.pdf(t, 0, np.sqrt(tau2)), -20, 20, points=[0, difference])[0]
    assert ab_stats.always_valid_p(difference, variance, tau2) == pytest.approx(min(1, 1 / ratio), rel=1e-6)
    # stricter than the fixed-horizon p-value on the same data
    assert ab_stats.always_valid_p(difference, variance, tau2) > 2 * stats.norm.sf(difference / np.sqrt(variance))


def test_cuped_ratio_and_capping_by_hand() -> None:
    rng = np.random.default_rng(0)
    x = rng.gamma(2, 50, 5000)
    y = 0.8 * x + rng.normal(0, 20, 5000)
    adjusted, theta, reduction = ab_stats.cuped(y, x)
    assert theta == pytest.approx(np.cov(y, x, ddof=0)[0, 1] / np.var(x))
    assert reduction == pytest.approx(np.corrcoef(y, x)[0, 1] ** 2, rel=1e-9)
    assert adjusted.mean() == pytest.approx(y.mean())
    # delta-method variance against the spread of the ratio over many simulated samples
    ratios = []
    for seed in range(400):
        r = np.random.default_rng(seed)
        orders = r.poisson(2, 300) + 1
        revenue = orders * r.gamma(3, 30, 300)
        ratios.append(revenue.sum() / orders.sum())
    orders = rng.poisson(2, 300) + 1
    _, variance = ab_stats.ratio_delta(orders * rng.gamma(3, 30, 300), orders)
    assert np.sqrt(variance) == pytest.approx(np.std(ratios), rel=0.15)
    capped, limit = ab_stats.cap(np.arange(101.0), 0.9)
    assert limit == 90 and capped.max() == 90 and capped.sum() == sum(range(91)) + 10 * 90


def _units(tmp_path: Path, shift: float = 0.0) -> Path:
    rng = np.random.default_rng(4)
    n = 4000
    variant = np.where(np.arange(n) % 2 == 0, "control", "treatment")
    pre = rng.gamma(2, 50, n)
    revenue = 0.9 * pre + rng.normal(0, 25, n) + np.where(variant == "treatment", 4.0 + shift, 0.0)
    orders = rng.poisson(2, n) + 1
    frame = pd.DataFrame({"variant": variant, "converted": (rng.random(n) < np.where(variant == "treatment", 0.12, 0.1)).astype(int),
                          "revenue": np.clip(revenue, 0, None), "pre_revenue": pre, "orders": orders})
    frame.loc[0, "revenue"] = 1e6  # one outlier
    path = tmp_path / "units.csv"
    frame.to_csv(path, index=False)
    return path


def test_file_readout_with_cuped_capping_ratio_and_correction(tmp_path: Path) -> None:
    file = str(_units(tmp_path))
    plain = run(ABTestArgs(file=file)).table.set_index(["outcome", "variant"])
    deep = run(ABTestArgs(file=file, covariate_column="pre_revenue", cap_quantile=0.99,
                          ratio_metrics="revenue/orders", correction="bonferroni"))
    table = deep.table.set_index(["outcome", "variant"])
    assert {"chance_to_beat_control", "p_always_valid", "mde_relative"} <= set(deep.tables["depth"].columns)
    width = lambda t: t.loc[("revenue", "treatment"), "diff_high"] - t.loc[("revenue", "treatment"), "diff_low"]  # noqa: E731
    assert width(table) < width(plain) / 2  # CUPED and the cap shrink the interval
    assert deep.facts["cuped"]["revenue"]["variance_reduction"] > 0.5
    assert "revenue" in deep.facts["capped_at"]
    ratio = table.loc[("revenue/orders", "treatment")]
    assert ratio["test"] == "delta-method z" and np.isfinite(ratio["p_value"])
    tested = deep.table[~deep.table["is_control"]]
    assert tested["p_adjusted"].to_numpy() == pytest.approx(np.minimum(1, tested["p_value"].to_numpy() * len(tested)))
    assert 0 <= deep.facts["chance_to_beat_control"]["treatment"] <= 1
    assert deep.facts["p_always_valid"]["treatment"] >= tested.iloc[0]["p_value"]
    assert deep.facts["sample_size_per_variant"]["5% lift"] > 0


def test_aggregated_counts_give_the_same_answer_as_units(tmp_path: Path) -> None:
    frame = pd.read_csv(_units(tmp_path))
    by_unit = run(ABTestArgs(file=str(tmp_path / "units.csv"), outcome_columns="converted,revenue"))
    grouped = frame.groupby("variant").agg(users=("converted", "size"), converted=("converted", "sum"),
                                           revenue=("revenue", "sum"))
    grouped["revenue_sq"] = frame.assign(sq=frame["revenue"] ** 2).groupby("variant")["sq"].sum()
    grouped.reset_index().to_csv(tmp_path / "agg.csv", index=False)
    by_count = run(ABTestArgs(file=str(tmp_path / "agg.csv"), users_column="users"))
    columns = ["value", "difference", "p_value", "p_adjusted"]
    np.testing.assert_allclose(by_count.table[columns].to_numpy(dtype=float), by_unit.table[columns].to_numpy(dtype=float),
                               rtol=1e-7)
    grouped.assign(converted=grouped["users"] + 1).drop(columns="revenue_sq").reset_index().to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(ToolError, match="'converted' has more than 'users'"):
        run(ABTestArgs(file=str(tmp_path / "bad.csv"), users_column="users", outcome_columns="converted"))


def test_sample_ratio_mismatch_comes_first(tmp_path: Path) -> None:
    frame = pd.DataFrame({"variant": ["control"] * 5000 + ["treatment"] * 5600,
                          "converted": [0, 1] * 2500 + [0, 1] * 2800})
    frame.to_csv(tmp_path / "srm.csv", index=False)
    facts = run(ABTestArgs(file=str(tmp_path / "srm.csv"), outcome_columns="converted")).facts
    assert next(iter(facts)) == "srm_warning"
    assert facts["verdict_en"].startswith("SAMPLE RATIO MISMATCH") and facts["verdict_zh"].startswith("【样本比例失衡")
