"""Pick a marketing tool from intent words, and fill its arguments from the question.

Each tool declares its intent words (English and Chinese) in the registry; the planner
only decides when they win over a metric query and maps what the reading found (period,
breakdown, named values, top N) onto the tool's argument model. Arguments the model
rejects are dropped one at a time, so a tool always runs with what it accepts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.text import has_cjk, normalize
from genbi.assistant.planner.tool_conditions import tool_times
from genbi.screened import ScreenedGroup, rarest_char
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import TimeRange
from genbi.tools.base import ToolSpec


@dataclass(frozen=True)
class ToolIntent:
    name: str
    matched: str
    strong: bool
    """The tool's own name or first intent word ("RFM", "归因"): wins over metric words."""
    span: tuple[int, int] = (0, 0)
    audience_of: str | None = None
    """Another tool whose action the question also names, describing this tool's audience
    ("给即将流失的客户写一封挽回邮件": copy, for the churn model's customers)."""


class ToolMatcher:
    def __init__(self, tools: dict[str, ToolSpec[Any]], known_words: set[str] | frozenset[str] = frozenset()) -> None:
        """``known_words`` are the model's own terms: an intent word that is also a metric or
        value ("retention" is a campaign objective) never outranks the metric reading."""
        self.tools = tools
        self.experiments: tuple[tuple[str, ...], ...] = ()
        """The warehouse's experiment ids (set by the planner): one named by a word of its id."""
        self._patterns: list[tuple[re.Pattern[str], str, bool, str, tuple[tuple[str, str], ...]]] = []
        """(pattern, tool, strong, a piece of text every match contains, the words of a
        phrase of several words with their singular stems): ``match`` runs the pattern only
        where the piece occurs."""
        self._spelled: list[tuple[re.Pattern[str], str, bool]] = []
        """Intent words that normalise to single letters ("A/B" -> "a b", which "SELECT a, b"
        would match): matched as written, on the question itself."""
        self._actions = [(name, re.compile(a, re.IGNORECASE)) for name, spec in tools.items() for a in spec.actions]
        self._action_group = ScreenedGroup([action for _, action in self._actions])
        """Which action patterns may match a question, in one look (``genbi.screened``)."""
        for name, spec in tools.items():
            words = {normalize(w): i == 0 for i, w in enumerate(spec.intents)}
            words.setdefault(normalize(name.replace("_", " ")), True)
            for i, intent in enumerate(spec.intents):
                if intent.isascii() and all(len(t) == 1 for t in normalize(intent).split()):
                    words.pop(normalize(intent), None)
                    spelled = r"\s*".join(re.escape(ch) for ch in intent if not ch.isspace())
                    self._spelled.append((re.compile(rf"(?<![\w,])\s*{spelled}(?![\w,])", re.IGNORECASE),
                                          name, i == 0))
            for word, first in words.items():
                strong = first and word not in known_words
                if not word:
                    continue
                pattern = re.escape(word)
                needle = word
                if not word.isascii() and len(word) >= 3:
                    pattern = "的?".join(re.escape(ch) for ch in word)  # "相似的人群"
                    needle = word[0]
                if word[0].isascii():
                    pattern = r"(?<![a-z0-9])" + pattern
                if word[-1].isascii():
                    # "lookalikes", "cohorts", "funnels": a word's plural names the tool as well
                    plural = r"(?:e?s)?" if word[-1].isalpha() and word[-1] != "s" and " " not in word else ""
                    pattern += plural + r"(?![a-z0-9])"
                parts = tuple((part, part.rstrip("s")) for part in re.findall(r"[a-z0-9]+", word)) \
                    if " " in pattern and pattern.isascii() else ()
                self._patterns.append((re.compile(pattern), name, strong, needle, parts))
        self._filed: dict[str, list[int]] = {}
        """Patterns without phrase parts by a character of their needle (the rarest): only those
        filed under a character the question has can match it."""
        for index, (_, _, _, needle, parts) in enumerate(self._patterns):
            if not parts:
                self._filed.setdefault(rarest_char(needle), []).append(index)
        self._phrases = [index for index, entry in enumerate(self._patterns) if entry[4]]
        """Patterns of a phrase of several words: looked at on every question (each word may be
        written anywhere)."""
        self._phrase_firsts: dict[str, list[int]] = {}
        """Those phrases by their first word and its singular: a phrase whose text is not in the
        question matches only when that word is one of the question's words."""
        for index in self._phrases:
            part, stem = self._patterns[index][4][0]
            for word in dict.fromkeys((part, stem)):
                self._phrase_firsts.setdefault(word, []).append(index)

    def match(self, reading: Reading, *, metrics_are_nouns: bool = False) -> ToolIntent | None:
        """The tool the question asks for, if intent words say so over any metric words.

        ``metrics_are_nouns``: the only metric words name the entity ("customers similar to
        Champions"), so they don't make the question a metric query.
        """
        if (acted := self._action(reading)) is not None:
            return acted
        found: list[ToolIntent] = []
        question = unicodedata.normalize("NFKC", reading.question)
        for pattern, name, strong in self._spelled:
            if (hit := pattern.search(question)) is not None:
                found.append(ToolIntent(name, hit.group().strip().lower(), strong or _analysis_word(reading.text)))
        text = reading.text
        words = set(re.findall(r"[a-z0-9]+", text))
        stems = words | {w[:-1] for w in words if w.endswith("s")}
        for pattern, name, strong, needle, parts in map(self._patterns.__getitem__, self._candidates(text, stems)):
            hit = pattern.search(text) if needle in text else None
            if hit:
                found.append(ToolIntent(name, hit.group(), strong or _analysis_word(text), hit.span()))
                continue
            for part, stem in parts:  # a phrase of several words, each written somewhere (plural or not)
                if part not in stems and stem not in stems:
                    break
            else:
                if parts:
                    found.append(ToolIntent(name, " ".join(part for part, _ in parts), strong or _analysis_word(text)))
        spans = [(m.start, m.end) for m in (*reading.metrics, *reading.dimensions, *reading.values)]
        # A breakdown the model has ("invoices per segment", Segment a dimension) explains the
        # word: a metric question, not the tool of the same name.
        splits = [(m.start, m.end) for m in reading.dimensions if m.grouped] if reading.metrics else []
        found = _with_segment_names(text, found, "rfm" in self.tools)
        found = [_with_nested_strength(i, found) for i in found]
        found = [
            i for i in found
            if not _nested(i, found)
            and not any(a <= i.span[0] and i.span[1] <= b and (b - a) > (i.span[1] - i.span[0]) for a, b in spans)
            and (i.strong or not any(a <= i.span[0] and i.span[1] <= b and i.span[1] > i.span[0] for a, b in splits))
        ]
        if (judged := self._experiment_judged(reading, found)) is not None:
            return judged
        if not found:
            return None
        if (method := _method_named(text, found)) is not None:
            return method
        scores: dict[str, tuple[bool, float]] = {}
        names = _segment_names()
        for intent in found:
            strong, length = scores.get(intent.name, (False, 0.0))
            # A segment name ("Champions") is an argument more than an intent.
            weight = 0.25 if intent.matched in names else 1.0
            scores[intent.name] = (strong or intent.strong, length + weight * len(intent.matched))
        name = max(scores, key=lambda n: scores[n])
        best = max((i for i in found if i.name == name), key=lambda i: (i.strong, len(i.matched)))
        held = all(any(i.name == name and i.span[0] <= m.start and m.end <= i.span[1]
                       and (i.span[1] - i.span[0]) > (m.end - m.start) for i in found) for m in reading.metrics)
        if reading.metrics and not scores[name][0] and not metrics_are_nouns and not held:
            return None  # a metric said inside the tool's phrase ("复购" in "复购留存") is the tool's word
        return best

    def _experiment_judged(self, reading: Reading, found: list[ToolIntent]) -> ToolIntent | None:
        """An experiment the model names, asked how it did, with no metric said ("which welcome
        email subject line performed best", "召回短信实验的结果"): the test's readout, not the copy
        tool its words also name, nor the experiment's metrics at face value."""
        if "ab_test" not in self.tools or reading.metrics or any(i.strong for i in found):
            return None
        named = next((m for m in reading.values if m.term.target == "experiment_id" and not m.negated), None)
        if not _OUTCOME_ASKED.search(reading.question):
            return None
        if named is None:  # a word of its id before "test": "is the subject line test significant"
            partly = _experiment_in_part(reading, self.experiments)
            hit = _TEST_WORD.search(reading.text) if partly else None
            return ToolIntent("ab_test", hit.group(), True, hit.span()) if hit else None
        return ToolIntent("ab_test", named.surface, True, (named.start, named.end))

    def _action(self, reading: Reading) -> ToolIntent | None:
        """The tool whose action the question names (``ToolSpec.actions``): on the normalised
        text, else on the question as written, where normalising moved its words
        ("首次购买后再次购买"). An action said inside a value the model has is that value, no
        action: Klaviyo's 'Abandoned Cart' flow ("click rate of the Abandoned Cart flow")."""
        values = [(m.start, m.end) for m in reading.values]
        hits = []
        for index in self._action_group.candidates(reading.text):
            name, action = self._actions[index]
            hit = action.search(reading.text)
            if hit is not None and not any(a <= hit.start() and hit.end() <= b for a, b in values):
                hits.append(ToolIntent(name, hit.group(), True, hit.span()))
        if hits:  # a tool taking an audience acts on the one another's words describe
            best = max(hits, key=lambda i: self._takes_audience(i.name))
            other = next((i.name for i in hits if i.name != best.name), None)
            return ToolIntent(best.name, best.matched, True, best.span, other if self._takes_audience(best.name) else None)
        asked = unicodedata.normalize("NFKC", reading.question).lower()
        if asked != reading.text:
            for index in self._action_group.candidates(asked):
                name, action = self._actions[index]
                hit = action.search(asked)
                if hit is not None and not any(hit.group() in reading.text[a:b] for a, b in values):
                    return ToolIntent(name, hit.group(), True)
        return None

    def _takes_audience(self, name: str) -> int:
        """2 for a tool that acts on any audience (copy), 1 for one seeded by one (lookalike)."""
        fields = self.tools[name].args_model.model_fields
        return 2 if "audience" in fields else 1 if "seed_segment" in fields else 0

    def _candidates(self, text: str, stems: set[str]) -> list[int]:
        """The patterns that may match ``text`` (its words and their singulars ``stems``), in
        order: a single word filed under a character the text has; a phrase written as one, or
        whose first word (or its singular) is one of the text's words."""
        patterns, filed, firsts = self._patterns, self._filed, self._phrase_firsts
        phrases = {i for i in self._phrases if patterns[i][3] in text}
        phrases.update(i for word in firsts.keys() & stems for i in firsts[word])
        return sorted([*phrases, *(i for char in filed.keys() & set(text) for i in filed[char])])


