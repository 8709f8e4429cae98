"""Time expressions in English and Chinese: periods, relative periods, ranges and grains.

Relative forms become ``RelativeTime`` (resolved against the as-of date by the compiler,
per the warehouse contract); calendar forms become inclusive ``TimeRange`` dates. Works on
text already passed through ``text.normalize`` (lower case, digits for numerals).
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from genbi.assistant.planner.text import blank_taken
from genbi.screened import Screened, ScreenedGroup
from genbi.semantic_layer.query_spec import MAX_PERIODS_BACK, RelativeTime, TimeGrain, TimeRange

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_BARE_MONTHS = [m for m in MONTHS if m not in ("may", "mar", "march")]
"""Month names read alone ("Dec vs Nov"); not words that are also verbs ("may", "march")."""
_UNIT_EN = {"day": TimeGrain.DAY, "week": TimeGrain.WEEK, "month": TimeGrain.MONTH,
            "quarter": TimeGrain.QUARTER, "year": TimeGrain.YEAR}
_UNIT_ZH = {"天": TimeGrain.DAY, "日": TimeGrain.DAY, "周": TimeGrain.WEEK, "星期": TimeGrain.WEEK,
            "个月": TimeGrain.MONTH, "月": TimeGrain.MONTH, "个季度": TimeGrain.QUARTER,
            "季度": TimeGrain.QUARTER, "年": TimeGrain.YEAR}
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4}
_UNIT_LABEL_ZH = {TimeGrain.DAY: "天", TimeGrain.WEEK: "周", TimeGrain.MONTH: "个月",
                  TimeGrain.QUARTER: "个季度", TimeGrain.YEAR: "年"}


@dataclass(frozen=True)
class Period:
    """A calendar period named in the question; ``year`` may be missing ("in March")."""

    unit: TimeGrain
    year: int | None
    index: int = 1
    """Month 1-12 (units DAY and MONTH) or quarter 1-4."""
    dom: int = 1
    """Day of the month, for unit DAY."""
    months: int = 0
    """For halves: 6."""
    days: int = 1
    """For unit DAY: how many days from ``dom`` (a 7-day holiday)."""
    to_month_end: bool = False
    """For unit DAY: the days run to the month's end ("下旬"); with ``dom`` 0, the last ``days``."""
    nth_weekday: tuple[int, int, int] | None = None
    """For unit DAY: a day that moves with the calendar, as (weekday 0=Monday, n, days after):
    Black Friday is the day after November's 4th Thursday, (3, 4, 1); ``dom`` is then worked
    out for each year."""

    def bounds(self, as_of: date) -> tuple[date, date]:
        year = self.year if self.year is not None else self._default_year(as_of)
        if self.nth_weekday is not None:
            return self.with_year(year).bounds(as_of) if self.year is None else self._fixed(year).bounds(as_of)
        if self.unit == TimeGrain.DAY and self.to_month_end:
            last = date(year, self.index, calendar.monthrange(year, self.index)[1])
            first = last - timedelta(days=self.days - 1) if self.dom == 0 else date(year, self.index, self.dom)
            return first, last
        if self.unit == TimeGrain.DAY:
            day = date(year, self.index, self.dom)
            return day, day + timedelta(days=self.days - 1)
        if self.unit == TimeGrain.YEAR:
            return date(year, 1, 1), date(year, 12, 31)
        first_month = 3 * (self.index - 1) + 1 if self.unit == TimeGrain.QUARTER else self.index
        span = self.months or (3 if self.unit == TimeGrain.QUARTER else 1)
        last_month = first_month + span - 1
        return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])

    def with_year(self, year: int) -> Period:
        return dataclasses.replace(self, year=year)

    def _fixed(self, year: int) -> Period:
        """The moving day of ``year`` as a plain day of the month."""
        assert self.nth_weekday is not None
        weekday, n, after = self.nth_weekday
        first = date(year, self.index, 1)
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1) + after)
        return Period(self.unit, year, day.month, day.day, days=self.days)

    def _default_year(self, as_of: date) -> int:
        """The most recent such period that has started by the as-of date."""
        if self.nth_weekday is not None:
            return as_of.year if self._fixed(as_of.year).bounds(as_of)[0] <= as_of else as_of.year - 1
        first_month = 3 * (self.index - 1) + 1 if self.unit == TimeGrain.QUARTER else self.index
        if self.unit == TimeGrain.DAY:
            return as_of.year if (first_month, max(self.dom, 1)) <= (as_of.month, as_of.day) else as_of.year - 1
        return as_of.year if first_month <= as_of.month else as_of.year - 1


def _half(word: str) -> int:
    """The first month of a half named "first"/"front"/"1st" (1) or "second"/"back"/"latter" (7)."""
    return 1 if word in ("first", "front", "1st") else 7


def _month_days(year: str | None, month: int, n: int, *, first: bool) -> Period:
    """"the first 10 days of December", "12月前10天", "the last 7 days of November": that many
    days from the month's start or to its end (more days than the month has is no period)."""
    if not 1 <= n <= 28:
        raise ValueError("a part of a month is at most 28 days")
    return Period(TimeGrain.DAY, int(year) if year else None, month, 1 if first else 0, days=n,
                  to_month_end=not first)


def _month_span(m: re.Match[str]) -> Period:
    """"10-12月", "2025年10到12月": the months from the first to the last, one period (read as
    the last month alone, the first two were dropped without a word)."""
    first, last = int(m[2]), int(m[3])
    if last <= first:
        raise ValueError("a span of months runs forward")
    return Period(TimeGrain.MONTH, int(m[1]) if m[1] else None, first, months=last - first + 1)


def _dekad(year: str | None, month: int, part: str) -> Period:
    """"12月上旬/中旬/下旬": days 1-10, 11-20, 21 to the month's end."""
    if part == "上":
        return Period(TimeGrain.DAY, int(year) if year else None, month, 1, days=10)
    if part == "中":
        return Period(TimeGrain.DAY, int(year) if year else None, month, 11, days=10)
    return Period(TimeGrain.DAY, int(year) if year else None, month, 21, to_month_end=True)


def _day(year: str | int | None, month: str | int, dom: str | int) -> Period:
    period = Period(TimeGrain.DAY, int(year) if year else None, int(month), int(dom))
    period.bounds(date(2000, 1, 1) if period.year is None else date(period.year, 12, 31))
    return period


@dataclass(frozen=True)
class TimeMention:
    """A time expression found in the question, with its character span."""

    start: int
    end: int
    time_range: TimeRange | None = None
    grain: TimeGrain | None = None
    trend: bool = False
    parts: tuple[TimeRange, ...] = ()
    """For "from A to B": A and B (a change from one to the other compares them)."""
    anchors: tuple[tuple[int, int], ...] = ()
    """Spans apart from this one that its period was read with ("last year" of "christmas
    revenue last year"): claimed with it, never a period of their own."""


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], date], TimeMention | None]


def _rel(kind: str, unit: TimeGrain, n: int = 1) -> TimeRange:
    return TimeRange(relative=RelativeTime(kind=kind, unit=unit, n=n))


def _span(match: re.Match[str], **kwargs: object) -> TimeMention:
    return TimeMention(match.start(), match.end(), **kwargs)  # type: ignore[arg-type]


