"""A server shown under the model's clean names (``backends.modelled``), checked on DuckDB:
the subqueries it writes must answer as the views ``sources.open_modelled`` makes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from genbi.semantic_layer.backends.duckdb_backend import DuckDBBackend
from genbi.semantic_layer.backends.modelled import ModelledBackend
from genbi.semantic_layer.introspection import check_draft, draft_model
from genbi.semantic_layer.sources import TableSource, table_sources
from genbi.semantic_layer.warehouse import Warehouse


@pytest.fixture()
def text_dates(tmp_path: Path) -> Path:
    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute('CREATE TABLE "Sales" ("Sale ID" BIGINT, "Sold On" VARCHAR, "Shop" VARCHAR, '
                           '"Net Amount" DOUBLE)')
        connection.execute("INSERT INTO \"Sales\" SELECT i, strftime(TIMESTAMP '2025-01-01 08:00:00' "
                           "+ INTERVAL (i * 13) HOUR, '%m/%d/%Y %H:%M'), ['north', 'south'][i % 2 + 1], "
                           "i % 7 * 2.5 FROM range(400) t(i)")
    return path


QUESTIONS = (
    "SELECT shop, DATE_TRUNC('month', sold_on) AS m, SUM(net_amount) AS a FROM sales "
    "WHERE sold_on >= TIMESTAMP '2025-01-15 00:00:00' GROUP BY 1, 2 ORDER BY 1, 2",
    "WITH s AS (SELECT * FROM sales WHERE shop = 'north') SELECT COUNT(*), MAX(s.sold_on) FROM s",
    "SELECT x.shop, COUNT(*) FROM sales AS x JOIN sales y ON x.sale_id = y.sale_id GROUP BY 1 ORDER BY 1",
)


@pytest.mark.parametrize("sql", QUESTIONS)
def test_subqueries_answer_as_the_views(text_dates: Path, sql: str) -> None:
    sources = table_sources(check_draft(draft_model(text_dates).text))
    assert sources[0].parsed == (("sold_on", "%m/%d/%Y %H:%M", "TIMESTAMP"),)
    with Warehouse.open(text_dates, sources=sources) as views, \
            Warehouse(ModelledBackend(DuckDBBackend.open(text_dates), sources)) as subqueries:
        assert subqueries.tables() == views.tables()
        assert subqueries.run(sql).rows == views.run(sql).rows


def test_only_model_tables_are_replaced() -> None:
    class Raw:
        dialect = "postgres"
        location = None

        def columns(self) -> dict[str, dict[str, str]]:
            return {"Sales": {"Sold On": "VARCHAR"}, "other": {"a": "INTEGER"}}

    backend = ModelledBackend(Raw(), [TableSource("sales", "Sales", (("sold_on", "Sold On"),),  # type: ignore[arg-type]
                                                  (("sold_on", "%Y-%m-%d", "DATE"),))])
    sql = backend.read_through("WITH other AS (SELECT 1 AS a) SELECT s.sold_on FROM sales AS s, other")
    assert sql == ('WITH other AS (SELECT 1 AS a) SELECT s.sold_on FROM (SELECT CAST(TO_TIMESTAMP('
                   'CAST("Sold On" AS TEXT), \'YYYY-MM-DD\') AS DATE) AS sold_on FROM "Sales") AS s, other')
