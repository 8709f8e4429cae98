"""The generated warehouse has every contract table and column, with the exact DuckDB type.

The expected schema is spelled out here, independently of ``genbi.demo.schema``, so a
change to the generator's schema module cannot silently change the contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

CONTRACT: dict[str, dict[str, str]] = {
    "customers": {
        "customer_id": "BIGINT",
        "signup_date": "DATE",
        "gender": "VARCHAR",
        "birth_year": "INTEGER",
        "city": "VARCHAR",
        "city_tier": "VARCHAR",
        "region": "VARCHAR",
        "acquisition_channel": "VARCHAR",
        "loyalty_tier": "VARCHAR",
        "email": "VARCHAR",
        "phone": "VARCHAR",
    },
    "campaigns": {
        "campaign_id": "INTEGER",
        "campaign_name": "VARCHAR",
        "channel": "VARCHAR",
        "objective": "VARCHAR",
        "start_date": "DATE",
        "end_date": "DATE",
        "budget": "DOUBLE",
    },
    "ad_spend": {
        "date": "DATE",
        "campaign_id": "INTEGER",
        "impressions": "BIGINT",
        "clicks": "BIGINT",
        "spend": "DOUBLE",
    },
    "touchpoints": {
        "touchpoint_id": "BIGINT",
        "customer_id": "BIGINT",
        "campaign_id": "INTEGER",
        "channel": "VARCHAR",
        "touch_type": "VARCHAR",
        "touched_at": "TIMESTAMP",
    },
    "orders": {
        "order_id": "BIGINT",
        "customer_id": "BIGINT",
        "ordered_at": "TIMESTAMP",
        "sales_channel": "VARCHAR",
        "campaign_id": "INTEGER",
        "gross_amount": "DOUBLE",
        "discount": "DOUBLE",
        "revenue": "DOUBLE",
    },
    "order_items": {
        "order_id": "BIGINT",
        "product_id": "INTEGER",
        "quantity": "INTEGER",
        "unit_price": "DOUBLE",
    },
    "products": {
        "product_id": "INTEGER",
        "product_name": "VARCHAR",
        "category": "VARCHAR",
        "list_price": "DOUBLE",
    },
    "events": {
        "event_id": "BIGINT",
        "customer_id": "BIGINT",
        "session_id": "BIGINT",
        "event_name": "VARCHAR",
        "event_at": "TIMESTAMP",
        "device": "VARCHAR",
    },
    "experiment_assignments": {
        "experiment_id": "VARCHAR",
        "customer_id": "BIGINT",
        "variant": "VARCHAR",
        "assigned_at": "TIMESTAMP",
        "converted": "BOOLEAN",
        "revenue": "DOUBLE",
    },
}

PRIMARY_KEYS = {
    "customers": "customer_id",
    "campaigns": "campaign_id",
    "touchpoints": "touchpoint_id",
    "orders": "order_id",
    "products": "product_id",
    "events": "event_id",
}

ALLOWED_VALUES: dict[tuple[str, str], set[str]] = {
    ("customers", "gender"): {"female", "male", "unknown"},
    ("customers", "city_tier"): {"tier1", "tier2", "tier3"},
    ("customers", "region"): {
        "East", "North", "South", "Central", "Southwest", "Northwest", "Northeast",
    },
    ("customers", "acquisition_channel"): {
        "email", "sms", "wechat", "douyin", "xiaohongshu", "search", "display", "app_push",
        "organic", "referral",
    },
    ("customers", "loyalty_tier"): {"none", "silver", "gold", "platinum"},
    ("campaigns", "channel"): {
        "email", "sms", "wechat", "douyin", "xiaohongshu", "search", "display", "app_push",
    },
    ("campaigns", "objective"): {"acquisition", "conversion", "retention", "reactivation"},
    ("touchpoints", "touch_type"): {"impression", "click", "open"},
    ("orders", "sales_channel"): {
        "online_store", "app", "mini_program", "offline_store", "tmall", "jd",
    },
    ("products", "category"): {
        "skincare", "makeup", "haircare", "fragrance", "bodycare", "supplements",
    },
    ("events", "event_name"): {"visit", "view_product", "add_to_cart", "checkout", "purchase"},
    ("events", "device"): {"ios", "android", "desktop", "mobile_web"},
    ("experiment_assignments", "variant"): {"control", "treatment", "A", "B", "C"},
}  # fmt: skip


@pytest.fixture(scope="module")
def con(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(warehouse_path), read_only=True)
    yield connection
    connection.close()


def value(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The single value a query returns."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return {name: kind for name, kind in rows}


def test_every_contract_table_exists(con: duckdb.DuckDBPyConnection) -> None:
    tables = {
        row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert set(CONTRACT) <= tables


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_columns_and_types_match_the_contract(con: duckdb.DuckDBPyConnection, table: str) -> None:
    assert _columns(con, table) == CONTRACT[table]


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_every_table_has_rows(con: duckdb.DuckDBPyConnection, table: str) -> None:
    assert value(con, f'SELECT count(*) FROM "{table}"') > 0


def test_primary_keys_are_declared(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
        "WHERE constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    assert {table: columns for table, columns in rows} == {
        table: [column] for table, column in PRIMARY_KEYS.items()
    }


@pytest.mark.parametrize("table,column", sorted(PRIMARY_KEYS.items()))
def test_rows_are_stored_in_primary_key_order(
    con: duckdb.DuckDBPyConnection, table: str, column: str
) -> None:
    out_of_order = value(
        con,
        f'SELECT count(*) FROM (SELECT "{column}" AS k, lag("{column}") OVER (ORDER BY rowid) AS prev '
        f'FROM "{table}") WHERE k <= prev',
    )
    assert out_of_order == 0


@pytest.mark.parametrize("table,column", sorted(ALLOWED_VALUES))
def test_categorical_columns_use_contract_values(
    con: duckdb.DuckDBPyConnection, table: str, column: str
) -> None:
    values = {
        row[0] for row in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall()
    }
    assert values <= ALLOWED_VALUES[(table, column)]
    assert None not in values


def test_only_contract_nullable_columns_have_nulls(con: duckdb.DuckDBPyConnection) -> None:
    nullable = {("customers", "birth_year"), ("orders", "campaign_id")}
    for table, columns in CONTRACT.items():
        for column in columns:
            nulls = value(con, f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NULL')
            assert (nulls > 0) == ((table, column) in nullable), (table, column, nulls)


def test_tables_and_columns_carry_their_meaning_as_comments(con: duckdb.DuckDBPyConnection) -> None:
    missing = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE table_name IN (SELECT table_name FROM duckdb_tables()) AND comment IS NULL"
    ).fetchall()
    assert missing == []
