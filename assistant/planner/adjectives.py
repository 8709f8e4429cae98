"""A person's attribute said as an adjective of a thing: "organic products", "female skincare".

A value of a column that describes the model's people (a customer's acquisition channel,
gender or loyalty tier) names that value of people. Said right before a noun that names a
thing the people table cannot describe (a product, a product category: no product has one
customer), the word is an adjective of the thing instead: "organic products" are products
that are organic, not the products bought by customers who came through the 'organic'
acquisition channel. No column says which products are organic, so the question is
declined, naming the column the word is a value of; filtering on the people column would
answer another question with a confident number (the planner did, silently).

Places are left out: "Shanghai skincare sales" are the skincare sales in Shanghai, a place
before a thing being where it was sold, which the customer's city answers.
"""

from __future__ import annotations

import re

from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.semantic_layer.model import SemanticModel

_PLACE_ROLE = re.compile(r"(?:city|city_tier|region|country|state|province|district|area|location)$")
"""Roles whose values are places: a place before a thing says where, not what the thing is."""

_PEOPLE_NOUN = re.compile(r"(?:\b(?:members?|customers?|users?|buyers?|shoppers?|people|clients?)|会员|客户|用户|顾客|买家|人群)$")
"""A value said with its own people noun ("gold members", "金卡会员") already names people: the
word after it is what they bought, not what it describes."""

_ADJACENT = re.compile(r"^[\s-]?$")
"""Nothing (Chinese) or one space or hyphen between the adjective and its noun."""


def check_attribute_adjectives(reading: Reading, model: SemanticModel, zh: bool) -> None:
    """Decline a people attribute's value said as an adjective of a thing it cannot describe."""
    if "customer_entity" not in model.roles:
        return
    people = model.role_table("customer_entity")
    nouns: list[Mention] | None = None
    for value in reading.values:
        if value.negated or not model.has_dimension(value.term.target):
            continue
        dimension = model.dimension(value.term.target)
        if dimension.table != people or (dimension.column or "") in _places(model) \
                or _PEOPLE_NOUN.search(value.surface):
            continue
        nouns = nouns if nouns is not None else sorted([*reading.dimensions, *reading.values], key=lambda m: m.start)
        noun = next((m for m in nouns if m.start >= value.end), None)
        if noun is None or not _ADJACENT.match(reading.text[value.end:noun.start]) or not _a_thing(model, noun, people):
            continue
        raise Unanswerable(_reason(model, value, noun, zh))


def _places(model: SemanticModel) -> frozenset[str]:
    """The people table's columns that are places (roles ``customer_city``, ``..._region``), once per model."""
    return model.derived("adjective places", lambda: frozenset(
        model.role_column(r)[1] for r in model.roles if _PLACE_ROLE.search(r) and "." in model.roles[r]))


def _a_thing(model: SemanticModel, noun: Mention, people: str) -> bool:
    """The noun names rows (of a table other than the people's) that no one person owns."""
    if not model.has_dimension(noun.term.target):
        return False
    table = model.dimension(noun.term.target).table
    return table != people and not model.graph.reachable(table, people)


def _reason(model: SemanticModel, value: Mention, noun: Mention, zh: bool) -> str:
    dimension = model.dimension(value.term.target)
    if zh:
        label = dimension.label_zh or dimension.label
        return (f"“{value.surface}”在模型里只是客户的{label}，不能描述“{noun.surface}”本身；"
                f"模型里没有这样的{noun.surface}属性。可以问“{label}为{value.surface}的客户”的数据。")
    return (f"'{value.surface}' is a value of the customers' {dimension.label.lower()} in this model; it says "
            f"nothing about the {noun.surface} themselves, and no column marks {noun.surface} as "
            f"'{value.surface}'. I can answer for customers whose {dimension.label.lower()} is "
            f"'{value.surface}', e.g. 'revenue from {value.surface} customers last month'.")
