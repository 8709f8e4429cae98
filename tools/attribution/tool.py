"""The attribution tool: args, entry function (file or warehouse), comparison chart, facts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from .. import progress
from ..base import ToolError, ToolResult, ToolSpec, chart, register_tool
from ..compute import single_threaded
from ..files import read_table, require_columns
from ..question_numbers import days_said
from ..roles import RoleSource
from .inputs import check_separator, limit_channels, numeric_column, touch_log_source
from .journeys import fetch_journeys
from .kept import wait_written
from .markov import MarkovResult, touch_codes
from .models import (
    DEFINITIONS,
    EXACT_SHAPLEY_MAX_CHANNELS,
    MODEL_LABELS_ZH,
    MODELS,
    attribute,
    comparison,
    markov_models,
    path_table,
)

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
    touches_file: str | None = Field(
        None, description="A raw touch log (CSV/Parquet file or folder): one row per touch, with a conversion flag."
    )
    customer_column: str = Field("customer_id", description="Touch log: customer column.")
    channel_column: str = Field("channel", description="Touch log: channel (or campaign) column.")
    time_column: str = Field("timestamp", description="Touch log: time of the touch.")
    converted_column: str = Field("converted", description="Touch log: 1/yes when the customer converted at this touch.")
    conversion_value_column: str | None = Field(None, description="Touch log: value of the conversion (optional).")
    max_channels: int = Field(300, ge=2, le=2000, description="Refuse more distinct channels than this (see --top-channels).")
    top_channels: int | None = Field(None, ge=1, le=2000, description="Keep the N biggest channels, the rest become 'other'.")

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """"a 7-day half life", "a lookback window of 14 days", "半衰期3天", "回溯14天": the
        time-decay half-life and the journey window, in days."""
        found: dict[str, Any] = {}
        half = days_said(question, r"half[- ]life", r"half[- ]life", r"半衰期")
        if half is not None:
            found["half_life_days"] = float(half)
        window = days_said(question, r"look[- ]?back(?: window| period)?|(?:attribution |conversion )?window",
                           r"look[- ]?back(?: window| period)?|(?:attribution |conversion )?window",
                           r"回溯(?:期|窗口)?|归因窗口(?:期)?|窗口期")
        if window is not None:
            found["lookback_days"] = window
        return found


def run(args: AttributionArgs, source: RoleSource | None = None) -> ToolResult:
    """Attribute conversions and revenue with every model and compare them."""
    time_decay = None
    progress.step("Building journeys", 0.05)
    if args.paths_file:
        paths = paths_from_file(args)
        extra: dict[str, object] = {"source": "file", "orders": float(paths["conversions"].sum())}
        sql: tuple[str, ...] = ()
        if paths["conversions"].sum() <= 0:
            raise ToolError(f"The file has no conversions: '{args.conversions_column}' is 0 on every path.",
                            "Check --conversions-column names the column that counts conversions.")
    else:
        start, end = args.start, args.end
        if args.touches_file:
            source = touch_log_source(args)
            bounds = source.frame("SELECT MIN(CAST(ts AS DATE)) AS lo, MAX(CAST(ts AS DATE)) AS hi FROM touches").iloc[0]
            start, end = start or pd.Timestamp(bounds["lo"]).date(), end or pd.Timestamp(bounds["hi"]).date()
        if source is None:
            raise ToolError("Attribution needs a warehouse, --paths-file or --touches-file.")
        before = len(source.executed)
        journeys = fetch_journeys(
            source, start=start, end=end, lookback_days=args.lookback_days,
            half_life_days=args.half_life_days, by=args.by, touch_at_order=bool(args.touches_file),
        )
        paths, time_decay = journeys.paths, journeys.time_decay
        extra = {
            "source": "touch log" if args.touches_file else "warehouse", "start": journeys.start.isoformat(),
            "end": journeys.end.isoformat(), "orders": journeys.orders,
            "orders_with_journey": journeys.orders_with_journey,
            "orders_without_touch": journeys.orders - journeys.orders_with_journey,
        }
        if journeys.kept is not None:
            extra["journeys_kept"] = {"built_at": journeys.kept.built_at.isoformat(), "built_now": journeys.kept.built_now}
        sql = tuple(source.executed[before:])
        if paths["conversions"].sum() <= 0:
            hint = ("Check the dates: no conversion in the file falls between --start and --end."
                    if args.touches_file else "Widen the dates or lookback.")
            raise ToolError("No converting journeys to attribute.", hint)
    top = args.top_channels
    if top is None and args.by == "campaign" and not (args.paths_file or args.touches_file):
        top = args.max_channels  # a warehouse's campaigns grow without end: the biggest, the rest 'other'
    paths, time_decay, merged = limit_channels(paths, time_decay, args.max_channels, top)
    if merged:
        extra["merged_into_other"] = merged
    progress.step("Solving the Markov chains", 0.5)
    codes = touch_codes(paths)  # the paths' tuples walked once for every model
    with single_threaded():
        chains = markov_models(paths, codes)
        long = attribute(paths, half_life=args.half_life_days, time_decay=time_decay, chains=chains, codes=codes)
    wait_written()  # journeys a building run keeps are written meanwhile
    progress.step("Done", 1.0)
    return _result(args, paths, long, extra, sql, chains)


def paths_from_file(args: AttributionArgs) -> pd.DataFrame:
    """The path table of ``--paths-file`` (checked: columns, separator, counts)."""
    assert args.paths_file is not None
    frame = read_table(args.paths_file)
    mapping = {"path_column": args.path_column, "conversions_column": args.conversions_column}
    if args.value_column and args.value_column in frame.columns:
        mapping["value_column"] = args.value_column
    if args.null_column and args.null_column in frame.columns:
        mapping["null_column"] = args.null_column
    require_columns(frame, mapping, f"Path file {args.paths_file}")
    texts = frame[args.path_column].fillna("").astype(str)
    check_separator(texts, args.separator, args.path_column)
    separator = args.separator
    paths = [tuple(filter(None, map(str.strip, text.split(separator)))) for text in texts.tolist()]
    counts = {"conversions": args.conversions_column}
    value = numeric_column(frame, mapping["value_column"], "--value-column") if "value_column" in mapping else None
    nulls = numeric_column(frame, mapping["null_column"], "--null-column") if "null_column" in mapping else None
    conversions = numeric_column(frame, counts["conversions"], "--conversions-column")
    return path_table(paths, conversions, value, nulls)


def _result(
    args: AttributionArgs,
    paths: pd.DataFrame,
    long: pd.DataFrame,
    extra: dict[str, object],
    sql: tuple[str, ...],
    chains: dict[str, MarkovResult | None],
) -> ToolResult:
    table = comparison(long, "conversions")
    revenue = comparison(long, "revenue")
    markov = chains["markov"]
    assert markov is not None  # a first-order chain is solved whenever the channel guard passed
    effects = pd.DataFrame({"channel": list(markov.channels), "removal_effect": markov.removal_effects})
    for name in ("markov_value", "markov_2nd"):
        chain = chains.get(name)
        effects[f"{name}_removal_effect"] = chain.removal_effects if chain is not None else np.nan
    skipped = [m for m in MODELS if m not in set(long.loc[long["conversions"].abs() > 0, "model"])
               and ((m in chains and chains[m] is None) or m == "shapley_rate")]
    extra = extra | {"definitions": DEFINITIONS}
    if skipped:
        extra["models_not_computed"] = {m: _why_skipped(m) for m in skipped}
    long = long.assign(
        conversion_share=long["conversions"] / long.groupby("model")["conversions"].transform("sum"),
        model_zh=long["model"].map(MODEL_LABELS_ZH),
    )
    facts = _facts(args, paths, long, effects, markov.conversion_probability) | extra
    return ToolResult(
        tool=NAME,
        table=table,
        chart=chart(lambda: _chart(long, args.by)),
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
    computed = [m for m in MODELS if shares[m].sum() > 0]
    top = {m: str(shares[m].idxmax()) for m in computed}
    diff = {m: round(float(np.abs(shares[m] - shares["last_touch"]).sum() / 2), 4) for m in computed}
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
            for c, e in effects.nlargest(10, "removal_effect")[["channel", "removal_effect"]].to_numpy().tolist()
        },
    }


def _why_skipped(model: str) -> str:
    if model == "shapley_rate":
        return f"exact enumeration needs at most {EXACT_SHAPLEY_MAX_CHANNELS} channels"
    return "the chain has too many states to solve (use --top-channels)"


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
        title=f"Attributed conversions by {by}: {len(MODELS)} models / 各归因模型的转化归属",
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
            "first touch", "time decay", "removal effect", "channel credit", "last click", "first click",
            "last-click", "first-click", "linear attribution", "position based", "u-shaped", "末次点击", "首次点击",
            "归因", "多触点归因", "马尔可夫", "渠道贡献", "首次触点", "末次触点", "时间衰减",
        ),
        actions=(  # "which channel gets credit for sales", "谁的功劳"
            r"\b(?:gets?|deserves?|takes?|gives?|earns?)\s+(?:the\s+|most\s+|more\s+)?credit\b|\bcredit\s+(?:for|to)\b",
            r"(?:对|给)(?:成交|转化|下单|购买)的?贡献|功劳",  # "各渠道对成交的贡献"
            # attribution models named or compared: "first-click vs last-click revenue", "a last-click model"
            # ("last click revenue" alone may be a metric of the model's own: not matched here)
            r"\b(?:first|last)[- ]?(?:click|touch)\s+(?:vs\.?|versus|model|attribution)\b"
            r"|\b(?:markov|shapley|position[- ]based|u[- ]shaped|time[- ]decay|data[- ]driven)\s+"
            r"(?:attribution|model)\b|\blinear\s+attribution\b",
        ),
    )
)
