"""The funnel's session masks against an independent count in pandas.

The statement counts sessions per step mask and the tool decodes the masks (one block of
step bits per device when the devices are few, a (session, device) key when they are many);
these check both shapes on events with repeated steps, events outside the funnel, NULL
sessions, devices and names, sessions on two devices and a step listed twice.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from genbi.tools import funnel_masks
from genbi.tools.funnel import FunnelArgs, events_source, fetch_counts
from genbi.tools.roles import RoleSource

NAMES = ["visit", "view_product", "add_to_cart", "checkout", "purchase", "search", None]


def _events(devices: list[str | None], seed: int = 3, n: int = 4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    session = pd.array(rng.integers(0, 700, n), dtype="Int64")
    session[rng.random(n) < 0.03] = pd.NA
    return pd.DataFrame({
        "session_id": session,
        "event_name": pd.array(rng.choice(np.array(NAMES, dtype=object), n), dtype=object),
        "event_time": pd.Timestamp("2025-03-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
        "device": pd.array(rng.choice(np.array(devices, dtype=object), n), dtype=object),
    })


def _by_hand(events: pd.DataFrame, steps: list[str], by: str | None, strict: bool) -> dict[tuple[str, str], int]:
    """Sessions (NULL: one session) per group reaching each step, counted from their sets of
    event names."""
    keys = ["session_id"] + ([by] if by else [])
    frame = events.assign(session_id=events["session_id"].astype(object).where(events["session_id"].notna(), "NULL"))
    if by:
        frame[by] = frame[by].where(frame[by].notna(), funnel_masks.UNKNOWN)
    frame = frame[frame["event_name"].isin(steps)]
    seen = frame.groupby(keys)["event_name"].agg(set)
    counts: dict[tuple[str, str], int] = {}
    for key, names in seen.items():
        group = key[1] if by else "all"
        for i, step in enumerate(steps):
            reached = all(s in names for s in steps[: i + 1]) if strict else step in names
            counts[(group, step)] = counts.get((group, step), 0) + int(reached)
    return counts


def _tool(events: pd.DataFrame, tmp_path: Path, steps: list[str], by: str | None,
          strict: bool) -> tuple[dict[tuple[str, str], int], RoleSource]:
    file = tmp_path / "events.parquet"
    events.to_parquet(file, index=False)
    args = FunnelArgs(events_file=str(file), by=by, strict=strict, steps=",".join(steps))
    source = events_source(args)
    long = fetch_counts(source, args, steps)
    counted: dict[tuple[str, str], int] = {}
    for group, step, sessions in zip(long["group"], long["step"], long["sessions"], strict=True):
        counted[(str(group), step)] = counted.get((str(group), step), 0) + int(sessions)
    return counted, source


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("steps", [["visit", "view_product", "add_to_cart", "checkout", "purchase"],
                                   ["visit", "add_to_cart", "visit", "purchase"]])
@pytest.mark.parametrize("by", [None, "device"])
def test_counts_match_pandas_with_few_devices(tmp_path: Path, strict: bool, steps: list[str], by: str | None) -> None:
    events = _events(["ios", "android", "web", None])
    counted, source = _tool(events, tmp_path, steps, by, strict)
    assert counted == _by_hand(events, steps, by, strict)
    if by:  # the blocks: one statement keyed on the session alone
        assert "GROUP BY session)" in source.executed[-1]


@pytest.mark.parametrize("strict", [False, True])
def test_counts_match_pandas_with_many_devices(tmp_path: Path, strict: bool) -> None:
    """Fifteen devices of five steps do not fit one mask: the (session, device) key."""
    steps = ["visit", "view_product", "add_to_cart", "checkout", "purchase"]
    events = _events([f"d{i}" for i in range(15)] + [None], seed=5)
    counted, source = _tool(events, tmp_path, steps, "device", strict)
    assert counted == _by_hand(events, steps, "device", strict)
    assert "GROUP BY session, grp" in source.executed[-1]


def test_step_counts_decodes_blocks() -> None:
    """Masks of two blocks (ios, then NULL): a session in both counts in each; a group whose
    sessions miss the first step is still a group (strict zeros)."""
    factors = funnel_masks.value_factors(["ios"], 3)
    assert factors == [("ios", 1), (None, 8)]
    long = funnel_masks.step_counts([], [0b011 | 0b100 << 3, 0b100 << 3], [2, 5], ["a", "b", "c"], True, factors)
    got = {(g, s): int(n) for g, s, n in zip(long["group"], long["step"], long["sessions"], strict=True)}
    assert got == {("ios", "a"): 2, ("ios", "b"): 2, ("ios", "c"): 0,
                   ("(unknown)", "a"): 0, ("(unknown)", "b"): 0, ("(unknown)", "c"): 0}
    assert funnel_masks.value_factors([f"v{i}" for i in range(12)], 5) is None
