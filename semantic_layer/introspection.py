"""Draft a semantic model from a warehouse's schema, for bring-your-own data.

It reads only the schema and a few aggregates, and guesses what a person would write first:
keys by uniqueness, many-to-one relationships by name and value containment, numeric columns
as sum measures, low-cardinality text as dimensions with their values, dates and timestamps
as time columns. The draft is YAML a person then edits (labels in Chinese, synonyms); it
validates and compiles as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml
from sqlglot import exp

from genbi.errors import WarehouseError

from .loader import parse_model
from .model import SemanticModel

MAX_CATEGORY_VALUES = 60
_NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "REAL", "DOUBLE",
            "DECIMAL", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_TEMPORAL = {"DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS",
             "TIMESTAMP_S", "DATETIME"}
_PII = re.compile(r"(^|_)(e_?mail|phone|mobile|tel|address|id_card|passport|full_name|first_name|last_name|birth_?date)($|_)")
_AVERAGED = re.compile(r"(price|rate|ratio|pct|percent|score|age|rating|latitude|longitude)$")
"""Columns whose sum means nothing (unit price): drafted as averages."""
_FILES = ("*.csv", "*.parquet", "*.tsv", "*.json", "*.jsonl")


@dataclass
class ColumnInfo:
    name: str
    type: str
    distinct: int = 0
    nulls: int = 0
    values: list[Any] = field(default_factory=list)

    @property
    def base_type(self) -> str:
        return self.type.upper().split("(")[0]

    @property
    def numeric(self) -> bool:
        return self.base_type in _NUMERIC

    @property
    def temporal(self) -> bool:
        return self.base_type in _TEMPORAL


@dataclass
class TableInfo:
    name: str
    rows: int
    columns: list[ColumnInfo]
    primary_key: str | None = None
    parents: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Foreign key column -> (parent table, parent key)."""

    def column(self, name: str) -> ColumnInfo:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class Draft:
    """A drafted model: its YAML text and what the drafter could not decide."""

    text: str
    report: tuple[str, ...] = ()


def draft_model(source: str | Path, *, name: str | None = None) -> Draft:
    """A draft model for a DuckDB file, a folder of CSV/Parquet files or one such file."""
    path = Path(source).expanduser()
    connection = _connect(path)
    try:
        tables = [_profile(connection, table) for table in _table_names(connection)]
        if not tables:
            raise WarehouseError(f"No tables found in {path}.", "Point --db at a DuckDB file or a folder of CSV/Parquet files.")
        _find_keys(tables)
        _find_relationships(connection, tables)
    finally:
        connection.close()
    data = _model_data(tables, name or _identifier(path.stem or "warehouse"))
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return Draft(text)


def check_draft(text: str) -> SemanticModel:
    """Validate a draft exactly as ``load_model`` would."""
    return parse_model(yaml.safe_load(text), source="draft")


# --- reading the warehouse ------------------------------------------------------------------

def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    if path.is_dir():
        connection = duckdb.connect()
        found = False
        for pattern in _FILES:
            for file in sorted(path.glob(pattern)):
                view = _quote(_identifier(file.stem))
                reader = "read_parquet" if file.suffix == ".parquet" else "read_json_auto" if file.suffix.startswith(".json") else "read_csv_auto"
                literal = exp.Literal.string(str(file)).sql("duckdb")
                connection.execute(f"CREATE VIEW {view} AS SELECT * FROM {reader}({literal})")
                found = True
        if not found:
            raise WarehouseError(f"No CSV, Parquet or JSON files in {path}.", "Put the tables' files in that folder, one file per table.")
        return connection
    if not path.exists():
        raise WarehouseError(f"No warehouse at {path}.", "Pass a DuckDB file or a folder of CSV/Parquet files.")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise WarehouseError(f"{path} could not be opened as a DuckDB file ({str(error).splitlines()[0]}).",
                             "Pass a DuckDB file or a folder of CSV/Parquet files.") from None


def _table_names(connection: duckdb.DuckDBPyConnection) -> list[str]:
    rows = connection.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _profile(connection: duckdb.DuckDBPyConnection, table: str) -> TableInfo:
    quoted = _quote(table)
    described = connection.execute(f"DESCRIBE {quoted}").fetchall()
    counted = connection.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()
    rows = int(counted[0]) if counted else 0
    columns = []
    for column_name, column_type, *_ in described:
        column = _quote(column_name)
        distinct, nulls = connection.execute(
            f"SELECT COUNT(DISTINCT {column}), COUNT(*) - COUNT({column}) FROM {quoted}"
        ).fetchone()  # type: ignore[misc]
        info = ColumnInfo(column_name, str(column_type), int(distinct), int(nulls))
        if str(column_type).upper() in ("VARCHAR", "BOOLEAN") and 0 < distinct <= MAX_CATEGORY_VALUES:
            info.values = [r[0] for r in connection.execute(
                f"SELECT DISTINCT {column} FROM {quoted} WHERE {column} IS NOT NULL ORDER BY 1"
            ).fetchall()]
        columns.append(info)
    return TableInfo(table, rows, columns)


# --- guessing keys and relationships --------------------------------------------------------

def _find_keys(tables: list[TableInfo]) -> None:
    """A key is unique and never null; prefer ``<table>_id``, then ``id``, then any ``*_id``."""
    for table in tables:
        unique = [c for c in table.columns if c.nulls == 0 and c.distinct == table.rows and table.rows > 0 and not c.temporal]
        singular = _singular(table.name)
        preferred = sorted(
            unique,
            key=lambda c: (c.name not in (f"{singular}_id", f"{table.name}_id"), c.name != "id", not c.name.endswith("_id"), table.columns.index(c)),
        )
        if preferred and (preferred[0].name.endswith("id") or preferred[0].numeric):
            table.primary_key = preferred[0].name


