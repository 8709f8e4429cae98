"""How genbi read a question, in one line: "Revenue · by city tier · 2025 · top 5".

Shown above every answer so a marketer can catch a misreading before trusting a number.
"""

from __future__ import annotations

from datetime import date

from genbi.assistant.formatting import format_value
from genbi.assistant.periods import Bucket, compared_buckets, day_name
from genbi.assistant.planner.timeparse import describe_range
from genbi.assistant.planner.vocabulary import counts_rows_of
from genbi.semantic_layer.model import DimensionType, SemanticModel
from genbi.semantic_layer.query_spec import (
    METRIC_TIME,
    Filter,
    FilterOp,
    MemberCondition,
    MetricFilter,
    QuerySpec,
    TimeRange,
)

_GRAIN_ZH = {"day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年", "weekday": "星期",
             "day_type": "工作日/周末"}
_PART_EN = {"weekday": "day of week", "day_type": "weekday / weekend"}
_PART_VALUES_ZH = {"Monday": "周一", "Tuesday": "周二", "Wednesday": "周三", "Thursday": "周四", "Friday": "周五",
                   "Saturday": "周六", "Sunday": "周日", "weekday": "工作日", "weekend": "周末"}
_OPS_EN = {FilterOp.NE: "not", FilterOp.NOT_IN: "excluding", FilterOp.LT: "<", FilterOp.LE: "≤",
           FilterOp.GT: ">", FilterOp.GE: "≥", FilterOp.LIKE: "like", FilterOp.BETWEEN: "between"}
_OPS_ZH = {FilterOp.NE: "不含", FilterOp.NOT_IN: "不含", FilterOp.LT: "<", FilterOp.LE: "≤",
           FilterOp.GT: ">", FilterOp.GE: "≥", FilterOp.LIKE: "包含", FilterOp.BETWEEN: "介于"}


def _share_label(spec: QuerySpec, zh: bool) -> str:
    """Split by a time grain and a dimension, shares are within each period (the compiler
    partitions by the period), so the reading says so rather than "of total"."""
    grains = [g.grain.value for g in spec.group_by if g.grain is not None and g.name == METRIC_TIME]
    if grains and len(grains) < len(spec.group_by):
        return f"及每{_GRAIN_ZH.get(grains[0], grains[0])}内占比" if zh else f"with share within each {_PART_EN.get(grains[0], grains[0])}"
    if spec.periods and spec.group_by:  # "share by channel, 2025 vs 2024": each period's own shares
        return "及每个时段内占比" if zh else "with share within each period"
    return "及占比" if zh else "with share of total"


def interpret(spec: QuerySpec, model: SemanticModel, as_of: date, language: str = "en") -> str:
    zh = language == "zh"
    parts = [("、" if zh else " & ").join(_metric_label(model, m, zh) for m in spec.metrics)]
    if spec.share_of_total:
        parts.append(_share_label(spec, zh))
    if spec.average_per is not None:  # "average daily revenue": each day's total, averaged
        parts.append({"day": "日均", "week": "周均", "month": "月均", "quarter": "季均", "year": "年均"}
                     [spec.average_per.value] if zh else f"average per {spec.average_per.value}")
    if spec.count_members:  # "how many campaigns had ROAS above 3": their count, not the metric
        (key,) = spec.group_by
        name = _group_label(model, key.name, key.grain.value if key.grain else None, zh)
        parts = [f"{name}数" if zh else f"{name} count"]
    elif spec.group_by:
        names = [_group_label(model, g.name, g.grain.value if g.grain else None, zh) for g in spec.group_by]
        parts.append(("按" + "、".join(names)) if zh else "by " + ", ".join(names))
    parts += [_filter_label(model, f, zh) for f in spec.filters]
    parts += [("关注" if zh else "asked: ") + _filter_label(model, f, zh) for f in spec.share_rows]
    parts += [_having_label(model, h, zh) for h in spec.having]
    parts += [_member_label(model, c, zh) for c in spec.member_conditions]
    if spec.first_time is not None:  # whose first order falls in the period
        parts.append({"first": ("仅首次购买的客户（首单在此期间）", "first-time buyers only (first order in the period)"),
                      "returning": ("仅老客（此前下过单）", "returning buyers only (ordered before the period)"),
                      "split": ("按新客/老客（首单是否在此期间）", "by first-time vs returning (first order in the period or before)")}
                     [spec.first_time.keep][0 if zh else 1])
    if spec.time_range is not None:
        parts.append(describe_range(spec.time_range, as_of, language))
    if spec.periods:
        # each period by its calendar name ("July 2025", not "last month"); two read as the
        # later against the earlier, more in time order
        named = compared_buckets(spec, as_of, None, "zh" if zh else "en")
        names = [_to_date(named[k], zh) for k in sorted(named)]
        if len(names) > 3:  # "month over month for 2025": each against the one before
            bounds = [p.resolve(as_of) for p in spec.periods]
            span = describe_range(TimeRange(start=min(b[0] for b in bounds if b[0]),
                                            end=max(b[1] for b in bounds if b[1])), as_of, language)
            parts.append(f"{span}逐期环比（{len(names)}期）" if zh else f"{span}, {len(names)} periods, each vs the one before")
        else:
            if len(names) == 2:
                names.reverse()
            parts.append((" 对比 " if zh else " vs ").join(names))
    if spec.limit is not None and spec.order_by:
        top = spec.order_by[0]
        label = _order_label(model, top.field, zh)
        each = _ranked_in(spec, model, zh)
        if spec.offset:  # "the 2nd best channel": one place of the ranking, not its top
            place = spec.offset + 1
            word = "highest" if top.descending else "lowest"
            suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
            parts.append(f"按{label}{'从高到低' if top.descending else '从低到高'}第{place}名" if zh
                         else f"{place}{suffix} {word} by {label}")
        elif zh:
            parts.append(f"{f'每个{each}' if each else ''}{'前' if top.descending else '后'}{spec.limit}（按{label}"
                         f"{'，含并列' if spec.with_ties else ''}）")
        else:
            parts.append(f"{'top' if top.descending else 'bottom'} {spec.limit} by {label}"
                         f"{f' in each {each}' if each else ''}{', ties included' if spec.with_ties else ''}")
    elif spec.order_by:
        parts.append("从高到低" if spec.order_by[0].descending and zh else "从低到高" if zh
                     else "highest first" if spec.order_by[0].descending else "lowest first")
    return " · ".join(p for p in parts if p)


