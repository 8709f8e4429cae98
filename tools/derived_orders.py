"""Orders for the tools where the model has no order table: grouped from the rows its sales are on.

A marketer's export is often one row per line (the UCI Online Retail file: InvoiceNo repeated on
every line, Quantity x UnitPrice, CustomerID), or a header whose money is on its lines
(invoices + invoice_lines, Olist's orders + order_items). RFM, cohorts, CLV, churn and the copy
read one row per order; with none, every tool declined on the two best-known marketing datasets
("this tool needs orders ... genbi found none"). The planner answered "sales by country" on the
same files, from the model's sales measure: the orders are that measure, grouped.

They are a SELECT over the model's own tables (genbi never writes a view into a user's
warehouse), used where a tool's SQL names the orders table: each order's number, its earliest
time, its customer and the sum of the sales measure, with the measure's own filter (refunded or
failed lines stay out, as they do from "sales"). Lines without a customer are no one's order, and
an order whose lines add up to nothing or less (a cancellation's negative lines) is no purchase.

Nothing is derived when the model has order roles of its own, when no sum of money is plainly its
sales, or when no column names each order and its customer: the tools then say what they need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from genbi.semantic_layer.drafted_roles import (
    CUSTOMER_COLUMNS,
    NOT_SALES,
    ORDER_NUMBER,
    SALES_WORDS,
)
from genbi.semantic_layer.model import Aggregation, Measure, MetricType, SemanticModel, Table

_CUSTOMER_TABLE = re.compile(r"(?:^|_)(?:customer|client|buyer|member|user|shopper|consumer|account|contact|patron)s?"
                             r"(?:_|$)")
_UNIQUE_PERSON = re.compile(r"(?:^|_)unique_?id$")
"""Olist's customers give each order its own 'customer_id' and the person a 'customer_unique_id':
counted by the first, every customer has bought once."""


@dataclass(frozen=True)
class DerivedOrders:
    """The orders' SELECT (over model table names, in ``dialect``), the name it is read
    under, and the roles that point at its columns; with their lines and products when the
    lines name a product and a price (``tables``, ``keys`` and ``links`` hold all of them)."""

    alias: str
    sql: str
    roles: dict[str, str]
    tables: dict[str, str] = field(default_factory=dict)
    """Every derived table: name -> SELECT."""
    keys: dict[str, str] = field(default_factory=dict)
    links: dict[tuple[str, str], str] = field(default_factory=dict)


def derived_orders(model: SemanticModel, dialect: str = "duckdb") -> DerivedOrders | None:
    """The model's orders grouped from its sales measure, or None (see the module)."""
    if "order_entity" in model.roles or "order_revenue" in model.roles:
        return None
    for measure in _sales_measures(model):
        found = _orders_of(model, measure, dialect)
        if found is not None:
            return found
    return None


def _sales_measures(model: SemanticModel) -> list[Measure]:
    """The sum of money the model calls sales or revenue, else its only sum of money that is no
    cost, fee or tax."""
    named: list[Measure] = []
    plain: list[Measure] = []
    for metric in model.metrics:
        if metric.type != MetricType.SIMPLE or metric.format.value != "currency" or metric.measure is None:
            continue
        measure = model.measure(metric.measure)
        if measure.agg != Aggregation.SUM:
            continue
        said = {w.lower() for w in (metric.name, metric.label, *metric.synonyms)}
        if said & SALES_WORDS:
            named.append(measure)
        elif not NOT_SALES.search(measure.expr.lower()) and not NOT_SALES.search(metric.name):
            plain.append(measure)
    return list(dict.fromkeys([*named, *(plain if len(plain) == 1 else [])]).keys())


