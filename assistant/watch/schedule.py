"""When a monitor runs: a small closed set of calendar schedules a marketer asks for.

"every Monday at 9", "daily", "每月1号", "每个工作日早上8点" — each becomes a ``Schedule``
(every day / weekday / week on a day / month on a day, at a time of day) that APScheduler's
cron trigger runs in the configured time zone (``GENBI_TIMEZONE``, else the machine's).
"""

from __future__ import annotations

import os
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from genbi.errors import ConfigError
from genbi.semantic_layer.query_spec import RelativeTime, TimeGrain

TIMEZONE_ENV = "GENBI_TIMEZONE"
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")
CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Schedule(BaseModel):
    """A calendar schedule; every run is at ``hour:minute`` in the configured time zone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: Literal["day", "weekday", "week", "month"]
    day_of_week: int | None = Field(default=None, ge=0, le=6, description="0 = Monday (every week).")
    day: int | None = Field(default=None, ge=1, le=28, description="Day of the month (every month).")
    hour: int = Field(default=9, ge=0, le=23)
    minute: int = Field(default=0, ge=0, le=59)

    def cron(self) -> dict[str, str | int]:
        """Arguments for APScheduler's ``CronTrigger``."""
        fields: dict[str, str | int] = {"hour": self.hour, "minute": self.minute}
        if self.every == "weekday":
            fields["day_of_week"] = "mon-fri"
        elif self.every == "week":
            fields["day_of_week"] = CRON_DAYS[self.day_of_week or 0]
        elif self.every == "month":
            fields["day"] = self.day or 1
        return fields

    def period(self) -> RelativeTime:
        """The period a report covers when the question names none: the one just closed."""
        unit = {"day": TimeGrain.DAY, "weekday": TimeGrain.DAY, "week": TimeGrain.WEEK,
                "month": TimeGrain.MONTH}[self.every]
        return RelativeTime(kind="previous", unit=unit, n=1)

    def lookback_days(self) -> int:
        """How many days one run covers: those since the run before."""
        return {"day": 1, "weekday": 1, "week": 7, "month": 31}[self.every]

    def describe(self, language: str) -> str:
        """"every Monday at 09:00" / "每周一 09:00"."""
        at = f"{self.hour:02d}:{self.minute:02d}"
        if language == "zh":
            when = {"day": "每天", "weekday": "每个工作日", "week": f"每周{DAYS_ZH[self.day_of_week or 0]}",
                    "month": f"每月{self.day or 1}号"}[self.every]
            return f"{when} {at}"
        when = {"day": "every day", "weekday": "every weekday", "week": f"every {DAYS_EN[self.day_of_week or 0]}",
                "month": f"on day {self.day or 1} of every month"}[self.every]
        return f"{when} at {at}"


def configured_timezone() -> ZoneInfo:
    """``GENBI_TIMEZONE`` (an IANA name such as Asia/Shanghai), else the machine's zone."""
    name = os.environ.get(TIMEZONE_ENV, "").strip()
    if not name:
        from tzlocal import get_localzone_name

        name = get_localzone_name() or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{TIMEZONE_ENV}='{name}' is not a time zone.",
                          "Use an IANA name such as Asia/Shanghai or Europe/Berlin.") from None
