"""The value index: distinct values of each categorical dimension, read from the warehouse.

The model lists frequent values with their synonyms; the warehouse adds every other value
(product names, campaign names, a city the model did not list), so "Ningbo" or a campaign's
name is understood without anyone editing YAML.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from sqlglot import exp

from genbi.errors import GenbiError
from genbi.semantic_layer.model import DimensionType, SemanticModel

log = logging.getLogger(__name__)
MAX_VALUES_PER_DIMENSION = 2_000


class _Runner(Protocol):
    def run(self, sql: str) -> Any: ...


def warehouse_values(model: SemanticModel, warehouse: _Runner) -> dict[str, list[object]]:
    """Distinct non-null values per categorical, non-PII dimension (skips what fails)."""
    values: dict[str, list[object]] = {}
    for dimension in model.dimensions:
        if dimension.type != DimensionType.CATEGORICAL or dimension.pii:
            continue
        column = (
            exp.column(dimension.column, quoted=True)
            if dimension.column
            else exp.maybe_parse(dimension.expr or "", dialect="duckdb")
        )
        query = (
            exp.select(column.copy().as_("value"))
            .distinct()
            .from_(exp.to_table(dimension.table, quoted=True))
            .where(exp.Not(this=exp.Is(this=column.copy(), expression=exp.Null())))
            .limit(MAX_VALUES_PER_DIMENSION)
        )
        try:
            result = warehouse.run(query.sql(dialect="duckdb"))
        except GenbiError as error:
            log.warning("value index skipped %s: %s", dimension.name, error)
            continue
        values[dimension.name] = [row[0] for row in result.rows]
    return values
