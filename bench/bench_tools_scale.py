"""Every marketing tool through the CLI on a big warehouse, as a ratio to a plain scan.

    .venv/bin/python bench/bench_tools_scale.py --db /tmp/demo1m.duckdb
    .venv/bin/python bench/bench_tools_scale.py --customers 1000000 --db /tmp/demo1m.duckdb  # generates it once

The baseline, measured in the same run: a GROUP BY-customer scan of all orders fetched into
Python through the guarded warehouse (``SELECT customer_id, COUNT(*), SUM(revenue) FROM
orders GROUP BY 1``), timed again right before each tool so a shared machine's changing
load hits both sides of the ratio alike; CPU seconds (every thread, the tool's whole process
against the scan query's) are reported too, as a second ratio less moved by other load.
Each tool runs as ``genbi tool NAME --db ... --json`` in a fresh process; its wall time
(interpreter start and imports included) is reported as a multiple of the scan (target: 8x
or less). Attribution runs three times: with ``--no-cache`` (journeys built from the warehouse,
as every run did before journeys were kept), then its first run on this data (which builds and
keeps them in the bench's own GENBI_HOME), then a later run (which reads them).
``--attribution-journeys N`` also times Markov
attribution on N random journeys from a path file against ChannelAttribution's
``markov_model`` when that package can be imported by ``--ca-python`` (a separate
interpreter, since it is not a genbi dependency), and compares the removal effects. Both
sides are timed twice: the whole process (genbi's CLI with every model and the JSON answer;
ChannelAttribution's interpreter, import, CSV read and first-order ``markov_model``), and
the computation alone once the libraries are imported (genbi: reading and checking the path
file plus the first-order count and value chains; ChannelAttribution: ``markov_model``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TOOL_ARGS: dict[str, list[str]] = {
    "rfm": ["--segment", "Champions"],
    "segments": [],
    "lifecycle": [],
    "cohort_retention": [],
    "funnel": ["--by", "device"],
    "attribution": [],
    "ab_test": [],
    "lookalike": ["--seed-segment", "Champions"],
    "churn_risk": [],
    "clv": [],
    "generate_copy": ["--segment", "Champions", "--channel", "sms"],
    "budget_allocation": [],
}

RUNS: dict[str, list[tuple[str, list[str]]]] = {
    "attribution": [("attribution --no-cache", ["--no-cache"]), ("attribution, first", []),
                    ("attribution, kept", [])],
}
"""Tools timed more than once: attribution builds its journeys directly (``--no-cache``), then
builds and keeps them (the first run on this data), then reads the kept ones (every later run)."""

SCAN = """
import sys, time
from genbi.semantic_layer.warehouse import Warehouse
w = Warehouse.open(sys.argv[1])
best, cpu = 1e9, 0.0
for _ in range(2):
    t, c = time.perf_counter(), time.process_time()
    r = w.run("SELECT customer_id, COUNT(*) AS orders, SUM(revenue) AS revenue FROM orders GROUP BY 1",
              max_rows=10**8, timeout_s=3600)
    if time.perf_counter() - t < best:
        best, cpu = time.perf_counter() - t, time.process_time() - c
print(best, len(r.rows), cpu)
"""


def _genbi() -> list[str]:
    return [sys.executable, "-m", "genbi"]


def scan_seconds(db: Path) -> float:
    return scan_times(db)[0]


def scan_times(db: Path) -> tuple[float, float]:
    """The scan's wall and CPU seconds (all threads), best of two."""
    done = subprocess.run([sys.executable, "-c", SCAN, str(db)], capture_output=True, text=True, check=True)
    wall, _, cpu = done.stdout.split()
    return float(wall), float(cpu)


