"""genbi's semantic layer: the model, the query spec, the compiler, the guard, the warehouse.

Nothing here imports anything above it (assistant, tools, ui). Typical use::

    from genbi.semantic_layer import load_model
    model = load_model()                      # the shipped demo model
    model.metric("roas").label_zh             # '投产比'
"""

from .loader import ModelValidationError, demo_model_path, load_model, parse_model
from .model import (
    Aggregation,
    Dimension,
    DimensionType,
    DimensionValue,
    Measure,
    Metric,
    MetricFormat,
    MetricType,
    SemanticModel,
    Table,
)
from .query_spec import (
    METRIC_TIME,
    DimensionRef,
    Filter,
    FilterOp,
    OrderBy,
    QuerySpec,
    RelativeTime,
    TimeGrain,
    TimeRange,
)

__all__ = [
    "METRIC_TIME",
    "Aggregation",
    "Dimension",
    "DimensionRef",
    "DimensionType",
    "DimensionValue",
    "Filter",
    "FilterOp",
    "Measure",
    "Metric",
    "MetricFormat",
    "MetricType",
    "ModelValidationError",
    "OrderBy",
    "QuerySpec",
    "RelativeTime",
    "SemanticModel",
    "Table",
    "TimeGrain",
    "TimeRange",
    "demo_model_path",
    "load_model",
    "parse_model",
]