def _period_range(first: Period, last: Period, as_of: date) -> TimeRange:
    if first.year is None and last.year is not None:
        first = first.with_year(last.year)
    if last.year is None and first.year is not None:
        last = last.with_year(first.year)
    start, _ = first.bounds(as_of)
    _, end = last.bounds(as_of)
    if end < start:
        raise ValueError("range ends before it starts")
    return TimeRange(start=start, end=end)


# --- periods (points) -----------------------------------------------------------------

_POINT_PATTERNS: list[tuple[str, Callable[[re.Match[str]], Period]]] = [
    (r"(\d{4})-(\d{1,2})-(\d{1,2})", lambda m: _day(m[1], m[2], m[3])),
    (r"(\d{4})/(\d{1,2})/(\d{1,2})", lambda m: _day(m[1], m[2], m[3])),
    (r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})", lambda m: _day(m[3], m[1], m[2])),
    (r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?", lambda m: _day(m[1], m[2], m[3])),
    (_MONTH + r" (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", lambda m: _day(m[3], MONTHS[m[1]], m[2])),
    (r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?" + _MONTH + r",? (\d{4})", lambda m: _day(m[3], MONTHS[m[2]], m[1])),
    (_MONTH + r" (\d{1,2})(?:st|nd|rd|th)?(?![\d:])", lambda m: _day(None, MONTHS[m[1]], m[2])),
    (r"(?<!\d年)(?<!\d)(1[0-2]|[1-9])月(\d{1,2})[日号]", lambda m: _day(None, m[1], m[2])),
    (r"q([1-4]) (?:of )?(?:fy)?(\d{4})|q([1-4]) ?'?(\d{2})\b", lambda m: Period(TimeGrain.QUARTER, int(m[2]) if m[2] else 2000 + int(m[4]), int(m[1] or m[3]))),
    (r"(\d{4}) ?q([1-4])", lambda m: Period(TimeGrain.QUARTER, int(m[1]), int(m[2]))),
    (r"(first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: of)? (\d{4})", lambda m: Period(TimeGrain.QUARTER, int(m[2]), _ORDINAL[m[1]])),
    (r"(\d{4})年?第?([1-4])季度?|(\d{4})年q([1-4])", lambda m: Period(TimeGrain.QUARTER, int(m[1] or m[3]), int(m[2] or m[4]))),
    (r"(?<![a-z\d])q([1-4])(?![\d])|(?<!\d)第([1-4])季度?|(?<![\d年上下前后近个每头末第])([1-4])季度",
     lambda m: Period(TimeGrain.QUARTER, None, int(m[1] or m[2] or m[3]))),
    (r"h([12]) (\d{4})|(\d{4}) h([12])", lambda m: Period(TimeGrain.MONTH, int(m[2] or m[3]), 1 if (m[1] or m[4]) == "1" else 7, months=6)),
    (r"(?:the )?first (\d{1,2}) days (?:of|in) " + _MONTH + r"(?:,? (\d{4}))?",
     lambda m: _month_days(m[3], MONTHS[m[2]], int(m[1]), first=True)),
    (r"(?:the )?(?:last|final) (\d{1,2}) days (?:of|in) " + _MONTH + r"(?:,? (\d{4}))?",
     lambda m: _month_days(m[3], MONTHS[m[2]], int(m[1]), first=False)),
    (r"(?:(\d{4})年)?(1[0-2]|[1-9])月(?:份)?的?(?:前|头|最初的?)(\d{1,2})天", lambda m: _month_days(m[1], int(m[2]), int(m[3]), first=True)),
    (r"(?:(\d{4})年)?(1[0-2]|[1-9])月(?:份)?的?(?:最后|后)(\d{1,2})天", lambda m: _month_days(m[1], int(m[2]), int(m[3]), first=False)),
    (r"(?:(\d{4})年)?(1[0-2]|[1-9])月(?:份)?的?(上|中|下)旬", lambda m: _dekad(m[1], int(m[2]), m[3])),
    (r"(first|second|front|back|latter|1st|2nd) half(?: of)? (\d{4})", lambda m: Period(TimeGrain.MONTH, int(m[2]), _half(m[1]), months=6)),
    (r"(?:the )?(first|second|front|back|latter|1st|2nd) half(?! of \d)", lambda m: Period(TimeGrain.MONTH, None, _half(m[1]), months=6)),
    (r"(\d{4})年?(上|下)半年", lambda m: Period(TimeGrain.MONTH, int(m[1]), 1 if m[2] == "上" else 7, months=6)),
    (_MONTH + r",? (\d{4})", lambda m: Period(TimeGrain.MONTH, int(m[2]), MONTHS[m[1]])),
    (r"(\d{4}) " + _MONTH + r"(?![a-z])", lambda m: Period(TimeGrain.MONTH, int(m[1]), MONTHS[m[2]])),
    (r"(\d{4})-(\d{1,2})(?![\d-])", lambda m: Period(TimeGrain.MONTH, int(m[1]), int(m[2]))),
    (r"(?:(\d{4})年)?(?<!\d)(1[0-2]|[1-9]) ?[-~–至到] ?(1[0-2]|[1-9])月份?(?![\d日号])", _month_span),
    (r"(\d{4})年(\d{1,2})月份?", lambda m: Period(TimeGrain.MONTH, int(m[1]), int(m[2]))),
    (r"(?<!\d年)(?<!\d)(1[0-2]|[1-9])月份?(?![\d日号])", lambda m: Period(TimeGrain.MONTH, None, int(m[1]))),
    (_MONTH + r"(?= (?:to|through|thru|until|till|and|-|~) " + _MONTH + ")", lambda m: Period(TimeGrain.MONTH, None, MONTHS[m[1]])),
    (r"(?:(?<=in )|(?<=during )|(?<=for )|(?<=since )|(?<=from )|(?<=of )|(?<=to )|(?<=and )|(?<=until )|(?<=through ))" + _MONTH + r"(?![a-z])", lambda m: Period(TimeGrain.MONTH, None, MONTHS[m[1]])),
    (r"(?:fy ?)?(?<!\d)(20\d{2})(?:年度?|财年)?(?!\d)", lambda m: Period(TimeGrain.YEAR, int(m[1]))),
    (r"(?<![a-z])(" + "|".join(sorted(_BARE_MONTHS, key=len, reverse=True)) + r")\.?(?![a-z])",
     lambda m: Period(TimeGrain.MONTH, None, MONTHS[m[1]])),
    (r"(?<!\d)(?<!\d年)(上|下)半年", lambda m: Period(TimeGrain.MONTH, None, 1 if m[1] == "上" else 7, months=6)),
]
# Shopping festivals and public holidays marketers name as periods (fixed-date ones only).
_HOLIDAYS: list[tuple[str, int, int, int]] = [
    (r"双11|11\.11|double 11|singles'? day|光棍节", 11, 11, 1),
    (r"双12|12\.12|double 12", 12, 12, 1),
    (r"妇女节|女神节|女王节|三八节|38节|women'?s day", 3, 8, 1),
    (r"(?<![\d.])618(?![\d])|(?<![\d.])6\.18(?![\d])|年中大促", 6, 18, 1),
    (r"国庆(?:节|黄金周|假期|期间)?|national day(?: holiday| week)?|golden week", 10, 1, 7),
    (r"元旦|new year'?s day", 1, 1, 1),
    (r"情人节|valentine'?s(?: day)?", 2, 14, 1),
    (r"圣诞节?|christmas(?: day)?", 12, 25, 1),
]


def _holiday(month: int, dom: int, days: int) -> Callable[[re.Match[str]], Period]:
    def build(m: re.Match[str]) -> Period:
        year = m[1] or m[2]
        return Period(TimeGrain.DAY, int(year) if year else None, month, dom, days=days)

    return build


_MOVING_DAYS: list[tuple[str, int, tuple[int, int, int]]] = [
    (r"black friday|黑色星期[五5]|黑[五5]", 11, (3, 4, 1)),  # the day after Thanksgiving (4th Thursday)
    (r"cyber monday|网络星期[一1]", 11, (3, 4, 4)),
    (r"thanksgiving(?: day)?|感恩节", 11, (3, 4, 0)),
]
"""Named days whose date moves each year: (words, month, ``Period.nth_weekday``)."""

NAMED_DAY = re.compile("|".join([f"(?:{words})" for words, _, _, _ in _HOLIDAYS]
                                 + [f"(?:{words})" for words, _, _ in _MOVING_DAYS]))
"""A named day or holiday ("双11", "618", "golden week"): the day it falls on, which a campaign
or sale named after it does not share (``reading._periods_around``)."""

for _words, _month, _dom, _days in _HOLIDAYS:
    _POINT_PATTERNS.append(
        (r"(?:(\d{4})\s?年?\s?)?(?:" + _words + r")(?:\s?(?:of\s)?(\d{4}))?", _holiday(_month, _dom, _days))
    )
def _moving_day(month: int, rule: tuple[int, int, int]) -> Callable[[re.Match[str]], Period]:
    def build(m: re.Match[str]) -> Period:
        year = m[1] or m[2]
        return Period(TimeGrain.DAY, int(year) if year else None, month, 1, nth_weekday=rule)

    return build


for _words, _month, _rule in _MOVING_DAYS:
    _POINT_PATTERNS.append((r"(?:(\d{4})\s?年?\s?)?(?:" + _words + r")(?:\s?(?:of\s)?(\d{4}))?",
                            _moving_day(_month, _rule)))
_NAMED_WORDS = tuple(words for words, *_ in _HOLIDAYS) + tuple(words for words, _, _ in _MOVING_DAYS)
# a named day takes its year with it ("christmas 2025", "2024年双11") before a bare year can
_POINT_PATTERNS.sort(key=lambda item: 0 if any(words in item[0] for words in _NAMED_WORDS) else 1)
_POINTS = [(Screened(p), build) for p, build in _POINT_PATTERNS]  # most name words few questions hold
_POINT_GROUP = ScreenedGroup([screened.pattern for screened, _ in _POINTS])
"""Which of ``_POINTS`` may match a text, in one look (``genbi.screened``)."""

_RANGE_CONNECTORS = re.compile(
    r"^(?: ?(?:to|through|thru|until|till|and|-|~|–|至|到|—|\.\.)) ?$"
)
_RANGE_OPENERS = re.compile(r"(?:from|between|从|自)\s?$")
_SINCE = re.compile(r"(?:since|from|starting(?: from| with| in)?|beginning(?: in| with| from)?|自从|自|从)\s?$")
_SINCE_WORDS = ("since", "自从", "starting", "beginning")
""""since June", "starting from June", "beginning in June": from June to the as-of date ("from
June" alone stays June: "orders from June" are June's)."""
_SINCE_AFTER = re.compile(
    r"^\s?(?:以来|至今|开始|起|到现在|到今天|到目前为?止?|"
    r"(?:onwards?|and (?:after|later|beyond)|(?:to|until|till|through|up to|up until) (?:now|today|date|the present)"
    r"|to this day)\b)"
)


def _points(text: str) -> list[tuple[int, int, Period]]:
    """Calendar periods named in ``text`` (position, end, period), in order."""
    return list(_points_in(text))


@functools.lru_cache(maxsize=64)
def _points_in(text: str) -> tuple[tuple[int, int, Period], ...]:
    """``_points``, remembered: a question's text is searched twice (for year-anchored
    periods, then for the rest, mostly the same text), 33 patterns each time; the periods
    are frozen, so sharing them is safe."""
    found: list[tuple[int, int, Period]] = []
    taken = [False] * len(text)
    for index in _POINT_GROUP.candidates(text):
        pattern, build = _POINTS[index]
        for match in pattern.pattern.finditer(text):
            if any(taken[match.start():match.end()]):
                continue
            try:
                period = build(match)
                period.bounds(date(2000, 1, 1))
            except (ValueError, KeyError):
                continue
            found.append((match.start(), match.end(), period))
            for i in range(match.start(), match.end()):
                taken[i] = True
    return tuple(sorted(found, key=lambda item: item[0]))


# --- relative periods and grains ------------------------------------------------------

def _trailing_en(m: re.Match[str], as_of: date) -> TimeMention | None:
    return _trailing(m, _UNIT_EN[m[2]], int(m[1]))


def _trailing_zh(m: re.Match[str], as_of: date) -> TimeMention | None:
    return _trailing(m, _UNIT_ZH[m[2]], int(m[1]))


def _trailing(m: re.Match[str], unit: TimeGrain, n: int) -> TimeMention | None:
    """"last 30 days"; "last 0 days" or "last 999999 days" is no period (left unread, so the
    question is declined and the period asked for)."""
    return _span(m, time_range=_rel("trailing", unit, n)) if 1 <= n <= MAX_PERIODS_BACK else None


def _previous(unit: TimeGrain, n: int = 1) -> Callable[[re.Match[str], date], TimeMention]:
    return lambda m, as_of: _span(m, time_range=_rel("previous", unit, n))


def _current(unit: TimeGrain) -> Callable[[re.Match[str], date], TimeMention]:
    return lambda m, as_of: _span(m, time_range=_rel("current", unit))


def _day_offset(days: int) -> Callable[[re.Match[str], date], TimeMention]:
    def build(m: re.Match[str], as_of: date) -> TimeMention:
        day = as_of - timedelta(days=days)
        return _span(m, time_range=TimeRange(start=day, end=day))
    return build


def _periods_back(unit: TimeGrain | None = None, n: int | None = None) -> Callable[[re.Match[str], date], TimeMention]:
    """One whole calendar period ``n`` before the current one ("the month before last",
    "上上个月", "3 weeks ago"): unit and n from the match's named groups unless given."""
    def build(m: re.Match[str], as_of: date) -> TimeMention:
        groups = m.groupdict()
        grain = unit or _UNIT_EN.get(groups.get("unit") or "") or _UNIT_ZH[groups.get("zh") or ""]
        back = n if n is not None else int(groups.get("n") or 1)
        start, _ = RelativeTime(kind="previous", unit=grain, n=back).resolve(as_of)
        return _span(m, time_range=TimeRange(start=start, end=_day_after_period(start, grain) - timedelta(days=1)))
    return build


def _day_after_period(start: date, unit: TimeGrain) -> date:
    """The first day of the period after the one starting on ``start``."""
    if unit == TimeGrain.DAY:
        return start + timedelta(days=1)
    if unit == TimeGrain.WEEK:
        return start + timedelta(days=7)
    months = {TimeGrain.MONTH: 1, TimeGrain.QUARTER: 3, TimeGrain.YEAR: 12}[unit]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _weekend(back: int) -> Callable[[re.Match[str], date], TimeMention | None]:
    """"last weekend", "上周末": Saturday and Sunday of the week before the as-of date's (weeks
    start on Monday); "this weekend", "这周末": this week's, up to the as-of date, and no
    period at all before its Saturday (then it is still to come: declined, not guessed)."""
    def build(m: re.Match[str], as_of: date) -> TimeMention | None:
        saturday = as_of - timedelta(days=as_of.weekday()) + timedelta(days=5 - 7 * back)
        if saturday > as_of:
            return None
        return _span(m, time_range=TimeRange(start=saturday, end=min(saturday + timedelta(days=1), as_of)))
    return build


def _year_to_date(m: re.Match[str], as_of: date) -> TimeMention | None:
    """"2024 ytd", "2025 year to date": that year from 1 January to the as-of date's day (so
    "2025 ytd vs 2024 ytd" compares like with like). Read as the year and "ytd" apart, the
    second year was dropped without a word."""
    year = int(m["year"] or m["year2"])
    if year > as_of.year:
        return None
    last = calendar.monthrange(year, as_of.month)[1]
    return _span(m, time_range=TimeRange(start=date(year, 1, 1), end=date(year, as_of.month, min(as_of.day, last))))


_WEEKDAYS_EN = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_WEEKS_BACK = {"上上": 2, "上": 1, "本": 0, "这": 0, "last": 1, "this": 0}


def _weekday_zh(m: re.Match[str], as_of: date) -> TimeMention:
    """"上周一", "本周三", "上星期日": that one day of the week said (weeks start on Monday). Read
    as the whole week, the day was dropped without a word ("上周一的订单" was last week's)."""
    day = m["day"]
    return _one_weekday(m, as_of, _WEEKS_BACK[m["back"]], 6 if day in ("日", "天") else int(day) - 1)


def _weekday_en(m: re.Match[str], as_of: date) -> TimeMention:
    """"monday last week", "last week's friday": that day of that week."""
    day, back = (m["day"], m["back"]) if m["day"] else (m["day2"], m["back2"])
    return _one_weekday(m, as_of, _WEEKS_BACK[back], _WEEKDAYS_EN.split("|").index(day))


def _one_weekday(m: re.Match[str], as_of: date, back: int, weekday: int) -> TimeMention:
    day = as_of - timedelta(days=as_of.weekday() + 7 * back) + timedelta(days=weekday)
    return _span(m, time_range=TimeRange(start=day, end=day))  # after the as-of date: declined as still to come


_YEAR_BACK = {"今年": 0, "本年": 0, "本年度": 0, "去年": 1, "前年": 2, "this year": 0, "the year": 0,
              "this year's": 0, "last year": 1, "last year's": 1, "the previous year": 1}
_FIRST_UNITS = {"月": (TimeGrain.MONTH, 12), "个月": (TimeGrain.MONTH, 12), "季度": (TimeGrain.QUARTER, 4),
                "个季度": (TimeGrain.QUARTER, 4), "month": (TimeGrain.MONTH, 12), "quarter": (TimeGrain.QUARTER, 4)}


def _first_of_year(m: re.Match[str], as_of: date) -> TimeMention | None:
    """"今年前三季度", "2025年前两个月", "the first 3 quarters of 2025": the year's first N
    months or quarters, from 1 January. Read as "前N季度" alone it was the trailing N quarters
    (the last three, not the first three)."""
    said = m["year"]
    year = int(said[:4]) if said[:4].isdigit() else as_of.year - _YEAR_BACK[said]
    unit, most = _FIRST_UNITS[m["unit"]]
    n = int(m["n"])
    if not 1 <= n <= most:
        return None
    months = n * (3 if unit == TimeGrain.QUARTER else 1)
    return _span(m, time_range=TimeRange(start=date(year, 1, 1),
                                         end=date(year, months, calendar.monthrange(year, months)[1])))


def _ahead(unit: TimeGrain, n: int | None = None) -> Callable[[re.Match[str], date], TimeMention | None]:
    """"next month", "下个月", "明年", "tomorrow", "next 7 days", "未来7天": a period after the
    as-of date. Read as a period (all of it still to come) so it is declined as a period with no
    data yet, never dropped: "下个月的销售额" answered all-time revenue."""
    def build(m: re.Match[str], as_of: date) -> TimeMention | None:
        count = n if n is not None else int(m["n"])
        if not 1 <= count <= MAX_PERIODS_BACK:
            return None
        if n is None:  # "the next 7 days": the days right after the as-of date (weeks and months roughly)
            first = as_of + timedelta(days=1)
            days = count * {TimeGrain.DAY: 1, TimeGrain.WEEK: 7}.get(unit, 30)
            return _span(m, time_range=TimeRange(start=first, end=first + timedelta(days=days - 1)))
        start, _ = RelativeTime(kind="current", unit=unit).resolve(as_of)
        start = _day_after_period(start, unit)
        return _span(m, time_range=TimeRange(start=start, end=_day_after_period(start, unit) - timedelta(days=1)))
    return build


def _previous_en(m: re.Match[str], as_of: date) -> TimeMention:
    return _span(m, time_range=_rel("previous", _UNIT_EN[m[1]]))


def _current_en(m: re.Match[str], as_of: date) -> TimeMention:
    return _span(m, time_range=_rel("current", _UNIT_EN[m[1]]))


def _grain(unit: TimeGrain) -> Callable[[re.Match[str], date], TimeMention]:
    return lambda m, as_of: _span(m, grain=unit)


_UNITS_EN = r"(day|week|month|quarter|year)s?"
_RELATIVE_RULES = [
    _Rule(re.compile(r"\b(?P<year>20\d{2}) (?:ytd|year to date|to date)\b|\b(?:ytd|year to date) (?P<year2>20\d{2})\b"),
          lambda m, as_of: _year_to_date(m, as_of)),
    _Rule(re.compile(r"(?P<back>上上|上|本|这)个?(?:周|星期|礼拜)(?P<day>[1-7]|日|天)(?![\d个天日周月年])"), _weekday_zh),
    _Rule(re.compile(rf"\b(?:on )?(?P<day>{_WEEKDAYS_EN})(?:'s)? (?:of )?(?P<back>last|this) week\b"
                     rf"|\b(?P<back2>last|this) week'?s (?P<day2>{_WEEKDAYS_EN})\b"), _weekday_en),
    _Rule(re.compile(r"(?:\b(?:in|over|during|for) )?(?:\bthe )?\b(?:last|past|previous|prior|trailing) (\d+) "
                     r"(?:full|complete|completed|whole|calendar|closed) (week|month|quarter|year)s?\b"),
          lambda m, as_of: _span(m, time_range=_rel("previous", _UNIT_EN[m[2]], int(m[1])))
          if 1 <= int(m[1]) <= MAX_PERIODS_BACK else None),
    _Rule(re.compile(r"(?P<year>今年|本年度?|去年|前年|\d{4}年)(?:的|度)?前(?P<n>\d+)(?P<unit>个?季度|个?月)(?!份)"),
          _first_of_year),
    _Rule(re.compile(r"(?:\b(?:in|during|for|over) )?\bthe first (?P<n>\d+) (?P<unit>month|quarter)s? of "
                     r"(?P<year>\d{4}|this year|the year|last year|the previous year)\b"), _first_of_year),
    _Rule(re.compile(r"(?:\b(?:in|during|for|over) )?\b(?P<year>\d{4}|this year's|last year's) first (?P<n>\d+) "
                     r"(?P<unit>month|quarter)s?\b"), _first_of_year),
    *[_Rule(re.compile(rf"(?:\b(?:in|during|for|over) )?(?:\bthe )?\b(?:next|coming|upcoming) (?P<n>\d+) {unit}s?\b"),
            _ahead(grain)) for unit, grain in (("day", TimeGrain.DAY), ("week", TimeGrain.WEEK), ("month", TimeGrain.MONTH))],
    *[_Rule(re.compile(rf"(?:\b(?:in|during|for|over) )?(?:\bthe )?\b(?:next|coming|upcoming) {unit}\b"), _ahead(grain, 1))
      for unit, grain in (("week", TimeGrain.WEEK), ("month", TimeGrain.MONTH), ("quarter", TimeGrain.QUARTER),
                          ("year", TimeGrain.YEAR))],
    _Rule(re.compile(r"\btomorrow\b"), _ahead(TimeGrain.DAY, 1)),
    _Rule(re.compile(r"未来(?P<n>\d+)(?:天|日)"), _ahead(TimeGrain.DAY)),
    _Rule(re.compile(r"未来(?P<n>\d+)(?:周|个?星期)"), _ahead(TimeGrain.WEEK)),
    _Rule(re.compile(r"未来(?P<n>\d+)个?月"), _ahead(TimeGrain.MONTH)),
    _Rule(re.compile(r"下个?月|下1个月"), _ahead(TimeGrain.MONTH, 1)),
    _Rule(re.compile(r"下个?季度"), _ahead(TimeGrain.QUARTER, 1)),
    _Rule(re.compile(r"下个?(?:周|星期|礼拜)"), _ahead(TimeGrain.WEEK, 1)),
    _Rule(re.compile(r"明年(?:全年)?"), _ahead(TimeGrain.YEAR, 1)),
    _Rule(re.compile(r"明天|明日"), _ahead(TimeGrain.DAY, 1)),
    _Rule(re.compile(r"(?:近|过去|最近|前)(\d+)个?(?:完整|整)的?(个?月|季度|周|星期|年)"),
          lambda m, as_of: _span(m, time_range=_rel("previous", _UNIT_ZH[m[2]], int(m[1])))
          if 1 <= int(m[1]) <= MAX_PERIODS_BACK else None),
    _Rule(re.compile(r"(?:\b(?:in|over|during|for) )?(?:\bthe )?\b(?:last|past|previous|trailing|recent|prior) (\d+) " + _UNITS_EN
                     + r"\b(?! (?:of|in) (?:the month of )?" + _MONTH + ")"), _trailing_en),
    _Rule(re.compile(r"(?<!月)(?<!月的)(?<!月份)(?:近|过去|最近|前|上)(\d+) ?(天|日|周|星期|个月|个季度|季度|年)(?:内|以来|来)?"), _trailing_zh),
    _Rule(re.compile(r"(?:\b(?:in|during|for) )?(?:\bthe )?\b(?P<unit>day|week|month|quarter|year) before last\b"), _periods_back(n=2)),
    _Rule(re.compile(r"(?:\b(?:in|during|for) )?\b(?P<n>\d+) (?P<unit>day|week|month|quarter|year)s? ago\b"), _periods_back()),
    _Rule(re.compile(r"上上个?(?P<zh>月|季度|周(?!末)|星期)|上上1个?(?P<zh2>月|季度)"), lambda m, as_of: _periods_back(
        _UNIT_ZH[m["zh"] or m["zh2"]], 2)(m, as_of)),
    _Rule(re.compile(r"(?:\b(?:in|over|during|for) )?(?:\bthe )?\b(?:last|past|previous|trailing|recent|prior) fortnight\b"),
          lambda m, as_of: _span(m, time_range=_rel("trailing", TimeGrain.DAY, 14))),
    _Rule(re.compile(r"\b(?:ytd|year to date|so far this year|this year so far)\b"), _current(TimeGrain.YEAR)),
    _Rule(re.compile(r"\b(?:qtd|quarter to date)\b"), _current(TimeGrain.QUARTER)),
    _Rule(re.compile(r"\b(?:mtd|month to date)\b"), _current(TimeGrain.MONTH)),
    _Rule(re.compile(r"\b(?:wtd|week to date)\b"), _current(TimeGrain.WEEK)),
    _Rule(re.compile(r"(?:\b(?:in|during|for|over) )?(?:\bthe )?\b(?:last|previous|past|prior) (day|week|month|quarter|year)\b"), _previous_en),
    _Rule(re.compile(r"(?:\b(?:in|during|for) )?\b(?:this|the current|current) (week|month|quarter|year)(?: so far| to date)?\b"), _current_en),
    _Rule(re.compile(r"(?:\b(?:on|over|during|for|in) )?(?:\bthe )?\b(?:weekend|week-end) before last\b"
                     r"|(?:\b(?:on|over|during|for|in) )?(?:\bthe )?\b(?:last|previous) but (?:1|one) (?:weekend|week-end)\b"
                     r"|(?:\b(?:on|over|during|for|in) )?(?:\bthe )?\b(?:last|previous) (?:weekend|week-end) but (?:1|one)\b"),
          _weekend(2)),
    _Rule(re.compile(r"(?:\b(?:on|over|during|for|in) )?\b(?P<n>\d) (?:weekends|week-ends) ago\b"),
          lambda m, as_of: _weekend(int(m["n"]))(m, as_of)),
    _Rule(re.compile(r"上上个?(?:周末|礼拜六日|双休日?)"), _weekend(2)),
    _Rule(re.compile(r"(?:\b(?:on|over|during|for|in) )?(?:\bthe )?\b(?:last|previous|past|prior|this past) (?:weekend|week-end)\b"), _weekend(1)),
    _Rule(re.compile(r"(?:\b(?:on|over|during|for|in) )?\b(?:this|the current) (?:weekend|week-end)(?: so far)?\b"), _weekend(0)),
    _Rule(re.compile(r"上个?(?:周末|礼拜六日|双休日?)"), _weekend(1)),
    _Rule(re.compile(r"(?:本|这个?)(?:周末|礼拜六日|双休日?)"), _weekend(0)),
    _Rule(re.compile(r"\b(?:the )?day before yesterday\b"), _day_offset(2)),
    _Rule(re.compile(r"\byesterday\b"), _day_offset(1)),
    _Rule(re.compile(r"\btoday\b"), _day_offset(0)),
    _Rule(re.compile(r"上个?月|上1个月"), _previous(TimeGrain.MONTH)),
    _Rule(re.compile(r"上个?季度?|上1季度|上1个季度"), _previous(TimeGrain.QUARTER)),
    _Rule(re.compile(r"去年|上1?年度?|上1年"), _previous(TimeGrain.YEAR)),
    _Rule(re.compile(r"上个?(?:周|星期|礼拜)"), _previous(TimeGrain.WEEK)),
    _Rule(re.compile(r"(?:本|这个?)月(?:至今|以来|到目前)?|当月至今|月初至今"), _current(TimeGrain.MONTH)),
    _Rule(re.compile(r"(?:本|这个?)季度?(?:至今|以来)?|季初至今"), _current(TimeGrain.QUARTER)),
    _Rule(re.compile(r"今年(?:至今|以来|到目前为止)?|本年度?(?:至今)?|年初至今"), _current(TimeGrain.YEAR)),
    _Rule(re.compile(r"(?:本|这个?)(?:周|星期)(?!末)"), _current(TimeGrain.WEEK)),
    _Rule(re.compile(r"大前天"), _day_offset(3)),
    _Rule(re.compile(r"(?<![\d上近过])前天|(?<![\d上近过])前日"), _day_offset(2)),  # not "前7天" (the first 7 days)
    _Rule(re.compile(r"昨天|昨日"), _day_offset(1)),
    _Rule(re.compile(r"今天|今日"), _day_offset(0)),
]

_GRAIN_RULES = [
    _Rule(re.compile(r"\b(?:daily|day by day|by day|per day|each day|every day|by date|per date|day over day|dod)\b"), _grain(TimeGrain.DAY)),
    _Rule(re.compile(r"\b(?:weekly|by week|per week|each week|every week|week over week|wow|week by week)\b"), _grain(TimeGrain.WEEK)),
    _Rule(re.compile(r"\b(?:monthly|by month|per month|each month|every month|month over month|mom|month by month|by calendar month)\b"), _grain(TimeGrain.MONTH)),
    _Rule(re.compile(r"\b(?:quarterly|by quarter|per quarter|each quarter|every quarter|quarter over quarter|qoq)\b"), _grain(TimeGrain.QUARTER)),
    _Rule(re.compile(r"\b(?:yearly|annually|annual|by year|per year|each year|every year|year over year|yoy)\b"), _grain(TimeGrain.YEAR)),
    _Rule(re.compile(r"每天|每日|按天|按日|逐日|日度|分天|每1天|日趋势|日走势|各天|每一天"), _grain(TimeGrain.DAY)),
    _Rule(re.compile(r"每周|按周|逐周|周度|分周|每个?星期|周趋势|周走势|各个?周|每一周"), _grain(TimeGrain.WEEK)),
    _Rule(re.compile(r"每个?月|按月份?|逐月|月度|分月|各个?月份?|月趋势|月走势|每1个月|每一个?月"), _grain(TimeGrain.MONTH)),
    _Rule(re.compile(r"每个?季度|按季度?|逐季|季度别|分季度|各个?季度"), _grain(TimeGrain.QUARTER)),
    _Rule(re.compile(r"每年(?!代)|按年份?(?!代)|逐年|年度别|分年(?!代)|各年份?(?!代)|每一年"), _grain(TimeGrain.YEAR)),
]
_SCREENED_RULES = [(Screened(rule.pattern), rule.build) for rule in _RELATIVE_RULES + _GRAIN_RULES]
"""The rules in order, each tried only on text holding words it needs (``genbi.screened``)."""
_RULE_GROUP = ScreenedGroup([screened.pattern for screened, _ in _SCREENED_RULES])
"""Which of ``_SCREENED_RULES`` may match a text, in one look."""
_TREND = Screened(
    r"\b(?:trend(?:s|ing)?|over time|time series|timeline|evolution|trajectory|history)\b|趋势|走势|变化情况|变化趋势"
)


def find_time(text: str, as_of: date) -> list[TimeMention]:
    """Every time expression in ``text`` (normalised), left to right, non-overlapping."""
    mentions: list[TimeMention] = []
    taken = [False] * len(text)

    def claim(mention: TimeMention) -> bool:
        if any(taken[mention.start:mention.end]):
            return False
        for i in range(mention.start, mention.end):
            taken[i] = True
        mentions.append(mention)
        return True

    for anchored in _year_anchored(text, as_of):
        if claim(anchored):
            for start, end in anchored.anchors:  # said of the day it anchors, a period of its own no more
                taken[start:end] = [True] * (end - start)
    for index in _RULE_GROUP.candidates(text):
        pattern, build = _SCREENED_RULES[index]
        for match in pattern.pattern.finditer(text):
            if match.end() > match.start():
                mention = build(match, as_of)
                if mention is not None:
                    claim(mention)
    free = blank_taken(text, taken, "\0")
    for mention in _calendar_mentions(free, as_of):
        claim(mention)
    for match in _TREND.finditer(text):
        claim(_span(match, trend=True))
    ordered = _shared_year_pair(sorted(mentions, key=lambda m: m.start), text, as_of)
    return _joined_ranges([_since(m, text, as_of, ordered) for m in ordered], text, as_of)


def _shared_year_pair(mentions: list[TimeMention], text: str, as_of: date) -> list[TimeMention]:
    """"oct thru dec, 2024 vs 2025", "2024年和2025年10-12月", "Q4 2024 vs 2025": part of a year
    said once, with two years side by side, is that part of each year. Read as written, one
    side was the part and the other a whole year: a quarter against a year, a wrong comparison.
    Only when the year shared is said next to the word joining the two."""
    out = list(mentions)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if first.time_range is None or second.time_range is None or first.time_range.relative is not None \
                or second.time_range.relative is not None or not _BOTH_YEARS.match(text[first.end:second.start]):
            continue
        bounds = [m.time_range.resolve(as_of) for m in (first, second) if m.time_range is not None]
        whole = [b[0] is not None and b[1] is not None and (b[0].month, b[0].day, b[1].month, b[1].day) == (1, 1, 12, 31)
                 and b[0].year == b[1].year for b in bounds]
        if whole[0] == whole[1]:
            continue
        part_index = 0 if whole[1] else 1
        (start, end), (year_start, _) = bounds[part_index], bounds[1 - part_index]
        assert start is not None and end is not None and year_start is not None
        said = text[out[i + part_index].start:out[i + part_index].end]
        shared = said.rstrip().endswith(str(start.year)) if part_index == 0 else \
            said.lstrip().startswith(str(start.year))
        if start.year != end.year or start.year == year_start.year or not shared:
            continue
        moved = TimeRange(start=_in_year(start, year_start.year), end=_in_year(end, year_start.year))
        out[i + 1 - part_index] = replace(out[i + 1 - part_index], time_range=moved, parts=())
    return out


def _in_year(day: date, year: int) -> date:
    """The same day of another year; a month's last day stays its last (29 Feb ↔ 28 Feb)."""
    last = calendar.monthrange(day.year, day.month)[1]
    target_last = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, target_last if day.day == last else min(day.day, target_last))