def children_cpu() -> float:
    """CPU seconds (user + system, every thread) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tool_seconds(name: str, db: Path, extra: list[str], home: Path) -> tuple[float, str]:
    env = {**os.environ, "GENBI_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([*_genbi(), "tool", name, "--db", str(db), "--json", *extra],
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    status = "ok" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["failed"])[-1][:120]
    return seconds, status


def startup_seconds(home: Path) -> float:
    env = {**os.environ, "GENBI_HOME": str(home)}
    started = time.perf_counter()
    subprocess.run([*_genbi(), "tool", "rfm", "--help"], capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - started


def journeys_file(n: int, folder: Path, seed: int = 7) -> Path:
    """N random journeys over 8 channels, grouped into a path file (ChannelAttribution's format)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    channels = np.array(["search", "wechat", "email", "sms", "display", "douyin", "xiaohongshu", "app_push"])
    strength = np.array([0.05, 0.04, 0.03, 0.01, 0.005, 0.02, 0.03, 0.01])
    lengths = rng.geometric(0.35, n).clip(max=12)
    codes = rng.choice(len(channels), size=int(lengths.sum()), p=np.full(8, 1 / 8))
    owner = np.repeat(np.arange(n), lengths)
    lift = np.bincount(owner, strength[codes], minlength=n)
    converted = rng.random(n) < 1 - np.exp(-lift * 2)
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    paths = [" > ".join(channels[codes[s:s + k]]) for s, k in zip(starts, lengths, strict=True)]
    frame = pd.DataFrame({"path": paths, "conv": converted.astype(int),
                          "value": np.where(converted, rng.gamma(2, 150, n), 0.0)})
    grouped = frame.groupby("path", as_index=False).agg(
        total_conversions=("conv", "sum"), total_conversion_value=("value", "sum"), journeys=("conv", "size"))
    grouped["total_null"] = grouped["journeys"] - grouped["total_conversions"]
    path = folder / f"journeys-{n}.csv"
    grouped.drop(columns="journeys").to_csv(path, index=False)
    return path


CA = """
import sys, time, json
import pandas as pd
from ChannelAttribution import markov_model
data = pd.read_csv(sys.argv[1])
t = time.perf_counter()
res = markov_model(data, "path", "total_conversions", var_value="total_conversion_value", var_null="total_null",
                   order=1, sep=">", out_more=True, verbose=0)
seconds = time.perf_counter() - t
effects = res["removal_effects"]
print(json.dumps({"seconds": seconds, "effects": dict(zip(effects.iloc[:, 0], effects.iloc[:, 1]))}))
"""


GENBI_COMPUTE = """
import sys, time, json
import numpy, pandas, scipy.sparse  # imported before the clock starts, as ChannelAttribution's are
from genbi.tools.attribution.markov import markov_chain
from genbi.tools.attribution.models import attribute, markov_models
from genbi.tools.attribution.tool import AttributionArgs, paths_from_file
t = time.perf_counter()
paths = paths_from_file(AttributionArgs(paths_file=sys.argv[1]))  # reads the CSV too (ChannelAttribution's clock does not)
count, value = markov_chain(paths), markov_chain(paths, weight="value")
markov = time.perf_counter() - t
t = time.perf_counter()
attribute(paths, chains=markov_models(paths))
print(json.dumps({"markov": markov, "all_models": time.perf_counter() - t}))
"""


def attribution_vs_channelattribution(n: int, folder: Path, ca_python: str | None, home: Path) -> dict[str, Any]:
    file = journeys_file(n, folder)
    env = {**os.environ, "GENBI_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([*_genbi(), "tool", "attribution", "--paths-file", str(file), "--json"],
                          capture_output=True, text=True, env=env, check=True)
    report: dict[str, Any] = {"journeys": n, "genbi_cli_seconds": round(time.perf_counter() - started, 2)}
    ours = json.loads(done.stdout)["facts"]["top_removal_effects"]
    report["genbi_removal_effects"] = ours
    compute = subprocess.run([sys.executable, "-c", GENBI_COMPUTE, str(file)], capture_output=True, text=True,
                             env=env, check=True)
    inside = json.loads(compute.stdout.strip().splitlines()[-1])
    report["genbi_markov_seconds"] = round(inside["markov"], 2)
    report["genbi_all_models_seconds"] = round(inside["all_models"], 2)
    if ca_python:
        started = time.perf_counter()
        ca = subprocess.run([ca_python, "-c", CA, str(file)], capture_output=True, text=True)
        if ca.returncode == 0:
            theirs = json.loads(ca.stdout.strip().splitlines()[-1])
            report["channelattribution_process_seconds"] = round(time.perf_counter() - started, 2)
            report["channelattribution_seconds"] = round(theirs["seconds"], 2)
            report["channelattribution_removal_effects"] = {k: round(v, 4) for k, v in theirs["effects"].items()}
            shared = set(ours) & set(theirs["effects"])
            report["removal_effects_max_abs_difference"] = round(
                max(abs(ours[c] - theirs["effects"][c]) for c in shared), 4) if shared else None
        else:
            report["channelattribution"] = (ca.stderr.strip().splitlines() or ["failed"])[-1][:200]
    else:
        report["channelattribution"] = "not installed (pass --ca-python)"
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "demo1m.duckdb")
    parser.add_argument("--customers", type=int, default=1_000_000, help="generate --db at this size if missing")
    parser.add_argument("--tools", default=",".join(TOOL_ARGS), help="comma-separated tool names")
    parser.add_argument("--attribution-journeys", type=int, default=1_000_000)
    parser.add_argument("--ca-python", default=None, help="a python that can import ChannelAttribution")
    options = parser.parse_args()
    if not options.db.exists():
        subprocess.run([*_genbi(), "data", "generate", "--customers", str(options.customers), "--out", str(options.db)],
                       check=True)
    home = Path(tempfile.mkdtemp(prefix="genbi-bench-home-"))
    scan = scan_seconds(options.db)
    startup = startup_seconds(home)
    print(f"scan (GROUP BY customer, fetched into Python): {scan:.2f} s; CLI start-up: {startup:.2f} s")
    print(f"{'tool':<18} {'seconds':>8} {'x scan':>7}  status (the scan just before)")
    results: dict[str, Any] = {"scan_seconds": round(scan, 3), "cli_startup_seconds": round(startup, 3), "tools": {}}
    runs = [(label, name, extra) for name in filter(None, options.tools.split(","))
            for label, extra in RUNS.get(name, [(name, [])])]
    for label, name, extra in runs:
        scan, scan_cpu = scan_times(options.db)
        cpu_before = children_cpu()
        seconds, status = tool_seconds(name, options.db, [*TOOL_ARGS.get(name, []), *extra], home)
        cpu = children_cpu() - cpu_before
        results["tools"][label] = {"seconds": round(seconds, 2), "scan_seconds": round(scan, 2),
                                  "ratio": round(seconds / scan, 2), "status": status, "cpu_seconds": round(cpu, 2),
                                  "scan_cpu_seconds": round(scan_cpu, 2), "cpu_ratio": round(cpu / scan_cpu, 2)}
        print(f"{label:<18} {seconds:8.2f} {seconds / scan:7.1f}  {status} (scan {scan:.2f} s; CPU "
              f"{cpu:.1f} s = {cpu / scan_cpu:.1f}x the scan's {scan_cpu:.2f} s)", flush=True)
    if options.attribution_journeys:
        results["attribution_vs_channelattribution"] = attribution_vs_channelattribution(
            options.attribution_journeys, Path(tempfile.mkdtemp(prefix="genbi-bench-")), options.ca_python, home)
        print(json.dumps(results["attribution_vs_channelattribution"], indent=2))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
