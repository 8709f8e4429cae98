"""The words of a change explanation, in English and Chinese, from the tool's facts.

Numbers first: the value in both periods and the change. Then, honestly, whether the change
is unusual: a change inside the spread of earlier ones (and with no member moving outside
its own usual range) is called normal variation, with no driver story. Otherwise the top
dimension's leading members with their contributions and shares, the mix / rate split of a
ratio, and the drill-down into the top member.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from genbi.assistant.formatting import Language, format_percent, format_value

Namer = Callable[[Any, Language], str]


def narrate_change(facts: dict[str, Any], language: Language, name: Namer) -> str:
    """Two to four sentences about one explained change."""
    zh = language == "zh"
    parts = [_headline(facts, language)]
    variation, member = facts.get("variation"), facts.get("member_variation")
    members = facts.get("top_members") or []
    unusual_member = member is not None and not member["within"]
    if variation is not None and variation["within"] and not unusual_member:
        parts.append(_normal(facts, language))
        return "".join(parts) if zh else " ".join(parts)
    if variation:
        parts.append(_usual(facts, language, within=variation["within"], member_unusual=unusual_member))
    if members and _broad(facts, members[0]):
        parts.append(_broad_text(facts, members[0], language, name))
        return "".join(parts) if zh else " ".join(parts)
    if members:
        parts.append(_drivers(facts, members, language, name))
    if facts.get("kind") == "ratio":
        parts.append(_mix_rate(facts, language))
    if facts.get("drill"):
        parts.append(_drill(facts, language, name))
    return "".join(parts) if zh else " ".join(parts)


BROAD_TOLERANCE = 0.25
"""The top member's own change within this fraction of the total's: the change is broad-based."""


def _broad(facts: dict[str, Any], top: dict[str, Any]) -> bool:
    """True when the top member only moved like everything else (its share is its size)."""
    own, total = top.get("change_pct"), facts.get("change_pct")
    if facts.get("kind") != "additive" or own is None or not total:
        return False
    return own * total > 0 and abs(own - total) <= BROAD_TOLERANCE * abs(total)


def _broad_text(facts: dict[str, Any], top: dict[str, Any], language: Language, name: Namer) -> str:
    member, dimension = _member_name(top, language, name), facts["top_dimension"]
    own, total, share = (_signed_pct(top["change_pct"]), _signed_pct(facts["change_pct"]),
                         format_percent(top["share"]))
    if language == "zh":
        return (f"这是整体性的变化：按{dimension['label_zh']}看贡献最大的{member}自身变化{own}，与总体（{total}）"
                f"相当；它占变化的{share}是因为体量大，而不是异常变动。")
    return (f"The change is broad-based: the largest contributor by {dimension['label'].lower()}, {member}, "
            f"changed {own}, about as much as the total ({total}); its {share} of the change comes from its "
            "size, not from an unusual move.")


def _signed_pct(value: float) -> str:
    return f"{'+' if value > 0 else ''}{format_percent(value)}"


def _value(facts: dict[str, Any], value: float, language: Language, *, signed: bool = False) -> str:
    text = format_value(value, facts.get("format", "number"), language)
    return f"+{text}" if signed and value > 0 else text


def _period(bounds: list[str], language: Language) -> str:
    """'November 2025', 'Q4 2025', '2025', or the dates; the same in Chinese."""
    start, end = date.fromisoformat(bounds[0]), date.fromisoformat(bounds[1])
    next_day = date.fromordinal(end.toordinal() + 1)
    zh = language == "zh"
    if start.day == 1 and next_day.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return f"{start.year}年{start.month}月" if zh else f"{start:%B %Y}"
        if months == 3 and start.month % 3 == 1:
            quarter = (start.month - 1) // 3 + 1
            return f"{start.year}年第{quarter}季度" if zh else f"Q{quarter} {start.year}"
        if months == 12 and start.month == 1:
            return f"{start.year}年" if zh else str(start.year)
    return f"{start:%Y-%m-%d}至{end:%Y-%m-%d}" if zh else f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


def _headline(facts: dict[str, Any], language: Language) -> str:
    before, after, change = facts["before"], facts["after"], facts["change"]
    pct = facts.get("change_pct")
    then, now = _period(facts["baseline"], language), _period(facts["period"], language)
    if language == "zh":
        verb = "增长" if change > 0 else "下降" if change < 0 else "持平"
        tail = f"（{_signed_pct(pct)}）" if pct is not None else ""
        return (f"{facts['metric_label_zh']}从{then}的{_value(facts, before, language)}{verb}到{now}的"
                f"{_value(facts, after, language)}，变化{_value(facts, change, language, signed=True)}{tail}。")
    verb = "rose" if change > 0 else "fell" if change < 0 else "stayed flat"
    tail = f", {_signed_pct(pct)}" if pct is not None else ""
    return (f"{facts['metric_label']} {verb} from {_value(facts, before, language)} in {then} to "
            f"{_value(facts, after, language)} in {now} ({_value(facts, change, language, signed=True)}{tail}).")


def _range(variation: dict[str, Any], language: Language) -> str:
    low, high = _signed_pct(variation["low_pct"]), _signed_pct(variation["high_pct"])
    return f"{low}至{high}" if language == "zh" else f"{low} to {high}"


def _normal(facts: dict[str, Any], language: Language) -> str:
    variation = facts["variation"]
    n = variation["history"]
    if language == "zh":
        return (f"这在正常波动范围内（此前{n}期同类变化的常见区间为{_range(variation, language)}），"
                "没有哪个维度的成员出现异常变动，不需要特别的解释。")
    return (f"That is within normal variation (the usual range of the last {n} such changes is "
            f"{_range(variation, language)}), and no member moved outside its own usual range, so there is no "
            "particular cause to report.")


def _usual(facts: dict[str, Any], language: Language, *, within: bool, member_unusual: bool) -> str:
    variation = facts["variation"]
    n = variation["history"]
    if language == "zh":
        if within:
            return f"总体变化仍在正常波动范围内（此前{n}期常见区间{_range(variation, language)}），但有一项变动异常："
        return f"这超出了正常波动范围（此前{n}期常见区间{_range(variation, language)}）。"
    if within:
        return (f"Overall that is within normal variation (usual range over the last {n} changes: "
                f"{_range(variation, language)}), but one move is unusual.")
    return f"That is outside the usual range of the last {n} such changes ({_range(variation, language)})."


def _mix_rate(facts: dict[str, Any], language: Language) -> str:
    rate, mix = facts.get("rate_effect", 0.0), facts.get("mix_effect", 0.0)
    if language == "zh":
        return (f"总变化中，各成员自身比率变化（率效应）贡献{_value(facts, rate, language, signed=True)}，"
                f"结构变化（组合效应）贡献{_value(facts, mix, language, signed=True)}。")
    return (f"Of the whole change, {_value(facts, rate, language, signed=True)} is rate (members' own ratios changed) and "
            f"{_value(facts, mix, language, signed=True)} is mix (weight moved between members).")


def _member_name(row: dict[str, Any], language: Language, name: Namer) -> str:
    label = row.get("label_zh" if language == "zh" else "label")
    return str(label) if label else name(row["member"], language)


def _driver(facts: dict[str, Any], row: dict[str, Any], language: Language, name: Namer) -> str:
    share = format_percent(row["share"]) if row.get("share") is not None else "—"
    contribution = _value(facts, row["contribution"], language, signed=True)
    own = row.get("change_pct")
    own_text = ""
    if own is not None and facts.get("kind") != "ratio":
        own_text = f"，自身{'+' if own > 0 else ''}{format_percent(own)}" if language == "zh" \
            else f", {'+' if own > 0 else ''}{format_percent(own)} on its own"
    member = _member_name(row, language, name)
    if language == "zh":
        return f"{member}贡献了变化的{share}（{contribution}{own_text}）"
    return f"{member} accounts for {share} of the change ({contribution}{own_text})"


def _drivers(facts: dict[str, Any], members: list[dict[str, Any]], language: Language, name: Namer) -> str:
    change = facts["change"]
    moving = [m for m in members if m["contribution"] * change > 0][:2] or members[:1]
    dimension = facts["top_dimension"]
    if language == "zh":
        lead = f"按{dimension['label_zh']}看，" + "；其次是".join(_driver(facts, m, language, name) for m in moving)
        return lead + "。"
    label = dimension["label"].lower()
    return f"By {label}, " + "; next, ".join(_driver(facts, m, language, name) for m in moving) + "."


def _drill(facts: dict[str, Any], language: Language, name: Namer) -> str:
    drill, top = facts["drill"], facts["top_members"][0]
    parent = _member_name(top, language, name)
    row = drill["members"][0]
    share = format_percent(drill["share_of_member"])
    contribution = _value(facts, row["contribution"], language, signed=True)
    member = _member_name(row, language, name)
    if language == "zh":
        return f"再往下看{parent}内部，按{drill['label_zh']}拆分，{member}贡献了其变化的{share}（{contribution}）。"
    return (f"Within {parent}, by {drill['label'].lower()}, {member} accounts for {share} of its change "
            f"({contribution}).")
