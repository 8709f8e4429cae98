"""Markov-chain attribution on a path table: first or second order, counts or value weighted.

States: start, one state per channel (first order) or per pair (previous channel, channel)
(second order), and two absorbing states, conversion and null. Transition counts come from
every journey, converting or not (``conversions + nulls`` per path, summed per (state, next
state) with one ``bincount``: the solve needs the dense matrix anyway, and SciPy's import cost
more than the summing). A channel's removal effect is ``1 - P(conversion | channel removed) / P(conversion)``
where removing a channel sends every state whose current channel it is straight to null.

All removal effects come from one fundamental matrix ``N = (I - Q)^-1``: with ``x = N r`` the
absorption probabilities into conversion, removing the set ``C`` of states leaves
``x[start] - N[start, C] N[C, C]^-1 x[C]`` (first-hit decomposition), so the chain is solved
once per call instead of once per channel.

Value weighting (``weight="value"``): each converting journey counts with its value and each
non-converting journey with the average value of a conversion, so a channel's effect is on
expected revenue rather than on the number of conversions.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Literal

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

MAX_STATES = 4000
"""A chain with more transient states than this is not solved (second order on many channels)."""


Codes = tuple[tuple[str, ...], "np.ndarray", "np.ndarray", "np.ndarray"]
"""Channels, channel code per touch, path row per touch, position within the path."""


@dataclass(frozen=True)
class MarkovResult:
    channels: tuple[str, ...]
    conversion_probability: float
    removal_effects: np.ndarray
    order: int = 1
    weight: str = "count"
    states: int = 0


def touch_codes(paths: pd.DataFrame) -> Codes:
    """Channels, channel code per touch, path row per touch, position within the path."""
    lengths = np.fromiter(map(len, paths["path"]), dtype=np.int64, count=len(paths))
    flat = list(chain.from_iterable(paths["path"]))
    channels = tuple(sorted(set(flat)))
    index = {c: i for i, c in enumerate(channels)}
    code = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    row = np.repeat(np.arange(len(paths)), lengths)
    pos = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return channels, code, row, pos


def subset_codes(codes: Codes, keep: np.ndarray) -> Codes:
    """``touch_codes`` of the path rows ``keep`` (a boolean mask) out of those of every row:
    the arrays a call on the subset makes (its channels only, coded by their rank; rows
    numbered within the subset), without walking the paths' tuples again."""
    channels, code, row, pos = codes
    touched = keep[row]
    code, row, pos = code[touched], row[touched], pos[touched]
    present = np.unique(code)
    return (tuple(channels[i] for i in present.tolist()), np.searchsorted(present, code),
            (np.cumsum(keep) - 1)[row], pos)


def markov_chain(paths: pd.DataFrame, order: int = 1, weight: Literal["count", "value"] = "count",
                 codes: Codes | None = None) -> MarkovResult:
    """Removal effects per channel (see the module docstring). ``codes``: ``touch_codes(paths)``
    when the caller has them already (paths without empty ones)."""
    if codes is None:
        paths = paths[np.fromiter(map(len, paths["path"]), dtype=np.int64, count=len(paths)) > 0]
        codes = touch_codes(paths)
    channels, code, row, pos = codes
    k = len(channels)
    conversions = paths["conversions"].to_numpy(dtype=float)
    nulls = paths["nulls"].to_numpy(dtype=float)
    if weight == "value":
        value = paths["value"].to_numpy(dtype=float)
        mean_value = value.sum() / conversions.sum() if conversions.sum() > 0 else 0.0
        conversions, nulls = value, nulls * mean_value
    journeys = conversions + nulls
    if order == 1:
        state = code + 1  # 0 is start
    else:
        previous = np.where(pos > 0, np.r_[-1, code[:-1]], -1) + 1  # 0 = start
        pair = previous * (k + 1) + code
        unique, state = np.unique(pair, return_inverse=True)
        state = state + 1
        owner = unique % (k + 1)  # the current channel of each pair state
    n = int(state.max()) + 1 if len(state) else 1
    if n > MAX_STATES:
        raise ValueError(f"{n} states")
    conv, null = n, n + 1
    last = np.r_[pos[1:] == 0, True] if len(pos) else np.zeros(0, bool)
    sources = np.r_[np.zeros((pos == 0).sum(), np.int64), state[~last], state[last], state[last]]
    targets = np.r_[state[pos == 0], state[np.flatnonzero(~last) + 1],
                    np.full(last.sum(), conv), np.full(last.sum(), null)]
    weights = np.r_[journeys[row[pos == 0]], journeys[row[~last]], conversions[row[last]], nulls[row[last]]]
    counts = np.bincount(sources * (n + 2) + targets, weights, minlength=n * (n + 2)).reshape(n, n + 2)
    totals = counts.sum(axis=1)
    matrix = counts * np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)[:, None]
    q, r = matrix[:, :n], matrix[:, conv]
    fundamental = np.linalg.inv(np.eye(n) - q)
    absorbed = fundamental @ r
    base = float(absorbed[0])
    effects = np.zeros(k)
    for c in range(k):
        removed = np.array([c + 1]) if order == 1 else np.flatnonzero(owner == c) + 1
        if base <= 0 or len(removed) == 0:
            continue
        block = fundamental[np.ix_(removed, removed)]
        kept = base - fundamental[0, removed] @ np.linalg.solve(block, absorbed[removed])
        effects[c] = 1.0 - kept / base
    return MarkovResult(channels, base, np.clip(effects, 0.0, None), order, weight, n)


def markov_credit(paths: pd.DataFrame, result: MarkovResult, measure: str = "both") -> pd.DataFrame:
    """Split total conversions and value over channels in proportion to removal effects."""
    effects = result.removal_effects
    share = effects / effects.sum() if effects.sum() > 0 else np.zeros_like(effects)
    return pd.DataFrame({
        "channel": list(result.channels),
        "conversions": share * paths["conversions"].sum(),
        "revenue": share * paths["value"].sum(),
    })