def _orders_of(model: SemanticModel, measure: Measure, dialect: str) -> DerivedOrders | None:
    lines = model.table(measure.table)
    if measure.time is None or "." not in measure.time:
        return None
    time_table, _, time_column = measure.time.partition(".")
    join: tuple[str, str] | None = None
    if time_table == lines.name:  # the lines carry the date: an order number among their columns, else their key
        header = lines
        key = _counted_orders(model, lines) or _order_number(lines) or (lines.primary_key if _order_like(lines) else None)
    else:  # the date is the header's (an order table the lines point at), not a calendar's
        header = model.table(time_table)
        link = next((r for r in lines.many_to_one if r.to == header.name), None)
        if link is None or header.primary_key is None or not _order_like(header):
            return None
        key = header.primary_key
        join = (link.column, link.to_column or header.primary_key)
    if key is None:
        return None
    person = _customer_of(model, header) or (_customer_of(model, lines) if join is not None else None)
    if person is None:
        return None
    sql = _select(lines, header, key, time_column, person, join, measure, dialect)
    alias = _free_name(model, f"{lines.name}_orders")
    roles = {"order_entity": alias, "order_id": f"{alias}.order_id", "order_time": f"{alias}.order_time",
             "order_customer": f"{alias}.customer_id", "order_revenue": f"{alias}.revenue"}
    orders = DerivedOrders(alias, sql, roles, {alias: sql}, {alias: "order_id"})
    line_key = join[0] if join is not None else key
    if join is None and (child := _lines_of(model, header, key)) is not None:
        # the money is on the order itself and its products on lines pointing at it (purchases +
        # purchase_items): the lines are that table; the order's own filter already left out its
        # unpaid orders, whose lines then belong to no order of the tools
        return _with_lines(model, orders, child[0], child[1], measure.model_copy(update={"filter": None}), dialect)
    return _with_lines(model, orders, lines, line_key, measure, dialect)


def _lines_of(model: SemanticModel, header: Table, key: str) -> tuple[Table, str] | None:
    """A table of lines pointing at ``header`` by its ``key`` and naming a product."""
    for table in model.tables:
        link = next((r for r in table.many_to_one if r.to == header.name and (r.to_column or key) == key), None)
        if table.name == header.name or link is None:
            continue
        names = [c.name for c in table.columns]
        if any(_PRODUCT_TABLE.search(r.to) for r in table.many_to_one) or any(_PRODUCT_KEY.match(n) for n in names):
            return table, link.column
    return None


_ORDER_TABLE = re.compile(r"(?:^|_)(?:orders?|invoices?|transactions?|receipts?|baskets?|purchases?|tickets?|"
                          r"bookings?|bills?|trades?|payments?|charges?|sales)(?:_|$)")


def _order_like(table: Table) -> bool:
    """A table of purchases (its name, or its key, says so), not a calendar or a product list."""
    return bool(_ORDER_TABLE.search(table.name) or (table.primary_key and ORDER_NUMBER.match(table.primary_key)))


_ORDER_COUNTS = frozenset({"orders", "invoices", "transactions", "receipts", "purchases", "baskets", "bookings",
                           "number of orders", "order count", "订单数", "订单量"})


def _counted_orders(model: SemanticModel, table: Table) -> str | None:
    """The column the model counts its orders by on ``table`` (a Shopify export's 'Name',
    '#1001', counted distinct as "orders"): the drafter already found each line's order."""
    for metric in model.metrics:
        if metric.type != MetricType.SIMPLE or metric.measure is None:
            continue
        measure = model.measure(metric.measure)
        column = measure.expr.strip()
        if measure.table == table.name and measure.agg == Aggregation.COUNT_DISTINCT and measure.filter is None \
                and table.column(column) is not None \
                and {w.lower() for w in (metric.name, metric.label, *metric.synonyms)} & _ORDER_COUNTS:
            return column
    return None


_PRODUCT_TABLE = re.compile(r"(?:^|_)(?:products?|skus?|articles?|goods|catalog(?:ue)?|merchandise)(?:_|$)")
_PRODUCT_KEY = re.compile(r"^(?:product|item|sku|stock|article|goods|lineitem|variant)_?(?:id|code|no|number|sku|key)?$"
                          r"|^(?:sku|stock_code|stockcode|asin|upc|ean)$")
_PRODUCT_NAME = re.compile(r"^(?:(?:product|item|lineitem|goods|article)_?)?(?:name|title|description)$")
_CATEGORY = re.compile(r"(?:^|_)(?:category|categories|department|product_type|product_line|class)(?:_name)?$")
_QUANTITY = re.compile(r"(?:^|_)(?:quantity|qty|units)$")
_PRICE = re.compile(r"(?:^|_)(?:unit_price|price|selling_price|sale_price)$")


