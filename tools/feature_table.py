"""Everyone's features in memory: one read of the warehouse instead of a sample pass and a
scoring pass.

On DuckDB a tool fetches the whole per-customer feature table column by column
(``FeatureQuery.everyone``, ~0.2 s for 704k customers x 15 features), draws its training
sample from it and scores every customer in NumPy. The sample is the one the SQL path draws
(``FeatureQuery.sampled``: the first n customers by md5 of the id, then by id): each row
carries the first 52 bits of that md5 as an exact double, and the rows come ordered by id,
so "the first n by (md5, id)" is "the n smallest keys, ties by position". Should two
customers share those 52 bits right at the cut (about one chance in 10^10 for a 50k sample
of 700k), the draw is undecided here and ``first`` says so; the tool then draws the sample
in SQL as before.

The scoring helpers mirror the SQL expressions of ``sql_scoring`` operation by operation
(``LN(1 + GREATEST(x, 0))``, ``(x - mean) / scale``, sums left to right), so a customer gets
the number the warehouse would give, up to the last bit of ``log`` and ``exp``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

KEY_BITS = 52
"""Bits of the md5 kept in the sample key: 13 hex digits, exact in a double."""


@dataclass(frozen=True)
class FeatureTable:
    """One row per customer, ordered by customer id: the features (readable names), the
    sample key and any extra columns the read added (e.g. a seed flag)."""

    ids: np.ndarray
    key: np.ndarray
    data: tuple[np.ndarray, ...]
    """One float array per feature, in ``columns`` order (as fetched: no customers x
    features copy)."""
    columns: tuple[str, ...]
    extra: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> np.ndarray:
        return self.data[self.columns.index(name)]

    def first(self, n: int, among: np.ndarray | None = None) -> np.ndarray | None:
        """Positions (ascending) of the first ``n`` customers by (md5 of the id, id), of those
        ``among`` marks (a boolean mask) when given; None when the kept md5 bits tie at the
        cut, so the draw cannot be decided here."""
        candidates = np.flatnonzero(among) if among is not None else np.arange(len(self.ids))
        if len(candidates) <= n:
            return candidates
        if n <= 0:
            return candidates[:0]
        keys = self.key[candidates]
        cut = np.partition(keys, n - 1)[n - 1]
        kept = keys <= cut
        if int(kept.sum()) != n:
            return None
        return candidates[kept]

    def frame(self, rows: np.ndarray, extra: Sequence[str] = ()) -> pd.DataFrame:
        """The features of ``rows`` as the SQL sample fetch gives them: index customer_id,
        readable names, floats; then the ``extra`` columns."""
        frame = pd.DataFrame({name: values[rows] for name, values in zip(self.columns, self.data, strict=True)},
                             index=pd.Index(self.ids[rows], name="customer_id"), columns=list(self.columns))
        for name in extra:
            frame[name] = self.extra[name][rows]
        return frame


CHUNK = 32_768
"""Rows scored at a time: a chunk's columns and temporaries stay in the CPU cache (the same
numbers, about twice as fast as whole 700k-row columns)."""


def chunks(n: int, size: int = CHUNK) -> list[slice]:
    """``slice``s covering ``range(n)`` in order, ``size`` rows each (the last shorter)."""
    return [slice(start, min(start + size, n)) for start in range(0, n, size)]


def transformed(values: np.ndarray, log: bool) -> np.ndarray:
    """``sql_scoring.transformed``: ``LN(1 + GREATEST(x, 0))`` when ``log``."""
    return np.log(1.0 + np.maximum(values, 0.0)) if log else values


def standardised(values: np.ndarray, mean: float, scale: float, log: bool) -> np.ndarray:
    """``sql_scoring.standardised``: the column's standard score."""
    scale = float(scale) if float(scale) != 0 else 1.0
    return (transformed(values, log) - float(mean)) / scale


def squared_distances(z: Sequence[np.ndarray], centroids: Any) -> np.ndarray:
    """``sql_scoring.squared_distances``: customers x centroids, each summed left to right."""
    out = np.empty((len(centroids), len(z[0])))
    step = np.empty(len(z[0]))
    for total, centre in zip(out, centroids, strict=True):
        np.subtract(z[0], float(centre[0]), out=total)
        np.multiply(total, total, out=total)
        for zj, cj in zip(z[1:], centre[1:], strict=True):
            np.subtract(zj, float(cj), out=step)
            np.multiply(step, step, out=step)
            np.add(total, step, out=total)
    return out.T


def logistic(z: Sequence[np.ndarray], weights: Sequence[float], intercept: float) -> np.ndarray:
    """``sql_scoring.logistic``: ``1 / (1 + exp(-clamp(b0 + w1 z1 + ...)))``."""
    linear = np.full(len(z[0]), float(intercept))
    step = np.empty(len(z[0]))
    for zj, w in zip(z, weights, strict=True):
        np.multiply(zj, float(w), out=step)
        np.add(linear, step, out=linear)
    np.clip(linear, -700.0, 700.0, out=linear)
    return 1.0 / (1.0 + np.exp(-linear))


def order_desc(score: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` of ``rows`` by ``score`` descending, then by position (id): ``ORDER BY
    score DESC, customer_id LIMIT n`` on rows ordered by id."""
    if len(rows) > n > 0:
        values = score[rows]
        cut = np.partition(values, len(values) - n)[len(values) - n]
        rows = rows[values >= cut]
    values = score[rows]
    return rows[np.lexsort((rows, -values))][:n]
