"""Tools at warehouse scale: SQL features and SQL scoring agree with in-memory references."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from feature_reference import customer_features
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from genbi.semantic_layer.warehouse import Warehouse
from genbi.tools import sql_scoring
from genbi.tools.base import ToolError
from genbi.tools.feature_sql import feature_query
from genbi.tools.file_source import transactions_source
from genbi.tools.lookalike import LookalikeArgs
from genbi.tools.lookalike import run as lookalike_run
from genbi.tools.progress import listening
from genbi.tools.roles import RoleSource
from genbi.tools.segments import ClusterModel, SegmentArgs, fit_clusters, name_clusters
from genbi.tools.segments import run as segments_run
from genbi.tools.testing import demo_source as _demo_source

AS_OF = date(2025, 12, 31)


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def _run_sql(select: str, frame: pd.DataFrame) -> pd.DataFrame:
    with duckdb.connect() as con:
        con.register("f", frame.reset_index())
        return con.execute(select).df()


def test_sql_features_match_the_pandas_reference(demo_source: RoleSource) -> None:
    query = feature_query(demo_source, AS_OF)
    got = query.run(demo_source, "SELECT * FROM f ORDER BY customer_id").set_index("customer_id")
    got = got.rename(columns=dict(query.names)).astype(float)
    want = customer_features(demo_source, AS_OF)
    assert list(got.index) == list(want.index)
    for column in got.columns:
        np.testing.assert_allclose(got[column], want[column], rtol=1e-9, atol=1e-9, err_msg=column)
    sample = query.sampled(500).fetch(demo_source)
    assert len(sample) == 500 and set(sample.index) <= set(want.index)
    np.testing.assert_allclose(sample.to_numpy(), want.loc[sample.index, sample.columns].to_numpy(), atol=1e-9)
    again = query.sampled(500).fetch(demo_source)
    assert list(again.index) == list(sample.index)  # the sample is fixed


def test_a_sample_is_the_first_buyers_by_id_hash_and_has_their_full_features(demo_source: RoleSource) -> None:
    """Sampled queries draw ids before aggregating (feature_sql._SAMPLE_IDS): the same
    customers and numbers as taking everyone's features and keeping the first n by md5(id)."""
    query = feature_query(demo_source, AS_OF)
    for population, n in ((query, 700), (query.active(120), 900), (query.at(date(2025, 6, 30)).active(180), 400)):
        everyone = population.fetch(demo_source)
        if population.active_days is not None:  # the recently active: everyone's rows for them
            unfiltered = replace(population, active_days=None).fetch(demo_source)
            recent = unfiltered.index[unfiltered["recency_days"] < population.active_days]
            assert list(everyone.index) == list(recent)
            np.testing.assert_allclose(everyone.to_numpy(), unfiltered.loc[recent].to_numpy(), rtol=1e-12)
        want = sorted(everyone.index, key=lambda c: (hashlib.md5(str(c).encode()).hexdigest(), c))[:n]
        got = population.sampled(n).fetch(demo_source)
        assert list(got.index) == sorted(want)
        np.testing.assert_allclose(got.to_numpy(), everyone.loc[got.index].to_numpy(), rtol=1e-12)


def test_nearest_centroid_and_logistic_in_sql_equal_numpy() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.gamma(2, 3, 2000), "b": rng.normal(0, 1, 2000), "c": rng.exponential(50, 2000)})
    frame.index.name = "customer_id"
    model = fit_clusters(frame, 3, 5, 500, 0)
    want = model.assign(model.transform(frame))
    z_cte, s_cte = model.sql_cluster(["a", "b", "c"])
    got = _run_sql(f"WITH {z_cte}, {s_cte} SELECT customer_id, cluster FROM s ORDER BY customer_id", frame)
    np.testing.assert_array_equal(got["cluster"].to_numpy(), want)

    y = (frame["a"] + rng.normal(0, 2, 2000) > 6).astype(int).to_numpy()
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(frame.to_numpy(), y)
    scaler, logit = pipe.steps[0][1], pipe.steps[1][1]
    zs = [sql_scoring.standardised(c, m, s, False) for c, m, s in zip("abc", scaler.mean_, scaler.scale_, strict=True)]
    expr = sql_scoring.logistic(zs, logit.coef_[0], float(logit.intercept_[0]))
    got_p = _run_sql(f"SELECT {expr} AS p FROM f ORDER BY customer_id", frame)["p"].to_numpy()
    np.testing.assert_allclose(got_p, pipe.predict_proba(frame.to_numpy())[:, 1], rtol=1e-9)


