"""Numbers, dates and category names as a marketer reads them — the one formatting layer.

Every front end (chat UI table and chart, Slack, CLI, narratives, tool sentences) formats
through here, so the same value reads the same way everywhere: money with ¥ and separators
(¥1.35M, ¥135.5万, ¥1.36亿), rates and shares as percentages, ratios like ROAS with two
decimals and ×, counts as integers, periods by their grain ("2025-03", "2025 Q3",
"Mar 3 – 9"). Raw values stay untouched in CSV and JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

Format = Literal["currency", "percent", "number", "ratio"]
Language = Literal["en", "zh"]
CURRENCY = "¥"
"""The demo's money symbol; ``use_currency`` sets the one the answering model declares."""
_currency = CURRENCY


def use_currency(symbol: str | None) -> None:
    """Money is shown with the model's (or project file's) symbol, none when it declares none:
    a drafted model of a European mart must not read as yen."""
    global _currency
    _currency = symbol or ""


def currency_symbol() -> str:
    return _currency
RATIO_SIGN = "×"
MAX_DECIMALS = 2
"""No number is shown with more decimals than this (percentages: one)."""


def format_value(value: Any, fmt: Format = "number", language: Language = "en") -> str:
    """Format one metric value; ``None``/NaN shows as an em dash.

    >>> format_value(1_355_000, "currency", "zh")
    '¥135.5万'
    >>> format_value(4.1357, "ratio")
    '4.14×'
    """
    if isinstance(value, Decimal):
        value = float(value)
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "—"
    if isinstance(value, datetime | date):
        return format_date(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if fmt == "percent":
        return format_percent(value)
    if fmt == "ratio":
        return f"{value:,.2f}{RATIO_SIGN}"
    prefix = _currency if fmt == "currency" else ""
    sign = "-" if value < 0 else ""
    size = abs(value)
    text = _compact_zh(size, fmt) if language == "zh" else _compact_en(size, fmt)
    return f"{sign}{prefix}{text}"


def format_percent(value: float, decimals: int = 1) -> str:
    """A rate or share (0.7686 → 76.9%); whole percent once it is 1000% or more."""
    if abs(value) >= 10:
        return f"{value * 100:,.0f}%"
    return f"{value * 100:.{decimals}f}%"


def format_count(value: float, language: Language = "en") -> str:
    """A count of people, orders, rows: an integer with separators (1,234)."""
    return format_value(round(value), "number", language)


def format_number(value: Any, language: Language = "en") -> str:
    """A free-standing number of unknown meaning: integers whole, others at two decimals."""
    return format_value(value, "number", language)


def format_member(value: Any, language: Language = "en", *, labels: Mapping[Any, str] | None = None,
                  null_label: str | None = None) -> str:
    """A dimension member as shown: its label in ``language`` when the model has one.

    NULL is the group of rows with no value: it gets ``null_label`` (e.g. "no campaign
    (organic)") or a plain "Not set" / "未设置" — never a blank cell.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return null_label or ("未设置" if language == "zh" else "Not set")
    if labels:
        label = labels.get(value) or labels.get(str(value))
        if label:
            return label
    if isinstance(value, datetime | date):
        return format_date(value)
    if isinstance(value, bool):
        return ("是" if value else "否") if language == "zh" else ("Yes" if value else "No")
    if isinstance(value, float | Decimal):
        return format_number(value, language)
    return str(value)  # integers too: a member like a customer ID or cluster is no amount


def format_date(value: date | datetime) -> str:
    """A day (ISO); a timestamp at midnight shows as its day."""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else value.isoformat()


def format_period(value: Any, grain: str | None, language: Language = "en") -> str:
    """A time bucket by its grain: "2025-03", "2025 Q3", "2025", "Mar 3 – 9" / "3月3日–9日"."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(value, date | datetime):
        return format_member(value, language)
    day = value.date() if isinstance(value, datetime) else value
    if grain == "month":
        return f"{day.year}年{day.month}月" if language == "zh" else f"{day:%Y-%m}"
    if grain == "quarter":
        quarter = (day.month - 1) // 3 + 1
        return f"{day.year}年第{quarter}季度" if language == "zh" else f"{day.year} Q{quarter}"
    if grain == "year":
        return f"{day.year}年" if language == "zh" else str(day.year)
    if grain == "week":
        return _week(day, language)
    return format_date(value)


def _week(start: date, language: Language) -> str:
    end = start + timedelta(days=6)
    if language == "zh":
        tail = f"{end.day}日" if end.month == start.month else f"{end.month}月{end.day}日"
        return f"{start.month}月{start.day}日–{tail}"
    tail = f"{end.day}" if end.month == start.month else f"{end:%b} {end.day}"
    return f"{start:%b} {start.day} – {tail}"


def format_share(part: float, whole: float) -> str:
    return "—" if not whole else f"{part / whole * 100:.0f}%"


def format_change(new: float, old: float, language: Language = "en") -> str:
    """'up 12%' / '上升12%' (or 'flat'), relative to ``old``."""
    if not old:
        return ""
    change = (new - old) / abs(old) * 100
    if abs(change) < 0.5:
        return "持平" if language == "zh" else "flat"
    if language == "zh":
        return f"{'上升' if change > 0 else '下降'}{abs(change):.0f}%"
    return f"{'up' if change > 0 else 'down'} {abs(change):.0f}%"


def _compact_en(value: float, fmt: Format) -> str:
    if value >= 1e9:
        return f"{value / 1e9:.2f}B"
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e4 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _compact_zh(value: float, fmt: Format) -> str:
    if value >= 1e8:
        return f"{value / 1e8:.2f}亿"
    if value >= (1e4 if fmt == "currency" else 1e6):
        tens = value / 1e4
        places = max(0, min(MAX_DECIMALS, 4 - len(str(int(tens)))))
        return f"{tens:.{places}f}万"
    if value >= 1e4 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"
