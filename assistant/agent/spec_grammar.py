"""The spec's JSON schema as a llama.cpp grammar (GBNF) that allows no layout whitespace.

llama.cpp turns ``response_format`` JSON schemas into grammars that let the model indent and
break lines; a 1.5B model often does, and on two CPU cores each generated token costs
~0.1–0.3 s: the same spec pretty-printed took 78–178 tokens against 32–60 on one line. Only
llama.cpp servers read ``grammar`` (see ``spec_call``), so only they are sent it; the
grammar accepts exactly the documents the schema accepts, written on one line with at most
one space after ``:`` and ``,``. Covers the schema subset ``spec_schema.fill_schema``
writes: objects with required properties, arrays with ``maxItems``, strings (enums, or
free with ``maxLength``), booleans and bounded integers.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BASE = {
    "sp": '" "?',
    "char": r'[^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})',
    "boolean": '"true" | "false"',
}


class GrammarError(ValueError):
    """A schema construct the compact grammar does not cover (a programming error)."""


def compact_grammar(schema: dict[str, Any]) -> str:
    """GBNF for ``schema`` (root rule ``root``)."""
    rules: dict[str, str] = dict(_BASE)
    rules["root"] = _node(schema, "root", rules)
    order = ["root", *(k for k in rules if k != "root")]
    return "\n".join(f"{name} ::= {rules[name]}" for name in order) + "\n"


def _node(schema: dict[str, Any], name: str, rules: dict[str, str]) -> str:
    kind = schema.get("type")
    if "enum" in schema:
        return " | ".join(_literal(json.dumps(v, ensure_ascii=False)) for v in schema["enum"])
    if kind == "string":
        limit = int(schema.get("maxLength", 200))
        return f'"\\"" char{{0,{limit}}} "\\""'
    if kind == "boolean":
        return "boolean"
    if kind == "integer":
        high = int(schema.get("maximum", 10**9))
        if schema.get("minimum", 0) < 0:
            raise GrammarError("negative integers are not covered")
        return f'"0" | [1-9] [0-9]{{0,{max(0, len(str(high)) - 1)}}}'
    if kind == "array":
        item = _rule(schema["items"], f"{name}-item", rules)
        most = int(schema.get("maxItems", 16))
        more = f' ("," sp {item}){{0,{most - 1}}}' if most > 1 else ""
        return f'"[" ({item}{more})? "]"'
    if kind == "object":
        properties: dict[str, Any] = schema.get("properties", {})
        if set(schema.get("required", [])) != set(properties):
            raise GrammarError("every property must be required")
        parts = []
        for i, (key, sub) in enumerate(properties.items()):
            value = _rule(sub, f"{name}-{_slug(key)}", rules)
            parts.append(('"," sp ' if i else "") + _literal(json.dumps(key)) + ' ":" sp ' + value)
        return '"{" ' + " ".join(parts) + ' "}"'
    raise GrammarError(f"schema type {kind!r} is not covered")


def _rule(schema: dict[str, Any], name: str, rules: dict[str, str]) -> str:
    """A named rule for ``schema`` (kept small for the server's grammar parser)."""
    if schema.get("type") == "boolean" and "enum" not in schema:
        return "boolean"
    rules[name] = _node(schema, name, rules)
    return name


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
