"""A number asked per person or per thing ("how much does each customer spend", "how many
orders does each customer place"): the ratio, or a decline naming it; never the total.

Both questions answered the demo's all-time totals (¥13.55M of revenue, 41,637 orders) with no
word about "each". Each group has rewordings that must read the same, the total asked plainly
(which must stay the total) and, where the model lacks the ratio, the decline."""

from __future__ import annotations

import pytest
from planner_support import AS_OF, declines, spec_of

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize("question", [
    "how much does each customer spend",
    "how much does every customer spend",
    "how much does each buyer spend",
    "what does the average customer spend",
])
def test_money_spent_by_each_person_is_the_money_per_buyer(planner: OfflinePlanner, question: str) -> None:
    assert spec_of(planner, question).metrics == ("revenue_per_buyer",)


@pytest.mark.parametrize("question, by", [
    ("how much does each customer spend by city tier", ["city_tier"]),
    ("how much did every customer spend last year", []),
])
def test_the_money_per_buyer_keeps_its_split_and_period(planner: OfflinePlanner, question: str, by: list[str]) -> None:
    spec = spec_of(planner, question)
    assert spec.metrics == ("revenue_per_buyer",)
    assert [g.name for g in spec.group_by if g.name != "metric_time"] == by


@pytest.mark.parametrize("question, metric", [
    ("how much did customers spend last year", "revenue"),  # no "each": the total
    ("how much did we make last year", "revenue"),
    ("how many orders did each channel get", "orders"),  # "each" of a dimension is a split
])
def test_without_a_unit_the_total_stays(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert spec_of(planner, question).metrics == (metric,)


@pytest.mark.parametrize("question", [
    "how many orders does each buyer place",
    "how many orders does every buyer place",
    "each buyer's orders",
    "orders per buyer",
])
def test_a_count_per_each_person_is_the_models_ratio(planner: OfflinePlanner, question: str) -> None:
    assert spec_of(planner, question).metrics == ("orders_per_buyer",)


@pytest.mark.parametrize(("question", "ratio"), [
    ("how many orders does each customer place", "orders_per_buyer"),
    ("number of orders per customer", "orders_per_buyer"),
    ("revenue for each customer", "revenue_per_buyer"),
])
def test_per_customer_is_per_buyer_and_says_so(planner: OfflinePlanner, question: str, ratio: str) -> None:
    """The model reads "revenue per customer" as revenue per buyer (its synonym); every amount per
    customer is read so, with a note that only the people who ordered count (declined before)."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None and plan.spec.metrics == (ratio,), plan.decline_reason
    assert any("only the customers with orders" in n for n in plan.notes), plan.notes


@pytest.mark.parametrize("question", ["clicks per customer", "how many sessions does each customer have"])
def test_a_ratio_the_model_lacks_declines_naming_both(planner: OfflinePlanner, question: str) -> None:
    reason = declines(planner, question)
    assert "Customers" in reason and "ratio" in reason


def test_ranking_single_customers_on_a_drafted_export_says_why(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A drafted export counts customers as distinct ids (no customer table): "top customers by
    sales" declined as "highest among what?"; it now says why, as on a modelled warehouse."""
    from genbi.eval.byodata.warehouses import build
    from genbi.semantic_layer.introspection import check_draft, draft_model

    folder = tmp_path_factory.mktemp("retail")
    drafted = OfflinePlanner(check_draft(draft_model(build("retail", folder / "retail.duckdb")).text))
    for question in ("top customers by revenue", "top 10 customers by sales"):
        reason = declines(drafted, question)
        assert "single customers" in reason and "RFM" in reason
