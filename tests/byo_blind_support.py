"""What every blind bring-your-own-data round shares (byo7 ... byo10): scoring an answer against
the expected answer computed in pandas, asking genbi (as a user runs it, ``genbi ask --db PATH
--json``, or in-process through the Assistant, as the CI tests do), and the runner that scores a
round's datasets: right / wrong (silently) / declined / crash.

A round is a pair of modules: ``byoN_public_datasets`` (``build(name, folder) -> (path, clean)``)
and ``byoN_blind_questions`` (``QUESTIONS``, ``TOOLS``, ``expected(name, clean)``).

    python tests/byo_blind_support.py ROUND OUTDIR [dataset ...] [--in-process]
"""

from __future__ import annotations

import importlib
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

GENBI = str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "genbi")
DECLINE = "DECLINE"
BLANK = {None, "", "none", "null", "nan", "(blank)", "(null)"}
Verdict = Callable[[dict[str, Any], Any], tuple[str, str]]


def _key(value: Any) -> str:
    text = {"true": "1", "false": "0"}.get(str(value).strip().lower(), str(value).strip().lower())  # a 0/1 flag
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        text = text[:-2]
    return text[:10] if len(text) >= 10 and text[4:5] == "-" else text


def _close(got: Any, want: float) -> bool:
    try:
        number = float(got)
    except (TypeError, ValueError):
        return False
    return any(math.isclose(number, target, rel_tol=2e-3, abs_tol=6e-3) for target in (want, want * 100))


def score(answer: dict[str, Any], expected: Any) -> tuple[str, str]:
    """byo7's scoring: one number within 0.2% (or as a percentage), or every group's number."""
    rows = answer.get("rows") or []
    if answer.get("error"):
        return "crash", str(answer["error"])[:200]
    if answer.get("declined"):
        return "declined", (answer.get("narrative") or "")[:200]
    if isinstance(expected, dict):
        want = {_key(k): v for k, v in expected.items()}
        got = {_key(row[0]): row[-1] for row in rows if len(row) > 1
               and (_key(row[0]) in want or row[-1] not in (0, None))}  # a day with none is no difference
        if set(got) == set(want) and all(_close(got[k], v) for k, v in want.items()):
            return "right", ""
        if sorted(round(float(v), 3) for v in want.values()) == sorted(
                round(float(v), 3) if isinstance(v, int | float) else -1 for v in got.values()):
            return "check", f"keys {sorted(got)[:6]}"
        return "wrong", f"got {dict(list(got.items())[:6])}"
    values = [row[-1] for row in rows]
    if len(rows) == 1 and _close(values[0], float(expected)):
        return "right", ""
    return "wrong", f"got {rows[:4]}"


def strict_verdict(answer: dict[str, Any], want: Any) -> tuple[str, str]:
    """byo8's verdict: ``score``, with a must-decline question right only when declined."""
    if want == DECLINE:
        if answer.get("error"):
            return "crash", str(answer["error"])[:200]
        if answer.get("declined"):
            return "right", ""
        return "wrong", f"answered {(answer.get('rows') or [])[:3]} for a question the data can't answer"
    if isinstance(want, dict):  # a group whose expected value is 0 may be left out ('sales' of unpaid statuses)
        shown = {_key(row[0]) for row in answer.get("rows") or [] if len(row) > 1}
        want = {k: v for k, v in want.items() if v != 0 or _key(k) in shown}
    return score(answer, want)


def verdict(answer: dict[str, Any], want: Any) -> tuple[str, str]:
    """byo9's verdict and on: ``strict_verdict``, where a blank group shown beside the expected ones
    (pandas leaves it out) is no difference, and a year shown as its first day is that year."""
    if isinstance(want, dict) and not any(str(k).lower() in BLANK for k in want):
        rows = [row for row in answer.get("rows") or [] if not row or (str(row[0]).strip().lower() not in BLANK
                and row[0] is not None)]
        answer = {**answer, "rows": rows}
    if isinstance(want, dict) and want and all(isinstance(k, int) and 1900 <= k <= 2100 for k in want):
        answer = {**answer, "rows": [[_year(row[0]), *row[1:]] if row else row for row in answer.get("rows") or []]}
    return strict_verdict(answer, want)


def _year(key: Any) -> Any:
    text = str(key)
    return int(text[:4]) if len(text) >= 10 and text[4] == "-" and text[5:10] == "01-01" else key


