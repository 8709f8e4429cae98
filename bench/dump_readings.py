"""Every eval question's reading by the offline planner, as text, to compare before and after
a change meant to make planning faster without changing what it reads.

    .venv/bin/python bench/dump_readings.py --db /tmp/demo.duckdb > /tmp/before.txt
    (change the planner)
    .venv/bin/python bench/dump_readings.py --db /tmp/demo.duckdb > /tmp/after.txt
    diff /tmp/before.txt /tmp/after.txt

Each case of ``eval/cases`` and ``eval/heldout`` (their ``train.jsonl`` too) is asked as ``genbi eval`` asks it (its
context questions first, in one conversation, on its ``as_of``); every call of
``OfflinePlanner.plan`` the answers make is written with its arguments and its whole result
(spec, notes, decline, suggestions, tool call, choices and the ``Reading``). The planner's
memo of questions is bypassed, so every call reads afresh.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from genbi.assistant import AnswerRequest, Assistant
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.eval.cases import load_cases
from genbi.settings import DEMO_AS_OF

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/demo.duckdb")
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "eval/cases"), str(ROOT / "eval/heldout")])
    args = parser.parse_args()
    out = sys.stdout
    plan = OfflinePlanner.plan
    calls: list[str] = []

    def recorded(self: OfflinePlanner, question: str, **kwargs: Any) -> Any:
        result = plan(self, question, **kwargs)
        calls.append(f"  plan({question!r}, {sorted(kwargs.items())!r})\n    -> {result!r}\n"
                     f"    reading {result.reading!r}\n")
        return result

    OfflinePlanner.plan = recorded  # type: ignore[method-assign]
    os.environ["GENBI_HOME"] = tempfile.mkdtemp(prefix="genbi-dump-home-")
    assistant = Assistant.open(args.db, llm=False)
    files = [f for p in map(Path, args.paths) for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])]
    cases = load_cases(files)
    for number, case in enumerate(cases):
        as_of = case.as_of or DEMO_AS_OF
        session = f"dump-{number}"
        for question in (*case.context, case.question):
            assistant._plans.clear()
            calls.clear()
            try:
                answer = assistant.answer(AnswerRequest(question=question, session_id=session, as_of=as_of))
                outcome = f"sql={answer.sql!r} declined={answer.declined}"
            except Exception as exc:  # written down, compared
                outcome = f"raised {type(exc).__name__}: {exc}"
            out.write(f"{case.id} | {question!r} | {as_of}\n{''.join(calls)}  {outcome}\n")
    assistant.close()


if __name__ == "__main__":
    main()
