"""Evaluation harness: the project's case files, result comparison, scoring and reports.

``main_eval`` is what ``genbi eval`` calls; ``run_eval`` is the library entry point.
"""

from genbi.eval.cases import EvalCase, load_cases
from genbi.eval.cli import main_eval
from genbi.eval.compare import Comparison, compare_results
from genbi.eval.harness import Answerer, run_eval
from genbi.eval.report import CaseResult, EvalReport
from genbi.eval.threshold import Threshold, check_threshold

__all__ = [
    "Answerer",
    "CaseResult",
    "Comparison",
    "EvalCase",
    "EvalReport",
    "Threshold",
    "check_threshold",
    "compare_results",
    "load_cases",
    "main_eval",
    "run_eval",
]
