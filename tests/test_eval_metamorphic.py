"""Metamorphic relations over every eval question (en and zh), on the offline planner's plans.

Politeness and a moved period must not change the plan; a condition the model does not have
must change it (a decline or another plan), never leave the number as it was.
"""

from __future__ import annotations

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.eval.cases import default_case_paths, load_cases
from genbi.eval.metamorphic import Outcome, check, polite, reorder, unknown
from genbi.semantic_layer.loader import load_model

MINIMUM = {"polite": 0.99, "reorder": 0.99, "unknown": 1.0}


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
    assert outcome.checked >= 100, "the relation applies to too few questions to say anything"
    assert outcome.rate >= MINIMUM[relation], outcome.failures[:10]


def test_transforms() -> None:
    assert polite("revenue last month?", "en") == "revenue last month, please - thanks!"
    assert unknown("上个月的销售额", "zh") == "下雨天上个月的销售额"
    assert reorder("revenue by channel last month", "en") == "last month, revenue by channel"
    assert reorder("上个月各渠道的销售额", "zh") == "各渠道的销售额，上个月"
    assert reorder("revenue from March to May", "en") == "from March to May, revenue"
    assert reorder("same period last year?", "en") is None
