"""``genbi.screened``: a screened pattern finds exactly what the pattern finds, on any text."""

from __future__ import annotations

import random
import re

import pytest
from eval_questions import eval_questions

from genbi.assistant.planner import (
    coverage,
    cues,
    date_parts,
    first_time,
    metric_reading,
    money_in,
    text,
    timeparse,
)
from genbi.assistant.planner.text import normalize
from genbi.assistant.watch import phrases
from genbi.screened import Screened, ScreenedGroup, needles_of


def _same(screened: Screened, value: str) -> None:
    pattern = screened.pattern
    found = pattern.search(value)
    assert (screened.search(value) is None) == (found is None), (pattern.pattern, value)
    if found is not None:
        assert screened.may_match(value), (pattern.pattern, value)
        assert screened.search(value).span() == found.span()  # type: ignore[union-attr]
    assert [m.span() for m in screened.finditer(value)] == [m.span() for m in pattern.finditer(value)]
    assert screened.findall(value) == pattern.findall(value)
    assert screened.sub("#", value) == pattern.sub("#", value)
    started = pattern.match(value)
    assert (screened.match(value) is None) == (started is None)


@pytest.mark.parametrize(("pattern", "needles"), [
    ("abc", ("abc",)),
    ("ab|cd", ("ab", "cd")),
    (r"\bshort\b(?:er)?", ("short",)),
    ("(?:x)?yz", ("yz",)),
    ("a*b", ("b",)),
    ("(?:ab)+c?", ("ab",)),
    ("[xy]z", ("z",)),  # the longer part screens better than a class of single characters
    ("[xy]", ("x", "y")),
    (r"(?<=q)a", ("a",)),  # a look-behind is not consumed: never a needle
    (r"\d+", None),  # a category has no needles
    ("[^a]", None),
    ("a|\\d", None),  # one alternative without needles: the branch has none
    ("(?i:ab)", None),  # an inline flag: no needles
])
def test_needles_are_what_every_match_consumes(pattern: str, needles: tuple[str, ...] | None) -> None:
    assert needles_of(re.compile(pattern))[0] == needles


def test_case_insensitive_patterns_are_screened_where_lower_case_folds_as_the_engine() -> None:
    screened = Screened(re.compile("Strong", re.IGNORECASE))
    assert screened.needles == ("strong",) and screened._fold
    assert screened.search("a STRONG week") is not None
    assert not screened.may_match("a weak week")
    long_s = "\u017ftrong"  # "ſtrong": the regex engine folds ſ to s; str.lower does not
    assert screened.pattern.search(long_s) is not None
    assert screened.search(long_s) is not None, "text with a cased character beyond ASCII is never screened out"
    assert not screened.may_match("上个月 weak"), "Chinese has no case: screened"
    assert screened.search("上个月 STRONG") is not None


def test_caseless_needles_of_case_insensitive_patterns() -> None:
    """Characters without a case ("实验", digits) are matched as written under IGNORECASE: a
    pattern of only those is screened on any text; one mixing them with ASCII letters on text
    whose characters beyond ASCII have no case; one with a cased letter beyond ASCII never."""
    assert needles_of(re.compile("实验|测试", re.IGNORECASE)) == (("实验", "测试"), False)
    assert needles_of(re.compile("实验|ab", re.IGNORECASE)) == (("ab", "实验"), True)
    assert needles_of(re.compile("AB|实验", re.IGNORECASE)) == (("ab", "实验"), True)
    assert needles_of(re.compile("é|ab", re.IGNORECASE)) == (None, False)
    mixed = Screened(re.compile("实验|AB", re.IGNORECASE))
    mixed.needles  # noqa: B018 - prepared
    assert not mixed.may_match("上个月的销售额") and mixed.may_match("ab实验") and mixed.may_match("Ab")
    assert mixed.may_match("ſ上个月"), "a cased character beyond ASCII: the pattern runs"


_PIECES = ["a", "b", "ab", "ba", "c", "a|b", "(?:ab|c)", "a?", "b*", "(?:ab)+", "c{2}", "[ab]", "[^c]",
           r"\b", r"\s", r"\d", "(?=a)", "(?!b)", "(?<=c)", "(?<!a)", ".", "(a|bc)", "(?:a|)", "x{0,2}",
           "(?:ca)?", "ſ", "双", "实验", "(?:测试|ab)", "é", "Σ", "[双k]"]


