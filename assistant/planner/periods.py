"""Compared periods: "Q3 vs Q4", "同比", "环比", "same month last year", "the quarter before".

One pass of the planner. It reads the periods a question names together with its growth
cues and decides between one period (``time_range``) and several side by side
(``periods``, one row each with the change against the one before), including in
follow-ups: "那去年同期呢?" moves the conversation's period back a year, "and the quarter
before?" back one quarter, "环比呢" sets it beside the period before it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from genbi.assistant.planner import cues
from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.timeparse import TimeMention
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.semantic_layer.query_spec import (
    QuerySpec,
    RelativeTime,
    TimeGrain,
    TimeRange,
    period_start,
    shift_period,
)

COMBINED = re.compile(r"\b(?:combined|together|altogether|in total|total of)\b|加起来|合计|合起来|一共|总共|累计")
GROWTH = re.compile(r"\b(?:growth|grew|grow|growing|change|changed|increase|increased|decrease|decreased|decline|"
                    r"declined|drop|dropped|up or down)\b|增长|增速|增幅|涨幅|降幅|下降|上升|变化|涨了|跌了")


@dataclass(frozen=True)
class PeriodReading:
    """The question's period: one range, several side by side, or none said."""

    time_range: TimeRange | None = None
    periods: tuple[TimeRange, ...] = ()
    grain: TimeGrain | None = None
    """For several periods merged into one range at a grain (an explicit grain was asked)."""
    note: str = ""
    """How a comparison named without its period ("销售额同比") was placed."""


def read_periods(reading: Reading, as_of: date, previous: QuerySpec | None) -> PeriodReading:
    """Periods of ``reading``; ``previous`` is the spec a follow-up edits (or None)."""
    cue_spans = [m.span() for cue in (cues.YEAR_ON_YEAR, cues.PERIOD_ON_PERIOD) for m in cue.finditer(reading.text)]
    said = [m for m in reading.times if m.time_range is not None
            and not any(a <= m.start and m.end <= b for a, b in cue_spans)]  # "vs last year" is the base
    echo = _previous_of_itself(said, reading.text, as_of)
    said = [m for m in said if m is not echo]
    ranges = [m.time_range for m in said if not _context_of_next(m, said, reading.text, as_of)]
    yoy = reading.same_period_last_year or bool(cues.YEAR_ON_YEAR.search(reading.text))
    pop = reading.period_before or echo is not None or bool(cues.PERIOD_ON_PERIOD.search(reading.text))
    _check_weekend_before(reading, as_of, previous)
    if not ranges and previous is None and yoy and _split_by_time(reading):
        return _this_year_split_beside_last(reading, as_of)
    if not ranges and previous is None and (yoy or pop or _growth_of_now(reading)):
        return _current_against_before(reading, as_of, years=yoy)
    if ranges and pop and not yoy and (steps := _stepped(ranges, reading, as_of)):
        return PeriodReading(periods=steps)  # "month over month change in orders for 2025"
    if len(ranges) >= 2:
        return _several(ranges, reading, as_of)
    if len(ranges) == 1:
        return _one_period(ranges[0], said, reading, as_of, previous, yoy=yoy, pop=pop)
    if previous is None or not (yoy or pop):
        return PeriodReading()
    base = previous.time_range or (max(previous.periods, key=lambda p: p.resolve(as_of)[0] or as_of)
                                   if previous.periods else None)
    moved = (reading.same_period_last_year and not cues.YEAR_ON_YEAR.search(reading.text)) or reading.period_before
    side_by_side = reading.versus or bool(GROWTH.search(reading.text))
    if base is None:
        if moved and not side_by_side:  # "去年同期呢" after a question over all time: no period to move
            raise Unanswerable(
                "上一个问题没有限定时间段，没有“同期”可比；请说明时间，例如“今年和去年同期对比”。"
                if reading.language == "zh" else
                "The question before covered all time, so there is no period to move back; name one, "
                "e.g. 'this year vs the same period last year'."
            )
        return _current_against_before(reading, as_of, years=yoy)  # "同比呢" after all time: now vs before
    before = _before(base, as_of, years=yoy)
    if before is None:
        return PeriodReading()
    if moved and not side_by_side:
        return PeriodReading(time_range=before)  # "那去年同期呢?", "and the quarter before?"
    return PeriodReading(periods=(before, base))  # "同比呢", "环比呢", "which grew the most vs the quarter before"


