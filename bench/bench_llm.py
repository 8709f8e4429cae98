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
    parser.add_argument("--db", required=True, help="The demo warehouse")
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
                        help="Run cases with these tags first (the ones that cost LLM calls)")
    options = parser.parse_args()
    cases = load_cases(options.cases)
    declines = [c for c in cases if c.expect_decline]
    kept = set(c.id for c in declines[::max(1, options.decline_every)])
    cases = [c for c in cases if not c.expect_decline or c.id in kept]
    cases.sort(key=lambda c: next((i for i, tag in enumerate(options.first) if tag in c.tags), len(options.first)))
    modes = options.modes.split(",")
    settings = LlmSettings(model=options.model, base_url=options.base_url, api_key="not-needed",
                           timeout_s=900, retries=0, max_tokens=options.max_tokens, gguf=options.gguf)
    if options.gguf:
        from genbi.assistant.agent.local_model import serve_gguf

        settings = serve_gguf(settings)
    assistant = Assistant.open(options.db, llm=False)
    assistant.results = None  # every mode computes its own numbers
    assistant.charts = False
    runs: dict[str, list[CaseResult]] = {}
    loads: dict[str, list[float]] = {}
    warm: dict[str, float] = {}
    warming = threading.Thread(target=warm_up, args=(settings, assistant, warm), daemon=True)
    if "hybrid" in modes:  # the static prefix is read once, while the offline planner runs
        warming.start()
    try:
        for mode in modes:
            if mode != "offline" and warming.is_alive():
                warming.join()
            chosen = cases if mode in ("offline", "hybrid") else sample(cases, runs.get("offline"), options.sample)
            assistant.agent = None if mode == "offline" else LlmBrain(_route(settings, mode))
            runs[mode], loads[mode] = run_mode(chosen, assistant, options.db, mode, options.log)
            print(f"{mode}: {len(chosen)} cases done", flush=True)
    finally:
        assistant.close()
    table = summarize(runs, loads)
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


def run_mode(cases: Sequence[EvalCase], assistant: Assistant, db: str, mode: str = "",
             log: Path | None = None) -> tuple[list[CaseResult], list[float]]:
    loads: list[float] = [os.getloadavg()[0]]

    def sampled(result: CaseResult) -> None:
        loads.append(os.getloadavg()[0])
        if log is not None:  # one line per case as it ends: a run cut short still counts
            with log.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"mode": mode, "id": result.case.id, "ok": result.ok,
                                      "declined": _declined(result), "lang": result.case.lang,
                                      "llm_calls": _usage(result, "llm_calls"),
                                      "latency_s": round((result.latency_ms or 0) / 1000, 2),
                                      "input_tokens": _usage(result, "input_tokens"),
                                      "output_tokens": _usage(result, "output_tokens"),
                                      "route": result.answer.route if result.answer else "",
                                      "load": loads[-1]}, ensure_ascii=False) + "\n")

    report = run_cases(cases, answerer=assistant, db_path=db, on_case=sampled)
    return list(report.results), loads


def sample(cases: Sequence[EvalCase], offline: list[CaseResult] | None, size: int) -> list[EvalCase]:
    """Every case the planner declined though answerable, then every k-th other case."""
    if size <= 0:
        return list(cases)
    declined = {r.case.id for r in offline or () if r.answer is not None and r.answer.declined
                and not r.case.expect_decline}
    first = [c for c in cases if c.id in declined]
    rest = [c for c in cases if c.id not in declined]
    step = max(1, len(rest) // max(1, size - len(first)))
    return first + rest[::step][: max(0, size - len(first))]


def summarize(runs: dict[str, list[CaseResult]], loads: dict[str, list[float]]) -> dict[str, Any]:
    offline = {r.case.id: r for r in runs.get("offline", [])}
    out: dict[str, Any] = {"modes": {}}
    for mode, results in runs.items():
        out["modes"][mode] = _numbers(results, offline, loads[mode])
    if "offline" in runs and "hybrid" in runs:
        out["tags_where_hybrid_is_below_offline"] = _tag_regressions(runs["offline"], runs["hybrid"])
    for mode in runs:
        if mode in ("offline", "hybrid"):
            continue
        ids = {r.case.id for r in runs[mode]}
        out[f"on_the_{mode}_sample"] = {m: _numbers([r for r in runs[m] if r.case.id in ids], offline, loads[m])
                                         for m in runs}
    return out


def _numbers(results: list[CaseResult], offline: dict[str, CaseResult], loads: list[float]) -> dict[str, Any]:
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_lang[r.case.lang].append(r.ok)
    answered = [r for r in results if r.answer is not None and not r.answer.declined]
    wrong = [r for r in answered if not r.ok]
    calls = [_usage(r, "llm_calls") for r in results]
    llm_latency = [r.latency_ms / 1000 for r in results if r.latency_ms is not None and _usage(r, "llm_calls")]
    planner_latency = [r.latency_ms / 1000 for r in results if r.latency_ms is not None and not _usage(r, "llm_calls")]
    total_calls = sum(calls)
    gaps = [r for r in results if r.case.id in offline and _declined(offline[r.case.id]) and not r.case.expect_decline]
    return {
        "cases": len(results),
        "ex": _rate([r.ok for r in results]),
        "ex_by_lang": {lang: _rate(oks) for lang, oks in sorted(by_lang.items())},
        "wrong_answers": len(wrong),
        "wrong_rate": round(len(wrong) / len(results), 4) if results else 0.0,
        "wrong_ids": [r.case.id for r in wrong],
        "planner_declines_answerable": len(gaps),
        "planner_declines_answered_right": sum(1 for r in gaps if r.ok),
        "llm_calls_per_question": round(total_calls / len(results), 3) if results else 0.0,
        "p50_s_llm_answered": _p50(llm_latency),
        "p50_s_planner_answered": _p50(planner_latency),
        "input_tokens_per_call": round(sum(_usage(r, "input_tokens") for r in results) / total_calls, 1)
        if total_calls else 0.0,
        "output_tokens_per_call": round(sum(_usage(r, "output_tokens") for r in results) / total_calls, 1)
        if total_calls else 0.0,
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


def _tag_regressions(offline: list[CaseResult], hybrid: list[CaseResult]) -> dict[str, list[float]]:
    def by_tag(results: list[CaseResult]) -> dict[str, float]:
        tags: dict[str, list[bool]] = defaultdict(list)
        for r in results:
            for tag in (*r.case.tags, f"lang:{r.case.lang}"):
                tags[tag].append(r.ok)
        return {t: _rate(v) for t, v in tags.items()}

    before, after = by_tag(offline), by_tag(hybrid)
    return {t: [before[t], after.get(t, 0.0)] for t in sorted(before) if after.get(t, 0.0) < before[t]}


def render(table: dict[str, Any]) -> str:
    columns = ["cases", "ex", "ex_by_lang", "wrong_answers", "planner_declines_answered_right",
               "llm_calls_per_question", "p50_s_llm_answered", "p50_s_planner_answered",
               "input_tokens_per_call", "output_tokens_per_call", "load_avg_mean"]
    lines = []
    for title, modes in [("all cases", table["modes"]),
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
