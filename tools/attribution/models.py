"""Multi-touch attribution models on a table of paths: pure numpy / pandas, no I/O.

Input is a *path table*, the common grouped format: one row per distinct journey with
``path`` (a tuple of channels in time order, oldest first), ``conversions`` (journeys of
that path that ended in an order), ``value`` (their revenue) and ``nulls`` (journeys of that
path that did not convert). Every model returns credit per channel in conversions and
value; heuristic models only look at converting journeys, the Markov chain uses nulls too.

Models:
- ``first_touch`` / ``last_touch``: all credit to the first / last touch.
- ``linear``: equal credit to every touch (a channel touched twice gets two shares).
- ``time_decay``: touch weight ``2 ** (-age / half_life)``; on a path table ages are steps
  before the conversion (the last touch is one step old); the warehouse layer passes real
  ages in days instead (see ``time_decay_from_touches``).
- ``position_based``: 40 % first, 40 % last, 20 % spread over the middle touches (a
  one-touch path gives it everything, a two-touch path 50/50).
- ``markov`` / ``markov_value`` / ``markov_2nd``: Markov chains over all journeys, solved
  once with the fundamental matrix (``markov.py``); credit in proportion to removal effects.
- ``shapley``: the Shapley value of the coalition game ``v(S) = sum of conversions (value)
  of journeys whose set of channels is a subset of S`` (Zhao et al. 2018). Computed by
  exact enumeration of coalitions for up to 16 channels, and by the equivalent closed form
  ``phi_c = sum over channel sets T containing c of v_T / |T|`` beyond that.
- ``shapley_rate``: the Shapley value of the conversion-rate game over all journeys,
  converting or not (exact, up to 16 channels). ``DEFINITIONS`` states each model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain as chained
from math import factorial
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

from .markov import Codes, MarkovResult, markov_chain, markov_credit, subset_codes, touch_codes

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

MODELS: tuple[str, ...] = (
    "first_touch",
    "last_touch",
    "linear",
    "time_decay",
    "position_based",
    "markov",
    "shapley",
    "markov_value",
    "markov_2nd",
    "shapley_rate",
)
DEFINITIONS: dict[str, str] = {
    "first_touch": "all credit to the first touch of a converting journey",
    "last_touch": "all credit to the last touch of a converting journey",
    "linear": "equal credit to every touch of a converting journey",
    "time_decay": "touch weight 2^(-age / half-life), age in days before the order (steps on a path file)",
    "position_based": "40% first, 40% last, 20% over the middle touches",
    "markov": "first-order Markov chain over converting and non-converting journeys; credit in proportion to removal effects",
    "shapley": "Shapley value of v(S) = conversions of converting journeys whose channels are all in S (non-converting journeys not used)",
    "markov_value": "first-order Markov chain weighted by value (a non-converting journey weighs the average conversion value); revenue split by value removal effects",
    "markov_2nd": "second-order Markov chain (states are pairs of consecutive channels); removal sends every state of the channel to null",
    "shapley_rate": "Shapley value of v(S) = conversion rate of all journeys (converting or not) whose channels are all in S; credit in proportion to positive values",
}
MODEL_LABELS_ZH: dict[str, str] = {
    "first_touch": "首次触点",
    "last_touch": "末次触点",
    "linear": "线性",
    "time_decay": "时间衰减",
    "position_based": "位置加权(40/20/40)",
    "markov": "马尔可夫链",
    "shapley": "Shapley 值",
    "markov_value": "马尔可夫链(按金额)",
    "markov_2nd": "二阶马尔可夫链",
    "shapley_rate": "Shapley 值(含未转化)",
}
EXACT_SHAPLEY_MAX_CHANNELS = 16
PATH_COLUMNS = ("path", "conversions", "value", "nulls")


def path_table(
    paths: Iterable[Sequence[str]],
    conversions: Iterable[float],
    value: Iterable[float] | None = None,
    nulls: Iterable[float] | None = None,
) -> pd.DataFrame:
    """Build a normalised path table (empty paths dropped, identical paths summed, sorted by path)."""
    keys = [tuple(map(str, p)) for p in paths]
    n = len(keys)
    columns = {
        "conversions": np.asarray(list(conversions), dtype=float),
        "value": np.zeros(n) if value is None else np.asarray(list(value), dtype=float),
        "nulls": np.zeros(n) if nulls is None else np.asarray(list(nulls), dtype=float),
    }
    keep = np.fromiter(map(len, keys), dtype=np.int64, count=n) > 0
    if not keep.all():
        keys = [k for k, kept in zip(keys, keep, strict=True) if kept]
        columns = {name: column[keep] for name, column in columns.items()}
    return grouped_sum(keys, columns, "path")


def grouped_sum(keys: list[tuple[str, ...]], columns: dict[str, np.ndarray], name: str) -> pd.DataFrame:
    """Sum ``columns`` per distinct key, one row per key in sorted order (a fast groupby on tuples)."""
    index: dict[tuple[str, ...], int] = {}
    code = np.fromiter(map(lambda k: index.setdefault(k, len(index)), keys), dtype=np.int64, count=len(keys))
    unique = list(index)
    order = np.array(sorted(range(len(unique)), key=unique.__getitem__), dtype=np.int64)
    frame = pd.DataFrame({name: pd.Series([unique[i] for i in order], dtype=object)})
    for column, values in columns.items():
        sums = values if len(unique) == len(keys) else np.bincount(code, values, minlength=len(unique))
        frame[column] = np.asarray(sums, dtype=float)[order]
    return frame


@dataclass(frozen=True)
class _Touches:
    """The path table exploded to one row per touch (vectorised helpers)."""

    channels: tuple[str, ...]
    code: np.ndarray  # channel index per touch
    path: np.ndarray  # path row per touch
    pos: np.ndarray  # 0-based position in its path
    length: np.ndarray  # length of its path

    @classmethod
    def of(cls, paths: pd.DataFrame, codes: Codes | None = None) -> _Touches:
        """``codes``: ``touch_codes(paths)`` when the caller has them already."""
        if codes is None:
            channels, code, path, pos = touch_codes(paths)
            lengths = np.fromiter(map(len, paths["path"]), dtype=np.int64, count=len(paths))
            return cls(channels, code, path, pos, np.repeat(lengths, lengths))
        channels, code, path, pos = codes
        return cls(channels, code, path, pos, np.bincount(path, minlength=len(paths))[path])


def _credit(touches: _Touches, weights: np.ndarray, paths: pd.DataFrame) -> pd.DataFrame:
    """Sum per-touch weights (each path's weights sum to 1) times path conversions / value."""
    conv = paths["conversions"].to_numpy(dtype=float)[touches.path] * weights
    val = paths["value"].to_numpy(dtype=float)[touches.path] * weights
    k = len(touches.channels)
    return pd.DataFrame(
        {
            "channel": list(touches.channels),
            "conversions": np.bincount(touches.code, conv, minlength=k),
            "revenue": np.bincount(touches.code, val, minlength=k),
        }
    )


def heuristic_weights(touches: _Touches, model: str, half_life: float = 7.0) -> np.ndarray:
    """Per-touch weights of a rule-based model; each path's weights sum to one."""
    pos, length = touches.pos, touches.length
    if model == "first_touch":
        return (pos == 0).astype(float)
    if model == "last_touch":
        return (pos == length - 1).astype(float)
    if model == "linear":
        return 1.0 / length
    if model == "position_based":
        middle = np.where(length > 2, 0.2 / np.maximum(length - 2, 1), 0.0)
        ends = np.where(length == 1, 1.0, np.where(length == 2, 0.5, 0.4))
        return np.where((pos == 0) | (pos == length - 1), ends, middle)
    if model == "time_decay":
        raw = np.power(0.5, (length - pos) / half_life)
        return raw / np.bincount(touches.path, raw)[touches.path]
    raise ValueError(f"unknown heuristic model {model!r}")


def time_decay_from_touches(
    touch_path: np.ndarray,
    touch_channel: Sequence[str],
    age_days: np.ndarray,
    path_conversions: np.ndarray,
    path_value: np.ndarray,
    half_life_days: float,
) -> pd.DataFrame:
    """Time-decay credit from touches with real ages (days before their conversion)."""
    raw = np.power(0.5, np.asarray(age_days, dtype=float) / half_life_days)
    norm = raw / np.bincount(touch_path, raw)[touch_path]
    frame = pd.DataFrame(
        {
            "channel": list(touch_channel),
            "conversions": norm * path_conversions[touch_path],
            "revenue": norm * path_value[touch_path],
        }
    )
    return frame.groupby("channel", as_index=False, sort=True).sum()


# --- Shapley value --------------------------------------------------------------------------


MASK_CHANNELS = 62
"""Channels at most whose sets ``channel_sets`` writes as bitmasks (an int64's bits)."""


@dataclass(frozen=True)
class ChannelSets:
    """Each path's set of channels: ``keys`` the distinct sets (sorted tuples, in sorted
    order), ``ids`` each path's index into ``keys``."""

    keys: list[tuple[str, ...]]
    ids: np.ndarray

    def summed(self, columns: dict[str, np.ndarray], name: str, rows: np.ndarray | None = None) -> pd.DataFrame:
        """``grouped_sum`` by set of ``columns`` (given for the paths ``rows``, a boolean
        mask; every path by default): one row per set present, in sorted order. Each set's
        sum adds its paths in path order, as ``grouped_sum`` does, so the sums are the same."""
        ids = self.ids if rows is None else self.ids[rows]
        present = np.flatnonzero(np.bincount(ids, minlength=len(self.keys)) > 0)
        frame = pd.DataFrame({name: pd.Series([self.keys[i] for i in present], dtype=object)})
        for column, values in columns.items():
            frame[column] = np.bincount(ids, np.asarray(values, dtype=float), minlength=len(self.keys))[present]
        return frame


def channel_sets(paths: pd.DataFrame, codes: Codes | None = None) -> ChannelSets:
    """Each path's set of channels. With at most ``MASK_CHANNELS`` channels a set is the
    bitmask of its channels' codes, one ``bitwise_or.reduceat`` over the touches: no sorted
    tuple per path (159k paths on 1M customers: ~0.3 s of Python) -- only per distinct set.
    ``codes``: ``touch_codes(paths)`` when the caller has them already."""
    if codes is not None and len(codes[0]) <= MASK_CHANNELS:
        channels = list(codes[0])
        code, lengths = codes[1], np.bincount(codes[2], minlength=len(paths))
        return _masked_sets(channels, code, lengths)
    lengths = np.fromiter(map(len, paths["path"]), dtype=np.int64, count=len(paths))
    flat = list(chained.from_iterable(paths["path"]))
    channels = sorted(set(flat))
    if len(channels) > MASK_CHANNELS:
        tuples = [tuple(sorted(set(p))) for p in paths["path"]]
        keys = sorted(set(tuples))
        of = {k: i for i, k in enumerate(keys)}
        return ChannelSets(keys, np.fromiter(map(of.__getitem__, tuples), dtype=np.int64, count=len(tuples)))
    index = {c: i for i, c in enumerate(channels)}
    return _masked_sets(channels, np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat)), lengths)


