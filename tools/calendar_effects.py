"""The Chinese retail calendar as known effects: 双11, 618, 双12, 520, 38节, 春节, 国庆.

Why a module of its own: a shopping festival is a peak every marketer expects, not an
anomaly. The anomaly detector labels each day with the festival phase it falls in (the
build-up / pre-sale days, the peak day, the day after) and learns each phase's usual lift
from the same festival in earlier years; a festival with no earlier year in the data is
reported as a festival day, never as an anomaly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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
    """Fixed (month, day) of the peak; None for the Spring Festival (``SPRING_FESTIVAL``)."""
    lead_days: int
    after_days: int = 0
    after_words: tuple[str, str] = ("day after", "返场")
    """What the days after the peak are called (English, Chinese)."""

    def peak(self, year: int) -> date | None:
        if self.month_day is None:
            return SPRING_FESTIVAL.get(year)
        return date(year, *self.month_day)


FESTIVALS: tuple[Festival, ...] = (
    Festival("double11", "Double 11", "双11", (11, 11), lead_days=11, after_days=1),
    Festival("618", "618", "618", (6, 18), lead_days=17, after_days=1),
    Festival("double12", "Double 12", "双12", (12, 12), lead_days=2),
    Festival("520", "520", "520", (5, 20), lead_days=2),
    Festival("goddess", "Goddess Day (Mar 8)", "三八节", (3, 8), lead_days=3),
    Festival("spring", "Spring Festival", "春节", None, lead_days=7, after_days=6, after_words=("holiday", "假期")),
    Festival("national", "National Day", "国庆", (10, 1), lead_days=0, after_days=6, after_words=("holiday", "假期")),
)


@dataclass(frozen=True)
class CalendarDay:
    """A day inside a festival: which one, and which phase (lead, peak, after)."""

    festival: Festival
    phase: str

    @property
    def key(self) -> str:
        """Festival and phase: the unit whose lift is learned from earlier years."""
        return f"{self.festival.key}:{self.phase}"


def calendar_days(start: date, end: date) -> dict[date, CalendarDay]:
    """Every festival day from ``start`` to ``end``; a day in two festivals keeps the peak."""
    days: dict[date, CalendarDay] = {}
    for year in range(start.year - 1, end.year + 2):
        for festival in FESTIVALS:
            peak = festival.peak(year)
            if peak is None:
                continue
            phases = [(peak - timedelta(days=i), "lead") for i in range(festival.lead_days, 0, -1)]
            phases += [(peak, "peak")] + [(peak + timedelta(days=i), "after") for i in range(1, festival.after_days + 1)]
            for day, phase in phases:
                if start <= day <= end and (day not in days or phase == "peak"):
                    days[day] = CalendarDay(festival, phase)
    return days