def _since(mention: TimeMention, text: str, as_of: date, mentions: list[TimeMention]) -> TimeMention:
    """"orders since last week", "上周到现在", "上个月以来", "from last month to now": from the
    start of the period said to the as-of date. Only the period itself was answered (last week's
    orders), the days since dropped without a word. Calendar points do this when they are read."""
    if mention.time_range is None or (mention.time_range.relative is not None
                                      and mention.time_range.relative.kind != "previous"):
        return mention
    since = _SINCE.search(text[:mention.start])
    after = _SINCE_AFTER.match(text[mention.end:])
    if not ((since and since.group().strip().startswith(_SINCE_WORDS)) or after):
        return mention
    if after and any(mention.end <= m.start < mention.end + after.end() for m in mentions):
        return mention  # "从上周到今天": two periods, joined into one range below
    first, _ = mention.time_range.resolve(as_of)
    if first is None:
        return mention
    return TimeMention(since.start() if since and not after else mention.start,
                       mention.end + (after.end() if after else 0), time_range=TimeRange(start=first, end=as_of))


def _joined_ranges(mentions: list[TimeMention], text: str, as_of: date) -> list[TimeMention]:
    """"from 11.11 to today", "11月11日到今天", "昨天到今天": two periods joined by "to" / "到" are
    one range from the first's start to the second's end, also where one end is said relative to
    today (two calendar points were joined already). Read apart, they were compared side by side.
    Each end stays a part of its own, so "change from last month to this month" still compares."""
    out: list[TimeMention] = []
    for mention in mentions:
        before = out[-1] if out else None
        joint = text[before.end:mention.start] if before is not None else ""
        if before is None or before.time_range is None or mention.time_range is None \
                or not _RANGE_CONNECTORS.match(joint) or joint.strip() in ("and", "-", "~", "–", "—"):
            out.append(mention)
            continue
        (first, _), (_, last) = before.time_range.resolve(as_of), mention.time_range.resolve(as_of)
        if first is None or last is None or last < first:
            out.append(mention)
            continue
        opener = _RANGE_OPENERS.search(text[:before.start])
        out[-1] = TimeMention(opener.start() if opener else before.start, mention.end,
                              time_range=TimeRange(start=first, end=last),
                              parts=(before.time_range, mention.time_range))
    return out


