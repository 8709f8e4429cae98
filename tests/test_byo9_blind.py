"""Five more public datasets nobody tuned genbi for, zero config (lookalikes in
``byo9_public_datasets``): Adidas' US sales (an xlsx saved as CSV: a title above the header, an
empty first column, '$600,000' and '1,200' and '50%'), Kaggle's hotel bookings (the arrival
date in three columns, 'NULL' and 'NA'), the Starbucks offers folder (JSON lines with an object
column and 118 for an unknown age), Olist's marketing funnel (leads and closed deals) and the
Marketing Campaign Performance file ('30 days', '$16,174.00'). The questions and their pandas
answers (``byo9_blind_questions``) were committed before genbi ran on them (5f22cd1).

Blind (``genbi ask`` as a user runs it): Adidas 2/16 right (3 silently wrong: the junk above
the header made every column 'column0 …'; 11 declined), hotel 15/18 (3 declined), Starbucks 4/16
(12 declined), Olist funnel 14/16 (1 silently wrong: "how many sellers" counted the deals of
business type 'reseller'; 1 declined), campaigns 14/18 (4 declined). Now 79/84 right, none
wrong; the five declines left are Starbucks' offers (``DECLINED_GAPS``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import byo9_blind_questions as blind
import byo9_public_datasets as datasets
import duckdb
import pytest
from byo_blind_support import verdict

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.semantic_layer.csv_preamble import header_line
from genbi.semantic_layer.sources import tidy_file_table

DECLINED_GAPS = {  # Starbucks' portfolio.json is the offers, but nothing says so; no "event type" word
    ("starbucks", "how many offers were received"), ("starbucks", "how many offers were completed"),
    ("starbucks", "offers by offer type"), ("starbucks", "average reward by offer type"),
    ("starbucks", "number of events by event type"),
}


@pytest.fixture(scope="module")
def opened() -> Iterator[dict[str, tuple[Assistant, Any]]]:
    found: dict[str, tuple[Assistant, Any]] = {}
    yield found
    for assistant, _ in found.values():
        assistant.warehouse.close()


def _assistant(opened: dict[str, tuple[Assistant, Any]], name: str, folder: Path) -> tuple[Assistant, Any]:
    if name not in opened:
        path, clean = datasets.build(name, folder)
        opened[name] = (Assistant.open(path, llm=False), clean)
    return opened[name]


CASES = [pytest.param(name, question, id=f"{name}:{question}")
         for name, questions in blind.QUESTIONS.items() for question, _ in questions]


@pytest.mark.parametrize(("name", "question"), CASES)
def test_blind_question_is_answered_with_the_independent_number(
        opened: dict[str, tuple[Assistant, Any]], tmp_path_factory: pytest.TempPathFactory, name: str,
        question: str) -> None:
    assistant, clean = _assistant(opened, name, tmp_path_factory.mktemp(name))
    expect = dict(blind.QUESTIONS[name])[question](clean)
    answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
    result = {"rows": [list(r) for r in answer.rows], "declined": answer.decline is not None,
              "error": answer.error, "narrative": answer.narrative}
    if (name, question) in DECLINED_GAPS:  # a known gap: declined, never answered with another number
        assert answer.decline is not None and not answer.rows, (question, answer.narrative)
        return
    judged, detail = verdict(result, expect)
    assert judged == "right", (question, judged, detail, answer.narrative)


@pytest.mark.parametrize(("text", "skip"), [
    (",,,\n,Sales Report,,\n,,,\n,Region,Units,Sales\n,West,\"1,200\",$50\n,East,300,$20\n", 3),  # xlsx as CSV
    ("Region,Units,Sales\nWest,1200,50\nEast,300,20\n", 0),  # the header first
    ("1,2268318,2520377,pv,1511544070\n1,2333346,2520771,pv,1511561733\n", 0),  # no header at all
    ("Report: weekly\nRegion,Units,Sales\nWest,1200,50\nEast,300,20\n", 1),  # a one-cell note above
])
def test_lines_above_a_csv_header_are_skipped(tmp_path: Path, text: str, skip: int) -> None:
    path = tmp_path / "report.csv"
    path.write_text(text)
    assert header_line(path) == skip


def test_a_sheet_saved_as_csv_reads_its_header_and_drops_the_empty_first_column(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_text(",,,\n,Sales Report,,\n,,,\n,Region,Units,Sales\n,West,\"1,200\",$50\n,East,300,$20\n",
                    encoding="utf-8-sig")
    assistant = Assistant.open(path, llm=False)
    try:
        answer = assistant.answer(AnswerRequest("total units", use_cache=False, session_id="units"))
        assert [list(r) for r in answer.rows] == [[1500]], answer.narrative
    finally:
        assistant.warehouse.close()


def _tidied(rows: list[dict[str, Any]], tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "rows.json"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE t AS SELECT * FROM read_json_auto('{path}')")
    tidy_file_table(connection, "t")
    return connection


def test_a_json_object_column_is_one_column_per_key(tmp_path: Path) -> None:
    """Starbucks' transcript: 'value' holds {"offer id": ...}, {"amount": ...} or {"offer_id": ..., "reward": ...}."""
    connection = _tidied([{"person": "a", "value": {"offer id": "o1"}, "time": 0},
                          {"person": "a", "value": {"amount": 2.5}, "time": 3},
                          {"person": "b", "value": {"offer_id": "o2", "reward": 5}, "time": 4}], tmp_path)
    names = [d[0] for d in connection.execute("SELECT * FROM t").description or []]
    assert names == ["person", "time", "offer_id", "amount", "reward"]
    assert connection.execute("SELECT list(offer_id ORDER BY time), sum(amount) FROM t").fetchone() == (
        ["o1", None, "o2"], 2.5)


def test_dates_ages_and_durations_a_file_writes_its_own_way(tmp_path: Path) -> None:
    connection = _tidied([{"age": 118, "became_member_on": 20170212, "Duration": "30 days", "Span": "2 weeks"},
                          {"age": 40, "became_member_on": 20180101, "Duration": "15 days", "Span": "10 days"}], tmp_path)
    kinds = dict(connection.execute("SELECT column_name, data_type FROM information_schema.columns "
                                    "WHERE table_name = 't'").fetchall())
    assert kinds == {"age": "BIGINT", "became_member_on": "DATE", "Duration": "DOUBLE", "Span": "VARCHAR"}
    assert connection.execute('SELECT avg(age), sum("Duration") FROM t').fetchone() == (40.0, 45.0)


def test_a_status_said_then_how_many_counts_its_rows(tmp_path: Path) -> None:
    """Tmall's export (byo8): "交易关闭的数量" was "no metric to compute"; it is the orders with that status."""
    import byo8_public_datasets

    path, clean = byo8_public_datasets.build("tmall", tmp_path)
    orders = clean["orders"]
    assistant = Assistant.open(path, llm=False)
    try:
        for question, status in (("交易关闭的数量", "交易关闭"), ("交易成功的数量", "交易成功")):
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert [list(r) for r in answer.rows] == [[int((orders["订单状态"] == status).sum())]], answer.narrative
    finally:
        assistant.warehouse.close()
