"""The waterfall of a change: the value before, each top member's contribution, the rest, after.

Labels are "English / 中文" pairs (the answer keeps its language's half) and member values,
which the answer translates with the model's own words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genbi.lazy import lazy_module
from genbi.semantic_layer.model import SemanticModel

from .change_explainer import ChangeExplanation, member_names
from .change_periods import Period, calendar_unit

if TYPE_CHECKING:
    import plotly.graph_objects as go
else:
    go = lazy_module("plotly.graph_objects")

TOP_BARS = 6
"""Members shown as their own bar; the rest are summed into "Others"."""


def change_waterfall(explanation: ChangeExplanation, model: SemanticModel) -> go.Figure:
    """Before → contributions of the top dimension's members → after."""
    top = explanation.top
    labels = [_period_label(explanation.baseline)]
    values = [explanation.before]
    if top is not None:
        table = top.table
        shown = table[table["contribution"] != 0].head(TOP_BARS)
        names = member_names(model, top.dimension)
        for member, row in shown.iterrows():
            english, chinese = names.get(member, (str(member), str(member)))
            labels.append(f"{english} / {chinese}" if english != chinese else english)
            values.append(float(row["contribution"]))
        rest = float(table["contribution"].sum()) - float(shown["contribution"].sum())
        if abs(rest) > 1e-9 * max(1.0, abs(explanation.change)):
            labels.append("Others / 其他")
            values.append(rest)
        if explanation.ratio is not None and abs(explanation.ratio.unexplained) > 1e-9:
            labels.append("Not placed on a member / 未分摊")
            values.append(explanation.ratio.unexplained)
    else:
        labels.append("Change / 变化")
        values.append(explanation.change)
    labels.append(_period_label(explanation.period))
    measures = ["absolute", *(["relative"] * (len(values) - 1)), "total"]
    figure = go.Figure(go.Waterfall(
        x=labels, y=[*values, 0.0], measure=measures, connector={"line": {"color": "#9aa0a6", "width": 1}},
        increasing={"marker": {"color": "#2e7d32"}}, decreasing={"marker": {"color": "#c62828"}},
        totals={"marker": {"color": "#1f4e79"}}, textposition="outside",
        text=[_short(values[0], signed=False), *(_short(v) for v in values[1:]),
              _short(explanation.after, signed=False)],
    ))
    figure.update_layout(showlegend=False, title="Change explained / 变化归因")
    figure.update_xaxes(type="category")  # "2025-09" is a bar's name here, not a date
    return figure


def _period_label(period: Period) -> str:
    unit = calendar_unit(period)
    if unit is not None and unit.value == "month" and period.start.month == period.end.month:
        return f"{period.start:%b %Y} / {period.start.year}年{period.start.month}月"
    text = f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}"
    return f"{text} / {text}期间"


def _short(value: float, *, signed: bool = True) -> str:
    """12.3k, +1,234, -0.52 (bar labels)."""
    sign = "+" if signed else ""
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:{sign}.2f}M"
    if size >= 1e4:
        return f"{value / 1e3:{sign}.1f}k"
    if size >= 100:
        return f"{value:{sign},.0f}"
    return f"{value:{sign}.3g}"
