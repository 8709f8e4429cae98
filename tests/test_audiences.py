"""Saved audiences from the chat: save the customers an answer showed, list, rename, delete,
export, and use one by name — in English and Chinese, through the real answer path
(guardrails, masking) and rendered as the chat UI renders it (table, CSV)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from answer_support import NUMBER_TEXT, english_words, shown_text

from genbi.assistant.answer import Answer, AnswerRequest
from genbi.assistant.audience_commands import (
    AudienceCommand,
    mentioned_audience,
    read_audience_command,
)
from genbi.assistant.service import Assistant
from genbi.assistant.state import StateStore
from genbi.ui import render

SAVED = ("VIP lapsed", "铂金召回")


@pytest.mark.parametrize(("question", "expected"), [
    ("save these customers as 'VIP lapsed'", AudienceCommand("save", "VIP lapsed")),
    ("Save them as platinum_winback.", AudienceCommand("save", "platinum_winback")),
    ("save this audience as “win back”", AudienceCommand("save", "win back")),
    ("save these", AudienceCommand("save", None)),
    ("把这些客户存为“铂金召回”", AudienceCommand("save", "铂金召回")),
    ("保存为人群 高价值", AudienceCommand("save", "高价值")),
    ("list my audiences", AudienceCommand("list")),
    ("what audiences do I have?", AudienceCommand("list")),
    ("我的人群", AudienceCommand("list")),
    ("有哪些已保存的人群", AudienceCommand("list")),
    ("rename audience VIP lapsed to VIP churned", AudienceCommand("rename", "VIP lapsed", "VIP churned")),
    ("rename vip lapsed to lapsed VIPs", AudienceCommand("rename", "VIP lapsed", "lapsed VIPs")),
    ("把人群铂金召回改名为铂金回归", AudienceCommand("rename", "铂金召回", "铂金回归")),
    ("delete audience champs", AudienceCommand("delete", "champs")),
    ("remove VIP lapsed", AudienceCommand("delete", "VIP lapsed")),
    ("删除人群铂金召回", AudienceCommand("delete", "铂金召回")),
    ("export VIP lapsed as CSV", AudienceCommand("export", "VIP lapsed")),
    ("导出人群铂金召回", AudienceCommand("export", "铂金召回")),
])
def test_commands_are_read(question: str, expected: AudienceCommand) -> None:
    assert read_audience_command(question, SAVED) == expected


@pytest.mark.parametrize("question", [
    "save this to Weekly", "把这个结果保存到周报看板", "remove tmall", "rename revenue to sales", "把渠道改成城市", "export revenue by channel", "revenue by channel",
    "找和重要价值客户相似的人群", "RFM 分析", "save money on ads", "各渠道人群的销售额", "delete",
])
def test_questions_are_not_commands(question: str) -> None:
    assert read_audience_command(question, SAVED) is None


def test_a_name_is_found_as_a_whole_word() -> None:
    assert mentioned_audience("write an SMS for vip lapsed", SAVED) == "VIP lapsed"
    assert mentioned_audience("给铂金召回写一条短信", SAVED) == "铂金召回"
    assert mentioned_audience("VIP lapsedness", SAVED) is None


@pytest.fixture()
def assistant(warehouse_path: Path, tmp_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    opened.store = StateStore(tmp_path / "state.sqlite")
    yield opened
    opened.close()


def ask(assistant: Assistant, question: str, session: str) -> Answer:
    return assistant.answer(AnswerRequest(question=question, session_id=session))


def shown_in_ui(answer: Answer, tmp_path: Path) -> render.RenderedAnswer:
    """The chat UI's rendering (table, CSV); every number within the formatting layer's digits."""
    rendered = render.render_answer(answer, answer.language, csv_dir=tmp_path / "csv")
    for text in shown_text(answer):
        assert all(len(m) <= 2 for m in NUMBER_TEXT.findall(text)), text
    if answer.language == "zh":
        assert not english_words(shown_text(answer)), english_words(shown_text(answer))
    return rendered


def test_save_list_use_rename_export_delete_in_english(assistant: Assistant, tmp_path: Path) -> None:
    nothing = ask(assistant, "save these customers as 'VIP lapsed'", "en")
    assert nothing.declined and "not a set of customers" in nothing.decline.reason
    segment = ask(assistant, "RFM Champions", "en")
    assert segment.tool_call is not None and segment.tool_call.arguments.get("segment") == "Champions"
    champions = segment.extras["tool_result"].customer_ids
    saved = ask(assistant, "save these customers as 'VIP lapsed'", "en")
    assert not saved.declined and saved.rows[0][:2] == ("VIP lapsed", len(champions))
    assert "RFM segments" in saved.narrative and f"{len(champions):,}" in saved.narrative
    shown_in_ui(saved, tmp_path)

    listed = ask(assistant, "list my audiences", "other session")
    assert [row[0] for row in listed.rows] == ["VIP lapsed"]

    copy = ask(assistant, "write an SMS for VIP lapsed", "en")
    assert copy.tool_call is not None and copy.tool_call.name == "generate_copy"
    assert copy.tool_call.arguments["audience"] == "VIP lapsed"
    assert "where" not in copy.tool_call.arguments  # "VIP" is the audience's name, not a tag filter
    assert copy.extras["facts"]["audience_size"] == len(champions)

    metric = ask(assistant, "revenue of VIP lapsed last month", "en")
    assert metric.declined and "saved audience" in metric.decline.reason  # never all customers' revenue

    renamed = ask(assistant, "rename audience VIP lapsed to VIP churned", "en")
    assert [row[0] for row in renamed.rows] == ["VIP churned"]
    exported = ask(assistant, "export audience vip churned", "en")
    assert exported.columns == ("customer_id",) and {r[0] for r in exported.rows} == set(champions)
    rendered = shown_in_ui(exported, tmp_path)
    assert rendered.csv_path is not None
    with open(rendered.csv_path, encoding="utf-8-sig") as handle:
        assert {int(r[0]) for r in list(csv.reader(handle))[1:]} == set(champions)

    gone = ask(assistant, "delete audience VIP churned", "en")
    assert not gone.declined and gone.rows == ()
    unknown = ask(assistant, "export audience VIP churned", "en")
    assert unknown.declined and "no saved audience" in unknown.decline.reason


def test_the_same_in_chinese(assistant: Assistant, tmp_path: Path) -> None:
    segment = ask(assistant, "RFM 重要价值客户", "zh")
    assert segment.extras["tool_result"].customer_ids
    saved = ask(assistant, "把这些客户存为“铂金召回”", "zh")
    assert saved.language == "zh" and "铂金召回" in saved.narrative and "重要价值客户" in saved.narrative
    shown_in_ui(saved, tmp_path)
    listed = ask(assistant, "我的人群", "zh")
    shown_in_ui(listed, tmp_path)
    assert listed.rows[0][0] == "铂金召回"
    copy = ask(assistant, "给铂金召回写一条微信推送", "zh")
    assert copy.tool_call is not None and copy.tool_call.arguments["audience"] == "铂金召回"
    exported = ask(assistant, "导出人群铂金召回", "zh")
    shown_in_ui(exported, tmp_path)
    assert len(exported.rows) == len(segment.extras["tool_result"].customer_ids)
    deleted = ask(assistant, "delete audience 铂金召回", "en")  # asked in English: answered in English
    assert deleted.language == "en" and "Deleted" in deleted.narrative


def test_these_never_means_an_older_answer(assistant: Assistant) -> None:
    ask(assistant, "RFM Champions", "s")
    ask(assistant, "revenue by channel last month", "s")
    after_metric = ask(assistant, "save these as champs", "s")
    assert after_metric.declined
    ask(assistant, "RFM Champions", "s")
    assert not ask(assistant, "save these as champs", "s").declined
    clash = ask(assistant, "rename audience champs to champs", "s")
    assert not clash.declined  # renaming to itself is harmless


def test_audience_names_follow_every_change_made_elsewhere(tmp_path: Path) -> None:
    """Names are re-read only when the file changed, whoever changed it (another store
    stands for another process: the Slack bot saving while the UI answers)."""
    path = tmp_path / "state.sqlite"
    answering, other = StateStore(path), StateStore(path)
    assert answering.audience_names() == []
    other.save_audience("VIP lapsed", (1, 2, 3), source="rfm")
    assert answering.audience_names() == ["VIP lapsed"]
    other.rename_audience("VIP lapsed", "Lapsed VIP")
    assert answering.audience_names() == ["Lapsed VIP"]
    answering.save_audience("Champions", (4,), source="rfm")
    assert answering.audience_names() == ["Champions", "Lapsed VIP"]
    other.delete_audience("Champions")
    assert answering.audience_names() == ["Lapsed VIP"]
