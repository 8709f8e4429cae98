""""Which objective gets the cheapest clicks?": a unit cost said as cheap or expensive.

Marketers rank by a cost per unit with the price adjective instead of its name ("the
cheapest clicks", "most expensive channel per conversion", "where are leads cheapest",
"哪个渠道点击最便宜"). The planner knew neither "cheapest" nor "expensive" and declined, or
read "clicks" alone and ranked by the number of clicks. When the adjective sits beside a
unit, the question is read again with "lowest/highest cost per <unit>" ("<unit>成本最低/最高")
in its place, so the model (not this module) decides which metric that is: it must read as
exactly one metric that is a cost per that unit; otherwise nothing changes. The answer says
how it was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from genbi.assistant.planner.ranking import less_is_better
from genbi.assistant.planner.reading import Reading, read
from genbi.assistant.planner.vocabulary import Vocabulary
from genbi.semantic_layer.naming import singular

_LOW = r"cheapest|cheaper|least\sexpensive|less\sexpensive|lowest[- ]cost|lower[- ]cost"
_HIGH = (r"most\sexpensive|more\sexpensive|priciest|pricier|costliest|costlier"
         r"|highest[- ]cost|higher[- ]cost")
_UNIT = r"[a-z]+"
_BEFORE_EN = re.compile(rf"\b(?:the\s)?(?P<adj>{_LOW}|{_HIGH})\s(?P<unit>{_UNIT})\b", re.IGNORECASE)
""""the cheapest clicks", "most expensive conversions"."""
_PER_EN = re.compile(rf"\b(?:the\s)?(?P<adj>{_LOW}|{_HIGH})\b(?P<between>(?:\s[a-z]+){{0,3}}?)\s"
                     rf"(?:per|for\sa|for\seach|a)\s(?P<unit>{_UNIT})\b", re.IGNORECASE)
""""the most expensive channel per click", "cheapest campaign for a conversion"."""
_AFTER_EN = re.compile(rf"\b(?P<unit>{_UNIT})\s(?:(?:are|is|were|was|come|comes|came|get|gets|got)\s)?"
                       rf"(?:the\s)?(?P<adj>{_LOW}|{_HIGH})\b", re.IGNORECASE)
""""where are clicks cheapest", "which channel's leads come cheapest"."""
_ZH = re.compile(r"(?P<unit>点击|转化|获客|拉新|订单|下单|曝光|线索)(?:的)?(?:成本)?(?P<adj>最便宜|更便宜|便宜|最贵|更贵|贵)"
                 r"|(?P<adj2>最便宜|最贵)的(?P<unit2>点击|转化|订单|曝光|线索)")


@dataclass(frozen=True)
class UnitCost:
    reading: Reading
    note: str
    metric: str


def read_unit_cost(question: str, reading: Reading, vocabulary: Vocabulary, as_of: date) -> UnitCost | None:
    """``reading`` re-read with the unit cost's name where the question said cheap or
    expensive beside a unit, or None."""
    if (named := _named_cost(question, reading, vocabulary, as_of)) is not None:
        return named
    if reading.language == "zh":
        return _zh(question, reading, vocabulary, as_of)
    for pattern in (_PER_EN, _BEFORE_EN, _AFTER_EN):
        said = pattern.search(question)
        if said is None:
            continue
        unit = singular(said["unit"].lower())
        high = re.fullmatch(_HIGH, said["adj"].lower()) is not None
        cost = f"{'highest' if high else 'lowest'} cost per {unit}"
        if pattern is _PER_EN:
            text = question[:said.start()] + cost + said["between"] + question[said.end():]
        else:
            text = question[:said.start()] + cost + question[said.end():]
        found = _one_cost(text, question, reading, vocabulary, as_of, f"cost per {unit}", unit)
        if found is not None:
            return UnitCost(found[0], f"I read '{said.group(0).strip()}' as the {cost}.", found[1])
    return None


def _zh(question: str, reading: Reading, vocabulary: Vocabulary, as_of: date) -> UnitCost | None:
    said = _ZH.search(question)
    if said is None:
        return None
    unit = said["unit"] or said["unit2"]
    adjective = said["adj"] or said["adj2"]
    cost = f"{unit}成本{'最高' if '贵' in adjective else '最低'}"
    text = question[:said.start()] + cost + question[said.end():]
    found = _one_cost(text, question, reading, vocabulary, as_of, f"{unit}成本", unit)
    if found is None:
        return None
    return UnitCost(found[0], f"我把“{said.group(0)}”理解为{cost}。", found[1])


def _one_cost(text: str, question: str, reading: Reading, vocabulary: Vocabulary, as_of: date,
              surface: str, unit: str) -> tuple[Reading, str] | None:
    """The re-read, when it names exactly one metric where the unit cost was said and no
    metric the first reading had besides the unit itself ("clicks", 点击)."""
    again = read(text, vocabulary, as_of)
    targets = {m.term.target for m in again.metrics}
    if len(targets) != 1 or not any(surface in m.surface.lower() for m in again.metrics):
        return None
    before = {m.term.target for m in reading.metrics if singular(m.surface.lower()) != unit}
    if before - targets:
        return None  # the question named another metric too: not a ranking by the unit cost alone
    again.question = question
    return again, next(iter(targets))


_ADJECTIVE = re.compile(rf"\b(?P<adj>{_LOW}|{_HIGH})\b|(?P<zh>最便宜|更便宜|便宜|最贵|更贵)", re.IGNORECASE)
_NEXT_TO = re.compile(r"^(?:\s|the\s|was\s|is\s|were\s|are\s|的)*$")


def _named_cost(question: str, reading: Reading, vocabulary: Vocabulary, as_of: date) -> UnitCost | None:
    """"which objective had the cheapest CPA", "哪个渠道CPA最便宜", "most expensive CPC": a price
    adjective beside a metric that is itself a cost is its lowest (highest); "cheapest" was an
    unknown word and the question was declined."""
    text = reading.text
    for said in _ADJECTIVE.finditer(text):
        adjective = (said["adj"] or said["zh"]).lower()
        high = "贵" in adjective or re.fullmatch(_HIGH, adjective) is not None
        beside = [m for m in reading.metrics
                  if _NEXT_TO.match(text[said.end():m.start]) or _NEXT_TO.match(text[m.end:said.start()])]
        if len(beside) != 1 or not less_is_better(None, beside[0].term.target):
            continue
        word = ("最高" if high else "最低") if said["zh"] else ("highest" if high else "lowest")
        again = read(text[:said.start()] + word + text[said.end():], vocabulary, as_of)
        if again.unknown or {m.term.target for m in again.metrics} != {m.term.target for m in reading.metrics}:
            continue
        again.question = question
        note = (f"我把“{said.group(0)}”理解为{word}。" if said["zh"]
                else f"I read '{said.group(0)}' as {word} (a cost is cheapest when it is lowest).")
        return UnitCost(again, note, beside[0].term.target)
    return None
