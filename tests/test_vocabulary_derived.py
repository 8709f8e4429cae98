"""``Vocabulary.derived``: what a reader works out from every term is worked out once per
vocabulary (not per question) and forgotten when a term is added; the "members only" reader's
complements, kept so, equal the scan it replaced."""

from __future__ import annotations

from genbi.assistant.planner import complement_only
from genbi.assistant.planner.reading import read
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.vocabulary import Term, TermKind, Vocabulary, build_vocabulary
from genbi.semantic_layer.loader import load_model
from genbi.settings import DEMO_AS_OF


def test_derived_is_built_once_and_forgotten_when_a_term_is_added() -> None:
    vocabulary = Vocabulary()
    vocabulary.add("non member", Term(TermKind.VALUE, "loyalty_tier", "none"))
    built: list[int] = []

    def count(v: Vocabulary) -> int:
        built.append(len(v.terms))
        return len(v.terms)

    assert vocabulary.derived("size", count) == 1
    assert vocabulary.derived("size", count) == 1
    assert built == [1]
    vocabulary.add("gold", Term(TermKind.VALUE, "loyalty_tier", "gold"))
    assert vocabulary.derived("size", count) == 2
    assert built == [1, 2]


def test_derived_does_not_change_equality() -> None:
    one, other = Vocabulary(), Vocabulary()
    for vocabulary in (one, other):
        vocabulary.add("non member", Term(TermKind.VALUE, "loyalty_tier", "none"))
    one.derived("size", lambda v: len(v.terms))
    assert one == other


def test_members_only_reads_the_complements_the_scan_finds() -> None:
    vocabulary = build_vocabulary(load_model())
    for question, zh in (("revenue from members only last month", False), ("上个月的销售额，只看会员", True)):
        reading = read(normalize(question), vocabulary, DEMO_AS_OF)
        assert (reading.language == "zh") == zh
        found = complement_only.read_complement_only(question, reading, vocabulary, DEMO_AS_OF)
        assert found is not None and ("non" in found.note or "非" in found.note)
        scanned = complement_only._complements(vocabulary, zh)
        assert scanned, "the demo model names a non-member value in both languages"
        assert vocabulary._derived["complements_zh" if zh else "complements_en"] == scanned