# A relative year next to a calendar point without one: "去年双11", "November last year",
# "last year's Christmas", "前年国庆". The pair is one period in that year, not a range from
# the relative year to the point in the current one.
_YEAR_WORDS = Screened(
    r"前年|去年|今年|明年|the year before last|(?:last|previous|this|next) year(?:'s)?"
)
_YEAR_OFFSETS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1, "the year before last": -2,
                 "last year": -1, "previous year": -1, "this year": 0, "next year": 1}
_ANCHOR_GAP = re.compile(r"^(?:\s|的|,|，|of|in|during|on)*$")
_ANCHOR_MAX_GAP = 8


_LIST_CONNECTORS = re.compile(r"^\s?(?:和|、|与|及|跟|,|，|and|or|&)\s?$")


def _year_anchored(text: str, as_of: date) -> list[TimeMention]:
    years = list(_YEAR_WORDS.finditer(text))
    if not years:  # most questions: no year word, nothing anchored (the calendar points not looked for)
        return []
    points = [(start, end, period) for start, end, period in _points(text)
              if period.year is None and period.unit != TimeGrain.YEAR]
    chains: list[list[tuple[int, int, Period, str]]] = []  # points joined by "to" / "and"
    for start, end, period in points:
        joint = text[chains[-1][-1][1]:start] if chains else ""
        between = chains and (opener := _RANGE_OPENERS.search(text[:chains[-1][0][0]])) is not None \
            and opener.group().strip() == "between"
        kind = "range" if chains and _RANGE_CONNECTORS.match(joint) and (joint.strip() != "and" or between) else \
            "list" if chains and _LIST_CONNECTORS.match(joint) else ""
        if kind:
            chains[-1].append((start, end, period, kind))
        else:
            chains.append([(start, end, period, "")])
    if len(years) == 2 and len(chains) == 1 and len(chains[0]) == 1 \
            and _BOTH_YEARS.match(text[years[0].end():years[1].start()]):
        return _anchored_twice(years, chains[0], as_of)
    out: list[TimeMention] = []
    used: set[int] = set()
    for match in years:
        year = as_of.year + _YEAR_OFFSETS[match.group().removesuffix("'s")]
        for number, chain in enumerate(chains):
            first_start, last_end = chain[0][0], chain[-1][1]
            opener = _RANGE_OPENERS.search(text[:first_start])
            begin = opener.start() if opener and chain[-1][3] == "range" else first_start
            gap = text[match.end():begin] if match.end() <= begin else text[last_end:match.start()] \
                if last_end <= match.start() else None
            if number in used or gap is None or len(gap) > _ANCHOR_MAX_GAP or not _ANCHOR_GAP.match(gap):
                continue
            used.add(number)
            out += _anchored_chain(chain, year, as_of, min(match.start(), begin), max(match.end(), last_end))
            break
    if not out and len(years) == 1 and len(chains) == 1:
        out = _anchored_across(text, years[0], chains[0], as_of)
    return out


