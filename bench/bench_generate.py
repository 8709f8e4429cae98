"""Benchmark the demo warehouse generator: rows per second per table, at several scales.

    .venv/bin/python bench/bench_generate.py                      # 20,000 and 200,000 customers
    .venv/bin/python bench/bench_generate.py --scales 20000 1000000

Each scale is generated into a temporary folder (deleted afterwards). A table's seconds
cover building it and writing it to DuckDB; the total also includes the final checkpoint
and the atomic rename. CPU time is reported beside wall time because on a shared
machine wall time mostly measures the neighbours. Peak RSS is the process's high-water
mark so far.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

from genbi.demo import GenerationReport, generate_warehouse


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", type=int, nargs="+", default=[20_000, 200_000], help="customers per run"
    )
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args(argv)


def peak_rss_mib() -> float:
    """High-water resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU seconds this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def format_report(report: GenerationReport, size_mib: float, cpu: float) -> str:
    lines = [
        f"\n== {report.customers:,} customers (seed {report.seed}) ==",
        f"{'table':<24}{'rows':>14}{'seconds':>10}{'rows/s':>14}",
    ]
    for table, rows in report.rows.items():
        seconds = report.seconds_per_table[table]
        rate = rows / seconds if seconds > 0 else float("inf")
        lines.append(f"{table:<24}{rows:>14,}{seconds:>10.2f}{rate:>14,.0f}")
    total = report.total_rows
    lines.append(
        f"{'total':<24}{total:>14,}{report.seconds:>10.2f}{total / report.seconds:>14,.0f}"
    )
    lines.append(
        f"CPU {cpu:.2f} s for {report.seconds:.2f} s wall (a busy machine stretches wall time), "
        f"file size {size_mib:,.0f} MiB, peak RSS so far {peak_rss_mib():,.0f} MiB"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    for customers in args.scales:
        with tempfile.TemporaryDirectory(prefix="genbi-bench-") as folder:
            target = Path(folder) / "demo.duckdb"
            cpu_before = cpu_seconds()
            report = generate_warehouse(target, customers=customers, seed=args.seed)
            cpu = cpu_seconds() - cpu_before
            print(format_report(report, target.stat().st_size / 2**20, cpu), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
