"""The attribution tool: args, entry function (file or warehouse), comparison chart, facts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from ..base import ToolError, ToolResult, ToolSpec, register_tool
from ..files import read_table, require_columns
from ..roles import RoleSource
from .journeys import fetch_journeys
from .models import MODEL_LABELS_ZH, MODELS, attribute, comparison, markov_chain, path_table

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "attribution"


class AttributionArgs(BaseModel):
    """Multi-touch attribution: credit per channel (or campaign) under seven models."""

    model_config = ConfigDict(extra="forbid")

    start: date | None = Field(None, description="First order date (inclusive); default: all.")
    end: date | None = Field(None, description="Last order date (inclusive); default: all.")
    lookback_days: int = Field(30, ge=1, le=365, description="Journey window before an order.")
    half_life_days: float = Field(7.0, gt=0, le=365, description="Time-decay half-life.")
    by: Literal["channel", "campaign"] = Field("channel", description="Credit channels or campaigns.")
    paths_file: str | None = Field(
        None, description="A path table file (CSV/Parquet) instead of the warehouse."
    )
    path_column: str = Field("path", description="Path column, e.g. 'search > wechat > email'.")
    conversions_column: str = "total_conversions"
    value_column: str | None = Field("total_conversion_value", description="Revenue column.")
    null_column: str | None = Field("total_null", description="Non-converting journeys column.")
    separator: str = Field(">", min_length=1, description="Separator between path steps.")


def run(args: AttributionArgs, source: RoleSource | None = None) -> ToolResult:
    """Attribute conversions and revenue with every model and compare them."""
    if args.paths_file:
        paths = _paths_from_file(args)
        long = attribute(paths, half_life=args.half_life_days)
        extra = {"source": "file", "orders": float(paths["conversions"].sum())}
        sql: tuple[str, ...] = ()
    else:
        if source is None:
            raise ToolError("Attribution needs a warehouse or --paths-file.")
        before = len(source.executed)
        journeys = fetch_journeys(
            source, start=args.start, end=args.end, lookback_days=args.lookback_days,
            half_life_days=args.half_life_days, by=args.by,
        )
        paths = journeys.paths
        long = attribute(paths, half_life=args.half_life_days, time_decay=journeys.time_decay)
        extra = {
            "source": "warehouse", "start": journeys.start.isoformat(),
            "end": journeys.end.isoformat(), "orders": journeys.orders,
            "orders_with_journey": journeys.orders_with_journey,
            "orders_without_touch": journeys.orders - journeys.orders_with_journey,
        }
        sql = tuple(source.executed[before:])
    if paths["conversions"].sum() <= 0:
        raise ToolError("No converting journeys to attribute.", "Widen the dates or lookback.")
    return _result(args, paths, long, extra, sql)


def _paths_from_file(args: AttributionArgs) -> pd.DataFrame:
    assert args.paths_file is not None
    frame = read_table(args.paths_file)
    mapping = {"path_column": args.path_column, "conversions_column": args.conversions_column}
    if args.value_column and args.value_column in frame.columns:
        mapping["value_column"] = args.value_column
    if args.null_column and args.null_column in frame.columns:
        mapping["null_column"] = args.null_column
    require_columns(frame, mapping, f"Path file {args.paths_file}")
    steps = frame[args.path_column].fillna("").astype(str).str.split(args.separator, regex=False)
    paths = [tuple(s.strip() for s in parts if s.strip()) for parts in steps]
    value = frame[mapping["value_column"]].fillna(0) if "value_column" in mapping else None
    nulls = frame[mapping["null_column"]].fillna(0) if "null_column" in mapping else None
    return path_table(paths, frame[args.conversions_column].fillna(0), value, nulls)


def _result(
    args: AttributionArgs,
    paths: pd.DataFrame,
    long: pd.DataFrame,
    extra: dict[str, object],
    sql: tuple[str, ...],
) -> ToolResult:
    table = comparison(long, "conversions")
    revenue = comparison(long, "revenue")
    markov = markov_chain(paths)
    effects = pd.DataFrame({"channel": list(markov.channels), "removal_effect": markov.removal_effects})
    long = long.assign(
        conversion_share=long["conversions"] / long.groupby("model")["conversions"].transform("sum"),
        model_zh=long["model"].map(MODEL_LABELS_ZH),
    )
    facts = _facts(args, paths, long, effects, markov.conversion_probability) | extra
    return ToolResult(
        tool=NAME,
        table=table,
        chart=_chart(long, args.by),
        facts=facts,
        tables={"revenue": revenue, "long": long, "removal_effects": effects, "paths": _top_paths(paths)},
        sql=sql,
    )


def _facts(
    args: AttributionArgs,
    paths: pd.DataFrame,
    long: pd.DataFrame,
    effects: pd.DataFrame,
    base_probability: float,
) -> dict[str, object]:
    shares = long.pivot(index="channel", columns="model", values="conversion_share").fillna(0.0)
    top = {m: str(shares[m].idxmax()) for m in MODELS}
    diff = {m: round(float(np.abs(shares[m] - shares["last_touch"]).sum() / 2), 4) for m in MODELS}
    converting = paths[paths["conversions"] > 0]
    lengths = converting["path"].map(len)
    return {
        "by": args.by,
        "lookback_days": args.lookback_days,
        "half_life_days": args.half_life_days,
        "conversions": round(float(paths["conversions"].sum()), 4),
        "revenue": round(float(paths["value"].sum()), 2),
        "null_journeys": round(float(paths["nulls"].sum()), 4),
        "unique_paths": len(paths),
        "elements": int(shares.shape[0]),
        "mean_path_length": round(float(np.average(lengths, weights=converting["conversions"])), 3),
        "multi_touch_share": round(
            float(converting.loc[lengths > 1, "conversions"].sum() / converting["conversions"].sum()), 4
        ),
        "markov_conversion_probability": round(base_probability, 6),
        "top_by_model": top,
        "share_shift_vs_last_touch": diff,
        "top_removal_effects": {
            str(c): round(float(e), 4)
            for c, e in effects.nlargest(10, "removal_effect").to_numpy().tolist()
        },
    }


def _top_paths(paths: pd.DataFrame, n: int = 50) -> pd.DataFrame:
    top = paths.nlargest(n, ["conversions", "nulls"]).copy()
    top["path"] = top["path"].map(" > ".join)
    return top.reset_index(drop=True)


def _chart(long: pd.DataFrame, by: str) -> go.Figure:
    figure = go.Figure()
    order = (
        long[long["model"] == "last_touch"].sort_values("conversions", ascending=False)["channel"].tolist()
    )
    for model in MODELS:
        part = long[long["model"] == model].set_index("channel").reindex(order)
        figure.add_bar(
            name=f"{model} / {MODEL_LABELS_ZH[model]}",
            x=order,
            y=part["conversions"],
            customdata=np.stack([part["revenue"], part["conversion_share"]], axis=-1),
            hovertemplate="%{x}: %{y:.1f} conversions, ¥%{customdata[0]:,.0f}, "
            "%{customdata[1]:.1%}<extra></extra>",
        )
    figure.update_layout(
        barmode="group",
        title=f"Attributed conversions by {by}: seven models / 各归因模型的转化归属",
        xaxis_title=by,
        yaxis_title="conversions / 转化",
        legend_title="model / 模型",
    )
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=AttributionArgs,
        run=run,
        description=(
            "Multi-touch attribution of orders and revenue to marketing channels or campaigns: "
            "first-touch, last-touch, linear, time-decay, position-based (40/20/40), Markov chain "
            "(removal effect) and Shapley value, compared in one table and chart."
        ),
        intents=(
            "attribution", "multi-touch", "MTA", "Markov", "Shapley", "last touch",
            "first touch", "time decay", "removal effect", "channel credit",
            "归因", "多触点归因", "马尔可夫", "渠道贡献", "首次触点", "末次触点", "时间衰减",
        ),
    )
)