_BOTH_YEARS = re.compile(r"^\s*(?:and|vs\.?|versus|or|和|与|跟|及|对比|比)\s*$")


def _anchored_twice(years: list[re.Match[str]], chain: list[tuple[int, int, Period, str]],
                    as_of: date) -> list[TimeMention]:
    """"双11 sales last year and this year", "去年和今年的双11": one day in each of two years,
    two periods side by side. Read with one year only, the other was dropped or compared as a
    whole year."""
    out = []
    for match, (start, end) in zip(years, (chain[0][:2], years[1].span()), strict=True):
        year = as_of.year + _YEAR_OFFSETS[match.group().removesuffix("'s")]
        found = _anchored_chain(chain, year, as_of, start, end)
        if len(found) != 1:
            return []
        out.append(found[0])
    return [replace(out[0], anchors=(years[0].span(),)), out[1]]


_NOT_ONE_PERIOD = re.compile(r"\b(?:vs\.?|versus|compared?|comparing|against|than|and|or|to|through|until|since|"
                             r"from|with)\b|比|对比|相比|同比|环比|和|与|跟|或|到|至|\d")
"""Words between a day and a year word that make them two periods ("双11 vs last year")."""
_ACROSS_MAX_GAP = 40


def _anchored_across(text: str, match: re.Match[str], chain: list[tuple[int, int, Period, str]],
                     as_of: date) -> list[TimeMention]:
    """"christmas revenue last year", "去年各渠道双11的销售额": the only named day and the only
    year word of a question, a metric or a breakdown apart, are one period. Read apart, the day
    was this year's and the year word a second period to compare with: a wrong number."""
    first_start, last_end = chain[0][0], chain[-1][1]
    gap = text[match.end():first_start] if match.end() <= first_start else text[last_end:match.start()] \
        if last_end <= match.start() else None
    if gap is None or len(gap) > _ACROSS_MAX_GAP or _NOT_ONE_PERIOD.search(gap):
        return []
    year = as_of.year + _YEAR_OFFSETS[match.group().removesuffix("'s")]
    found = _anchored_chain(chain, year, as_of, first_start, last_end)  # what lies between is the question's
    return [replace(found[0], anchors=(match.span(),)), *found[1:]] if found else []


