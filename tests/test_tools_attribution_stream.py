"""Journeys from one ordered read (``attribution.stream``, DuckDB with integer customer keys)
are the journeys the SQL statement builds: the same paths, counts, values, time decay and
order totals, on data made to hit every rule at its edge (orders at the same time, touches at
the very time of an order, NULL revenues and customers, fractional seconds)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from genbi.tools.attribution import journeys, stream
from genbi.tools.roles import RoleSource
from genbi.tools.warehouse import open_source


@pytest.fixture(scope="module")
def edgy_path(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse with ties and gaps: times cut to the hour (touches of one customer at
    the same time), every 13th order doubled at the same time (the lower id is the end), a
    touch at the very time of every 7th order, NULL revenues and NULL customers on both
    tables, touches half a second past the second."""
    path = tmp_path_factory.mktemp("edgy") / "edgy.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(f"ATTACH '{warehouse_path}' AS demo (READ_ONLY)")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'demo'").fetchall()]
        for table in tables:
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM demo."{table}"')
        con.execute("UPDATE touchpoints SET touched_at = date_trunc('hour', touched_at)")
        con.execute("UPDATE orders SET ordered_at = date_trunc('hour', ordered_at)")
        con.execute("INSERT INTO orders SELECT * REPLACE (order_id + 100000000 AS order_id, revenue * 2 AS revenue) "
                    "FROM orders WHERE order_id % 13 = 0")
        con.execute("INSERT INTO touchpoints (touchpoint_id, customer_id, campaign_id, channel, touched_at) "
                    "SELECT 100000000 + order_id, customer_id, campaign_id, 'email', ordered_at FROM orders "
                    "WHERE order_id % 7 = 0")
        con.execute("UPDATE orders SET revenue = NULL WHERE order_id % 11 = 0")
        con.execute("UPDATE orders SET customer_id = NULL WHERE order_id % 17 = 0")
        con.execute("UPDATE touchpoints SET customer_id = NULL WHERE touchpoint_id % 19 = 0")
        con.execute("UPDATE touchpoints SET touched_at = touched_at + INTERVAL 500 MILLISECOND "
                    "WHERE touchpoint_id % 23 = 0")
    finally:
        con.close()
    return path


@pytest.fixture()
def edgy(edgy_path: Path, genbi_home: Path) -> Any:
    source = open_source(edgy_path)
    source.use_cache = False  # the direct build, not genbi's kept journeys
    yield source
    source.runner.close()


CASES: list[dict[str, Any]] = [
    {},
    {"lookback_days": 7, "half_life_days": 3.0, "start": "2025-03-01", "end": "2025-05-31"},
    {"start": "2025-11-20"},
    {"by": "campaign"},
    {"touch_at_order": True},
    {"touch_at_order": True, "lookback_days": 14, "end": "2025-06-30"},
]


def _fetch(source: RoleSource, case: dict[str, Any]) -> tuple[journeys.Journeys, list[str]]:
    from datetime import date

    before = len(source.executed)
    found = journeys.fetch_journeys(
        source, start=date.fromisoformat(case["start"]) if "start" in case else None,
        end=date.fromisoformat(case["end"]) if "end" in case else None,
        lookback_days=case.get("lookback_days", 30), half_life_days=case.get("half_life_days", 7.0),
        by=case.get("by", "channel"), touch_at_order=case.get("touch_at_order", False))
    return found, source.executed[before:]


def _streamed(statements: list[str]) -> bool:
    """Whether the stream was read: sorted on three keys, or on one packed key."""
    return any("ORDER BY customer_id, ts, k" in s or _packed([s]) for s in statements)


def _same(got: journeys.Journeys, want: journeys.Journeys) -> None:
    """Equal paths and counts; values and time-decay shares to 1e-12 (sums of the same doubles
    in another order)."""
    assert got.paths["path"].tolist() == want.paths["path"].tolist()
    pd.testing.assert_frame_equal(got.paths, want.paths, rtol=1e-12, atol=1e-9)
    pd.testing.assert_frame_equal(got.time_decay, want.time_decay, rtol=1e-12, atol=1e-9)
    assert (got.orders, got.orders_with_journey, got.start, got.end) == (
        want.orders, want.orders_with_journey, want.start, want.end)
    assert got.revenue == pytest.approx(want.revenue, rel=1e-12)


