"""The compiler's renderer gives sqlglot's own text, byte for byte, whatever the tree."""

from __future__ import annotations

from datetime import date

import pytest
import sqlglot
import yaml
from test_semantic_golden import GOLDEN

from genbi.semantic_layer import DIALECTS, QuerySpec, compile_spec, load_model
from genbi.semantic_layer.rendering import render

MODEL = load_model()
CASES = yaml.safe_load((GOLDEN / "specs.yaml").read_text(encoding="utf-8"))

WRITTEN = (  # what the remembered parts (types, identifiers, table.column) must not misrender
    'SELECT "Orders"."Revenue", orders.revenue, "select", "a b", o."x""y" FROM orders AS o',
    "SELECT CAST(a AS DECIMAL(10, 2)), CAST(b AS VARCHAR(20)), CAST(c AS TIMESTAMP), CAST(d AS DATE) FROM t",
    "SELECT CAST(a AS INT[]), CAST(b AS STRUCT(x INT, y TEXT)), CAST(c AS MAP(TEXT, INT)) FROM t",
    "SELECT CAST(a AS TIMESTAMPTZ), CAST(b AS TIME), CAST(c AS TIMESTAMP WITH TIME ZONE) FROM t",
    "SELECT cat.sch.tbl.col, sch.tbl.col, tbl.* , t.col /* note */, t /* a */.c FROM cat.sch.tbl AS t",
    "SELECT 1 AS x -- a comment\nFROM t WHERE t.a >= CAST('2025-01-01' AS DATE) AND t.b IS NOT NULL",
    "WITH s AS (SELECT a.k, SUM(a.v) AS v FROM a GROUP BY a.k) SELECT s.k, s.v FROM s ORDER BY s.v DESC LIMIT 5",
)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_golden_query_renders_as_sqlglot_renders_it(dialect: str) -> None:
    for case in CASES:
        compiled = compile_spec(QuerySpec.model_validate(case["spec"]), MODEL, dialect=dialect,
                                as_of=date(2025, 12, 31))
        assert compiled.tree is not None
        assert compiled.sql == compiled.tree.sql(dialect=dialect, pretty=True), case["name"]
        assert render(compiled.tree, dialect, pretty=False) == compiled.tree.sql(dialect=dialect), case["name"]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("sql", WRITTEN)
def test_written_statements_render_as_sqlglot_renders_them(dialect: str, sql: str) -> None:
    tree = sqlglot.parse_one(sql, read="duckdb")
    for pretty in (True, False):  # twice: the second time from what was remembered
        for _ in range(2):
            assert render(tree, dialect, pretty=pretty) == tree.sql(dialect=dialect, pretty=pretty)
