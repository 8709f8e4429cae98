"""Words of the model a plan did not use: a breakdown or member named, then left out.

Every metric, dimension and value the reading found is a word the question said. A
dimension or value that the final spec neither splits by nor filters on (nor counts its
members by) was dropped by the reading: "weekly orders and city tier" answered orders by
week alone, "orders in Q3, only new customers" every order. Answered, it is another
question's number under the asked words; so the planner declines and names the word.

What a question says about a dimension without asking for it is not dropped: the noun after
a member ("tier 1 cities", "search campaigns"), a noun in the metric's own words ("units of
product", "campaign conversion rate"), the thing a negation or "with" is about ("orders
without any campaign": a yes/no filter), the rows of a table as such ("spend from
campaigns"), the first word of a compound ("产品品类").

A metric word may be left out too when it only says whose rows are meant ("Shanghai
customers' revenue"); but a count of some of the people ("new customers") said that way
names a subset the rows were not limited to ("orders in Q3, only new customers").
"""

from __future__ import annotations

from datetime import date

from genbi.assistant.planner.breakdowns import absence_flag
from genbi.assistant.planner.metric_reading import (
    follows_value,
    joining_dimension,
    keyed_entity,
    names_a_subset,
)
from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.tool_intents import ToolIntent
from genbi.assistant.planner.vocabulary import TermKind
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import Filter, FilterOp, QuerySpec


def unused_mentions(reading: Reading, spec: QuerySpec, model: SemanticModel) -> list[Mention]:
    """Dimension and value mentions of ``reading`` that ``spec`` does not use, in question order."""
    used = _used_dimensions(spec)
    dropped = [m for m in reading.dimensions if not _dimension_used(reading, m, used, model)]
    dropped += [v for v in reading.values if not _value_used(v, used, spec, model)]
    dropped += [m for m in reading.metrics if _dropped_people(m, spec, model)]
    return sorted(dropped, key=lambda m: m.start)


def names_the_tool(mention: Mention, intent: ToolIntent) -> bool:
    """The word named a tool ("segments: orders by channel"): when the tool cannot run on the
    model, the metric question its other words ask is answered without it."""
    start, end = intent.span
    return (start < mention.end and mention.start < end) or normalize(mention.surface) in intent.matched


def unused_reason(mentions: list[Mention], spec: QuerySpec, model: SemanticModel, zh: bool) -> str:
    """Why the question is declined: the words left out, and how to ask with them used."""
    metric = model.metric(spec.metrics[0])
    said = "、".join(f"“{m.surface}”" for m in mentions) if zh else ", ".join(f"'{m.surface}'" for m in mentions)
    first = mentions[0]
    if first.term.kind == TermKind.METRIC:  # "only new customers"
        who = model.metric(first.term.target)
        if joining_dimension(model, first.term.target, list(spec.metrics)) is not None:
            if zh:  # limited to those who joined in the period: there is no one period
                return (f"{said}是在问题所说的时期内注册的客户；请只说一个时期，例如“上个月{who.label_zh or who.label}的"
                        f"{metric.label_zh or metric.label}”。")
            return (f"{said} are the customers who signed up in the question's period; name one period, e.g. "
                    f"'{metric.label.lower()} from {first.surface} last month'.")
        if zh:
            return (f"问题里的{said}没有用上：模型不能把{metric.label_zh or metric.label}限定在"
                    f"{who.label_zh or who.label}上（{who.label_zh or who.label}按自己的日期计数）。"
                    f"可以并排看两者，例如“{who.label_zh or who.label}和{metric.label_zh or metric.label}”。")
        return (f"I couldn't use {said}: the model can't limit {metric.label.lower()} to {who.label.lower()} "
                f"(it counts {who.label.lower()} on their own date). Ask for both side by side, e.g. "
                f"'{who.label.lower()} and {metric.label.lower()}'.")
    if first.term.kind == TermKind.DIMENSION:
        label = model.dimension(first.term.target)
        example = (f"按{label.label_zh or label.label}看{metric.label_zh or metric.label}" if zh
                   else f"{metric.label.lower()} by {label.label.lower()}")
    else:
        example = f"只看{first.surface}的{metric.label_zh or metric.label}" if zh \
            else f"{metric.label.lower()} for {first.surface}"
    if zh:
        return f"问题里的{said}没有用上，忽略它会回答另一个问题。请说成拆分或筛选，例如“{example}”。"
    return (f"I couldn't use {said} in how I read the question, and leaving it out would answer a different "
            f"question. Say it as a breakdown or a filter, e.g. '{example}'.")


