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


def _verdict(sql: str, policy: SqlPolicy | None, tables: tuple[str, ...] | None, built: Any = None,
             schema: Any = None) -> str:
    try:
        guard(sql, policy=policy, allowed_tables=tables, built=built, schema=schema)
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


# --- compiled trees the allow-list is checked on directly (``_plainly_allowed``) ------------

REAL = {t.name: {c.name: c.type or "VARCHAR" for c in t.columns} for t in MODEL.tables}
"""A warehouse schema as ``Warehouse`` passes it: the model's tables with their types."""
REAL_SHORT = {**REAL, "orders": {c: k for c, k in REAL["orders"].items() if c != "discount"}}
"""A warehouse lacking a column the model names."""


def test_most_golden_trees_take_the_direct_check() -> None:
    """The comparisons below mean something only if the direct check is actually taken."""
    from genbi.semantic_layer.guard import _plainly_allowed

    plain = [name for name, compiled in COMPILED if _plainly_allowed(compiled.tree, BASE, REAL, "duckdb")]
    assert len(plain) > len(COMPILED) // 2
    assert not _plainly_allowed(COMPILED[-1][1].tree, BASE, REAL, "duckdb")  # personal data: the whole way


@pytest.mark.parametrize("schema_name", ["real", "real without orders.discount"])
@pytest.mark.parametrize("policy_name", ["model", "private allowed", "no orders.revenue", "no customers.city_tier"])
def test_the_verdict_with_the_warehouse_schema_is_the_verdict_on_the_text(policy_name: str, schema_name: str) -> None:
    policy, tables = POLICIES[policy_name]
    schema = REAL if schema_name == "real" else REAL_SHORT
    for name, compiled in COMPILED:
        on_text = _verdict(compiled.sql, policy, tables, schema=schema)
        assert _verdict(compiled.sql, policy, tables, built=compiled.tree, schema=schema) == on_text, name


def _mutations(tree: Any) -> list[tuple[str, Any]]:
    """Copies of ``tree`` with one column or table reference changed the ways a bug in the
    compiler could change it: another table's column, an unknown or personal-data column,
    no table or an unknown one, upper case, quoted, a table alias."""
    from sqlglot import exp

    found: list[tuple[str, Any]] = []
    count = len(list(tree.find_all(exp.Column)))
    edits = {
        "email": lambda c: c.set("this", exp.to_identifier("email")),
        "unknown column": lambda c: c.set("this", exp.to_identifier("password")),
        "discount": lambda c: c.set("this", exp.to_identifier("discount")),
        "no table": lambda c: c.set("table", None),
        "customers": lambda c: c.set("table", exp.to_identifier("customers")),
        "unknown table": lambda c: c.set("table", exp.to_identifier("secrets")),
        "upper": lambda c: c.set("this", exp.to_identifier(c.name.upper())),
        "quoted": lambda c: c.set("this", exp.to_identifier(c.name, quoted=True)),
    }
    for index in range(count):
        for label, edit in edits.items():
            copy = tree.copy()
            edit(list(copy.find_all(exp.Column))[index])
            found.append((f"column {index} {label}", copy))
    for label, alias in (("alias", "o"), ("alias as a table", "customers")):
        copy = tree.copy()
        table = copy.find(exp.Table)
        if table is not None:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
            found.append((label, copy))
    return found


@pytest.mark.parametrize("policy_name", ["model", "no orders.revenue"])
def test_a_changed_tree_gets_the_verdict_its_text_gets(policy_name: str) -> None:
    """The direct check never passes what the whole check refuses, nor refuses differently:
    every column reference of a sample of the trees it takes is changed in turn."""
    from genbi.semantic_layer.guard import _plainly_allowed

    policy, tables = POLICIES[policy_name]
    assert policy is not None
    plain = [(name, compiled) for name, compiled in COMPILED
             if _plainly_allowed(compiled.tree, BASE, REAL, "duckdb")]
    compared = direct = 0
    for name, compiled in plain[::6]:
        for label, tree in _mutations(compiled.tree):
            sql = tree.sql(dialect="duckdb", pretty=True)
            on_text = _verdict(sql, policy, tables, schema=REAL_SHORT)
            assert _verdict(sql, policy, tables, built=tree, schema=REAL_SHORT) == on_text, f"{name}: {label}"
            compared += 1
            direct += _plainly_allowed(tree, policy, REAL_SHORT, "duckdb")
    assert compared > 100 and direct > 10


# --- the one walk (``_survey``) on trees that are not the compiler's ------------------------


