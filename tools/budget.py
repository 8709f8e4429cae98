"""Budget allocation: a what-if over per-channel response curves learned from history.

Weekly spend per channel (ad spend joined to its campaign's channel) and the weekly revenue
of orders credited to that channel's campaigns are aggregated in the warehouse (or read from
a file of ``date, channel, spend, revenue`` rows). ``budget_curves`` fits each channel's
diminishing-returns curve; the tool then either applies the changes asked for
(``--change "search=+20%; display=-5000"``) or finds the split of the budget that the curves
favour, and states the expected weekly revenue change with a 90% interval from the curves'
coefficient uncertainty. Revenue is credited the way the warehouse records it (the order's
campaign); the curves hold only near the spend levels seen, so optimised moves are capped.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from . import budget_curves, progress
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .file_source import FileTable, file_warehouse
from .question_numbers import NUMBER, amount_after, number_value
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "budget_allocation"
LEVEL = 0.90

_WEEKLY = """
WITH s AS (
  SELECT CAST(DATE_TRUNC('week', {a_time}) AS DATE) AS week, CAST({c_chan} AS VARCHAR) AS channel,
         SUM(CAST({a_spend} AS DOUBLE)) AS spend
  FROM {T_a} JOIN {T_c} ON {c_id} = {a_camp}
  WHERE {a_time} >= :since AND {a_time} < :until GROUP BY 1, 2
), r AS (
  SELECT CAST(DATE_TRUNC('week', {o_time}) AS DATE) AS week, CAST({c_chan} AS VARCHAR) AS channel,
         SUM(CAST({o_rev} AS DOUBLE)) AS revenue
  FROM {T_o} JOIN {T_c} ON {c_id} = {o_camp}
  WHERE {o_time} >= :since AND {o_time} < :until GROUP BY 1, 2
)
SELECT s.week, s.channel, s.spend, COALESCE(r.revenue, 0) AS revenue
FROM s LEFT JOIN r ON r.week = s.week AND r.channel = s.channel
WHERE s.channel IS NOT NULL ORDER BY 2, 1"""
_SLOTS = {"T_a": "ad_entity", "a_time": "ad_time", "a_spend": "ad_spend", "a_camp": "ad_campaign",
          "T_c": "campaign_entity", "c_id": "campaign_id", "c_chan": "campaign_channel",
          "T_o": "order_entity", "o_time": "order_time", "o_rev": "order_revenue", "o_camp": "order_campaign"}
_FILE_WEEKLY = """
SELECT CAST(DATE_TRUNC('week', {f_time}) AS DATE) AS week, CAST({f_chan} AS VARCHAR) AS channel,
       SUM({f_spend}) AS spend, COALESCE(SUM({f_rev}), 0) AS revenue
