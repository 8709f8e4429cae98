"""Turn a reading (and the conversation's previous spec) into a query spec, or decline.

Decisions made here, each a general rule rather than a pattern for one sentence:
- a value names a filter; values of one dimension combine into IN, negated ones NOT IN;
- a dimension named without its values is a breakdown;
- a metric noun right after a value ("Shanghai customers") qualifies the filter when the
  question names another metric;
- a metric that cannot be split by a requested dimension without fan-out is swapped for
  the model's closest metric that can (revenue by category → product sales), with a note;
- several periods ("Q2 vs Q3") become one range grouped at their grain;
- a question that lacks a metric, or starts like a follow-up, edits the previous spec;
- anything not understood declines with suggestions: never a confident wrong number.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from genbi.assistant.planner import cues
from genbi.assistant.planner.clarify import resolve_metric_words
from genbi.assistant.planner.coverage import condition_number
from genbi.assistant.planner.cues import STOPWORDS_EN
from genbi.assistant.planner.periods import read_periods
from genbi.assistant.planner.reading import CONNECTOR, Mention, Reading
from genbi.assistant.planner.text import has_cjk, normalize
from genbi.assistant.planner.unmodelled import decline_reason
from genbi.assistant.planner.vocabulary import Term, TermKind
from genbi.semantic_layer.model import DimensionType, MetricType, SemanticModel
from genbi.semantic_layer.query_spec import (
    METRIC_TIME,
    DimensionRef,
    Filter,
    FilterOp,
    OrderBy,
    QuerySpec,
    TimeGrain,
    TimeRange,
)

WEAK_METRIC_WORDS = frozenset(
    {"sell", "sold", "selling", "sells", "spent", "buy", "bought", "卖", "卖了", "花了", "买", "买了"}
)
"""Verbs that name a metric only when nothing else does ("how many units did we sell")."""

_UNIT_ORDER = [TimeGrain.DAY, TimeGrain.WEEK, TimeGrain.MONTH, TimeGrain.QUARTER, TimeGrain.YEAR]


class Unanswerable(Exception):
    """The reading cannot become a spec; ``reason`` says why in the user's language."""

    def __init__(self, reason: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.suggestions = tuple(suggestions)


@dataclass
class Assembly:
    spec: QuerySpec
    notes: list[str] = field(default_factory=list)
    followup: bool = False


def assemble(
    reading: Reading,
    model: SemanticModel,
    *,
    as_of: date,
    previous: QuerySpec | None = None,
) -> Assembly:
    zh = reading.language == "zh"
    _check_coverage(reading, model, previous, zh)
    notes = [_fuzzy_note(typed, surface, zh) for typed, surface in reading.fuzzy]
    resolve_metric_words(reading, model)
    named = list(dict.fromkeys(m.term.target for m in reading.metrics))
    metrics = _compose_ratios(model, reading, named)
    if metrics == named:
        _metric_words_as_values(reading, model)
        metrics = _compose_ratios(model, reading, _metrics(reading, model))
    followup = previous is not None and (not metrics or reading.followup or _bare_metric_question(reading))
    if followup and metrics and _only_qualifiers(reading, model):
        metrics = []  # "only for Shanghai customers": who, not a new metric
    if not metrics and not followup:
        raise Unanswerable(
            "我没找到要计算的指标。" if zh else "I couldn't find a metric to compute in the question."
        )
    _prefer_reachable(reading, model, metrics or list(previous.metrics if previous else ()))
    group_by = _group_by(reading)
    said = read_periods(reading, as_of, previous if followup else None)
    time_range, period_grain, periods = said.time_range, said.grain, said.periods
    grain = reading.grain or period_grain or (_trend_grain(time_range, as_of) if reading.trend else None)
    if periods and (grain is None or _grain_named_comparison(reading)):
        grain = None
    if grain is not None:
        group_by = [g for g in group_by if g.name != METRIC_TIME] + [DimensionRef(name=METRIC_TIME, grain=grain)]
    group_by, flags = _typed_dimensions(model, group_by, reading)
    flags += _boolean_flags(model, reading, flags)
    filters = _filters(reading) + flags
    if followup and previous is not None:
        metrics, group_by, filters, time_range = _merge(
            reading, previous, metrics, group_by, filters, time_range, grain
        )
    time_range, periods, group_by = _side_by_side(reading, previous if followup else None, time_range, periods,
                                                  group_by)
    filters = _drop_echo_filters(model, reading, metrics, filters)
    metrics, group_by, filters = _reachable(model, metrics, group_by, filters, notes, zh)
    metrics = _money_of_lines(model, reading, metrics, filters, notes, zh)
    metrics, filters = _parts_of_ratios(model, metrics, filters, steps=bool(_STEP_RATE.search(reading.text)))
    if _STEP_RATE.search(reading.text) and (len(metrics) != 1 or model.metric(metrics[0]).type != MetricType.RATIO):
        raise Unanswerable(
            "模型里没有这两个步骤之间的转化率；可以分别问两个步骤的会话数，例如“上个月各漏斗步骤的会话数”。" if zh
            else "The model has no rate between those two steps; ask for each step's sessions instead, "
                 "e.g. 'sessions by funnel step last month'."
        )
    _check_conditions(model, reading, metrics, zh)
    if reading.average and not any(_is_average(model, m) for m in metrics):
        raise Unanswerable(_average_reason(model, metrics, zh))
    order_by, limit = _ranking(reading, metrics, group_by, previous if followup else None)
    if limit is not None and reading.top_n is None and _among_listed(group_by, filters, limit):
        limit = None  # "which is higher, tmall or jd": both rows, the higher first
    share = reading.share or bool(followup and previous is not None and previous.share_of_total and not reading.metrics)
    if share and any(model.metric(m).format.value == "percent" for m in metrics):
        share = False  # "what share of buyers ordered twice": the word names the rate itself
    if share:
        group_by, filters, order_by = _share_of_total(model, metrics, group_by, filters, order_by, zh)
    spec = QuerySpec(
        metrics=tuple(metrics),
        group_by=tuple(group_by),
        filters=tuple(filters),
        time_range=time_range,
        order_by=order_by,
        limit=limit,
        share_of_total=share,
        periods=periods,
    )
    return Assembly(spec=spec, notes=[n for n in notes if n], followup=followup)


def _check_coverage(reading: Reading, model: SemanticModel, previous: QuerySpec | None, zh: bool) -> None:
    """Decline what the reading did not explain: a write, an unknown word, a period word no
    period was read from, a split of a date the model lacks."""
    if reading.write_intent:
        raise Unanswerable(
            "genbi 只读取数据，不会修改数据或发送消息。" if zh
            else "genbi only reads data; it does not change data or send messages."
        )
    if [w for w in reading.unknown if w not in reading.unplaced_periods]:
        raise Unanswerable(decline_reason(model, reading.unknown, zh, reading.question))
    if reading.unplaced_periods and (previous is None or reading.unknown):
        raise Unanswerable(_unplaced_period_reason(reading.unplaced_periods, zh))
    part = cues.DATE_PART.search(reading.text)
    if part and not any(m.start <= part.start() < m.end for m in (*reading.dimensions, *reading.values)):
        raise Unanswerable(
            "模型里没有星期几、周末或小时这样的拆分；可以按天看，例如“上个月每天的销售额”。" if zh
            else "The model has no day-of-week, weekend or hour breakdown; ask by day instead, "
                 "e.g. 'revenue by day last month'."
        )


# --- metrics --------------------------------------------------------------------------------

def _only_qualifiers(reading: Reading, model: SemanticModel) -> bool:
    """Every metric word is an entity noun right after a value ("Shanghai customers")."""
    return all(_follows_value(reading, m) and entity_count(model, m.term.target) for m in reading.metrics)


def _bare_metric_question(reading: Reading) -> bool:
    """"看订单数", "orders?": a short question naming only a metric continues the conversation."""
    said_more = reading.dimensions or reading.values or reading.times or reading.top_n or reading.descending is not None
    short = len(reading.text) <= (12 if reading.language == "zh" else 30)
    return bool(reading.metrics) and not said_more and short


def _metric_words_as_values(reading: Reading, model: SemanticModel) -> None:
    """"浏览商品的会话数": a word that is both a metric and a value, right before a metric
    that is only a metric and whose rows that value labels, is the value (sessions at the
    view-product step)."""
    plain = [m for m in reading.metrics if not any(t.kind == TermKind.VALUE for t in m.options)]
    for mention in list(reading.metrics):
        values = [t for t in mention.options if t.kind == TermKind.VALUE]
        if not values or mention in plain:
            continue
        head = next((p for p in plain if 0 <= p.start - mention.end <= 2
                     and reading.text[mention.end:p.start].strip() in {"", "的"}), None)
        fitting = [t for t in values if head and model.can_group_by(head.term.target, t.target)]
        if fitting:
            reading.metrics.remove(mention)
            reading.values.append(replace(mention, term=min(fitting, key=lambda t: t.rank)))
    reading.values.sort(key=lambda m: m.start)


_PER = re.compile(r"\bper\b|\bfor each\b|\bfor every\b|\bdivided by\b|每个?|每位|每一个?|平均|人均|单均|/")


def _compose_ratios(model: SemanticModel, reading: Reading, metrics: list[str]) -> list[str]:
    """"revenue per buyer", "每个买家平均带来多少销售额", "conversions per click": two
    metrics joined by "per" are the model's ratio of them, when it has one."""
    mentions = sorted((m for m in reading.metrics if m.term.target in metrics), key=lambda m: m.start)
    result = list(metrics)
    for first, second in itertools.pairwise(mentions):
        between = reading.text[first.end:second.start]
        before = reading.text[max(0, first.start - 6):first.start]
        if _FROM_TO.match(between) and _FROM.search(before):
            # "conversion rate from visit to purchase", "从访问到购买的转化率": the steps are
            # the ratio's parts and the rate word names that ratio, not a metric of its own
            ratio = _ratio_of(model, first.term.target, second.term.target)
            if ratio is not None:
                result = [ratio if m in (first.term.target, second.term.target)
                          or model.metric(m).type == MetricType.RATIO else m for m in result]
            continue
        part_of = bool(_PART_OF.match(between))
        if not (part_of or _PER.search(between) or _PER.search(before)
                or _A_UNIT.search(between) or _A_UNIT.search(before)):
            continue
        ratio = _ratio_of(model, first.term.target, second.term.target)
        if ratio is not None:
            result = [ratio if m in (first.term.target, second.term.target) else m for m in result]
            reading.share = reading.share and not part_of  # "折扣占折前销售额的比例" is the ratio itself
    if len(mentions) == 1 and reading.language and _MONEY.search(reading.text):
        result = [_money_per(model, reading, mentions[0]) or m for m in result]
    return list(dict.fromkeys(result))


_A_UNIT = re.compile(r"\b(?:a|an|each|every|one|single)\s$")
""""cost of a click", "what did a click cost": the count after "a" is the unit of a ratio."""
_PART_OF = re.compile(r"^\s?(?:占|在|as a (?:share|percentage|percent|fraction|proportion) of|as (?:a )?% of|out of|relative to)\s?$")
_MONEY = re.compile(r"\bhow much\b|\bcost\b|\bpay\b|\bpaid\b|多少钱|花多少|花了多少|成本|金额")


def _money_per(model: SemanticModel, reading: Reading, mention: Mention) -> str | None:
    """"平均每个订单多少钱", "每次点击花多少钱", "how much did we pay per conversion": money
    asked per unit of one count is the model's only money ratio over that count."""
    before = reading.text[max(0, mention.start - 8):mention.start]
    if not (_PER.search(before) or _A_UNIT.search(before)):
        return None
    definition = model.metric(mention.term.target)
    if definition.type != MetricType.SIMPLE or definition.format.value == "currency":
        return None
    fitting = [m.name for m in model.metrics if m.type == MetricType.RATIO and m.denominator == definition.measure
               and m.format.value == "currency"]
    return fitting[0] if len(fitting) == 1 else None


_STEP_RATE = re.compile(
    r"\b(?:conversion|rate)\b.{0,12}\bfrom\b.{1,30}?\bto\b|\bfrom\b.{1,30}?\bto\b.{0,20}\b(?:conversion|rate)\b"
    r"|从.{1,12}?(?:到|至).{1,12}?转化率?|转化率.{0,4}从.{1,12}?(?:到|至)"
)
_FROM_TO = re.compile(r"^\s?(?:to|through|到|至|->|→)\s?$")
_FROM = re.compile(r"(?:\bfrom|从|由)\s?$")


def _ratio_of(model: SemanticModel, a: str, b: str) -> str | None:
    first, second = model.metric(a), model.metric(b)
    if first.type != MetricType.SIMPLE or second.type != MetricType.SIMPLE:
        return None
    pair = {first.measure, second.measure}
    for candidate in model.metrics:
        if candidate.type == MetricType.RATIO and {candidate.numerator, candidate.denominator} == pair:
            return candidate.name
    return None


def _metrics(reading: Reading, model: SemanticModel) -> list[str]:
    """Metric names asked for, dropping metric nouns that only qualify something else.

    "Shanghai customers' revenue", "上海用户下了多少单": the entity noun (customers, 用户)
    names who, not what to count, when the question names another metric it isn't listed
    with ("customers and orders" keeps both).
    """
    kept = list(reading.metrics)
    if len({m.term.target for m in kept}) > 1:
        verbs = [m for m in kept if m.surface in WEAK_METRIC_WORDS]
        if len(verbs) < len(kept):
            kept = [m for m in kept if m not in verbs]
    if len({m.term.target for m in kept}) > 1:
        qualifiers = [
            m for m in kept
            if _follows_value(reading, m)
            or (not _listed(reading, m, model) and (entity_count(model, m.term.target) or _part_of_other(model, m, kept)))
        ]
        if len(qualifiers) < len(kept):
            kept = [m for m in kept if m not in qualifiers]
    names = list(dict.fromkeys(m.term.target for m in kept))
    # Two names of one computation ("customers signed up", "新注册客户": both count customers
    # by signup date) are one column: the longer words name it (ties: the later).
    longest = {n: max(len(m.surface) for m in kept if m.term.target == n) for n in names}
    same = {n: _definition(model, n) for n in names}
    drop = {n for n in names for o in names if o != n and same[n] is not None and same[n] == same[o]
            and (longest[o], names.index(o)) > (longest[n], names.index(n))}
    return [n for n in names if n not in drop]


def _definition(model: SemanticModel, metric: str) -> tuple[str, ...] | None:
    definition = model.metric(metric)
    if definition.type == MetricType.SIMPLE and definition.measure:
        return ("simple", definition.measure)
    return None


def _part_of_other(model: SemanticModel, mention: Mention, mentions: list[Mention]) -> bool:
    """"AOV of orders": the noun names a part of another metric asked for, not a metric."""
    own = {m.name for m in model.metric_measures(mention.term.target)}
    return any(
        other.term.target != mention.term.target
        and model.metric(other.term.target).type != MetricType.SIMPLE
        and own <= {m.name for m in model.metric_measures(other.term.target)}
        for other in mentions
    )


def entity_count(model: SemanticModel, metric: str) -> bool:
    """A plain count of a table's rows by its key ("customers"): a noun as much as a metric."""
    definition = model.metric(metric)
    if definition.type != MetricType.SIMPLE or definition.measure is None:
        return False
    measure = model.measure(definition.measure)
    if "customer_entity" in model.roles and measure.table != model.role_table("customer_entity"):
        return False
    key = model.table(measure.table).primary_key
    return measure.agg.value in ("count", "count_distinct") and measure.filter is None and measure.expr.strip() in (key, f"{measure.table}.{key}")


def _listed(reading: Reading, metric: Mention, model: SemanticModel | None = None) -> bool:
    """Joined to another metric by "and", ",", "和": asked for in its own right.

    A bare space joins only when no "and" is implied by the words: "customers signed up"
    is a subject and its verb (both count customers), not two metrics (``model`` given).
    """
    for other in reading.metrics:
        if other is metric:
            continue
        first, second = (other, metric) if other.start < metric.start else (metric, other)
        gap = reading.text[first.end:second.start]
        if CONNECTOR.match(gap) and (gap.strip() or model is None or not _subject_and_verb(model, first, second)):
            return True
    return False


def _subject_and_verb(model: SemanticModel, first: Mention, second: Mention) -> bool:
    """An entity noun right before another count of the same table ("customers signed up")."""
    if not entity_count(model, first.term.target):
        return False
    noun, other = model.metric(first.term.target), model.metric(second.term.target)
    if other.type != MetricType.SIMPLE or other.measure is None or noun.measure is None:
        return False
    return model.measure(other.measure).table == model.measure(noun.measure).table


def _follows_value(reading: Reading, mention: Mention) -> bool:
    """Right after a value ("douyin campaigns", "Shanghai customers", "上海用户")."""
    for value in reading.values:
        gap = reading.text[value.end:mention.start]
        if 0 <= mention.start - value.end <= 2 and gap.strip() in {"", "的"}:
            return True
    return False


def _bare_breakdown(reading: Reading, mention: Mention) -> bool:
    """Is a dimension named without a cue a breakdown?

    Chinese names the breakdown bare ("渠道销售额", "城市的订单"); English does when the
    noun sits next to the metric ("channel ROAS", "lowest-CPA channel") or is the thing
    ranked ("top cities", "which region"), not after a preposition ("attributed to campaigns").
    """
    if reading.language == "zh":
        return True
    if reading.which or reading.top_n is not None or reading.superlative or reading.rank_only:
        return True
    for metric in reading.metrics:
        gap = (
            reading.text[metric.end:mention.start] if metric.end <= mention.start
            else reading.text[mention.end:metric.start]
        )
        if gap.strip() in {"", "'s", "s'"}:
            return True
    return False


def _follows_metric(reading: Reading, mention: Mention) -> bool:
    """Right after a metric ("卖了多少件商品", "units of product"): a noun, not a breakdown."""
    if reading.language != "zh":
        return False
    for metric in reading.metrics:
        gap = reading.text[metric.end:mention.start]
        if 0 <= mention.start - metric.end <= 4 and gap.strip() in {"", "的", "of", "个"}:
            return True
    return False


# --- breakdowns, filters, time --------------------------------------------------------------

def _group_by(reading: Reading) -> list[DimensionRef]:
    valued = {v.term.target for v in reading.values}
    names: list[str] = []
    for index, mention in enumerate(reading.dimensions):
        name = mention.term.target
        following = reading.dimensions[index + 1] if index + 1 < len(reading.dimensions) else None
        if following is not None and following.start == mention.end and reading.language == "zh":
            continue  # "产品品类": a compound noun, the last word is the dimension
        if mention.grouped or (
            name not in valued
            and not mention.suppressed
            and not _follows_value(reading, mention)
            and not _follows_metric(reading, mention)
            and _bare_breakdown(reading, mention)
        ):
            names.append(name)
    listed = Counter(v.term.target for v in reading.values if not v.negated)
    several = [name for name, count in listed.items() if count > 1]
    if reading.each or reading.versus:
        names += several
    elif (reading.which or reading.descending is not None) and not names and len(several) == 1:
        names += several  # "京东和天猫哪个客单价更高": which of the listed ones ranks first
    return [DimensionRef(name=name) for name in dict.fromkeys(names)]


def _boolean_flags(model: SemanticModel, reading: Reading, existing: list[Filter]) -> list[Filter]:
    """A yes/no dimension named without a breakdown cue means "is true" ("attributed orders")."""
    done = {f.dimension for f in existing}
    flags = []
    for mention in reading.dimensions:
        name = mention.term.target
        if name in done or mention.grouped or model.dimension(name).type != DimensionType.BOOLEAN:
            continue
        flags.append(Filter(dimension=name, op=FilterOp.EQ, values=(True,)))
        done.add(name)
    return flags


def _typed_dimensions(
    model: SemanticModel, group_by: list[DimensionRef], reading: Reading
) -> tuple[list[DimensionRef], list[Filter]]:
    """Time dimensions need a grain to group by; a boolean named alone means "is true".

    "new customers who signed up in 2025" names the signup date, not a daily breakdown;
    "attributed orders" (with "attributed" a boolean dimension) filters on it.
    """
    kept: list[DimensionRef] = []
    flags: list[Filter] = []
    explicit = {m.term.target for m in reading.dimensions if m.grouped}
    for ref in group_by:
        if ref.name == METRIC_TIME:
            kept.append(ref)
            continue
        kind = model.dimension(ref.name).type
        if kind == DimensionType.TIME:
            if ref.name in explicit and reading.grain is not None:
                kept.append(DimensionRef(name=ref.name, grain=reading.grain))
            continue
        if kind == DimensionType.BOOLEAN and ref.name not in explicit:
            flags.append(Filter(dimension=ref.name, op=FilterOp.EQ, values=(True,)))
            continue
        kept.append(ref)
    return kept, flags


def _filters(reading: Reading) -> list[Filter]:
    ranges = [Filter(dimension=r.dimension, op=r.op, values=r.values) for r in reading.ranges]
    return _value_filters(reading) + ranges


def _value_filters(reading: Reading) -> list[Filter]:
    groups: dict[tuple[str, bool], list[object]] = {}
    for mention in reading.values:
        values = groups.setdefault((mention.term.target, mention.negated), [])
        if mention.term.value not in values:
            values.append(mention.term.value)
    filters = []
    for (dimension, negated), values in groups.items():
        if len(values) == 1:
            op = FilterOp.NE if negated else FilterOp.EQ
        else:
            op = FilterOp.NOT_IN if negated else FilterOp.IN
        filters.append(Filter(dimension=dimension, op=op, values=tuple(values)))
    return filters


def _side_by_side(
    reading: Reading, previous: QuerySpec | None, time_range: TimeRange | None,
    periods: tuple[TimeRange, ...], group_by: list[DimensionRef],
) -> tuple[TimeRange | None, tuple[TimeRange, ...], list[DimensionRef]]:
    """Compared periods replace the period and any time split; a follow-up that names no
    period keeps the conversation's compared periods ("what about orders?")."""
    if not periods and previous is not None and previous.periods and not reading.times:
        periods = previous.periods
    if not periods:
        return time_range, periods, group_by
    return None, periods, [g for g in group_by if g.name != METRIC_TIME]


def _grain_named_comparison(reading: Reading) -> bool:
    """"Q4 GMV yoy", "MoM orders": the grain word names the comparison, not a time split."""
    return bool(cues.YEAR_ON_YEAR.search(reading.text) or cues.PERIOD_ON_PERIOD.search(reading.text))


def _trend_grain(time_range: TimeRange | None, as_of: date) -> TimeGrain:
    if time_range is None:
        return TimeGrain.MONTH
    start, end = time_range.resolve(as_of)
    if start and end and (end - start).days <= 31:
        return TimeGrain.DAY
    if start and end and (end - start).days <= 92:
        return TimeGrain.WEEK
    return TimeGrain.MONTH


# --- follow-ups -----------------------------------------------------------------------------

_INSTEAD = re.compile(r"\binstead\b|\brather\b|改成|换成|改为|换为|改按|换按")


def _merge(
    reading: Reading,
    previous: QuerySpec,
    metrics: list[str],
    group_by: list[DimensionRef],
    filters: list[Filter],
    time_range: TimeRange | None,
    grain: TimeGrain | None,
) -> tuple[list[str], list[DimensionRef], list[Filter], TimeRange | None]:
    """Edit the previous spec with what this question says; keep what it doesn't touch."""
    if not metrics:
        metrics = list(previous.metrics)
    elif reading.add_metric:
        metrics = list(dict.fromkeys([*previous.metrics, *metrics]))
    categorical = [g for g in group_by if g.name != METRIC_TIME]
    instead = bool(_INSTEAD.search(reading.text))
    if instead and grain is not None and not categorical and \
            not any(g.name == METRIC_TIME for g in previous.group_by):
        merged_groups = list(group_by)  # "now by month instead" of a region split
    elif categorical:
        keep = list(previous.group_by) if reading.add_metric else []
        if instead:  # "by city tier instead": the new split replaces the old one, time stays
            keep = [g for g in previous.group_by if g.name == METRIC_TIME]
        if grain is not None:
            keep = [g for g in keep if g.name != METRIC_TIME]
        merged_groups = list(dict.fromkeys([*keep, *group_by]))
    elif grain is not None:
        merged_groups = [g for g in previous.group_by if g.name != METRIC_TIME] + [
            g for g in group_by if g.name == METRIC_TIME
        ]
    else:
        merged_groups = list(previous.group_by)
    touched = {f.dimension for f in filters}
    merged_filters = [f for f in previous.filters if f.dimension not in touched] + filters
    return metrics, merged_groups, merged_filters, time_range or previous.time_range


# --- reachability ---------------------------------------------------------------------------

def _drop_echo_filters(
    model: SemanticModel, reading: Reading, metrics: list[str], filters: list[Filter]
) -> list[Filter]:
    """Drop a value that only echoes the metric's own words and could not filter it anyway.

    "customers who made a purchase" (buyers) is not "buyers filtered by the purchase funnel
    step"; "获客的新用户" (new customers) is not "campaigns with objective acquisition".
    """
    if not metrics:
        return filters
    words = set().union(*(_metric_words(model, m) for m in metrics))
    kept = []
    for spec_filter in filters:
        blocked = any(not model.can_filter_by(m, spec_filter.dimension) for m in metrics)
        surfaces = [v.surface for v in reading.values if v.term.target == spec_filter.dimension]
        if blocked and surfaces and all(_echoes(surface, words) for surface in surfaces):
            continue
        kept.append(spec_filter)
    return kept


def _among_listed(group_by: list[DimensionRef], filters: list[Filter], limit: int) -> bool:
    """The breakdown is a list the question named ("tmall or jd") no longer than the limit
    would cut: the ranking orders the named members rather than picking among all."""
    names = {g.name for g in group_by if g.name != METRIC_TIME}
    return len(names) == 1 and any(
        f.dimension in names and f.op == FilterOp.IN and len(f.values) > limit for f in filters
    )


def _share_of_total(
    model: SemanticModel, metrics: list[str], group_by: list[DimensionRef], filters: list[Filter],
    order_by: tuple[OrderBy, ...], zh: bool,
) -> tuple[list[DimensionRef], list[Filter], tuple[OrderBy, ...]]:
    """"What share of revenue came from Tmall": the share needs the whole, so a value named
    without a breakdown becomes the breakdown (Tmall's row among all sales channels), and the
    rows are ranked by share unless the question ranked them otherwise."""
    if not any(g.name != METRIC_TIME for g in group_by):
        named = [f for f in filters if f.op in (FilterOp.EQ, FilterOp.IN)]
        if not named:
            raise Unanswerable(
                "占比需要一个拆分维度，例如“各渠道的销售额占比”。" if zh
                else "A share needs a breakdown, e.g. 'share of revenue by sales channel'."
            )
        group_by = [*group_by, DimensionRef(name=named[0].dimension)]
        filters = [f for f in filters if f is not named[0]]
    additive = [m for m in metrics if model.adds_up(m, [g.name for g in group_by])]
    if len(additive) < len(metrics):
        other = ", ".join(model.metric(m).label_zh or m for m in metrics if m not in additive) if zh \
            else ", ".join(model.metric(m).label or m for m in metrics if m not in additive)
        raise Unanswerable(
            f"“{other}”不能算占比：只有可以相加的指标（销售额、订单数、花费……）才有总量。" if zh
            else f"{other} has no share of a total: only metrics that add up (revenue, orders, spend …) do."
        )
    if not order_by:
        order_by = tuple(OrderBy(field=f"{m}__share") for m in metrics[:1])
    return group_by, filters, order_by


def _parts_of_ratios(model: SemanticModel, metrics: list[str], filters: list[Filter], *,
                     steps: bool) -> tuple[list[str], list[Filter]]:
    """"Conversion rate from visit to purchase", "从访问到购买的转化率": the steps name the
    ratio's own parts. A value its numerator or denominator is defined by (event = 'purchase')
    is not a filter on the whole ratio, and (when the question names ``steps``) a metric that
    is one of its parts is not a second metric ("orders and AOV" keeps both)."""
    ratios = [m for m in metrics if model.metric(m).type == MetricType.RATIO]
    if not ratios:
        return metrics, filters
    parts = {measure.name for r in ratios for measure in model.metric_measures(r)}
    defined = {pair for r in ratios for measure in model.metric_measures(r) for pair in _equalities(measure.filter)}
    kept_metrics = metrics if not steps else \
        [m for m in metrics if m in ratios or not {x.name for x in model.metric_measures(m)} <= parts]
    kept_filters = []
    for spec_filter in filters:
        column = (model.dimension(spec_filter.dimension).column or "").lower()
        if spec_filter.op in (FilterOp.EQ, FilterOp.IN) and column and all(
            (column, str(v).lower()) in defined for v in spec_filter.values
        ):
            continue
        kept_filters.append(spec_filter)
    return kept_metrics or metrics, kept_filters


def _equalities(condition: str | None) -> set[tuple[str, str]]:
    """``column = 'literal'`` pairs of a measure's filter (lower case)."""
    if not condition:
        return set()
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(condition)
    except sqlglot.errors.SqlglotError:
        return set()
    pairs = set()
    for equal in tree.find_all(exp.EQ):
        left, right = equal.this, equal.expression
        if isinstance(left, exp.Literal):
            left, right = right, left
        if isinstance(left, exp.Column) and isinstance(right, exp.Literal):
            pairs.add((left.name.lower(), right.this.lower()))
    for member in tree.find_all(exp.In):
        if isinstance(member.this, exp.Column):
            pairs |= {(member.this.name.lower(), e.this.lower()) for e in member.expressions
                      if isinstance(e, exp.Literal)}
    return pairs


def _metric_words(model: SemanticModel, metric: str) -> set[str]:
    m = model.metric(metric)
    return {normalize(w) for w in (m.name, m.label, m.label_zh, *m.synonyms)}


def _echoes(surface: str, metric_words: set[str]) -> bool:
    stem = surface.rstrip("s")
    return any(
        stem in word.split() or (len(stem) >= 4 and stem in word) or (has_cjk(surface) and surface in word)
        for word in metric_words
    )


def _reachable(
    model: SemanticModel,
    metrics: list[str],
    group_by: list[DimensionRef],
    filters: list[Filter],
    notes: list[str],
    zh: bool,
) -> tuple[list[str], list[DimensionRef], list[Filter]]:
    splits = [g.name for g in group_by if g.name != METRIC_TIME]
    resolved = []
    for metric in metrics:
        blocked = [d for d in splits if not model.can_group_by(metric, d)] + [
            f.dimension for f in filters if not model.can_filter_by(metric, f.dimension)
        ]
        if not blocked:
            resolved.append(metric)
            continue
        substitute = _substitute(model, metric, splits, [f.dimension for f in filters])
        if substitute is None:
            raise Unanswerable(_blocked_reason(model, metric, blocked, zh))
        notes.append(_substitute_note(model, metric, substitute, blocked, zh))
        resolved.append(substitute)
    return list(dict.fromkeys(resolved)), group_by, filters


_CONTAINING = re.compile(
    r"\border(?:s|ed)?\b|\b(?:includ\w*|contain\w*|with|having|bought|purchased)\b|订单|包含|含有|含|买过|购买过|买了"
)


def _money_of_lines(model: SemanticModel, reading: Reading, metrics: list[str], filters: list[Filter],
                    notes: list[str], zh: bool) -> list[str]:
    """"makeup sales", "护肤品的销售额": money filtered by an attribute of the lines below an
    order (a product category) means the money of those lines, not of whole orders that
    include one: the model's closest metric those lines carry, with a note. The question
    keeps whole orders when it says so ("orders that included skincare", "包含彩妆的订单")."""
    if _CONTAINING.search(reading.text):
        return metrics
    out = []
    for metric in metrics:
        bridged = [f.dimension for f in filters if model.can_filter_by(metric, f.dimension)
                   and not model.can_group_by(metric, f.dimension)]
        substitute = _substitute(model, metric, bridged, [f.dimension for f in filters]) if bridged else None
        if substitute is None or model.metric(metric).format.value != "currency":
            out.append(metric)
            continue
        m, sub = model.metric(metric), model.metric(substitute)
        dims = [model.dimension(d) for d in dict.fromkeys(bridged)]
        notes.append(
            f"按{'、'.join(d.label_zh for d in dims)}筛选时用“{sub.label_zh}”（这些商品本身的金额），"
            f"而不是包含它们的整单“{m.label_zh}”。" if zh
            else f"Filtered by {', '.join(d.label.lower() for d in dims)}: showing {sub.label} of those items, "
                 f"not {m.label.lower()} of whole orders that include them (ask for orders that include them "
                 "for that)."
        )
        out.append(substitute)
    return list(dict.fromkeys(out))


def _substitute(model: SemanticModel, metric: str, splits: list[str], filtered: list[str]) -> str | None:
    """The model's closest metric that every requested dimension can split or filter."""
    original = model.metric(metric)
    words = _words(original.name, original.label, original.label_zh, *original.synonyms)
    best, best_score = None, 0
    for candidate in model.metrics:
        if candidate.name == metric or candidate.format != original.format:
            continue
        if not all(model.can_group_by(candidate.name, d) for d in splits):
            continue
        if not all(model.can_filter_by(candidate.name, d) for d in filtered):
            continue
        score = len(words & _words(candidate.name, candidate.label, candidate.label_zh, *candidate.synonyms))
        if score > best_score:
            best, best_score = candidate.name, score
    return best


_GENERIC_ZH = frozenset({"数量", "总数", "次数", "人数", "金额", "总额", "比例", "比率"})


def _words(*texts: str) -> set[str]:
    """Content words (English) and character pairs (Chinese) of a metric's names."""
    out: set[str] = set()
    for text in texts:
        folded = normalize(text)
        out |= {w for w in folded.split() if len(w) > 2 and w not in STOPWORDS_EN}
        out |= {
            folded[i:i + 2] for i in range(len(folded) - 1)
            if has_cjk(folded[i:i + 2]) and folded[i:i + 2] not in _GENERIC_ZH and folded[i + 1] != "数"
        }
    return out


def _blocked_reason(model: SemanticModel, metric: str, blocked: list[str], zh: bool) -> str:
    m = model.metric(metric)
    names = [model.dimension(d) for d in dict.fromkeys(blocked)]
    if zh:
        return f"“{m.label_zh}”无法按{'、'.join(d.label_zh for d in names)}拆分或筛选：数据之间没有可靠的关联。"
    return (
        f"{m.label} can't be split or filtered by {', '.join(d.label for d in names)}: "
        "the data doesn't link them without double counting."
    )


def _substitute_note(model: SemanticModel, metric: str, substitute: str, blocked: list[str], zh: bool) -> str:
    m, s = model.metric(metric), model.metric(substitute)
    dims = [model.dimension(d) for d in dict.fromkeys(blocked)]
    if zh:
        return f"“{m.label_zh}”无法按{'、'.join(d.label_zh for d in dims)}拆分，改用“{s.label_zh}”。"
    return f"{m.label} can't be split by {', '.join(d.label for d in dims)}; showing {s.label} instead."


# --- ranking --------------------------------------------------------------------------------

def _ranking(
    reading: Reading,
    metrics: list[str],
    group_by: list[DimensionRef],
    previous: QuerySpec | None,
) -> tuple[tuple[OrderBy, ...], int | None]:
    if reading.descending is None and reading.top_n is None:
        if previous is not None and tuple(group_by) == previous.group_by:
            # "top 5" then "换成订单数": the ranking follows the metric that replaced the old one
            swapped = {old: new for old, new in zip(previous.metrics, metrics, strict=False)}
            kept = set(metrics) | {g.name for g in group_by}
            order = tuple(
                o if o.field in kept or o.field.removesuffix("__share") in kept
                else OrderBy(field=swapped.get(o.field, metrics[0]), descending=o.descending)
                for o in previous.order_by
            )
            return order, previous.limit
        return (), None
    if not group_by:
        return (), None
    order = (OrderBy(field=metrics[0], descending=reading.descending is not False),)
    if reading.top_n is not None:
        return order, reading.top_n
    if (reading.which or reading.superlative) and not reading.rank_only and _singular(reading):
        return order, 1
    return order, None


def _singular(reading: Reading) -> bool:
    """"which city" / "哪个城市" asks for one; "which cities" / "哪些" for several."""
    if reading.language == "zh":
        return "哪些" not in reading.text
    grouped = [m for m in reading.dimensions if m.grouped]
    if grouped:
        return not grouped[0].surface.endswith("s")
    return True


# --- messages -------------------------------------------------------------------------------

def _is_average(model: SemanticModel, metric: str) -> bool:
    """Ratios and averages already are "average"s: "average order value", "平均客单价"."""
    kind = model.metric(metric).type
    if kind != MetricType.SIMPLE:
        return True
    return any(m.agg.value == "avg" for m in model.metric_measures(metric))


def _average_reason(model: SemanticModel, metrics: list[str], zh: bool) -> str:
    labels = [model.metric(m) for m in metrics]
    if zh:
        names = "、".join(m.label_zh for m in labels)
        return f"“平均{names}”需要说明按什么平均（每天、每单还是每个买家？），例如问“客单价”或“人均销售额”。"
    names = ", ".join(m.label.lower() for m in labels)
    return (
        f"I can't tell what to average {names} over (per day, per order, per buyer?). "
        "Try a per-unit metric such as average order value or revenue per buyer."
    )


def _check_conditions(model: SemanticModel, reading: Reading, metrics: list[str], zh: bool) -> None:
    """A number compared against ("more than 5 orders", "超过500元") is a condition the spec
    cannot hold, unless it restates the threshold of a metric asked for ("复购率（下单2次及以上）")."""
    thresholds = {model.metric(m).share.value for m in metrics if model.metric(m).share is not None}
    left = [c for c in reading.conditions if condition_number(c) not in thresholds]
    if not left:
        return
    said = "、".join(left) if zh else ", ".join(f"'{c}'" for c in left)
    if zh:
        raise Unanswerable(f"模型不能按“{said}”这样的数值条件筛选；去掉这个条件我会算出更大范围的数字，所以不回答。"
                           "可以改问不带条件的指标，或按维度拆分。")
    raise Unanswerable(f"The model can't filter on a numeric condition like {said}; without it the number would "
                       "cover more than you asked, so I won't answer. Ask without the condition, or split by a "
                       "dimension instead.")


def _unplaced_period_reason(words: list[str], zh: bool) -> str:
    said = "、".join(words) if zh else ", ".join(f"'{w}'" for w in words)
    if zh:
        return f"我不确定“{said}”指哪段时间；请说明时间，例如“近30天”“本月至今”或“2025年11月”。"
    return (f"I can't tell which period {said} means; name it, e.g. 'last 30 days', 'this year so far' "
            "or 'November 2025'.")


def _fuzzy_note(typed: str, surface: str, zh: bool) -> str:
    return f"把“{typed}”理解为“{surface}”。" if zh else f"Read '{typed}' as '{surface}'."


def _prefer_reachable(reading: Reading, model: SemanticModel, metrics: list[str]) -> None:
    """Give ambiguous values and dimensions a meaning every metric can be split by.

    "email" is a campaign channel, a touch channel and an acquisition channel; for revenue
    the first reachable one in model order is meant, unless the question named another.
    """
    named = {m.term.target for m in reading.dimensions}

    def fits(term: Term) -> bool:
        check = model.can_filter_by if term.kind == TermKind.VALUE else model.can_group_by
        return all(check(metric, term.target) for metric in metrics)

    def direct(term: Term) -> bool:
        """Labels the metric's own rows; a bridged filter ("touched by") is a second choice."""
        return all(model.can_group_by(metric, term.target) for metric in metrics)

    for mentions, kind in ((reading.values, TermKind.VALUE), (reading.dimensions, TermKind.DIMENSION)):
        for index, mention in enumerate(mentions):
            options = [t for t in mention.options if t.kind == kind]
            if len(options) < 2 or (direct(mention.term) and (kind == TermKind.DIMENSION or mention.term.target in named or mention.term.rank == min(t.rank for t in options))):
                continue
            ranked = sorted(options, key=lambda t: (t.target not in named, not direct(t), not fits(t), t.rank))
            mentions[index] = replace(mention, term=ranked[0])