_OUTCOME_ASKED = re.compile(
    r"\b(?:perform\w*|did|does|do|go|went|going|win|wins|won|winners?|results?|outcomes?|work(?:ed|s)?|"
    r"significan\w*|better|best|worse|verdict|readout)\b|效果|结果|结论|显著|赢|胜出|更好|表现|怎么样|如何",
    re.IGNORECASE)
"""Words asking how an experiment went."""


def _with_nested_strength(intent: ToolIntent, found: list[ToolIntent]) -> ToolIntent:
    """A longer match of a tool holding one of its strong words is strong ("conversion funnel"
    holds "funnel"): the shorter one is dropped as nested, its strength must not go with it."""
    if intent.strong:
        return intent
    start, end = intent.span
    inner = any(o.name == intent.name and o.strong and start <= o.span[0] and o.span[1] <= end
                and o.span[1] > o.span[0] for o in found)
    return ToolIntent(intent.name, intent.matched, True, intent.span) if inner else intent


def _nested(intent: ToolIntent, found: list[ToolIntent]) -> bool:
    """Inside a longer match of the same tool ("价值客户" in "重要价值客户"): counted once."""
    start, end = intent.span
    return end > start and any(
        o.name == intent.name and o.span[0] <= start and end <= o.span[1]
        and (o.span[1] - o.span[0]) > (end - start)
        for o in found
    )


