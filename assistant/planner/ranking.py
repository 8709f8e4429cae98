"""Ranking, limits and shares: direction and N from the reading, "which X" as one row,
the listed members ordered rather than cut, each row's share of the total."""

from __future__ import annotations

import re

from genbi.assistant.planner.period_spec import time_bucket
from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import (
    METRIC_TIME,
    DimensionRef,
    Filter,
    FilterOp,
    OrderBy,
    QuerySpec,
)


def among_listed(group_by: list[DimensionRef], filters: list[Filter], limit: int) -> bool:
    """The breakdown is a list the question named ("tmall or jd") no longer than the limit
    would cut: the ranking orders the named members rather than picking among all."""
    names = {_split_key(g) for g in group_by if not time_bucket(g)}
    return len(names) == 1 and any(
        _filter_key(f) in names and f.op == FilterOp.IN and len(f.values) > limit for f in filters
    )


def _split_key(ref: DimensionRef) -> str:
    """What a split divides by: its dimension, or the part of the week ("metric_time__weekday")."""
    return f"{ref.name}__{ref.grain.value}" if ref.name == METRIC_TIME and ref.grain is not None else ref.name


def _filter_key(item: Filter) -> str:
    return f"{item.dimension}__{item.part.value}" if item.part is not None else item.dimension


def as_share_of_total(
    model: SemanticModel, metrics: list[str], group_by: list[DimensionRef], filters: list[Filter],
    order_by: tuple[OrderBy, ...], zh: bool, *, within: bool = False, base: frozenset[str] = frozenset(),
) -> tuple[list[DimensionRef], list[Filter], tuple[OrderBy, ...], tuple[Filter, ...]]:
    """"What share of revenue came from Tmall": the share needs the whole, so a value named
    without a breakdown becomes the breakdown (Tmall's row among all sales channels), and the
    rows are ranked by share unless the question ranked them otherwise; when nothing else
    splits the answer, only the named member's row is returned (the last item). A member named of the
    breakdown itself is a row of it, never a filter (the share would be 100%); members named
    ``within`` ("between app and mini program") are the whole the shares are of, and so are
    members said as the whole (``base``, from ``share_base``: "of jd's buyers"), which stay filters."""
    split = {_split_key(g) for g in group_by if not time_bucket(g)}
    shown: tuple[Filter, ...] = ()
    among = next((f for f in filters if within and f.op == FilterOp.IN and len(f.values) >= 2), None)
    if among is not None:  # "the split of orders between app and mini program": a share of those two
        if _filter_key(among) not in split:
            group_by = [*group_by, _split_of(among)]
    elif split:
        # "douyin's share of revenue among channels": the share is of every channel's total,
        # so the named member is a row of the breakdown, not a filter that makes it 100%
        filters = [f for f in filters if not (_filter_key(f) in split and f.op in (FilterOp.EQ, FilterOp.IN))]
    else:
        named = [f for f in filters if f.op in (FilterOp.EQ, FilterOp.IN)]
        parts = [f for f in named if _filter_key(f) not in base]
        if base and len(parts) == 1:  # "京东的买家里，二线城市占多少": the share is tier2's, of jd's buyers
            named = parts + [f for f in named if f is not parts[0]]
        if not named:
            raise Unanswerable(
                "占比需要一个拆分维度，例如“各渠道的销售额占比”。" if zh
                else "A share needs a breakdown, e.g. 'share of revenue by sales channel'."
            )
        # the member asked of is said first (every row still shown), also in each period's shares
        shown = (named[0],) if all(time_bucket(g) for g in group_by) and named[0].part is None else ()
        group_by = [*group_by, _split_of(named[0])]
        filters = [f for f in filters if f is not named[0]]
    additive = [m for m in metrics if model.adds_up(m, [g.name for g in group_by])]
    if len(additive) < len(metrics):
        other = ", ".join(model.metric(m).label_zh or m for m in metrics if m not in additive) if zh \
            else ", ".join(model.metric(m).label or m for m in metrics if m not in additive)
        raise Unanswerable(
            f"“{other}”不能算占比：只有可以相加的指标（销售额、订单数、花费……）才有总量。" if zh
            else f"{other} has no share of a total: only metrics that add up (revenue, orders, spend …) do."
        )
    if not order_by:
        order_by = tuple(OrderBy(field=f"{m}__share") for m in metrics[:1])
    return group_by, filters, order_by, shown


_WHOLE_AFTER_ZH = re.compile(r"^的?[\u4e00-\u9fff]{0,4}?(?:里面?|当中|之中|中间?)(?![国心])")
_WHOLE_BEFORE_EN = re.compile(
    r"(?:\b(?:among|amongst|of all|out of|within|(?:share|percent(?:age)?|pct|proportion|fraction|portion) of)|% of|^\s*of)"
    r"\s(?:(?:the|our|all|those|last month's|this year's)\s)?$"
)


