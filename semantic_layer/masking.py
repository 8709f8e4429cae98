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

import datetime as dt
import re
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

_FOLD = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}
"""Full-width ASCII (``１３９``, ``＠``) and the ideographic space, folded one character to one
character, so a pattern's match spans are the same in the folded and the original text."""

_AT = r"(?:\s*@\s*|\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|(?<=[A-Za-z0-9])#)"
_DOT = r"(?:\.|\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_FILE_TYPES = r"(?:csv|tsv|xlsx|xls|xlsm|parquet|json|jsonl|ndjson|txt|duckdb|db|sqlite|sqlite3|yaml|yml)"
"""A file's type, never an address's top-level domain: 'No file at orders.csv' names a path."""
EMAIL = re.compile(
    rf"(?<![\w.%+\-*])(?P<local>[A-Za-z0-9][A-Za-z0-9._%+\-]*){_AT}"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?!{_FILE_TYPES}(?![A-Za-z0-9]))[A-Za-z]{{2,}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
"""An e-mail address in any common spelling: ``a@b.com``, ``a AT b.com``, ``a [at] b [dot] com``,
``a#b.com``, full-width ``＠``. The local part starts with a letter or digit, so a masked
address (``a***@b.com``) does not match again."""
_SEP = r"[ \t\-]"
PHONE = re.compile(
    r"(?<![\d*])(?<![\d*][ \t\-])"
    r"(?P<cc>(?:\+|00)\s*86[\s\-]*|\(\s*\+?\s*86\s*\)[\s\-]*|86[\s\-]?)?"
    rf"(?P<head>1{_SEP}?[3-9]{_SEP}?\d)(?P<mid>(?:{_SEP}?\d){{4}})(?P<tail>(?:{_SEP}?\d){{4}})"
    r"(?![\d*])(?![ \t\-]\d)"
)
"""A mainland-China mobile number, with or without +86 / 0086 / (+86), with spaces or dashes
anywhere between its digits (``159 1960 1569``, ``1-5-9…``), full-width digits included."""
INTERNATIONAL = re.compile(r"(?<![\d*])\+(\d{1,3})[-\s]?(\d[\d\-\s]{5,13})(\d{4})(?![\d*])")
"""Any other number written with a leading ``+`` and a country code."""
MASK = "****"


def _fold(value: str) -> str:
    if value.isascii() or not _WIDE.search(value):
        return value  # nothing to fold (translate walks every character through a dict)
    return value.translate(_FOLD)


_WIDE = re.compile("[\uff01-\uff5e\u3000]")


def _substitute(pattern: re.Pattern[str], value: str, replace: Any) -> str:
    """``pattern.sub`` matched on the folded text, applied to the original one."""
    folded = _fold(value)
    parts: list[str] = []
    last = 0
    for found in pattern.finditer(folded):
        parts += [value[last:found.start()], replace(found)]
        last = found.end()
    return "".join(parts) + value[last:] if parts else value


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def mask_email(value: str) -> str:
    """Keep the first character of the local part and the domain."""
    return _substitute(EMAIL, value, lambda m: f"{m['local'][0]}***@{m['domain']}")


def mask_phone(value: str) -> str:
    """Keep the first three and last four digits of a mobile number."""
    masked = _substitute(
        PHONE, value, lambda m: f"{m['cc'] or ''}{_digits(m['head'])}{MASK}{_digits(m['tail'])}"
    )
    return _substitute(INTERNATIONAL, masked, lambda m: f"+{m.group(1)} {MASK}{m.group(3)}")


def mask_text(value: str) -> str:
    """E-mail addresses and phone numbers inside ``value``, masked (the one redaction step for
    text shown to someone who may not see personal data, or sent to an LLM)."""
    if value in _CLEAN:
        return value  # masked before and unchanged: the same question, SQL or label again
    if not _may_hold_personal(value):
        _remember_clean((value,))
        return value  # the common case (dates, amounts), without the full patterns
    return mask_phone(mask_email(value))


_CLEAN: dict[str, None] = {}
"""Texts ``mask_text`` was found to leave unchanged, lately. Masking is pure, so a text once
found clean stays clean; an answer masks the same texts several times (its question when asked,
in the answer and in the audit record; its SQL in the answer and the record; a chart's fixed
labels and colours in every answer), and each look after the first is a dict lookup. Only
clean text is kept (nothing personal by the masking's own test), short texts only, and a
bounded number of them: the memo is emptied when full."""
_CLEAN_KEPT = 2048
_CLEAN_LONGEST = 8192
"""Longer texts are not remembered (a long tool output: its hash costs what looking at it does)."""
_CLEAN_BATCH = 256
"""``texts_unchanged`` on more texts than this (a big result's text column) neither asks nor
fills the memo: a million distinct customer names would only churn it."""


def _remember_clean(texts: Iterable[str]) -> None:
    for text in texts:
        if len(text) <= _CLEAN_LONGEST:
            if len(_CLEAN) >= _CLEAN_KEPT:
                _CLEAN.clear()
            _CLEAN[text] = None


def _may_hold_personal(value: str) -> bool:
    """False when ``mask_text`` cannot change ``value``: no hint of an address (``@``, ``at``,
    ``a#b``, with a domain's ``.cn`` or ``dot``) and no run of digits a phone number needs."""
    folded = _fold(value)
    if ("@" in folded or ("#" in folded and _has_hash_address(folded)) or _has_at(folded)) \
            and _DOMAIN_END.search(folded):
        return True  # ``_MAYBE_EMAIL``'s spellings of "at" (looked for the quick way) and a domain's end
    if len(folded) < 8 or (not ("+" in folded and _PLUS_DIGIT.search(folded)) and not _phone_run(folded)):
        return False
    return sum(map(str.isdigit, folded)) >= 8


def texts_unchanged(texts: Iterable[str]) -> bool:
    """True when ``mask_text`` would change none of ``texts``, checked once on their joined text
    instead of text by text (an answer holds dozens: a chart's labels, its narrative, its SQL).

    Exact, never a guess: every hint ``_may_hold_personal`` looks for inside one text is also
    in the joined text (the newline between texts is neither a word character nor a phone
    separator, so word boundaries stay and no run of digits crosses it), so a clean joined text
    means every text is clean. A hint in the joined text says nothing: the caller then masks
    text by text, as before. Texts already found clean (``_CLEAN``) are left out of the joined
    text: each of them is clean by itself, so the rest decide."""
    if not isinstance(texts, list | tuple) or len(texts) > _CLEAN_BATCH:
        return not _may_hold_personal("\n".join(map(_fold, texts)))  # folded one by one: most need none
    unknown = [text for text in texts if text not in _CLEAN]  # those masked before and clean need no look
    if not unknown:
        return True
    if _may_hold_personal("\n".join(map(_fold, unknown))):
        return False
    _remember_clean(unknown)
    return True


_MAYBE_EMAIL = re.compile(r"@|(?<=[A-Za-z0-9])#|\bat\b", re.IGNORECASE)
"""What every spelling in ``_AT`` holds; a ``#`` only after a letter or digit ("a#b.com"),
so a colour ("#4C78A8", dozens in every chart) is not taken for an address."""
_MAYBE_PHONE = re.compile(rf"\d(?:{_SEP}?\d){{10}}")
"""Eleven digits at most one separator apart: every ``PHONE`` match holds such a run, and
``INTERNATIONAL`` needs a ``+``; text with neither cannot change."""
_DOMAIN_END = re.compile(r"\.[A-Za-z]{2}|dot", re.IGNORECASE)
"""How every ``EMAIL`` match ends (a ``_DOT`` and two letters): "peaked at 20,641." is no address."""
_PLUS_DIGIT = re.compile(r"\+\d")
"""How ``INTERNATIONAL`` starts (a chart's "+12%" is no phone number, but looks the long way)."""
_ALNUM = re.compile(r"[A-Za-z0-9]", re.IGNORECASE)
_AT_WORD_END = re.compile(r"[aA][tT]\b")
_WORD_CHAR = re.compile(r"\w")
_DIGIT_RUN = re.compile(rf"\d[\d{_SEP[1:-1]}]{{9,}}\d")


def _has_hash_address(text: str) -> bool:
    """A ``#`` after a letter or digit ("a#b.com"), not a colour's ("#4C78A8")."""
    at = text.find("#", 1)
    while at != -1:
        if _ALNUM.match(text, at - 1):
            return True
        at = text.find("#", at + 1)
    return False


def _has_at(text: str) -> bool:
    """``\bat\b`` (any case) in ``text``, found by scanning for the letters rather than trying a
    word boundary at every character (ten times faster on a chart's worth of labels)."""
    return any(found.start() == 0 or not _WORD_CHAR.match(text, found.start() - 1)
               for found in _AT_WORD_END.finditer(text))


def _phone_run(text: str) -> bool:
    """``_MAYBE_PHONE`` in ``text``: looked for only inside the runs of eleven or more digits and
    separators, from a digit to a digit, that it needs, which the text rarely has."""
    return any(_MAYBE_PHONE.search(run) for run in _DIGIT_RUN.findall(text))


def strings_in(value: Any, skip: str | None = None) -> list[str] | None:
    """Every string inside ``value`` (dicts' values but not their keys, lists, tuples; the
    values under a key ``skip`` left out), for ``texts_unchanged``; None when it holds an
    array of text, which the caller masks its own way. Other values hold no text to mask."""
    np = sys.modules.get("numpy")  # not imported: no array can exist
    texts: list[str] = []
    stack = [value]
    while stack:  # a chart holds hundreds of values: no recursion, the common types first
        item = stack.pop()
        kind = type(item)
        if kind is str:
            texts.append(item)
        elif kind is dict:
            stack += [v for k, v in item.items() if k != skip]
        elif kind is list or kind is tuple:
            stack += item
        elif item is None or isinstance(item, int | float):
            continue
        elif isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            stack += [v for k, v in item.items() if k != skip]
        elif isinstance(item, list | tuple):
            stack += list(item)
        elif np is not None and isinstance(item, np.ndarray) and (item.dtype == object or item.dtype.kind in "US"):
            return None
    return texts


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
    """``mask_text`` for strings and for whole numbers that are a mobile number (a phone
    column cast to BIGINT); other values as they are."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and 10**10 <= abs(value) < 10**14:
        text = str(value)
        masked = mask_phone(text)
        return value if masked == text else masked
    return value


def mask_rows(
    rows: Iterable[Sequence[Any]], private: Iterable[int] = (), types: Sequence[str] | None = None
) -> tuple[tuple[Any, ...], ...]:
    """Rows with personal data masked: whole columns at ``private`` positions, and e-mail
    addresses or phone numbers inside any other text cell.

    Masking goes column by column, so a million-row tool result does not pay a function call
    per cell: a column that is not private and holds only fractional numbers, dates, times or
    booleans (by its warehouse ``types`` when given, else by its values) cannot hold an
    address or a mobile number and is left as it is; a whole-number column is looked at only
    when one of its values has a mobile number's length (a phone cast to BIGINT)."""
    rows = tuple(rows)
    if not rows:
        return ()
    hidden = frozenset(private)
    width = len(rows[0])
    if set(map(len, rows)) != {width}:
        return tuple(tuple(_mask_cell(v, i in hidden) for i, v in enumerate(row)) for row in rows)
    masked: dict[int, list[Any]] = {}
    for i in range(width):
        kind = types[i] if types is not None and i < len(types) else None
        if i not in hidden and kind is not None and kind.upper().startswith(_INERT_TYPES):
            continue
        column = _mask_column(list(map(itemgetter(i), rows)), i in hidden)
        if column is not None:
            masked[i] = column
    if not masked:
        return tuple(row if type(row) is tuple else tuple(row) for row in rows)
    return tuple(
        tuple(masked[i][n] if i in masked else v for i, v in enumerate(row)) for n, row in enumerate(rows)
    )


def mask_private_columns(rows: Sequence[Sequence[Any]], private: Iterable[int]) -> tuple[tuple[Any, ...], ...]:
    """Rows with the personal-data columns at ``private`` masked whole (``mask_private``) and
    every other cell as it is: what ``mask_rows`` adds to rows whose text was masked already."""
    hidden = frozenset(private)
    if not hidden:
        return tuple(row if type(row) is tuple else tuple(row) for row in rows)
    return tuple(tuple(mask_private(v) if i in hidden else v for i, v in enumerate(row)) for row in rows)


def mask_columns(arrays: Sequence[Any], types: Sequence[str]) -> tuple[Any, ...]:
    """``mask_rows`` for a result fetched column by column (NumPy arrays, ``types`` their
    warehouse types): the same cells change, a column at a time. A number column is looked
    at only when one of its values has a mobile number's length."""
    import numpy as np

    masked = []
    for column, kind in zip(arrays, types, strict=True):
        if kind.upper().startswith(_INERT_TYPES) or len(column) == 0:
            masked.append(column)
            continue
        if column.dtype.kind in "iuf":
            finite = column[np.isfinite(column)] if column.dtype.kind == "f" else column
            if len(finite) == 0 or (finite.max() < 10**10 and finite.min() > -(10**10)):
                masked.append(column)
                continue
            values: list[Any] = [None if v != v else int(v) if float(v).is_integer() else v
                                 for v in column.tolist()]  # as the rows path holds them
        else:
            values = column.tolist()
        changed = _mask_column(values, False)
        if changed is None:
            masked.append(column)
        else:
            out = np.empty(len(changed), dtype=object)
            out[:] = changed
            masked.append(out)
    return tuple(masked)


_INERT_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC", "DATE", "TIME", "BOOL", "INTERVAL")
"""Warehouse types whose values are never text nor a whole number (``TIMESTAMP`` starts with
``TIME``, ``BOOLEAN`` with ``BOOL``)."""
_INERT_VALUES = (float, bool, type(None))


def _mask_cell(value: Any, private: bool) -> Any:
    return mask_private(value) if private else mask_value(value)


def _mask_column(column: list[Any], private: bool) -> list[Any] | None:
    """The column masked, or None when nothing in it changes. Each distinct value is masked
    once (text columns repeat: channels, cities, segment names)."""
    if private:
        return [mask_private(v) for v in column]
    found = set(map(type, column))
    if all(_inert_type(t) for t in found):
        return None
    if found <= {int, bool, type(None)}:
        numbers = column if type(None) not in found else [v for v in column if v is not None]
        if max(numbers) < 10**10 and min(numbers) > -(10**10):
            return None
    try:
        distinct = set(column)
    except TypeError:  # lists, dicts: cell by cell
        masked = [mask_value(v) for v in column]
        return None if masked == column else masked
    texts = [v for v in distinct if type(v) is str]
    if texts and texts_unchanged(texts):  # one look at all the text values (channels, cities)
        distinct.difference_update(texts)
    changes = {v: m for v in distinct if (m := mask_value(v)) is not v and m != v}
    return [changes.get(v, v) for v in column] if changes else None


def _inert_type(kind: type) -> bool:
    """Fractional numbers, dates and times (Decimal, datetime, date, time, timedelta)."""
    return issubclass(kind, _INERT_CLASSES)


_INERT_CLASSES = (*_INERT_VALUES, Decimal, dt.date, dt.time, dt.timedelta)


def looks_personal(value: str) -> bool:
    """True when ``value`` holds an e-mail address or a phone number."""
    return mask_text(value) != value
