"""The words of an anomaly report, in English and Chinese, from the tool's facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from genbi.assistant.formatting import Language, format_percent, format_value

SHOWN = 3
"""Unusual days named in the text; the table and chart hold every one."""


def narrate_anomalies(facts: dict[str, Any], language: Language) -> str:
    """One or two sentences: how many unusual days, the biggest ones with their expected values."""
    zh = language == "zh"
    label = facts["metric_label_zh"] if zh else facts["metric_label"]
    window = _window(facts["start"], facts["end"], language)
    found = facts["anomalies"]
    festivals = [pair[1] if zh else pair[0] for pair in facts.get("festivals", []) if pair]
    if not found:
        text = (f"{window}{label}没有异常的日子：每天都在按趋势、星期规律和节日效应预期的正常区间内。" if zh else
                f"No unusual days for {label.lower()} in {window}: every day was within the range its trend, "
                "weekday pattern and festivals lead one to expect.")
        return text + _festival_note(festivals, language)
    days = [_day(facts, a, language) for a in found[:SHOWN]]
    more = len(found) - SHOWN
    if zh:
        tail = f"等{len(found)}天" if more > 0 else ""
        return (f"{window}{label}有{len(found)}个异常日：" + "；".join(days) + tail + "。"
                + _festival_note(festivals, language))
    listed = "; ".join(days) + (f"; and {more} more" if more > 0 else "")
    noun = "day" if len(found) == 1 else "days"
    return f"{label} had {len(found)} unusual {noun} in {window}: {listed}." + _festival_note(festivals, language)


def _day(facts: dict[str, Any], anomaly: dict[str, Any], language: Language) -> str:
    day = date.fromisoformat(anomaly["day"])
    value = format_value(anomaly["value"], facts["format"], language)
    expected = format_value(anomaly["expected"], facts["format"], language)
    gap = anomaly["value"] / anomaly["expected"] - 1 if anomaly["expected"] else None
    gap_text = f"{'+' if gap and gap > 0 else ''}{format_percent(gap)}" if gap is not None else ""
    festival = anomaly.get("festival") or ()
    if language == "zh":
        kind = "偏高" if anomaly["direction"] == "spike" else "偏低"
        note = f"，{festival[1]}，超出节日的常规涨幅" if festival and anomaly["direction"] == "spike" else \
            (f"，{festival[1]}" if festival else "")
        return f"{day.month}月{day.day}日{kind}，{value}（预期约{expected}，{gap_text}{note}）"
    kind = "spike" if anomaly["direction"] == "spike" else "dip"
    note = f", {festival[0]}, beyond its usual festival lift" if festival and anomaly["direction"] == "spike" else \
        (f", {festival[0]}" if festival else "")
    return f"{day:%b} {day.day} ({kind}: {value} vs about {expected} expected, {gap_text}{note})"


def _festival_note(festivals: list[str], language: Language) -> str:
    if not festivals:
        return ""
    names = "、".join(festivals) if language == "zh" else ", ".join(festivals)
    return f"节日（{names}）的常规涨幅已计入预期。" if language == "zh" else \
        f" Festival days ({names}) are judged against their usual lift."


def _window(start: str, end: str, language: Language) -> str:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    whole_month = first.day == 1 and (last.month != date.fromordinal(last.toordinal() + 1).month) \
        and (first.year, first.month) == (last.year, last.month)
    if whole_month:
        return f"{first.year}年{first.month}月" if language == "zh" else f"{first:%B %Y}"
    return f"{first:%Y-%m-%d}至{last:%Y-%m-%d}" if language == "zh" else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
