"""What a chat message asks of saved audiences: save the customers just shown, list, rename,
delete or export one ("save these customers as 'VIP lapsed'", "把这些客户存为“铂金召回”",
"rename audience A to B", "导出人群 VIP lapsed").

Pure reading, no state: ``read_audience_command`` gets the names already saved, so a verb
that also edits questions ("remove tmall", "把渠道改成城市") is only an audience command when
it says "audience" / "人群" or names a saved audience.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from genbi.screened import ScreenedGroup

Action = Literal["save", "list", "rename", "delete", "export"]

_QUOTES = "\"'“”‘’「」『』《》`"
_NOUN_EN = r"(?:saved\s+)?(?:audiences?|segments?|lists?|groups?)"
_NOUN_ZH = r"(?:人群|受众|名单|客群)"
_THESE_EN = r"(?:these|them|this|those|the|that|my|our)?\s*(?:\d[\d,]*\s+)?(?:customers?|people|members?|buyers?|users?|audience|segment|list|group|ones)?"

_SAVE_EN = re.compile(
    rf"^(?:please\s+)?(?:save|store|keep)\s+(?P<what>{_THESE_EN})\s*(?:as|under)\s+"
    rf"(?:(?:a|an|the|my|new)\s+)*(?:{_NOUN_EN}\s+)?(?:(?:called|named)\s+)?(?P<name>.+?)$", re.IGNORECASE)
_SAVE_EN_NAMELESS = re.compile(rf"^(?:please\s+)?(?:save|store|keep)\s+(?P<what>{_THESE_EN})(?:\s+as\s+(?:an?\s+)?{_NOUN_EN})?$",
                               re.IGNORECASE)
_SAVE_ZH = re.compile(
    rf"^(?:请)?(?:帮我)?(?:把|将)?(?P<what>这些|这批|这个|这群|他们|她们|以上|上面的?)?(?:客户|用户|会员|人|{_NOUN_ZH})?"
    rf"(?:另存为|保存为|保存成|存为|存成)(?:一个)?(?:新的?)?{_NOUN_ZH}?(?:叫做?|名为|命名为)?[:：]?\s*(?P<name>.+?)$")
_SAVE_ZH_NOUN = re.compile(
    rf"^(?:请)?(?:帮我)?(?:把|将)?(?:这些|这批|这个|这群|他们|她们)?(?:客户|用户|会员)?(?:保存|存)(?:为|成)?(?:一个)?{_NOUN_ZH}[:：]?\s*(?P<name>.*?)$")
_LIST_EN = re.compile(
    r"^(?:please\s+)?(?:(?:list|show|see|view|what\s+are|which\s+are)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:my|the|our)?\s*"
    r"(?:saved\s+)?audiences|(?:my|our)\s+(?:saved\s+)?audiences|saved\s+audiences|"
    r"what\s+audiences\s+(?:do\s+i|have\s+i|are)\b.*|which\s+audiences\b.*)\??$", re.IGNORECASE)
_LIST_ZH = re.compile(
    rf"^(?:请)?(?:列出|查看|看看|显示)?(?:我的|所有|全部)?(?:已保存的?|保存的|保存过的)?{_NOUN_ZH}(?:列表|有哪些)?[？?]?$|"
    rf"^(?:我|我们)?(?:有|保存了)哪些(?:已保存的?)?{_NOUN_ZH}[？?]?$")
_RENAME_EN = re.compile(rf"^(?:please\s+)?rename\s+(?:the\s+)?(?:{_NOUN_EN}\s+)?(?P<old>.+?)\s+(?:to|as|into)\s+(?P<new>.+?)$",
                        re.IGNORECASE)
_RENAME_ZH = re.compile(rf"^(?:请)?(?:把|将)?(?:{_NOUN_ZH})?(?P<old>.+?){_NOUN_ZH}?(?:改名为|改名成|重命名为|更名为|改叫)(?P<new>.+?)$")
_DELETE_EN = re.compile(rf"^(?:please\s+)?(?:delete|remove|drop|forget)\s+(?:the\s+)?(?P<noun>{_NOUN_EN}\s+)?(?P<name>.+?)"
                        rf"(?P<tail>\s+{_NOUN_EN})?$", re.IGNORECASE)
_DELETE_ZH = re.compile(rf"^(?:请)?(?:删除|删掉|移除)(?:已保存的?)?(?P<noun>{_NOUN_ZH})?[:：]?\s*(?P<name>.+?)(?P<tail>{_NOUN_ZH})?$|"
                        rf"^(?:请)?(?:把|将)(?P<noun2>{_NOUN_ZH})?(?P<name2>.+?)(?P<tail2>{_NOUN_ZH})?(?:删除|删掉|移除)$")
_EXPORT_EN = re.compile(rf"^(?:please\s+)?(?:export|download)\s+(?:the\s+)?(?P<noun>{_NOUN_EN}\s+)?(?P<name>.+?)"
                        rf"(?P<tail>\s+{_NOUN_EN})?(?:\s+(?:as|to)\s+(?:an?\s+)?csv(?:\s+file)?)?$", re.IGNORECASE)
_EXPORT_ZH = re.compile(rf"^(?:请)?(?:导出|下载)(?P<noun>{_NOUN_ZH})?[:：]?\s*(?P<name>.+?)(?P<tail>{_NOUN_ZH})?(?:的?(?:客户)?(?:编号|id|ID)?)?(?:为|成)?(?:csv|CSV)?$")
_DEICTIC_ZH = {"这些", "这批", "这个", "这群", "他们", "她们", "以上", "上面", "上面的", ""}


@dataclass(frozen=True)
class AudienceCommand:
    """One thing asked of saved audiences; ``name`` is None when "save these" names none."""

    action: Action
    name: str | None = None
    new_name: str | None = None


def read_audience_command(question: str, saved: Iterable[str] = ()) -> AudienceCommand | None:
    """The audience command ``question`` asks for, or None when it asks something else."""
    text = _command_text(question)
    if not text or not _ANY_COMMAND.candidates(text):
        return None
    known = {name.casefold(): name for name in saved}
    for reader in (_save, _list, _rename, _delete, _export):
        found = reader(text, known)
        if found is not None:
            return found
    return None


def may_be_audience_command(question: str) -> bool:
    """False only when ``read_audience_command`` is None for ``question`` whatever audiences are
    saved: no command pattern can match it. Most questions hold none of their words ("save",
    "rename", "人群" ...), so the saved names need not be looked up for them."""
    text = _command_text(question)
    return bool(text) and bool(_ANY_COMMAND.candidates(text))


def _command_text(question: str) -> str:
    return " ".join(question.strip().split()).rstrip("。.!！")


def clean_name(text: str) -> str:
    """A name as written, without quotes and surrounding punctuation ("'VIP lapsed'." → VIP lapsed)."""
    return text.strip().strip(_QUOTES + " ,，.。!！?？:：").strip()


def _save(text: str, known: dict[str, str]) -> AudienceCommand | None:
    for pattern in (_SAVE_EN, _SAVE_ZH):
        match = pattern.match(text)
        if match and clean_name(match["name"]) and (pattern is _SAVE_ZH or _deictic_en(match["what"])):
            return AudienceCommand("save", clean_name(match["name"]))
    match = _SAVE_ZH_NOUN.match(text)
    if match:
        return AudienceCommand("save", clean_name(match["name"]) or None)
    match = _SAVE_EN_NAMELESS.match(text)
    if match and _deictic_en(match["what"]) and match["what"].strip():
        return AudienceCommand("save", None)
    return None


def _deictic_en(what: str | None) -> bool:
    """"these customers", "them", "this audience": the customers just shown, not a name."""
    words = (what or "").lower().split()
    return not words or words[0] in ("these", "them", "this", "those", "the", "that", "my", "our") or \
        words[0].replace(",", "").isdigit() or words[0] in ("customers", "people", "members", "buyers", "users")


def _list(text: str, known: dict[str, str]) -> AudienceCommand | None:
    return AudienceCommand("list") if _LIST_EN.match(text) or _LIST_ZH.match(text) else None


def _rename(text: str, known: dict[str, str]) -> AudienceCommand | None:
    for pattern in (_RENAME_EN, _RENAME_ZH):
        match = pattern.match(text)
        if match is None:
            continue
        old, new = clean_name(match["old"]), clean_name(match["new"])
        said = bool(re.search(rf"\baudience\b|{_NOUN_ZH}", text, re.IGNORECASE))
        old = _strip_noun(old)
        if old and new and (said or old.casefold() in known):
            return AudienceCommand("rename", known.get(old.casefold(), old), new)
    return None


def _delete(text: str, known: dict[str, str]) -> AudienceCommand | None:
    return _named("delete", text, known, (_DELETE_EN, _DELETE_ZH))


def _export(text: str, known: dict[str, str]) -> AudienceCommand | None:
    return _named("export", text, known, (_EXPORT_EN, _EXPORT_ZH))


def _named(action: Action, text: str, known: dict[str, str], patterns: tuple[re.Pattern[str], ...]) -> AudienceCommand | None:
    """"delete audience X" / "删除人群X": an audience noun, or a saved audience's own name."""
    for pattern in patterns:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        name = clean_name(groups.get("name") or groups.get("name2") or "")
        said = any(groups.get(k) for k in ("noun", "tail", "noun2", "tail2"))
        if name and (said or name.casefold() in known):
            return AudienceCommand(action, known.get(name.casefold(), name))
    return None


