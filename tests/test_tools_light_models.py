"""The NumPy models behind segments, lookalike and churn_risk against scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score, roc_auc_score, silhouette_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from genbi.tools import light_models


def _blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [6, 0, 1], [0, 7, -2], [5, 6, 4]], dtype=float)
    truth = rng.integers(0, 4, 3000)
    return centres[truth] + rng.normal(0, 1, (3000, 3)), truth


def test_kmeans_finds_what_scikit_learn_finds() -> None:
    x, truth = _blobs()
    ours = light_models.kmeans(x, 4, seed=0, n_init=2)
    theirs = KMeans(n_clusters=4, n_init=2, random_state=0).fit(x)
    assert adjusted_rand_score(ours.labels, theirs.labels_) == pytest.approx(1.0)
    assert adjusted_rand_score(ours.labels, truth) > 0.95
    assert ours.inertia == pytest.approx(theirs.inertia_, rel=1e-6)
    # a converged Lloyd run: every centre is the mean of its points
    for c in range(4):
        np.testing.assert_allclose(ours.centroids[c], x[ours.labels == c].mean(axis=0), atol=1e-2)
    rng = np.random.default_rng(5)
    noise = rng.normal(size=(4000, 6))  # no structure: the local optimum depends on the start
    for k in (3, 6, 9):
        ours_k = light_models.kmeans(noise, k, seed=0, n_init=2).inertia
        best = KMeans(n_clusters=k, n_init=2, random_state=0).fit(noise).inertia_
        assert ours_k <= best * 1.02, k


def test_kmeans_survives_duplicates_and_empty_clusters() -> None:
    x = np.repeat(np.array([[0.0, 0.0], [1.0, 1.0]]), 50, axis=0)
    fit = light_models.kmeans(x, 4, seed=1)
    assert np.isfinite(fit.centroids).all() and fit.inertia == pytest.approx(0.0)
    refit = light_models.lloyd(x, np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]))
    assert len(np.unique(refit.labels)) == 2 and np.isfinite(refit.centroids).all()


def test_silhouette_equals_scikit_learn() -> None:
    x, truth = _blobs(1)
    x, truth = x[:700], truth[:700]
    assert light_models.silhouette(x, truth) == pytest.approx(silhouette_score(x, truth), rel=1e-9)
    labels = truth.copy()
    labels[0] = 9  # a cluster of one scores 0, as in scikit-learn
    assert light_models.silhouette(x, labels) == pytest.approx(silhouette_score(x, labels), rel=1e-9)
    rng = np.random.default_rng(2)
    random_labels = rng.integers(0, 5, 700)
    assert light_models.silhouette(x, random_labels) == pytest.approx(silhouette_score(x, random_labels), rel=1e-9)
    distances = light_models.pairwise_distances(x)  # computed once for several labellings: the same scores
    for scored in (truth, labels, random_labels):
        assert light_models.silhouette(x, scored, distances) == light_models.silhouette(x, scored)


def _objective(model: light_models.Logistic, x: np.ndarray, y: np.ndarray) -> float:
    t = model.standardise(x) @ model.coef + model.intercept
    return float(np.sum(np.logaddexp(0.0, t) - y * t) + 0.5 * np.sum(model.coef ** 2))


def test_logistic_regression_reaches_scikit_learns_optimum() -> None:
    rng = np.random.default_rng(3)
    x = np.column_stack([rng.gamma(2, 3, 4000), rng.normal(0, 1, 4000), rng.exponential(50, 4000), np.full(4000, 7.0)])
    y = (0.4 * x[:, 0] - 0.02 * x[:, 2] + rng.logistic(0, 1, 4000) > 1).astype(int)
    ours = light_models.fit_logistic(x, y)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000, tol=1e-10)).fit(x, y)
    scaler, logit = pipe.steps[0][1], pipe.steps[1][1]
    np.testing.assert_allclose(ours.mean, scaler.mean_)
    np.testing.assert_allclose(ours.scale, scaler.scale_)
    np.testing.assert_allclose(ours.coef, logit.coef_[0], atol=1e-5)
    assert ours.intercept == pytest.approx(float(logit.intercept_[0]), abs=1e-5)
    np.testing.assert_allclose(ours.predict_proba(x), pipe.predict_proba(x)[:, 1], atol=1e-6)
    theirs = light_models.Logistic(scaler.mean_, scaler.scale_, logit.coef_[0], float(logit.intercept_[0]))
    assert _objective(ours, x, y) <= _objective(theirs, x, y) + 1e-9
    separable = light_models.fit_logistic(x[:, :1], (x[:, 0] > 6).astype(int))  # the penalty keeps it finite
    assert np.isfinite(separable.coef).all() and separable.coef[0] > 0


def test_roc_auc_counts_ties_half_like_scikit_learn() -> None:
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 3000)
    score = np.round(rng.random(3000) + 0.3 * y, 1)  # many ties
    assert light_models.roc_auc(y, score) == pytest.approx(roc_auc_score(y, score), rel=1e-12)
    assert light_models.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    with pytest.raises(ValueError):
        light_models.roc_auc([1, 1], [0.2, 0.3])


def test_stratified_folds_keep_each_class_in_proportion() -> None:
    y = np.r_[np.ones(90, int), np.zeros(910, int)]
    folds = light_models.stratified_folds(y, 3, seed=0)
    for fold in range(3):
        assert abs(int(y[folds == fold].sum()) - 30) <= 1
        assert abs(int((folds == fold).sum()) - 333) <= 1
    assert (folds == light_models.stratified_folds(y, 3, seed=0)).all()
