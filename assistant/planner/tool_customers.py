"""Who a per-customer tool is for, said in the question: its ``where`` setting.

"Churn risk for VIP customers", "RFM for female customers over 30 in Shanghai", "去年注册的客户
的CLV": the conditions are attributes of the people themselves (a yes/no tag, a value or a
number compared on the customer table, the period they signed up in), which a per-customer
tool takes as ``where`` (``genbi.tools.customer_where``) and the semantic layer turns into the
same WHERE a count of those customers compiles to. Conditions on anything else (orders on
Tmall, a campaign) are not who the customers are and stay notes (``tool_conditions``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from genbi.assistant.planner.counted_values import said_as_split
from genbi.assistant.planner.cues import BUYER_PHRASES
from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import FilterOp
from genbi.tools.base import ToolSpec
from genbi.tools.customer_where import CONDITIONS

_OPS = {FilterOp.GT: ">", FilterOp.GE: ">=", FilterOp.LT: "<", FilterOp.LE: "<=", FilterOp.EQ: "="}


def customers_setting(spec: ToolSpec[Any]) -> str | None:
    """The setting a tool takes the question's customers in: ``where`` (the tool reports on
    them) or ``seed_where`` (lookalikes of them); None when it takes none."""
    return next((name for name, field in spec.args_model.model_fields.items()
                 if CONDITIONS in (field.description or "")), None)


def with_customers(arguments: dict[str, Any], spec: ToolSpec[Any], who: str) -> dict[str, Any]:
    """The tool's arguments with the question's customers (``customer_where``) in its setting:
    the tool limited to them, or a lookalike's seed. A seed of one attribute value stays the
    seed it always was (``seed_dimension``); a named RFM segment or cluster stays the seed, the
    conditions then noted (not two seeds at once)."""
    setting = customers_setting(spec)
    if setting is None:
        return arguments
    if setting != "seed_where":
        return {**arguments, setting: who}
    if any(arguments.get(k) is not None for k in ("seed_segment", "seed_cluster")) or \
            who == f"{arguments.get('seed_dimension')}={arguments.get('seed_value')}":
        return arguments
    return {k: v for k, v in arguments.items() if k not in ("seed_dimension", "seed_value")} | {setting: who}


def _bought(said: Any, model: SemanticModel, people: str) -> str | None:
    """A condition on what the people bought ("orders>3") as ``where`` lists them: over a simple
    metric of one table the people reach, at least a positive number ("fewer than 2 orders"
    holds people with none, who are no buyers: left to a note)."""
    metric = said.mention.term.target
    tables = {m.table for m in model.metric_measures(metric)} if model.has_metric(metric) else set()
    if said.op not in (FilterOp.GT, FilterOp.GE, FilterOp.EQ) or said.number <= 0 or said.percent \
            or model.metric(metric).type.value != "simple" or len(tables) != 1 \
            or model.graph.path(next(iter(tables)), people) is None:
        return None
    number = int(said.number) if float(said.number).is_integer() else said.number
    return f"{metric}{_OPS[said.op]}{number}"


def customer_where(reading: Reading, spec: ToolSpec[Any], model: SemanticModel, as_of: date,
                   span: tuple[int, int], flags: frozenset[str], by: Any = None) -> str | None:
    """The ``where`` text for the people the question names, or None when it names none."""
    if customers_setting(spec) is None or "customer_entity" not in model.roles:
        return None
    people = model.role_table("customer_entity")

    bought = BUYER_PHRASES["en"] in reading.text or BUYER_PHRASES["zh"] in reading.text

    def theirs(dimension: str, *, done: bool = False) -> bool:
        """An attribute of the people, or (``done``) what they bought, said as such
        ("customers who bought on Tmall"): the semantic layer reaches it from them."""
        if not model.has_dimension(dimension) or model.dimension(dimension).pii or dimension == by:
            return False
        table = model.dimension(dimension).table
        return table == people or (done and bought and model.graph.path(table, people) is not None)

    def outside(start: int, end: int) -> bool:
        # a seed is said inside the tool's own phrase ("和上海女性客户相似的人群"): every mention counts
        return customers_setting(spec) == "seed_where" or not (span[0] < end and start < span[1])

    parts: list[str] = []
    for mention in reading.dimensions:  # "VIP customers", "non-VIP"
        target = mention.term.target
        if target in flags and theirs(target) and not said_as_split(reading, mention) and outside(mention.start, mention.end):
            parts.append(f"{target}={'false' if mention.negated else 'true'}")
    chosen: dict[tuple[str, bool], list[str]] = {}
    for value in reading.values:  # "female customers", "customers in Shanghai"
        if theirs(value.term.target, done=True) and outside(value.start, value.end):
            chosen.setdefault((value.term.target, value.negated), []).append(str(value.term.value))
    parts += [f"{target}{'!=' if negated else '='}{','.join(dict.fromkeys(values))}"
              for (target, negated), values in chosen.items()]
    for found in reading.ranges:  # "over 30", "25-34岁", "95后"
        if not theirs(found.dimension) or not outside(found.start, found.end):
            continue
        if found.op == FilterOp.BETWEEN and len(found.values) == 2:
            parts += [f"{found.dimension}>={found.values[0]}", f"{found.dimension}<={found.values[1]}"]
        elif found.op in _OPS and len(found.values) == 1:
            parts.append(f"{found.dimension}{_OPS[found.op]}{found.values[0]}")
    parts += [part for said in reading.metric_conditions  # "customers with more than 3 orders", "who spent over 1000"
              if outside(said.start, said.end) and (part := _bought(said, model, people)) is not None]
    for _, mention, start, end in reading.joined:  # "customers who joined last year"
        if mention.time_range is not None and outside(start, end):
            first, last = mention.time_range.resolve(as_of)
            parts.append(f"joined={first.isoformat() if first else ''}..{last.isoformat() if last else ''}")
            break
    return "; ".join(parts) or None
