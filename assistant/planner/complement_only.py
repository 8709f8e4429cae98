""""Members only", "只看会员": a group named by the word its complement negates.

A model may name the rest of a group with "non-" / "非" ("non-member", "非会员": the loyalty
tier 'none'). Then "members only", "only members", "just members", "只看会员", "仅限会员" ask
for everyone but that member. The bare word was read as something else ("members": the count
of customers) and the condition was dropped, so the answer counted non-members too, without a
word. The question is read again with the complement excluded in the model's own words
("excluding non-members", "不含非会员"), so the model (not this module) says which member that
is. A word that is part of a longer term ("gold members only") is that term's, not this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from genbi.assistant.planner.reading import Reading, read
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.vocabulary import TermKind, Vocabulary

_NEGATED = re.compile(r"^(?:non ?(?P<en>[a-z][a-z ]+)|非(?P<zh>[\u4e00-\u9fff]{2,}))$")
_ONLY_EN = r"\b(?:only|just)\s(?:the\s|our\s)?{word}\b|\b{word}\sonly\b"
_ONLY_ZH = r"(?:只看|只算|只要|仅看|仅限|仅算|只统计|仅统计){word}"


@dataclass(frozen=True)
class ComplementOnly:
    reading: Reading
    note: str


def read_complement_only(question: str, reading: Reading, vocabulary: Vocabulary,
                         as_of: date) -> ComplementOnly | None:
    """``reading`` re-read with "X only" as "excluding non-X" when the model names non-X."""
    zh = reading.language == "zh"
    text = reading.text
    for negated, word in complements(vocabulary, zh):
        if word not in text:
            continue
        pattern = re.compile((_ONLY_ZH if zh else _ONLY_EN).format(word=re.escape(word)))
        said = next((m for m in pattern.finditer(text) if not _inside_longer_term(text, m, word, vocabulary)), None)
        if said is None:
            continue
        again_text = text[:said.start()] + (f"不含{negated}" if zh else f"excluding {negated}") + text[said.end():]
        again = read(again_text, vocabulary, as_of)
        if not any(v.negated and v.term.kind == TermKind.VALUE for v in again.values) or again.unknown:
            return None
        again.question = question
        note = f"我把“{said.group()}”理解为不含{negated}。" if zh else f"I read '{said.group()}' as excluding {negated}."
        return ComplementOnly(again, note)
    return None


def complements(vocabulary: Vocabulary, zh: bool) -> tuple[tuple[str, str], ...]:
    """(the complement's surface, the word it negates) for every value named "non-X" / "非X",
    longest word first. The same for every question: worked out once per vocabulary
    (``Vocabulary.derived``; the planner does it when it is made), not by a scan of every term
    per question."""
    return vocabulary.derived("complements_zh" if zh else "complements_en", lambda v: _complements(v, zh))


def _complements(vocabulary: Vocabulary, zh: bool) -> tuple[tuple[str, str], ...]:
    found = []
    for surface, terms in vocabulary.terms.items():
        if not any(t.kind == TermKind.VALUE for t in terms):
            continue
        match = _NEGATED.match(surface)
        if match is None or (match["zh"] is None) != (not zh):
            continue
        word = match["zh"] or match["en"].strip()
        if all(t.kind != TermKind.VALUE for t in vocabulary.terms.get(normalize(word), ())):
            found.append((surface, word))  # "organic only" beside "non organic": the value itself
    return tuple(sorted(found, key=lambda pair: -len(pair[1])))


def _inside_longer_term(text: str, said: re.Match[str], word: str, vocabulary: Vocabulary) -> bool:
    """"gold members only": the word is part of a longer term found at that place."""
    start = said.start() + said.group().index(word)
    end = start + len(word)
    return any(m.start <= start and end <= m.end and (m.end - m.start) > len(word) for m in vocabulary.find(text))
