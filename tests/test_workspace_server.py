"""A warehouse URL with no model configured: its own tables get a draft, never the demo model."""

from __future__ import annotations

from pathlib import Path

from engines_support import unavailable
from servers import ServerUnavailable, _psql, postgres_server


def test_a_users_postgres_gets_a_draft_not_the_demo_model(genbi_home: Path) -> None:
    from genbi.assistant.workspace import choose_model

    try:
        started = postgres_server()
        server = started.__enter__()
    except ServerUnavailable as error:
        unavailable(error)
    try:
        _psql(server, "genbi",
              "CREATE TABLE sales (sale_id INT PRIMARY KEY, region TEXT, amount NUMERIC(10,2), sold_on DATE);"
              "INSERT INTO sales VALUES (1, 'North', 10.50, '2024-01-03'), (2, 'South', 20.00, '2024-02-04'),"
              "(3, 'North', 5.25, '2024-02-05')")
        chosen = choose_model(server.url, None)
        assert not chosen.demo and "drafted" in chosen.why
        assert "sales" in chosen.model.table_names and "orders" not in chosen.model.table_names
        assert choose_model(server.url, None).path == chosen.path  # cached for the day
    finally:
        started.__exit__(None, None, None)
