"""Who a tool question limits the tool to, when no setting of the tool takes it.

A marketing tool runs on everyone (every customer, session or journey) unless one of its
settings narrows it. A question often narrows it in words the metric reading understands but
the tool call has no place for: a yes/no tag ("churn risk for VIP customers"), a comparison on
a number ("RFM for customers over 30", "30岁以上客户"), a signup cohort ("CLV of customers who
joined last year"), or a word the model does not know at all ("RFM on rainy days"). Dropped,
each turns the answer into a confident number about a group the user did not ask about, so
each is said in a note on the answer. Values ("for female customers") are said by
``tool_intents.unused_by_tool``; this module adds the other kinds.

A signup cohort is never the tool's analysis date either: "churn risk for customers who joined
last year" is not churn risk as of the end of last year (``joined_times``).
"""

from __future__ import annotations

import re
from typing import Any

from genbi.assistant.planner.reading import Reading, TimeMention
from genbi.assistant.planner.text import normalize
from genbi.tools.base import ToolSpec

COHORT_FIELD = "basis"
"""The setting through which a tool reads a signup cohort (cohort retention's ``basis``)."""


def takes_cohorts(spec: ToolSpec[Any]) -> bool:
    return COHORT_FIELD in spec.args_model.model_fields


def joined_times(reading: Reading) -> list[TimeMention]:
    """The periods said of when customers joined ("joined last year", "去年注册的")."""
    return [mention for _, mention, _, _ in reading.joined]


def tool_times(reading: Reading, spec: ToolSpec[Any]) -> list[TimeMention]:
    """The periods a tool may take as its own: a signup cohort only by a tool that reads cohorts."""
    if takes_cohorts(spec) or not reading.joined:
        return list(reading.times)
    cohort = {(m.start, m.end) for m in joined_times(reading)}
    return [m for m in reading.times if (m.start, m.end) not in cohort]


def unlimited_conditions(reading: Reading, arguments: dict[str, Any], spec: ToolSpec[Any],
                         span: tuple[int, int], flags: frozenset[str], zh: bool) -> tuple[str, ...]:
    """Notes for what the question limited the tool to and no setting took (module docstring)."""
    tool = spec.name
    used = " ".join(str(v) for v in arguments.values()).lower()
    notes: list[str] = []
    said: list[tuple[int, int]] = []

    def limited(start: int, end: int) -> None:
        surface = reading.text[start:end].strip()
        if not surface or any(a < end and start < b for a, b in said) or (span[0] < end and start < span[1]):
            return
        said.append((start, end))
        notes.append(f"{tool}工具没有按“{surface}”限定，以下是全部的结果。" if zh
                     else f"The {tool} tool was not limited to '{surface}'; this is its result for everyone.")

    for mention in reading.dimensions:  # "VIP customers": a tag said as who, not a split
        if mention.term.target in flags and not mention.grouped and not mention.negated \
                and mention.term.target != arguments.get("by") and mention.term.target not in used:
            limited(mention.start, mention.end)
    for found in reading.ranges:  # "over 30", "30岁以上"
        if found.dimension not in used:
            limited(found.start, found.end)
    if not takes_cohorts(spec) and "joined=" not in used:
        for _, _, start, end in reading.joined:  # "customers who joined last year"
            limited(start, end)
    leftover = _unused_words(reading, arguments, spec, span)
    if leftover:
        words = "、".join(f"“{w}”" for w in leftover) if zh else ", ".join(f"'{w}'" for w in leftover)
        notes.append(f"问题中的{words}没有用上：{tool}工具不认识这些词，以下是全部的结果。" if zh
                     else f"{words} {'was' if len(leftover) == 1 else 'were'} not used: the {tool} tool does not "
                          "know what to do with it; this is its result for everyone.")
    return tuple(notes)


_ANALYSIS = re.compile(
    r"^(?:analysis|analyses|analyze|analyse|analyzing|model|models|modeling|modelling|run|report|reports|"
    r"breakdown|overview|result|results|score|scores|scoring|table|view|chart|summary|"
    r"分析|模型|报告|结果|看看|一下|跑一下|做一下|做个|来个|情况)$")
"""Words that only name an analysis being asked for ("RFM analysis", "流失模型")."""


def _unused_words(reading: Reading, arguments: dict[str, Any], spec: ToolSpec[Any],
                  span: tuple[int, int]) -> list[str]:
    """Unknown words outside the tool's own words and settings that its reader does not take
    either. Words next to each other are tried together ("lookback window of 14 days": either
    word alone still names the window)."""
    own = {part for intent in spec.intents for part in normalize(intent).split()}
    own.update(normalize(spec.name.replace("_", " ")).split())
    own.update(part for name in spec.args_model.model_fields for part in name.split("_"))
    named = reading.text[span[0]:span[1]]
    used = " ".join(str(v) for v in arguments.values()).lower()
    candidates = [word for word in reading.unknown
                  if not (word in own or word.removesuffix("s") in own or word in named or word in used
                          or _ANALYSIS.match(word) or any(word in normalize(i) for i in spec.intents))
                  and _said_as_condition(word, reading.text)]
    reader = getattr(spec.args_model, "from_question", None)
    if not candidates or not callable(reader):
        return candidates
    values = [(m.term.target, m.term.value) for m in reading.values if not m.negated]
    before = reader(reading.question, values)
    left = []
    for run in _runs(candidates, reading.question):
        # the run with a word either side: "lookback window" names the setting with either word
        said = re.escape(run[0]) + "".join(r"[\s-]*" + re.escape(w) for w in run[1:])
        without = re.sub(r"(?:[\w'-]+\s+)?" + said + r"(?:\s+[\w'-]+)?", " ", reading.question, flags=re.IGNORECASE)
        if without != reading.question and reader(without, values) == before:
            left.extend(run)  # the tool's own reader did not take it (a copy tone, an attribution model)
    return left


_CONDITION_BEFORE = r"\b(?:on|in|for|among|during|with|at|from|of|when|where|who|whose|that|which)\s+(?:[a-z0-9'-]+\s+){0,3}"
"""A word said in a phrase that limits who or when ("on rainy days", "for customers who X"); a
word said anywhere else in a tool question is usually how it is asked ("build", "how big")."""


def _said_as_condition(word: str, text: str) -> bool:
    if word.isascii():
        return re.search(_CONDITION_BEFORE + re.escape(word) + r"\b", text) is not None
    return re.search(re.escape(word) + r"(?:的|时|期间|里|中)", text) is not None  # "下雨天的", "下雨时"


def _runs(words: list[str], question: str) -> list[list[str]]:
    """``words`` grouped into runs said next to each other in ``question``."""
    runs: list[list[str]] = []
    for word in words:
        if runs and re.search(re.escape(runs[-1][-1]) + r"[\s-]*" + re.escape(word), question, re.IGNORECASE):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs
