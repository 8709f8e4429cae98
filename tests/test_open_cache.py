"""Opening an assistant reuses the value index on disk until the warehouse's data changes."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.assistant.values import cached_warehouse_values, warehouse_values
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.result import ResultTable


class Runner:
    """Answers every value query with one value that says which data version it read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.policy = None
        self.queries = 0

    def run(self, sql: str) -> ResultTable:
        self.queries += 1
        value: Any = self.path.read_text() if "city" in sql else date(2025, 1, 1)
        return ResultTable(columns=("value",), rows=((value,),), truncated=False, row_count=1,
                           elapsed_ms=0.0, sql=sql)


def test_the_value_index_is_read_once_per_data_version(tmp_path: Path) -> None:
    model = load_model()
    data = tmp_path / "w.duckdb"
    data.write_text("v1")
    runner = Runner(data)
    first = cached_warehouse_values(model, runner, folder=tmp_path / "cache")
    scans = runner.queries
    assert scans > 0 and runner.queries == scans
    again = cached_warehouse_values(model, runner, folder=tmp_path / "cache")
    assert again == first and runner.queries == scans  # from disk, same types (dates stay dates)
    data.write_text("v2")
    os.utime(data, ns=(10**18, 10**18))
    changed = cached_warehouse_values(model, runner, folder=tmp_path / "cache")
    assert runner.queries == 2 * scans and "v2" in str(changed) and "v1" not in str(changed)


def test_an_assistant_opened_again_knows_values_added_to_the_data(warehouse_path: Path, tmp_path: Path,
                                                                genbi_home: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouse_path, copy)
    opened = Assistant.open(copy, llm=False)
    values = warehouse_values(opened.model, opened.warehouse)
    opened.close()
    assert "Zhoushan" not in str(values)
    with duckdb.connect(str(copy)) as writer:
        writer.execute("UPDATE customers SET city = 'Zhoushan' WHERE customer_id = "
                       "(SELECT MIN(customer_id) FROM customers)")
    reopened = Assistant.open(copy, llm=False)
    try:
        answer = reopened.answer(AnswerRequest("number of customers in Zhoushan"))
    finally:
        reopened.close()
    assert not answer.declined and answer.rows == ((1,),), answer


def test_which_model_fits_a_warehouse_is_read_once_per_data_version(
        tmp_path: Path, genbi_home: Path, monkeypatch: Any) -> None:
    """The warehouse's table list (demo model or a draft?) is kept per fingerprint: a command
    run again does not open the file an extra time, a changed file is read again."""
    from genbi.assistant import workspace

    data = tmp_path / "w.duckdb"
    with duckdb.connect(str(data)) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER)")
    opened: list[Path] = []
    real_open = workspace.open_raw

    def counted(location: Path) -> Any:
        opened.append(location)
        return real_open(location)

    monkeypatch.setattr(workspace, "open_raw", counted)
    assert workspace._has_tables(data, ("orders",)) and workspace._has_tables(data, ("orders",))
    assert len(opened) == 1
    with duckdb.connect(str(data)) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    assert workspace._has_tables(data, ("orders", "customers"))
    assert len(opened) == 2
