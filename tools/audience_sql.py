"""A set of customers as SQL over the semantic layer, never as a list of ids.

An audience (an RFM segment, a behavioural cluster, customers with an attribute) is a SELECT
returning one column, ``customer_id``, built from role slots and values like any other tool
SQL. Whatever uses the audience (copy facts, a lookalike seed) embeds it as a subquery, so a
segment of 200,000 customers costs the warehouse a semi-join, not a 200,000-element literal
that has to be parsed, guarded and shipped with every statement. Only a saved audience, a
frozen list by nature, becomes a list literal (``AudienceSQL.of_ids``).

Templates name the audience as the table ``__audience__`` (``... IN (SELECT customer_id FROM
__audience__)``); ``RoleSource.render`` puts the parsed audience there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlglot
from sqlglot import exp

if TYPE_CHECKING:
    from .roles import RoleSource

CustomerKeys = tuple[int, ...] | tuple[str, ...]


def customer_keys(values: Iterable[Any]) -> CustomerKeys:
    """Customer ids, distinct and sorted: whole numbers when every one is one (the demo's and
    most warehouses' keys), else text (an export keyed by e-mail, nickname or "C-1042")."""
    distinct = {v.item() if hasattr(v, "item") else v for v in values if v is not None}
    try:
        numbers = {int(v) for v in distinct}
    except (TypeError, ValueError):
        numbers = None
    if numbers is not None and all(not isinstance(v, float) or float(v).is_integer() for v in distinct):
        return tuple(sorted(numbers))
    return tuple(sorted({str(v) for v in distinct}))


PLACEHOLDER = "__audience__"
"""The table name a template uses for the audience."""


@dataclass(frozen=True)
class AudienceSQL:
    """A SELECT of ``customer_id`` (``template`` with ``{slot}`` roles and ``:value`` placeholders)."""

    template: str
    slots: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of_ids(cls, ids: Iterable[int | str]) -> AudienceSQL:
        """A frozen list of customers (a saved audience)."""
        return cls("SELECT UNNEST(:ids) AS customer_id", {}, {"ids": list(customer_keys(ids))})

    def tree(self, source: RoleSource) -> exp.Query:
        """The audience as a parsed query for the source's dialect."""
        parsed = sqlglot.parse_one(source.render(self.template, self.slots, **self.values), read=source.dialect)
        assert isinstance(parsed, exp.Query)
        return parsed

    def members(self, source: RoleSource) -> CustomerKeys:
        """The customer ids themselves (for saving the audience or checking it)."""
        frame = source.query(f"SELECT DISTINCT customer_id FROM {PLACEHOLDER} AS a ORDER BY 1", {},
                             **{PLACEHOLDER: self.tree(source)})
        return customer_keys(frame["customer_id"])


def intersect(parts: list[AudienceSQL], source: RoleSource) -> AudienceSQL:
    """The customers in every part (one part comes back as it is)."""
    if len(parts) == 1:
        return parts[0]
    names = [f"__part{i}__" for i in range(len(parts))]
    template = " INTERSECT ".join(f"SELECT customer_id FROM {n} AS p{i}" for i, n in enumerate(names))
    return AudienceSQL(template, {}, {n: p.tree(source) for n, p in zip(names, parts, strict=True)})


def embed(tree: Any, queries: Mapping[str, exp.Query]) -> Any:
    """``tree`` with each table named like a key of ``queries`` replaced by that query."""
    for table in list(tree.find_all(exp.Table)):
        query = queries.get(table.name)
        if query is not None and not table.args.get("db"):
            alias = exp.TableAlias(this=exp.to_identifier(table.alias_or_name))
            table.replace(exp.Subquery(this=query.copy(), alias=alias))
    return tree