def _with_segment_names(text: str, found: list[ToolIntent], rfm: bool) -> list[ToolIntent]:
    """An RFM segment named ("the Can't lose segment", "重要挽留客户有多少人") asks for the RFM
    table of that segment: the word "segment" is not the clustering tool, and an intent word
    inside the name ("挽留" in "重要挽留客户") is part of the name, not the churn model."""
    if not rfm:
        return found
    said = any(i.name == "segments" and i.matched.rstrip("s") == "segment" for i in found)  # "the X segment"
    spans: list[tuple[int, int]] = []
    # a name of one plain word ("new", "lost", "loyal") is that segment only when "segment" is said
    for name, pattern in _segment_patterns(said):
        if name not in text:  # the pattern's every match holds the name: most questions name none
            continue
        for hit in pattern.finditer(text):
            if not any(a <= hit.start() and hit.end() <= b for a, b in spans):
                spans.append(hit.span())
    if not spans:
        return found
    kept = [i for i in found
            if not (i.name == "segments" and i.matched.rstrip("s") == "segment")
            and not (i.name != "rfm" and any(a <= i.span[0] and i.span[1] <= b and (b - a) > (i.span[1] - i.span[0])
                                             for a, b in spans))]
    kept = [ToolIntent(i.name, i.matched, True, i.span) if said and i.name == "rfm" else i for i in kept]
    return kept + [ToolIntent("rfm", text[a:b], said, (a, b)) for a, b in spans
                   if not any(i.name == "rfm" and i.span == (a, b) for i in kept)]


@functools.cache
def _segment_patterns(said: bool) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The RFM segment names looked for in a question's text, longest first, each with its
    pattern (the name as a whole word); without "segment" said, only the names of more than one
    plain word. Worked out once: the names are constants, and normalising them (28 of the 32
    normalisations of a question asked the first time) and building a pattern per name twice
    for every question was work repeated on each."""
    names = _segment_names() | {normalize(n.replace("'t", " not")) for n in _segment_names()}  # "can't" is read "can not"
    names = frozenset(n for n in names if said or not n.isascii() or " " in n)
    return tuple((name, re.compile(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])"))
                 for name in sorted(names, key=lambda n: (-len(n), n)))


@functools.cache
def _segment_names() -> frozenset[str]:
    """The RFM segments' names (English and Chinese) as the planner normalises text; once."""
    from genbi.tools.rfm import SEGMENTS

    return frozenset(normalize(w) for pair in SEGMENTS.values() for w in pair)


