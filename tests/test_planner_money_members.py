""""How much did we make from repeat customers": a money verb and the members a share counts.

The money verb ("make", "spend", "bring in") and the people a share's test names ("repeat
customers") were read one or the other: with both, the question declined. Each pair below
says the same question with the metric's own name and must read alike.
"""

from __future__ import annotations

import pytest
from planner_support import spec_of

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize(("question", "named"), [
    ("how much did we make from repeat customers", "revenue from repeat customers"),
    ("how much did repeat customers spend last quarter", "revenue from repeat customers last quarter"),
    ("how much money did we make from repeat buyers in 2025", "revenue from repeat buyers in 2025"),
])
def test_a_money_verb_with_repeat_customers_reads_as_their_revenue(planner: OfflinePlanner, question: str,
                                                                    named: str) -> None:
    said, plain = spec_of(planner, question), spec_of(planner, named)
    assert said == plain
    assert said.metrics == ("revenue",) and said.member_conditions
