"""Probabilistic CLV models fitted by maximum likelihood with SciPy (pure, no I/O).

- BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive a
  customer buys as a Poisson process with a Gamma(r, alpha)-distributed rate; after each
  purchase they drop out with a Beta(a, b)-distributed probability. Inputs per customer:
  ``x`` repeat purchases, ``t_x`` time of the last purchase and ``T`` age, both measured
  from the first purchase (here in weeks).
- Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): a customer's average order value
  ``m`` over ``x`` orders has a Gamma(p, nu) per-order spend whose scale nu is itself
  Gamma(q, gamma) across customers; spend is assumed independent of purchase frequency.

Identical customers are grouped and weighted, so a fit on 50,000 customers is a few
thousand likelihood terms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    from scipy import optimize, special
else:
    np = lazy_module("numpy")
    optimize = lazy_module("scipy.optimize")
    special = lazy_module("scipy.special")


class FitError(ValueError):
    """The likelihood could not be maximised to usable parameters (the caller falls back)."""


@dataclass(frozen=True)
class BGNBD:
    """Fitted BG/NBD parameters and the maximised log-likelihood."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float

    def p_alive(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """P(still active at T | x, t_x, T)."""
        x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
        ratio = np.where(x > 0, self.a / np.maximum(self.b + x - 1, 1e-12)
                         * ((self.alpha + T) / (self.alpha + t_x)) ** (self.r + x), 0.0)
        return 1.0 / (1.0 + ratio)

    def expected_purchases(self, t: float, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """E[purchases in (T, T + t] | x, t_x, T] (equation 10 of the paper)."""
        x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        # 2F1 depends on (x, T) only: a million customers have ~14k distinct pairs
        (ux, uT), inverse, _ = distinct_rows(x, T)
        hyp = special.hyp2f1(r + ux, b + ux, a + b + ux - 1, t / (alpha + uT + t))[inverse]
        head = (a + b + x - 1) / (a - 1)
        body = 1.0 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp
        return head * body * self.p_alive(x, t_x, T)


def bgnbd_log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood of (r, alpha, a, b) (equation 7, in log form)."""
    r, alpha, a, b = params
    gammaln = _by_value(special.gammaln, x)
    a1 = gammaln(r) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + gammaln(b) - special.gammaln(b) - gammaln(a + b)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def bgnbd_gradient(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Per-customer gradient of ``bgnbd_log_likelihood`` in (r, alpha, a, b): one row per
    parameter. The last two terms enter through log(e^A3 + e^A4), so each is weighted by its
    share w3 = e^(A3 - L), w4 = e^(A4 - L) (w4 = 0 without a repeat purchase)."""
    r, alpha, a, b = params
    repeat = x > 0
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        bx1 = np.where(repeat, b + x - 1, 1.0)
        a4 = np.where(repeat, np.log(a) - np.log(bx1) - (r + x) * np.log(alpha + t_x), -np.inf)
        total = np.logaddexp(a3, a4)
        w3 = np.exp(a3 - total)
        w4 = np.where(repeat, np.exp(a4 - total), 0.0)
    psi, psi_x = special.digamma, _by_value(special.digamma, x)
    d_r = psi_x(r) - psi(r) + np.log(alpha) - w3 * np.log(alpha + T) - w4 * np.log(alpha + t_x)
    d_alpha = r / alpha - w3 * (r + x) / (alpha + T) - w4 * (r + x) / (alpha + t_x)
    d_a = psi(a + b) - psi_x(a + b) + w4 / a
    d_b = psi(a + b) + psi_x(b) - psi(b) - psi_x(a + b) - w4 / bx1
    return np.vstack([d_r, d_alpha, d_a, d_b])


def _by_value(function: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> Callable[[float], np.ndarray]:
    """``shift -> function(shift + x)``, evaluated once per distinct ``x`` (repeat purchases
    are small whole numbers: a few dozen values among thousands of customers). Element by
    element it is the same number as ``function(shift + x)``."""
    values, inverse = np.unique(x, return_inverse=True)

    def at(shift: float) -> np.ndarray:
        return function(shift + values)[inverse]

    return at


def distinct_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The distinct rows of ``columns`` in lexicographic order (as ``np.unique(..., axis=0)``
    gives them, which sorts rows far more slowly), each row's index among them, and their counts."""
    stacked = [np.asarray(c, dtype=float) for c in columns]
    if len(stacked[0]) == 0:
        return [c[:0] for c in stacked], np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    order = np.lexsort(stacked[::-1])
    ordered = [c[order] for c in stacked]
    starts = np.ones(len(order), dtype=bool)
    for c in ordered:
        starts[1:] &= c[1:] == c[:-1]
    starts = ~starts
    starts[0] = True
    group = np.cumsum(starts) - 1
    inverse = np.empty(len(order), dtype=np.intp)
    inverse[order] = group
    first = np.flatnonzero(starts)
    counts = np.diff(np.append(first, len(order)))
    return [c[first] for c in ordered], inverse, counts


def _grouped(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    unique, _inverse, counts = distinct_rows(*columns)
    return unique, counts.astype(float)


def fit_bgnbd(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> BGNBD:
    """Maximum-likelihood BG/NBD (L-BFGS-B on log parameters, several starts)."""
    (gx, gt, gT), weight = _grouped(x, t_x, T)
    if (gx > 0).sum() == 0:
        raise FitError("no customer has a repeat purchase")

    def negative(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        """Minus the log-likelihood and its gradient in the log parameters (analytic: one
        likelihood pass per step instead of five for finite differences)."""
        params = np.exp(log_params)
        value = -np.sum(weight * bgnbd_log_likelihood(params, gx, gt, gT))
        gradient = -(bgnbd_gradient(params, gx, gt, gT) @ weight) * params
        if not np.isfinite(value) or not np.isfinite(gradient).all():
            return 1e300, np.zeros(4)
        return float(value), gradient

    scale = max(float(np.mean(T)), 1.0)
    best = None
    for start in ([1.0, scale, 1.0, 1.0], [0.5, scale / 2, 0.8, 2.5], [2.0, scale * 2, 2.0, 5.0]):
        found = optimize.minimize(negative, np.log(start), method="L-BFGS-B", jac=True,
                                  bounds=[(-9.0, 9.0), (-9.0, 12.0), (-9.0, 9.0), (-9.0, 9.0)])
        if best is None or found.fun < best.fun:
            best = found
    assert best is not None
    r, alpha, a, b = np.exp(best.x)
    if not np.isfinite(best.fun) or abs(a - 1.0) < 1e-6:
        raise FitError("the BG/NBD likelihood could not be maximised to usable parameters")
    return BGNBD(float(r), float(alpha), float(a), float(b), float(-best.fun))


@dataclass(frozen=True)
class GammaGamma:
    """Fitted Gamma-Gamma spend parameters."""

    p: float
    q: float
    gamma: float
    log_likelihood: float

    @property
    def population_mean(self) -> float:
        return self.p * self.gamma / (self.q - 1)

    def expected_spend(self, x: np.ndarray, m: np.ndarray) -> np.ndarray:
        """E[average order value | x orders averaging m]; the population mean for x = 0."""
        x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
        return self.p * (self.gamma + x * m) / (self.p * x + self.q - 1)


def gamma_gamma_log_likelihood(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood of (p, q, gamma) given x orders averaging m (x >= 1)."""
    p, q, g = params
    return (special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q) + q * np.log(g)
            + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(x * m + g))


def gamma_gamma_gradient(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per-customer gradient of ``gamma_gamma_log_likelihood`` in (p, q, gamma), one row each."""
    p, q, g = params
    psi = special.digamma
    d_p = x * (psi(p * x + q) - psi(p * x) + np.log(m) + np.log(x) - np.log(x * m + g))
    d_q = psi(p * x + q) - psi(q) + np.log(g) - np.log(x * m + g)
    d_g = q / g - (p * x + q) / (x * m + g)
    return np.vstack([d_p, d_q, d_g])


def fit_gamma_gamma(x: np.ndarray, m: np.ndarray) -> GammaGamma:
    """Maximum-likelihood Gamma-Gamma on customers with x >= 1 and positive spend."""
    keep = (np.asarray(x) >= 1) & (np.asarray(m) > 0)
    if keep.sum() < 10:
        raise FitError("fewer than 10 customers with repeat purchases and positive spend")
    (gx, gm), weight = _grouped(np.asarray(x)[keep], np.asarray(m)[keep])

    def negative(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value = -np.sum(weight * gamma_gamma_log_likelihood(params, gx, gm))
        gradient = -(gamma_gamma_gradient(params, gx, gm) @ weight) * params
        if not np.isfinite(value) or not np.isfinite(gradient).all():
            return 1e300, np.zeros(3)
        return float(value), gradient

    start = np.log([1.0, 2.0, max(float(np.mean(gm)), 1.0)])
    found = optimize.minimize(negative, start, method="L-BFGS-B", jac=True,
                              bounds=[(-9.0, 9.0), (-9.0, 9.0), (-9.0, 20.0)])
    p, q, g = np.exp(found.x)
    if not np.isfinite(found.fun) or q <= 1.0:
        raise FitError(f"Gamma-Gamma fit unusable (q = {q:.3g}; q must exceed 1)")
    return GammaGamma(float(p), float(q), float(g), float(-found.fun))
