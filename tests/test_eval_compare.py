"""Result-set comparison: the contract's equality rules, including the ways answers go wrong."""

from __future__ import annotations

import doctest
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from genbi.eval import compare, report
from genbi.eval.compare import compare_results, multisets_equal, normalize, values_equal

GOLD_COLUMNS = ("city_tier", "revenue")
GOLD_ROWS = [("tier1", 1200.5), ("tier2", 800.25), ("tier3", 310.0)]


def ok(pred_columns, pred_rows, *, gold_columns=GOLD_COLUMNS, gold_rows=GOLD_ROWS, ordered=False):
    return compare_results(gold_columns, gold_rows, pred_columns, pred_rows, ordered=ordered).ok


@pytest.mark.parametrize("module", [compare, report])
def test_doctests(module) -> None:
    assert doctest.testmod(module).failed == 0


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("gold", "pred"),
    [
        (3, 3.0),
        (Decimal("1.50"), 1.5),
        (np.int64(7), 7),
        (np.float64(0.25), Decimal("0.25")),
        (100.0, 100.0 * (1 + 9e-7)),
        (0.0, 1e-12),
        (date(2025, 3, 1), datetime(2025, 3, 1, 0, 0)),
        (date(2025, 3, 1), pd.Timestamp("2025-03-01")),
        (date(2025, 3, 1), np.datetime64("2025-03-01T00:00:00")),
        (date(2025, 3, 1), "2025-03-01"),
        (None, None),
        (None, float("nan")),
        (None, pd.NaT),
        (True, np.bool_(True)),
        ("Shanghai", "Shanghai"),
    ],
)
def test_equal_values(gold, pred) -> None:
    assert values_equal(normalize(gold), normalize(pred))


@pytest.mark.parametrize(
    ("gold", "pred"),
    [
        (100.0, 100.1),
        (1.0, 1.001),  # off by 1e-3 relative
        (0.034, 3.4),  # a rate as a percentage
        (None, 0),
        (0, None),
        (date(2025, 3, 1), date(2025, 3, 2)),
        (date(2025, 3, 1), "March"),
        ("Shanghai", "shanghai"),
        ("1", 1),
        (True, 1),
    ],
)
def test_unequal_values(gold, pred) -> None:
    assert not values_equal(normalize(gold), normalize(pred))


def test_timestamps_compare_by_date() -> None:
    assert values_equal(normalize(date(2025, 3, 1)), normalize(datetime(2025, 3, 1, 13, 5)))


# ---------------------------------------------------------------- tables


def test_identical_tables_match() -> None:
    assert ok(GOLD_COLUMNS, GOLD_ROWS)


def test_row_order_ignored_by_default() -> None:
    assert ok(GOLD_COLUMNS, list(reversed(GOLD_ROWS)))


def test_row_order_scored_when_ordered() -> None:
    verdict = compare_results(GOLD_COLUMNS, GOLD_ROWS, GOLD_COLUMNS, GOLD_ROWS[::-1], ordered=True)
    assert not verdict.ok
    assert "order" in verdict.reason
    assert ok(GOLD_COLUMNS, GOLD_ROWS, ordered=True)


def test_column_names_do_not_matter() -> None:
    assert ok(("tier", "GMV"), GOLD_ROWS)


def test_swapped_columns_match_by_values() -> None:
    swapped = [(revenue, tier) for tier, revenue in GOLD_ROWS]
    verdict = compare_results(GOLD_COLUMNS, GOLD_ROWS, ("revenue", "city_tier"), swapped)
    assert verdict.ok
    assert verdict.mapping == (1, 0)


def test_extra_predicted_columns_allowed() -> None:
    pred = [(tier, 10 + i, revenue) for i, (tier, revenue) in enumerate(GOLD_ROWS)]
    assert ok(("city_tier", "orders", "revenue"), pred)


def test_missing_gold_column_fails() -> None:
    verdict = compare_results(GOLD_COLUMNS, GOLD_ROWS, ("city_tier",), [(t,) for t, _ in GOLD_ROWS])
    assert not verdict.ok
    assert "too few columns" in verdict.reason


def test_wrong_row_count_fails() -> None:
    verdict = compare_results(GOLD_COLUMNS, GOLD_ROWS, GOLD_COLUMNS, GOLD_ROWS[:2])
    assert not verdict.ok
    assert "row count" in verdict.reason


