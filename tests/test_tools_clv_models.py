"""BG/NBD and Gamma-Gamma: the likelihood against the paper's formula, parameter recovery
on simulated customers, and a held-out half-year that must beat 'last half-year repeats'."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cdnow_like import START, as_transactions, simulate
from scipy import special

from genbi.tools.clv import CLVArgs
from genbi.tools.clv import run as clv_run
from genbi.tools.clv_models import (
    bgnbd_gradient,
    bgnbd_log_likelihood,
    fit_bgnbd,
    fit_gamma_gamma,
    gamma_gamma_gradient,
    gamma_gamma_log_likelihood,
)


def _paper_likelihood(r: float, alpha: float, a: float, b: float, x: float, t_x: float, T: float) -> float:
    """Equation 6 of Fader, Hardie & Lee (2005), written directly with Beta and Gamma functions."""
    common = special.gamma(r + x) * alpha**r / special.gamma(r)
    first = special.beta(a, b + x) / special.beta(a, b) * common / (alpha + T) ** (r + x)
    second = special.beta(a + 1, b + x - 1) / special.beta(a, b) * common / (alpha + t_x) ** (r + x) if x > 0 else 0.0
    return float(np.log(first + second))


def test_bgnbd_likelihood_matches_the_papers_formula() -> None:
    params = np.array([0.243, 4.414, 0.793, 2.426])  # the paper's CDNOW estimates
    cases = [(0, 0.0, 38.86), (1, 30.43, 38.86), (2, 1.71, 38.86), (6, 27.0, 30.0), (15, 35.0, 37.0)]
    x, t_x, T = (np.array(c, dtype=float) for c in zip(*cases, strict=True))
    got = bgnbd_log_likelihood(params, x, t_x, T)
    want = [_paper_likelihood(*params, *case) for case in cases]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_gamma_gamma_likelihood_matches_its_density() -> None:
    # the marginal of the mean of x Gamma(p, nu) spends with nu ~ Gamma(q, gamma), integrated numerically
    from scipy import integrate, stats

    p, q, g, x, m = 6.0, 4.0, 15.0, 3.0, 35.0
    density = integrate.quad(lambda nu: stats.gamma.pdf(m, a=p * x, scale=1 / (nu * x)) * stats.gamma.pdf(nu, a=q, scale=1 / g),
                             0, np.inf)[0]
    got = gamma_gamma_log_likelihood(np.array([p, q, g]), np.array([x]), np.array([m]))[0]
    assert got == pytest.approx(np.log(density), rel=1e-6)


def _exact_summary(frame: pd.DataFrame, end: float) -> pd.DataFrame:
    part = frame[frame["week"] < end]
    grouped = part.groupby("customer")
    first, last = grouped["week"].min(), grouped["week"].max()
    return pd.DataFrame({"x": grouped.size() - 1, "t_x": last - first, "T": end - first, "m": grouped["value"].mean()})


def _central_differences(function: Callable[[np.ndarray], np.ndarray], params: np.ndarray,
                         step: float = 1e-6) -> np.ndarray:
    rows = []
    for j in range(len(params)):
        up, down = params.copy(), params.copy()
        up[j] *= 1 + step
        down[j] *= 1 - step
        rows.append((function(up) - function(down)) / (2 * step * params[j]))
    return np.vstack(rows)


def test_analytic_gradients_match_finite_differences() -> None:
    """The fits use analytic gradients: per customer, they equal the likelihoods' slopes
    (customers with and without repeat purchases, near and far from the optimum)."""
    rng = np.random.default_rng(6)
    x = rng.integers(0, 12, 400).astype(float)
    T = rng.uniform(5, 150, 400)
    t_x = np.where(x > 0, rng.uniform(0, 1, 400) * T, 0.0)
    for params in (np.array([0.36, 5.7, 1.28, 5.9]), np.array([2.0, 40.0, 0.4, 0.9])):
        want = _central_differences(lambda p: bgnbd_log_likelihood(p, x, t_x, T), params)
        np.testing.assert_allclose(bgnbd_gradient(params, x, t_x, T), want, rtol=1e-5, atol=1e-7)
    orders = rng.integers(1, 10, 300).astype(float)
    spend = rng.gamma(3, 40, 300)
    for params in (np.array([6.0, 4.0, 15.0]), np.array([0.7, 12.0, 900.0])):
        want = _central_differences(lambda p: gamma_gamma_log_likelihood(p, orders, spend), params)
        np.testing.assert_allclose(gamma_gamma_gradient(params, orders, spend), want, rtol=1e-5, atol=1e-7)


def test_models_recover_the_parameters_they_were_simulated_with() -> None:
    summary = _exact_summary(simulate(customers=6000, seed=9), 78)
    fitted = fit_bgnbd(summary["x"].to_numpy(), summary["t_x"].to_numpy(), summary["T"].to_numpy())
    for got, want in ((fitted.r, 0.25), (fitted.alpha, 4.0), (fitted.a, 0.8), (fitted.b, 2.5)):
        assert got == pytest.approx(want, rel=0.3)
    assert fitted.p_alive(np.array([0]), np.array([0.0]), np.array([50.0]))[0] == 1.0
    spend = fit_gamma_gamma((summary["x"] + 1).to_numpy(), summary["m"].to_numpy())
    assert spend.p == pytest.approx(6.0, rel=0.3) and spend.q == pytest.approx(4.0, rel=0.35)
    assert spend.population_mean == pytest.approx(6.0 * 15.0 / 3.0, rel=0.15)


def test_holdout_half_year_beats_last_half_year_repeats(tmp_path: Path) -> None:
    tx = as_transactions(simulate(customers=5000))
    cal_end = START + pd.Timedelta(days=78 * 7 - 1)
    hold_end = cal_end + pd.Timedelta(days=182)
    tx[tx["ordered_at"] <= cal_end].to_csv(tmp_path / "tx.csv", index=False)
    result = clv_run(CLVArgs(file=str(tmp_path / "tx.csv"), customer_column="customer", time_column="ordered_at",
                             amount_column="amount", as_of=cal_end.date(), horizon_days=182))
    assert result.facts["method"].startswith("BG/NBD")
    assert result.per_customer is not None
    predicted = result.per_customer().set_index("customer_id")["predicted_value"]
    actual = tx[(tx["ordered_at"] > cal_end) & (tx["ordered_at"] <= hold_end)].groupby("customer")["amount"].sum()
    last_half = tx[(tx["ordered_at"] > cal_end - pd.Timedelta(days=182)) & (tx["ordered_at"] <= cal_end)]
    naive = last_half.groupby("customer")["amount"].sum().reindex(predicted.index).fillna(0.0)
    actual = actual.reindex(predicted.index).fillna(0.0)
    model_error = abs(predicted.sum() / actual.sum() - 1)
    naive_error = abs(naive.sum() / actual.sum() - 1)
    assert model_error < naive_error / 2 and model_error < 0.15
    assert np.corrcoef(predicted, actual)[0, 1] > np.corrcoef(naive, actual)[0, 1]
    assert np.abs(predicted - actual).mean() < np.abs(naive - actual).mean()
