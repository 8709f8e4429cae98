"""One vocabulary of values and type names, whatever engine answered.

Postgres returns ``SUM(bigint)`` as ``numeric`` (a Decimal), Spark names text ``string``;
genbi's formatting, charts and eval compare what DuckDB returns. Whole decimals become
``int`` and fractional ones ``float``, the way DuckDB answers the same aggregates over the
demo's BIGINT and DOUBLE columns.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlglot import exp
from sqlglot.errors import SqlglotError

_RENAMES = {"TEXT": "VARCHAR", "INT": "INTEGER", "STRING": "VARCHAR", "REAL": "FLOAT"}


def duckdb_type(name: str, dialect: str) -> str:
    """An engine's type name in DuckDB's words ('character varying' -> 'VARCHAR')."""
    try:
        rendered = exp.DataType.build(name, dialect=dialect).sql("duckdb")
    except (SqlglotError, ValueError):
        return name.upper()
    base, paren, rest = rendered.partition("(")
    return _RENAMES.get(base, base) + paren + rest


def plain(value: Any) -> Any:
    """A driver's value as DuckDB's Python client would give it."""
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        return float(value)
    return value


def plain_row(row: Any) -> tuple[Any, ...]:
    return tuple(plain(v) for v in row)
