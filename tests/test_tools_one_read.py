"""Segments and lookalike on DuckDB read everyone's features once and work in memory
(``FeatureQuery.everyone``, ``feature_table``); other engines draw the sample and score in SQL.
Both ways give the same answers: the same training customers, the same clusters, seeds and
top lists, the same profile numbers up to the order floats are summed in."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from genbi.tools import feature_table
from genbi.tools.feature_sql import feature_query
from genbi.tools.feature_table import FeatureTable
from genbi.tools.lookalike import LookalikeArgs
from genbi.tools.lookalike import run as lookalike_run
from genbi.tools.roles import RoleSource
from genbi.tools.segments import SegmentArgs
from genbi.tools.segments import run as segments_run
from genbi.tools.testing import demo_source as _demo_source

AS_OF = date(2025, 12, 31)
SAMPLE = 3_000


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


@pytest.fixture()
def in_sql(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run a tool as on Postgres or Spark: no columnar read, the sample and scores in SQL."""
    def run(tool: Any, args: Any, source: RoleSource) -> Any:
        with monkeypatch.context() as patch:
            patch.setattr(RoleSource, "columnar", property(lambda self: False))
            return tool(args, source)
    return run


def test_the_one_read_draws_the_sql_sample(demo_source: RoleSource) -> None:
    query = feature_query(demo_source, AS_OF)
    everyone = query.everyone(demo_source)
    assert everyone is not None and demo_source.columnar
    assert list(everyone.ids) == sorted(everyone.ids)
    for n in (1, 700, SAMPLE):
        rows = everyone.first(n)
        assert rows is not None
        got, want = everyone.frame(rows), query.sampled(n).fetch(demo_source)
        assert list(got.index) == list(want.index)
        assert list(got.columns) == list(want.columns)
        np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-12)
    by_hash = sorted(everyone.ids, key=lambda c: (hashlib.md5(str(c).encode()).hexdigest(), c))
    some = everyone.ids % 3 == 0
    rows = everyone.first(500, some)
    assert rows is not None
    assert list(everyone.ids[rows]) == sorted([c for c in by_hash if c % 3 == 0][:500])
    assert query.sampled(10).everyone(demo_source) is None  # only the unsampled query


def test_the_one_read_has_everyones_sql_features(demo_source: RoleSource) -> None:
    """The channel mix counted in NumPy from (customer, channel code) rows, or aggregated in
    SQL when the ids are not whole numbers, equals the feature SQL's shares exactly."""
    query = feature_query(demo_source, AS_OF)
    everyone = query.everyone(demo_source)
    assert everyone is not None
    want = query.run(demo_source, "SELECT * FROM f ORDER BY customer_id").rename(columns=dict(query.names))
    assert list(want["customer_id"]) == list(everyone.ids)
    mixes = [m for m in query.mixes if m.counted]
    assert mixes and any(c.startswith("ch_") for c in everyone.columns)
    for name, values in zip(everyone.columns, everyone.data, strict=True):
        if name.startswith("ch_"):
            assert values.tolist() == want[name].astype(float).tolist(), name
        else:
            np.testing.assert_allclose(values, want[name].astype(float), rtol=1e-12, err_msg=name)
    in_sql = query._counted_shares(demo_source, mixes[0], everyone.ids.astype(object))  # not whole numbers
    for i, key in enumerate(mixes[0].keys):
        assert in_sql[f"ch_{i}"].tolist() == want[f"ch_{key}"].astype(float).tolist(), key


def test_a_tie_in_the_kept_hash_bits_at_the_cut_is_left_undecided() -> None:
    table = FeatureTable(ids=np.arange(6), key=np.array([5.0, 1.0, 3.0, 3.0, 9.0, 0.0]),
                         data=(np.zeros(6),), columns=("x",))
    def first(n: int, among: np.ndarray | None = None) -> list[int] | None:
        rows = table.first(n, among)
        return None if rows is None else rows.tolist()

    assert first(2) == [1, 5]
    assert first(3) is None  # ids 2 and 3 share the kept bits: which comes first needs all of the md5
    assert first(4) == [1, 2, 3, 5]
    assert first(9) == list(range(6))
    among = np.array([True, False, True, True, False, False])
    assert first(1, among) is None
    assert first(3, among) == [0, 2, 3]


def test_in_memory_scoring_is_the_sql_expressions() -> None:
    rng = np.random.default_rng(5)
    x = np.column_stack([rng.gamma(2, 30, 5000), rng.normal(0, 1, 5000), rng.exponential(3, 5000)])
    x[:50, 1] = -3.0  # negative values: clipped at zero before the log
    import duckdb

    from genbi.tools import sql_scoring

    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    mean, scale, centres = [3.1, 0.2, 1.0], [1.2, 0.9, 0.7], np.array([[0.1, -0.3, 0.2], [-1.0, 0.5, 0.0]])
    zs = [sql_scoring.standardised(c, m, s, True) for c, m, s in zip("abc", mean, scale, strict=True)]
    distances = sql_scoring.squared_distances(["z0", "z1", "z2"], centres)
    logit = sql_scoring.logistic(["z0", "z1", "z2"], [0.5, -1.5, 2.0], -0.25)
    with duckdb.connect() as con:
        con.register("f", frame)
        got = con.execute(f"SELECT {distances[0]} AS d0, {distances[1]} AS d1, {logit} AS p FROM "
                          f"(SELECT {', '.join(f'{e} AS z{j}' for j, e in enumerate(zs))} FROM f)").fetchnumpy()
    z = [feature_table.standardised(x[:, j], m, s, True) for j, (m, s) in enumerate(zip(mean, scale, strict=True))]
    np.testing.assert_allclose(feature_table.squared_distances(z, centres), np.column_stack([got["d0"], got["d1"]]),
                               rtol=1e-14)
    np.testing.assert_allclose(feature_table.logistic(z, [0.5, -1.5, 2.0], -0.25), got["p"], rtol=1e-14)
    order = feature_table.order_desc(np.array([0.5, 0.9, 0.5, 0.1, 0.9]), np.array([0, 1, 2, 3, 4]), 3)
    assert list(order) == [1, 4, 0]


