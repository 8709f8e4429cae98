"""First-time and returning buyers: "first-time buyers last month", "new vs returning
customers", "首次购买的客户", "第一次下单的客户", "老客", "新老客".

A buyer is first-time in a period when their first order ever falls in it, returning when
they had one before it (``QuerySpec.first_time``). Read here as what the question says; the
assembler names the model's tables for it (its roles: the customers, and the orders whose
first one counts). "New customers" stays the model's own word (signups): only buying words
say first purchase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from genbi.assistant.planner.vocabulary import counts_rows_of
from genbi.screened import ScreenedGroup
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import FirstTime

Keep = Literal["first", "returning", "split"]

_PEOPLE_EN = r"(?:buyers?|customers?|shoppers?|purchasers?|clients?|users?|members?|people)"
_PEOPLE_ZH = r"(?:客户|顾客|用户|买家|消费者|会员|人)"
_FIRST_EN = r"(?:first[- ]?time|1st[- ]time)"
_NEW_BUYERS_EN = r"new (?:buyers?|purchasers?|shoppers?)"
_RETURNING_EN = r"(?:returning|existing|repeat(?:ing)? purchase)"

_SPLIT = re.compile(
    rf"\b(?:{_FIRST_EN}|new)(?:\s{_PEOPLE_EN})?\s?(?:vs\.?|versus|and|or|against|compared (?:to|with)|/)\s?"
    rf"(?:{_RETURNING_EN}|returning)(?:\s{_PEOPLE_EN})?\b"
    rf"|\b{_RETURNING_EN}(?:\s{_PEOPLE_EN})?\s?(?:vs\.?|versus|and|or|against|compared (?:to|with)|/)\s?"
    rf"(?:{_FIRST_EN}|new)(?:\s{_PEOPLE_EN})?\b"
    rf"|新老(?:客户?|顾客|用户|买家|会员|消费者)?|新客(?:户)?(?:和|与|跟|及|vs|对比|、|/)老客(?:户)?|老客(?:户)?(?:和|与|跟|及|vs|对比|、|/)新客(?:户)?"
    rf"|首(?:次购买|购|单)(?:{_PEOPLE_ZH})?(?:和|与|跟|及|vs|对比|、|/)(?:老客|回头客|复购{_PEOPLE_ZH})(?:户)?"
)
_FIRST = re.compile(
    rf"\b{_FIRST_EN}\s(?P<who>{_PEOPLE_EN})\b|\b(?P<who2>{_NEW_BUYERS_EN})\b"
    rf"|\b(?P<who3>{_PEOPLE_EN})\s(?:who|that)\s(?:bought|ordered|purchased|shopped)\s(?:from us\s)?"
    rf"(?:for the first time|for their first time)\b"
    rf"|(?:首次|第1次|头1次)(?:购买|下单|消费|买|购物)(?:过)?(?:的)?(?P<zh>{_PEOPLE_ZH})?|首购(?P<zh2>{_PEOPLE_ZH})?"
    rf"|首单(?P<zh3>{_PEOPLE_ZH})|新买家|新增的?(?:买家|(?:购买|下单|付费)(?:的)?(?:用户|客户|顾客|人数))"
)
_RATE_AFTER = r"(?!\s?(?:rate|ratio|share|percentage|%|比例|率|占比))"
""""returning buyer rate", "回头客比例": the model's repeat purchase rate, a metric of its own."""
_RETURNING = re.compile(
    rf"\b(?:returning|existing)\s(?P<who>buyers?|customers?|shoppers?|purchasers?|clients?)\b{_RATE_AFTER}"
    rf"|\b(?P<who2>{_PEOPLE_EN})\s(?:who|that)\s(?:(?:had|have)\s)?(?:already\s)?(?:bought|ordered|purchased)\s(?:from us\s)?"
    rf"(?:before|previously)\b"
    rf"|老(?:客户|顾客|买家|客)|回头客{_RATE_AFTER}"
)


_READERS: tuple[tuple[re.Pattern[str], Keep], ...] = ((_SPLIT, "split"), (_FIRST, "first"), (_RETURNING, "returning"))
_GROUP = ScreenedGroup([pattern for pattern, _ in _READERS])
"""Which of the readers' patterns may match a text, in one look (``genbi.screened``)."""


@dataclass(frozen=True)
class FirstTimeMention:
    start: int
    end: int
    keep: Keep
    people: bool
    """The words name the people themselves ("first-time buyers"), so counting them is buyers."""


def find_first_time(text: str, taken: list[bool]) -> FirstTimeMention | None:
    """The first-time / returning words outside what other readers took: the first said, with
    the same meaning said again ("returning customers (people who had bought before 2025)")
    taken with it; two meanings said apart are the split."""
    found: list[tuple[int, int, Keep, bool]] = []
    candidates = _GROUP.candidates(text)
    if not candidates:
        return None  # none of their words: most questions
    free = [not t for t in taken]
    for index in candidates:
        pattern, said = _READERS[index]
        for match in pattern.finditer(text):
            if not all(free[match.start():match.end()]):
                continue
            free[match.start():match.end()] = [False] * (match.end() - match.start())
            groups = match.groupdict()
            people = said != "first" or any(groups.values()) or match.group().endswith("买家")
            found.append((match.start(), match.end(), said, bool(people)))
    if not found:
        return None
    keeps = {k for _, _, k, _ in found}
    keep: Keep = next(iter(keeps)) if len(keeps) == 1 else "split"
    return FirstTimeMention(min(f[0] for f in found), max(f[1] for f in found), keep, any(f[3] for f in found))


def first_time_spec(model: SemanticModel, keep: Keep) -> FirstTime | None:
    """The model's customers and its count of orders (the first of which counts), by role."""
    entity, orders = model.roles.get("customer_entity"), model.roles.get("order_entity")
    if entity is None or orders is None:
        return None
    counted = next((m.name for m in model.metrics if counts_rows_of(model, m.name, orders)), None)
    return FirstTime(entity=entity, metric=counted, keep=keep) if counted else None


def buyers_metric(model: SemanticModel) -> str | None:
    """The model's count of distinct customers on the orders table ("buyers"), by role."""
    link = model.roles.get("order_customer")
    if link is None:
        return None
    table, _, column = link.partition(".")
    for metric in model.metrics:
        if metric.type.value != "simple" or metric.measure is None:
            continue
        measure = model.measure(metric.measure)
        if measure.table == table and measure.agg.value == "count_distinct" and measure.filter is None \
                and measure.expr.strip().removeprefix(f"{table}.") == column:
            return metric.name
    return None
