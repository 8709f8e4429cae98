"""Each answer shape's narrative and title say what that shape shows, through the real answer
path, in English and Chinese: a period comparison names both periods and says the change; a
trend does not present an incomplete period as a change; a top-N does not call its last row
"lowest"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from planner_support import demo_assistant

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

MID_DECEMBER = date(2025, 12, 18)
"""A Thursday inside the demo's data: this month, this week and this year are incomplete."""

NO_RANKING = re.compile(r"leads with|is lowest|最高，为|最低，为")


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


def ask(assistant: Any, question: str, as_of: date | None = None) -> Any:
    answer = assistant.answer(AnswerRequest(question, session_id=question, as_of=as_of, use_cache=False))
    assert answer.error is None and not answer.declined, (answer.error, answer.decline)
    return answer


@pytest.mark.parametrize(
    ("question", "as_of", "title", "says"),
    [
        ("revenue last month vs the month before", MID_DECEMBER, "November 2025 vs October 2025",
         r"^Revenue (rose|fell) \d+(\.\d)?% \([-+]¥[\d,.]+[KM]?\) from October 2025 to November 2025\.$"),
        ("上月和前一个月的销售额对比", MID_DECEMBER, "2025年11月 对比 2025年10月",
         r"^销售额从2025年10月到2025年11月(上升|下降)\d+(\.\d)?%（[-+]¥[\d,.]+万?）。$"),
        ("revenue this month vs last month", None, "December 2025 vs November 2025",
         r"^Revenue fell 7\.4% \(-¥61,165\) from November 2025 to December 2025\.$"),
        ("本月和上月的销售额对比", None, "2025年12月 对比 2025年11月", r"^销售额从2025年11月到2025年12月下降7\.4%（-¥6\.12万）。$"),
    ],
)
def test_a_period_comparison_names_both_periods_and_says_the_change(
    assistant: Any, question: str, as_of: date | None, title: str, says: str,
) -> None:
    answer = ask(assistant, question, as_of)
    assert title in answer.interpretation
    assert re.match(says, answer.narrative), answer.narrative
    assert not NO_RANKING.search(answer.narrative)


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("revenue this month vs last month by channel", ("Revenue fell 7.4% (-¥61,165) from November 2025 to December 2025",
                                                          "biggest rise", "biggest fall")),
        ("本月和上月各渠道的销售额对比", ("销售额从2025年11月到2025年12月下降7.4%", "增加最多的是", "减少最多的是")),
    ],
)
def test_a_comparison_by_a_dimension_says_the_total_change_and_the_movers(
    assistant: Any, question: str, words: tuple[str, ...],
) -> None:
    answer = ask(assistant, question)
    for word in words:
        assert word in answer.narrative, answer.narrative
    assert not NO_RANKING.search(answer.narrative) and "rows" not in answer.narrative and "行结果" not in answer.narrative


def test_a_comparison_with_an_incomplete_period_says_so(assistant: Any) -> None:
    english = ask(assistant, "revenue this month vs last month", MID_DECEMBER)
    assert "So far, revenue fell" in english.narrative
    assert "Not like for like: December 2025 is partial: data up to Dec 18" in english.narrative
    assert any("December 2025 is partial" in w for w in english.warnings)
    chinese = ask(assistant, "本月和上月的销售额对比", MID_DECEMBER)
    assert chinese.narrative.startswith("截至目前，销售额从2025年11月到2025年12月下降")
    assert "并非同口径对比：2025年12月不完整：数据截至12月18日" in chinese.narrative


@pytest.mark.parametrize(
    ("question", "partial", "latest_full"),
    [
        ("revenue by month this year", "December 2025 is partial: data up to Dec 18", "the latest full month, 2025-11,"),
        ("今年每月的销售额", "2025年12月不完整：数据截至12月18日", "最近一个完整的月（2025年11月）"),
        ("revenue by quarter this year", "Q4 2025 is partial: data up to Dec 18", "the latest full quarter, 2025 Q3,"),
        ("今年每季度的销售额", "2025年第4季度不完整：数据截至12月18日", "最近一个完整的季度（2025年第3季度）"),
        ("revenue by week in the last 8 weeks", "Dec 15 – 21 is partial: data up to Dec 18", "the latest full week, Dec 8 – 14,"),
        ("近8周每周的销售额", "12月15日–21日不完整：数据截至12月18日", "最近一个完整的周（12月8日–14日）"),
        ("revenue by year in the last 2 years", "2025 is partial: data up to Dec 18", ""),
        ("近两年每年的销售额", "2025年不完整：数据截至12月18日", ""),
    ],
)
def test_a_trend_marks_its_incomplete_period_and_does_not_call_it_a_change(
    assistant: Any, question: str, partial: str, latest_full: str,
) -> None:
    answer = ask(assistant, question, MID_DECEMBER)
    assert partial in answer.narrative, answer.narrative
    assert any(partial in w for w in answer.warnings), answer.warnings
    assert latest_full in answer.narrative
    last = answer.column_info[0].show(max(r[0] for r in answer.rows), answer.language)
    assert last not in re.split(r"[;；。]|\. ", answer.narrative)[0], "a partial period is no peak or low"
    assert not re.search(rf"{re.escape(last)}[^;；]*(before|较上一期)", answer.narrative)


