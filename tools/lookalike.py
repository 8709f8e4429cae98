"""Lookalike audiences: customers who behave like a seed audience.

The seed is an RFM segment, a behavioural cluster, or a customer attribute value
(``--seed-dimension loyalty_tier --seed-value platinum``, through the role
``customer_<dimension>``). A classifier (standardised logistic regression, scikit-learn)
learns seed vs. everyone else on behavioural features; its cross-validated ROC AUC says how
distinctive the seed is. Every non-seed customer is scored and the top N returned.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from .base import ToolError, ToolResult, ToolSpec, register_tool
from .customer_orders import latest_order_date, warehouse_summary
from .features import customer_features
from .rfm import find_segment, rfm_scores
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


class LookalikeArgs(BaseModel):
    """Score customers by similarity to a seed audience and return the top N."""

    model_config = ConfigDict(extra="forbid")

    seed_segment: str | None = Field(None, description="Seed = this RFM segment (en or zh name).")
    seed_cluster: int | None = Field(None, ge=0, description="Seed = this behavioural cluster.")
    seed_dimension: str | None = Field(None, description="Seed = customers with this attribute ...")
    seed_value: str | None = Field(None, description="... equal to this value.")
    top_n: int = Field(1000, ge=1, le=1_000_000)
    as_of: date | None = None


def score(features: pd.DataFrame, seed: np.ndarray, seed_value: int = 0) -> tuple[np.ndarray, float]:
    """Similarity score for every row and the cross-validated AUC (pure)."""
    from sklearn.linear_model import LogisticRegression  # scikit-learn loads when a model is fit
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if seed.sum() < 5 or (~seed).sum() < 5:
        raise ToolError("The seed audience needs at least 5 customers, and 5 outside it.")
    x = np.log1p(features.clip(lower=0).to_numpy(dtype=float))
    y = seed.astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed_value)
    out_of_fold = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    auc = float(roc_auc_score(y, out_of_fold))
    model.fit(x, y)
    return model.predict_proba(x)[:, 1], auc


def _seed(args: LookalikeArgs, source: RoleSource, features: pd.DataFrame, as_of: date) -> tuple[np.ndarray, str]:
    chosen = [args.seed_segment is not None, args.seed_cluster is not None, args.seed_dimension is not None]
    if sum(chosen) != 1:
        raise ToolError("Give exactly one seed: --seed-segment, --seed-cluster, or --seed-dimension with --seed-value.")
    if args.seed_segment is not None:
        segment = find_segment(args.seed_segment)
        scores = rfm_scores(warehouse_summary(source, as_of), as_of).set_index("customer_id")
        return (scores["segment"].reindex(features.index) == segment).to_numpy(), f"RFM segment {segment}"
    if args.seed_cluster is not None:
        from .segments import SegmentArgs
        from .segments import run as segments_run

        members = segments_run(SegmentArgs.model_validate({"as_of": as_of}), source).tables["members"].set_index("customer_id")
        return (members["cluster"].reindex(features.index) == args.seed_cluster).to_numpy(), f"cluster {args.seed_cluster}"
    if args.seed_value is None:
        raise ToolError("--seed-dimension needs --seed-value.")
    dimension = str(args.seed_dimension)
    role = f"customer_{dimension}" if source.has(f"customer_{dimension}") else dimension
    if not source.has(role) or source.column(role).table != source.table("customer_entity"):
        raise ToolError(f"genbi does not know the customer attribute '{dimension}'.",
                        "Use one the semantic model declares as customer_<name>, e.g. loyalty_tier.")
    ids = source.query("SELECT {c_id} AS customer_id FROM {T_c} WHERE CAST({attr} AS VARCHAR) = :value",
                       {"c_id": "customer_id", "T_c": "customer_entity", "attr": role}, value=args.seed_value)
    return features.index.isin(set(ids["customer_id"])), f"{dimension} = {args.seed_value}"


def run(args: LookalikeArgs, source: RoleSource | None = None) -> ToolResult:
    """Learn the seed audience, score everyone else, return the top N as an audience."""
    if source is None:
        raise ToolError("The lookalike tool needs a warehouse.")
    start = len(source.executed)
    as_of = args.as_of or latest_order_date(source)
    features = customer_features(source, as_of)
    seed, label = _seed(args, source, features, as_of)
    similarity, auc = score(features, seed)
    candidates = pd.DataFrame({"customer_id": features.index.to_numpy(), "similarity": similarity})[~seed]
    top = candidates.sort_values(["similarity", "customer_id"], ascending=[False, True]).head(args.top_n)
    top = top.merge(features[["recency_days", "frequency", "monetary"]], left_on="customer_id",
                    right_index=True, how="left").reset_index(drop=True)
    facts: dict[str, Any] = {
        "seed": label, "seed_customers": int(seed.sum()), "candidates": len(candidates),
        "auc": round(auc, 4), "returned": len(top),
        "min_similarity_returned": round(float(top["similarity"].min()), 4) if len(top) else None,
        "seed_mean_monetary": round(float(features.loc[seed, "monetary"].mean()), 2),
        "lookalike_mean_monetary": round(float(top["monetary"].mean()), 2) if len(top) else None,
    }
    figure = go.Figure(go.Histogram(x=candidates["similarity"], nbinsx=40, marker_color="#8b5cf6"))
    figure.update_layout(title=f"Similarity to the seed ({label}) / 与种子人群的相似度",
                         xaxis_title="similarity / 相似度", yaxis_title="customers / 客户数")
    return ToolResult(tool=NAME, table=top, chart=figure, facts=facts,
                      customer_ids=tuple(int(c) for c in top["customer_id"]),
                      sql=tuple(source.executed[start:]))



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