def _masked_sets(channels: list[str], code: np.ndarray, lengths: np.ndarray) -> ChannelSets:
    """``channel_sets`` from the touches' channel codes (ranks in ``channels``, sorted) and
    the paths' lengths, at most ``MASK_CHANNELS`` channels."""
    masks = np.zeros(len(lengths), dtype=np.int64)
    touched = lengths > 0
    if touched.any():
        starts = (np.cumsum(lengths) - lengths)[touched]
        masks[touched] = np.bitwise_or.reduceat(np.left_shift(np.int64(1), code), starts)
    found, ids = np.unique(masks, return_inverse=True)
    members = [tuple(channels[i] for i in range(len(channels)) if m >> i & 1) for m in found.tolist()]
    order = sorted(range(len(members)), key=members.__getitem__)  # the sets' own (tuple) order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return ChannelSets([members[i] for i in order], rank[ids.reshape(-1)])


def _channel_sets(paths: pd.DataFrame, sets: ChannelSets | None = None) -> pd.DataFrame:
    """Conversions and value of the converting paths per set of channels."""
    sets = channel_sets(paths) if sets is None else sets
    converting = (paths["conversions"] > 0).to_numpy()
    return sets.summed({"conversions": paths["conversions"].to_numpy(dtype=float)[converting],
                        "value": paths["value"].to_numpy(dtype=float)[converting]}, "channels", converting)


