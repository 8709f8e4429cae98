"""Numbers, charts and narratives are shaped from the result itself, in the question's language."""

from __future__ import annotations

from datetime import date

import pytest

from genbi.assistant.charts import choose_chart
from genbi.assistant.columns import ColumnInfo
from genbi.assistant.formatting import format_change, format_value
from genbi.assistant.narrative import narrate

MONTH = ColumnInfo("metric_time__month", "Month", "time", grain="month")
CHANNEL = ColumnInfo("channel", "Channel", "dimension")
REVENUE = ColumnInfo("revenue", "Revenue", "metric", fmt="currency")


@pytest.mark.parametrize(
    ("value", "fmt", "language", "text"),
    [
        (12_345_678.9, "currency", "en", "¥12.35M"),
        (12_345_678.9, "currency", "zh", "¥1235万"),
        (1_355_000.0, "currency", "zh", "¥135.5万"),
        (1_350_000.0, "currency", "en", "¥1.35M"),
        (136_000_000.0, "currency", "zh", "¥1.36亿"),
        (1_979_933.6600000036, "currency", "en", "¥1.98M"),
        (234_567_890.0, "number", "zh", "2.35亿"),
        (0.0345, "percent", "en", "3.5%"),
        (0.7686, "percent", "zh", "76.9%"),
        (3.456, "ratio", "en", "3.46×"),
        (6.2961, "ratio", "zh", "6.30×"),
        (1234, "number", "en", "1,234"),
        (None, "number", "en", "—"),
        (-2500.0, "currency", "en", "-¥2,500"),
        (356.4219, "currency", "en", "¥356.42"),
    ],
)
def test_format_value(value: float | None, fmt: str, language: str, text: str) -> None:
    assert format_value(value, fmt, language) == text  # type: ignore[arg-type]


def test_format_change() -> None:
    assert format_change(110, 100) == "up 10%"
    assert format_change(90, 100, "zh") == "下降10%"
    assert format_change(100.2, 100) == "flat"


def test_chart_follows_the_shape() -> None:
    kpi = choose_chart([REVENUE], ((1_979_933.66,),), previous=(1_500_000.0,))
    card = " ".join(a.text for a in kpi.layout.annotations)
    assert "Revenue" in card and "¥1.98M" in card and "up 32%" in card
    two = choose_chart([MONTH, REVENUE], ((date(2025, 1, 1), 1.0), (date(2025, 2, 1), 2.0)))
    assert two.data[0].type == "bar" and list(two.data[0].x) == ["2025-01", "2025-02"], "two points: no line"
    line = choose_chart([MONTH, REVENUE], tuple((date(2025, m, 1), float(m)) for m in range(1, 4)))
    assert line.data[0].type == "scatter" and list(line.layout.xaxis.ticktext) == ["2025-01", "2025-02", "2025-03"]
    bars = choose_chart([CHANNEL, REVENUE], (("email", 1.0), (None, 2.0), ("sms", 3.0)))
    assert bars.data[0].type == "bar" and list(bars.data[0].x) == ["sms", "Not set", "email"], "sorted by value"
    assert list(bars.data[0].text) == ["¥3", "¥2", "¥1"]
    many = choose_chart([CHANNEL, REVENUE], tuple((f"c{i}", float(i)) for i in range(40)))
    assert many.data[0].orientation == "h" and len(many.data[0].y) == 16 and many.data[0].y[-1] == "Others (25)"
    combo = choose_chart([CHANNEL, REVENUE, ColumnInfo("roas", "ROAS", "metric", fmt="ratio", additive=False)],
                         (("a", 3.0, 1.2), ("b", 5.0, 2.0)))
    assert [t.type for t in combo.data] == ["bar", "scatter"] and combo.data[1].yaxis == "y2"
    assert combo.layout.yaxis2.ticktext[-1].endswith("×")
    stacked = choose_chart([CHANNEL, ColumnInfo("tier", "Tier", "dimension"), REVENUE],
                           (("a", "x", 1.0), ("a", "y", 3.0), ("b", "x", 2.0)))
    assert stacked.layout.barmode == "stack" and stacked.layout.yaxis.tickformat == ".0%"
    assert choose_chart([CHANNEL], (("a",),)) is None


def test_narrative_names_leader_and_laggard_with_the_tables_numbers() -> None:
    rows = (("douyin", 3_200_000.0), ("search", 400_000.0), (None, 1_100_000.0))
    english = narrate([CHANNEL, REVENUE], rows, period="2025")
    assert "douyin leads with ¥3.20M" in english and "search is lowest" in english and "(none)" not in english
    chinese = narrate([ColumnInfo("channel", "渠道", "dimension"), ColumnInfo("revenue", "销售额", "metric", fmt="currency")],
                      rows, language="zh", period="2025年")
    assert "douyin最高" in chinese and "¥320.0万" in chinese
    labelled = ColumnInfo("channel", "渠道", "dimension", value_labels={"douyin": "抖音"}, null_label="无活动（自然）")
    chinese = narrate([labelled, ColumnInfo("revenue", "销售额", "metric", fmt="currency")], rows, language="zh")
    assert "抖音最高" in chinese and "douyin" not in chinese


def test_narrative_of_a_trend_and_of_nothing() -> None:
    rows = ((date(2025, 1, 1), 1e6), (date(2025, 2, 1), 2e6), (date(2025, 3, 1), 1.5e6))
    text = narrate([MONTH, REVENUE], rows)
    assert "peaked at ¥2.00M (2025-02)" in text and "down 25%" in text
    assert narrate([REVENUE], ()) == "No data matches this question."


def test_compared_periods_keep_their_time_order() -> None:
    """"month over month for 2025": twelve periods as upright bars in time order (they were
    horizontal bars sorted by value, November first)."""
    period = ColumnInfo("period", "Period", "dimension",
                        value_labels={date(2025, m, 1): f"M{m}" for m in range(1, 13)})
    rows = tuple((date(2025, m, 1), float((m * 7) % 12)) for m in range(1, 13))
    chart = choose_chart([period, REVENUE], rows)
    assert chart is not None and chart.data[0].type == "bar" and chart.data[0].orientation != "h"
    assert list(chart.data[0].x) == [f"M{m}" for m in range(1, 13)]
