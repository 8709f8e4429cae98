"""How builders hand columns to the writer: plain arrays, labelled codes or nullable ints.

Why: builders work on small integer codes (a channel is 0..7, not a string) because that
is what makes vectorised generation fast and memory-light; the labels are attached only
when a table is written. Nullable integers carry an explicit mask instead of a sentinel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Labelled:
    """A text column stored as integer codes into ``labels``."""

    codes: npt.NDArray[np.integer]  # one code per row, 0-based index into labels
    labels: tuple[str, ...]  # the text each code stands for


@dataclass(frozen=True)
class Nullable:
    """An integer column with missing values."""

    values: npt.NDArray[np.integer]  # the value where present, anything where missing
    missing: npt.NDArray[np.bool_]  # True where the value is NULL


ColumnData = np.ndarray | Labelled | Nullable
Frame = Mapping[str, ColumnData]
"""A table as column name → column data, rows already in primary-key order."""


def row_count(frame: Frame) -> int:
    """Rows in ``frame`` (all columns have the same length)."""
    first = next(iter(frame.values()))
    if isinstance(first, Labelled):
        return int(first.codes.size)
    if isinstance(first, Nullable):
        return int(first.values.size)
    return int(first.shape[0])
