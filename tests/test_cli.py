"""The ``genbi`` command line as a user meets it: real subprocesses, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

GENBI = [sys.executable, "-m", "genbi"]


def run(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "GENBI_HOME": str(home), **env}
    environment.pop("GENBI_DB", None)
    return subprocess.run([*GENBI, *args], capture_output=True, text=True, env=environment, timeout=300)


def test_version(tmp_path: Path) -> None:
    result = run(["--version"], tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("genbi ")


def test_sql_reads_and_refuses_writes(warehouse_path: Path, tmp_path: Path) -> None:
    ok = run(["sql", "SELECT COUNT(*) AS n FROM customers", "--db", str(warehouse_path), "--json"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["rows"] == [[20000]]
    refused = run(["sql", "DROP TABLE orders", "--db", str(warehouse_path)], tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.strip().startswith("error: Refused: DROP")
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sql", "SELECT 1", "--db", "/nonexistent/x.duckdb"], "No warehouse file"),
        (["ask", "revenue", "--as-of", "yesterday-ish"], "is not a date"),
        (["tool", "nope"], "Unknown tool"),
        (["tool", "rfm", "--bogus", "1"], "no option --bogus"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(args, tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_is_a_usage_error(tmp_path: Path, question: str) -> None:
    result = run(["ask", question], tmp_path)
    assert result.returncode == 2 and "the question is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_checks_warehouse_state_dir_and_fonts_with_a_fix(tmp_path: Path) -> None:
    result = run(["doctor", "--db", str(tmp_path / "missing.duckdb")], tmp_path)
    assert result.returncode == 1
    assert "FAIL warehouse" in result.stdout and "Fix:" in result.stdout
    assert "ok   state dir" in result.stdout and " fonts " in result.stdout


def test_not_a_duckdb_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    result = run(["sql", "SELECT 1", "--db", str(junk)], tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(junk) in result.stderr


def test_ask_json(warehouse_path: Path, tmp_path: Path) -> None:
    result = run(["ask", "上个月各渠道的销售额", "--db", str(warehouse_path), "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["language"] == "zh" and answer["columns"] == ["channel", "revenue"]
    assert answer["interpretation"].startswith("销售额")
    assert answer["sql"].lstrip().upper().startswith(("SELECT", "WITH"))


def test_tool_on_a_path_file(tmp_path: Path) -> None:
    paths = tmp_path / "paths.csv"
    paths.write_text(
        "path,total_conversions,total_conversion_value,total_null\n"
        "search > wechat,10,1000,5\ndisplay > search,4,300,20\nemail,6,500,3\n",
        encoding="utf-8",
    )
    result = run(["tool", "attribution", "--paths-file", str(paths), "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    credit = {row[0]: row for row in payload["rows"]}
    last_touch = payload["columns"].index("last_touch")
    assert credit["wechat"][last_touch] == 10 and credit["search"][last_touch] == 4


def test_attribution_keeps_its_journeys_and_says_so(warehouse_path: Path, tmp_path: Path) -> None:
    """The first run builds and keeps the journeys in genbi's home, the next reads them and
    says when they were built; ``--no-cache`` builds them from the warehouse (same numbers)."""
    args = ["tool", "attribution", "--db", str(warehouse_path), "--start", "2025-06-01"]
    first = run([*args, "--json"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["facts"]["journeys_kept"]["built_now"] is True
    assert list((tmp_path / "state" / "cache" / "journeys").iterdir())
    again = run(args, tmp_path, COLUMNS="200")
    assert again.returncode == 0, again.stderr
    assert "Journeys from genbi's kept journey table, built 20" in again.stdout
    direct = run([*args, "--no-cache", "--json"], tmp_path)
    assert direct.returncode == 0, direct.stderr
    facts = json.loads(direct.stdout)["facts"]
    assert "journeys_kept" not in facts
    assert facts["top_removal_effects"] == json.loads(first.stdout)["facts"]["top_removal_effects"]


def test_tool_saves_an_audience(warehouse_path: Path, tmp_path: Path) -> None:
    result = run(["tool", "rfm", "--db", str(warehouse_path), "--segment", "Champions", "--save-audience", "champs"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Saved audience 'champs'" in result.stderr


def test_tool_tables_go_through_the_formatting_layer(warehouse_path: Path, tmp_path: Path) -> None:
    """``genbi tool`` shows what the chat shows: labelled headers, money with ¥, rates as
    percentages, no raw float digits and no fact dicts."""
    env = {"COLUMNS": "200"}
    english = run(["tool", "rfm", "--db", str(warehouse_path)], tmp_path, **env)
    assert english.returncode == 0, english.stderr
    assert "Share of revenue" in english.stdout and "¥" in english.stdout and "%" in english.stdout
    chinese = run(["tool", "rfm", "--db", str(warehouse_path), "--lang", "zh"], tmp_path, **env)
    assert chinese.returncode == 0, chinese.stderr
    assert "销售额占比" in chinese.stdout and "重要价值客户" in chinese.stdout and "Champions" not in chinese.stdout
    for output in (english.stdout, chinese.stdout):
        assert not re.search(r"\d\.\d{3,}", output), output
        assert "{" not in output  # facts are sentences, not dicts


def test_tool_on_a_file_prints_formatted_credit(tmp_path: Path) -> None:
    paths = tmp_path / "paths.csv"
    paths.write_text("path,total_conversions\nsearch > wechat > email,7\ndisplay > search,3\nemail,1\n",
                     encoding="utf-8")
    result = run(["tool", "attribution", "--paths-file", str(paths)], tmp_path, COLUMNS="200")
    assert result.returncode == 0, result.stderr
    assert "Last touch" in result.stdout and "Multi-touch attribution" in result.stdout
    assert not re.search(r"\d\.\d{3,}", result.stdout), result.stdout


def test_ask_prints_formatted_numbers(warehouse_path: Path, tmp_path: Path) -> None:
    result = run(["ask", "ROAS by channel last quarter", "--db", str(warehouse_path)], tmp_path, COLUMNS="200")
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("WITH")[0].split("SELECT")[0]
    assert "×" in table and not re.search(r"\d\.\d{3,}", table), table


def test_audiences_are_listed_renamed_exported_and_deleted(warehouse_path: Path, tmp_path: Path) -> None:
    saved = run(["tool", "rfm", "--db", str(warehouse_path), "--segment", "At risk", "--save-audience", "lapsed"],
                tmp_path)
    assert saved.returncode == 0, saved.stderr
    listed = run(["audience", "list", "--lang", "zh"], tmp_path, COLUMNS="200")
    assert listed.returncode == 0 and "lapsed" in listed.stdout and "重要挽留客户" in listed.stdout, listed.stdout
    assert run(["audience", "rename", "lapsed", "win back"], tmp_path).returncode == 0
    out = tmp_path / "ids.csv"
    exported = run(["audience", "export", "win back", "--out", str(out)], tmp_path)
    assert exported.returncode == 0, exported.stderr
    ids = out.read_text(encoding="utf-8-sig").split()
    assert ids[0] == "customer_id" and len(ids) > 10 and all(i.isdigit() for i in ids[1:])
    missing = run(["audience", "delete", "lapsed"], tmp_path)
    assert missing.returncode == 1 and "win back" in missing.stdout
    assert run(["audience", "delete", "win back"], tmp_path).returncode == 0
    assert "No saved audiences" in run(["audience", "list"], tmp_path).stdout
