"""The Slack bot's pure pieces: question text, the aligned table, Block Kit, the chart PNG,
the strings and the app manifest. No Slack and no warehouse."""

from __future__ import annotations

import json
import string
from datetime import date
from importlib.resources import files
from typing import Any

import pytest
import yaml

from genbi.assistant.answer import Answer, Decline
from genbi.assistant.columns import ColumnInfo
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import DimensionRef, QuerySpec
from genbi.ui.slack import blocks
from genbi.ui.slack.chart import chart_kind, chart_png
from genbi.ui.slack.payloads import clean_text, escape
from genbi.ui.slack.strings import LANGUAGES, STRINGS, language_of, text
from genbi.ui.slack.table import column_infos, format_period, text_table, visible_columns, width

PNG = b"\x89PNG\r\n\x1a\n"
SQL = "SELECT channel, SUM(revenue) AS revenue\nFROM orders\nWHERE revenue > 0\nGROUP BY 1"
CHANNEL = ColumnInfo("channel", "Marketing channel", "dimension")
REVENUE = ColumnInfo("revenue", "Revenue", "metric", fmt="currency")
MONTH = ColumnInfo("metric_time__month", "Month", "time", grain="month")


@pytest.fixture(scope="module")
def model() -> Any:
    return load_model(None)


def _answer(**overrides: Any) -> Answer:
    values: dict[str, Any] = {
        "question": "revenue by channel in 2025", "language": "en", "brain": "offline planner",
        "interpretation": "Revenue · by marketing channel · 2025",
        "spec": QuerySpec(metrics=("revenue",), group_by=(DimensionRef(name="channel"),)),
        "sql": SQL, "columns": ("channel", "revenue"),
        "rows": (("search", 1_120_000.5), ("wechat", 1_020_000.0), (None, 60_252.52)),
        "narrative": "Search leads with ¥1.12M <b>(37%)</b> & more.",
    }
    values.update(overrides)
    return Answer(**values)


def _texts(reply: blocks.Reply) -> str:
    return json.dumps(reply.blocks, ensure_ascii=False)


# --- question text ---


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<@UGENBI> revenue by channel", "revenue by channel"),
        ("<@UGENBI>   各渠道的销售额  ", "各渠道的销售额"),
        ("orders for <@U123|ana> in <#C1|sales>", "orders for @ana in #sales"),
        ("revenue &gt; 100 &amp; orders &lt; 5", "revenue > 100 & orders < 5"),
        ("see <https://example.com/x|the deck> and <mailto:a@b.c>", "see the deck and mailto:a@b.c"),
        ("<!here> revenue", "@here revenue"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw, "UGENBI") == clean


def test_language_of_questions() -> None:
    assert language_of("revenue by channel") == "en"
    assert language_of("上个月各渠道的销售额") == "zh"


# --- the table ---


def test_table_aligns_numbers_right_and_counts_chinese_as_two_cells() -> None:
    columns = [ColumnInfo("city", "城市", "dimension"), REVENUE]
    table = text_table(columns, [("上海", 1234.5), ("Beijing", 99.0), (None, None)], "zh")
    lines = table.splitlines()
    assert len({width(line.rstrip()) for line in lines[1:3]}) == 1, table
    assert lines[2].startswith("上海") and lines[2].endswith("¥1,234.50")
    assert lines[4].startswith("未设置") and lines[4].endswith("—")


def test_table_shows_only_the_first_rows_and_cuts_long_values() -> None:
    rows = [(f"campaign {'x' * 40} {i}", float(i)) for i in range(30)]
    table = text_table([CHANNEL, REVENUE], rows, "en", limit=5)
    assert len(table.splitlines()) == 2 + 5
    assert "…" in table and max(width(line) for line in table.splitlines()) < 40


def test_wide_results_show_their_first_columns_and_say_so() -> None:
    columns = [CHANNEL] + [ColumnInfo(f"metric_{i}", f"A long metric label {i}", "metric") for i in range(8)]
    rows = tuple(("search", *(float(i) for i in range(8))) for _ in range(3))
    assert visible_columns(columns, rows, "en") == [0, 1, 2, 3]  # 17 + 3 × (2 + 21) cells
    assert visible_columns(columns[:3], rows, "en") == [0, 1, 2]
    reply = blocks.answer_reply(_answer(columns=tuple(c.name for c in columns), rows=rows), columns, "k")
    table = reply.blocks[1]["text"]["text"]
    assert "A long metric label 2" in table and "label 3" not in table
    assert max(width(line) for line in table.splitlines()) <= 96
    assert reply.blocks[2]["elements"][0]["text"] == "3 rows. Showing 4 of 9 columns."


