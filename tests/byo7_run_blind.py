"""Run the byo7 blind questions through the CLI as a user would (``genbi ask --db FILE --json``)
and score each: right / wrong (silently) / declined / crash.

    python tests/byo7_run_blind.py OUTDIR [dataset ...]
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import byo7_blind_questions as blind
import byo_public_datasets as datasets

GENBI = str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "genbi")


def _key(value: Any) -> str:
    text = str(value).strip().lower()
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


def run(name: str, out: Path) -> list[dict[str, Any]]:
    path, clean = datasets.build(name, out / "data")
    results = []
    for question, want in blind.expected(name, clean):
        proc = subprocess.run([GENBI, "ask", "--db", str(path), "--json", "--no-cache", question],
                              capture_output=True, text=True, env=os.environ.copy(), timeout=300)
        if proc.returncode != 0 or "Traceback" in proc.stderr:
            verdict, detail = "crash", (proc.stderr or proc.stdout)[-300:]
            answer: dict[str, Any] = {}
        else:
            answer = json.loads(proc.stdout)
            verdict, detail = score(answer, want)
        results.append({"question": question, "verdict": verdict, "detail": detail,
                        "interpretation": answer.get("interpretation", ""), "sql": answer.get("sql")})
        print(f"{name:12} {verdict:9} {question} | {detail[:160]}", flush=True)
    return results


if __name__ == "__main__":
    target = Path(sys.argv[1])
    names = sys.argv[2:] or list(blind.QUESTIONS)
    report = {name: run(name, target) for name in names}
    for name, results in report.items():
        tally: dict[str, int] = {}
        for result in results:
            tally[result["verdict"]] = tally.get(result["verdict"], 0) + 1
        print(name, tally)
    (target / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
