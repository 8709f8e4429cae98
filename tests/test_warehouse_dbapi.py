"""Snowflake, BigQuery and Trino by URL, tested without their servers (none runs here).

Each driver module is replaced by a fake that records every statement genbi sends and
answers it from the demo warehouse in DuckDB (translated back from the engine's dialect),
so the whole path runs: URL parsing and credentials, the connection settings, the dialect
genbi compiles to, the engine-specific rewrites (BigQuery's qualified tables, Snowflake's
upper-case names), introspection, timeouts and the numbers that come back.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from genbi.assistant import AnswerRequest, Assistant
from genbi.errors import ConfigError, UnsafeSQLError, WarehouseError
from genbi.eval.compare import compare_results
from genbi.semantic_layer.backends.location import mask_url, parse_location
from genbi.semantic_layer.warehouse import Warehouse

URLS = {
    "snowflake": "snowflake://analyst:Sn0wPass@acme-xy123/MARKETING/PUBLIC?warehouse=BI_WH&role=READER",
    "bigquery": "bigquery://acme-project/marketing",
    "trino": "trino://analyst@trino.internal:8443/hive/marketing",
}


class Recorder:
    """What the fake drivers were asked: connect() keyword arguments and statements."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.connects: list[dict[str, Any]] = []
        self.statements: list[str] = []


class FakeCursor:
    def __init__(self, recorder: Recorder, dialect: str, upper: bool) -> None:
        self.recorder, self.dialect, self.upper = recorder, dialect, upper
        self.description: list[tuple[Any, ...]] | None = None
        self._rows: list[tuple[Any, ...]] = []

    def execute(self, sql: str) -> None:
        self.recorder.statements.append(sql)
        if sql.upper().startswith(("ALTER SESSION", "SET SESSION")):
            return
        if "INFORMATION_SCHEMA" in sql.upper():  # the engine's catalog, answered from DuckDB's
            translated = ("SELECT table_name, column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position")
        else:
            tree = sqlglot.parse_one(sql, read=self.dialect)
            for table in tree.find_all(exp.Table):  # BigQuery's project.dataset. prefix
                table.set("catalog", None)
                table.set("db", None)
            translated = tree.sql("duckdb")
        with duckdb.connect(str(self.recorder.database), read_only=True) as connection:
            cursor = connection.execute(translated)
            names = [d[0] for d in cursor.description or []]
            self._rows = [tuple(r) for r in cursor.fetchall()]
        if self.upper and "INFORMATION_SCHEMA" in sql.upper():
            self._rows = [tuple(v.upper() if isinstance(v, str) and i < 2 else v for i, v in enumerate(r))
                          for r in self._rows]
        self.description = [((n.upper() if self.upper else n), None, None, None, None, None, None) for n in names]

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        return self._rows[:size]

    def close(self) -> None:
        return None


class FakeConnection:
    def __init__(self, recorder: Recorder, dialect: str, upper: bool = False) -> None:
        self.recorder, self.dialect, self.upper = recorder, dialect, upper

    def cursor(self) -> FakeCursor:
        return FakeCursor(self.recorder, self.dialect, self.upper)

    def close(self) -> None:
        return None


