"""Turn a reading (and the conversation's previous spec) into a query spec, or decline.

A pipeline of passes, each a general rule kept in its own module, never a pattern for one
sentence (the way sqlglot's optimizer is a list of rules):

- ``checks``: decline what the reading did not explain (an unknown word, a period word with
  no period, a number compared against, a write) rather than answer a bigger question;
- ``metric_reading``: the metrics asked for; nouns that only say who; "A per B" ratios;
- ``breakdowns`` and ``period_spec``: breakdowns, value filters, ranges, periods, grains;
- ``followups``: a question that lacks a metric, or starts like a follow-up, edits the
  previous spec and keeps the rest;
- ``reachability``: a metric a requested dimension cannot split without fan-out is swapped
  for the model's closest one that can (revenue by category → product sales), with a note;
- ``ranking``: order, limit, "which X" as one row, shares of the total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from genbi.assistant.planner.active_people import active_people
from genbi.assistant.planner.adjectives import check_attribute_adjectives
from genbi.assistant.planner.breakdowns import (
    absence_flag,
    boolean_flags,
    grain_of_a_date,
    period_of_a_date,
    period_of_a_verb,
    prefer_reachable,
    present,
    read_filters,
    read_group_by,
    typed_dimensions,
    undated_filters,
    undated_grain,
)
from genbi.assistant.planner.checks import (
    STEP_RATE,
    average_reason,
    check_conditions,
    check_coverage,
    check_hours,
    check_start_dates,
    counts_starts,
    drop_counts_narrowed,
    fuzzy_note,
    is_average,
    starting_counts,
)
from genbi.assistant.planner.clarify import resolve_dimension_heads, resolve_metric_words
from genbi.assistant.planner.cohorts import drop_joining_words, joined_filters, started_filters
from genbi.assistant.planner.conjunctions import all_of
from genbi.assistant.planner.counted_values import counted_tag, counted_value
from genbi.assistant.planner.distributive import each_member_splits
from genbi.assistant.planner.first_time import buyers_metric, first_time_spec
from genbi.assistant.planner.followups import merge_followup
from genbi.assistant.planner.growth import by_growth
from genbi.assistant.planner.metric_conditions import bind_metric_conditions, split_members
from genbi.assistant.planner.metric_reading import (
    asked_metrics,
    bare_metric_question,
    compose_ratios,
    entity_count,
    metric_words_as_values,
    of_sales,
    only_qualifiers,
    ranks_the_rows_before,
    sales_first,
)
from genbi.assistant.planner.never import JOINED_WORDS
from genbi.assistant.planner.per_pairs import (
    PerPair,
    no_amount_reason,
    per_pairs,
    ratio_of,
    ratios_said,
    settle_per_pairs,
    unit_without_amount,
)
from genbi.assistant.planner.per_person import average_per_person
from genbi.assistant.planner.performance import performance_metrics
from genbi.assistant.planner.period_spec import (
    grain_named_comparison,
    part_filters,
    side_by_side,
    time_bucket,
    trend_grain,
)
from genbi.assistant.planner.periods import read_periods
from genbi.assistant.planner.ranking import among_listed, as_share_of_total, rank_order, share_base
from genbi.assistant.planner.reachability import (
    drop_echo_filters,
    money_of_lines,
    parts_of_ratios,
    reachable_metrics,
    spent_by_people,
)
from genbi.assistant.planner.reading import RANKED_NOUN, Reading
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.assistant.planner.unmodelled import unnamed_note
from genbi.assistant.planner.vocabulary import average_twin, counts_rows_of, people_counts
from genbi.semantic_layer.model import MetricType, SemanticModel
from genbi.semantic_layer.query_spec import (
    DATE_PARTS,
    METRIC_TIME,
    DimensionRef,
    Filter,
    FilterOp,
    FirstTime,
    MemberCondition,
    MetricFilter,
    OrderBy,
    QuerySpec,
    TimeGrain,
    TimeRange,
    nests_in,
)

__all__ = ["Assembly", "Unanswerable", "assemble", "entity_count"]


@dataclass
class Assembly:
    spec: QuerySpec
    notes: list[str] = field(default_factory=list)
    followup: bool = False


@dataclass
class _Draft:
    """The spec being built, pass by pass."""

    metrics: list[str]
    followup: bool
    notes: list[str]
    group_by: list[DimensionRef] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    time_range: TimeRange | None = None
    periods: tuple[TimeRange, ...] = ()
    order_by: tuple[OrderBy, ...] = ()
    limit: int | None = None
    offset: int = 0
    share: bool = False
    having: tuple[MetricFilter, ...] = ()
    member_conditions: tuple[MemberCondition, ...] = ()
    first_time: FirstTime | None = None
    rank_within: str | None = None
    with_ties: bool = False
    average_per: TimeGrain | None = None
    count_members: bool = False
    share_rows: tuple[Filter, ...] = ()
    """The breakdown rows a share was asked of ("what share of revenue came from tmall")."""
    per: list[PerPair] = field(default_factory=list)
    """"A per B" the model has no ratio for yet; settled after reachability."""

    def spec(self) -> QuerySpec:
        return QuerySpec(
            metrics=tuple(self.metrics),
            group_by=tuple(self.group_by),
            filters=tuple(self.filters),
            time_range=self.time_range,
            order_by=self.order_by,
            limit=self.limit,
            offset=self.offset or None if self.limit is not None and self.order_by else None,
            share_of_total=self.share,
            periods=self.periods,
            having=self.having,
            member_conditions=self.member_conditions,
            count_members=self.count_members,
            first_time=self.first_time,
            rank_within=self.rank_within if self.limit is not None else None,
            with_ties=self.with_ties and self.limit is not None and bool(self.order_by) and not self.count_members,
            average_per=self.average_per,
            share_rows=self._share_rows(),
        )

    def _share_rows(self) -> tuple[Filter, ...]:
        """The rows a share was asked of, while the spec still splits by them alone (a later pass
        may have changed the breakdown or dropped the share)."""
        grouped = [g.name for g in self.group_by if not time_bucket(g)]  # "each month's share": by month too
        if not self.share or not self.share_rows or self.average_per is not None or self.periods \
                or self.first_time is not None or self.having or self.count_members:
            return ()
        return self.share_rows if grouped == [r.dimension for r in self.share_rows] else ()


def assemble(
    reading: Reading,
    model: SemanticModel,
    *,
    as_of: date,
    previous: QuerySpec | None = None,
) -> Assembly:
    """The passes, in order: coverage (decline what is unexplained) → metrics → breakdowns,
    filters and periods (edited into the previous spec for a follow-up) → reachability and
    conditions → ranking and shares."""
    zh = reading.language == "zh"
    drop_counts_narrowed(reading, model)  # "sessions that had an add to cart": add-to-cart sessions
    check_coverage(reading, model, previous, zh)
    check_attribute_adjectives(reading, model, zh)
    drop_joining_words(reading, model, starting_counts(model))
    draft = _metrics_pass(reading, model, previous, zh)
    earlier = previous if draft.followup else None
    cohort = joined_filters(reading, model, draft.metrics,  # "customers who signed up in 2024 …"
                            [m for m in draft.metrics if counts_starts(model, m)], as_of)
    cohort += started_filters(reading, model, draft.metrics, as_of)  # "campaigns that started in Q3 …"
    _shape_pass(draft, reading, model, as_of, earlier)
    draft.filters = [*draft.filters, *cohort]
    _reachability_pass(draft, reading, model, zh)
    draft.filters, draft.member_conditions = all_of(reading, model, draft.metrics, draft.filters,
                                                   draft.member_conditions, zh)
    _check_complement(draft, reading, model, zh)
    if earlier is not None and earlier.having and not draft.having and draft.group_by:
        # "and last quarter?" after "campaigns with ROAS below 1": the condition stays
        draft.having = earlier.having
        draft.metrics += [h.metric for h in earlier.having if h.metric not in draft.metrics]
    if earlier is not None and earlier.member_conditions and not draft.member_conditions \
            and (tuple(draft.metrics) == earlier.metrics or _never_counted_again(model, draft, earlier)):
        # "and in 2024?" after "how many customers placed more than 3 orders": still those customers
        _check_never_moved(draft, reading, earlier, zh)
        draft.member_conditions = earlier.member_conditions
        split_members(model, draft.group_by, earlier.member_conditions, zh)
    if earlier is not None and earlier.average_per is not None and draft.average_per is None \
            and reading.average_per is None and all(model.metric(m).type == MetricType.SIMPLE for m in draft.metrics):
        draft.average_per = _average_kept(model, earlier.average_per, draft, zh)
    _first_time_pass(draft, reading, model, earlier, zh)
    _ranking_pass(draft, reading, model, earlier, zh)
    return Assembly(spec=draft.spec(), notes=[n for n in draft.notes if n], followup=draft.followup)


def _never_counted_again(model: SemanticModel, draft: _Draft, earlier: QuerySpec) -> bool:
    """"and those who signed up last year?" after "customers who haven't ordered yet": the
    customers counted again (new customers now), still those who never ordered."""
    if not any(c.op == FilterOp.EQ and c.value == 0 for c in earlier.member_conditions):
        return False
    people = {c.entity for c in earlier.member_conditions}
    return bool(draft.metrics) and all(set(model.measure_tables(m)) <= people for m in draft.metrics)


def _check_never_moved(draft: _Draft, reading: Reading, earlier: QuerySpec, zh: bool) -> None:
    """"and last year?" after "how many customers haven't ordered yet": never is over all time,
    so a new period would only pick the customers by when they signed up, which was not asked
    (unless it says so: "and those who signed up last year?")."""
    never = any(c.op == FilterOp.EQ and c.value == 0 for c in earlier.member_conditions)
    if never and (draft.time_range != earlier.time_range or draft.periods) and not JOINED_WORDS.search(reading.text):
        raise Unanswerable(
            "“从没下过单”是指从来没有；换一个时间段就成了按注册时间挑客户。可以问“去年注册但从没下过单的客户数”。" if zh
            else "'Never ordered' is over all time, so another period would only pick customers by when they "
                 "signed up; ask e.g. 'customers who signed up last year and never ordered'.")


def _average_kept(model: SemanticModel, grain: TimeGrain, draft: _Draft, zh: bool) -> TimeGrain | None:
    """"by month" after "average daily revenue last quarter": still each day's total averaged,
    now per month (it answered the monthly totals); "what about orders?" the orders' daily
    average (a ratio asked next is its own, over the period). Split by that unit or a shorter
    one ("by day"), the periods themselves are asked for; beside what an average cannot be,
    declined."""
    if any(g.name == METRIC_TIME and g.grain is not None and g.grain not in DATE_PARTS and not nests_in(grain, g.grain)
           for g in draft.group_by):
        return None
    return check_average_per(model, grain, draft.metrics, draft, zh)


def check_average_per(model: SemanticModel, grain: TimeGrain, metrics: list[str], draft: _Draft,
                      zh: bool) -> TimeGrain:
    """An average per day/week/month is of totals that add up, over one period: a ratio's
    daily average is an average of ratios (the contract's no), compared periods another question."""
    ratios = [m for m in metrics if model.metric(m).type != MetricType.SIMPLE]
    if ratios:
        label = (model.metric(ratios[0]).label_zh or ratios[0]) if zh else model.metric(ratios[0]).label
        raise Unanswerable(
            f"“{label}”是比率，按天平均就成了比率的平均；可以直接问这段时间的{label}，或按天拆分。" if zh
            else f"{label} is a ratio: its average per {grain.value} would be an average of ratios; ask for "
                 f"{label.lower()} over the period, or split it by {grain.value}."
        )
    if draft.periods or draft.share or draft.having or draft.member_conditions or any(
            g.name == METRIC_TIME and g.grain is not None and g.grain not in DATE_PARTS and not nests_in(grain, g.grain)
            for g in draft.group_by):  # "average daily revenue by month" is each month's own average
        raise Unanswerable(
            "按天/按月的平均一次只能问一个时间段，不能同时对比时段、算占比，也不能按不能整除它的时间拆分。" if zh
            else "An average per day or month is asked for one period alone: not beside compared periods, "
                 "shares or a split by a time unit that does not hold it whole."
        )
    return grain


def _first_time_pass(draft: _Draft, reading: Reading, model: SemanticModel, previous: QuerySpec | None,
                     zh: bool) -> None:
    """"first-time buyers last month", "老客的销售额", "新老客": whose first order falls in the
    period; a follow-up keeps it ("and by city tier?")."""
    if reading.first_time is None:
        if previous is not None and previous.first_time is not None and draft.time_range is not None:
            draft.first_time = previous.first_time
        return
    found = first_time_spec(model, reading.first_time.keep)
    if found is None:  # the period was said: what is missing is who each order's customer is
        raise Unanswerable(
            "“首次购买/老客”要知道每位客户的第一笔订单，但这份数据没有可用的客户表和订单表（模型里没有 customer_entity "
            "和 order_entity 角色）。可以问订单数或销售额，或在语义模型里声明这两个角色。" if zh
            else "First-time or returning needs each customer's first order, and this data has no customers and "
                 "orders genbi can tell apart (no customer_entity and order_entity roles in the model). Ask for "
                 "orders or sales, or declare those roles in the semantic model."
        )
    if draft.time_range is None or draft.periods:
        raise Unanswerable(
            "“首次购买/老客”要看每位客户第一次下单是否在一个时间段里；请说明一个时间段，例如“上个月首次购买的客户数”。" if zh
            else "First-time or returning depends on when each customer first ordered, within one period; "
                 "name one, e.g. 'first-time buyers last month'."
        )
    if any(g.grain is not None and g.grain not in DATE_PARTS for g in draft.group_by):
        raise Unanswerable(  # first within the whole period is not first within each month
            "“首次购买/老客”是相对整个时间段的开头算的，不能再按时间拆分；请一次问一个时间段，例如“3月首次购买的客户数”。" if zh
            else "First-time or returning counts from the start of the whole period, so it can't be split by time "
                 "(a buyer first in March would count as first-time in May too); ask one period at a time, e.g. "
                 "'first-time buyers in March 2025'."
        )
    draft.first_time = found


def _metrics_pass(reading: Reading, model: SemanticModel, previous: QuerySpec | None, zh: bool) -> _Draft:
    """The metrics asked for, and whether the question edits the previous one."""
    notes = [fuzzy_note(typed, surface, zh) for typed, surface in reading.fuzzy]
    resolve_metric_words(reading, model)
    named = list(dict.fromkeys(m.term.target for m in reading.metrics))
    metrics = compose_ratios(model, reading, named)
    if metrics == named:
        metric_words_as_values(reading, model)
        metrics = compose_ratios(model, reading, asked_metrics(reading, model))
    per = per_pairs(reading)
    if (alone := unit_without_amount(reading)) is not None and alone[2] in metrics \
            and not any(alone[2] in (p.amount, p.unit) for p in per):
        raise Unanswerable(no_amount_reason(model, *alone))
    for pair in per:  # a ratio the model lacks: both halves stay until reachability has had its say
        if ratio_of(model, pair.amount, pair.unit, directed=True) is None and {pair.amount, pair.unit} & set(metrics):
            metrics = [*metrics, *(m for m in (pair.amount, pair.unit) if m not in metrics)]
    followup = previous is not None and (not metrics or reading.followup or bare_metric_question(reading)
                                         or ranks_the_rows_before(reading, bool(previous.group_by)))
    if followup and metrics and only_qualifiers(reading, model):
        metrics = []  # "only for Shanghai customers": who, not a new metric
    counted = (counted_value(reading, model) or counted_tag(reading, model)) if not metrics and not followup else None
    if counted is not None:  # "how many logins last week": the rows of that type, counted
        metrics, notes = counted[0], [*notes, counted[1]]
    performance = performance_metrics(reading, model) if not metrics and not followup else None
    if performance is not None:  # "how did douyin do last month": its headline numbers, said so
        metrics, notes = performance[0], [*notes, performance[1]]
    if reading.first_time is not None and reading.first_time.people and (
            buyers := buyers_metric(model)) is not None and all(entity_count(model, m) for m in metrics):
        metrics = [buyers]  # "how many first-time buyers", "老客有多少": the people who bought, counted
    if not metrics and not followup:
        raise _no_metric(reading, model, zh)
    asked = ratios_said(model, per, metrics)  # "revenue per user by channel": split as revenue per buyer is
    resolve_dimension_heads(reading, model, asked or list(previous.metrics if previous else ()))
    prefer_reachable(reading, model, asked or list(previous.metrics if previous else ()))
    return _Draft(metrics=metrics, followup=followup, notes=notes, per=per)


def _shape_pass(draft: _Draft, reading: Reading, model: SemanticModel, as_of: date,
                previous: QuerySpec | None) -> None:
    """Breakdowns, filters, the period or compared periods and the time grain; a follow-up
    edits ``previous`` with them."""
    group_by = read_group_by(reading)
    group_by += each_member_splits(reading, model, group_by)  # "各一线城市的销售额": one row per city
    said = read_periods(reading, as_of, previous)
    if said.note:
        draft.notes.append(said.note)
    time_range, period_grain, periods = said.time_range, said.grain, said.periods
    grain = reading.grain or period_grain or (trend_grain(time_range, as_of) if reading.trend else None)
    if periods and (grain is None or grain_named_comparison(reading)):
        grain = None
    if grain is not None and not grain_of_a_date(reading, model, grain):
        named = undated_grain(model, draft.metrics, grain) if time_range is None and not periods else None
        group_by = [g for g in group_by if g.name != METRIC_TIME] + [named or DimensionRef(name=METRIC_TIME, grain=grain)]
    group_by += [(undated_grain(model, draft.metrics, p.part) if time_range is None and not periods else None)
                 or DimensionRef(name=METRIC_TIME, grain=p.part) for p in reading.parts if p.split]
    group_by = list(dict.fromkeys(group_by))  # "几点…？按小时看": one split said twice
    group_by, flags = typed_dimensions(model, group_by, reading)
    moved, time_range = period_of_a_date(model, group_by, time_range)
    flags += moved
    if not any(g.name == METRIC_TIME for g in group_by):  # "deals closed in 2024": the close date's period
        moved, time_range = period_of_a_verb(model, reading, time_range)
        flags += moved
    flags += boolean_flags(model, reading, flags)
    had = {m.term.target for m in reading.dimensions if present(reading, m)}  # "orders with a campaign by channel"
    if had and any(f.dimension not in {g.name for g in group_by} for f in flags):
        group_by = [g for g in group_by if g.name not in had or not _made_a_flag(model, g.name, flags)]
    split_said = {m.term.target for m in reading.dimensions if m.grouped and not present(reading, m)}
    group_by = [g for g in group_by if g.name in split_said or not any(  # "with a coupon code by platform"
        f.dimension == g.name and f.op == FilterOp.NOT_NULL for f in flags)]
    filters = read_filters(reading) + flags + part_filters(reading)
    if previous is None and not periods:  # "in November", "on weekends" on a file with no date: its own columns
        filters, time_range, split = undated_filters(model, draft.metrics, filters, time_range,
                                                     bool(_A_YEAR.search(reading.text)))
        group_by += [split] if split is not None and split not in group_by else []
    metrics = draft.metrics
    if previous is not None:
        metrics, group_by, filters, time_range = merge_followup(
            reading, previous, metrics, group_by, filters, time_range, grain
        )
    draft.time_range, draft.periods, draft.group_by = side_by_side(reading, previous, time_range, periods, group_by)
    draft.metrics, draft.filters = metrics, filters


def _reachability_pass(draft: _Draft, reading: Reading, model: SemanticModel, zh: bool) -> None:
    """Metrics every breakdown and filter can reach (or a close substitute, with a note);
    conditions and averages the spec cannot hold decline."""
    filters = drop_echo_filters(model, reading, draft.metrics, draft.filters)
    dated = draft.time_range is not None or bool(draft.periods)
    draft.metrics = active_people(model, draft.metrics, filters, dated, draft.notes, zh)  # "app users last month"
    swaps: dict[str, str] = {}
    spent = spent_by_people(reading, model)
    metrics, draft.group_by, filters = reachable_metrics(model, draft.metrics, draft.group_by, filters, draft.notes,
                                                         zh, swaps, spent)
    metrics = settle_per_pairs(model, draft.per, metrics, swaps, zh, draft.notes)
    metrics = money_of_lines(model, reading, metrics, filters, draft.notes, zh)
    steps = bool(STEP_RATE.search(reading.text))
    metrics, filters = parts_of_ratios(model, metrics, filters, steps=steps)
    if steps and (len(metrics) != 1 or model.metric(metrics[0]).type != MetricType.RATIO):
        raise Unanswerable(
            "模型里没有这两个步骤之间的转化率；可以分别问两个步骤的会话数，例如“上个月各漏斗步骤的会话数”。" if zh
            else "The model has no rate between those two steps; ask for each step's sessions instead, "
                 "e.g. 'sessions by funnel step last month'."
        )
    bound = bind_metric_conditions(model, reading, reading.metric_conditions, metrics, draft.group_by, draft.notes, zh)
    metrics, draft.group_by, draft.having, draft.member_conditions, draft.count_members = bound
    if draft.having:  # "products with sales over 100k": the members the condition named split the metric too
        swaps = {}
        metrics, draft.group_by, filters = reachable_metrics(model, metrics, draft.group_by, filters, draft.notes,
                                                             zh, swaps, spent)
        draft.having = tuple(h.model_copy(update={"metric": swaps.get(h.metric, h.metric)}) for h in draft.having)
    check_conditions(model, reading, metrics, zh)
    check_start_dates(model, reading, metrics, zh)
    check_hours(model, metrics, tuple(g.grain.value if g.grain else None for g in draft.group_by), zh)
    if reading.average_per is not None and all(model.metric(m).type != MetricType.SIMPLE for m in metrics):
        # "average order value per day", "平均每天的客单价": a ratio each day, so by day (as before)
        if not any(g.name == METRIC_TIME for g in draft.group_by) and not draft.periods:
            draft.group_by = [*draft.group_by, DimensionRef(name=METRIC_TIME, grain=reading.average_per)]
    elif reading.average_per is not None:  # "average daily revenue", "日均订单数"
        draft.average_per = check_average_per(model, reading.average_per, metrics, draft, zh)
    if reading.average and not any(is_average(model, m) for m in metrics) and not _PER_UNIT.search(reading.text):
        swapped = _average_of_each(model, metrics)
        if _COUNTED_NUMBER.search(reading.text):  # an average count: only a number's own average, never AOV
            swapped = [s if s == average_twin(model, m) else m for m, s in zip(metrics, swapped, strict=True)]
        metrics = swapped
    if reading.average and not any(is_average(model, m) for m in metrics):
        per_person = average_per_person(model, reading, metrics)  # "how much did gold members spend on average"
        if per_person is None:
            raise Unanswerable(average_reason(model, metrics, zh))
        metrics, note = per_person
        draft.notes.append(note)
    draft.metrics, draft.filters = metrics, filters


MAX_ROWS_RANKED = 100_000
"""The most rows a top-N asks for (``QuerySpec.limit``'s own bound)."""

_BOUND = re.compile(r"\bat (?:least|most)\b|\b(?:more|less|fewer) than\b|至少|最少\d|最多\d|不少于|不超过")
"""A bound in a condition ("at least one", "more than once"), not a ranking."""


def _made_a_flag(model: SemanticModel, dimension: str, flags: list[Filter]) -> bool:
    flag = absence_flag(model, dimension)
    return flag is not None and any(f.dimension == flag.dimension for f in flags)


def _ranking_pass(draft: _Draft, reading: Reading, model: SemanticModel, previous: QuerySpec | None,
                  zh: bool) -> None:
    """Order, limit and each row's share of the total."""
    if reading.top_n is not None and not 1 <= reading.top_n <= MAX_ROWS_RANKED:
        raise Unanswerable(
            f"“前{reading.top_n}”不是可用的排名数；请用1到{MAX_ROWS_RANKED:,}之间的数，例如“销售额最高的5个城市”。" if zh
            else f"'top {reading.top_n}' is no ranking I can give; ask for 1 to {MAX_ROWS_RANKED:,} rows, "
                 "e.g. 'top 5 cities by revenue'.")
    if not draft.group_by and previous is None and (reading.top_n is not None or (
            reading.superlative and not _BOUND.search(reading.text))):
        # "highest revenue in November", "top 3 by sales": highest among what? The total
        # would drop the question's ranking without a word.
        people = people_counts(model)  # a drafted export's distinct customer ids too ("top customers by sales")
        if any(("customer_entity" in model.roles and entity_count(model, m.term.target)) or m.term.target in people
               for m in reading.metrics):
            raise Unanswerable(  # "top 5 customers by revenue": one person per row is not shown
                "genbi 不逐个列出客户（个人数据）；可以按群体排名，例如“销售额最高的5个城市”，或用 RFM 分析找出高价值客户。"
                if zh else "genbi doesn't rank single customers (personal data); rank a group instead, e.g. "
                           "'top 5 cities by revenue', or run the RFM analysis to find your best customers.",
                ("top 5 cities by revenue",) if not zh else ("销售额最高的5个城市",))
        raise Unanswerable(
            "要排出最高/最低，需要说明按什么拆分，例如“11月销售额最高的商品”或“11月每天的销售额，从高到低”。" if zh
            else "Highest among what? Name what to rank, e.g. 'the product with the highest revenue in "
                 "November' or 'revenue by day in November, highest first'."
        )
    order_by, limit = rank_order(reading, draft.metrics, draft.group_by, previous, model)
    within = _ranked_within(reading, draft.group_by) if limit is not None and len(draft.group_by) >= 2 else None
    if within is None and previous is not None and previous.rank_within and limit == previous.limit \
            and previous.rank_within in {g.name for g in draft.group_by}:
        within = previous.rank_within  # "and last year?" after "top 2 campaigns in each channel": still per channel
    if within is not None:  # "top 2 campaigns in each channel": each channel's own top 2
        draft.rank_within = within
    elif limit is not None and len(draft.group_by) >= 2 and _WITHIN_EACH.search(reading.text):
        # "top 3 products in each category": a ranking within every group, which a spec's one
        # limit over all rows is not (it gave the 3 biggest product-category rows)
        raise Unanswerable(
            "genbi 只能在全部行里排名，不能在每个分组里各取前几名；可以一次问一个分组，例如只看某个品类的前3名商品。" if zh
            else "genbi ranks over all rows, not within each group; ask for one group at a time, "
                 "e.g. the top 3 products in one category."
        )
    if len(draft.periods) > 1:  # "which region grew the most": by the change, not the level
        order_by = by_growth(reading, draft.metrics, order_by)
    if limit is not None and not reading.offset and (reading.top_n is None or _WHICH_ONE.search(reading.text)) \
            and among_listed(draft.group_by, draft.filters, limit):
        limit = None  # "which is higher, tmall or jd": both rows, the higher first
    share = reading.share or bool(previous is not None and previous.share_of_total and not reading.metrics)
    if share and any(model.metric(m).format.value == "percent" for m in draft.metrics):
        share = False  # "what share of buyers ordered twice": the word names the rate itself
    if share and draft.first_time is not None and draft.first_time.keep != "split" and not draft.group_by:
        # "what % of revenue came from returning customers": their row of the first-time split
        draft.first_time = draft.first_time.model_copy(update={"keep": "split"})
        order_by = order_by or tuple(OrderBy(field=f"{m}__share") for m in draft.metrics[:1])
    elif share:
        draft.group_by, draft.filters, order_by, draft.share_rows = as_share_of_total(
            model, draft.metrics, draft.group_by, draft.filters, order_by, zh,
            within=bool(_BETWEEN.search(reading.text)), base=share_base(reading))
    draft.order_by, draft.limit, draft.share = order_by, limit, share
    draft.offset = reading.offset if limit == 1 and reading.top_n == 1 else 0
    if previous is not None and previous.offset and reading.top_n is None and limit == previous.limit:
        draft.offset = previous.offset  # "and last year?" after "the 2nd best channel": still the 2nd
    draft.with_ties = reading.ties or (previous is not None and previous.with_ties and limit == previous.limit)


_WHICH_ONE = re.compile(r"\bwhich (?:1|one)\b|哪1个|哪一个")
""""jd or tmall, which one had more buyers": "one" is the one asked about among the members
named, the same question as "which had more" (both rows, the higher first), no top 1."""

_COMPLEMENT = re.compile(
    r"\b([a-z][a-z-]*?)(?:s|es)?(?:\s(?:days?|weeks?|months?|orders?|sales|customers?|users?|members?|sessions?|"
    r"visits?|stores?|shops?))?\s(?:vs\.?|versus|and|or|against|compared (?:to|with))\s(?:the\s)?(?:non|not|no)[- ]?\1"
    r"(?:s|es)?\b"
    r"|([a-z][a-z0-9]*|[\u4e00-\u9fff]{1,4})(?:客户|用户|会员|顾客|人群)?\s?(?:和|与|跟|对比|vs|或|还是)\s?非\s?\2"
    r"|\bwith (?:and|or|vs\.?|versus) without\b|有和没有|有没有.{0,6}对比|有无"
)


def _check_complement(draft: _Draft, reading: Reading, model: SemanticModel, zh: bool) -> None:
    """"VIP vs non-VIP revenue", "members vs non-members", "会员和非会员": a group against the
    rest is two rows of a yes/no split. A yes/no dimension said both ways in the comparison is
    split by; otherwise one side was dropped (it answered VIPs only, or non-members only), so the
    question is declined with the split to ask for."""
    said = _COMPLEMENT.search(reading.text)
    if said is not None and _two_members(reading, said):
        return  # "白金会员和非会员", "gold members vs non-members": two members of one dimension, listed
    if said is None or any(model.has_dimension(g.name) and model.dimension(g.name).type.value == "boolean"
                           for g in draft.group_by):
        return
    flags = [d for d in model.dimensions if d.type.value == "boolean" and not d.pii]
    both = {m.term.target for m in reading.dimensions if m.negated and said.start() <= m.start < said.end()} & {
        m.term.target for m in reading.dimensions if not m.negated and said.start() <= m.start < said.end()}
    named = [d.name for d in flags if d.name in both]
    if len(named) == 1:  # the tag said both ways: its yes and no rows, side by side
        draft.filters = [f for f in draft.filters if f.dimension != named[0]]
        draft.group_by = [*draft.group_by, DimensionRef(name=named[0])]
        return
    near = [d for d in flags if any(w in reading.text for w in (d.name.removeprefix("is_"), *d.label.lower().split(),
                                                                 *d.synonyms) if len(w) > 3)]
    flags = near or flags
    example = (f"“按{flags[0].label_zh or flags[0].label}看销售额”" if zh else f"'revenue by {flags[0].label.lower()}'") \
        if flags else ""
    raise Unanswerable(
        f"“{said.group()}”是一个群体和其余所有人的对比；模型里没有这样的是/否拆分。" + (f"可以试试{example}。" if example else "")
        if zh else f"'{said.group()}' compares a group with everyone else, which needs a yes/no split the question "
                   "didn't map to" + (f"; try {example}." if example else ".")
    )


def _two_members(reading: Reading, said: re.Match[str]) -> bool:
    """The word negated is the tail of a member named before it ("白金会员和非会员": platinum, then
    the non-members) and the negation a member of the same dimension: a list, no complement."""
    word = 1 if said.group(1) else 2 if said.group(2) else 0
    if not word:
        return False
    start = said.start(word)
    before = next((v for v in reading.values if v.start < start < v.end or (v.start < start and v.end == said.end(word))),
                  None)
    after = next((v for v in reading.values if v.start >= said.end(word) and v.negated is False), None)
    return before is not None and after is not None and before.term.target == after.term.target \
        and before.term.value != after.term.value


_EACH_BEFORE = re.compile(r"(?:\b(?:each|every|per)|每一?个?|各个?|每个?)\s?$")


def _ranked_within(reading: Reading, group_by: list[DimensionRef]) -> str | None:
    """The one breakdown said with "each" ("in each category", "每个品类", "per channel"),
    when another breakdown is what is ranked: the limit applies within each of its members.
    Periods too: "top 2 sales channels by revenue by quarter", "每个季度前两名的销售渠道"
    rank the channels in each quarter (was: the 2 biggest channel-quarter rows of all)."""
    split = {g.name for g in group_by}
    each = {m.term.target for m in reading.dimensions if m.term.target in split
            and _EACH_BEFORE.search(reading.text[max(0, m.start - 12):m.start])}
    if len(each) == 1 and len(split - each) >= 1:
        return next(iter(each))
    periods = [g for g in group_by if time_bucket(g)]
    ranked = [g for g in group_by if not time_bucket(g)]
    if len(periods) == 1 and len(ranked) == 1 and any(
            m.term.target == ranked[0].name and RANKED_NOUN.search(reading.text[max(0, m.start - 40):m.start])
            for m in reading.dimensions):
        return periods[0].name
    return None


_A_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\byear\b|年")
"""A year said: "November 2024", "this year", "去年" is a date, never a month column's value."""

_WITHIN_EACH = re.compile(r"\b(?:in|within|for|of|per|across) (?:each|every)\b|\beach\b|\bper\b|每个?|各个?|分别")
"""Words that put a ranking inside every group of another breakdown."""

_BETWEEN = re.compile(r"\bbetween\b|之间|两者")
""""the split of orders between app and mini program": the share is among the members named."""


def _no_metric(reading: Reading, model: SemanticModel, zh: bool) -> Unanswerable:
    """No metric named. A ranking ("best performing campaign", "top categories") is asked back
    with the numbers the model can rank that breakdown by, as questions to pick from."""
    ranked = reading.superlative or reading.top_n is not None or reading.descending is not None
    split = next((m.term.target for m in reading.dimensions), None)
    if not ranked or split is None:
        return Unanswerable(("我没找到要计算的指标。" if zh else "I couldn't find a metric to compute in the question.")
                            + unnamed_note(model, zh))
    fitting = [m for m in model.metrics if model.can_group_by(m.name, split)][:3]
    dimension = model.dimension(split)
    if zh:
        names = [m.label_zh or m.label for m in fitting]
        label = dimension.label_zh or dimension.label
        return Unanswerable(f"按哪个指标排{label}？可以按{'、'.join(names)}排。",
                            tuple(f"按{n}，{reading.question.strip()}" for n in names))
    names = [m.label.lower() for m in fitting]
    label = dimension.label.lower()
    return Unanswerable(f"Best by which number? The model can rank {label} by {', '.join(names)}.",
                        tuple(f"{reading.question.strip().rstrip('?')} by {n}" for n in names))


_COUNTED_NUMBER = re.compile(r"\bhow many\b|\bnumber of\b|\bcount of\b|多少[单笔次个]|几[单笔次个]")
""""how many orders does a customer place on average", "average number of orders": an average
count, never the average order's value (AOV); per whom is read next, or it declines."""

_PER_UNIT = re.compile(r"\bper\b|\ba (?:day|week|month|year)\b|\b(?:daily|weekly|monthly|quarterly|yearly)\b|每")
"""An average over something said ("average orders per month"): not the average of each one."""


def _average_of_each(model: SemanticModel, metrics: list[str]) -> list[str]:
    """"Average claim", "平均每张发票": the average asked of a counted thing is the model's one
    average amount of that thing (its table's only averaged money), when it has exactly one;
    "average premium": the average of a summed amount is its averaged twin, when the model has it."""
    out = []
    for name in metrics:
        measures = model.metric_measures(name)
        table = measures[0].table if len(measures) == 1 else None
        count = model.metric(name).measure
        fitting = [m.name for m in model.metrics if table is not None and counts_rows_of(model, name, table)
                   and m.format.value == "currency" and (
                       (m.type == MetricType.SIMPLE
                        and all(x.table == table and x.agg.value == "avg" for x in model.metric_measures(m.name)))
                       or (m.type == MetricType.RATIO and m.denominator == count))]
        fitting = _row_values(model, fitting, table) if table is not None else fitting
        fitting = sales_first(model, fitting)
        twin = average_twin(model, name) if not fitting else None  # "average premium"
        out.append(fitting[0] if len(fitting) == 1 else twin or name)
    return out


def _row_values(model: SemanticModel, fitting: list[str], table: str) -> list[str]:
    """Of the averages that fit "average transaction", the ones of a row's value: a ratio over
    the count, or the average of the very amount the table's money sum adds up. An averaged
    unit price is no transaction's value when the table sums quantity x price: answered in its
    place it would be a silently wrong number, so without a ratio the average declines."""
    ratios = [m for m in fitting if model.metric(m).type == MetricType.RATIO]
    if ratios:
        return ratios
    sums = [x for m in model.metrics if m.type == MetricType.SIMPLE and m.format.value == "currency"
            for x in model.metric_measures(m.name) if x.table == table and x.agg.value == "sum"]
    if not sums:
        return fitting
    summed = {_sql_words(x.expr) for x in sums}
    kept = [m for m in fitting if all(_sql_words(x.expr) in summed for x in model.metric_measures(m))]
    sold = {_sql_words(x.expr) for x in sums if of_sales(model, x.name)}  # 'Total', not its 'Tax 5%'
    return [m for m in kept if all(_sql_words(x.expr) in sold for x in model.metric_measures(m))] or kept


def _sql_words(expr: str) -> str:
    return " ".join(expr.lower().split())
