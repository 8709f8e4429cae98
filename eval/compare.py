"""Result-set comparison: does a predicted table answer the question the way the gold table does?

The warehouse contract's rules, and nothing looser:

* rows are a multiset — order is ignored unless the case says it matters (``ordered``);
* numbers are equal to a relative tolerance of 1e-6 (an absolute one near zero), whatever
  their Python type (int, float, Decimal, numpy scalars);
* temporal values compare by date: TIMESTAMP 2025-03-01 00:00 equals DATE 2025-03-01, and
  an ISO date string equals the date it spells;
* NULL equals NULL (NaN and NaT count as NULL);
* the predicted table may have extra columns: every gold column must map onto a distinct
  predicted column, found by values, never by name.

>>> compare_results(("city", "revenue"), [("Shanghai", 10.0)],
...                 ("revenue", "city", "orders"), [(10.0000000001, "Shanghai", 3)]).ok
True
>>> compare_results(("n",), [(1,), (1,)], ("n",), [(1,)]).reason
'row count differs: expected 2, got 1'
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np

REL_TOL = 1e-6
"""Relative tolerance for numbers (warehouse contract)."""
ABS_TOL = 1e-9
"""Absolute tolerance, so that values near zero (0.0 vs 1e-12) still compare equal."""
MAX_MAPPINGS = 10_000
"""Column mappings tried before giving up (only wide tables with many look-alike columns)."""

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Comparison:
    """The verdict on one predicted table."""

    ok: bool
    reason: str = ""
    """Why it failed; empty when ``ok``."""
    mapping: tuple[int, ...] | None = None
    """For each gold column, the index of the predicted column it matched (when ``ok``)."""


# ---------------------------------------------------------------- values


def normalize(value: Any) -> Any:
    """One canonical form per value: None, bool, float, date or str (others as they are).

    >>> normalize(Decimal("1.50")), normalize(datetime(2025, 3, 1, 0, 0)), normalize(float("nan"))
    (1.5, datetime.date(2025, 3, 1), None)
    """
    if value is None:
        return None
    value = _unwrap_scalar(value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return value


def _unwrap_scalar(value: Any) -> Any:
    """numpy / pandas scalars → plain Python values; NaT and NA → None."""
    if type(value).__name__ in {"NaTType", "NAType"}:
        return None
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[us]").item()
    if isinstance(value, np.generic):
        return value.item()
    return value


def values_equal(gold: Any, pred: Any) -> bool:
    """Contract equality of two already normalized values.

    >>> values_equal(0.034, 0.0340000001), values_equal(1.0, 1.001), values_equal(None, None)
    (True, False, True)
    """
    if gold is None or pred is None:
        return gold is None and pred is None
    if isinstance(gold, bool) or isinstance(pred, bool):
        return isinstance(gold, bool) and isinstance(pred, bool) and gold == pred
    if isinstance(gold, float) and isinstance(pred, float):
        return math.isclose(gold, pred, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(gold, date) or isinstance(pred, date):
        return _as_date(gold) is not None and _as_date(gold) == _as_date(pred)
    return bool(type(gold) is type(pred) and gold == pred)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def sort_key(value: Any) -> tuple[int, Any]:
    """A total order over normalized values of mixed types (NULLs first)."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, float):
        return (2, value)
    if isinstance(value, date):
        return (3, value.isoformat())
    if isinstance(value, str):
        as_date = _as_date(value) if len(value) >= 10 and value[:4].isdigit() else None
        return (3, as_date.isoformat()) if as_date else (4, value)
    return (5, repr(value))


# ---------------------------------------------------------------- multisets


def rows_equal(gold: Row, pred: Row) -> bool:
    """Two rows of the same width, value by value."""
    return len(gold) == len(pred) and all(map(values_equal, gold, pred))


def multisets_equal(gold: Sequence[Row], pred: Sequence[Row]) -> bool:
    """Rows as multisets under tolerant equality.

    Sorting both sides and pairing them off settles almost every table; when near-equal
    values sort differently, a bipartite matching decides.
    """
    if len(gold) != len(pred):
        return False
    gold_sorted = sorted(gold, key=_row_key)
    pred_sorted = sorted(pred, key=_row_key)
    if all(map(rows_equal, gold_sorted, pred_sorted)):
        return True
    return _perfect_matching(gold_sorted, pred_sorted)


