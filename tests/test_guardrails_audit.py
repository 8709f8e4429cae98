"""The audit log: one masked JSON line per question, whatever happened; ``genbi audit tail``."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.audit import AuditLog, format_record
from genbi.assistant.service import Assistant


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("audit-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(folder))
        for name in ("GENBI_ROLE", "GENBI_ROLES", "GENBI_AUDIT_LOG", "GENBI_LLM_MODEL"):
            patch.delenv(name, raising=False)
        yield folder


@pytest.fixture(scope="module")
def assistant(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    from genbi.demo import generate_warehouse

    path = tmp_path_factory.mktemp("audit-warehouse") / "w.duckdb"
    generate_warehouse(path, customers=300, seed=7)
    opened = Assistant.open(path, llm=False)
    yield opened
    opened.close()


def ask(assistant: Assistant, question: str, user: str = "ui:abc") -> dict[str, object]:
    assistant.answer(AnswerRequest(question, session_id="s-audit", user=user))
    return AuditLog().tail(1)[0]


def test_an_answer_is_one_record_with_who_what_and_how(assistant: Assistant, home: Path) -> None:
    record = ask(assistant, "revenue by channel in 2025", user="slack:T0:U0ANA")
    assert AuditLog().path == home / "state" / "logs" / "audit.jsonl"
    assert record["user"] == "slack:T0:U0ANA" and record["session"] == "s-audit" and record["role"] == "marketer"
    assert record["question"] == "revenue by channel in 2025" and record["outcome"] == "answered"
    assert record["brain"] == "offline planner" and record["language"] == "en"
    assert record["plan"]["spec"]["metrics"] == ["revenue"]  # type: ignore[index]
    assert str(record["sql"]).lstrip().startswith("SELECT") and record["rows"] == 9
    assert isinstance(record["duration_ms"], float) and str(record["ts"]).endswith("Z")


@pytest.mark.parametrize(("question", "outcome"), [
    ("what is the weather tomorrow", "declined"),
    ("RFM analysis", "answered"),
])
def test_outcomes(assistant: Assistant, question: str, outcome: str) -> None:
    record = ask(assistant, question)
    assert record["outcome"] == outcome
    if question.startswith("RFM"):
        assert record["plan"] == {"tool": "rfm", "arguments": {"as_of": "2025-12-31"}}


def test_personal_data_in_a_question_is_masked(assistant: Assistant) -> None:
    record = ask(assistant, "orders of 13812345678 and wang.fang@example.com")
    assert "13812345678" not in json.dumps(record) and "wang.fang@example.com" not in json.dumps(record)
    assert "138****5678" in str(record["question"]) and "w***@example.com" in str(record["question"])


def test_a_huge_question_is_cut_with_its_length_and_hash(assistant: Assistant) -> None:
    question = "revenue " * 20_000
    record = ask(assistant, question)
    assert len(str(record["question"])) == 2_000 and record["question_chars"] == len(question)
    assert len(str(record["question_sha256"])) == 64


def test_an_internal_error_is_audited_and_raised(assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(assistant.planner, "plan", explode)
    with pytest.raises(RuntimeError):
        assistant.answer(AnswerRequest("revenue", user="ui:err"))
    record = AuditLog().tail(1)[0]
    assert record["outcome"] == "internal_error" and record["reason"] == "RuntimeError"


def test_an_unwritable_log_never_breaks_an_answer(assistant: Assistant, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("GENBI_AUDIT_LOG", str(blocked / "audit.jsonl"))
    answer = assistant.answer(AnswerRequest("revenue in 2025", user="ui:x"))
    assert answer.rows


def test_concurrent_answers_write_whole_lines(assistant: Assistant, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENBI_AUDIT_LOG", str(tmp_path / "audit.jsonl"))

    def work(n: int) -> None:
        for i in range(5):
            assistant.answer(AnswerRequest("orders by channel in 2025", session_id=f"t{n}-{i}", user=f"ui:{n}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30 and all(json.loads(line)["outcome"] == "answered" for line in lines)


def test_genbi_audit_tail(assistant: Assistant, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    from genbi.cli import main

    ask(assistant, "orders in 2025", user="slack:T0:U0BOB")

    def tail(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["genbi", "audit", "tail", *args])
        with pytest.raises(SystemExit) as stopped:
            main()
        return int(stopped.value.code or 0), capsys.readouterr().out

    code, out = tail("-n", "2")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2
    assert "slack:T0:U0BOB (marketer)  answered · 1 rows" in lines[-1] and "'orders in 2025'" in lines[-1]
    code, out = tail("-n", "1", "--json")
    assert json.loads(out)["user"] == "slack:T0:U0BOB"
    assert format_record({"outcome": "refused", "sql": "DROP TABLE x", "reason": "Refused: DROP"}).count("Refused") == 1


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl", max_bytes=400, backups=2)
    for number in range(40):
        log.append({"n": number, "question": "revenue by channel in 2025 " * 2})
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]
    assert all(p.stat().st_size < 400 + 200 for p in tmp_path.iterdir())
    kept = [json.loads(line)["n"] for name in ("audit.jsonl.2", "audit.jsonl.1", "audit.jsonl")
            for line in (tmp_path / name).read_text(encoding="utf-8").splitlines()]
    assert kept == list(range(kept[0], 40)), "the newest records, in order, none lost between files"
    assert log.tail(1)[0]["n"] == 39


def test_personal_data_anywhere_in_a_record_is_masked_once_more(tmp_path: Path) -> None:
    """A record is looked at whole (one check of all its texts); personal data in any of its
    free-text values, however deep, is masked, ids and numbers stay as they are."""
    log = AuditLog(tmp_path / "audit.jsonl")
    clean = {"ts": "2026-01-05T09:14:03.512Z", "session": "slack:13812345678", "question": "revenue",
             "plan": {"spec": {"metrics": ["revenue"], "filters": [{"values": ["tmall", "jd"]}]}},
             "sql": "SELECT 1", "rows": 3, "duration_ms": 1.5}
    dirty = [("question", "mail bob@corp.cn"), ("sql", "SELECT '13812345678'"), ("reason", "bob at corp dot cn"),
             ("plan", {"tool": "copy", "arguments": {"to": ["x", ("call +44 20 7946 0958",)]}})]
    log.append(clean)
    for key, value in dirty:
        log.append({**clean, key: value})
    records = log.tail(10)
    assert records[0] == clean  # the session id looks like a phone number: an id, kept
    text = json.dumps(records[1:], ensure_ascii=False)
    assert not any(raw in text for raw in ("bob@", "bob at", "13812345678'", "7946 0958")), text
    assert all(record["session"] == "slack:13812345678" for record in records)


def test_the_log_is_created_as_open_would_create_it(tmp_path: Path) -> None:
    """Records are appended with one system call; the file gets the mode ``open(path, "a")`` gives."""
    AuditLog(tmp_path / "logs" / "audit.jsonl").append({"question": "revenue"})
    (tmp_path / "plain.txt").open("a").close()
    assert (tmp_path / "logs" / "audit.jsonl").stat().st_mode == (tmp_path / "plain.txt").stat().st_mode
