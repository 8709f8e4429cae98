"""Masking personal data (数据脱敏): ``138****5678``, ``a***@example.com``.

Two kinds of masking, both pure and idempotent (masking a masked value changes nothing):

- ``mask_private``: a value of a column tagged personal data (``pii``), whatever it holds.
- ``mask_text``: e-mail addresses and mobile numbers found inside any text (a campaign name,
  a narrative, a log line), for data that was never tagged but looks personal.

The warehouse applies ``mask_rows`` to every result a caller may not see raw, so a tool, a
hand-written query and the LLM agent's SQL all get masked rows by construction.

>>> mask_email("alice.wang@example.com")
'a***@example.com'
>>> mask_phone("13812345678")
'138****5678'
>>> mask_text("call 138-1234-5678 or mail bob@x.cn")
'call 138****5678 or mail b***@x.cn'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

EMAIL = re.compile(r"(?<![\w.%+\-*])([A-Za-z0-9][A-Za-z0-9._%+\-]*)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")
"""An e-mail address; the local part starts with a letter or digit (a masked one has ``***``)."""
PHONE = re.compile(r"(?<![\d*])(\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?![\d*])")
"""A mainland-China mobile number, with or without +86 and separators."""
INTERNATIONAL = re.compile(r"(?<![\d*])\+(\d{1,3})[-\s]?(\d[\d\-\s]{5,13})(\d{4})(?![\d*])")
"""Any other number written with a leading ``+`` and a country code."""
MASK = "****"


def mask_email(value: str) -> str:
    """Keep the first character of the local part and the domain."""
    return EMAIL.sub(lambda m: f"{m.group(1)[0]}***@{m.group(2)}", value)


def mask_phone(value: str) -> str:
    """Keep the first three and last four digits of a mobile number."""
    masked = PHONE.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}{MASK}{m.group(4)}", value)
    return INTERNATIONAL.sub(lambda m: f"+{m.group(1)} {MASK}{m.group(3)}", masked)


def mask_text(value: str) -> str:
    """E-mail addresses and phone numbers inside ``value``, masked."""
    if "@" not in value and sum(c.isdigit() for c in value) < 8:
        return value  # the common case, without a regex
    return mask_phone(mask_email(value))


def mask_private(value: Any) -> Any:
    """A value of a personal-data column: an e-mail or a phone number keeps its shape,
    anything else keeps its first character only. ``None`` stays ``None``."""
    if value is None:
        return None
    text = str(value)
    if "@" in text:
        local, _, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = [c for c in text if c.isdigit()]
    if len(digits) >= 7:
        return "".join(digits[:3]) + MASK + "".join(digits[-4:])
    return f"{text[:1]}***" if text else text


def mask_value(value: Any) -> Any:
    """``mask_text`` for strings; other values as they are."""
    return mask_text(value) if isinstance(value, str) else value


def mask_rows(
    rows: Iterable[Sequence[Any]], private: Iterable[int] = ()
) -> tuple[tuple[Any, ...], ...]:
    """Rows with personal data masked: whole columns at ``private`` positions, and e-mail
    addresses or phone numbers inside any other text cell."""
    hidden = frozenset(private)
    return tuple(
        tuple(mask_private(v) if i in hidden else mask_value(v) for i, v in enumerate(row))
        for row in rows
    )


def looks_personal(value: str) -> bool:
    """True when ``value`` holds an e-mail address or a phone number."""
    return mask_text(value) != value
