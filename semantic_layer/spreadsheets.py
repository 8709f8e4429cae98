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
Sheets with the very same header are one table split over sheets (UCI's Online Retail II:
'Year 2009-2010' and 'Year 2010-2011'; a sheet per month or per store), so they are stacked
into one: as separate tables every total would silently be one sheet's.
Sheets with no table (a notes page, a chart) are skipped.
"""

from __future__ import annotations

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
    """One sheet's table: its name, column names and typed columns (pandas arrays)."""

    sheet: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    """Per column: ``DOUBLE``, ``BIGINT``, ``BOOLEAN``, ``DATE``, ``TIMESTAMP`` or ``VARCHAR``."""
    values: tuple[Any, ...]
    """Per column, its values as an array of the kind's type (empty cells missing)."""
    dropped_totals: int = 0

    @property
    def rows(self) -> int:
        return len(self.values[0]) if self.values else 0


def sheet_frame(sheet: SheetTable) -> Any:
    """The sheet as a pandas DataFrame with its types (nullable integers, dates as datetimes)."""
    import pandas as pd

    return pd.DataFrame(dict(zip(sheet.columns, sheet.values, strict=True)))


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
    tables = _stacked([table for name, cells in sheets if (table := sheet_table(name, cells)) is not None])
    if not tables:
        raise WarehouseError(f"{path.name} has no sheet with a table in it (a header row and rows below it).",
                             "Check the workbook, or save the sheet with the data as CSV.")
    return tables


def _stacked(tables: list[SheetTable]) -> list[SheetTable]:
    """Sheets with the same header as one table (in workbook order), typed again as a whole: a
    code column of numbers on one sheet and 'C489449' on another is text."""
    groups: dict[tuple[str, ...], list[SheetTable]] = {}
    for table in tables:
        groups.setdefault(tuple(c.lower() for c in table.columns), []).append(table)
    stacked = []
    for table in tables:
        group = groups.get(tuple(c.lower() for c in table.columns))
        if group is None:
            continue  # already stacked into the first sheet of its header
        groups.pop(tuple(c.lower() for c in table.columns))
        if len(group) == 1:
            stacked.append(table)
            continue
        typed = [_typed(column, _missing(column)) for column in (
            _concatenated([sheet.values[i] for sheet in group]) for i in range(len(table.columns)))]
        stacked.append(SheetTable(sheet=table.sheet, columns=table.columns, kinds=tuple(k for k, _ in typed),
                                  values=tuple(v for _, v in typed),
                                  dropped_totals=sum(sheet.dropped_totals for sheet in group)))
    return stacked


def _concatenated(parts: Sequence[Any]) -> Any:
    """One column's values from several sheets as Python objects, None where empty."""
    import numpy as np
    import pandas as pd

    objects = [pd.Series(part).astype(object) for part in parts]
    return np.concatenate([s.where(s.notna(), None).to_numpy(dtype=object) for s in objects])


def _missing(column: Any) -> Any:
    import numpy as np

    return np.fromiter((v is None for v in column), bool, len(column))


def sheet_table(name: str, cells: Sequence[Sequence[Any]]) -> SheetTable | None:
    """The table on one sheet, or None when the sheet holds none (notes, a chart).

    Whole columns at a time (NumPy masks, pandas' own type inference): a 500,000-row export
    is millions of cells, too many to look at one by one in Python."""
    import numpy as np

    width = max((len(r) for r in cells), default=0)
    if width == 0:
        return None
    if all(len(row) == width for row in cells):
        grid = np.array(cells, dtype=object).reshape(len(cells), width)
    else:
        grid = np.full((len(cells), width), None, dtype=object)
        for index, row in enumerate(cells):
            grid[index, :len(row)] = row
    blank = _blank(grid)
    rows, columns = ~blank.all(axis=1), ~blank.all(axis=0)
    grid, blank = grid[rows][:, columns], blank[rows][:, columns]
    if grid.size == 0:
        return None
    top = [list(r) for r in grid[:HEADER_SEARCH + 51]]
    header = header_row(top)
    if header is None:
        names = [f"column_{i + 1}" for i in range(grid.shape[1])]
        body, empty = grid, blank
    else:
        names = _names(top[header])
        body, empty = grid[header + 1:], blank[header + 1:]
    firsts = body[np.arange(len(body)), (~empty).argmax(axis=1)] if len(body) else np.empty(0, dtype=object)
    totals = np.fromiter((isinstance(v, str) and bool(_TOTAL.match(v)) for v in firsts), bool, len(firsts))
    kept, empty = body[~totals], empty[~totals]
    if not len(kept) or len(names) < 2:
        return None
    typed = [_typed(kept[:, i], empty[:, i]) for i in range(len(names))]
    return SheetTable(sheet=name, columns=tuple(names), kinds=tuple(k for k, _ in typed),
                      values=tuple(v for _, v in typed), dropped_totals=int(totals.sum()))


def _blank(grid: Any) -> Any:
    """Empty cells (missing or ''); a cell of spaces only is found column by column (``_typed``)."""
    import pandas as pd

    return pd.isna(grid) | (grid == "")


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def header_row(rows: list[list[Any]]) -> int | None:
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


def _typed(column: Any, empty: Any) -> tuple[str, Any]:
    """The column's SQL type and its values as an array of that type (empty cells missing)."""
    import numpy as np
    import pandas as pd

    values: Any = np.where(empty, None, column)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind.startswith("mixed"):  # a cell of spaces among numbers or dates is an empty cell
        spaces = np.fromiter((isinstance(v, str) and not v.strip() for v in values), bool, len(values))
        if spaces.any():
            return _typed(column, empty | spaces)
    if kind == "boolean":
        return "BOOLEAN", pd.array(values, dtype="boolean")
    if kind in ("integer", "floating", "mixed-integer-float"):
        numbers = pd.array(values, dtype="Float64")
        present = numbers[~numbers.isna()].to_numpy(dtype=float)
        if np.all(np.mod(present, 1) == 0) and np.all(np.abs(present) < 2**53):
            return "BIGINT", numbers.astype("Int64")
        return "DOUBLE", numbers
    if kind in ("date", "datetime"):
        stamps = pd.Series(pd.to_datetime(pd.Series(values, dtype=object))).astype("datetime64[us]")
        present = stamps.dropna()
        return ("DATE" if (present == present.dt.normalize()).all() else "TIMESTAMP"), stamps.to_numpy()
    texts = pd.Series(values, dtype=object)
    if kind == "string":
        texts = texts.str.strip()
        lowered = {str(v).lower() for v in pd.unique(texts.dropna())}
        if lowered and lowered <= _YES_NO.keys():
            flags: Any = texts.map(lambda v: None if v is None else _YES_NO[v.lower()]).to_numpy(dtype=object)
            return "BOOLEAN", pd.array(flags, dtype="boolean")
        return "VARCHAR", texts.to_numpy(dtype=object)
    return "VARCHAR", texts.map(lambda v: None if v is None else _text(v)).to_numpy(dtype=object)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number in one cell, text in another
    return str(value).strip()
