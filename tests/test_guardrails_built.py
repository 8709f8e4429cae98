"""The guard on the compiler's own tree says exactly what it says on the rendered SQL.

Compiled queries reach the guard as the sqlglot tree the compiler built (``guard(built=...)``)
instead of being parsed again; the verdict — passed, or the refusal and its message — must
be the one parsing the text would give, for every golden spec under every kind of policy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from genbi.errors import UnsafeSQLError
from genbi.semantic_layer.compiled import CompiledQuery
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.guard import SqlPolicy, guard, model_policy
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec

MODEL = load_model()
BASE = model_policy(MODEL)
AS_OF = date(2025, 12, 31)
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "golden" / "specs.yaml").read_text(encoding="utf-8"))


def _without(policy: SqlPolicy, table: str, column: str | None = None) -> SqlPolicy:
    columns = dict(policy.columns)
    if column is None:
        columns.pop(table)
    else:
        columns[table] = columns[table] - {column}
    return SqlPolicy(columns=columns, private=policy.private, allow_private=policy.allow_private)


POLICIES: dict[str, tuple[SqlPolicy | None, tuple[str, ...] | None]] = {
    "none": (None, None),
    "model": (BASE, None),
    "private allowed": (BASE.allowing_private(), None),
    "closed": (BASE.closing("this role has row filters"), None),
    "no campaigns table": (_without(BASE, "campaigns"), None),
    "no orders.revenue": (_without(BASE, "orders", "revenue"), None),
    "no customers.city_tier": (_without(BASE, "customers", "city_tier"), None),
    "tables: orders only": (None, ("orders",)),
}

PII_SPECS = (
    {"metrics": ["revenue"], "group_by": [{"name": "email"}]},
    {"metrics": ["orders"], "group_by": [{"name": "phone"}, {"name": "city"}]},
    {"metrics": ["revenue"], "filters": [{"dimension": "email", "values": ["a@b.com"]}]},
)


def _compiled() -> list[tuple[str, CompiledQuery]]:
    queries = [(case["name"], compile_spec(QuerySpec.model_validate(case["spec"]), MODEL, as_of=AS_OF))
               for case in CASES]
    queries += [(f"pii-{n}", compile_spec(QuerySpec.model_validate(spec), MODEL, as_of=AS_OF, allow_pii=True))
                for n, spec in enumerate(PII_SPECS)]
    return queries


COMPILED = _compiled()


def _verdict(sql: str, policy: SqlPolicy | None, tables: tuple[str, ...] | None, built: Any = None) -> str:
    try:
        guard(sql, policy=policy, allowed_tables=tables, built=built)
    except UnsafeSQLError as refused:
        return f"refused: {refused}"
    return "passed"


@pytest.mark.parametrize("policy_name", sorted(POLICIES))
def test_the_verdict_on_the_built_tree_is_the_verdict_on_the_text(policy_name: str) -> None:
    policy, tables = POLICIES[policy_name]
    verdicts = []
    for name, compiled in COMPILED:
        assert compiled.tree is not None
        on_text = _verdict(compiled.sql, policy, tables)
        on_tree = _verdict(compiled.sql, policy, tables, built=compiled.tree)
        assert on_tree == on_text, name
        verdicts.append(on_text)
    if policy_name in ("none", "private allowed"):
        assert set(verdicts) == {"passed"}
    elif policy_name == "model":  # personal data refused, everything else passes
        assert "passed" in verdicts and any("personal data" in v for v in verdicts)
    else:
        assert "passed" in verdicts or policy_name == "closed"
        assert any(v.startswith("refused") for v in verdicts)


def test_the_built_tree_is_left_as_built() -> None:
    """The tree is shared by every run of a remembered query: guarding it changes nothing."""
    for _, compiled in COMPILED:
        before = compiled.tree.sql(pretty=True) if compiled.tree is not None else ""
        _verdict(compiled.sql, BASE, None, built=compiled.tree)
        assert compiled.tree is not None and compiled.tree.sql(pretty=True) == before
        assert compiled.tree.sql(dialect="duckdb", pretty=True) == compiled.sql