def _anchored_chain(chain: list[tuple[int, int, Period, str]], year: int, as_of: date,
                    begin: int, stop: int) -> list[TimeMention]:
    """One mention per listed period (a range counts as one), all in ``year``; the first
    starts at ``begin`` and the last ends at ``stop`` so the year words are claimed too."""
    groups: list[list[tuple[int, int, Period, str]]] = []
    for item in chain:
        if item[3] == "range":
            groups[-1].append(item)
        else:
            groups.append([item])
    out: list[TimeMention] = []
    for index, group in enumerate(groups):
        first, _ = group[0][2].with_year(year).bounds(as_of)
        _, last = group[-1][2].with_year(year).bounds(as_of)
        if last < first:
            return []
        start = begin if index == 0 else group[0][0]
        end = stop if index == len(groups) - 1 else group[-1][1]
        out.append(TimeMention(start, end, time_range=TimeRange(start=first, end=last)))
    return out


def _range_parts(first: Period, last: Period, as_of: date) -> tuple[TimeRange, ...]:
    """The two ends of "from A to B" as periods of their own (a missing year from the other)."""
    first = first.with_year(last.year) if first.year is None and last.year is not None else first
    last = last.with_year(first.year) if last.year is None and first.year is not None else last
    if first.unit != last.unit:
        return ()
    return tuple(TimeRange(start=p.bounds(as_of)[0], end=p.bounds(as_of)[1]) for p in (first, last))


