"""The entry point ``genbi eval`` calls: run, print, write the report, check the threshold."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from genbi.eval.cases import CaseFileError, load_cases, select_by_tags
from genbi.eval.harness import Answerer, CaseResult, run_cases
from genbi.eval.report import render_text
from genbi.eval.threshold import THRESHOLD_PATH, check_threshold, load_threshold
from genbi.semantic_layer.backends.location import is_url
from genbi.settings import DEMO_AS_OF

EXIT_PASSED = 0
EXIT_BELOW_THRESHOLD = 1
EXIT_UNUSABLE_INPUT = 2


def main_eval(
    case_paths: list[Path],
    *,
    answerer: Answerer,
    db_path: str | Path,
    report_path: Path | None,
    tags: list[str] | None,
    threshold_path: Path = THRESHOLD_PATH,
    out: TextIO | None = None,
    progress: bool = False,
    default_as_of: date | None = None,
) -> int:
    """Run the cases, print the summary, write the JSON report, return the exit code.

    ``case_paths`` may hold files and folders (a folder gives its scored ``*.jsonl``).
    Exit code 0 when accuracy is at or above the threshold, 1 below it, 2 when the case
    files, the threshold file or the warehouse cannot be used.
    """
    stream = out if out is not None else sys.stdout
    try:
        cases = select_by_tags(load_cases(case_paths), tags)
        threshold = load_threshold(threshold_beside(case_paths) or threshold_path)
    except (CaseFileError, OSError, ValueError) as exc:
        print(f"genbi eval: {exc}", file=stream)
        return EXIT_UNUSABLE_INPUT
    if not cases:
        print(
            f"genbi eval: no cases selected (tags: {', '.join(tags or []) or 'any'})", file=stream
        )
        return EXIT_UNUSABLE_INPUT
    if not is_url(db_path) and not Path(db_path).exists():
        print(f"genbi eval: warehouse not found: {db_path}", file=stream)
        return EXIT_UNUSABLE_INPUT

    def show(result: CaseResult) -> None:
        mark = "." if result.ok else ("E" if result.error else "F")
        print(mark, end="", file=stream, flush=True)

    report = run_cases(
        cases, answerer=answerer, db_path=db_path, on_case=show if progress else None,
        default_as_of=default_as_of or DEMO_AS_OF,
    )
    if progress:
        print(file=stream)
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
        report_path.write_text(text + "\n", encoding="utf-8")
    print(render_text(report), file=stream)
    check = check_threshold(report, threshold)
    print(check.message, file=stream)
    if report_path is not None:
        print(f"report: {report_path}", file=stream)
    return EXIT_PASSED if check.passed else EXIT_BELOW_THRESHOLD


def threshold_beside(case_paths: list[Path]) -> Path | None:
    """A ``threshold.json`` in the folder of the case files, when they all share one (case
    sets for other warehouses carry their own bar; the demo's is ``eval/threshold.json``)."""
    folders = {(p if p.is_dir() else p.parent).resolve() for p in case_paths}
    if len(folders) != 1:
        return None
    found = next(iter(folders)) / "threshold.json"
    return found if found.is_file() else None