def _analysis_word(text: str) -> bool:
    return bool(re.search(r"\b(?:analysis|analyze|analyse|model|run)\b|分析|模型|跑一下|做一下", text))


def tool_arguments(spec: ToolSpec[Any], reading: Reading, *, as_of: date,
                   experiments: tuple[tuple[str, ...], ...] = (), flags: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Arguments for ``spec`` from what the reading found, validated by the tool's model
    (``experiments``: the warehouse's experiment ids with their words, for one named by a word of them;
    ``flags``: the yes/no dimensions, which split only when said as a split: "funnel for VIP customers"
    is not the funnel by VIP yes/no)."""
    fields = spec.args_model.model_fields
    candidates: dict[str, Any] = {}
    if "experiment" in fields and (partly := _experiment_in_part(reading, experiments)) is not None:
        candidates["experiment"] = partly
    candidates.update(_period_arguments(spec, reading, fields, as_of))
    grouped = [m for m in reading.dimensions if m.grouped or not (m.suppressed or m.term.target in flags)]
    if "by" in fields and grouped:
        # the first split the tool can make ("归因 按活动": 归因 is also a dimension, 活动 the split)
        choices = [_choice(fields["by"].annotation, m.term.target, m.surface) for m in grouped]
        options = _options(fields["by"].annotation)
        candidates["by"] = next((c for c in choices if c in options), choices[0])
    if "by" in fields and "by" not in candidates and (split := _compared_split(reading, fields)) is not None:
        candidates["by"] = split
    if "top_n" in fields and reading.top_n:
        candidates["top_n"] = reading.top_n
    if "metric" in fields and reading.metrics:
        candidates["metric"] = reading.metrics[0].term.target
    if "compare" in fields and reading.same_period_last_year:
        candidates["compare"] = "year"
    for mention in reading.values:
        dimension, value = mention.term.target, mention.term.value
        if dimension == "experiment_id" and "experiment" in fields:
            candidates["experiment"] = value
        elif "seed_dimension" in fields and "seed_value" in fields:
            candidates.setdefault("seed_dimension", dimension)
            candidates.setdefault("seed_value", value)
    _own_words(spec, reading, candidates)
    _named_segments(spec, reading, fields, candidates)
    return _validated(spec.args_model, candidates)


def _period_arguments(spec: ToolSpec[Any], reading: Reading, fields: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The period the question names, in the settings the tool has for it: start and end, the
    periods compared, the as-of date, or a look-back of the period's length."""
    out: dict[str, Any] = {}
    # a period still to come ("CLV over the next 6 months", "未来3个月") is the tool's horizon, read
    # by the tool from the question; never its data's period or as-of date
    period = next((found for m in tool_times(reading, spec) if m.time_range
                   and ((found := m.time_range.resolve(as_of))[0] is None or found[0] <= as_of)), None)
    if period:
        start, end = period
        if "start" in fields and start:
            out["start"] = start
        if "end" in fields and end:
            out["end"] = end
    if period and period[0] and period[1] and "lookback_days" in fields and "start" not in fields:
        # "RFM for the last 6 months", "rfm for 2024": the orders of that period, up to its end
        out["lookback_days"] = (period[1] - period[0]).days + 1
    if "compare" in fields and (compared := _compared_periods(reading, as_of)) is not None:
        period = compared[:2]  # "the change in AOV from Q2 to Q3": Q3 against the quarter before
        out.update(start=compared[0], end=compared[1], compare=compared[2])
    if "as_of" in fields:
        # a tool with a start and no end reads the period as where its cohorts begin ("retention
        # of customers who joined in March"): what became of them is measured up to today
        dated = period is not None and period[1] is not None and ("end" in fields or "start" not in fields)
        out["as_of"] = (period[1] if period is not None and dated else as_of)
    return out


_TEST_WORD = re.compile(
    r"\b([a-z][a-z0-9]+)\s+(?:([a-z][a-z0-9]+)\s+)?(?:a\s*/?\s*b\s+|split\s+)?(?:test|experiment)s?\b"
    r"|\b([a-z][a-z0-9]+)\s*(?:a\s*/?\s*b\s*)?(?:实验|测试)")


def _experiment_in_part(reading: Reading, experiments: tuple[tuple[str, ...], ...]) -> str | None:
    """The one experiment a word of its id or names names, said before "test" ("did the new
    checkout test win" is checkout_coupon, "优惠券AB测试" the 结账优惠券 one); None when no word,
    or several experiments, fit. ``experiments``: (id, its names ...)."""
    for found in _TEST_WORD.finditer(reading.text):
        for word in filter(None, (found.group(2), found.group(1), found.group(3))):  # "the subject line test"
            fitting = [e[0] for e in experiments if any(word in re.split(r"[_\W]+", n.lower()) for n in e)]
            if len(fitting) == 1:
                return fitting[0]
    question = reading.question.lower()
    for word in reading.unknown:
        if has_cjk(word) and re.search(re.escape(word) + r"的?(?:a/?b测试|ab测试|实验|测试)", question):
            fitting = [e[0] for e in experiments if any(word in n for n in e[1:])]
            if len(fitting) == 1:
                return fitting[0]
    return None


def _compared_split(reading: Reading, fields: dict[str, Any]) -> str | None:
    """Members of one dimension set side by side ("funnel for ios vs android"): the split by it."""
    members: dict[str, set[str]] = {}
    for mention in reading.values:
        if not mention.negated:
            members.setdefault(mention.term.target, set()).add(str(mention.term.value))
    compared = next((d for d, seen in members.items() if len(seen) > 1 and d != "experiment_id"), None)
    options = _options(fields["by"].annotation)
    # the split itself, not one whose name holds it (a sales channel is no marketing channel)
    return compared if compared is not None and (not options or compared in options) else None


def _own_words(spec: ToolSpec[Any], reading: Reading, out: dict[str, Any]) -> None:
    """Arguments a tool reads from the question itself (``args_model.from_question``): words
    the model's vocabulary does not hold, such as a copy channel, goal or tone."""
    reader = getattr(spec.args_model, "from_question", None)
    if callable(reader):
        values = [(m.term.target, m.term.value) for m in reading.values if not m.negated]
        out.update(reader(reading.question, values))


def _named_segments(spec: ToolSpec[Any], reading: Reading, fields: dict[str, Any], out: dict[str, Any]) -> None:
    """RFM segment names ("Champions", "重要价值客户") for tools that take one."""
    from genbi.tools.rfm import SEGMENTS

    for english, chinese in SEGMENTS.values():
        if _segment_said(english, reading) or chinese in reading.question:
            for field in ("segment", "seed_segment"):
                if field in fields:
                    out[field] = english
                    out.pop("seed_dimension", None)
                    out.pop("seed_value", None)
            return


_PEOPLE_AFTER = r"\s+(?:customers?|buyers?|users?|members?|shoppers?|clients?|ones|segments?|group|audience)\b"


def _segment_said(english: str, reading: Reading) -> bool:
    """An RFM segment's English name said as the segment: the whole name ("loyalty" does not say
    Loyal); a name of one plain word ("new", "lost", "loyal") with a word for people or
    "segment" after it ("new customers", "the lost segment"), unless written as a name
    ("Champions", "our Loyal list")."""
    for name in {normalize(english), normalize(english.replace("'t", " not"))}:  # "Can't lose" is read "can not lose"
        whole = r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])"
        if not re.search(whole, reading.text):
            continue
        if " " in name or name.endswith("s") or re.search(whole + _PEOPLE_AFTER, reading.text) \
                or re.search(r"\bsegments?\s+" + re.escape(name) + r"\b", reading.text) \
                or re.search(r"(?<![A-Za-z0-9])" + re.escape(english) + r"(?![A-Za-z0-9])", reading.question):
            return True
    return False


