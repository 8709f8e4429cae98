"""The value index: distinct values of each categorical dimension, read from the warehouse.

The model lists frequent values with their synonyms; the warehouse adds every other value
(product names, campaign names, a city the model did not list), so "Ningbo" or a campaign's
name is understood without anyone editing YAML.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from sqlglot import exp

from genbi import settings
from genbi.errors import GenbiError
from genbi.semantic_layer.expressions import bind_as_of
from genbi.semantic_layer.fingerprint import fingerprint
from genbi.semantic_layer.model import DimensionType, SemanticModel
from genbi.semantic_layer.result_cache import policy_digest
from genbi.semantic_layer.tagged_json import NotEncodable, decode_value, encode_value

log = logging.getLogger(__name__)
MAX_VALUES_PER_DIMENSION = 2_000
KEPT_INDEXES = 20
"""Value indexes kept on disk (one per warehouse version and model); older ones go."""


class _Runner(Protocol):
    def run(self, sql: str) -> Any: ...


def cached_warehouse_values(model: SemanticModel, warehouse: Any, *, folder: Path | None = None
                            ) -> dict[str, list[object]]:
    """``warehouse_values``, kept on disk per warehouse fingerprint, model and column policy,
    so an assistant opens without scanning the warehouse again until its data changes (a
    warehouse without a fingerprint, e.g. a server, is read every time)."""
    stamp = fingerprint(getattr(warehouse, "path", None))
    if stamp is None:
        return warehouse_values(model, warehouse)
    dimensions = [d.model_dump(mode="json") for d in model.dimensions
                  if d.type == DimensionType.CATEGORICAL and not d.pii]
    key = hashlib.sha256(json.dumps([stamp, dimensions, policy_digest(getattr(warehouse, "policy", None)),
                                     MAX_VALUES_PER_DIMENSION], sort_keys=True).encode()).hexdigest()[:24]
    path = (folder or settings.state_dir() / "cache" / "values") / f"{key}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {name: [decode_value(v) for v in found] for name, found in stored.items()}
    values = warehouse_values(model, warehouse)
    _store(path, values)
    return values


def _store(path: Path, values: dict[str, list[object]]) -> None:
    try:
        text = json.dumps({name: [encode_value(v) for v in found] for name, found in values.items()},
                          ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)  # atomic: a reader sees the old file or the whole new one
        for old in sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEPT_INDEXES]:
            old.unlink(missing_ok=True)
    except (OSError, NotEncodable) as error:
        log.warning("value index not cached (%s)", error)


def warehouse_values(model: SemanticModel, warehouse: _Runner) -> dict[str, list[object]]:
    """Distinct non-null values per categorical, non-PII dimension (skips what fails)."""
    values: dict[str, list[object]] = {}
    for dimension in model.dimensions:
        if dimension.type != DimensionType.CATEGORICAL or dimension.pii:
            continue
        column = (
            exp.column(dimension.column, quoted=True)
            if dimension.column
            else bind_as_of(exp.maybe_parse(dimension.expr or "", dialect="duckdb"), date.today())
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
