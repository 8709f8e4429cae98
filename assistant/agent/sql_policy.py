"""What ``run_sql`` refuses beyond the guard: personal data, in any spelling.

The guard allows one read-only SELECT over the modelled tables; this check also refuses any
reference to a column of a PII dimension (``email``, ``phone``), ``*`` over a table that
has one, DuckDB's ``COLUMNS(...)`` and a table name used as a value (DuckDB turns
``SELECT customers FROM customers`` into whole rows).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from genbi.errors import UnsafeSQLError
from genbi.semantic_layer.model import SemanticModel


def pii_columns(model: SemanticModel) -> dict[str, set[str]]:
    """Table -> its columns behind PII dimensions."""
    found: dict[str, set[str]] = {}
    for dimension in model.dimensions:
        if dimension.pii and dimension.column:
            found.setdefault(dimension.table, set()).add(dimension.column.lower())
    return found


def check_no_pii(sql: str, model: SemanticModel, *, dialect: str = "duckdb") -> None:
    """Raise ``UnsafeSQLError`` when ``sql`` could read personal data."""
    private = pii_columns(model)
    if not private:
        return
    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except SqlglotError as error:
        raise UnsafeSQLError(f"Refused: the SQL could not be parsed ({str(error).splitlines()[0]}).",
                             "Write one complete SELECT statement.") from None
    names = {c for columns in private.values() for c in columns}
    tables = {t.name.lower() for t in tree.find_all(exp.Table)}
    private_tables = {t for t in private if t in tables}
    hint = "Personal data (" + ", ".join(sorted(names)) + ") is never available to the assistant."
    for column in tree.find_all(exp.Column):
        if column.name.lower() in names or column.name.lower() in private_tables:
            raise UnsafeSQLError(f"The query reads personal data ({column.name}).", hint)
    stars = [s for s in tree.find_all(exp.Star) if not isinstance(s.parent, exp.Count)]
    if private_tables and stars:
        raise UnsafeSQLError(
            f"SELECT * over {', '.join(sorted(private_tables))} would include personal data.",
            "List the columns you need instead.",
        )
    for function in tree.find_all(exp.Func):
        if type(function).__name__ == "Columns" or str(function.name).lower() == "columns":
            raise UnsafeSQLError("COLUMNS(...) is not allowed here.", "List the columns you need.")
