"""Render the compiler's sqlglot tree as SQL text, the same text ``tree.sql(...)`` gives.

Every answer renders its statement once (the text shown, audited and run is that one
string). sqlglot spends a fifth of that on data types (each ``CAST(... AS TIMESTAMP)`` asks
``is_type`` several times, building a DataType per ask) and a tenth on identifiers, whose
text depends only on the name, its quoting and the dialect. So the generator used here
remembers those per dialect: a plain type (no parameters, no nesting), an identifier or a
plain ``table.column`` renders once. Everything else is sqlglot's own generator, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.generator import Generator

_KEPT = 4096
"""Texts remembered per dialect and kind before the memo starts again (model names are few)."""
_GENERATORS: dict[str, tuple[Dialect, type[Generator]]] = {}


def render(tree: exp.Expr, dialect: str, *, pretty: bool = True) -> str:
    """``tree.sql(dialect=dialect, pretty=pretty, copy=False)``, byte for byte."""
    known = _GENERATORS.get(dialect)
    if known is None:
        engine = Dialect.get_or_raise(dialect)
        known = _GENERATORS[dialect] = (engine, _remembering(engine.generator_class))
    engine, generator = known
    return generator(dialect=engine, pretty=pretty).generate(tree, copy=False)


def _remembering(base: type[Generator]) -> type[Generator]:
    """``base`` with plain data types and identifiers rendered once (per pretty setting)."""
    types: dict[tuple[bool, exp.DType], str] = {}
    names: dict[tuple[str, bool], str] = {}
    columns: dict[tuple[str, bool, str, bool], str] = {}

    def datatype_sql(self: Any, expression: exp.DataType) -> str:
        kind = expression.this
        if not isinstance(kind, exp.DType) or kind in self.UNSUPPORTED_TYPES \
                or any(v for k, v in expression.args.items() if k != "this"):
            return base.datatype_sql(self, expression)
        return _remembered(types, (bool(self.pretty), kind), lambda: base.datatype_sql(self, expression))

    def identifier_sql(self: Any, expression: exp.Identifier) -> str:
        name = expression.this
        if self.identify or self.normalize or not isinstance(name, str):  # more than the name counts
            return base.identifier_sql(self, expression)
        key = (name, bool(expression.args.get("quoted")))
        return _remembered(names, key, lambda: base.identifier_sql(self, expression))

    def column_sql(self: Any, expression: exp.Column) -> str:
        key = _column_key(expression)
        if key is None or self.identify or self.normalize:
            return base.column_sql(self, expression)
        return _remembered(columns, key, lambda: base.column_sql(self, expression))

    return type(f"Remembering{base.__name__}", (base,),
                {"datatype_sql": datatype_sql, "identifier_sql": identifier_sql, "column_sql": column_sql})


def _remembered(memo: dict[Any, str], key: Any, make: Callable[[], str]) -> str:
    text = memo.get(key)
    if text is None:
        if len(memo) >= _KEPT:
            memo.clear()
        text = memo[key] = make()
    return text


def _column_key(column: exp.Column) -> tuple[str, bool, str, bool] | None:
    """What a plain ``table.name`` column's text depends on, or None for any other column
    (a catalog or schema, a star, comments, join marks: rendered the long way)."""
    args = column.args
    name, table = args.get("this"), args.get("table")
    if not isinstance(name, exp.Identifier) or not isinstance(table, exp.Identifier) \
            or name.comments or table.comments or not isinstance(name.this, str) \
            or not isinstance(table.this, str) or any(v for k, v in args.items() if k not in ("this", "table")):
        return None
    return name.this, bool(name.args.get("quoted")), table.this, bool(table.args.get("quoted"))
