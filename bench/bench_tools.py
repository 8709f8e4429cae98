"""Benchmark every marketing tool on generated demo warehouses; prints seconds per tool.

    .venv/bin/python bench/bench_tools.py                 # 20k and 200k customers
    .venv/bin/python bench/bench_tools.py --sizes 1000000 --dir /tmp/genbi-bench

Warehouses are generated once per size and seed into ``--dir`` and reused.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from genbi.demo import generate_warehouse
from genbi.tools.base import registered_tools
from genbi.tools.warehouse import open_source

# Arguments per tool for a realistic run (defaults otherwise).
TOOL_ARGS: dict[str, dict[str, Any]] = {
    "funnel": {"by": "device"},
    "rfm": {"segment": "Champions"},
    "lookalike": {"seed_segment": "Champions"},
}


def bench_size(customers: int, folder: Path, seed: int) -> dict[str, float]:
    path = folder / f"demo-{customers}-{seed}.duckdb"
    timings: dict[str, float] = {}
    if not path.exists():
        started = time.perf_counter()
        generate_warehouse(path, customers=customers, seed=seed)
        timings["(generate warehouse)"] = time.perf_counter() - started
    source = open_source(path)
    for name, spec in sorted(registered_tools().items()):
        args = spec.args_model.model_validate(TOOL_ARGS.get(name, {}))
        started = time.perf_counter()
        spec.run(args, source)
        timings[name] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,200000", help="comma-separated customer counts")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "genbi-bench")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args()
    options.dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for size in (int(s) for s in options.sizes.split(",")):
        results[size] = bench_size(size, options.dir, options.seed)
        if not options.json:
            print(f"\n{size:,} customers")
            for name, seconds in results[size].items():
                print(f"  {name:<24} {seconds:8.2f} s")
    if options.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
