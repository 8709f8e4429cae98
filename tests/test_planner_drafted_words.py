"""Words on drafted models (zero configuration): a head several dimensions share is decided
by the metric or asked, a metric's generic last word may be left out ("discount" for
"Discount amount"), never at the cost of the counted noun ("claims" stays the claims)."""

from __future__ import annotations

from datetime import date

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.eval.byodata.warehouses import build
from genbi.semantic_layer.introspection import check_draft, draft_model

AS_OF = date(2024, 12, 30)


@pytest.fixture(scope="module")
def planners(tmp_path_factory: pytest.TempPathFactory) -> dict[str, OfflinePlanner]:
    folder = tmp_path_factory.mktemp("drafted")
    return {name: OfflinePlanner(check_draft(draft_model(build(name, folder / f"{name}.duckdb")).text))
            for name in ("marketplace", "insurance", "star")}


def test_a_head_two_dimensions_share_is_asked_when_the_metric_fits_both(planners: dict[str, OfflinePlanner]) -> None:
    result = planners["marketplace"].plan("sales by state", as_of=AS_OF)
    assert result.spec is None and len(result.suggestions) == 2
    assert {"sales by customer state", "sales by seller state"} == set(result.suggestions)
    assert planners["marketplace"].plan(result.suggestions[0], as_of=AS_OF).spec is not None


@pytest.mark.parametrize("name, question, dimension", [
    ("marketplace", "how many customers by state", "customer_state"),  # only customers have one
    ("insurance", "claim amount by status", "claim_status"),  # the claim's own status
])
def test_a_shared_head_the_metric_decides_is_that_dimension(planners: dict[str, OfflinePlanner], name: str,
                                                            question: str, dimension: str) -> None:
    spec = planners[name].plan(question, as_of=AS_OF).spec
    assert spec is not None and [g.name for g in spec.group_by] == [dimension]


@pytest.mark.parametrize("question", ["discount by store type", "discounts by store", "total discount last month"])
def test_an_amount_is_asked_by_its_head_word(planners: dict[str, OfflinePlanner], question: str) -> None:
    spec = planners["star"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("discount_amount",)


@pytest.mark.parametrize("question", ["claims by cause", "how many claims last month"])
def test_the_counted_noun_keeps_its_meaning(planners: dict[str, OfflinePlanner], question: str) -> None:
    spec = planners["insurance"].plan(question, as_of=AS_OF).spec
    assert spec is not None and spec.metrics == ("claims",)
