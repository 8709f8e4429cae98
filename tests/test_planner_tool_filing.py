"""The tool matcher looks only at the intent patterns a question can match (those filed
under a character it has, and the phrases of several words written as one or whose first
word the question has): the same tool, for every question, as looking at every pattern."""

from __future__ import annotations

from datetime import date

from test_screened import _questions

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.planner.reading import read
from genbi.semantic_layer.loader import load_model
from genbi.tools.base import registered_tools


def test_filed_patterns_pick_the_tool_every_pattern_picks() -> None:
    planner = OfflinePlanner(load_model())
    matcher = planner.tools
    everything = OfflinePlanner(load_model()).tools
    every = list(range(len(everything._patterns)))
    everything._candidates = lambda text, stems: every  # type: ignore[method-assign]  # every pattern, in order
    skipped = len(matcher._patterns) - len(matcher._phrases)
    assert skipped > 50, "most patterns are filed (else the test proves nothing)"
    words = [w for spec in registered_tools().values() for w in (*spec.intents, spec.name.replace("_", " "))]
    texts = _questions() + [f"{w} for last month" for w in words] + [f"能不能做一下{w}" for w in words] + [
        f"revenue by channel and {w} of Champions" for w in words]
    picked = 0
    for text in texts:
        reading = read(text, planner.vocabulary, date(2025, 12, 31))
        for nouns in (False, True):
            found = matcher.match(reading, metrics_are_nouns=nouns)
            assert found == everything.match(reading, metrics_are_nouns=nouns), text
            picked += found is not None
    assert picked > 100
