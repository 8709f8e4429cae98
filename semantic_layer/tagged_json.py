"""Warehouse values as JSON that gives back the same Python types (dates, decimals ...).

Plain JSON turns a date into a string and a Decimal into a float; a cached result must
come back exactly as the warehouse returned it, so such values are written as one-key
objects naming their type (``{"date": "2025-01-31"}``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal
from typing import Any
from uuid import UUID


class NotEncodable(Exception):
    """A value this encoding cannot round-trip exactly (the caller skips caching it)."""


def encode_value(value: Any) -> Any:
    """``value`` as JSON, tagged when JSON has no such type; ``NotEncodable`` otherwise."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else {"float": repr(value)}
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, day_time):
        return {"time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, timedelta):
        return {"timedelta": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, UUID):
        return {"uuid": str(value)}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode()}
    if isinstance(value, list):
        return {"list": [encode_value(v) for v in value]}
    raise NotEncodable(type(value).__name__)


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "float": float,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": day_time.fromisoformat,
    "decimal": Decimal,
    "timedelta": lambda parts: timedelta(days=parts[0], seconds=parts[1], microseconds=parts[2]),
    "uuid": UUID,
    "bytes": base64.b64decode,
    "list": lambda items: [decode_value(v) for v in items],
}


def decode_value(value: Any) -> Any:
    """The value ``encode_value`` was given."""
    if isinstance(value, dict):
        ((tag, inner),) = value.items()
        return _DECODERS[tag](inner)
    return value
