"""The result cache: repeated questions answer from it, never stale, never another role's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from guardrails_support import build_attack_warehouse, leaks

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.semantic_layer.fingerprint import fingerprint
from genbi.semantic_layer.guard import SqlPolicy
from genbi.semantic_layer.result import ResultTable
from genbi.semantic_layer.result_cache import CacheKey, ResultCache, run_cached


def table(*rows: tuple[Any, ...]) -> ResultTable:
    return ResultTable(columns=("a", "b"), rows=tuple(rows), truncated=False, row_count=len(rows),
                       elapsed_ms=1.0, sql="SELECT 1", types=("X", "Y"))


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class CountingRunner:
    """Anything that runs SQL: counts the statements that really ran."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.row_cap = 100
        self.ran: list[str] = []

    def run(self, sql: str, *, policy: SqlPolicy | None = None, built: object = None) -> ResultTable:
        self.ran.append(sql)
        return table((len(self.ran), "x"))


POLICY = SqlPolicy(columns={"orders": frozenset({"revenue"})})


def test_values_come_back_as_the_same_types(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite")
    key = CacheKey("SELECT 1", "fp", "marketer", "p", 100)
    rows = ((date(2025, 1, 2), datetime(2025, 1, 2, 3, 4, 5), Decimal("1.10")),
            (None, 1.5, "上海"), (float("nan"), timedelta(days=2, seconds=3), [1, 2]))
    cache.put(key, table(*rows))
    hit = cache.get(key)
    assert hit is not None
    assert hit.result.rows[0] == rows[0] and hit.result.rows[1] == rows[1]
    assert hit.result.rows[2][0] != hit.result.rows[2][0] and hit.result.rows[2][1:] == rows[2][1:]
    assert type(hit.result.rows[0][2]) is Decimal and type(hit.result.rows[0][0]) is date


def test_an_entry_expires_after_its_time_to_live(tmp_path: Path) -> None:
    clock = Clock()
    cache = ResultCache(tmp_path / "c.sqlite", ttl_s=60, clock=clock)
    key = CacheKey("SELECT 1", "fp", "marketer", "p", 100)
    cache.put(key, table((1, "x")))
    clock.now += 59
    assert cache.get(key) is not None
    clock.now += 2
    assert cache.get(key) is None
    assert ResultCache(tmp_path / "off.sqlite", ttl_s=0).get(key) is None  # GENBI_CACHE_TTL=0


def test_hits_only_for_the_same_sql_data_role_and_policy(tmp_path: Path) -> None:
    data = tmp_path / "w.duckdb"
    data.write_bytes(b"v1")
    runner = CountingRunner(data)
    cache = ResultCache(tmp_path / "c.sqlite")

    def run(sql: str = "SELECT 1", role: str = "marketer", policy: SqlPolicy = POLICY, use: bool = True) -> bool:
        _, hit = run_cached(runner, sql, cache=cache, role=role, policy=policy, use_cache=use)
        return hit is not None

    assert not run() and run()                          # second time: from the cache
    assert not run(role="admin") and run(role="admin")  # another role: its own entry
    assert not run(policy=POLICY.allowing_private())    # same role name, other view of the data ...
    assert not run(policy=POLICY.allowing_private())    # ... and raw personal data is never stored
    assert not run(sql="SELECT 2")
    assert not run(use=False)                           # --no-cache always runs
    os.utime(data, ns=(1, 1))                           # the data changed
    assert not run()
    assert len(runner.ran) == 7


def test_a_warehouse_without_a_fingerprint_is_never_cached(tmp_path: Path) -> None:
    runner = CountingRunner(None)  # a server warehouse
    cache = ResultCache(tmp_path / "c.sqlite")
    for _ in range(2):
        assert run_cached(runner, "SELECT 1", cache=cache, role="r", policy=POLICY)[1] is None
    assert len(runner.ran) == 2
    assert fingerprint(None) is None and fingerprint(tmp_path / "missing.duckdb") is None


def total_revenue(assistant: Assistant, session: str) -> tuple[float, Any]:
    answer = assistant.answer(AnswerRequest("total revenue in 2025", session_id=session))
    assert answer.rows and not answer.error, answer
    return float(answer.rows[0][0]), answer


def test_a_changed_warehouse_is_never_answered_from_the_cache(warehouse_path: Path, tmp_path: Path,
                                                             genbi_home: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouse_path, copy)
    assistant = Assistant.open(copy, llm=False)
    try:
        before, first = total_revenue(assistant, "a")
        again, second = total_revenue(assistant, "b")  # a repeated question
        assert first.cached_age_s is None and second.cached_age_s is not None and again == before
        assert any("From the cache" in w for w in second.warnings)
    finally:
        assistant.close()
    with duckdb.connect(str(copy)) as writer:
        writer.execute("UPDATE orders SET revenue = revenue * 2")
    assistant = Assistant.open(copy, llm=False)
    try:
        after, third = total_revenue(assistant, "c")
    finally:
        assistant.close()
    assert third.cached_age_s is None and not any("cache" in w for w in third.warnings)
    assert after == pytest.approx(before * 2)


ROLES = 'default_role: marketer\nusers:\n  "ui:boss": admin\n'


def test_another_role_never_gets_a_cached_result(tmp_path: Path, genbi_home: Path) -> None:
    attack = build_attack_warehouse(tmp_path / "attack")
    (genbi_home / "state").mkdir(parents=True, exist_ok=True)
    (genbi_home / "state" / "roles.yaml").write_text(ROLES, encoding="utf-8")
    assistant = Assistant.open(attack.path, llm=False)
    question = "revenue by campaign name in 2025"

    def ask(user: str, session: str) -> Any:
        return assistant.answer(AnswerRequest(question, session_id=session, user=user))

    try:
        boss = ask("ui:boss", "1")
        assert leaks(str(boss.rows), attack), "the admin sees the raw values (the check is not blind)"
        marketer = ask("ui:ana", "2")
        marketer_again = ask("ui:ana", "3")
        boss_again = ask("ui:boss", "4")
    finally:
        assistant.close()
    assert marketer.sql == boss.sql  # the same statement ...
    assert marketer.cached_age_s is None and not leaks(str(marketer.rows), attack)  # ... not shared
    assert marketer_again.cached_age_s is not None  # the cache is on: the marketer's own entry answers
    assert not leaks(str(marketer_again.rows), attack)
    assert boss_again.cached_age_s is None  # personal data is never stored, so the admin recomputes
    stored = (genbi_home / "state" / "cache" / "results.sqlite").read_bytes().decode("utf-8", "replace")
    assert "***" in stored  # the marketer's result is there, masked ...
    assert not leaks(stored, attack)  # ... and nothing raw


def test_cli_no_cache_and_the_note(warehouse_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "GENBI_HOME": str(tmp_path / "home")}
    env.pop("GENBI_DB", None)

    def ask(*extra: str) -> dict[str, Any]:
        done = subprocess.run([sys.executable, "-m", "genbi", "ask", "orders by city tier last month",
                               "--db", str(warehouse_path), "--json", *extra],
                              capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    first, second, fresh = ask(), ask(), ask("--no-cache")
    assert first["cached_age_s"] is None and second["cached_age_s"] is not None
    assert any("cache" in w for w in second["warnings"]) and second["rows"] == first["rows"]
    assert fresh["cached_age_s"] is None and not any("cache" in w for w in fresh["warnings"])


def test_a_statement_that_passed_for_one_policy_is_still_refused_for_another(warehouse_path: Path) -> None:
    """The guard's verdicts are remembered per statement and policy, never across policies."""
    from genbi.errors import UnsafeSQLError
    from genbi.semantic_layer.guard import model_policy
    from genbi.semantic_layer.loader import load_model
    from genbi.semantic_layer.warehouse import Warehouse

    model = load_model()
    policy = model_policy(model)
    sql = "SELECT email FROM customers ORDER BY customer_id LIMIT 1"
    with Warehouse.open(warehouse_path, allowed_tables=model.table_names) as warehouse:
        for _ in range(2):
            assert "@" in str(warehouse.run(sql, policy=policy.allowing_private()).rows)
            with pytest.raises(UnsafeSQLError, match="personal"):
                warehouse.run(sql, policy=policy)
