"""How a tool finds its inputs in any warehouse: semantic roles, never demo table names.

The semantic model declares roles (``order_time`` -> ``orders.ordered_at``,
``customer_entity`` -> ``customers``). A tool asks a ``RoleSource`` for the quoted identifier
of a role and runs SQL built from a template whose identifiers come only from roles (quoted
by sqlglot) and whose values are sqlglot placeholders (``:start``) replaced with literals on
the parsed tree. Every statement goes through the warehouse's guarded ``run``.

Role names the tools use (``*`` = optional; a key role such as ``order_id`` defaults to its
entity table's primary key, and a foreign-key role such as ``order_customer`` may be left
out when the model's relationships name it):

- customers: ``customer_entity`` (table), ``customer_id``, ``customer_signup_time``*, any
  ``customer_<attribute>``* (dimensions such as ``customer_city``)
- orders: ``order_entity`` (table), ``order_id``, ``order_customer``, ``order_time``,
  ``order_revenue``, ``order_discount``*
- order lines: ``order_item_entity`` (table)*, ``order_item_order``, ``order_item_product``,
  ``order_item_quantity``, ``order_item_price``; ``product_entity`` (table)*,
  ``product_category``
- touchpoints: ``touchpoint_entity`` (table), ``touchpoint_customer``, ``touchpoint_channel``,
  ``touchpoint_time``, ``touchpoint_campaign``*, ``touchpoint_type``*;
  ``campaign_entity`` (table)*, ``campaign_id``*, ``campaign_name``*
- events: ``event_entity`` (table), ``event_customer``, ``event_session``, ``event_name``,
  ``event_time``, ``event_device``*
- experiments: ``experiment_entity`` (table), ``experiment_id``, ``experiment_customer``,
  ``experiment_variant``, ``experiment_converted``, ``experiment_revenue``*
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import sqlglot
from sqlglot import exp

from genbi.lazy import lazy_module

from .audience_sql import embed
from .base import ToolError


class MissingRole(ToolError):
    """The model names no column for a role the tool needs: the tool cannot run on it."""

    def __init__(self, message: str, hint: str | None = None, zh: str | None = None) -> None:
        super().__init__(message, hint)
        self.zh = zh
        """The same in Chinese, for an answer to a question asked in Chinese."""

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


class ResultLike(Protocol):
    """What a warehouse query returns: column names and rows."""

    @property
    def columns(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Sequence[Sequence[Any]]: ...


class SqlRunner(Protocol):
    """The warehouse seam (``genbi.semantic_layer.Warehouse``): one guarded, read-only SELECT."""

    def run(
        self, sql: str, *, max_rows: int | None = None, timeout_s: float | None = None
    ) -> ResultLike: ...


DENSE_KEY_BITS = 24
"""16.7M ids: sessions of the 1M-customer demo (8.9M) fit; the flat array of a narrow aggregate
takes a few hundred MB, about what a hash table of that many groups does."""


@dataclass(frozen=True)
class ColumnRef:
    """A role resolved to a warehouse column."""

    table: str
    column: str


_KEY_ROLES: dict[str, str] = {
    # key role: the entity whose primary key it defaults to
    "customer_id": "customer_entity",
    "order_id": "order_entity",
    "campaign_id": "campaign_entity",
    "product_id": "product_entity",
}
_FK_ROLES: dict[str, tuple[str, str]] = {
    # role: (entity role of the child table, entity role of the parent table)
    "order_customer": ("order_entity", "customer_entity"),
    "touchpoint_customer": ("touchpoint_entity", "customer_entity"),
    "touchpoint_campaign": ("touchpoint_entity", "campaign_entity"),
    "event_customer": ("event_entity", "customer_entity"),
    "experiment_customer": ("experiment_entity", "customer_entity"),
    "order_item_order": ("order_item_entity", "order_entity"),
    "order_item_product": ("order_item_entity", "product_entity"),
}


_ROLE_WORDS: dict[str, str] = {
    "order_customer": "the customer who placed each order (a customer ID on the orders)",
    "order_time": "when each order was placed (an order date)",
    "order_revenue": "each order's amount",
    "order_id": "an order ID on each order",
    "customer_id": "a customer ID",
    "event_session": "the session of each event (a session ID)",
    "event_name": "what each event was (page view, add to cart, purchase …)",
    "event_time": "when each event happened",
    "experiment_variant": "which variant each participant saw",
    "experiment_id": "which experiment each assignment belongs to",
}
_TABLE_WORDS: tuple[tuple[str, str], ...] = (
    ("order_item", "order lines (one row per product in an order)"),
    ("order", "orders (one row per order, with its customer, date and amount)"),
    ("customer", "a customer list (one row per customer)"),
    ("event", "a web or app event log (session, event name, time)"),
    ("touch", "marketing touchpoints (customer, channel, time)"),
    ("experiment", "A/B test assignments (who saw which variant)"),
    ("spend", "ad spend by date and channel"),
    ("campaign", "a campaign list"),
    ("product", "a product list"),
)


_ROLE_WORDS_ZH: dict[str, str] = {
    "order_customer": "每笔订单的客户（订单上的客户ID或买家ID）",
    "order_time": "每笔订单的下单时间",
    "order_revenue": "每笔订单的金额",
    "order_id": "每笔订单的订单号",
    "customer_id": "客户ID",
    "event_session": "每个事件所属的会话（会话ID）",
    "event_name": "每个事件是什么（浏览、加购、购买……）",
    "event_time": "每个事件发生的时间",
    "experiment_variant": "每个参与者看到的版本",
    "experiment_id": "每条分组记录属于哪个实验",
}
_TABLE_WORDS_ZH: tuple[tuple[str, str], ...] = (
    ("order_item", "订单明细（每行是订单里的一个商品）"),
    ("order", "订单（每行一笔订单，带客户、日期和金额）"),
    ("customer", "客户表（每行一个客户）"),
    ("event", "网站或App的事件日志（会话、事件名、时间）"),
    ("touch", "营销触点（客户、渠道、时间）"),
    ("experiment", "A/B测试分组（谁看到了哪个版本）"),
    ("spend", "按日期和渠道的广告花费"),
    ("campaign", "活动列表"),
    ("product", "商品列表"),
)


def role_in_words(role: str, language: str = "en") -> str:
    """What a role is, said as a marketer would look for it in their data."""
    words, tables = (_ROLE_WORDS_ZH, _TABLE_WORDS_ZH) if language == "zh" else (_ROLE_WORDS, _TABLE_WORDS)
    if role in words:
        return words[role]
    fallback = f"角色“{role}”对应的列" if language == "zh" else f"a column for '{role}'"
    return next((said for prefix, said in tables if role.startswith(prefix)), fallback)


def _purchases_only(roles: Mapping[str, str], keys: Mapping[str, str],
                    links: Mapping[tuple[str, str], str]) -> dict[str, str]:
    """The model's order table read as its rows with money in them: a points ledger's redemptions
    or an export's zero and refund rows are no purchases, and counted as orders they would raise
    every customer's frequency (the orders grouped from sales lines leave them out the same way).
    Only the columns tools may read through a role, key or link are selected: the guard refuses
    a statement that reads a personal column (an order's phone) even to pass it on."""
    table, revenue = roles.get("order_entity", ""), roles.get("order_revenue", "")
    owner, _, column = revenue.partition(".")
    if not table or "." in table or owner != table or not column:
        return {}
    named = [target.partition(".")[2] for target in roles.values() if target.partition(".")[0] == table]
    named += [keys.get(table, "")] + [col for (child, _), col in links.items() if child == table]
    quoted = exp.to_identifier(table, quoted=True)
    query = exp.select(*[exp.column(c, table=table, quoted=True) for c in dict.fromkeys(c for c in named if c)]) \
        .from_(exp.Table(this=quoted)).where(
            exp.GT(this=exp.column(column, table=table, quoted=True), expression=exp.Literal.number(0)))
    return {table: query.sql("duckdb")}


@dataclass
class RoleSource:
    """Roles of one semantic model over one warehouse.

    ``roles`` maps role -> ``table`` or ``table.column``; ``keys`` gives each table's primary
    key and ``links`` its many-to-one foreign keys (``(table, parent) -> column``), both
    optional (from the semantic model when built with ``from_model``).
    """

    roles: Mapping[str, str]
    runner: SqlRunner
    keys: Mapping[str, str] = field(default_factory=dict)
    links: Mapping[tuple[str, str], str] = field(default_factory=dict)
    dialect: str = "duckdb"
    max_rows: int = 100_000_000
    """Tools read whole per-customer tables, so the warehouse's display row cap is lifted."""
    timeout_s: float = 1800.0
    executed: list[str] = field(default_factory=list)
    use_cache: bool = True
    """False (``--no-cache``): a tool reads the warehouse only, not what genbi kept from it
    (attribution's kept journeys)."""
    model: Any = None
    """The semantic model the roles came from (``from_model``), for tools that ask metric
    questions through the semantic layer (change explanation, anomalies)."""
    derived: Mapping[str, str] = field(default_factory=dict)
    """Tables that are a SELECT over the model's tables (``derived_orders``): name -> SQL. A
    tool's statement reads such a table as that subquery, under its name."""

    @classmethod
    def from_model(cls, model: Any, warehouse: SqlRunner) -> RoleSource:
        """Adapter for ``genbi.semantic_layer``: a ``SemanticModel`` and a ``Warehouse``; a model
        without orders of its own gets the ones its sales lines make (``derived_orders``)."""
        from .derived_orders import derived_orders

        keys = {t.name: t.primary_key for t in model.tables if t.primary_key}
        links = {
            (t.name, rel.to): rel.column for t in model.tables for rel in t.many_to_one
        }
        roles, derived = dict(model.roles), dict[str, str]()
        orders = derived_orders(model)  # in genbi's own dialect, like every tool statement
        if orders is not None:
            roles = {**orders.roles, **roles}
            keys |= orders.keys
            links |= orders.links
            derived |= orders.tables
        else:
            derived |= _purchases_only(roles, keys, links)
        return cls(roles=roles, runner=warehouse, keys=keys, links=links, model=model, derived=derived)

    # -- resolution --

    def has(self, role: str) -> bool:
        try:
            self.column(role)
        except ToolError:
            return False
        return True

    def table(self, role: str) -> str:
        """The table a role lives on (an entity role or a column role)."""
        if role in self.roles:
            return self.roles[role].partition(".")[0]
        if role in _FK_ROLES:
            return self.table(_FK_ROLES[role][0])
        raise self._missing(role)

    def column(self, role: str) -> ColumnRef:
        """The column of a column role, an entity's primary key, or a derived foreign key."""
        target = self.roles.get(role)
        if target is not None:
            table, _, column = target.partition(".")
            if column:
                return ColumnRef(table, column)
            if table in self.keys:
                return ColumnRef(table, self.keys[table])
            key_role = next((k for k, e in _KEY_ROLES.items() if e == role and k in self.roles), None)
            if key_role is not None:
                return self.column(key_role)
            raise ToolError(
                f"The semantic role '{role}' names the table '{table}' but it has no key.",
                "Give the table a primary_key in the semantic model.",
            )
        if role in _KEY_ROLES and _KEY_ROLES[role] in self.roles:
            return self.column(_KEY_ROLES[role])
        if role in _FK_ROLES:
            child_role, parent_role = _FK_ROLES[role]
            if child_role in self.roles and parent_role in self.roles:
                child, parent = self.table(child_role), self.table(parent_role)
                if (child, parent) in self.links:
                    return ColumnRef(child, self.links[(child, parent)])
        raise self._missing(role)

    def _missing(self, role: str) -> ToolError:
        return MissingRole(
            f"This tool needs {role_in_words(role)}, and genbi found none in this data (no column for the "
            f"role '{role}').",
            f"If the data has it under another name, add '{role}: table.column' under roles in the semantic "
            "model; a tool can also run on a file with its columns named (genbi tool NAME --help).",
            zh=f"这个工具需要{role_in_words(role, 'zh')}，但这份数据里没有（没有对应角色“{role}”的列）。"
               f"如果数据里有，只是名字不同，可以在语义模型的 roles 下加上“{role}: 表.列”；也可以用"
               "“genbi tool 工具名 --help”列出的参数直接在文件上运行。",
        )

    def same_table(self, *roles: str) -> str:
        """The one table all these roles live on; a ToolError if they are spread out."""
        tables = {self.column(r).table for r in roles}
        if len(tables) != 1:
            raise ToolError(
                f"The roles {', '.join(roles)} must live on one table; they are on "
                f"{', '.join(sorted(tables))}.",
                "Map them to columns of one table (a view works).",
            )
        return tables.pop()

    # -- SQL --

    def ident(self, role: str) -> str:
        """The quoted, table-qualified column of a role, rendered for the dialect."""
        ref = self.column(role)
        return exp.column(ref.column, table=ref.table, quoted=True).sql(self.dialect)

    def table_ident(self, role: str) -> str:
        """The quoted table of a role; a derived table as its subquery, aliased with its name."""
        name = self.table(role)
        quoted = exp.to_identifier(name, quoted=True)
        if name in self.derived:
            query = sqlglot.parse_one(self.derived[name], read=self.dialect)
            return exp.Subquery(this=query, alias=exp.TableAlias(this=quoted)).sql(self.dialect)
        return quoted.sql(self.dialect)

    def render(self, template: str, roles: Mapping[str, str], **values: Any) -> str:
        """Fill ``{name}`` slots with role identifiers, then ``:value`` placeholders with literals.

        ``roles`` maps slot name -> role; a slot named ``T_x`` gets a table, others a
        qualified column. Values become literals on the parsed tree, never text; a value that
        is a parsed query takes the place of the table named like its key (an audience).
        """
        slots = {
            slot: (self.table_ident(role) if slot.startswith("T_") else self.ident(role))
            for slot, role in roles.items()
        }
        tree = sqlglot.parse_one(template.format(**slots), read=self.dialect)
        queries = {k: v for k, v in values.items() if isinstance(v, exp.Query)}
        if queries:  # an audience (``audience_sql``): a subquery where the template names it
            tree = embed(tree, queries)
        tree = exp.replace_placeholders(tree, **{k: _literal(v) for k, v in values.items() if k not in queries})
        return tree.sql(self.dialect)

    def result(self, sql: str, dense_group_bits: int | None = None) -> ResultLike:
        """Run one SELECT through the warehouse's guarded ``run``; ``dense_group_bits`` is
        passed on where the warehouse takes it (``Warehouse.dense_groups``)."""
        self.executed.append(sql)
        if dense_group_bits and getattr(self.runner, "dense_groups", False):
            result = self.runner.run(sql, max_rows=self.max_rows, timeout_s=self.timeout_s,  # type: ignore[call-arg]
                                     dense_group_bits=dense_group_bits)
        else:
            result = self.runner.run(sql, max_rows=self.max_rows, timeout_s=self.timeout_s)
        self._check_truncated(result)
        return result

    def _check_truncated(self, result: Any) -> None:
        if getattr(result, "truncated", False):
            raise ToolError(
                f"The warehouse returned more than {self.max_rows:,} rows to a tool.",
                "Narrow the period or raise the tool row limit.",
            )

    def frame(self, sql: str, dense_group_bits: int | None = None) -> pd.DataFrame:
        """Run one SELECT through the warehouse's guarded ``run``; the rows as a DataFrame."""
        result = self.result(sql, dense_group_bits)
        return pd.DataFrame(list(result.rows), columns=list(result.columns))

    def query(
        self, template: str, roles: Mapping[str, str], **values: Any
    ) -> pd.DataFrame:
        return self.frame(self.render(template, roles, **values))

    def query_dense(self, template: str, roles: Mapping[str, str], **values: Any) -> pd.DataFrame:
        """``query`` for a statement whose big aggregate is keyed on integer ids (customers,
        sessions) alone: on DuckDB, keys spanning up to 2**``DENSE_KEY_BITS`` values are
        aggregated into a flat array, not a hash table (about half the CPU); the same answer."""
        return self.frame(self.render(template, roles, **values), DENSE_KEY_BITS)

    @property
    def columnar(self) -> bool:
        """Whether a bulk read (``query_columns``) comes as NumPy columns from a DuckDB engine,
        so a tool can fetch everyone's features once and fit and score them in memory."""
        return bool(getattr(self.runner, "columnar", False))

    def columns_frame(self, sql: str) -> pd.DataFrame:
        """``frame`` for a bulk read (one row per customer): fetched column by column when
        the warehouse can (``Warehouse.run_columns``: the same guard and masking), so a
        million rows skip a Python tuple each. Plain numbers come as NumPy numbers (a
        HUGEINT sum as a float), so use it where the tool reads the columns as numbers."""
        result = self._bulk(sql)
        if result is None:
            return self.frame(sql)
        if result.arrays is None:
            return pd.DataFrame(list(result.rows), columns=list(result.columns))
        return pd.DataFrame(dict(zip(result.columns, result.arrays, strict=True)), columns=list(result.columns))

    def column_arrays(self, sql: str) -> dict[str, Any]:
        """``columns_frame`` without the frame: column -> NumPy array, as fetched (no copy of
        a million rows into a frame and out again). Column names must be distinct."""
        result = self._bulk(sql)
        if result is None or result.arrays is None:
            frame = self.frame(sql) if result is None else pd.DataFrame(list(result.rows), columns=list(result.columns))
            return {str(c): frame[c].to_numpy() for c in frame.columns}
        return dict(zip(result.columns, result.arrays, strict=True))

    def _bulk(self, sql: str) -> Any:
        """The warehouse's ``run_columns`` result (checked for truncation), or None where
        the runner has no bulk read."""
        run_columns = getattr(self.runner, "run_columns", None)
        if run_columns is None:
            return None
        self.executed.append(sql)
        result = run_columns(sql, max_rows=self.max_rows, timeout_s=self.timeout_s)
        self._check_truncated(result)
        return result

    def query_columns(self, template: str, roles: Mapping[str, str], **values: Any) -> pd.DataFrame:
        """``query`` through ``columns_frame``."""
        return self.columns_frame(self.render(template, roles, **values))


def _literal(value: Any) -> exp.Expression:
    """A typed SQL literal for a Python value (dates and timestamps cast explicitly)."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.Type.TIMESTAMP)
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.Type.DATE)
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, list | tuple):
        return exp.Array(expressions=[_literal(v) for v in value])
    raise TypeError(f"unsupported SQL value {value!r}")