def _strip_noun(name: str) -> str:
    return clean_name(re.sub(rf"^(?:the\s+)?(?:{_NOUN_EN}\s+)|^{_NOUN_ZH}|{_NOUN_ZH}$", "", name, flags=re.IGNORECASE))


def mentioned_audience(question: str, saved: Iterable[str]) -> str | None:
    """The saved audience a question names ("write an SMS for VIP lapsed"), longest first;
    a name must stand as a word (or be quoted) in Latin text."""
    lowered = question.casefold()
    for name in sorted(saved, key=len, reverse=True):
        key = name.casefold()
        start = lowered.find(key)
        while start >= 0:
            before = lowered[start - 1] if start else " "
            after = lowered[start + len(key)] if start + len(key) < len(lowered) else " "
            if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
                return name
            start = lowered.find(key, start + 1)
    return None


_ANY_COMMAND = ScreenedGroup([_SAVE_EN, _SAVE_EN_NAMELESS, _SAVE_ZH, _SAVE_ZH_NOUN, _LIST_EN, _LIST_ZH, _RENAME_EN,
                              _RENAME_ZH, _DELETE_EN, _DELETE_ZH, _EXPORT_EN, _EXPORT_ZH])
"""Every pattern a command is read with: each reader returns a command only when one of its
patterns matches, so a text none of them may match (``genbi.screened``: its needles are
absent) is no command."""
