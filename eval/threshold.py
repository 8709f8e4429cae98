"""The accuracy bar a run must clear (``eval/threshold.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from genbi.eval.report import EvalReport

THRESHOLD_PATH = Path(__file__).parent / "threshold.json"


class Threshold(BaseModel):
    """Minimum execution accuracy over all scored cases (declines included)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_accuracy: float = Field(ge=0.0, le=1.0)


@dataclass(frozen=True)
class ThresholdCheck:
    """Whether a run cleared the bar, in a sentence."""

    passed: bool
    message: str


def load_threshold(path: Path = THRESHOLD_PATH) -> Threshold:
    """Read a threshold file such as ``{"min_accuracy": 0.95}``."""
    return Threshold.model_validate(json.loads(path.read_text(encoding="utf-8")))


def check_threshold(report: EvalReport, threshold: Threshold) -> ThresholdCheck:
    """Pass when the run's accuracy is at or above ``min_accuracy``.

    A run without cases never passes: an empty selection is a mistake, not a success.
    """
    total = int(report.summary["cases"])
    accuracy = int(report.summary["passed"]) / total if total else 0.0
    passed = total > 0 and accuracy >= threshold.min_accuracy
    verdict = "PASS" if passed else "FAIL"
    return ThresholdCheck(
        passed,
        f"{verdict}: accuracy {accuracy:.1%} over {total} cases "
        f"(threshold {threshold.min_accuracy:.1%})",
    )