def _hand_written() -> list[str]:
    """Every statement the SQL guard's own tests refuse or pass, as text."""
    import test_guardrails_sql as written

    found: list[str] = []
    for test in (written.test_refusals_name_what_was_refused, written.test_reads_of_the_model_still_run):
        for mark in getattr(test, "pytestmark", []):
            if mark.name == "parametrize":
                found += [case[0] if isinstance(case, tuple) else case for case in mark.args[1]]
    return found


@pytest.mark.parametrize("policy_name", ["none", "model", "private allowed", "tables: orders only"])
def test_any_tree_handed_in_gets_the_verdict_its_text_gets(policy_name: str) -> None:
    """Writes, file functions, positional columns, COLUMNS(...), '*' in a function, tables
    outside the schema, CTEs, subqueries, unions: handed in as a tree, each gets the verdict
    (passed, or the refusal and its message) its text gets."""
    import sqlglot

    from genbi.semantic_layer.guard import _survey

    policy, tables = POLICIES[policy_name]
    statements = _hand_written()
    compared = surveyed = 0
    for sql in statements:
        try:
            parsed = sqlglot.parse(sql, read="duckdb")
        except (sqlglot.errors.SqlglotError, RecursionError):
            continue
        if len(parsed) != 1 or parsed[0] is None:
            continue
        on_text = _verdict(sql, policy, tables, schema=REAL)
        assert _verdict(sql, policy, tables, built=parsed[0], schema=REAL) == on_text, sql
        compared += 1
        surveyed += _survey(parsed[0]) is not None
    assert len(statements) > 40 and compared > 30 and 0 < surveyed < compared


def test_golden_trees_are_checked_in_one_walk() -> None:
    from genbi.semantic_layer.guard import _survey

    assert all(_survey(compiled.tree) is not None for _, compiled in COMPILED)


def test_the_one_walk_visits_the_nodes_in_sqlglots_order() -> None:
    """``_survey`` gathers nodes itself; tables (refused in walk order) come in ``walk()``'s."""
    import sqlglot

    from genbi.semantic_layer.guard import _nodes

    trees = [compiled.tree for _, compiled in COMPILED]
    for sql in _hand_written():
        try:
            trees += [tree for tree in sqlglot.parse(sql, read="duckdb") if tree is not None]
        except (sqlglot.errors.SqlglotError, RecursionError):
            continue
    assert len(trees) > len(COMPILED) + 30
    for tree in trees:
        assert [id(node) for node in _nodes(tree)] == [id(node) for node in tree.walk()]


def test_a_policy_digest_is_remembered_for_the_same_policy_only() -> None:
    from genbi.semantic_layer.guard import _digest, policy_digest

    variants = [BASE, BASE.allowing_private(), BASE.closing("no"), _without(BASE, "orders", "revenue"),
                _without(BASE, "campaigns"), SqlPolicy(columns=BASE.columns), BASE.allowing_private(False)]
    digests = [policy_digest(policy) for policy in variants]
    assert digests == [_digest(policy) for policy in variants] == [policy_digest(policy) for policy in variants]
    assert len(set(digests)) == len(digests) - 1  # the last is BASE again


# --- compiled trees of several SELECTs (``_scopes_allowed``) ---------------------------------


def _scoped() -> list[tuple[str, Any]]:
    """Golden trees the single-SELECT check does not take (CTEs, UNIONs, IN (SELECT ...))."""
    from genbi.semantic_layer.guard import _plainly_allowed

    return [(name, compiled.tree) for name, compiled in COMPILED
            if not _plainly_allowed(compiled.tree, BASE.allowing_private(), REAL, "duckdb")]


def test_trees_of_several_selects_take_the_scoped_check() -> None:
    """CTE joins (ratios over two tables), UNIONs of group keys and member conditions as
    ``IN (SELECT ...)`` skip sqlglot's resolver; the comparisons below need them to."""
    from sqlglot import exp

    from genbi.semantic_layer.guard import _scopes_allowed

    scoped = _scoped()
    taken = [tree for _, tree in scoped if _scopes_allowed(tree, BASE.allowing_private(), REAL, "duckdb")]
    assert len(taken) > len(scoped) // 2
    assert any(tree.args.get("with_") is not None for tree in taken)
    assert any(tree.find(exp.Union) is not None for tree in taken)
    assert any(isinstance(node.args.get("query"), exp.Subquery) for tree in taken for node in tree.find_all(exp.In))


SCOPED_POLICIES = ["model", "no orders.revenue", "no customers.city_tier"]


