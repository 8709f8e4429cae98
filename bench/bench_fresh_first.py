"""The first answer of a freshly started front end: a new process opens its assistant, readies
it as ``genbi ui`` / the Slack bot do (``assistant.runtime.ready``: warm-up, then the heap
settled; a checkout without ``ready`` settles the heap only), then answers one question.

    .venv/bin/python bench/bench_fresh_first.py --db /tmp/demo1m.duckdb --repeat 3

Per question, the median over ``--repeat`` processes of the answer's wall and CPU time (the
process's CPU, DuckDB's threads included) and of the time readying took (wall and CPU). The raw query
is not subtracted: on a fresh process DuckDB also reads the data for the first time, on both
sides.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

QUESTIONS = ("tmall vs jd orders last month", "revenue on 双11 2025 by sales channel", "total revenue in 2025",
             "上个月各渠道的销售额")

CHILD = """
import json, sys, time
from genbi.assistant import AnswerRequest, Assistant
try:
    from genbi.assistant.runtime import ready
except ImportError:
    from genbi.assistant.runtime import settle_heap
    def ready(assistant):
        settle_heap()
assistant = Assistant.open(sys.argv[1], llm=False)
started, used = time.perf_counter(), time.process_time()
ready(assistant)
readied, readied_cpu = time.perf_counter() - started, time.process_time() - used
started, used = time.perf_counter(), time.process_time()
assistant.answer(AnswerRequest(sys.argv[2], session_id="fresh", use_cache=False))
print(json.dumps({"ready_ms": readied * 1000, "ready_cpu_ms": readied_cpu * 1000, "wall_ms": (time.perf_counter() - started) * 1000,
                  "cpu_ms": (time.process_time() - used) * 1000}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'question':<42}{'answer wall':>12}{'answer CPU':>12}{'ready wall':>12}{'ready CPU':>11}")
    for question in QUESTIONS:
        runs = [json.loads(subprocess.run([sys.executable, "-c", CHILD, str(args.db), question], check=True,
                                          capture_output=True, text=True).stdout.strip().splitlines()[-1])
                for _ in range(args.repeat)]
        wall, cpu, ready, ready_cpu = (statistics.median(run[key] for run in runs)
                                       for key in ("wall_ms", "cpu_ms", "ready_ms", "ready_cpu_ms"))
        print(f"{question[:41]:<42}{wall:>9.1f} ms{cpu:>9.1f} ms{ready:>9.0f} ms{ready_cpu:>8.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
