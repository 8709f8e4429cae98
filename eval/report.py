"""Scored cases, the run's summary, the JSON report and the plain-text summary a person reads."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from genbi.assistant.answer import Answer
from genbi.eval.cases import EvalCase
from genbi.eval.compare import normalize

SHOWN_ROWS = 3
"""Rows of expected and actual results printed per miss."""


@dataclass(frozen=True)
class ResultTable:
    """Columns and rows of one result set."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class CaseResult:
    """How the answerer did on one case."""

    case: EvalCase
    ok: bool
    answer: Answer | None = None
    """The answer to the scored question; None when the answerer raised."""
    error: str | None = None
    """An exception in the answerer (or a broken gold query); None otherwise."""
    reason: str = ""
    """Why the answer was scored wrong, e.g. "rows differ" or "declined"."""
    expected: ResultTable | None = None
    """The gold result (cases with gold SQL)."""
    latency_ms: float | None = None
    """Time to answer the scored question (context questions excluded)."""
    gold_error: bool = False
    """The gold SQL itself failed: a broken case, not an answerer miss."""


@dataclass(frozen=True)
class EvalReport:
    """A whole run: the summary and every case's result."""

    summary: dict[str, Any]
    results: tuple[CaseResult, ...]

    @property
    def cases(self) -> tuple[CaseResult, ...]:
        """Every case's result, in run order (same as ``results``)."""
        return self.results

    @property
    def accuracy(self) -> float:
        return float(self.summary["accuracy"])

    @property
    def misses(self) -> tuple[CaseResult, ...]:
        return tuple(result for result in self.results if not result.ok)

    def to_json(self) -> dict[str, Any]:
        """The report file's content (``genbi eval --report``)."""
        return {"summary": self.summary, "cases": [case_json(r) for r in self.results]}


# ---------------------------------------------------------------- summary


def summarize(results: Sequence[CaseResult]) -> dict[str, Any]:
    """Execution accuracy overall, per language and per tag; latency; who answered."""
    by_lang: dict[str, list[bool]] = defaultdict(list)
    by_tag: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        by_lang[result.case.lang].append(result.ok)
        for tag in result.case.tags:
            by_tag[tag].append(result.ok)
    declines = [r.ok for r in results if r.case.expect_decline]
    latencies = [r.latency_ms for r in results if r.latency_ms is not None]
    brains = Counter(r.answer.brain for r in results if r.answer is not None)
    return {
        **_tally([r.ok for r in results]),
        "errors": sum(1 for r in results if r.error and not r.gold_error),
        "gold_errors": sum(1 for r in results if r.gold_error),
        "declined": sum(1 for r in results if r.answer is not None and r.answer.declined),
        "answered_wrong": sum(1 for r in results if answered_wrong(r)),
        "decline_cases": _tally(declines),
        "by_lang": {lang: _tally(oks) for lang, oks in sorted(by_lang.items())},
        "by_tag": {tag: _tally(oks) for tag, oks in sorted(by_tag.items())},
        "latency_ms": {
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "max": round(max(latencies), 1) if latencies else None,
        },
        "brains": dict(sorted(brains.items())),
        "llm_calls": _llm_calls(results),
    }


def _llm_calls(results: Sequence[CaseResult]) -> dict[str, Any]:
    """LLM requests behind the scored answers: in total and per question (0 offline)."""
    calls = [r.answer.usage.llm_calls if r.answer is not None and r.answer.usage is not None else 0
             for r in results]
    return {"total": sum(calls), "per_question": round(sum(calls) / len(calls), 3) if calls else 0.0,
            "questions_with_calls": sum(1 for c in calls if c)}


def answered_wrong(result: CaseResult) -> bool:
    """Answered, and wrong: a confident wrong number, or an answer where a decline was right
    (the worst outcome; a decline at least says it did not know)."""
    return not result.ok and not result.error and result.answer is not None and not result.answer.declined


def _tally(oks: Sequence[bool]) -> dict[str, Any]:
    passed = sum(oks)
    return {
        "cases": len(oks),
        "passed": passed,
        "accuracy": round(passed / len(oks), 4) if oks else 0.0,
    }


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile, rounded to 0.1 ms; None for no values.

    >>> percentile([10.0, 20.0, 30.0, 40.0], 50), percentile([10.0, 20.0, 30.0, 40.0], 95)
    (20.0, 40.0)
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return round(ordered[rank - 1], 1)


# ---------------------------------------------------------------- JSON


