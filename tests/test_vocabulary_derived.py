"""``Vocabulary.derived``: what a reader works out from every term is worked out once per
vocabulary (when the planner is made, not per question) and forgotten when a term is added;
the "members only" and "did we email" readers' indexes, kept so, equal the scans they
replaced."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, ValuesView

from genbi.assistant.planner import complement_only, contacted
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.planner.reading import read
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.vocabulary import Term, TermKind, Vocabulary
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


def test_a_planner_derives_its_readers_indexes_when_it_is_made_and_they_equal_the_scans() -> None:
    model = load_model()
    planner = OfflinePlanner(model)
    vocabulary = planner.vocabulary
    dims = contacted.touch_dimensions(model)
    assert dims
    kept = dict(vocabulary._derived)
    assert set(kept) == {"complements_en", "complements_zh", f"touch values of {dims}"}
    for zh in (False, True):
        assert kept["complements_zh" if zh else "complements_en"] == complement_only._complements(vocabulary, zh)
    touch, by_first_word = kept[f"touch values of {dims}"]
    # the scans ``_channel_verb`` made per question: every word a surface starts with, and others
    scanned_touch = {t.value: t for terms in vocabulary.terms.values() for t in terms
                     if t.kind == TermKind.VALUE and t.target in dims}
    assert touch == scanned_touch and touch
    verbs = {s.split(" ", 1)[0] for s in vocabulary.terms} | {"email", "text", "sms", "push", "have", "x", "e"}
    for verb in verbs:
        named = {t.value for surface, terms in vocabulary.terms.items()
                 if surface == verb or surface.startswith(verb + " ")
                 for t in terms if t.kind == TermKind.VALUE and t.value in scanned_touch}
        assert by_first_word.get(verb, frozenset()) == named, verb


def test_members_only_and_did_we_email_read_the_kept_indexes() -> None:
    planner = OfflinePlanner(load_model())
    vocabulary = planner.vocabulary
    kept = {key: id(value) for key, value in vocabulary._derived.items()}
    for question in ("revenue from members only last month", "上个月的销售额，只看会员"):
        reading = read(normalize(question), vocabulary, DEMO_AS_OF)
        found = complement_only.read_complement_only(question, reading, vocabulary, DEMO_AS_OF)
        assert found is not None and ("non" in found.note or "非" in found.note)
    plan = planner.plan("how many customers did we email last month", as_of=DEMO_AS_OF)
    assert plan.spec is not None and any("touch" in note for note in plan.notes)
    assert {key: id(value) for key, value in vocabulary._derived.items()} == kept  # read, not built again


class _CountedTerms(dict[str, list[Term]]):
    """The vocabulary's terms, counting every walk over all of them."""

    walks = 0

    def __iter__(self) -> Iterator[str]:
        _CountedTerms.walks += 1
        return super().__iter__()

    def items(self) -> ItemsView[str, list[Term]]:  # type: ignore[override]
        _CountedTerms.walks += 1
        return super().items()

    def values(self) -> ValuesView[list[Term]]:  # type: ignore[override]
        _CountedTerms.walks += 1
        return super().values()

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        _CountedTerms.walks += 1
        return super().keys()


def test_reading_a_question_never_walks_every_term() -> None:
    """On a warehouse's vocabulary (thousands of values) a walk over every term costs
    milliseconds: two readers did one per question, tripling a first answer's planning
    (session 20). Lookups by surface are what a question may cost; a reader needing something
    of every term derives it once (``Vocabulary.derived``, ``prepare``)."""
    planner = OfflinePlanner(load_model())
    planner.vocabulary.terms = _CountedTerms(planner.vocabulary.terms)
    questions = (
        "total revenue in 2025", "orders per sales channel last month", "revenue on 双11 2025 by sales channel",
        "tmall vs jd orders last month", "for each loyalty tier, how many buyers did we have in 2025",
        "how many customers did we email last month", "revenue from members only last month",
        "上个月的销售额，只看会员", "上个月各渠道的销售额", "各会员等级的客单价", "share of revenue by sales channel in 2025",
    )
    for question in questions:
        _CountedTerms.walks = 0
        plan = planner.plan(question, as_of=DEMO_AS_OF)
        assert plan.spec is not None, question
        assert _CountedTerms.walks == 0, question