_PARTS_JOINT = re.compile(r"^\s*(?:vs\.?|versus|and|or|,|&|和|与|跟|及|、|对比|比)\s*$")


def _year_said_once(text: str, points: list[tuple[int, int, Period]]) -> tuple[list[tuple[int, int, Period]],
                                                                           tuple[int, int] | None]:
    """"q1 vs q2 orders 2025", "jan and feb revenue 2024": parts of a year listed side by side with
    one year said once, a word or two away, are those parts of that year (the year's span is
    returned to anchor them). Read apart, the year was a third period over both parts and only
    the narrowest part was answered. Not when the year is set against the parts ("q1 and q2 vs 2024")."""
    years = [p for p in points if p[2].unit == TimeGrain.YEAR and p[2].year is not None]
    parts = [p for p in points if p[2].year is None and p[2].unit != TimeGrain.YEAR]
    if len(years) != 1 or len(parts) < 2 or len(parts) + 1 != len(points):
        return points, None
    (year_start, year_end, year), first, last = years[0], parts[0], parts[-1]
    gap = text[last[1]:year_start] if last[1] <= year_start else text[year_end:first[0]] \
        if year_end <= first[0] else None
    if gap is None or len(gap) > _ACROSS_MAX_GAP or _NOT_ONE_PERIOD.search(gap) \
            or not all(_PARTS_JOINT.match(text[a[1]:b[0]]) for a, b in itertools.pairwise(parts)):
        return points, None
    assert year.year is not None
    return [(start, end, period.with_year(year.year)) for start, end, period in parts], (year_start, year_end)


