"""genbi's semantic layer: the model, the query spec, the compiler, the guard, the warehouse.

Nothing here imports anything above it (assistant, tools, ui). Typical use::

    from genbi.semantic_layer import load_model
    model = load_model()                      # the shipped demo model
    model.metric("roas").label_zh             # '投产比'
"""

from .compiled import CompiledQuery, OutputColumn
from .compiler import compile_spec
from .dialects import DIALECTS
from .layer import SemanticLayer
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
from .result import ResultTable
from .warehouse import Warehouse

__all__ = [
    "DIALECTS",
    "METRIC_TIME",
    "Aggregation",
    "CompiledQuery",
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
    "OutputColumn",
    "QuerySpec",
    "RelativeTime",
    "ResultTable",
    "SemanticLayer",
    "SemanticModel",
    "Table",
    "TimeGrain",
    "TimeRange",
    "Warehouse",
    "compile_spec",
    "demo_model_path",
    "load_model",
    "parse_model",
]