def _one_period(named: TimeRange, said: list[TimeMention], reading: Reading, as_of: date,
                previous: QuerySpec | None, *, yoy: bool, pop: bool) -> PeriodReading:
    """One period named: alone, against the one before, or as what now is compared against."""
    if previous is None and (now := _now_against(said, reading.text)) is not None:
        return PeriodReading(periods=(named, now))  # "roas by channel vs last month": now against it
    if _split_by_time(reading):
        before = _before(named, as_of, years=False) if pop and not yoy and not _grain_word_only(reading) else None
        if before is not None and (start := before.resolve(as_of)[0]) and (end := named.resolve(as_of)[1]):
            # "last month vs the month before, monthly numbers": both months, one row each
            return PeriodReading(time_range=TimeRange(start=start, end=end))
        if yoy:
            return _split_beside_last_year(named, reading, as_of)
        return PeriodReading(time_range=named)  # "今年每个季度的GMV环比": each quarter in a row
    if previous is not None and reading.versus and previous.time_range is not None and not (yoy or pop):
        return PeriodReading(periods=_ordered([named, previous.time_range], as_of))  # "vs Q2?"
    parts = next((m.parts for m in reading.times if m.parts), ())
    if parts and GROWTH.search(reading.text) and not (yoy or pop):
        return PeriodReading(periods=_ordered(list(parts), as_of))  # "change from Q2 to Q3"
    if yoy or pop or GROWTH.search(reading.text):
        before = _before(named, as_of, years=yoy)
        if before is not None:
            return PeriodReading(periods=(before, named))
    return PeriodReading(time_range=named)


_PREVIOUS_WORD = re.compile(r"(?:the\s)?(?:previous|prior|preceding)\s|[前上](?=\s?\d)")
""""the previous 7 days"; "近7天和前7天", "近30天跟上30天": 前/上 before a count is the same
count of periods said again, before the first (read alone "前7天" is the last 7 days)."""


def _previous_of_itself(said: list[TimeMention], text: str, as_of: date) -> TimeMention | None:
    """"revenue last month compared to the previous month": "the previous month" after a
    comparison word, said of the same period as one before it, is the period before that one
    (both read as last month, and the comparison was dropped)."""
    for later in said[1:]:
        assert later.time_range is not None
        if not (_AGAINST.search(text[:later.start]) and _PREVIOUS_WORD.match(text, later.start)):
            continue
        if any(m.start < later.start and m.time_range is not None
               and m.time_range.resolve(as_of) == later.time_range.resolve(as_of) for m in said):
            return later
    return None


_AGAINST = re.compile(r"\b(?:vs\.?|versus|against|compared (?:to|with))\s(?:the\s)?$|(?:跟|和|与|比|对比|相比)$")


def _now_against(said: list[TimeMention], text: str) -> TimeRange | None:
    """The current period of the unit of the one period named, when that period is only what
    something is compared against ("revenue vs last month", "vs prior year"): the comparison
    is of now with it (it answered last month alone)."""
    if len(said) != 1 or said[0].time_range is None or said[0].time_range.relative is None:
        return None
    relative = said[0].time_range.relative
    if relative.kind != "previous" or relative.n != 1 or not _AGAINST.search(text[:said[0].start]):
        return None
    return TimeRange(relative=RelativeTime(kind="current", unit=relative.unit, n=1))


def _context_of_next(mention: TimeMention, said: list[TimeMention], text: str, as_of: date) -> bool:
    """"12月双12", "2025年11月的双11": a period said right before a day or period inside it only
    places that one; it is no period of its own (two periods were compared, and a "同比" lost)."""
    assert mention.time_range is not None
    outer = mention.time_range.resolve(as_of)
    for other in said:
        if other is mention or other.time_range is None or other.start < mention.end:
            continue
        inner = other.time_range.resolve(as_of)
        if (text[mention.end:other.start].strip() in {"", "的", "of", ","} and None not in (*outer, *inner)
                and outer[0] <= inner[0] and inner[1] <= outer[1] and outer != inner):
            return True
    return False


_STEP_CUES = ((TimeGrain.MONTH, re.compile(r"\bmom\b|\bmonth[ -]over[ -]month\b|月环比")),
               (TimeGrain.QUARTER, re.compile(r"\bqoq\b|\bquarter[ -]over[ -]quarter\b|季度?环比")),
               (TimeGrain.WEEK, re.compile(r"\bwow\b|\bweek[ -]over[ -]week\b|周环比")),
               (TimeGrain.DAY, re.compile(r"\bdod\b|\bday[ -]over[ -]day\b|日环比")))