def _with_lines(model: SemanticModel, orders: DerivedOrders, lines: Table, line_key: str, measure: Measure,
                dialect: str) -> DerivedOrders:
    """``orders`` with their lines (order, product, quantity, unit price) and a product list,
    when the lines name a product and a price: what the copy tool's baskets read."""
    names = [c.name for c in lines.columns]
    catalogue = next((r for r in lines.many_to_one if _PRODUCT_TABLE.search(r.to)), None)
    product = catalogue.column if catalogue is not None else \
        next((n for n in names if _PRODUCT_KEY.match(n)), None) or next((n for n in names if _PRODUCT_NAME.match(n)), None)
    price = next((n for n in names if _PRICE.search(n) and "compare" not in n), None)
    listed_price = None
    if price is None and catalogue is not None:  # the price is the catalogue's (purchase_items + products)
        listed = model.table(catalogue.to)
        listed_price = next((c.name for c in listed.columns if _PRICE.search(c.name) and "compare" not in c.name),
                            None)
    if product is None or (price is None and listed_price is None):
        return orders
    quantity = next((n for n in names if _QUANTITY.search(n)), None)

    def col(column: str) -> exp.Column:
        return exp.column(column, table=lines.name, quoted=True)

    product_id: exp.Expr = col(product) if catalogue is not None else exp.cast(col(product), "VARCHAR")
    unit_price: exp.Expr = col(price) if price is not None else \
        exp.column(str(listed_price), table=catalogue.to if catalogue is not None else "", quoted=True)
    items = exp.select(
        exp.alias_(col(line_key), "order_id"), exp.alias_(product_id, "product_id"),
        exp.alias_(col(quantity) if quantity else exp.Literal.number(1), "quantity"),
        exp.alias_(unit_price, "unit_price"),
    ).from_(exp.to_table(f'"{lines.name}"'))
    if price is None and catalogue is not None:
        listed_key = catalogue.to_column or model.table(catalogue.to).primary_key
        items = items.join(exp.to_table(f'"{catalogue.to}"'), on=exp.EQ(
            this=col(product), expression=exp.column(str(listed_key), table=catalogue.to, quoted=True)), join_type="left")
    if measure.filter:
        items = items.where(_qualified(measure.filter, lines.name))
    items_alias = _free_name(model, f"{lines.name}_items", taken=set(orders.tables))
    tables = {**orders.tables, items_alias: items.sql(dialect)}
    roles = {**orders.roles, "order_item_entity": items_alias, "order_item_order": f"{items_alias}.order_id",
             "order_item_product": f"{items_alias}.product_id", "order_item_quantity": f"{items_alias}.quantity",
             "order_item_price": f"{items_alias}.unit_price"}
    links = {(items_alias, orders.alias): "order_id"}
    keys = dict(orders.keys)
    if catalogue is not None:  # the lines point at a product list of the model's own
        listed = model.table(catalogue.to)
        key = catalogue.to_column or listed.primary_key
        if key is None:
            return orders
        roles |= {"product_entity": listed.name, "product_id": f"{listed.name}.{key}"}
        for role, pattern in (("product_name", _PRODUCT_NAME), ("product_category", _CATEGORY)):
            if (found := next((c.name for c in listed.columns if c.name != key and pattern.search(c.name)), None)):
                roles[role] = f"{listed.name}.{found}"
        links[(items_alias, listed.name)] = "product_id"
        return DerivedOrders(orders.alias, orders.sql, roles, tables, keys, links)
    name = next((n for n in names if _PRODUCT_NAME.match(n)), None)
    category = next((n for n in names if _CATEGORY.search(n)), None)
    listing = [exp.alias_(exp.cast(col(product), "VARCHAR"), "product_id")]
    if name:
        listing.append(exp.alias_(exp.Max(this=exp.cast(col(name), "VARCHAR")), "product_name"))
    if category:
        listing.append(exp.alias_(exp.Max(this=exp.cast(col(category), "VARCHAR")), "product_category"))
    products_alias = _free_name(model, f"{lines.name}_products", taken={*tables})
    tables[products_alias] = exp.select(*listing).from_(exp.to_table(f'"{lines.name}"')) \
        .group_by(exp.cast(col(product), "VARCHAR")).sql(dialect)
    roles |= {"product_entity": products_alias, "product_id": f"{products_alias}.product_id"}
    roles |= {f"product_{part}": f"{products_alias}.product_{part}" for part, there in
              (("name", name), ("category", category)) if there}
    keys[products_alias] = "product_id"
    links[(items_alias, products_alias)] = "product_id"
    return DerivedOrders(orders.alias, orders.sql, roles, tables, keys, links)