def test_one_value_off_by_1e3_relative_fails() -> None:
    pred = [*GOLD_ROWS[:2], ("tier3", 310.0 * 1.001)]
    assert not ok(GOLD_COLUMNS, pred)


def test_values_within_1e6_relative_match() -> None:
    pred = [(tier, revenue * (1 + 5e-7)) for tier, revenue in GOLD_ROWS]
    assert ok(GOLD_COLUMNS, pred)


def test_duplicate_rows_are_a_multiset() -> None:
    gold = [("a", 1), ("a", 1), ("b", 2)]
    assert ok(("k", "v"), [("a", 1), ("b", 2), ("a", 1)], gold_columns=("k", "v"), gold_rows=gold)
    # same row count, but one duplicate traded for another
    assert not ok(
        ("k", "v"), [("a", 1), ("b", 2), ("b", 2)], gold_columns=("k", "v"), gold_rows=gold
    )


def test_values_shuffled_across_rows_fail() -> None:
    # every column matches as a multiset, but the rows pair the values up wrongly
    pred = [("tier1", 800.25), ("tier2", 1200.5), ("tier3", 310.0)]
    verdict = compare_results(GOLD_COLUMNS, GOLD_ROWS, GOLD_COLUMNS, pred)
    assert not verdict.ok
    assert verdict.reason == "rows differ"


def test_gold_columns_map_injectively() -> None:
    # two gold columns with equal values cannot both take the one predicted column
    gold = [("x", 5, 5)]
    assert not ok(("k", "v"), [("x", 5)], gold_columns=("k", "a", "b"), gold_rows=gold)
    assert ok(("k", "a", "b"), [("x", 5, 5)], gold_columns=("k", "a", "b"), gold_rows=gold)


def test_look_alike_columns_resolved_by_rows() -> None:
    # columns a and b hold the same multiset; only one assignment keeps the rows intact
    gold = [("x", 1, 2), ("y", 2, 1)]
    pred = [(2, "x", 1), (1, "y", 2)]  # b, k, a
    verdict = compare_results(("k", "a", "b"), gold, ("b", "k", "a"), pred)
    assert verdict.ok
    assert verdict.mapping == (1, 2, 0)


def test_nulls_match_nulls_only() -> None:
    gold = [("tier1", None), ("tier2", 2.0)]
    assert ok(GOLD_COLUMNS, [("tier2", 2.0), ("tier1", None)], gold_rows=gold)
    assert not ok(GOLD_COLUMNS, [("tier2", 2.0), ("tier1", 0.0)], gold_rows=gold)


def test_dates_against_timestamps_and_strings() -> None:
    gold = [(date(2025, 1, 1), 10), (date(2025, 2, 1), 20)]
    assert ok(
        ("m", "n"),
        [(datetime(2025, 2, 1), 20), (datetime(2025, 1, 1), 10)],
        gold_columns=("m", "n"),
        gold_rows=gold,
    )
    assert ok(
        ("m", "n"),
        [("2025-01-01", 10.0), ("2025-02-01", 20.0)],
        gold_columns=("m", "n"),
        gold_rows=gold,
    )
    assert not ok(
        ("m", "n"), [("2025-01", 10), ("2025-02", 20)], gold_columns=("m", "n"), gold_rows=gold
    )


def test_rate_as_percentage_fails() -> None:
    gold = [("search", 0.034)]
    assert not ok(
        ("channel", "cvr"), [("search", 3.4)], gold_columns=("channel", "cvr"), gold_rows=gold
    )


def test_empty_tables() -> None:
    assert compare_results(("a",), [], ("a",), []).ok
    assert not compare_results(("a",), [(1,)], ("a",), []).ok


def test_ragged_predicted_rows_fail() -> None:
    assert not ok(GOLD_COLUMNS, [("tier1", 1200.5), ("tier2",), ("tier3", 310.0)])


def test_near_equal_values_that_sort_differently_still_match() -> None:
    gold = [(1.0, "a"), (1.0000000001, "b")]
    pred = [(1.0000000002, "a"), (0.9999999999, "b")]
    assert ok(("v", "k"), pred, gold_columns=("v", "k"), gold_rows=gold)


def test_multisets_equal_uses_matching() -> None:
    assert multisets_equal([(1.0,), (1.0 + 1e-9,)], [(1.0 + 1e-9,), (1.0,)])
    assert not multisets_equal([(1.0,), (2.0,)], [(1.0,), (1.0,)])
