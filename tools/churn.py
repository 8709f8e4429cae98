"""Churn risk: who among recently active customers will not order in the next 90 days.

Label: no order in the ``horizon_days`` after a date. The model (standardised logistic
regression, ``light_models``) is trained on features as of ``as_of - 2 * horizon`` with labels
from the following horizon, evaluated (ROC AUC) on features as of ``as_of - horizon`` with
their now-known labels, and then scores customers as of ``as_of``. The population at each
date is customers with an order in the ``active_days`` before it. Training and evaluation
use a fixed pseudo-random sample (``train_size``); every active customer is scored inside
the warehouse with the fitted formula, so only the at-risk list and a risk histogram come
back. A customer's top reasons are the features that push their risk up most
(coefficient x standardised value).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import Field

from genbi.lazy import lazy_module

from . import light_models, progress, sql_scoring
from .audience_sql import PLACEHOLDER
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .compute import single_threaded
from .customer_orders import TransactionsInput, latest_order_date
from .customer_where import WHO_IN, limited_to
from .feature_sql import FeatureQuery, feature_query
from .file_source import transactions_source
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

NAME = "churn_risk"
BINS = 40
FEATURE_LABELS = {
    "recency_days": ("long time since last order", "距上次购买时间长"),
    "frequency": ("few orders", "购买次数少"),
    "monetary": ("low spend", "消费金额低"),
    "tenure_days": ("customer tenure", "客户时长"),
    "aov": ("order value", "客单价"),
    "discount_share": ("discount-driven buying", "依赖折扣购买"),
}
_LABELLED = """
SELECT f.*, CASE WHEN nxt.customer_id IS NULL THEN 1 ELSE 0 END AS churned FROM f
LEFT JOIN (SELECT DISTINCT {o_cust} AS customer_id FROM {T_o}
           WHERE {o_time} >= :label_from AND {o_time} < :label_to) AS nxt
  ON nxt.customer_id = f.customer_id ORDER BY f.customer_id"""


class ChurnArgs(TransactionsInput):
    """Churn-risk model (AUC on a later date) and the at-risk list."""

    horizon_days: int = Field(90, ge=14, le=365, description="Churn = no order in this many days.")
    active_days: int = Field(180, ge=14, le=730, description="Who counts as recently active.")
    top_n: int = Field(500, ge=1, le=1_000_000, description="Size of the at-risk list.")
    train_size: int = Field(50_000, ge=200, le=1_000_000, description="Customers sampled to train and test on.")


    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """"the 200 customers most likely to churn": the at-risk list's size."""
        size = count_of(question, r"(?:at[- ]risk |high[- ]risk |riskiest )?(?:customers|people|users|members|buyers)",
                        r"客户|用户|人|会员|名")
        return {"top_n": size} if size is not None else {}


def fit_and_score(
    train: pd.DataFrame, y_train: np.ndarray, test: pd.DataFrame, y_test: np.ndarray, now: pd.DataFrame
) -> tuple[light_models.Logistic, float, np.ndarray]:
    """Fit on train, AUC on test, churn probabilities for ``now`` (pure)."""
    if len(np.unique(y_train)) < 2 or len(np.unique(y_test)) < 2:
        raise ToolError("Too little history to learn churn: every customer churned or none did.",
                        "Use an earlier as-of date or a shorter horizon.")
    columns = list(train.columns)
    with single_threaded():
        model = light_models.fit_logistic(train[columns].to_numpy(dtype=float), y_train)
    auc = light_models.roc_auc(y_test, model.predict_proba(test.reindex(columns=columns, fill_value=0.0).to_numpy(dtype=float)))
    risk = model.predict_proba(now.reindex(columns=columns, fill_value=0.0).to_numpy(dtype=float))
    return model, auc, risk


