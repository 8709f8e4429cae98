"""Behavioural segments: k-means on standardised features, k chosen by silhouette.

Features (``feature_sql.feature_query``): recency, frequency, monetary, tenure, AOV, discount
share, category mix and channel mix; skewed counts and amounts are log1p'ed and everything is
standardised. The model is fitted on a fixed pseudo-random sample of customers
(``train_size``, default 50,000): k runs over ``k_min..k_max`` on up to 10,000 of them and
the k with the best silhouette wins (NumPy, ``light_models``). Every customer is then assigned to the
nearest centroid and the clusters are profiled: on DuckDB in memory, from one columnar read of
everyone's features that also gives the sample (``FeatureQuery.everyone``: one pass over the
orders and touches instead of two); on other engines inside the warehouse (SQL), so a million
customers never travel to Python. Both give the same clusters.

A cluster is named from its position against everyone: the two features whose cluster mean
is furthest from the overall mean, in overall standard deviations, each named by the side
it is on (a cluster whose mean recency is 558 days against 303 overall is "lapsed").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field

from genbi.lazy import lazy_module

from . import feature_table, light_models, progress, sql_scoring
from .audience_sql import PLACEHOLDER, AudienceSQL, intersect
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .compute import single_threaded
from .customer_orders import latest_order_date
from .customer_where import WHERE_CONDITIONS, WHO_IN, limited_to
from .feature_sql import FeatureQuery, feature_query
from .feature_table import FeatureTable
from .file_source import TransactionsFileArgs, transactions_source
from .question_numbers import count_of
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "segments"
SEARCH_ROWS = 10_000
"""k is searched on a fixed random sample of this many customers."""
LOG_FEATURES = ("frequency", "monetary", "aov", "recency_days", "tenure_days")
TRAITS = {
    # feature: (name when above the overall mean, below it; the same in Chinese)
    "recency_days": ("lapsed", "recent", "久未购买", "近期活跃"),
    "frequency": ("frequent", "one-off", "高频", "低频"),
    "monetary": ("big-spending", "low-spending", "高消费", "低消费"),
    "tenure_days": ("long-standing", "newer", "老客", "新客"),
    "aov": ("high-basket", "small-basket", "高客单", "低客单"),
    "discount_share": ("deal-seeking", "full-price", "爱折扣", "原价购买"),
}


class SegmentArgs(TransactionsFileArgs):
    """Cluster customers on behaviour and profile each cluster."""

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(None, description="Feature date; default: the latest order date.")
    k_min: int = Field(3, ge=2, le=12)
    k_max: int = Field(8, ge=2, le=15)
    sample_size: int = Field(2000, ge=200, le=50_000, description="Sample for the silhouette.")
    train_size: int = Field(50_000, ge=200, le=1_000_000, description="Customers the k-means is fitted on.")
    cluster: int | None = Field(None, ge=0, description="Return this cluster's customers as the audience.")
    where: str | None = Field(None, description=WHERE_CONDITIONS + " Clusters are fitted and named on every "
                                                                  "customer; the profile counts only these.")
    seed: int = 0


    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """"into 4 clusters", "分成5类": that many clusters, not the best k the silhouette finds."""
        k = count_of(question, r"clusters?|segments?|groups?|personas?|tribes?", r"类|群|组|簇|分群|群组|细分")
        return {"k_min": k, "k_max": k} if k is not None else {}


@dataclass(frozen=True)
class ClusterModel:
    """A fitted k-means in the feature space: transform (log1p, scaler) and centroids."""

    columns: tuple[str, ...]
    log: tuple[bool, ...]
    mean: np.ndarray
    scale: np.ndarray
    centroids: np.ndarray
    silhouette: dict[int, float]

    def transform(self, features: pd.DataFrame) -> np.ndarray:
        x = features[list(self.columns)].to_numpy(dtype=float).copy()
        for j, flag in enumerate(self.log):
            if flag:
                x[:, j] = np.log1p(np.clip(x[:, j], 0, None))
        return (x - self.mean) / self.scale

    def assign(self, z: np.ndarray) -> np.ndarray:
        """Nearest centroid per row (the first on a tie)."""
        distances = ((z[:, None, :] - self.centroids[None, :, :]) ** 2).sum(axis=2)
        return distances.argmin(axis=1)

    def nearest(self, table: FeatureTable) -> np.ndarray:
        """``sql_cluster``'s cluster for every row of ``table``, computed in memory with the
        same operations in the same order (the first centroid on a tie, like ``CASE``)."""
        if tuple(table.columns) != self.columns:
            raise ValueError("the feature table's columns differ from the model's")
        labels = np.empty(len(table), dtype=np.int64)
        for part in feature_table.chunks(len(table)):
            z = [feature_table.standardised(values[part], m, s, flag)
                 for values, m, s, flag in zip(table.data, self.mean, self.scale, self.log, strict=True)]
            labels[part] = feature_table.squared_distances(z, self.centroids).argmin(axis=1)
        return labels

    def sql_cluster(self, aliases: list[str]) -> tuple[str, str]:
        """Two CTE bodies: ``z`` (standard scores + distances) and ``s`` (+ the cluster)."""
        zs = [sql_scoring.standardised(a, m, s, flag)
              for a, m, s, flag in zip(aliases, self.mean, self.scale, self.log, strict=True)]
        z_cols = [f"z{j}" for j in range(len(zs))]
        distances = sql_scoring.squared_distances(z_cols, self.centroids)
        d_cols = [f"d{c}" for c in range(len(distances))]
        z_cte = ("z AS (SELECT f.*, " + ", ".join(f"{e} AS {c}" for e, c in zip(zs, z_cols, strict=True)) + " FROM f)")
        d_cte = ("d AS (SELECT z.*, " + ", ".join(f"{e} AS {c}" for e, c in zip(distances, d_cols, strict=True)) + " FROM z)")
        s_cte = f"s AS (SELECT d.*, {sql_scoring.nearest(d_cols)} AS cluster FROM d)"
        return f"{z_cte},\n{d_cte}", s_cte


def fit_clusters(features: pd.DataFrame, k_min: int, k_max: int, sample_size: int, seed: int) -> ClusterModel:
    """Standardise, choose k by silhouette on a subsample, fit the final k-means (pure;
    NumPy k-means and silhouette, ``light_models``)."""
    columns = tuple(str(c) for c in features.columns)
    log = tuple(c in LOG_FEATURES for c in columns)
    x = features.to_numpy(dtype=float).copy()
    for j, flag in enumerate(log):
        if flag:
            x[:, j] = np.log1p(np.clip(x[:, j], 0, None))
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    rng = np.random.default_rng(seed)
    search = z[rng.choice(len(z), size=min(SEARCH_ROWS, len(z)), replace=False)]
    sample = rng.choice(len(search), size=min(sample_size, len(search)), replace=False)
    scores, centres = {}, {}
    distances = light_models.pairwise_distances(search[sample])  # the same points for every k
    for k in range(k_min, min(k_max, len(search) - 1) + 1):
        fitted = light_models.kmeans(search, k, seed=seed, n_init=2)
        labels = fitted.labels
        if len(np.unique(labels[sample])) < 2:
            continue
        scores[k] = light_models.silhouette(search[sample], labels[sample], distances)
        centres[k] = fitted.centroids
    if not scores:
        raise ToolError("Too few distinct customers to cluster.")
    best = max(scores, key=lambda k: scores[k])
    # the whole training sample refines the search's centroids (one Lloyd run from a good
    # start instead of three from random ones)
    final = light_models.lloyd(z, centres[best])
    return ClusterModel(columns, log, mean, scale, final.centroids, scores)


def cluster(features: pd.DataFrame, k_min: int, k_max: int, sample_size: int, seed: int) -> tuple[np.ndarray, dict[int, float], np.ndarray]:
    """Labels, silhouette per k and the standardised matrix, all in memory (pure)."""
    model = fit_clusters(features, k_min, k_max, sample_size, seed)
    z = model.transform(features)
    return model.assign(z), model.silhouette, z


def _trait(column: str, above: bool) -> tuple[str, str]:
    if column in TRAITS:
        hi_en, lo_en, hi_zh, lo_zh = TRAITS[column]
        return (hi_en, hi_zh) if above else (lo_en, lo_zh)
    kind, _, name = column.partition("_")
    noun_en, noun_zh = ("buyers", "偏好") if kind == "cat" else ("reached", "触达")
    if above:
        return f"{name} {noun_en}", f"{name}{noun_zh}"
    return f"low {name} share", f"少{name}"


def name_clusters(means: pd.DataFrame, overall_mean: pd.Series, overall_sd: pd.Series) -> pd.DataFrame:
    """Per cluster (row of ``means``): English and Chinese names and the two traits'
    position, from (cluster mean - overall mean) / overall sd (pure)."""
    sd = overall_sd.replace(0, np.nan)
    effect = ((means - overall_mean) / sd).fillna(0.0)
    rows = []
    for position_index, (cluster_id, row) in enumerate(effect.iterrows()):
        strongest = row.abs().sort_values(ascending=False, kind="stable").index[:2]
        traits = [_trait(str(c), bool(row[c] > 0)) for c in strongest]
        mean_row = means.iloc[position_index]
        position = "; ".join(f"{c} {float(mean_row[c]):,.4g} vs {float(overall_mean[c]):,.4g} overall"
                             for c in strongest)
        rows.append({"cluster": cluster_id, "name": ", ".join(t[0] for t in traits),
                     "name_zh": "、".join(t[1] for t in traits), "position": position})
    return pd.DataFrame(rows).set_index("cluster")


def profile(features: pd.DataFrame, z: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    """Per cluster: size, shares, means and a name from its position (in memory, pure)."""
    frame = features.assign(cluster=labels)
    grouped = frame.groupby("cluster")
    stats = pd.DataFrame({"customers": grouped.size(), "revenue": grouped["monetary"].sum()})
    return _profile_table(stats, grouped[list(features.columns)].mean(), features.mean(), features.std(ddof=0))


def _profile_table(stats: pd.DataFrame, means: pd.DataFrame, overall_mean: pd.Series, overall_sd: pd.Series) -> pd.DataFrame:
    names = name_clusters(means, overall_mean, overall_sd)
    total_revenue = float(stats["revenue"].sum()) or 1.0
    table = pd.DataFrame({
        "cluster": stats.index.astype(int),
        "name": names["name"].reindex(stats.index).to_numpy(),
        "name_zh": names["name_zh"].reindex(stats.index).to_numpy(),
        "customers": stats["customers"].astype(int).to_numpy(),
        "customer_share": (stats["customers"] / stats["customers"].sum()).to_numpy(),
        "revenue_share": (stats["revenue"] / total_revenue).to_numpy(),
    })
    table = pd.concat([table, means.reset_index(drop=True).astype(float)], axis=1)
    table["position"] = names["position"].reindex(stats.index).to_numpy()
    return table


def _warehouse_profile(source: RoleSource, query: FeatureQuery, model: ClusterModel, ctes: tuple[str, str],
                       who: AudienceSQL | None = None) -> pd.DataFrame:
    """Each cluster's size, revenue and means (of ``who``'s customers when given), named
    against everyone's means."""
    aliases = list(query.names)
    averages = ", ".join(f"AVG({a}) AS m{j}, STDDEV_POP({a}) AS s{j}" for j, a in enumerate(aliases))
    select = (f", {ctes[0]},\n{ctes[1]}\nSELECT cluster, COUNT(*) AS customers, SUM(monetary) AS revenue, "
              f"{averages} FROM s GROUP BY GROUPING SETS ((cluster), ())")
    raw = query.run(source, select)
    names = query.columns
    overall = raw[raw["cluster"].isna()].iloc[0]
    if who is not None:
        raw = query.run(source, select.replace("FROM s GROUP BY GROUPING SETS ((cluster), ())",
                                               f"FROM s {WHO_IN} GROUP BY cluster"), None, **_audience(source, who))
        if raw.empty:
            return pd.DataFrame(columns=["cluster", "customers"])
    part = raw[raw["cluster"].notna()].astype({"cluster": int}).set_index("cluster").sort_index()
    means = pd.DataFrame({n: part[f"m{j}"].astype(float) for j, n in enumerate(names)})
    overall_mean = pd.Series({n: float(overall[f"m{j}"]) for j, n in enumerate(names)})
    overall_sd = pd.Series({n: float(overall[f"s{j}"] or 0.0) for j, n in enumerate(names)})
    stats = part[["customers", "revenue"]].astype(float)
    return _profile_table(stats, means, overall_mean, overall_sd)


