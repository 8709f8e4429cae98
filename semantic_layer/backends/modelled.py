"""A server warehouse shown under the semantic model's clean names, as DuckDB's views do.

A model drafted from a server keeps what the warehouse calls things in ``source`` ('Policy
Holder', 'Signup Date') and how a text date is written in ``date_format``. On a DuckDB
file, ``sources.open_modelled`` puts a view over each table. A server is only read, so no
view can be made there: each statement's model tables become a subquery instead, which
renames the columns and reads the text dates with the engine's own date parser::

    SELECT ... FROM signups  ->  SELECT ... FROM (SELECT "Signup Date" ... AS signup_date,
                                                  ... FROM "Signups") AS signups

The statement reaching this backend has already passed the guard over the clean names; the
subqueries add only column reads and date parsing over the tables the model names.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from genbi.errors import UnsafeSQLError, WarehouseError

from ..sources import TableSource, composed_date
from .base import Backend, Fetched
from .location import Location


class ModelledBackend:
    """``inner`` (a server backend) with the model's tables under their clean names."""

    def __init__(self, inner: Backend, sources: Iterable[TableSource]) -> None:
        self.inner = inner
        self.location: Location = inner.location
        self.sources = {t.name.lower(): t for t in sources}
        self.dialect = inner.dialect
        self._real: dict[str, dict[str, str]] | None = None
        if hasattr(inner, "default_timeout_s"):  # the engine's own (Spark's is longer)
            self.default_timeout_s: float = inner.default_timeout_s

    def _real_columns(self) -> dict[str, dict[str, str]]:
        if self._real is None:
            self._real = self.inner.columns()
        return self._real

    def _real_table(self, table: TableSource) -> tuple[str, dict[str, str]]:
        real = {name.lower(): name for name in self._real_columns()}
        found = real.get(table.source.lower())
        if found is None:
            raise WarehouseError(
                f"The model's table '{table.name}' reads '{table.source}', which is not in the warehouse.",
                "Check the table's source in the model (`genbi model check`), or draft it again.")
        return found, self._real_columns()[found]

    def columns(self) -> dict[str, dict[str, str]]:
        """The model's tables under their clean names, text dates typed as what they hold;
        tables the model does not name are shown as they are."""
        shown = {name: columns for name, columns in self._real_columns().items()
                 if name.lower() not in {t.source.lower() for t in self.sources.values()}}
        for table in self.sources.values():
            _found, kinds = self._real_table(table)
            if not table.columns:
                shown[table.name] = dict(kinds) | {clean: "DATE" for clean, _parts, _text in table.composed}
                continue
            parsed = {clean: kind for clean, _fmt, kind in table.parsed}
            by_lower = {name.lower(): kind for name, kind in kinds.items()}
            shown[table.name] = {clean: parsed.get(clean) or by_lower.get(real.lower(), "VARCHAR")
                                 for clean, real in table.columns}
            shown[table.name] |= {clean: "DATE" for clean, _parts, _text in table.composed}
        return shown

    def execute(self, sql: str, *, max_rows: int, timeout_s: float) -> Fetched:
        return self.inner.execute(self.read_through(sql), max_rows=max_rows, timeout_s=timeout_s)

    def cancel(self) -> None:
        self.inner.cancel()

    def close(self) -> None:
        self.inner.close()

    def read_through(self, sql: str) -> str:
        """``sql`` (in the engine's dialect) with every model table read through its subquery."""
        try:
            tree = sqlglot.parse_one(sql, read=self.dialect)
        except SqlglotError as error:
            raise UnsafeSQLError(f"The query could not be read for {self.dialect}: {error}",
                                 "Write it in plain SELECT syntax.") from None
        named = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        for table in list(tree.find_all(exp.Table)):
            source = self.sources.get(table.name.lower())
            if source is None or table.name.lower() in named or table.args.get("db"):
                continue
            alias = table.args.get("alias") or exp.TableAlias(this=table.this.copy())
            table.replace(exp.Subquery(this=self._select(source), alias=alias.copy()))
        return tree.sql(self.dialect)

    def _select(self, table: TableSource) -> exp.Select:
        found, _kinds = self._real_table(table)
        source = exp.Table(this=exp.to_identifier(found, quoted=True))
        composed = [exp.alias_(composed_date(parts, text), clean) for clean, parts, text in table.composed]
        if not table.columns:
            return exp.select("*", *composed).from_(source)
        formats = {clean: (fmt, kind) for clean, fmt, kind in table.parsed}
        return exp.select(*[_read(real, clean, formats.get(clean), self.dialect) for clean, real in table.columns],
                          *composed).from_(source)


def _read(real: str, clean: str, parse: tuple[str, str] | None, dialect: str) -> exp.Expr:
    column = exp.column(exp.to_identifier(real, quoted=True))
    if parse is None:
        return exp.alias_(column, clean)
    fmt, kind = parse
    target = "DATE" if not kind.upper().startswith("TIMESTAMP") else \
        "TIMESTAMP_NTZ" if dialect == "spark" else "TIMESTAMP"  # naive, as DuckDB's (see rewrites)
    literal = exp.Literal.string(fmt).sql("duckdb")
    parsed = sqlglot.parse_one(f"CAST(STRPTIME(CAST(_v AS VARCHAR), {literal}) AS {target})", read="duckdb")
    parsed.find(exp.Column).replace(column)  # type: ignore[union-attr]
    return exp.alias_(parsed, clean)
