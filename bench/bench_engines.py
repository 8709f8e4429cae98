"""Per engine: eval execution accuracy, suite time, and answer time as a ratio to DuckDB.

    .venv/bin/python bench/bench_engines.py [--postgres URL] [--spark URL] [--spark-share 3]

Without URLs it starts a private Postgres and a Spark Connect server (tests/servers.py, the
software from scripts/install-servers.sh), loads the demo warehouse into each and stops them.
The baseline is DuckDB on the same demo file, measured in the same run; only ratios are
meaningful across machines. Spark answers every ``--spark-share``-th case of each case file plus one case per
language × tag the stride missed (``stratified_sample``).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from genbi.assistant import Assistant  # noqa: E402
from genbi.demo import generate_warehouse  # noqa: E402
from genbi.demo.load import load_warehouse  # noqa: E402
from genbi.eval.cases import EvalCase, stratified_sample  # noqa: E402
from genbi.eval.harness import run_cases  # noqa: E402
from genbi.eval.report import EvalReport  # noqa: E402


def cases(share: int) -> list[EvalCase]:
    """The stratified share the engine tests run (every language × tag kept)."""
    return stratified_sample(sorted((REPO / "eval" / "cases").glob("*.jsonl")), every=share)


def measure(target: str | Path, chosen: list[EvalCase]) -> tuple[EvalReport, float]:
    started = time.perf_counter()
    assistant = Assistant.open(target, llm=False)
    try:
        report = run_cases(chosen, answerer=assistant, db_path=target)
    finally:
        assistant.close()
    return report, time.perf_counter() - started


def line(name: str, report: EvalReport, seconds: float, base: EvalReport | None) -> str:
    passed = sum(r.ok for r in report.results)
    text = f"{name:<9} EX {passed}/{len(report.results)}  suite {seconds:7.1f} s"
    if base is not None:
        ours = {r.case.id: r.latency_ms for r in report.results if r.latency_ms}
        ratios = [ours[r.case.id] / r.latency_ms for r in base.results
                  if r.latency_ms and r.case.id in ours]
        text += f"  median answer time / DuckDB's: {statistics.median(ratios):.2f}x ({len(ratios)} answers)"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres")
    parser.add_argument("--spark")
    parser.add_argument("--spark-share", type=int, default=3)
    options = parser.parse_args()
    from servers import postgres_server, spark_connect_server

    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        demo = Path(folder) / "demo.duckdb"
        generate_warehouse(demo)
        urls = {"postgres": options.postgres, "spark": options.spark}
        for engine, start in (("postgres", postgres_server), ("spark", spark_connect_server)):
            if urls[engine] is None:
                server = stack.enter_context(start())
                load_warehouse(demo, server.url)
                urls[engine] = server.url
        everything = cases(1)
        base, seconds = measure(demo, everything)
        print(line("duckdb", base, seconds, None), flush=True)
        report, seconds = measure(str(urls["postgres"]), everything)
        print(line("postgres", report, seconds, base), flush=True)
        share = cases(options.spark_share)
        base_share, seconds_share = measure(demo, share)
        print(line("duckdb/3", base_share, seconds_share, None), flush=True)
        report, seconds = measure(str(urls["spark"]), share)
        print(line("spark", report, seconds, base_share), flush=True)


if __name__ == "__main__":
    main()