def _compared_periods(reading: Reading, as_of: date) -> tuple[date, date, str] | None:
    """"From Q2 to Q3", "2024 vs 2025": the later period and what it is compared with, when
    the earlier one is the period just before it ("previous") or the same one a year earlier
    ("year"); None for anything else (the periods read as one span, as before)."""
    from genbi.assistant.planner.periods import period_before

    parts = next((m.parts for m in reading.times if len(m.parts) == 2), ())
    if not parts:
        return None
    spans = sorted((p.resolve(as_of) for p in parts), key=lambda s: s[0] or date.min)
    (first, last), (start, end) = spans
    if not (first and last and start and end):
        return None
    later = TimeRange(start=start, end=end)
    for years, compare in ((False, "previous"), (True, "year")):
        before = period_before(later, as_of, years=years)
        if before is not None and before.resolve(as_of) == (first, last):
            return start, end, compare
    return None


def uncomparable(reading: Reading, spec: ToolSpec[Any], as_of: date, zh: bool) -> str | None:
    """Why a tool that compares a period with the one before or a year earlier can't take the two
    periods named ("from Q1 to Q3": neither), or None. Read as one span they gave a confident
    answer to another comparison (Jan-Sep against the nine months before)."""
    if "compare" not in spec.args_model.model_fields:
        return None
    named = next((m for m in reading.times if len(m.parts) == 2), None)
    if named is None or _compared_periods(reading, as_of) is not None:
        return None
    said = reading.text[named.start:named.end]
    if zh:
        return (f"{spec.name}只能把一个时间段和紧挨着的上一段或去年同期比较，“{said}”两者都不是；"
                "可以问相邻的两段，例如“从二季度到三季度”。")
    return (f"The {spec.name} tool compares a period with the one just before it or the same period a year "
            f"earlier; '{said}' is neither. Ask for two adjacent periods, e.g. 'from Q2 to Q3'.")