@pytest.mark.parametrize("question", ["revenue by month in 2025", "2025年每月的销售额"])
def test_a_trend_over_complete_periods_keeps_its_change(assistant: Any, question: str) -> None:
    answer = ask(assistant, question, MID_DECEMBER)  # the range ends Dec 31 and the data has it
    assert "partial" not in answer.narrative and "不完整" not in answer.narrative
    assert re.search(r"on the (month|period) before|较上(一期|月)", answer.narrative), answer.narrative


@pytest.mark.parametrize(
    ("question", "says", "never"),
    [
        ("top 3 cities by revenue in 2025", r"Shanghai leads with ¥[\d,]+; \w+ ranks 3rd at", "lowest"),
        ("2025年销售额前三的城市", r"上海最高，为¥[\d.]+万；\w+排第3，为", "最低"),
        ("share of revenue by channel in 2025", r"leads with ¥[\d.]+M \(\d+% of the total\)", "rows"),
        ("total revenue in 2025", r"^Revenue was ¥[\d.]+M in 2025\.$", "lowest"),
        # a bottom N names its lowest as the lowest, never as a leader
        ("which city brings in the least revenue", r"^Revenue by city: \w+ is lowest at ¥[\d,]+\.$", "leads"),
        ("bottom 3 cities by revenue in 2025", r": \w+ is lowest at ¥[\d,]+; \w+ ranks 3rd from the bottom at", "leads"),
        ("2025年销售额最低的三个城市", r"：\w+最低，为¥[\d.]+万；\w+倒数第3，为", "最高"),
        ("2025年总销售额", r"^2025年，销售额为¥[\d.]+万。$", "最低"),
    ],
)
def test_other_shapes_keep_sentences_that_fit(assistant: Any, question: str, says: str, never: str) -> None:
    answer = ask(assistant, question)
    assert re.search(says, answer.narrative), answer.narrative
    assert never not in answer.narrative


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("sales by month in 2011", "December 2011 is partial: data up to Dec 9"),
        ("2011年每月的销售额", "2011年12月不完整：数据截至12月9日"),
        ("sales this month vs last month", "Not like for like: December 2011 is partial: data up to Dec 9"),
        ("sales last month vs the month before", "from October 2011 to November 2011."),
    ],
)
def test_a_warehouse_that_stops_mid_month_has_a_partial_last_month(
    tmp_path_factory: pytest.TempPathFactory, question: str, says: str,
) -> None:
    from genbi.eval.byodata.warehouses import build

    folder = tmp_path_factory.mktemp("retail")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(folder / "home"))
        patch.delenv("GENBI_DB", raising=False)
        opened = Assistant.open(build("retail", folder / "r.duckdb"), llm=False)
        try:
            answer = ask(opened, question)
        finally:
            opened.close()
    assert opened.data_end == date(2011, 12, 9)
    assert says in answer.narrative, answer.narrative


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("ROAS last month vs the month before by channel",
         r"^Return on ad spend by marketing channel, October 2025 to November 2025: the biggest rise was .+ \(\+[\d.]+×, \+[\d.]+%\)"),
        ("conversion rate last month vs the month before",
         r"^Conversion rate (rose|fell) from [\d.]+% in October 2025 to [\d.]+% in November 2025 \([-+][\d.]+ pts\)\.$"),
        ("上月和前一个月的转化率对比", r"^转化率从2025年10月的[\d.]+%(升至|降至)2025年11月的[\d.]+%（[-+][\d.]+个百分点）。$"),
        ("revenue this month", r"^Revenue was ¥[\d,]+ \(month to date\)\.$"),
        ("revenue in March 2025", r"^Revenue was ¥[\d,]+ in March 2025\.$"),
    ],
)
def test_rates_move_in_points_and_relative_periods_read(assistant: Any, question: str, says: str) -> None:
    answer = ask(assistant, question)
    assert re.search(says, answer.narrative), answer.narrative


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("which region grew revenue the most this year vs last year",
         r"^In 2025: \w+ \(revenue ¥[\d,.]+[KM]?, [-+]¥[\d,.]+[KM]?, [-+]\d+(\.\d)?% on 2024\)\.$"),
        ("哪个大区今年销售额增长最快", r"^2025年，\w+：销售额¥[\d,.]+万?（较2024年[-+]¥[\d,.]+万?，[-+]\d+(\.\d)?%）。$"),
    ],
)
def test_a_ranking_by_growth_says_each_members_change_on_the_period_before(
    assistant: Any, question: str, says: str,
) -> None:
    answer = ask(assistant, question)
    assert re.match(says, answer.narrative), answer.narrative
    assert "rows" not in answer.narrative and "行结果" not in answer.narrative


def test_a_breakdown_with_a_negative_row_gives_no_share_of_the_net_total() -> None:
    """Returns over sales in one country: the leader was '139% of the total'."""
    from genbi.assistant.columns import ColumnInfo
    from genbi.assistant.narrative import narrate

    columns = [ColumnInfo("country", "Country", "dimension"), ColumnInfo("sales", "Sales", "metric")]
    text = narrate(columns, (("United Kingdom", 349.48), ("France", 92.1), ("Netherlands", -257.55)))
    assert "of the total" not in text and "United Kingdom" in text and "Netherlands" in text, text
    positive = narrate(columns, (("United Kingdom", 349.48), ("France", 92.1)))
    assert "(79% of the total)" in positive, positive