def test_columns_from_the_model_get_labels_formats_and_grains(model: Any) -> None:
    infos = column_infos(("metric_time__month", "channel", "revenue", "cvr"),
                         [(date(2025, 1, 1), "search", 1.0, 0.1)], model, "zh")
    assert [(c.kind, c.fmt) for c in infos] == [
        ("time", "number"), ("dimension", "number"), ("metric", "currency"), ("metric", "percent")]
    assert infos[0].grain == "month" and infos[2].label == "销售额"
    unknown = column_infos(("segment", "customers"), [("vip", 12)], model, "en")
    assert [c.kind for c in unknown] == ["dimension", "metric"]


def test_periods_read_by_grain() -> None:
    day = date(2025, 8, 14)
    assert [format_period(day, g) for g in ("day", "month", "quarter", "year")] == [
        "2025-08-14", "2025-08", "2025 Q3", "2025"]


# --- Block Kit ---


def test_an_answer_has_narrative_table_reading_sql_and_feedback_buttons() -> None:
    columns = [CHANNEL, REVENUE]
    reply = blocks.answer_reply(_answer(), columns, "key123")
    kinds = [b["type"] for b in reply.blocks]
    assert kinds == ["section", "section", "context", "context", "section", "actions"]
    narrative, table, rows_note, reading, sql, buttons = reply.blocks
    assert narrative["text"]["text"] == "Search leads with ¥1.12M &lt;b&gt;(37%)&lt;/b&gt; &amp; more."
    assert table["text"]["text"].startswith("```\nMarketing channel") and "Not set" in table["text"]["text"]
    assert rows_note["elements"][0]["text"] == "3 rows."
    assert reading["elements"][0]["text"] == "Read as: Revenue · by marketing channel · 2025"
    assert sql["text"]["text"] == "```\n" + escape(SQL) + "\n```"
    assert buttons["block_id"] == blocks.FEEDBACK_BLOCK
    assert [(e["action_id"], e["value"]) for e in buttons["elements"]] == [
        (blocks.ACTION_RIGHT, "key123"), (blocks.ACTION_WRONG, "key123")]
    assert reply.text.startswith("Revenue · by marketing channel · 2025 · Search leads")


def test_a_rated_answer_shows_the_note_instead_of_buttons() -> None:
    reply = blocks.answer_reply(_answer(), [CHANNEL, REVENUE], "k", feedback_note="👍 thanks")
    assert reply.blocks[-1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "👍 thanks"}]}


def test_long_results_say_how_many_rows_and_notes_are_shown() -> None:
    rows = tuple((f"c{i}", float(i)) for i in range(40))
    reply = blocks.answer_reply(_answer(rows=rows, truncated=True, warnings=("Read 'sales' as revenue.",)),
                                [CHANNEL, REVENUE], "k")
    flat = _texts(reply)
    assert "First 12 of 40 rows. The warehouse returned only the first rows." in flat
    assert "Note: Read 'sales' as revenue." in flat


def test_chinese_answers_use_chinese_words() -> None:
    reply = blocks.answer_reply(_answer(language="zh", interpretation="销售额 · 按营销渠道"),
                                [CHANNEL, REVENUE], "k")
    flat = _texts(reply)
    assert "我的理解：销售额 · 按营销渠道" in flat and "👍 正确" in flat and "共3行。" in flat


def test_long_sql_is_cut_to_fit_a_section() -> None:
    sql = "SELECT " + ",\n  ".join(f"column_{i}" for i in range(600)) + "\nFROM orders"
    reply = blocks.answer_reply(_answer(sql=sql), [CHANNEL, REVENUE], "k")
    block = next(b for b in reply.blocks if b["type"] == "section" and "column_1" in b["text"]["text"])
    assert len(block["text"]["text"]) <= blocks.SECTION_LIMIT
    assert block["text"]["text"].endswith("SQL shortened to fit Slack.\n```")


