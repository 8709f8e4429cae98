"""Reading watch commands in a chat message, in English and Chinese.

- pin the last answer: "pin this to 'Weekly'", "add it to the Weekly dashboard", "把这个固定到周报看板";
- a scheduled report: "tell me every Monday how revenue by channel did", "每周一告诉我各渠道的销售额";
- a threshold alert: "alert me when daily ROAS on douyin drops below 2", "抖音每日ROAS低于2时提醒我";
- managing them: "list my monitors", "pause monitor 3", "删除提醒 3".

Only the command is read here; the question inside a report or alert goes to the planner
like any other question. A message that is none of these returns None and is answered
normally, so the patterns need a verb aimed at genbi ("tell me", "提醒我") besides a schedule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from genbi.assistant.watch.schedule import DAYS_EN, DAYS_ZH, Schedule
from genbi.screened import Screened, ScreenedGroup

Action = Literal["list", "pause", "resume", "delete"]


@dataclass(frozen=True)
class PinCommand:
    dashboard: str


@dataclass(frozen=True)
class Condition:
    """An alert fires when the metric is ``op`` the threshold on any row of the result."""

    op: Literal["<", ">"]
    threshold: float
    percent: bool = False
    """Written as a percentage ("below 3%"): ``threshold`` is already the fraction."""


@dataclass(frozen=True)
class MonitorCommand:
    kind: Literal["report", "alert"]
    question: str
    schedule: Schedule
    condition: Condition | None = None


@dataclass(frozen=True)
class ManageCommand:
    action: Action
    monitor_id: int | None = None


Command = PinCommand | MonitorCommand | ManageCommand

_QUOTES = "'\"“”‘’「」『』"
_PIN_EN = re.compile(
    r"^(?:please\s+)?(?:pin|add|save|put)\s+(?:this|that|it|the\s+(?:last\s+)?(?:answer|chart|result))"
    r"(?:\s+(?:answer|chart|result))?\s+(?:to|on|onto|in|into)\s+(?:the\s+|my\s+)?(?:dashboard\s+)?"
    r"(?P<name>.+?)(?:\s+dashboard)?\s*[.!]?$", re.IGNORECASE)
_PIN_ZH = re.compile(
    r"^(?:请)?(?:把|将)?(?:这个|这条|它|上面的?|刚才的?|这)?(?:结果|答案|图表?|数据)?"
    r"(?:固定|钉|添加|加|保存|放)(?:到|在|进)(?P<name>.+?)(?:看板|仪表盘|仪表板|dashboard)?[。！!]?$")

_NUMBER = r"(?P<number>-?\d[\d,]*(?:\.\d+)?)\s*(?P<scale>%|k|K|m|M|万|亿|千)?"
_BELOW_EN = r"(?:drops?|falls?|goes|is|gets|dips?)?\s*(?:below|under|less than|lower than|beneath)"
_ABOVE_EN = r"(?:rises?|goes|is|gets|climbs?|jumps?)?\s*(?:above|over|more than|higher than|greater than|exceeds?)"
_ALERT_EN = re.compile(
    r"^(?:please\s+)?(?:alert|notify|warn|ping|tell|message)\s+(?:me|us)\s+(?:when|if|whenever)\s+(?P<what>.+?)\s+"
    rf"(?:(?P<below>{_BELOW_EN})|(?P<above>{_ABOVE_EN}))\s+{_NUMBER}\s*(?P<rest>.*?)[.!?]?$", re.IGNORECASE)
_ALERT_EN_LET = re.compile(
    r"^(?:please\s+)?let\s+(?:me|us)\s+know\s+(?:when|if|whenever)\s+(?P<what>.+?)\s+"
    rf"(?:(?P<below>{_BELOW_EN})|(?P<above>{_ABOVE_EN}))\s+{_NUMBER}\s*(?P<rest>.*?)[.!?]?$", re.IGNORECASE)
_ALERT_ZH = Screened(
    r"^(?:请)?(?:在|当|如果|一旦)?(?P<what>.+?)(?:(?P<below>低于|跌破|跌到|小于|少于|不到|降到)|(?P<above>高于|超过|大于|多于|突破|超出))"
    rf"\s*{_NUMBER}\s*(?:时|的时候|以下|以上)?[,，]?\s*(?:就|请)?(?:提醒|通知|告诉|告警|报警)(?:我|我们)?(?P<rest>.*?)[。！!]?$")

_CUE_EN = (r"(?:tell|send|show|give|email|message|remind|update|brief)\s+(?:me|us)(?:\s+(?:about|on))?"
           r"|report(?:\s+(?:to\s+(?:me|us)\s+)?on)?|post(?:\s+here)?")
_CUE_ZH = r"告诉我们?|发给我们?|发我|推送给?我?|提醒我|通知我|报告|汇报|发一?下"
_DAY_EN = (r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs?(?:day)?)?|fri(?:day)?"
           r"|sat(?:urday)?|sun(?:day)?)")
_EVERY_EN = re.compile(
    rf"\b(?:every|each)\s+(?:(?P<dow>{_DAY_EN})|(?P<unit>day|morning|weekday|working\s+day|business\s+day|week|month))\b"
    rf"|\bon\s+(?P<dows>{_DAY_EN})s\b|\b(?P<adverb>daily|weekly|monthly)\b", re.IGNORECASE)
_EVERY_ZH = re.compile(r"每(?:个)?(?:(?P<unit>天|日|工作日|周|星期|礼拜|月)(?P<dow>[一二三四五六日天])?)(?:(?P<mday>\d{1,2})(?:号|日))?")
_TIME_EN = re.compile(r"\bat\s+(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
_TIME_ZH = Screened(r"(?P<part>早上|上午|中午|下午|晚上)?(?P<h>\d{1,2})(?:点|:|：)(?:(?P<m>\d{1,2})分?|半)?")
_MANAGE_EN = re.compile(
    r"^(?:please\s+)?(?P<verb>list|show|pause|stop|mute|resume|restart|unpause|delete|remove|cancel)\s+"
    r"(?:(?:all|my|the)\s+)?(?:scheduled\s+)?(?:monitors?|alerts?|reports?|schedules?)\s*(?:#|no\.?\s*)?(?P<id>\d+)?\s*[.!?]?$",
    re.IGNORECASE)
_MANAGE_EN_WHAT = re.compile(r"^what\s+(?:monitors|alerts|reports|schedules)\s+(?:do\s+i|have\s+i)\b.*$", re.IGNORECASE)
_MANAGE_ZH = re.compile(
    r"^(?:请)?(?P<verb>列出|查看|看看|显示|我的|暂停|停止|恢复|继续|删除|取消)(?:一下)?(?:我的|所有的?)?"
    r"(?:定时)?(?:监控|提醒|告警|报告|推送)(?:列表)?\s*(?:#|第)?(?P<id>\d+)?(?:号|个)?[。！!？?]?$")
_VERBS = {"list": "list", "show": "list", "列出": "list", "查看": "list", "看看": "list", "显示": "list",
          "我的": "list", "pause": "pause", "stop": "pause", "mute": "pause", "暂停": "pause", "停止": "pause",
          "resume": "resume", "restart": "resume", "unpause": "resume", "恢复": "resume", "继续": "resume",
          "delete": "delete", "remove": "delete", "cancel": "delete", "删除": "delete", "取消": "delete"}


def read_command(message: str) -> Command | None:
    """The watch command ``message`` gives, or None when it is an ordinary question."""
    text = " ".join(message.strip().split())
    if not text or not _ANY_COMMAND.candidates(text):
        return None  # no pattern a command needs can match: an ordinary question (most messages)
    return _manage(text) or _pin(text) or _alert(text) or _unusual(text) or _report(text)


def _pin(text: str) -> PinCommand | None:
    found = _PIN_EN.match(text) or _PIN_ZH.match(text)
    if found is None:
        return None
    name = found.group("name").strip().strip(_QUOTES).strip()
    return PinCommand(name) if name else None


def _manage(text: str) -> ManageCommand | None:
    if _MANAGE_EN_WHAT.match(text):
        return ManageCommand("list")
    found = _MANAGE_EN.match(text) or _MANAGE_ZH.match(text)
    if found is None:
        return None
    action: Action = _VERBS[found.group("verb").lower()]  # type: ignore[assignment]
    number = int(found.group("id")) if found.group("id") else None
    if action == "list":
        return ManageCommand("list") if number is None else None
    return ManageCommand(action, number) if number is not None else None


def _alert(text: str) -> MonitorCommand | None:
    found = _ALERT_EN.match(text) or _ALERT_EN_LET.match(text) or _ALERT_ZH.match(text)
    if found is None:
        return None
    threshold, percent = _threshold(found.group("number"), found.group("scale"))
    schedule, what = _schedule(f"{found.group('what')} {found.group('rest') or ''}".strip(), alert=True)
    question = _strip_filler(what)
    if not question:
        return None
    condition = Condition("<" if found.group("below") else ">", threshold, percent)
    return MonitorCommand("alert", question, schedule or Schedule(every="day"), condition)


_UNUSUAL = r"(?:unusual|anomalous|abnormal|odd|strange|weird|out of the ordinary)"
_UNUSUAL_EN = re.compile(
    r"^(?:please\s+)?(?:alert|notify|warn|ping|tell|message)\s+(?:me|us)\s+(?:when(?:ever)?|if|about)\s+"
    rf"(?:(?:there\s+(?:is|are)\s+)?(?:anything|something)?\s*{_UNUSUAL}\s+(?:days?\s+|happens?\s+|changes?\s+)?"
    rf"(?:in|on|to|for|with|of)\s+(?P<what>.+?)|(?P<subject>.+?)\s+(?:looks?|is|goes|gets|seems?)\s+{_UNUSUAL})"
    r"\s*[.!?]?$", re.IGNORECASE)
_UNUSUAL_ZH = Screened(r"^(?:请)?(?:当|如果|一旦)?(?P<what>.+?)(?:出现|有|发生)?(?:异常|反常|不正常)(?:的日子|情况)?"
                         r"(?:时|的时候)?[,，]?\s*(?:就|请)?(?:提醒|通知|告诉|告警|报警)(?:我|我们)?[。！!]?$")


def _unusual(text: str) -> MonitorCommand | None:
    """"alert me about unusual days in daily ROAS on douyin" → the anomalies tool, checked on
    every run for unusual days in the period just closed."""
    found = _UNUSUAL_EN.match(text) or _UNUSUAL_ZH.match(text)
    if found is None:
        return None
    english = found.re is _UNUSUAL_EN
    what = (found.groupdict().get("what") or found.groupdict().get("subject") or "").strip()
    schedule, what = _schedule(what, alert=True)
    what = _strip_filler(what)
    if not what:
        return None
    question = f"unusual days in {what}" if english else f"{what}有没有异常的日子"
    return MonitorCommand("alert", question, schedule or Schedule(every="day"))


def _report(text: str) -> MonitorCommand | None:
    schedule, rest = _schedule(text, alert=False)
    if schedule is None:
        return None
    cue = re.search(rf"\b(?:{_CUE_EN})\b", rest, re.IGNORECASE) or re.search(_CUE_ZH, rest)
    if cue is None:
        return None
    question = _strip_filler(rest[:cue.start()] + " " + rest[cue.end():])
    question = _REPORT_NOUN.sub(" ", question).strip()
    return MonitorCommand("report", _strip_filler(question), schedule) if question else None


_REPORT_NOUN = re.compile(r"^(?:an?\s+)?(?:report|summary|digest|update)\s+(?:of|on|about)?\s*", re.IGNORECASE)


def _schedule(text: str, *, alert: bool) -> tuple[Schedule | None, str]:
    """The schedule named in ``text`` and the text without it (and without its time of day).

    "daily" / "每日" before a metric is also its grain ("daily ROAS" is ROAS by day): an
    alert keeps those words in its question, and a report takes them as a schedule only
    with a report noun ("a weekly report of …"), never in "show me weekly revenue".
    """
    hour, minute, text = _time_of_day(text)
    english = _EVERY_EN.search(text)
    if english is not None and english.group("adverb"):
        after = text[english.end():]
        if not alert and not re.match(r"\s*(?:report|summary|digest|update)\b", after, re.IGNORECASE):
            english = None
    if english is not None:
        schedule = _english_schedule(english, hour, minute)
        if english.group("adverb") and alert:
            return schedule, text
        return schedule, (text[:english.start()] + " " + text[english.end():]).strip()
    chinese = next((m for m in _EVERY_ZH.finditer(text) if not text[m.end():].startswith("的")), None)
    if chinese is not None:
        schedule = _chinese_schedule(chinese, hour, minute)
        if alert and not (chinese.group("dow") or chinese.group("mday")):
            return schedule, text
        return schedule, (text[:chinese.start()] + text[chinese.end():]).strip()
    return None, text


def _english_schedule(found: re.Match[str], hour: int, minute: int) -> Schedule:
    named = found.group("dow") or found.group("dows")
    if named and named[:3].lower() in [d[:3].lower() for d in DAYS_EN]:
        day = [d[:3].lower() for d in DAYS_EN].index(named[:3].lower())
        return Schedule(every="week", day_of_week=day, hour=hour, minute=minute)
    unit = (found.group("unit") or found.group("adverb") or "day").lower()
    if unit in ("weekday", "working day", "business day") or unit.startswith(("working", "business")):
        return Schedule(every="weekday", hour=hour, minute=minute)
    if unit in ("week", "weekly"):
        return Schedule(every="week", day_of_week=0, hour=hour, minute=minute)
    if unit in ("month", "monthly"):
        return Schedule(every="month", day=1, hour=hour, minute=minute)
    return Schedule(every="day", hour=hour, minute=minute)


def _chinese_schedule(found: re.Match[str], hour: int, minute: int) -> Schedule:
    unit, dow, mday = found.group("unit"), found.group("dow"), found.group("mday")
    if unit in ("周", "星期", "礼拜"):
        day = DAYS_ZH.index("日" if dow == "天" else dow) if dow else 0
        return Schedule(every="week", day_of_week=day, hour=hour, minute=minute)
    if unit == "月":
        return Schedule(every="month", day=min(max(int(mday), 1), 28) if mday else 1, hour=hour, minute=minute)
    if unit == "工作日":
        return Schedule(every="weekday", hour=hour, minute=minute)
    return Schedule(every="day", hour=hour, minute=minute)


def _time_of_day(text: str) -> tuple[int, int, str]:
    """(hour, minute) named in ``text`` (09:00 when none) and the text without it."""
    found = _TIME_EN.search(text)
    if found is not None:
        hour, ampm = int(found.group("h")), (found.group("ampm") or "").lower()
        hour = hour % 12 + (12 if ampm.startswith("p") else 0) if ampm else hour
        minute = int(found.group("m") or 0)
    else:
        found = _TIME_ZH.search(text)
        if found is None:
            return 9, 0, text
        hour = int(found.group("h"))
        hour += 12 if found.group("part") in ("下午", "晚上") and hour < 12 else 0
        minute = 30 if found.group(0).endswith("半") else int(found.group("m") or 0)
    if hour > 23 or minute > 59:
        return 9, 0, text
    return hour, minute, (text[:found.start()] + " " + text[found.end():]).strip()


def _threshold(number: str, scale: str | None) -> tuple[float, bool]:
    value = float(number.replace(",", ""))
    factor = {"%": 0.01, "k": 1e3, "K": 1e3, "千": 1e3, "m": 1e6, "M": 1e6, "万": 1e4, "亿": 1e8}.get(scale or "", 1.0)
    return value * factor, scale == "%"


_FILLER_EN = re.compile(r"^(?:(?:how|what)\s+(?:did\s+|was\s+|were\s+|is\s+|are\s+)?|about\s+|on\s+|the\s+|me\s+)+"
                        r"|\s+(?:did|went|was|were|is|are|does|do|looks?|goes|going|performed|is\s+doing|did\s+last\s+\w+)\s*$",
                        re.IGNORECASE)
_FILLER_ZH = re.compile(r"^(?:[,，:：]|的|一下|下|把|我|给我)+|(?:[,，:：]|怎么样|如何|情况|表现|的情况|吧|一下)+$")


def _strip_filler(text: str) -> str:
    """"how revenue by channel did" → "revenue by channel"; "，各渠道的销售额怎么样" → "各渠道的销售额"."""
    clean = text.strip(" ,.;:!?，。：；！？")
    for _ in range(3):
        clean = _FILLER_ZH.sub("", _FILLER_EN.sub("", clean)).strip(" ,.;:!?，。：；！？")
    return clean


_ANY_COMMAND = ScreenedGroup([_MANAGE_EN_WHAT, _MANAGE_EN, _MANAGE_ZH, _PIN_EN, _PIN_ZH, _ALERT_EN, _ALERT_EN_LET,
                              _ALERT_ZH.pattern, _UNUSUAL_EN, _UNUSUAL_ZH.pattern, _EVERY_EN, _EVERY_ZH])
"""What each reader needs to match: a manage, pin, alert or unusual-days pattern, or for a
report a schedule (``_schedule`` finds one only where ``_EVERY_EN`` or ``_EVERY_ZH`` matches
the text, less its time of day: removing a part joins the rest with a space, and no needle of
the two holds a space, so a needle of the shortened text was in the text). A message none of
them may match (``genbi.screened``) is no command."""
