"""Vectorised sampling helpers shared by the table builders.

Why a module of its own: every builder draws categories, days and per-group positions for
millions of rows, and doing that without a Python loop per row takes a few numpy tricks
(inverse CDFs, offset cumulative sums). They live here once, tested through the tables.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def normalised(weights: npt.ArrayLike) -> FloatArray:
    """Weights scaled to sum to one along the last axis."""
    array = np.asarray(weights, dtype=np.float64)
    return array / array.sum(axis=-1, keepdims=True)


def categorical(rng: np.random.Generator, weights: npt.ArrayLike, size: int) -> IntArray:
    """``size`` draws of a category index with probabilities proportional to ``weights``."""
    cdf = np.cumsum(normalised(weights))
    picks = np.searchsorted(cdf, rng.random(size), side="right")
    return np.minimum(picks, cdf.size - 1).astype(np.int64)


def categorical_by_group(
    rng: np.random.Generator, groups: npt.ArrayLike, table: npt.ArrayLike
) -> IntArray:
    """One category per row, drawn from the row of ``table`` that its group selects.

    ``table`` is (groups × categories) weights. The rows' CDFs are laid end to end, each
    shifted by its group number, so one ``searchsorted`` serves every group at once.
    """
    group = np.asarray(groups, dtype=np.int64)
    cdf = np.cumsum(normalised(table), axis=1)
    n_categories = cdf.shape[1]
    shifted = (cdf + np.arange(cdf.shape[0])[:, None]).ravel()
    picks = np.searchsorted(shifted, group + rng.random(group.size), side="right")
    return np.clip(picks - group * n_categories, 0, n_categories - 1).astype(np.int64)


def days_between(
    rng: np.random.Generator, cumulative: FloatArray, first: IntArray, last: IntArray
) -> IntArray:
    """A day in ``[first, last]`` per row, weighted by the daily weights behind ``cumulative``.

    ``cumulative`` is ``[0, w0, w0+w1, ...]`` (length days + 1), so the inverse CDF restricted
    to a row's range is one ``searchsorted``.
    """
    low = cumulative[first]
    high = cumulative[last + 1]
    target = low + rng.random(first.size) * (high - low)
    picks = np.searchsorted(cumulative, target, side="right") - 1
    return np.clip(picks, first, last).astype(np.int64)


def positions(counts: IntArray) -> IntArray:
    """For rows repeated ``counts`` times, each copy's position 0..count-1 in its group."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.arange(total, dtype=np.int64) - np.repeat(starts, counts)


def group_cumsum(values: npt.NDArray[np.int64], counts: IntArray) -> IntArray:
    """Running sum of ``values`` that restarts at every group of ``counts`` rows."""
    padded = np.concatenate(([0], np.cumsum(values)))
    starts = np.cumsum(counts) - counts
    return (padded[1:] - np.repeat(padded[starts], counts)).astype(np.int64)


def exact_subset(rng: np.random.Generator, candidates: IntArray, count: int) -> IntArray:
    """``count`` of ``candidates`` chosen at random without replacement, in sorted order."""
    count = min(max(count, 0), candidates.size)
    return np.sort(rng.choice(candidates, size=count, replace=False)) if count else candidates[:0]


def _bit_widths(arrays: list[np.ndarray]) -> list[int] | None:
    """Bits each non-negative integer key needs, or None if any key is not one."""
    widths = []
    for array in arrays:
        if array.dtype.kind not in "biu" or (array.size and int(array.min()) < 0):
            return None
        widths.append(int(array.max()).bit_length() if array.size else 0)
    return widths


def sort_keys(*keys: npt.ArrayLike) -> IntArray:
    """Stable row order by ``keys``, the first key most significant.

    Non-negative integer keys that fit in 63 bits together are packed into one int64 and
    sorted once (several times faster than ``lexsort`` on tens of millions of rows). Ties
    keep their input order either way, so the result never depends on the machine.
    """
    arrays = [np.asarray(key) for key in keys]
    widths = _bit_widths(arrays)
    if widths is None or sum(widths) > 63:
        return np.lexsort(tuple(reversed(arrays))).astype(np.int64)
    packed = np.zeros(arrays[0].size, dtype=np.int64)
    for array, width in zip(arrays, widths, strict=True):
        packed = (packed << width) | array.astype(np.int64)
    return np.argsort(packed, kind="stable").astype(np.int64)