def case_json(result: CaseResult) -> dict[str, Any]:
    """One case of the report; ``expected`` only for misses."""
    answer = result.answer
    entry: dict[str, Any] = {
        "id": result.case.id,
        "question": result.case.question,
        "lang": result.case.lang,
        "tags": list(result.case.tags),
        "sql": answer.sql if answer else None,
        "columns": list(answer.columns) if answer else [],
        "rows": json_rows(answer.rows) if answer else [],
        "declined": answer.declined if answer else False,
        "ok": result.ok,
        "error": result.error,
        "reason": result.reason,
        "latency_ms": round(result.latency_ms, 1) if result.latency_ms is not None else None,
        "brain": answer.brain if answer else None,
        "route": answer.route if answer else "",
        "llm_calls": answer.usage.llm_calls if answer is not None and answer.usage is not None else 0,
    }
    if not result.ok and result.expected is not None:
        entry["expected"] = {
            "columns": list(result.expected.columns),
            "rows": json_rows(result.expected.rows),
        }
    return entry


def json_rows(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """Rows as JSON values: dates as ISO strings, numbers as numbers, NaN as null."""
    return [[json_value(value) for value in row] for row in rows]


def json_value(value: Any) -> Any:
    """One value as JSON: ISO strings for temporal values, null for NaN and infinities.

    >>> json_value(date(2025, 3, 1)), json_value(1.5), json_value(float("nan"))
    ('2025-03-01', 1.5, None)
    """
    if isinstance(value, date | time):
        return value.isoformat()
    value = normalize(value) if not isinstance(value, str | bool | int) else value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------- text


def render_text(report: EvalReport, *, shown_rows: int = SHOWN_ROWS) -> str:
    """A plain-text summary table, then every miss with expected vs got (first rows)."""
    summary = report.summary
    lines = [_table(summary)]
    latency = summary["latency_ms"]
    lines.append(f"latency: p50 {_ms(latency['p50'])}, p95 {_ms(latency['p95'])}")
    brains = ", ".join(f"{name} ({n})" for name, n in summary["brains"].items()) or "none"
    lines.append(f"answered by: {brains}")
    calls = summary.get("llm_calls") or {}
    if calls.get("total"):
        lines.append(f"LLM calls: {calls['total']} ({calls['per_question']:.2f} per question, "
                     f"{calls['questions_with_calls']} questions)")
    lines.append(f"answered wrong (not declined): {summary['answered_wrong']}")
    if summary["errors"] or summary["gold_errors"]:
        lines.append(f"errors: {summary['errors']} answerer, {summary['gold_errors']} gold SQL")
    misses = report.misses
    if misses:
        lines.append("")
        lines.append(f"Misses ({len(misses)}):")
        for result in misses:
            lines.extend(_miss_lines(result, shown_rows))
    return "\n".join(lines)


def _table(summary: dict[str, Any]) -> str:
    rows: list[tuple[str, dict[str, Any]]] = [("overall", summary)]
    rows += [(f"lang {lang}", tally) for lang, tally in summary["by_lang"].items()]
    if summary["decline_cases"]["cases"]:
        rows.append(("declines", summary["decline_cases"]))
    rows += [(f"tag {tag}", tally) for tag, tally in summary["by_tag"].items()]
    width = max(len(name) for name, _ in rows)
    out = [f"{'':<{width}}  {'cases':>6}  {'passed':>6}  {'accuracy':>8}"]
    for name, tally in rows:
        out.append(
            f"{name:<{width}}  {tally['cases']:>6}  {tally['passed']:>6}  "
            f"{tally['accuracy'] * 100:>7.1f}%"
        )
    return "\n".join(out)


def _miss_lines(result: CaseResult, shown_rows: int) -> list[str]:
    case = result.case
    why = result.error or result.reason or "wrong"
    lines = [f"- [{case.id}] {case.question}", f"    why:      {why}"]
    if case.context:
        lines.append(f"    context:  {' → '.join(case.context)}")
    if result.expected is not None:
        lines.append(
            f"    expected: {_preview(result.expected.columns, result.expected.rows, shown_rows)}"
        )
    elif case.expect_decline:
        lines.append("    expected: a decline")
    answer = result.answer
    if answer is not None:
        got = "declined" if answer.declined else _preview(answer.columns, answer.rows, shown_rows)
        lines.append(f"    got:      {got}")
        if answer.sql:
            lines.append(f"    sql:      {' '.join(answer.sql.split())}")
    return lines


def _preview(columns: Sequence[str], rows: Sequence[Sequence[Any]], shown: int) -> str:
    head = " | ".join(columns)
    body = "; ".join(" | ".join(_cell(v) for v in row) for row in rows[:shown])
    more = f" … (+{len(rows) - shown} rows)" if len(rows) > shown else ""
    return f"[{head}] {body}{more} ({len(rows)} rows)" if rows else f"[{head}] (no rows)"


def _cell(value: Any) -> str:
    value = json_value(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return "NULL" if value is None else str(value)


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"
