"""Opening a warehouse for the tools: the semantic layer's read-only ``Warehouse``.

``open_source`` gives the tools the model's roles under the model's SQL policy (its tables
and columns, no personal data), as the chat and ``genbi tool`` do. ``GuardedDuckDB`` opens a
warehouse without a model: tests and benchmarks that map roles by hand onto tables of their
own still get the read-only connection and the one-SELECT guard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from genbi.semantic_layer.guard import model_policy
from genbi.semantic_layer.warehouse import Warehouse

from .roles import RoleSource


def GuardedDuckDB(path: str | Path) -> Warehouse:
    """A read-only DuckDB file; ``run`` accepts one guarded SELECT over any of its tables."""
    return Warehouse.open(path)


def open_source(path: str | Path, model: Any = None) -> RoleSource:
    """Roles of ``model`` (default: the shipped demo model) over the warehouse at ``path``."""
    from genbi.semantic_layer.loader import load_model
    from genbi.semantic_layer.sources import table_sources

    model = model if model is not None else load_model()
    warehouse = Warehouse.open(path, allowed_tables=model.table_names, policy=model_policy(model),
                               sources=table_sources(model))  # a drafted model's clean names
    return RoleSource.from_model(model, warehouse)
