"""Parts of the week: "by day of week", "weekends vs weekdays", "on weekends", "星期几", "周末".

A part of the week is no period: it splits or filters every period by the weekday each
row's own date falls on (``TimeGrain.WEEKDAY`` / ``TimeGrain.DAY_TYPE`` on ``metric_time``).
Read here as what the question says; the assembler adds the split to the breakdown and
the filter to the filters, beside any period and grain ("weekend revenue by month in 2025").

- A split: "by day of week", "which day of the week", "weekday breakdown", "星期几", "周几",
  "按星期"; both halves said together ("weekends vs weekdays", "工作日和周末") split by the
  kind of day.
- A filter: "on weekends", "weekend orders", "weekdays only", "Saturdays and Sundays",
  "周末", "工作日", "双休日"; "Mondays" / "every Monday" / "每周一" the one weekday.

"Monday" alone, "上周一", "this weekend", "上周末" name a date, not every such day: they
are left to the period reader (and decline there when no period is read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from genbi.screened import ScreenedGroup
from genbi.semantic_layer.query_spec import DAY_TYPES, WEEKDAY_NAMES, TimeGrain


@dataclass(frozen=True)
class PartMention:
    """A part of the week said: a split (``values`` empty) or a filter on those values."""

    start: int
    end: int
    part: TimeGrain
    values: tuple[str, ...] = ()

    @property
    def split(self) -> bool:
        return not self.values


_DAY_EN = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_DAY_ZH = r"[一二三四五六日天1-7]"
_ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
            "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_WEEKEND_EN = r"(?:weekends?|week-ends?|sat(?:urday)?s?\s?(?:and|&|\+|/|or)\s?sun(?:day)?s?)"
_WEEKDAY_EN = r"(?:weekdays|week-days|working days|workdays|business days|mon(?:day)?s?\s?(?:-|to|through|thru)\s?fri(?:day)?s?)"
_WEEKEND_ZH = r"(?:周末|双休日?|礼拜六日|星期六日|周六日|周六周日|星期六和星期日|周六和周日)"
_WEEKDAY_ZH = r"(?:工作日|平日|周一到周五|周一至周五|星期一到星期五)"
_JOIN = r"\s?(?:vs\.?|versus|v\.?|and|or|against|compared (?:to|with)|/|&|和|与|跟|及|或|对比|比|、|vs)\s?"

_SPLIT_DAY_TYPE = re.compile(
    rf"\b{_WEEKEND_EN}{_JOIN}(?:the\s)?(?:{_WEEKDAY_EN}|weekday)\b|\b(?:{_WEEKDAY_EN}|weekday){_JOIN}(?:the\s)?{_WEEKEND_EN}\b"
    rf"|{_WEEKEND_ZH}{_JOIN}{_WEEKDAY_ZH}|{_WEEKDAY_ZH}{_JOIN}{_WEEKEND_ZH}"
    r"|\b(?:weekend|weekday)\s(?:vs\.?\s)?(?:split|breakdown|mix)\b|\bday type\b|\btype of day\b"
)
_SPLIT_WEEKDAY = re.compile(
    r"\b(?:days?|day-of|dow)[- ]of[- ](?:the\s)?week\b|\bday-of-week\b|\bdow\b"
    r"|\b(?:by|per|each|every|which|what|across|busiest|best|worst|slowest|top)\s(?:the\s)?weekdays?\b"
    r"|\bweekdays? (?:breakdown|split|pattern)\b"
    r"|星期几|周几|礼拜几|按周几|(?:每|一)周(?:的)?各天|一周(?:中|里|内)?(?:的)?(?:哪|每)(?:一)?天|周一到周日|星期一到星期日"
)
_SPLIT_HOUR = re.compile(
    r"\b(?:by|per|each|every|which|what|across|busiest|peak|best|worst|top|slowest|quietest)\s(?:the\s)?hours?(?:\s(?:of|in)\s(?:the\s)?day)?\b"
    r"|\bhours? of (?:the )?day\b|\bhour-of-day\b|\bhourly\b|\btime of (?:the )?day\b"
    r"|每个?小时段?|按小时段?|分小时段?|各(?:个)?小时段?|几点(?:钟)?|哪个?时段|各时段|分时段|哪(?:个|1个)?小时段?|小时分布|24小时分布"
)
""""orders by hour of day", "which hour brings the most revenue", "每个小时的下单量", "几点下单最多":
the hour of the day each row's time falls in (a split; a timestamp's, never a date's)."""
_WEEKEND = re.compile(rf"\b{_WEEKEND_EN}\b|(?<![上下本这这个])(?<!这个){_WEEKEND_ZH}")
_WEEKDAYS = re.compile(rf"\b{_WEEKDAY_EN}\b|\bweekday\b|{_WEEKDAY_ZH}")
_EVERY_DAY_EN = re.compile(rf"\b(?:every|each|on all)\s({_DAY_EN})\b|\b({_DAY_EN})s\b")
_EVERY_DAY_ZH = re.compile(rf"(?:每|每个|每逢|逢)(?:周|星期|礼拜)({_DAY_ZH})")
_THIS_WEEKEND = re.compile(r"\b(?:this|last|next|that|the past|past|previous)\s(?:weekend|week-end)\b"
                           r"|\b(?:weekend|week-end) before (?:last|that|it|this)\b|\b\d (?:weekends|week-ends) ago\b"
                           r"|\b(?:last|previous) but (?:1|one) (?:weekend|week-end)\b")