def _random_pattern(rng: random.Random) -> re.Pattern[str]:
    body = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 5)))
    if rng.random() < 0.3:
        body = f"{body}|{''.join(rng.choice(_PIECES) for _ in range(rng.randint(1, 3)))}"
    return re.compile(body, re.IGNORECASE if rng.random() < 0.3 else 0)


def test_a_pattern_is_screened_from_its_second_use() -> None:
    """A one-shot process (``genbi ask``) does not parse the patterns it runs once."""
    screened = Screened("yesterday")
    assert screened.may_match("revenue by channel"), "the first use runs the pattern"
    assert not screened.may_match("revenue by channel")
    assert screened.search("revenue yesterday") is not None


def test_random_patterns_on_random_text_find_the_same() -> None:
    """Soundness of the needles, whatever the pattern: thousands of patterns built from
    literals, branches, optional and repeated parts, classes, boundaries and look-arounds,
    plain and case-insensitive, each on texts that hold and lack their pieces."""
    rng = random.Random(19)
    alphabet = "abcABCx 1\u017f\u212a双实验测试éÉσςΣİ２"
    screened_out = 0
    for _ in range(3000):
        screened = Screened(_random_pattern(rng))
        for _ in range(6):
            value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            screened_out += not screened.may_match(value)
            _same(screened, value)
    assert screened_out > 1000, "the screen must actually skip texts (else the test proves nothing)"


def _questions() -> list[str]:
    return eval_questions()


def _screened_in_use() -> list[Screened]:
    modules = (coverage, cues, metric_reading, money_in, text, timeparse, phrases)
    found = [value for module in modules for value in vars(module).values() if isinstance(value, Screened)]
    found += [pattern for pattern, _ in timeparse._POINTS] + [pattern for pattern, _ in timeparse._SCREENED_RULES]
    return found


def test_every_screened_pattern_finds_what_it_found_before_on_every_eval_question() -> None:
    """The planner's screened patterns on every eval question, as asked and as the planner
    normalises it, and with the words the planner has taken blanked out (what coverage reads)."""
    questions = _questions()
    assert len(questions) > 500
    patterns = _screened_in_use()
    assert len(patterns) > 60 and all(p.needles for p in patterns), "each one screened by its words"
    texts = {v for q in questions for v in (q, normalize(q), " ".join(w if len(w) < 4 else " " * len(w)
                                                                     for w in normalize(q).split(" ")))}
    for screened in patterns:
        for value in texts:
            _same(screened, value)


def test_a_group_gives_the_patterns_their_screens_would_run() -> None:
    """``ScreenedGroup.candidates``: exactly the patterns whose ``Screened`` may match, in order,
    on random patterns (case-insensitive ones included) and texts, and on the planner's groups
    over every eval question; a pattern that matches is always a candidate."""
    rng = random.Random(7)
    patterns = [_random_pattern(rng) for _ in range(300)]
    texts = ["".join(rng.choice("abcſ双 KA实验测Σé") for _ in range(rng.randint(0, 12))) for _ in range(300)]
    groups = [(ScreenedGroup(patterns[i:i + 30]), patterns[i:i + 30]) for i in range(0, 300, 30)]
    questions = _questions()
    planner_texts = {v for q in questions for v in (q, normalize(q))}
    groups += [(group, list(group.patterns)) for group in (text._ANY_SHORTHAND, timeparse._POINT_GROUP,
                                                          timeparse._RULE_GROUP, date_parts._GROUP, first_time._GROUP)]
    for group, members in groups:
        screens = [Screened(p) for p in members]
        for screen in screens:
            screen.needles  # noqa: B018 - prepared, as the group is from its second use
        group.candidates("")
        group.candidates("")
        for value in [*texts, *(planner_texts if group.patterns[0] is not patterns[0] else ())]:
            expected = [i for i, screen in enumerate(screens) if screen.may_match(value)]
            assert group.candidates(value) == expected, value
            assert all(i in expected for i, p in enumerate(members) if p.search(value))
