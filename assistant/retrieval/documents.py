"""The documents retrieval embeds: one per metric, dimension and analytics tool.

Each is short (labels in both languages, the description, synonyms, a few sample values) so
embedding stays fast and the words that matter are not diluted. PII dimensions are left out
entirely: neither their names' values nor samples ever reach a prompt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from genbi.semantic_layer.model import Dimension, Metric, SemanticModel

DocKind = Literal["metric", "dimension", "tool"]
DOCS_VERSION = "1"
"""Bump when the document text changes, so persisted indexes are rebuilt."""
SAMPLE_VALUES = 12


@dataclass(frozen=True)
class ModelDoc:
    kind: DocKind
    name: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name}"


def metric_text(metric: Metric) -> str:
    words = ", ".join(metric.synonyms)
    return f"{metric.label} / {metric.label_zh} ({metric.name}). {metric.description} {words}"


def dimension_text(dimension: Dimension) -> str:
    words = ", ".join(dimension.synonyms)
    text = f"{dimension.label} / {dimension.label_zh} ({dimension.name}). {dimension.description} {words}"
    samples = sample_values(dimension)
    return f"{text}. Values: {', '.join(samples)}" if samples else text


def sample_values(dimension: Dimension, limit: int = SAMPLE_VALUES) -> list[str]:
    """A few of a dimension's listed values with their Chinese labels; none for PII."""
    if dimension.pii:
        return []
    out = []
    for value in dimension.values[:limit]:
        label = f"{value.value}" + (f" ({value.label_zh})" if value.label_zh else "")
        out.append(label)
    return out


def model_documents(model: SemanticModel, tools: Iterable[tuple[str, str, tuple[str, ...]]] = ()) -> list[ModelDoc]:
    """Metrics, non-PII dimensions and ``(name, description, intents)`` of analytics tools."""
    docs = [ModelDoc("metric", m.name, metric_text(m)) for m in model.metrics]
    docs += [ModelDoc("dimension", d.name, dimension_text(d)) for d in model.dimensions if not d.pii]
    docs += [ModelDoc("tool", name, f"{description} {', '.join(intents)}")
             for name, description, intents in tools]
    return docs


def fingerprint(docs: Iterable[ModelDoc], embedding: str) -> str:
    """Changes whenever a document, the document format or the embedding changes."""
    payload = json.dumps([DOCS_VERSION, embedding, [(d.id, d.text) for d in docs]],
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
