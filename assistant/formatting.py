"""Numbers as a marketer reads them: ¥ and thousands in English, 万 / 亿 in Chinese.

Kept apart from the narrative so tables, charts, Slack and the narrative format the same
value the same way.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Literal

Format = Literal["currency", "percent", "number", "ratio"]
Language = Literal["en", "zh"]


def format_value(value: Any, fmt: Format = "number", language: Language = "en") -> str:
    """Format one metric value; ``None``/NaN shows as an em dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, datetime | date):
        return format_date(value)
    if not isinstance(value, int | float):
        return str(value)
    if fmt == "percent":
        return f"{value * 100:.1f}%" if abs(value) < 10 else f"{value * 100:,.0f}%"
    if fmt == "ratio":
        return f"{value:.2f}" if language == "zh" else f"{value:.2f}x"
    prefix = "¥" if fmt == "currency" else ""
    sign = "-" if value < 0 else ""
    text = _compact_zh(abs(value)) if language == "zh" else _compact_en(abs(value), fmt)
    return f"{sign}{prefix}{text}"


def format_member(value: Any, language: Language = "en") -> str:
    """A dimension member as shown: NULL is "(none)", the group of rows with no value."""
    if value is None:
        return "（无）" if language == "zh" else "(none)"
    if isinstance(value, datetime | date):
        return format_date(value)
    return str(value)


def format_date(value: date | datetime) -> str:
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


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
    if value >= 1e4:
        return f"{value:,.0f}"
    if fmt == "currency" or not float(value).is_integer():
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def _compact_zh(value: float) -> str:
    if value >= 1e8:
        return f"{value / 1e8:.2f}亿"
    if value >= 1e4:
        return f"{value / 1e4:.2f}万"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"