def _ranked_in(spec: QuerySpec, model: SemanticModel, zh: bool) -> str | None:
    """The group each top N is within ("top 2 … in each quarter"), or None for one top N."""
    group = next((g for g in spec.group_by if g.name == spec.rank_within), None)
    if group is None:
        return None
    if group.grain is not None:
        return _GRAIN_ZH.get(group.grain.value, group.grain.value) if zh else group.grain.value
    dimension = model.dimension(group.name)
    return (dimension.label_zh or dimension.label) if zh else dimension.label.lower()


_GRAIN_ZH = {"day": "天", "week": "周", "month": "月", "quarter": "季度", "year": "年", "hour": "小时", "weekday": "星期几"}


_ORDER_SUFFIXES = (
    ("__change_pct", "{}增长率", "growth in {} (%)"),
    ("__change", "{}增长", "change in {}"),
    ("__share", "{}占比", "share of {}"),
)


def _order_label(model: SemanticModel, field: str, zh: bool) -> str:
    """A ranked column by its meaning: "change in revenue" for ``revenue__change``."""
    for suffix, zh_form, en_form in _ORDER_SUFFIXES:
        name = field.removesuffix(suffix)
        if name != field and model.has_metric(name):
            label = _metric_label(model, name, zh)
            return zh_form.format(label) if zh else en_form.format(label.lower())
    return _metric_label(model, field, zh) if model.has_metric(field) else field


def _to_date(bucket: Bucket, zh: bool) -> str:
    """A calendar period the as-of date stops inside, named with its last counted day
    ("Dec 29 – Jan 4 (to Dec 31)"): a week to date is not the whole week."""
    if bucket.covered_to >= bucket.end:
        return bucket.name
    day = day_name(bucket.covered_to, "zh" if zh else "en")
    return f"{bucket.name}（截至{day}）" if zh else f"{bucket.name} (to {day})"


def _metric_label(model: SemanticModel, name: str, zh: bool) -> str:
    metric = model.metric(name)
    return metric.label_zh if zh else metric.label


def _group_label(model: SemanticModel, name: str, grain: str | None, zh: bool) -> str:
    if name == METRIC_TIME:
        return _GRAIN_ZH.get(grain or "", grain or "") if zh else _PART_EN.get(grain or "", grain or "time")
    dimension = model.dimension(name)
    label = dimension.label_zh if zh else dimension.label.lower()
    return f"{label}（{_GRAIN_ZH.get(grain, grain)}）" if zh and grain else f"{label} ({grain})" if grain else label


