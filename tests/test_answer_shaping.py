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
        (12_345_678.9, "currency", "zh", "¥1234.57万"),
        (234_567_890.0, "number", "zh", "2.35亿"),
        (0.0345, "percent", "en", "3.5%"),
        (3.456, "ratio", "en", "3.46x"),
        (1234, "number", "en", "1,234"),
        (None, "number", "en", "—"),
        (-2500.0, "currency", "en", "-¥2,500.00"),
    ],
)
def test_format_value(value: float | None, fmt: str, language: str, text: str) -> None:
    assert format_value(value, fmt, language) == text  # type: ignore[arg-type]


def test_format_change() -> None:
    assert format_change(110, 100) == "up 10%"
    assert format_change(90, 100, "zh") == "下降10%"
    assert format_change(100.2, 100) == "flat"


def test_chart_follows_the_shape() -> None:
    assert choose_chart([REVENUE], ((1.0,),)).data[0].type == "indicator"
    line = choose_chart([MONTH, REVENUE], ((date(2025, 1, 1), 1.0), (date(2025, 2, 1), 2.0)))
    assert line.data[0].type == "scatter"
    bars = choose_chart([CHANNEL, REVENUE], (("email", 1.0), (None, 2.0)))
    assert bars.data[0].type == "bar" and list(bars.data[0].x) == ["email", "(none)"]
    multi = choose_chart([MONTH, CHANNEL, REVENUE], ((date(2025, 1, 1), "a", 1.0), (date(2025, 1, 1), "b", 2.0)))
    assert len(multi.data) == 2
    assert choose_chart([CHANNEL], (("a",),)) is None


def test_narrative_names_leader_and_laggard_with_the_tables_numbers() -> None:
    rows = (("douyin", 3_200_000.0), ("search", 400_000.0), (None, 1_100_000.0))
    english = narrate([CHANNEL, REVENUE], rows, period="2025")
    assert "douyin leads with ¥3.20M" in english and "search is lowest" in english and "(none)" not in english
    chinese = narrate([ColumnInfo("channel", "渠道", "dimension"), ColumnInfo("revenue", "销售额", "metric", fmt="currency")],
                      rows, language="zh", period="2025年")
    assert "douyin最高" in chinese and "¥320.00万" in chinese


def test_narrative_of_a_trend_and_of_nothing() -> None:
    rows = ((date(2025, 1, 1), 1e6), (date(2025, 2, 1), 2e6), (date(2025, 3, 1), 1.5e6))
    text = narrate([MONTH, REVENUE], rows)
    assert "peaked at ¥2.00M (2025-02-01)" in text and "down 25%" in text
    assert narrate([REVENUE], ()) == "No data matches this question."
