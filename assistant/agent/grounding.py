"""Grounding: the model's reading is used only where the question supports it.

The model fills a spec whose every item names the words of the question it came from
(``spec_schema``). Here each item is located in the question:

- words the planner already read as the same thing: nothing new, nothing to say;
- words the planner did not understand (or read as filler): the model's reading of them
  becomes a term of the planner's vocabulary for this one question, and is shown to the
  user as an assumption ("I read 'take' as revenue");
- words not in the question, words the planner confidently read as something else, or a
  breakdown named in words that share nothing with the dimension's names: not used.

The planner then reads the question again with those terms and assembles the spec itself
(periods, rankings, comparisons, follow-ups and fan-out rules stay its own), so the model's
answer can never contradict what the planner understood. The model's reading is rejected,
and the planner's decline stands, when the model says the data does not record something
the question asks, when a word the planner did not understand stays unexplained, or when
the model stretches a metric the question already names over a distant unknown word
("revenue on rainy days" is not revenue).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from genbi.assistant.agent.spec_schema import FilledSpec, Item, stored_value
from genbi.assistant.planner.cues import STOPWORDS_EN
from genbi.assistant.planner.planner import OfflinePlanner, PlannerResult
from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.text import has_cjk, normalize
from genbi.assistant.planner.vocabulary import Term, TermKind, Vocabulary
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import METRIC_TIME, QuerySpec

EDGE_ZH = " 的了地得在和与及或从对把被是有"
"""Chinese function characters trimmed from the edges of a reading's words."""


GENERIC_WORDS = frozenset({
    "data", "the data", "numbers", "the numbers", "figures", "stats", "statistics", "metrics", "kpis", "kpi",
    "results", "things", "everything", "overview", "report", "dashboard",
    "数据", "数字", "指标", "情况", "整体情况", "总体情况", "报表", "报告", "概况", "一切",
})
"""Words for data in general: read as one metric ("数据怎么样" as revenue) they answer a
question nobody asked; the planner's "which metric?" stands."""


@dataclass(frozen=True)
class Assumption:
    """A reading of the question's words that only the model vouches for."""

    words: str
    term: Term

    def text(self, model: SemanticModel, language: str) -> str:
        zh = language == "zh"
        meaning = _label(model, self.term, zh)
        return f"我把“{self.words}”理解为{meaning}。" if zh else f"I read '{self.words}' as {meaning}."


@dataclass(frozen=True)
class Grounded:
    """The planner's spec built with the model's grounded readings, or why they were rejected."""

    spec: QuerySpec | None = None
    plan: PlannerResult | None = None
    assumptions: tuple[Assumption, ...] = ()
    rejected: str | None = None
    ignored: tuple[str, ...] = ()
    """Items of the model's spec with no support in the question (not used)."""


def ground(question: str, filled: FilledSpec, *, planner: OfflinePlanner, reading: Reading,
           as_of: date, previous: QuerySpec | None) -> Grounded:
    """Check the model's reading against the question and the planner's; re-plan with it."""
    text = reading.text
    unsupported = [w for w in filled.unsupported if _locate(text, w) is not None]
    if unsupported:
        return Grounded(rejected=f"the model says the data does not record '{unsupported[0]}'")
    known = _mentions(reading)
    additions: list[tuple[str, Term]] = []
    ignored: list[str] = []
    for item in filled.items:
        term = _term(item, planner)
        span = _locate(text, item.words)
        if term is None or span is None:
            ignored.append(f"{item.kind} {item.name} ({item.words or 'no words'})")
            continue
        surface = _uncovered(text, span, known)
        if surface and normalize(surface) in GENERIC_WORDS:
            ignored.append(f"{item.kind} {item.name} ({surface}: names no measure)")
            continue
        if surface and term.kind == TermKind.DIMENSION and not _names_alike(item.words, planner.model, term.target):
            ignored.append(f"{item.kind} {item.name} ({surface}: no word in common)")
            continue
        if surface:
            additions.append((surface, term))
    if not additions:
        return Grounded(rejected="the model's reading adds nothing the question supports", ignored=tuple(ignored))
    replanner = _with_terms(planner, additions)
    plan = replanner.plan(question, as_of=as_of, previous=previous)
    if plan.spec is None or plan.reading is None:
        reason = plan.reading.unknown if plan.reading is not None and plan.reading.unknown else None
        why = f"'{reason[0]}' stays unexplained" if reason else (plan.decline_reason or "the planner still declines")
        return Grounded(rejected=why, ignored=tuple(ignored))
    added = {normalize(s) for s, _ in additions}
    used = [m for m in _mentions(plan.reading) if m.surface in added]
    stretched = _stretched(plan.reading, used)
    if stretched is not None:
        return Grounded(rejected=stretched, ignored=tuple(ignored))
    assumptions = tuple(dict.fromkeys(Assumption(m.surface, m.term) for m in used))
    return Grounded(spec=plan.spec, plan=plan, assumptions=assumptions, ignored=tuple(ignored))


