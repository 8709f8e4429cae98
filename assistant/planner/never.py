""""Customers who haven't ordered yet": the members with no order ever (an anti-join).

Marketers ask for the people who never bought ("how many customers haven't ordered yet",
"signed up this year but never bought anything", "从没下过单的客户"). The planner read "not
ordered yet" as an unknown word and declined. A never-clause is a condition on each member:
none of the model's order count, over all time (``MemberCondition`` orders = 0, which the
compiler turns into ``NOT IN`` the members with any order). The clause is taken out of the
question, the rest is read as usual (who is counted, when they signed up, by what), and the
condition is put on the spec.

Only what that answers honestly is answered: the people themselves counted (a count of the
customers' own table), split and filtered by their own columns. A period said for the
ordering ("didn't order last month") is not "never", so a period is kept only when it is
said as when they joined ("signed up this year but never ordered"); otherwise the question
is declined, as is anything else a never-condition can't say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from genbi.assistant.planner.reading import Reading, read
from genbi.assistant.planner.vocabulary import Vocabulary
from genbi.semantic_layer.model import Aggregation, MetricType, SemanticModel
from genbi.semantic_layer.query_spec import METRIC_TIME, FilterOp, MemberCondition, QuerySpec

_BOUGHT = r"(?:ordered|bought|purchased|shopped|placed (?:an|any) orders?|made (?:a|any) purchases?|converted)"
_OBJECT = r"(?:\s(?:anything|a thing|an order|any orders?|something|from us))?"
_EVER = r"(?:\s(?:yet|ever|at all|so far|before))*"
_NOT_A_SPAN = r"(?!\s(?:in|for|since|during|over|within|lately|recently|this|last|past|before|after|until|till)\b)"
"""Not "haven't ordered in 90 days / for a while / since June": not ordering for a span is a
lapse, another question (declined as before), never "never"."""
NEVER_EN = re.compile(
    r"(?:\b(?:who|that)\s)?(?:"
    rf"\b(?:have|has|had)\s?(?:n't|n’t|not)\s(?:yet|ever)\s{_BOUGHT}{_OBJECT}{_EVER}"
    rf"|\b(?:have|has|had)\s?(?:n't|n’t|not)\s{_BOUGHT}{_OBJECT}(?:\s(?:yet|ever|at all|so far))+"
    rf"|\b(?:have|has|had)\s?(?:n't|n’t|not)\s{_BOUGHT}\s(?:anything|a thing){_EVER}"
    rf"|\b(?:have|has|had\s)?(?:never|not yet)\s(?:ever\s)?{_BOUGHT}{_OBJECT}{_EVER}"
    rf"|\b(?:did|do|does)\s?(?:n't|n’t|not)\s(?:ever\s)?(?:order|buy|purchase|shop){_OBJECT}(?:\s(?:yet|ever|at all))+"
    r"|\b(?:with|having)\s(?:no|zero)\s(?:orders?|purchases?)" + _EVER +
    r"|\bwithout\s(?:any\s)?(?:orders?|purchases?)" + _EVER +
    r")\b" + _NOT_A_SPAN,
    re.IGNORECASE,
)
NEVER_ZH = re.compile(
    r"(?<!很久)(?<!好久)(?<!最近)(?<!近期)(?<!长期)(?<!太久)(?<!一段时间)"
    r"(?:但|却|而|并且|且)?(?:从来?没有?|从未|还没有?|尚未|一直没有?|至今没有?|未曾|没有?|未)"
    r"(?:下过单|下单过|下过订单|下单|买过东西|买过任何东西|买东西|买过|购买过|购买|消费过|成交过)(?:任何东西|东西)?"
    r"|(?:没有|无|零)(?:任何)?(?:订单|购买|消费)(?:记录)?"
)
JOINED_WORDS = re.compile(r"signed up|sign-?ups?|registered|joined|new (?:customers|users|members)|注册|加入|入会|新客|新用户|新会员",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Never:
    reading: Reading
    condition: MemberCondition
    joined: bool
    """The period (if any) was said as when the members joined."""


def read_never(question: str, vocabulary: Vocabulary, model: SemanticModel, as_of: date,
               zh: bool) -> Never | None:
    """The question without its never-clause, read, and the condition it names; None when it
    has none or the model has no members and order count to say it with."""
    said = (NEVER_ZH if zh else NEVER_EN).search(question)
    found = members_and_orders(model) if said is not None else None
    if said is None or found is None:
        return None
    people, orders = found
    rest = question[:said.start()] + ("的" if zh and not question[said.end():].startswith("的") else " ") + \
        question[said.end():]
    again = read(rest, vocabulary, as_of)
    again.question = question
    again.never = said.group()
    condition = MemberCondition(entity=people, metric=orders, op=FilterOp.EQ, value=0)
    return Never(again, condition, bool(JOINED_WORDS.search(rest)))


_PEOPLE_TABLE = re.compile(r"(?:^|_)(?:customer|client|buyer|member|user|shopper|consumer|account|contact|patron)s?"
                           r"(?:_|$)")
_ORDERS_TABLE = re.compile(r"(?:^|_)(?:orders?|purchases?|invoices?|transactions?|receipts?|bookings?|sales)(?:_|$)")


def members_and_orders(model: SemanticModel) -> tuple[str, str] | None:
    """The people's table and the plain count of their orders: the model's roles, else a table of
    purchases pointing at a table of people (an app database's users and purchases, drafted with
    no order roles because its revenue leaves cancelled purchases out)."""
    if "customer_entity" in model.roles:
        orders = order_count(model)
        return (model.role_table("customer_entity"), orders) if orders is not None else None
    found = []
    for metric in model.metrics:
        if metric.type != MetricType.SIMPLE or metric.measure is None:
            continue
        measure = model.measure(metric.measure)
        table = model.table(measure.table)
        if measure.agg != Aggregation.COUNT or measure.filter or not _ORDERS_TABLE.search(table.name):
            continue
        people = {link.to for link in table.many_to_one if _PEOPLE_TABLE.search(link.to)}
        found += [(person, metric.name) for person in people]
    return found[0] if len(set(found)) == 1 else None


def order_count(model: SemanticModel) -> str | None:
    """The model's plain count of orders: a simple metric counting the order table's rows."""
    if "order_entity" not in model.roles:
        return None
    table = model.role_table("order_entity")
    for metric in model.metrics:
        if metric.type != MetricType.SIMPLE or metric.measure is None:
            continue
        measure = model.measure(metric.measure)
        if measure.table == table and measure.agg == Aggregation.COUNT and not measure.filter:
            return metric.name
    return None


def never_spec(spec: QuerySpec, never: Never, model: SemanticModel, zh: bool) -> QuerySpec | str:
    """``spec`` with the never-condition, or why it can't be asked that way. A filter on what
    was bought ("never bought skincare", "never ordered on tmall") is the condition's own:
    no order of that kind, ever; the customers' own columns stay the spec's filters."""
    people = never.condition.entity
    counts_people = all(set(model.measure_tables(m)) == {people} for m in spec.metrics)
    theirs = [f for f in spec.filters if _of(model, f.dimension, people)]
    bought = [f for f in spec.filters if f not in theirs]
    orders_table = model.measure(model.metric(never.condition.metric).measure or "").table
    reach = all(f.dimension != METRIC_TIME and model.has_dimension(f.dimension) and (
        model.graph.reachable(orders_table, model.dimension(f.dimension).table)
        or model.graph.bridge(orders_table, model.dimension(f.dimension).table, model.table_names) is not None)
        for f in bought)
    own = reach and all(g.name == METRIC_TIME or _of(model, g.name, people) for g in spec.group_by)
    dated = spec.time_range is not None or bool(spec.periods)
    if not counts_people or not own or spec.member_conditions or spec.first_time is not None or spec.having:
        return ("“从没下过单”的客户只能按客户自己的属性来数（例如城市、注册时间），不能再算他们的订单或销售额。" if zh
                else "People who never ordered have no orders to add up: I can count them, split or filtered by "
                     "their own details (city, signup date), e.g. 'customers who never ordered by city'.")
    if dated and not never.joined:
        return ("“从没下过单”是指从来没有下过单；如果是指某段时间内没下单，我还算不了。可以问“从没下过单的客户数”，"
                "或“今年注册但从没下过单的客户数”。" if zh
                else "'Never ordered' is over all time; people who didn't order in a given period are another "
                     "question, which I can't answer yet. Ask 'customers who never ordered', or 'customers who "
                     "signed up this year and never ordered'.")
    condition = never.condition.model_copy(update={"filters": tuple(bought)})
    return spec.model_copy(update={"filters": tuple(theirs), "member_conditions": (condition,)})


def _of(model: SemanticModel, dimension: str, people: str) -> bool:
    """A column of the customers' own table."""
    return dimension != METRIC_TIME and model.has_dimension(dimension) and model.dimension(dimension).table == people
