"""The small models the customer tools fit on a sample, in NumPy (pure, no I/O).

k-means (Lloyd from greedy k-means++), the silhouette coefficient, L2 logistic regression
(Newton's method) and ROC AUC, each the textbook method scikit-learn implements, checked
against scikit-learn in tests/test_tools_light_models.py. They live here because
importing scikit-learn (which imports SciPy's statistics) took 1.7-2.3 s of a 1M-customer
tool run on a busy 2-core machine, more than the GROUP BY-customer scan the run is
measured against, while the fits themselves, on at most 50,000 customers, take well under
a second in NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")


@dataclass(frozen=True)
class KMeansFit:
    """Centroids (k x features), each row's cluster and the inertia (sum of squared distances)."""

    centroids: np.ndarray
    labels: np.ndarray
    inertia: float


def _squared_distances(x: np.ndarray, centres: np.ndarray, x_norms: np.ndarray | None = None) -> np.ndarray:
    """Rows x centres squared Euclidean distances (clipped at zero against rounding)."""
    norms = (x * x).sum(axis=1) if x_norms is None else x_norms
    d = norms[:, None] - 2.0 * x @ centres.T + (centres * centres).sum(axis=1)[None, :]
    return np.maximum(d, 0.0)


def kmeans_plus_plus(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with scikit-learn's
    2 + log k candidates per step, keeping the one that lowers the potential most)."""
    n = len(x)
    trials = 2 + int(np.log(k))
    centres = np.empty((k, x.shape[1]))
    centres[0] = x[rng.integers(n)]
    closest = _squared_distances(x, centres[:1])[:, 0]
    for c in range(1, k):
        total = closest.sum()
        if total <= 0:  # fewer distinct points than clusters: repeat one
            centres[c:] = centres[0]
            break
        picks = np.searchsorted(np.cumsum(closest), rng.random(trials) * total)
        picks = np.minimum(picks, n - 1)
        candidate = np.minimum(closest[:, None], _squared_distances(x, x[picks]))
        best = int(np.argmin(candidate.sum(axis=0)))
        centres[c] = x[picks[best]]
        closest = candidate[:, best]
    return centres


def lloyd(x: np.ndarray, centres: np.ndarray, max_iter: int = 300, tol: float = 1e-4) -> KMeansFit:
    """Lloyd's iterations until the centres move less than ``tol`` x the mean feature
    variance (scikit-learn's criterion); an emptied cluster takes the farthest point."""
    centres = np.array(centres, dtype=float, copy=True)
    k = len(centres)
    threshold = tol * float(np.mean(np.var(x, axis=0)))
    rows = np.arange(len(x))
    member = np.zeros((len(x), k))
    for _ in range(max_iter):
        # the nearest centre: |x|^2 is the same for every centre of a row, so it is left out
        labels = ((centres * centres).sum(axis=1)[None, :] - 2.0 * (x @ centres.T)).argmin(axis=1)
        member[:] = 0.0
        member[rows, labels] = 1.0
        counts = np.bincount(labels, minlength=k).astype(float)  # member's column sums, exactly
        sums = member.T @ x
        new = centres.copy()
        filled = counts > 0
        new[filled] = sums[filled] / counts[filled, None]
        for empty in np.flatnonzero(~filled):
            far = int(_squared_distances(x, new).min(axis=1).argmax())
            new[empty] = x[far]
        shift = float(((new - centres) ** 2).sum())
        centres = new
        if shift <= threshold:
            break
    distances = _squared_distances(x, centres)
    labels = distances.argmin(axis=1)
    return KMeansFit(centres, labels, float(distances[np.arange(len(x)), labels].sum()))


def kmeans(x: np.ndarray, k: int, seed: int = 0, n_init: int = 2) -> KMeansFit:
    """The lowest-inertia of ``n_init`` k-means++ + Lloyd runs (seeded, deterministic)."""
    rng = np.random.default_rng(seed)
    runs = [lloyd(x, kmeans_plus_plus(x, k, rng)) for _ in range(max(n_init, 1))]
    return min(runs, key=lambda fit: fit.inertia)


def pairwise_distances(x: np.ndarray) -> np.ndarray:
    """The n x n Euclidean distances between the rows of ``x`` (zero diagonal)."""
    distances = np.sqrt(_squared_distances(x, x))
    np.fill_diagonal(distances, 0.0)
    return distances


def silhouette(x: np.ndarray, labels: np.ndarray, distances: np.ndarray | None = None) -> float:
    """Mean silhouette coefficient (Rousseeuw 1987): per point (b - a) / max(a, b), with a the
    mean distance to its own cluster's other points and b to the nearest other cluster's;
    0 for a point alone in its cluster. Builds the n x n distance matrix (keep n small)
    unless given it (``pairwise_distances(x)``, when several labellings of x are scored)."""
    labels = np.asarray(labels)
    _, codes = np.unique(labels, return_inverse=True)
    k = int(codes.max()) + 1
    distances = pairwise_distances(x) if distances is None else distances
    one_hot = np.eye(k)[codes]
    sums = distances @ one_hot  # n x k: total distance to each cluster
    sizes = one_hot.sum(axis=0)
    own = sizes[codes]
    a = np.where(own > 1, sums[np.arange(len(x)), codes] / np.maximum(own - 1, 1), 0.0)
    mean_other = sums / sizes[None, :]
    mean_other[np.arange(len(x)), codes] = np.inf
    b = mean_other.min(axis=1)
    denominator = np.maximum(a, b)
    s = np.where((own > 1) & (denominator > 0), (b - a) / np.where(denominator > 0, denominator, 1.0), 0.0)
    return float(s.mean())


@dataclass(frozen=True)
class Logistic:
    """A standardised L2 logistic regression: P(y=1) = 1 / (1 + exp(-(b + w . (x - mean) / scale)))."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=float) - self.mean) / self.scale

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """P(y = 1) per row."""
        return _sigmoid(self.standardise(x) @ self.coef + self.intercept)


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(t, -700, 700)))


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float = 1.0, max_iter: int = 100) -> Logistic:
    """Standardise (mean, population sd; sd 0 -> 1), then minimise sum of log-losses +
    ||w||^2 / (2c) with the intercept unpenalised (scikit-learn's LogisticRegression(C=c))
    by Newton's method with step halving; the objective is strictly convex, so this is
    the same optimum scikit-learn's L-BFGS approaches."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    design = np.column_stack([(x - mean) / scale, np.ones(len(x))])
    penalty = np.r_[np.full(x.shape[1], 1.0 / c), 0.0]

    def objective(w: np.ndarray) -> float:
        t = design @ w
        return float(np.sum(np.logaddexp(0.0, t) - y * t) + 0.5 * np.sum(penalty * w * w))

    w = np.zeros(design.shape[1])
    current = objective(w)
    for _ in range(max_iter):
        p = _sigmoid(design @ w)
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian + 1e-12 * np.eye(len(w)), gradient)
        size = 1.0
        while size > 1e-10:
            trial = w - size * step
            value = objective(trial)
            if value <= current + 1e-12 * abs(current):
                break
            size /= 2
        w, previous, current = trial, current, value
        if np.max(np.abs(size * step)) < 1e-10 or previous - current <= 1e-14 * max(abs(current), 1.0):
            break
    return Logistic(mean, scale, w[:-1], float(w[-1]))


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve: the Mann-Whitney statistic with tied scores counted half."""
    y = np.asarray(y).astype(bool)
    score = np.asarray(score, dtype=float)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        raise ValueError("ROC AUC needs both classes")
    order = np.argsort(score, kind="mergesort")
    _, tie, counts = np.unique(score[order], return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    ranks = np.empty(len(score))
    ranks[order] = ((ends - counts + 1 + ends) / 2.0)[tie]
    return float((ranks[y].sum() - positives * (positives + 1) / 2.0) / (positives * negatives))


def stratified_folds(y: np.ndarray, n_folds: int, seed: int = 0) -> np.ndarray:
    """A fold number per row: each class shuffled (seeded) and dealt round-robin, so every
    fold holds each class in proportion."""
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    folds = np.empty(len(y), dtype=int)
    for value in np.unique(y):
        rows = np.flatnonzero(y == value)
        folds[rng.permutation(rows)] = np.arange(len(rows)) % n_folds
    return folds
