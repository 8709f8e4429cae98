""""A per B" where the model has no ratio of A and B: never the two totals in its place.

"orders per buyer", "revenue per click by channel", "ad spend per new customer": two
metrics joined by "per" ask for one number, their ratio. When the model defines it,
``metric_reading.compose_ratios`` answers with it. When a metric is swapped for a reachable
one first ("what did platinum members spend per order": ad spend can't be split by
loyalty tier, so the members' spending is revenue), the ratio of the swapped pair is tried
again (revenue per order is average order value). Otherwise the question is declined with
both metrics named: two columns of totals, or one of them alone, would answer a different
question without a word.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.assistant.planner.vocabulary import average_twin, counts_rows_of
from genbi.semantic_layer.model import MetricType, SemanticModel

_BETWEEN_EN = re.compile(r"^\s?(?:(?:the )?(?:more|less|most|least|higher|lower|highest|lowest) )?"
                         r"(?:per|for each|for every|divided by|/)\s?(?:a |an |each |every |one |single )?$")
""""orders per buyer"; "who spends more per order": a comparative between is the ranking's, not a third word."""
_BEFORE_ZH = re.compile(r"(?:每一?[个位笔次单]?|平均每一?[个位笔次]?|人均)\s?$")
_BETWEEN_ZH = re.compile(r"^(?:\s|的|平均|带来|贡献|产生|多少|有|下了?|花了?|买了?|购买了?|/)*$")
""""每个买家平均下了几单", "每个买家平均买了几单": the verb between the two is no third word."""


_EACH_BETWEEN_EN = re.compile(r"^\s(?:(?:does|do|did|will|would|has|have|had|is|are|was|were)\s)?"
                              r"(?:each|every|a single|per)\s$")
_EACH_BEFORE_EN = re.compile(r"\b(?:each|every|a single)\s$")
_OWN_EN = re.compile(r"^(?:'s?)?\s?$")
""""how many orders does each customer place", "each customer's orders": the count after
"each" is the unit; read as two metrics the per was dropped and all orders answered."""


@dataclass(frozen=True)
class PerPair:
    """Metric names: the amount and the unit it is asked per."""

    amount: str
    unit: str


def per_pairs(reading: Reading) -> list[PerPair]:
    """Adjacent metric mentions joined only by a "per" word."""
    mentions = sorted(reading.metrics, key=lambda m: m.start)
    found = []
    for first, second in itertools.pairwise(mentions):
        if first.term.target == second.term.target:
            continue
        between = reading.text[first.end:second.start]
        if _BETWEEN_EN.match(between) or between.strip() == "/":
            found.append(PerPair(first.term.target, second.term.target))
        elif reading.language != "zh" and _EACH_BETWEEN_EN.match(between):
            found.append(PerPair(first.term.target, second.term.target))  # "orders does each customer place"
        elif reading.language != "zh" and _EACH_BEFORE_EN.search(reading.text[:first.start]) \
                and _OWN_EN.match(between):
            found.append(PerPair(second.term.target, first.term.target))  # "each customer's orders"
        elif reading.language == "zh" and _BEFORE_ZH.search(reading.text[:first.start]) and _BETWEEN_ZH.match(between):
            found.append(PerPair(second.term.target, first.term.target))  # "每个买家的订单数": orders per buyer
    return found


_PER_BEFORE_EN = re.compile(r"(?:\bper|\bfor each|\bfor every|\bdivided by|/)\s?(?:a |an |each |every |one |single )?$")


def unit_without_amount(reading: Reading) -> tuple[str, str, str] | None:
    """"number of logins per user", "how much per customer": a metric said only as the unit
    of a "per" (nothing before the "per" is a metric) asks for something per that unit, not
    for the unit's own count; answered, the count of users (800) stood in for logins per
    user. What was said per the unit, the unit as said, and its metric's name; or None."""
    if reading.language == "zh":
        return None
    mentions = sorted(reading.metrics, key=lambda m: m.start)
    for index, mention in enumerate(mentions):
        before = reading.text[:mention.start]
        per = _PER_BEFORE_EN.search(before)
        if per is None:
            continue
        if index > 0 and _BETWEEN_EN.match(reading.text[mentions[index - 1].end:mention.start]):
            continue  # "orders per buyer": a pair
        head = before[:per.start()].rstrip()
        named = [m for m in (*reading.values, *reading.dimensions) if m.end == len(head)]
        said = named[0].surface if named else (head.split() or ["it"])[-1]
        return said, mention.surface, mention.term.target
    return None


def no_amount_reason(model: SemanticModel, said: str, unit_said: str, unit: str) -> str:
    label = model.metric(unit).label.lower()
    return (f"'{said} per {unit_said}' asks for a number per {unit_said}, and the model has no such ratio; "
            f"I won't show {label} alone in its place. Ask for '{said}' and '{label}' side by side, "
            "or add the ratio to the semantic model.")


