"""Planning speed of the offline planner on the project's eval questions.

Reports per-question planning time (question -> query spec, no SQL run) and compile time
(spec -> SQL), each as a ratio to a baseline measured in the same run: text normalisation
of the same questions, the cheapest step every question goes through.

    .venv/bin/python bench/bench_planner.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.planner.text import normalize
from genbi.eval.cases import default_case_paths, load_cases
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.loader import load_model


def timed(function: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    model = load_model()
    planner = OfflinePlanner(model)
    as_of = date(2025, 12, 31)
    questions = [c.question for c in load_cases(default_case_paths())]
    base, plan, comp = [], [], []
    for question in questions:
        base.append(timed(lambda q=question: normalize(q), repeat))
        plan.append(timed(lambda q=question: planner.plan(q, as_of=as_of), repeat))
        spec = planner.plan(question, as_of=as_of).spec
        if spec is not None:
            comp.append(timed(lambda s=spec: compile_spec(s, model, as_of=as_of), repeat))

    def line(name: str, values: list[float]) -> str:
        p50 = statistics.median(values)
        p95 = sorted(values)[int(0.95 * (len(values) - 1))]
        ratio = p50 / statistics.median(base)
        return f"{name:<14}{p50:>9.3f}{p95:>9.3f}{ratio:>12.1f}x"

    print(f"{len(questions)} questions, best of {repeat} runs each")
    print(f"{'step':<14}{'p50 ms':>9}{'p95 ms':>9}{'vs baseline':>13}")
    print(line("normalise", base))
    print(line("plan", plan))
    print(line("compile", comp))


if __name__ == "__main__":
    main()
