"""The SQL guard: the one gate every statement passes before it reaches a warehouse.

Whatever wrote the SQL (the compiler, the LLM agent, a user at ``genbi sql``, a tool), it
runs only if it is exactly one read-only query. sqlglot parses ``DROP TABLE`` as happily as
``SELECT``, so the statement types are checked here, on the AST, rather than trusted. The
warehouse connection is also read-only with external access off, so this is the first of
two locks, and the one that gives a marketer a readable refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from genbi.errors import UnsafeSQLError

_READ_ROOTS = (exp.Select, exp.SetOperation, exp.Subquery)

_WRITE_NODES: dict[type[exp.Expr], str] = {
    exp.Insert: "INSERT",
    exp.Update: "UPDATE",
    exp.Delete: "DELETE",
    exp.Merge: "MERGE",
    exp.Create: "CREATE",
    exp.Drop: "DROP",
    exp.Alter: "ALTER",
    exp.TruncateTable: "TRUNCATE",
    exp.Copy: "COPY",
    exp.Attach: "ATTACH",
    exp.Detach: "DETACH",
    exp.Pragma: "PRAGMA",
    exp.Set: "SET",
    exp.Command: "a command",
    exp.Use: "USE",
    exp.Transaction: "a transaction",
    exp.Commit: "COMMIT",
    exp.Rollback: "ROLLBACK",
    exp.Install: "INSTALL",
    exp.Describe: "DESCRIBE",
    exp.Show: "SHOW",
    exp.LoadData: "LOAD DATA",
}

_FILE_FUNCTIONS = frozenset(
    {
        "read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "read_json",
        "read_json_auto", "read_json_objects", "read_ndjson", "read_ndjson_auto",
        "read_ndjson_objects", "read_text", "read_blob", "glob", "sniff_csv", "query",
        "query_table", "iceberg_scan", "delta_scan", "sqlite_scan", "sqlite_attach",
        "postgres_scan", "postgres_attach", "mysql_scan", "getenv", "read_xlsx",
        "parquet_metadata", "parquet_schema", "httpfs", "csv_scan", "duckdb_secrets",
    }
)
_HARMLESS_TABLE_FUNCTIONS = frozenset({"unnest", "range", "generate_series"})

logging.getLogger("sqlglot").setLevel(logging.ERROR)


def guard(
    sql: str,
    *,
    dialect: str = "duckdb",
    allowed_tables: Iterable[str] | None = None,
) -> exp.Expr:
    """Return the parsed statement if ``sql`` is one read-only query, else raise.

    ``allowed_tables`` (lower-case names), when given, is the complete list of tables the
    query may read; CTE names declared in the query itself are always allowed.
    """
    if not sql or not sql.strip():
        raise UnsafeSQLError("The SQL is empty.", "Write one SELECT statement.")
    statements = _parse(sql, dialect)
    if len(statements) != 1:
        raise UnsafeSQLError(
            f"Only one statement can run at a time; this text holds {len(statements)}.",
            "Remove the extra statements (and any ';' between them) and send one SELECT.",
        )
    tree = statements[0]
    _check_root(tree)
    _check_nodes(tree)
    _check_tables(tree, None if allowed_tables is None else {t.lower() for t in allowed_tables})
    return tree


def _parse(sql: str, dialect: str) -> list[exp.Expr]:
    try:
        parsed = sqlglot.parse(sql, read=dialect)
    except ParseError as error:
        first = error.errors[0] if error.errors else {}
        where = f" (line {first.get('line')}, column {first.get('col')})" if first else ""
        raise UnsafeSQLError(
            f"The SQL could not be read{where}: {first.get('description', error)}.",
            "Check the syntax; genbi runs one SELECT statement.",
        ) from None
    return [statement for statement in parsed if statement is not None]


def _check_root(tree: exp.Expr) -> None:
    if not isinstance(tree, _READ_ROOTS):
        raise UnsafeSQLError(
            f"Refused: {_kind(tree)} is not allowed; genbi only reads data.",
            "Ask a question or send a SELECT query.",
        )


def _check_nodes(tree: exp.Expr) -> None:
    for node in tree.walk():
        for node_type, label in _WRITE_NODES.items():
            if isinstance(node, node_type):
                raise UnsafeSQLError(
                    f"Refused: the query contains {label}; genbi only reads data.",
                    "Send a plain SELECT query.",
                )
        if isinstance(node, exp.Func) and _function_name(node) in _FILE_FUNCTIONS:
            raise UnsafeSQLError(
                f"Refused: the function {_function_name(node)}() reads files, URLs or the "
                "environment, which genbi does not allow.",
                "Query the warehouse's tables instead.",
            )


def _check_tables(tree: exp.Expr, allowed: set[str] | None) -> None:
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        source = table.this
        if isinstance(source, exp.Func):
            name = _function_name(source)
            if name in _HARMLESS_TABLE_FUNCTIONS:
                continue
            raise UnsafeSQLError(
                f"Refused: the table function {name}() is not allowed.",
                "Query the warehouse's tables by name.",
            )
        name = table.name
        if isinstance(source, exp.Identifier) and source.quoted and any(c in name for c in "/\\:."):
            raise UnsafeSQLError(
                f"Refused: '{name}' looks like a file or URL, not a table.",
                "Query the warehouse's tables by name.",
            )
        if allowed is not None and name.lower() not in allowed and name.lower() not in ctes:
            raise UnsafeSQLError(
                f"Refused: the table '{table.sql()}' is not part of the model.",
                f"Tables you can query: {', '.join(sorted(allowed))}.",
            )


def _function_name(node: exp.Expr) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return type(node).__name__.lower()


def _kind(tree: exp.Expr) -> str:
    if isinstance(tree, exp.Command):
        return str(tree.this).upper()
    for node_type, label in _WRITE_NODES.items():
        if isinstance(tree, node_type):
            return label
    return type(tree).__name__.upper()
