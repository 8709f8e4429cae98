"""What the blind question files of the public-dataset rounds (``byoN_blind_questions``) share:
the shape of an expected answer and the helpers that compute one in pandas, never from genbi.

An expected answer is a number (one value), a dict {group: value} (every group must match; for
"top N" the dict holds exactly the groups the answer must list), or ``DECLINE``: the data cannot
answer it, so any number is silently wrong.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

Frames = dict[str, pd.DataFrame]
Expect = Callable[[Frames], Any]
DECLINE = "DECLINE"


def ints(series: pd.Series) -> dict[Any, int]:
    return {key: int(value) for key, value in series.items()}


def floats(series: pd.Series) -> dict[Any, float]:
    return {key: float(value) for key, value in series.items()}


def top(series: pd.Series, n: int) -> dict[Any, float]:
    ranked = series.sort_values(ascending=False)
    assert n == len(ranked) or ranked.iloc[n - 1] != ranked.iloc[n], "a tie at the cut-off"
    return {key: float(value) for key, value in ranked.head(n).items()}


def month(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%Y-%m-01")


def write_record(datasets: ModuleType, questions: dict[str, list[tuple[str, Expect]]], out: str) -> None:
    """Every expected answer of a round, for the record (``python tests/byoN_blind_questions.py OUT.json``)."""
    record = {}
    with tempfile.TemporaryDirectory() as tmp:
        for key, asked in questions.items():
            _, frames = datasets.build(key, Path(tmp))
            record[key] = [{"question": q, "expected": answer(frames)} for q, answer in asked]
    Path(out).write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str) + "\n")