def _module(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    return module


@pytest.fixture()
def fake_drivers(warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    recorder = Recorder(warehouse_path)

    def connect(dialect: str, upper: bool = False) -> Any:
        def make(**kwargs: Any) -> FakeConnection:
            recorder.connects.append(kwargs)
            return FakeConnection(recorder, dialect, upper)
        return make

    class Client:
        def __init__(self, project: str) -> None:
            recorder.connects.append({"project": project})

    class BasicAuthentication:
        def __init__(self, user: str, password: str) -> None:
            self.user, self.password = user, password

    modules = {
        "snowflake": _module("snowflake"),
        "snowflake.connector": _module("snowflake.connector", connect=connect("snowflake", upper=True)),
        "google.cloud": _module("google.cloud"),
        "google.cloud.bigquery": _module("google.cloud.bigquery", Client=Client),
        "google.cloud.bigquery.dbapi": _module(
            "google.cloud.bigquery.dbapi",
            connect=lambda client: connect("bigquery")(client=client)),
        "trino": _module("trino"),
        "trino.dbapi": _module("trino.dbapi", connect=connect("trino")),
        "trino.auth": _module("trino.auth", BasicAuthentication=BasicAuthentication),
    }
    modules["google.cloud"].bigquery = modules["google.cloud.bigquery"]  # type: ignore[attr-defined]
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    yield recorder


@pytest.mark.parametrize("engine", sorted(URLS))
def test_roas_by_channel_through_the_fake_driver_is_duckdbs(
        engine: str, fake_drivers: Recorder, warehouse_path: Path, genbi_home: Path) -> None:
    question = AnswerRequest("ROAS by channel last quarter", session_id="roas")
    duck = Assistant.open(warehouse_path, llm=False)
    other = Assistant.open(URLS[engine], llm=False)
    try:
        theirs, ours = duck.answer(question), other.answer(question)
    finally:
        duck.close()
        other.close()
    assert other.warehouse.dialect == engine and not ours.error and len(ours.rows) == 8
    verdict = compare_results(theirs.columns, theirs.rows, ours.columns, ours.rows)
    assert verdict.ok, verdict.reason
    assert "Sn0wPass" not in other.source


def test_snowflake_connects_with_the_urls_settings_and_limits_each_statement(fake_drivers: Recorder) -> None:
    with Warehouse.open(URLS["snowflake"]) as warehouse:
        tables = warehouse.tables()
        result = warehouse.run('SELECT COUNT(*) AS n FROM "campaigns"')
    assert fake_drivers.connects[0] == {
        "user": "analyst", "account": "acme-xy123", "database": "MARKETING", "schema": "PUBLIC",
        "application": "genbi", "warehouse": "BI_WH", "role": "READER", "password": "Sn0wPass"}
    assert "orders" in tables and tables["orders"]["revenue"] == "DOUBLE", "upper-case names read lower-case"
    assert result.rows == ((410,),) and result.columns == ("n",)
    assert "ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 30" in fake_drivers.statements
    assert "SELECT COUNT(*) AS n FROM campaigns" in fake_drivers.statements, "lower-case names unquoted"


def test_bigquery_qualifies_every_table_with_project_and_dataset(fake_drivers: Recorder) -> None:
    with Warehouse.open(URLS["bigquery"]) as warehouse:
        warehouse.run("WITH c AS (SELECT * FROM campaigns) SELECT COUNT(*) FROM c JOIN ad_spend USING (campaign_id)")
    sent = fake_drivers.statements[-1]
    assert "acme-project.marketing.campaigns" in sent.replace("`", "") and "acme-project.marketing.ad_spend" in sent.replace("`", "")
    assert fake_drivers.connects[0] == {"project": "acme-project"}


def test_trino_uses_https_with_a_password(fake_drivers: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENBI_DB_PASSWORD", "Tr1noPass")
    with Warehouse.open(URLS["trino"]) as warehouse:
        assert warehouse.run("SELECT COUNT(*) FROM products").rows == ((120,),)
    settings = fake_drivers.connects[0]
    assert (settings["host"], settings["port"], settings["catalog"], settings["schema"]) == (
        "trino.internal", 8443, "hive", "marketing")
    assert settings["http_scheme"] == "https" and settings["auth"].password == "Tr1noPass"
    assert any(s.startswith("SET SESSION query_max_execution_time") for s in fake_drivers.statements)


@pytest.mark.parametrize("engine", sorted(URLS))
def test_writes_never_reach_the_driver(engine: str, fake_drivers: Recorder) -> None:
    with Warehouse.open(URLS[engine]) as warehouse:
        for statement in ("DROP TABLE orders", "DELETE FROM orders", "UPDATE orders SET revenue = 0"):
            with pytest.raises(UnsafeSQLError):
                warehouse.run(statement)
            with pytest.raises(UnsafeSQLError):
                warehouse.backend.execute(statement, max_rows=1, timeout_s=5)
    assert not any(s.split()[0].upper() in ("DROP", "DELETE", "UPDATE") for s in fake_drivers.statements)


def test_a_missing_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "snowflake.connector", None)
    with pytest.raises(ConfigError, match=r"genbi\[snowflake\]"):
        Warehouse.open(URLS["snowflake"])


def test_incomplete_urls_say_what_a_url_looks_like() -> None:
    for url, shape in [("snowflake://acme", "snowflake://user@account/database/schema"),
                       ("bigquery://project", "bigquery://project/dataset"),
                       ("trino://host", "trino://user@host:port/catalog/schema")]:
        with pytest.raises(ConfigError, match=shape.replace("?", r"\?")):
            Warehouse.open(url)


def test_unknown_scheme_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="mysql://") as raised:
        parse_location("mysql://root:hunter2@db/x")
    assert "hunter2" not in str(raised.value)


def test_passwords_are_masked_wherever_a_url_is_shown() -> None:
    assert mask_url("postgresql://ann:p%40ss@host:5432/db") == "postgresql://ann:***@host:5432/db"
    assert mask_url("sc://host:15002/;token=abc;user_id=x") == "sc://host:15002/;token=***;user_id=x"
    assert parse_location(URLS["snowflake"]).shown.startswith("snowflake://analyst:***@acme-xy123/")
    assert parse_location("/tmp/demo.duckdb").shown == "/tmp/demo.duckdb"


def test_an_unreachable_server_is_a_warehouse_error_without_the_password() -> None:
    with pytest.raises(WarehouseError) as raised:
        Warehouse.open("postgresql://ann:S3cretPw@127.0.0.1:9/db?connect_timeout=2")
    assert "S3cretPw" not in str(raised.value) and "***" in str(raised.value)


def test_doctor_shows_the_warehouse_url_masked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from genbi import settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GENBI_DB", "postgresql://ann:Hunter22@db.internal/marketing")
    rows = settings.workspace().describe()
    assert rows[0][1] == "postgresql://ann:***@db.internal/marketing"
