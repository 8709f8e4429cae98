"""The arithmetic of "why did it change?": member contributions, mix vs rate, usual swings.

Pure functions over numbers the warehouse returned, so every figure an explanation quotes
can be checked by hand. Two decompositions, both exact (the parts add up to the change):

- an additive metric (a sum or a count): each member's contribution is its own change,
  ``after_i - before_i``; the contributions add up to the total change.
- a ratio ``R = N / D`` (ROAS = revenue / spend): ``R = sum_i w_i * r_i`` with the member's
  weight ``w_i = D_i / D`` and rate ``r_i = N_i / D_i``. The change splits per member into a
  rate effect ``mean(w) * (r1 - r0)`` (the member got better or worse) and a mix effect
  ``(w1 - w0) * (mean(r) - mean(R))`` (weight moved towards a member above or below the
  average). The midpoint form makes the two add up exactly to the change of the ratio.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

USUAL_SWING_Z = 2.5
"""A change further than this many robust standard deviations from the median of earlier
changes is unusual; closer is normal variation (about 1 in 80 by chance for normal noise)."""
MIN_HISTORY = 4
"""Fewer earlier changes than this cannot say what "usual" is."""
NO_MEMBER = "∅"
"""How a missing member (NULL: e.g. orders with no campaign) is keyed in the tables."""


def additive_contributions(before: pd.Series, after: pd.Series) -> pd.DataFrame:
    """Per member: value before and after, its change, and its share of the total change.

    >>> t = additive_contributions(pd.Series({"a": 10.0, "b": 5.0}), pd.Series({"a": 4.0, "b": 6.0}))
    >>> t["contribution"].tolist(), t["share"].round(2).tolist()
    ([-6.0, 1.0], [1.2, -0.2])
    """
    members = _members(before.index, after.index)
    table = pd.DataFrame({"before": before.reindex(members).fillna(0.0).astype(float),
                          "after": after.reindex(members).fillna(0.0).astype(float)})
    table["contribution"] = table["after"] - table["before"]
    table["change_pct"] = _pct(table["after"], table["before"])
    total = float(table["contribution"].sum())
    table["share"] = table["contribution"] / total if total else np.nan
    return _ranked(table, total)


def ratio_effects(numerator: pd.DataFrame, denominator: pd.DataFrame) -> pd.DataFrame:
    """Per member of a ratio metric: rates, weights, rate and mix effects, share of the change.

    ``numerator`` / ``denominator``: one row per member, columns ``before`` and ``after``.
    Members with no denominator in a period have no rate there: their whole effect is mix
    (the member appeared or went away). Numerator without any denominator cannot be placed in
    ``sum(w * r)``; it is left to the ``unexplained`` figure of ``ratio_totals``.

    >>> n = pd.DataFrame({"before": [10.0, 10.0], "after": [10.0, 30.0]}, index=["a", "b"])
    >>> d = pd.DataFrame({"before": [10.0, 10.0], "after": [10.0, 10.0]}, index=["a", "b"])
    >>> t = ratio_effects(n, d)
    >>> t.loc["b", ["rate_effect", "mix_effect"]].tolist(), round(t["contribution"].sum(), 6)
    ([1.0, 0.0], 1.0)
    """
    members = _members(numerator.index, denominator.index)
    num = numerator.reindex(members).fillna(0.0).astype(float)
    den = denominator.reindex(members).fillna(0.0).astype(float)
    totals = {side: (float(num[side].sum()), float(den[side].sum())) for side in ("before", "after")}
    ratio = {side: (n / d if d else math.nan) for side, (n, d) in totals.items()}
    mean_ratio = (ratio["before"] + ratio["after"]) / 2
    table = pd.DataFrame(index=members)
    for side in ("before", "after"):
        total_den = totals[side][1]
        table[f"weight_{side}"] = den[side] / total_den if total_den else 0.0
        table[f"rate_{side}"] = (num[side] / den[side]).where(den[side] != 0)
    rate_before = table["rate_before"].fillna(table["rate_after"])
    rate_after = table["rate_after"].fillna(table["rate_before"])
    mean_weight = (table["weight_before"] + table["weight_after"]) / 2
    table["rate_effect"] = (mean_weight * (rate_after - rate_before)).fillna(0.0)
    mean_rate = (rate_before + rate_after) / 2
    table["mix_effect"] = ((table["weight_after"] - table["weight_before"]) * (mean_rate - mean_ratio)).fillna(0.0)
    table["contribution"] = table["rate_effect"] + table["mix_effect"]
    table["before"], table["after"] = table["rate_before"], table["rate_after"]
    table["change_pct"] = _pct(table["rate_after"], table["rate_before"])
    change = ratio["after"] - ratio["before"]
    table["share"] = table["contribution"] / change if change and not math.isnan(change) else np.nan
    return _ranked(table, change)


def ratio_contributions(nb: np.ndarray, db: np.ndarray, na: np.ndarray, da: np.ndarray) -> np.ndarray:
    """Rate + mix effect per member (rows) and comparison (columns), the same arithmetic as
    ``ratio_effects`` for many period pairs at once (members' earlier changes)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        total_b, total_a = db.sum(axis=0), da.sum(axis=0)
        mean_ratio = (nb.sum(axis=0) / np.where(total_b, total_b, np.nan)
                      + na.sum(axis=0) / np.where(total_a, total_a, np.nan)) / 2
        wb = np.where(total_b, db / np.where(total_b, total_b, 1.0), 0.0)
        wa = np.where(total_a, da / np.where(total_a, total_a, 1.0), 0.0)
        rb = np.where(db != 0, nb / np.where(db != 0, db, 1.0), np.nan)
        ra = np.where(da != 0, na / np.where(da != 0, da, 1.0), np.nan)
    rb, ra = np.where(np.isnan(rb), ra, rb), np.where(np.isnan(ra), rb, ra)
    rate = np.nan_to_num((wb + wa) / 2 * (ra - rb))
    mix = np.nan_to_num((wa - wb) * ((rb + ra) / 2 - mean_ratio))
    return np.asarray(rate + mix, dtype=float)


@dataclass(frozen=True)
class RatioTotals:
    """A ratio metric's value in each period and how much of its change the members explain."""

    before: float
    after: float
    rate_effect: float
    mix_effect: float
    unexplained: float
    """Change not placed on any member (numerator where the denominator is zero)."""


def ratio_totals(numerator: pd.DataFrame, denominator: pd.DataFrame, effects: pd.DataFrame) -> RatioTotals:
    """The ratio before and after, and the sums of the member effects."""
    before = _safe_ratio(numerator["before"].sum(), denominator["before"].sum())
    after = _safe_ratio(numerator["after"].sum(), denominator["after"].sum())
    rate, mix = float(effects["rate_effect"].sum()), float(effects["mix_effect"].sum())
    return RatioTotals(before, after, rate, mix, (after - before) - rate - mix)


@dataclass(frozen=True)
class DimensionScore:
    """How much of a change one dimension explains: through its top member."""

    dimension: str
    top_member: object
    top_contribution: float
    explained_share: float
    """The top member's contribution / the total change (may pass 1 when others moved back)."""
    members: int
    surprise: float = 1.0
    """How far outside its own usual swing the top member moved: min(1, |z| / USUAL_SWING_Z);
    1 when its history is too short to say."""

    @property
    def score(self) -> float:
        """What dimensions are ranked by: the share explained by an unusual move."""
        return self.explained_share * self.surprise


def member_surprise(history: np.ndarray, current: np.ndarray) -> np.ndarray:
    """Per member, min(1, |z| / USUAL_SWING_Z) of its change against its own earlier changes.

    ``history``: members x earlier comparisons (changes in the metric's units, NaN where a
    comparison had no data); ``current``: each member's change now. A member with fewer than
    ``MIN_HISTORY`` earlier changes gets 1: nothing says its move is ordinary. A campaign
    objective whose members swing by ±20k every month explains less of a 15k drop than a
    channel that never moved more than 3k.
    """
    if history.size == 0:
        return np.ones(len(current))
    with np.errstate(all="ignore"):
        median = np.nanmedian(history, axis=1)
        mad = 1.4826 * np.nanmedian(np.abs(history - median[:, None]), axis=1)
        floor = 1e-9 * np.maximum(1.0, np.nanmax(np.abs(history), axis=1))
        spread = np.fmax(np.fmax(mad, np.nanstd(history, axis=1) / 4), floor)
        z = (current - median) / spread
    enough = np.isfinite(history).sum(axis=1) >= MIN_HISTORY
    return np.where(enough & np.isfinite(z), np.minimum(1.0, np.abs(z) / USUAL_SWING_Z), 1.0)


def score_dimension(dimension: str, table: pd.DataFrame, total_change: float,
                    surprise: pd.Series | None = None) -> DimensionScore | None:
    """The dimension's best-explaining member in the direction of the change; None if the
    dimension has fewer than 2 members or nothing moved that way.

    A member moving with the change explains it; one moving against it does not. Members are
    compared by share of the change times their surprise (``member_surprise``).
    """
    if len(table) < 2 or not total_change or not math.isfinite(total_change):
        return None
    weights = surprise if surprise is not None else pd.Series(1.0, index=table.index)
    signed = table["contribution"] / total_change
    scores = signed.where(signed > 0) * weights
    if scores.isna().all():
        return None
    position = int(np.nanargmax(scores.to_numpy(dtype=float)))
    contribution = float(table["contribution"].iloc[position])
    return DimensionScore(dimension, table.index[position], contribution, contribution / total_change,
                          len(table), float(weights.iloc[position]))


def rank_dimensions(scores: Sequence[DimensionScore]) -> list[DimensionScore]:
    """Most explaining first; on a tie the dimension with fewer members (the coarser one)."""
    return sorted(scores, key=lambda s: (-round(s.score, 9), s.members, s.dimension))


@dataclass(frozen=True)
class Variation:
    """Whether a change is inside the spread of the changes before it."""

    change_pct: float
    median_pct: float
    low_pct: float
    high_pct: float
    """The usual range: median ± USUAL_SWING_Z robust standard deviations."""
    z: float
    history: int
    """How many earlier changes the range is made from."""

    @property
    def within(self) -> bool:
        return self.low_pct <= self.change_pct <= self.high_pct


def usual_range(history: Sequence[float], change: float, *, relative: bool = True) -> Variation | None:
    """Compare a change with earlier ones (median and MAD, robust to festival months).

    Relative changes by default (``0.05`` = +5 %), compared as log ratios so a halving and a
    doubling are equally far from "no change"; ``relative=False`` for changes in the metric's
    own units. None when there are fewer than ``MIN_HISTORY`` earlier changes.

    >>> v = usual_range([0.02, -0.01, 0.03, 0.0, -0.02, 0.01], 0.015)
    >>> v.within, round(v.median_pct, 3)
    (True, 0.005)
    """
    values = np.array([v for v in history if v is not None and math.isfinite(v)], dtype=float)
    if values.size < MIN_HISTORY or not math.isfinite(change):
        return None
    scale = _log_ratio if relative else (lambda v: v)
    points, now = scale(values), float(scale(np.array([change]))[0])
    median = float(np.median(points))
    spread = 1.4826 * float(np.median(np.abs(points - median)))
    floor = 1e-9 * max(1.0, float(np.max(np.abs(points))))
    spread = max(spread, float(np.std(points)) / 4, floor)  # all-equal history: not zero width
    z = (now - median) / spread
    back = _from_log if relative else (lambda v: v)
    low, high = median - USUAL_SWING_Z * spread, median + USUAL_SWING_Z * spread
    return Variation(change, back(median), back(low), back(high), z, int(values.size))


def _log_ratio(values: np.ndarray) -> np.ndarray:
    """log(1 + change), a fall to zero counted as a fall to one millionth."""
    return np.log(np.maximum(1.0 + values, 1e-6))


def _from_log(value: float) -> float:
    return math.exp(value) - 1.0


def relative_changes(values: Sequence[float | None]) -> list[float]:
    """Period-over-period relative changes of a chain of values (oldest first); a step from
    an empty or missing period is skipped (no data yet is not a change)."""
    changes: list[float] = []
    for before, after in itertools.pairwise(values):
        if before is None or after is None or not before or not math.isfinite(before):
            continue
        changes.append(after / before - 1)
    return changes


def _members(first: pd.Index, second: pd.Index) -> pd.Index:
    """Both indexes' members in order of appearance (never sorted: a NULL member's marker sits
    beside numbers or booleans)."""
    return first.append(second).unique()


def _pct(after: pd.Series, before: pd.Series) -> pd.Series:
    return (after / before - 1).where(before.notna() & (before != 0))


def _safe_ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else math.nan


def _ranked(table: pd.DataFrame, total: float) -> pd.DataFrame:
    """Members in order of how much they moved with the change (then against it)."""
    sign = math.copysign(1.0, total) if total else 1.0
    order = (table["contribution"] * sign).sort_values(ascending=False, kind="stable").index
    ranked = table.loc[order]
    ranked.index.name = "member"
    return ranked
