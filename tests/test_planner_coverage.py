"""Coverage pass: politeness is explained, unknown conditions are reported (both languages)."""

from __future__ import annotations

import pytest

from genbi.assistant.planner.coverage import unknown_words
from genbi.assistant.planner.text import expand_shorthand, normalize


def _unknown(text: str, known: tuple[str, ...] = ()) -> list[str]:
    text = normalize(text)
    taken = [False] * len(text)
    for word in known:
        start = text.index(word)
        for i in range(start, start + len(word)):
            taken[i] = True
    return unknown_words(text, taken)


@pytest.mark.parametrize("question, known", [
    ("would you mind pulling revenue for me, thanks!", ("revenue",)),
    ("pls revenue thx", ("revenue",)),
    ("hey team, quick q: revenue?", ("revenue",)),
    ("麻烦帮我查一下销售额，谢谢", ("销售额",)),
    ("老板想知道销售额，辛苦了", ("销售额",)),
])
def test_politeness_is_explained(question: str, known: tuple[str, ...]) -> None:
    assert _unknown(question, known) == []


@pytest.mark.parametrize("question, known, word", [
    ("revenue on rainy days", ("revenue",), "rainy"),
    ("revenue for left handed customers", ("revenue", "customers"), "left"),
    ("下雨天上海门店的销售额", ("上海", "门店", "销售额"), "下雨天"),
    ("90后客户的销售额", ("客户", "销售额"), "90后"),
    ("高温天气的销量", ("销量",), "高温"),
    ("revenue zz", ("revenue",), "zz"),
])
def test_unknown_conditions_are_reported(question: str, known: tuple[str, ...], word: str) -> None:
    assert any(word in u for u in _unknown(question, known))


@pytest.mark.parametrize("typed, spelled", [
    ("gmv last wk", "gmv last week"),
    ("orders last mo", "orders last month"),
    ("revenue last yr", "revenue last year"),
    ("revenue past 7d", "revenue past 7 days"),
    ("h1 2025 revenue", "first half of 2025 revenue"),
    ("去年h2的销售额", "去年下半年的销售额"),
    ("# of orders", "number of orders"),
    ("monday", "monday"),
])
def test_shorthand_is_spelled_out(typed: str, spelled: str) -> None:
    assert expand_shorthand(normalize(typed)) == spelled


def test_the_quick_look_for_shorthand_skips_only_text_no_pattern_changes() -> None:
    """``expand_shorthand`` first looks for any abbreviation at all; every eval question (and
    a few typed ones) reads as applying each pattern in turn would read it."""
    import json
    from pathlib import Path

    from genbi.assistant.planner.text import _SHORTHAND

    root = Path(__file__).parent.parent / "eval"
    cases = [json.loads(line) for path in sorted(root.glob("*/*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [case["question"] for case in cases if isinstance(case.get("question"), str)]
    questions += ["revenue last wk", "orders h1 2025", "2025年h2的订单", "# of custs", "avg aov w o tmall"]
    assert len(questions) > 500
    for question in questions:
        text = normalize(question)
        spelled = text
        for pattern, replacement in _SHORTHAND:
            spelled = pattern.sub(replacement, spelled)
        assert expand_shorthand(text) == spelled, question
