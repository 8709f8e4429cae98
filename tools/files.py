"""Plain files as tool input: a CSV / Parquet / JSON Lines file and column-mapping flags."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

from .base import ToolError

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


def _read_parquet(path: Path) -> pd.DataFrame:
    """Parquet through DuckDB (no pyarrow needed); the path is a bound parameter."""
    import duckdb

    try:
        with duckdb.connect() as con:
            return con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    except duckdb.Error as error:
        raise ValueError(str(error)) from None


def _read_sheet(path: Path) -> pd.DataFrame:
    """A workbook's first table (title rows, empty columns and total rows left out)."""
    from genbi.errors import WarehouseError
    from genbi.semantic_layer.spreadsheets import pick_sheet, sheet_frame

    try:
        return sheet_frame(pick_sheet(path))
    except WarehouseError as error:
        raise ValueError(error.message) from None


_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    **dict.fromkeys((".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"), _read_sheet),
    ".csv": lambda p: pd.read_csv(p),
    ".tsv": lambda p: pd.read_csv(p, sep="\t"),
    ".parquet": _read_parquet,
    ".jsonl": lambda p: pd.read_json(p, lines=True),
    ".ndjson": lambda p: pd.read_json(p, lines=True),
    ".json": lambda p: pd.read_json(p),
}


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a tabular file by its extension; a ToolError a user can act on if that fails."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise ToolError(f"The file '{file}' does not exist.", "Check the path.")
    reader = _READERS.get(file.suffix.lower())
    if reader is None:
        raise ToolError(
            f"genbi cannot read '{file.suffix}' files.",
            f"Use one of: {', '.join(sorted(_READERS))}.",
        )
    try:
        return reader(file)
    except (ValueError, OSError, pd.errors.ParserError) as error:
        raise ToolError(f"The file '{file.name}' could not be read: {error}.") from None


def require_columns(frame: pd.DataFrame, columns: dict[str, str], source: str) -> None:
    """Check each mapped column exists; ``columns`` maps flag name -> column name."""
    problems = []
    for flag, column in columns.items():
        if column not in frame.columns:
            close = difflib.get_close_matches(column, [str(c) for c in frame.columns], n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(f"--{flag.replace('_', '-')} '{column}' is not a column.{hint}")
    if problems:
        raise ToolError(
            f"{source}: " + " ".join(problems),
            f"Columns in the file: {', '.join(map(str, frame.columns))}.",
        )


def split_list(text: str) -> list[str]:
    """``"a, b,c"`` -> ``["a", "b", "c"]`` (CLI-friendly list flags)."""
    return [part.strip() for part in text.split(",") if part.strip()]
