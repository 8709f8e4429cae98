"""Run evaluation cases through an answerer and score each answer against its gold result.

The answerer is anything with ``answer(AnswerRequest) -> Answer`` — genbi's ``Assistant`` in
production, a fake in tests. Gold SQL runs on a read-only connection to the same warehouse
the answerer reads, so both sides see the same rows.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

import duckdb

from genbi.assistant.answer import Answer, AnswerRequest
from genbi.errors import GenbiError
from genbi.eval.cases import EvalCase, load_cases, select_by_tags
from genbi.eval.compare import compare_results
from genbi.eval.report import CaseResult, EvalReport, ResultTable, summarize
from genbi.semantic_layer.warehouse import Warehouse
from genbi.settings import DEMO_AS_OF


class Answerer(Protocol):
    """What the harness needs from the assistant: one answer per request."""

    def answer(self, request: AnswerRequest) -> Answer: ...


def connect_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with external access off, exactly as genbi's warehouse client
    opens it (so both can be open in one process)."""
    from genbi.semantic_layer.sources import is_file_source, open_raw
    from genbi.semantic_layer.warehouse import connect_read_only as locked

    return open_raw(db_path) if is_file_source(db_path) else locked(db_path)


GOLD_ROW_CAP = 10_000_000


class GoldRunner:
    """Runs gold SQL (DuckDB's dialect) read-only on the warehouse: a DuckDB file directly,
    a server through the warehouse seam, translated to its dialect."""

    def __init__(self, db_path: str | Path) -> None:
        from genbi.semantic_layer.backends.location import is_url

        self._connection: duckdb.DuckDBPyConnection | None = None
        self._warehouse: Warehouse | None = None
        if is_url(db_path):
            self._warehouse = Warehouse.open(db_path, row_cap=GOLD_ROW_CAP, timeout_s=600)
        else:
            self._connection = connect_read_only(Path(db_path))

    def run(self, sql: str) -> ResultTable:
        if self._warehouse is not None:
            result = self._warehouse.run(sql)
            return ResultTable(tuple(result.columns), tuple(result.rows))
        assert self._connection is not None
        cursor = self._connection.execute(sql)
        columns = tuple(str(d[0]) for d in cursor.description or ())
        return ResultTable(columns, tuple(tuple(row) for row in cursor.fetchall()))

    def close(self) -> None:
        if self._warehouse is not None:
            self._warehouse.close()
        if self._connection is not None:
            self._connection.close()

    def __enter__(self) -> GoldRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def run_eval(
    case_files: Iterable[Path],
    *,
    answerer: Answerer,
    db_path: str | Path,
    tags: Sequence[str] | None = None,
    default_as_of: date = DEMO_AS_OF,
    on_case: Callable[[CaseResult], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> EvalReport:
    """Ask every case (optionally only those with one of ``tags``) and score the answers.

    Raises ``CaseFileError`` for unusable case files; an answerer that raises only fails
    its own case.
    """
    cases = select_by_tags(load_cases(case_files), tags)
    return run_cases(
        cases,
        answerer=answerer,
        db_path=db_path,
        default_as_of=default_as_of,
        on_case=on_case,
        clock=clock,
    )


def run_cases(
    cases: Sequence[EvalCase],
    *,
    answerer: Answerer,
    db_path: str | Path,
    default_as_of: date = DEMO_AS_OF,
    on_case: Callable[[CaseResult], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> EvalReport:
    """``run_eval`` over cases already loaded."""
    results = []
    with GoldRunner(db_path) as gold:
        for case in cases:
            result = run_case(
                case, answerer=answerer, gold=gold, default_as_of=default_as_of, clock=clock
            )
            results.append(result)
            if on_case is not None:
                on_case(result)
    return EvalReport(summary=summarize(results), results=tuple(results))


def run_case(
    case: EvalCase,
    *,
    answerer: Answerer,
    gold: GoldRunner,
    default_as_of: date = DEMO_AS_OF,
    clock: Callable[[], float] = time.perf_counter,
) -> CaseResult:
    """One case in its own conversation: context questions first, then the scored one."""
    expected = None
    if case.gold_sql:
        try:
            expected = gold.run(case.gold_sql)
        except (duckdb.Error, GenbiError) as exc:
            return CaseResult(case, ok=False, error=f"gold SQL failed: {exc}", gold_error=True)
    session_id = f"eval-{case.id}-{uuid.uuid4().hex[:8]}"
    as_of = case.as_of or default_as_of
    for position, question in enumerate(case.context, start=1):
        try:
            answerer.answer(AnswerRequest(question=question, session_id=session_id, as_of=as_of))
        except Exception as exc:  # an answerer bug fails this case, never the run
            error = f"context question {position} raised {type(exc).__name__}: {exc}"
            return CaseResult(case, ok=False, error=error, expected=expected)
    started = clock()
    try:
        answer = answerer.answer(
            AnswerRequest(question=case.question, session_id=session_id, as_of=as_of)
        )
    except Exception as exc:  # an answerer bug fails this case, never the run
        latency = (clock() - started) * 1000
        error = f"{type(exc).__name__}: {exc}"
        return CaseResult(case, ok=False, error=error, expected=expected, latency_ms=latency)
    latency = (clock() - started) * 1000
    ok, reason = score(case, answer, expected)
    return CaseResult(
        case, ok=ok, answer=answer, reason=reason, expected=expected, latency_ms=latency
    )


def score(case: EvalCase, answer: Answer, expected: ResultTable | None) -> tuple[bool, str]:
    """Whether ``answer`` is right for ``case``, and why not."""
    if case.expect_decline:
        return (True, "") if answer.declined else (False, "answered a question it should decline")
    if answer.declined:
        reason = answer.decline.reason if answer.decline else ""
        return False, f"declined: {reason}" if reason else "declined"
    if case.expect_tool:
        called = answer.tool_call.name if answer.tool_call else None
        if called != case.expect_tool:
            return False, f"expected tool {case.expect_tool!r}, got {called!r}"
    if expected is None:
        return True, ""
    verdict = compare_results(
        expected.columns, expected.rows, answer.columns, answer.rows, ordered=case.ordered
    )
    if not verdict.ok and answer.truncated:
        return False, f"{verdict.reason} (the answer was truncated)"
    return verdict.ok, verdict.reason
