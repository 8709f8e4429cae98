"""Which brain answers a question, and why: the planner first, the LLM only where it adds.

The offline planner reads every question (milliseconds, no tokens). When its reading is
complete — every content word explained, one meaning — its answer stands and no model is
called. The model is asked only when the planner declines for want of words (an unknown
word, no metric found), and the agent loop only for what only a model does (copy, a
free-form "why"). Clarifying questions, write requests, questions the semantic model
cannot express and words the planner knows the model lacks (``unmodelled``) stay with the
planner: a model could only answer them wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from genbi.assistant.planner.planner import PlannerResult
from genbi.assistant.planner.unmodelled import unmodelled_terms

RouteKind = Literal["planner", "spec", "agent"]

EXPLANATION = re.compile(
    r"\b(?:why|explain|explanation|reason|reasons|what caused|what drove|analy[sz]e|insights?)\b"
    r"|为什么|为啥|原因|解释|分析一下|怎么回事|归因分析"
)
"""A request for a free-form explanation (only when the planner has no reading of its own)."""


@dataclass(frozen=True)
class Route:
    kind: RouteKind
    """``planner`` (no LLM call), ``spec`` (one constrained spec call) or ``agent`` (the loop)."""
    why: str
    """Shown with the answer ("the planner read every word")."""


def decide(plan: PlannerResult, question: str) -> Route:
    """The route for a question the planner has read (``plan``)."""
    reading = plan.reading
    if plan.tool_call is not None:
        if plan.tool_call.name == "generate_copy":
            return Route("agent", "marketing copy is written by the language model")
        return Route("planner", f"the planner matched the {plan.tool_call.name} tool")
    if plan.spec is not None:
        return Route("planner", "the planner read every word of the question")
    if plan.choice_labels:
        return Route("planner", "the question has more than one reading; the planner asks which")
    if reading is None:
        return Route("planner", "the planner declined before reading (empty or too long)")
    if EXPLANATION.search(reading.text):
        return Route("agent", "the question asks for an explanation")
    if reading.write_intent:
        return Route("planner", "genbi only reads data")
    if reading.unknown and (terms := unmodelled_terms(reading.unknown, reading.text)):
        # a term the planner knows the model lacks ("股价", "profit"): a model asked to fill
        # a spec can only put another metric in its place
        named = ", ".join(t.name for t in terms)
        return Route("planner", f"the semantic model has no {named}")
    if reading.unknown:
        words = ", ".join(f"'{w}'" for w in reading.unknown)
        return Route("spec", f"the planner did not understand {words}")
    if not reading.metrics:
        return Route("spec", "the planner found no metric in the question")
    return Route("planner", "the planner declined: the semantic model cannot express it")