@pytest.mark.parametrize("case", CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "default")
def test_the_stream_gives_the_statements_journeys(edgy: RoleSource, case: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    read, statements = _fetch(edgy, case)
    assert _streamed(statements)  # the stream ran
    assert not any("ARRAY_AGG" in s for s in statements)
    assert read.orders_with_journey > 100 and read.paths["nulls"].sum() > 100
    monkeypatch.setattr(stream, "usable", lambda *_: False)
    built, statements = _fetch(edgy, case)
    assert any("ARRAY_AGG" in s for s in statements)
    _same(read, built)


def test_small_chunks_and_long_journeys_as_text_change_nothing(edgy: RoleSource,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few customers (a journey never spans two), and every journey as its codes
    in text (``EXACT`` 0) or only one- and two-touch journeys as numbers (100, base 9)."""
    whole, _ = _fetch(edgy, {})
    monkeypatch.setattr(stream, "CHUNK_ROWS", 37)
    _same(_fetch(edgy, {})[0], whole)
    for exact in (0.0, 100.0):
        monkeypatch.setattr(journeys, "EXACT", exact)
        _same(_fetch(edgy, {})[0], whole)


def test_a_text_customer_key_is_left_to_the_statement(edgy_path: Path, tmp_path: Path, genbi_home: Path) -> None:
    """A boundary between customers is a comparison of fetched integers; a text key (a Python
    string per touch) is built by the SQL statement instead."""
    path = tmp_path / "text_keys.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(f"ATTACH '{edgy_path}' AS e (READ_ONLY)")
        for table in ("customers", "campaigns", "orders", "touchpoints"):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM e.{table}")
        con.execute("ALTER TABLE touchpoints ALTER customer_id TYPE VARCHAR")
        con.execute("ALTER TABLE orders ALTER customer_id TYPE VARCHAR")
    finally:
        con.close()
    source = open_source(path)
    source.use_cache = False
    try:
        assert not stream.usable(source, journeys._slots(source, "channel"), pd.Timestamp("2024-01-01").to_pydatetime())
        found, statements = _fetch(source, {"lookback_days": 7})
        assert any("ARRAY_AGG" in s for s in statements) and found.orders_with_journey > 100
    finally:
        source.runner.close()


def test_kept_journeys_built_from_the_stream(edgy_path: Path, genbi_home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """genbi's kept journeys, built from the stream (per-day converting journeys, then the open
    journeys of each new end date alone), answer as the statement builds directly."""
    cases: list[dict[str, Any]] = [{}, {"end": "2025-06-30", "lookback_days": 30}, {"start": "2025-03-01", "end": "2025-09-30"}]
    source = open_source(edgy_path)
    try:
        source.use_cache = False
        with monkeypatch.context() as patched:
            patched.setattr(stream, "usable", lambda *_: False)
            built = [_fetch(source, case)[0] for case in cases]
        source.use_cache = True
        for case, want in zip(cases, built, strict=True):
            kept, statements = _fetch(source, case)
            assert kept.kept is not None and not any("ARRAY_AGG" in s for s in statements)
            assert kept.paths["path"].tolist() == want.paths["path"].tolist()
            pd.testing.assert_frame_equal(kept.paths, want.paths, rtol=1e-9, atol=1e-9)
            pd.testing.assert_frame_equal(kept.time_decay, want.time_decay, rtol=1e-9, atol=1e-9)
            assert (kept.orders, kept.orders_with_journey) == (want.orders, want.orders_with_journey)
            assert kept.revenue == pytest.approx(want.revenue, rel=1e-9)
    finally:
        source.runner.close()


def test_more_rows_than_the_stream_reads_are_left_to_the_statement(edgy: RoleSource,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The stream holds every touch in memory; beyond ``MAX_ROWS`` (or the tool's row limit)
    the statement, which spills to disk, builds the journeys."""
    slots = journeys._slots(edgy, "channel")
    anchor = pd.Timestamp("2024-01-01").to_pydatetime()
    assert stream.usable(edgy, slots, anchor)
    monkeypatch.setattr(stream, "MAX_ROWS", 1000)
    assert not stream.usable(edgy, slots, anchor)
    monkeypatch.undo()
    rows = int(edgy.query("SELECT (SELECT COUNT(*) FROM {T_t}) + (SELECT COUNT(*) FROM {T_o}) AS n", slots)["n"].iloc[0])
    monkeypatch.setattr(edgy, "max_rows", rows - 1)  # the statement's answer (one row a path) still fits
    assert not stream.usable(edgy, slots, anchor)
    found, statements = _fetch(edgy, {"lookback_days": 7})
    assert any("ARRAY_AGG" in s for s in statements) and found.orders_with_journey > 100


@pytest.mark.parametrize("shift", [13_800_000_000, 2**53])
def test_customer_ids_of_a_phone_numbers_length(edgy_path: Path, tmp_path: Path, genbi_home: Path,
                                                monkeypatch: pytest.MonkeyPatch, shift: int) -> None:
    """Ids like mobile numbers travel as DOUBLEs (the result masking would read 14M Python ints
    and mask them): the same journeys; ids from 2**53 on, which a DOUBLE cannot tell apart, are
    left to the statement."""
    path = tmp_path / "big_ids.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(f"ATTACH '{edgy_path}' AS e (READ_ONLY)")
        for table in ("customers", "campaigns", "orders", "touchpoints"):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM e.{table}")
        for table in ("customers", "orders", "touchpoints"):
            con.execute(f"UPDATE {table} SET customer_id = customer_id + {shift}")
    finally:
        con.close()
    source = open_source(path)
    source.use_cache = False
    try:
        slots = journeys._slots(source, "channel")
        assert stream.usable(source, slots, pd.Timestamp("2024-01-01").to_pydatetime()) is (shift < 2**53)
        read, statements = _fetch(source, {})
        assert _streamed(statements) is (shift < 2**53)
        monkeypatch.setattr(stream, "usable", lambda *_: False)
        _same(read, _fetch(source, {})[0])
    finally:
        source.runner.close()


def test_channel_codes_by_list_or_by_join_are_the_same(edgy: RoleSource, monkeypatch: pytest.MonkeyPatch) -> None:
    """A few channels get their codes from the list of names read first, many (campaigns
    beyond ``LIST_CODES``) from the join: the same stream either way."""
    for case in ({}, {"by": "campaign", "start": "2025-06-01"}):
        slots = journeys._slots(edgy, case.get("by", "channel"))
        many = int(edgy.query("SELECT COUNT(DISTINCT {t_elem}) AS n FROM {T_t}", slots)["n"].iloc[0])
        monkeypatch.setattr(stream, "LIST_CODES", many)
        listed, statements = _fetch(edgy, case)
        assert any("LIST_POSITION" in s for s in statements)
        monkeypatch.setattr(stream, "LIST_CODES", 0)
        joined, statements = _fetch(edgy, case)
        assert not any("LIST_POSITION" in s for s in statements)
        _same(listed, joined)


def test_a_channel_missing_from_the_names_leaves_the_journeys_to_the_statement(
        edgy: RoleSource, monkeypatch: pytest.MonkeyPatch) -> None:
    """A channel that appears between the read of the names and the stream (the data changed)
    comes without a code: the stream is declined, never read with a touch lost."""
    want, _ = _fetch(edgy, {"lookback_days": 7})
    monkeypatch.setattr(stream, "_CHANNELS", stream._CHANNELS.replace(
        "FROM (SELECT DISTINCT elem FROM t) AS d", "FROM (SELECT DISTINCT elem FROM t WHERE elem <> 'email') AS d"))
    got, statements = _fetch(edgy, {"lookback_days": 7})
    assert any("LIST_POSITION" in s for s in statements) and any("ARRAY_AGG" in s for s in statements)
    _same(got, want)


@pytest.fixture(scope="module")
def whole_seconds_path(edgy_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edgy warehouse with every time cut to the second (ties of a customer's touches and
    orders kept): its keys pack with second steps."""
    path = tmp_path_factory.mktemp("seconds") / "seconds.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(f"ATTACH '{edgy_path}' AS e (READ_ONLY)")
        for table in ("customers", "campaigns", "orders", "touchpoints"):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM e.{table}")
        con.execute("UPDATE touchpoints SET touched_at = date_trunc('second', touched_at) "
                    "+ INTERVAL (touchpoint_id % 3) SECOND")
    finally:
        con.close()
    return path


def _packed(statements: list[str]) -> bool:
    """Whether the packed keys were read (unsorted: NumPy sorts them)."""
    return any("AS DOUBLE) AS key" in s for s in statements)


@pytest.mark.parametrize("case", CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "default")
def test_one_packed_sort_key_gives_the_same_stream(whole_seconds_path: Path, genbi_home: Path, case: dict[str, Any],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Touches and orders sorted on one packed key (customer, second, code) are the stream the
    three sort keys give: exactly the same journeys (the statement's too)."""
    source = open_source(whole_seconds_path)
    source.use_cache = False
    try:
        packed, statements = _fetch(source, case)
        assert _packed(statements)
        unit = stream.packing(source, journeys._slots(source, case.get("by", "channel")),
                              {"anchor": pd.Timestamp("2024-01-01").to_pydatetime(), "touch_from": date(2024, 1, 1),
                               "order_from": date(2024, 1, 1), "end_excl": date(2026, 1, 1)}, 8)
        assert unit is not None and unit.unit == 1_000_000
        monkeypatch.setattr(stream, "packing", lambda *_: None)
        plain, statements = _fetch(source, case)
        assert not _packed(statements) and any("ORDER BY customer_id, ts, k" in s for s in statements)
        pd.testing.assert_frame_equal(packed.paths, plain.paths, check_exact=True)
        pd.testing.assert_frame_equal(packed.time_decay, plain.time_decay, check_exact=True)
        assert (packed.orders, packed.orders_with_journey) == (plain.orders, plain.orders_with_journey)
        monkeypatch.setattr(stream, "usable", lambda *_: False)
        _same(packed, _fetch(source, case)[0])
    finally:
        source.runner.close()


def test_packing_takes_the_finest_time_unit_and_declines_past_53_bits(edgy: RoleSource,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Times half a second past the second pack in milliseconds, over a window short enough;
    a key that would need more than 53 bits (a DOUBLE's exact integers) is not packed."""
    slots = journeys._slots(edgy, "channel")
    anchor = pd.Timestamp("2025-10-21").to_pydatetime()
    short = {"anchor": anchor, "touch_from": anchor.date(), "order_from": anchor.date(), "end_excl": date(2026, 1, 1)}
    found = stream.packing(edgy, slots, short, 8)
    assert found is not None and found.unit == 1000
    assert stream.packing(edgy, slots, short | {"end_excl": date(2040, 1, 1)}, 8) is None  # 15 years of ms
    assert stream.packing(edgy, slots, short | {"touch_from": date(2025, 10, 1)}, 8) is None  # before the anchor
    want, statements = _fetch(edgy, {"start": "2025-11-20"})
    assert _packed(statements)
    monkeypatch.setattr(stream, "KEY_BITS", 20)
    got, statements = _fetch(edgy, {"start": "2025-11-20"})
    assert not _packed(statements) and any("ORDER BY customer_id, ts, k" in s for s in statements)
    pd.testing.assert_frame_equal(got.paths, want.paths, check_exact=True)
    pd.testing.assert_frame_equal(got.time_decay, want.time_decay, check_exact=True)


def test_packed_keys_unpack_to_their_columns() -> None:
    """``Packing.unpack`` inverts the statement's packing, orders' code back to ``ORDER_KEY``."""
    import numpy as np

    packing = stream.Packing(low=-5, unit=1000, time_bits=20, code_bits=3, order_code=5)
    cust = np.array([-5, -5, 0, 17, 2**20])
    steps = np.array([0, 999_999, 3, 2**20 - 1, 12])
    code = np.array([0, 5, 4, 5, 1])
    key = (((cust - packing.low) * packing.time_span + steps) * packing.code_span + code).astype(np.float64)
    got_cust, got_us, got_k = packing.unpack(key)
    assert got_cust.tolist() == cust.tolist() and got_us.tolist() == (steps * 1000).tolist()
    assert got_k.tolist() == [0, stream.ORDER_KEY, 4, stream.ORDER_KEY, 1]
    assert packing.time_range(key) == (0.0, float((2**20 - 1) * 1000))


def test_ids_of_a_phone_numbers_length_pack_too(whole_seconds_path: Path, tmp_path: Path, genbi_home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The packing reads the ids' range as DOUBLEs (as a number, an id like a mobile number
    comes masked): ids moved by 13.8e9 pack from their lowest one, the same journeys."""
    path = tmp_path / "phone_ids.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(f"ATTACH '{whole_seconds_path}' AS e (READ_ONLY)")
        for table in ("customers", "campaigns", "orders", "touchpoints"):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM e.{table}")
        for table in ("customers", "orders", "touchpoints"):
            con.execute(f"UPDATE {table} SET customer_id = customer_id + 13800000000")
    finally:
        con.close()
    source = open_source(path)
    source.use_cache = False
    try:
        packed, statements = _fetch(source, {})
        assert _packed(statements)
        monkeypatch.setattr(stream, "packing", lambda *_: None)
        plain, statements = _fetch(source, {})
        assert not _packed(statements)
        pd.testing.assert_frame_equal(packed.paths, plain.paths, check_exact=True)
        pd.testing.assert_frame_equal(packed.time_decay, plain.time_decay, check_exact=True)
    finally:
        source.runner.close()


def test_packed_keys_come_unsorted_and_are_sorted_in_numpy(whole_seconds_path: Path, genbi_home: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The packed statement sorts nothing (DuckDB's sort of the keys cost more CPU than NumPy's
    in place); the keys ``read`` hands over are ascending, and a stream fetched in another row
    order gives the same journeys, exactly."""
    import numpy as np

    assert "ORDER BY" not in stream._PACKED.split("events AS (")[1]
    source = open_source(whole_seconds_path)
    source.use_cache = False
    try:
        want, statements = _fetch(source, {})
        assert _packed(statements) and not any("ORDER BY 1" in s for s in statements)
        fetched: list[np.ndarray] = []
        real = stream.read

        def spy(*args: Any, **kwargs: Any) -> Any:
            found = real(*args, **kwargs)
            fetched.append(found.key)
            return found

        monkeypatch.setattr(stream, "read", spy)
        monkeypatch.setattr(stream, "_PACKED", stream._PACKED + " ORDER BY key DESC")  # the worst order
        got, _ = _fetch(source, {})
        assert len(fetched) == 1 and bool(np.all(np.diff(fetched[0]) >= 0))
        pd.testing.assert_frame_equal(got.paths, want.paths, check_exact=True)
        pd.testing.assert_frame_equal(got.time_decay, want.time_decay, check_exact=True)
        assert (got.orders, got.orders_with_journey) == (want.orders, want.orders_with_journey)
    finally:
        source.runner.close()


def test_path_numbers_factorized_once_group_as_factorized_per_selection() -> None:
    """``Summary.labelled`` groups every journey's path number once; a selection of journeys
    (some numbered again, with numbers seen elsewhere or new) gives the rows that factorizing
    the selection's own numbers gives: the same paths, counts and sums to the last bit (in
    another row order, which ``journeys._path_table`` sorts away)."""
    import numpy as np

    rng = np.random.default_rng(5)
    n = 5000
    numbers = rng.integers(1, 60, n).astype(float)
    numbers[rng.random(n) < 0.05] = np.nan  # journeys kept as text
    found = stream._Journeys(numbers, rng.random(n) < 0.4, np.where(rng.random(n) < 0.1, np.nan, rng.random(n) * 100),
                             rng.integers(20000, 20030, n).astype(float))
    summary = stream.Summary([numbers], [found.is_open], [found.value], [found.days], {}, np.zeros((4, 1)), 0, 1, [])
    rows = np.flatnonzero(~np.isnan(numbers) & (rng.random(n) < 0.7))
    labels = numbers[rows].copy()
    at = np.sort(rng.choice(len(rows), 40, replace=False))
    labels[at] = np.r_[rng.integers(1, 60, 20), rng.integers(1000, 1010, 20)]  # seen elsewhere, and new
    grouped = summary.labelled().of(rows, again=(at, labels[at]))
    assert np.array_equal(grouped.found[grouped.group], labels)
    for by_day in (False, True):
        want = stream._grouped_rows(summary.joined(), ((rows, labels),), by_day)
        got = stream._grouped_rows(summary.joined(), ((rows, grouped),), by_day)
        keys = ["day", "n"] if by_day else ["n"]
        pd.testing.assert_frame_equal(got.sort_values(keys).reset_index(drop=True),
                                      want.sort_values(keys).reset_index(drop=True), check_exact=True)


def test_keys_sorted_on_two_threads_are_the_one_sort() -> None:
    """``sort_keys`` splits the keys at a sampled pivot and sorts each side in its own thread:
    the array ``np.sort`` gives, to the last key, whatever the pivot -- one customer's many
    rows around the middle (the pivot inside their run), every key equal (nothing below the
    pivot), few keys (one sort), a read-only fetch, and a NaN (one sort of the whole)."""
    import numpy as np

    rng = np.random.default_rng(11)
    steps = float(1 << 20)
    many = np.repeat(500.0, 40_000) * steps + rng.integers(0, 1 << 20, 40_000)  # one customer in the middle
    cases = {
        "random": rng.integers(0, 1 << 50, 300_000).astype(float),
        "one customer around the pivot": np.r_[rng.integers(0, 499, 30_000) * steps, many,
                                              rng.integers(501, 1000, 30_000) * steps],
        "ties": rng.integers(0, 5, 200_000).astype(float),
        "all equal": np.full(100_000, 7.0),
        "few": rng.random(100),
    }
    for name, keys in cases.items():
        keys = rng.permutation(keys)
        want = np.sort(keys)
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(stream, "PARALLEL_ROWS", 0 if name != "few" else 10**9)
            patched.setattr(stream, "two_cores", lambda: True)  # two threads on any machine
            frozen = keys.copy()
            frozen.flags.writeable = False
            got = stream.sort_keys(frozen)
        assert np.array_equal(got, want), name
    with pytest.MonkeyPatch.context() as patched:  # one CPU: one sort, the same keys
        patched.setattr(stream, "PARALLEL_ROWS", 0)
        patched.setattr(stream, "two_cores", lambda: False)
        keys = rng.permutation(cases["random"])
        assert np.array_equal(stream.sort_keys(keys.copy()), np.sort(keys))
    with_nan = rng.random(50_000)
    with_nan[123] = np.nan
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(stream, "PARALLEL_ROWS", 0)
        patched.setattr(stream, "two_cores", lambda: True)
        got = stream.sort_keys(with_nan.copy())
    assert np.array_equal(got, np.sort(with_nan), equal_nan=True)


def _summary(source: RoleSource, exact: float, **kwargs: Any) -> tuple[Any, stream.Summary]:
    from datetime import datetime, time, timedelta

    start, end = date(2025, 1, 1), date(2025, 12, 31)
    touch_from = start - timedelta(days=30)
    anchor = datetime.combine(touch_from, time())
    values = {"start": start, "end_excl": end + timedelta(days=1), "order_from": touch_from,
              "touch_from": touch_from, "anchor": anchor, "width": 30 * 86400.0, "lookback": 30,
              "touch_at_order": False, "half_life": 7.0, "exact": journeys.EXACT}
    slots = journeys._slots(source, "channel")
    found = stream.summarize(source, slots, journeys._TOUCHES_CHANNEL, values,
                             start_us=stream.anchor_us(anchor, start), epoch_day=(anchor.date() - date(1970, 1, 1)).days,
                             exact=exact, open_end_us=stream.anchor_us(anchor, values["end_excl"]),
                             keep_touches=True, **kwargs)
    assert found is not None
    return found


@pytest.mark.parametrize(("chunk_rows", "exact"), [(997, 100.0), (20_000, journeys.EXACT)])
def test_chunks_made_on_two_threads_are_the_one_threads(edgy: RoleSource, chunk_rows: int, exact: float,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The stream's chunks made on two threads and added in chunk order give the summary one
    thread gives, to the last bit: every journey's path number, value, day and openness, the
    long journeys' texts, the time-decay sums (added chunk by chunk in the same order) and the
    open journeys' touches numbered across chunks -- with chunks of ~1000 rows (hundreds of
    chunks, customers at every boundary; journeys of more than two touches as text) and of
    20,000."""
    import numpy as np

    monkeypatch.setattr(stream, "PARALLEL_ROWS", 10**9)
    names, one = _summary(edgy, exact, chunk_rows=chunk_rows)
    monkeypatch.setattr(stream, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(stream, "two_cores", lambda: True)  # two threads on any machine
    names2, two = _summary(edgy, exact, chunk_rows=chunk_rows)
    assert list(names) == list(names2) and one.journeys == two.journeys and len(one.numbers) > 5
    for field in ("numbers", "is_open", "value", "days"):
        assert np.array_equal(getattr(one.joined(), field), getattr(two.joined(), field), equal_nan=field != "is_open")
    assert one.texts == two.texts and (len(one.texts) > 100 if exact < 1000 else True)
    assert np.array_equal(one.decay, two.decay) and one.first_day == two.first_day
    for a, b in zip(one.open_touches(), two.open_touches(), strict=True):
        assert np.array_equal(a, b)