def reasons(model: light_models.Logistic, frame: pd.DataFrame, top: int = 2) -> list[str]:
    """Per customer, the features that add most to their risk (readable names)."""
    contrib = model.standardise(frame.to_numpy(dtype=float)) * model.coef
    names = [_label(c, float(w)) for c, w in zip(frame.columns, model.coef, strict=True)]
    order = np.argsort(-contrib, axis=1)[:, :top]
    return ["; ".join(names[j] for j in row if contrib[i, j] > 0) for i, row in enumerate(order)]


def _label(column: str, weight: float) -> str:
    if column in FEATURE_LABELS:
        return FEATURE_LABELS[column][0]
    kind, _, name = column.partition("_")
    direction = "more" if weight > 0 else "less"
    return f"{direction} {name} {'spend' if kind == 'cat' else 'touches'}"


@dataclass(frozen=True)
class _Scorer:
    """The fitted pipeline as SQL over ``f``: ``scored`` adds ``churn_probability``."""

    query: FeatureQuery
    model: light_models.Logistic

    @property
    def cte(self) -> str:
        zs = [sql_scoring.standardised(a, m, s, False)
              for a, m, s in zip(self.query.names, self.model.mean, self.model.scale, strict=True)]
        probability = sql_scoring.logistic(zs, self.model.coef.tolist(), self.model.intercept)
        return f", scored AS (SELECT f.*, {probability} AS churn_probability FROM f)\n"

    def run(self, source: RoleSource, select: str, **values: Any) -> pd.DataFrame:
        frame = self.query.run(source, self.cte + select, **values)
        return frame.rename(columns=dict(self.query.names))


def _labelled(source: RoleSource, query: FeatureQuery, day: date, horizon: int) -> tuple[pd.DataFrame, np.ndarray]:
    frame = query.run(source, _LABELLED, bulk=True, label_from=day + timedelta(days=1),
                      label_to=day + timedelta(days=horizon + 1))
    frame = frame.set_index("customer_id")
    labels = frame.pop("churned").to_numpy(dtype=int)
    return frame.rename(columns=dict(query.names)).astype(float), labels


def run(args: ChurnArgs, source: RoleSource | None = None) -> ToolResult:
    """Train on an earlier date, report AUC on a later one, list at-risk customers now."""
    source = transactions_source(args) if args.file else source
    if source is None:
        raise ToolError("The churn tool needs a warehouse or --file with transactions.")
    start = len(source.executed)
    as_of = args.as_of or latest_order_date(source)
    test_date = as_of - timedelta(days=args.horizon_days)
    train_date = test_date - timedelta(days=args.horizon_days)
    progress.step("Building training features", 0.05)
    now_query = feature_query(source, as_of).active(args.active_days)

    def at(day: date) -> FeatureQuery:
        return now_query.at(day).sampled(args.train_size)

    train, y_train = _labelled(source, at(train_date), train_date, args.horizon_days)
    progress.step("Building test features", 0.3)
    test, y_test = _labelled(source, at(test_date), test_date, args.horizon_days)
    if train.empty or test.empty:
        raise ToolError("Not enough recently active customers at the training or test date.",
                        "Use a later as-of date or a longer --active-days.")
    progress.step("Fitting the churn model", 0.5)
    model, auc, _ = fit_and_score(train, y_train, test, y_test, test.head(1))
    scorer = _Scorer(now_query, model)
    progress.step("Scoring every active customer", 0.6)
    top_columns = ["customer_id", *now_query.names, "churn_probability"]
    who = limited_to(source, args, as_of)  # the model learns from everyone; only these are reported
    among = WHO_IN if who is not None else ""
    audience: dict[str, Any] = {PLACEHOLDER: who.tree(source)} if who is not None else {}
    summary, top = now_query.run_both(
        source, scorer.cte,
        (f"SELECT LEAST(FLOOR(churn_probability * {BINS}), {BINS - 1}) AS bin, COUNT(*) AS customers, "
         f"SUM(churn_probability) AS risk FROM once {among} GROUP BY 1", ["bin", "customers", "risk"]),
        (f"SELECT {', '.join(top_columns)} FROM once {among} ORDER BY churn_probability DESC, customer_id LIMIT :top_n",
         top_columns), top_n=args.top_n, **audience)
    if summary.empty and who is not None:
        raise ToolError(f"No recently active customer at the as-of date is one of '{args.where}'.",
                        "Use a longer --active-days, or check the condition with 'how many customers ...'.")
    if summary.empty:
        raise ToolError("No customer is recently active at the as-of date.", "Use a longer --active-days.")
    summary = summary.sort_values("bin").reset_index(drop=True)
    top = (top.sort_values(["churn_probability", "customer_id"], ascending=[False, True])
           .rename(columns=dict(now_query.names)).set_index("customer_id"))
    table = pd.DataFrame({
        "customer_id": top.index.to_numpy(),
        "churn_probability": top["churn_probability"].astype(float).round(4).to_numpy(),
        "recency_days": top["recency_days"].to_numpy(),
        "frequency": top["frequency"].to_numpy(),
        "monetary": top["monetary"].astype(float).round(2).to_numpy(),
        "top_reasons": reasons(model, top[list(train.columns)].astype(float)) if len(top) else [],
    })
    active = int(summary["customers"].sum())
    high = int(summary.loc[summary["bin"] >= BINS // 2, "customers"].sum())
    coef = model.coef
    drivers = sorted(zip(train.columns, coef, strict=True), key=lambda t: -abs(t[1]))[:6]
    facts = {
        "as_of": as_of.isoformat(), "train_as_of": train_date.isoformat(), "test_as_of": test_date.isoformat(),
        "horizon_days": args.horizon_days, "auc": round(auc, 4),
        "train_customers": len(train), "train_churn_rate": round(float(y_train.mean()), 4),
        "test_churn_rate": round(float(y_test.mean()), 4), "active_customers": active,
        "expected_churn_rate_now": round(float(summary["risk"].sum()) / active, 4),
        "high_risk_customers": high,
        "drivers": {str(c): round(float(w), 4) for c, w in drivers},
    }
    progress.step("Done", 1.0)
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: _chart(summary)), facts=facts,
                      customer_ids=tuple(table["customer_id"].tolist()), sql=tuple(source.executed[start:]),
                      per_customer=_export(source, scorer))


