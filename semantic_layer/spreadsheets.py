"""Excel and OpenDocument workbooks as tables: the report a marketer was e-mailed, as it is.

A sheet someone made for people is rarely a clean table. Above the header there is often a
title ("Sales report 2024") and a blank line; the table may start in column B; a "Grand
Total" row at the bottom repeats the sum of every row above it, so reading it as a record
would double every total silently. So each sheet is read as its cells (python-calamine,
no Excel needed) and:

- the header is the first row, among the first ``HEADER_SEARCH`` rows, whose cells are all
  text and cover at least half the columns the rows below it fill (a one-cell title never
  does); with no such row, columns are named ``column_1``, ``column_2`` ...;
- empty rows and columns are dropped;
- rows whose first filled cell is a total label ("Total", "Grand Total", "Subtotal",
  合计, 总计, 小计) are dropped: they are sums of other rows, not records;
- a column whose cells are all numbers, all dates, all date-times or all yes/no (booleans, or
  Yes/No, Y/N, True/False text, as DuckDB's CSV reader takes them) gets that type; anything mixed stays text (as a CSV reader would leave it).

A workbook with one table sheet is one table named after the file; with several (Tableau's
Superstore workbook: Orders, Returns, People), one table per sheet, named after the sheet.
Sheets with no table (a notes page, a chart) are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbi.errors import WarehouseError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")

HEADER_SEARCH = 30
"""Rows searched for the header: report titles, logos' alt text and notes sit above it."""

_TOTAL = re.compile(r"^\s*(?:grand\s+|sub-?\s*)?totals?\s*[:：]?\s*$|^\s*(?:合计|总计|小计|總計|合計|小計)\s*[:：]?\s*$",
                    re.IGNORECASE)


_YES_NO = {"yes": True, "no": False, "true": True, "false": False, "y": True, "n": False, "t": True, "f": False}
"""Text a CSV reader (DuckDB's) takes as a boolean: a workbook's Yes/No column is read the same way."""


@dataclass(frozen=True)
class SheetTable:
    """One sheet's table: its name, column names and typed columns (one list per column)."""

    sheet: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    """Per column: ``DOUBLE``, ``BIGINT``, ``BOOLEAN``, ``DATE``, ``TIMESTAMP`` or ``VARCHAR``."""
    values: tuple[list[Any], ...]
    dropped_totals: int = 0

    @property
    def rows(self) -> int:
        return len(self.values[0]) if self.values else 0


def sheet_frame(sheet: SheetTable) -> Any:
    """The sheet as a pandas DataFrame with its types (nullable integers, dates as datetimes)."""
    import pandas as pd

    dtypes = {"BIGINT": "Int64", "DOUBLE": "Float64", "BOOLEAN": "boolean", "TIMESTAMP": "datetime64[us]",
              "DATE": "datetime64[us]", "VARCHAR": object}
    return pd.DataFrame({name: pd.array(values, dtype=dtypes[kind])  # type: ignore[call-overload]
                         for name, kind, values in zip(sheet.columns, sheet.kinds, sheet.values, strict=True)})


def pick_sheet(path: Path, columns: Sequence[str] = ()) -> SheetTable:
    """The workbook's table a tool reads: the first that has every column asked for."""
    tables = read_workbook(path)
    for table in tables:
        if all(c in table.columns for c in columns):
            return table
    return tables[0]


def is_spreadsheet(path: Path) -> bool:
    return path.name.lower().endswith(SPREADSHEET_SUFFIXES)


def read_workbook(path: Path) -> list[SheetTable]:
    """Every sheet of ``path`` that holds a table, in workbook order."""
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        raise WarehouseError(f"{path.name} is a spreadsheet, and the reader for spreadsheets is not installed.",
                             "Reinstall genbi (`make setup`), or save the sheet as CSV.") from None
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
    except Exception as error:  # calamine raises its own types for encrypted or broken files
        raise WarehouseError(
            f"{path.name} could not be read as a spreadsheet ({str(error).strip().splitlines()[0][:200]}).",
            "Check that it opens in Excel without a password; or save the sheet as CSV.") from None
    tables = [table for name, cells in sheets if (table := sheet_table(name, cells)) is not None]
    if not tables:
        raise WarehouseError(f"{path.name} has no sheet with a table in it (a header row and rows below it).",
                             "Check the workbook, or save the sheet with the data as CSV.")
    return tables


def sheet_table(name: str, cells: Sequence[Sequence[Any]]) -> SheetTable | None:
    """The table on one sheet, or None when the sheet holds none (notes, a chart)."""
    rows = [list(row) for row in cells if any(_filled(v) for v in row)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    used = [c for c in range(width) if any(_filled(r[c]) for r in rows)]
    rows = [[r[c] for c in used] for r in rows]
    header = _header_row(rows)
    if header is None:
        names = [f"column_{i + 1}" for i in range(len(used))]
        body = rows
    else:
        names = _names(rows[header])
        body = rows[header + 1:]
    kept = [r for r in body if not _is_total(r)]
    if not kept or len(names) < 2:
        return None
    columns = [[r[i] for r in kept] for i in range(len(names))]
    typed = [_typed(column) for column in columns]
    return SheetTable(sheet=name, columns=tuple(names), kinds=tuple(k for k, _ in typed),
                      values=tuple(v for _, v in typed), dropped_totals=len(body) - len(kept))


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _header_row(rows: list[list[Any]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        filled = [v for v in row if _filled(v)]
        below = rows[index + 1:index + 51]
        if not below or not filled or not all(isinstance(v, str) for v in filled):
            continue
        spread = sum(1 for c in range(len(row)) if any(_filled(r[c]) for r in below))
        if len(filled) >= max(2, (spread + 1) // 2):
            return index
    return None


def _names(row: list[Any]) -> list[str]:
    names: list[str] = []
    for index, value in enumerate(row):
        name = " ".join(str(value).split()) if _filled(value) else f"column_{index + 1}"
        base, n = name, 2
        while name.lower() in (x.lower() for x in names):
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def _is_total(row: list[Any]) -> bool:
    first = next((v for v in row if _filled(v)), None)
    return isinstance(first, str) and bool(_TOTAL.match(first))


def _typed(column: list[Any]) -> tuple[str, list[Any]]:
    """The column's SQL type and its values in it (empty cells as None)."""
    values = [v if _filled(v) else None for v in column]
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "BOOLEAN", values
    if present and all(isinstance(v, str) and v.strip().lower() in _YES_NO for v in present):
        return "BOOLEAN", [None if v is None else _YES_NO[v.strip().lower()] for v in values]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        if all(float(v).is_integer() and abs(v) < 2**53 for v in present):
            return "BIGINT", [None if v is None else int(v) for v in values]
        return "DOUBLE", [None if v is None else float(v) for v in values]
    if present and all(isinstance(v, dt.date) for v in present):
        stamps = [v if isinstance(v, dt.datetime) or v is None else dt.datetime.combine(v, dt.time()) for v in values]
        if all(s is None or s.time() == dt.time() for s in stamps):
            return "DATE", [None if s is None else s.date() for s in stamps]
        return "TIMESTAMP", stamps
    return "VARCHAR", [None if v is None else _text(v) for v in values]


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number in one cell, text in another
    return str(value).strip()
