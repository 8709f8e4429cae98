"""``genbi eval --llm``: the eval harness through the LLM brain, with tokens and cost per case.

``RecordingAnswerer`` wraps the assistant, keeps each scored answer's ``Usage`` by case, and
summarises what the LLM cost; ``add_usage_to_report`` writes it into the JSON report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbi.assistant.answer import Answer, AnswerRequest, Usage

_CASE = re.compile(r"^eval-(.+)-[0-9a-f]{8}$")


@dataclass
class RecordingAnswerer:
    inner: Any
    usage_by_case: dict[str, Usage] = field(default_factory=dict)
    brains: dict[str, str] = field(default_factory=dict)
    answers: int = 0
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0

    def answer(self, request: AnswerRequest) -> Answer:
        answer: Answer = self.inner.answer(request)
        self.answers += 1
        usage = answer.usage
        if usage is not None:
            self.requests += usage.llm_calls
            self.input_tokens += usage.input_tokens
            self.output_tokens += usage.output_tokens
            self.cost_usd = None if usage.cost_usd is None or self.cost_usd is None \
                else self.cost_usd + usage.cost_usd
        found = _CASE.match(request.session_id)
        if found:  # the last answer of a case's session is the scored one
            if usage is not None:
                self.usage_by_case[found.group(1)] = usage
            self.brains[found.group(1)] = answer.brain
        return answer

    def summary_lines(self, model: str, endpoint: str) -> list[str]:
        per = max(self.answers, 1)
        by_planner = sum(1 for b in self.brains.values() if b != model)
        cost = "unknown (set GENBI_LLM_PRICE)" if self.cost_usd is None else f"${self.cost_usd:.4f}"
        return [
            f"LLM: {model} at {endpoint}",
            f"  {self.answers} answers, {self.requests} LLM requests ({self.requests / per:.2f} per answer)",
            f"  tokens: {self.input_tokens:,} in + {self.output_tokens:,} out "
            f"({self.input_tokens / per:,.0f} + {self.output_tokens / per:,.0f} per answer); cost {cost}",
            f"  scored answers by the offline planner (planner first, or fallbacks): {by_planner} of {len(self.brains)}",
        ]

    def report_section(self, model: str, endpoint: str) -> dict[str, Any]:
        return {"model": model, "endpoint": endpoint, "answers": self.answers,
                "requests": self.requests, "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens, "cost_usd": self.cost_usd}


def add_usage_to_report(path: Path, recorder: RecordingAnswerer, model: str, endpoint: str) -> None:
    """Add ``llm`` (totals) and each case's ``usage`` to a ``genbi eval --report`` file."""
    report = json.loads(path.read_text(encoding="utf-8"))
    report["llm"] = recorder.report_section(model, endpoint)
    for case in report.get("cases", []):
        usage = recorder.usage_by_case.get(case.get("id"))
        if usage is not None:
            case["usage"] = {"llm_calls": usage.llm_calls, "input_tokens": usage.input_tokens,
                             "output_tokens": usage.output_tokens, "cost_usd": usage.cost_usd,
                             "corrections": usage.corrections, "retries": usage.retries}
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