def ask_cli(path: Path, question: str) -> tuple[dict[str, Any], str | None]:
    """``genbi ask --db PATH --json`` as a user runs it: (the answer, or the crash's text)."""
    proc = subprocess.run([GENBI, "ask", "--db", str(path), "--json", "--no-cache", question],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    if proc.returncode != 0 or "Traceback" in proc.stderr:
        return {}, (proc.stderr or proc.stdout)[-300:]
    return json.loads(proc.stdout), None


def ask_assistant(assistant: Any, question: str) -> dict[str, Any]:
    """The same answer in-process (what the CI tests do: one Assistant per dataset)."""
    from genbi.assistant.answer import AnswerRequest

    answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
    return {"rows": [list(r) for r in answer.rows], "declined": answer.decline is not None, "error": answer.error,
            "narrative": answer.narrative, "interpretation": getattr(answer, "interpretation", ""),
            "sql": getattr(answer, "sql", None)}


def run(datasets: ModuleType, blind: ModuleType, name: str, out: Path, judge: Verdict = verdict, *,
        in_process: bool = False, tools: bool = True) -> list[dict[str, Any]]:
    """Score every blind question of dataset ``name``, then run its tools (each must run or say
    why not, never a traceback)."""
    path, clean = datasets.build(name, out / "data")
    assistant = None
    if in_process:
        from genbi.assistant.service import Assistant

        try:
            assistant = Assistant.open(path, llm=False)
        except Exception as error:  # a file genbi can't open: every question is that error
            return [{"question": q, "verdict": "declined" if want != DECLINE else "right",
                     "detail": f"could not open: {str(error)[:200]}"} for q, want in blind.expected(name, clean)]
    results = []
    for question, want in blind.expected(name, clean):
        if assistant is not None:
            try:
                answer, crash = ask_assistant(assistant, question), None
            except Exception as error:  # a crash is a verdict here
                answer, crash = {}, repr(error)[-300:]
        else:
            answer, crash = ask_cli(path, question)
        judged, detail = ("crash", crash) if crash else judge(answer, want)
        results.append({"question": question, "verdict": judged, "detail": detail,
                        "interpretation": answer.get("interpretation", ""), "sql": answer.get("sql")})
        print(f"{name:12} {judged:9} {question} | {detail[:160]}", flush=True)
    if assistant is not None:
        assistant.warehouse.close()
    for tool in getattr(blind, "TOOLS", {}).get(name, []) if tools else []:
        proc = subprocess.run([GENBI, "tool", tool, "--db", str(path)], capture_output=True, text=True,
                              env=os.environ.copy(), timeout=600)
        crashed = "Traceback" in proc.stderr or "Traceback" in proc.stdout
        text = (proc.stdout + proc.stderr).strip().replace("\n", " / ")
        results.append({"tool": tool, "verdict": "crash" if crashed else f"rc={proc.returncode}", "detail": text[:400]})
        print(f"{name:12} tool {tool:16} rc={proc.returncode} {'CRASH ' if crashed else ''}| {text[:220]}", flush=True)
    return results


def main(datasets: ModuleType, blind: ModuleType, argv: list[str], judge: Verdict = verdict) -> None:
    """``OUTDIR [dataset ...] [--in-process] [--no-tools]``: score, print the tallies, write the report."""
    flags = {a for a in argv if a.startswith("--")}
    args = [a for a in argv if not a.startswith("--")]
    target = Path(args[0])
    names = args[1:] or list(blind.QUESTIONS)
    report = {name: run(datasets, blind, name, target, judge, in_process="--in-process" in flags,
                        tools="--no-tools" not in flags) for name in names}
    for name, results in report.items():
        tally: dict[str, int] = {}
        for result in results:
            if "question" in result:
                tally[result["verdict"]] = tally.get(result["verdict"], 0) + 1
        print(name, tally)
    suffix = "-".join(names) if args[1:] else "all"
    (target / f"report-{suffix}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    round_ = sys.argv[1]
    sys.path.insert(0, str(Path(__file__).parent))
    main(importlib.import_module(f"byo{round_}_public_datasets" if round_ != "7" else "byo_public_datasets"),
         importlib.import_module(f"byo{round_}_blind_questions"), sys.argv[2:],
         {"7": score, "8": strict_verdict}.get(round_, verdict))
