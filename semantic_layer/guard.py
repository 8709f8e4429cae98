"""The SQL guard: the one gate every statement passes before it reaches a warehouse.

Whatever wrote the SQL (the compiler, the LLM agent, a user at ``genbi sql``, a tool), it
runs only if it is exactly one read-only query. sqlglot parses ``DROP TABLE`` as happily as
``SELECT``, so the statement types are checked here, on the AST, rather than trusted. The
warehouse connection is also read-only with external access off, so this is the first of
two locks, and the one that gives a marketer a readable refusal.

With a ``SqlPolicy`` (the semantic model's tables and columns, see ``model_policy``) the
guard also resolves every column to the table it comes from (sqlglot's ``qualify`` against
the schema) and refuses, by name, any column outside the allow-list and any personal-data
column the caller may not read, however it is spelled: an alias, a CTE, ``*``, a subquery,
``COLUMNS(...)`` or a table used as a value (DuckDB turns ``SELECT c FROM customers c``
into whole rows).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError, ParseError, SqlglotError, TokenError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope
from sqlglot.schema import MappingSchema

from genbi.errors import UnsafeSQLError

if TYPE_CHECKING:
    from .model import SemanticModel

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
        "current_setting", "getvariable", "load_extension",
    }
) | frozenset(
    {  # server engines: files, other servers, settings and the JVM (see semantic_layer/backends)
        "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "lo_import",
        "lo_export", "lo_get", "lo_put", "lo_from_bytea", "set_config", "dblink", "dblink_exec",
        "dblink_connect", "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf",
        "pg_rotate_logfile", "nextval", "setval", "pg_advisory_lock", "query_to_xml",
        "reflect", "java_method", "try_reflect", "input_file_name", "read_files",
    }
)
_HARMLESS_TABLE_FUNCTIONS = frozenset({"unnest", "range", "generate_series"})

logging.getLogger("sqlglot").setLevel(logging.ERROR)


@dataclass(frozen=True)
class SqlPolicy:
    """What a statement may read: the allow-list of tables and columns, and which of them
    are personal data. Names are lower-case. Build one from a model with ``model_policy``."""

    columns: Mapping[str, frozenset[str]]
    """Table -> the columns a statement may reference; no other table may be read."""
    private: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Table -> its personal-data columns, refused unless ``allow_private``."""
    allow_private: bool = False
    """True for a role allowed to read personal data (and never for a prompt to an LLM)."""
    closed: str | None = None
    """When set, every statement is refused with this reason (e.g. a role with row filters,
    which only compiled queries can honour)."""

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(sorted(self.columns))

    def allowing_private(self, allowed: bool = True) -> SqlPolicy:
        return replace(self, allow_private=allowed)

    def closing(self, reason: str | None) -> SqlPolicy:
        return replace(self, closed=reason)


def policy_digest(policy: SqlPolicy | None) -> str:
    """A stable digest of what a policy lets a statement read and see (every statement run
    is keyed by it: remembered per policy, as ``_schemas`` remembers its sqlglot schema)."""
    if policy is None:
        return "none"
    key = (id(policy.columns), id(policy.private), policy.allow_private, policy.closed)
    known = _DIGESTS.get(key)
    if known is not None and known[0] is policy.columns and known[1] is policy.private:
        return known[2]
    digest = _digest(policy)
    if len(_DIGESTS) >= _MAX_SCHEMAS:
        _DIGESTS.clear()
    _DIGESTS[key] = (policy.columns, policy.private, digest)
    return digest


_DIGESTS: dict[tuple[int, int, bool, str | None], tuple[object, object, str]] = {}
"""``policy_digest`` per (columns, private mapping, allow_private, closed), the mappings kept
alive beside it so an id is never reused for another one."""


