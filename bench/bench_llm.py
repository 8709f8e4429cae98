"""The eval through a real LLM: offline planner vs hybrid (planner first) vs LLM only.

Runs the eval cases (``eval/cases`` and ``bench/llm_cases``, questions the planner declines
but the data can answer) three ways on the same warehouse:

- ``offline``: the offline planner alone (the baseline, measured in the same run);
- ``hybrid``: ``GENBI_LLM_ROUTE=hybrid`` — the planner first, one constrained spec call for
  what it could not read, grounding-checked;
- ``spec``: ``GENBI_LLM_ROUTE=spec`` — every question as one constrained spec call (LLM only);
  slow on a small local model, so by default on a sample (``--sample``).

and reports EX per language, wrong answers (answered but not right), planner declines the
hybrid answers right, LLM calls per question, p50 latency of LLM- and planner-answered
questions, tokens per call, and the machine's load average while it ran (latencies on a
shared machine mean little without it). Needs a served model (the recipe in
``shared/notes/stack.md``) or ``--gguf`` (in process, ``genbi[local]``); CI never runs this::

    python -m llama_cpp.server --model qwen-1.5b.gguf --model_alias qwen2.5-coder-1.5b-instruct \\
        --host 127.0.0.1 --port 8001 --n_ctx 4096 --n_threads 2 &
    .venv/bin/python bench/bench_llm.py --base-url http://127.0.0.1:8001/v1 \\
        --model qwen2.5-coder-1.5b-instruct --db demo.duckdb --json /tmp/bench_llm.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from genbi.assistant.agent.brain import LlmBrain
from genbi.assistant.agent.config import LlmSettings
from genbi.assistant.service import Assistant
from genbi.eval.cases import EvalCase, load_cases
from genbi.eval.harness import run_cases
from genbi.eval.report import CaseResult

HERE = Path(__file__).parent
DEFAULT_CASES = [HERE.parent / "eval" / "cases", HERE / "llm_cases"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint of the served model")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-instruct")
    parser.add_argument("--gguf", help="Serve this GGUF in process instead (genbi[local])")
    parser.add_argument("--db", help="The demo warehouse")
    parser.add_argument("--cases", nargs="*", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--modes", default="offline,hybrid,spec")
    parser.add_argument("--sample", type=int, default=40,
                        help="Cases for the LLM-only mode: every planner-declined case plus an even "
                             "sample of the rest, this many in all (0: all)")
    parser.add_argument("--decline-every", type=int, default=1,
                        help="Keep every k-th case that must be declined (each costs an LLM call on a "
                             "slow machine; the other cases the planner answers without one)")
    parser.add_argument("--max-tokens", type=int, default=400)
    parser.add_argument("--json", type=Path, help="Write every number here")
    parser.add_argument("--log", type=Path, help="Append one JSON line per case as it ends")
    parser.add_argument("--first", nargs="*", default=["planner_declines", "decline"],
                        help="Run cases with these tags first, alternating (the ones that cost LLM calls)")
    parser.add_argument("--summarize", nargs="*", type=Path,
                        help="Only make the table from these --log files (runs cut short)")
    options = parser.parse_args()
    cases = load_cases(options.cases)
    if options.summarize:
        lines = [json.loads(line) for path in options.summarize for line in path.read_text().splitlines() if line]
        table = summarize(lines, cases)
        print(render(table))
        if options.json:
            options.json.write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    declines = [c for c in cases if c.expect_decline]
    kept = set(c.id for c in declines[::max(1, options.decline_every)])
    cases = [c for c in cases if not c.expect_decline or c.id in kept]
    cases = interleave_first(cases, options.first)
    modes = options.modes.split(",")
    settings = LlmSettings(model=options.model, base_url=options.base_url, api_key="not-needed",
                           timeout_s=900, retries=0, max_tokens=options.max_tokens, gguf=options.gguf)
    if options.gguf:
        from genbi.assistant.agent.local_model import serve_gguf

        settings = serve_gguf(settings)
    assistant = Assistant.open(options.db, llm=False)
    assistant.results = None  # every mode computes its own numbers
    assistant.charts = False
    records: list[dict[str, Any]] = []
    warm: dict[str, float] = {}
    warming = threading.Thread(target=warm_up, args=(settings, assistant, warm), daemon=True)
    if "hybrid" in modes:  # the static prefix is read once, while the offline planner runs
        warming.start()
    try:
        for mode in modes:
            if mode != "offline" and warming.is_alive():
                warming.join()
            chosen = cases if mode in ("offline", "hybrid") else sample(cases, records, options.sample)
            assistant.agent = None if mode == "offline" else LlmBrain(_route(settings, mode))
            records += run_mode(chosen, assistant, options.db, mode, options.log)
            print(f"{mode}: {len(chosen)} cases done", flush=True)
    finally:
        assistant.close()
    table = summarize(records, cases)
    table["static_prefix_first_read_s"] = warm.get("seconds")
    table["static_prefix_tokens"] = warm.get("prompt_tokens")
    print(render(table))
    if options.json:
        options.json.write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def warm_up(settings: LlmSettings, assistant: Assistant, out: dict[str, float]) -> None:
    """One request with the hybrid's static prefix: its first read (then cached) is timed."""
    import openai

    from genbi.assistant.agent.hybrid import HybridRouter
    from genbi.assistant.agent.llm import RetryPolicy

    router = HybridRouter(_route(settings, "hybrid"), RetryPolicy(retries=0))
    system, _ = router.static_prefix(assistant.model)
    client = openai.OpenAI(base_url=settings.base_url, api_key=settings.key, timeout=settings.timeout_s)
    started = time.perf_counter()
    response = client.chat.completions.create(model=settings.model, max_tokens=1, temperature=0, messages=[
        {"role": "system", "content": system}, {"role": "user", "content": "Today: 2025-12-31."}])
    out["seconds"] = round(time.perf_counter() - started, 1)
    out["prompt_tokens"] = float(response.usage.prompt_tokens if response.usage else 0)


