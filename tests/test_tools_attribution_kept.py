"""Kept journeys: attribution read from genbi's own journey files gives the numbers a direct
build gives, for any period; new data, a role that sees personal data and ``--no-cache``
are never answered from them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from genbi.tools.attribution import AttributionArgs, run
from genbi.tools.attribution.kept import open_path_rows
from genbi.tools.base import ToolResult
from genbi.tools.roles import RoleSource
from genbi.tools.warehouse import open_source


@pytest.fixture()
def source(warehouse_path: Path, genbi_home: Path) -> Any:
    opened = open_source(warehouse_path)
    yield opened
    opened.runner.close()


def _run(source: RoleSource, args: AttributionArgs, *, cache: bool) -> tuple[ToolResult, list[str]]:
    source.use_cache = cache
    before = len(source.executed)
    result = run(args, source)
    return result, source.executed[before:]


def _same(direct: ToolResult, kept: ToolResult) -> None:
    """The same answer: every fact (rounded as shown) and every table, numbers to 1e-9 (sums
    of the same doubles added per day, then over days, differ in the last bits)."""
    assert {k: v for k, v in kept.facts.items() if k != "journeys_kept"} == direct.facts
    for name, frame in [("table", direct.table), *direct.tables.items()]:
        other = kept.table if name == "table" else kept.tables[name]
        pd.testing.assert_frame_equal(other, frame, rtol=1e-9, atol=1e-9, obj=name)


ARGS = [
    {},
    {"start": "2025-03-01", "end": "2025-04-15", "lookback_days": 14, "half_life_days": 3.0},
    {"start": "2025-11-20"},
    {"end": "2025-06-30"},
    {"by": "campaign", "max_channels": 1000, "start": "2025-05-03"},
]


def test_kept_journeys_give_the_direct_numbers_for_any_period(source: RoleSource) -> None:
    """The first run of each parameter set builds (the per-day converting journeys, the open
    journeys of its end date); later periods read them: a new end date builds only its open
    journeys, a new start none."""
    for extra in ARGS:
        args = AttributionArgs(**extra)
        direct, _ = _run(source, args, cache=False)
        assert "journeys_kept" not in direct.facts
        first, built = _run(source, args, cache=True)
        again, read = _run(source, args, cache=True)
        _same(direct, first)
        _same(direct, again)
        assert again.facts["journeys_kept"]["built_now"] is False and read == [] and again.sql == ()
        assert first.facts["journeys_kept"]["built_now"] is (extra.get("start") != "2025-11-20"), extra
        assert _builds(built) == (1 if first.facts["journeys_kept"]["built_now"] else 0)
    folders = list((genbi_state() / "cache" / "journeys").iterdir())
    assert len(folders) == 3  # channel (lookback 30), channel (lookback 14, half-life 3), campaign
    opened = sorted(p.name for p in folders[0].glob("open-*.parquet"))
    assert opened, folders


def _builds(statements: list[str]) -> int:
    """How many times the statements built journeys: the journey statement, or the ordered
    read of touches and orders DuckDB takes instead (``stream``)."""
    return sum("ARRAY_TO_STRING" in s or "ORDER BY customer_id, ts, k" in s or "AS DOUBLE) AS key" in s
               for s in statements)


def genbi_state() -> Path:
    from genbi import settings

    return settings.state_dir()


def test_long_journeys_are_kept_as_text(source: RoleSource, monkeypatch: pytest.MonkeyPatch) -> None:
    """A journey too long for one number (here: every journey of three touches or more, base 9)
    is kept as its codes in text, converting or not, and read back the same."""
    from genbi.tools.attribution import journeys

    monkeypatch.setattr(journeys, "EXACT", 100.0)
    args = AttributionArgs(start="2025-02-01")
    direct, _ = _run(source, args, cache=False)
    assert direct.tables["paths"]["path"].str.count(">").max() >= 2
    _same(direct, _run(source, args, cache=True)[0])
    _same(direct, _run(source, args, cache=True)[0])


def test_the_building_run_answers_as_the_direct_build(source: RoleSource, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run that builds the kept journeys answers from the journeys it just made (the
    period's converting journeys, the open ones cut at its start), not by summing again the
    rows it keeps: every number is the direct build's to the last bit -- for a start that cuts
    open journeys too, and for journeys kept as text."""
    from genbi.tools.attribution import journeys, stream

    cuts: list[int] = []
    numbered = stream.journey_numbers

    def counted(owner: np.ndarray, code: np.ndarray, base: int) -> Any:
        cuts.append(len(np.unique(owner)))
        return numbered(owner, code, base)

    monkeypatch.setattr(stream, "journey_numbers", counted)
    for exact in (journeys.EXACT, 100.0):
        monkeypatch.setattr(journeys, "EXACT", exact)
        for extra in ({}, {"start": "2025-03-01", "end": "2025-04-15", "lookback_days": 14},
                      {"start": "2025-11-20", "by": "campaign", "max_channels": 1000}):
            args = AttributionArgs(**extra)
            direct, _ = _run(source, args, cache=False)
            shutil.rmtree(genbi_state() / "cache" / "journeys", ignore_errors=True)
            first, built = _run(source, args, cache=True)
            assert first.facts["journeys_kept"]["built_now"] is True and _builds(built) == 1
            assert {k: v for k, v in first.facts.items() if k != "journeys_kept"} == direct.facts
            for name, frame in [("table", direct.table), *direct.tables.items()]:
                other = first.table if name == "table" else first.tables[name]
                pd.testing.assert_frame_equal(other, frame, check_exact=True, obj=name)
    assert cuts and min(cuts) > 0  # open journeys were cut at a start