def _options(annotation: Any) -> list[str]:
    """A closed set of choices' values (``Literal["channel", "campaign"]``, optional or not)."""
    options = [a for a in get_args(annotation) if isinstance(a, str)]
    for arg in get_args(annotation):
        options += [a for a in get_args(arg) if isinstance(a, str)]
    return options


def _choice(annotation: Any, name: str, surface: str) -> str:
    """For a closed set of choices (``by: "channel" | "campaign"``), the one the words name."""
    options = _options(annotation)
    for option in options:
        if option in name or option in surface:
            return option
    return name


def validated_arguments(spec: ToolSpec[Any], arguments: dict[str, Any]) -> dict[str, Any]:
    """``arguments`` as the tool's model takes them (those it refuses dropped one at a time)."""
    return _validated(spec.args_model, arguments)


def _validated(model: type[BaseModel], candidates: dict[str, Any]) -> dict[str, Any]:
    arguments = dict(candidates)
    for _ in range(len(candidates) + 1):
        try:
            return model(**arguments).model_dump(mode="json", exclude_unset=True)
        except ValidationError as error:
            bad = {str(e["loc"][0]) for e in error.errors() if e.get("loc")}
            if not bad & set(arguments):
                arguments = {}
            for key in bad:
                arguments.pop(key, None)
    return {}


_NUMBER_SAID = re.compile(
    r"(?<![a-zA-Z0-9_.,])(\d[\d,]*(?:\.\d+)?\s*[kKmM万千]?)(?![a-zA-Z0-9_.])(\s*(?:[a-zA-Z]+|[^\W\d_a-zA-Z]{1,2}))?")
"""A number said, with the word after it: "1m budget", "100万预算" (a Chinese word runs on: its
first two characters)."""