def shapley_credit(paths: pd.DataFrame, exact_max: int = EXACT_SHAPLEY_MAX_CHANNELS,
                   sets: ChannelSets | None = None) -> pd.DataFrame:
    """Shapley credit per channel in conversions and value (see the module docstring).
    ``sets``: ``channel_sets(paths)`` when the caller has them already."""
    grouped = _channel_sets(paths, sets)
    channels = tuple(sorted({c for s in grouped["channels"] for c in s}))
    if len(channels) <= exact_max:
        worth = _coalition_worth(grouped, channels)
        conv = shapley_values(worth[:, 0], len(channels))
        val = shapley_values(worth[:, 1], len(channels))
    else:
        index = {c: i for i, c in enumerate(channels)}
        conv, val = np.zeros(len(channels)), np.zeros(len(channels))
        for members, c_sum, v_sum in grouped.itertuples(index=False):
            idx = [index[m] for m in members]
            conv[idx] += c_sum / len(idx)
            val[idx] += v_sum / len(idx)
    return pd.DataFrame({"channel": list(channels), "conversions": conv, "revenue": val})


def _coalition_worth(sets: pd.DataFrame, channels: tuple[str, ...]) -> np.ndarray:
    """v(S) for every coalition bitmask: sums over channel sets contained in S (zeta transform)."""
    n = len(channels)
    index = {c: i for i, c in enumerate(channels)}
    worth = np.zeros((1 << n, 2))
    for members, c_sum, v_sum in sets.itertuples(index=False):
        mask = sum(1 << index[m] for m in members)
        worth[mask] += (c_sum, v_sum)
    masks = np.arange(1 << n)
    for i in range(n):
        has = (masks >> i) & 1 == 1
        worth[has] += worth[masks[has] ^ (1 << i)]
    return worth


