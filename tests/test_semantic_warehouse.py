"""The read-only warehouse client and the SemanticLayer facade."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.errors import UnsafeSQLError, WarehouseError
from genbi.semantic_layer import QuerySpec, SemanticLayer, Warehouse, load_model

MODEL = load_model()
HEAVY = "SELECT SUM(a.range * b.range) FROM range(200000) AS a, range(200000) AS b"


@pytest.fixture()
def small_db(tmp_path: Path) -> Path:
    """A tiny DuckDB file with the contract's ad_spend and campaigns tables."""
    path = tmp_path / "small.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "CREATE TABLE campaigns (campaign_id INTEGER, campaign_name VARCHAR, channel VARCHAR,"
            " objective VARCHAR, start_date DATE, end_date DATE, budget DOUBLE)"
        )
        connection.execute(
            "CREATE TABLE ad_spend (date DATE, campaign_id INTEGER, impressions BIGINT,"
            " clicks BIGINT, spend DOUBLE)"
        )
        connection.execute(
            "INSERT INTO campaigns VALUES (1, 'a', 'email', 'retention', NULL, NULL, 10),"
            " (2, 'b', 'search', 'conversion', NULL, NULL, 10)"
        )
        connection.execute(
            "INSERT INTO ad_spend VALUES ('2025-01-01', 1, 100, 0, 5.0),"
            " ('2025-01-02', 2, 1000, 20, 40.0)"
        )
    return path


@pytest.fixture()
def small(small_db: Path) -> Iterator[Warehouse]:
    with Warehouse.open(small_db) as warehouse:
        yield warehouse


def test_run_returns_python_rows(small: Warehouse) -> None:
    result = small.run("SELECT channel, campaign_id FROM campaigns ORDER BY campaign_id")
    assert result.columns == ("channel", "campaign_id")
    assert result.rows == (("email", 1), ("search", 2))
    assert (result.row_count, result.truncated) == (2, False)
    assert result.types == ("VARCHAR", "INTEGER")
    assert result.elapsed_ms >= 0 and result.sql.startswith("SELECT")
    assert result.records()[0] == {"channel": "email", "campaign_id": 1}


def test_writes_are_refused(small: Warehouse, small_db: Path) -> None:
    for statement in (
        "CREATE TABLE x (a INT)",
        "DROP TABLE campaigns",
        "INSERT INTO campaigns (campaign_id) VALUES (3)",
        "SELECT 1; DROP TABLE campaigns",
        "COPY campaigns TO '/tmp/x.csv'",
    ):
        with pytest.raises(UnsafeSQLError):
            small.run(statement)
    assert small.run("SELECT COUNT(*) FROM campaigns").rows == ((2,),)


def test_files_and_external_access_are_refused(small: Warehouse) -> None:
    with pytest.raises(UnsafeSQLError):
        small.run("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(UnsafeSQLError):
        small.run("SELECT * FROM '/etc/passwd'")


def test_the_connection_itself_is_read_only(small_db: Path) -> None:
    with Warehouse.open(small_db) as warehouse:
        connection = warehouse.backend.connection  # the second lock, behind the guard
        with pytest.raises(duckdb.Error, match="read-only"):
            connection.execute("CREATE TABLE x (a INT)")


def test_allowed_tables(small_db: Path) -> None:
    with Warehouse.open(small_db, allowed_tables=["ad_spend"]) as warehouse:
        assert warehouse.run("SELECT COUNT(*) FROM ad_spend").rows == ((2,),)
        with pytest.raises(UnsafeSQLError, match="not part of the model"):
            warehouse.run("SELECT * FROM campaigns")
        assert warehouse.run("SELECT 1 FROM campaigns", allowed_tables=["campaigns"]).row_count


def test_row_cap_sets_truncated(small_db: Path) -> None:
    with Warehouse.open(small_db, row_cap=10) as warehouse:
        result = warehouse.run("SELECT * FROM range(100)")
        assert (result.row_count, len(result.rows), result.truncated) == (10, 10, True)
        exact = warehouse.run("SELECT * FROM range(10)")
        assert (exact.row_count, exact.truncated) == (10, False)
        assert warehouse.run("SELECT * FROM range(100)", max_rows=50).row_count == 50


def test_timeout_interrupts(small: Warehouse) -> None:
    with pytest.raises(WarehouseError, match=r"stopped after 0\.2 s"):
        small.run(HEAVY, timeout_s=0.2)
    assert small.run("SELECT 42").rows == ((42,),)  # the warehouse still works


def test_query_errors_are_warehouse_errors(small: Warehouse) -> None:
    with pytest.raises(WarehouseError, match="could not run the query"):
        small.run("SELECT no_such_column FROM campaigns")


def test_one_warehouse_serves_several_threads(small: Warehouse) -> None:
    results: list[object] = []

    def work(n: int) -> None:
        results.append(small.run(f"SELECT COUNT(*) + {n} FROM ad_spend").rows[0][0])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [2 + n for n in range(8)]  # type: ignore[type-var]


def test_tables_introspection(small: Warehouse) -> None:
    tables = small.tables()
    assert list(tables) == ["ad_spend", "campaigns"]
    assert tables["ad_spend"]["date"] == "DATE" and tables["ad_spend"]["spend"] == "DOUBLE"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="No warehouse file"):
        Warehouse.open(tmp_path / "missing.duckdb")