def unused_by_tool(reading: Reading, arguments: dict[str, Any], spec: ToolSpec[Any], span: tuple[int, int],
                   zh: bool, audience_of: str | None = None) -> tuple[str, ...]:
    """What the question said that the tool call does not use, said in a note rather than dropped
    silently: a member it cannot be limited to ("RFM for gold members"), a number none of its
    settings took ("into 1000 clusters", "a budget of 50,000" when the tool plans a weekly one)."""
    from genbi.tools.question_numbers import number_value

    tool = spec.name
    asked = {normalize(i) for i in spec.intents}  # "retention" in "retention by signup month" names the tool
    used = " ".join(str(v) for v in arguments.values()).lower()
    numbers = {number_value(t) for t in re.findall(r"-?\d+(?:\.\d+)?", used)}
    periods = [(m.start, m.end) for m in reading.times] + [(r.start, r.end) for r in reading.ranges] + [
        (v.start, v.end) for v in reading.values if str(v.term.value).lower() in used]  # "90后" taken as 1990s
    notes = []
    if audience_of is not None:
        notes.append(f"{tool}工具没有只针对{audience_of}工具找出的客户；可以先运行{audience_of}、把这些客户存为人群，再按人群名来问。"
                     if zh else f"The {tool} tool was not limited to the customers the {audience_of} tool would find; "
                                f"run {audience_of}, save those customers as an audience, then ask again naming it.")
    noted: list[tuple[int, int]] = []
    for mention in reading.values:
        value = str(mention.term.value).lower()
        if mention.negated or value in used or mention.term.target in ("experiment_id", arguments.get("by")) \
                or (len(mention.surface) > 3 and mention.surface.lower() in used) \
                or normalize(mention.surface) in asked or (span[0] < mention.end and mention.start < span[1]):
            continue
        noted.append((mention.start, mention.end))
        notes.append(f"{tool}工具没有按“{mention.surface}”筛选，以下是全部客户的结果。" if zh
                     else f"The {tool} tool was not limited to '{mention.surface}'; this is its result for everyone.")
    taken = " ".join(str(arguments.get(k) or "") for k in ("where", "seed_where"))
    took = [(m.start, m.end) for m in (*reading.values, *reading.dimensions)  # "只看上海的": city=Shanghai
            if taken and re.search(rf"(?:^|;\s*){re.escape(m.term.target)}\s*[<>=!]", taken)] + [
        (r.start, r.end) for r in reading.ranges if taken and r.dimension in taken]
    for found in _RESTRICTED.finditer(reading.text):
        said = found.group().strip()
        start, end = found.span()
        if any(a < end and start < b for a, b in (*noted, *took)) or any(
                v and len(v) > 1 and v in said.lower() for v in re.split(r"[^\w']+", used)) or (
                (arguments.get("where") or arguments.get("seed_where")) and _PEOPLE.search(said)):
            continue  # already said of its value, or a setting took it ("for Champions only", "only for customers in X")
        notes.append(f"{tool}工具没有按“{said}”限定，以下是全部的结果。" if zh
                     else f"The {tool} tool was not limited as asked ('{said}'); this is its result for everyone.")
    for word in reading.unknown:  # "churn risk for customers who bought lipstick": a product the model lacks
        bought = _BOUGHT + r"\s*(?:the\s+|a\s+|an\s+|some\s+|our\s+)?" + re.escape(word)
        if re.search(bought, reading.text) or re.search(bought, reading.question, re.IGNORECASE):
            notes.append(f"{tool}工具没有按买过“{word}”的客户筛选，以下是全部客户的结果。" if zh
                         else f"The {tool} tool was not limited to customers who bought '{word}'; this is its result "
                              "for everyone.")
    for word in reading.unknown:  # "who joined in spring": a period the reader can't place
        if word not in asked and word.isalpha() and word not in _TIME_FUNCTION_WORDS and word not in used and (
                when := re.search(
                r"\b(?:in|during|since|over|from|this|last|next)\s+(?:the\s+)?" + re.escape(word) + r"\b", reading.text)):
            notes.append(f"问题中的“{when.group()}”没有用上：{tool}工具读不出这个时间，以下是它的标准结果。" if zh
                         else f"'{when.group()}' was not used: the {tool} tool can't place that period; this is its "
                              "standard result.")
    grains = getattr(spec.args_model, "time_grains", ())
    if reading.grain is not None and grains and reading.grain.value not in grains:
        grain_said = _GRAIN_SAID.get(reading.grain.value, (reading.grain.value, reading.grain.value))
        own = "、".join(_GRAIN_SAID.get(g, (g, g))[1] for g in grains)
        notes.append(f"{tool}工具不能{grain_said[1]}计算，以下是它的标准结果（{own}）。" if zh
                     else f"The {tool} tool can't work {grain_said[0]}; this is its standard result (by {' / '.join(grains)}).")
    for found in _NUMBER_SAID.finditer(reading.text):
        if any(start <= found.start() < end for start, end in periods) or found.group(1) == str(reading.top_n) \
                or found.group(1).strip() not in reading.question.lower():  # "一般" is read "1般": no number said
            continue
        if number_value(found.group(1)) in numbers or _read_by_tool(spec, reading, found.group(1)):
            continue
        said = (found.group(1) + (found.group(2) or "")).strip()
        setting = next((f for name, f in spec.args_model.model_fields.items()
                        if name == said.lower().split()[-1] and f.description), None)
        if setting is not None and not zh:  # "a 1M budget": the tool's budget is another kind of number
            notes.append(f"'{said}' was not used: the {tool} tool's {said.split()[-1]} is the "
                         f"{(setting.description or '').rstrip('.').lower()}.")
            continue
        notes.append(f"问题中的“{said}”没有用上：{tool}工具不能按这个设置运行，以下是它的标准结果。" if zh
                     else f"'{said}' was not used: the {tool} tool takes no such setting here; this is its standard result.")
    return tuple(notes)


_GRAIN_SAID = {"day": ("daily", "按天"), "week": ("weekly", "按周"), "month": ("monthly", "按月"),
               "quarter": ("quarterly", "按季度"), "year": ("yearly", "按年")}

_TIME_FUNCTION_WORDS = frozenset({"next", "last", "this", "the", "half", "past", "coming", "following", "previous",
                                  "period", "time", "same", "whole", "entire", "full", "first", "future"})
"""Words of a span said in words ("over the next half year"), not a period left unplaced."""

_BOUGHT = r"(?:\b(?:bought|purchased|ordered|buy|buys|buying|purchase|order)\b|买过|购买过|买了|购买了|买)"


def unknown_subject(reading: Reading, spec: ToolSpec[Any], zh: bool,
                    experiments: tuple[tuple[str, ...], ...] = ()) -> str | None:
    """A test the question names that the warehouse has none of ("results for the pricing
    experiment"): declined, not answered with every experiment."""
    if "experiment" not in spec.args_model.model_fields or any(
            m.term.target == "experiment_id" and not m.negated for m in reading.values) \
            or _experiment_in_part(reading, experiments) is not None:
        return None
    for word in reading.unknown:
        if re.search(re.escape(word) + r"\s*(?:the\s+)?(?:experiment|a/?b\s*test|test|split test|实验|测试|ab测试)",
                     reading.text) and word not in {normalize(i) for i in spec.intents}:
            return (f"没有名为“{word}”的实验；可以问“AB测试结果”看全部实验，或者说出其中一个实验的名字。" if zh
                    else f"There is no experiment called '{word}'; ask for 'A/B test results' to see every "
                         "experiment, or name one of them.")
    return None