def _route(settings: LlmSettings, mode: str) -> LlmSettings:
    import dataclasses

    return dataclasses.replace(settings, route=mode)


def run_mode(cases: Sequence[EvalCase], assistant: Assistant, db: str, mode: str,
             log: Path | None = None) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []

    def ended(result: CaseResult) -> None:
        records.append(record(result, mode, os.getloadavg()[0]))
        if log is not None:  # one line per case as it ends: a run cut short still counts
            with log.open("a", encoding="utf-8") as out:
                out.write(json.dumps(records[-1], ensure_ascii=False) + "\n")

    run_cases(cases, answerer=assistant, db_path=db, on_case=ended)
    return records


def interleave_first(cases: Sequence[EvalCase], tags: Sequence[str]) -> list[EvalCase]:
    """Cases with each of ``tags`` first, taken in turn, then the rest (a run cut short has
    some of each kind)."""
    groups = [[c for c in cases if tag in c.tags] for tag in tags]
    first: list[EvalCase] = []
    for row in itertools.zip_longest(*groups):
        first += [c for c in row if c is not None and c not in first]
    return first + [c for c in cases if c not in first]


def sample(cases: Sequence[EvalCase], records: list[dict[str, Any]], size: int) -> list[EvalCase]:
    """Every case the planner declined though answerable, then every k-th other case."""
    if size <= 0:
        return list(cases)
    declined = {r["id"] for r in records if r["mode"] == "offline" and r["declined"]}
    first = [c for c in cases if c.id in declined and not c.expect_decline]
    rest = [c for c in cases if c not in first]
    step = max(1, len(rest) // max(1, size - len(first)))
    return first + rest[::step][: max(0, size - len(first))]


def record(result: CaseResult, mode: str, load: float) -> dict[str, Any]:
    """One case's outcome as a plain record (logged as it ends; the table is made of these)."""
    return {"mode": mode, "id": result.case.id, "ok": result.ok, "declined": _declined(result),
            "lang": result.case.lang, "llm_calls": _usage(result, "llm_calls"),
            "latency_s": round((result.latency_ms or 0) / 1000, 2),
            "input_tokens": _usage(result, "input_tokens"), "output_tokens": _usage(result, "output_tokens"),
            "route": result.answer.route if result.answer else "", "load": load}


def summarize(records: list[dict[str, Any]], cases: Sequence[EvalCase]) -> dict[str, Any]:
    """The table from case records (a run's own, or log lines of runs cut short)."""
    by_id = {c.id: c for c in cases}
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        if r["id"] in by_id:
            runs[r["mode"]].append({**r, "tags": by_id[r["id"]].tags, "expect_decline": by_id[r["id"]].expect_decline})
    offline = {r["id"]: r for r in runs.get("offline", [])}
    out: dict[str, Any] = {"modes": {m: _numbers(rs, offline) for m, rs in runs.items()}}
    if "offline" in runs and "hybrid" in runs:
        ids = {r["id"] for r in runs["hybrid"]}
        out["offline_on_the_hybrid_cases"] = _numbers([r for r in runs["offline"] if r["id"] in ids], offline)
        out["tags_where_hybrid_is_below_offline"] = _tag_regressions(
            [r for r in runs["offline"] if r["id"] in ids], runs["hybrid"])
    for mode in runs:
        if mode in ("offline", "hybrid"):
            continue
        ids = {r["id"] for r in runs[mode]}
        out[f"on_the_{mode}_sample"] = {m: _numbers([r for r in rs if r["id"] in ids], offline)
                                         for m, rs in runs.items()}
    return out


def _numbers(results: list[dict[str, Any]], offline: dict[str, dict[str, Any]]) -> dict[str, Any]:
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_lang[r["lang"]].append(r["ok"])
    wrong = [r for r in results if not r["declined"] and not r["ok"]]
    calls = sum(r["llm_calls"] for r in results)
    llm_latency = [r["latency_s"] for r in results if r["llm_calls"]]
    planner_latency = [r["latency_s"] for r in results if not r["llm_calls"]]
    gaps = [r for r in results if r["id"] in offline and offline[r["id"]]["declined"] and not r["expect_decline"]]
    loads = [r["load"] for r in results if r.get("load") is not None]
    return {
        "cases": len(results),
        "ex": _rate([r["ok"] for r in results]),
        "ex_by_lang": {lang: _rate(oks) for lang, oks in sorted(by_lang.items())},
        "wrong_answers": len(wrong),
        "wrong_rate": round(len(wrong) / len(results), 4) if results else 0.0,
        "wrong_ids": [r["id"] for r in wrong],
        "planner_declines_answerable": len(gaps),
        "planner_declines_answered_right": sum(1 for r in gaps if r["ok"]),
        "llm_calls_per_question": round(calls / len(results), 3) if results else 0.0,
        "p50_s_llm_answered": _p50(llm_latency),
        "p50_s_planner_answered": _p50(planner_latency),
        "input_tokens_per_call": round(sum(r["input_tokens"] for r in results) / calls, 1) if calls else 0.0,
        "output_tokens_per_call": round(sum(r["output_tokens"] for r in results) / calls, 1) if calls else 0.0,
        "load_avg_mean": round(statistics.mean(loads), 2) if loads else None,
        "load_avg_max": round(max(loads), 2) if loads else None,
    }


def _declined(result: CaseResult) -> bool:
    return result.answer is not None and result.answer.declined


def _usage(result: CaseResult, field: str) -> int:
    usage = result.answer.usage if result.answer is not None else None
    return int(getattr(usage, field, 0) or 0) if usage is not None else 0


def _rate(oks: list[bool]) -> float:
    return round(sum(oks) / len(oks), 4) if oks else 0.0


def _p50(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _tag_regressions(offline: list[dict[str, Any]], hybrid: list[dict[str, Any]]) -> dict[str, list[float]]:
    def by_tag(results: list[dict[str, Any]]) -> dict[str, float]:
        tags: dict[str, list[bool]] = defaultdict(list)
        for r in results:
            for tag in (*r["tags"], f"lang:{r['lang']}"):
                tags[tag].append(r["ok"])
        return {t: _rate(v) for t, v in tags.items()}

    before, after = by_tag(offline), by_tag(hybrid)
    return {t: [before[t], after.get(t, 0.0)] for t in sorted(before) if after.get(t, 0.0) < before[t]}


def render(table: dict[str, Any]) -> str:
    columns = ["cases", "ex", "ex_by_lang", "wrong_answers", "planner_declines_answered_right",
               "llm_calls_per_question", "p50_s_llm_answered", "p50_s_planner_answered",
               "input_tokens_per_call", "output_tokens_per_call", "load_avg_mean"]
    lines = []
    main = dict(table["modes"])
    if "offline_on_the_hybrid_cases" in table:
        main["offline, same cases as hybrid"] = table["offline_on_the_hybrid_cases"]
    for title, modes in [("all cases", main),
                         *[(k.replace("_", " "), v) for k, v in table.items() if k.startswith("on_the_")]]:
        lines += ["", f"## {title}", "| mode | " + " | ".join(columns) + " |",
                  "|---" * (len(columns) + 1) + "|"]
        for mode, numbers in modes.items():
            cells = []
            for column in columns:
                value = numbers[column]
                if column == "planner_declines_answered_right":
                    value = f"{value}/{numbers['planner_declines_answerable']}"
                elif column == "ex_by_lang":
                    value = " ".join(f"{k} {v:.3f}" for k, v in value.items())
                cells.append(str(value))
            lines.append(f"| {mode} | " + " | ".join(cells) + " |")
    regressions = table.get("tags_where_hybrid_is_below_offline")
    if regressions is not None:
        lines += ["", f"tags where hybrid < offline: {regressions or 'none'}"]
    lines.append(f"\nfinished {time.strftime('%Y-%m-%d %H:%M:%S')}, load average now {os.getloadavg()[0]:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