def share_base(reading: Reading) -> frozenset[str]:
    """Dimensions of members said as the whole a share is of: "京东的买家里（二线城市占多少）",
    "among jd buyers", "what % of jd buyers (were in tier2 cities)". With a second member named,
    that one is the part whose share is asked; taking the first member said as the part split by
    the whole instead (by sales channel, filtered to tier2), a wrong share or a wrong decline."""
    whole = set()
    for value in reading.values:
        if value.negated:
            continue
        after, before = reading.text[value.end:value.end + 12], reading.text[:value.start]
        if _WHOLE_AFTER_ZH.match(after) or _WHOLE_BEFORE_EN.search(before):
            whole.add(value.term.target)
    return frozenset(whole)


def _split_of(item: Filter) -> DimensionRef:
    """The breakdown a filter's members are rows of ("on weekends": by the kind of day)."""
    return DimensionRef(name=item.dimension, grain=item.part) if item.part is not None \
        else DimensionRef(name=item.dimension)


_LESS_IS_BETTER = re.compile(
    r"\bcost\b|^cp[a-z]$|\bcp[a-z]\b|成本|\bchurn|\bbounce|\bunsubscrib|\brefund|\breturn rate|\bcancel"
    r"|流失|跳出|退订|退款|退货|取消",
    re.IGNORECASE,
)


def less_is_better(model: SemanticModel | None, metric: str) -> bool:
    """A cost or a loss ("CPA", "cost per click", "churn rate", "获客成本"): its best is its lowest."""
    if model is None or not model.has_metric(metric):
        return bool(_LESS_IS_BETTER.search(metric.replace("_", " ")))
    said = model.metric(metric)
    return any(_LESS_IS_BETTER.search(w) for w in (metric.replace("_", " "), said.label, said.label_zh or ""))


def rank_order(
    reading: Reading,
    metrics: list[str],
    group_by: list[DimensionRef],
    previous: QuerySpec | None,
    model: SemanticModel | None = None,
) -> tuple[tuple[OrderBy, ...], int | None]:
    if reading.reversed and reading.descending is None and reading.top_n is None:
        if previous is None or not previous.order_by or tuple(group_by) != previous.group_by:
            raise Unanswerable(
                "“反过来”要有上一个排名；请说明怎么排，例如“销售额最低的5个城市”。" if reading.language == "zh"
                else "There is no ranking before to turn around; say which order, e.g. 'the 5 cities with the "
                     "lowest revenue'.")
        return tuple(o.model_copy(update={"descending": not o.descending}) for o in previous.order_by), \
            previous.limit  # "flip it": the same ranking the other way round
    if reading.descending is None and reading.top_n is None:
        if previous is not None and tuple(group_by) == previous.group_by:
            # "top 5" then "换成订单数": the ranking follows the metric that replaced the old one
            swapped = {old: new for old, new in zip(previous.metrics, metrics, strict=False)}
            kept = set(metrics) | {g.name for g in group_by}
            order = tuple(
                o if o.field in kept or o.field.removesuffix("__share") in kept
                else OrderBy(field=swapped.get(o.field, metrics[0]), descending=o.descending)
                for o in previous.order_by
            )
            return order, previous.limit
        return (), None
    if not group_by:
        return (), None
    descending = reading.descending is not False
    if reading.judged and less_is_better(model, metrics[0]):  # "the worst CPA": the highest cost
        descending = not descending
    order = (OrderBy(field=metrics[0], descending=descending),)
    if reading.top_n is not None:
        return order, reading.top_n
    if (reading.which or reading.superlative) and not reading.rank_only and _singular(reading) \
            and not _EVERY_ROW.search(reading.text):
        return order, 1
    return order, None


_EVERY_ROW = re.compile(r"\b(?:distribution|full breakdown|all of them|every one|each one)\b|分布|全部列出|都列出|每个都")
""""几点下单最多？按小时看下分布", "which hour is busiest - show me the distribution": the one
asked for among every row, all shown (ordered), not the top row alone."""


def _singular(reading: Reading) -> bool:
    """"which city" / "哪个城市" asks for one; "which cities" / "哪些" for several."""
    if reading.language == "zh":
        return "哪些" not in reading.text
    said = [m for m in reading.dimensions if m.grouped] or reading.dimensions  # "categories with the most sales"
    if said:
        last = said[0].surface.split()[-1].removesuffix("'s").removesuffix("’s") if said[0].surface.split() else ""
        return not (last.endswith("s") and not last.endswith(("ss", "us", "is")))
    return True
