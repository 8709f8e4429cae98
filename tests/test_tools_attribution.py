"""Attribution: hand-checkable models, the path-file entry, journeys from SQL via roles."""

from __future__ import annotations

from math import factorial
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from genbi.tools.attribution import AttributionArgs, attribute, markov_chain, path_table, run
from genbi.tools.attribution.models import comparison, shapley_credit, shapley_values
from genbi.tools.base import ToolError
from genbi.tools.roles import RoleSource
from genbi.tools.testing import demo_source as _demo_source
from genbi.tools.warehouse import GuardedDuckDB


def _get(long: pd.DataFrame, model: str, channel: str, measure: str = "conversions") -> float:
    row = long[(long["model"] == model) & (long["channel"] == channel)]
    return float(row[measure].iloc[0])


def test_markov_removal_effects_match_hand_computation() -> None:
    # start->A 2, start->B 1; A->B 1, A->null 1; B->conv 2.
    # P(conv) = 2/3*1/2 + 1/3 = 2/3; without A: 1/3 (RE 1/2); without B: 0 (RE 1).
    paths = path_table([("A", "B"), ("A",), ("B",)], [1, 0, 1], [10, 0, 5], [0, 1, 0])
    result = markov_chain(paths)
    assert result.channels == ("A", "B")
    assert result.conversion_probability == pytest.approx(2 / 3)
    np.testing.assert_allclose(result.removal_effects, [0.5, 1.0])
    long = attribute(paths)
    # credit in proportion 1/2 : 1 of 2 conversions and 15 revenue
    assert _get(long, "markov", "A") == pytest.approx(2 / 3)
    assert _get(long, "markov", "B") == pytest.approx(4 / 3)
    assert _get(long, "markov", "B", "revenue") == pytest.approx(10.0)


def test_markov_handles_loops_and_repeats() -> None:
    # A -> A -> conv once, A -> null once: self-loops do not change absorption.
    paths = path_table([("A", "A"), ("A",)], [1, 0], None, [0, 1])
    # from A: P(A)=1/3, P(conv)=1/3, P(null)=1/3 -> absorb conv 1/2
    assert markov_chain(paths).conversion_probability == pytest.approx(0.5)


def _explicit_shapley_3(v: dict[frozenset[str], float], player: str) -> float:
    others = sorted({"A", "B", "C"} - {player})
    total = 0.0
    for subset in (frozenset(), frozenset([others[0]]), frozenset([others[1]]), frozenset(others)):
        weight = factorial(len(subset)) * factorial(3 - len(subset) - 1) / factorial(3)
        total += weight * (v[subset | {player}] - v[subset])
    return total


def test_shapley_three_channels_equals_closed_form() -> None:
    paths = path_table(
        [("A",), ("B",), ("A", "B"), ("B", "C", "B"), ("A", "B", "C"), ("C",)],
        [10, 5, 8, 4, 6, 0],
        [100, 50, 80, 40, 60, 0],
        [3, 2, 1, 1, 0, 9],
    )
    by_set = {
        frozenset("A"): 10, frozenset("B"): 5, frozenset("AB"): 8,
        frozenset("BC"): 4, frozenset("ABC"): 6,
    }
    players = ["A", "B", "C"]
    subsets = [frozenset(c for i, c in enumerate(players) if m >> i & 1) for m in range(8)]
    v = {s: float(sum(x for t, x in by_set.items() if t <= s)) for s in subsets}
    credit = shapley_credit(paths).set_index("channel")
    for player in players:
        assert credit.loc[player, "conversions"] == pytest.approx(_explicit_shapley_3(v, player))
    assert credit["conversions"].sum() == pytest.approx(33)
    # hand values: A = 10 + 8/2 + 6/3 = 16, B = 5 + 4 + 4/2 + 2 = 13, C = 2 + 2 = 4
    assert credit.loc["A", "conversions"] == pytest.approx(16)
    assert credit.loc["C", "revenue"] == pytest.approx(40)
    # the closed form used beyond 16 channels gives the same answer
    closed = shapley_credit(paths, exact_max=0).set_index("channel")
    np.testing.assert_allclose(closed["conversions"], credit["conversions"])


def test_shapley_values_of_a_known_game() -> None:
    # glove game: players 0 and 1 are left gloves, 2 is a right glove
    worth = np.zeros(8)
    worth[0b101] = worth[0b110] = worth[0b111] = 1.0
    np.testing.assert_allclose(shapley_values(worth, 3), [1 / 6, 1 / 6, 2 / 3])