""""this weekend", "last weekend", "the weekend before last", "2 weekends ago": the days of one week,
a date the period reader must read."""


_READERS: tuple[tuple[re.Pattern[str], TimeGrain, tuple[str, ...]], ...] = (
    (_SPLIT_DAY_TYPE, TimeGrain.DAY_TYPE, ()),
    (_SPLIT_WEEKDAY, TimeGrain.WEEKDAY, ()),
    (_SPLIT_HOUR, TimeGrain.HOUR, ()),
    (_WEEKEND, TimeGrain.DAY_TYPE, (DAY_TYPES[1],)),
    (_WEEKDAYS, TimeGrain.DAY_TYPE, (DAY_TYPES[0],)),
)
"""Splits first (they hold the filter words), then the kinds of day filtered on."""


_PATTERNS = (_THIS_WEEKEND, *(pattern for pattern, _, _ in _READERS), _EVERY_DAY_EN, _EVERY_DAY_ZH)
_GROUP = ScreenedGroup(_PATTERNS)
"""Which of the patterns may match a text, in one look (``genbi.screened``)."""


def find_parts(text: str, taken: list[bool]) -> list[PartMention]:
    """Parts of the week in ``text`` outside what other readers took, first to last."""
    may = {id(_PATTERNS[index]) for index in _GROUP.candidates(text)}
    if not may:
        return []  # most questions: no word of a part of the week
    free = [not t for t in taken]
    for match in _THIS_WEEKEND.finditer(text) if id(_THIS_WEEKEND) in may else ():  # one weekend: a date
        free[match.start():match.end()] = [False] * (match.end() - match.start())

    def claimed(pattern: re.Pattern[str]) -> list[re.Match[str]]:
        if id(pattern) not in may:
            return []  # its words are not in the text: no match
        out = []
        for match in pattern.finditer(text):
            if all(free[match.start():match.end()]):
                free[match.start():match.end()] = [False] * (match.end() - match.start())
                out.append(match)
        return out

    found = [PartMention(m.start(), m.end(), part, values)
             for pattern, part, values in _READERS for m in claimed(pattern)]
    days = [(m.start(), m.end(), _english_day(m.group(1) or m.group(2))) for m in claimed(_EVERY_DAY_EN)]
    days += [(m.start(), m.end(), WEEKDAY_NAMES[_ZH_DAYS[m.group(1)]]) for m in claimed(_EVERY_DAY_ZH)]
    if days:
        names = tuple(n for n in WEEKDAY_NAMES if n in {d[2] for d in days})
        found.append(PartMention(min(d[0] for d in days), max(d[1] for d in days), TimeGrain.WEEKDAY, names))
    return sorted(found, key=lambda m: m.start)


def _english_day(word: str) -> str:
    return next(n for n in WEEKDAY_NAMES if n.lower().startswith(word[:3]))
