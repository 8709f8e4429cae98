"""Lookalike audiences: customers who behave like a seed audience.

The seed is an RFM segment, a behavioural cluster, or a customer attribute value
(``--seed-dimension loyalty_tier --seed-value platinum``, through the role
``customer_<dimension>``), each defined in SQL. A classifier (log1p, standardised logistic
regression, ``light_models``) learns seed vs. everyone else on behavioural features of a fixed
pseudo-random sample of customers (``train_size``; seed customers are topped up when the
sample holds few); its cross-validated ROC AUC says how distinctive the seed is. Every
non-seed customer is scored and the top N returned: on DuckDB in memory, from one columnar
read of everyone's features that also gives the sample and the seed (``FeatureQuery.everyone``);
on other engines in the warehouse (SQL). Both give the same customers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import Field

from genbi.lazy import lazy_module

from . import feature_table, light_models, progress, sql_scoring
from .audience_sql import PLACEHOLDER
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .compute import single_threaded
from .customer_orders import latest_order_date
from .customer_where import CONDITIONS, customer_audience
from .feature_sql import FeatureQuery, feature_query
from .feature_table import FeatureTable
from .file_source import TransactionsFileArgs, transactions_source
from .question_numbers import count_of
from .rfm import SEGMENTS, find_segment
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go

    from .segments import ClusterModel
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "lookalike"
MIN_SEEDS = 2_000
"""Seed customers are topped up to this many when the random sample holds fewer."""
BINS = 40
SEED_WHERE = "Seed = these customers, " + CONDITIONS
"""``seed_where``: the seed said as customer conditions ("lookalikes of VIP customers in Shanghai")."""


class LookalikeArgs(TransactionsFileArgs):
    """Score customers by similarity to a seed audience and return the top N."""

    seed_segment: str | None = Field(None, description="Seed = this RFM segment (en or zh name).")
    seed_cluster: int | None = Field(None, ge=0, description="Seed = this behavioural cluster.")
    seed_dimension: str | None = Field(None, description="Seed = customers with this attribute ...")
    seed_value: str | None = Field(None, description="... equal to this value.")
    seed_where: str | None = Field(None, description=SEED_WHERE)
    top_n: int = Field(1000, ge=1, le=1_000_000)
    as_of: date | None = None
    train_size: int = Field(50_000, ge=200, le=1_000_000, description="Customers sampled to train on.")


    @classmethod
    def missing(cls, arguments: dict[str, Any], zh: bool) -> tuple[str, tuple[str, ...]] | None:
        """What to ask back when the question names no seed ("find customers like our best
        buyers": best by what?): the tool can't guess whose lookalikes are wanted."""
        if any(arguments.get(k) is not None for k in ("seed_segment", "seed_cluster", "seed_dimension", "seed_where")):
            return None
        if zh:
            return ("要找和哪一群客户相似的人？请说出种子人群，例如一个RFM分层或某个属性值的客户。",
                    ("和重要价值客户相似的人群", "和一般价值客户相似的人群", "和重要发展客户相似的人群"))
        return ("Lookalikes of whom? Name the seed audience: an RFM segment, or customers with an attribute value.",
                ("customers who look like our Champions", "lookalikes of Loyal customers",
                 "lookalikes of Potential loyalists"))

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """"an audience of 5,000 customers like Champions": the audience's size."""
        size = count_of(question, r"(?:new |similar |lookalike )?(?:customers|people|users|members|buyers|contacts|lookalikes)",
                        r"客户|用户|人|会员|名")
        return {"top_n": size} if size is not None else {}


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


def _one_seed(args: LookalikeArgs) -> None:
    chosen = [args.seed_segment is not None, args.seed_cluster is not None, args.seed_dimension is not None,
              args.seed_where is not None]
    if sum(chosen) != 1:
        raise ToolError("Give exactly one seed: --seed-segment, --seed-cluster, --seed-where, or --seed-dimension "
                        "with --seed-value.")
    if args.seed_dimension is not None and args.seed_value is None:
        raise ToolError("--seed-dimension needs --seed-value.")


def _seed(args: LookalikeArgs, source: RoleSource, query: FeatureQuery,
          everyone: FeatureTable | None = None) -> _Seed:
    """The ``seeded`` CTE (``f`` + ``is_seed``), its slots and values, and the seed's label;
    for a cluster seed, the fitted clusters too (on ``everyone``'s sample when given)."""
    _one_seed(args)
    if args.seed_segment is not None:
        segment = find_segment(args.seed_segment)
        cte, values = _rfm_seed(segment)
        return _Seed(cte, {}, values, f"RFM segment {segment}")
    if args.seed_cluster is not None:
        from .segments import fit_clusters

        drawn = everyone.first(args.train_size) if everyone is not None else None
        sample = everyone.frame(drawn) if everyone is not None and drawn is not None else (
            query.sampled(args.train_size).fetch(source))
        with single_threaded():
            model = fit_clusters(sample, 3, 8, 2000, 0)
        if args.seed_cluster >= len(model.centroids):
            raise ToolError(f"There is no cluster {args.seed_cluster}.", f"Clusters: 0..{len(model.centroids) - 1}.")
        z_cte, s_cte = model.sql_cluster(list(query.names))
        cte = (f", {z_cte},\n{s_cte},\nseeded AS (SELECT f.*, CASE WHEN s.cluster = :seed_cluster THEN 1 ELSE 0 END "
               "AS is_seed FROM f JOIN s ON s.customer_id = f.customer_id)\n")
        return _Seed(cte, {}, {"seed_cluster": args.seed_cluster}, f"cluster {args.seed_cluster}", model)
    if args.seed_where is not None:
        cte = (", seeded AS (SELECT f.*, CASE WHEN f.customer_id IN (SELECT customer_id FROM " + PLACEHOLDER +
               ") THEN 1 ELSE 0 END AS is_seed FROM f)\n")
        return _Seed(cte, {}, _where_values(args, source, query), args.seed_where)
    dimension = str(args.seed_dimension)
    role = _attribute_role(source, dimension)
    cte = (", sd AS (SELECT {c_id} AS customer_id FROM {T_c} WHERE CAST({attr} AS VARCHAR) = :seed_value),\n"
           "seeded AS (SELECT f.*, CASE WHEN sd.customer_id IS NULL THEN 0 ELSE 1 END AS is_seed "
           "FROM f LEFT JOIN sd ON sd.customer_id = f.customer_id)\n")
    slots = {"c_id": "customer_id", "T_c": "customer_entity", "attr": role}
    return _Seed(cte, slots, {"seed_value": args.seed_value}, f"{dimension} = {args.seed_value}")


def _attribute_role(source: RoleSource, dimension: str) -> str:
    role = f"customer_{dimension}" if source.has(f"customer_{dimension}") else dimension
    if not source.has(role) or source.column(role).table != source.table("customer_entity"):
        raise ToolError(f"genbi does not know the customer attribute '{dimension}'.",
                        "Use one the semantic model declares as customer_<name>, e.g. loyalty_tier.")
    return role


@dataclass(frozen=True)
class _Seed:
    """A seed rule: the ``seeded`` CTE over ``f``, its role slots and values, its label."""

    cte: str
    slots: dict[str, str]
    values: dict[str, Any]
    label: str
    clusters: ClusterModel | None = None


_ATTRIBUTE_FLAG = (", CASE WHEN f.customer_id IN (SELECT {c_id} FROM {T_c} WHERE CAST({attr} AS VARCHAR) = "
                   ":seed_value) THEN 1 ELSE 0 END AS is_seed")
"""An attribute seed read with everyone's features (``FeatureQuery.everyone``)."""


_WHERE_FLAG = ", CASE WHEN f.customer_id IN (SELECT customer_id FROM " + PLACEHOLDER + ") THEN 1 ELSE 0 END AS is_seed"
"""A seed of customer conditions read with everyone's features."""


def _where_values(args: LookalikeArgs, source: RoleSource, query: FeatureQuery) -> dict[str, Any]:
    """The seed's customers (``seed_where``) as the audience a template's ``__audience__`` names."""
    if args.file:
        raise ToolError("A seed of customer conditions needs the warehouse: a transactions file has no customer "
                        "attributes.", "Seed the lookalikes by an RFM segment or a cluster instead.")
    return {PLACEHOLDER: customer_audience(source, str(args.seed_where), query.as_of).tree(source)}


def _everyone(args: LookalikeArgs, source: RoleSource, query: FeatureQuery) -> FeatureTable | None:
    """Everyone's features in memory (DuckDB), with the attribute seed's flag when that is
    the seed; None where the warehouse scores in SQL."""
    if args.seed_where is not None:
        return query.everyone(source, _WHERE_FLAG, {}, **_where_values(args, source, query))
    if args.seed_dimension is not None:
        slots = {"c_id": "customer_id", "T_c": "customer_entity",
                 "attr": _attribute_role(source, str(args.seed_dimension))}
        return query.everyone(source, _ATTRIBUTE_FLAG, slots, seed_value=args.seed_value)
    return query.everyone(source)


def _seed_flags(seed: _Seed, everyone: FeatureTable) -> np.ndarray:
    """``seeded.is_seed`` for every row of ``everyone``, in memory."""
    if seed.clusters is not None:
        return seed.clusters.nearest(everyone) == seed.values["seed_cluster"]
    if "r_high" in seed.values:  # the RFM tool's mean-based rule, as ``_rfm_seed``
        recency, frequency, monetary = (everyone.column(c) for c in ("recency_days", "frequency", "monetary"))
        return (((recency <= recency.mean()) == seed.values["r_high"])
                & ((frequency >= frequency.mean()) == seed.values["f_high"])
                & ((monetary >= monetary.mean()) == seed.values["m_high"]))
    return everyone.extra["is_seed"] == 1


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
_WHERE_FLAGS = ("SELECT base.customer_id, CASE WHEN base.customer_id IN (SELECT customer_id FROM " + PLACEHOLDER +
                ") THEN 1 ELSE 0 END AS is_seed FROM base")


def _training(source: RoleSource, query: FeatureQuery, seed: _Seed, size: int) -> pd.DataFrame:
    """A sample of customers with ``is_seed``; seeds topped up to ``MIN_SEEDS`` if rare. A seed
    defined on what every customer's order summary holds (an RFM segment, an attribute) is
    drawn before the features, so they are computed for the sample only; the same customers
    as drawing from everyone's features."""
    counts = {"n_other": size, "n_seed": max(size // 10, MIN_SEEDS)}
    flags = (_RFM_FLAGS if "r_high" in seed.values else _ATTRIBUTE_FLAGS if "seed_value" in seed.values
             else _WHERE_FLAGS if PLACEHOLDER in seed.values else None)
    if flags is not None:
        sample = query.only(_PICK.replace("{flagged}", flags), ("is_seed",))
        frame = sample.run(source, "SELECT * FROM f ORDER BY customer_id", seed.slots, bulk=True, **counts,
                           **seed.values)
        return frame.set_index("customer_id").rename(columns=dict(query.names))
    # the seed rule (e.g. an RFM mean) is computed over everyone; the sample is drawn after
    select = (seed.cte + ", pick AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY is_seed ORDER BY "
              "md5(CAST(customer_id AS VARCHAR)), customer_id) AS rn FROM seeded)\n"
              "SELECT * FROM pick WHERE (is_seed = 0 AND rn <= :n_other) OR (is_seed = 1 AND rn <= :n_seed) "
              "ORDER BY customer_id")
    frame = query.run(source, select, seed.slots, bulk=True, **counts, **seed.values)
    return frame.drop(columns=["rn"]).set_index("customer_id").rename(columns=dict(query.names))


def _memory_training(everyone: FeatureTable, flags: np.ndarray, size: int) -> pd.DataFrame | None:
    """``_training``'s sample (the same customers) from everyone's features in memory; None
    when the draw is undecided there (``FeatureTable.first``)."""
    others = everyone.first(size, ~flags)
    seeds = everyone.first(max(size // 10, MIN_SEEDS), flags)
    if others is None or seeds is None:
        return None
    rows = np.sort(np.concatenate([others, seeds]))
    frame = everyone.frame(rows)
    frame["is_seed"] = flags[rows].astype(int)
    return frame


@dataclass(frozen=True)
class _Scores:
    """What the scoring pass returns: similarity histogram per seed flag, and the top list."""

    stats: pd.DataFrame
    top: pd.DataFrame


def _sql_scores(source: RoleSource, query: FeatureQuery, seed: _Seed, scored: str, top_n: int) -> _Scores:
    stats, top = query.run_both(
        source, scored,
        (f"SELECT is_seed, LEAST(FLOOR(similarity * {BINS}), {BINS - 1}) AS bin, COUNT(*) AS customers, "
         "AVG(monetary) AS mean_monetary FROM once GROUP BY 1, 2", ["is_seed", "bin", "customers", "mean_monetary"]),
        ("SELECT customer_id, similarity, recency_days, frequency, monetary FROM once "
         "WHERE is_seed = 0 ORDER BY similarity DESC, customer_id LIMIT :top_n",
         ["customer_id", "similarity", "recency_days", "frequency", "monetary"]),
        seed.slots, top_n=top_n, **seed.values)
    stats = stats.sort_values(["is_seed", "bin"]).reset_index(drop=True)
    top = top.sort_values(["similarity", "customer_id"], ascending=[False, True]).reset_index(drop=True)
    return _Scores(stats, top)


def _memory_scores(everyone: FeatureTable, flags: np.ndarray, model: light_models.Logistic, top_n: int) -> _Scores:
    """``_sql_scores`` on everyone's features in memory: the scored SQL's numbers, computed
    with the same operations (``feature_table``)."""
    similarity = np.empty(len(everyone))
    for part in feature_table.chunks(len(everyone)):
        z = [feature_table.standardised(values[part], m, s, True)
             for values, m, s in zip(everyone.data, model.mean, model.scale, strict=True)]
        similarity[part] = feature_table.logistic(z, model.coef.tolist(), model.intercept)
    bins = np.minimum(np.floor(similarity * BINS), BINS - 1)
    monetary = everyone.column("monetary")
    parts = []
    for flag in (0, 1):
        mine = flags == bool(flag)
        found, counts = np.unique(bins[mine], return_counts=True)
        sums = np.bincount(np.searchsorted(found, bins[mine]), weights=monetary[mine], minlength=len(found))
        parts.append(pd.DataFrame({"is_seed": flag, "bin": found, "customers": counts, "mean_monetary": sums / counts}))
    stats = pd.concat(parts, ignore_index=True)
    rows = feature_table.order_desc(similarity, np.flatnonzero(~flags), top_n)
    top = pd.DataFrame({"customer_id": everyone.ids[rows], "similarity": similarity[rows],
                        **{c: everyone.column(c)[rows] for c in ("recency_days", "frequency", "monetary")}})
    return _Scores(stats, top)


def run(args: LookalikeArgs, source: RoleSource | None = None) -> ToolResult:
    """Learn the seed audience, score everyone else, return the top N as an audience."""
    source = transactions_source(args) if args.file else source
    if source is None:
        raise ToolError("The lookalike tool needs a warehouse or --file with transactions.")
    start = len(source.executed)
    as_of = args.as_of or latest_order_date(source)
    progress.step("Building customer features", 0.05)
    query = feature_query(source, as_of)
    _one_seed(args)
    everyone = _everyone(args, source, query)  # DuckDB: one read, then fit and score in memory
    seed = _seed(args, source, query, everyone)
    progress.step("Sampling seed and other customers", 0.2)
    flags = _seed_flags(seed, everyone) if everyone is not None else None
    sample = _memory_training(everyone, flags, args.train_size) if everyone is not None and flags is not None else None
    if sample is None:
        everyone = None
        sample = _training(source, query, seed, args.train_size)
    is_seed = sample.pop("is_seed").to_numpy(dtype=int) == 1
    progress.step(f"Learning the seed from {len(sample):,} customers", 0.45)
    model, auc = fit(sample[query.columns].astype(float), is_seed)
    zs = [sql_scoring.standardised(a, m, s, True) for a, m, s in zip(query.names, model.mean, model.scale, strict=True)]
    scored = seed.cte + f", scored AS (SELECT seeded.*, {sql_scoring.logistic(zs, model.coef.tolist(), model.intercept)} AS similarity FROM seeded)\n"
    progress.step("Scoring every customer", 0.6)
    if everyone is not None and flags is not None:
        scores = _memory_scores(everyone, flags, model, args.top_n)
    else:
        scores = _sql_scores(source, query, seed, scored, args.top_n)
    stats, top = scores.stats, scores.top
    seeds = stats[stats["is_seed"] == 1]
    others = stats[stats["is_seed"] == 0]
    n_seed = int(seeds["customers"].sum())
    label = seed.label
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
                      per_customer=_export(source, query, scored, seed.slots, seed.values))


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
        actions=(  # "customers who look like our Champions", "more buyers like our platinum members"
            r"\b(?:customers|people|buyers|shoppers|users|members|prospects|ones|who)\s+(?:that\s+|who\s+)?"
            r"(?:looks?|behaves?|acts?|shops?|buys?)\s+(?:just\s+)?like\b"
            r"|\b(?:more|new|other|similar)\s+(?:customers|people|buyers|shoppers|users|members)\s+"
            r"(?:like|similar to|resembling)\s+(?:our|my|the|them|those|these)\b"
            r"|\b(?:customers|people|buyers|shoppers|users|members)\s+(?:similar to|resembling)\s+(?:our|my|the|those|these)\b"
            r"|\baudiences?\s+(?:similar to|like|resembling|that looks? like)\b"
            r"|\b(?:customers|people|buyers|shoppers|users|members|prospects|who)\s+(?:that\s+|who\s+)?"
            r"(?:resembles?|(?:are|is|look|looks)\s+similar to|mirrors?)\s+(?:our|my|the)\b",
            r"(?:和|跟|与|像).{1,12}(?:相似|类似|相像|差不多|一样|那样|这样|那种|这种)的(?:潜在|新|更多|其他|其它|别的)?"
            r"(?:人|客户|用户|人群|会员|买家|潜客)"
            r"|类似.{1,12}的(?:人|客户|用户|人群|会员|买家)",
        ),
    )
)