def _names_alike(words: str, model: SemanticModel, dimension: str) -> bool:
    """Whether ``words`` share a word (English, by its first four letters) or a character
    (Chinese) with the dimension's names. A breakdown the model reads from unrelated words
    ("revenue by payment method" read as by sales channel) splits by something the question
    did not ask for; a metric can be said in unrelated words ("the take"), a split rarely is."""
    target = model.dimension(dimension)
    names = " ".join((target.name.replace("_", " "), target.label, target.label_zh or "", *target.synonyms))
    folded, named = normalize(words), normalize(names)

    def stems(text: str) -> set[str]:
        return {w[:4] for w in re.findall(r"[a-z0-9]+", text) if len(w) > 1 and w not in STOPWORDS_EN}

    characters = {c for c in folded if has_cjk(c)} - set(EDGE_ZH) - set("数量个们")
    return bool(stems(folded) & stems(named)) or bool(characters & {c for c in named if has_cjk(c)})


def _term(item: Item, planner: OfflinePlanner) -> Term | None:
    model = planner.model
    if item.kind == "metric":
        return Term(TermKind.METRIC, item.name)
    if item.kind == "group_by":
        return Term(TermKind.DIMENSION, item.name) if item.name != METRIC_TIME else None
    if len(item.values) != 1 or not model.has_dimension(item.name):
        return None  # one surface names one value; several are read by the planner itself
    value = stored_value(known_values(planner.vocabulary, model).get(item.name, []), item.values[0])
    return Term(TermKind.VALUE, item.name, value=value) if value is not None else None


def known_values(vocabulary: Vocabulary, model: SemanticModel) -> dict[str, list[Any]]:
    """Every stored value per dimension: the model's listed values and the value index."""
    cached = getattr(vocabulary, "_genbi_known_values", None)
    if cached is not None:
        return dict(cached)
    out: dict[str, list[Any]] = {d.name: [v.value for v in d.values] for d in model.dimensions if not d.pii}
    for terms in vocabulary.terms.values():
        for term in terms:
            if term.kind == TermKind.VALUE and term.value not in out.setdefault(term.target, []):
                out[term.target].append(term.value)
    vocabulary._genbi_known_values = out
    return out


def _mentions(reading: Reading) -> list[Mention]:
    return [*reading.metrics, *reading.dimensions, *reading.values]


def _locate(text: str, words: str) -> tuple[int, int] | None:
    """Where ``words`` (folded like the question) stand in ``text``, on word edges."""
    wanted = normalize(words).strip(" ,.?!，。？！")
    if not wanted:
        return None
    pattern = re.escape(wanted) if has_cjk(wanted) else rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9])"
    found = re.search(pattern, text)
    return found.span() if found else None


def _uncovered(text: str, span: tuple[int, int], known: list[Mention]) -> str:
    """The longest part of ``span`` the planner did not already read, without function words
    at its edges; '' when the planner read all of it."""
    start, end = span
    covered = [False] * (end - start)
    for mention in known:
        for i in range(max(mention.start, start), min(mention.end, end)):
            covered[i - start] = True
    pieces = re.split(r"\x00+", "".join("\x00" if c else text[start + i] for i, c in enumerate(covered)))
    best = max((_trim(p) for p in pieces), key=len, default="")
    return best if len(best) >= 2 or has_cjk(best) else ""


def _trim(piece: str) -> str:
    """Drop function words at the edges: "on rainy days" is about "rainy days"."""
    words = piece.split()
    while words and words[0] in STOPWORDS_EN:
        words.pop(0)
    while words and words[-1] in STOPWORDS_EN:
        words.pop()
    return " ".join(words).strip(EDGE_ZH)


def _with_terms(planner: OfflinePlanner, additions: list[tuple[str, Term]]) -> OfflinePlanner:
    """The planner with ``additions`` as the only meanings of their surfaces (this question only)."""
    terms = dict(planner.vocabulary.terms)
    for surface, term in additions:
        terms[normalize(surface)] = [term]
    overlay = Vocabulary(terms=terms)
    overlay.compile()
    clone = copy.copy(planner)
    clone.vocabulary = overlay
    return clone


def _stretched(reading: Reading, used: list[Mention]) -> str | None:
    """A model reading that maps a word onto a metric / dimension / value the question names
    elsewhere, not right beside it ("revenue on rainy days" → rainy = revenue)."""
    others = [m for m in _mentions(reading) if m not in used]
    for mention in used:
        same = [o for o in others if o.term.kind == mention.term.kind and o.term.target == mention.term.target]
        if same and not any(_adjacent(reading.text, mention, o) for o in same):
            return f"the model read '{mention.surface}' as {mention.term.target}, named elsewhere in the question"
    return None


def _adjacent(text: str, a: Mention, b: Mention) -> bool:
    first, second = (a, b) if a.start <= b.start else (b, a)
    return not text[first.end:second.start].strip()


def _label(model: SemanticModel, term: Term, zh: bool) -> str:
    if term.kind == TermKind.METRIC and model.has_metric(term.target):
        metric = model.metric(term.target)
        return f"“{metric.label_zh}”" if zh else metric.label.lower()
    if model.has_dimension(term.target):
        dimension = model.dimension(term.target)
        name = dimension.label_zh if zh else dimension.label.lower()
        if term.kind == TermKind.VALUE:
            return f"{name} = {term.value}" if not zh else f"“{name}={term.value}”"
        return f"“{name}”" if zh else f"the {name}"
    return term.target
