"""Where a period said is not the period read: one side open, a whole week of a month, a hole.

- "signed up before 2024", "2024年之前注册的": the joining period open on one side
  (``open_side``), everyone who joined before its first day.
- "the first week of December": the month's first Monday-to-Sunday week when that is also its
  first seven days (``whole_weeks``); else which week is meant is unsaid, and it stays unplaced.
- "2025 except for december", "今年除双11以外": a period with a hole, which no spec holds
  (``excluded``): read as a period it answered the very one left out, so it is declined.
- "the last 7 days (including today)", "最近一周（含今天）": a period said only to say another
  one holds it (``inclusive_edges``) is no period of its own: read as one, the narrower won and
  the answer was today's alone.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta

from genbi.assistant.planner import cues
from genbi.assistant.planner.timeparse import TimeMention
from genbi.semantic_layer.query_spec import TimeRange

BEFORE_WORDS = frozenset({"before", "prior to", "之前", "以前", "前"})


def open_side(mention: TimeMention, side: str, as_of: date) -> TimeMention | None:
    """The joining period ``mention`` opened on one side: before it ends the day before it
    starts; after it starts the day after it ends (never the period itself, which would count
    only those who joined within it). "Before last year" is before that year's first day."""
    if mention.time_range is None:
        return None
    first, last = mention.time_range.resolve(as_of)
    if first is None or last is None:
        return None
    if side in BEFORE_WORDS:
        return dataclasses.replace(mention, time_range=TimeRange(end=first - timedelta(days=1)))
    return dataclasses.replace(mention, time_range=TimeRange(start=last + timedelta(days=1)))


def excluded(text: str, mention: TimeMention) -> str:
    """The words that leave the period ``mention`` out ("except for december", "除双11以外"), or ""."""
    window = max(0, mention.start - 30)
    if (before := cues.NEGATION.search(text[window:mention.start])) is not None:
        return text[window + before.start():mention.end].strip()
    if (after := cues.NEGATION_AFTER.match(text[mention.end:])) is not None:
        return text[mention.start:mention.end + after.end()].strip()
    return ""


_INCLUDING_BEFORE = re.compile(
    r"(?<!not )(?<!not\s)\b(?:including|incl\.?|inclusive of|counting)\s$|(?<![不未])(?:包括|包含|含|算上|连同)\s?$"
)
_INCLUDING_AFTER = re.compile(r"^\s?(?:included|inclusive|counted|in it|在内|也算上?|也包括在内)")


def inclusive_edges(text: str, times: list[TimeMention], as_of: date) -> list[TimeMention]:
    """``times`` without the ones said only to say that another period said holds them
    ("last 7 days including today", "近30天（含今天）", "this month, today included"): the
    inclusion names an edge of the wider period, not a second period to narrow it to. A period
    said with "including" that no other holds is kept (read as before)."""
    kept = list(times)
    for mention in times:
        if mention.time_range is None or not (_INCLUDING_BEFORE.search(text[max(0, mention.start - 14):mention.start])
                                              or _INCLUDING_AFTER.match(text[mention.end:])):
            continue
        first, last = mention.time_range.resolve(as_of)
        if first is None or last is None:
            continue
        if any(other is not mention and other.time_range is not None and _holds(other.time_range, first, last, as_of)
               for other in kept):
            kept.remove(mention)
    return kept


def _holds(wider: TimeRange, first: date, last: date, as_of: date) -> bool:
    start, end = wider.resolve(as_of)
    return (start is None or start <= first) and (end is None or last <= end) and (start, end) != (first, last)


_WEEK_OF_BEFORE = re.compile(r"\b(?:the\s)?(first|1st|last|final)\s(full\s|whole\s|complete\s)?week\s(?:of|in)\s(?:the\s)?$")
_WEEK_OF_AFTER_ZH = re.compile(r"\s?的?(第1|最后1?)(?:个)?(?:周|星期)")


def week_said_after(text: str, end: int) -> tuple[int, int] | None:
    """Where "第1周", "最后1周" is said right after a period ending at ``end``: a week of that
    month, whose "第1" is no ranking's first place ("12月第1周的订单数" is no top-1)."""
    said = _WEEK_OF_AFTER_ZH.match(text, end)
    return said.span() if said else None


def whole_weeks(text: str, times: list[TimeMention], as_of: date) -> tuple[list[TimeMention], list[str]]:
    """``times`` with "the first week of December", "2025年8月最后一周" read as that week where it
    can only be one Monday-to-Sunday week (``week_of_month``), and the Chinese words so read
    (no longer unknown)."""
    out, read = list(times), []
    for mention in times:
        if mention not in out:
            continue
        before, after = _WEEK_OF_BEFORE.search(text[:mention.start]), _WEEK_OF_AFTER_ZH.match(text, mention.end)
        said = before or after
        if said is None or mention.time_range is None:
            continue
        whole = bool(before and before.group(2))
        week = week_of_month(mention.time_range, said.group(1) in ("first", "1st", "第1"), as_of, whole=whole)
        if week is None:
            continue
        start, end = before.start() if before else mention.start, after.end() if after else mention.end
        kept = TimeMention(start, end, time_range=week)
        out[out.index(mention)] = kept
        out = [t for t in out if t is kept or not (t.start < end and start < t.end)]  # "last week" of "the last week of"
        if after:
            read.append(after.group())
    return out, read


def week_of_month(period: TimeRange, first: bool, as_of: date, *, whole: bool = False) -> TimeRange | None:
    """The month's first (or last) week when it is a whole Monday-to-Sunday week, else None;
    "the first full week": the first Monday-to-Sunday week inside the month, whatever day it starts.

    >>> week_of_month(TimeRange(start=date(2025, 12, 1), end=date(2025, 12, 31)), True, date(2025, 12, 31))
    TimeRange(start=datetime.date(2025, 12, 1), end=datetime.date(2025, 12, 7), relative=None)
    """
    start, end = period.resolve(as_of)
    if start is None or end is None or start.day != 1 or (end + timedelta(days=1)).day != 1 or end.month != start.month:
        return None
    if whole:
        start, end = start + timedelta(days=-start.weekday() % 7), end - timedelta(days=(end.weekday() + 1) % 7)
    if first and start.weekday() == 0:
        return TimeRange(start=start, end=start + timedelta(days=6))
    if not first and end.weekday() == 6:
        return TimeRange(start=end - timedelta(days=6), end=end)
    return None
