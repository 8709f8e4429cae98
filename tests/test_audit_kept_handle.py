"""The audit log keeps its append handle open between records, and still writes every record
to the file that is at its path now: after a rotation here or by another process, after the file
was deleted, and after close()."""

from __future__ import annotations

import json
import os
from pathlib import Path

from genbi.assistant.audit import AuditLog


def _questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_records_follow_the_file_at_the_path(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "audit.jsonl"
    log = AuditLog(path)
    log.append({"question": "one"})
    log.append({"question": "two"})
    assert _questions(path) == ["one", "two"]
    os.rename(path, tmp_path / "logs" / "moved.jsonl")  # another process rotated it
    log.append({"question": "three"})
    assert _questions(path) == ["three"]
    assert _questions(tmp_path / "logs" / "moved.jsonl") == ["one", "two"]
    path.unlink()  # deleted
    log.append({"question": "four"})
    assert _questions(path) == ["four"]
    log.close()
    log.append({"question": "five"})
    assert _questions(path) == ["four", "five"]
    log.close()


def test_one_handle_for_many_records(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append({"question": "first"})
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    for number in range(50):
        log.append({"question": f"q{number}"})
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before
    log.close()
    assert len(_questions(path)) == 51


def test_rotation_moves_the_kept_handle_to_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, max_bytes=200, backups=2)
    for number in range(20):
        log.append({"question": f"question number {number}"})
    log.close()
    kept = [path, path.with_name("audit.jsonl.1"), path.with_name("audit.jsonl.2")]
    assert all(p.exists() for p in kept) and not path.with_name("audit.jsonl.3").exists()
    assert _questions(path)[-1] == "question number 19"
    assert all(p.stat().st_size < 200 + 60 for p in kept)