def test_heuristic_models_by_hand() -> None:
    paths = path_table([("A", "B", "C", "D"), ("B",), ("C", "A")], [1, 2, 1], [100, 40, 10])
    long = attribute(paths, half_life=1.0)
    assert _get(long, "first_touch", "A") == 1.0
    assert _get(long, "last_touch", "A") == 1.0
    assert _get(long, "linear", "A") == pytest.approx(0.25 + 0.5)
    assert _get(long, "position_based", "B") == pytest.approx(0.1 + 2)
    assert _get(long, "position_based", "D", "revenue") == pytest.approx(40)
    # time decay, half-life one step: ages 4,3,2,1 -> weights 1,2,4,8 over 15
    assert _get(long, "time_decay", "D") == pytest.approx(8 / 15)
    for model, part in long.groupby("model"):
        assert part["conversions"].sum() == pytest.approx(4), model
        assert part["revenue"].sum() == pytest.approx(150), model


def test_path_file_entry(tmp_path: Path) -> None:
    file = tmp_path / "paths.csv"
    pd.DataFrame(
        {
            "path": ["search > wechat > email", "display > search", "email", "display"],
            "total_conversions": [30, 10, 20, 0],
            "total_conversion_value": [3000.0, 900.0, 1500.0, 0.0],
            "total_null": [70, 90, 80, 300],
        }
    ).to_csv(file, index=False)
    result = run(AttributionArgs(paths_file=str(file)))
    assert result.tool == "attribution"
    assert list(result.table.columns[1:]) == [
        "first_touch", "last_touch", "linear", "time_decay", "position_based", "markov", "shapley",
        "markov_value", "markov_2nd", "shapley_rate",
    ]
    table = result.table.set_index("channel")
    assert table.loc["email", "last_touch"] == 50
    assert table.loc["display", "last_touch"] == 0
    assert table.loc["display", "first_touch"] == 10
    assert table.loc["display", "markov"] > 0  # display opens converting paths
    assert result.facts["conversions"] == 60
    assert result.facts["null_journeys"] == 540
    assert result.chart is not None and len(result.chart.data) == 10
    assert set(result.facts["definitions"]) == set(result.table.columns[1:])


def test_path_file_bad_column(tmp_path: Path) -> None:
    file = tmp_path / "paths.csv"
    pd.DataFrame({"paths": ["a > b"], "total_conversions": [1]}).to_csv(file, index=False)
    with pytest.raises(ToolError, match="Did you mean 'paths'"):
        run(AttributionArgs(paths_file=str(file)))


def test_args_forbid_extra() -> None:
    with pytest.raises(ValueError):
        AttributionArgs.model_validate({"lookback": 3})


# --- journeys from SQL on a warehouse with its own names (roles, not demo tables) -----------

ROLES = {
    "order_entity": "sales",
    "order_id": "sales.sale_no",
    "order_customer": "sales.buyer",
    "order_time": "sales.sold_at",
    "order_revenue": "sales.net",
    "touchpoint_entity": "touch_log",
    "touchpoint_customer": "touch_log.buyer",
    "touchpoint_channel": "touch_log.medium",
    "touchpoint_time": "touch_log.at",
    "touchpoint_campaign": "touch_log.promo",
    "campaign_entity": "promos",
    "campaign_id": "promos.promo_id",
    "campaign_name": "promos.promo_name",
}


@pytest.fixture()
def small_source(tmp_path: Path) -> RoleSource:
    path = tmp_path / "small.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (sale_no BIGINT, buyer BIGINT, sold_at TIMESTAMP, net DOUBLE)")
    con.execute('CREATE TABLE touch_log (buyer BIGINT, medium VARCHAR, promo INT, "at" TIMESTAMP)')
    con.execute("CREATE TABLE promos (promo_id INT, promo_name VARCHAR)")
    con.execute(
        """INSERT INTO sales VALUES
        (1, 1, '2025-01-10 12:00', 100), (2, 1, '2025-01-20 12:00', 50),
        (3, 2, '2025-01-15 00:00', 80), (4, 3, '2025-01-15 00:00', 30),
        (5, 4, '2025-01-31 00:00', 10)"""
    )
    con.execute(
        """INSERT INTO touch_log VALUES
        (1, 'search', 1, '2025-01-01'), (1, 'wechat', 2, '2025-01-09'),
        (1, 'email', 3, '2025-01-15'), (2, 'display', 4, '2024-11-01'),
        (2, 'wechat', 2, '2025-01-14'), (5, 'display', 4, '2025-01-12'),
        (5, 'search', 1, '2025-01-13'), (1, 'sms', 5, '2025-01-25')"""
    )
    con.execute("INSERT INTO promos VALUES (1,'S1'),(2,'W1'),(3,'E1'),(4,'D1'),(5,'M1')")
    con.close()
    return RoleSource(ROLES, GuardedDuckDB(path))