def _digest(policy: SqlPolicy) -> str:
    canonical = json.dumps({
        "columns": {t: sorted(c) for t, c in sorted(policy.columns.items())},
        "private": {t: sorted(c) for t, c in sorted(policy.private.items())},
        "allow_private": policy.allow_private,
        "closed": policy.closed,
    }, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def model_policy(model: SemanticModel) -> SqlPolicy:
    """The model's tables and columns; the columns behind ``pii`` dimensions are private."""
    from .expressions import parse_expression, referenced_columns

    columns = {t.name.lower(): frozenset(c.name.lower() for c in t.columns) for t in model.tables}
    private: dict[str, set[str]] = {}
    for dimension in model.dimensions:
        if not dimension.pii:
            continue
        names = [dimension.column] if dimension.column else list(
            referenced_columns(parse_expression(dimension.expr or ""))
        )
        private.setdefault(dimension.table.lower(), set()).update(n.lower() for n in names)
    return SqlPolicy(columns=columns, private={t: frozenset(c) for t, c in private.items()})


_ACTIVE: ContextVar[SqlPolicy | None] = ContextVar("genbi_sql_policy", default=None)


def active_policy() -> SqlPolicy | None:
    """The policy of the request being answered (see ``policy_scope``), if any."""
    return _ACTIVE.get()


@contextlib.contextmanager
def policy_scope(policy: SqlPolicy | None) -> Iterator[None]:
    """Make ``policy`` the one every ``Warehouse.run`` without an explicit policy applies
    while one request is answered (the LLM agent's SQL included)."""
    token = _ACTIVE.set(policy)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def guard(
    sql: str,
    *,
    dialect: str = "duckdb",
    allowed_tables: Iterable[str] | None = None,
    policy: SqlPolicy | None = None,
    schema: Mapping[str, Mapping[str, str]] | None = None,
    built: exp.Expr | None = None,
) -> exp.Expr:
    """Return the parsed statement if ``sql`` is one read-only query, else raise.

    ``allowed_tables`` (lower-case names), when given, is the complete list of tables the
    query may read; CTE names declared in the query itself are always allowed. ``policy``
    adds the column allow-list and personal data (its tables are the allowed ones too);
    ``schema`` (table -> column -> type, the warehouse's real columns) lets ``*`` expand to
    what the warehouse would really return.

    ``built``: the tree ``sql`` was rendered from, when genbi's own compiler built it; the
    same checks run on it instead of on a fresh parse of the text (parsing took a third of
    the check). Text from anyone else (a user, an LLM, a tool) is always parsed.
    """
    if not sql or not sql.strip():
        raise UnsafeSQLError("The SQL is empty.", "Write one SELECT statement.")
    if policy is not None and policy.closed:
        raise UnsafeSQLError(f"Refused: {policy.closed}", "Ask the question in words instead.")
    _check_nesting(sql)
    try:
        return _guard(sql, dialect, allowed_tables, policy, schema, built)
    except RecursionError:
        raise _too_complex() from None


MAX_NESTING = 25
"""Deepest parenthesis nesting a statement may have: sqlglot's parser and optimizer recurse
about twenty Python frames per level, so a hostile ``((((…))))`` would otherwise end in a
``RecursionError`` instead of a refusal. Compiled SQL stays far below this."""


def _check_nesting(sql: str) -> None:
    if sql.count("(") <= MAX_NESTING:
        return  # cannot nest deeper than it opens (the common case, without a loop over the text)
    depth = deepest = 0
    for char in sql:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(depth - 1, 0)
    if deepest > MAX_NESTING:
        raise _too_complex()


def _too_complex() -> UnsafeSQLError:
    return UnsafeSQLError(
        f"Refused: the SQL is too complex to check (more than {MAX_NESTING} nested parentheses).",
        "Simplify it: fewer nested expressions or subqueries.",
    )


def _guard(
    sql: str,
    dialect: str,
    allowed_tables: Iterable[str] | None,
    policy: SqlPolicy | None,
    schema: Mapping[str, Mapping[str, str]] | None,
    built: exp.Expr | None = None,
) -> exp.Expr:
    statements = [built] if built is not None else _parse(sql, dialect)
    if len(statements) != 1:
        raise UnsafeSQLError(
            f"Only one statement can run at a time; this text holds {len(statements)}.",
            "Remove the extra statements (and any ';' between them) and send one SELECT.",
        )
    tree = statements[0]
    _check_root(tree)
    allowed = None if allowed_tables is None else {t.lower() for t in allowed_tables}
    if policy is not None:
        allowed = set(policy.columns) if allowed is None else allowed & set(policy.columns)
    survey = _survey(tree) if built is not None else None
    if survey is not None:  # the compiler's tree, seen in one walk with nothing the checks below refuse
        _check_table_list(survey.tables, survey.ctes, allowed)
        if policy is not None:
            _check_columns(tree, policy, schema, dialect, built=True, survey=survey)
        return tree
    _check_nodes(tree)
    _check_tables(tree, allowed)
    if policy is not None:
        _check_columns(tree, policy, schema, dialect, built=built is not None)
    return tree


@dataclass(frozen=True)
class _Survey:
    """What one walk of a tree found for the checks: its CTE names and tables (in walk order),
    and its sources and columns when it is a plain single-scope SELECT (``_plain_parts``)."""

    ctes: set[str]
    tables: list[exp.Table]
    plain: tuple[dict[str, str], list[exp.Column]] | None


def _survey(tree: exp.Expr) -> _Survey | None:
    """One walk doing the work of ``_check_nodes``, ``_check_tables``' walk, ``_check_shapes``
    and ``_plain_parts`` (four walks of the compiler's tree per answer). None when the walk
    meets anything one of them refuses or looks at twice (a write, a file function, a shape
    the column check cannot see through): the caller then runs each check as written, so
    refusals and their messages are theirs."""
    ctes: set[str] = set()
    tables: list[exp.Table] = []
    sources: dict[str, str] = {}
    columns: list[exp.Column] = []
    plain = isinstance(tree, exp.Select)
    kinds = _KINDS
    for node in _nodes(tree):
        kind = kinds.get(type(node))
        if kind is None:
            kind = _kind_of(type(node))
        if not kind:  # most nodes (literals, identifiers, operators): nothing below applies
            continue
        if kind & _K_STOP or (kind & _K_FUNC and _function_name(node) in _SURVEY_STOPS):
            return None
        if kind & _K_STAR and not isinstance(node.parent, exp.Select | exp.Column | exp.Count):
            return None
        if kind & _K_CTE:
            ctes.add(node.alias_or_name.lower())
        elif kind & _K_TABLE:
            tables.append(node)  # type: ignore[arg-type]
        if not plain or node is tree:
            continue
        if kind & _K_NOT_PLAIN or (kind & _K_UNUSUAL and _unusual(node)):
            plain = False
        elif kind & _K_COLUMN:
            columns.append(node)  # type: ignore[arg-type]
        elif kind & _K_TABLE:
            plain = _plain_table(node, sources)  # type: ignore[arg-type]
        elif kind & _K_ALIAS and node.parent is tree and not _plain_name(node.args.get("alias")):
            plain = False
    return _Survey(ctes, tables, (sources, columns) if plain else None)


_K_STOP, _K_FUNC, _K_STAR, _K_CTE, _K_TABLE, _K_NOT_PLAIN, _K_UNUSUAL, _K_COLUMN, _K_ALIAS = (1 << i for i in range(9))
_KINDS: dict[type, int] = {}
"""What ``_survey`` asks of a node, by the node's class: the ``isinstance`` answers, worked
out once per sqlglot class (they depend on the class alone) instead of for every node."""


def _kind_of(node_type: type) -> int:
    kind = 0
    for flag, types in ((_K_STOP, _STOP_TYPES), (_K_FUNC, exp.Func), (_K_STAR, exp.Star), (_K_CTE, exp.CTE),
                        (_K_TABLE, exp.Table), (_K_NOT_PLAIN, _NOT_PLAIN),
                        (_K_UNUSUAL, (exp.Join, exp.Distinct, exp.Star)), (_K_COLUMN, exp.Column),
                        (_K_ALIAS, exp.Alias)):
        if issubclass(node_type, types):
            kind |= flag
    _KINDS[node_type] = kind
    return kind


_SURVEY_STOPS = _FILE_FUNCTIONS | {"columns"}


def _nodes(tree: exp.Expr) -> list[exp.Expr]:
    """``tree.walk()``'s nodes in its order (breadth first), gathered without a generator per
    node: the walk was most of the guard's time on a compiled query."""
    nodes = [tree]
    expression = exp.Expr
    at = 0
    while at < len(nodes):
        for value in nodes[at].args.values():
            if isinstance(value, list):
                nodes += [v for v in value if isinstance(v, expression)]
            elif isinstance(value, expression):
                nodes.append(value)
        at += 1
    return nodes


def _parse(sql: str, dialect: str) -> list[exp.Expr]:
    try:
        parsed = sqlglot.parse(sql, read=dialect)
    except TokenError as error:  # an unterminated string or comment
        raise UnsafeSQLError(
            f"The SQL could not be read: {_first_line(error)}.",
            "Check the quotes and comments; genbi runs one SELECT statement.",
        ) from None
    except ParseError as error:
        keyword = _leading_keyword(sql)
        if keyword in _REFUSED_KEYWORDS:
            raise UnsafeSQLError(
                f"Refused: {keyword} is not allowed; genbi only reads data.",
                "Ask a question or send a SELECT query.",
            ) from None
        first = error.errors[0] if error.errors else {}
        where = f" (line {first.get('line')}, column {first.get('col')})" if first else ""
        raise UnsafeSQLError(
            f"The SQL could not be read{where}: {first.get('description', error)}.",
            "Check the syntax; genbi runs one SELECT statement.",
        ) from None
    return [statement for statement in parsed if statement is not None]


_REFUSED_KEYWORDS = frozenset({
    "EXPORT", "IMPORT", "COPY", "ATTACH", "DETACH", "INSTALL", "LOAD", "PRAGMA", "SET", "RESET",
    "CALL", "VACUUM", "CHECKPOINT", "CREATE", "DROP", "ALTER", "INSERT", "UPDATE", "DELETE",
    "MERGE", "TRUNCATE", "GRANT", "REVOKE", "USE", "BEGIN", "COMMIT", "ROLLBACK", "UPSERT",
})
_LEADING = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*([A-Za-z_]+)", re.DOTALL)


def _leading_keyword(sql: str) -> str:
    found = _LEADING.match(sql)
    return found.group(1).upper() if found else ""


def _check_root(tree: exp.Expr) -> None:
    if not isinstance(tree, _READ_ROOTS):
        raise UnsafeSQLError(
            f"Refused: {_kind(tree)} is not allowed; genbi only reads data.",
            "Ask a question or send a SELECT query.",
        )


_WRITE_TYPES = tuple(_WRITE_NODES)
_STOP_TYPES = (*_WRITE_TYPES, exp.PositionalColumn, exp.Columns)
"""What ``_survey`` leaves to the checks as written: writes and the shapes ``_check_shapes`` refuses."""


def _check_nodes(tree: exp.Expr) -> None:
    for node in tree.walk():
        if isinstance(node, _WRITE_TYPES):  # one check per node; the label of the first type that matches
            label = next(label for node_type, label in _WRITE_NODES.items() if isinstance(node, node_type))
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
    ctes: set[str] = set()
    tables: list[exp.Table] = []
    for node in tree.walk():  # one walk for both, tables in the order ``find_all`` gives them
        if isinstance(node, exp.CTE):
            ctes.add(node.alias_or_name.lower())
        elif isinstance(node, exp.Table):
            tables.append(node)
    _check_table_list(tables, ctes, allowed)


def _check_table_list(tables: list[exp.Table], ctes: set[str], allowed: set[str] | None) -> None:
    for table in tables:
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
        if allowed is not None and (table.catalog or table.db.lower() not in ("", "main")):
            raise UnsafeSQLError(
                f"Refused: the table '{table.sql()}' is outside the warehouse's main schema.",
                f"Tables you can query: {', '.join(sorted(allowed))}.",
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


# --- the column allow-list ------------------------------------------------------------------

_UNRESOLVED = re.compile(
    r"Column '(?P<column>[^']+)' could not be resolved(?: for table: '(?P<table>[^']+)')?"
    r"|Unknown column: (?P<unknown>[^\s.]+)"
)


def _check_columns(
    tree: exp.Expr, policy: SqlPolicy, schema: Mapping[str, Mapping[str, str]] | None, dialect: str,
    *, built: bool = False, survey: _Survey | None = None,
) -> None:
    """Resolve every column to its table and check it against the allow-list.

    ``built``: the tree is the compiler's own; when it is one plain SELECT whose columns all
    name their table (see ``_plainly_allowed``) there is nothing for sqlglot's resolver to
    resolve, and the allow-list is checked directly (the resolver was most of an answer's
    guard). Anything else, and every refusal, goes the whole way. ``survey``: what
    ``_survey`` found in the tree (its shapes are then already checked)."""
    if survey is None:
        _check_shapes(tree)
    if built and (_plainly_allowed(tree, policy, schema, dialect, survey)
                  or ((survey is None or survey.plain is None) and _scopes_allowed(tree, policy, schema, dialect))):
        return
    qualified = _qualified(tree, policy, schema, dialect)
    whole = dot = star = None  # the first of each, in the order ``find_all`` walks (one walk for three)
    for node in qualified.walk():
        if whole is None and isinstance(node, exp.TableColumn):
            whole = node
        if dot is None and isinstance(node, exp.Dot):
            dot = node
        if star is None and isinstance(node, exp.Star) and not isinstance(node.parent, exp.Count):
            star = node
    if whole is not None:
        raise UnsafeSQLError(
            f"Refused: '{whole.sql(dialect=dialect)}' reads whole rows of a table.",
            "Name the columns you need.",
        )
    if dot is not None:
        raise UnsafeSQLError(f"Refused: '{dot.sql(dialect=dialect)}' reaches inside a column.",
                             "Name plain columns of the model's tables.")
    if star is not None:
        raise UnsafeSQLError("Refused: '*' could not be expanded to known columns.",
                             "Name the columns you need.")
    for scope in traverse_scope(qualified):
        for column in scope.columns:
            _check_column(column, scope, policy)


def _check_shapes(tree: exp.Expr) -> None:
    """What the column check cannot see through: positional references (DuckDB's ``#10`` is
    the tenth column of the FROM clause, whatever its name), ``COLUMNS(...)`` and ``*`` in a
    function."""
    for node in tree.walk():
        if isinstance(node, exp.PositionalColumn):
            raise UnsafeSQLError(
                f"Refused: the positional column reference '{node.sql(dialect='duckdb')}' is not "
                "allowed.",
                "Name the column instead (ORDER BY 1 / GROUP BY 1 still work).",
            )
        if isinstance(node, exp.Columns) or (
            isinstance(node, exp.Anonymous) and str(node.name).lower() == "columns"
        ):
            raise UnsafeSQLError("Refused: COLUMNS(...) is not allowed.", "Name the columns you need.")
        if isinstance(node, exp.Star) and not isinstance(node.parent, exp.Select | exp.Column | exp.Count):
            raise UnsafeSQLError(
                f"Refused: '*' inside {node.parent.key.upper() if node.parent else 'an expression'} "
                "is not allowed.",
                "Name the columns you need.",
            )


_SCHEMAS: dict[tuple[int, int, str], tuple[object, object, MappingSchema, dict[str, frozenset[str]]]] = {}
"""The sqlglot schema of a (policy's columns, warehouse schema, dialect), built once:
normalising a model's worth of columns took a fifth of every check. Keyed by the identity
of the policy's column mapping, which every request's copy of a policy shares
(``allowing_private``, ``closing``), the objects kept alive beside it so an id is never
reused for another one."""
_MAX_SCHEMAS = 64


def _sqlglot_schema(policy: SqlPolicy, schema: Mapping[str, Mapping[str, str]] | None,
                    dialect: str) -> MappingSchema:
    return _schemas(policy, schema, dialect)[0]


def _readable(policy: SqlPolicy, schema: Mapping[str, Mapping[str, str]] | None,
              dialect: str) -> dict[str, frozenset[str]]:
    """Table -> the columns a query may name: in the sqlglot schema the resolver uses (the
    warehouse's real columns where known) and in the policy's allow-list."""
    return _schemas(policy, schema, dialect)[1]


def _schemas(policy: SqlPolicy, schema: Mapping[str, Mapping[str, str]] | None,
             dialect: str) -> tuple[MappingSchema, dict[str, frozenset[str]]]:
    key = (id(policy.columns), id(schema), dialect)
    known = _SCHEMAS.get(key)
    if known is not None and known[0] is policy.columns and known[1] is schema:
        return known[2], known[3]
    real = schema or {}
    lowered: dict[str, dict[str, str]] = {
        table.lower(): {c.lower(): kind for c, kind in real[table].items()} if table in real
        else dict.fromkeys(columns, "UNKNOWN")
        for table, columns in policy.columns.items()
    }
    tables: dict[str, object] = dict(lowered)
    built = MappingSchema(tables, dialect=dialect)
    readable = {table: frozenset(lowered.get(table, ())) & columns
                for table, columns in policy.columns.items()}
    if len(_SCHEMAS) >= _MAX_SCHEMAS:
        _SCHEMAS.clear()
    _SCHEMAS[key] = (policy.columns, schema, built, readable)
    return built, readable


def prepare(policy: SqlPolicy, schema: Mapping[str, Mapping[str, str]] | None, dialect: str = "duckdb") -> None:
    """Do the guard's one-time work for ``policy`` on a warehouse now (its sqlglot schema, and
    sqlglot's own first use of the parser and column resolver), so that an assistant pays it
    when it opens rather than in its first answer."""
    guard("SELECT 1 AS warm_up", dialect=dialect, policy=policy, schema=schema)


def _qualified(
    tree: exp.Expr, policy: SqlPolicy, schema: Mapping[str, Mapping[str, str]] | None, dialect: str
) -> exp.Expr:
    try:
        return qualify(tree.copy(), schema=_sqlglot_schema(policy, schema, dialect), dialect=dialect,
                       validate_qualify_columns=True, quote_identifiers=False, identify=False)
    except OptimizeError as error:
        found = _UNRESOLVED.search(str(error))
        if found:
            column = str(found["column"] or found["unknown"])
            table = found["table"] or _table_of(tree, column)
            where = f"{table}.{column}" if table else column
            raise UnsafeSQLError(
                f"Refused: the column '{where}' is not part of the model.",
                "The model browser lists the tables and columns you can query.",
            ) from None
        raise UnsafeSQLError(f"Refused: {_first_line(error)}.", "Name each column's table.") from None
    except SqlglotError as error:
        raise UnsafeSQLError(
            f"Refused: the columns of this SQL could not be checked ({_first_line(error)}).",
            "Write a plain SELECT over the model's tables.",
        ) from None


_NOT_PLAIN = (exp.Query, exp.Subquery, exp.With, exp.CTE, exp.Lateral, exp.Unnest, exp.UDTF,
              exp.Pivot, exp.Lambda, exp.Dot, exp.TableColumn, exp.Columns, exp.PositionalColumn)
"""Nodes whose columns only sqlglot's resolver can place (scopes, aliases of sources, struct
access, lambdas' own names): a compiled tree holding one is checked the whole way."""


def _plainly_allowed(
    tree: exp.Expr, policy: SqlPolicy, schema: Mapping[str, Mapping[str, str]] | None, dialect: str,
    survey: _Survey | None = None,
) -> bool:
    """True when ``tree`` is one SELECT over plain tables whose every column is written
    ``table.column`` with a column the policy allows and the warehouse has, lower-case and
    unquoted, except ORDER BY naming an output column: what qualifying would pass unchanged.
    False means "not sure" (never "refused"): the caller then runs the whole check."""
    if not isinstance(tree, exp.Select) or not _lowercase_dialect(dialect):
        return False
    found = survey.plain if survey is not None else _plain_parts(tree)
    if found is None or _has_ordinal(tree):
        return False
    sources, columns = found
    readable = _readable(policy, schema, dialect)
    outputs = [select.alias_or_name for select in tree.selects]
    order = tree.args.get("order")
    for column in columns:
        if column.args.get("db") or column.args.get("catalog") or not _plain_name(column.this):
            return False
        qualifier = column.args.get("table")
        if qualifier is None:  # only ORDER BY <output column>, which qualify leaves as it is
            ordered = column.parent
            if not (isinstance(ordered, exp.Ordered) and ordered.parent is order
                    and outputs.count(column.name) == 1):
                return False
            continue
        table = sources.get(qualifier.name) if _plain_name(qualifier) else None
        if table is None or column.name not in readable.get(table, frozenset()):
            return False
        if column.name in policy.private.get(table, frozenset()) and not policy.allow_private:
            return False
    return True


_SCOPE_ARGS = frozenset({"expressions", "distinct", "from_", "joins", "where", "group", "having", "order",
                         "limit", "offset"})
"""The parts of a SELECT the scoped check reads (``with_`` too, on the outermost query); a
SELECT with anything else set (a lateral view, QUALIFY, a named window, hints, ...) goes the
whole way."""
_SET_ARGS = frozenset({"this", "expression", "distinct"})
_NOT_IN_SCOPE = (exp.With, exp.CTE, exp.Lateral, exp.Unnest, exp.UDTF, exp.Pivot, exp.Lambda, exp.Dot,
                 exp.TableColumn, exp.Columns, exp.PositionalColumn)


@dataclass(frozen=True)
class _Readable:
    """What the scoped check knows of one source of a SELECT: the names it may read, and its
    personal-data columns (none for a CTE: its own SELECT was checked)."""

    names: frozenset[str]
    private: frozenset[str] = frozenset()


def _scopes_allowed(
    tree: exp.Expr, policy: SqlPolicy, schema: Mapping[str, Mapping[str, str]] | None, dialect: str,
) -> bool:
    """The direct check for a compiled tree of several SELECTs: CTEs (ROAS joins revenue and
    spend aggregated apart), a UNION of group keys, ``IN (SELECT ...)`` for a member
    condition. sqlglot's resolver took 1-3 ms on these, more than many whole queries.

    True when every SELECT reads only its own plain tables and the CTEs defined before it,
    each column naming its source (or the only one) and being one the policy allows and the
    warehouse has, or one of the CTE's outputs; ORDER BY may name an output. No correlated
    subqueries, derived tables, recursion or clause the resolver would rewrite. False means
    "not sure" (never "refused"): the caller then runs the whole check, so every refusal and
    its message stays the resolver's."""
    if not _lowercase_dialect(dialect) or not isinstance(tree, exp.Select | exp.SetOperation):
        return False
    readable = _readable(policy, schema, dialect)
    private = {table: frozenset() if policy.allow_private else columns for table, columns in policy.private.items()}
    ctes: dict[str, _Readable] = {}
    with_ = tree.args.get("with_")
    if with_ is not None:
        if any(value for key, value in with_.args.items() if key != "expressions"):
            return False  # RECURSIVE, SEARCH, CYCLE
        for cte in with_.expressions:
            alias = cte.args.get("alias")
            if (not isinstance(cte, exp.CTE) or any(v is not None for k, v in cte.args.items() if k not in ("this", "alias"))
                    or not isinstance(alias, exp.TableAlias) or alias.args.get("columns")
                    or not _plain_name(alias.this) or alias.name in ctes):
                return False
            outputs = _query_outputs(cte.this, ctes, readable, private)
            if outputs is None:
                return False
            ctes[alias.name] = _Readable(frozenset(outputs))
    return _query_outputs(tree, ctes, readable, private, outermost=True) is not None


def _query_outputs(query: exp.Expr, ctes: Mapping[str, _Readable], readable: Mapping[str, frozenset[str]],
                   private: Mapping[str, frozenset[str]], *, outermost: bool = False) -> list[str] | None:
    """A checked query's output names (a UNION's are its first SELECT's), None when not sure."""
    def extra(key: str, value: object, allowed: frozenset[str]) -> bool:
        return value is not None and value != [] and key not in allowed and not (outermost and key == "with_")

    if isinstance(query, exp.SetOperation):
        if any(extra(key, value, _SET_ARGS) for key, value in query.args.items()):
            return None
        left = _query_outputs(query.this, ctes, readable, private)
        right = _query_outputs(query.expression, ctes, readable, private)
        return left if left is not None and right is not None and len(left) == len(right) else None
    if (not isinstance(query, exp.Select) or _has_ordinal(query)
            or any(extra(key, value, _SCOPE_ARGS) for key, value in query.args.items())):
        return None
    sources = _scope_sources(query, ctes, readable, private)
    outputs = _output_names(query)
    if sources is None or outputs is None:
        return None
    return outputs if _scope_reads_allowed(query, sources, outputs, ctes, readable, private) else None


def _output_names(query: exp.Select) -> list[str] | None:
    """Each output a plain alias or column, named once."""
    outputs: list[str] = []
    for projection in query.expressions:
        if isinstance(projection, exp.Alias) and not _plain_name(projection.args.get("alias")):
            return None
        if not isinstance(projection, exp.Alias | exp.Column):
            return None
        outputs.append(projection.alias_or_name)
    return outputs if len(set(outputs)) == len(outputs) else None


def _scope_reads_allowed(query: exp.Select, sources: Mapping[str, _Readable], outputs: list[str],
                         ctes: Mapping[str, _Readable], readable: Mapping[str, frozenset[str]],
                         private: Mapping[str, frozenset[str]]) -> bool:
    """Every node of one SELECT's own scope (its subqueries are checked as queries of their own,
    seeing only their own sources: a correlated one is "not sure")."""
    order = query.args.get("order")
    items = {id(source) for source in _from_items(query)}
    stack = [child for key, value in query.args.items() if key != "with_"
             for child in (value if isinstance(value, list) else [value]) if isinstance(child, exp.Expr)]
    while stack:
        node = stack.pop()
        if isinstance(node, exp.Subquery | exp.Query):
            plain_wrapper = not isinstance(node, exp.Subquery) or all(
                value is None for key, value in node.args.items() if key != "this")
            if not plain_wrapper or _query_outputs(node.this if isinstance(node, exp.Subquery) else node,
                                                   ctes, readable, private) is None:
                return False
        elif isinstance(node, exp.Table):
            if id(node) not in items:
                return False
        elif isinstance(node, _NOT_IN_SCOPE) or _unusual(node) or (
                isinstance(node, exp.Column) and not _column_in_scope(node, sources, outputs, order)):
            return False
        else:
            stack.extend(node.iter_expressions())
    return True


def _from_items(query: exp.Select) -> list[exp.Expr]:
    from_ = query.args.get("from_")
    return [from_.this if from_ is not None else None,
            *(join.this for join in query.args.get("joins") or [])]


def _scope_sources(query: exp.Select, ctes: Mapping[str, _Readable], readable: Mapping[str, frozenset[str]],
                   private: Mapping[str, frozenset[str]]) -> dict[str, _Readable] | None:
    """Name or alias -> what a SELECT's FROM and JOINs may read; None unless each is a plain
    table or an earlier CTE, named once."""
    sources: dict[str, _Readable] = {}
    for item in _from_items(query):
        if not isinstance(item, exp.Table) or not _plain_table(item, {}) or item.alias_or_name in sources:
            return None
        name = item.name
        sources[item.alias_or_name] = ctes[name] if name in ctes else _Readable(
            readable.get(name, frozenset()), private.get(name, frozenset()))
    return sources


def _column_in_scope(column: exp.Column, sources: Mapping[str, _Readable], outputs: list[str],
                     order: exp.Expr | None) -> bool:
    if column.args.get("db") or column.args.get("catalog") or not _plain_name(column.this):
        return False
    qualifier = column.args.get("table")
    if qualifier is None:
        ordered = column.parent
        if (order is not None and isinstance(ordered, exp.Ordered) and ordered.parent is order
                and outputs.count(column.name) == 1):
            return True
        if len(sources) != 1:
            return False
        source = next(iter(sources.values()))
    else:
        found = sources.get(qualifier.name) if _plain_name(qualifier) else None
        if found is None:
            return False
        source = found
    return column.name in source.names and column.name not in source.private


def _plain_parts(tree: exp.Select) -> tuple[dict[str, str], list[exp.Column]] | None:
    """The sources (name or alias -> table) and columns of a single-scope SELECT over plain
    tables, or None when it holds anything else."""
    sources: dict[str, str] = {}
    columns: list[exp.Column] = []
    for node in tree.walk():
        if node is tree:
            continue
        if isinstance(node, _NOT_PLAIN) or _unusual(node):
            return None
        if isinstance(node, exp.Column):
            columns.append(node)
        elif isinstance(node, exp.Table):
            if not _plain_table(node, sources):
                return None
        elif isinstance(node, exp.Alias) and node.parent is tree and not _plain_name(node.args.get("alias")):
            return None
    return sources, columns


def _plain_table(node: exp.Table, sources: dict[str, str]) -> bool:
    """Add a plain table (a lower-case name, no schema, alias columns, joins or pivots, not
    named twice) to ``sources``; False for any other."""
    alias = node.args.get("alias")
    if (not _plain_name(node.args.get("this")) or node.args.get("db") or node.args.get("catalog")
            or node.args.get("joins") or node.args.get("pivots") or node.alias_or_name in sources
            or (alias is not None and (alias.args.get("columns") or not _plain_name(alias.args.get("this"))))):
        return False
    sources[node.alias_or_name] = node.name
    return True


def _unusual(node: exp.Expr) -> bool:
    """A join USING, DISTINCT ON, or ``*`` other than COUNT(*): qualify would rewrite them."""
    return bool(
        (isinstance(node, exp.Join) and node.args.get("using"))
        or (isinstance(node, exp.Distinct) and node.args.get("on"))
        or (isinstance(node, exp.Star) and not isinstance(node.parent, exp.Count))
    )


def _has_ordinal(tree: exp.Select) -> bool:
    """GROUP BY 1 / ORDER BY 2: resolved against the output columns by qualify."""
    for clause in (tree.args.get("group"), tree.args.get("order")):
        if clause is not None and any(
            isinstance(item.this if isinstance(item, exp.Ordered) else item, exp.Literal)
            for item in clause.expressions
        ):
            return True
    return False


def _plain_name(identifier: object) -> bool:
    """An unquoted lower-case identifier: what normalising leaves as it is."""
    return (isinstance(identifier, exp.Identifier) and not identifier.quoted
            and identifier.name == identifier.name.lower())


_LOWERCASE_CANDIDATES = ("duckdb", "postgres", "spark", "databricks", "sqlite", "mysql")


@functools.cache
def _lowercase_dialect(name: str) -> bool:
    """Whether ``name`` is a dialect where an unquoted lower-case name normalises to itself
    and no pseudo-column hides among plain names (others are checked the whole way). Each
    dialect is looked at when first met: a command on DuckDB loads no other sqlglot dialect."""
    if name not in _LOWERCASE_CANDIDATES:
        return False
    dialect = sqlglot.Dialect.get_or_raise(name)
    return not dialect.PSEUDOCOLUMNS and dialect.NORMALIZATION_STRATEGY in (
        sqlglot.dialects.dialect.NormalizationStrategy.LOWERCASE,
        sqlglot.dialects.dialect.NormalizationStrategy.CASE_INSENSITIVE)


def _table_of(tree: exp.Expr, name: str) -> str | None:
    """The qualifier written before an unknown column (``customers.password``), if any."""
    for column in tree.find_all(exp.Column):
        if column.name.lower() == name.lower() and column.table:
            return column.table
    return None


def _check_column(column: exp.Column, scope: Scope, policy: SqlPolicy) -> None:
    if column.args.get("db") or column.args.get("catalog"):
        raise UnsafeSQLError(f"Refused: '{column.sql()}' reaches inside a column.",
                             "Name plain columns of the model's tables.")
    if not column.table:
        return  # a reference to an output alias (ORDER BY n), resolved by qualify
    source = _source(scope, column.table)
    if source is None:
        raise UnsafeSQLError(f"Refused: could not tell which table '{column.sql()}' comes from.",
                             "Name the columns of the model's tables.")
    if not isinstance(source, exp.Table) or isinstance(source.this, exp.Func):
        return  # a CTE or subquery (checked in its own scope), or range() / unnest()
    table, name = source.name.lower(), column.name.lower()
    if name not in policy.columns.get(table, frozenset()):
        raise UnsafeSQLError(f"Refused: the column '{table}.{name}' is not part of the model.",
                             "The model browser lists the tables and columns you can query.")
    if name in policy.private.get(table, frozenset()) and not policy.allow_private:
        private = sorted(c for cols in policy.private.values() for c in cols)
        raise UnsafeSQLError(
            f"Refused: '{table}.{name}' is personal data, which this role may not read.",
            f"Personal data ({', '.join(private)}) is masked or withheld; ask for counts instead.",
        )


def _source(scope: Scope, name: str) -> exp.Expr | Scope | None:
    current: Scope | None = scope
    while current is not None:
        found = current.sources.get(name)
        if found is not None:
            return found
        current = current.parent
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
