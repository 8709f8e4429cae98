"""generate_warehouse: determinism, the report, atomic writes and errors a user can act on."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import duckdb
import pytest

from genbi.demo import GenerationReport, generate_warehouse
from genbi.errors import GenbiError, WarehouseError

TABLES = (
    "customers", "campaigns", "ad_spend", "touchpoints", "orders", "order_items", "products",
    "events", "experiment_assignments",
)  # fmt: skip
SMALL = 1_500


def value(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The single value a query returns."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def table_hashes(path: Path) -> dict[str, str]:
    """md5 over every row of every table (rows as text, ordered by all columns)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: value(
                con,
                f'SELECT md5(string_agg(r, chr(10) ORDER BY r)) FROM (SELECT t::VARCHAR AS r FROM "{table}" t)',
            )
            for table in TABLES
        }


def stored_order_hashes(path: Path) -> dict[str, str]:
    """md5 over every row in stored order: the row order must be deterministic too."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: value(
                con, f'SELECT md5(string_agg(t::VARCHAR, chr(10) ORDER BY rowid)) FROM "{table}" t'
            )
            for table in TABLES
        }


@pytest.fixture(scope="module")
def small_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("determinism")
    first, second, other = folder / "a.duckdb", folder / "b.duckdb", folder / "c.duckdb"
    generate_warehouse(first, customers=SMALL, seed=7)
    generate_warehouse(second, customers=SMALL, seed=7)
    generate_warehouse(other, customers=SMALL, seed=8)
    return first, second, other


def test_same_seed_and_scale_give_identical_tables(small_pair: tuple[Path, Path, Path]) -> None:
    first, second, _ = small_pair
    assert table_hashes(first) == table_hashes(second)
    assert stored_order_hashes(first) == stored_order_hashes(second)


PINNED_SEED_7_SCALE_1500 = {
    "customers": "aee85ffaadb4f99919b85241075c1a70",
    "campaigns": "a81cb313dcadfa588ceef9e60304f671",
    "ad_spend": "5699d1ec9bd98eb1cc66f886146d14fb",
    "touchpoints": "5fad167e147f5057449afbdfa2233e48",
    "orders": "c81d2ca8a94df27777e2f6ee79f9420c",
    "order_items": "ca874515d121e6a5f1b40f5334596164",
    "products": "bf4674c2ce81c60725033deadfb9e09a",
    "events": "b55dfff6ee40af351c9f7771fdb538f3",
    "experiment_assignments": "b120de2c7368fa89aaa10a261b4cb762",
}


def test_contents_match_the_pinned_fingerprint(small_pair: tuple[Path, Path, Path]) -> None:
    """Same seed and scale give the same warehouse on any machine, not only in one process.

    A failure here means the data changed: on purpose (a generator change — update the
    fingerprint and tell whoever pins numbers from the demo data) or not (a numpy or
    platform difference in random streams — a bug to report).
    """
    hashes = table_hashes(small_pair[0])
    changed = [table for table in TABLES if hashes[table] != PINNED_SEED_7_SCALE_1500[table]]
    assert changed == [], f"tables whose contents changed: {changed}"


def test_a_different_seed_changes_every_table(small_pair: tuple[Path, Path, Path]) -> None:
    first, _, other = small_pair
    hashes, others = table_hashes(first), table_hashes(other)
    assert [table for table in TABLES if hashes[table] == others[table]] == []


def test_report_describes_what_was_written(tmp_path: Path) -> None:
    target = tmp_path / "demo.duckdb"
    report = generate_warehouse(str(target), customers=SMALL, seed=3)
    assert isinstance(report, GenerationReport)
    assert report.path == target
    assert (report.customers, report.seed) == (SMALL, 3)
    assert set(report.rows) == set(TABLES) == set(report.seconds_per_table)
    with duckdb.connect(str(target), read_only=True) as con:
        for table in TABLES:
            assert report.rows[table] == value(con, f'SELECT count(*) FROM "{table}"')
    assert report.rows["customers"] == SMALL
    assert report.seconds > 0
    assert all(seconds >= 0 for seconds in report.seconds_per_table.values())
    assert sum(report.seconds_per_table.values()) <= report.seconds * 1.05
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(report, "seed", 4)  # noqa: B010 - the point is that assignment fails


def test_tables_grow_with_the_customer_base(tmp_path: Path) -> None:
    small = generate_warehouse(tmp_path / "s.duckdb", customers=2_000, seed=5)
    large = generate_warehouse(tmp_path / "l.duckdb", customers=8_000, seed=5)
    for table in (
        "customers",
        "touchpoints",
        "orders",
        "order_items",
        "events",
        "experiment_assignments",
    ):
        assert 3.0 <= large.rows[table] / small.rows[table] <= 5.0, table
    assert large.rows["products"] == small.rows["products"]  # a catalogue, not per customer

    def total_spend(path: Path) -> float:
        with duckdb.connect(str(path), read_only=True) as con:
            return float(value(con, "SELECT sum(spend) FROM ad_spend"))

    assert 3.0 <= total_spend(tmp_path / "l.duckdb") / total_spend(tmp_path / "s.duckdb") <= 5.0


def test_campaigns_scale_up_beyond_their_floor(tmp_path: Path) -> None:
    floor = generate_warehouse(tmp_path / "f.duckdb", customers=500, seed=1)
    bigger = generate_warehouse(tmp_path / "b.duckdb", customers=60_000, seed=1)
    assert floor.rows["campaigns"] >= 8 * 4 * 3
    assert bigger.rows["campaigns"] >= 2.5 * floor.rows["campaigns"]


def test_an_existing_file_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "demo.duckdb"
    target.write_bytes(b"not a database")
    generate_warehouse(target, customers=200, seed=1)
    with duckdb.connect(str(target), read_only=True) as con:
        assert value(con, "SELECT count(*) FROM customers") == 200
    assert sorted(path.name for path in tmp_path.iterdir()) == ["demo.duckdb"]


def test_a_crash_leaves_the_old_file_and_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "demo.duckdb"
    target.write_bytes(b"previous warehouse")

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash while building events")

    monkeypatch.setattr("genbi.demo.generator.sessions.expand_events", explode)
    with pytest.raises(RuntimeError, match="simulated crash"):
        generate_warehouse(target, customers=200, seed=1)
    assert target.read_bytes() == b"previous warehouse"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["demo.duckdb"]


def test_missing_folders_are_created(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "demo.duckdb"
    generate_warehouse(target, customers=150, seed=1)
    assert target.is_file()


@pytest.mark.parametrize("customers", [0, 99, -5, 10**9])
def test_out_of_range_scale_is_refused(tmp_path: Path, customers: int) -> None:
    with pytest.raises(GenbiError, match="customers must be between"):
        generate_warehouse(tmp_path / "x.duckdb", customers=customers)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("customers", [True, 1000.0, "1000"])
def test_non_integer_scale_is_refused(tmp_path: Path, customers: Any) -> None:
    with pytest.raises(GenbiError, match="whole number"):
        generate_warehouse(tmp_path / "x.duckdb", customers=customers)


@pytest.mark.parametrize("seed", [-1, 1.5, None])
def test_bad_seed_is_refused(tmp_path: Path, seed: Any) -> None:
    with pytest.raises(GenbiError, match="seed"):
        generate_warehouse(tmp_path / "x.duckdb", customers=200, seed=seed)


def test_a_folder_as_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="is a folder"):
        generate_warehouse(tmp_path, customers=200)


def test_a_file_in_the_way_of_the_folder_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    with pytest.raises(WarehouseError, match="Cannot create the folder"):
        generate_warehouse(blocker / "demo.duckdb", customers=200)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_an_unwritable_folder_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(WarehouseError, match="Cannot write"):
            generate_warehouse(locked / "demo.duckdb", customers=200)
    finally:
        locked.chmod(0o700)


def test_a_folder_without_write_permission_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("genbi.demo.generator.os.access", lambda *args, **kwargs: False)
    with pytest.raises(WarehouseError, match="Cannot write to the folder"):
        generate_warehouse(tmp_path / "demo.duckdb", customers=200)
    assert list(tmp_path.iterdir()) == []


def test_errors_are_genbi_errors_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(GenbiError) as caught:
        generate_warehouse(tmp_path / "x.duckdb", customers=50)
    assert "50" in str(caught.value) and "100" in str(caught.value)