def test_journeys_from_sql_via_roles(small_source: RoleSource) -> None:
    result = run(AttributionArgs(lookback_days=30, half_life_days=2.0), small_source)
    paths = result.tables["paths"].set_index("path")
    # order 1: search, wechat; order 2: email (after order 1); order 3: wechat (display too old)
    assert paths.loc["search > wechat", "conversions"] == 1
    assert paths.loc["email", "conversions"] == 1
    assert paths.loc["wechat", "conversions"] == 1
    # customer 1's sms after the last order and customer 5's touches never converted
    assert paths.loc["sms", "nulls"] == 1
    assert paths.loc["display > search", "nulls"] == 1
    assert result.facts["orders"] == 5
    assert result.facts["orders_without_touch"] == 2
    assert result.facts["revenue"] == pytest.approx(230)
    # every identifier in the SQL came from roles, quoted
    assert any('"touch_log"."at"' in sql for sql in result.sql)
    # time decay with real ages: order 1 touches are 9.5 and 1.5 days old, half-life 2
    decay = result.tables["long"].query("model == 'time_decay'").set_index("channel")
    w_search, w_wechat = 0.5 ** (9.5 / 2), 0.5 ** (1.5 / 2)
    assert decay.loc["search", "conversions"] == pytest.approx(w_search / (w_search + w_wechat))


def test_journeys_by_campaign_use_campaign_names(small_source: RoleSource) -> None:
    result = run(AttributionArgs(by="campaign", start="2025-01-01", end="2025-01-20"), small_source)
    assert set(result.table["channel"]) == {"S1", "W1", "E1", "D1"}
    # D1 only opened a journey that never converted: no credit from the path-level models;
    # a first-order chain still credits it (D1 -> S1, and S1 leads on to W1 and conversion)
    d1 = result.table.set_index("channel").loc["D1"]
    assert d1.drop(["markov", "markov_value", "markov_2nd"]).abs().sum() == 0
    assert d1["markov"] > 0 and d1["markov_value"] > 0
    assert d1["markov_2nd"] == 0  # the pair (D1, S1) never leads to a conversion
    assert result.facts["conversions"] == 3


def test_missing_role_is_a_readable_error(small_source: RoleSource) -> None:
    broken = RoleSource({k: v for k, v in ROLES.items() if k != "touchpoint_time"}, small_source.runner)
    with pytest.raises(ToolError, match="touchpoint_time"):
        run(AttributionArgs(), broken)


# --- the demo warehouse ---------------------------------------------------------------------


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def test_demo_models_differ_from_last_touch(demo_source: RoleSource) -> None:
    result = run(AttributionArgs(), demo_source)
    shift = result.facts["share_shift_vs_last_touch"]
    assert shift["markov"] > 0.01
    assert shift["shapley"] > 0.01
    assert shift["first_touch"] > 0.01
    long = result.tables["long"]
    totals = long.groupby("model")["conversions"].sum()
    assert np.allclose(totals, totals.iloc[0])
    assert comparison(long).shape[0] >= 6


