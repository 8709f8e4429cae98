"""The previous Markov attribution (one dense solve per removed channel): a reference."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genbi.tools.attribution.models import _Touches


@dataclass(frozen=True)
class MarkovResult:
    channels: tuple[str, ...]
    conversion_probability: float
    removal_effects: np.ndarray
    transition_matrix: np.ndarray  # rows: start, channels...; cols: start, channels..., conv, null


def markov_chain(paths: pd.DataFrame) -> MarkovResult:
    """Exact first-order Markov removal effects from a path table (absorbing-chain solve)."""
    touches = _Touches.of(paths)
    k = len(touches.channels)
    start, conv, null = 0, k + 1, k + 2
    counts = np.zeros((k + 1, k + 3))
    conversions = paths["conversions"].to_numpy(dtype=float)
    nulls = paths["nulls"].to_numpy(dtype=float)
    journeys = conversions + nulls
    state = touches.code + 1
    first = touches.pos == 0
    np.add.at(counts, (np.full(first.sum(), start), state[first]), journeys[touches.path[first]])
    inner = touches.pos < touches.length - 1
    np.add.at(counts, (state[inner], state[np.flatnonzero(inner) + 1]), journeys[touches.path[inner]])
    last = ~inner
    np.add.at(counts, (state[last], np.full(last.sum(), conv)), conversions[touches.path[last]])
    np.add.at(counts, (state[last], np.full(last.sum(), null)), nulls[touches.path[last]])
    totals = counts.sum(axis=1, keepdims=True)
    matrix = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    base = _absorption(matrix, removed=None)
    effects = np.array([1.0 - _absorption(matrix, removed=c + 1) / base if base > 0 else 0.0
                        for c in range(k)])
    return MarkovResult(touches.channels, base, np.clip(effects, 0.0, None), matrix)


def _absorption(matrix: np.ndarray, removed: int | None) -> float:
    """P(reach conversion from start); a removed state leads straight to null."""
    n = matrix.shape[0]
    q = matrix[:, :n].copy()
    r = matrix[:, n].copy()
    if removed is not None:
        q[removed, :] = 0.0
        r[removed] = 0.0
    solution = np.linalg.solve(np.eye(n) - q, r)
    return float(solution[0])


def markov_credit(paths: pd.DataFrame, result: MarkovResult | None = None) -> pd.DataFrame:
    """Split total conversions and value over channels in proportion to removal effects."""
    result = result or markov_chain(paths)
    effects = result.removal_effects
    share = effects / effects.sum() if effects.sum() > 0 else np.zeros_like(effects)
    return pd.DataFrame(
        {
            "channel": list(result.channels),
            "conversions": share * paths["conversions"].sum(),
            "revenue": share * paths["value"].sum(),
        }
    )