def test_new_data_builds_the_journeys_again(warehouse_path: Path, tmp_path: Path, genbi_home: Path) -> None:
    copy = tmp_path / "demo.duckdb"
    shutil.copy(warehouse_path, copy)
    args = AttributionArgs(start="2025-01-01")
    before = open_source(copy)
    try:
        old, _ = _run(before, args, cache=True)
    finally:
        before.runner.close()
    with duckdb.connect(str(copy)) as writer:
        writer.execute("DELETE FROM touchpoints WHERE channel = 'email' AND touched_at >= DATE '2025-06-01'")
    after = open_source(copy)
    try:
        new, built = _run(after, args, cache=True)
        direct, _ = _run(after, args, cache=False)
    finally:
        after.runner.close()
    assert new.facts["journeys_kept"]["built_now"] is True and built
    _same(direct, new)
    assert new.facts["top_removal_effects"] != old.facts["top_removal_effects"]


def test_no_cache_and_personal_data_roles_keep_nothing(source: RoleSource) -> None:
    result, _ = _run(source, AttributionArgs(), cache=False)
    assert "journeys_kept" not in result.facts
    runner: Any = source.runner
    runner.policy = runner.policy.allowing_private()
    result, statements = _run(source, AttributionArgs(), cache=True)
    assert "journeys_kept" not in result.facts and statements
    assert not (genbi_state() / "cache" / "journeys").exists()


def test_open_journeys_cut_at_the_start_day() -> None:
    """Touches of non-converting journeys (ordered by journey, then position) cut at a day:
    the earlier touches go, a journey with none left goes; a journey that no longer fits one
    number comes as text. Checked against a plain Python reading."""
    rng = np.random.default_rng(3)
    journey = np.repeat(np.arange(300), rng.integers(1, 7, 300))
    day = np.concatenate([np.sort(rng.integers(0, 12, n)) for n in np.bincount(journey)])
    code = rng.integers(0, 4, len(journey))
    for first, exact_base in [(0, 5), (5, 5), (11, 5), (5, 40000)]:
        rows = open_path_rows(journey, day, code, first, exact_base)
        expected: dict[tuple[int, ...], int] = {}
        for j in np.unique(journey):
            kept = tuple(int(c) for c, d in zip(code[journey == j], day[journey == j], strict=True) if d >= first)
            if kept:
                expected[kept] = expected.get(kept, 0) + 1
        found: dict[tuple[int, ...], int] = {}
        for number, text, count in zip(rows["n"], rows["path"], rows["c"], strict=True):
            if isinstance(text, str):
                digits = tuple(int(c) for c in text.split(","))
            else:
                digits, rest = (), int(number)
                while rest:
                    digits, rest = (*digits, rest % exact_base - 1), rest // exact_base
            found[digits] = found.get(digits, 0) + int(count)
        assert found == expected, first
        assert (rows["path"].notna()).any() == (exact_base == 40000)


def test_a_missing_kept_file_falls_back_and_old_end_dates_are_swept(source: RoleSource,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from genbi.tools.attribution import kept

    monkeypatch.setattr(kept, "KEPT_ENDS", 1)
    args = AttributionArgs(start="2025-09-01")
    direct, _ = _run(source, args, cache=False)
    _run(source, args, cache=True)
    (folder,) = (genbi_state() / "cache" / "journeys").iterdir()
    (folder / "journeys.parquet").unlink()  # e.g. swept by another run while this one read
    fallback, statements = _run(source, args, cache=True)
    assert "journeys_kept" not in fallback.facts and statements
    _same(direct, fallback)
    shutil.rmtree(folder)
    _run(source, AttributionArgs(end="2025-10-31"), cache=True)
    _run(source, AttributionArgs(end="2025-11-30"), cache=True)
    assert sorted(p.name for p in folder.glob("open-*")) == ["open-2025-11-30.json", "open-2025-11-30.parquet"]


def test_an_unwritable_state_directory_builds_directly(source: RoleSource, genbi_home: Path) -> None:
    """Nothing is built in vain: the journeys are built directly, once (the folder cannot be
    made: a file is in its way; a read-only folder would do, but not for root)."""
    folder = genbi_state() / "cache" / "journeys"
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder")
    result, statements = _run(source, AttributionArgs(start="2025-10-01"), cache=True)
    assert "journeys_kept" not in result.facts
    assert _builds(statements) == 1


def test_kept_files_are_written_beside_the_answer(source: RoleSource, monkeypatch: pytest.MonkeyPatch) -> None:
    """A building run answers from the rows it built while its files are written in a thread
    of its own: the run returns with them on disk, and a write that fails (a full disk)
    changes no number, only makes the next run build again."""
    from genbi.tools.attribution import kept

    args = AttributionArgs(start="2025-08-01")
    direct, _ = _run(source, args, cache=False)

    def full_disk(path: Path, frame: pd.DataFrame) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(kept, "_write_parquet", full_disk)
        first, statements = _run(source, args, cache=True)
    _same(direct, first)
    assert first.facts["journeys_kept"]["built_now"] is True and _builds(statements) == 1
    (folder,) = (genbi_state() / "cache" / "journeys").iterdir()
    assert not list(folder.glob("*.json")) and not list(folder.glob(".*"))  # no file, no partial file
    again, statements = _run(source, args, cache=True)
    _same(direct, again)
    assert again.facts["journeys_kept"]["built_now"] is True and _builds(statements) == 1
    assert kept._WRITING == {}
    names = sorted(p.name for p in folder.iterdir())
    assert names[:2] == ["journeys.json", "journeys.parquet"] and len(names) == 4, names
    assert names[2].startswith("open-") and names[3] == names[2].replace(".json", ".parquet"), names
    later, statements = _run(source, args, cache=True)
    _same(direct, later)
    assert later.facts["journeys_kept"]["built_now"] is False and statements == []