def settle_per_pairs(model: SemanticModel, pairs: list[PerPair], metrics: list[str], swaps: dict[str, str],
                     zh: bool, notes: list[str] | None = None) -> list[str]:
    """``metrics`` with each pair still standing (after ``swaps``, metric → the reachable one
    shown instead) replaced by the model's ratio of the pair; declines a pair it has none for."""
    out = list(metrics)
    for pair in pairs:
        amount, unit = swaps.get(pair.amount, pair.amount), swaps.get(pair.unit, pair.unit)
        if amount == unit or not ({amount, unit} & set(out)):
            continue  # composed already ("revenue per buyer"), or neither is asked any more
        ratio = (ratio_of(model, amount, unit, directed=True) or _already_per(model, amount, unit)
                 or _average_per_row(model, amount, unit))
        if ratio is None and (ratio := _per_their_people(model, amount, unit)) is not None and notes is not None:
            said, per = model.metric(unit), model.metric(ratio)
            notes.append(f"理解为“{per.label_zh or per.label}”：只算这段时间里下过单的人。" if zh
                         else f"Read as {per.label.lower()}: only the {said.label.lower()} with orders in the period "
                              "count.")
        if ratio is None:
            raise Unanswerable(_no_ratio(model, amount, unit, zh))
        out = list(dict.fromkeys(ratio if m in (amount, unit) else m for m in out))
    return out


def ratios_said(model: SemanticModel, pairs: list[PerPair], metrics: list[str]) -> list[str]:
    """``metrics`` as the pairs will be answered (their ratios), for choosing what a breakdown
    word means before the pairs are settled; the metrics as they are when a pair has no ratio."""
    try:
        return settle_per_pairs(model, pairs, metrics, {}, zh=False)
    except Unanswerable:
        return metrics


def ratio_of(model: SemanticModel, a: str, b: str, *, directed: bool = False) -> str | None:
    """The model's ratio metric over the measures of simple metrics ``a`` and ``b``;
    ``directed``: ``a`` over ``b`` only ("orders with a discount" is no discount per order)."""
    first, second = model.metric(a), model.metric(b)
    if first.type != MetricType.SIMPLE or second.type != MetricType.SIMPLE:
        return None
    pair = {first.measure, second.measure}
    for candidate in model.metrics:
        if candidate.type != MetricType.RATIO or {candidate.numerator, candidate.denominator} != pair:
            continue
        if not directed or (candidate.numerator, candidate.denominator) == (first.measure, second.measure):
            return candidate.name
    return None


def _already_per(model: SemanticModel, amount: str, unit: str) -> str | None:
    """"average sales per transaction" where "average sales" already named the ratio per
    invoice: the amount is a ratio whose denominator is the unit's own measure."""
    first, second = model.metric(amount), model.metric(unit)
    if first.type == MetricType.RATIO and second.type == MetricType.SIMPLE and first.denominator == second.measure:
        return amount
    measures = model.metric_measures(amount)  # "average sale" already the average of each row's amount
    if first.type == MetricType.SIMPLE and len(measures) == 1 and measures[0].agg.value == "avg" \
            and counts_rows_of(model, unit, measures[0].table):
        return amount
    return None


def _per_their_people(model: SemanticModel, amount: str, unit: str) -> str | None:
    """"revenue per user", "orders per member": an amount per person of a people table is the
    model's ratio of the amount to the distinct people of the amount's own rows (revenue per
    buyer), as the model itself reads "revenue per customer"; the interpretation names that
    ratio, so who is counted is said. Only a distinct count of the key the amount's table
    references the people table by: never a count of some other column."""
    first, second = model.metric(amount), model.metric(unit)
    if first.type != MetricType.SIMPLE or second.type != MetricType.SIMPLE:
        return None
    numerator, people = model.measure(first.measure), model.measure(second.measure)
    if not counts_rows_of(model, unit, people.table):
        return None
    keys = {r.column for r in model.table(numerator.table).many_to_one if r.to == people.table}
    for candidate in model.metrics:
        if candidate.type != MetricType.RATIO or candidate.numerator != numerator.name:
            continue
        per = model.measure(str(candidate.denominator))
        if per.table == numerator.table and per.agg.value == "count_distinct" and per.expr in keys and not per.filter:
            return candidate.name
    return None


def _average_per_row(model: SemanticModel, amount: str, unit: str) -> str | None:
    """"average sales per transaction": a summed amount per row of its own table is that
    amount's average, when the model has the average of the same column (a drafted twin)."""
    measures = model.metric_measures(amount)
    if len(measures) != 1 or not counts_rows_of(model, unit, measures[0].table):
        return None
    return average_twin(model, amount)


def _no_ratio(model: SemanticModel, amount: str, unit: str, zh: bool) -> str:
    a, b = model.metric(amount), model.metric(unit)
    if zh:
        la, lb = a.label_zh or a.label, b.label_zh or b.label
        return (f"模型里没有“{la}/{lb}”这个比率指标，我不会拿两个总数代替它。"
                f"可以并排看两者，例如“{la}和{lb}”，或在语义层里加上这个比率。")
    return (f"The model has no ratio of {a.label} to {b.label}, and I won't show the two totals in its place. "
            f"Ask for both side by side, e.g. '{a.label.lower()} and {b.label.lower()}', "
            f"or add that ratio to the semantic model.")
