"""What sqlglot's translation leaves for an engine to refuse or to get wrong, fixed on the tree.

genbi writes its SQL in DuckDB's dialect; sqlglot translates most of it. What remains:

- DuckDB casts a boolean straight to a number (``CAST(converted AS DOUBLE)``); Postgres
  refuses. Column types come from the warehouse's own catalog, so only columns that really
  are boolean become ``CAST(CAST(col AS INT) AS DOUBLE PRECISION)``.
- ``WITH x AS MATERIALIZED (...)`` is a hint only Postgres also reads; elsewhere it is dropped.
- A subquery in FROM needs a name in Postgres: an unnamed one gets ``_q<n>``.
- ``to_days(n)`` (DuckDB) has no translation: it becomes ``n * INTERVAL '1' DAY``.
- ``ANY_VALUE`` is missing before Postgres 16: ``MIN`` is one of the values, as asked.
- DuckDB's ``TIMESTAMP`` is naive, Spark's is in the session's time zone: Spark gets
  ``TIMESTAMP_NTZ`` (the demo's timestamps are loaded as such), so no cluster setting moves
  a period boundary.
- Spark averages a decimal (``1.0`` is one) in the decimal's few digits; DuckDB in DOUBLE:
  Spark's ``AVG`` gets a DOUBLE argument.
- Spark's ``COLLECT_LIST`` (sqlglot's ``ARRAY_AGG``) drops ``ORDER BY``, which would scramble
  customer journeys: an ordered ``ARRAY_AGG`` becomes the sorted list of (keys, value)
  structs, mapped back to the values.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp

_NUMBERS = {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT, exp.DataType.Type.DECIMAL,
            exp.DataType.Type.BIGINT, exp.DataType.Type.INT, exp.DataType.Type.SMALLINT}


def for_engine(tree: exp.Expr, dialect: str, schema: Mapping[str, Mapping[str, str]]) -> exp.Expr:
    """``tree`` with the rewrites ``dialect`` needs (nothing for DuckDB)."""
    if dialect == "duckdb":
        return tree
    for number, subquery in enumerate(tree.find_all(exp.Subquery)):
        if not subquery.alias and isinstance(subquery.parent, exp.From | exp.Join):
            subquery.set("alias", exp.TableAlias(this=exp.to_identifier(f"_q{number}")))
    for days in list(tree.find_all(exp.ToDays)):
        days.replace(exp.Mul(this=exp.paren(days.this.copy()),
                             expression=exp.Interval(this=exp.Literal.string("1"), unit=exp.var("DAY"))))
    if dialect == "postgres":
        _boolean_casts(tree, schema)
        for any_value in list(tree.find_all(exp.AnyValue)):
            any_value.replace(exp.Min(this=any_value.this.copy()))
    if dialect != "postgres":  # a planner hint only DuckDB and Postgres read
        for cte in tree.find_all(exp.CTE):
            cte.set("materialized", None)
    if dialect == "spark":
        for average in list(tree.find_all(exp.Avg)):  # DuckDB averages in DOUBLE, Spark a
            average.this.replace(exp.cast(average.this.copy(), exp.DataType.Type.DOUBLE))  # decimal in its scale
        for aggregate in list(tree.find_all(exp.ArrayAgg)):
            _ordered_collect(aggregate)
        for kind in list(tree.find_all(exp.DataType)):
            if kind.this == exp.DataType.Type.TIMESTAMP:
                kind.set("this", exp.DataType.Type.TIMESTAMPNTZ)
    return tree


def _boolean_casts(tree: exp.Expr, schema: Mapping[str, Mapping[str, str]]) -> None:
    tables = {t.name.lower() for t in tree.find_all(exp.Table)}
    kinds: dict[str, set[str]] = {}
    for table in tables & set(schema):
        for column, kind in schema[table].items():
            kinds.setdefault(column.lower(), set()).add(kind.upper())
    for cast in list(tree.find_all(exp.Cast)):
        inner = cast.this
        target = cast.args.get("to")
        if not isinstance(inner, exp.Column) or not isinstance(target, exp.DataType):
            continue
        if target.this in _NUMBERS and kinds.get(inner.name.lower()) == {"BOOLEAN"}:
            inner.replace(exp.cast(inner.copy(), exp.DataType.Type.INT))


def _ordered_collect(aggregate: exp.ArrayAgg) -> None:
    """``ARRAY_AGG(v ORDER BY k1, k2)`` -> ``TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(k1 AS k0,
    k2 AS k1, v AS v))), s -> s.v)``, for ascending keys (descending ones are left alone)."""
    inner = aggregate.this
    if not isinstance(inner, exp.Order):
        return
    keys = inner.expressions
    if any(key.args.get("desc") for key in keys):
        return
    fields = [exp.alias_(key.this.copy(), f"k{i}") for i, key in enumerate(keys)]
    fields.append(exp.alias_(inner.this.copy(), "v"))
    collected = exp.ArrayAgg(this=exp.Struct(expressions=fields))
    lambda_ = exp.Lambda(this=exp.Dot(this=exp.to_identifier("s"), expression=exp.to_identifier("v")),
                         expressions=[exp.to_identifier("s")])
    aggregate.replace(exp.Anonymous(this="TRANSFORM", expressions=[
        exp.Anonymous(this="ARRAY_SORT", expressions=[collected]), lambda_]))
