"""The command readers' gates (``_ANY_COMMAND``) skip only texts no reader could take.

``read_command`` and ``read_audience_command`` return None at once when none of the patterns
their readers need may match the text (``genbi.screened``). Each is compared here with its
readers run without the gate, on the eval questions, the readers' own test messages and
random texts built from the commands' words, so a gate that left out a pattern (or a
pattern added to a reader but not to the gate) shows as a difference.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from genbi.assistant import audience_commands as audiences
from genbi.assistant.watch import phrases

ROOT = Path(__file__).resolve().parents[1]
SAVED = ("VIP lapsed", "铂金召回", "Q3 winners")

_MESSAGES = [
    "pin this to 'Weekly'", "add it to the Weekly dashboard", "把这个固定到周报看板", "save this chart to Growth",
    "tell me every Monday how revenue by channel did", "每周一告诉我各渠道的销售额", "send me a weekly report of orders",
    "every day at 9am tell me revenue", "每天早上9点发给我上个月的订单数", "weekly revenue by channel",
    "alert me when daily ROAS on douyin drops below 2", "抖音每日ROAS低于2时提醒我", "let me know if orders fall under 1k",
    "alert me about unusual days in daily ROAS on douyin", "抖音的ROAS出现异常时提醒我", "list my monitors",
    "pause monitor 3", "删除提醒 3", "what alerts do I have", "show schedules", "report on revenue every month",
    "save these customers as 'VIP lapsed'", "把这些客户存为“铂金召回”", "rename audience VIP lapsed to VIP gone",
    "导出人群 VIP lapsed", "delete VIP lapsed", "list my saved audiences", "我有哪些人群", "export Q3 winners as csv",
    "remove tmall", "把渠道改成城市", "save these", "keep them as a segment", "删除铂金召回", "下载人群铂金召回",
    "revenue on 双11 2025 by sales channel", "上个月各渠道的销售额", "", "   ", "every at 9 day tell me revenue",
    "every day at 9am send me revenue", "every Friday at 5pm send us orders by channel", "每月1号发我上个月的销售额",
]
_WORDS = ["save", "these", "customers", "as", "audience", "rename", "to", "delete", "export", "list", "my",
          "audiences", "pin", "this", "dashboard", "tell", "me", "every", "monday", "at", "9am", "daily", "weekly",
          "alert", "when", "drops", "below", "2", "unusual", "days", "in", "revenue", "monitor", "3", "pause",
          "let", "us", "know", "report", "on", "人群", "存为", "每周一", "告诉我", "提醒我", "低于", "异常", "删除",
          "导出", "固定到", "看板", "每天", "早上9点", "销售额", "VIP lapsed", "铂金召回", ",", "。", "?", "send",
          "friday", "发给我", "每月1号"]


def _eval_questions() -> list[str]:
    found = []
    for folder in ("cases", "heldout"):
        for path in sorted((ROOT / "eval" / folder).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    found.append(str(json.loads(line).get("question", "")))
    return found


def _watch_ungated(message: str) -> object:
    text = " ".join(message.strip().split())
    if not text:
        return None
    return (phrases._manage(text) or phrases._pin(text) or phrases._alert(text) or phrases._unusual(text)
            or phrases._report(text))


def _audience_ungated(question: str) -> object:
    text = " ".join(question.strip().split()).rstrip("。.!！")
    if not text:
        return None
    known = {name.casefold(): name for name in SAVED}
    for reader in (audiences._save, audiences._list, audiences._rename, audiences._delete, audiences._export):
        found = reader(text, known)
        if found is not None:
            return found
    return None


def _same(text: str) -> None:
    for _ in range(2):  # a group screens from its second use: both the first and later ones
        assert phrases.read_command(text) == _watch_ungated(text), text
        assert audiences.read_audience_command(text, SAVED) == _audience_ungated(text), text
        if audiences.read_audience_command(text, SAVED) is not None:
            assert audiences.may_be_audience_command(text), text


def test_gates_change_no_reading_of_the_eval_questions_and_commands() -> None:
    texts = _eval_questions() + _MESSAGES
    assert len(texts) > 1000
    for text in texts:
        _same(text)


def test_the_commands_are_still_read() -> None:
    assert phrases.read_command("tell me every Monday how revenue by channel did") is not None
    assert phrases.read_command("every day at 9am tell me revenue") is not None
    assert audiences.read_audience_command("rename audience VIP lapsed to VIP gone", SAVED) is not None
    assert not audiences.may_be_audience_command("revenue on 双11 2025 by sales channel")
    assert phrases.read_command("revenue on 双11 2025 by sales channel") is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=9), st.sampled_from([" ", "", "  "]))
def test_gates_change_no_reading_of_random_commands(words: list[str], joint: str) -> None:
    _same(joint.join(words))