def _memory_profile(table: FeatureTable, labels: np.ndarray, keep: np.ndarray | None = None) -> pd.DataFrame:
    """``_warehouse_profile`` on everyone's features in memory (``FeatureQuery.everyone``);
    ``keep`` marks the customers profiled (named against everyone's means all the same)."""
    kept = labels if keep is None else labels[keep]
    if not len(kept):
        return pd.DataFrame(columns=["cluster", "customers"])
    counts = np.bincount(kept)
    present = np.flatnonzero(counts)
    columns = list(table.columns)
    sums = {c: np.bincount(kept, weights=table.column(c) if keep is None else table.column(c)[keep],
                           minlength=len(counts))[present] for c in columns}
    index = pd.Index(present.astype(int), name="cluster")
    size = counts[present].astype(float)
    stats = pd.DataFrame({"customers": size, "revenue": sums["monetary"]}, index=index)
    means = pd.DataFrame({c: sums[c] / size for c in columns}, index=index)
    overall_mean = pd.Series([values.mean() for values in table.data], index=columns)
    overall_sd = pd.Series([values.std() for values in table.data], index=columns)
    return _profile_table(stats, means, overall_mean, overall_sd)


def run(args: SegmentArgs, source: RoleSource | None = None, *, members: bool = True) -> ToolResult:
    """Cluster every customer who ordered, choose k, profile and name the clusters; with
    ``cluster``, that cluster as an audience (SQL, and its ids unless ``members`` is False)."""
    if args.k_max < args.k_min:
        raise ToolError("k_max must be at least k_min.")
    source = transactions_source(args) if args.file else source
    if source is None:
        raise ToolError("The segments tool needs a warehouse or --file with transactions.")
    start = len(source.executed)
    progress.step("Reading the latest order date", 0.0)
    as_of = args.as_of or latest_order_date(source)
    progress.step("Building customer features", 0.05)
    query = feature_query(source, as_of)
    everyone = query.everyone(source)  # DuckDB: one read, then fit and score in memory
    drawn = everyone.first(args.train_size) if everyone is not None else None
    sample = everyone.frame(drawn) if everyone is not None and drawn is not None else (
        query.sampled(args.train_size).fetch(source))
    if len(sample) < 10:
        raise ToolError("Too few customers with orders to cluster.", "Segments need at least 10.")
    progress.step(f"Fitting k-means on {len(sample):,} customers", 0.3)
    with single_threaded():
        model = fit_clusters(sample, args.k_min, args.k_max, args.sample_size, args.seed)
    progress.step("Assigning every customer to its nearest cluster", 0.6)
    ctes = model.sql_cluster(list(query.names))
    who = limited_to(source, args, as_of)  # fitted and named on everyone; profiled for these
    if everyone is not None:
        keep = np.isin(everyone.ids, np.asarray(who.members(source))) if who is not None else None
        table = _memory_profile(everyone, model.nearest(everyone), keep)
    else:
        table = _warehouse_profile(source, query, model, ctes, who)
    if who is not None and (table.empty or not int(table["customers"].sum())):
        raise ToolError(f"No customer with an order on or before {as_of} is one of '{args.where}'.",
                        "Check the condition with a question such as 'how many customers ...'.")
    scored = f", {ctes[0]},\n{ctes[1]}\n"
    audience = None
    if args.cluster is not None:
        if args.cluster not in set(table["cluster"]):
            raise ToolError(f"There is no cluster {args.cluster}.", f"Clusters: 0..{len(table) - 1}.")
        audience = query.audience(scored + "SELECT customer_id FROM s WHERE cluster = :wanted", wanted=args.cluster)
        audience = intersect([audience, who], source) if who is not None else audience
    facts: dict[str, Any] = {
        "as_of": as_of.isoformat(), "customers": int(table["customers"].sum()), "k": len(table),
        "trained_on": len(sample),
        "silhouette_by_k": {str(k): round(v, 4) for k, v in model.silhouette.items()},
        "clusters": {str(r["cluster"]): f"{r['name']} ({r['customers']:,}): {r['position']}"
                     for r in table.to_dict("records")},
        "features": query.columns,
    }
    progress.step("Done", 1.0)
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: _chart(table)), facts=facts,
                      customer_ids=audience.members(source) if audience and members else None,
                      audience=audience, sql=tuple(source.executed[start:]),
                      per_customer=_members(source, query, scored, who))


