"""The JSON schema a model fills for one question, and what its reply means.

A small local model asked for a free-form tool call invents metric names, drops brackets
and misreads plain words. Here it fills a fixed form instead: metric and dimension names
are enums taken from the semantic model (a server that enforces JSON schemas — OpenAI,
llama.cpp, vLLM, Ollama — cannot emit any other name or malformed JSON), and every item
carries the words of the question it came from, so ``grounding`` can check that the
question supports it. The schema depends only on the model, so it is byte-identical across
questions (part of the cacheable prefix).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import (
    METRIC_TIME,
    DimensionRef,
    Filter,
    FilterOp,
    OrderBy,
    QuerySpec,
    TimeGrain,
    TimeRange,
)

SPEC_FUNCTION = "fill_query_spec"
"""The function name when the spec is asked for as a tool call (servers without JSON schema)."""
NO_GRAIN = "none"
MAX_ITEMS = 4
MAX_WORDS_CHARS = 60


class SpecReplyError(ValueError):
    """The model's reply is not a usable filled spec (no JSON object, wrong shape)."""


def fill_schema(model: SemanticModel, *, full: bool = True) -> dict[str, Any]:
    """The JSON schema of one filled spec, with this model's names as enums.

    ``full=False`` leaves out period and ranking: planner first, the planner reads those
    itself and the model only names what the words mean (fewer tokens to generate, which
    is most of a small local model's time)."""
    metrics = list(model.metric_names)
    dimensions = [d.name for d in model.dimensions if not d.pii]
    words = {"type": "string", "maxLength": MAX_WORDS_CHARS}

    def items(properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "maxItems": MAX_ITEMS,
                "items": {"type": "object", "properties": properties, "required": list(properties),
                          "additionalProperties": False}}

    properties: dict[str, Any] = {
            "metrics": items({"name": {"type": "string", "enum": metrics}, "words": words}),
            "group_by": items({"name": {"type": "string", "enum": [*dimensions, METRIC_TIME]},
                               "grain": {"type": "string", "enum": [NO_GRAIN, *(g.value for g in TimeGrain)]},
                               "words": words}),
            "filters": items({"dimension": {"type": "string", "enum": dimensions},
                              "exclude": {"type": "boolean"},
                              "values": {"type": "array", "maxItems": 8, "items": {"type": "string", "maxLength": 80}},
                              "words": words}),
            "period": {"type": "object", "additionalProperties": False,
                       "properties": {"start": {"type": "string", "maxLength": 10},
                                      "end": {"type": "string", "maxLength": 10}, "words": words},
                       "required": ["start", "end", "words"]},
            "top": {"type": "object", "additionalProperties": False,
                    "properties": {"limit": {"type": "integer", "minimum": 0, "maximum": 1000},
                                   "highest_first": {"type": "boolean"}},
                    "required": ["limit", "highest_first"]},
            # last: a small model that writes it first tends to put every unread word there
            "unsupported": {"type": "array", "maxItems": MAX_ITEMS, "items": words},
    }
    if not full:
        properties = {k: v for k, v in properties.items() if k not in ("period", "top")}
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


@dataclass(frozen=True)
class Item:
    """One metric, breakdown or filter the model named, with the question's words for it."""

    kind: str
    """``metric``, ``group_by`` or ``filter``."""
    name: str
    words: str
    grain: TimeGrain | None = None
    values: tuple[str, ...] = ()
    exclude: bool = False


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    words: str


@dataclass(frozen=True)
class FilledSpec:
    """The model's reading of a question (names checked against the model, nothing else)."""

    metrics: tuple[Item, ...] = ()
    group_by: tuple[Item, ...] = ()
    filters: tuple[Item, ...] = ()
    period: Period | None = None
    limit: int | None = None
    descending: bool = True
    unsupported: tuple[str, ...] = ()
    unknown_names: tuple[str, ...] = ()
    """Names the model wrote that the semantic model lacks (only possible without a schema)."""

    @property
    def items(self) -> tuple[Item, ...]:
        return (*self.metrics, *self.group_by, *self.filters)


