"""Answer charts are plotly's JSON written directly (no figure validation on the answer path):
the JSON must be exactly what plotly itself makes of it, read like a figure, and be masked."""

from __future__ import annotations

import copy
import json
from datetime import date

import plotly.graph_objects as go
import pytest

from genbi.assistant.access import mask_chart
from genbi.assistant.chart_spec import ChartDraft, ChartSpec, merge, trace
from genbi.assistant.charts import choose_chart
from genbi.assistant.columns import ColumnInfo

MONTH = ColumnInfo("metric_time__month", "Month", "time", grain="month")
CHANNEL = ColumnInfo("channel", "Channel", "dimension")
TIER = ColumnInfo("tier", "Tier", "dimension")
REVENUE = ColumnInfo("revenue", "Revenue", "metric", fmt="currency", additive=True)
ROAS = ColumnInfo("roas", "ROAS", "metric", fmt="ratio")
SHARE = ColumnInfo("share", "Share", "metric", fmt="percent")
AOV = ColumnInfo("aov", "AOV", "metric", fmt="currency")

SHAPES = {
    "kpi": ([REVENUE], ((1_979_933.66,),), {"previous": (1_500_000.0,), "title": "Revenue · 2025"}),
    "two periods": ([MONTH, REVENUE], ((date(2025, 1, 1), 1.0), (date(2025, 2, 1), 2.0)), {}),
    "line": ([MONTH, REVENUE], tuple((date(2025, m, 1), float(m)) for m in range(1, 13)), {"language": "zh"}),
    "long line": ([MONTH, REVENUE], tuple((date(2020 + m // 12, m % 12 + 1, 1), float(m)) for m in range(40)), {}),
    "lines": ([MONTH, CHANNEL, REVENUE], tuple((date(2025, m, 1), c, float(m)) for m in range(1, 5)
                                              for c in ("a", "b")), {}),
    "line and rate": ([MONTH, REVENUE, ROAS], tuple((date(2025, m, 1), float(m), m / 3) for m in range(1, 6)), {}),
    "bars": ([CHANNEL, REVENUE], (("email", 1.0), (None, 2.0), ("sms", 3.0)), {"title": "by channel"}),
    "many bars": ([CHANNEL, REVENUE], tuple((f"c{i}", float(i)) for i in range(40)), {}),
    "bars and rate": ([CHANNEL, REVENUE, ROAS], (("a", 3.0, 1.2), ("b", 5.0, 2.0)), {}),
    "stacked": ([CHANNEL, TIER, REVENUE], (("a", "x", 1.0), ("a", "y", 3.0), ("b", "x", 2.0)), {}),
    "stacked shares": ([CHANNEL, TIER, SHARE], (("a", "x", 0.2), ("a", "y", 0.8), ("b", "x", 1.0)), {}),
    "grouped": ([CHANNEL, TIER, AOV], (("a", "x", 1.0), ("a", "y", 3.0), ("b", "x", 2.0)), {}),
    "grouped periods": ([MONTH, CHANNEL, REVENUE], ((date(2025, 1, 1), "a", 1.0), (date(2025, 2, 1), "a", 2.0)), {}),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_json_is_what_plotly_makes_of_it(shape: str) -> None:
    columns, rows, options = SHAPES[shape]
    chart = choose_chart(columns, rows, **options)
    assert isinstance(chart, ChartSpec)
    written = copy.deepcopy(chart.to_plotly_json())
    validated = go.Figure(written)  # raises on any property plotly does not know
    assert validated.to_plotly_json() == written
    assert json.loads(chart.to_json()) == json.loads(validated.to_json())


def test_a_spec_reads_like_a_figure_and_a_change_to_the_figure_is_the_chart() -> None:
    chart = choose_chart([CHANNEL, REVENUE], (("email", 1.0), ("sms", 3.0)), title="by channel")
    assert chart is not None
    assert chart.data[0].type == "bar" and chart.layout.title.text == "by channel"
    chart.update_layout(title_text="renamed")
    assert chart.to_plotly_json()["layout"]["title"]["text"] == "renamed"
    assert "renamed" in chart.to_json()
    copied = copy.deepcopy(chart)
    assert copied.to_plotly_json() == chart.to_plotly_json()


def test_personal_data_in_a_spec_is_masked_and_a_clean_spec_kept() -> None:
    clean = ChartSpec([trace("bar", x=["a"], y=[1.0])], {"title": {"text": "clean"}})
    assert mask_chart(clean) is clean
    dirty = ChartSpec([trace("bar", x=["bob@example.com"], y=[1.0])], {"title": {"text": "for 13812345678"}})
    masked = mask_chart(dirty)
    assert isinstance(masked, ChartSpec)
    assert "bob@example.com" not in masked.to_json() and "13812345678" not in masked.to_json()
    assert masked.to_plotly_json()["data"][0]["y"] == [1.0]


def test_layout_updates_merge_like_plotly() -> None:
    draft = ChartDraft()
    draft.update_layout(xaxis={"title": {"text": "x"}}, title={"text": "t"})
    draft.update_layout(xaxis={"tickvals": [1, 2]}, title=None)
    assert draft.layout == {"xaxis": {"title": {"text": "x"}, "tickvals": [1, 2]}}
    template = {"layout": {"font": {"size": 1}}}
    target: dict[str, object] = {}
    merge(target, {"template": template})
    merge(target, {"template": {"layout": {"font": {"size": 2}}}})
    assert template == {"layout": {"font": {"size": 1}}}, "merging never changes what was merged in"
