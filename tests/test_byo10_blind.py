"""Five more public datasets nobody tuned genbi for, zero config (lookalikes in
``byo10_public_datasets``): UCI's Online Retail II (one table over two year sheets of an xlsx),
Kaggle's Google Merchandise Store sessions (JSON objects as text in CSV columns, revenue in
millionths), Black Friday (a user id repeated on every purchase with the buyer's age and gender;
codes 0-20; no date), Criteo's attribution log (tab separated, gzipped, -1 for none) and a WeChat
Pay merchant bill (Chinese headers, every value after a backtick, two summary lines at the end).
The questions and their pandas answers (``byo10_blind_questions``) were committed before genbi
ran on them (4c4ca1f).

Blind (in-process, as ``genbi ask`` answers): Online Retail 4/17 right (13 silently wrong: answered
from one of the two sheets), GA sessions 6/18 (12 declined), Black Friday 8/17 (3 wrong: "how many
customers" counted the 4,000 rows; 6 declined), Criteo 15/18 (3 declined), WeChat Pay 2/18 (the
file could not be read). Now 87/88 right, none wrong; the decline left is Black Friday's
(``DECLINED_GAPS``)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import byo10_blind_questions as blind
import byo10_public_datasets as datasets
import duckdb
import pytest
from byo_blind_support import ask_assistant, verdict

from genbi.assistant.service import Assistant
from genbi.semantic_layer.csv_marks import export_marks
from genbi.semantic_layer.sources import open_raw, tidy_file_table
from genbi.semantic_layer.spreadsheets import read_workbook

DECLINED_GAPS = {  # 'Stay_In_Current_City_Years' is said 'stay in current city years' only
    ("black_friday", "purchase by years in current city"),
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
    result = ask_assistant(assistant, question)
    if (name, question) in DECLINED_GAPS:  # a known gap: declined, never answered with another number
        assert result["declined"] and not result["rows"], (question, result["narrative"])
        return
    judged, detail = verdict(result, expect)
    assert judged == "right", (question, judged, detail, result["narrative"])


def _import(path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE t AS SELECT * FROM read_csv_auto('{path}')")
    tidy_file_table(connection, "t")
    return connection


def test_sheets_with_one_header_are_one_table_typed_as_a_whole(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        pd.DataFrame({"Invoice": [1, 2], "Qty": [3, 4]}).to_excel(writer, sheet_name="2010", index=False)
        pd.DataFrame({"Invoice": ["C3", "4"], "Qty": [-1, 5]}).to_excel(writer, sheet_name="2011", index=False)
        pd.DataFrame({"Region": ["W"], "Manager": ["Ann"]}).to_excel(writer, sheet_name="People", index=False)
    tables = read_workbook(path)
    assert [(t.sheet, t.rows, t.kinds) for t in tables] == [
        ("2010", 4, ("VARCHAR", "BIGINT")), ("People", 1, ("VARCHAR", "VARCHAR"))]
    assert list(tables[0].values[0]) == ["1", "2", "C3", "4"]


def test_a_payment_bills_backticks_and_summary_lines_are_taken_off(tmp_path: Path) -> None:
    path = tmp_path / "bill.csv"
    path.write_text("交易时间,商户订单号,订单金额\n`2024-01-01 09:00:00,`T1,`88.00\n`2024-01-02 10:00:00,`T2,`12.50\n"
                    "总交易单数,订单总金额\n`2,`100.50\n", encoding="utf-8-sig")
    assert (export_marks(path).ticks, export_marks(path).footer) == (True, 2)
    connection = open_raw(path)
    assert connection.execute('SELECT count(*), sum("订单金额"), min("商户订单号") FROM bill').fetchone() == (2, 100.5, "T1")


def test_a_ragged_file_without_a_summary_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a,b,c\n1,2\n3,4\n")  # every row narrower than the header: no full row before them
    assert not export_marks(path)


def test_json_objects_written_as_text_are_a_column_per_key(tmp_path: Path) -> None:
    path = tmp_path / "sessions.csv"
    rows = [("Direct", {"visits": "1", "pageviews": "3", "transactionRevenue": "37860000"}, {"deviceCategory": "mobile"}),
            ("Social", {"visits": "1", "pageviews": "1"}, {"deviceCategory": "desktop"})]
    path.write_text("channelGrouping,totals,device\n" + "".join(
        f'{c},"{json.dumps(t).replace(chr(34), 2 * chr(34))}","{json.dumps(d).replace(chr(34), 2 * chr(34))}"\n'
        for c, t, d in rows))
    connection = _import(path)
    kinds = dict(connection.execute("SELECT column_name, data_type FROM information_schema.columns").fetchall())
    assert kinds == {"channelGrouping": "VARCHAR", "visits": "BIGINT", "pageviews": "BIGINT",
                     "transactionRevenue": "DOUBLE", "deviceCategory": "VARCHAR"}
    assert connection.execute('SELECT sum(pageviews), sum("transactionRevenue") FROM t').fetchone() == (4, 37.86)


@pytest.mark.parametrize(("name", "values", "after"), [
    ("cost_micros", [1_250_000, 30_000], [1.25, 0.03]),
    ("transactionRevenue", [37_860_000, 0], [37.86, 0.0]),
    ("transactionRevenue", [37_860_001, 20_000], [37_860_001, 20_000]),  # not whole cents: units already
    ("revenue", [1_250_000, 30_000], [1_250_000, 30_000]),  # no name says millionths
])
def test_millionths_are_read_as_currency_units(tmp_path: Path, name: str, values: list[int], after: list[float]) -> None:
    path = tmp_path / "m.csv"
    path.write_text(f"{name}\n" + "".join(f"{v}\n" for v in values))
    assert [r[0] for r in _import(path).execute(f'SELECT "{name}" FROM t').fetchall()] == after


@pytest.mark.parametrize(("name", "blanked"), [("time_since_last_click", True), ("score_change", False)])
def test_minus_one_for_none_is_empty(tmp_path: Path, name: str, blanked: bool) -> None:
    path = tmp_path / "log.tsv.gz"
    with gzip.open(path, "wt") as out:
        out.write(f"{name}\n" + "".join(f"{-1 if i % 3 == 0 else i * 7}\n" for i in range(60)))
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE t AS SELECT * FROM read_csv_auto('{path}')")
    tidy_file_table(connection, "t")
    found = connection.execute(f'SELECT count(*) FILTER (WHERE "{name}" = -1) FROM t').fetchone()
    assert found == ((0,) if blanked else (20,))


def test_last_rows_with_an_empty_cell_left_off_are_rows(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order,amount,note\n1,10,a\n2,20,b\n3,30\n4,40\n")  # trailing empty cells not written
    assert not export_marks(path)
