"""Funnel step counts from session step masks: the SQL's shape and the decoding of its rows.

The warehouse returns how many sessions share each step mask (a session's ``BIT_OR`` of its
step events' bits), a few dozen rows, not a count per step: grouping 8.9M session masks by
their value is cheaper than summing one ``CASE`` per step over them, and the per-step
(and ``strict``) counts are then a few NumPy comparisons here.

Grouping by an event column (``device``) the usual way keys the big aggregate on (session,
value), a text key that rules out DuckDB's flat aggregate over dense session ids. With few
values, each value gets its own block of step bits instead (``value_factors``): the session
alone is the key, and a session seen on two devices still counts under each with the steps
it took on that device, as with the (session, value) key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import ArrayLike
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

MASK_BITS = 62
"""Step bits in one mask (a BIGINT, kept positive)."""

UNKNOWN = "(unknown)"
"""The group of sessions whose group value is NULL."""


def value_factors(values: Sequence[str | None], steps: int) -> list[tuple[str | None, int]] | None:
    """Each distinct group value (NULL last, always given a block) -> the power of two its
    step bits are multiplied by; None when the blocks would not fit in one mask."""
    named = [v for v in values if v is not None]
    if (len(named) + 1) * steps > MASK_BITS:
        return None
    return [(value, 1 << (i * steps)) for i, value in enumerate([*named, None])]


def block_sql(column: str, factors: Sequence[tuple[str | None, int]]) -> tuple[str, dict[str, str]]:
    """``CASE`` from the group column to its block's factor (NULL: the ``ELSE``), with the
    values as ``:gN`` placeholders."""
    named = [(v, f) for v, f in factors if v is not None]
    whens = " ".join(f"WHEN {column} = :g{i} THEN {factor}" for i, (_, factor) in enumerate(named))
    null_factor = next(f for v, f in factors if v is None)
    sql = f"CASE {whens} ELSE {null_factor} END" if named else str(null_factor)
    return sql, {f"g{i}": str(value) for i, (value, _) in enumerate(named)}


def step_counts(groups: Iterable[Any], masks: ArrayLike, sessions: ArrayLike, steps: Sequence[str],
                strict: bool, factors: Sequence[tuple[str | None, int]] | None = None) -> pd.DataFrame:
    """Rows of (group, mask, sessions with that mask) -> (group, step, sessions) for every
    group with a session. ``factors``: the masks hold one block of step bits per group value
    (``value_factors``) and ``groups`` is ignored; a session counts in each block it set."""
    width = len(steps)
    full = (1 << width) - 1
    mask = np.asarray(masks, dtype=np.int64)
    count = np.asarray(sessions, dtype=np.int64)
    if factors is None:
        parts = [(pd.Series(list(groups), dtype=object), mask, count)]
    else:
        parts = []
        for value, factor in factors:
            block = (mask // factor) & full
            present = block != 0
            if present.any():
                parts.append((pd.Series([value] * int(present.sum()), dtype=object), block[present], count[present]))
    frames = []
    for group, block, n in parts:
        columns = {"group": group.fillna(UNKNOWN).to_numpy()}
        for i in range(width):
            need = full >> (width - i - 1) if strict else 1 << i
            columns[f"n{i}"] = np.where((block & need) == need, n, 0)
        frames.append(pd.DataFrame(columns))
    if not frames:
        return pd.DataFrame({"group": pd.Series(dtype=object), "step": pd.Series(dtype=object),
                             "sessions": pd.Series(dtype=np.int64)})
    wide = pd.concat(frames, ignore_index=True).groupby("group", sort=False).sum().reset_index()
    long = wide.melt(id_vars="group", var_name="n", value_name="sessions")
    long["step"] = long["n"].map({f"n{i}": s for i, s in enumerate(steps)})
    return long[["group", "step", "sessions"]]