def _calendar_mentions(text: str, as_of: date) -> list[TimeMention]:
    points, year_span = _year_said_once(text, _points(text))
    mentions = _calendar_points(text, points, as_of)
    if year_span is not None and mentions:
        mentions[-1] = replace(mentions[-1], anchors=(year_span,))
    return mentions


def _calendar_points(text: str, points: list[tuple[int, int, Period]], as_of: date) -> list[TimeMention]:
    mentions: list[TimeMention] = []
    i = 0
    while i < len(points):
        start, end, period = points[i]
        opener = _RANGE_OPENERS.search(text[:start])
        joint = text[end:points[i + 1][0]] if i + 1 < len(points) else ""
        if i + 1 < len(points) and _RANGE_CONNECTORS.match(joint) and (
            joint.strip() != "and" or (opener is not None and opener.group().strip() == "between")
        ):
            _, next_end, other = points[i + 1]
            try:
                time_range = _period_range(period, other, as_of)
            except ValueError:
                time_range = None
            if time_range is not None:
                begin = opener.start() if opener else start
                parts = _range_parts(period, other, as_of)
                mentions.append(TimeMention(begin, next_end, time_range=time_range, parts=parts))
                i += 2
                continue
        if period.year is None and mentions and mentions[-1].time_range is not None and \
                _LIST_CONNECTORS.match(text[points[i - 1][1]:start]) and points[i - 1][2].year is not None:
            period = period.with_year(points[i - 1][2].year or 0)  # "2025年上半年和下半年"
        elif period.year is None and i + 1 < len(points) and (later := points[i + 1][2]).year is not None \
                and later.unit == period.unit and later.months == period.months and period.index < later.index \
                and _PARTS_JOINT.match(text[end:points[i + 1][0]]):
            period = period.with_year(later.year)  # "q3 vs q4 2024": the year said once, after both parts
        since = _SINCE.search(text[:start])
        after = _SINCE_AFTER.match(text[end:])
        if (since and since.group().strip().startswith(_SINCE_WORDS)) or after:
            first, _ = period.bounds(as_of)
            begin = since.start() if since else start
            stop = end + (after.end() if after else 0)
            mentions.append(TimeMention(begin, stop, time_range=TimeRange(start=first, end=as_of)))
        else:
            first, last = period.bounds(as_of)
            mentions.append(TimeMention(start, end, time_range=TimeRange(start=first, end=last)))
        i += 1
    return mentions


def describe_range(time_range: TimeRange, as_of: date, language: str = "en") -> str:
    """A short label: "2025", "Q3 2025", "March 2025", "last month", "近30天"."""
    if time_range.relative is not None:
        return _describe_relative(time_range.relative, language)
    start, end = time_range.start, time_range.end
    if start is None or end is None:
        bound = start or end
        word = ("since" if start else "until") if language == "en" else ("起" if start else "止")
        return f"{word} {bound}" if language == "en" else f"{bound}{word}"
    return _describe_dates(start, end, language)


def _describe_dates(start: date, end: date, language: str) -> str:
    zh = language == "zh"
    if start == end:
        return start.isoformat()
    last_day = calendar.monthrange(end.year, end.month)[1]
    whole_months = start.day == 1 and end.day == last_day
    if whole_months and start.year == end.year:
        if start.month == 1 and end.month == 12:
            return f"{start.year}年" if zh else str(start.year)
        if start.month == end.month:
            return f"{start.year}年{start.month}月" if zh else f"{calendar.month_name[start.month]} {start.year}"
        if (start.month - 1) % 3 == 0 and end.month == start.month + 2:
            q = (start.month - 1) // 3 + 1
            return f"{start.year}年第{q}季度" if zh else f"Q{q} {start.year}"
    return f"{start.isoformat()} 至 {end.isoformat()}" if zh else f"{start.isoformat()} to {end.isoformat()}"


def _describe_relative(rel: RelativeTime, language: str) -> str:
    unit = rel.unit.value
    if language == "zh":
        names = {"day": "天", "week": "周", "month": "月", "quarter": "季度", "year": "年"}
        if rel.kind == "trailing":
            return f"近{rel.n}{_UNIT_LABEL_ZH[rel.unit]}"
        if rel.kind == "current":
            return {"year": "今年至今", "month": "本月至今", "quarter": "本季度至今",
                    "week": "本周至今", "day": "今天"}[unit]
        if unit == "year" and rel.n == 1:
            return "去年"
        return f"上{'个' if unit in ('month', 'quarter') else ''}{names[unit]}" if rel.n == 1 else f"前{rel.n}{_UNIT_LABEL_ZH[rel.unit]}"
    if rel.kind == "trailing":
        return f"last {rel.n} {unit}{'s' if rel.n > 1 else ''}"
    if rel.kind == "current":
        return {"year": "year to date", "month": "month to date", "quarter": "quarter to date",
                "week": "week to date", "day": "today"}[unit]
    return f"last {unit}" if rel.n == 1 else f"the {rel.n} {unit}s before this one"
