"""Conditions on a metric per member: "campaigns with ROAS below 1", "channels with more than
1,000 orders", "销售额超过100万的城市".

Read in two steps. While reading, a comparison next to a metric mention ("roas below 1",
"more than 1,000 orders", "销售额在100万以上") is recorded and its words are claimed, so
they are not reported as unknown. When the spec is assembled, it becomes a condition on
that metric per row of the breakdown (SQL HAVING) only when the members it keeps are the
breakdown's: the nearest other thing named beside it is a grouped dimension ("campaigns
with …", "… 的城市"). Anything else ("customers with more than 5 orders", a condition on
single orders or customers, or with no breakdown) declines as before: the number without
the condition would cover more than was asked.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from genbi.assistant.planner.coverage import VERBS_EN
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.assistant.planner.vocabulary import Term, TermKind, counts_rows_of, plain_people_metric
from genbi.semantic_layer.model import MetricFormat, MetricType, SemanticModel
from genbi.semantic_layer.query_spec import (
    METRIC_TIME,
    DimensionRef,
    FilterOp,
    MemberCondition,
    MetricFilter,
)

if TYPE_CHECKING:  # reading.py calls ``find_metric_conditions`` while it reads
    from genbi.assistant.planner.reading import Mention, Reading

_OPS = (
    (FilterOp.GE, r"at least|no less than|not less than|>=|≥|不少于|不低于|至少"),
    (FilterOp.LE, r"at most|no more than|not more than|up to|<=|≤|不超过|不高于|不多于|至多|最多"),
    (FilterOp.GT, r"more than|greater than|higher than|bigger than|larger than|in excess of|over|above|beyond|"
                  r"exceed(?:s|ed|ing)?|>|超过|大于|高于|多于|超出"),
    (FilterOp.LT, r"less than|fewer than|lower than|smaller than|under|below|<|小于|低于|少于|不到|不足"),
    (FilterOp.EQ, r"exactly|equal to|等于|恰好|正好"),
)
_OP = "|".join(f"(?P<{op.name}>{words})" for op, words in _OPS)
_NUMBER = (r"(?P<currency>[¥$￥])?\s?(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)\s?"
           r"(?P<scale>k|m|mn|million|thousand|bn|billion|w|万|千|百万|亿|%)?(?![a-z])\s?"
           r"(?P<unit>元|块钱?|rmb\b|yuan\b|单|笔|次|件|个|人|位)?")
_POSTFIX = r"(?P<post_ge>以上|及以上|或以上|or more\b|or above\b|or higher\b|\+)|(?P<post_le>以下|及以下|或以下|or less\b|or fewer\b|or below\b)"

_AFTER_METRIC = re.compile(
    rf"\s?(?:(?:is|was|are|were|of|at|stayed|stays|came in|come in|is still|are still)\s)?(?:的)?(?:是|在|达到)?\s?"
    rf"(?:(?:{_OP})\s?)?{_NUMBER}(?:\s?(?:{_POSTFIX}))?"
)
"""After the metric: "roas below 1", "revenue of over $1m", "ROAS低于1", "销售额在100万以上"."""

_BEFORE_METRIC = re.compile(rf"(?:(?:{_OP})\s?{_NUMBER}\s?(?:(?:in|of|worth of)\s)?|(?P<zero>\bzero |\b0 |零))$")
"""Before the metric: "more than 1,000 orders", "over ¥1m in revenue"."""

_BEFORE_METRIC_OF = re.compile(rf"(?:{_OP})\s?{_NUMBER}\s?(?:{_POSTFIX})?\s?的\s?$")
"""Before the metric, joined by 的: "超过1000元的订单" (only money before a count: each row's value)."""

_BEFORE_METRIC_POST = re.compile(rf"\b{_NUMBER}\s?(?:{_POSTFIX})\s?(?:(?:in|of|worth of)\s)?$")
"""Before the metric, the bound after the number: "3 or more orders", "5+ orders"."""
_DIGIT = re.compile(r"\d")
"""Every match of the two patterns before a metric holds a digit, "zero " or "零"."""

_SCALES = {"k": 1e3, "thousand": 1e3, "千": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "百万": 1e6,
           "bn": 1e9, "billion": 1e9, "w": 1e4, "万": 1e4, "亿": 1e8, "%": 0.01}
_MONEY_UNITS = frozenset({"元", "块", "块钱", "rmb", "yuan"})


@dataclass(frozen=True)
class MetricCondition:
    """A comparison said next to one metric mention, as read (not yet bound to a breakdown)."""

    mention: Mention
    op: FilterOp
    number: float
    """The number as said, scaled (1.5m → 1,500,000; 2% → 0.02)."""
    percent: bool
    money: bool
    counted: bool
    said: str
    start: int
    end: int
    """The span of the whole phrase, metric included."""


def find_metric_conditions(reading: Reading, taken: list[bool]) -> list[MetricCondition]:
    """Comparisons beside a metric mention; their words (not the metric's) are claimed in ``taken``."""
    found = []
    text = reading.text
    for mention in reading.metrics:  # "sold more than 1000 units": the number counts units, not "sold"
        prefix = text[:mention.start]
        before = (_BEFORE_METRIC.search(prefix) or _BEFORE_METRIC_POST.search(prefix)) \
            if _DIGIT.search(prefix) or "zero " in prefix or "零" in prefix else None  # what each match needs
        if before is not None and not any(taken[before.start():mention.start]):
            found.append(_condition(mention, before, before.start(), mention.end, text))
            _claim(taken, before.start(), mention.start)
    for mention in reading.metrics:  # "超过1000元的订单": money said before a count of rows, joined by 的
        # (not "消费超过5000元的客户": after a metric, the number is that metric's, read below)
        said = _BEFORE_METRIC_OF.search(text[:mention.start]) if "的" in text[:mention.start] else None
        if said is not None and not any(taken[said.start():mention.start]) \
                and not any(0 <= said.start() - m.end <= 1 for m in reading.metrics) \
                and all(c.mention is not mention for c in found) \
                and (condition := _condition(mention, said, said.start(), mention.end, text)).money:
            found.append(condition)
            _claim(taken, said.start(), mention.start)
    for mention in reading.metrics:
        match = _AFTER_METRIC.match(text, mention.end)
        if match is not None and _compares(match) and not any(taken[mention.end:match.end()]) \
                and all(c.mention is not mention for c in found):
            found.append(_condition(mention, match, mention.start, match.end(), text))
            _claim(taken, mention.end, match.end())
    for condition in found:  # "people who placed more than 2 orders", "订单数超过1的有多少人": who they are
        if (said := _PEOPLE_BEFORE.search(text[:condition.start]) or _PEOPLE_AFTER.match(text, condition.end)) \
                and not any(taken[said.start():said.end()]):
            _claim(taken, *said.span())
    return sorted(found, key=lambda c: c.start)


def bind_metric_conditions(model: SemanticModel, reading: Reading, conditions: list[MetricCondition],
                           metrics: list[str], group_by: list[DimensionRef], notes: list[str], zh: bool
                           ) -> tuple[list[str], list[DimensionRef], tuple[MetricFilter, ...],
                                      tuple[MemberCondition, ...], bool]:
    """Each condition as a HAVING on its metric (added to ``metrics`` when not asked), as a
    condition on each member counted by a metric ("how many customers placed more than 3
    orders": each customer's orders), or a decline naming it when the members it keeps are
    neither. Members named with the condition and no other breakdown ("cities where revenue
    exceeded 1.5m") become the breakdown."""
    conditions = [c for c in conditions if not _defines_a_share(model, c, metrics)]
    per_member, conditions = _per_member(model, reading, conditions, metrics, group_by, zh)
    for bound in per_member:
        metrics = _counting(model, metrics, bound)
    if conditions and (across := _across_members(reading)):
        raise Unanswerable(_across_reason(across, conditions[0].said, zh))
    grouped = {g.name for g in group_by}
    having = []
    counted = False
    for condition in conditions:
        metric = model.metric(condition.mention.term.target)
        value = _in_metric_unit(condition, metric.format)
        members = _members(reading, condition)
        if members is not None and members.term.target not in grouped and not _split_by_other(group_by):
            group_by = [*group_by, DimensionRef(name=members.term.target)]  # "cities where revenue …": per city
            grouped.add(members.term.target)
        if value is None or members is None or members.term.target not in grouped or condition.op == FilterOp.EQ:
            raise Unanswerable(_unbound_reason(condition.said, zh))  # a row's metric equal to one number: no such filter
        if metric.format == MetricFormat.PERCENT and not condition.percent and condition.number > 1:
            notes.append(f"“{condition.said}”按百分比理解（{condition.number:g}%）。" if zh
                         else f"Read '{condition.said}' as {condition.number:g}%.")
        having.append(MetricFilter(metric=metric.name, op=condition.op, value=value))
        counted = counted or _how_many(reading, members)
        if metric.name not in metrics:
            metrics = [*metrics, metric.name]
    if any(h.op == FilterOp.LE and h.value <= 0 for h in having) and len(_fact_tables(model, metrics)) < 2:
        raise Unanswerable(_zero_reason(zh))  # members with none have no rows of that table to show
    count = counted and len(group_by) == 1 and bool(having)
    return metrics, group_by, tuple(having), tuple(c for c, _ in per_member), count


_HOW_MANY_BEFORE = re.compile(r"(?:\bhow many|\bnumber of|\bcount of|\bcount the)\s(?:(?:the|our|different|distinct|unique)\s)?$"
                              r"|(?:有多少个|有多少家|有多少|多少个|多少家|有几个|有几家|几个|几家)$")
_HOW_MANY_AFTER = re.compile(r"(?:一共|总共|共)?(?:有多少个|有多少家|有几个|有几家|有多少|多少个|几个|的数量|数量)")


def _how_many(reading: Reading, members: Mention) -> bool:
    """The question asks how many members meet the condition ("how many campaigns had ROAS
    above 3", "ROAS超过3的活动有几个"), not which: the answer is their count."""
    return bool(_HOW_MANY_BEFORE.search(reading.text[:members.start])
                or _HOW_MANY_AFTER.match(reading.text, members.end))


@dataclass(frozen=True)
class _Counted:
    """What a metric mention counts, one per member: ``entity``'s rows, via ``counting`` (a
    distinct count of the link to them on the condition's table)."""

    entity: str
    subject: str
    counting: str
    shown: bool
    """The condition's own metric is asked for as well (not only said in the condition)."""


def _per_member(model: SemanticModel, reading: Reading, conditions: list[MetricCondition], metrics: list[str],
                group_by: list[DimensionRef], zh: bool
                ) -> tuple[list[tuple[MemberCondition, _Counted]], list[MetricCondition]]:
    """The conditions on each member of what a metric counts ("how many customers placed more
    than 3 orders", "消费超过5000元的客户有多少"), and the rest. A condition the members with
    none would meet ("fewer than 3 orders") stays with the rest: whether those are counted
    is not said, so it declines."""
    found: list[tuple[MemberCondition, _Counted]] = []
    rest = []
    for condition in conditions:
        metric = model.metric(condition.mention.term.target)
        value = _in_metric_unit(condition, metric.format)
        subject = _subject(model, reading, condition)
        if value is None and condition.money and _row_said(reading, condition) \
                and (worth := _row_value(model, metric.name)) is not None:
            # "orders over 1000 yuan", "超过1000元的订单": money beside a count of rows is each row's own value
            subject, metric = condition.mention, model.metric(worth)
            value = _in_metric_unit(condition, metric.format)
        if subject is None and condition.mention.start == condition.start and _members(reading, condition) is None \
                and (rows := _rows_counted(model, metric.name)) is not None:
            # "customers who bought more than 3 (times)": each one's orders, not a count of people above 3
            subject, metric = condition.mention, model.metric(rows)
        counted = None if subject is None or value is None else _counted(model, subject.term.target, metric.name)
        if counted is None and subject is not None and value is not None and _spending(condition, metric.format):
            spent = _spent_by(model, subject.term.target)  # "customers who spent over 1000": their purchases
            if spent is not None and (counted := _counted(model, subject.term.target, spent)) is not None:
                metric = model.metric(spent)
        excludes_none = (condition.op == FilterOp.GT and value is not None and value >= 0) or (
            condition.op in (FilterOp.GE, FilterOp.EQ) and value is not None and value > 0)
        if counted is not None and _value_or_count(condition, metric.format):
            counted = None  # "customers with an order over 500": each order's value, or their number of orders?
        if counted is None or not excludes_none or (subject is not None and subject.start >= condition.end
                                                    and _members(reading, condition) is not None):
            rest.append(condition)
            continue
        split = [g.name for g in group_by if g.name == METRIC_TIME or not _of_member(model, g.name, counted.entity)]
        if split:
            raise Unanswerable(_split_reason(condition.said, split[0], zh))
        # asked for besides the condition: "revenue from customers who spent over 1000" shows revenue
        shown = any(m is not condition.mention and m.term.target == metric.name for m in reading.metrics)
        assert value is not None
        found.append((MemberCondition(entity=counted.entity, metric=metric.name, op=condition.op, value=value),
                      dataclasses.replace(counted, shown=shown)))
    return found, rest


def _row_said(reading: Reading, condition: MetricCondition) -> bool:
    """The money is said of each row counted: after the count ("orders over 1000 yuan") or
    before it joined by 的 ("超过1000元的订单"), not before it as a total ("¥1m of orders")."""
    before = reading.text[condition.start:condition.mention.start].rstrip()
    return condition.start >= condition.mention.start or before.endswith("的")


_SPENDING = re.compile(r"spen[dt]|spending|paid|pays?|花了?|花费了?|消费了?")


def _spending(condition: MetricCondition, fmt: MetricFormat) -> bool:
    """The condition is said with a verb of paying ("spent over 1000", "消费超过5000元")."""
    return fmt == MetricFormat.CURRENCY and bool(_SPENDING.fullmatch(condition.mention.surface.strip()))


def _row_value(model: SemanticModel, count: str) -> str | None:
    """The money each row ``count`` counts is worth: the model's plain sum of its order
    revenue column (role ``order_revenue``) when that column is on the counted rows' own table."""
    entity = _entity_of(model, count)
    if entity is None or not counts_rows_of(model, count, entity):
        return None
    worth = _spent_by(model, count)
    if worth is not None and {m.table for m in model.metric_measures(worth)} == {entity}:
        return worth
    return _sales_of_table(model, entity)


_SALES = re.compile(r"\b(?:sales|revenue|amount|gmv|total|value)\b|销售额|金额|营收|收入|成交额")


def _sales_of_table(model: SemanticModel, table: str) -> str | None:
    """A drafted model names no roles: the table's one plain sum of money, or of several the
    one named as its sales ("Sales amount" beside "Profit")."""
    sums = [m for m in model.metrics if m.type == MetricType.SIMPLE and m.measure is not None
            and m.format == MetricFormat.CURRENCY and (measure := model.measure(m.measure)).table == table
            and measure.agg.value == "sum" and measure.filter is None]
    if len(sums) > 1:
        sums = [m for m in sums if _SALES.search(f"{m.name.replace('_', ' ')} {m.label}".lower())]
    return sums[0].name if len(sums) == 1 else None


def _spent_by(model: SemanticModel, subject: str) -> str | None:
    """What the members ``subject`` counts spend with us: the model's plain sum of its order
    revenue column (role ``order_revenue``), when the model names one. An ad budget is spent
    by us, not by customers."""
    column = model.roles.get("order_revenue")
    if column is None or _entity_of(model, subject) is None:
        return None
    table, _, name = column.partition(".")
    for metric in model.metrics:
        if metric.type == MetricType.SIMPLE and metric.measure is not None:
            measure = model.measure(metric.measure)
            if (measure.table == table and measure.agg.value == "sum" and measure.filter is None
                    and measure.expr.strip() in (name, column)):
                return metric.name
    return None


_COUNT_WORD = re.compile(r"\b(?:number|count|counts|times)\b|数|次|量")


def _value_or_count(condition: MetricCondition, fmt: MetricFormat) -> bool:
    """A number said after a plain noun of things ("orders over 500") may be each one's value
    or how many there are; before it ("more than 3 orders") or with a count word ("order
    count above 3", "订单数超过3") it is how many."""
    return (fmt == MetricFormat.NUMBER and condition.start >= condition.mention.start
            and not _COUNT_WORD.search(condition.mention.surface) and not condition.counted)


def _counting(model: SemanticModel, metrics: list[str], bound: tuple[MemberCondition, _Counted]) -> list[str]:
    """The metrics with the subject counted on the condition's table ("customers" → buyers)
    and the condition's own metric dropped unless asked for as well."""
    condition, counted = bound
    swapped = [counted.counting if m == counted.subject else m for m in metrics]
    if not counted.shown:
        swapped = [m for m in swapped if m != condition.metric]
    return list(dict.fromkeys(swapped)) or [counted.counting]


def _subject(model: SemanticModel, reading: Reading, condition: MetricCondition) -> Mention | None:
    """The metric mention whose members the condition is about (the people said right before it
    win over a breakdown said after it: "customers with more than 5 orders by city tier"): the nearest one before it
    (a verb passed over: "customers who have bought more than …"), people named by a value
    ("gold members placed more than 3 orders": the model's count of customers), or the one
    right after it ("消费超过5000元的客户")."""
    others = sorted((m for m in [*reading.metrics, *reading.dimensions, *reading.values]
                     if m is not condition.mention), key=lambda m: m.start)
    for mention in reversed([m for m in others if m.end <= condition.start]):
        if mention in reading.metrics and (mention.surface in _VERBS_EN or _VERB_ZH.fullmatch(mention.surface)):
            continue
        if mention in reading.values:
            if not _PEOPLE.search(mention.surface):
                continue  # "customers in beijing spent over 5000": a filter on them, not who they are
            people = _people_count(model)
            if people is None:
                return None
            term = Term(TermKind.METRIC, people)
            return dataclasses.replace(mention, term=term, options=(term,))
        return mention if mention in reading.metrics else None
    after = next((m for m in others if m.start >= condition.end), None)
    if after is not None and after in reading.metrics and _LINK.fullmatch(reading.text[condition.end:after.start]):
        return after
    said = _PEOPLE_BEFORE.search(reading.text[:condition.start]) or _PEOPLE_AFTER.match(reading.text, condition.end)
    if said is not None and not others and (people := _people_count(model)) is not None:
        # "其中订单数超过1的有多少人", "how many people placed more than 2 orders": the people are customers
        term = Term(TermKind.METRIC, people)
        return dataclasses.replace(condition.mention, start=said.start(), end=said.end(), surface=said.group(),
                                   term=term, options=(term,))
    return None


_PEOPLE_BEFORE = re.compile(r"\b(?:people|persons|shoppers|users|clients|consumers|those|ones)\s(?:who\s|that\s)?"
                            r"(?:have\s|had\s|ever\s)*(?:placed\s)?$"
                            r"|(?:这些人|他们|这些(?:客户|顾客|用户|买家|会员))(?:里|中|当中|里面)?(?:的)?$")
_PEOPLE_AFTER = re.compile(r"的(?:人|顾客|客户|用户|会员|买家|消费者)|的(?:有|共有|一共有)?(?:多少|几)(?:个)?(?:人|位)")


_PEOPLE = re.compile(r"(?:members?|customers?|buyers?|shoppers?|users?|会员|客户|用户|顾客|买家)$")


def _people_count(model: SemanticModel) -> str | None:
    """The model's plain count of its customers (role ``customer_entity``), shortest label first."""
    if "customer_entity" not in model.roles:
        return None
    table = model.role_table("customer_entity")
    counts = sorted((m for m in model.metrics if counts_rows_of(model, m.name, table)),
                    key=lambda m: (len(m.label), m.name))
    return counts[0].name if counts else None


def _rows_counted(model: SemanticModel, metric: str) -> str | None:
    """For a distinct count of members ("customers who bought"): the plain count of the rows
    it counts them on (orders), which a number per member can only mean."""
    if _entity_of(model, metric) is None:
        return None
    definition = model.metric(metric)
    assert definition.measure is not None
    table = model.measure(definition.measure).table
    if counts_rows_of(model, metric, table):
        return None  # "customers with more than 3 …" counts customers themselves: nothing to say
    return next((m.name for m in model.metrics if counts_rows_of(model, m.name, table)), None)


def _counted(model: SemanticModel, subject: str, condition_metric: str) -> _Counted | None:
    """What ``subject`` counts one per member, when the condition's metric can be computed per
    member: a plain count of a keyed table's rows ("customers") or a distinct count of a link
    to them ("buyers"), with a distinct count of that link on the condition's table to count
    them by."""
    tables = {m.table for m in model.metric_measures(condition_metric)}
    if model.metric(condition_metric).type not in (MetricType.SIMPLE, MetricType.RATIO) or len(tables) != 1:
        return None
    (table,) = tables
    entity = _entity_of(model, subject)
    if entity is not None and entity == table and counts_rows_of(model, subject, entity):
        # "orders with revenue over 1000": each order's own value; the members are the rows counted
        return _Counted(entity=entity, subject=subject, counting=subject, shown=False)
    if entity is not None and counts_rows_of(model, subject, entity) and subject != plain_people_metric(model):
        return None  # "new customers placed more than 2 orders": who is new is a condition too, not dropped
    if entity is None:
        column = _counted_column(model, subject, table)  # one file of order lines with a customer id column
        return None if column is None else _Counted(entity=f"{table}.{column}", subject=subject, counting=subject,
                                                    shown=False)
    links = {e.column for e in model.graph.outgoing(table)
             if e.parent == entity and e.parent_column == model.table(entity).primary_key}
    if len(links) != 1:
        return None
    (link,) = links
    counting = next((m.name for m in model.metrics if _counts_distinct(model, m.name, table, link)), None)
    return None if counting is None else _Counted(entity=entity, subject=subject, counting=counting, shown=False)


def _counted_column(model: SemanticModel, metric: str, table: str) -> str | None:
    """The column of ``table`` that ``metric`` counts the distinct values of (COUNT(DISTINCT
    customer_id) beside the order lines): its values are the members."""
    definition = model.metric(metric)
    if definition.type != MetricType.SIMPLE or definition.measure is None:
        return None
    measure = model.measure(definition.measure)
    if measure.table != table or measure.agg.value != "count_distinct" or measure.filter is not None:
        return None
    column = measure.expr.strip()
    column = column.removeprefix(f"{table}.")
    return column if model.table(table).column(column) is not None else None


def _entity_of(model: SemanticModel, metric: str) -> str | None:
    """The keyed table whose members ``metric`` counts: its own rows, or the rows a counted link names."""
    definition = model.metric(metric)
    if definition.type != MetricType.SIMPLE or definition.measure is None:
        return None
    measure = model.measure(definition.measure)
    if counts_rows_of(model, metric, measure.table) and model.table(measure.table).primary_key is not None:
        return measure.table
    if measure.agg.value != "count_distinct" or measure.filter is not None:
        return None
    column = measure.expr.strip().rpartition(".")[2]
    parents = {e.parent for e in model.graph.outgoing(measure.table) if e.column == column}
    return parents.pop() if len(parents) == 1 else None


def _counts_distinct(model: SemanticModel, metric: str, table: str, column: str) -> bool:
    definition = model.metric(metric)
    if definition.type != MetricType.SIMPLE or definition.measure is None:
        return False
    measure = model.measure(definition.measure)
    return (measure.table == table and measure.agg.value == "count_distinct" and measure.filter is None
            and measure.expr.strip() in (column, f"{table}.{column}"))


def _of_member(model: SemanticModel, dimension: str, entity: str) -> bool:
    """Each member has one value of ``dimension`` (a customer's city), so a breakdown by it
    keeps each member's rows together. Members named by a column of the rows themselves
    ("table.column") may have rows with several values of any other column."""
    if "." in entity:
        return False
    table = model.dimension(dimension).table
    return table == entity or model.graph.reachable(entity, table)


def split_members(model: SemanticModel, group_by: list[DimensionRef], conditions: tuple[MemberCondition, ...],
                  zh: bool) -> None:
    """Decline a breakdown that would split one member's rows ("by month" after "how many
    customers placed more than 3 orders")."""
    for condition in conditions:
        split = [g for g in group_by if g.name == METRIC_TIME or not _of_member(model, g.name, condition.entity)]
        if split:
            name = (split[0].grain.value if split[0].grain else "time") if split[0].name == METRIC_TIME \
                else split[0].name.replace("_", " ")
            said = f"{condition.metric} {condition.op.value} {condition.value:g}"
            raise Unanswerable(_split_reason(said, name, zh))


def _split_reason(said: str, dimension: str, zh: bool) -> str:
    if zh:
        return (f"“{said}”是对每个成员所有行的条件，而按{dimension}拆分会把同一成员的行分到几行里，"
                "所以不回答。可以不拆分，或按每个成员只有一个值的维度（如城市）拆分。")
    return (f"'{said}' is a condition on all of each member's rows, and a breakdown by {dimension} would split one "
            "member's rows over several rows, so I won't answer it that way. Ask without it, or by something each "
            "member has one of (e.g. city).")


def _defines_a_share(model: SemanticModel, condition: MetricCondition, metrics: list[str]) -> bool:
    """The condition restates the test of a share asked for ("复购率（下单2次及以上的买家占比）":
    buyers with 2 or more orders): it explains the metric, it is not one more condition."""
    metric = model.metric(condition.mention.term.target)
    if metric.type != MetricType.SIMPLE or metric.measure is None:
        return False
    for name in metrics:
        share = model.metric(name).share
        if share is not None and share.measure == metric.measure and share.op.value == condition.op.value \
                and float(share.value) == condition.number:
            return True
    return False


def _fact_tables(model: SemanticModel, metrics: list[str]) -> set[str]:
    return {m.table for name in metrics for m in model.metric_measures(name)}


def _zero_reason(zh: bool) -> str:
    if zh:
        return ("一个都没有的成员在这张表里没有行，所以“为零”的条件会得到空结果。可以同时问另一个指标，"
                "例如“各活动今年的花费和归因订单数，归因订单为零的”。")
    return ("Members with none at all have no rows to count, so a 'zero' condition alone comes back empty. Ask it "
            "beside a number they do have, e.g. 'campaigns with spend this year but zero attributed orders'.")


def _split_by_other(group_by: list[DimensionRef]) -> bool:
    return any(g.name != METRIC_TIME for g in group_by)


def _compares(match: re.Match[str]) -> bool:
    """A comparison word before the number or a bound after it: a bare number is no condition."""
    return any(match.group(name) for name in (*(op.name for op, _ in _OPS), "post_ge", "post_le"))


def _condition(mention: Mention, match: re.Match[str], start: int, end: int, text: str) -> MetricCondition:
    groups = match.groupdict()
    if groups.get("zero"):  # "zero attributed orders": none at all
        return MetricCondition(mention=mention, op=FilterOp.LE, number=0.0, percent=False, money=False,
                               counted=False, said=text[start:end].strip(), start=start, end=end)
    op = next((op for op, _ in _OPS if groups.get(op.name)), None)
    if op is None:
        op = FilterOp.GE if groups.get("post_ge") else FilterOp.LE
    elif groups.get("post_ge") and op == FilterOp.GT:
        op = FilterOp.GE  # "超过100万以上": the bound is in
    number = float(groups["number"].replace(",", ""))
    scale = (groups.get("scale") or "").lower()
    unit = (groups.get("unit") or "").lower()
    return MetricCondition(
        mention=mention, op=op, number=number * _SCALES.get(scale, 1.0), percent=scale == "%",
        money=bool(groups.get("currency")) or unit in _MONEY_UNITS, counted=bool(unit) and unit not in _MONEY_UNITS,
        said=text[start:end].strip(), start=start, end=end,
    )


def _in_metric_unit(condition: MetricCondition, fmt: MetricFormat) -> float | None:
    """The threshold in the metric's unit, or None when the words name another unit ("¥500"
    for a count of orders: a condition on single orders' value, not on the count)."""
    if condition.money and fmt != MetricFormat.CURRENCY:
        return None
    if condition.percent and fmt != MetricFormat.PERCENT:
        return None
    if condition.counted and fmt != MetricFormat.NUMBER:
        return None
    if fmt == MetricFormat.PERCENT and not condition.percent and condition.number > 1:
        return condition.number / 100  # "conversion rate above 2": 2%, said in a note
    return condition.number


def _members(reading: Reading, condition: MetricCondition) -> Mention | None:
    """The dimension whose members the condition keeps: the nearest thing named before the
    phrase ("campaigns with ROAS below 1"; a metric it is ranked by is passed over: "top 3
    campaigns by revenue with ROAS above 2") or right after it ("ROAS低于1的活动", "conversion
    rate above 2% by campaign"). None when that nearest thing is not a dimension: "customers
    with more than 5 orders" keeps customers, which no dimension lists."""
    others = sorted((m for m in [*reading.metrics, *reading.dimensions] if m is not condition.mention),
                    key=lambda m: m.start)
    for mention in reversed([m for m in others if m.end <= condition.start]):
        if mention in reading.metrics and (_RANKED_BY.search(reading.text[:mention.start])
                                           or mention.surface in _VERBS_EN or _VERB_ZH.fullmatch(mention.surface)):
            continue  # "by revenue", "have sold": a ranking or a verb, not whose rows are kept
        if mention in reading.dimensions:
            return mention
        break
    after = next((m for m in others if m.start >= condition.end), None)
    if after is not None and after in reading.dimensions and _LINK.fullmatch(reading.text[condition.end:after.start]):
        return after
    return None


_VERBS_EN = VERBS_EN | {"spent", "bought", "earned", "paid", "made"}
_VERB_ZH = re.compile(r"[卖花买]了?|卖出|花费了|购买了?")
_RANKED_BY = re.compile(r"(?:\bby|\bin terms of|按)\s?$")
_LINK = re.compile(r"\s?(?:的|by|per|for each|for every|across|among|按)?\s?")


_ACROSS = re.compile(r"\b(?:average|avg|mean|total|overall|combined|altogether|in total|sum of)\b|平均|合计|总共|一共|加起来|总和")


def _across_members(reading: Reading) -> str | None:
    """An average or total over the members that meet the condition ("average ROAS of
    campaigns with more than 1,000 clicks"): one number over several rows, which a condition
    per row cannot give. Words inside a metric's own name ("average order value") don't count."""
    for match in _ACROSS.finditer(reading.text):
        if not any(m.start <= match.start() < m.end for m in reading.metrics):
            return match.group()
    return None


def _across_reason(word: str, said: str, zh: bool) -> str:
    if zh:
        return (f"我可以列出满足“{said}”的每一行及其数字，但还不能把它们再合成一个“{word}”。"
                "可以先问每一行，例如“点击超过1000的活动的ROAS”。")
    return (f"I can list each row that meets '{said}' with its numbers, but not combine them into one {word} yet. "
            "Ask for the rows, e.g. 'ROAS by campaign for campaigns with more than 1000 clicks'.")


def _unbound_reason(said: str, zh: bool) -> str:
    if zh:
        return (f"我只能把“{said}”这样的条件用在拆分的每一行上（例如“ROAS低于1的活动”）；这里它筛选的不是拆分的成员，"
                "去掉它数字会偏大，所以不回答。")
    return (f"I can only apply a condition like '{said}' to each row of a breakdown (e.g. 'campaigns with ROAS "
            "below 1'); here it would filter something else, and without it the number would cover more than you "
            "asked, so I won't answer.")


def _claim(taken: list[bool], start: int, end: int) -> None:
    for i in range(start, min(end, len(taken))):
        taken[i] = True
