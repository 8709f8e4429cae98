"""Lookalike audiences: customers who behave like a seed audience.

The seed is an RFM segment, a behavioural cluster, or a customer attribute value
(``--seed-dimension loyalty_tier --seed-value platinum``, through the role
``customer_<dimension>``), each defined in SQL. A classifier (log1p, standardised logistic
regression, ``light_models``) learns seed vs. everyone else on behavioural features of a fixed
pseudo-random sample of customers (``train_size``; seed customers are topped up when the
sample holds few); its cross-validated ROC AUC says how distinctive the seed is. Every
non-seed customer is scored in the warehouse and the top N returned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import Field

from genbi.lazy import lazy_module

from . import light_models, progress, sql_scoring
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .compute import single_threaded
from .customer_orders import latest_order_date
from .feature_sql import FeatureQuery, feature_query
from .file_source import TransactionsFileArgs, transactions_source
from .rfm import SEGMENTS, find_segment
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "lookalike"
MIN_SEEDS = 2_000
"""Seed customers are topped up to this many when the random sample holds fewer."""
BINS = 40


class LookalikeArgs(TransactionsFileArgs):
    """Score customers by similarity to a seed audience and return the top N."""

    seed_segment: str | None = Field(None, description="Seed = this RFM segment (en or zh name).")
    seed_cluster: int | None = Field(None, ge=0, description="Seed = this behavioural cluster.")
    seed_dimension: str | None = Field(None, description="Seed = customers with this attribute ...")
    seed_value: str | None = Field(None, description="... equal to this value.")
    top_n: int = Field(1000, ge=1, le=1_000_000)
    as_of: date | None = None
    train_size: int = Field(50_000, ge=200, le=1_000_000, description="Customers sampled to train on.")


def fit(features: pd.DataFrame, seed: np.ndarray, random_state: int = 0) -> tuple[light_models.Logistic, float]:
    """The fitted model (on log1p features) and its 3-fold cross-validated AUC (pure)."""
    if seed.sum() < 5 or (~seed).sum() < 5:
        raise ToolError("The seed audience needs at least 5 customers, and 5 outside it.",
                        "Pick a bigger segment, cluster or attribute value.")
    x = np.log1p(features.clip(lower=0).to_numpy(dtype=float))
    y = seed.astype(int)
    folds = light_models.stratified_folds(y, 3, random_state)
    out_of_fold = np.empty(len(y))
    with single_threaded():
        for fold in range(3):
            held = folds == fold
            out_of_fold[held] = light_models.fit_logistic(x[~held], y[~held]).predict_proba(x[held])
        model = light_models.fit_logistic(x, y)
    return model, light_models.roc_auc(y, out_of_fold)


def score(features: pd.DataFrame, seed: np.ndarray, seed_value: int = 0) -> tuple[np.ndarray, float]:
    """Similarity score for every row and the cross-validated AUC (pure, in memory)."""
    model, auc = fit(features, seed, seed_value)
    return model.predict_proba(np.log1p(features.clip(lower=0).to_numpy(dtype=float))), auc


def _rfm_seed(segment: str) -> tuple[str, dict[str, Any]]:
    """Seed flag of an RFM segment over ``f`` (the RFM tool's mean-based rule)."""
    r_high, f_high, m_high = next(key for key, names in SEGMENTS.items() if names[0] == segment)
    cte = (", seeded AS (SELECT f.*, CASE WHEN (recency_days <= AVG(recency_days) OVER ()) = :r_high "
           "AND (frequency >= AVG(frequency) OVER ()) = :f_high AND (monetary >= AVG(monetary) OVER ()) = :m_high "
           "THEN 1 ELSE 0 END AS is_seed FROM f)\n")
    return cte, {"r_high": r_high, "f_high": f_high, "m_high": m_high}


def _seed(args: LookalikeArgs, source: RoleSource, query: FeatureQuery) -> tuple[str, dict[str, str], dict[str, Any], str]:
    """The ``seeded`` CTE (``f`` + ``is_seed``), its slots and values, and the seed's label."""
    chosen = [args.seed_segment is not None, args.seed_cluster is not None, args.seed_dimension is not None]
    if sum(chosen) != 1:
        raise ToolError("Give exactly one seed: --seed-segment, --seed-cluster, or --seed-dimension with --seed-value.")
    if args.seed_segment is not None:
        segment = find_segment(args.seed_segment)
        cte, values = _rfm_seed(segment)
        return cte, {}, values, f"RFM segment {segment}"
    if args.seed_cluster is not None:
        from .segments import fit_clusters

        sample = query.sampled(args.train_size).fetch(source)
        with single_threaded():
            model = fit_clusters(sample, 3, 8, 2000, 0)
        if args.seed_cluster >= len(model.centroids):
            raise ToolError(f"There is no cluster {args.seed_cluster}.", f"Clusters: 0..{len(model.centroids) - 1}.")
        z_cte, s_cte = model.sql_cluster(list(query.names))
        cte = (f", {z_cte},\n{s_cte},\nseeded AS (SELECT f.*, CASE WHEN s.cluster = :seed_cluster THEN 1 ELSE 0 END "
               "AS is_seed FROM f JOIN s ON s.customer_id = f.customer_id)\n")
        return cte, {}, {"seed_cluster": args.seed_cluster}, f"cluster {args.seed_cluster}"
    if args.seed_value is None:
        raise ToolError("--seed-dimension needs --seed-value.")
    dimension = str(args.seed_dimension)
    role = f"customer_{dimension}" if source.has(f"customer_{dimension}") else dimension
    if not source.has(role) or source.column(role).table != source.table("customer_entity"):
        raise ToolError(f"genbi does not know the customer attribute '{dimension}'.",
                        "Use one the semantic model declares as customer_<name>, e.g. loyalty_tier.")
    cte = (", sd AS (SELECT {c_id} AS customer_id FROM {T_c} WHERE CAST({attr} AS VARCHAR) = :seed_value),\n"
           "seeded AS (SELECT f.*, CASE WHEN sd.customer_id IS NULL THEN 0 ELSE 1 END AS is_seed "
           "FROM f LEFT JOIN sd ON sd.customer_id = f.customer_id)\n")
    slots = {"c_id": "customer_id", "T_c": "customer_entity", "attr": role}
    return cte, slots, {"seed_value": args.seed_value}, f"{dimension} = {args.seed_value}"


_PICK = """SELECT customer_id, is_seed FROM (
  SELECT customer_id, is_seed, ROW_NUMBER() OVER (PARTITION BY is_seed ORDER BY md5(CAST(customer_id AS VARCHAR)),
         customer_id) AS rn FROM ({flagged}) AS flagged
) AS ranked WHERE (is_seed = 0 AND rn <= :n_other) OR (is_seed = 1 AND rn <= :n_seed)"""
_RFM_FLAGS = """SELECT customer_id, CASE WHEN (recency_days <= AVG(recency_days) OVER ()) = :r_high
  AND (frequency >= AVG(frequency) OVER ()) = :f_high AND (monetary >= AVG(monetary) OVER ()) = :m_high
  THEN 1 ELSE 0 END AS is_seed FROM (
  SELECT customer_id, CAST(DATE_DIFF('day', last_date, :as_of) AS DOUBLE) AS recency_days,
         CAST(orders AS DOUBLE) AS frequency, COALESCE(revenue, 0) AS monetary FROM base) AS b"""
_ATTRIBUTE_FLAGS = """SELECT base.customer_id, CASE WHEN sd.customer_id IS NULL THEN 0 ELSE 1 END AS is_seed FROM base
  LEFT JOIN (SELECT {c_id} AS customer_id FROM {T_c} WHERE CAST({attr} AS VARCHAR) = :seed_value) AS sd
  ON sd.customer_id = base.customer_id"""


def _training(source: RoleSource, query: FeatureQuery, seed: tuple[str, dict[str, str], dict[str, Any], str],
              size: int) -> pd.DataFrame:
    """A sample of customers with ``is_seed``; seeds topped up to ``MIN_SEEDS`` if rare. A seed
    defined on what every customer's order summary holds (an RFM segment, an attribute) is
    drawn before the features, so they are computed for the sample only; the same customers
    as drawing from everyone's features."""
    cte, slots, values, _ = seed
    counts = {"n_other": size, "n_seed": max(size // 10, MIN_SEEDS)}
    flags = _RFM_FLAGS if "r_high" in values else _ATTRIBUTE_FLAGS if "seed_value" in values else None
    if flags is not None:
        sample = query.only(_PICK.replace("{flagged}", flags), ("is_seed",))
        frame = sample.run(source, "SELECT * FROM f ORDER BY customer_id", slots, bulk=True, **counts, **values)
        return frame.set_index("customer_id").rename(columns=dict(query.names))
    # the seed rule (e.g. an RFM mean) is computed over everyone; the sample is drawn after
    select = (cte + ", pick AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY is_seed ORDER BY "
              "md5(CAST(customer_id AS VARCHAR)), customer_id) AS rn FROM seeded)\n"
              "SELECT * FROM pick WHERE (is_seed = 0 AND rn <= :n_other) OR (is_seed = 1 AND rn <= :n_seed) "
              "ORDER BY customer_id")
    frame = query.run(source, select, slots, bulk=True, n_other=size, n_seed=max(size // 10, MIN_SEEDS), **values)
    return frame.drop(columns=["rn"]).set_index("customer_id").rename(columns=dict(query.names))


def run(args: LookalikeArgs, source: RoleSource | None = None) -> ToolResult:
    """Learn the seed audience, score everyone else, return the top N as an audience."""
    source = transactions_source(args) if args.file else source
    if source is None:
        raise ToolError("The lookalike tool needs a warehouse or --file with transactions.")
    start = len(source.executed)
    as_of = args.as_of or latest_order_date(source)
    progress.step("Building customer features", 0.05)
    query = feature_query(source, as_of)
    seed = _seed(args, source, query)
    cte, slots, values, label = seed
    progress.step("Sampling seed and other customers", 0.2)
    sample = _training(source, query, seed, args.train_size)
    is_seed = sample.pop("is_seed").to_numpy(dtype=int) == 1
    progress.step(f"Learning the seed from {len(sample):,} customers", 0.45)
    model, auc = fit(sample[query.columns].astype(float), is_seed)
    zs = [sql_scoring.standardised(a, m, s, True) for a, m, s in zip(query.names, model.mean, model.scale, strict=True)]
    scored = cte + f", scored AS (SELECT seeded.*, {sql_scoring.logistic(zs, model.coef.tolist(), model.intercept)} AS similarity FROM seeded)\n"
    progress.step("Scoring every customer", 0.6)
    stats, top = query.run_both(
        source, scored,
        (f"SELECT is_seed, LEAST(FLOOR(similarity * {BINS}), {BINS - 1}) AS bin, COUNT(*) AS customers, "
         "AVG(monetary) AS mean_monetary FROM once GROUP BY 1, 2", ["is_seed", "bin", "customers", "mean_monetary"]),
        ("SELECT customer_id, similarity, recency_days, frequency, monetary FROM once "
         "WHERE is_seed = 0 ORDER BY similarity DESC, customer_id LIMIT :top_n",
         ["customer_id", "similarity", "recency_days", "frequency", "monetary"]),
        slots, top_n=args.top_n, **values)
    stats = stats.sort_values(["is_seed", "bin"]).reset_index(drop=True)
    top = top.sort_values(["similarity", "customer_id"], ascending=[False, True]).reset_index(drop=True)
    seeds = stats[stats["is_seed"] == 1]
    others = stats[stats["is_seed"] == 0]
    n_seed = int(seeds["customers"].sum())
    if n_seed < 5:
        raise ToolError(f"The seed ({label}) has only {n_seed} customers with orders.", "Pick a bigger seed.")
    facts: dict[str, Any] = {
        "seed": label, "seed_customers": n_seed, "candidates": int(others["customers"].sum()),
        "trained_on": len(sample), "auc": round(auc, 4), "returned": len(top),
        "min_similarity_returned": round(float(top["similarity"].min()), 4) if len(top) else None,
        "seed_mean_monetary": round(float(np.average(seeds["mean_monetary"], weights=seeds["customers"])), 2),
        "lookalike_mean_monetary": round(float(top["monetary"].mean()), 2) if len(top) else None,
    }
    progress.step("Done", 1.0)
    return ToolResult(tool=NAME, table=top, chart=chart(lambda: _chart(others, label)), facts=facts,
                      customer_ids=tuple(top["customer_id"].tolist()), sql=tuple(source.executed[start:]),
                      per_customer=_export(source, query, scored, slots, values))


def _chart(others: pd.DataFrame, label: str) -> go.Figure:
    centres = (others["bin"].astype(float) + 0.5) / BINS
    figure = go.Figure(go.Bar(x=centres, y=others["customers"], width=1 / BINS, marker_color="#8b5cf6"))
    figure.update_layout(title=f"Similarity to the seed ({label}) / 与种子人群的相似度",
                         xaxis_title="similarity / 相似度", yaxis_title="customers / 客户数")
    return figure


def _export(source: RoleSource, query: FeatureQuery, scored: str, slots: dict[str, str],
            values: dict[str, Any]) -> Callable[[], pd.DataFrame]:
    def fetch() -> pd.DataFrame:
        return query.run(source, scored + "SELECT customer_id, is_seed, similarity FROM scored ORDER BY customer_id",
                         slots, **values)
    return fetch


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=LookalikeArgs,
        run=run,
        description=(
            "Lookalike audience: scores every other customer by similarity to a seed (an RFM "
            "segment, a cluster or an attribute value) with a classifier, reports AUC, returns the top N."
        ),
        intents=("lookalike", "look-alike", "similar customers", "expand audience", "seed audience",
                 "相似人群", "人群扩展", "相似客户", "扩量"),
    )
)
