"""Counts a tool's settings are said with in a question: "into 4 clusters", "分成5类",
"an audience of 5,000 customers", "a weekly budget of 20k".

Read by the tools' ``from_question`` (the planner's vocabulary knows metrics and values, not a
tool's own knobs); a count the tool cannot take is left for the planner to say it was not used.
"""

from __future__ import annotations

import re

_ZH_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

NUMBER = r"(\d[\d,]*(?:\.\d+)?\s*[kKmM万千]?|[一两二三四五六七八九十])"
"""A count as people type it: 4, 5,000, 20k, 1.5m, 2万, 五."""


def number_value(text: str) -> float | None:
    """``NUMBER``'s text as a number (None when it is no number)."""
    text = text.strip().replace(",", "")
    if text in _ZH_DIGITS:
        return float(_ZH_DIGITS[text])
    scale = {"k": 1e3, "m": 1e6, "万": 1e4, "千": 1e3}.get(text[-1:].lower(), 1.0)
    digits = text[:-1].strip() if scale != 1.0 else text
    try:
        return float(digits) * scale
    except ValueError:
        return None


def count_of(question: str, english: str, chinese: str = "") -> int | None:
    """The whole number said right before one of ``english`` (a regex of nouns: "clusters?|
    segments?") or, in Chinese, before ``chinese`` ("类|群"); None when none is said."""
    patterns = [rf"(?<![\w.]){NUMBER}\s*(?:{english})\b"]
    if chinese:
        patterns.append(rf"{NUMBER}\s*个?(?:{chinese})")
    for pattern in patterns:
        found = re.search(pattern, question, re.IGNORECASE)
        if found and (value := number_value(found.group(1))) is not None and value == int(value):
            return int(value)
    return None


def amount_after(question: str, english: str, chinese: str = "") -> float | None:
    """The amount said after one of ``english`` ("weekly budget of 20k", "budget: 5,000 a week")
    or ``chinese`` ("每周预算2万")."""
    patterns = [rf"(?:{english})\s*(?:of|is|=|:)?\s*[$¥€£]?\s*{NUMBER}"]
    if chinese:
        patterns.append(rf"(?:{chinese})\s*(?:为|是|:|：)?\s*[$¥€£]?\s*{NUMBER}")
    for pattern in patterns:
        found = re.search(pattern, question, re.IGNORECASE)
        if found and (value := number_value(found.group(1))) is not None:
            return value
    return None


_HALF_SAID = {"半年": "6个月", "半个月": "15天", "half a year": "6 months", "half year": "6 months",
              "half a month": "15 days", "six months": "6 months", "three months": "3 months",
              "two weeks": "2 weeks", "one year": "1 year", "a year": "1 year"}
_HALVES = re.compile(r"半年|半个月|\bhalf[- ]a[- ](?:year|month)\b|\bhalf[- ]year\b|\b(?:six|three) months\b|"
                     r"\btwo weeks\b|\b(?:one|a) year\b", re.IGNORECASE)
"""A span said in words ("未来半年", "over the next half year", "the next six months"): read as
its number of units."""

_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 365 / 12, "months": 365 / 12, "year": 365,
              "years": 365, "天": 1, "日": 1, "周": 7, "星期": 7, "个月": 365 / 12, "月": 365 / 12, "年": 365}
_UNIT = r"(days?|weeks?|months?|years?)"
_UNIT_ZH = r"(天|日|周|星期|个月|月|年)"


def days_said(question: str, before: str, after: str = "", chinese: str = "") -> int | None:
    """A span of time said next to a setting's words, in days: "a 7-day half life" (``after``
    the span: "half[- ]life"), "a lookback of 14 days" (``before`` it: "lookback(?: window)?"),
    "over the next 6 months", "半衰期3天"; None when none is said."""
    question = _HALVES.sub(lambda m: _HALF_SAID[m.group().lower().replace("-", " ")], question)
    patterns = []
    if after:
        patterns.append(rf"(?<![\w.]){NUMBER}[- ]?{_UNIT}[- ](?:{after})\b")
    if before:
        patterns.append(rf"\b(?:{before})\s*(?:of|is|=|:)?\s*{NUMBER}[- ]?{_UNIT}\b")
    if chinese:
        patterns.append(rf"(?:{chinese})\s*(?:为|是|:|：)?\s*{NUMBER}\s*{_UNIT_ZH}")
    for pattern in patterns:
        found = re.search(pattern, question, re.IGNORECASE)
        if found and (value := number_value(found.group(1))) is not None:
            return max(1, round(value * _UNIT_DAYS[found.group(2).lower()]))
    return None
