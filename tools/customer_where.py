"""Which customers a tool runs on: the ``where`` setting of the per-customer tools.

"Churn risk for VIP customers", "RFM for customers over 30", "CLV of customers who joined
last year": the tool scores everyone as usual (its model and its scores stay those of the
whole base, so a VIP's RFM score means the same as anyone's), then reports only the
customers ``where`` names. Who they are is decided by the semantic layer, not here: the
conditions become a count of the customer table ("how many VIP customers who joined last
year") and its WHERE lists the members (``compile_members``), so the tool and a metric
question asked the same way always agree on who is in.

The setting is text a marketer, the CLI and an LLM can all write::

    is_vip=true; age>30; gender=female,male; city!=Shanghai; joined=2024-01-01..2024-12-31

Each part is a model dimension, an operator and a value (several after ``=`` / ``!=``), or
``joined=START..END``: the customers who signed up in that period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .audience_sql import PLACEHOLDER, AudienceSQL
from .base import ToolError
from .roles import RoleSource

CONDITIONS = ("by the semantic model's customer dimensions: e.g. 'is_vip=true; age>30; gender=female; "
              "city!=Shanghai; joined=2024-01-01..2024-12-31' (joined: signed up in that period).")
"""In every customer-condition setting's description (how the planner knows a tool takes one)."""
WHERE_CONDITIONS = "Only these customers, " + CONDITIONS
"""The start of every ``where`` setting's description."""
WHERE_HELP = WHERE_CONDITIONS + " Scores stay relative to every customer; the result lists only these."

WHO_IN = f"WHERE customer_id IN (SELECT customer_id FROM {PLACEHOLDER})"
"""The condition a tool's SELECT over its scored customers adds for the customers ``where`` names."""

_PART = re.compile(r"^\s*(?P<name>[^<>=!]+?)\s*(?P<op>>=|<=|!=|=|>|<)\s*(?P<value>.+?)\s*$")
_JOINED = re.compile(r"^(?P<start>\d{4}-\d{2}-\d{2})?\s*\.\.\s*(?P<end>\d{4}-\d{2}-\d{2})?$")
_TRUE, _FALSE = {"true", "yes", "y", "1", "是"}, {"false", "no", "n", "0", "否"}


@dataclass(frozen=True)
class CustomerWhere:
    """The parsed setting: filters on dimensions and the signup period."""

    filters: tuple[dict[str, Any], ...]
    joined: tuple[date | None, date | None] | None = None


def parse_where(text: str) -> CustomerWhere:
    """``"is_vip=true; age>30"`` -> filters (values still text; typed against the model later)."""
    filters: list[dict[str, Any]] = []
    joined = None
    for part in re.split(r"[;；]", text):
        if not part.strip():
            continue
        found = _PART.match(part)
        if found is None:
            raise ToolError(f"The customer condition '{part.strip()}' is not 'dimension operator value'.",
                            "Write conditions like 'is_vip=true; age>30; joined=2024-01-01..2024-12-31'.")
        name, op, value = found["name"].strip().lower().replace(" ", "_"), found["op"], found["value"]
        if name in ("joined", "signed_up", "signup"):
            period = _JOINED.match(value)
            if op != "=" or period is None or not (period["start"] or period["end"]):
                raise ToolError(f"'{part.strip()}' is not a signup period.",
                                "Write it as joined=2024-01-01..2024-12-31 (either end may be left out).")
            joined = (date.fromisoformat(period["start"]) if period["start"] else None,
                      date.fromisoformat(period["end"]) if period["end"] else None)
            continue
        values = [v.strip() for v in re.split(r"[,，]", value) if v.strip()] if op in ("=", "!=") else [value.strip()]
        filters.append({"dimension": name, "op": {"=": "in", "!=": "not in"}.get(op, op), "values": values})
    if not filters and joined is None:
        raise ToolError("The customer condition is empty.", "Write conditions like 'is_vip=true; age>30'.")
    return CustomerWhere(tuple(filters), joined)