def test_cluster_names_follow_the_position_against_the_overall_mean() -> None:
    means = pd.DataFrame({"recency_days": [558.0, 80.0], "monetary": [300.0, 2000.0]}, index=[0, 1])
    names = name_clusters(means, pd.Series({"recency_days": 303.0, "monetary": 900.0}),
                          pd.Series({"recency_days": 150.0, "monetary": 700.0}))
    assert names.loc[0, "name"].startswith("lapsed")  # 558 d vs 303 overall is not "recent"
    assert "recency_days 558 vs 303 overall" in names.loc[0, "position"]
    assert "recent" in names.loc[1, "name"] and "big-spending" in names.loc[1, "name"]


def test_segments_in_sql_agree_with_the_model_in_memory(demo_source: RoleSource) -> None:
    steps: list[tuple[str, float]] = []
    with listening(lambda label, fraction: steps.append((label, fraction))):
        result = segments_run(SegmentArgs(k_min=3, k_max=4, train_size=3000, cluster=1), demo_source)
    assert [f for _, f in steps] == sorted(f for _, f in steps) and steps[-1][1] == 1.0
    features = customer_features(demo_source, AS_OF)
    assert int(result.table["customers"].sum()) == len(features)
    members = result.per_customer() if result.per_customer else None
    assert members is not None and len(members) == len(features)
    sizes = members["cluster"].value_counts().sort_index()
    assert sizes.tolist() == result.table["customers"].tolist()
    assert len(result.customer_ids or ()) == int(sizes.loc[1])
    by_cluster = features.assign(cluster=members.set_index("customer_id")["cluster"]).groupby("cluster")["monetary"].mean()
    np.testing.assert_allclose(result.table["monetary"], by_cluster.to_numpy(), rtol=1e-9)
    assert isinstance(ClusterModel, type)


