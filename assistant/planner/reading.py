"""Read a question into parts: metrics, dimensions, values, time, ranking and cues.

A ``Reading`` is what the question says, before any decision about what to query; the
assembler (``assemble.py``) turns it into a spec. Keeping the two apart keeps both testable
and keeps follow-up merging a matter of combining readings with the previous spec.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import date

from genbi.assistant.planner import cues
from genbi.assistant.planner.coverage import (
    filler_typo,
    numeric_conditions,
    period_typo,
    unknown_words,
    unread_period_words,
)
from genbi.assistant.planner.date_parts import PartMention, find_parts
from genbi.assistant.planner.first_time import FirstTimeMention, find_first_time
from genbi.assistant.planner.metric_conditions import MetricCondition, find_metric_conditions
from genbi.assistant.planner.period_edges import (
    excluded,
    inclusive_edges,
    open_side,
    week_said_after,
    whole_weeks,
)
from genbi.assistant.planner.ranges import RangeMention, find_ranges
from genbi.assistant.planner.text import (
    blank_taken,
    expand_shorthand,
    has_cjk,
    language_of,
    normalize,
)
from genbi.assistant.planner.timeparse import NAMED_DAY, TimeMention, find_time
from genbi.assistant.planner.vocabulary import Match, Term, TermKind, Vocabulary
from genbi.screened import Screened
from genbi.semantic_layer.query_spec import TimeGrain

CONNECTOR = re.compile(
    r"^\s?(?:,|and|or|&|plus|vs\.?|versus|against|compared to|、|和|与|及|以及|或|或者|跟|对比|\+|/)?\s?$"
)
_BRACKETS = re.compile(r"^\s?[(（:：\"“'=]?\s?$")
_WHICH_GRAIN = re.compile(
    r"\b(?:which|what|best|worst|peak|busiest|top)\s(day|week|month|quarter|year)s?\b"
    r"|哪(?:1|个|一)?(?:个)?(天|日|周|月|个月|季度|年)"
    r"|(?:最高|最多|最低|最少|最好|最差|最大|最小|最旺|最淡)的(月份|季度|年份|1天|日子|1周|1个月|1年|天|月|周|年)"
)
_GRAIN_WORDS = {"day": TimeGrain.DAY, "week": TimeGrain.WEEK, "month": TimeGrain.MONTH,
                "quarter": TimeGrain.QUARTER, "year": TimeGrain.YEAR, "天": TimeGrain.DAY,
                "日": TimeGrain.DAY, "周": TimeGrain.WEEK, "月": TimeGrain.MONTH,
                "个月": TimeGrain.MONTH, "季度": TimeGrain.QUARTER, "年": TimeGrain.YEAR,
                "月份": TimeGrain.MONTH, "年份": TimeGrain.YEAR, "1天": TimeGrain.DAY, "日子": TimeGrain.DAY,
                "1周": TimeGrain.WEEK, "1个月": TimeGrain.MONTH, "1年": TimeGrain.YEAR}
_THRESHOLD = re.compile(
    r"(?:\b(?:more|less|fewer|greater|higher|lower) than|\bat (?:least|most)|\babove|\bbelow|\bexceed(?:s|ed|ing)?|"
    r"超过|大于|小于|低于|高于|多于|少于|不少于|不低于|不超过|不到|至少|最多)\s?[¥$￥]?\s?(\d{4})(?![\d年])"
)
""""不少于2000", "more than 2024": a number compared against is a threshold, never a year ("over"
and "up to" stay periods: "revenue over 2024")."""

_OVER_NUMBER = re.compile(r"\b(?:over|up to)\s?[¥$￥]?\s?(\d{4})(?![\d年])")
""""over 2000", "up to 2024": a period alone ("revenue over 2024"), a threshold beside another period."""


def _blank_number(match: re.Match[str]) -> str:
    """The compared number blanked out of the text periods are read from."""
    return match.group()[:match.start(1) - match.start()] + " " * len(match.group(1))


_ABSENT = re.compile(
    r"\b(?:without|not|non|no|never|lacking)\s?(?:(?:any|a|an|the|been|yet)\s)?-?$"
    r"|\b(?:without|not|no)\b[a-z ]{0,30}\bany\s$"
    r"|(?:没有|没|未|无|非|不|并未|尚未)(?:被|有)?(?:通过|经过|经由|来自|参加|参与)?(?:任何|任何的)?$"
    r"|(?:没有|没|未|无|不)[\u4e00-\u9fff]{0,4}任何的?$"
)
""""without any campaign", "not attributed", "未归因", "没有归因到": the dimension is negated —
its absence (a yes/no one: no), never a word to drop."""

_NEGATED_METRIC = re.compile(r"\b(?:not|non|no|without|never)\s(?:(?:a|an|any)\s)?$|(?:没有|未|非)$")
""""not attributed orders" (from "unattributed"), "policies without a claim": a metric cannot be
negated (a count of none per policy is a condition on each policy); asked, not dropped."""

_AROUND_BEFORE = re.compile(r"\b(?:after|before|post|pre|following|prior to|leading up to|(?:run|lead)[- ]up to|ahead of)\s(?:the\s)?$")
_AROUND_AFTER = re.compile(r"\s?(?:(?:促销|活动|大促)?(?:之后|以后|过后|之前|以前|前后))")
""""after the 618 campaign", "双11之后": the days around a named one, which no period names."""

_STARTED_BEFORE = re.compile(
    r"\b(?:started|launched|began|begun|kicked off|went live|were set up|signed up|registered|joined)"
    r"\s(?:(?:in|during|on|between|from|since|after|before)\s)?(?:the\s)?$"
)
_STARTED_AFTER = re.compile(r"\s?(?:开始|启动|上线|开启|发起|开跑|投放开始|注册|新注册|加入|入会)")
""""campaigns that started in Q3", "Q3上线的活动", "今年注册的用户": the period is when they began."""
_JOINED = re.compile(r"signed up|registered|joined|注册|加入|入会|sign ?ups?|cohort|registrations?|joiners")
_JOINED_AFTER_EN = re.compile(
    r"\s?(?:(?:sign ?up|registration|joiner|acquisition)s?\s)?cohorts?\b|\s?(?:sign ?ups|registrations|joiners)\b"
)
""""the jan '25 signup cohort", "the 2024 signups", "the q1 cohort": people named by the period they
joined in, said before the word for them (without a joining verb the period was read as the
metric's, or declined as a second period)."""

_DURATION = re.compile(
    r"\b(?:time|days|hours|weeks|months|gap|gaps|interval|intervals|lag|duration|delay)\s"
    r"(?:between|it takes|taken|to (?:first|second|next|repeat|convert|purchase|buy|order)|until|before (?:the )?(?:first|next))\b"
    r"|\bhow (?:long|often|frequently)\b|间隔|多久|时长|多长时间|周期|频率|频次"
)
""""average time between orders", "how long until a repeat purchase", "复购周期": a duration or
frequency, which no metric of the model measures (the words were filler: it answered AOV)."""

_PART_BEFORE = re.compile(
    r"\b(?:the\s)?(?:first|second|third|fourth|last|final|1st|2nd|3rd|4th|opening|closing|early|late|mid|middle)"
    r"\s(?:\d+\s)?(?:full\s)?(?:days?|weeks?|weekends?|fortnight|half|part|business days)\s(?:of|in)\s(?:the\s)?$"
    r"|\b(?:early|late|mid|the (?:start|beginning|end|middle) of)\s?-?\s?$"
    r"|\b(?:the\s)?(?:week|weekend|days?)\s(?:of|around)\s(?:the\s)?$"
)
_PART_AFTER = re.compile(r"\s(?:of|in)\s(?:the\s)?(?:year|month|quarter|campaign|season)\b|\s?的?(?:第\d+(?:个)?(?:周|星期|天)|最后\d*(?:个)?(?:周|星期|天)|前\d+(?:天|周)|头\d+(?:天|周)|上旬|中旬|下旬|月初|月底|月末|年初|年底|年末)")
""""the first week of December", "late November", "12月第一周", "11月下旬": a part of the
period named, which no period reads (the whole month was answered)."""

_COMPARED_NUMBER = re.compile(
    r"\b(?:(?:more|less|fewer|greater|higher|lower|bigger|larger|smaller) than|at (?:least|most))"
    r"(?=\s?[¥$￥]?\s?\d|\s(?:once|twice)\b)"
    r"|(?<=\d)\s?\bor (?:more|above|higher|over|fewer|less|below|lower)\b"
    r"|(?:高于|低于|多于|少于|大于|小于|至少|最少|最多)(?=\s?[¥$￥]?\s?\d)"
)
""""more than 500", "at least 2 orders", "低于300", "ordered more than once": a comparison with
a number is a condition, not a superlative."""

_COMPARATOR_BEFORE = re.compile(_THRESHOLD.pattern.split(r"\s?[¥$￥]")[0] + r"\s?[¥$￥]?\s?$")
"""A comparison word just before a number: the number ("不少于2000") is no value ("2000s")."""

_COMPARED_BEFORE = re.compile(
    r"\b(?:than|least|most|over|under|above|below|exceeding|beyond|up to)\s?$|(?:超过|大于|小于|低于|高于|多于|少于|满|至少)\s?$"
    r"|\d[,.]$"
)
""""more than 5 orders", "超过3单": a number compared against is a condition, not a ranking's N
(nor is the tail of a longer number: "500" of "3,500")."""
_LIMIT_WORD = re.compile(r"\b(?:top|bottom|first|last)\s?(\d+)\b|前(\d+)|后(\d+)|倒数(\d+)")


@dataclass(frozen=True)
class Mention:
    """A vocabulary match with the meaning chosen for it."""

    start: int
    end: int
    surface: str
    term: Term
    negated: bool = False
    grouped: bool = False
    """For dimensions: the question asks to break down by it."""
    options: tuple[Term, ...] = ()
    """Every meaning the surface has (the assembler may switch to a reachable one)."""
    suppressed: bool = False
    """For dimensions: named as a whole ("across all channels", "our campaigns"), not split."""


@dataclass
class Reading:
    question: str
    text: str
    language: str
    metrics: list[Mention] = field(default_factory=list)
    dimensions: list[Mention] = field(default_factory=list)
    values: list[Mention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    grain: TimeGrain | None = None
    trend: bool = False
    top_n: int | None = None
    descending: bool | None = None
    """True for "highest/top", False for "lowest/bottom", None when no ranking asked."""
    rank_only: bool = False
    """"rank"/"sort" without a limit."""
    average_per: TimeGrain | None = None
    """"average daily revenue", "日均订单数", "平均每月新客": each period's total, averaged."""
    ties: bool = False
    """"ties included", "并列的都列出来": a top N keeps rows tied with its last one."""
    reversed: bool = False
    """"flip it", "the other way round", "反过来": the ranking before, in the other direction."""
    offset: int = 0
    """"the 2nd best", "第三高", "which one came 2nd": an ordinal, one row after this many."""
    judged: bool = False
    """The direction was said as a judgement ("best", "worst", "最差"), not as a size
    ("highest", "最低"): for a metric where less is better (a cost) "worst" is the highest."""
    which: bool = False
    """"which X" / "哪个X": the answer is one member."""
    superlative: bool = False
    """"highest", "最多": with a singular noun, the answer is one member."""
    each: bool = False
    """"separately", "分别": listed values are shown one by one."""
    average: bool = False
    """"average", "平均": only meaningful before a ratio metric."""
    followup: bool = False
    add_metric: bool = False
    only: bool = False
    write_intent: bool = False
    comparison: bool = False
    versus: bool = False
    """"A vs B", "对比": listed values are shown side by side."""
    share: bool = False
    """"share of", "占比" (in words nothing else read): each row's share of the total."""
    same_period_last_year: bool = False
    """"same month last year", "去年同期": the period moved back a year."""
    period_before: bool = False
    """"the quarter before", "前一个月": the period just before."""
    unknown: list[str] = field(default_factory=list)
    unplaced_periods: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    metric_conditions: list[MetricCondition] = field(default_factory=list)
    """Comparisons beside a metric ("roas below 1"), bound to the breakdown when assembled."""
    """Numbers compared against that no pass explained ("more than 5", "超过500元")."""
    ranges: list[RangeMention] = field(default_factory=list)
    """Number dimensions compared with numbers ("under 25", "25-34岁") and cohorts ("95后")."""
    """Period words no period was read from ("so far", "that week", "最近")."""
    fuzzy: list[tuple[str, str]] = field(default_factory=list)
    """(typed word, term surface it was read as)."""
    member_lists: list[tuple[int, int]] = field(default_factory=list)
    """Spans of dimensions said by listing their members ("男女": men and women): a split of
    their own, never the head of a compound noun before them ("年龄段男女")."""
    first_time: FirstTimeMention | None = None
    """"first-time buyers", "老客", "新老客": members by whether their first order falls in the period."""
    parts: list[PartMention] = field(default_factory=list)
    """Parts of the week said: a split ("by day of week", "周末和工作日") or a filter ("on weekends")."""
    started: list[str] = field(default_factory=list)
    """Periods said of when things started ("campaigns that started in Q3", "Q3上线的活动"),
    not of when the metric happened."""
    excluded_periods: list[str] = field(default_factory=list)
    """Periods said as left out ("2025 except for december", "今年除双11以外"): no spec holds a
    period with a hole, and read as a period it answered the very one left out."""
    began: list[tuple[str, TimeMention, int, int]] = field(default_factory=list)
    """Of ``started``, the periods said of things beginning that are no people joining ("campaigns
    that started in Q3", "10月上线的活动"), with their mention: a filter on a start date (``cohorts``)."""
    joined: list[tuple[str, TimeMention, int, int]] = field(default_factory=list)
    """Of ``started``, the periods said of people joining ("customers who signed up in 2024",
    "2024年注册的"), with their mention and span: a cohort the metric may be filtered by (``cohorts``)."""
    never: str | None = None
    """The never-clause taken out of the question before it was read ("never ordered", ``never``):
    a condition said, so the rest is a whole question, not a bare metric continuing the last one."""


@dataclass(frozen=True)
class Reread:
    """A question read again in the model's own words (``money_in``, ``share_members``) and
    the note that tells the user how it was read ("" when there is nothing to say)."""

    reading: Reading
    note: str


def read(question: str, vocabulary: Vocabulary, as_of: date) -> Reading:
    """Find every part of ``question`` the planner understands, and what is left over.

    A typo may be part of a longer term ("loylaty tier", "new cusotmers", "averge order
    valeu"): read alone, the corrected word is a different term ("loyalty" the value). So
    when a word was corrected or left over, the question is read again with every typo
    corrected in its text, where the longer term forms; that reading is kept unless it
    explains less. A typo of a filler word ("totl", "pleae") is corrected the same way, so it
    is read as the filler it is, with a note, rather than declined as unknown."""
    reading = _overlapping_term(_read_text(question, normalize(question), vocabulary, as_of), vocabulary, as_of)
    typos = reading.fuzzy + [(w, c) for w in reading.unknown  # a phrase ("by customer") is no typo
                            if " " not in w and (c := vocabulary.correct(w) or filler_typo(w) or period_typo(w)) and c != w]
    if not typos:
        return reading
    corrected = reading.text
    for typed, surface in typos:
        if not _inflected(typed, surface):  # "purchased" is a word of its own, not a typo
            corrected = re.sub(rf"\b{re.escape(typed)}\b", surface, corrected)
    if corrected == reading.text:
        return reading
    again = _read_text(question, corrected, vocabulary, as_of)
    if len(again.unknown) > len(reading.unknown) or (reading.unknown and len(again.unknown) == len(reading.unknown)):
        return reading
    again.fuzzy = [t for t in typos if not _inflected(*t)] + again.fuzzy
    return again


def _overlapping_term(reading: Reading, vocabulary: Vocabulary, as_of: date) -> Reading:
    """"average discount rate": the longest term first took "average discount" (the discount per
    order) and left "rate" unknown, so the question was declined; the words after the first of
    the match ("discount rate") are a metric of their own with the word left over. Read again
    with the two apart ("average of discount rate"), kept when it leaves fewer words unknown."""
    if not reading.unknown:
        return reading
    text = reading.text
    for mention in [*reading.metrics, *reading.dimensions, *reading.values]:
        # "vip customers who bought": the tag took "customers", the buyers' phrase is left "who bought"
        after = re.match(r"((?: [a-z]+){1,2})\b", text[mention.end:])
        if after is None:
            continue
        words = after.group(1).split()
        said = text[mention.start:mention.end]
        for count in range(1, len(words) + 1):
            if words[count - 1] not in reading.unknown:
                continue
            for split in (i for i, ch in enumerate(said) if ch == " "):
                joined = " ".join([said[split + 1:], *words[:count]])
                if any(t.kind == TermKind.METRIC for t in vocabulary.terms.get(joined, ())):
                    apart = text[:mention.start + split] + " of " + text[mention.start + split + 1:]
                    again = _read_text(reading.question, apart, vocabulary, as_of)
                    if len(again.unknown) < len(reading.unknown):
                        return again
    return reading


_PART_WORDS = re.compile(r"weekday|weekend|hour|day of|dow|星期|周|礼拜|小时|几点|时段")


def _named_dimensions(text: str, taken: list[bool], vocabulary: Vocabulary) -> list[bool]:
    """``taken`` with the model's own dimensions whose names hold a part-of-the-week or hour
    word ("send weekday", "order hour") marked too, so the parts reader leaves them; a time
    named for its grain (Avazu's timestamp 'hour') is no such dimension: "by hour of day" is
    the hour part of it."""
    if not _PART_WORDS.search(text):
        return taken
    out = list(taken)
    for match in vocabulary.find(text, taken):
        if _PART_WORDS.search(match.surface) and any(
                t.kind == TermKind.DIMENSION and t.target not in vocabulary.time_dimensions for t in match.terms):
            out[match.start:match.end] = [True] * (match.end - match.start)
    return out


def _named_days(text: str, taken: list[bool]) -> list[bool]:
    """``taken`` with named days marked ("黑色星期五" is Black Friday, not every Friday), so the
    parts reader leaves them to the periods."""
    out = taken
    for match in NAMED_DAY.finditer(text):
        out = out if out is not taken else list(taken)
        out[match.start():match.end()] = [True] * (match.end() - match.start())
    return out


def _inflected(typed: str, surface: str) -> bool:
    """Another form of the same word, not a typo of it: "discounted" of "discount", and of a
    plural surface too, "reached" of "reaches" (the verb, not the reach metric)."""
    stem = surface.removesuffix("e")
    if typed != surface and typed.startswith(stem) and typed[len(stem):] in {"s", "es", "d", "ed", "ing", "e", "er"}:
        return True
    base, typed_base = _base(surface), _base(typed)
    return typed_base is not None and typed != surface and typed_base == (base or surface.removesuffix("e"))


def _base(word: str) -> str | None:
    """``word`` without an inflection ending ("reaches", "reached", "reaching": "reach"); None
    when it has none ("revenu" is a typo of "revenue", no form of it)."""
    for ending in ("ing", "es", "ed", "s", "d"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)].removesuffix("e")
    return None


def _member_kinds(text: str, matches: list[Match], vocabulary: Vocabulary, taken: list[bool]) -> None:
    """"华东区", "杭州市": a member followed by the last character of its dimension's Chinese
    name (区 of 大区, 市 of 城市) is the member named with its kind; the character was left over
    and declined the question ("华东区今年的GMV")."""
    for match in matches:
        after = match.end
        if after >= len(text) or taken[after] or not has_cjk(text[after]):
            continue
        if any(t.kind == TermKind.VALUE and text[after] in vocabulary.kind_endings(t.target) for t in match.terms):
            _take(taken, after, after + 1)


def _read_text(question: str, normalized: str, vocabulary: Vocabulary, as_of: date) -> Reading:
    text = _negated_prefixes(cues.per_who(cues.buyer_clauses(expand_shorthand(normalized), vocabulary.terms),
                                          vocabulary.terms), vocabulary)
    reading = Reading(question=question, text=text, language=language_of(question))
    taken = [False] * len(text)
    _take_story(text, taken, vocabulary, as_of)
    switched = _take_cue(cues.SWITCH_TO, text, taken)
    reading.same_period_last_year = _take_cue(cues.SAME_PERIOD_LAST_YEAR, text, taken)
    reading.period_before = _take_period_before(text, taken, vocabulary) | _take_cue(cues.ELLIPTICAL_BEFORE, text, taken)
    reading.parts = find_parts(text, _named_days(text, _named_dimensions(text, taken, vocabulary)))  # before periods: "by day of
    # week" is no daily grain; a dimension of the model's own ("Send Weekday", "Hour") is no part
    for part in reading.parts:
        _take(taken, part.start, part.end)
    reading.first_time = find_first_time(text, taken)  # before periods: "first-time" is no first week
    if reading.first_time is not None:
        _take(taken, reading.first_time.start, reading.first_time.end)
    masked = _THRESHOLD.sub(_blank_number, blank_taken(text, taken))
    reading.times = _outside_terms(find_time(masked, as_of), text, vocabulary)
    if len(reading.times) > 1 and (over := _OVER_NUMBER.search(masked)) is not None \
            and not cues.VERSUS.search(text):
        # "orders over 2000 in 2025": beside another period, "over 2000" may be a threshold, not the
        # year 2000 ("revenue over 2024" alone is the year; "over 2024 vs 2025" compares)
        reading.unplaced_periods.append(over.group().strip())
    for mention in reading.times:
        _take(taken, mention.start, mention.end)
        for start, end in mention.anchors:
            _take(taken, start, end)
        reading.grain = reading.grain or mention.grain
        reading.trend = reading.trend or mention.trend
    reading.times = inclusive_edges(text, reading.times, as_of)
    _read_ranking(reading, taken, vocabulary)
    reading.ranges = find_ranges(text, taken, vocabulary, as_of)
    for found in reading.ranges:
        _take(taken, found.start, found.end)
        if found.anchor:
            _take(taken, *found.anchor)
    matches = [m for m in vocabulary.find(text, taken)
               if not (text[m.start:m.end].isdigit() and _COMPARATOR_BEFORE.search(text[:m.start]))]
    for match in matches:
        _take(taken, match.start, match.end)
    _member_kinds(text, matches, vocabulary, taken)
    matches += _fuzzy_matches(reading, vocabulary, taken)
    _classify(reading, sorted(matches, key=lambda m: m.start), vocabulary.boolean_dimensions)
    unkept = _counts_said_of_rows(reading, vocabulary)
    _flags_said_of_members(reading, vocabulary)
    _counted_as(reading)
    _ranked_nouns(reading, vocabulary)
    _parts_listed_after_grouped(reading)
    _breakdowns_inside_metrics(reading, vocabulary)
    for mention in reading.dimensions:  # the negation of a dimension is understood
        if mention.negated and (absent := _ABSENT.search(text[max(0, mention.start - 30):mention.start])):
            _take(taken, mention.start - len(absent.group()), mention.start)
    reading.member_lists = [(m.start, m.end) for m in reading.dimensions
                            if len(_split_into_members(normalize(m.surface), m.term.target, vocabulary)) >= 2]
    _people_count(reading, vocabulary, taken)
    _people_of_values(reading, vocabulary, taken)
    _value_named_as_counted(reading, vocabulary, taken)
    _listed_grain(reading, taken)
    reading.followup = switched or bool(cues.FOLLOWUP.search(cues.without_politeness(text)))
    reading.add_metric = bool(cues.ADD_METRIC.search(text))
    reading.only = bool(cues.ONLY.search(text))
    reading.write_intent = bool(cues.WRITE_INTENT.search(text))
    reading.comparison = bool(cues.COMPARISON.search(text))
    reading.each = bool(cues.EACH.search(text))
    reading.versus = bool(cues.VERSUS.search(text))
    reading.share = bool(cues.SHARE.search(blank_taken(text, taken)))
    reading.average = bool(cues.AVERAGE.search(text))
    _average_per(reading, taken)
    if reading.versus or reading.comparison:
        _members_named_together(reading, vocabulary)
    _dimension_verbs(reading, vocabulary, taken)
    _verbs_of_values(reading, vocabulary, taken)
    reading.metric_conditions = find_metric_conditions(reading, taken)
    _start_dates(reading, taken, as_of)
    reading.unknown = list(dict.fromkeys(unknown_words(text, taken) + unkept + _compared_with_nothing(text, taken)
                                         + _split_by_no_dimension(reading, taken) + [
        m.group() for m in _DURATION.finditer(text) if not any(taken[m.start():m.end()])]))
    for metric in list(reading.metrics):  # "not attributed orders", "policies without a claim"
        if (negation := _NEGATED_METRIC.search(text[:metric.start])) and not any(taken[negation.start():metric.start]) \
                and not _negated_flag(reading, metric, vocabulary):
            reading.unknown.append(text[negation.start():metric.end])
    reading.unknown = list(dict.fromkeys(reading.unknown + _unused_negations(reading, taken)
                                         + _compared_with_a_metric(reading, taken)))
    reading.conditions = numeric_conditions(text, taken)
    if not reading.times and not reading.same_period_last_year and not reading.period_before:
        reading.unplaced_periods = unread_period_words(text, taken)
    _periods_around(reading, as_of)
    reading.excluded_periods = [said for t in reading.times if (said := excluded(text, t))]
    return reading


_NOT = re.compile(r"\b(?:not|never|no longer)\b|(?<!有)(?:没有?|尚未|并未|未)(?!有会员)")
_NOT_REACH = 40
"""How far before the word it negates a "not" may stand ("did not come from tmall")."""


def _negated_flag(reading: Reading, metric: Mention, vocabulary: Vocabulary) -> bool:
    """"not attributed revenue" (from "unattributed revenue"): a metric named with a yes/no
    word of the model in front ("attributed" + "revenue") is, negated, the plain metric where
    that flag is no; the mention is split in two. False when the name holds no such pair."""
    words = metric.surface.split(" ")
    for cut in range(1, len(words)):
        flag, rest = " ".join(words[:cut]), " ".join(words[cut:])
        flags = [t for t in vocabulary.terms.get(flag, ()) if t.kind == TermKind.DIMENSION]
        plain = [t for t in vocabulary.terms.get(rest, ()) if t.kind == TermKind.METRIC]
        if flags and plain and flags[0].target != metric.term.target:
            middle = metric.start + len(flag) + 1
            reading.metrics[reading.metrics.index(metric)] = Mention(
                start=middle, end=metric.end, surface=rest, term=plain[0], options=tuple(plain))
            reading.dimensions.append(Mention(start=metric.start, end=middle - 1, surface=flag, term=flags[0],
                                              negated=True))
            return True
    return False


def _unused_negations(reading: Reading, taken: list[bool]) -> list[str]:
    """"signed up this year but have not ordered yet", "还没下过单": a "not" that negates nothing read
    (no value, dimension or metric after it was read as negated) was a filler word, and the
    answer covered what it excluded. The words it negates are reported as unknown instead."""
    text = reading.text
    negated = [m.start for m in (*reading.values, *reading.dimensions) if m.negated]
    out = []
    for word in _NOT.finditer(text):
        if any(taken[word.start():word.end()]) or any(0 < start - word.end() <= _NOT_REACH for start in negated):
            continue
        rest = re.match(r"(?:\s+[a-z][a-z'-]*){1,3}|[\u4e00-\u9fff]{1,4}", text[word.end():])
        out.append(word.group() + (rest.group() if rest else ""))
    return out


def _start_dates(reading: Reading, taken: list[bool], as_of: date) -> None:
    """"campaigns that started in Q3": a period said of a start (checked against the metric).
    Said of people joining before or after a period ("signed up before 2024", "2024年之前注册的"),
    the period is open on one side: everyone who joined before its first day, or after its last."""
    text = reading.text
    _began_not_since(reading, as_of)
    for index, mention in enumerate(list(reading.times)):
        bound = _JOINED_BOUND_ZH.match(text, mention.end)
        began = _STARTED_BEFORE.search(text[:mention.start]) or _STARTED_AFTER.match(text, bound.end() if bound else
                                                                                     mention.end) \
            or _JOINED_AFTER_EN.match(text, mention.end)
        if began:
            first, last = min(began.start(), mention.start), max(began.end(), mention.end)
            said = text[first:last].strip()
            reading.started.append(said)
            if _JOINED.search(began.group()):
                side = bound.group(1) if bound and began.start() >= mention.end else \
                    (en.group(1) if (en := _JOINED_BOUND_EN.search(began.group())) else None)
                if side is not None and (opened := open_side(mention, side, as_of)) is not None:
                    reading.times[index] = mention = opened
                    if bound:
                        _take(taken, *bound.span())
                reading.joined.append((said, mention, first, last))
            else:
                reading.began.append((said, mention, first, last))
            _take(taken, *began.span())


_SINCE_START_ZH = re.compile(r"开始$")


def _began_not_since(reading: Reading, as_of: date) -> None:
    """"11月开始的活动": "开始" said of a thing (a campaign) after a period is when it began, not
    "from November on" ("11月开始的订单" stays since November: the noun is a metric). The period
    is read again without the word, and the word is left to the start-date reading after it."""
    text = reading.text
    for index, mention in enumerate(reading.times):
        said = text[mention.start:mention.end]
        ending = _SINCE_START_ZH.search(said)
        if ending is None or mention.time_range is None or not text.startswith("的", mention.end):
            continue
        if not any(d.start == mention.end + 1 for d in reading.dimensions):
            continue
        plain = find_time(said[:ending.start()], as_of)
        if len(plain) != 1 or plain[0].time_range is None:
            continue
        reading.times[index] = replace(plain[0], start=mention.start, end=mention.start + plain[0].end)


_JOINED_BOUND_EN = re.compile(r"\b(before|prior to|after)\s(?:the\s)?$")
_JOINED_BOUND_ZH = re.compile(r"\s?(之前|以前)的?\s?")
"""Only "before" in Chinese: "2024年以后" may or may not hold 2024 itself, so it is left to decline."""


def _periods_around(reading: Reading, as_of: date) -> None:
    """"after the 618 campaign", "双11之后": a period around a day, not the day; "the first week
    of december", "12月第一周": a part of the period named. Neither is a period read (but a
    month's first or last week that is a whole Monday-to-Sunday week is: ``period_edges``)."""
    reading.times, read = whole_weeks(reading.text, reading.times, as_of)
    reading.unknown = [w for w in reading.unknown if not any(w in said for said in read)]
    text = reading.text
    opened = [(first, last) for _, mention, first, last in reading.joined
              if mention.time_range is not None and mention.time_range.relative is None
              and None in (mention.time_range.start, mention.time_range.end)]
    for mention in reading.times:
        if any(first <= mention.start < last for first, last in opened):
            continue  # "signed up before 2024": the joining period, opened on that side
        before, after = _AROUND_BEFORE.search(text[:mention.start]), _AROUND_AFTER.match(text, mention.end)
        if not (before or after) and NAMED_DAY.search(text[mention.start:mention.end]):
            after = _CAMPAIGN_AFTER.match(text, mention.end)  # "the 双11 campaign": its weeks, not the day
        if not (before or after):
            before, after = _PART_BEFORE.search(text[:mention.start]), _PART_AFTER.match(text, mention.end)
        if before or after:
            reading.unplaced_periods.append(text[before.start() if before else mention.start:
                                                 after.end() if after else mention.end].strip())


_CAMPAIGN_AFTER = re.compile(
    r"\s?(?:(?:campaigns?|promos?|promotions?|sales? events?|sale|shopping festival|festival|event)\b"
    r"|活动|大促|促销|期间|购物节|狂欢节?)")
""""the 双11 campaign", "双11活动", "618 promo", "双11期间": a campaign or sale named after a day runs
for days or weeks around it, which the day alone is not; said so, it is a period not read, and
the question declines asking for the dates rather than answering for the day."""


_SPLIT_BY = re.compile(r"\bby\s+(?:(?:the|each|every|our|their|a|an)\s+)?(?=[a-z])")
_SPLIT_BY_ZH = re.compile(r"(?:按照?|各个?)\s?$")
_COUNTED_AS_ZH = re.compile(r"\s?(?:来|去)?(?:计算|算|统计|计|衡量|口径)")
""""按订单计算的客单价": how a number is counted, not a breakdown."""
_COUNTED_AS_BEFORE_ZH = re.compile(r"(?:按照?|以|根据)\s?$")
_COUNTED_AS_EN = re.compile(r"\b(?:counted|calculated|computed|measured)\s(?:by|per|on|over)\s(?:the\s|each\s|an?\s)?$")


_RANKED_BEFORE = re.compile(r"\b(?:top|bottom|best|worst|highest|lowest|first|last)\s?\d+\s$|\b\d+\s(?:best|worst|top)\s$")
_RANKED_BY_AFTER = re.compile(r"\s(?:by|on|in terms of|ranked by|with the most|with the highest)\s")


def _ranked_nouns(reading: Reading, vocabulary: Vocabulary) -> None:
    """"top 5 campaigns by unique clicks": the noun ranked is a breakdown (the campaign, by its
    name) even where the model also counts it ("Campaigns", a count of rows): a count said there
    beside the number ranked by is read as the dimension its singular names."""
    text = reading.text
    for index, mention in enumerate(reading.metrics):
        if not (_RANKED_BEFORE.search(text[:mention.start]) and (after := _RANKED_BY_AFTER.match(text, mention.end))):
            continue
        if not any(m.start >= mention.end + after.end() - after.start() for m in reading.metrics if m is not mention):
            continue
        singular = mention.surface.removesuffix("es") if mention.surface.endswith("ses") else mention.surface.removesuffix("s")
        terms = [t for t in vocabulary.terms.get(singular, ()) if t.kind == TermKind.DIMENSION]
        if singular == mention.surface or not terms:
            continue
        reading.metrics.pop(index)
        reading.dimensions.append(Mention(mention.start, mention.end, mention.surface, terms[0], grouped=True,
                                          options=tuple(terms)))
        reading.dimensions.sort(key=lambda m: m.start)
        return


_PER_GRAIN = {"day": TimeGrain.DAY, "daily": TimeGrain.DAY, "week": TimeGrain.WEEK, "weekly": TimeGrain.WEEK,
              "month": TimeGrain.MONTH, "monthly": TimeGrain.MONTH, "quarter": TimeGrain.QUARTER,
              "quarterly": TimeGrain.QUARTER, "year": TimeGrain.YEAR, "yearly": TimeGrain.YEAR, "annual": TimeGrain.YEAR,
              "日": TimeGrain.DAY, "天": TimeGrain.DAY, "周": TimeGrain.WEEK, "星期": TimeGrain.WEEK, "月": TimeGrain.MONTH,
              "个月": TimeGrain.MONTH, "季": TimeGrain.QUARTER, "季度": TimeGrain.QUARTER, "年": TimeGrain.YEAR}
_AVERAGE_PER = re.compile(
    r"\b(?:average|mean)\s(?:(?:number of|amount of|total)\s)?(?P<a>daily|weekly|monthly|quarterly|yearly|annual)\b"
    r"|\b(?P<b>daily|weekly|monthly|quarterly|yearly|annual)\s(?:average|mean)\b"
    r"|\b(?:average|mean)\b[^?.,;]{0,40}?\b(?:per|a|each|every)\s(?P<c>day|week|month|quarter|year)\b"
    r"|\b(?:per|a|each)\s(?P<d>day|week|month|quarter|year)\s(?:on average|in average)\b"
    r"|(?P<e>日|周|月|季)均|平均每(?:一)?(?:个)?(?P<f>天|日|周|星期|月|季度|年)|每(?:一)?(?:个)?(?P<g>天|日|周|星期|月|季度|年)平均"
)


_GRAIN_ORDER = (TimeGrain.DAY, TimeGrain.WEEK, TimeGrain.MONTH, TimeGrain.QUARTER, TimeGrain.YEAR)


def _overlapping(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Every match of ``pattern``, also those overlapping another ("每个月平均" and "平均每天")."""
    found, position = [], 0
    while (match := pattern.search(text, position)) is not None:
        found.append(match)
        position = match.start() + 1
    return found


def _averaged_grain_order(said: re.Match[str]) -> int:
    """"每个月平均每天多少新客": of two averages said, the finer one is averaged ("每天"), the
    other ("每个月") is the split it is shown by."""
    word = next(value for value in said.groupdict().values() if value)
    return _GRAIN_ORDER.index(_PER_GRAIN[word])


def _average_per(reading: Reading, taken: list[bool]) -> None:
    """"average daily revenue", "revenue per day on average", "日均GMV", "平均每天多少单": the
    total of each such period averaged over the periods, not a split by day (the grain those
    words also read is dropped) nor an average declined as unclear."""
    said = min(_overlapping(_AVERAGE_PER, reading.text), default=None, key=_averaged_grain_order)
    if said is None:
        return
    group = next(name for name, value in said.groupdict().items() if value)
    word = said.group(group)
    named = [(m.start, m.end) for m in (*reading.metrics, *reading.dimensions, *reading.values)]
    if any(start < said.end(group) and said.start(group) < end for start, end in named):
        return  # "average annual premium", telco's "Monthly Charges": the model's own words
    reading.average_per = _PER_GRAIN[word]
    _take(taken, said.start(), said.start() + len(said.group()) if reading.language == "zh" else said.end())
    reading.average = False
    reading.times = [t for t in reading.times if not (t.time_range is None and t.grain == reading.average_per
                                                      and not t.trend)]
    reading.grain = next((t.grain for t in reading.times if t.grain is not None), None)


def _counted_as(reading: Reading) -> None:
    """"客单价（按订单算）", "按订单计算的客单价", "AOV (calculated per order)": a metric named
    only to say how another one is counted is no metric asked for; read as one, a comparison
    answered the count of it instead of the ratio asked."""
    text = reading.text
    if len(reading.metrics) < 2:
        return
    said_how = [m for m in reading.metrics
                if (_COUNTED_AS_BEFORE_ZH.search(text[:m.start]) and _COUNTED_AS_ZH.match(text, m.end))
                or _COUNTED_AS_EN.search(text[:m.start])]
    if said_how and len(said_how) < len(reading.metrics):
        reading.metrics = [m for m in reading.metrics if m not in said_how]


_DONE_BY = re.compile(r"\b(?:placed|made|bought|purchased|generated|driven|brought|spent|ordered|sorted|ranked|paid|"
                      r"used|received|contributed|sold|owned|referred|acquired|attracted|done|won|reached|viewed|"
                      r"clicked|opened|completed|made up|followed|measured|weighted|divided|multiplied|"
                      r"increased|decreased|grew|fell|dropped|rose|changed|up|down)\s+$")


def _split_by_no_dimension(reading: Reading, taken: list[bool]) -> list[str]:
    """"revenue by customer", "orders by user group", "revenue by group": a breakdown asked for
    by something that is no dimension (a count of people, a filler word). Answered, it was the
    total with the split dropped; reported as unknown, the question is declined and says what.
    Not after a ranking ("top cities by customers" ranks by that count) or a verb whose doer
    follows ("orders placed by gold members")."""
    if reading.top_n is not None or reading.superlative or reading.rank_only or reading.descending is not None:
        return []
    text, out = reading.text, []
    if reading.language == "zh":  # "按客户的销售额", "各客户销售额" (not 每个客户: per customer)
        return [text[cue.start():m.end] for m in reading.metrics
                if (cue := _SPLIT_BY_ZH.search(text[:m.start])) is not None
                and not _COUNTED_AS_ZH.match(text, m.end) and any(other is not m for other in reading.metrics)]
    grouped = {m.start for m in reading.dimensions} | {m.start for m in reading.times} | {m.start for m in reading.values}
    counts = {m.start: m for m in reading.metrics}
    dimensions = {m.start for m in reading.dimensions}
    for cue in _SPLIT_BY.finditer(text):
        start = cue.end()
        if start in grouped or _DONE_BY.search(text[:cue.start()]) or not any(m.end <= cue.start() for m in reading.metrics):
            continue
        word = re.match(r"[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?", text[start:])
        if word is None:
            continue
        if start in counts:  # "by customer": a count metric where a dimension should be
            end = counts[start].end
            following = re.match(r"\s+([a-z][a-z'-]*)", text[end:])
            if following is not None and end + following.start(1) in dimensions:
                continue  # "by customer home city": the customer's city, a dimension
            if following is None or taken[end + following.start(1)]:
                out.append(text[cue.start():end])
            elif following.group(1) in cues.STOPWORDS_EN:  # "by customer group"
                out.append(text[cue.start():end + following.end(1)])
            # else "by customer home city": the unknown word itself is reported (and may be explained)
        elif not taken[start] and word.group().split()[0] in cues.STOPWORDS_EN:  # "by group": a filler word
            out.append(text[cue.start():start + len(word.group().split()[0])])
    return out


_COMPARED_WITH = re.compile(r"\b(?:vs\.?|versus|compared (?:to|with)|against)\s+(?:(?:the|our|all)\s+)?([a-z][a-z'-]*)")
_BASES = frozenset({"last", "previous", "prior", "preceding", "before", "same", "each", "one", "other", "others",
                    "it", "that", "this", "those", "these", "them", "target", "targets", "goal", "goals", "plan",
                    "budget", "rest", "total", "average", "avg", "overall"})


_OVER_A_METRIC = re.compile(r"\b(?:over|under|above|below|exceed(?:ed|ing|s)?|beyond|within)\s+"
                            r"(?:(?:the|their|its|our|his|her)\s+)?$|(?:超过?|超出|高于|低于|不到)\s?$")


def _compared_with_a_metric(reading: Reading, taken: list[bool]) -> list[str]:
    """"campaigns over budget", "超预算的活动": one number compared with another for each row
    (spend against budget), which no spec holds; read as the metric alone, the answer was the
    total budget. The comparison is reported as unknown, so the question declines."""
    out = []
    bound = {id(c.mention) for c in reading.metric_conditions}
    for metric in reading.metrics:
        said = _OVER_A_METRIC.search(reading.text[:metric.start])
        if said is None or id(metric) in bound or any(taken[said.start():said.end()]):
            continue
        if said.group().startswith(("over", "under")) and any(
                reading.text[m.end:said.start()].strip() == "" for m in reading.metrics if m.end <= said.start()):
            continue  # "total discount over gross amount": one over the other is a ratio, read elsewhere
        out.append(reading.text[said.start():metric.end].strip())
    return out


def _compared_with_nothing(text: str, taken: list[bool]) -> list[str]:
    """"new signups from organic vs paid channels": the word a comparison is made with must
    be read, or the other side is dropped and one side alone answered. A word no pass took
    there ("paid", a filler elsewhere) is reported as unknown."""
    out = []
    for match in _COMPARED_WITH.finditer(text):
        word = match.group(1)
        if not any(taken[match.start(1):match.end(1)]) and word not in _BASES:
            out.append(word)
    return out


_VERBED = re.compile(r"\b([a-z]{3,}?)e?d\s+(?:by|from|in|via|through|with|as)\b")


def _dimension_verbs(reading: Reading, vocabulary: Vocabulary, taken: list[bool]) -> None:
    """"claims caused by Fire", "leads sourced from referral": a dimension's noun said as a
    verb before one of its own values says nothing more than the value."""
    valued = {v.term.target for v in reading.values}
    for match in _VERBED.finditer(reading.text):
        if any(taken[match.start(1):match.end(1)]):
            continue
        stem = match.group(1)
        for noun in (stem, stem + "e"):
            if any(t.kind == TermKind.DIMENSION and t.target in valued for t in vocabulary.terms.get(noun, ())):
                _take(taken, match.start(), match.end())
                break


_VERB_BEFORE_EN = re.compile(r"\b([a-z]{4,}?)(e?d|ing|e)?(?:\s+up)?\s+(?:by|from|in|via|through|with|on|as)\s+(?:the\s+)?$")
_VERB_AROUND_ZH = re.compile(r"(?:通过|经由|经过|从|由|在)?\s*$")
_VERB_AFTER_ZH = re.compile(r"^\s*([\u4e00-\u9fff]{2})")


def _dimension_surfaces(vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Dimension -> the words naming it (label, synonyms), from every term of the vocabulary."""
    out: dict[str, set[str]] = {}
    for surface, terms in vocabulary.terms.items():
        for term in terms:
            if term.kind == TermKind.DIMENSION:
                out.setdefault(term.target, set()).add(surface)
    return {target: tuple(sorted(words)) for target, words in out.items()}


def _verbs_of_values(reading: Reading, vocabulary: Vocabulary, taken: list[bool]) -> None:
    """"customers acquired through WeChat", "users who signed up via Douyin", "通过抖音获取的客户":
    a value several dimensions hold (a marketing channel is also the acquisition channel) said
    after a verb that is a word of one of them ("acquired" ~ acquisition channel, "signed up" ~
    signup channel, 获取 ~ 获取渠道) is that one; the verb says nothing more. Read apart, the verb
    was unknown and the question declined, or the value's first meaning (the order channel)
    answered another question. The verb and the name share their start: 5 letters, or the whole
    stem when shorter; two characters in Chinese."""
    surfaces: dict[str, tuple[str, ...]] | None = None
    for index, mention in enumerate(reading.values):
        targets = {t.target for t in mention.options if t.kind == TermKind.VALUE}
        if len(targets) < 2:
            continue
        before = reading.text[:mention.start]
        english = _VERB_BEFORE_EN.search(before)
        chinese = _VERB_AFTER_ZH.match(reading.text[mention.end:]) if _VERB_AROUND_ZH.search(before) else None
        # the verb may be read already ("customers acquired" as new customers, 获客 as who joined):
        # it still says which meaning the value has
        if english is not None and (english.group(2) in ("ed", "d", "ing") or not any(taken[english.start(1):english.end(1)])):
            stem, start, end = english.group(1), english.start(1), english.start(1) + len(english.group().split()[0])
            prefix = stem[:5]  # a word with no verb ending ("acquire via") only when nothing else read it
        elif chinese is not None:
            prefix, start, end = chinese.group(1), mention.end + chinese.start(1), mention.end + chinese.end(1)
        else:
            continue
        if surfaces is None:
            surfaces = vocabulary.derived("dimension_surfaces", _dimension_surfaces)
        fitting = [t for t in mention.options if t.kind == TermKind.VALUE and any(
            word.startswith(prefix) for said in surfaces.get(t.target, ()) for word in said.split())]
        if len({t.target for t in fitting}) == 1:  # said, so first among its meanings (``prefer_reachable``)
            chosen = replace(fitting[0], rank=min(t.rank for t in mention.options))
            reading.values[index] = replace(mention, term=chosen)
            _take(taken, start, end)
            _listed_alike(reading, index)


_LISTED = re.compile(r"^\s*(?:,|/|、|and|or|vs\.?|versus|against|compared (?:to|with)|和|与|跟|及|或|或者|还是|对比|比)\s*$")


def _listed_alike(reading: Reading, index: int) -> None:
    """"acquired via search vs email": the members listed after the one a verb placed are of its
    dimension too (read apart, email stayed the order channel and the two became one filter each)."""
    target = reading.values[index].term.target
    for order in (range(index + 1, len(reading.values)), range(index - 1, -1, -1)):  # "抖音和微信获取的": before it
        for other in order:
            mention = reading.values[other]
            near = reading.values[other - 1] if other > index else reading.values[other + 1]
            between = reading.text[near.end:mention.start] if other > index else reading.text[mention.end:near.start]
            same = next((t for t in mention.options if t.kind == TermKind.VALUE and t.target == target), None)
            if not _LISTED.match(between) or same is None:
                break
            reading.values[other] = replace(mention, term=replace(same, rank=min(t.rank for t in mention.options)))


def _people_count(reading: Reading, vocabulary: Vocabulary, taken: list[bool]) -> None:
    """"how many shoppers in Beijing", "北京有多少人", "金卡会员有多少", "how many gold
    members": with no metric named, counting people means the model's count of customers
    (the filters say which ones). A bare "members" / "会员" is not read: it may or may not
    include customers outside the loyalty programme."""
    if vocabulary.people_metric is None:
        return
    masked = blank_taken(reading.text, taken)
    if reading.metrics:
        _people_counted(reading, vocabulary, taken, masked)
        return
    span = None
    if found := cues.PEOPLE_COUNT.search(masked):
        group = next(g for g in ("en", "zh", "zh2", "zh3") if found.group(g))
        start, end = found.span(group)
        if found.group(group) not in ("members", "会员") or any(start - 2 <= v.end <= start for v in reading.values):
            span = (start, end)
    for value in reading.values if span is None else ():
        if value.surface.endswith(("会员", "members", "member")):
            after = cues.PEOPLE_COUNT_AFTER.match(reading.text, value.end)
            before = cues.HOW_MANY_BEFORE.search(reading.text[max(0, value.start - 20):value.start])
            if after or before:
                span = after.span() if after else (value.start - len(before.group()), value.start) if before else (0, 0)
                break
    if span is None:
        return
    _take(taken, *span)
    term = Term(TermKind.METRIC, vocabulary.people_metric)
    reading.metrics.append(Mention(span[0], span[1], reading.text[span[0]:span[1]], term, options=(term,)))


_PEOPLE = re.compile(r"\b(?:people|persons|folks)\b")
_PEOPLE_BEFORE_VALUE = re.compile(r"^ (?:who (?:are|were|live|lived) )?(?:in|from|of|living in|based in|located in) (?:the )?$")


def _people_of_values(reading: Reading, vocabulary: Vocabulary, taken: list[bool]) -> None:
    """"repeat rate for silver people", "revenue from people in Shanghai", "aov for people aged
    45+": "people" beside a member of a customer attribute (or the attribute) says whose rows (as "silver customers" does); anywhere else
    ("how many people revenue") it stays a word no pass explained."""
    if not vocabulary.people_dimensions or not _PEOPLE.search(reading.text):
        return
    values = [v for v in reading.values if v.term.target in vocabulary.people_dimensions]
    for match in _PEOPLE.finditer(reading.text):
        if any(taken[match.start():match.end()]):
            continue
        before = any(reading.text[v.end:match.start()] == " " for v in values)
        after = any(v.start > match.end() and _PEOPLE_BEFORE_VALUE.match(reading.text[match.end():v.start])
                    for v in values)
        # "people aged 45+", "people born in the 90s": a customer attribute said of them right after
        said_of = any(d.start == match.end() + 1 and d.term.target in vocabulary.people_dimensions
                      for d in reading.dimensions) or any(
            min([r.start, *(r.anchor or ())]) == match.end() + 1 and r.dimension in vocabulary.people_dimensions
            for r in reading.ranges)
        if before or after or said_of:
            _take(taken, match.start(), match.end())


_COUNT_AFTER_ZH = re.compile(r"的?(?:数量|数目|个数|总数|有多少|有几)")
_COUNT_BEFORE_ZH = re.compile(r"(?:有多少|多少个?|几个?)的?$")


def _value_named_as_counted(reading: Reading, vocabulary: Vocabulary, taken: list[bool]) -> None:
    """"手机订单的数量", "有多少手机订单", "how many mobile orders": with no metric named, a value
    whose own name ends in what a count metric counts (手机订单 ends in 订单, the orders) is
    those rows counted, the value a filter (it was "no metric to compute"). A Chinese value
    followed by 的数量 whose name names no count ("交易关闭的数量") counts the rows of its
    table, when one metric counts them."""
    if reading.metrics:
        return
    for value in reading.values:
        surface = value.surface
        zh = has_cjk(surface)
        after = (_COUNT_AFTER_ZH if zh else cues.PEOPLE_COUNT_AFTER).match(reading.text, value.end)
        before = (_COUNT_BEFORE_ZH if zh else cues.HOW_MANY_BEFORE).search(reading.text[max(0, value.start - 20):
                                                                                         value.start])
        if not (after or before):
            continue
        tails = [surface[i:] for i in range(1, len(surface) - 1)] if zh else [" ".join(surface.split()[-1:])] \
            if len(surface.split()) > 1 else []
        counted = next((t for tail in tails for t in vocabulary.terms.get(tail, ())
                        if t.kind == TermKind.METRIC and t.target in vocabulary.row_counts), None)
        if counted is None and zh and after and value.term.target in vocabulary.table_row_counts:
            # "交易关闭的数量": a status, then "的数量": the rows with it, on the one count of their table
            counted = Term(TermKind.METRIC, vocabulary.table_row_counts[value.term.target])
        if counted is None:
            continue
        span = after.span() if after else (value.start - len(before.group()), value.start) if before else (0, 0)
        _take(taken, *span)
        reading.metrics.append(Mention(span[0], span[1], reading.text[span[0]:span[1]], counted, options=(counted,)))
        return


def _members_named_together(reading: Reading, vocabulary: Vocabulary) -> None:
    """Members compared by a breakdown named by listing them ("男女" = 男 + 女, "men and
    women") are those members only: "今年男女购买人数对比" compares men with women, without
    the customers whose gender is unknown ("每个月男女的销售额", no comparison, keeps every
    row). The dimension stays grouped; the members become a filter."""
    for mention in list(reading.dimensions):
        if mention.suppressed or any(v.term.target == mention.term.target for v in reading.values):
            continue
        members = _split_into_members(normalize(mention.surface), mention.term.target, vocabulary)
        if len(members) < 2:
            continue
        # each member on its own row: "男女购买人数" is per gender
        reading.dimensions[reading.dimensions.index(mention)] = dataclasses.replace(mention, grouped=True)
        for value in members:
            term = Term(TermKind.VALUE, mention.term.target, value=value)
            reading.values.append(Mention(mention.start, mention.end, mention.surface, term, options=(term,)))


def _split_into_members(surface: str, dimension: str, vocabulary: Vocabulary) -> list[object]:
    """The values of ``dimension`` that ``surface`` consists of, in order ([] unless all of it)."""
    def value_of(piece: str) -> object | None:
        found = [t.value for t in vocabulary.terms.get(piece.strip(), ())
                 if t.kind == TermKind.VALUE and t.target == dimension]
        return found[0] if len(set(map(str, found))) == 1 else None

    if not has_cjk(surface):
        pieces = [p for p in re.split(r"\s*(?:\band\b|&|/|,|\bvs\.?|\bversus\b)\s*", surface) if p]
        values = [value_of(p) for p in pieces]
        return values if len(values) >= 2 and all(v is not None for v in values) else []
    best: dict[int, list[object]] = {0: []}  # characters read -> the values so far
    for end in range(1, len(surface) + 1):
        for start in range(end):
            if start in best and (value := value_of(surface[start:end])) is not None:
                best[end] = best[start] + [value]
                break
    values = best.get(len(surface), [])
    return values if len(set(map(str, values))) == len(values) else []


def _people_counted(reading: Reading, vocabulary: Vocabulary, taken: list[bool], masked: str) -> None:
    """"how many people signed up", "2025年北京有多少人注册": the people are what the named
    metric counts when every metric named counts customers; any other metric ("how many
    people … revenue") leaves the word unexplained, as before."""
    if not all(m.term.target in vocabulary.people_counts for m in reading.metrics):
        return
    if found := cues.PEOPLE_COUNT.search(masked):
        group = next(g for g in ("en", "zh", "zh2", "zh3") if found.group(g))
        _take(taken, *found.span(group))


def _outside_terms(mentions: list[TimeMention], text: str, vocabulary: Vocabulary) -> list[TimeMention]:
    """A grain word that is part of a metric or dimension name belongs to that name:
    "annual premium" is a metric, not "premium by year"; "按年龄段" is by age band, not by
    year."""
    grains_only = [m for m in mentions if m.time_range is None and not m.trend]
    if not grains_only:
        return mentions
    spans = [(m.start, m.end) for m in vocabulary.find(text, [False] * len(text))
             if any(t.kind != TermKind.VALUE for t in m.terms)]

    def inside_a_name(mention: TimeMention) -> bool:
        return any(s < mention.end and mention.start < e and not (mention.start <= s and e <= mention.end)
                   for s, e in spans)

    return [m for m in mentions if m not in grains_only or not inside_a_name(m)]


_BEFORE = re.compile(r"\bbefore\b")


def _take_period_before(text: str, taken: list[bool], vocabulary: Vocabulary) -> bool:
    """"the month before", "the quarter before": the period before the one in question; not when
    "before" starts words of the model's own ("gross sales last month before discounts": the
    metric's "before discounts", not last month against the month before it)."""
    found = False
    for match in cues.PERIOD_BEFORE.finditer(text):
        word = _BEFORE.search(text, match.start(), match.end())
        if word is not None and _starts_a_term(text, word.start(), vocabulary):
            continue
        _take(taken, *match.span())
        found = True
    return found


def _starts_a_term(text: str, start: int, vocabulary: Vocabulary) -> bool:
    """Some surface of the vocabulary begins at ``start`` and ends on a word edge."""
    rest = text[start:]
    return any(rest.startswith(surface) and (len(rest) == len(surface) or not rest[len(surface)].isalnum())
               for surface in vocabulary.terms if surface[:1] == rest[:1] and len(surface) > len("before"))


def _take_story(text: str, taken: list[bool], vocabulary: Vocabulary, as_of: date) -> None:
    """"ok so my boss is prepping the QBR deck and wants a million things but honestly the main
    one rn is just: how much did we spend in Q3": the story before a hand-over ("the main one is
    just", "说白了就是") is no part of the question, which is what follows. Its words were unknown
    and the whole question declined. Only a story about the asker's work (``cues.STORY_CUE``:
    "my boss", "lots of meetings", "年底") with nothing the model reads (no metric, member or
    period) and no word that limits the data ("customers who", "only", "不") is passed over;
    any other is read as part of the question, as before."""
    said = cues.HANDOVER.search(text)
    if said is None:
        return
    end = said.end() + cues.HANDOVER_END.match(text[said.end():]).end()
    story = text[:said.start()]
    if end >= len(text) or not text[end:].strip() or not cues.STORY_CUE.search(story) \
            or cues.STORY_CONDITION.search(story) or vocabulary.find(story) or find_time(story, as_of):
        return
    _take(taken, 0, end)


def _take_cue(pattern: re.Pattern[str] | Screened, text: str, taken: list[bool]) -> bool:
    found = False
    for match in pattern.finditer(text):
        _take(taken, *match.span())
        found = True
    return found


def _take(taken: list[bool], start: int, end: int) -> None:
    for i in range(start, min(end, len(taken))):
        taken[i] = True


_HIGHEST, _LOWEST, _TOP_N, _BOTTOM_N, _ASCENDING, _RANK = (
    Screened(p) for p in (cues.HIGHEST, cues.LOWEST, cues.TOP_N, cues.BOTTOM_N, cues.ASCENDING, cues.RANK))
_RANKING_WORDS = (_HIGHEST, _LOWEST, _TOP_N, _BOTTOM_N)


def _without_ranked_names(text: str, vocabulary: Vocabulary) -> str:
    """``text`` with the model's names that hold a ranking word blanked: 'most ads day' (the
    A/B export's day a user saw most ads) is a breakdown, not 'the most'."""
    if not any(p.may_match(text) for p in (*_RANKING_WORDS, _RANK)):
        return text  # no ranking word anywhere, so none inside a name (most questions)
    ranks = [m.start() for m in _RANK.finditer(text)] if _RANK.may_match(text) else []
    spans = [(m.start, m.end) for m in vocabulary.find(text)
             if any(p.search(text[m.start:m.end]) for p in _RANKING_WORDS)
             or any(m.start < r < m.end for r in ranks)]  # 'items ordered' by department: no 'ordered by'
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _without_weeks_of(text: str, reading: Reading) -> str:
    """``text`` with "第1周" after a period blanked: the week of a month ("12月第1周的订单数"),
    no ranking's first place."""
    for period in reading.times:
        if (week := week_said_after(text, period.end)) is not None:
            text = text[:week[0]] + " " * (week[1] - week[0]) + text[week[1]:]
    return text


def _read_ties(reading: Reading, text: str, taken: list[bool]) -> None:
    """"ties included", "并列的都列出来": the top N keeps rows tied with its last one."""
    for tied in cues.WITH_TIES.finditer(text):
        if not any(taken[tied.start():tied.end()]):
            reading.ties = True
            _take(taken, *tied.span())


_ORDINAL_WORDS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}
_HIGH_RANK = r"best|biggest|largest|highest|most|top|greatest|strongest|leading"
_LOW_RANK = r"worst|lowest|smallest|least|fewest|weakest"
_ORDINAL = re.compile(
    rf"\b(?P<n>\d{{1,2}})(?:st|nd|rd|th)\s(?P<word>{_HIGH_RANK}|{_LOW_RANK})\b"
    rf"|\b(?P<nw>second|third|fourth|fifth)[- ](?P<word2>{_HIGH_RANK}|{_LOW_RANK})\b"
    r"|\b(?:came|comes|come|placed|ranked|ranks|finished|is|was)\s(?:in\s)?(?P<place>\d{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s(?:half|quarter|week|month|day|year|time|order|purchase))"
    r"|\b(?P<place2>\d{1,2})(?:st|nd|rd|th) place\b"
    r"|(?:排名?|排在)?第(?P<zh>\d{1,2})(?P<zhword>高|多|大|好|强|名|位|低|少|小|差|弱)"
    r"|排名?第(?P<zh2>\d{1,2})(?=的|是|$|[?？(（,，\s])"
)
""""the 3rd biggest region", "second-best channel", "which one came 2nd?", "第二高的城市",
"卖得第二好", "排名第二的是哪个月": one row, the N-th of the ranking. Read as "biggest" alone, the
top one was answered; "2nd"/"第2" left over declined the question. Never a period's ordinal
("2nd half", "第2季度", "第1次下单")."""


def _read_ordinal(reading: Reading, text: str, taken: list[bool]) -> None:
    said = next((m for m in _ORDINAL.finditer(text) if not any(taken[m.start():m.end()])), None)
    if said is None:
        return
    n = int(said["n"] or said["place"] or said["place2"] or said["zh"] or said["zh2"] or 0) \
        or _ORDINAL_WORDS[said["nw"]]
    if not 1 <= n <= MAX_ORDINAL:
        return
    word = said["word"] or said["word2"] or said["zhword"] or ""
    low = bool(re.fullmatch(rf"{_LOW_RANK}|低|少|小|差|弱", word))
    reading.top_n, reading.offset, reading.descending = 1, n - 1, not low
    reading.judged = bool(re.fullmatch(r"best|worst|好|差", word))
    _take(taken, *said.span())


MAX_ORDINAL = 100
"""The deepest place an ordinal asks for ("the 100th best"); deeper is no ranking question."""


def _read_ranking(reading: Reading, taken: list[bool], vocabulary: Vocabulary) -> None:
    text = _without_ranked_names(reading.text, vocabulary)
    if (first := reading.first_time) is not None:  # "第1次下单的客户": no ranking's first
        text = text[:first.start] + " " * (first.end - first.start) + text[first.end:]
    text = _without_weeks_of(text, reading)
    _read_ties(reading, text, taken)
    for flipped in cues.REVERSED.finditer(text):
        if not any(taken[flipped.start():flipped.end()]):
            reading.reversed = True
            _take(taken, *flipped.span())
    _read_ordinal(reading, text, taken)
    for pattern, descending in ((_TOP_N, True), (_BOTTOM_N, False)) if reading.top_n is None else ():
        # a cue another reading took ("上月和前1个月": the month before) is no ranking
        match = next((m for m in pattern.finditer(text) if not any(taken[m.start():m.end()])), None)
        if match:
            reading.top_n = int(next(g for g in match.groups() if g))
            # "which 3 cities … the least": "which N" gives the count, not the direction
            neutral = bool(cues.NEUTRAL_N.match(match.group()))
            reading.descending = None if neutral else descending
            reading.judged = bool(_JUDGED.search(match.group()))
            _take(taken, *match.span())
            break
    # "which day of the week": the part of the week read it, not a daily grain
    which = next((m for m in _WHICH_GRAIN.finditer(text)
                  if not any(p.start < m.end() and m.start() < p.end for p in reading.parts)), None)
    if which:
        reading.grain = reading.grain or _GRAIN_WORDS[next(g for g in which.groups() if g)]
        reading.which = True
        _take(taken, *which.span())
    reading.which = reading.which or bool(re.search(r"\bwhich\b|\bwhat\s\w+\s(?:has|had|have|is|was|were|did|does|do|got|gets)\b|哪(?:1|个|一|家|位|款|类|种|座)|谁(?:的|家)", text))
    unranked = _COMPARED_NUMBER.sub(lambda m: " " * len(m.group()), text)  # "more than 500 buyers": no ranking
    which_high, which_low = _WHICH_HIGH.search(unranked), _WHICH_LOW.search(unranked)
    high, low = _HIGHEST.search(unranked) or which_high, _LOWEST.search(unranked) or which_low
    for said in (which_high, which_low):
        if said is not None and reading.which:
            _take(taken, *said.span("word"))
    if reading.descending is None and (high or low):
        first = min((m for m in (high, low) if m), key=lambda m: m.start())
        reading.descending = first is high
        reading.judged = bool(_JUDGED.fullmatch(first.group()))
        if _ASCENDING.search(text):
            reading.descending = False
    if reading.top_n is None and (high or low):
        # "the 2 cities with the fewest orders", "订单最少的3个城市": a count beside the
        # superlative's noun is the ranking's N
        count = next((m for m in cues.COUNTED_NOUN.finditer(text) if not any(taken[m.start():m.end()])
                      and not _COMPARED_BEFORE.search(text[:m.start()])), None)
        if count is not None:
            reading.top_n = int(count.group(1) or count.group(2))
            _take(taken, count.start(1) if count.group(1) else count.start(2), count.end())
    elif reading.top_n is not None and reading.descending is None:
        reading.descending = True
    reading.superlative = reading.top_n is None and bool(high or low)
    _read_order(reading, text, unranked, taken)


def _read_order(reading: Reading, text: str, unranked: str, taken: list[bool]) -> None:
    """Every row in order: both ends asked ("highest and lowest"), or a ranking word ("ranked")."""
    if _BOTH_ENDS.search(unranked):  # "highest and lowest", "最高和最低": every row, ordered
        reading.top_n, reading.superlative, reading.rank_only, reading.descending = None, True, True, True
    if _RANK.search(text):
        for said in _ORDER_PHRASE.finditer(text):  # "in descending order": no count of orders
            _take(taken, *said.span())
        reading.superlative = False
        reading.rank_only = reading.top_n is None
        if reading.descending is None:
            reading.descending = not bool(_ASCENDING.search(text))


_HIGH_WORD = r"(?:highest|most|best|largest|biggest|top|maximum|max|最高|最多|最大|最好|最强)"
_LOW_WORD = r"(?:lowest|least|worst|smallest|fewest|bottom|minimum|min|最低|最少|最小|最差|最弱)"
_BOTH_ENDS = re.compile(rf"(?<![a-z]){_HIGH_WORD}\s?(?:and|&|/|or|vs|和|与|及|跟|、|或)\s?(?:the\s)?{_LOW_WORD}(?![a-z])"
                        rf"|(?<![a-z]){_LOW_WORD}\s?(?:and|&|/|or|vs|和|与|及|跟|、|或)\s?(?:the\s)?{_HIGH_WORD}(?![a-z])")
""""highest and lowest revenue city", "top and bottom 3", "销售额最高和最低的城市": both ends are
asked, so every row is shown in order; read with one end, the other was dropped without a word."""

_WHICH_HIGH = re.compile(r"(?<=[哪谁])[^，,。？?]{0,16}?(?<!最)(?P<word>(?:更|比较|较)?(?:高|多|大|好|强)\s?(?:1些|1点|些)?)\s?[？?呢吗啊]*$")
_WHICH_LOW = re.compile(r"(?<=[哪谁])[^，,。？?]{0,16}?(?<!最)(?P<word>(?:更|比较|较)?(?:低|少|小|差|弱)\s?(?:1些|1点|些)?)\s?[？?呢吗啊]*$")
""""抖音和小红书哪个ROI高", "哪个渠道花得多", "男生和女生谁的客单价高": "which … is high", said at
the end, is the top one."""

_JUDGED = re.compile(r"\b(?:best|worst|better|worse)\b|最好|最差|更好|更差|最棒|最烂|最糟")
"""Directions said as a judgement: which end is "best" depends on the metric (see ``ranking``)."""

_ORDER_PHRASE = re.compile(r"\b(?:in (?:descending|ascending|reverse) order|sort order|(?:ordered|sorted|sort) by)\b")
"""The word "order" of an ordering phrase, which is no metric ("orders")."""

_LISTED_GRAIN = re.compile(
    r"(?:\band|,|&|和|、|及|与|以及)\s?(?:by\s|per\s|each\s|按)?(?:the\s)?"
    r"(day|week|month|quarter|year|天|日|周|月份?|季度|年份?)(?![a-z])"
)


def _listed_grain(reading: Reading, taken: list[bool]) -> None:
    """"revenue by region and month", "按渠道和月份": a time unit listed with a breakdown
    is the time grain beside it, not a word to drop."""
    if reading.grain is not None or not any(m.grouped for m in reading.dimensions):
        return
    for match in _LISTED_GRAIN.finditer(reading.text):
        if any(taken[match.start(1):match.end(1)]):
            continue
        word = match.group(1)
        reading.grain = _GRAIN_WORDS.get(word) or _GRAIN_WORDS.get(word[:-1] if word.endswith("份") else word)
        if reading.grain is not None:
            _take(taken, match.start(1), match.end(1))
            return


_NEGATED_PREFIX = re.compile(r"\b(un|non)-?([a-z]{4,})\b")


def _negated_prefixes(text: str, vocabulary: Vocabulary) -> str:
    """"unattributed", "non-vip": "not attributed", "not vip" when the rest is a word of the
    model (it was fuzzy-matched to the word itself, dropping the "un")."""
    def spelled(match: re.Match[str]) -> str:
        rest = match.group(2)
        known = any(m.start == 0 and m.end == len(rest) for m in vocabulary.find(rest))
        return f"not {rest}" if known else match.group()
    return _NEGATED_PREFIX.sub(spelled, text)


def _fuzzy_matches(reading: Reading, vocabulary: Vocabulary, taken: list[bool]) -> list[Match]:
    found = []
    for word in re.finditer(r"[a-z][a-z]{4,}", reading.text):
        if any(taken[word.start():word.end()]) or word.group() in cues.STOPWORDS_EN:
            continue
        match = vocabulary.fuzzy(word.group())
        if match is not None and (not _inflected(word.group(), match.surface)  # "discounted" is no typo of "discount"
                                  or word.group() in (match.surface + "s", match.surface + "es")):  # "citys": cities
            found.append(Match(word.start(), word.end(), match.surface, match.terms, fuzzy=True))
            reading.fuzzy.append((word.group(), match.surface))
            _take(taken, word.start(), word.end())
    return found


_OF_ROWS = re.compile(r"\s(?:of|for|from|among)\s(?:(?:the|our|all|those|these|only)\s)?")
"""Between a metric and a count of some rows: "monthly fee of cancelled subscriptions"."""
_ROWS_OF_ZH = re.compile(r"\s?的\s?")
"""Between a count of some rows and a metric: "已取消订阅的月费"."""


def _counts_said_of_rows(reading: Reading, vocabulary: Vocabulary) -> list[str]:
    """A count of some of a table's rows named as whose another metric is ("monthly fee of
    cancelled subscriptions", "已取消订阅的月费") says which rows, not a second number: the
    rows are kept by the yes/no dimension that keeps the same ones, and with none the words
    are left unread (a decline), never the fee of every row beside a count of cancellations."""
    text = reading.text
    unkept: list[str] = []
    ordered = sorted(reading.metrics, key=lambda m: m.start)
    for first, second in itertools.pairwise(ordered):
        gap = text[first.end:second.start]
        if _OF_ROWS.fullmatch(gap):
            rows, other = second, first
        elif _ROWS_OF_ZH.fullmatch(gap):
            rows, other = first, second
        else:
            continue
        counted = vocabulary.counted_rows.get(rows.term.target)
        if counted is None or rows.term.target == other.term.target \
                or vocabulary.plain_counts.get(other.term.target) == counted[2] \
                or counted[0] not in vocabulary.metric_tables.get(other.term.target, frozenset()):
            continue
        reading.metrics.remove(rows)
        if counted[1] is None:
            unkept.append(rows.surface)
            continue
        reading.dimensions.append(Mention(rows.start, rows.end, rows.surface, Term(TermKind.DIMENSION, counted[1])))
        reading.dimensions.sort(key=lambda m: m.start)
    return unkept


def _flags_said_of_members(reading: Reading, vocabulary: Vocabulary) -> None:
    """A yes/no said right after a breakdown, with no word between ("各城市vip客户的销售额"),
    says which rows each member's number covers (the VIPs of each city), not a second split;
    with "and" or a comma between ("by city and vip") it is listed as one."""
    text = reading.text
    for i, (split, flag) in enumerate(zip(reading.dimensions, reading.dimensions[1:], strict=False)):
        if split.grouped and flag.grouped and flag.term.target in vocabulary.boolean_dimensions \
                and not text[split.end:flag.start].strip() \
                and not _grouped(text, Match(flag.start, flag.end, flag.surface, flag.options or (flag.term,))):
            reading.dimensions[i + 1] = _with(flag, negated=flag.negated, suppressed=flag.suppressed)


def _classify(reading: Reading, matches: list[Match], yes_no: frozenset[str] = frozenset()) -> None:
    """Give each match one meaning: metric, dimension or value (with negation/grouping).
    ``yes_no``: the yes/no dimensions, never what a ranking runs over ("top 2 site categories by
    clicks" ranks by the clicks, not by whether a row was clicked)."""
    text = reading.text
    mentioned_dims = {t.target for m in matches for t in m.terms if t.kind == TermKind.DIMENSION}
    negating = False
    previous_end = 0
    for match in matches:
        before = text[previous_end:match.start]
        prefix = text[max(0, match.start - 30):match.start]
        if cues.NEGATION.search(prefix) or cues.NEGATION_AFTER.match(text[match.end:]):
            negating = True
        elif not CONNECTOR.match(before) and not _BRACKETS.match(before):
            negating = False
        term = _choose(match.terms, mentioned_dims)
        if term.kind == TermKind.METRIC and (cues.GROUP_BEFORE.search(text[max(0, match.start - 40):match.start])
                                             or RANKED_NOUN.search(text[max(0, match.start - 40):match.start])):
            # "revenue by customer", "top 3 customers by sales": the noun a split or a ranking
            # runs over is the dimension it also names, not its count
            term = next((t for t in match.terms if t.kind == TermKind.DIMENSION
                         and not (t.target in yes_no and _ranked_before(text, match.start))), term)
        mention = Mention(match.start, match.end, match.surface, term, options=match.terms)
        if term.kind == TermKind.VALUE:
            reading.values.append(_with(mention, negated=negating))
        elif term.kind == TermKind.DIMENSION:
            whole = bool(cues.ALL_OF.search(text[max(0, match.start - 30):match.start]))
            grouped = not whole and (_grouped(text, match) or _listed_after_grouped(reading, before)
                                     or _listed_after_part(reading, match.start)
                                     or _listed_after_grain(reading, match.start))
            suppressed = not grouped and _suppressed(text, match)
            prefix = text[max(0, match.start - 30):match.start]
            absent = bool(_ABSENT.search(prefix))  # "without any campaign"
            said_no = absent or bool(cues.FLAG_NOT.search(prefix))  # a yes/no's "no"
            grouped = grouped and not absent  # "没有归因到任何活动的订单": no campaign, not each
            reading.dimensions.append(_with(mention, grouped=grouped, suppressed=suppressed or absent, negated=said_no))
            # "excluding loyalty tier none", "不要会员等级（none）": the scope runs on.
        else:
            reading.metrics.append(mention)
            negating = False
        previous_end = match.end


def _ranked_before(text: str, start: int) -> bool:
    """A ranking said before ``start`` ("top 2 site categories by clicks")."""
    return bool(_RANKING.search(text[:start]))


_RANKING = re.compile(r"\b(?:top|bottom|best|worst|highest|lowest|most|least)\b|前\d+|最高|最多|最低|最少")

RANKED_NOUN = re.compile(r"(?:\b(?:top|bottom|best|worst|biggest|largest|leading)(?:\s\d+)?(?:\s(?:selling|performing))?"
                          r"|前\d+(?:名|个|位|家)?的?|(?:最高|最多|最大|最好|最低|最少)的?\d*(?:个|名|位|家)?)\s?$")
"""Right before a noun, the words that make it what is ranked: "top 3 customers", "best selling tracks"."""


def _with(mention: Mention, *, negated: bool = False, grouped: bool = False, suppressed: bool = False) -> Mention:
    # ``dataclasses.replace(mention, ...)``, spelled out (it looks up the fields every call)
    return Mention(mention.start, mention.end, mention.surface, mention.term, negated=negated, grouped=grouped,
                   options=mention.options, suppressed=suppressed)


def _choose(terms: tuple[Term, ...], mentioned_dims: set[str]) -> Term:
    """One meaning for an ambiguous surface.

    A value whose dimension the question names wins ("acquisition channel email"); then
    metrics over dimensions over values; then model order.
    """
    for term in terms:
        if term.kind == TermKind.VALUE and term.target in mentioned_dims:
            return term
    order = {TermKind.METRIC: 0, TermKind.DIMENSION: 1, TermKind.VALUE: 2}
    return min(terms, key=lambda t: (order[t.kind], t.rank))


_GRAIN_OF = re.compile(r"\b(?:by|per|each)\s(?:day|week|month|quarter|year)\sof\s(?:the\s)?$")
"""'amount won by month of close date': the date after the unit is the one split by that unit."""


def _grouped(text: str, match: Match) -> bool:
    before = text[max(0, match.start - 40):match.start]
    after = text[match.end:match.end + 12]
    return bool(
        cues.GROUP_BEFORE.search(before)
        or _GRAIN_OF.search(before)
        or cues.GROUP_AFTER.match(after)
        or cues.WHICH.search(before)
        or _LIMIT_WORD.search(before[-12:])
    )


def _listed_after_part(reading: Reading, start: int) -> bool:
    """"orders by weekday and sales channel": a dimension listed right after a split by a part
    of the week is one too (it was dropped)."""
    return any(p.split and p.end <= start and CONNECTOR.match(reading.text[p.end:start]) for p in reading.parts)


def _listed_after_grain(reading: Reading, start: int) -> bool:
    """"revenue by month and sales channel", "aov by quarter and loyalty tier": a dimension listed
    right after a split of time is a breakdown too (it was dropped: one row per month)."""
    return any(t.grain is not None and t.time_range is None and t.end <= start
               and CONNECTOR.match(reading.text[t.end:start]) for t in reading.times)


_SPLIT_INSIDE_EN = re.compile(r"\bby\s+([a-z][a-z ]*)$")
_SPLIT_BEFORE_ZH = re.compile(r"(?:各个?|每个?|按照?|分)\s?$")


def _breakdowns_inside_metrics(reading: Reading, vocabulary: Vocabulary) -> None:
    """A metric's own name may hold a dimension ("sales by product", "品类销售额"): said as a
    breakdown ("sales by product this year", "各品类销售额"), the dimension splits the metric
    too; read as the metric alone, the answer was one total where a row per member was asked."""
    text = reading.text
    for metric in list(reading.metrics):
        inner = _SPLIT_INSIDE_EN.search(metric.surface) if reading.language != "zh" else None
        if inner is not None and any(0 <= d.start - metric.end <= 1 for d in reading.dimensions):
            continue  # "sales by product category": the longer name said on is the breakdown
        if inner is not None:
            spans = [(metric.start + inner.start(1), metric.start + inner.end(1))]
        elif reading.language == "zh" and _SPLIT_BEFORE_ZH.search(text[:metric.start]):
            spans = [(metric.start, metric.start + n) for n in range(len(metric.surface) - 1, 1, -1)]
        else:
            continue
        for start, end in spans:
            terms = [t for t in vocabulary.terms.get(text[start:end], ()) if t.kind == TermKind.DIMENSION]
            if terms and not any(d.term.target == terms[0].target for d in reading.dimensions):
                reading.dimensions.append(Mention(start=start, end=end, surface=text[start:end], term=terms[0],
                                                  grouped=True))
                break


def _parts_listed_after_grouped(reading: Reading) -> None:
    """"orders by sales channel and weekday": "weekday" listed right after a breakdown is the
    day of the week as another breakdown, not a filter to weekdays."""
    for index, part in enumerate(reading.parts):
        if part.split or reading.text[part.start:part.end] not in ("weekday", "day of week", "day of the week"):
            continue
        if any(d.grouped and d.end <= part.start and CONNECTOR.match(reading.text[d.end:part.start])
               for d in reading.dimensions):
            reading.parts[index] = PartMention(part.start, part.end, TimeGrain.WEEKDAY)


def _listed_after_grouped(reading: Reading, gap: str) -> bool:
    """"by region and gender": a dimension listed right after a breakdown is one too."""
    last = reading.dimensions[-1] if reading.dimensions else None
    mentions = [m for m in (*reading.metrics, *reading.values, *reading.dimensions)]
    if last is None or not last.grouped or max(m.end for m in mentions) != last.end:
        return False
    return bool(CONNECTOR.match(gap))


_TOTAL_BEFORE = re.compile(r"\b(?:total|overall|combined)\s$")
"""'total flow revenue', 'overall campaign spend': the dimension noun says whose total, one
number across all its members (a split is said 'by flow', 'per campaign')."""


_TOTAL_AFTER_ZH = re.compile(r"^(?:的)?\s?(?:1共|一共|总共|合计|加起来|合起来|累计|总计)")
""""10月上线的活动一共花了多少钱", "这些活动总共的花费": the noun then "in total" is one number
across all its members, never a row each."""


def _suppressed(text: str, match: Match) -> bool:
    before = text[max(0, match.start - 30):match.start]
    if cues.ALL_OF.search(before) or _TOTAL_BEFORE.search(before) or _TOTAL_AFTER_ZH.match(text[match.end:]):
        return True
    return bool(cues.DETERMINER.search(before) or cues.SUBJECT_AFTER.match(text[match.end:]))


def copied_reading(reading: Reading) -> Reading | None:
    """A copy of ``reading`` no change to either can reach the other: its lists copied, their
    items shared (frozen: mentions, periods, conditions, tuples of text and numbers). None when
    it holds anything else (copy it the long way then). A tenth of what pickling it costs."""
    state = dict(reading.__dict__)
    for key, value in state.items():
        if type(value) is list:
            if not all(_frozen(item) for item in value):
                return None
            state[key] = list(value)
        elif not _frozen(value):
            return None
    copied = object.__new__(Reading)
    copied.__dict__.update(state)
    return copied


def _frozen(value: object) -> bool:
    if type(value) is tuple:
        return all(_frozen(item) for item in value)
    return isinstance(value, _FROZEN)


_FROZEN: tuple[type, ...] = (str, int, float, type(None), TimeGrain, Mention, TimeMention, PartMention,
                             RangeMention, FirstTimeMention, MetricCondition)
"""Values a reading holds that nothing changes in place (frozen dataclasses of such values)."""
