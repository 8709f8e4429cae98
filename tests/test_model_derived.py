"""What a model keeps of its own lookups (``SemanticModel.derived``, the planner's
``prepare``) gives the answers the lookups give from scratch, and is no part of the model."""

from __future__ import annotations

import pytest

from genbi.assistant.planner.prepared import prepare
from genbi.errors import ModelError
from genbi.semantic_layer.graph import JoinGraph
from genbi.semantic_layer.loader import _load_file, demo_model_path
from genbi.semantic_layer.model import SemanticModel


def _fresh() -> SemanticModel:
    return _load_file(demo_model_path())


def _scratch_group(model: SemanticModel, metric: str, dimension: str) -> bool:
    tables = dict.fromkeys(m.table for m in model._metric_measures(metric))
    return dimension == "metric_time" or all(model.dimension_reachable(t, dimension) for t in tables)


def test_kept_lookups_answer_as_computed() -> None:
    model, scratch = _fresh(), _fresh()
    prepare(model)
    for metric in model.metrics:
        assert model.metric_measures(metric.name) == model._metric_measures(metric.name)
        for dimension in model.dimensions:
            for _ in range(2):  # worked out, then kept
                assert model.can_group_by(metric.name, dimension.name) == _scratch_group(model, metric.name, dimension.name)
                assert model.can_filter_by(metric.name, dimension.name) == scratch.model_copy().can_filter_by(
                    metric.name, dimension.name)


def test_kept_lookups_are_no_part_of_the_model() -> None:
    worked, plain = _fresh(), _fresh()
    prepare(worked)
    assert worked == plain
    assert len(worked._derived) > 0
    copied = worked.model_copy()
    assert len(copied._derived) == 0


def test_a_failed_lookup_is_not_kept() -> None:
    model = _fresh()
    for _ in range(2):
        with pytest.raises(ModelError):
            model.can_group_by("no_such_metric", "city_tier")
    assert model.derived("x", lambda: None) is None
    assert model.derived("x", lambda: 1) is None  # kept, even when None


def test_join_graph_hash() -> None:
    graph = JoinGraph.from_edges([("orders", "customer_id", "customers", "customer_id")])
    same = JoinGraph.from_edges([("orders", "customer_id", "customers", "customer_id")])
    assert graph == same and hash(graph) == hash(same) == hash(graph.edges)