@pytest.mark.parametrize("policy_name", SCOPED_POLICIES)
def test_a_changed_tree_of_several_selects_gets_the_verdict_its_text_gets(policy_name: str) -> None:
    """Every column and table reference of the scoped trees changed in turn (another table's
    or an unknown column, a CTE's name as a qualifier, no qualifier): the scoped check never
    passes what the whole check refuses."""
    from genbi.semantic_layer.guard import _scopes_allowed

    policy, tables = POLICIES[policy_name]
    assert policy is not None
    compared = direct = 0
    offset = SCOPED_POLICIES.index(policy_name)  # each policy a different third of the trees: all are covered
    for name, tree in _scoped()[offset::len(SCOPED_POLICIES)]:
        for label, changed in _mutations(tree):
            sql = changed.sql(dialect="duckdb", pretty=True)
            on_text = _verdict(sql, policy, tables, schema=REAL_SHORT)
            assert _verdict(sql, policy, tables, built=changed, schema=REAL_SHORT) == on_text, f"{name}: {label}"
            compared += 1
            direct += _scopes_allowed(changed, policy, REAL_SHORT, "duckdb")
    assert compared > 100 and direct > 10


@pytest.mark.parametrize(("sql", "sure"), [
    ("WITH x AS (SELECT orders.revenue AS r FROM orders) SELECT x.r FROM x", True),
    ("WITH x AS (SELECT customers.email AS e FROM customers) SELECT x.e FROM x", False),  # personal
    ("WITH x AS (SELECT orders.revenue AS r FROM orders) SELECT x.q FROM x", False),  # not an output
    ("WITH x AS (SELECT orders.revenue AS r FROM orders) SELECT orders.r FROM x", False),  # not a source
    ("WITH x AS (SELECT orders.revenue AS r, orders.discount AS r FROM orders) SELECT x.r FROM x", False),
    ("WITH RECURSIVE x AS (SELECT orders.revenue AS r FROM orders) SELECT x.r FROM x", False),
    ("WITH x AS (SELECT orders.revenue AS r FROM orders) SELECT y.r FROM x AS y", True),
    ("WITH customers AS (SELECT orders.revenue AS email FROM orders) SELECT customers.email FROM customers", True),
    ("SELECT orders.revenue FROM orders WHERE orders.order_id IN (SELECT orders.order_id FROM order_items)", False),
    ("SELECT o.revenue FROM orders AS o WHERE o.customer_id IN "
     "(SELECT customers.customer_id FROM customers WHERE customers.phone = '1')", False),
    ("SELECT orders.revenue FROM orders WHERE orders.customer_id IN "
     "(SELECT customers.customer_id FROM customers WHERE customers.city = 'x')", True),
    ("SELECT orders.revenue FROM orders WHERE orders.customer_id IN (SELECT customer_id FROM customers)", True),
    ("SELECT orders.revenue FROM orders WHERE orders.customer_id IN (SELECT email FROM customers)", False),
    ("SELECT orders.revenue FROM orders WHERE orders.customer_id IN (SELECT * FROM customers)", False),
    ("SELECT x.r FROM (SELECT orders.revenue AS r FROM orders) AS x", False),  # a derived table
    ("SELECT orders.revenue FROM orders UNION SELECT customers.phone FROM customers", False),
    ("SELECT orders.revenue FROM orders UNION SELECT orders.discount FROM orders", True),
    ("SELECT orders.revenue FROM orders UNION SELECT orders.discount, orders.revenue FROM orders", False),
    ("SELECT orders.revenue, (SELECT MAX(o.revenue) FROM orders AS o WHERE o.customer_id = orders.customer_id) "
     "AS m FROM orders", False),  # correlated
    ("SELECT orders.revenue FROM orders JOIN customers USING (customer_id)", False),
    ("SELECT orders.revenue FROM orders WHERE EXISTS (SELECT 1 FROM customers WHERE customers.email = 'a')", False),
])
def test_the_scoped_check_is_sure_only_of_what_the_whole_check_passes(sql: str, sure: bool) -> None:
    import sqlglot

    from genbi.semantic_layer.guard import _scopes_allowed

    tree = sqlglot.parse_one(sql, read="duckdb")
    assert _scopes_allowed(tree, BASE, REAL, "duckdb") is sure
    if sure:
        assert _verdict(sql, BASE, None, schema=REAL) == "passed"
    assert _verdict(sql, BASE, None, built=tree, schema=REAL) == _verdict(sql, BASE, None, schema=REAL)
