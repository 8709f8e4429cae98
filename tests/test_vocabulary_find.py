"""``Vocabulary.find`` tries only the lengths of the surfaces that start with the two
characters at hand: the same matches as trying every length of the first character's."""

from __future__ import annotations

from eval_questions import eval_questions

from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.vocabulary import (
    Match,
    Vocabulary,
    _ascii_word,
    _same_kind,
    build_vocabulary,
)
from genbi.semantic_layer.loader import load_model


def _reference(vocabulary: Vocabulary, text: str) -> list[Match]:
    """Longest terms left to right, every length of the first character tried."""
    lengths: dict[str, list[int]] = {}
    for surface in vocabulary.terms:
        lengths.setdefault(surface[0], []).append(len(surface))
    found, pos = [], 0
    while pos < len(text):
        hit = None
        if not (pos > 0 and _ascii_word(text[pos]) and _same_kind(text[pos - 1], text[pos])):
            for length in sorted(set(lengths.get(text[pos], ())), reverse=True):
                end = pos + length
                surface = text[pos:end]
                if end > len(text) or surface not in vocabulary.terms:
                    continue
                if end < len(text) and _ascii_word(surface[-1]) and _same_kind(surface[-1], text[end]):
                    continue
                hit = surface
                break
        if hit is None:
            pos += 1
            continue
        found.append(Match(pos, pos + len(hit), hit, tuple(vocabulary.terms[hit])))
        pos += len(hit)
    return found


def test_find_matches_every_length_tried_on_every_eval_question() -> None:
    vocabulary = build_vocabulary(load_model())
    questions = eval_questions()
    assert len(questions) > 500
    texts = {t for q in questions for t in (normalize(q), q.lower())} | {"a", "双11", "gmv双11gmv", ""}
    texts |= set(vocabulary.terms)  # every surface alone, and followed by a word
    texts |= {f"{s} x" for s in vocabulary.terms}
    for text in texts:
        assert vocabulary.find(text) == _reference(vocabulary, text), text