def _order_number(table: Table) -> str | None:
    return next((c.name for c in table.columns if c.name != table.primary_key and ORDER_NUMBER.match(c.name)), None)


@dataclass(frozen=True)
class _Person:
    table: str
    column: str
    via: tuple[str, str, str] | None = None
    """(the customers table, its key, its column naming the person) when the person's own id
    is on the customers table (Olist's customer_unique_id)."""


def _customer_of(model: SemanticModel, table: Table) -> _Person | None:
    """The column naming each row's customer: an ID, an e-mail, a name, else a link to a
    customers table."""
    for pattern in CUSTOMER_COLUMNS:
        for column in table.columns:
            if column.name != table.primary_key and pattern.match(column.name):
                return _Person(table.name, column.name, _unique_person(model, table, column.name))
    link = next((r for r in table.many_to_one if _CUSTOMER_TABLE.search(r.to)), None)
    if link is None:
        return None
    return _Person(table.name, link.column, _unique_person(model, table, link.column))


def _unique_person(model: SemanticModel, table: Table, column: str) -> tuple[str, str, str] | None:
    link = next((r for r in table.many_to_one if r.column == column), None)
    if link is None:
        return None
    parent = model.table(link.to)
    key = link.to_column or parent.primary_key
    unique = next((c.name for c in parent.columns if c.name != key and _UNIQUE_PERSON.search(c.name)), None)
    return (parent.name, key, unique) if key and unique else None


def _select(lines: Table, header: Table, key: str, time_column: str, person: _Person,
            join: tuple[str, str] | None, measure: Measure, dialect: str) -> str:
    def col(table: str, column: str) -> exp.Column:
        return exp.column(column, table=table, quoted=True)

    amount = _qualified(measure.expr, lines.name)
    who: exp.Expr = col(person.table, person.column)
    source = exp.select().from_(exp.to_table(f'"{lines.name}"'))
    if join is not None:
        source = source.join(exp.to_table(f'"{header.name}"'),
                             on=exp.EQ(this=col(lines.name, join[0]), expression=col(header.name, join[1])))
    if person.via is not None:
        parent, parent_key, unique = person.via
        source = source.join(exp.to_table(f'"{parent}"'),
                             on=exp.EQ(this=col(person.table, person.column), expression=col(parent, parent_key)))
        who = col(parent, unique)
    number = col(header.name, key)
    conditions: list[exp.Expr] = [exp.Not(this=exp.Is(this=who.copy(), expression=exp.Null()))]
    if measure.filter:
        conditions.append(exp.Paren(this=_qualified(measure.filter, lines.name)))
    query = source.select(
        exp.alias_(number, "order_id"),
        exp.alias_(exp.Min(this=col(header.name, time_column)), "order_time"),
        exp.alias_(exp.Max(this=who), "customer_id"),
        exp.alias_(exp.Sum(this=amount), "revenue"),
    ).where(exp.and_(*conditions)).group_by(number.copy()).having(
        exp.GT(this=exp.Sum(this=amount.copy()), expression=exp.Literal.number(0)))
    return query.sql(dialect)


def _qualified(sql: str, table: str) -> exp.Expr:
    """A measure's expression or filter over its table's columns, each column named with the table."""
    tree = sqlglot.parse_one(sql)
    for column in tree.find_all(exp.Column):
        if not column.table:
            column.set("table", exp.to_identifier(table, quoted=True))
        column.this.set("quoted", True)
    return tree


def _free_name(model: SemanticModel, name: str, taken: set[str] | None = None) -> str:
    taken = {t.name for t in model.tables} | (taken or set())
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate
