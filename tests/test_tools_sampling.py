"""Models fitted on a sample answer like models fitted on everyone (the 20k test warehouse).

At warehouse scale segments, lookalike, churn_risk and clv fit their model on ``train_size``
customers (default 50,000; a fixed pseudo-random sample: the first n buyers by md5 of the
id for the SQL features, a seeded draw for CLV) and apply it to every customer. The test
warehouse has about 14,000 buyers, so the default fits on everyone; here each tool fits on
3,000 of them and is compared with the fit on all.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from genbi.tools.churn import ChurnArgs
from genbi.tools.churn import run as churn_run
from genbi.tools.clv import CLVArgs
from genbi.tools.clv import run as clv_run
from genbi.tools.feature_sql import feature_query
from genbi.tools.lookalike import LookalikeArgs
from genbi.tools.lookalike import run as lookalike_run
from genbi.tools.roles import RoleSource
from genbi.tools.segments import ClusterModel, fit_clusters
from genbi.tools.testing import demo_source as _demo_source

SAMPLE = 3_000
EVERYONE = 1_000_000


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def _objective(model: ClusterModel, reference: ClusterModel, z: np.ndarray) -> float:
    """Mean squared distance of every customer (``z``: standard scores of ``reference``) to
    ``model``'s nearest centroid, mapped into those scores (both models log the same columns)."""
    centres = (model.centroids * model.scale + model.mean - reference.mean) / reference.scale
    return float(((z[:, None, :] - centres[None]) ** 2).sum(axis=2).min(axis=1).mean())


def test_kmeans_on_a_sample_is_as_tight_on_everyone_as_kmeans_on_everyone(demo_source: RoleSource) -> None:
    query = feature_query(demo_source, date(2025, 12, 31))
    everyone = query.fetch(demo_source)
    assert len(everyone) > 4 * SAMPLE
    for k in (3, 4):
        full = fit_clusters(everyone, k, k, 2000, 0)
        sampled = fit_clusters(query.sampled(SAMPLE).fetch(demo_source), k, k, 2000, 0)
        z = full.transform(everyone)
        assert _objective(sampled, full, z) <= _objective(full, full, z) * 1.02, k


def test_lookalike_on_a_sample_scores_like_on_everyone(demo_source: RoleSource) -> None:
    flags = {"seed_segment": "Champions", "top_n": 500}
    sampled = lookalike_run(LookalikeArgs(**flags, train_size=SAMPLE), demo_source)
    full = lookalike_run(LookalikeArgs(**flags, train_size=EVERYONE), demo_source)
    assert sampled.facts["trained_on"] < full.facts["trained_on"] // 2
    assert sampled.facts["auc"] == pytest.approx(full.facts["auc"], abs=0.02)
    assert len(set(sampled.customer_ids or ()) & set(full.customer_ids or ())) >= 0.8 * 500


def test_churn_on_a_sample_scores_like_on_everyone(demo_source: RoleSource) -> None:
    sampled = churn_run(ChurnArgs(top_n=500, train_size=SAMPLE), demo_source)
    full = churn_run(ChurnArgs(top_n=500, train_size=EVERYONE), demo_source)
    assert sampled.facts["train_customers"] == SAMPLE < full.facts["train_customers"]
    assert sampled.facts["auc"] == pytest.approx(full.facts["auc"], abs=0.02)
    assert sampled.facts["expected_churn_rate_now"] == pytest.approx(full.facts["expected_churn_rate_now"], abs=0.02)
    assert len(set(sampled.customer_ids or ()) & set(full.customer_ids or ())) >= 0.8 * 500


def test_clv_on_a_sample_predicts_like_on_everyone(demo_source: RoleSource) -> None:
    sampled = clv_run(CLVArgs(train_size=SAMPLE), demo_source)
    full = clv_run(CLVArgs(train_size=EVERYONE), demo_source)
    assert sampled.facts["fitted_on"] == SAMPLE < full.facts["fitted_on"]
    assert sampled.facts["total_predicted_value"] == pytest.approx(full.facts["total_predicted_value"], rel=0.03)
    for segment, value in full.facts["segment_average"].items():
        assert sampled.facts["segment_average"][segment] == pytest.approx(value, rel=0.05), segment
    assert np.isfinite(sampled.facts["mean_p_alive"])
