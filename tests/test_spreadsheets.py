"""Excel workbooks as warehouses and tool files: the report as e-mailed (a title above the
header, a Grand Total row, several sheets), read with the numbers it holds, never the totals twice."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from genbi.errors import WarehouseError
from genbi.semantic_layer.sources import open_raw
from genbi.semantic_layer.spreadsheets import read_workbook, sheet_table

CASES = Path(__file__).resolve().parents[1] / "eval" / "byodata"
MAX_WRONG = 0.02
GENBI = [sys.executable, "-m", "genbi"]


def _run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENBI_")}
    env.update(GENBI_HOME=str(home), HF_HUB_OFFLINE="1")
    return subprocess.run([*GENBI, *args], capture_output=True, text=True, env=env, timeout=900)


ORDERS = pd.DataFrame({
    "Order ID": [f"CA-{i:03d}" for i in range(60)],
    "Order Date": [dt.datetime(2024, 1 + i % 6, 1 + i % 5) for i in range(60)],  # several orders a day
    "Customer Name": ["Ann", "Bo", "Cy", "Di", "Ed"] * 12,
    "Region": ["East", "West", "East"] * 20,
    "Sales": [10.25 * (1 + i % 7) for i in range(60)],
    "Quantity": [1 + i % 3 for i in range(60)],
})


def _report(path: Path, *, title: bool = True, total: bool = True, returns: bool = True, offset: int = 0) -> Path:
    """A workbook as people make them: a title and a blank row above the header, the table from
    column ``offset``, a Grand Total row, a Returns sheet and a notes sheet."""
    top = 2 if title else 0
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        ORDERS.to_excel(writer, sheet_name="Orders", startrow=top, startcol=offset, index=False)
        sheet = writer.sheets["Orders"]
        if title:
            sheet.write(0, offset, "Sales report 2024")
        if total:
            last = top + 1 + len(ORDERS)
            sheet.write(last, offset, "Grand Total")
            sheet.write(last, offset + 4, float(ORDERS["Sales"].sum()))
            sheet.write(last, offset + 5, int(ORDERS["Quantity"].sum()))
        if returns:
            pd.DataFrame({"Order ID": ["CA-001", "CA-007"], "Returned": ["Yes", "Yes"]}).to_excel(
                writer, sheet_name="Returns", index=False)
            writer.book.add_worksheet("Notes").write(0, 0, "Exported by the BI team")
    return path


@pytest.mark.parametrize(("title", "total", "offset"), [(True, True, 0), (False, False, 0), (True, True, 2),
                                                        (False, True, 1)])
def test_the_table_is_found_below_a_title_and_without_its_total_row(tmp_path: Path, title: bool, total: bool,
                                                                     offset: int) -> None:
    tables = read_workbook(_report(tmp_path / "r.xlsx", title=title, total=total, offset=offset))
    assert [t.sheet for t in tables] == ["Orders", "Returns"]  # the notes page holds no table
    orders = tables[0]
    assert orders.columns == tuple(ORDERS.columns)
    assert orders.kinds == ("VARCHAR", "DATE", "VARCHAR", "VARCHAR", "DOUBLE", "BIGINT")
    assert orders.rows == len(ORDERS)
    assert orders.dropped_totals == (1 if total else 0)
    assert sum(orders.values[4]) == pytest.approx(ORDERS["Sales"].sum())


def test_a_sheet_without_a_text_header_gets_numbered_columns_and_mixed_columns_stay_text() -> None:
    cells = [[1, 2.5, "a"], [2, 3.5, 7], [3, None, "c"]]
    table = sheet_table("Sheet1", cells)
    assert table is not None
    assert table.columns == ("column_1", "column_2", "column_3")
    assert table.kinds == ("BIGINT", "DOUBLE", "VARCHAR")
    assert list(table.values[2]) == ["a", "7", "c"]
    flags = sheet_table("s", [["id", "Returned", "Churn"], ["a", "Yes", "N"], ["b", None, "y"], ["c", "yes", "n"]])
    assert flags is not None and flags.kinds == ("VARCHAR", "BOOLEAN", "BOOLEAN")
    assert [list(v) for v in flags.values[1:]] == [[True, pd.NA, True], [False, True, False]]


def test_duplicate_and_blank_header_names_are_made_unique() -> None:
    table = sheet_table("s", [["Sales", "sales", None, "Date"], [1, 2, 3, dt.datetime(2024, 1, 1, 9, 30)]])
    assert table is not None
    assert table.columns == ("Sales", "sales_2", "column_3", "Date")
    assert table.kinds[3] == "TIMESTAMP"


def test_sheets_become_tables_named_after_the_sheets_or_the_file(tmp_path: Path) -> None:
    connection = open_raw(_report(tmp_path / "report.xlsx"))
    names = {r[0] for r in connection.execute("SHOW TABLES").fetchall()}
    assert names == {"Orders", "Returns"}
    total, rows = connection.execute('SELECT SUM("Sales"), COUNT(*) FROM "Orders"').fetchone() or (0, 0)
    assert (total, rows) == (pytest.approx(ORDERS["Sales"].sum()), len(ORDERS))
    single = open_raw(_report(tmp_path / "plain.xlsx", returns=False))
    assert [r[0] for r in single.execute("SHOW TABLES").fetchall()] == ["plain"]
    kinds = dict(single.execute("SELECT column_name, data_type FROM information_schema.columns").fetchall())
    assert kinds["Order Date"] == "DATE" and kinds["Quantity"] == "BIGINT"


def test_a_file_that_is_no_workbook_is_refused_with_what_to_do(tmp_path: Path) -> None:
    broken = tmp_path / "export.xlsx"
    broken.write_bytes(b"this is not a workbook")
    with pytest.raises(WarehouseError) as raised:
        open_raw(broken)
    assert "export.xlsx" in raised.value.message and "CSV" in str(raised.value.hint)
    empty = tmp_path / "empty.xlsx"
    with pd.ExcelWriter(empty, engine="xlsxwriter") as writer:
        writer.book.add_worksheet("Notes").write(0, 0, "nothing here yet")
    with pytest.raises(WarehouseError, match="no sheet with a table"):
        open_raw(empty)


def test_asking_a_workbook_answers_from_its_rows_not_its_total_row(tmp_path: Path) -> None:
    """Through the CLI, zero config: the Grand Total row would double every sum."""
    workbook = _report(tmp_path / "report.xlsx")
    done = _run(["ask", "total sales by region", "--db", str(workbook), "--json"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    got = {row[0]: row[1] for row in answer["rows"]}
    want = ORDERS.groupby("Region")["Sales"].sum().to_dict()
    assert got == pytest.approx(want)
    # the Returns sheet's Yes column is a yes/no flag, as a CSV reader takes it: the orders returned, not all
    returned = _run(["ask", "how many orders were returned", "--db", str(workbook), "--json"], tmp_path)
    assert returned.returncode == 0, returned.stderr[-2000:]
    assert json.loads(returned.stdout)["rows"] == [[2]]


def test_a_tool_reads_the_workbooks_sheet_with_the_columns_it_was_given(tmp_path: Path) -> None:
    workbook = _report(tmp_path / "report.xlsx")
    csv = tmp_path / "orders.csv"
    ORDERS.to_csv(csv, index=False)
    flags = ["--customer-column", "Customer Name", "--time-column", "Order Date", "--amount-column", "Sales",
             "--as-of", "2025-01-01", "--json"]
    from_book = _run(["tool", "rfm", "--file", str(workbook), *flags], tmp_path)
    from_csv = _run(["tool", "rfm", "--file", str(csv), *flags], tmp_path)
    assert from_book.returncode == 0, from_book.stderr[-2000:]
    assert json.loads(from_book.stdout)["rows"] == json.loads(from_csv.stdout)["rows"]
    wrong = _run(["tool", "rfm", "--file", str(workbook), "--customer-column", "Customer"], tmp_path)
    assert wrong.returncode != 0 and "did you mean 'Customer Name'" in wrong.stderr + wrong.stdout


def test_the_superstore_export_as_a_workbook_evals_like_the_csv(tmp_path: Path) -> None:
    """The same rows saved from Excel (real dates, a title row, a Grand Total row) give the CSV's answers."""
    from genbi.eval.byodata.exports import build_file

    csv = build_file("superstore", tmp_path / "csv")
    frame = open_raw(csv).execute(f'SELECT * FROM "{csv.stem}"').df()
    workbook = tmp_path / "book" / f"{csv.stem}.xlsx"
    workbook.parent.mkdir()
    with pd.ExcelWriter(workbook, engine="xlsxwriter", datetime_format="m/d/yyyy") as writer:
        frame.to_excel(writer, sheet_name="Orders", startrow=2, index=False)
        sheet = writer.sheets["Orders"]
        sheet.write(0, 0, "Superstore orders")
        sheet.write(3 + len(frame), 0, "Grand Total")
        sheet.write(3 + len(frame), list(frame.columns).index("Sales"), float(frame["Sales"].sum()))
    loaded = open_raw(workbook).execute(f'SELECT COUNT(*), SUM("Sales") FROM "{csv.stem}"').fetchone()
    assert loaded == (len(frame), pytest.approx(float(frame["Sales"].sum())))
    report = tmp_path / "report.json"
    evaluated = _run(["eval", str(CASES / "superstore"), "--db", str(workbook), "--report", str(report)], tmp_path)
    assert evaluated.returncode == 0, evaluated.stdout[-3000:] + evaluated.stderr[-2000:]
    results = json.loads(report.read_text())
    wrong = [c["id"] for c in results["cases"] if not c["ok"] and not c["declined"]]
    assert len(wrong) <= MAX_WRONG * len(results["cases"]), wrong
