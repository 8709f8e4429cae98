"""Lines above a CSV's header: a spreadsheet saved as CSV keeps what sat above its table.

Kaggle's "Adidas US Sales Datasets.csv" (an xlsx saved as CSV) starts with an empty line, the
title 'Adidas Sales Database' and another empty line before the header, and every line starts
with an empty cell (the table began in column B). DuckDB's reader takes the first line for the
header, finds no names and calls every column column0, column1 …, so no question finds a metric.

``header_line`` finds the header as a workbook's sheet is read (``spreadsheets.header_row``):
the first line, among the first ``HEADER_SEARCH``, whose filled cells are all text (not
numbers) and cover at least half the columns the lines below it fill. Only when lines come
BEFORE it that are junk (fewer filled cells than the header: blank lines, a title, a note) is
the file read from that line; a file whose first line is its header or whose first line is data
(no header at all) is read as before.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path

from .spreadsheets import HEADER_SEARCH, header_row
from .text_encoding import encoding_of

_SAMPLE = 64 * 1024
_NUMBER = re.compile(r"^\s*[-+]?[$€£¥￥]?\s*\d[\d,]*(?:\.\d+)?\s*%?\s*$")


def _head(file: Path) -> str:
    if file.name.lower().endswith(".gz"):
        with gzip.open(file, "rb") as packed:
            data = packed.read(_SAMPLE)
    else:
        with file.open("rb") as raw:
            data = raw.read(_SAMPLE)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 4:  # a character cut at the end of the sample
            return data[:error.start].decode("utf-8-sig")
    return data.decode(encoding_of(data), errors="replace")  # UTF-16, GBK, Windows-1252 as the reader reads them


def _cell(value: str) -> object:
    """A cell as ``header_row`` weighs it: a number is no header name."""
    text = value.strip()
    if not text:
        return None
    return 0.0 if _NUMBER.match(text) else text


def header_line(file: Path) -> int:
    """How many lines sit above the CSV's header (0 for a file whose first line is its header,
    or that has no header)."""
    text = _head(file)
    lines = text.splitlines()[:HEADER_SEARCH + 51]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line
    sample = "\n".join(lines)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(sample), dialect)]
    except csv.Error:
        return 0
    width = max((len(r) for r in rows), default=0)
    grid = [row + [None] * (width - len(row)) for row in rows]
    found = header_row(grid)
    if not found:
        return 0
    named = sum(1 for v in grid[found] if v is not None)
    above = [sum(1 for v in row if v is not None) for row in grid[:found]]
    if any(filled >= named for filled in above):
        return 0
    if len(list(csv.reader(io.StringIO("\n".join(lines[:found])), dialect))) != found:
        return 0  # a quoted line break above the header: lines and rows differ, the reader would skip wrong
    return found