def _transactions(path: Path) -> Path:
    rng = np.random.default_rng(11)
    rows = []
    for customer in range(300):
        big = customer < 60
        for _ in range(int(rng.integers(4, 9) if big else rng.integers(1, 3))):
            rows.append((f"c{customer:03d}", pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(rng.integers(0, 360))),
                         float(rng.gamma(5, 100) if big else rng.gamma(2, 30))))
    path.mkdir(exist_ok=True)
    frame = pd.DataFrame(rows, columns=["member", "paid_at", "amount"])
    frame.iloc[: len(frame) // 2].to_csv(path / "part1.csv", index=False)
    frame.iloc[len(frame) // 2 :].to_csv(path / "part2.csv", index=False)
    return path


def test_segments_and_lookalike_run_on_a_folder_of_files(tmp_path: Path) -> None:
    folder = str(_transactions(tmp_path / "tx"))
    flags = {"file": folder, "customer_column": "member", "time_column": "paid_at", "amount_column": "amount"}
    result = segments_run(SegmentArgs(**flags, k_min=2, k_max=3))
    assert int(result.table["customers"].sum()) == 300
    look = lookalike_run(LookalikeArgs(**flags, seed_segment="Champions", top_n=10))
    assert look.facts["auc"] > 0.7 and len(look.customer_ids or ()) == 10
    with pytest.raises(ToolError, match=r"'paid' is not a column .*did you mean 'paid_at'"):
        transactions_source(SegmentArgs(file=folder, customer_column="member", time_column="paid", amount_column="amount"))


def test_file_warehouse_keeps_the_guard_and_masks_contacts(tmp_path: Path) -> None:
    path = tmp_path / "tx.csv"
    pd.DataFrame({"customer_id": ["alice@example.com"], "ordered_at": ["2025-01-02"], "revenue": [10.0]}).to_csv(path, index=False)
    source = transactions_source(SegmentArgs(file=str(path)))
    assert isinstance(source.runner, Warehouse)
    rows = source.frame('SELECT customer_id FROM "orders"')
    assert rows.iloc[0, 0] == "a***@example.com"
    with pytest.raises(Exception, match=r"(?i)read-only|not allowed|only"):
        source.frame("DROP TABLE orders")


def test_rfm_in_sql_equals_the_pandas_scores(demo_source: RoleSource) -> None:
    from genbi.tools.customer_orders import warehouse_summary
    from genbi.tools.rfm import RFMArgs, rfm_scores, segment_summary
    from genbi.tools.rfm import run as rfm_run

    result = rfm_run(RFMArgs(as_of=AS_OF, segment="Champions"), demo_source)
    want = rfm_scores(warehouse_summary(demo_source, AS_OF), AS_OF)
    assert result.per_customer is not None
    got = result.per_customer()
    assert list(got["customer_id"]) == list(want["customer_id"])
    for column in ("recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_code", "segment"):
        assert (got[column].to_numpy() == want[column].to_numpy()).all() if column in ("rfm_code", "segment") else \
            np.allclose(got[column].to_numpy(dtype=float), want[column].to_numpy(dtype=float)), column
    summary = segment_summary(want)
    np.testing.assert_array_equal(result.table["customers"], summary["customers"])
    np.testing.assert_allclose(result.table["revenue_share"], summary["revenue_share"], rtol=1e-9)
    assert len(result.customer_ids or ()) == int((want["segment"] == "Champions").sum())


_OLD_COUNTS = """
WITH t AS (
  SELECT {t_cust} AS customer_id, COUNT(*) AS touches,
         COUNT(*) FILTER (WHERE lower(CAST({t_type} AS VARCHAR)) = 'click') AS clicks
  FROM {T_t} WHERE {t_time} < :until AND {t_time} >= :since GROUP BY 1
), e AS (
  SELECT {e_cust} AS customer_id, COUNT(*) AS visits
  FROM {T_e} WHERE {e_time} < :until AND {e_time} >= :since GROUP BY 1
), o AS (
  SELECT {o_cust} AS customer_id, COUNT(*) AS orders
  FROM {T_o} WHERE {o_time} < :until AND {o_time} >= :since GROUP BY 1
)
SELECT {c_id} AS customer_id, COALESCE(t.touches, 0) AS touches, COALESCE(t.clicks, 0) AS clicks,
       COALESCE(e.visits, 0) AS visits, COALESCE(o.orders, 0) AS orders
FROM {T_c} LEFT JOIN t ON t.customer_id = {c_id} LEFT JOIN e ON e.customer_id = {c_id}
LEFT JOIN o ON o.customer_id = {c_id}"""


def test_lifecycle_in_one_sql_pass_equals_per_customer_counting(demo_source: RoleSource) -> None:
    from datetime import timedelta

    from genbi.tools.customer_orders import warehouse_summary
    from genbi.tools.lifecycle import AIPL, LifecycleArgs, aipl, lifecycle_stage
    from genbi.tools.lifecycle import run as lifecycle_run

    result = lifecycle_run(LifecycleArgs(end=AS_OF, stage="at_risk"), demo_source)
    slots = {"T_c": "customer_entity", "c_id": "customer_id", "T_t": "touchpoint_entity",
             "t_cust": "touchpoint_customer", "t_time": "touchpoint_time", "t_type": "touchpoint_type",
             "T_e": "event_entity", "e_cust": "event_customer", "e_time": "event_time",
             "T_o": "order_entity", "o_cust": "order_customer", "o_time": "order_time"}
    stages = {}
    for label, day in (("start", AS_OF - timedelta(days=90)), ("end", AS_OF)):
        c = demo_source.query(_OLD_COUNTS, slots, until=day + timedelta(days=1), since=day - timedelta(days=364))
        stages[label] = pd.Series(aipl(c["touches"].to_numpy(), c["clicks"].to_numpy(), c["visits"].to_numpy(),
                                       c["orders"].to_numpy()), index=c["customer_id"])
    both = pd.DataFrame(stages)
    want = pd.crosstab(both["start"], both["end"]).reindex(index=list(AIPL), columns=list(AIPL), fill_value=0)
    got = result.tables["transitions"].set_index("from")[list(AIPL)]
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())
    summary = warehouse_summary(demo_source, AS_OF).set_index("customer_id").reindex(both.index)
    life = lifecycle_stage(summary["first_date"], summary["last_date"], AS_OF, 90, 180)
    assert result.facts["lifecycle"] == {s: int((life == s).sum()) for s in result.facts["lifecycle"]}
    assert len(result.customer_ids or ()) == int((life == "at_risk").sum())


def test_funnel_and_lifecycle_on_files(tmp_path: Path) -> None:
    from genbi.tools.funnel import FunnelArgs
    from genbi.tools.funnel import run as funnel_run
    from genbi.tools.lifecycle import LifecycleArgs
    from genbi.tools.lifecycle import run as lifecycle_run

    rows = [("s1", "visit", "mobile"), ("s1", "add_to_cart", "mobile"), ("s1", "purchase", "mobile"),
            ("s2", "visit", "pc"), ("s2", "add_to_cart", "pc"), ("s3", "visit", "pc"), ("s3", "purchase", "pc")]
    pd.DataFrame([(s, e, "2025-05-01 10:00", d) for s, e, d in rows],
                 columns=["sid", "what", "at", "device"]).to_csv(tmp_path / "events.csv", index=False)
    args = {"events_file": str(tmp_path / "events.csv"), "session_column": "sid", "event_column": "what",
            "time_column": "at", "steps": "visit,add_to_cart,purchase"}
    loose = funnel_run(FunnelArgs(**args)).facts["sessions"]
    assert loose == {"visit": 3, "add_to_cart": 2, "purchase": 2}
    strict = funnel_run(FunnelArgs(**args, strict=True, by="device"))
    assert strict.facts["sessions"] == {"visit": 3, "add_to_cart": 2, "purchase": 1}
    assert strict.facts["conversion_by_group"] == {"mobile": 1.0, "pc": 0.0}

    folder = _transactions(tmp_path / "tx")
    life = lifecycle_run(LifecycleArgs(file=str(folder), customer_column="member", time_column="paid_at",
                                       amount_column="amount", end=date(2025, 12, 31)))
    assert sum(life.facts["lifecycle"].values()) == 300 and life.facts["lifecycle"]["prospect"] == 0
    assert life.facts["aipl_end"]["awareness"] == 0 and "notes" in life.facts


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_a_transactions_file_not_in_utf8_is_read(tmp_path: Path, encoding: str) -> None:
    """An export in Windows-1252 or UTF-16 (Excel's Unicode Text) failed to load for the tools."""
    path = tmp_path / "tx.csv"
    path.write_bytes("customer_id,ordered_at,revenue\r\nRené,2025-01-02,10.5\r\nZoë\u00a0B,2025-01-03,4.5\r\n"
                     .encode(encoding))
    source = transactions_source(SegmentArgs(file=str(path)))
    rows = source.frame('SELECT customer_id, revenue FROM "orders" ORDER BY revenue')
    assert list(rows["customer_id"]) == ["Zoë\u00a0B", "René"] and list(rows["revenue"]) == [4.5, 10.5]
