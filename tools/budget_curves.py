"""Response curves per channel and the budget split that a set of curves favours (pure).

Each channel's weekly revenue is modelled as ``revenue = k * spend ** b`` — the standard
diminishing-returns (power) curve of marketing-mix work — fitted by ordinary least squares
on logs (statsmodels' OLS, computed with NumPy), with Duan's smearing factor so the curve predicts
mean revenue, not the median. ``b`` is the elasticity: 1% more spend gives about b% more revenue. A channel is
movable only when 0 < b < 1 was estimated from enough weeks; the others keep their spend.

``optimise`` maximises total revenue for a budget with each movable channel held within
``[1 - shift, 1 + shift]`` times its current spend (the curves say nothing about spend far
from what was seen): on concave curves the optimum equalises marginal revenue, found by a
one-dimensional root search (SciPy's brentq) on the common marginal return.
``uncertainty`` draws the coefficients from their estimated normal distribution and reports
the spread of the revenue change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

MIN_WEEKS = 8
"""Weeks with both spend and revenue a curve needs."""


@dataclass(frozen=True)
class Curve:
    """``revenue = smear * exp(log_k) * spend ** b`` for one channel."""

    channel: str
    log_k: float
    b: float
    cov: np.ndarray
    """2 x 2 covariance of (log_k, b)."""
    smear: float
    weeks: int
    r2: float

    @property
    def movable(self) -> bool:
        return 0.0 < self.b < 1.0 and self.weeks >= MIN_WEEKS

    @property
    def b_se(self) -> float:
        return float(np.sqrt(self.cov[1, 1]))

    def revenue(self, spend: np.ndarray | float) -> np.ndarray:
        return self.smear * np.exp(self.log_k) * _power(spend, self.b)

    def marginal(self, spend: float) -> float:
        """Revenue from one more unit of spend at ``spend``."""
        return float(self.b * self.revenue(spend) / spend) if spend > 0 else float("inf")


def fit_curve(channel: str, spend: np.ndarray, revenue: np.ndarray) -> Curve:
    """The power curve from weekly (spend, revenue) pairs; weeks without either are left out."""
    keep = (np.asarray(spend) > 0) & (np.asarray(revenue) > 0)
    x, y = np.log(np.asarray(spend, dtype=float)[keep]), np.log(np.asarray(revenue, dtype=float)[keep])
    if len(x) < 3 or np.ptp(x) == 0:
        return Curve(channel, float(np.mean(y)) if len(y) else 0.0, 0.0, np.zeros((2, 2)), 1.0, len(x), 0.0)
    params, resid, cov, rsquared = _ols(x, y)
    log_k, b = (float(v) for v in params)
    smear = float(np.mean(np.exp(resid)))
    return Curve(channel, log_k, b, np.asarray(cov, dtype=float), smear, len(x), float(rsquared))


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """``y ~ 1 + x`` by least squares: (params, residuals, covariance of the params, R²).

    The same operations, in the same order, as statsmodels' ``OLS(y, add_constant(x)).fit()``
    (pseudo-inverse from the SVD, singular values under 1e-15 of the largest dropped), so the
    numbers are equal to the last bit (a test compares them); importing statsmodels cost ~0.9 s
    of CPU on every budget run."""
    design = np.column_stack((np.ones(len(x)), x))
    u, s, vt = np.linalg.svd(design, False)
    rank = int(np.linalg.matrix_rank(np.diag(s)))
    inverse = np.where(s > 1e-15 * np.maximum.reduce(s), 1.0 / np.where(s > 0, s, 1.0), 0.0)
    pinv = np.dot(np.transpose(vt), np.multiply(inverse[:, np.newaxis], np.transpose(u)))
    params = np.dot(pinv, y)
    resid = y - np.dot(design, params)
    ssr = np.dot(resid, resid)
    cov = np.dot(pinv, np.transpose(pinv)) * (ssr / (len(y) - rank))
    return params, resid, cov, float(1 - ssr / np.sum((y - np.mean(y)) ** 2))


def optimise(curves: list[Curve], current: np.ndarray, budget: float, shift: float) -> np.ndarray:
    """The split of ``budget`` with the most revenue, each movable channel within ``shift``
    of its current spend scaled to the budget; unmovable channels keep their current spend."""
    from scipy.optimize import brentq

    current = np.asarray(current, dtype=float)
    movable = np.array([c.movable and s > 0 for c, s in zip(curves, current, strict=True)])
    fixed = float(current[~movable].sum())
    free = budget - fixed
    base = current.copy()
    if movable.any() and current[movable].sum() > 0:
        base[movable] = current[movable] * free / current[movable].sum()
    lo, hi = base * (1 - shift), base * (1 + shift)
    if not movable.any() or free <= 0:
        return base

    def spend_at(mu: float) -> np.ndarray:
        """Each channel's spend where its marginal revenue equals ``mu`` (clipped to bounds)."""
        out = base.copy()
        for i in np.flatnonzero(movable):
            c = curves[i]
            scale = c.b * c.smear * np.exp(c.log_k)
            out[i] = np.clip((mu / scale) ** (1.0 / (c.b - 1.0)), lo[i], hi[i])
        return out

    def gap(log_mu: float) -> float:
        return float(spend_at(float(np.exp(log_mu)))[movable].sum() - free)

    marginals = [curves[i].marginal(b) for i in np.flatnonzero(movable) for b in (lo[i], hi[i]) if b > 0]
    left, right = np.log(min(marginals)) - 1.0, np.log(max(marginals)) + 1.0
    if gap(left) * gap(right) > 0:  # every channel at a bound already
        return spend_at(float(np.exp(left if gap(left) < 0 else right)))
    return spend_at(float(np.exp(brentq(gap, left, right, xtol=1e-12))))


def uncertainty(curves: list[Curve], current: np.ndarray, proposed: np.ndarray, draws: int,
                seed: int = 0) -> np.ndarray:
    """Revenue change (proposed - current) per channel for ``draws`` coefficient draws:
    an array of shape (draws, channels)."""
    rng = np.random.default_rng(seed)
    out = np.zeros((draws, len(curves)))
    for j, c in enumerate(curves):
        if not np.any(c.cov):
            continue
        sample = rng.multivariate_normal([c.log_k, c.b], c.cov, size=draws, method="eigh")
        scale = c.smear * np.exp(sample[:, 0])
        out[:, j] = scale * (_power(proposed[j], sample[:, 1]) - _power(current[j], sample[:, 1]))
    return out


def _power(spend: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """``spend ** b``, and no revenue without spend (whatever b)."""
    x = np.asarray(spend, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, np.power(np.maximum(x, 1e-300), b), 0.0)


def weekly_frame(frame: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``week, channel, spend, revenue`` rows -> channel -> (spend, revenue) arrays."""
    out = {}
    for channel, part in frame.groupby("channel", sort=True):
        out[str(channel)] = (part["spend"].to_numpy(dtype=float), part["revenue"].to_numpy(dtype=float))
    return out