@pytest.mark.parametrize(("exact", "cell_limit"), [(0.0, None), (100.0, None), (0.0, 12)])
def test_journeys_too_long_for_one_number_come_as_lists(demo_source: RoleSource, exact: float,
                                                        cell_limit: int | None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # 0: every journey comes as its ordered codes (text); 100: only one- and two-touch
    # journeys of the demo's 8 channels (base 9) fit in a number. Both give the same journeys.
    # A cell limit of 12 characters cuts the text of every journey of seven touches or more
    # ('1,2,3,4,5,6,7'; no channel name is that long), as the warehouse cuts a journey of
    # thousands: then the journeys come as lists.
    from genbi.semantic_layer import resource_limits
    from genbi.tools.attribution import journeys, stream

    def fetched() -> journeys.Journeys:
        return journeys.fetch_journeys(demo_source, start=None, end=None, lookback_days=30, half_life_days=7.0)

    demo_source.use_cache = False  # the statement itself, not genbi's kept journeys
    # nor the stream read DuckDB takes (its own test: test_tools_attribution_stream)
    monkeypatch.setattr(stream, "usable", lambda *_: False)

    numbers = fetched()
    monkeypatch.setattr(journeys, "EXACT", exact)
    if cell_limit is not None:
        monkeypatch.setattr(resource_limits, "MAX_CELL_CHARS", cell_limit)
    before = len(demo_source.executed)
    lists = fetched()
    statements = [s for s in demo_source.executed[before:] if "ARRAY_AGG" in s]
    assert ["ARRAY_TO_STRING" in s for s in statements] == ([True, False] if cell_limit else [True])
    assert len(numbers.paths) > 50 and numbers.paths["path"].map(len).max() > 3
    pd.testing.assert_frame_equal(lists.paths, numbers.paths)
    pd.testing.assert_frame_equal(lists.time_decay, numbers.time_decay)
    assert (lists.orders, lists.orders_with_journey) == (numbers.orders, numbers.orders_with_journey)


@pytest.mark.parametrize("channels", [1, 3, 8, 62, 63, 70])
def test_channel_sets_group_as_sorted_tuples_do(channels: int) -> None:
    """Shapley's channel sets (bitmasks up to 62 channels, tuples beyond) group and sum
    exactly as ``grouped_sum`` does over each path's sorted tuple of channels: the same sets,
    in the same order, the same sums to the last bit (empty paths and repeated channels too)."""
    import random

    from genbi.tools.attribution.models import _channel_sets, channel_sets, grouped_sum

    rng = random.Random(channels)
    names = [f"ch{i:02d}" for i in range(channels)]
    for _ in range(30):
        n = rng.randint(1, 150)
        paths = pd.DataFrame({
            "path": [tuple(rng.choice(names) for _ in range(rng.choice([0, 1, 1, 2, 3, 7]))) for _ in range(n)],
            "conversions": [float(rng.choice([0, 0, 1, 2, 5])) for _ in range(n)],
            "value": [rng.random() * 100 for _ in range(n)],
            "nulls": [float(rng.randint(0, 3)) for _ in range(n)]})
        tuples = [tuple(sorted(set(p))) for p in paths["path"]]
        converting = (paths["conversions"] > 0).to_numpy()
        want = grouped_sum([t for t, kept in zip(tuples, converting, strict=True) if kept],
                           {"conversions": paths["conversions"].to_numpy()[converting],
                            "value": paths["value"].to_numpy()[converting]}, "channels")
        pd.testing.assert_frame_equal(_channel_sets(paths), want, check_exact=True)
        columns = {"conversions": paths["conversions"].to_numpy(), "journeys": paths["nulls"].to_numpy()}
        pd.testing.assert_frame_equal(channel_sets(paths).summed(columns, "channels"),
                                      grouped_sum(tuples, columns, "channels"), check_exact=True)


@pytest.mark.parametrize("channels", [1, 3, 8, 70])
def test_the_models_on_the_touch_codes_of_the_caller_give_the_same_numbers(channels: int) -> None:
    """Every model given the path table's touch codes once (``codes``: the tool walks the
    paths' tuples once) credits exactly as each model walking them itself: the converting
    subset's codes cut from every row's (``subset_codes``) are those a walk of the subset
    makes (empty paths too); repeated channels, paths without conversions and sets beyond 62
    channels (tuples) included."""
    import random

    from genbi.tools.attribution.markov import subset_codes, touch_codes
    from genbi.tools.attribution.models import markov_models

    rng = random.Random(channels)
    names = [f"ch{i:02d}" for i in range(channels)]
    for _ in range(15):
        n = rng.randint(1, 120)
        paths = pd.DataFrame({
            "path": [tuple(rng.choice(names) for _ in range(rng.choice([0, 1, 1, 2, 3, 7]))) for _ in range(n)],
            "conversions": [float(rng.choice([0, 0, 1, 2, 5])) for _ in range(n)],
            "value": [rng.random() * 100 for _ in range(n)],
            "nulls": [float(rng.randint(0, 3)) for _ in range(n)]})
        if not (paths["conversions"] > 0).any():
            continue
        codes = touch_codes(paths)
        keep = (paths["conversions"] > 0).to_numpy()
        for got, want in zip(subset_codes(codes, keep), touch_codes(paths[keep]), strict=True):
            np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
        for chain, again in zip(markov_models(paths).values(), markov_models(paths, codes).values(), strict=True):
            assert (chain is None) == (again is None)
            if chain is not None and again is not None:
                assert (chain.channels, chain.conversion_probability) == (again.channels, again.conversion_probability)
                np.testing.assert_array_equal(chain.removal_effects, again.removal_effects)
        paths = path_table(paths["path"], paths["conversions"], paths["value"], paths["nulls"])
        if not (paths["conversions"] > 0).any():
            continue
        codes = touch_codes(paths)
        walked = attribute(paths, half_life=3.0, chains=markov_models(paths))
        given = attribute(paths, half_life=3.0, chains=markov_models(paths, codes), codes=codes)
        pd.testing.assert_frame_equal(given, walked, check_exact=True)