def test_a_decline_offers_its_suggestions_as_buttons_and_no_feedback() -> None:
    answer = _answer(decline=Decline("I don't know what 'weather' refers to.", ("Revenue by city", "Orders by month")),
                     spec=None, sql=None, columns=(), rows=())
    reply = blocks.answer_reply(answer, [], "k")
    assert reply.blocks[0]["text"]["text"] == "I couldn't answer that. I don't know what 'weather' refers to."
    actions = reply.blocks[-1]
    assert actions["block_id"] == blocks.SUGGESTIONS_BLOCK
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        ("genbi_suggest_0", "Revenue by city"), ("genbi_suggest_1", "Orders by month")]
    assert blocks.FEEDBACK_BLOCK not in _texts(reply)


def test_a_failed_query_is_said_politely_with_the_reading_and_sql() -> None:
    reply = blocks.answer_reply(_answer(error="The query took longer than 30 s.", rows=(), columns=()),
                                [], "k")
    flat = _texts(reply)
    assert reply.blocks[0]["text"]["text"] == "Sorry, I couldn't get the numbers: The query took longer than 30 s."
    assert "Read as:" in flat and "SELECT channel" in flat and "Traceback" not in flat
    assert blocks.FEEDBACK_BLOCK not in flat


def test_the_correction_modal_carries_the_answer_key() -> None:
    view = blocks.correction_modal("k1", "zh")
    assert view["callback_id"] == blocks.CORRECTION_VIEW
    assert json.loads(view["private_metadata"]) == {"key": "k1", "language": "zh"}
    assert view["title"]["text"] == "哪里不对？" and len(view["title"]["text"]) <= 24


# --- the chart ---


def test_chart_shapes() -> None:
    months = [(date(2025, m, 1), float(m)) for m in range(1, 13)]
    assert chart_kind([MONTH, REVENUE], months) == "line"
    assert chart_kind([CHANNEL, REVENUE], [("a", 1.0)]) == "bars"
    assert chart_kind([REVENUE], [(1.0,)]) is None, "one number: the narrative says it"
    assert chart_kind([CHANNEL, REVENUE], [(f"c{i}", 1.0) for i in range(200)]) == "bars", "top 15 + others"
    assert chart_kind([CHANNEL], [("a",)]) is None
    tier = ColumnInfo("city_tier", "City tier", "dimension")
    assert chart_kind([tier, CHANNEL, REVENUE], [("t1", "a", 1.0), ("t2", "b", 2.0)]) == "grouped"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_charts_render_as_png(language: str) -> None:
    months = [(date(2025, m, 1), 1000.0 * m) for m in range(1, 13)]
    assert chart_png([MONTH, REVENUE], months, title="Revenue · by month", language=language)[:8] == PNG
    by_city = [("上海", 5.5e6), ("北京", 4.0e6), ("Hangzhou", 1.0e6), (None, 2.0)]
    png = chart_png([ColumnInfo("city", "城市", "dimension"), REVENUE], by_city,
                    title="销售额 · 按城市", language=language)
    assert png is not None and png[:8] == PNG and len(png) > 5_000
    multi = [(date(2025, m, 1), ch, float(m)) for m in range(1, 7) for ch in ("a", "b")]
    assert chart_png([MONTH, CHANNEL, REVENUE], multi)[:8] == PNG


def test_no_png_when_a_chart_would_not_help() -> None:
    assert chart_png([REVENUE], [(1.0,)]) is None
    assert chart_png([CHANNEL, REVENUE], []) is None


# --- strings and the manifest ---


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_with_the_same_fields(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES)
    assert _fields(entry["en"]) == _fields(entry["zh"])


def test_refusals_say_nothing_was_looked_up() -> None:
    for reason in ("team", "channel", "dm", "user"):
        assert "haven't looked anything up" in text(f"refused_{reason}", "en")
        assert "没有查询任何数据" in text(f"refused_{reason}", "zh")


def test_the_manifest_declares_what_the_bot_uses() -> None:
    manifest = yaml.safe_load((files("genbi.ui.slack") / "manifest.yaml").read_text(encoding="utf-8"))
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == ["/genbi"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "files:write", "im:history",
            "channels:history"} <= scopes
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "message.channels"} <= events
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_an_answer_names_the_warehouse_and_model_that_answered() -> None:
    reply = blocks.answer_reply(_answer(), [CHANNEL, REVENUE], "k", source="retail.duckdb · model retail.yaml")
    assert "Data: retail.duckdb · model retail.yaml" in json.dumps(reply.kwargs()["blocks"], ensure_ascii=False)