def _export(source: RoleSource, scorer: _Scorer) -> Callable[[], pd.DataFrame]:
    def fetch() -> pd.DataFrame:
        return scorer.run(source, "SELECT * FROM scored ORDER BY customer_id")
    return fetch


def _chart(summary: pd.DataFrame) -> go.Figure:
    centres = (summary["bin"].astype(float) + 0.5) / BINS
    figure = go.Figure(go.Bar(x=centres, y=summary["customers"], width=1 / BINS, marker_color="#ef4444"))
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
        actions=(  # "who might leave us soon", "customers likely to stop buying"
            r"\b(?:customers|buyers|members|shoppers|users|people|clients|who)\b.{0,20}\b(?:slipping|drifting|fading)\s+away\b"
            r"|\b(?:customers|buyers|members|shoppers|users|people|clients|who)\b.{0,20}\bgoing\s+quiet\b",
            r"\b(?:likely|about|going|set|at risk)\s+to\s+(?:leave|churn|lapse|stop (?:buying|ordering|shopping))\b"
            r"|\b(?:might|may|will|could)\s+(?:leave|churn|lapse|stop (?:buying|ordering|shopping))\b|\bleave us\b",
            r"(?:可能|快要|即将|会)(?:流失|离开|不再购买|不再来|不来|不回来|不买了|不再买)",
            # "customers we're about to lose", "who we might lose", "at risk of losing"
            r"\bwe(?:'re| are)?\s+(?:about|going|likely|set)\s+to\s+lose\b"
            r"|\bwe\s+(?:might|may|will|could)\s+(?:soon\s+)?lose\b|\b(?:might|may|will|could)\s+we\s+(?:soon\s+)?lose\b"
            r"|\bat risk of (?:losing|leaving|lapsing)\b",
            r"(?:可能|快要|即将|会)失去的(?:客户|用户|会员|买家)",
        ),
    )
)
