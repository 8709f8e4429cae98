"""Load a semantic model from YAML and report every problem in it at once.

``load_model()`` with no argument returns the shipped demo model (``models/demo.yaml``).
Problems (bad YAML, duplicate keys, unknown keys, wrong types, unknown references,
duplicate names, join cycles, unreachable dimensions) are collected and raised together as
one ``ModelValidationError``, each with its line, its path (``metrics[3].numerator``) and,
where something close exists, a "did you mean".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from genbi import safe_yaml
from genbi.errors import ModelError

from .model import Dimension, Measure, Metric, SemanticModel, Table
from .suggest import did_you_mean
from .validation import Problem, validate

_SECTIONS: dict[str, type[BaseModel]] = {
    "tables": Table,
    "dimensions": Dimension,
    "measures": Measure,
    "metrics": Metric,
}
_CLASSES: tuple[type[BaseModel], ...] = (*_SECTIONS.values(), SemanticModel)
_ALL_KEYS = sorted(
    {f for cls in _CLASSES for f in cls.model_fields}
    | {"column", "to", "to_column", "type", "value", "entity", "op", "pii", "grains"}
)


class ModelValidationError(ModelError):
    """A model with problems; ``problems`` lists them all."""

    def __init__(self, source: str, problems: list[Problem], lines: dict[str, int]) -> None:
        rendered = [p.render(_line_of(p.path, lines)) for p in problems]
        super().__init__(
            f"The semantic model {source} has {len(problems)} problem(s):\n  - "
            + "\n  - ".join(rendered),
            "Fix them and load the model again.",
        )
        self.problems = tuple(problems)


def demo_model_path() -> Path:
    """Where the shipped demo model lives."""
    return Path(str(resources.files("genbi.semantic_layer.models").joinpath("demo.yaml")))


def load_model(path: str | Path | None = None) -> SemanticModel:
    """Load and validate a model file; ``None`` gives the shipped demo model.

    >>> load_model().metric("revenue").label
    'Revenue'
    """
    if path is None:
        return _demo_model()
    return _load_file(Path(path))


@lru_cache(maxsize=1)
def _demo_model() -> SemanticModel:
    return _load_file(demo_model_path())


def _load_file(path: Path) -> SemanticModel:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(
            f"No semantic model file at {path}.", "Check the path, or omit it for the demo model."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError(f"The semantic model {path} could not be read: {error}.") from None
    return parse_model_text(text, source=str(path))


def parse_model_text(text: str, *, source: str = "<text>") -> SemanticModel:
    """Parse and validate YAML text."""
    data, lines = _read_yaml(text, source)
    return parse_model(data, source=source, lines=lines)


def parse_model(
    data: Any, *, source: str = "<data>", lines: dict[str, int] | None = None
) -> SemanticModel:
    """Validate an already-parsed mapping (e.g. from tests or a model-drafting tool)."""
    problems: list[Problem] = []
    model = _build(data, problems)
    if model is not None:
        problems += validate(model, skip=_invalid_names(data, problems))
    if problems:
        raise ModelValidationError(source, problems, lines or {})
    assert model is not None
    return model


# --- structure ----------------------------------------------------------------------------


def _build(data: Any, problems: list[Problem]) -> SemanticModel | None:
    if not isinstance(data, Mapping):
        problems.append(Problem("(top)", "The model must be a mapping with name, tables, ..."))
        return None
    kept: dict[str, list[BaseModel]] = {}
    for section, cls in _SECTIONS.items():
        items = data.get(section, [])
        if not isinstance(items, list):
            problems.append(Problem(section, f"'{section}' must be a list."))
            continue
        kept[section] = []
        for i, item in enumerate(items):
            try:
                kept[section].append(cls.model_validate(item))
            except ValidationError as error:
                problems += _pydantic_problems(f"{section}[{i}]", error, cls)
    rest = {k: v for k, v in data.items() if k not in _SECTIONS}
    try:
        return SemanticModel.model_validate({**rest, **kept})
    except ValidationError as error:
        problems += _pydantic_problems("", error, SemanticModel)
        return None


def _invalid_names(data: Any, problems: list[Problem]) -> frozenset[str]:
    """Names of entries whose own shape was wrong (reported once, not again as unknown)."""
    broken = {p.path.split(".")[0] for p in problems}
    names = set()
    for section in _SECTIONS:
        items = data.get(section, []) if isinstance(data, Mapping) else []
        for i, item in enumerate(items if isinstance(items, list) else []):
            if f"{section}[{i}]" in broken and isinstance(item, Mapping):
                names.add(str(item.get("name")))
    return frozenset(names)


def _pydantic_problems(prefix: str, error: ValidationError, cls: type[BaseModel]) -> list[Problem]:
    problems = []
    for item in error.errors():
        path = prefix
        for part in item["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        problems.append(_describe(path or "(top)", item, _keys_at(cls, item["loc"][:-1])))
    return problems


def _keys_at(cls: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where ``loc`` points (falls back to every key the schema knows)."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return _ALL_KEYS
        current = _model_in(fields[part].annotation)
    return list(getattr(current, "model_fields", {})) or _ALL_KEYS


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``X``, ``tuple[X, ...]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _describe(path: str, item: Any, keys: list[str]) -> Problem:
    kind, key = item["type"], str(item["loc"][-1]) if item["loc"] else ""
    if kind == "missing":
        return Problem(path, f"'{key}' is required.")
    if kind == "extra_forbidden":
        return Problem(path, f"Unknown key '{key}'.", did_you_mean(key, keys))
    if kind == "string_pattern_mismatch":
        return Problem(
            path,
            f"'{item['input']}' is not a valid name.",
            "Use lower-case letters, digits and '_', starting with a letter.",
        )
    return Problem(path, f"{item['msg']} (got {item['input']!r}).")


# --- YAML ---------------------------------------------------------------------------------


def _read_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    try:
        node, data = safe_yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ModelError(
            f"The semantic model {source} is not valid YAML{where}: {problem}.",
            "Check indentation, colons and quotes around that line.",
        ) from None
    lines: dict[str, int] = {}
    if node is not None:
        _map_lines(node, "", lines)
    return data, lines


def _map_lines(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            _map_lines(value_node, f"{path}.{key}" if path else key, lines)
            lines[f"{path}.{key}" if path else key] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _map_lines(child, f"{path}[{i}]", lines)


def _line_of(path: str, lines: dict[str, int]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None
