"""A readable summary of a semantic model (``genbi model show``): what a person can ask.

Metrics with their labels and what they can be split by, dimensions with a few values,
and the joins, so a marketer can check a drafted model without reading its YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import SemanticModel

MAX_VALUES_SHOWN = 6


@dataclass(frozen=True)
class MetricLine:
    name: str
    label: str
    label_zh: str
    how: str
    split_by: tuple[str, ...]


@dataclass(frozen=True)
class DimensionLine:
    name: str
    label: str
    label_zh: str
    where: str
    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class ModelSummary:
    name: str
    tables: tuple[str, ...]
    joins: tuple[str, ...]
    metrics: tuple[MetricLine, ...]
    dimensions: tuple[DimensionLine, ...]

    def render(self) -> str:
        lines = [f"{len(self.tables)} tables, {len(self.joins)} joins, {len(self.metrics)} metrics, "
                 f"{len(self.dimensions)} dimensions", "", "metrics:"]
        for m in self.metrics:
            lines.append(f"  {m.name:<28} {m.label} / {m.label_zh}  = {m.how}")
            lines.append(f"  {'':<28} split by: {', '.join(m.split_by) or '(time only)'}")
        lines += ["", "dimensions:"]
        for d in self.dimensions:
            values = f"  e.g. {', '.join(d.values)}" if d.values else ""
            lines.append(f"  {d.name:<28} {d.label} / {d.label_zh}  ({d.kind}, {d.where}){values}")
        lines += ["", "joins (many-to-one):"] + [f"  {j}" for j in self.joins or ("(none)",)]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "tables": list(self.tables), "joins": list(self.joins),
            "metrics": [m.__dict__ | {"split_by": list(m.split_by)} for m in self.metrics],
            "dimensions": [d.__dict__ | {"values": list(d.values)} for d in self.dimensions],
        }


def summarize_model(model: SemanticModel) -> ModelSummary:
    """The summary of a validated model."""
    joins = tuple(
        f"{t.name}.{r.column} -> {r.to}.{r.to_column or model.table(r.to).primary_key}"
        for t in model.tables for r in t.many_to_one
    )
    metrics = tuple(
        MetricLine(m.name, m.label, m.label_zh, _how(model, m.name),
                   tuple(d for d in model.dimensions_for_metric(m.name)
                         if model.dimension(d).type.value != "time"))
        for m in model.metrics
    )
    dimensions = tuple(
        DimensionLine(d.name, d.label, d.label_zh, f"{d.table}.{d.column or d.expr}",
                      "personal data" if d.pii else d.type.value,
                      tuple(str(v.value) for v in d.values[:MAX_VALUES_SHOWN]))
        for d in model.dimensions
    )
    return ModelSummary(model.name, model.table_names, joins, metrics, dimensions)


def _how(model: SemanticModel, metric_name: str) -> str:
    metric = model.metric(metric_name)
    if metric.type.value == "simple" and metric.measure:
        measure = model.measure(metric.measure)
        return f"{measure.agg.value}({measure.table}.{measure.expr})" + (
            f" where {measure.filter}" if measure.filter else "")
    if metric.type.value == "ratio":
        return f"{metric.numerator} / {metric.denominator}"
    if metric.type.value == "derived":
        return str(metric.expr)
    return metric.type.value