def _having_label(model: SemanticModel, condition: MetricFilter | MemberCondition, zh: bool) -> str:
    """"ROAS < 1.00×": the threshold in the metric's own format, so "2%" reads back as 2.0%."""
    metric = model.metric(condition.metric)
    value = format_value(condition.value, metric.format.value, "zh" if zh else "en")
    op = (_OPS_ZH if zh else _OPS_EN).get(condition.op, "=")  # "= 1": "ordered exactly once"
    return f"{_metric_label(model, condition.metric, zh)} {op} {value}"


def counted_rows_label(spec: QuerySpec, model: SemanticModel, zh: bool) -> str | None:
    """What a number counted only some rows of, for its column label ("only customers with
    Orders > 3"; for a count of members, the condition they meet): a single number must not
    read as the total of everyone."""
    if spec.member_conditions:
        return "；".join(_member_label(model, c, zh) for c in spec.member_conditions) if zh \
            else "; ".join(_member_label(model, c, zh) for c in spec.member_conditions)
    if spec.count_members and spec.having:
        return ("，".join if zh else ", ".join)(_having_label(model, h, zh) for h in spec.having)
    return None


def _member_label(model: SemanticModel, condition: MemberCondition, zh: bool) -> str:
    """"only customers with Orders > 3": says whose rows are counted, in the period read."""
    having = _having_label(model, condition, zh)
    if zh:
        return f"仅{having}的{_entity_label(model, condition.entity, zh).removesuffix('数')}"
    return f"only {_entity_label(model, condition.entity, zh)} with {having}"


def _entity_label(model: SemanticModel, entity: str, zh: bool) -> str:
    """The members' name: the label of the model's plain count of them ("Customers"), else the table's name."""
    if "." in entity:  # members named by a column: what the model calls its distinct count
        table, _, column = entity.partition(".")
        counts = sorted((m for m in model.metrics if _counts_distinct(model, m.name, table, column)),
                        key=lambda m: (len(m.label), m.name))
    else:
        counts = sorted((m for m in model.metrics if counts_rows_of(model, m.name, entity)),
                        key=lambda m: (len(m.label), m.name))  # "Customers" before "New customers"
    if not counts:
        return entity.replace("_", " ")
    return (counts[0].label_zh or counts[0].label) if zh else counts[0].label.lower()


def _counts_distinct(model: SemanticModel, metric: str, table: str, column: str) -> bool:
    definition = model.metric(metric)
    if definition.measure is None:
        return False
    measure = model.measure(definition.measure)
    return (measure.table == table and measure.agg.value == "count_distinct" and measure.filter is None
            and measure.expr.strip().removeprefix(f"{table}.") == column)


def _filter_label(model: SemanticModel, spec_filter: Filter, zh: bool) -> str:
    if spec_filter.part is not None:  # "on weekends": the days, said as days
        days = [(_PART_VALUES_ZH.get(str(v), str(v)) if zh else str(v)) for v in spec_filter.values]
        said = ("、" if zh else ", ").join(days)
        negated = spec_filter.op in (FilterOp.NE, FilterOp.NOT_IN)
        return (f"不含{said}" if negated else f"仅{said}") if zh else (f"excluding {said}" if negated else f"{said} only")
    dimension = model.dimension(spec_filter.dimension)
    labels = {str(v.value): (v.label_zh if zh else v.label) for v in dimension.values}
    if dimension.type == DimensionType.BOOLEAN:  # "cancelled: yes", "已取消：是" (the table's own words), not True
        labels = {"True": "是" if zh else "yes", "False": "否" if zh else "no", **labels}
    values = ("、" if zh else ", ").join(labels.get(str(v)) or str(v) for v in spec_filter.values)
    name = dimension.label_zh if zh else dimension.label.lower()
    if spec_filter.op == FilterOp.BETWEEN and len(spec_filter.values) == 2:  # "signup date: 2024-01-01 to 2024-12-31"
        low, high = (labels.get(str(v)) or str(v) for v in spec_filter.values)
        return f"{name}：{low} 至 {high}" if zh else f"{name}: {low} to {high}"
    if spec_filter.op in (FilterOp.IS_NULL, FilterOp.NOT_NULL):  # "with a coupon code", "没有优惠码"
        said = spec_filter.op == FilterOp.NOT_NULL
        return (f"有{name}" if said else f"无{name}") if zh else (f"with a {name}" if said else f"no {name}")
    op = (_OPS_ZH if zh else _OPS_EN).get(spec_filter.op)
    if op is None:
        return f"{name}：{values}" if zh else f"{name}: {values}"
    return f"{name}{op}{values}" if zh and op in ("不含", "包含") else f"{name}: {op} {values}"
