"""Semantic roles for a drafted model, so the marketing tools run on a user's own orders.

A drafted model had no roles, so on a marketer's own export every tool (RFM, cohorts, CLV,
churn, lookalike, lifecycle, copy) declined in the chat: "the semantic model declares no role
'order_entity'". The roles are read off the draft itself, never guessed from one file:

- the orders: a table with one row per order (a one-column primary key: an export of order
  lines repeats its order number and has none, or is keyed by its rows with the order number
  beside it), a date of its own, the sum of money the draft
  answers "revenue" and "sales" with, else the table's one sum of money that is no cost, fee,
  tax or profit (a plain column, summed over every row: a sum kept to paid rows, or over an
  expression, is not what the tools would sum) and a column naming the customer (an ID, else
  an e-mail, else a name).

Anything less and no order roles are drafted: the tools then say what they need. No customer
roles are drafted: on a model with them the planner counts only customers as "entities", and
a drafted model's words ("sales of invoices": whose sales) are read with every table's count as
one (``vocabulary.entity_count``).
"""

from __future__ import annotations

import re
from typing import Any

_CUSTOMER_WORD = r"(?:customer|client|buyer|member|user|shopper|consumer|account|contact|patron|guest|subscriber)"
CUSTOMER_COLUMNS = (
    re.compile(rf"^{_CUSTOMER_WORD}_?(?:id|no|num|number|code|key|uid)$|^(?:cust|cid|uid)(?:_?id)?$"),
    re.compile(rf"^(?:{_CUSTOMER_WORD}_)?e_?mail(?:_address)?$"),
    re.compile(rf"^{_CUSTOMER_WORD}(?:_name|_nickname|_nick|_username|_user_name|_login)?$"),  # 买家会员名
)
"""A column naming each order's customer, best first: an ID, an e-mail, a name."""
ORDER_NUMBER = re.compile(r"^(?:invoice|order|transaction|receipt|basket|purchase|ticket|booking|bill|trade)s?"
                          r"(?:_?(?:no|num|nr|number|id|code|key|ref|reference))?$")
"""A column numbering the purchase each line belongs to: 'invoice_no', 'order_id', 'transaction_id'."""
_PLAIN = re.compile(r"^[a-z_][a-z0-9_]*$")
SALES_WORDS = frozenset({"revenue", "sales"})
NOT_SALES = re.compile(r"cost|fee|tax|profit|margin|discount|shipping|freight|refund|commission|budget|spend|"
                        r"balance|credit|limit|salary|income|price")
"""A sum of money that is not what an order brought in (a unit price summed is no order value)."""


def draft_roles(data: dict[str, Any]) -> dict[str, str]:
    """Order (and customer) roles for the drafted model ``data``; empty when no table is
    plainly the orders."""
    tables = {t["name"]: t for t in data.get("tables", [])}
    for table, measure in _money_sums(data):
        roles = _order_roles(tables[table], measure)
        if roles:
            return roles
    return {}


def _money_sums(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(table, measure) of each table's order amount: the sum of money named as its sales, else
    its one sum of money that is no cost; plain columns over every row only."""
    tables = {t["name"] for t in data.get("tables", [])}
    measures = {m["name"]: m for m in data.get("measures", [])}
    named: list[tuple[str, dict[str, Any]]] = []
    plain: dict[str, list[dict[str, Any]]] = {}
    kept: set[str] = set()
    """Tables whose sales are summed over some rows only (paid, not refunded): the tools, which
    sum every row of the orders, would not give the draft's own revenue there."""
    for metric in data.get("metrics", []):
        measure = measures.get(str(metric.get("measure")))
        if measure is None or metric.get("type") != "simple" or metric.get("format") != "currency" \
                or measure.get("agg") != "sum" or measure.get("table") not in tables:
            continue
        said = {str(s).lower() for s in metric.get("synonyms", [])} | {str(metric.get("name", "")).lower()}
        if measure.get("filter") or not _PLAIN.match(str(measure.get("expr", ""))):
            if said & SALES_WORDS:
                kept.add(str(measure["table"]))
            continue
        if said & SALES_WORDS:
            named.append((str(measure["table"]), measure))
        elif not NOT_SALES.search(str(measure["expr"])):
            plain.setdefault(str(measure["table"]), []).append(measure)
    return [(table, measure) for table, measure in named if table not in kept] + \
        [(table, found[0]) for table, found in plain.items() if len(found) == 1 and table not in kept]


def _order_roles(table: dict[str, Any], measure: dict[str, Any]) -> dict[str, str]:
    name, key = str(table["name"]), table.get("primary_key")
    time = str(measure.get("time") or "")
    columns = [str(c["name"]) for c in table.get("columns", [])]
    if not isinstance(key, str) or not time.startswith(f"{name}."):
        return {}
    customer = next((c for pattern in CUSTOMER_COLUMNS for c in columns if c != key and pattern.match(c)), None)
    if customer is None:
        return {}
    if not ORDER_NUMBER.match(key) and any(c != key and ORDER_NUMBER.match(c) for c in columns):
        # keyed by its rows ('Row ID') with an order number beside it (Superstore's 'Order ID'):
        # one row per line, not per order; the tools group the lines by that number (derived orders)
        return {}
    return {"order_entity": name, "order_id": f"{name}.{key}", "order_time": time,
            "order_customer": f"{name}.{customer}", "order_revenue": f"{name}.{measure['expr']}"}

