"""Breakdowns and filters from a reading.

A dimension named without its values is a breakdown (bare in Chinese, next to the metric or
ranked in English); values of one dimension combine into IN, negated ones NOT IN; a yes/no
dimension named alone means "is true"; a number dimension compared with numbers is a range.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import timedelta

from genbi.assistant.planner.metric_reading import follows_value
from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.assistant.planner.vocabulary import Term, TermKind
from genbi.semantic_layer.model import DimensionType, SemanticModel
from genbi.semantic_layer.query_spec import (
    METRIC_TIME,
    DimensionRef,
    Filter,
    FilterOp,
    TimeGrain,
    TimeRange,
)


def undated_grain(model: SemanticModel, metrics: list[str], grain: TimeGrain) -> DimensionRef | None:
    """Metrics of a file with no date asked 'by month': the file's own month column (a
    campaign export's 'month' of 'may', 'jun'), when it has exactly one; else None, and the
    resolver says the data has no date."""
    measures = [m for name in metrics for m in model.metric_measures(name)]
    if not measures or any(m.time for m in measures):
        return None
    tables = {m.table for m in measures}
    candidates = [d for d in model.dimensions if d.type != DimensionType.TIME
                  and (d.table in tables or model.can_group_by(metrics[0], d.name))]
    found = [d for d in candidates if grain.value in (d.name, d.label.lower())] \
        or [d for d in candidates if _names_grain(d.label.lower(), grain)]
    if grain == TimeGrain.DAY_TYPE:  # UCI online shoppers' TRUE/FALSE 'Weekend': "weekends vs weekdays"
        found = [d for d in candidates if d.type == DimensionType.BOOLEAN and "weekend" in d.label.lower()]
    return DimensionRef(name=found[0].name) if len(found) == 1 else None


_MONTH_HEADS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def undated_filters(model: SemanticModel, metrics: list[str], filters: list[Filter], time_range: TimeRange | None,
                    said_year: bool) -> tuple[list[Filter], TimeRange | None, DimensionRef | None]:
    """A period or a part of the week asked of a file with no date, read on its own columns: "in
    November" on a 'Month' column of 'Nov', 'June' … with no year (UCI online shoppers), "on
    weekends" on its yes/no 'Weekend' ("weekends vs weekdays" splits by it). Anything else is
    left for the resolver to decline. The filters, the period and a breakdown to add."""
    out: list[Filter] = []
    converted: set[str] = set()  # a part of the week read here
    for item in filters:
        weekend = undated_grain(model, metrics, TimeGrain.DAY_TYPE) \
            if item.dimension == METRIC_TIME and item.part == TimeGrain.DAY_TYPE and len(item.values) == 1 else None
        out.append(Filter(dimension=weekend.name, op=FilterOp.EQ, values=(item.values[0] == "weekend",))
                   if weekend is not None else item)
        converted |= {weekend.name} if weekend is not None else set()
    both = Counter(f.dimension for f in out if f.op == FilterOp.EQ and f.values in ((True,), (False,)))
    split = next((DimensionRef(name=name) for name, n in both.items() if n == 2 and name in converted
                  and {f.values for f in out if f.dimension == name} == {(True,), (False,)}), None)
    if split is not None:  # the weekend said as a yes and the weekdays as a no: one split by it
        out = [f for f in out if f.dimension != split.name]
    if time_range is None or said_year or time_range.relative is not None or time_range.start is None \
            or time_range.end is None or time_range.start.day != 1 \
            or (time_range.end + timedelta(days=1)).day != 1 or time_range.start.month != time_range.end.month:
        return out, time_range, split
    month = undated_grain(model, metrics, TimeGrain.MONTH)
    if month is None:
        return out, time_range, split
    head = _MONTH_HEADS[time_range.start.month - 1]
    values = [v.value for v in model.dimension(month.name).values if str(v.value).strip().lower()[:3] == head
              or str(v.value).strip() in (str(time_range.start.month), f"{time_range.start.month:02d}")]
    if len(values) != 1:
        return out, time_range, split
    return [*out, Filter(dimension=month.name, op=FilterOp.EQ, values=(values[0],))], None, split


_PART_PHRASES = {TimeGrain.WEEKDAY: ("day of week", "day of the week", "weekday", "dow"),
                 TimeGrain.HOUR: ("hour of day", "hour of the day", "hour")}


def _names_grain(label: str, grain: TimeGrain) -> bool:
    """A column of the data that is that grain with no calendar: Instacart's 'order_dow' (a day
    of the week 0-6) and 'order_hour_of_day', dunnhumby's WEEK_NO ('week number')."""
    said = f" {label} "
    if grain in _PART_PHRASES:
        return any(f" {phrase} " in said for phrase in _PART_PHRASES[grain])
    for phrase in (*_PART_PHRASES[TimeGrain.WEEKDAY][:3], *_PART_PHRASES[TimeGrain.HOUR][:2]):
        said = said.replace(f" {phrase} ", " ")
    return f" {grain.value} " in said


