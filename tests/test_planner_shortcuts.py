"""Shortcuts the planner takes for speed give what the long way gives: ``blank_taken``, a
mention built field by field, the patterns skipped when what every match needs is missing."""

from __future__ import annotations

import random

import pytest

from genbi.assistant.planner.text import blank_taken


def _join(text: str, taken: list[bool], fill: str) -> str:
    return "".join(fill if taken[i] else ch for i, ch in enumerate(text))


def test_blank_taken_is_the_join() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice("ab 双1") for _ in range(rng.randint(0, 12)))
        taken = [rng.random() < 0.3 for _ in range(len(text) + rng.choice((0, 0, 2)))]
        for fill in (" ", "\0"):
            assert blank_taken(text, taken, fill) == _join(text, taken, fill)


def test_a_short_taken_list_fails_as_the_join_did() -> None:
    with pytest.raises(IndexError):
        blank_taken("abc", [False, True])


def test_with_spells_out_every_field_of_a_mention() -> None:
    """``reading._with`` builds a Mention field by field (``dataclasses.replace`` was slower):
    a new field must be added there too."""
    import dataclasses

    from genbi.assistant.planner.reading import Mention, Term, TermKind, _with

    assert [f.name for f in dataclasses.fields(Mention)] == [
        "start", "end", "surface", "term", "negated", "grouped", "options", "suppressed"]
    term = Term(TermKind.DIMENSION, "city_tier")
    mention = Mention(1, 5, "tier", term, negated=True, grouped=True, options=(term,), suppressed=True)
    for flags in ((False, False, False), (True, False, True), (False, True, False)):
        negated, grouped, suppressed = flags
        assert _with(mention, negated=negated, grouped=grouped, suppressed=suppressed) == dataclasses.replace(
            mention, negated=negated, grouped=grouped, suppressed=suppressed)


def test_what_every_comparison_before_a_metric_needs() -> None:
    """``find_metric_conditions`` looks for a comparison before a metric only in text with a
    digit, "zero " or "零": every match of either pattern holds one (every prefix of every
    eval question, and made-up ones)."""
    import json
    from pathlib import Path

    from genbi.assistant.planner import metric_conditions as mc
    from genbi.assistant.planner.text import normalize

    root = Path(__file__).resolve().parents[1]
    texts = {normalize(json.loads(line)["question"]) for path in sorted((root / "eval").rglob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith("{")
             and "question" in json.loads(line)}
    texts |= {"more than zero ", "零", "at least 0 ", "over ¥1m in ", "3 or more ", "５+ ", "at least ٣ "}
    matched = 0
    for text in texts:
        for end in range(len(text) + 1):
            prefix = text[:end]
            if mc._BEFORE_METRIC.search(prefix) or mc._BEFORE_METRIC_POST.search(prefix):
                matched += 1
                assert mc._DIGIT.search(prefix) or "zero " in prefix or "零" in prefix, prefix
    assert matched > 50