def _find_relationships(connection: duckdb.DuckDBPyConnection, tables: list[TableInfo]) -> None:
    """``orders.customer_id`` → ``customers.customer_id`` when every value is a customer."""
    keyed = {t.name: t for t in tables if t.primary_key}
    for table in tables:
        for column in table.columns:
            if column.name == table.primary_key or not column.name.endswith("id"):
                continue
            for parent in keyed.values():
                if parent is table or parent.primary_key is None:
                    continue
                names_match = column.name == parent.primary_key or column.name in (
                    f"{_singular(parent.name)}_id", f"{parent.name}_id")
                if names_match and _contained(connection, table.name, column.name, parent.name, parent.primary_key):
                    table.parents[column.name] = (parent.name, parent.primary_key)
                    break


def _contained(connection: duckdb.DuckDBPyConnection, table: str, column: str, parent: str, key: str) -> bool:
    q = _quote
    missing = connection.execute(
        f"SELECT COUNT(*) FROM {q(table)} c WHERE c.{q(column)} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {q(parent)} p WHERE p.{q(key)} = c.{q(column)})"
    ).fetchone()
    return missing is not None and int(missing[0]) == 0


def _quote(name: str) -> str:
    """An identifier quoted for DuckDB (names come from the warehouse's own catalog)."""
    return exp.Identifier(this=name, quoted=True).sql("duckdb")


# --- writing the model ----------------------------------------------------------------------

def _model_data(tables: list[TableInfo], name: str) -> dict[str, Any]:
    by_name = {t.name: t for t in tables}
    dimensions: list[dict[str, Any]] = []
    measures: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    used: set[str] = set()
    for table in sorted(tables, key=lambda t: -t.rows):
        time = _time_column(table, by_name)
        if table.primary_key and time:
            count = _unique(f"{table.name}_count" if table.name in used else table.name, used)
            measures.append({"name": count, "table": table.name, "agg": "count", "expr": table.primary_key, "time": time})
            metrics.append(_metric(count, count, f"Number of {table.name} rows."))
        for column in table.columns:
            dimension = _dimension(table, column, used)
            if dimension:
                dimensions.append(dimension)
            if _is_measure(table, column) and time:
                measure = _unique(column.name if column.name not in used else f"{table.name}_{column.name}", used)
                agg = "avg" if _AVERAGED.search(column.name) else "sum"
                measures.append({"name": f"{measure}_{agg}", "table": table.name, "agg": agg, "expr": column.name, "time": time})
                word = "Average" if agg == "avg" else "Sum"
                metrics.append(_metric(measure, f"{measure}_{agg}", f"{word} of {table.name}.{column.name}."))
    return {
        "name": name,
        "description": "Drafted by genbi model draft; review labels, synonyms and measures.",
        "tables": [_table(t) for t in tables],
        "dimensions": dimensions,
        "measures": measures,
        "metrics": metrics,
    }


def _table(table: TableInfo) -> dict[str, Any]:
    data: dict[str, Any] = {"name": table.name, "description": f"{table.name} ({table.rows:,} rows)."}
    if table.primary_key:
        data["primary_key"] = table.primary_key
    data["columns"] = [{"name": c.name, "type": c.type} for c in table.columns]
    if table.parents:
        data["many_to_one"] = [{"column": col, "to": parent} for col, (parent, _) in table.parents.items()]
    return data


def _time_column(table: TableInfo, by_name: dict[str, TableInfo], depth: int = 0) -> str | None:
    """The table's first date/timestamp column, else its parent's (order_items → orders)."""
    own = next((c.name for c in table.columns if c.temporal), None)
    if own:
        return f"{table.name}.{own}"
    if depth > 2:
        return None
    for parent, _ in table.parents.values():
        found = _time_column(by_name[parent], by_name, depth + 1)
        if found:
            return found
    return None


def _is_measure(table: TableInfo, column: ColumnInfo) -> bool:
    if not column.numeric or column.name == table.primary_key or column.name in table.parents:
        return False
    identifier_like = column.name.endswith("_id") or column.name == "id"
    return not (identifier_like or re.search(r"(year|month|day|_no|code|zip)$", column.name))


def _dimension(table: TableInfo, column: ColumnInfo, used: set[str]) -> dict[str, Any] | None:
    name = _unique(column.name if column.name not in used else f"{table.name}_{column.name}", used)
    base = {"name": name, "table": table.name, "column": column.name,
            "label": _label(name), "label_zh": _label(name),
            "description": f"{table.name}.{column.name}."}
    if column.temporal:
        return {**base, "type": "time"}
    if column.base_type == "BOOLEAN":
        return {**base, "type": "boolean"}
    if _PII.search(column.name):
        return {**base, "pii": True}
    if column.values and column.name != table.primary_key:
        return {**base, "values": [{"value": v} for v in column.values]}
    used.discard(name)
    return None


def _metric(name: str, measure: str, description: str) -> dict[str, Any]:
    label = _label(name)
    return {"name": name, "type": "simple", "measure": measure, "format": "number",
            "label": label, "label_zh": label, "description": description}


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}_{n}", n + 1
    used.add(candidate)
    return candidate


def _identifier(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")
    return cleaned if cleaned and cleaned[0].isalpha() else f"t_{cleaned}"


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()
