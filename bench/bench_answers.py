"""Answer speed a user feels: each answer against the same SQL run directly on DuckDB.

    .venv/bin/python bench/bench_answers.py --db /tmp/demo1m.duckdb      # 1M customers
    .venv/bin/genbi data generate --customers 1000000 --out /tmp/demo1m.duckdb   # once

Everything is a ratio to a baseline measured in the same run, because on a shared machine
absolute times mostly measure the neighbours:

Each assistant opened here is followed by ``ready(assistant)`` (its warm-up on the model's own
example questions, then ``settle_heap()``), as ``genbi ui``, the Slack bot and ``genbi watch``
do once they have opened theirs (``assistant.runtime``); a checkout from before ``ready``
existed settles the heap only. The benchmark's questions are never part of a warm-up.

- **answer / raw**: ``Assistant.answer`` (plan, compile, guard, run, masking, chart,
  narrative, audit) over the SQL it ran executed and fetched on a plain read-only DuckDB
  connection to the same file (median of ``--repeat``, interleaved). Three answers: *first*
  (a freshly opened assistant, result cache off: nothing remembered; against a raw run
  just before it, the database equally warm for both; the median over at least three
  fresh assistants), *again* (result cache off, compiled SQL and guard verdicts
  remembered: a re-asked question when the cached result has expired or the data changed)
  and *cached* (the result cache answers). A single number's
  KPI card change on the period before is not part of an answer (the UI asks for it while
  it draws the chart: ``Assistant.with_period_change``).
- **open**: ``Assistant.open`` (model, value index, planner) the first time on this
  warehouse (no disk cache) and again (disk cache warm), over a plain DuckDB connect plus
  one read of the schema.
- **CLI**: wall and CPU time of ``genbi ask`` as a fresh process over a fresh Python
  process that imports duckdb and runs the same SQL (CPU time is the steadier on a busy
  machine, where wall time mostly measures the wait for a core).

``--json PATH`` writes the numbers, so a before/after table can be made from two runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from genbi.assistant import AnswerRequest, Assistant

try:
    from genbi.assistant.runtime import settle_heap
except ImportError:  # a checkout from before the entry points settled their heap (a "before" run)
    def settle_heap() -> None:
        pass
try:
    from genbi.assistant.runtime import ready
except ImportError:  # a checkout from before the entry points warmed their assistant up
    def ready(assistant: Any) -> None:
        settle_heap()

QUESTIONS = (
    "total revenue in 2025",                                  # one number
    "revenue by channel",                                     # one breakdown, all time
    "orders per sales channel last month",                    # relative period
    "revenue by month in 2025",                               # trend
    "weekly orders last quarter",                             # trend, finer grain
    "top 10 cities by revenue in 2025",                       # top-N
    "average order value by loyalty tier",                    # ratio metric
    "ROAS by channel for 2025",                               # fan-out: two facts joined
    "ad spend by campaign objective last year",               # another fact table
    "revenue by category and sales channel in 2025",          # two breakdowns
    "share of revenue by sales channel in 2025",              # share of the total
    "tmall vs jd orders last month",                          # side-by-side comparison
    "how many customers purchased skincare in 2025",          # buyer clause, semi-join
    "AOV split by gender, 2024",                              # ratio with a join
    "revenue by city tier excluding offline stores",          # exclusion filter
    "new customers by month in 2025",                         # customers table trend
    "for each loyalty tier, how many buyers did we have in 2025",  # distinct count
    "revenue on 双11 2025 by sales channel",                   # holiday
    "上个月各渠道的销售额",                                       # Chinese, relative period
    "2025年每个月的订单数",                                       # Chinese trend
    "上季度各城市等级的订单数占比",                                # Chinese share
    "各会员等级的客单价",                                         # Chinese ratio
)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(function: Callable[[], object], cpu: list[float] | None = None,
          children: list[float] | None = None) -> float:
    """Wall seconds of ``function()``; its CPU seconds (all threads: DuckDB's too) go to ``cpu``,
    those of the processes it ran to ``children``. On a shared machine CPU time is the
    steadier of the two."""
    started, used, spawned = time.perf_counter(), time.process_time(), children_cpu_s()
    function()
    if cpu is not None:
        cpu.append(time.process_time() - used)
    if children is not None:
        children.append(children_cpu_s() - spawned)
    return time.perf_counter() - started


def bench_answers(db: Path, repeat: int) -> list[dict[str, Any]]:
    assistant = Assistant.open(db, llm=False)
    ready(assistant)
    raw = duckdb.connect(str(db), read_only=True)
    rows: list[dict[str, Any]] = []
    try:
        for number, question in enumerate(QUESTIONS):
            first = assistant.answer(AnswerRequest(question, session_id=f"warm-{number}"))
            if first.sql is None or first.error or first.declined:
                rows.append({"question": question, "skipped": first.error or first.narrative})
                continue
            sql = first.sql
            answer_s: list[float] = []
            raw_s: list[float] = []
            cached_s: list[float] = []
            answer_cpu: list[float] = []
            raw_cpu: list[float] = []
            for attempt in range(repeat):
                raw_s.append(timed(lambda s=sql: raw.execute(s).fetchall(), raw_cpu))
                fresh = AnswerRequest(question, session_id=f"q{number}-{attempt}", use_cache=False)
                answer_s.append(timed(lambda r=fresh: assistant.answer(r), answer_cpu))
                again = AnswerRequest(question, session_id=f"c{number}-{attempt}")
                cached_s.append(timed(lambda r=again: assistant.answer(r)))
            rows.append({"question": question, "answer_ms": median_ms(answer_s),
                         "raw_ms": median_ms(raw_s), "ratio": median_ms(answer_s) / median_ms(raw_s),
                         "cached_ms": median_ms(cached_s), "rows": len(first.rows), "sql": sql,
                         "cpu_ratio": median_ms(answer_cpu) / max(median_ms(raw_cpu), 0.01)})
    finally:
        raw.close()
        assistant.close()
    return rows


def bench_first_asks(db: Path, rows: list[dict[str, Any]], repeat: int) -> None:
    """Each question asked once on a freshly opened assistant (nothing remembered: no
    compiled SQL, no guard verdicts, result cache off, the planner's memo of normalised text
    cleared), right after its SQL ran on a plain connection: the database is as warm for the
    answer as for the raw run it is compared with (a plain connection kept open keeps
    DuckDB's buffers; without it the fresh assistant would also pay DuckDB's own cold
    start, which the raw median never does). ``repeat`` rounds, each on a new assistant;
    per question the median answer over the median raw run (one sample each is mostly the
    neighbours' noise on a shared machine)."""
    raw = duckdb.connect(str(db), read_only=True)
    samples: dict[int, dict[str, list[float]]] = {}
    try:
        for round_number in range(repeat):
            assistant = Assistant.open(db, llm=False)
            ready(assistant)
            try:
                for number, row in enumerate(rows):
                    if "ratio" not in row:
                        continue
                    _forget_questions()
                    request = AnswerRequest(row["question"], session_id=f"first-{round_number}-{number}",
                                            use_cache=False)
                    seen = samples.setdefault(number, {"raw": [], "answer": [], "raw_cpu": [], "answer_cpu": []})
                    seen["raw"].append(timed(lambda s=row["sql"]: raw.execute(s).fetchall(), seen["raw_cpu"]))
                    seen["answer"].append(timed(lambda r=request, a=assistant: a.answer(r), seen["answer_cpu"]))
            finally:
                assistant.close()
    finally:
        raw.close()
    for number, seen in samples.items():
        row = rows[number]
        row["first_raw_ms"] = median_ms(seen["raw"])
        row["first_ms"] = median_ms(seen["answer"])
        row["first_cpu_ratio"] = statistics.median(seen["answer_cpu"]) / max(statistics.median(seen["raw_cpu"]), 1e-5)


def _forget_questions() -> None:
    """Clear what the process remembers of question text (the planner's memo of normalised
    text, of the calendar periods a text names and of which texts have no cased characters
    beyond ASCII, where the code has them), so a first ask reads its question from scratch."""
    from genbi import screened
    from genbi.assistant.planner import text, timeparse

    for memo in (text.normalize, getattr(timeparse, "_points_in", None),
                 getattr(screened, "_uncased_beyond_ascii", None)):
        clear = getattr(memo, "cache_clear", None)
        if clear is not None:
            clear()


def bench_open(db: Path, repeat: int) -> dict[str, float]:
    def baseline() -> None:
        connection = duckdb.connect(str(db), read_only=True)
        connection.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
        connection.close()

    def open_close() -> None:
        Assistant.open(db, llm=False).close()

    def open_warm_close() -> None:  # what a long-running front end waits for before its first question
        opened = Assistant.open(db, llm=False)
        getattr(opened, "warm_up", lambda: None)()
        opened.close()

    with tempfile.TemporaryDirectory(prefix="genbi-bench-home-") as home:
        previous = os.environ.get("GENBI_HOME")
        os.environ["GENBI_HOME"] = home
        try:
            cold = timed(open_close)  # nothing cached for this warehouse yet
            warm = [timed(open_close) for _ in range(repeat)]
            warmed = [timed(open_warm_close) for _ in range(repeat)]
        finally:
            if previous is None:
                os.environ.pop("GENBI_HOME", None)
            else:
                os.environ["GENBI_HOME"] = previous
    base = [timed(baseline) for _ in range(repeat)]
    return {"open_cold_ms": cold * 1000, "open_warm_ms": median_ms(warm), "open_base_ms": median_ms(base),
            "open_ready_ms": median_ms(warmed)}


RAW_SCRIPT = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchall()"


def bench_cli(db: Path, repeat: int, question: str) -> dict[str, float]:
    genbi = [sys.executable, "-m", "genbi", "ask", question, "--db", str(db)]
    sql = json.loads(subprocess.run([*genbi, "--json"], capture_output=True, text=True, check=True).stdout)["sql"]
    raw = [sys.executable, "-c", RAW_SCRIPT, str(db), sql]
    cli_s, raw_s, cli_cpu, raw_cpu = [], [], [], []
    for _ in range(repeat):
        raw_s.append(timed(lambda: subprocess.run(raw, capture_output=True, check=True), children=raw_cpu))
        cli_s.append(timed(lambda: subprocess.run([*genbi, "--no-cache"], capture_output=True, check=True),
                           children=cli_cpu))
    return {"cli_ms": median_ms(cli_s), "cli_base_ms": median_ms(raw_s),
            "cli_cpu_ms": median_ms(cli_cpu), "cli_base_cpu_ms": median_ms(raw_cpu)}


def children_cpu_s() -> float:
    """CPU seconds (user + system) used by finished child processes so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def report(rows: list[dict[str, Any]], opening: dict[str, float], cli: dict[str, float]) -> str:
    lines = [f"{'question':<50}{'raw ms':>8}{'first':>8}{'ratio':>7}{'again':>8}{'ratio':>7}{'cached':>8}"]
    ratios = []
    for row in rows:
        if "ratio" not in row:
            lines.append(f"{row['question'][:49]:<50}  skipped: {row['skipped'][:60]}")
            continue
        ratios.append(row["ratio"])
        first = row.get("first_ms", float("nan"))
        first_raw = row.get("first_raw_ms", row["raw_ms"])
        lines.append(f"{row['question'][:49]:<50}{row['raw_ms']:>8.1f}{first:>8.1f}{first / first_raw:>6.2f}x"
                     f"{row['answer_ms']:>8.1f}{row['ratio']:>6.2f}x{row.get('cached_ms', float('nan')):>8.1f}")
    firsts = [row["first_ms"] / row.get("first_raw_ms", row["raw_ms"]) for row in rows if "first_ms" in row]
    if firsts:
        lines.append(f"first asks (nothing remembered, result cache off): median {statistics.median(firsts):.2f}x, "
                     f"worst {max(firsts):.2f}x raw DuckDB")
        first_cpu = [row["first_cpu_ratio"] for row in rows if "first_cpu_ratio" in row]
        lines.append(f"  the same in CPU time: median {statistics.median(first_cpu):.2f}x, worst {max(first_cpu):.2f}x")
    lines.append(f"asked again (result cache off): {len(ratios)} questions, median {statistics.median(ratios):.2f}x, "
                 f"worst {max(ratios):.2f}x raw DuckDB")
    cpu = [row["cpu_ratio"] for row in rows if "cpu_ratio" in row]
    lines.append(f"  the same in CPU time (answer process vs DuckDB's threads): median {statistics.median(cpu):.2f}x, "
                 f"worst {max(cpu):.2f}x")
    cached = [row["cached_ms"] / row["raw_ms"] for row in rows if "cached_ms" in row]
    if cached:
        lines.append(f"repeated questions (from the result cache): median {statistics.median(cached):.2f}x, "
                     f"worst {max(cached):.2f}x raw DuckDB")
    base = opening["open_base_ms"]
    lines.append(f"open: first {opening['open_cold_ms']:.0f} ms ({opening['open_cold_ms'] / base:.1f}x), "
                 f"cached {opening['open_warm_ms']:.0f} ms ({opening['open_warm_ms'] / base:.1f}x) "
                 f"vs connect + schema {base:.0f} ms; cached + warm-up "
                 f"{opening['open_ready_ms']:.0f} ms")
    lines.append(f"CLI ask: {cli['cli_ms']:.0f} ms wall, {cli['cli_ms'] / cli['cli_base_ms']:.2f}x "
                 f"a python + duckdb process running the same SQL ({cli['cli_base_ms']:.0f} ms); CPU "
                 f"{cli['cli_cpu_ms']:.0f} ms vs {cli['cli_base_cpu_ms']:.0f} ms "
                 f"({cli['cli_cpu_ms'] / max(cli['cli_base_cpu_ms'], 0.01):.2f}x)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="warehouse file (generate a 1M one)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cli-db", type=Path, help="warehouse for the CLI timing (default --db)")
    parser.add_argument("--json", type=Path, help="write the numbers here")
    args = parser.parse_args(argv)
    os.environ.setdefault("GENBI_HOME", tempfile.mkdtemp(prefix="genbi-bench-"))  # fresh caches
    rows = bench_answers(args.db, args.repeat)
    bench_first_asks(args.db, rows, max(3, args.repeat // 2 + 1))
    opening = bench_open(args.db, max(2, args.repeat // 2))
    cli = bench_cli(args.cli_db or args.db, args.repeat, "revenue by channel last month")
    print(report(rows, opening, cli))
    if args.json:
        args.json.write_text(json.dumps({"answers": rows, **opening, **cli}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