def parse_filled(data: Any, model: SemanticModel) -> FilledSpec:
    """A ``FilledSpec`` from the model's JSON (lenient about shape, strict about names)."""
    if not isinstance(data, dict) or not any(k in data for k in ("metrics", "unsupported")):
        raise SpecReplyError("the reply is not a filled query spec")
    unknown: list[str] = []
    dimensions = {d.name for d in model.dimensions if not d.pii} | {METRIC_TIME}

    def listed(key: str) -> list[dict[str, Any]]:
        raw = data.get(key) or []
        return [x if isinstance(x, dict) else {"name": x, "words": ""} for x in raw if isinstance(x, dict | str)]

    metrics = []
    for raw in listed("metrics"):
        name = str(raw.get("name", ""))
        if model.has_metric(name):
            metrics.append(Item("metric", name, _words(raw)))
        else:
            unknown.append(name)
    group_by = []
    for raw in listed("group_by"):
        name = str(raw.get("name", ""))
        if name not in dimensions:
            unknown.append(name)
            continue
        grain = str(raw.get("grain") or NO_GRAIN)
        group_by.append(Item("group_by", name, _words(raw),
                             grain=TimeGrain(grain) if grain in TimeGrain.__members__.values() else None))
    filters = []
    for raw in listed("filters"):
        name = str(raw.get("dimension") or raw.get("name") or "")
        values = raw.get("values")
        values = values if isinstance(values, list) else [values] if values not in (None, "") else []
        if name not in dimensions or name == METRIC_TIME:
            unknown.append(name)
            continue
        if values:
            filters.append(Item("filter", name, _words(raw), values=tuple(str(v) for v in values),
                                exclude=bool(raw.get("exclude"))))
    raw_top = data.get("top")
    top: dict[str, Any] = raw_top if isinstance(raw_top, dict) else {}
    raw_limit = top.get("limit")
    limit = raw_limit if isinstance(raw_limit, int) and not isinstance(raw_limit, bool) and raw_limit > 0 else None
    unsupported = tuple(str(w) for w in (data.get("unsupported") or []) if isinstance(w, str) and w.strip())
    return FilledSpec(metrics=tuple(metrics), group_by=tuple(group_by), filters=tuple(filters),
                      period=_period(data.get("period")), limit=limit,
                      descending=bool(top.get("highest_first", True)), unsupported=unsupported,
                      unknown_names=tuple(unknown))


def _words(raw: dict[str, Any]) -> str:
    return str(raw.get("words") or "").strip()[:MAX_WORDS_CHARS * 2]


def _period(raw: Any) -> Period | None:
    if not isinstance(raw, dict):
        return None
    start, end = _day(raw.get("start")), _day(raw.get("end"))
    if start is None and end is None:
        return None
    if start and end and start > end:
        start, end = end, start
    return Period(start, end, str(raw.get("words") or "").strip())


def _day(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw).strip()[:10]) if raw else None
    except ValueError:
        return None


def to_query_spec(filled: FilledSpec, model: SemanticModel, known_values: dict[str, list[Any]]) -> QuerySpec:
    """The filled form as a ``QuerySpec`` as it stands (values matched to the stored ones).

    Raises ``SpecReplyError`` when it names no metric or a value nobody stores.
    """
    if not filled.metrics:
        raise SpecReplyError("the model named no metric")
    group_by = tuple(DimensionRef(name=i.name, grain=i.grain or (TimeGrain.MONTH if i.name == METRIC_TIME else None))
                     for i in filled.group_by)
    filters = []
    for item in filled.filters:
        values = tuple(stored_value(known_values.get(item.name, []), v) for v in item.values)
        if any(v is None for v in values):
            missing = [v for v, s in zip(item.values, values, strict=True) if s is None]
            raise SpecReplyError(f"{item.name} has no value {missing[0]!r}")
        op = (FilterOp.NOT_IN if item.exclude else FilterOp.IN) if len(values) > 1 else \
            (FilterOp.NE if item.exclude else FilterOp.EQ)
        filters.append(Filter(dimension=item.name, op=op, values=tuple(v for v in values if v is not None)))
    period = filled.period
    time_range = TimeRange(start=period.start, end=period.end) if period else None
    metrics = tuple(dict.fromkeys(i.name for i in filled.metrics))
    order = (OrderBy(field=metrics[0], descending=filled.descending),) if filled.limit else ()
    return QuerySpec(metrics=metrics, group_by=group_by, filters=tuple(filters), time_range=time_range,
                     order_by=order, limit=filled.limit)


def stored_value(known: list[Any], written: str) -> Any:
    """The stored value a model wrote (case and width folded), or None."""
    folded = written.strip().casefold()
    for value in known:
        if str(value).casefold() == folded:
            return value
    return None
