"""Behavioural segments: k-means on standardised features, k chosen by silhouette.

Features (``features.customer_features``): recency, frequency, monetary, tenure, AOV,
discount share, category mix and channel mix; skewed counts and amounts are log1p'ed and
everything is standardised. k runs over ``k_min..k_max`` (fitted on a fixed random sample)
and the k with the best silhouette (scikit-learn) wins; the final k-means uses everyone. Each cluster is named from its
two strongest traits: the features whose cluster mean is furthest, in standard deviations,
from the overall mean.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from .base import ToolError, ToolResult, ToolSpec, register_tool
from .customer_orders import latest_order_date
from .features import customer_features
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
"""k is searched on a fixed random sample of this many customers; the final fit uses all."""
LOG_FEATURES = ("frequency", "monetary", "aov", "recency_days", "tenure_days")
TRAITS = {
    "recency_days": ("recent", "lapsed", "近期活跃", "久未购买"),
    "frequency": ("frequent", "one-off", "高频", "低频"),
    "monetary": ("big-spending", "low-spending", "高消费", "低消费"),
    "tenure_days": ("long-standing", "newer", "老客", "新客"),
    "aov": ("high-basket", "small-basket", "高客单", "低客单"),
    "discount_share": ("deal-seeking", "full-price", "爱折扣", "原价购买"),
}


class SegmentArgs(BaseModel):
    """Cluster customers on behaviour and profile each cluster."""

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(None, description="Feature date; default: the latest order date.")
    k_min: int = Field(3, ge=2, le=12)
    k_max: int = Field(8, ge=2, le=15)
    sample_size: int = Field(4000, ge=200, le=50_000, description="Sample for the silhouette.")
    cluster: int | None = Field(None, ge=0, description="Return this cluster's customers as the audience.")
    seed: int = 0


def _trait(column: str, z: float) -> tuple[str, str]:
    if column in TRAITS:
        hi_en, lo_en, hi_zh, lo_zh = TRAITS[column]
        return (hi_en, hi_zh) if z > 0 else (lo_en, lo_zh)
    kind, _, name = column.partition("_")
    noun_en, noun_zh = ("buyers", "偏好") if kind == "cat" else ("reached", "触达")
    if z > 0:
        return f"{name} {noun_en}", f"{name}{noun_zh}"
    return f"low {name} share", f"少{name}"


def cluster(features: pd.DataFrame, k_min: int, k_max: int, sample_size: int, seed: int) -> tuple[np.ndarray, dict[int, float], np.ndarray]:
    """Labels, silhouette per k and the standardised matrix (pure)."""
    from sklearn.cluster import KMeans  # scikit-learn loads when clusters are fit
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    matrix = features.copy()
    for column in LOG_FEATURES:
        if column in matrix:
            matrix[column] = np.log1p(matrix[column].clip(lower=0))
    z = StandardScaler().fit_transform(matrix.to_numpy(dtype=float))
    rng = np.random.default_rng(seed)
    search = z[rng.choice(len(z), size=min(SEARCH_ROWS, len(z)), replace=False)]
    sample = rng.choice(len(search), size=min(sample_size, len(search)), replace=False)
    scores = {}
    for k in range(k_min, min(k_max, len(search) - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=2, random_state=seed).fit_predict(search)
        scores[k] = float(silhouette_score(search[sample], labels[sample]))
    if not scores:
        raise ToolError("Too few customers to cluster.")
    best = max(scores, key=lambda k: scores[k])
    return KMeans(n_clusters=best, n_init=3, random_state=seed).fit_predict(z), scores, z


def profile(features: pd.DataFrame, z: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    """Per cluster: size, shares, means and a readable name from the two strongest traits."""
    rows = []
    total_revenue = features["monetary"].sum() or 1.0
    for c in sorted(np.unique(labels)):
        members = labels == c
        centre = z[members].mean(axis=0)
        strongest = np.argsort(-np.abs(centre))[:2]
        traits = [_trait(features.columns[j], centre[j]) for j in strongest]
        rows.append({
            "cluster": int(c),
            "name": ", ".join(t[0] for t in traits),
            "name_zh": "、".join(t[1] for t in traits),
            "customers": int(members.sum()),
            "customer_share": float(members.mean()),
            "revenue_share": float(features.loc[members, "monetary"].sum() / total_revenue),
            **{col: float(features.loc[members, col].mean()) for col in features.columns},
        })
    return pd.DataFrame(rows)


def run(args: SegmentArgs, source: RoleSource | None = None) -> ToolResult:
    """Cluster every customer who ordered, choose k, profile and name the clusters."""
    if source is None:
        raise ToolError("The segments tool needs a warehouse.")
    if args.k_max < args.k_min:
        raise ToolError("k_max must be at least k_min.")
    start = len(source.executed)
    as_of = args.as_of or latest_order_date(source)
    features = customer_features(source, as_of)
    if len(features) < 10:
        raise ToolError("Too few customers with orders to cluster.")
    labels, scores, z = cluster(features, args.k_min, args.k_max, args.sample_size, args.seed)
    table = profile(features, z, labels)
    audience = None
    if args.cluster is not None:
        if args.cluster not in set(table["cluster"]):
            raise ToolError(f"There is no cluster {args.cluster}.", f"Clusters: 0..{len(table) - 1}.")
        audience = tuple(int(c) for c in features.index[labels == args.cluster])
    facts: dict[str, Any] = {
        "as_of": as_of.isoformat(), "customers": len(features), "k": len(table),
        "silhouette_by_k": {str(k): round(v, 4) for k, v in scores.items()},
        "clusters": {str(r["cluster"]): f"{r['name']} ({r['customers']})" for r in table.to_dict("records")},
        "features": list(features.columns),
    }
    members = pd.DataFrame({"customer_id": features.index.to_numpy(), "cluster": labels})
    return ToolResult(tool=NAME, table=table, chart=_chart(table), facts=facts,
                      tables={"members": members}, customer_ids=audience,
                      sql=tuple(source.executed[start:]))


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
            "discount share, k chosen by silhouette, each cluster profiled and named."
        ),
        intents=("segment", "segments", "segmentation", "clustering", "cluster", "k-means",
                 "personas", "聚类", "客户聚类", "人群细分", "细分", "画像"),
    )
)