def merged_where(before: str, said: str) -> str:
    """A follow-up's customer condition on the one before ("churn risk for customers in Shanghai",
    then "and for VIP customers?": VIPs in Shanghai). A dimension said again replaces what was said
    of it ("and for Beijing?"); the others stay, as a metric question's filters do."""
    def parts(text: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for part in (p.strip() for p in re.split(r"[;；]", text) if p.strip()):
            found = _PART.match(part)
            name = found["name"].strip().lower().replace(" ", "_") if found else part
            out.setdefault("joined" if name in ("signed_up", "signup") else name, []).append(part)
        return out

    merged = parts(before) | parts(said)
    return "; ".join(part for kept in merged.values() for part in kept)


def customer_audience(source: RoleSource, text: str, as_of: date) -> AudienceSQL:
    """The customers ``text`` names, as SQL the tool embeds (``audience_sql``)."""
    from genbi.errors import GenbiError
    from genbi.semantic_layer.compiler import compile_members
    from genbi.semantic_layer.model import DimensionType, counts_rows_of
    from genbi.semantic_layer.query_spec import QuerySpec

    where = parse_where(text)
    model = source.model
    if model is None or not source.has("customer_entity"):
        raise ToolError("Limiting a tool to some customers needs a warehouse whose semantic model has a customer table.",
                        "Leave out the customer condition, or run the tool on the warehouse rather than a file.")
    table = source.table("customer_entity")
    counts = [m.name for m in model.metrics if counts_rows_of(model, m.name, table) and model.table(table).primary_key]
    if not counts:
        raise ToolError(f"The semantic model has no count of the '{table}' table to list customers with.",
                        f"Add a metric counting {table} (agg: count of its key) to the model.")
    behaviour = [f for f in where.filters if not model.has_dimension(f["dimension"]) and model.has_metric(f["dimension"])]
    if behaviour and where.filters == tuple(behaviour) and where.joined is None:
        return _behaviour_audience(source, text, behaviour, as_of)
    if behaviour:  # "VIPs with more than 3 orders": those of each kind of condition
        from .audience_sql import intersect

        rest = "; ".join(_said(f) for f in where.filters if f not in behaviour)
        joined = where.joined
        if joined is not None:
            rest += f"; joined={joined[0] or ''}..{joined[1] or ''}"
        return intersect([customer_audience(source, rest.strip("; "), as_of),
                          _behaviour_audience(source, text, behaviour, as_of)], source)
    filters = []
    for item in where.filters:
        if not model.has_dimension(item["dimension"]):
            known = sorted(d.name for d in model.dimensions if d.table == table and not d.pii)
            raise ToolError(f"Customers have no dimension '{item['dimension']}' in the semantic model.",
                            f"Use one of: {', '.join(known)}.")
        dimension = model.dimension(item["dimension"])
        values = [_typed(v, dimension.type, item["dimension"]) for v in item["values"]]
        op = item["op"]
        if dimension.type == DimensionType.BOOLEAN and op == "in" and len(values) == 1:
            op = "="
        filters.append({**item, "op": op, "values": values})
    spec: dict[str, Any] = {"metrics": [min(counts, key=lambda m: m != table)], "filters": filters}
    if where.joined is not None:
        spec["time_range"] = {"start": where.joined[0], "end": where.joined[1]}
    try:
        sql = compile_members(QuerySpec.model_validate(spec), model, dialect=source.dialect, as_of=as_of)
    except GenbiError as error:
        raise ToolError(f"The customer condition '{text}' can't be used: {error}") from None
    except ValueError as error:  # pydantic: a value of the wrong kind for its operator
        raise ToolError(f"The customer condition '{text}' is not valid ({error.errors()[0]['msg'] if hasattr(error, 'errors') else error}).") from None
    return AudienceSQL(sql.replace("{", "{{").replace("}", "}}"))


def described(model: Any, text: str) -> tuple[list[str], list[str]]:
    """The conditions in words, English and Chinese, by the model's labels ("VIP member",
    "Age > 40", "Orders > 3", "joined 2024-01-01..2024-12-31"): how an answer names its customers."""
    from genbi.semantic_layer.model import DimensionType

    en: list[str] = []
    zh: list[str] = []
    for part in (p.strip() for p in re.split(r"[;；]", text) if p.strip()):
        found = _PART.match(part)
        name = found["name"].strip().lower().replace(" ", "_") if found else ""
        if found is None or not (model.has_dimension(name) or model.has_metric(name)):
            period = found["value"] if found and name in ("joined", "signed_up", "signup") else None
            en.append(f"joined {period}" if period else part)
            zh.append(f"{period.replace('..', '至')}注册" if period else part)
            continue
        thing = model.dimension(name) if model.has_dimension(name) else model.metric(name)
        label, label_zh = thing.label or name, getattr(thing, "label_zh", None) or thing.label or name
        op, value = found["op"], found["value"]
        if model.has_dimension(name) and thing.type == DimensionType.BOOLEAN and op in ("=", "!="):
            yes = (value.lower() in _TRUE) == (op == "=")
            en.append(label if yes else f"not {label}")
            zh.append(label_zh if yes else f"非{label_zh}")
        else:
            en.append(f"{label} {op} {value}")
            zh.append(f"{label_zh}{op}{value}")
    return en, zh


def _said(item: dict[str, Any]) -> str:
    op = {"in": "=", "not in": "!="}.get(item["op"], item["op"])
    return f"{item['dimension']}{op}{','.join(str(v) for v in item['values'])}"


def _behaviour_audience(source: RoleSource, text: str, conditions: list[dict[str, Any]], as_of: date) -> AudienceSQL:
    """"orders>3; revenue>=1000": the buyers whose orders up to ``as_of`` meet each condition,
    listed by the semantic layer's member conditions (what "how many customers with more than 3
    orders" counts)."""
    from genbi.errors import GenbiError
    from genbi.semantic_layer.compiler import compile_members
    from genbi.semantic_layer.model import DimensionType
    from genbi.semantic_layer.query_spec import QuerySpec

    model = source.model
    assert model is not None
    buyers = _buyers_metric(source)
    if buyers is None:
        raise ToolError("Limiting a tool by what customers bought needs a count of distinct buyers in the semantic "
                        "model.", "Add a metric counting distinct customers of the orders table.")
    people = source.table("customer_entity")
    members = []
    for item in conditions:
        number = _typed(item["values"][0], DimensionType.NUMBER, item["dimension"]) if len(item["values"]) == 1 else None
        if item["op"] not in (">", ">=", "in") or number is None or number <= 0:
            raise ToolError(f"'{_said(item)}' can't list customers: a condition on what they bought is >, >= or = "
                            "a positive number.", f"Write e.g. {item['dimension']}>3.")
        members.append({"entity": people, "metric": item["dimension"], "op": "=" if item["op"] == "in" else item["op"],
                        "value": number})
    spec = {"metrics": [buyers], "member_conditions": members, "time_range": {"start": None, "end": as_of}}
    try:
        sql = compile_members(QuerySpec.model_validate(spec), model, dialect=source.dialect, as_of=as_of)
    except GenbiError as error:
        raise ToolError(f"The customer condition '{text}' can't be used: {error}") from None
    return AudienceSQL(sql.replace("{", "{{").replace("}", "}}"))


def _buyers_metric(source: RoleSource) -> str | None:
    """The model's count of distinct customers on the orders table, found by the order roles."""
    model = source.model
    if model is None or not source.has("order_customer"):
        return None
    link = source.column("order_customer")
    for metric in model.metrics:
        if metric.type.value != "simple" or metric.measure is None:
            continue
        measure = model.measure(metric.measure)
        if measure.table == link.table and measure.agg.value == "count_distinct" and measure.expr == link.column \
                and measure.filter is None:
            return metric.name
    return None


def _typed(value: str, kind: Any, name: str) -> Any:
    from genbi.semantic_layer.model import DimensionType

    if kind == DimensionType.BOOLEAN:
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ToolError(f"'{name}' is yes or no, not '{value}'.", f"Write {name}=true or {name}=false.")
    if kind == DimensionType.NUMBER:
        try:
            number = float(value)
        except ValueError:
            raise ToolError(f"'{name}' is a number, not '{value}'.", f"Write e.g. {name}>30.") from None
        return int(number) if number.is_integer() else number
    if kind == DimensionType.TIME:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ToolError(f"'{name}' is a date, not '{value}'.", f"Write e.g. {name}>=2024-01-01.") from None
    return value



def limited_to(source: RoleSource | None, args: Any, as_of: date) -> AudienceSQL | None:
    """The audience of a tool's ``where`` setting, or None when it has none."""
    where = getattr(args, "where", None)
    if not where:
        return None
    if getattr(args, "file", None) or source is None:
        raise ToolError("A customer condition (where) needs the warehouse: a transactions file has no customer "
                        "attributes.", "Leave out --where, or run the tool on the warehouse.")
    return customer_audience(source, where, as_of)
