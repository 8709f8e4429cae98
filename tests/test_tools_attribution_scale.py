"""Attribution at scale and on a marketer's files: the one-solve Markov chains against
independent references, the extra models, raw touch logs and the input checks."""

from __future__ import annotations

import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from markov_reference import markov_chain as reference_chain

from genbi.tools.attribution import AttributionArgs, path_table, run
from genbi.tools.attribution.markov import markov_chain
from genbi.tools.attribution.models import shapley_rate_credit
from genbi.tools.base import ToolError


def _random_paths(channels: int, rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = [f"c{i}" for i in range(channels)]
    paths = [tuple(rng.choice(names, size=int(rng.integers(1, 6)))) for _ in range(rows)]
    conv = rng.integers(0, 5, rows)
    return path_table(paths, conv, conv * rng.gamma(2, 50, rows), rng.integers(0, 20, rows))


def _dict_chain(paths: pd.DataFrame, order: int, weight: str) -> tuple[float, dict[str, float]]:
    """Removal effects from a chain built with dictionaries, one solve per removed channel."""
    conv = paths["conversions"].to_numpy(float)
    nulls = paths["nulls"].to_numpy(float)
    if weight == "value":
        value = paths["value"].to_numpy(float)
        nulls, conv = nulls * value.sum() / conv.sum(), value
    counts: dict[tuple, defaultdict] = defaultdict(lambda: defaultdict(float))
    for path, c, n in zip(paths["path"], conv, nulls, strict=True):
        states = [("start",)] + [(path[i - 1] if i > 0 else "^", path[i]) if order == 2 else (path[i],)
                                 for i in range(len(path))]
        for a, b in pairwise(states):
            counts[a][b] += c + n
        counts[states[-1]][("conv",)] += c
        counts[states[-1]][("null",)] += n
    transient = sorted(counts, key=str)
    index = {s: i for i, s in enumerate(transient)}

    def p_conv(removed: str | None) -> float:
        q = np.zeros((len(transient), len(transient)))
        r = np.zeros(len(transient))
        for a, row in counts.items():
            if removed is not None and a[-1] == removed:
                continue  # the removed channel's states go straight to null
            total = sum(row.values())
            for b, w in row.items():
                if b == ("conv",):
                    r[index[a]] += w / total
                elif b != ("null",):
                    q[index[a], index[b]] += w / total
        return float(np.linalg.solve(np.eye(len(transient)) - q, r)[index[("start",)]])

    base = p_conv(None)
    channels = sorted({c for p in paths["path"] for c in p})
    return base, {c: max(1 - p_conv(c) / base, 0.0) for c in channels}


@pytest.mark.parametrize(("order", "weight"), [(1, "count"), (1, "value"), (2, "count"), (2, "value")])
def test_one_solve_markov_equals_one_solve_per_removal(order: int, weight: str) -> None:
    paths = _random_paths(6, 300, seed=order * 10 + len(weight))
    got = markov_chain(paths, order=order, weight=weight)  # type: ignore[arg-type]
    base, want = _dict_chain(paths, order, weight)
    assert got.conversion_probability == pytest.approx(base, rel=1e-9)
    np.testing.assert_allclose(got.removal_effects, [want[c] for c in got.channels], rtol=1e-8, atol=1e-12)
    if order == 1 and weight == "count":
        old = reference_chain(paths)
        np.testing.assert_allclose(got.removal_effects, old.removal_effects, rtol=1e-9, atol=1e-12)


def test_four_hundred_campaigns_solve_once() -> None:
    paths = _random_paths(400, 20_000, seed=1)
    started = time.process_time()
    result = markov_chain(paths)
    assert len(result.channels) == 400 and result.removal_effects.sum() > 0
    assert time.process_time() - started < 60  # a bound against the old O(k^4) (minutes), not a benchmark


def test_shapley_rate_counts_non_converting_journeys() -> None:
    # A alone converts 10 of 100, B alone 0 of 100, A+B 30 of 100: v(A)=.1, v(B)=0, v(AB)=40/300
    paths = path_table([("A",), ("B",), ("A", "B")], [10, 0, 30], [100.0, 0.0, 300.0], [90, 100, 70])
    credit = shapley_rate_credit(paths).set_index("channel")
    v_ab = 40 / 300
    phi_a = 0.5 * 0.1 + 0.5 * (v_ab - 0.0)
    phi_b = 0.5 * 0.0 + 0.5 * (v_ab - 0.1)
    assert credit.loc["A", "conversions"] == pytest.approx(40 * phi_a / (phi_a + phi_b))
    assert credit.loc["B", "revenue"] == pytest.approx(400 * phi_b / (phi_a + phi_b))


def _touch_log(path: Path, flag_yes: object = 1, flag_no: object = 0) -> Path:
    rows = [
        ("u1", "search", "2025-03-01 10:00", flag_no, None),
        ("u1", "wechat", "2025-03-03 09:00", flag_no, None),
        ("u1", "email", "2025-03-04 20:00", flag_yes, 120.0),  # converts at the email touch
        ("u1", "display", "2025-03-10 08:00", flag_no, None),  # a new, open journey
        ("u2", "search", "2025-03-02 12:00", flag_yes, 80.0),
        ("u3", "display", "2025-03-05 12:00", flag_no, None),
        ("u3", "search", "2025-03-06 12:00", flag_no, None),
    ]
    pd.DataFrame(rows, columns=["user", "source", "at", "bought", "amount"]).to_csv(path, index=False)
    return path


def _touch_args(file: Path, **extra: object) -> AttributionArgs:
    return AttributionArgs(touches_file=str(file), customer_column="user", channel_column="source", time_column="at",
                           converted_column="bought", conversion_value_column="amount", **extra)


@pytest.mark.parametrize(("yes", "no"), [(1, 0), ("yes", "no"), ("TRUE", "false")])
def test_a_raw_touch_log_builds_the_same_journeys(tmp_path: Path, yes: object, no: object) -> None:
    result = run(_touch_args(_touch_log(tmp_path / "log.csv", yes, no)))
    paths = result.tables["paths"].set_index("path")
    assert paths.loc["search > wechat > email", "conversions"] == 1
    assert paths.loc["search > wechat > email", "value"] == 120
    assert paths.loc["search", "conversions"] == 1
    assert paths.loc["display", "nulls"] == 1 and paths.loc["display > search", "nulls"] == 1
    assert result.facts["conversions"] == 2 and result.facts["revenue"] == 200
    decay = result.tables["long"].query("model == 'time_decay'").set_index("channel")["conversions"]
    assert decay.sum() == pytest.approx(2)  # real ages in days, each conversion split once


def test_touch_log_checks_name_the_column(tmp_path: Path) -> None:
    log = _touch_log(tmp_path / "log.csv")
    frame = pd.read_csv(log)
    frame.assign(bought=0).to_csv(tmp_path / "none.csv", index=False)
    with pytest.raises(ToolError, match="no conversions: 'bought'"):
        run(_touch_args(tmp_path / "none.csv"))
    frame.assign(bought=["maybe"] + [0] * (len(frame) - 1)).to_csv(tmp_path / "odd.csv", index=False)
    with pytest.raises(ToolError, match=r"'bought'.*'maybe'"):
        run(_touch_args(tmp_path / "odd.csv"))
    frame.assign(amount=-frame["amount"]).to_csv(tmp_path / "neg.csv", index=False)
    with pytest.raises(ToolError, match=r"'amount'.*negative"):
        run(_touch_args(tmp_path / "neg.csv"))


def test_path_file_checks(tmp_path: Path) -> None:
    file = tmp_path / "paths.csv"
    pd.DataFrame({"path": ["a, b", "b, c", "c"], "total_conversions": [1, 2, 0]}).to_csv(file, index=False)
    with pytest.raises(ToolError, match="Use --separator ','"):
        run(AttributionArgs(paths_file=str(file)))
    assert run(AttributionArgs(paths_file=str(file), separator=",")).facts["conversions"] == 3
    pd.DataFrame({"path": ["a > b"], "total_conversions": [-1]}).to_csv(file, index=False)
    with pytest.raises(ToolError, match=r"'total_conversions'.*negative"):
        run(AttributionArgs(paths_file=str(file)))
    pd.DataFrame({"path": ["a > b"], "total_conversions": ["yes"]}).to_csv(file, index=False)
    with pytest.raises(ToolError, match="yes/no"):
        run(AttributionArgs(paths_file=str(file)))
    pd.DataFrame({"path": ["a > b"], "total_conversions": [0]}).to_csv(file, index=False)
    with pytest.raises(ToolError, match="no conversions") as caught:
        run(AttributionArgs(paths_file=str(file)))
    assert "lookback" not in str(caught.value)


def test_too_many_channels_say_so_and_top_channels_groups_the_rest(tmp_path: Path) -> None:
    paths = _random_paths(40, 2000, seed=3)
    frame = pd.DataFrame({"path": paths["path"].map(" > ".join), "total_conversions": paths["conversions"],
                          "total_conversion_value": paths["value"], "total_null": paths["nulls"]})
    frame.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(ToolError, match=r"40 distinct channels.*--top-channels"):
        run(AttributionArgs(paths_file=str(tmp_path / "p.csv"), max_channels=30))
    result = run(AttributionArgs(paths_file=str(tmp_path / "p.csv"), max_channels=30, top_channels=10))
    assert len(result.table) == 11 and "other" in set(result.table["channel"])
    assert len(result.facts["merged_into_other"]) == 30
    assert result.table["markov"].sum() == pytest.approx(frame["total_conversions"].sum())