def _read_by_tool(spec: ToolSpec[Any], reading: Reading, number: str) -> bool:
    """Whether the tool's own reader took ``number`` (a setting converted from it: "6 months"
    is a horizon of 182 days, "a 2% lift" a lift of 0.02): its reading changes without it."""
    reader = getattr(spec.args_model, "from_question", None)
    said = re.search(re.escape(number), reading.question, re.IGNORECASE)  # "5m" read, "5M" said
    if not callable(reader) or said is None:
        return False
    values = [(m.term.target, m.term.value) for m in reading.values if not m.negated]
    model = spec.args_model  # what the tool accepts: "into 1000 clusters" is read, then refused
    without = reading.question[:said.start()] + " " + reading.question[said.end():]
    return _validated(model, reader(reading.question, values)) != _validated(model, reader(without, values))


_PEOPLE = re.compile(r"users|customers|members|buyers|shoppers|people|客户|用户|会员|顾客|新客|老客")
"""People said in a restriction: who a tool's ``where`` took ("only for customers in Shanghai")."""
_RESTRICTED = re.compile(
    r"\b(?:for|among|of|from|in|on)\s+(?:[a-z0-9'-]+\s+){1,3}only\b"
    r"|\bonly\s+(?:for\s+|among\s+|in\s+|on\s+)?(?:[a-z0-9'-]+\s+){0,2}"
    r"(?:users|customers|members|buyers|shoppers|orders|sessions|visitors|people|devices?)\b"
    r"|\b(?:excluding|except(?: for)?)\s+[a-z0-9'-]+(?:\s+[a-z0-9'-]+)?"
    r"|(?:只看|仅看|只算|仅限|只统计)[^，。,；;\s的]{1,8}|(?:不含|不包括|排除|除了|除去)[^，。,；;\s的]{1,8}"
)
"""A restriction said in words ("for mobile users only", "excluding wholesale", "只看新客"): when
no setting of the tool took it, the answer must say it is for everyone, not drop it silently
(a value the model knows is said of that value above)."""


_MONEY_ARGUMENTS = re.compile(r"metric|amount|revenue|value|outcome|spend")
"""Settings through which a tool reads an amount of money (a metric to watch, the order amount)."""


def money_unread(reading: Reading, spec: ToolSpec[Any], span: tuple[int, int], model: SemanticModel,
                 zh: bool) -> str | None:
    """Why a tool can't answer the amount of money the question asks for, or None.

    "How much revenue did we lose to abandoned carts" matched the funnel (its intent "add to
    cart") and answered step counts: the revenue asked for was dropped, a confident answer to
    another question. A tool with no setting that reads money can't say how much; the question
    is declined, naming what the tool does answer."""
    if any(_MONEY_ARGUMENTS.search(name) for name in spec.args_model.model_fields):
        return None
    from genbi.tools.customer_where import CONDITIONS

    takes_customers = any(CONDITIONS in (f.description or "") for f in spec.args_model.model_fields.values())
    for mention in reading.metrics:
        if span[0] < mention.end and mention.start < span[1]:
            continue
        if takes_customers and any(c.start <= mention.start and mention.end <= c.end for c in reading.metric_conditions):
            continue  # "给消费超过1000元的客户写一条推送": money saying who the customers are
        if not model.has_metric(mention.term.target) or model.metric(mention.term.target).format.value != "currency":
            continue
        metric = model.metric(mention.term.target)
        if zh:
            return (f"{spec.name}工具不计算金额，算不了“{mention.surface}”。可以问{spec.name}本身（例如各步骤的会话数），"
                    f"或单独问{metric.label_zh or metric.label}。")
        return (f"The {spec.name} tool counts no money, so it can't say how much {mention.surface} that was. Ask for "
                f"the {spec.name} itself, or for {metric.label.lower()} on its own.")
    return None


_METHOD_BEFORE = re.compile(r"(?:\b(?:by|using|with|via|through|based on|according to)\s(?:an?\s|the\s|our\s)?|(?:用|按|基于|通过|根据)\s?)$")


def _method_named(text: str, found: list[ToolIntent]) -> ToolIntent | None:
    """"segment our buyers by RFM", "split customers into groups using rfm": of two tools named,
    the one said as the method ("by", "using", "用") is the one asked; the other's word names
    the task ("segment"). Scored by length, the longer task phrase won and ran the clustering."""
    names = {i.name for i in found}
    if len(names) < 2:
        return None
    said = [i for i in found if i.span[1] > i.span[0] and _METHOD_BEFORE.search(text[:i.span[0]])]
    return said[0] if len({i.name for i in said}) == 1 else None