def _feature_passes(result: Any) -> int:
    """Statements that aggregate every customer's orders (the feature CTE ``base``)."""
    return sum("MIN(CAST(" in sql.upper() for sql in result.sql)


def _same_table(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    for column in a.columns:
        if a[column].dtype.kind == "f":
            np.testing.assert_allclose(a[column].to_numpy(), b[column].to_numpy(), rtol=1e-12, err_msg=column)
        else:
            assert a[column].tolist() == b[column].tolist(), column


def test_segments_in_memory_equal_segments_in_sql(demo_source: RoleSource, in_sql: Any) -> None:
    args = SegmentArgs(k_min=3, k_max=5, train_size=SAMPLE, cluster=2)
    memory, sql = segments_run(args, demo_source), in_sql(segments_run, args, demo_source)
    _same_table(memory.table, sql.table)
    assert memory.facts["silhouette_by_k"] == sql.facts["silhouette_by_k"]
    assert memory.facts["trained_on"] == sql.facts["trained_on"] == SAMPLE
    assert memory.customer_ids == sql.customer_ids
    assert _feature_passes(memory) < _feature_passes(sql)  # one read of the features instead of two


@pytest.mark.parametrize("seed", [{"seed_segment": "Champions"}, {"seed_segment": "At Risk"}, {"seed_cluster": 1},
                                  {"seed_dimension": "loyalty_tier", "seed_value": "gold"}])
def test_lookalike_in_memory_equals_lookalike_in_sql(demo_source: RoleSource, in_sql: Any,
                                                     seed: dict[str, Any]) -> None:
    args = LookalikeArgs(**seed, top_n=300, train_size=SAMPLE)
    memory, sql = lookalike_run(args, demo_source), in_sql(lookalike_run, args, demo_source)
    _same_table(memory.table, sql.table)
    assert memory.customer_ids == sql.customer_ids
    for fact, value in sql.facts.items():
        assert memory.facts[fact] == (pytest.approx(value, rel=1e-12) if isinstance(value, float) else value), fact
    assert memory.per_customer is not None and sql.per_customer is not None
    assert _feature_passes(memory) == 1 < _feature_passes(sql)


def test_an_undecided_draw_falls_back_to_the_sql_sample(demo_source: RoleSource, in_sql: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    args = LookalikeArgs(seed_segment="Champions", top_n=100, train_size=SAMPLE)
    sql = in_sql(lookalike_run, args, demo_source)
    monkeypatch.setattr(FeatureTable, "first", lambda self, n, among=None: None)
    undecided = lookalike_run(args, demo_source)
    assert undecided.customer_ids == sql.customer_ids and undecided.facts == sql.facts
    segments = segments_run(SegmentArgs(k_min=3, k_max=3, train_size=SAMPLE), demo_source)
    assert segments.facts["trained_on"] == SAMPLE


def test_each_touch_finds_its_customers_row() -> None:
    from genbi.tools.feature_sql import _rows_of

    owners = np.array([1, 3, 9, 10, 11, 5, -7, 2**40, 3])
    for ids in (np.array([3, 5, 9, 10]), np.array([3, 5, 9, 10, 2**50])):  # a lookup table; a hash (sparse ids)
        want = [list(ids).index(o) if o in ids else len(ids) for o in owners]
        assert _rows_of(ids, owners.copy()).tolist() == want
        assert _rows_of(ids, owners.astype(np.int32)).tolist() == want
        unsigned = owners[owners >= 0].astype(np.uint64)
        assert _rows_of(ids, unsigned).tolist() == [w for w, o in zip(want, owners, strict=True) if o >= 0]
    assert _rows_of(np.array([], dtype=np.int64), owners).tolist() == [0] * len(owners)


def test_too_many_to_hold_stay_in_the_warehouse(demo_source: RoleSource, in_sql: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from genbi.tools import feature_sql

    query = feature_query(demo_source, AS_OF)
    full = query.everyone(demo_source)
    assert full is not None
    monkeypatch.setattr(feature_sql, "PAIRS_MAX", 1000)  # the touches: aggregated in SQL instead
    fewer_pairs = query.everyone(demo_source)
    assert fewer_pairs is not None
    for name, a, b in zip(full.columns, full.data, fewer_pairs.data, strict=True):
        assert a.tolist() == b.tolist(), name
    monkeypatch.setattr(feature_sql, "EVERYONE_MAX", len(full) - 1)  # the customers: the SQL path
    assert query.everyone(demo_source) is None
    args = LookalikeArgs(seed_segment="Champions", top_n=100, train_size=SAMPLE)
    assert lookalike_run(args, demo_source).customer_ids == in_sql(lookalike_run, args, demo_source).customer_ids