_MAX_STEPS = 14
"""A quarter's weeks (partial ones at both ends included) fit; two years of months do not."""


def _named_step(text: str) -> TimeGrain | None:
    """The unit a period-on-period cue names ("month over month": a month); bare "环比" names none."""
    return next((unit for unit, cue in _STEP_CUES if cue.search(text)), None)


def _in_brackets(text: str, mention: TimeMention) -> bool:
    return text[:mention.start].rstrip().endswith(("(", "[")) and text[mention.end:].lstrip().startswith((")", "]"))


def _stepped(ranges: list[TimeRange], reading: Reading, as_of: date) -> tuple[TimeRange, ...]:
    """The periods named, taken together, split by the step a period-on-period cue names."""
    step = _named_step(reading.text)
    bounds = [r.resolve(as_of) for r in ranges]
    starts, ends = [b[0] for b in bounds if b[0]], [b[1] for b in bounds if b[1]]
    if step is None or not starts or not ends:
        return ()
    return _steps(TimeRange(start=min(starts), end=max(ends)), step, as_of, reading.language == "zh")


def _steps(time_range: TimeRange, unit: TimeGrain, as_of: date, zh: bool) -> tuple[TimeRange, ...]:
    """"MoM for 2025": each month of 2025 beside the one before it (it was 2025 against 2024).
    Empty when the range is one unit or less (then it is compared with the unit before)."""
    start, end = time_range.resolve(as_of)
    if start is None or end is None:
        return ()
    steps = []
    first = period_start(start, unit)
    while first <= end:
        last = shift_period(first, unit, 1) - timedelta(days=1)
        steps.append(TimeRange(start=max(first, start), end=min(last, end)))
        first = shift_period(first, unit, 1)
    if len(steps) > _MAX_STEPS:
        raise Unanswerable(
            f"这段时间有{len(steps)}个周期，逐期环比太长；请缩短时间段，例如“2025年各月订单数月环比”。" if zh else
            f"That period has {len(steps)} {unit.value}s, too many to set side by side; name a shorter one, "
            f"e.g. 'month over month change in orders for 2025'.")
    return tuple(steps) if len(steps) >= 2 else ()


_GROWTH_OF_NOW = re.compile(r"\b(?:growth|grew|growing|grow)\b|增长|增速|增幅|涨幅")


def _growth_of_now(reading: Reading) -> bool:
    """"revenue growth by region", "哪个渠道增长最快": growth with no period and no time split
    is the current period against the one before (said in a note), never the all-time total
    with the growth dropped. "Customer growth by month" is a time series: left alone."""
    return bool(_GROWTH_OF_NOW.search(reading.text)) and reading.grain is None and not reading.trend


_UNIT_CUES = ((TimeGrain.QUARTER, re.compile(r"\bqoq\b|quarter|季度")), (TimeGrain.WEEK, re.compile(r"\bwow\b|week|周")))


def _current_against_before(reading: Reading, as_of: date, *, years: bool) -> PeriodReading:
    """"销售额同比", "revenue vs last year", "orders MoM": a comparison without its period
    compares the current one (to date) with the one it names — never the all-time total
    with the comparison dropped. The period is said in a note."""
    unit = TimeGrain.YEAR if years else next(
        (grain for grain, cue in _UNIT_CUES if cue.search(reading.text)), TimeGrain.MONTH)
    current = TimeRange(relative=RelativeTime(kind="current", unit=unit, n=1))
    before = _before(current, as_of, years=years)
    if before is None:
        return PeriodReading()
    zh = reading.language == "zh"
    names = {TimeGrain.YEAR: ("今年", "this year"), TimeGrain.QUARTER: ("本季度", "this quarter"),
             TimeGrain.MONTH: ("本月", "this month"), TimeGrain.WEEK: ("本周", "this week")}
    name = names[unit][0 if zh else 1]
    if zh:
        note = f"问题没有说时间：按{name}（截至{as_of:%Y-%m-%d}）{'同比去年同期' if years else '对比上一期'}。"
    else:
        note = (f"No period named: comparing {name} (to {as_of:%Y-%m-%d}) with "
                f"{'the same days last year' if years else 'the one before'}.")
    return PeriodReading(periods=(before, current), note=note)