def _used_dimensions(spec: QuerySpec) -> set[str]:
    filters: list[Filter] = [*spec.filters, *spec.share_rows]
    for condition in spec.member_conditions:
        filters += condition.filters
    used = {g.name for g in spec.group_by} | {f.dimension for f in filters}
    used |= {c.entity for c in spec.member_conditions}
    return used


def _dimension_used(reading: Reading, mention: Mention, used: set[str], model: SemanticModel) -> bool:
    name = mention.term.target
    if name in used or mention.suppressed or mention.negated:
        return True
    if not model.has_dimension(name) or follows_value(reading, mention) or _in_compound(reading, mention):
        return True  # "tier 1 cities", "search campaigns": the noun a member is of
    flag = absence_flag(model, name)  # "orders that came in through campaigns": has one
    if (flag is not None and flag.dimension in used) or _names_its_table(model, mention):
        return True
    return _named_by_metric(reading, mention)


def _names_its_table(model: SemanticModel, mention: Mention) -> bool:
    """"spend from campaigns": the rows of the dimension's table as such (every spend row has
    one), not one of its attributes to split by."""
    table = model.dimension(mention.term.target).table
    return normalize(mention.surface) in {table, table.rstrip("s")}


def _in_compound(reading: Reading, mention: Mention) -> bool:
    """"产品品类": the first noun of two names of dimensions said together."""
    return any(other is not mention and 0 <= other.start - mention.end <= 1 for other in reading.dimensions)


def _named_by_metric(reading: Reading, mention: Mention) -> bool:
    """A noun right next to a metric that counts or measures it ("多少件商品", "units of
    product"): the metric's own object, with nothing to split or filter."""
    for metric in reading.metrics:
        gap = reading.text[metric.end:mention.start] if metric.end <= mention.start \
            else reading.text[mention.end:metric.start]
        if len(gap) <= 4 and gap.strip() in {"", "的", "of", "个", "件"}:
            return True
    return False


def _value_used(value: Mention, used: set[str], spec: QuerySpec, model: SemanticModel) -> bool:
    """A member is used by a filter or breakdown on its dimension, or by a metric defined on it
    ("conversion from visit to purchase": the funnel steps' own sessions)."""
    name = value.term.target
    if name in used or not model.has_dimension(name):
        return True
    member = f"'{value.term.value}'"
    return any(member in (m.filter or "") for metric in spec.metrics for m in model.metric_measures(metric))


def limited_to_joiners(reading: Reading, spec: QuerySpec, model: SemanticModel, as_of: date,
                       zh: bool) -> tuple[QuerySpec, str] | None:
    """"revenue from new customers last month", "orders in Q3, only new customers": the spec
    limited to the customers who signed up in its own period (those "new customers" counts
    then), with a note saying so; None when no such count was left out, or the spec has no
    one closed period to join in (then the count stays unused, and the question declines)."""
    joiners = [m for m in reading.metrics if _dropped_people(m, spec, model)]
    dimension = next((d for m in joiners if (d := joining_dimension(model, m.term.target, list(spec.metrics)))), None)
    if dimension is None or spec.time_range is None or spec.periods or any(f.dimension == dimension for f in spec.filters):
        return None
    first, last = spec.time_range.resolve(as_of)
    if first is None or last is None:
        return None
    joined = Filter(dimension=dimension, op=FilterOp.BETWEEN, values=(first, last))
    who = model.metric(joiners[0].term.target)
    label = model.dimension(dimension)
    note = (f"“{joiners[0].surface}”：{first}至{last}期间{label.label_zh or label.label}在内的客户（即这段时间的"
            f"{who.label_zh or who.label}）。" if zh
            else f"'{joiners[0].surface}': the customers whose {label.label.lower()} is in the same period "
                 f"({first} to {last}), those {who.label.lower()} counts.")
    return spec.model_copy(update={"filters": (*spec.filters, joined)}), note


def _dropped_people(mention: Mention, spec: QuerySpec, model: SemanticModel) -> bool:
    """A count of some of the people ("new customers") that the spec neither computes, nor is
    made of, nor reads as first-time members ("新客（今年第一次下单的客户）"), nor is limited to
    (the customers who joined in its period)."""
    name = mention.term.target
    if name in spec.metrics or spec.first_time is not None:
        return False
    joined = joining_dimension(model, name, list(spec.metrics))
    if joined is not None and any(f.dimension == joined for f in spec.filters):
        return False
    own = {m.name for m in model.metric_measures(name)}
    if any(own & {m.name for m in model.metric_measures(metric)} for metric in spec.metrics):
        return False  # "ad spend per new customer": a part of the ratio asked
    tables = {m.table for m in model.metric_measures(name)}
    if any(keyed_entity(model, metric) in tables for metric in spec.metrics):
        return False  # "tickets by category": the tickets counted on their lines, the same rows
    return names_a_subset(model, name, list(spec.metrics))
