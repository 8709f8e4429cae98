"""Run the byo9 blind questions through the CLI as a user would (``genbi ask --db PATH --json``)
and score each: right / wrong (silently) / declined / crash; a question the data cannot answer is
right when declined and wrong when answered with a number. Then run each dataset's tools
(``genbi tool NAME --db PATH``): a tool must run or say why not, never a traceback.

    python tests/byo9_run_blind.py OUTDIR [dataset ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import byo8_run_blind
import byo9_blind_questions as blind
import byo9_public_datasets as datasets

GENBI = str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "genbi")
BLANK = {None, "", "none", "null", "nan", "(blank)", "(null)"}


def verdict(answer: dict[str, Any], want: Any) -> tuple[str, str]:
    """byo8's verdict; a blank group shown beside the expected ones (pandas leaves it out) is no
    difference."""
    if isinstance(want, dict) and not any(str(k).lower() in BLANK for k in want):
        rows = [row for row in answer.get("rows") or [] if not row or (str(row[0]).strip().lower() not in BLANK
                and row[0] is not None)]
        answer = {**answer, "rows": rows}
    if isinstance(want, dict) and want and all(isinstance(k, int) and 1900 <= k <= 2100 for k in want):
        # a year shown as its first day ('2016-01-01' for 2016) is that year
        answer = {**answer, "rows": [[_year(row[0]), *row[1:]] if row else row for row in answer.get("rows") or []]}
    return byo8_run_blind.verdict(answer, want)


def _year(key: Any) -> Any:
    text = str(key)
    return int(text[:4]) if len(text) >= 10 and text[4] == "-" and text[5:10] == "01-01" else key


def run(name: str, out: Path) -> list[dict[str, Any]]:
    path, clean = datasets.build(name, out / "data")
    results = []
    for question, want in blind.expected(name, clean):
        proc = subprocess.run([GENBI, "ask", "--db", str(path), "--json", "--no-cache", question],
                              capture_output=True, text=True, env=os.environ.copy(), timeout=300)
        if proc.returncode != 0 or "Traceback" in proc.stderr:
            judged, detail = "crash", (proc.stderr or proc.stdout)[-300:]
            answer: dict[str, Any] = {}
        else:
            answer = json.loads(proc.stdout)
            judged, detail = verdict(answer, want)
        results.append({"question": question, "verdict": judged, "detail": detail,
                        "interpretation": answer.get("interpretation", ""), "sql": answer.get("sql")})
        print(f"{name:12} {judged:9} {question} | {detail[:160]}", flush=True)
    for tool in blind.TOOLS[name]:
        proc = subprocess.run([GENBI, "tool", tool, "--db", str(path)], capture_output=True, text=True,
                              env=os.environ.copy(), timeout=600)
        crashed = "Traceback" in proc.stderr or "Traceback" in proc.stdout
        text = (proc.stdout + proc.stderr).strip().replace("\n", " / ")
        results.append({"tool": tool, "verdict": "crash" if crashed else f"rc={proc.returncode}", "detail": text[:400]})
        print(f"{name:12} tool {tool:16} rc={proc.returncode} {'CRASH ' if crashed else ''}| {text[:220]}", flush=True)
    return results


if __name__ == "__main__":
    target = Path(sys.argv[1])
    names = sys.argv[2:] or list(blind.QUESTIONS)
    report = {name: run(name, target) for name in names}
    for name, results in report.items():
        tally: dict[str, int] = {}
        for result in results:
            if "question" in result:
                tally[result["verdict"]] = tally.get(result["verdict"], 0) + 1
        print(name, tally)
    suffix = "-".join(names) if sys.argv[2:] else "all"
    (target / f"report-{suffix}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
