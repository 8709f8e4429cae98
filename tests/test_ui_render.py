"""The chat UI's pure pieces: strings, answer rendering, CSV, tool extras, the model browser.

No Gradio server and no browser: these run in the plain `make test` everywhere.
"""

from __future__ import annotations

import csv
import re
import string
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from genbi.assistant.answer import Answer, Decline, ToolCall
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import DimensionRef, QuerySpec
from genbi.ui import render
from genbi.ui.model_browser import browse, browse_markdown, column_label, column_labels
from genbi.ui.strings import LANGUAGES, STRINGS, language_of, text

SQL = "SELECT channel, SUM(revenue) AS revenue\nFROM orders\nGROUP BY 1"


def _answer(**overrides: object) -> Answer:
    values: dict[str, object] = {
        "question": "revenue by channel in 2025",
        "language": "en",
        "brain": "offline planner",
        "interpretation": "Revenue · by channel · 2025",
        "spec": QuerySpec(metrics=("revenue",), group_by=(DimensionRef(name="channel"),)),
        "sql": SQL,
        "columns": ("channel", "revenue"),
        "rows": (("douyin", 1234.5678), ("email", 10.0), (None, 0.5)),
        "narrative": "Douyin leads with ¥1,234.57.",
        "chart": go.Figure(go.Bar(x=["douyin"], y=[1234.5678])),
    }
    values.update(overrides)
    return Answer(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return load_model(None)


# --- strings ---


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_with_the_same_fields(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert _fields(entry["en"]) == _fields(entry["zh"])


def test_chinese_strings_are_chinese() -> None:
    untranslated = [k for k, v in STRINGS.items()
                    if v["en"] == v["zh"] and re.search(r"[a-z]{4,}", v["en"])
                    and "{" not in v["en"]]
    assert untranslated == []


def test_language_toggle_values() -> None:
    assert language_of("中文") == "zh"
    assert language_of("English") == "en"
    assert language_of("zh") == "zh"
    assert language_of(None) == "en"
    assert text("rows_all", "zh", rows=1200) == "共 1,200 行。"


# --- the chat message ---


def test_message_has_interpretation_narrative_and_collapsed_sql() -> None:
    message = render.chat_message(_answer(), "en", brain_label="offline planner")
    assert message.startswith("**Revenue · by channel · 2025**")
    assert "Douyin leads with ¥1,234.57." in message
    assert "<details><summary>SQL</summary>" in message
    assert "```sql\nSELECT channel" in message
    assert "offline planner" in message


def test_decline_lists_what_to_try_and_escapes_markdown() -> None:
    answer = _answer(decline=Decline("I don't know 'we*ather'.", ("Revenue by city", "上个月的订单数")),
                     sql=None, rows=(), columns=(), chart=None)
    message = render.chat_message(answer, "en")
    assert "I couldn't answer that" in message
    assert "we\\*ather" in message
    assert "- Revenue by city" in message and "- 上个月的订单数" in message
    assert "SQL" not in message


def test_query_error_is_a_sentence_not_a_traceback() -> None:
    answer = _answer(error="The query took longer than 30 s and was stopped.", rows=(), chart=None)
    message = render.chat_message(answer, "zh")
    assert "查询没有成功" in message and "30 s" in message
    assert "Traceback" not in message


def test_warnings_show_as_notes() -> None:
    message = render.chat_message(_answer(warnings=("Showing the first 10,000 rows.",)), "en")
    assert "> Note: Showing the first 10,000 rows." in message


# --- the table and the CSV ---


def test_table_rounds_for_reading_and_keeps_types() -> None:
    table = render.result_table(["Channel", "Revenue"], _answer().rows)
    assert list(table.columns) == ["Channel", "Revenue"]
    assert table["Revenue"].tolist() == [1234.57, 10.0, 0.5]
    assert pd.api.types.is_numeric_dtype(table["Revenue"])
    assert table["Channel"].tolist()[:2] == ["douyin", "email"]


def test_small_ratios_keep_four_places_and_dates_become_iso() -> None:
    rows = ((date(2025, 1, 1), 0.012345, Decimal("3.5")), (date(2025, 2, 1), 0.2, Decimal("1")))
    table = render.result_table(["Month", "CTR", "Orders"], rows)
    assert table["Month"].tolist() == ["2025-01-01", "2025-02-01"]
    assert table["CTR"].tolist() == [0.0123, 0.2]
    assert table["Orders"].tolist() == [3.5, 1.0]


def test_table_shows_the_first_thousand_rows_with_a_note() -> None:
    rows = tuple((f"c{i}", float(i)) for i in range(1_500))
    assert len(render.result_table(["c", "v"], rows)) == 1_000
    note = render.table_note(len(rows), False, "en")
    assert note == "Showing the first 1,000 of 1,500 rows; the CSV has all 1,500."
    assert render.table_note(3, False, "en") == "3 row(s)."
    assert "narrow the question" in render.table_note(10_000, True, "en")
    assert "仅显示前 1,000 行" in render.table_note(1_500, False, "zh")


def test_csv_has_every_row_at_full_precision(tmp_path: Path) -> None:
    rows = tuple((f"城市{i}", i * 1.123456789, date(2025, 1, 1)) for i in range(1_200))
    path = render.write_csv(tmp_path / "out.csv", ["城市", "Revenue", "Day"], rows)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.reader(handle))
    assert read[0] == ["城市", "Revenue", "Day"]
    assert len(read) == 1_201
    assert read[2] == ["城市1", "1.123456789", "2025-01-01"]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_name_is_ascii_from_the_query() -> None:
    assert render.csv_name(_answer()) == "genbi-revenue-channel.csv"
    tool = _answer(spec=None, tool_call=ToolCall("rfm_segments", {}))
    assert render.csv_name(tool) == "genbi-rfm-segments.csv"


def test_render_answer_puts_it_together(tmp_path: Path) -> None:
    rendered = render.render_answer(_answer(), "en", labels=["Marketing channel", "Revenue"],
                                    csv_dir=tmp_path, brain_label="offline planner")
    assert rendered.interpretation == "Revenue · by channel · 2025"
    assert list(rendered.table.columns) == ["Marketing channel", "Revenue"]
    assert rendered.table_note == "3 row(s)."
    assert rendered.sql == SQL
    assert rendered.chart is not None
    assert rendered.csv_path is not None and Path(rendered.csv_path).exists()


def test_a_decline_renders_without_table_or_csv(tmp_path: Path) -> None:
    answer = _answer(decline=Decline("No.", ()), sql=None, rows=(), columns=(), chart=None)
    rendered = render.render_answer(answer, "en", csv_dir=tmp_path)
    assert rendered.csv_path is None and rendered.table.empty and rendered.table_note == ""


# --- tool extras ---


class _ToolResultLike:
    def __init__(self) -> None:
        self.table = pd.DataFrame({"segment": ["Champions"], "customers": [120]})
        self.facts = {"champions_share": 0.12, "best_segment": "Champions"}
        self.tables = {"segment_detail": pd.DataFrame({"r": [5], "f": [5]})}
        self.chart = go.Figure(go.Treemap(labels=["Champions"], parents=[""], values=[120]))


def test_tool_results_render_facts_tables_and_chart() -> None:
    markdown, tables, chart = render.render_extras({"result": _ToolResultLike()}, "en")
    assert "**Key facts**" in markdown and "Best segment: Champions" in markdown
    assert [name for name, _ in tables] == ["Segment detail"]
    assert chart is not None


def test_copy_variants_show_their_checks() -> None:
    variants = [{"text": "Glow all winter ✨", "checks": {"length": True, "banned_words": False}},
                "Plain variant"]
    markdown, _, _ = render.render_extras({"variants": variants}, "zh")
    assert "**文案候选**" in markdown
    assert "1. Glow all winter ✨" in markdown and "✅ Length" in markdown
    assert "❌ Banned words" in markdown and "2. Plain variant" in markdown


def test_extra_dataframes_are_capped() -> None:
    extras = {f"t{i}": pd.DataFrame({"x": [i]}) for i in range(5)}
    _, tables, _ = render.render_extras(extras, "en")
    assert len(tables) == render.MAX_EXTRA_TABLES


# --- model browser and column labels ---


def test_browser_lists_metrics_and_dimensions_with_synonyms(model) -> None:  # type: ignore[no-untyped-def]
    table = browse(model, "", "en")
    assert list(table.columns) == ["Kind", "Name", "Description", "Also called", "Values"]
    kinds = set(table["Kind"])
    assert kinds == {"metric", "dimension"}
    assert not table["Name"].str.contains(r"\(email\)|\(phone\)").any()  # personal data hidden


def test_browser_search_finds_by_synonym_in_either_language(model) -> None:  # type: ignore[no-untyped-def]
    assert browse(model, "roas", "en")["Name"].str.contains("roas").any()
    chinese = browse(model, "渠道", "zh")
    assert chinese.columns[0] == "类型"
    assert chinese["名称"].str.contains("channel").any()
    assert browse(model, "no-such-thing-xyz", "en").empty


def test_browser_markdown_entries(model) -> None:  # type: ignore[no-untyped-def]
    roas = browse_markdown(model, "投产比", "zh")
    assert "`roas`" in roas and "指标" in roas and "同义词" in roas
    channel = browse_markdown(model, "marketing channel", "en")
    assert "`channel`" in channel and "Values: Email, SMS" in channel
    assert browse_markdown(model, "zzz_nothing", "en") == "No metric or dimension matches “zzz\\_nothing”."


def test_column_labels_read_like_the_model(model) -> None:  # type: ignore[no-untyped-def]
    assert column_label("revenue", model, "en") == "Revenue"
    assert column_label("revenue", model, "zh") == "销售额"
    assert column_label("metric_time__month", model, "en") == "Month"
    assert column_label("metric_time__month", model, "zh") == "月"
    assert column_label("signup_date__week", model, "en") == "Signup date (Week)"
    assert column_label("mystery_col", model, "en") == "mystery col"
    assert column_labels(["revenue", "revenue"], model, "en") == ["Revenue", "Revenue (revenue)"]


def test_copy_answers_show_each_variant_with_its_status_not_a_dump() -> None:
    facts = {"channel": "sms", "audience": "铂金会员", "audience_en": "loyalty_tier = platinum", "offer": None,
             "audience_facts": {"top_categories": {"skincare": 0.5}}, "facts_used": {"主要品类": "护肤"},
             "variants": [{"id": "sms-A", "status": "pass", "text": "【Lumière】护肤好物… 回T退订", "problems": []},
                          {"id": "sms-B", "status": "fail", "text": "太长了", "problems": ["length:text 80/70"]}]}
    markdown, _, _ = render.render_extras({"facts": facts}, "zh")
    assert "1. 【Lumière】护肤好物… 回T退订" in markdown and "✅ 全部检查通过" in markdown
    assert "❌ 未通过：请勿直接发送 — length:text 80/70" in markdown
    assert "Audience en" not in markdown and "Offer" not in markdown and "Audience facts" not in markdown
    assert "主要品类" in markdown and "Variants:" not in markdown
