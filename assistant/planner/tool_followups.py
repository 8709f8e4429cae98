"""Follow-ups to a tool's answer: "now by campaign", "for 2024 instead", "and the quarter before?".

A follow-up says only what changes; on a metric answer the planner edits the spec it had. A
tool's answer has no spec, so before this such a follow-up was declined ("I couldn't find a
metric to compute") or, worse, read against an older metric question of the conversation.

The follow-up is read as the tool's own question with those words ("attribution now by
campaign"); the settings it changes over the tool's bare question are laid over the call
before, everything else is kept. "The period before" moves the call's own period back, as it
does a metric's. Words the tool can't take are said, not run again as if they were used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from genbi.assistant.answer import ToolCall
from genbi.assistant.planner.periods import period_before
from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.query_spec import TimeRange
from genbi.tools.base import ToolSpec
from genbi.tools.customer_where import merged_where


@dataclass(frozen=True)
class ToolFollowup:
    """The call the follow-up asks for, or why it can't be made (``reason``)."""

    call: ToolCall | None = None
    reason: str | None = None
    notes: tuple[str, ...] = ()
    reading: Reading | None = None


Plan = Callable[[str], tuple[ToolCall | None, tuple[str, ...], Reading | None]]
"""The planner on a question: its tool call, notes and reading."""


def tool_words(spec: ToolSpec[Any], zh: bool) -> list[str]:
    """The tool's intent words in the question's language, then its name."""
    return [word for word in spec.intents if word.isascii() != zh] + [spec.name.replace("_", " ")]


def _bare_question(spec: ToolSpec[Any], plan: Plan, zh: bool) -> tuple[str, ToolCall] | None:
    """A word that alone asks for the tool ("归因"; "末次点击" may be a metric of the model's
    own), with the call it makes."""
    words = tool_words(spec, zh)[:6]
    for word in words:
        call, _, _ = plan(word)
        if call is not None and call.name == spec.name:
            return word, call
    # a tool that needs more than its word to run (a lookalike needs a seed): its word with no settings
    return (words[0], ToolCall(spec.name, {})) if words else None


def follow_tool(question: str, last: ToolCall, spec: ToolSpec[Any], plan: Plan, *, zh: bool, as_of: date,
                validated: Callable[[dict[str, Any]], dict[str, Any]]) -> ToolFollowup | None:
    """The tool call ``question`` asks for after ``last``, or None when it is no follow-up of it
    (it reads as another tool, or changes nothing the tool takes and names nothing it can't)."""
    bare = _bare_question(spec, plan, zh)
    if bare is None:
        return None
    word, base = bare
    said, notes, reading = plan(f"{word} {question}")
    if said is None or said.name != last.name:
        return None
    changed = {k: v for k, v in said.arguments.items() if base.arguments.get(k) != v}
    if reading is not None and (reading.period_before or reading.same_period_last_year):
        moved = _moved_back(last, as_of, years=reading.same_period_last_year and not reading.period_before)
        if moved is None:
            return ToolFollowup(reason=(
                "上一个结果没有限定时间段，没有可以往前挪的时间；请说明时间，例如“上个季度”。" if zh else
                "The answer before covered no period of its own, so there is none to move back; name one, "
                "e.g. 'for last quarter'."), reading=reading)
        changed.update(_period_arguments(moved, said, last))
    if not changed:
        if notes:  # "only tmall" after attribution: the tool can't, said rather than run again unchanged
            return ToolFollowup(reason=(
                f"{last.name}工具不能按“{question.strip()}”来限定或设置；可以换成它支持的设置再问，或者问一个指标问题。" if zh else
                f"The {last.name} tool can't be limited or set as '{question.strip()}' asks; ask it again with "
                "settings it takes, or ask a metric question."), reading=reading)
        return None
    if changed.get("where") and last.arguments.get("where"):  # "and for VIP customers?": among those before
        changed["where"] = merged_where(str(last.arguments["where"]), str(changed["where"]))
    changed.update(_merged_seed(last.arguments, changed))
    kept = {k: v for k, v in last.arguments.items() if not _replaced(k, changed)}
    return ToolFollowup(call=ToolCall(last.name, validated({**kept, **changed})), notes=notes, reading=reading)


_ALTERNATIVES: tuple[tuple[frozenset[str], ...], ...] = (
    (frozenset({"seed_segment"}), frozenset({"seed_cluster"}), frozenset({"seed_dimension", "seed_value"}),
     frozenset({"seed_where"})),
    (frozenset({"segment"}), frozenset({"cluster"}), frozenset({"audience"})),
)
"""Settings that name the same thing in other ways (a lookalike's seed, the audience of copy):
a follow-up naming one ("and for gold members?") replaces the other, not adds a second."""


def _seed_said(arguments: dict[str, Any]) -> str | None:
    """A lookalike seed of customer conditions, as ``where`` text (an attribute seed is one)."""
    if arguments.get("seed_where"):
        return str(arguments["seed_where"])
    if arguments.get("seed_dimension") and arguments.get("seed_value") is not None:
        return f"{arguments['seed_dimension']}={arguments['seed_value']}"
    return None


def _merged_seed(before: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
    """"lookalikes of VIP customers", then "and only those in Shanghai": the seed is VIPs in
    Shanghai, merged by dimension as ``where`` is ("now for gold members" after platinum members:
    gold members). One attribute value stays the attribute seed it always was."""
    was, said = _seed_said(before), _seed_said(changed)
    if was is None or said is None or was == said:
        return {}
    for key in ("seed_where", "seed_dimension", "seed_value"):
        changed.pop(key, None)
    merged = merged_where(was, said)
    single = re.fullmatch(r"([^;<>=!]+)=([^;<>=!,]+)", merged)
    if single is not None:
        return {"seed_dimension": single[1].strip(), "seed_value": single[2].strip()}
    return {"seed_where": merged}


def _replaced(name: str, changed: dict[str, Any]) -> bool:
    for group in _ALTERNATIVES:
        own = next((fields for fields in group if name in fields), None)
        if own is not None and any(fields & changed.keys() for fields in group if fields is not own):
            return True
    return False


def _moved_back(last: ToolCall, as_of: date, *, years: bool) -> TimeRange | None:
    start, end = last.arguments.get("start"), last.arguments.get("end")
    if not start or not end:
        return None
    first, final = date.fromisoformat(str(start)), date.fromisoformat(str(end))
    return period_before(TimeRange(start=first, end=final), as_of, years=years)


def _period_arguments(moved: TimeRange, said: ToolCall, last: ToolCall) -> dict[str, Any]:
    start, end = moved.start, moved.end
    out: dict[str, Any] = {"start": start.isoformat() if start else None, "end": end.isoformat() if end else None}
    if "as_of" in last.arguments or "as_of" in said.arguments:
        out["as_of"] = out["end"]
    return out
