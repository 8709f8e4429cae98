"""SQL snippets in the model (measure expressions and filters, derived metric formulas).

They are parsed once with sqlglot into ASTs, checked to be plain expressions (no
subqueries, no statements, no file-reading functions), and later re-qualified with a table
alias or substituted with other expressions by the compiler: never pasted into SQL text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from genbi.errors import ModelError

_FORBIDDEN = (exp.Query, exp.Subquery, exp.Table, exp.Star, exp.Placeholder)


@lru_cache(maxsize=1024)
def _parse(snippet: str, tables: bool = False) -> exp.Expr:
    try:
        tree = sqlglot.parse_one(snippet, read="duckdb")
    except (ParseError, TokenError) as error:
        errors = getattr(error, "errors", None) or [{"description": str(error)}]
        raise ModelError(
            f"The SQL expression '{snippet}' could not be read: {errors[0]['description']}.",
            "Write a plain SQL expression over the table's columns, e.g. 'quantity * unit_price'.",
        ) from None
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN) or (isinstance(node, exp.Column) and node.table
                                            and (not tables or node.args.get("db"))):
            raise ModelError(
                f"The SQL expression '{snippet}' must use bare column names only.",
                "Drop subqueries, table names and '*'; the compiler adds table names itself.",
            )
    return tree


def parse_expression(snippet: str, *, tables: bool = False) -> exp.Expr:
    """A fresh copy of the parsed ``snippet`` (raises ModelError if it is not an expression);
    with ``tables``, a column may be ``table.column`` (a measure reading a parent's column)."""
    return _parse(snippet.strip(), tables).copy()


def parsed(snippet: str, *, tables: bool = False) -> exp.Expr:
    """The parsed ``snippet`` itself, shared by every caller: only for functions that copy
    before they change anything (``qualify``, ``replace_columns``, ``null_safe_divisions``),
    which saves the compiler a copy per snippet. Never change it."""
    return _parse(snippet.strip(), tables)


AS_OF_DATE = "as_of_date"
"""A name a dimension's expression may use for the as-of date ("today" of the question):
``EXTRACT(YEAR FROM as_of_date) - birth_year`` is the customer's age on that day. It is
bound to a DATE literal when the query is built, never read from a table."""


def referenced_columns(tree: exp.Expr) -> tuple[str, ...]:
    """Bare column names in ``tree``, in order of appearance, without repeats (``as_of_date``
    is not a column)."""
    return tuple(dict.fromkeys(c.name for c in tree.find_all(exp.Column) if c.name.lower() != AS_OF_DATE))


def bind_as_of(tree: exp.Expr, as_of: date) -> exp.Expr:
    """Copy of ``tree`` with ``as_of_date`` as the DATE literal of ``as_of``."""
    literal = exp.cast(exp.Literal.string(as_of.isoformat()), exp.DataType.build("DATE"))
    tree = tree.copy()
    if isinstance(tree, exp.Column) and tree.name.lower() == AS_OF_DATE:
        return literal
    for column in list(tree.find_all(exp.Column)):
        if column.name.lower() == AS_OF_DATE:
            column.replace(literal.copy())
    return tree


def qualify(tree: exp.Expr, table: str) -> exp.Expr:
    """Copy of ``tree`` with every column prefixed by ``table`` (``as_of_date`` stays bare)."""
    return replace_columns(tree, lambda name: exp.column(name) if name.lower() == AS_OF_DATE
                           else exp.column(name, table=table))


def qualify_parents(tree: exp.Expr, table: str, alias_for: Callable[[str], str] | None) -> exp.Expr:
    """``qualify`` for a measure: a column already qualified by another table (a parent the
    measure's rows link to) gets that table's join alias from ``alias_for``."""
    qualified = [c for c in tree.find_all(exp.Column) if c.table and c.table != table]
    if not qualified:
        return qualify(tree, table)
    if alias_for is None:
        raise ModelError(f"'{qualified[0].sql()}' names another table where no join is made.",
                         "Use the measure in a query over its own table.")
    resolver = alias_for

    def placed(column: exp.Column) -> exp.Expr:
        if column.name.lower() == AS_OF_DATE and not column.table:
            return exp.column(column.name)
        owner = column.table if column.table and column.table != table else None
        return exp.column(column.name, table=resolver(owner) if owner else table)

    tree = tree.copy()
    if isinstance(tree, exp.Column):
        return placed(tree)
    for column in list(tree.find_all(exp.Column)):
        column.replace(placed(column))
    return tree


def replace_columns(tree: exp.Expr, replacement: Callable[[str], exp.Expr]) -> exp.Expr:
    """Copy of ``tree`` with each column ``c`` replaced by ``replacement(c)`` (not revisited)."""
    if isinstance(tree, exp.Column):  # a measure of one column (``revenue``): nothing of it is kept to copy
        return replacement(tree.name)
    tree = tree.copy()
    for column in list(tree.find_all(exp.Column)):
        column.replace(replacement(column.name))
    return tree


def safe_divide(numerator: exp.Expr, denominator: exp.Expr) -> exp.Expr:
    """``CAST(n AS DOUBLE) / NULLIF(d, 0)``: a true division, NULL when ``d`` is 0."""
    return exp.Div(
        this=exp.cast(numerator, exp.DataType.Type.DOUBLE),
        expression=exp.Nullif(this=denominator, expression=exp.Literal.number(0)),
    )


def null_safe_divisions(tree: exp.Expr) -> exp.Expr:
    """Copy of ``tree`` with every ``a / b`` made a NULL-safe true division."""
    tree = tree.copy()
    divisions = [node for node in tree.dfs() if isinstance(node, exp.Div)]
    for node in reversed(divisions):  # innermost first
        safe = safe_divide(node.this, node.expression)
        if node is tree:
            return safe
        node.replace(safe)
    return tree