def _several(ranges: list[TimeRange], reading: Reading, as_of: date) -> PeriodReading:
    spelled = [m.time_range for m in reading.times if m.time_range is not None and _in_brackets(reading.text, m)
               and _length(m.time_range.resolve(as_of)) <= 62]  # "国庆期间（2025）": a year in brackets only anchors
    if len(spelled) == 1:
        return PeriodReading(time_range=spelled[0])  # "双11（11月1号到11号）": the dates in brackets say what it means
    bounds = [r.resolve(as_of) for r in ranges]
    if _nested(bounds):
        narrowest = min(range(len(bounds)), key=lambda i: _length(bounds[i]))
        return PeriodReading(time_range=ranges[narrowest])
    starts = [b[0] for b in bounds if b[0]]
    ends = [b[1] for b in bounds if b[1]]
    combined = TimeRange(start=min(starts), end=max(ends)) if starts and ends else ranges[0]
    if COMBINED.search(reading.text):
        return PeriodReading(time_range=combined)
    if reading.grain is not None and not _grain_word_only(reading):
        return PeriodReading(time_range=combined, grain=reading.grain)
    if len(starts) < len(ranges) or len(ends) < len(ranges):
        return PeriodReading(time_range=combined, grain=_common_unit(bounds))
    return PeriodReading(periods=_ordered(ranges, as_of))


def _split_by_time(reading: Reading) -> bool:
    """A time split named in its own words ("每个季度", "by month"), not by a growth word
    ("mom", "yoy") that also reads as a grain: the period is shown at that grain."""
    for mention in reading.times:
        words = reading.text[mention.start:mention.end]
        if mention.grain is not None and not (cues.YEAR_ON_YEAR.search(words) or cues.PERIOD_ON_PERIOD.search(words)):
            return True
    return False


def _split_beside_last_year(named: TimeRange, reading: Reading, as_of: date) -> PeriodReading:
    """"今年每个季度销售额同比", "monthly revenue yoy for 2025": each unit of the period, and of
    the same period a year before, in a row (2024's quarters then 2025's) when the two adjoin.
    Read as the period alone, last year was dropped and the 同比 with it, without a word; two
    periods apart (H1 this year and last) are asked for one by one."""
    before = _before(named, as_of, years=True)
    start, end = named.resolve(as_of)
    if before is not None and start is not None and end is not None \
            and (first := before.resolve(as_of))[0] is not None and first[1] == start - timedelta(days=1):
        return PeriodReading(time_range=TimeRange(start=first[0], end=end))
    raise Unanswerable(
        "按时间拆分的同比需要两段连续的时间；请分别问两段，例如“今年上半年每个月的销售额”和“去年上半年每个月的销售额”。"
        if reading.language == "zh" else
        "A year-on-year split by time needs the two periods to adjoin; ask for each one, e.g. 'monthly revenue in "
        "H1 2025' and 'monthly revenue in H1 2024'.")


def _this_year_split_beside_last(reading: Reading, as_of: date) -> PeriodReading:
    """"quarterly revenue yoy", "各季度GMV同比": a split by time with a year-on-year cue and no
    period is this year's units beside last year's, each quarter with the same quarter a year
    before (2024's quarters then 2025's, to date). Read as this year against last year, the split
    was dropped without a word: two totals where the question asked for each quarter."""
    zh = reading.language == "zh"
    note = (f"问题没有说时间：按今年（截至{as_of:%Y-%m-%d}）和去年逐期对比。" if zh else
            f"No period named: this year (to {as_of:%Y-%m-%d}) and last year, unit by unit.")
    return PeriodReading(time_range=TimeRange(start=date(as_of.year - 1, 1, 1), end=as_of), note=note)


def _grain_word_only(reading: Reading) -> bool:
    """"yoy", "mom": a grain word that names the comparison, not a breakdown by time."""
    return bool(cues.YEAR_ON_YEAR.search(reading.text) or cues.PERIOD_ON_PERIOD.search(reading.text))


def _ordered(ranges: list[TimeRange], as_of: date) -> tuple[TimeRange, ...]:
    unique = list(dict.fromkeys(ranges))
    return tuple(sorted(unique, key=lambda r: r.resolve(as_of)[0] or as_of))


def period_before(time_range: TimeRange, as_of: date, *, years: bool) -> TimeRange | None:
    """``_before`` for a period that is not a spec's (a tool call's start and end)."""
    return _before(time_range, as_of, years=years)


