"""Numbers compared with a number dimension: "under 25", "25-34岁", "aged 40+", "95后".

A model's number dimensions (``type: number``, e.g. age on the as-of date) are compared,
not listed by value. A comparison is read as a filter on one of them only when it is
anchored to it: the dimension's word is next to it ("age under 25", "年龄在30岁以下",
"25-34岁", "18-24 year olds"), or, for an age, a person noun is ("customers under 25").
Anything else stays a number nobody explained, which the coverage pass declines on.

Birth cohorts ("95后", "85后") that the model does not list as values are a range of the
model's birth-year column (role ``customer_birth_year``): born 1995-1999.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from genbi.assistant.planner.vocabulary import Term, TermKind, Vocabulary
from genbi.screened import ScreenedGroup
from genbi.semantic_layer.query_spec import FilterOp

_UNIT = r"(?: ?(?:岁|周岁|years? olds?|yrs? olds?|years? of age|y o))?"
_N = r"(?P<a>\d{1,3})"
_M = r"(?P<b>\d{1,3})"
_FORMS: tuple[tuple[re.Pattern[str], FilterOp], ...] = (
    (re.compile(rf"between {_N} and {_M}{_UNIT}"), FilterOp.BETWEEN),
    (re.compile(rf"{_N} ?(?:-|to|~|–|到|至) ?{_M}{_UNIT}"), FilterOp.BETWEEN),
    (re.compile(rf"(?:under|below|younger than|less than|不到|小于|低于|未满) ?{_N}{_UNIT}"), FilterOp.LT),
    (re.compile(rf"{_N}{_UNIT} ?(?:以下|以内)"), FilterOp.LT),
    (re.compile(rf"(?:over|above|older than|more than|超过|大于|高于) ?{_N}{_UNIT}"), FilterOp.GT),
    (re.compile(rf"{_N}{_UNIT} ?(?:\+|and (?:over|above|older|up)|or (?:older|over|more|above)|及以上|或以上|以上)"),
     FilterOp.GE),
    (re.compile(rf"(?:at least|至少|不低于|不小于) ?{_N}{_UNIT}"), FilterOp.GE),
    (re.compile(rf"(?:at most|up to|不超过|不大于) ?{_N}{_UNIT}"), FilterOp.LE),
    (re.compile(rf"{_N} ?(?:岁|周岁|years? olds?|yrs? olds?)"), FilterOp.EQ),
    (re.compile(rf"(?:\bof|\bequal to|\bequals|=|为|等于) ?{_N}(?![\d.%])"), FilterOp.EQ),
)
_ANY_FORM = ScreenedGroup([pattern for pattern, _ in _FORMS])
"""Which of ``_FORMS`` may match a text, in one look (``genbi.screened``): a digit is in most
questions (a year), a comparison's words in few, and each form tried at every character."""
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:customers?|users?|buyers?|shoppers?|members?|people|consumers?|clients?|women|men|females?|males?)"
    r"(?: who are| that are| are| aged| age)?|(?:客户|用户|买家|会员|顾客|消费者|人群|女性|男性)(?:中|里)?)\s?$"
)
_ANCHOR_GAP = 8
_DIGIT = re.compile(r"\d")
"""How far (characters) the dimension's word may sit from the comparison."""
_COHORT = re.compile(r"(?<!\d)(\d)([1-9])后")
""""95后", "85后": not a decade (those are the model's own values, "90后")."""


@dataclass(frozen=True)
class RangeMention:
    """A number dimension compared with numbers, and the characters that said it."""

    start: int
    end: int
    dimension: str
    op: FilterOp
    values: tuple[int, ...]
    anchor: tuple[int, int] | None = None
    """The dimension's own word, when it was written ("age", "岁")."""


def find_ranges(text: str, taken: list[bool], vocabulary: Vocabulary, as_of: date) -> list[RangeMention]:
    """Comparisons anchored to a number dimension, and birth cohorts, left to right."""
    if not _DIGIT.search(text):
        return []  # every form and the cohort pattern need a digit (\d)
    found = _cohorts(text, taken, vocabulary, as_of) + _comparisons(text, taken, vocabulary)
    return sorted(found, key=lambda r: r.start)


def _comparisons(text: str, taken: list[bool], vocabulary: Vocabulary) -> list[RangeMention]:
    if not vocabulary.number_dimensions:
        return []
    words: list | None = None  # the number dimensions' words, looked up once a comparison is written
    used = list(taken)
    out: list[RangeMention] = []
    for index in _ANY_FORM.candidates(text):  # the forms in order; one no match can come from adds nothing
        pattern, op = _FORMS[index]
        for match in pattern.finditer(text):
            if any(used[match.start():match.end()]):
                continue
            if words is None:
                words = [m for m in vocabulary.find(text) if any(_number_of(t, vocabulary) for t in m.terms)]
            dimension, anchor = _anchor(text, match, words, vocabulary)
            if dimension is None:
                continue
            values = tuple(int(v) for v in (match["a"], match.groupdict().get("b")) if v)
            if op == FilterOp.BETWEEN and values[0] > values[1]:
                continue
            out.append(RangeMention(match.start(), match.end(), dimension, op, values, anchor))
            for i in range(match.start(), match.end()):
                used[i] = True
    return out


def _anchor(text: str, match: re.Match[str], words: list, vocabulary: Vocabulary) -> tuple[str | None, tuple[int, int] | None]:
    """The number dimension a comparison is about: its word inside, before or after it, or
    (for an age) a person noun right before it."""
    for word in words:
        inside = match.start() <= word.start and word.end <= match.end()
        before = 0 <= match.start() - word.end <= _ANCHOR_GAP and re.fullmatch(r"(?:[\s在是为的:]|\bof\b)*", text[word.end:match.start()])
        after = 0 <= word.start - match.end() <= 2
        if inside or before or after:
            target = next(found for t in word.terms if (found := _number_of(t, vocabulary)))
            return target, (word.start, word.end)
    if vocabulary.age_dimension and _PERSON_BEFORE.search(text[:match.start()]):
        return vocabulary.age_dimension, None
    return None, None


def _number_of(term: Term, vocabulary: Vocabulary) -> str | None:
    """The number dimension a word names: its own, or the one of the column its metric
    averages ('spending score above 80' compares each customer's score)."""
    if term.kind == TermKind.DIMENSION and term.target in vocabulary.number_dimensions:
        return term.target
    if term.kind == TermKind.METRIC:
        return vocabulary.row_numbers.get(term.target)
    return None


def _cohorts(text: str, taken: list[bool], vocabulary: Vocabulary, as_of: date) -> list[RangeMention]:
    if vocabulary.birth_year_dimension is None:
        return []
    out = []
    for match in _COHORT.finditer(text):
        if any(taken[match.start():match.end()]) or match.group() in vocabulary.terms:
            continue
        two = int(match[1] + match[2])
        first = 2000 + two if two <= as_of.year % 100 else 1900 + two
        last = first - first % 10 + 9
        out.append(RangeMention(match.start(), match.end(), vocabulary.birth_year_dimension, FilterOp.BETWEEN,
                                (first, last)))
    return out
