"""Statistics an analyst expects next to an A/B readout (pure functions, SciPy).

- ``chance_to_beat``: Bayesian probability that a treatment's conversion rate beats the
  control's, with uniform Beta(1, 1) priors, computed exactly (Evan Miller's closed form);
  for means, the normal posterior of the difference under a flat prior.
- ``minimum_detectable_effect`` / ``sample_size``: two-sided z-test power planning.
- ``always_valid_p``: the mixture sequential probability ratio test (Johari et al. 2017) on
  the difference of means with a N(0, tau^2) mixing distribution; unlike a fixed-horizon
  p-value it stays valid when the results are checked again and again.
- ``cuped``: variance reduction with a pre-period covariate (Deng et al. 2013).
- ``ratio_delta``: a ratio metric (e.g. revenue per order) per variant, with its variance
  by the delta method.
- ``cap``: winsorising a continuous outcome at a pooled quantile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    from scipy import special, stats
else:
    np = lazy_module("numpy")
    special = lazy_module("scipy.special")
    stats = lazy_module("scipy.stats")

EXACT_BETA_TERMS = 2_000_000


def chance_to_beat(s1: float, n1: float, s0: float, n0: float) -> float:
    """P(rate_1 > rate_0) for Beta(1 + s, 1 + n - s) posteriors."""
    a1, b1, a0, b0 = 1 + s1, 1 + n1 - s1, 1 + s0, 1 + n0 - s0
    if a1 != int(a1) or a1 > EXACT_BETA_TERMS:
        m1, m0 = a1 / (a1 + b1), a0 / (a0 + b0)
        v1 = a1 * b1 / ((a1 + b1) ** 2 * (a1 + b1 + 1))
        v0 = a0 * b0 / ((a0 + b0) ** 2 * (a0 + b0 + 1))
        return float(stats.norm.cdf((m1 - m0) / np.sqrt(v1 + v0)))
    i = np.arange(int(a1))
    terms = (special.betaln(a0 + i, b0 + b1) - np.log(b1 + i) - special.betaln(1 + i, b1)
             - special.betaln(a0, b0))
    return float(min(max(np.exp(special.logsumexp(terms)), 0.0), 1.0))


def chance_to_beat_mean(difference: float, standard_error: float) -> float:
    """P(mean_1 > mean_0) from the normal posterior of the difference (flat prior)."""
    if standard_error <= 0:
        return 0.5 if difference == 0 else float(difference > 0)
    return float(stats.norm.cdf(difference / standard_error))


def minimum_detectable_effect(sd: float, n0: float, n1: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """The smallest absolute difference a two-sided z-test detects with ``power``."""
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return float(z * sd * np.sqrt(1 / n0 + 1 / n1))


def sample_size(sd: float, effect: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Units per variant (equal split) to detect an absolute ``effect``."""
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return int(np.ceil(2 * (z * sd / effect) ** 2))


def always_valid_p(difference: float, variance: float, tau2: float) -> float:
    """mSPRT p-value at the current look: min(1, 1 / Lambda) with
    Lambda = sqrt(V / (V + tau^2)) * exp(tau^2 d^2 / (2 V (V + tau^2)))."""
    if variance <= 0 or tau2 <= 0:
        return 1.0
    log_lambda = 0.5 * np.log(variance / (variance + tau2)) + tau2 * difference**2 / (2 * variance * (variance + tau2))
    return float(min(1.0, np.exp(-log_lambda)))


def cuped(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Adjusted outcome ``y - theta (x - mean x)``, theta, and the variance reduction."""
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    var_x = float(np.var(x))
    theta = float(np.cov(y, x, ddof=0)[0, 1] / var_x) if var_x > 0 else 0.0
    adjusted = y - theta * (x - x.mean())
    reduction = 1 - float(np.var(adjusted)) / float(np.var(y)) if np.var(y) > 0 else 0.0
    return adjusted, theta, reduction


def ratio_delta(numerator: np.ndarray, denominator: np.ndarray) -> tuple[float, float]:
    """Ratio of sums and the delta-method variance of that ratio."""
    y, x = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    n = len(y)
    mean_x, mean_y = x.mean(), y.mean()
    ratio = mean_y / mean_x
    cov = np.cov(y, x, ddof=1)
    variance = (cov[0, 0] - 2 * ratio * cov[0, 1] + ratio**2 * cov[1, 1]) / (n * mean_x**2)
    return float(ratio), float(variance)


def cap(values: np.ndarray, quantile: float) -> tuple[np.ndarray, float]:
    """Values winsorised at their ``quantile`` (pooled over variants), and the cap."""
    values = np.asarray(values, dtype=float)
    limit = float(np.quantile(values, quantile))
    return np.minimum(values, limit), limit
