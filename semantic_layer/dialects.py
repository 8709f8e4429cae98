"""What differs between SQL engines, for the few constructs the compiler emits.

sqlglot renders one AST for each engine; this module chooses the AST where engines disagree
on meaning rather than spelling:

- Weeks start on Monday (warehouse contract). ``DATE_TRUNC('WEEK', ...)`` is Monday-based in
  DuckDB, Postgres, Trino, Spark (``TRUNC(.., 'WEEK')``) and Snowflake (with the default
  ``WEEK_START = 0``); BigQuery's ``WEEK`` starts on Sunday, so it gets ``WEEK(MONDAY)``.
- Truncated periods come back as DATE everywhere (DuckDB and Postgres return TIMESTAMP).
- BigQuery's ``TIMESTAMP_TRUNC`` does not take a DATETIME, so there a timestamp is cast to
  DATE before truncating.
- Date arithmetic ("end + 1 day", "last quarter") is done in Python at compile time, so the
  SQL holds only typed literals: ``CAST('2025-01-01' AS DATE)`` for DATE columns and
  ``CAST('2025-01-01 00:00:00' AS TIMESTAMP)`` (BigQuery: DATETIME) for timestamps.
"""

from __future__ import annotations

from datetime import date

from sqlglot import exp

from genbi.errors import ModelError

from .query_spec import DAY_TYPES, WEEKDAY_NAMES, TimeGrain
from .suggest import did_you_mean

DIALECTS = ("duckdb", "postgres", "snowflake", "bigquery", "spark", "trino")
"""Engines the compiler is tested against (golden SQL per dialect)."""

_DATE = exp.DataType.Type.DATE
_TIMESTAMP = exp.DataType.Type.TIMESTAMP


def check_dialect(dialect: str) -> str:
    """``dialect`` if supported, else a ModelError listing the supported ones."""
    if dialect in DIALECTS:
        return dialect
    raise ModelError(
        f"Unknown SQL dialect '{dialect}'.",
        did_you_mean(dialect, DIALECTS) or f"Supported dialects: {', '.join(DIALECTS)}.",
    )


def to_day(column: exp.Expr, *, is_date: bool) -> exp.Expr:
    """The column as a DATE (timestamps are cast)."""
    return column if is_date else exp.cast(column, _DATE)


def truncate(column: exp.Expr, grain: TimeGrain, *, is_date: bool, dialect: str) -> exp.Expr:
    """The first day of the ``grain`` period holding ``column``, as a DATE (for a part of the
    week, its name: ``date_part``)."""
    if grain in (TimeGrain.WEEKDAY, TimeGrain.DAY_TYPE):
        return date_part(column, grain, is_date=is_date, dialect=dialect)
    if grain == TimeGrain.HOUR:  # a DATE has no hour: the resolver refuses it before this
        return exp.Extract(this=exp.var("HOUR"), expression=column)
    if grain == TimeGrain.DAY:
        return to_day(column, is_date=is_date)
    unit: exp.Expr = exp.var(grain.value.upper())
    if dialect == "bigquery" and grain == TimeGrain.WEEK:
        unit = exp.WeekStart(this=exp.var("MONDAY"))
    if is_date or dialect == "bigquery":
        trunc: exp.Expr = exp.DateTrunc(this=to_day(column, is_date=is_date), unit=unit)
    else:
        trunc = exp.TimestampTrunc(this=column, unit=unit)
    return exp.cast(trunc, _DATE)


def iso_weekday(column: exp.Expr, *, is_date: bool, dialect: str) -> exp.Expr:
    """The ISO day of the week of ``column``: 1 = Monday … 7 = Sunday, on every engine.

    sqlglot's ``DayOfWeekIso`` is right for DuckDB (``ISODOW``), Snowflake, BigQuery and
    Trino; for Postgres it renders a function Postgres lacks, and for Spark a formula that is
    off (Spark's ``DAYOFWEEK`` counts from Sunday), so those two are spelled here."""
    day = to_day(column, is_date=is_date)
    if dialect == "postgres":
        return exp.Extract(this=exp.var("ISODOW"), expression=day)
    if dialect == "spark":  # WEEKDAY: 0 = Monday … 6 = Sunday
        return exp.Paren(this=exp.Add(this=exp.Anonymous(this="WEEKDAY", expressions=[day]),
                                      expression=exp.Literal.number(1)))
    return exp.DayOfWeekIso(this=day)


def date_part(column: exp.Expr, grain: TimeGrain, *, is_date: bool, dialect: str) -> exp.Expr:
    """The part of the week ``column`` falls on, as text: its weekday's English name
    ('Monday' …) or 'weekday' / 'weekend' (Saturday and Sunday)."""
    number = iso_weekday(column, is_date=is_date, dialect=dialect)
    if grain == TimeGrain.WEEKDAY:
        return exp.Case(this=number, ifs=[
            exp.If(this=exp.Literal.number(i), true=exp.Literal.string(name))
            for i, name in enumerate(WEEKDAY_NAMES, start=1)])
    assert grain == TimeGrain.DAY_TYPE, grain
    weekend = exp.In(this=number, expressions=[exp.Literal.number(6), exp.Literal.number(7)])
    return exp.Case(ifs=[exp.If(this=weekend, true=exp.Literal.string(DAY_TYPES[1]))],
                    default=exp.Literal.string(DAY_TYPES[0]))


def day_literal(day: date, *, is_date: bool) -> exp.Expr:
    """Midnight of ``day``, typed like the column it is compared with."""
    if is_date:  # a fresh literal: nothing to copy
        return exp.cast(exp.Literal.string(day.isoformat()), _DATE, copy=False)
    return exp.cast(exp.Literal.string(f"{day.isoformat()} 00:00:00"), _TIMESTAMP, copy=False)
