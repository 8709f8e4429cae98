"""Metamorphic relations over every eval question (en and zh), on the offline planner's plans.

Politeness and a moved period must not change the plan; a condition the model does not have
must change it (a decline or another plan), never leave the number as it was.
"""

from __future__ import annotations

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.eval.cases import default_case_paths, load_cases
from genbi.eval.metamorphic import (
    Outcome,
    abbreviate,
    check,
    polite,
    reorder,
    typo,
    unknown,
    unknown_number,
)
from genbi.semantic_layer.loader import load_model

MINIMUM = {"polite": 0.99, "reorder": 0.99, "unknown": 1.0, "abbreviate": 0.99, "typo": 0.99, "reword": 0.97}
CHECKED = {("abbreviate", "en"): 40, ("abbreviate", "zh"): 20, ("typo", "zh"): 0}
"""Fewer questions have a shorthand to apply, and Chinese questions rarely have a long English
word to misspell; every other relation applies to 100+ questions."""


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict[str, Outcome]]:
    planner = OfflinePlanner(load_model())
    cases = load_cases(default_case_paths())
    return {lang: check(planner, [c for c in cases if c.lang == lang]) for lang in ("en", "zh")}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("relation", sorted(MINIMUM))
def test_relation_holds_over_the_eval_questions(outcomes: dict[str, dict[str, Outcome]], language: str,
                                                relation: str) -> None:
    outcome = outcomes[language][relation]
    assert outcome.checked >= CHECKED.get((relation, language), 100), "the relation applies to too few questions"
    assert outcome.rate >= MINIMUM[relation], outcome.failures[:10]


def test_transforms() -> None:
    assert polite("revenue last month?", "en") == "revenue last month, please - thanks!"
    assert unknown("上个月的销售额", "zh") == "下雨天上个月的销售额"
    assert reorder("revenue by channel last month", "en") == "last month, revenue by channel"
    assert reorder("上个月各渠道的销售额", "zh") == "各渠道的销售额，上个月"
    assert reorder("revenue from March to May", "en") == "from March to May, revenue"
    assert reorder("same period last year?", "en") is None
    assert abbreviate("average revenue last week excluding tmall", "en") == "avg revenue last wk excl. tmall"
    assert abbreviate("上个月的销售额是多少", "zh") == "上月的销售额有多少"
    assert abbreviate("revenue by channel", "en") is None
    assert typo("revenue by channel", "en") == "revneue by channel"
    assert typo("上个月的销售额", "zh") is None
    assert unknown_number("上个月的销售额", "zh") == "只看金额超过500元的订单，上个月的销售额"
