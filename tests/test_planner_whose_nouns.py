"""A count named after another metric with "of" / "for" names whose it is ("revenue of
customers", "sales of invoices"), not a second metric; when that entity's own table has a
column of the measured name ("average unit price of tracks": the track table has a unit price
the model does not measure), the question is declined instead of answered from the other table.
A drafted SQLite model (Chinook-like), zero configuration; words drafted for counts and units."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.eval.byodata.sqlite_dbs import build_database
from genbi.semantic_layer.introspection import check_draft, draft_model
from genbi.semantic_layer.loader import load_model

AS_OF = date(2025, 12, 23)


@pytest.fixture(scope="module")
def chinook(tmp_path_factory: pytest.TempPathFactory) -> OfflinePlanner:
    data = build_database("chinook", tmp_path_factory.mktemp("sqlite"))
    return OfflinePlanner(check_draft(draft_model(data).text))


@pytest.mark.parametrize(("question", "metrics"), [
    ("revenue of customers", ("sales_amount",)),
    ("sales of invoices in 2024", ("sales_amount",)),
    ("how many units were sold in 2023", ("quantity",)),  # "units" is no unit price
    ("units by genre", ("quantity",)),
    ("revenue and customers", ("sales_amount", "customers")),  # listed: both asked
])
def test_a_count_that_says_whose_is_not_a_second_metric(chinook: OfflinePlanner, question: str,
                                                        metrics: tuple[str, ...]) -> None:
    result = chinook.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == metrics


@pytest.mark.parametrize("question", ["average unit price of tracks", "avg unit price for the tracks"])
def test_a_column_the_entity_has_of_its_own_is_not_answered_from_another_table(chinook: OfflinePlanner,
                                                                               question: str) -> None:
    result = chinook.plan(question, as_of=AS_OF)
    assert result.spec is None and result.decline_reason is not None
    assert "track" in result.decline_reason and "unit_price" in result.decline_reason


@pytest.mark.parametrize("question", ["客户总数", "2022年有多少张发票", "发票总数"])
def test_chinese_counts_with_a_measure_word_or_a_total(chinook: OfflinePlanner, question: str) -> None:
    result = chinook.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason


@pytest.mark.parametrize("question", ["revenue from new customers", "新客的客单价"])
def test_a_subset_counted_on_its_own_date_still_declines(question: str) -> None:
    result = OfflinePlanner(load_model()).plan(question, as_of=AS_OF)
    assert result.spec is None and result.decline_reason is not None


def test_drafted_chinese_count_words_never_double_the_suffix(tmp_path: Path) -> None:
    from genbi.semantic_layer.naming import count_words_zh

    assert count_words_zh("客户数") == ["客户数量", "客户总数", "客户"]
    assert count_words_zh("track 数量") == ["track 总数", "track"]
