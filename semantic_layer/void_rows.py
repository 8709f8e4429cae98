"""Rows whose money never came in, or went back: a status column's failed, refunded, closed.

A payments or orders export keeps every attempt: Stripe's 'Status' succeeded / failed /
refunded, 有赞's 订单状态 交易成功 / 已退款 / 交易关闭. Summing 'Amount' over all rows counts a
declined card and a refunded order as revenue, a silently wrong number. The drafter leaves those
rows out of the table's money (sums and averages of what was paid, and the average order value),
says so in the description, and derives the refund rate the status makes answerable.
Counts of rows stay whole: "how many orders" and "orders by status" count every row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import naming

if TYPE_CHECKING:
    from .introspection import ColumnInfo, TableInfo

NEVER_PAID = {"failed", "failure", "declined", "voided", "void", "cancelled", "canceled", "rejected", "expired",
              "payment failed", "交易关闭", "已关闭", "已取消", "交易取消", "订单取消", "支付失败", "付款失败", "已失效",
              "已作废", "作废", "等待买家付款", "待付款", "未付款", "待支付", "unpaid", "awaiting payment",
              "pending payment"}
"""Status values of a row nothing was paid on (an English 'closed' is not one: Shopify's closed
orders are archived paid orders); an order still awaiting payment (Tmall's 等待买家付款) has
brought nothing in yet."""
REFUNDED = {"refunded", "fully refunded", "fully_refunded", "已退款", "退款成功", "全额退款", "退款完成"}
"""Status values of a row whose money was returned in full (a partial refund stays revenue)."""
_STATUS_WORDS = {"status", "state"}
_CHARGES = {"tax", "freight", "shipping", "ship", "discount", "fee", "fees", "refund", "refunded", "duty", "duties",
            "tip", "handling", "vat", "coupon", "voucher", "promotion", "promo"}
"""Amounts beside what was paid (a fee, a discount, the refund itself): their own numbers."""


@dataclass(frozen=True)
class VoidStatus:
    """The status column of a table and which of its values leave a row out of the money."""

    column: str
    """The column's clean (SQL) name."""
    never_paid: tuple[str, ...]
    refunded: tuple[str, ...]

    @property
    def left_out(self) -> tuple[str, ...]:
        return (*self.never_paid, *self.refunded)

    def kept(self) -> str:
        """SQL condition on the rows whose money counts. A row with no status was never said to
        be void, so it counts (Shopify's status, printed on an order's first line only, is
        copied to its other lines when the file is read: ``sources._fill_group_fields``)."""
        return f"({self.column} IS NULL OR {self.column} NOT IN ({_quoted(self.left_out)}))"

    def paid(self) -> str:
        """SQL condition on the rows that were paid (refunded ones included)."""
        if not self.never_paid:
            return f"{self.column} IS NOT NULL"
        return f"{self.column} NOT IN ({_quoted(self.never_paid)})"


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


_PURCHASES = {"order", "payment", "charge", "transaction", "invoice", "receipt", "purchase", "sale", "financial",
              "checkout", "basket"}
"""What a row is when its money was (or was to be) paid: an order, a payment. A policy's or a
subscription's status says what became of a contract, not whether its amount was paid."""


def void_status(table: TableInfo) -> VoidStatus | None:
    """The status column of a table of purchases or payments, when some (not all) of its values
    say the money never came in or went back: one column, else none (two would disagree)."""
    found: list[VoidStatus] = []
    for column in table.columns:
        if not column.text or not _names_a_status(column) or not _of_purchases(table, column):
            continue
        values = [v for v in column.values if isinstance(v, str)]
        never = tuple(v for v in values if v.strip().lower() in NEVER_PAID)
        back = tuple(v for v in values if v.strip().lower() in REFUNDED)
        if (never or back) and len(never) + len(back) < len(values):
            found.append(VoidStatus(column.clean, never, back))
    return found[0] if len(found) == 1 else None


def _of_purchases(table: TableInfo, status: ColumnInfo) -> bool:
    """Rows that are orders or payments: the table is named for them ('payments', 订单导出),
    its status says so ('Financial Status', 订单状态), or an id column numbers them (订单号)."""
    said = {naming.singular(w) for w in (*table.words, *status.words)}
    numbered = {naming.singular(w) for c in table.columns if naming.is_id_like(c.name) for w in c.words}
    return bool((said | numbered) & _PURCHASES)


def _names_a_status(column: ColumnInfo) -> bool:
    return bool(_STATUS_WORDS & set(column.words)) or "状态" in column.name


@dataclass
class MoneyRows:
    """What the pass changes: the draft's measures and metrics, edited in place."""

    measures: list[dict[str, Any]]
    metrics: list[dict[str, Any]]
    used: set[str]
    unique: Callable[[str, set[str]], str]
    claim: Callable[[dict[str, Any], list[str]], None]
    """Gives a new metric the words no other item has (the drafter's ``claim_words``)."""
    release: Callable[[dict[str, Any], list[str]], None]
    """Takes words off a metric so another may claim them."""
    revenue_words: frozenset[str]
    """What a marketer calls the money that came in: 'revenue', 'sales', 销售额, the average
    order value's words. A column's own name ('Invoice amount') keeps meaning every row."""


def leave_out_void_rows(draft: MoneyRows, table: TableInfo, status: VoidStatus, report: list[str]) -> None:
    """The money that came in is its own metric: the revenue words a paid amount had ('total
    sales' on 实付金额, 'revenue' on Stripe's 'Amount', the average order value) move to a copy
    over the rows whose money counts; the amount under its own name still sums every row (the
    invoice amount billed). A metric whose label is itself revenue ('Sales') is filtered where it is."""
    columns = {c.clean: c for c in table.columns}
    measures = {m["name"]: m for m in draft.measures}
    paid: dict[str, dict[str, Any]] = {}
    for measure in list(draft.measures):
        column = columns.get(str(measure.get("expr", "")))
        if (measure["table"] == table.clean and not measure.get("filter") and measure["agg"] in ("sum", "avg")
                and column is not None and not {naming.singular(w) for w in column.words} & _CHARGES
                and not naming.is_id_like(column.name)):
            paid[measure["name"]] = measure
    moved: list[str] = []
    for metric in list(draft.metrics):
        if metric.get("format") != "currency":
            continue
        top = metric.get("measure") if metric.get("type") == "simple" else metric.get("numerator")
        if top not in paid or (metric.get("type") == "ratio" and measures.get(str(metric.get("denominator")),
                                                                              {}).get("table") != table.clean):
            continue
        if metric["label"].lower() in draft.revenue_words:  # 'Revenue', 'Sales': the column is the revenue
            _kept(draft, paid[top], status, in_place=True)
            if metric.get("type") == "ratio":
                metric["denominator"] = _kept_count(draft, str(metric["denominator"]), status)
            _note(metric, status)
            moved.append(metric["label"])
            continue
        words = [w for w in metric.get("synonyms", []) if w.lower() in draft.revenue_words]
        if not words:
            continue
        draft.release(metric, words)
        kept_top = _kept(draft, paid[top], status, in_place=False)
        copy: dict[str, Any] = {k: v for k, v in metric.items() if k not in ("synonyms", "name")}
        if metric.get("type") == "ratio":
            copy.update(numerator=kept_top["name"], denominator=_kept_count(draft, str(metric["denominator"]), status),
                        label="Average order value", label_zh="客单价")
        else:
            said = "Revenue" if any("revenue" in w.lower() for w in words) else "Sales"
            copy.update(measure=kept_top["name"], label=said if kept_top["agg"] == "sum" else f"Average {said.lower()}",
                        label_zh=("收入" if said == "Revenue" else "销售额") if kept_top["agg"] == "sum"
                        else ("平均收入" if said == "Revenue" else "平均销售额"))
        copy["name"] = draft.unique(naming.clean_name(copy["label"]), draft.used)
        copy["description"] = f"{metric['label']} of the rows whose money came in."
        _note(copy, status)
        draft.claim(copy, words)
        draft.metrics.insert(draft.metrics.index(metric) + 1, copy)
        moved.append(copy["label"])
    if not moved:
        return
    _net_revenue(draft, table, status, [m for m in draft.measures if m.get("filter") == status.kept()
                                        and m["table"] == table.clean and m["agg"] == "sum"])
    report.append(f"{table.name}: {', '.join(moved)} leave out rows whose status is "
                  f"{', '.join(repr(v) for v in status.left_out)} (never paid or refunded).")


def _kept(draft: MoneyRows, measure: dict[str, Any], status: VoidStatus, *, in_place: bool) -> dict[str, Any]:
    """``measure`` over the rows whose money counts: itself filtered, or a filtered copy (added once)."""
    if in_place:
        measure["filter"] = status.kept()
        return measure
    name = f"{str(measure['name']).removesuffix('_m')}_kept_m"
    found = next((m for m in draft.measures if m["name"] == name), None)
    if found is None:
        draft.used.add(name)
        found = {**measure, "name": name, "filter": status.kept()}
        draft.measures.append(found)
    return found


def _note(metric: dict[str, Any], status: VoidStatus) -> None:
    note = f" Rows with status {', '.join(repr(v) for v in status.left_out)} are left out (derived by the drafter)."
    metric["description"] = f"{metric.get('description', '').rstrip()}{note}".strip()


def _kept_count(draft: MoneyRows, name: str, status: VoidStatus) -> str:
    """The count measure ``name`` over the kept rows (added once)."""
    measure = next((m for m in draft.measures if m["name"] == name), None)
    if measure is None or measure["agg"] not in ("count", "count_distinct") or measure.get("filter"):
        return name
    kept_name = f"{name.removesuffix('_m')}_kept_m"
    if not any(m["name"] == kept_name for m in draft.measures):
        draft.used.add(kept_name)
        draft.measures.append({**measure, "name": kept_name, "filter": status.kept()})
    return kept_name


def refund_rate(draft: MoneyRows, table: TableInfo, status: VoidStatus) -> None:
    """The refund rate: rows refunded among the rows that were paid (a failed card or a closed,
    unpaid order was never a sale that could be refunded)."""
    if not status.refunded or "refund_rate" in draft.used:
        return
    count = next(  # a file of order lines: its distinct orders, else its rows
        (m for m in draft.measures if m["table"] == table.clean and m["agg"] == "count_distinct"
         and not m.get("filter") and _counts_purchases(draft, m)), None) or next(
        (m for m in draft.measures if m["table"] == table.clean and m["agg"] == "count" and not m.get("filter")), None)
    if count is None:
        return
    top = {**count, "name": draft.unique("refunded_rows_m", draft.used),
           "filter": f"{status.column} IN ({_quoted(status.refunded)})"}
    bottom = {**count, "name": draft.unique("paid_rows_m", draft.used), "filter": status.paid()}
    draft.measures.extend([top, bottom])
    name = draft.unique("refund_rate", draft.used)
    metric: dict[str, Any] = {
        "name": name, "type": "ratio", "numerator": top["name"], "denominator": bottom["name"], "format": "percent",
        "label": "Refund rate", "label_zh": "退款率",
        "description": f"{table.name} rows with status {', '.join(repr(v) for v in status.refunded)} among those "
                       "that were paid (derived by the drafter)."}
    draft.claim(metric, ["refund rate", "refunded rate", "% refunded", "share refunded", "refund ratio", "退款比例",
                   "退款占比"])
    draft.metrics.append(metric)


def _counts_purchases(draft: MoneyRows, measure: dict[str, Any]) -> bool:
    """A distinct count whose metric counts orders or invoices (Shopify's '#1001' on each line)."""
    return any(m.get("measure") == measure["name"] and {naming.singular(w) for w in str(m.get("label", "")).lower().split()}
               & _PURCHASES for m in draft.metrics)


_CANCELLED = ("cancel", "取消")


def _cancel_status(table: TableInfo) -> tuple[str, tuple[str, ...]] | None:
    """The order status column with a cancelled value: the plain 'Status' (or 订单状态) when a
    courier's or a payment's status says it too (Amazon's Sale Report has both)."""
    found = []
    for column in table.columns:
        if not column.text or not _names_a_status(column) or not _of_purchases(table, column):
            continue
        values = tuple(v for v in column.values if isinstance(v, str) and any(w in v.lower() for w in _CANCELLED))
        if values and len(values) < len(column.values):
            found.append((column, values))
    plain = [(c, v) for c, v in found if set(c.words) - {"order"} <= {"status"} or c.name.strip() == "订单状态"]
    chosen = plain if len(plain) == 1 else found if len(found) == 1 else []
    return (chosen[0][0].clean, chosen[0][1]) if chosen else None


def cancellation_rate(draft: MoneyRows, table: TableInfo) -> None:
    """The cancellation rate: orders whose status says cancelled among all orders (Amazon's Sale
    Report, an order of several lines counted once when its id is counted), for "cancellation
    rate", 取消率. Its own pick of the status: the money's (``void_status``) may find none."""
    picked = _cancel_status(table)
    if picked is None or "cancellation_rate" in draft.used:
        return
    column, cancelled = picked
    mine = [m for m in draft.measures if m["table"] == table.clean and not m.get("filter")]
    orders = next((m for m in mine if m["agg"] == "count_distinct" and "order" in naming.words(str(m["expr"]))), None)
    count = orders or next((m for m in mine if m["agg"] == "count"), None)
    if count is None:
        return
    top = {**count, "name": draft.unique("cancelled_rows_m", draft.used),
           "filter": f"{column} IN ({_quoted(cancelled)})"}
    draft.measures.append(top)
    name = draft.unique("cancellation_rate", draft.used)
    metric: dict[str, Any] = {
        "name": name, "type": "ratio", "numerator": top["name"], "denominator": count["name"], "format": "percent",
        "label": "Cancellation rate", "label_zh": "取消率",
        "description": f"{table.name} {'orders' if orders else 'rows'} with status "
                       f"{', '.join(repr(v) for v in cancelled)} among all (derived by the drafter)."}
    draft.claim(metric, ["cancellation rate", "cancel rate", "% cancelled", "share cancelled", "cancelled rate",
                         "order cancellation rate", "取消订单占比", "订单取消率", "取消比例"])
    draft.metrics.append(metric)


def _net_revenue(draft: MoneyRows, table: TableInfo, status: VoidStatus, paid: list[dict[str, Any]]) -> None:
    """What was paid less what went back (Stripe's 'Amount' less 'Amount Refunded'): a partial
    refund on a succeeded charge lowers it, a full refund takes the row to nothing. Only with one
    paid amount and one refunded amount beside it."""
    refunds = [c for c in table.columns if c.numeric and {"refund", "refunded"} & set(c.words)
               and not naming.is_id_like(c.name)]
    if len(paid) != 1 or len(refunds) != 1 or "net_revenue" in draft.used:
        return
    amount, refund = paid[0], refunds[0]
    measure = {**amount, "name": draft.unique("net_revenue_m", draft.used),
               "expr": f"{amount['expr']} - COALESCE({refund.clean}, 0)", "filter": status.paid()}
    draft.measures.append(measure)
    name = draft.unique("net_revenue", draft.used)
    metric: dict[str, Any] = {
        "name": name, "type": "simple", "measure": measure["name"], "format": "currency",
        "label": "Net revenue", "label_zh": "净收入",
        "description": f"{amount['expr']} less {refund.name} on {table.name}, rows never paid left out "
                       "(derived by the drafter)."}
    draft.claim(metric, ["net sales", "revenue net of refunds", "revenue after refunds", "净销售额", "退款后收入"])
    draft.metrics.append(metric)