_DONE_TO = re.compile(r"(?:ed|bought|made)$")
"""A metric said as people who did something ("users who viewed", "visitors who bought"): a noun
right after it is what they did it to."""


def _bare_breakdown(reading: Reading, mention: Mention) -> bool:
    """Is a dimension named without a cue a breakdown?

    Chinese names the breakdown bare ("渠道销售额", "城市的订单"); English does when the
    noun sits next to the metric ("channel ROAS", "lowest-CPA channel") or is the thing
    ranked ("top cities", "which region"), or listed with it as one more column ("weekly
    orders and city tier", "monthly revenue & sales channel"), not after a preposition
    ("attributed to campaigns").
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
        if metric.end <= mention.start and gap.strip() == "" and _DONE_TO.search(metric.surface):
            continue  # "users who viewed items": the items are what was viewed, not a breakdown
        if gap.strip() in {"", "'s", "s'"} or _LISTED.fullmatch(_without_times(reading, gap, metric, mention)):
            return True
    return False


def _without_times(reading: Reading, gap: str, *ends: Mention) -> str:
    """The gap between two mentions without the periods said in it ("city tier and weekly
    orders", "orders last month and city": listed all the same)."""
    start = min(e.end for e in ends)
    chars = list(gap)
    for time in reading.times:
        for i in range(max(time.start, start), min(time.end, start + len(gap))):
            chars[i - start] = " "
    return re.sub(r"\s+", " ", "".join(chars))


_LISTED = re.compile(r"\s?(?:,|,? and|&|\+|,? plus)\s?")
"""Between a metric and a dimension named with it as a list: the dimension is a column too."""


def _follows_metric(reading: Reading, mention: Mention) -> bool:
    """Right after a metric ("卖了多少件商品", "units of product"): a noun, not a breakdown."""
    if reading.language != "zh":
        return False
    for metric in reading.metrics:
        gap = reading.text[metric.end:mention.start]
        if 0 <= mention.start - metric.end <= 4 and gap.strip() in {"", "的", "of", "个"}:
            return True
    return False


def read_group_by(reading: Reading) -> list[DimensionRef]:
    valued = {v.term.target for v in reading.values}
    names: list[str] = []
    for index, mention in enumerate(reading.dimensions):
        name = mention.term.target
        following = reading.dimensions[index + 1] if index + 1 < len(reading.dimensions) else None
        if following is not None and following.start == mention.end and reading.language == "zh" \
                and (following.start, following.end) not in reading.member_lists \
                and (following.grouped or not mention.grouped):
            continue  # "产品品类": a compound noun, the last word is the dimension ("年龄段男女": two splits;
            # "各城市vip客户": the split, then a yes/no saying which rows)
        if mention.grouped or (
            name not in valued
            and not mention.suppressed
            and not follows_value(reading, mention)
            and not _follows_metric(reading, mention)
            and _bare_breakdown(reading, mention)
        ):
            names.append(name)
    listed = Counter(v.term.target for v in reading.values if not v.negated)
    several = [name for name, count in listed.items() if count > 1]
    if reading.each or reading.versus:
        names += several
    if reading.each and not several:
        names += _left_after_exclusion(reading)
    elif (reading.which or reading.descending is not None) and not names and len(several) == 1:
        names += several  # "京东和天猫哪个客单价更高": which of the listed ones ranks first
    return [DimensionRef(name=name) for name in dict.fromkeys(names)]


def _left_after_exclusion(reading: Reading) -> list[str]:
    """"除了京东，其他渠道的销售额分别是多少", "revenue for each of the channels except jd": each
    is said of the members an exclusion leaves, so the dimension named beside it is the split
    (the total of the rest would answer one row where a row per member was asked)."""
    excluded = {v.term.target for v in reading.values if v.negated}
    kept = {v.term.target for v in reading.values if not v.negated}
    return [m.term.target for m in reading.dimensions if m.term.target in excluded - kept]


def boolean_flags(model: SemanticModel, reading: Reading, existing: list[Filter]) -> list[Filter]:
    """A yes/no dimension named without a breakdown cue means "is true" ("attributed orders"),
    or "is false" when said with a no ("clients with no loan", "customers who did not churn",
    "not attributed to any campaign", "未归因")."""
    done = {f.dimension for f in existing}
    flags = []
    for mention in reading.dimensions:
        name = mention.term.target
        if mention.negated and not mention.grouped and model.dimension(name).type != DimensionType.BOOLEAN \
                and not any(v.term.target == name for v in reading.values):
            # "orders without any campaign": not attributed; "purchases without a coupon code": none there
            flag = none_value(model, name) or absence_flag(model, name) or _no_value(model, name, FilterOp.IS_NULL)
            if flag is None:
                raise Unanswerable(_absence_reason(model, name, reading.language == "zh"))
            if flag.dimension not in done:
                flags.append(flag)
                done.add(flag.dimension)
            continue
        if present(reading, mention) and not mention.negated and model.dimension(name).type != DimensionType.BOOLEAN \
                and not any(v.term.target == name for v in reading.values) \
                and (flag := absence_flag(model, name)) is not None and flag.dimension not in done \
                and (_PRESENCE.search(reading.text[:mention.start]) or _filters_every_metric(model, reading, flag)):
            # "orders with a campaign": the rows linked to one (attributed), not every row
            flags.append(Filter(dimension=flag.dimension, op=FilterOp.EQ, values=(True,)))
            done.add(flag.dimension)
            continue
        if present(reading, mention) and not mention.negated and name not in done \
                and _PRESENCE.search(reading.text[:mention.start]) \
                and not any(v.term.target == name for v in reading.values) \
                and (flag := _no_value(model, name, FilterOp.NOT_NULL)) is not None:
            flags.append(flag)  # "purchases with a coupon code": the rows that have one, not every row
            done.add(name)
            continue
        if name in done or mention.grouped or model.dimension(name).type != DimensionType.BOOLEAN:
            continue
        flags.append(Filter(dimension=name, op=FilterOp.EQ, values=(not mention.negated,)))
        done.add(name)
    return flags


_PRESENCE = re.compile(r"\b(?:with|having|(?:that|who|which) (?:have|has|had)|linked to|tied to"
                       r"|(?:(?:that|who|which)\s+)?(?:had|used|applied|redeemed))\s+(?:an?|any|some)\s+$"
                       r"|(?:有|带有|关联了?|使用了?|用了)\s?$")
"""Said right before a dimension: the rows that have one ("orders with a campaign", "有活动的订单")."""

_BROUGHT_BY = re.compile(r"\b(?:from|through|thru|via|driven by|generated by|brought in by|attributed to)\s+"
                         r"(?:(?:the|our|any|a|an|some)\s+)?$")
"""Said right before a dimension that rows may lack a link to: the rows it brought ("orders that
came in through campaigns", "orders via our campaigns"), never every row with the words dropped."""

def _filters_every_metric(model: SemanticModel, reading: Reading, flag: Filter) -> bool:
    """"spend from campaigns" is all spend (ad spend has no unattributed rows): the link is a
    condition only on metrics whose rows may lack it (orders)."""
    metrics = [m.term.target for m in reading.metrics if model.has_metric(m.term.target)]
    return bool(metrics) and all(model.can_group_by(m, flag.dimension) for m in metrics)


def present(reading: Reading, mention: Mention) -> bool:
    """A dimension said as something the rows have ("orders with a campaign", "有活动的订单"):
    a condition, never a breakdown, whatever cue follows it."""
    before = reading.text[:mention.start]
    return (bool(_PRESENCE.search(before)) or bool(_BROUGHT_BY.search(before))) and not (
        reading.language == "zh" and not reading.text.startswith("的", mention.end))


_NOT_NULL = re.compile(r"^\s*(\w+)\s+IS\s+NOT\s+NULL\s*$", re.IGNORECASE)


_NONE_VALUES = frozenset({"no", "none", "无", "没有", "否", "not applicable", "n/a"})


def none_value(model: SemanticModel, dimension: str) -> Filter | None:
    """"customers without internet service": the dimension's own 'No' / 'None' value."""
    for value in model.dimension(dimension).values:
        if str(value.value).strip().lower() in _NONE_VALUES:
            return Filter(dimension=dimension, op=FilterOp.EQ, values=(value.value,))
    return None


def _no_value(model: SemanticModel, dimension: str, op: FilterOp) -> Filter | None:
    """The rows with no value (``IS_NULL``) or some value (``NOT_NULL``) of a plain column that
    rows may leave empty (a coupon code, a referrer); not a yes/no, a time or a derived value."""
    definition = model.dimension(dimension)
    if definition.type != DimensionType.CATEGORICAL or not definition.column:
        return None
    return Filter(dimension=dimension, op=op, values=())


def absence_flag(model: SemanticModel, dimension: str) -> Filter | None:
    """"Without any campaign": rows whose link to the dimension's table is empty, said with the
    model's yes/no dimension ``<key> IS NOT NULL`` over that link (no)."""
    target = model.dimension(dimension).table
    for candidate in model.dimensions:
        found = _NOT_NULL.match(candidate.expr or "") if candidate.type == DimensionType.BOOLEAN else None
        if found is None:
            continue
        links = model.table(candidate.table).many_to_one
        if any(link.column == found.group(1) and link.to == target for link in links):
            return Filter(dimension=candidate.name, op=FilterOp.EQ, values=(False,))
    return None


def _absence_reason(model: SemanticModel, dimension: str, zh: bool) -> str:
    definition = model.dimension(dimension)
    if zh:
        return (f"我还不能筛选“没有{definition.label_zh or definition.label}”的行；去掉这个条件数字会偏大，所以不回答。"
                f"可以按{definition.label_zh or definition.label}拆分来看。")
    return (f"I can't yet filter on rows with no {definition.label.lower()}; without that condition the number would "
            f"be bigger than you asked, so I won't answer. Try splitting by {definition.label.lower()} instead.")


def typed_dimensions(
    model: SemanticModel, group_by: list[DimensionRef], reading: Reading
) -> tuple[list[DimensionRef], list[Filter]]:
    """Time dimensions need a grain to group by; a boolean named alone means "is true".

    "new customers who signed up in 2025" names the signup date, not a daily breakdown;
    "attributed orders" (with "attributed" a boolean dimension) filters on it.
    """
    kept: list[DimensionRef] = []
    flags: list[Filter] = []
    explicit = {m.term.target for m in reading.dimensions if m.grouped and not _said_before_a_split(model, reading, m)}
    for ref in group_by:
        if ref.name == METRIC_TIME:
            kept.append(ref)
            continue
        kind = model.dimension(ref.name).type
        if kind == DimensionType.TIME:
            if ref.name in explicit:  # "orders by order date (month)": never dropped for want of a grain
                grain = reading.grain or _grain_after(reading, ref.name) or TimeGrain.DAY
                kept.append(DimensionRef(name=ref.name, grain=grain))
            continue
        if kind == DimensionType.BOOLEAN and ref.name not in explicit:
            said_no = any(m.negated for m in reading.dimensions if m.term.target == ref.name)
            flags.append(Filter(dimension=ref.name, op=FilterOp.EQ, values=(not said_no,)))
            continue
        kept.append(ref)
    return kept, flags


_BY_AFTER = re.compile(r"^\s?by\s")
_CUED_BEFORE = re.compile(r"(?:\b(?:by|per|each|every|across|among|vs\.?|versus|and|or)\s+(?:the\s+|each\s+)?)$|[,/&]\s*$")


def _said_before_a_split(model: SemanticModel, reading: Reading, mention: Mention) -> bool:
    """A yes/no said as what the rows did, right before 'by' another breakdown ("how many customers
    accepted campaign 5 by marital status", "customers who complained by country"): those who
    did, split by the other one, never a split by the yes/no as well (the customers who did not
    were counted beside them)."""
    if model.dimension(mention.term.target).type != DimensionType.BOOLEAN or mention.negated:
        return False
    after = reading.text[mention.end:]
    if _BY_AFTER.match(after) is None or _CUED_BEFORE.search(reading.text[:mention.start]):
        return False
    return any(d.start > mention.end and d.term.target != mention.term.target for d in reading.dimensions) or any(
        t.start > mention.end for t in reading.times)


_GRAIN_AFTER = re.compile(r"\s?(?:by\s|per\s|的)?(day|week|month|quarter|year|天|日|周|月份?|季度|年份?)(?![a-z])")
_GRAINS = {"day": TimeGrain.DAY, "week": TimeGrain.WEEK, "month": TimeGrain.MONTH, "quarter": TimeGrain.QUARTER,
           "year": TimeGrain.YEAR, "天": TimeGrain.DAY, "日": TimeGrain.DAY, "周": TimeGrain.WEEK,
           "月": TimeGrain.MONTH, "月份": TimeGrain.MONTH, "季度": TimeGrain.QUARTER, "年": TimeGrain.YEAR,
           "年份": TimeGrain.YEAR}


def grain_of_a_date(reading: Reading, model: SemanticModel, grain: TimeGrain) -> bool:
    """Whether ``grain`` is said of a date the question splits by ("won amount by month of
    close date", "by close date month"): that date's unit, not the metric's own time as well."""
    return any(m.grouped and model.has_dimension(m.term.target)
               and model.dimension(m.term.target).type == DimensionType.TIME
               and _grain_after(reading, m.term.target) == grain for m in reading.dimensions)


def period_of_a_verb(model: SemanticModel, reading: Reading,
                     time_range: TimeRange | None) -> tuple[list[Filter], TimeRange | None]:
    """"Deals closed in 2024", "orders shipped in March": a yes/no said as a verb right before the
    period names the date the period is of (the close date), not the metric's own time (when
    each deal was created). Only a period of calendar dates, and one date of the flag's table
    named by the verb."""
    if time_range is None or time_range.relative is not None:
        return [], time_range
    for mention in reading.dimensions:
        flag = model.dimension(mention.term.target) if model.has_dimension(mention.term.target) else None
        words = normalize(flag.label).split() if flag is not None and flag.type == DimensionType.BOOLEAN else []
        if len(words) != 1 or not words[0].endswith("ed") or not any(
                0 <= t.start - mention.end <= 4 and t.time_range is not None for t in reading.times):
            continue
        stem = words[0][:-2] if len(words[0]) > 5 else words[0][:-1]  # 'closed' → 'clos', 'shipped' → 'shipp'
        dated = [d.name for d in model.dimensions if d.type == DimensionType.TIME and flag is not None
                 and d.table == flag.table and normalize(d.label).split()[0].startswith(stem[:4])]
        if len(dated) == 1:
            return _between(dated[0], time_range), None
    return [], time_range


def _between(dimension: str, time_range: TimeRange) -> list[Filter]:
    moved = []
    if time_range.start is not None:
        moved.append(Filter(dimension=dimension, op=FilterOp.GE, values=(time_range.start,)))
    if time_range.end is not None:
        moved.append(Filter(dimension=dimension, op=FilterOp.LT, values=(time_range.end + timedelta(days=1),)))
    return moved


def period_of_a_date(model: SemanticModel, group_by: list[DimensionRef],
                     time_range: TimeRange | None) -> tuple[list[Filter], TimeRange | None]:
    """"Won amount by month of close date in 2024": the period is of the date split by (the
    close date), not of the metric's own time (the create date): a filter on that date, the
    metric's period dropped. Only a period of calendar dates (a relative one is fixed later)."""
    dated = [g.name for g in group_by if g.name != METRIC_TIME and model.has_dimension(g.name)
             and model.dimension(g.name).type == DimensionType.TIME]
    if time_range is None or time_range.relative is not None or len(dated) != 1 \
            or any(g.name == METRIC_TIME for g in group_by):
        return [], time_range
    return _between(dated[0], time_range), None


_GRAIN_BEFORE = re.compile(r"\b(day|week|month|quarter|year)\sof\s(?:the\s)?$")


def _grain_after(reading: Reading, dimension: str) -> TimeGrain | None:
    """The time unit said right after a date named as a breakdown ("by arrival date month",
    "按下单日期的月份"), or right before it with 'of' ("by month of close date"): the grain to
    group that date by."""
    for mention in reading.dimensions:
        if mention.term.target == dimension:
            said = _GRAIN_AFTER.match(reading.text, mention.end) \
                or _GRAIN_BEFORE.search(reading.text[max(0, mention.start - 20):mention.start])
            if said is not None:
                return _GRAINS.get(said.group(1))
    return None


def read_filters(reading: Reading) -> list[Filter]:
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


def prefer_reachable(reading: Reading, model: SemanticModel, metrics: list[str]) -> None:
    """Give ambiguous values and dimensions a meaning every metric can be split by.

    "email" is a campaign channel, a touch channel and an acquisition channel; for revenue
    the first reachable one in model order is meant, unless the question named another.
    """
    named = {m.term.target for m in reading.dimensions}
    members = {v.term.target for v in reading.values}
    for index, mention in enumerate(reading.dimensions):
        # "AOV for gold and platinum members, by tier": the tier of the members named
        fitting = {t.target for t in mention.options if t.kind == TermKind.DIMENSION} & members
        if len(fitting) == 1 and mention.term.target not in members:
            chosen = next(t for t in mention.options if t.kind == TermKind.DIMENSION and t.target in fitting)
            reading.dimensions[index] = replace(mention, term=chosen)

    def fits(term: Term) -> bool:
        check = model.can_filter_by if term.kind == TermKind.VALUE else model.can_group_by
        return all(check(metric, term.target) for metric in metrics)

    def direct(term: Term) -> bool:
        """Labels the metric's own rows; a bridged filter ("touched by") is a second choice."""
        return all(model.can_group_by(metric, term.target) for metric in metrics)

    # dimensions first: a value's dimension said beside it ("抖音渠道的新用户") is the one the
    # metric can be split by, which the value then follows
    for mentions, kind in ((reading.dimensions, TermKind.DIMENSION), (reading.values, TermKind.VALUE)):
        named = {m.term.target for m in reading.dimensions}
        for index, mention in enumerate(mentions):
            options = [t for t in mention.options if t.kind == kind]
            if len(options) < 2 or (direct(mention.term) and (kind == TermKind.DIMENSION or mention.term.target in named or mention.term.rank == min(t.rank for t in options))):
                continue
            others = named if kind == TermKind.VALUE else \
                {m.term.target for j, m in enumerate(reading.dimensions) if j != index}
            ranked = sorted(options, key=lambda t: (t.target not in others, not direct(t), not fits(t), t.rank))
            mentions[index] = replace(mention, term=ranked[0])
