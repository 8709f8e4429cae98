""""Customers who bought skincare and makeup": both, which a list of values does not say.

Two values of one column make an ``IN`` filter: a row with either. For a metric whose own rows
carry the column (product sales of skincare and makeup) that is the sum of both, as asked.
For a distinct count said as a buyer clause ("customers who bought on tmall and jd"), and for
a metric the column only reaches through a semi-join (buyers, orders: each has many order
lines, each line one category), "X and Y" is ambiguous at best and usually means the members
with both (customers who bought skincare and also makeup), which an ``IN`` filter answers as
either one: a bigger, wrong number, said with confidence. For a count of customers each value
is a condition of its own on each customer (an order of each: ``MemberCondition`` with its own
filter); anything else ("orders with skincare and makeup": one order with a line of each) the
spec cannot say, so it is declined, saying what can be asked instead. "or" keeps the union.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from genbi.assistant.planner.cues import BUYER_PHRASES
from genbi.assistant.planner.never import order_count
from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.semantic_layer.model import Aggregation, SemanticModel
from genbi.semantic_layer.query_spec import Filter, FilterOp, MemberCondition

_BUYER_CLAUSE = re.compile("|".join(re.escape(p) for p in BUYER_PHRASES.values()))
"""The members said as those who did it ("customers who bought on tmall and jd"): people who
did each, not the people of the rows of either."""

_EITHER = re.compile(r"\b(?:or|either)\b|或者|或是|或|还是|任一|任意")
"""The union said: "skincare or makeup", "护肤或彩妆" (also in between or before the values)."""
_BOTH = re.compile(r"\b(?:and|both|plus|as well as|also)\b|&|[,，、]|和|与|及|以及|跟|同时|既|又|也|都")
"""The values joined as a list ("and", a comma, "和", "同时…又…")."""


def all_of(reading: Reading, model: SemanticModel, metrics: Sequence[str], filters: Sequence[Filter],
           conditions: Sequence[MemberCondition], zh: bool) -> tuple[list[Filter], tuple[MemberCondition, ...]]:
    """``filters`` and member conditions with listed values joined by "and" read as both.

    For a count of people ("customers who bought skincare and makeup") each value becomes a
    condition of its own on each customer (at least one order with a skincare line, and at
    least one with a makeup line), so only those with both are counted; for any other metric
    that reaches the values only by a semi-join ("orders with skincare and makeup") it is
    declined, since the spec cannot say "an order with a line of each"."""
    _check_but_not(model, metrics, filters, zh)
    kept = list(filters)
    added = list(conditions)
    for spec_filter in filters:
        if spec_filter.op == FilterOp.EQ and (one := _their_money(reading, model, metrics, spec_filter)) is not None:
            kept.remove(spec_filter)  # "revenue from customers who bought skincare": all their revenue
            added += one
            continue
        if spec_filter.op != FilterOp.IN or len(spec_filter.values) < 2 or not model.has_dimension(spec_filter.dimension):
            continue
        said_both = bool(_BUYER_CLAUSE.search(reading.text)) or _explicit_both(reading, spec_filter)
        semi = [m for m in metrics if model.has_metric(m) and (not all(
            model.dimension_reachable(table, spec_filter.dimension) for table in model.measure_tables(m))
            or (_people(model, m) and said_both))]
        if not semi or not _said_as_both(reading, spec_filter):
            continue
        each = _each_bought(model, metrics, spec_filter, said_both)
        if each is None:
            raise Unanswerable(_reason(model, semi[0], spec_filter, _surfaces(reading, spec_filter), zh))
        kept.remove(spec_filter)
        added += each
    return kept, tuple(added)


_EXPLICIT_BOTH = re.compile(r"\bboth\b|同时|既")
""""buyers who used both the app and the mini program": "both" before the listed values says
each one, whatever verb the people were said with."""


def _their_money(reading: Reading, model: SemanticModel, metrics: Sequence[str],
                 spec_filter: Filter) -> list[MemberCondition] | None:
    """"revenue from customers who bought skincare": the people are said by what they bought,
    so the number is theirs (every order of theirs), as with two values ("… skincare and
    makeup"); a filter would keep only the orders with a skincare line. Only for metrics that
    reach the value through order lines (a semi-join), not ones whose rows carry it."""
    if not model.has_dimension(spec_filter.dimension) or not _BUYER_CLAUSE.search(reading.text):
        return None
    if any(_people(model, m) or all(model.dimension_reachable(t, spec_filter.dimension) for t in model.measure_tables(m))
           for m in metrics if model.has_metric(m)):
        return None
    return _each_bought(model, metrics, spec_filter, True)


def _explicit_both(reading: Reading, spec_filter: Filter) -> bool:
    said = sorted((v for v in reading.values if v.term.target == spec_filter.dimension and not v.negated),
                  key=lambda v: v.start)
    return len(said) >= 2 and bool(_EXPLICIT_BOTH.search(reading.text[max(0, said[0].start - 12):said[0].start]))


def _check_but_not(model: SemanticModel, metrics: Sequence[str], filters: Sequence[Filter], zh: bool) -> None:
    """"customers who bought makeup but not skincare": one value kept and another left out of
    the same column is, on rows, the first alone (a makeup line is never a skincare line); what
    is meant is members with the one and none of the other, which no filter says. Declined,
    rather than answering everyone who bought makeup."""
    for kept, left in itertools.permutations(filters, 2):
        if kept.dimension != left.dimension or kept.op not in (FilterOp.EQ, FilterOp.IN) \
                or left.op not in (FilterOp.NE, FilterOp.NOT_IN) or set(kept.values) & set(left.values):
            continue
        if not model.has_dimension(kept.dimension) or not any(model.has_metric(m) and (_people(model, m) or not all(
                model.dimension_reachable(table, kept.dimension) for table in model.measure_tables(m))) for m in metrics):
            continue  # "orders from tmall but not jd": each order has one channel, the "not" changes nothing
        said_kept = ", ".join(str(v) for v in kept.values)
        said_left = ", ".join(str(v) for v in left.values)
        raise Unanswerable(
            f"“有{said_kept}但没有{said_left}”是对每个成员的条件（买过前者、从没买过后者），我还算不了；"
            f"可以分别问两者，例如只问{said_kept}。" if zh else
            f"'{said_kept} but not {said_left}' is a condition on each member (some of the one, none of the "
            f"other), which I can't compute yet; on rows it would be just {said_kept}. Ask for each on its own.")


def _surfaces(reading: Reading, spec_filter: Filter) -> list[str]:
    return [v.surface for v in sorted(reading.values, key=lambda v: v.start)
            if v.term.target == spec_filter.dimension and not v.negated]


def _said_as_both(reading: Reading, spec_filter: Filter) -> bool:
    """The values listed with "and" (or a comma, "和", "同时…又…"), not with "or"."""
    said = sorted((v for v in reading.values if v.term.target == spec_filter.dimension and not v.negated),
                  key=lambda v: v.start)
    if len(said) < 2:
        return False
    between = reading.text[max(0, said[0].start - 12):said[0].start] + " ".join(
        reading.text[a.end:b.start] for a, b in itertools.pairwise(said))
    return not _EITHER.search(between) and bool(_BOTH.search(between))


def _each_bought(model: SemanticModel, metrics: Sequence[str], spec_filter: Filter,
                 buyers_said: bool) -> list[MemberCondition] | None:
    """One condition per value on each customer (an order of that value), when every metric
    counts the customers themselves (buyers, customers), or the customers were said as buyers
    ("revenue from customers who bought skincare and makeup": their revenue) and every metric's
    rows name a customer; and their orders reach the column."""
    if "customer_entity" not in model.roles or (orders := order_count(model)) is None:
        return None
    people = model.role_table("customer_entity")
    counted = all(_people(model, m) or set(model.measure_tables(m)) == {people} for m in metrics)
    theirs = buyers_said and all(model.graph.reachable(t, people) for m in metrics for t in model.measure_tables(m))
    if not (counted or theirs):
        return None
    table = model.role_table("order_entity")
    target = model.dimension(spec_filter.dimension).table
    if not model.graph.reachable(table, target) and model.graph.bridge(table, target, model.table_names) is None:
        return None
    return [MemberCondition(entity=people, metric=orders, op=FilterOp.GE, value=1,
                            filters=(Filter(dimension=spec_filter.dimension, values=(value,)),))
            for value in spec_filter.values]


def _people(model: SemanticModel, metric: str) -> bool:
    """A distinct count ("buyers"): each member counted once, however many rows of each value."""
    measures = model.metric_measures(metric)
    return len(measures) == 1 and measures[0].agg == Aggregation.COUNT_DISTINCT


def _reason(model: SemanticModel, metric: str, spec_filter: Filter, surfaces: list[str], zh: bool) -> str:
    definition = model.metric(metric)
    dimension = model.dimension(spec_filter.dimension)
    if zh:
        listed = "和".join(surfaces)
        return (f"“{listed}”可能是指同时有这几种{dimension.label_zh or dimension.label}的{definition.label_zh or definition.label}，"
                f"这个我算不了（只能算有其中任一种的）。可以问“{'或'.join(surfaces)}”（任一种），或分别问每一种。")
    listed = " and ".join(surfaces)
    return (f"'{listed}' reads as {definition.label.lower()} with both, which I can't compute: a list of "
            f"{dimension.label.lower()} values counts {definition.label.lower()} with either. Ask for "
            f"'{' or '.join(surfaces)}' (either one), or for each on its own.")
