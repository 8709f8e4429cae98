"""Churn risk: who among recently active customers will not order in the next 90 days.

Label: no order in the ``horizon_days`` after a date. The model (standardised logistic
regression, scikit-learn) is trained on features as of ``as_of - 2 * horizon`` with labels
from the following horizon, evaluated (ROC AUC) on features as of ``as_of - horizon`` with
their now-known labels, and then scores customers as of ``as_of``. The population at each
date is customers with an order in the ``active_days`` before it. A customer's top reasons
are the features that push their risk up most (coefficient x standardised value).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import Field

from genbi.lazy import lazy_module

from .base import ToolError, ToolResult, ToolSpec, register_tool
from .customer_orders import (
    TransactionsInput,
    latest_order_date,
    latest_transaction_date,
    read_transactions,
    transactions_summary,
    warehouse_summary,
)
from .features import customer_features, rfm_features
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "churn_risk"
FEATURE_LABELS = {
    "recency_days": ("long time since last order", "距上次购买时间长"),
    "frequency": ("few orders", "购买次数少"),
    "monetary": ("low spend", "消费金额低"),
    "tenure_days": ("customer tenure", "客户时长"),
    "aov": ("order value", "客单价"),
    "discount_share": ("discount-driven buying", "依赖折扣购买"),
}


class ChurnArgs(TransactionsInput):
    """Churn-risk model (AUC on a later date) and the at-risk list."""

    horizon_days: int = Field(90, ge=14, le=365, description="Churn = no order in this many days.")
    active_days: int = Field(180, ge=14, le=730, description="Who counts as recently active.")
    top_n: int = Field(500, ge=1, le=1_000_000, description="Size of the at-risk list.")


FeatureFn = Callable[[date], "pd.DataFrame"]


def churn_labels(features_then: pd.DataFrame, ordered_after: set[Any]) -> np.ndarray:
    """1 = churned (no order in the horizon), 0 = ordered again."""
    return np.array([0 if c in ordered_after else 1 for c in features_then.index], dtype=int)


def _active(frame: pd.DataFrame, active_days: int) -> pd.DataFrame:
    return frame[frame["recency_days"] < active_days]


def fit_and_score(
    train: pd.DataFrame, y_train: np.ndarray, test: pd.DataFrame, y_test: np.ndarray, now: pd.DataFrame
) -> tuple[Any, float, np.ndarray]:
    """Fit on train, AUC on test, churn probabilities for ``now`` (pure)."""
    from sklearn.linear_model import LogisticRegression  # scikit-learn loads when a model is fit
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if len(np.unique(y_train)) < 2 or len(np.unique(y_test)) < 2:
        raise ToolError("Too little history to learn churn: every customer churned or none did.",
                        "Use an earlier as-of date or a shorter horizon.")
    columns = list(train.columns)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    model.fit(train[columns].to_numpy(), y_train)
    auc = float(roc_auc_score(y_test, model.predict_proba(test.reindex(columns=columns, fill_value=0.0).to_numpy())[:, 1]))
    risk = model.predict_proba(now.reindex(columns=columns, fill_value=0.0).to_numpy())[:, 1]
    return model, auc, risk


def reasons(model: Any, frame: pd.DataFrame, top: int = 2) -> list[str]:
    """Per customer, the features that add most to their risk (readable names)."""
    scaler, logit = model.steps[0][1], model.steps[1][1]
    contrib = scaler.transform(frame.to_numpy()) * logit.coef_[0]
    names = [_label(c, float(w)) for c, w in zip(frame.columns, logit.coef_[0], strict=True)]
    order = np.argsort(-contrib, axis=1)[:, :top]
    return ["; ".join(names[j] for j in row if contrib[i, j] > 0) for i, row in enumerate(order)]


def _label(column: str, weight: float) -> str:
    if column in FEATURE_LABELS:
        return FEATURE_LABELS[column][0]
    kind, _, name = column.partition("_")
    direction = "more" if weight > 0 else "less"
    return f"{direction} {name} {'spend' if kind == 'cat' else 'touches'}"


def run(args: ChurnArgs, source: RoleSource | None = None) -> ToolResult:
    """Train on an earlier date, report AUC on a later one, list at-risk customers now."""
    features, ordered_between, as_of, sql_start = _inputs(args, source)
    test_date = as_of - timedelta(days=args.horizon_days)
    train_date = test_date - timedelta(days=args.horizon_days)
    train = _active(features(train_date), args.active_days)
    test = _active(features(test_date), args.active_days)
    now = _active(features(as_of), args.active_days)
    if train.empty or test.empty or now.empty:
        raise ToolError("Not enough recently active customers at the training or scoring date.")
    y_train = churn_labels(train, ordered_between(train_date, test_date))
    y_test = churn_labels(test, ordered_between(test_date, as_of))
    model, auc, risk = fit_and_score(train, y_train, test, y_test, now)
    scored = now.assign(churn_probability=risk).sort_values("churn_probability", ascending=False)
    top = scored.head(args.top_n)
    table = pd.DataFrame({
        "customer_id": top.index.to_numpy(),
        "churn_probability": top["churn_probability"].round(4).to_numpy(),
        "recency_days": top["recency_days"].to_numpy(),
        "frequency": top["frequency"].to_numpy(),
        "monetary": top["monetary"].round(2).to_numpy(),
        "top_reasons": reasons(model, top[list(train.columns)]),
    })
    coef = model.steps[1][1].coef_[0]
    drivers = sorted(zip(train.columns, coef, strict=True), key=lambda t: -abs(t[1]))[:6]
    facts = {
        "as_of": as_of.isoformat(), "train_as_of": train_date.isoformat(), "test_as_of": test_date.isoformat(),
        "horizon_days": args.horizon_days, "auc": round(auc, 4),
        "train_customers": len(train), "train_churn_rate": round(float(y_train.mean()), 4),
        "test_churn_rate": round(float(y_test.mean()), 4), "active_customers": len(now),
        "expected_churn_rate_now": round(float(risk.mean()), 4),
        "high_risk_customers": int((risk >= 0.5).sum()),
        "drivers": {str(c): round(float(w), 4) for c, w in drivers},
    }
    sql = tuple(source.executed[sql_start:]) if source is not None else ()
    return ToolResult(tool=NAME, table=table, chart=_chart(risk), facts=facts,
                      tables={"scores": scored.reset_index()},
                      customer_ids=tuple(int(c) for c in table["customer_id"]), sql=sql)


def _inputs(args: ChurnArgs, source: RoleSource | None) -> tuple[FeatureFn, Callable[[date, date], set[Any]], date, int]:
    if args.file:
        tx = read_transactions(args.file, args.customer_column, args.time_column, args.amount_column)
        as_of = args.as_of or latest_transaction_date(tx)

        def file_features(day: date) -> pd.DataFrame:
            return rfm_features(transactions_summary(tx, day), day)

        def file_ordered(start: date, end: date) -> set[Any]:
            days = tx["ts"].dt.normalize()
            mask = (days > pd.Timestamp(start)) & (days <= pd.Timestamp(end))
            return set(tx.loc[mask, "customer_id"])

        return file_features, file_ordered, as_of, 0
    if source is None:
        raise ToolError("The churn tool needs a warehouse or --file with transactions.")
    start = len(source.executed)
    as_of = args.as_of or latest_order_date(source)

    def warehouse_features(day: date) -> pd.DataFrame:
        return customer_features(source, day)

    def warehouse_ordered(begin: date, end: date) -> set[Any]:
        later = warehouse_summary(source, end)
        return set(later.loc[later["last_date"] > pd.Timestamp(begin), "customer_id"])

    return warehouse_features, warehouse_ordered, as_of, start


def _chart(risk: np.ndarray) -> go.Figure:
    figure = go.Figure(go.Histogram(x=risk, nbinsx=40, marker_color="#ef4444"))
    figure.update_layout(title="Churn risk of recently active customers / 近期活跃客户流失风险分布",
                         xaxis_title="churn probability / 流失概率", yaxis_title="customers / 客户数")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=ChurnArgs,
        run=run,
        description=(
            "Churn risk: trains a model on an earlier date (label: no order in 90 days), reports "
            "AUC on a later date, and lists recently active customers most at risk with reasons."
        ),
        intents=("churn", "churn risk", "at risk", "attrition", "retention risk", "who will churn",
                 "流失", "流失预警", "流失风险", "预警", "挽留"),
    )
)