FROM {T_f} WHERE {f_time} >= :since AND {f_time} < :until AND {f_chan} IS NOT NULL GROUP BY 1, 2 ORDER BY 2, 1"""
_FILE_LATEST = "SELECT MAX(CAST({f_time} AS DATE)) AS latest FROM {T_f}"
_LATEST = "SELECT MAX(CAST({a_time} AS DATE)) AS latest FROM {T_a}"
_CHANGE = re.compile(r"^\s*([^=]+?)\s*=\s*([+-]?\d+(?:\.\d+)?)\s*(%?)\s*$")


def _per_week(question: str) -> float | None:
    found = re.search(rf"[$¥€£]?\s*{NUMBER}\s*(?:per|a|/|each)\s*week\b|每周\s*{NUMBER}", question, re.IGNORECASE)
    if found:
        return number_value(next(g for g in found.groups() if g))
    for english, chinese, weeks in _PERIODS:  # "a monthly budget of 1M", "每月预算100万": its weekly share
        amount = amount_after(question, rf"{english} budget|budget (?:per|a|each) {english[:-2]}", chinese) \
            or _amount_per(question, english[:-2])
        if amount:
            return round(amount / weeks, 2)
    return None


_PERIODS = (("monthly", r"每月预算|每个月预算|月预算|每月|每个月", 52 / 12), ("quarterly", r"每季度预算|季度预算|每季度", 13.0),
            ("yearly", r"每年预算|年度预算|全年预算|一年预算|年预算", 52.0), ("annual", r"年度预算", 52.0))
"""A budget said for another period, with its length in weeks."""


def _amount_per(question: str, unit: str) -> float | None:
    if not unit or unit == "annu":
        unit = "year"
    found = re.search(rf"[$¥€£]?\s*{NUMBER}\s*(?:per|a|/|each)\s*{unit}\b", question, re.IGNORECASE)
    return number_value(found.group(1)) if found else None


class BudgetArgs(BaseModel):
    """What-if budget reallocation over per-channel response curves."""

    model_config = ConfigDict(extra="forbid")

    weeks: int = Field(52, ge=12, le=260, description="Weeks of history the curves are fitted on.")
    budget: float | None = Field(None, gt=0, description="Weekly budget to split; default: the current weekly spend.")
    change: str | None = Field(None, description="A what-if instead of the optimum: 'search=+20%; display=-5000'.")
    max_shift: float = Field(0.5, gt=0, le=1, description="Optimised moves stay within this share of a channel's spend.")
    as_of: date | None = Field(None, description="Last day of history; default: the latest spend date.")
    draws: int = Field(2000, ge=200, le=20_000, description="Coefficient draws for the interval.")
    file: str | None = Field(None, description="A file or folder of date, channel, spend, revenue rows instead of the warehouse.")
    date_column: str = Field("date", description="Date column in the file.")
    channel_column: str = Field("channel", description="Channel column in the file.")
    spend_column: str = Field("spend", description="Spend column in the file.")
    revenue_column: str = Field("revenue", description="Revenue column in the file.")

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """"a weekly budget of 20k", "50,000 per week", "每周预算2万": the weekly budget to split (a
        budget said without its period is left for the planner to say it was not used)."""
        weekly = amount_after(question, r"weekly budget|budget (?:per|a|each) week|week(?:ly)? spend", r"每周预算|周预算") \
            or _per_week(question)
        out: dict[str, Any] = {"budget": weekly} if weekly else {}
        if (change := _change_said(question, values)) is not None:
            out["change"] = change
        return out


_CUT = r"cut|cuts|cutting|reduc\w*|lower\w*|decreas\w*|slash\w*|trim\w*|halv\w*|pull\w* back|scal\w* (?:back|down)|砍|削减|减少|降低|减半|少投|下调"
_RAISE = r"increas\w*|rais\w*|boost\w*|doubl\w*|add\w*|scal\w* up|增加|提高|翻倍|加大|加倍|多投|上调|追加"
_HALF = r"\bhalf\b|\bhalve|一半|减半"
_DOUBLE = r"\bdoubl\w*|翻倍|加倍"


def _change_said(question: str, values: list[tuple[str, Any]]) -> str | None:
    """A what-if on one channel said in words: "cut douyin spend by 30%" -> "douyin=-30%",
    "抖音预算砍掉一半" -> "douyin=-50%", "double search" -> "search=+100%"; None when the question
    names no single channel or no share of its spend."""
    channels = list(dict.fromkeys(str(v) for d, v in values if "channel" in d.lower()))
    if len(channels) != 1:
        return None
    cut = re.search(_CUT, question, re.IGNORECASE)
    raised = re.search(_RAISE, question, re.IGNORECASE)
    if bool(cut) == bool(raised):
        return None
    share = re.search(r"(\d+(?:\.\d+)?)\s*%", question)
    if share is not None:
        size = float(share.group(1))
    elif re.search(_HALF, question, re.IGNORECASE):
        size = 50.0
    elif raised and re.search(_DOUBLE, question, re.IGNORECASE):
        size = 100.0
    else:
        return None
    return f"{channels[0]}={'-' if cut else '+'}{size:g}%"


def parse_changes(text: str, channels: list[str]) -> dict[str, tuple[float, bool]]:
    """``"search=+20%; display=-5000"`` -> ``{"search": (20.0, True), "display": (-5000.0, False)}``."""
    out: dict[str, tuple[float, bool]] = {}
    known = {c.lower(): c for c in channels}
    for part in re.split(r"[;；,，]", text):
        if not part.strip():
            continue
        found = _CHANGE.match(part)
        if not found:
            raise ToolError(f"The change '{part.strip()}' is not 'channel=+20%' or 'channel=-5000'.",
                            "Write changes like 'search=+20%; display=-5000'.")
        name = known.get(found[1].strip().lower())
        if name is None:
            raise ToolError(f"There is no channel '{found[1].strip()}' with spend.", f"Channels: {', '.join(channels)}.")
        out[name] = (float(found[2]), found[3] == "%")
    return out


def _weekly(args: BudgetArgs, source: RoleSource | None) -> tuple[pd.DataFrame, date, RoleSource]:
    if args.file:
        table = FileTable("spend", args.file, {args.date_column: ("date", "time"), args.channel_column: ("channel", "text"),
                                               args.spend_column: ("spend", "number"),
                                               args.revenue_column: ("revenue", "number")})
        roles = {"spend_entity": "spend", "spend_time": "spend.date", "spend_channel": "spend.channel",
                 "spend_amount": "spend.spend", "spend_revenue": "spend.revenue"}
        source = RoleSource(roles=roles, runner=file_warehouse([table]))
        slots = {"T_f": "spend_entity", "f_time": "spend_time", "f_chan": "spend_channel", "f_spend": "spend_amount",
                 "f_rev": "spend_revenue"}
        latest_sql, weekly_sql = _FILE_LATEST, _FILE_WEEKLY
    elif source is not None:
        slots, latest_sql, weekly_sql = _SLOTS, _LATEST, _WEEKLY
    else:
        raise ToolError("Budget allocation needs a warehouse with ad spend, or --file with date, channel, spend, revenue.")
    latest = args.as_of or source.query(latest_sql, {k: v for k, v in slots.items() if k in ("T_a", "a_time", "T_f", "f_time")})["latest"].iloc[0]
    if latest is None or pd.isna(latest):
        raise ToolError("There is no spend to learn from.")
    as_of = pd.Timestamp(latest).date()
    until = as_of + timedelta(days=1)
    until -= timedelta(days=until.weekday())  # whole weeks only
    frame = source.query(weekly_sql, slots, since=until - timedelta(weeks=args.weeks), until=until)
    return frame, as_of, source


def run(args: BudgetArgs, source: RoleSource | None = None) -> ToolResult:
    """Fit the curves, apply the what-if (or optimise), state the change with its interval."""
    progress.step("Reading weekly spend and revenue per channel", 0.1)
    frame, as_of, source = _weekly(args, source)
    if (frame["spend"] < 0).any() or (frame["revenue"] < 0).any():
        raise ToolError("Spend and revenue must not be negative.", "Check the spend and revenue columns.")
    series = budget_curves.weekly_frame(frame)
    if not series:
        raise ToolError(f"No channel has spend in the {args.weeks} weeks up to {as_of}.", "Use more --weeks.")
    progress.step(f"Fitting response curves for {len(series)} channels", 0.4)
    channels = list(series)
    curves = [budget_curves.fit_curve(c, *series[c]) for c in channels]
    current = np.array([float(series[c][0].mean()) for c in channels])
    budget = float(args.budget or current.sum())
    if args.change:
        proposed = current.copy()
        for name, (amount, percent) in parse_changes(args.change, channels).items():
            i = channels.index(name)
            proposed[i] = max(current[i] * (1 + amount / 100) if percent else current[i] + amount, 0.0)
        mode = "what-if"
    else:
        proposed = budget_curves.optimise(curves, current, budget, args.max_shift)
        mode = "optimised"
    progress.step("Estimating the uncertainty", 0.8)
    draws = budget_curves.uncertainty(curves, current, proposed, args.draws)
    table = _table(curves, current, proposed, draws)
    total = draws.sum(axis=1)
    change = float(table["revenue_change"].sum())
    low, high = (float(np.quantile(total, q)) for q in ((1 - LEVEL) / 2, (1 + LEVEL) / 2))
    base_revenue = float(table["current_revenue"].sum())
    facts: dict[str, Any] = {
        "as_of": as_of.isoformat(), "weeks": args.weeks, "mode": mode, "channels": len(channels),
        "current_weekly_spend": round(float(current.sum()), 2), "proposed_weekly_spend": round(float(proposed.sum()), 2),
        "current_weekly_revenue": round(base_revenue, 2), "expected_change": round(change, 2),
        "expected_change_pct": round(change / base_revenue, 4) if base_revenue else None,
        "interval_level": LEVEL, "change_low": round(low, 2), "change_high": round(high, 2),
        "change_is_uncertain": bool(low < 0 < high),
        "increase": [str(c) for c in table.loc[table["spend_change"] > 0.005 * table["current_spend"], "channel"]],
        "decrease": [str(c) for c in table.loc[table["spend_change"] < -0.005 * table["current_spend"], "channel"]],
        "held": [c.channel for c in curves if not c.movable],
        "method": ("weekly revenue = k x spend^b per channel (log-log least squares, smearing-corrected); "
                   f"{int(LEVEL * 100)}% interval from {args.draws} draws of each curve's coefficients; "
                   "revenue credited by the order's campaign; "
                   + (f"moves capped at +/-{args.max_shift:.0%} of current spend" if mode == "optimised" else "changes as asked")),
    }
    progress.step("Done", 1.0)
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: _chart(table)), facts=facts,
                      sql=tuple(source.executed))


def _table(curves: list[budget_curves.Curve], current: np.ndarray, proposed: np.ndarray, draws: np.ndarray) -> pd.DataFrame:
    now = np.array([float(c.revenue(x)) for c, x in zip(curves, current, strict=True)])
    then = np.array([float(c.revenue(x)) for c, x in zip(curves, proposed, strict=True)])
    low, high = np.quantile(draws, [(1 - LEVEL) / 2, (1 + LEVEL) / 2], axis=0)
    return pd.DataFrame({
        "channel": [c.channel for c in curves],
        "current_spend": current.round(2), "proposed_spend": proposed.round(2),
        "spend_change": (proposed - current).round(2),
        "current_revenue": now.round(2), "proposed_revenue": then.round(2),
        "revenue_change": (then - now).round(2), "change_low": low.round(2), "change_high": high.round(2),
        "elasticity": [round(c.b, 4) for c in curves], "elasticity_se": [round(c.b_se, 4) for c in curves],
        "marginal_roas": [round(c.marginal(x), 4) if x > 0 else None for c, x in zip(curves, current, strict=True)],
        "weeks_fitted": [c.weeks for c in curves], "r_squared": [round(c.r2, 4) for c in curves],
    })


def _chart(table: pd.DataFrame) -> go.Figure:
    figure = go.Figure([
        go.Bar(name="current / 当前", x=table["channel"], y=table["current_spend"], marker_color="#94a3b8"),
        go.Bar(name="proposed / 建议", x=table["channel"], y=table["proposed_spend"], marker_color="#2563eb"),
    ])
    figure.update_layout(barmode="group", title="Weekly spend per channel / 各渠道周预算",
                         xaxis_title="channel / 渠道", yaxis_title="weekly spend / 周投放")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=BudgetArgs,
        run=run,
        description=(
            "Budget allocation: fits a diminishing-returns response curve per channel from weekly spend "
            "and revenue, then reallocates the budget (optimum or a what-if like 'search=+20%') and states "
            "the expected revenue change with a 90% interval."
        ),
        intents=("budget allocation", "allocate budget", "allocate the budget", "reallocate", "media mix",
                 "marketing mix", "spend allocation", "response curve", "预算分配", "分配预算", "预算优化",
                 "投放分配", "媒介组合", "营销组合", "channel mix", "optimal mix", "budget split", "渠道组合"),
        actions=(  # the planned budget is also a metric: a verb of moving it asks for this tool
            r"\b(?:re-?allocat\w*|allocat\w*|redistribut\w*|shift\w*|optimi[sz]e|move|moving|moved|transfer\w*)\b"
            r".{0,30}\b(?:budgets?|spend|spending)\b",
            r"\b(?:budgets?|spend)\b.{0,20}\b(?:re-?allocation|allocation|optimi[sz]ation)\b",
            r"\b(?:split|divide|spread|plan)\b.{0,30}\bbudgets?\b"
            r"|\ballocat\w*\b.{0,40}\b(?:across|between|among|over)\s+"
            r"(?:the\s+|our\s+|all\s+|each\s+|every\s+)?(?:channels|media|marketing channels)\b",
            r"\b(?:optimal|optimum|best|ideal|right|efficient)\s+(?:channel\s+|media\s+|marketing\s+|spend\s+|budget\s+)?"
            r"(?:mix|split|allocation)\b",
            r"(?:预算|投放|花费).{0,12}(?:重新分配|分配|优化|挪|转移|调到|移到|转到|分给|分到|怎么分|怎么花|怎么投)"
            r"|(?:重新分配|分配|优化|挪|转移).{0,10}(?:预算|投放)",
            # a what-if on one channel's spend: "what if we cut douyin spend by 30%", "抖音预算砍掉一半会怎样"
            r"\b(?:cut|cuts|cutting|reduc\w*|lower\w*|decreas\w*|slash\w*|trim\w*|halv\w*|increas\w*|rais\w*|"
            r"boost\w*|doubl\w*|pull\w*|scal\w* (?:back|up|down))\b.{0,30}\b(?:budgets?|spend|spending)\b"
            r".{0,12}\b(?:by\s+\d|in half\b)"
            r"|\b(?:what if|what would happen if|what happens if|if we|should we)\b.{0,30}\b(?:cut|reduc\w*|lower|decreas\w*|"
            r"slash|trim|halve|increas\w*|raise|boost|double|pull|pause|stop)\b.{0,30}\b(?:budgets?|spend|spending|ads)\b",
            r"(?:预算|投放|花费).{0,8}(?:砍|削减|减少|降低|减半|增加|提高|翻倍|加大|加倍|多投|少投|停掉|停投)"
            r".{0,12}(?:会|的话|怎么样|怎样|影响)|(?:如果|假如|要是|假设).{0,12}(?:预算|投放|花费)",
        ),
    )
)