def shapley_values(worth: np.ndarray, n: int) -> np.ndarray:
    """Exact Shapley values of an n-player game given v for all 2**n coalition bitmasks."""
    masks = np.arange(1 << n)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) if s < n else 0.0
                       for s in range(n + 1)])
    values = np.zeros(n)
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        values[i] = np.sum(weight[sizes[without]] * (worth[without | (1 << i)] - worth[without]))
    return values


# --- all models -----------------------------------------------------------------------------


def shapley_rate_credit(paths: pd.DataFrame, exact_max: int = EXACT_SHAPLEY_MAX_CHANNELS,
                        sets: ChannelSets | None = None) -> pd.DataFrame | None:
    """Shapley credit of the conversion-rate game over all journeys; None beyond ``exact_max`` channels."""
    conversions = paths["conversions"].to_numpy(dtype=float)
    journeys = conversions + paths["nulls"].to_numpy(dtype=float)
    grouped = (channel_sets(paths) if sets is None else sets).summed(
        {"conversions": conversions, "journeys": journeys}, "channels")
    channels = tuple(sorted({c for s in grouped["channels"] for c in s}))
    if not channels or len(channels) > exact_max:
        return None
    worth = _coalition_worth(grouped.rename(columns={"journeys": "value"}), channels)
    rate = np.divide(worth[:, 0], worth[:, 1], out=np.zeros(len(worth)), where=worth[:, 1] > 0)
    values = np.clip(shapley_values(rate, len(channels)), 0.0, None)
    share = values / values.sum() if values.sum() > 0 else np.zeros_like(values)
    return pd.DataFrame({"channel": list(channels), "conversions": share * paths["conversions"].sum(),
                         "revenue": share * paths["value"].sum()})


