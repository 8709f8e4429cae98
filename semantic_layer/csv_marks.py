"""What a payment platform's bill adds around its table, taken off before the CSV is read.

WeChat Pay's merchant bill (微信支付 交易账单) writes every value with a backtick in front
(`2024-01-01 09:12:33, `88.00) so Excel keeps order numbers as text; read as is, every column is
text and no amount sums. Its last two lines are a summary (总交易单数,应结订单总金额,... and their
values): fewer cells than the header, and read as a record they would break the reader, or
worse, add every total a second time. Alipay's and bank statements end the same way.

``export_marks`` looks at the file's first and last 64 KB: ``ticks`` when nearly every cell of
the first data lines starts with a backtick, ``footer`` the number of lines at the end (after
rows as wide as the header) that are narrower than the header. ``marked_copy`` writes the file
again without them, byte for byte otherwise (a backtick is only taken at a cell's start: right
after a comma or a line break, which no GBK byte pair can hold).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

_SAMPLE = 64 * 1024
_TICK = re.compile(rb"(^|,)`", re.MULTILINE)
_NUMBERISH = re.compile(r"^[-+]?[$€£¥￥]?[\d,.:/ %-]+$")
MAX_FOOTER = 12
"""A summary is a few lines; more narrow lines at the end are the data's own (left as they are)."""


@dataclass(frozen=True)
class ExportMarks:
    """What to take off: the leading backticks, and how many summary lines end the file."""

    ticks: bool = False
    footer: int = 0

    def __bool__(self) -> bool:
        return self.ticks or self.footer > 0


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8-sig", errors="replace").splitlines()


def _cells(line: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(line)), [])
    except csv.Error:
        return []


def export_marks(file: Path, skip: int = 0) -> ExportMarks:
    """The marks of a plain (not compressed) comma-separated file whose header is line ``skip``."""
    if file.name.lower().endswith(".gz"):
        return ExportMarks()
    size = file.stat().st_size
    with file.open("rb") as raw:
        head = raw.read(_SAMPLE)
        raw.seek(max(0, size - _SAMPLE))
        tail = raw.read(_SAMPLE)
    lines = _lines(head)
    if len(lines) <= skip + 1:
        return ExportMarks()
    width = len(_cells(lines[skip]))
    if width < 2:
        return ExportMarks()
    body = [c for line in lines[skip + 1:skip + 21] if len(cells := _cells(line)) >= width for c in cells]
    filled = [c for c in body if c.strip()]
    ticks = bool(filled) and sum(c.startswith("`") for c in filled) * 10 >= len(filled) * 9
    ending = [line for line in _lines(tail)[1:] if line.strip()] if size > _SAMPLE else \
        [line for line in lines[skip + 1:] if line.strip()]
    footer = 0
    for line in reversed(ending):
        if len(_cells(line)) >= width:
            break
        footer += 1
    if footer > MAX_FOOTER or footer >= len(ending) or (footer and not _summary(ending[-footer:])):
        footer = 0  # no full-width row before them (a ragged file), or rows with a cell left off
    return ExportMarks(ticks=ticks, footer=footer)


def _summary(block: list[str]) -> bool:
    """Lines that sum up rather than record: headed by a line of names only (WeChat's
    '总交易单数,应结订单总金额,...'), or each a '#' note (Alipay's '#支出合计')."""
    first = [c.strip().lstrip("`") for c in _cells(block[0])]
    return all(line.lstrip().startswith("#") for line in block) or (
        len(first) >= 2 and all(c and not _NUMBERISH.match(c) for c in first))


def marked_copy(file: Path, folder: Path, marks: ExportMarks) -> Path:
    """``file`` without its summary lines and its cells' leading backticks, inside ``folder``."""
    data = file.read_bytes()
    if marks.footer:
        kept = data.rstrip(b"\r\n \t").splitlines(keepends=True)
        data = b"".join(kept[:len(kept) - marks.footer])
    if marks.ticks:
        data = _TICK.sub(rb"\1", data)
    target = folder / file.name
    target.write_bytes(data)
    return target