def test_folder_without_data_files(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="No CSV, Parquet, JSON or Excel files"):
        Warehouse.open(tmp_path)


def test_folder_of_csv_opens_read_only_under_clean_names(tmp_path: Path) -> None:
    from genbi.semantic_layer.sources import TableSource

    (tmp_path / "Policy Holder.csv").write_text("Policy Number,First Name\nP-1,Ann\nP-2,Bo\n")
    sources = [TableSource("policy_holder", "Policy Holder",
                           (("policy_number", "Policy Number"), ("first_name", "First Name")))]
    with Warehouse.open(tmp_path, allowed_tables=["policy_holder"], sources=sources) as warehouse:
        result = warehouse.run("SELECT policy_number FROM policy_holder ORDER BY 1")
        assert result.rows == (("P-1",), ("P-2",))
        assert set(warehouse.tables()) == {"policy_holder"}  # the loaded copy is not readable
        with pytest.raises(UnsafeSQLError):
            warehouse.run('SELECT * FROM src."Policy Holder"')
    with Warehouse.open(tmp_path / "Policy Holder.csv") as raw:  # one file, its own names
        assert raw.run('SELECT COUNT(*) FROM "Policy Holder"').rows == ((2,),)


def test_garbage_file(tmp_path: Path) -> None:
    path = tmp_path / "garbage.duckdb"
    path.write_bytes(b"this is not a database" * 300)
    with pytest.raises(WarehouseError, match="not a DuckDB database file"):
        Warehouse.open(path)


def test_locked_file(small_db: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            f"c = duckdb.connect({str(small_db)!r})\n"
            "print('ready', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseError, match="locked"):
            Warehouse.open(small_db)
    finally:
        holder.communicate(timeout=300)  # a hang bound on a busy machine


# --- the facade ---------------------------------------------------------------------------


def test_semantic_layer_explains_and_queries(small_db: Path) -> None:
    with Warehouse.open(small_db) as warehouse:
        layer = SemanticLayer(MODEL, warehouse, date(2025, 12, 31))
        question = QuerySpec.model_validate(
            {"metrics": ["spend", "cpc", "ctr"], "group_by": [{"name": "channel"}]}
        )
        compiled = layer.explain(question)
        result = layer.query(question)
        assert result.sql == compiled.sql
        assert result.columns == ("channel", "spend", "cpc", "ctr")
        # email had 0 clicks: CPC is NULL, not an error or infinity
        assert result.rows == (("email", 5.0, None, 0.0), ("search", 40.0, 2.0, 0.02))
        assert "orders" in layer.missing_in_warehouse()
        assert "ad_spend" not in layer.missing_in_warehouse()


def test_semantic_layer_only_reads_model_tables(small_db: Path) -> None:
    with Warehouse.open(small_db) as warehouse:
        layer = SemanticLayer(MODEL, warehouse, date(2025, 12, 31))
        result = layer.query(QuerySpec(metrics=("clicks",)))
        assert result.rows == ((20,),)


def test_demo_warehouse_matches_the_model(warehouse_path: Path) -> None:
    with Warehouse.open(warehouse_path) as warehouse:
        layer = SemanticLayer(MODEL, warehouse, date(2025, 12, 31))
        assert layer.missing_in_warehouse() == []