def _audience(source: RoleSource, who: AudienceSQL | None) -> dict[str, Any]:
    """The value that puts ``who`` where a statement names it (``WHO_IN``)."""
    return {PLACEHOLDER: who.tree(source)} if who is not None else {}


def _members(source: RoleSource, query: FeatureQuery, scored: str, who: AudienceSQL | None) -> Callable[[], pd.DataFrame]:
    def fetch() -> pd.DataFrame:
        columns = ", ".join(f"{a} AS {a}" for a in query.names)
        among = WHO_IN if who is not None else ""
        frame = query.run(source, scored + f"SELECT customer_id, cluster, {columns} FROM s {among} ORDER BY customer_id",
                          None, **_audience(source, who))
        return frame.rename(columns=dict(query.names))
    return fetch


def _chart(table: pd.DataFrame) -> go.Figure:
    figure = go.Figure(go.Scatter(
        x=table["frequency"], y=table["monetary"], mode="markers+text",
        text=[f"{c}: {n}" for c, n in zip(table["cluster"], table["name"], strict=True)],
        textposition="top center",
        marker={"size": np.sqrt(table["customers"]) / np.sqrt(table["customers"].max()) * 60},
    ))
    figure.update_layout(title="Behavioural clusters / 行为聚类", xaxis_title="avg orders / 平均订单数",
                         yaxis_title="avg spend / 平均消费")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=SegmentArgs,
        run=run,
        description=(
            "Behavioural customer segments: k-means on RFM, category mix, channel mix and "
            "discount share (fitted on a sample, every customer assigned in the warehouse), "
            "k chosen by silhouette, each cluster profiled and named against the overall means."
        ),
        intents=("segment", "segments", "segmentation", "clustering", "cluster", "k-means",
                 "personas", "聚类", "客户聚类", "人群细分", "细分", "画像", "分群"),
        actions=(  # "split our customers into 4 groups", "把客户分成5类"
            r"\b(?:split|divide|group|break|cluster|segment)\w*\b.{0,30}\b(?:customers|users|buyers|members|shoppers)"
            r"\b.{0,12}\binto\b.{0,8}\b(?:groups?|clusters?|segments?|types?|personas?)\b",
            r"(?:客户|用户|会员|买家|顾客).{0,4}(?:分成|分为|划分为|划分成|聚成).{0,4}(?:类|群|组|簇)",
        ),
    )
)