def _row_key(row: Row) -> tuple[tuple[int, Any], ...]:
    return tuple(sort_key(value) for value in row)


def _perfect_matching(gold: Sequence[Row], pred: Sequence[Row]) -> bool:
    """Kuhn's augmenting paths: can every gold row take its own equal predicted row?"""
    candidates = [[j for j, p in enumerate(pred) if rows_equal(g, p)] for g in gold]
    if any(not options for options in candidates):
        return False
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    return all(assign(i, set()) for i in range(len(gold)))


# ---------------------------------------------------------------- tables


def compare_results(
    gold_columns: Sequence[str],
    gold_rows: Sequence[Sequence[Any]],
    pred_columns: Sequence[str],
    pred_rows: Sequence[Sequence[Any]],
    *,
    ordered: bool = False,
) -> Comparison:
    """Compare a predicted result set with the gold one under the contract's rules.

    Column names are only used in messages; columns are matched by their values.
    """
    gold = [tuple(normalize(v) for v in row) for row in gold_rows]
    pred = [tuple(normalize(v) for v in row) for row in pred_rows]
    width = len(gold_columns)
    if not gold and not pred:
        return Comparison(True)
    if len(gold) != len(pred):
        return Comparison(False, f"row count differs: expected {len(gold)}, got {len(pred)}")
    if any(len(row) != width for row in gold):
        raise ValueError("gold rows do not all have as many values as gold columns")
    pred_width = len(pred_columns) if pred_columns else (len(pred[0]) if pred else 0)
    if any(len(row) != pred_width for row in pred):
        return Comparison(False, "predicted rows do not all have the same number of values")
    if pred_width < width:
        return Comparison(False, f"too few columns: expected {width}, got {pred_width}")
    candidates = [_column_candidates(gold, pred, i, pred_width) for i in range(width)]
    for i, options in enumerate(candidates):
        if not options:
            return Comparison(False, f"no predicted column holds the values of {gold_columns[i]!r}")
    for tried, mapping in enumerate(_injective_mappings(candidates)):
        if tried >= MAX_MAPPINGS:
            break
        projected = [tuple(row[j] for j in mapping) for row in pred]
        if _tables_equal(gold, projected, ordered=ordered):
            return Comparison(True, "", mapping)
    if ordered and _any_mapping_unordered(gold, pred, candidates):
        return Comparison(False, "same rows, but not in the order the question asked for")
    return Comparison(False, "rows differ")


def _tables_equal(gold: Sequence[Row], pred: Sequence[Row], *, ordered: bool) -> bool:
    if ordered:
        return all(map(rows_equal, gold, pred))
    return multisets_equal(gold, pred)


def _any_mapping_unordered(
    gold: Sequence[Row], pred: Sequence[Row], candidates: Sequence[Sequence[int]]
) -> bool:
    for tried, mapping in enumerate(_injective_mappings(candidates)):
        if tried >= MAX_MAPPINGS:
            return False
        if multisets_equal(gold, [tuple(row[j] for j in mapping) for row in pred]):
            return True
    return False


def _column_candidates(gold: Sequence[Row], pred: Sequence[Row], i: int, width: int) -> list[int]:
    """Predicted columns whose values, as a multiset, equal gold column ``i``'s."""
    gold_values = sorted((row[i] for row in gold), key=sort_key)
    options = []
    for j in range(width):
        pred_values = sorted((row[j] for row in pred), key=sort_key)
        if all(map(values_equal, gold_values, pred_values)) or multisets_equal(
            [(v,) for v in gold_values], [(v,) for v in pred_values]
        ):
            options.append(j)
    return options


def _injective_mappings(candidates: Sequence[Sequence[int]]) -> Iterator[tuple[int, ...]]:
    """Every assignment of distinct predicted columns to gold columns, most likely first."""

    def extend(prefix: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
        if len(prefix) == len(candidates):
            yield prefix
            return
        for j in candidates[len(prefix)]:
            if j not in prefix:
                yield from extend((*prefix, j))

    return extend(())
