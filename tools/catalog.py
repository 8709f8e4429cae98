"""Imports every tool module so each registers itself; add new tools here."""

from . import (
    ab_test,
    anomalies,
    budget,
    churn,
    clv,
    cohort,
    explain_change,
    funnel,
    identity,
    lifecycle,
    lookalike,
    rfm,
    segments,
)
from .attribution import tool as attribution
from .copywriting import tool as generate_copy

__all__ = ["ab_test", "anomalies", "attribution", "budget", "churn", "clv", "cohort", "explain_change", "funnel", "generate_copy", "identity", "lifecycle", "lookalike", "rfm", "segments"]

ORDER = tuple(module.__name__ for module in (ab_test, anomalies, budget, churn, clv, cohort, explain_change, funnel,
                                             identity, lifecycle, lookalike, rfm, segments, attribution, generate_copy))
"""Tool modules in the order the planner prefers their tools when their words tie."""