def _before(time_range: TimeRange, as_of: date, *, years: bool) -> TimeRange | None:
    """The same span a year earlier (``years``) or the span of equal length just before it.

    Calendar periods move by their own unit (Q3 → Q2, Nov → Oct); a period still running
    ("this month" on the 15th) is compared like for like, to the same day.
    """
    start, end = time_range.resolve(as_of)
    if start is None or end is None:
        return None
    if years:
        last = shift_period(end, TimeGrain.YEAR, -1)
        if _is_month_end(end):  # "2025年2月同比": all of February 2024, the 29th too (it stopped on the 28th)
            last = date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
        return TimeRange(start=shift_period(start, TimeGrain.YEAR, -1), end=last)
    if _is_weekend(start, end):  # "and the weekend before?": the Saturday and Sunday a week earlier
        return TimeRange(start=start - timedelta(days=7), end=end - timedelta(days=7))
    unit = _calendar_unit(start, end, as_of)
    if unit is not None:
        first = shift_period(start, unit, -1)
        last = min(shift_period(end, unit, -1), start - timedelta(days=1))
        if _is_unit_end(end, unit):
            last = start - timedelta(days=1)
        return TimeRange(start=first, end=last)
    days = (end - start).days + 1
    return TimeRange(start=start - timedelta(days=days), end=start - timedelta(days=1))


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


_WEEKEND_WORD = re.compile(r"week-?end|周末|礼拜六日|双休")


def _check_weekend_before(reading: Reading, as_of: date, previous: QuerySpec | None) -> None:
    """"and the weekend before that?" moves a weekend back a week; said after anything but one
    weekend (a month, or no question at all) there is no weekend to move from, so it is declined
    rather than read as the period before some other span."""
    if not reading.period_before or not any(_WEEKEND_WORD.search(m.group())
                                            for m in cues.PERIOD_BEFORE.finditer(reading.text)):
        return
    base = previous.time_range.resolve(as_of) if previous is not None and previous.time_range is not None else None
    if base is None or base[0] is None or base[1] is None or not _is_weekend(base[0], base[1]):
        raise Unanswerable(
            "“前一个周末”要接在问某个周末的问题后面；请直接说哪个周末，例如“上上周末的订单数”。"
            if reading.language == "zh" else
            "'The weekend before' needs a weekend asked about just before; name the weekend, "
            "e.g. 'orders the weekend before last'."
        )


def _is_weekend(start: date, end: date) -> bool:
    """A Saturday and the Sunday after it: one weekend, which moves back by a whole week (the
    two days just before it are a Thursday and a Friday, no weekend)."""
    return start.weekday() == 5 and end == start + timedelta(days=1)


def _calendar_unit(start: date, end: date, as_of: date) -> TimeGrain | None:
    for unit in (TimeGrain.YEAR, TimeGrain.QUARTER, TimeGrain.MONTH, TimeGrain.WEEK, TimeGrain.DAY):
        if period_start(start, unit) == start and period_start(end, unit) == start and (
            _is_unit_end(end, unit) or end == as_of
        ):
            return unit
    return None


def _is_unit_end(day: date, unit: TimeGrain) -> bool:
    return shift_period(period_start(day, unit), unit, 1) - timedelta(days=1) == day


def _length(bounds: tuple[date | None, date | None]) -> int:
    start, end = bounds
    return (end - start).days if start and end else 1_000_000


def _nested(bounds: list[tuple[date | None, date | None]]) -> bool:
    """True when the periods overlap ("2025年10月1日至7日（国庆）"): one period, said twice."""
    for i, (a_start, a_end) in enumerate(bounds):
        for b_start, b_end in bounds[i + 1:]:
            if a_start and a_end and b_start and b_end and a_start <= b_end and b_start <= a_end:
                return True
    return False


def _common_unit(bounds: list[tuple[date | None, date | None]]) -> TimeGrain | None:
    """The grain that puts each of several named periods in its own bucket."""
    spans = [(end - start).days + 1 for start, end in bounds if start and end]
    if not spans:
        return None
    longest = max(spans)
    if longest >= 365:
        return TimeGrain.YEAR
    if longest >= 89:
        return TimeGrain.QUARTER
    if longest >= 28:
        return TimeGrain.MONTH
    if longest >= 7:
        return TimeGrain.WEEK
    return TimeGrain.DAY