def markov_models(paths: pd.DataFrame, codes: Codes | None = None) -> dict[str, MarkovResult | None]:
    """The three Markov chains, each solved once; None for a chain too large to solve.
    ``codes``: ``touch_codes(paths)`` when the caller has them already."""
    chains: dict[str, MarkovResult | None] = {}
    if codes is not None:
        nonempty = np.bincount(codes[2], minlength=len(paths)) > 0
        codes = codes if nonempty.all() else subset_codes(codes, nonempty)
        paths = paths if nonempty.all() else paths[nonempty]
    else:
        paths = paths[np.fromiter(map(len, paths["path"]), dtype=np.int64, count=len(paths)) > 0]
        codes = touch_codes(paths)
    for name, order, weight in (("markov", 1, "count"), ("markov_value", 1, "value"), ("markov_2nd", 2, "count")):
        try:
            chains[name] = markov_chain(paths, order=order, weight=weight, codes=codes)  # type: ignore[arg-type]
        except ValueError:
            chains[name] = None
    return chains


def attribute(
    paths: pd.DataFrame,
    half_life: float = 7.0,
    time_decay: pd.DataFrame | None = None,
    chains: dict[str, MarkovResult | None] | None = None,
    codes: Codes | None = None,
) -> pd.DataFrame:
    """Every model's credit, long format: model, channel, conversions, revenue.

    ``time_decay`` (channel, conversions, revenue), when given, replaces the positional
    time-decay model (the warehouse layer computes it from real touch times). ``codes``:
    ``touch_codes(paths)`` when the caller has them (the paths' tuples are walked once).
    """
    keep = (paths["conversions"] > 0).to_numpy()
    converting = paths[keep]
    touches = _Touches.of(converting, None if codes is None else subset_codes(codes, keep))
    frames = []
    for model in ("first_touch", "last_touch", "linear", "time_decay", "position_based"):
        if model == "time_decay" and time_decay is not None:
            credit = time_decay[["channel", "conversions", "revenue"]]
        else:
            credit = _credit(touches, heuristic_weights(touches, model, half_life), converting)
        frames.append(credit.assign(model=model))
    chains = chains if chains is not None else markov_models(paths, codes)
    for name, chain in chains.items():
        if chain is not None:
            frames.append(markov_credit(paths, chain).assign(model=name))
    sets = channel_sets(paths, codes)
    frames.append(shapley_credit(paths, sets=sets).assign(model="shapley"))
    rate = shapley_rate_credit(paths, sets=sets)
    if rate is not None:
        frames.append(rate.assign(model="shapley_rate"))
    long = pd.concat(frames, ignore_index=True)
    all_channels = sorted(set(long["channel"]))
    grid = pd.MultiIndex.from_product([MODELS, all_channels], names=["model", "channel"])
    long = long.groupby(["model", "channel"]).sum().reindex(grid, fill_value=0.0).reset_index()
    return long[["model", "channel", "conversions", "revenue"]]


def comparison(long: pd.DataFrame, measure: str = "conversions") -> pd.DataFrame:
    """Wide table: one row per channel, one column per model (in ``MODELS`` order)."""
    wide = long.pivot(index="channel", columns="model", values=measure)[list(MODELS)]
    wide = wide.sort_values("last_touch", ascending=False)
    wide.columns.name = None
    return wide.reset_index()
