"""Retail calendars as known effects: China's (双11, 618, 双12, 520, 38节, 春节, 国庆) and the
Western one (Black Friday to Cyber Monday, Christmas, New Year, Valentine's Day).

Why a module of its own: a shopping festival is a peak every marketer expects, not an
anomaly. The anomaly detector labels each day with the festival phase it falls in (the
build-up / pre-sale days, the peak day, the day after) and learns each phase's usual lift
from the same festival in earlier years; a festival with no earlier year in the data is
reported as a festival day, never as an anomaly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

Calendar = Literal["cn", "western", "none"]

SPRING_FESTIVAL = {
    2019: date(2019, 2, 5), 2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1),
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
    2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
}
"""Lunar New Year's Day by year (the festival moves; the others are fixed dates)."""


@dataclass(frozen=True)
class Festival:
    """A yearly festival: its peak day and how many days of build-up and after-effect."""

    key: str
    name: str
    name_zh: str
    month_day: tuple[int, int] | None
    """Fixed (month, day) of the peak; None for a moving one (``moving``)."""
    lead_days: int
    after_days: int = 0
    after_words: tuple[str, str] = ("day after", "返场")
    """What the days after the peak are called (English, Chinese)."""
    moving: Callable[[int], date | None] | None = None
    """The peak of a festival whose date moves, by year."""

    def peak(self, year: int) -> date | None:
        if self.month_day is None:
            return self.moving(year) if self.moving else None
        return date(year, *self.month_day)


def black_friday(year: int) -> date:
    """The day after the US Thanksgiving (the fourth Thursday of November)."""
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thursday + timedelta(days=1)


FESTIVALS: tuple[Festival, ...] = (
    Festival("double11", "Double 11", "双11", (11, 11), lead_days=11, after_days=1),
    Festival("618", "618", "618", (6, 18), lead_days=17, after_days=1),
    Festival("double12", "Double 12", "双12", (12, 12), lead_days=2),
    Festival("520", "520", "520", (5, 20), lead_days=2),
    Festival("goddess", "Goddess Day (Mar 8)", "三八节", (3, 8), lead_days=3),
    Festival("spring", "Spring Festival", "春节", None, lead_days=7, after_days=6, after_words=("holiday", "假期"),
             moving=SPRING_FESTIVAL.get),
    Festival("national", "National Day", "国庆", (10, 1), lead_days=0, after_days=6, after_words=("holiday", "假期")),
)
"""China's retail calendar (the demo's)."""

WESTERN_FESTIVALS: tuple[Festival, ...] = (
    Festival("black_friday", "Black Friday", "黑色星期五", None, lead_days=0, after_days=3,
             after_words=("Cyber weekend", "网络星期一周末"), moving=black_friday),
    Festival("christmas", "Christmas", "圣诞节", (12, 25), lead_days=1, after_days=1,
             after_words=("Boxing Day", "节礼日")),
    Festival("new_year", "New Year's Day", "元旦", (1, 1), lead_days=1),
    Festival("valentine", "Valentine's Day", "情人节", (2, 14), lead_days=2),
)
"""Where most shops outside China see their peaks and closures."""

CALENDARS: dict[str, tuple[Festival, ...]] = {"cn": FESTIVALS, "western": WESTERN_FESTIVALS, "none": ()}
BY_KEY: dict[str, Festival] = {f.key: f for f in FESTIVALS + WESTERN_FESTIVALS}

_CHINESE_MONEY = {"¥", "￥", "CNY", "RMB", "元"}


def model_calendar(model: Any) -> Calendar:
    """The calendar a model's data lives by: the model's own ``calendar``, else China's where its
    money is yuan or its words are Chinese, else the Western one. Judging a UK shop's 11 November
    as 双11 would hide a real anomaly that day and call its Black Friday one."""
    declared = getattr(model, "calendar", None)
    if declared:
        return declared
    if (getattr(model, "currency", None) or "").strip() in _CHINESE_MONEY:
        return "cn"
    tables = getattr(model, "tables", ())
    names = [t.source or t.name for t in tables] + [c.source or c.name for t in tables for c in t.columns]
    return "cn" if any("\u4e00" <= ch <= "\u9fff" for name in names for ch in name) else "western"


@dataclass(frozen=True)
class CalendarDay:
    """A day inside a festival: which one, and which phase (lead, peak, after)."""

    festival: Festival
    phase: str

    @property
    def key(self) -> str:
        """Festival and phase: the unit whose lift is learned from earlier years."""
        return f"{self.festival.key}:{self.phase}"


def calendar_days(start: date, end: date, calendar: Calendar = "cn") -> dict[date, CalendarDay]:
    """Every festival day from ``start`` to ``end``; a day in two festivals keeps the peak."""
    days: dict[date, CalendarDay] = {}
    for year in range(start.year - 1, end.year + 2):
        for festival in CALENDARS[calendar]:
            peak = festival.peak(year)
            if peak is None:
                continue
            phases = [(peak - timedelta(days=i), "lead") for i in range(festival.lead_days, 0, -1)]
            phases += [(peak, "peak")] + [(peak + timedelta(days=i), "after") for i in range(1, festival.after_days + 1)]
            for day, phase in phases:
                if start <= day <= end and (day not in days or phase == "peak"):
                    days[day] = CalendarDay(festival, phase)
    return days
