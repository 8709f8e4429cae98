"""What the metrics can be split and filtered by without double counting.

A metric a requested dimension cannot split is swapped for the model's closest one that
can (revenue by category → product sales), with a note, or the question declines; values
that only echo the metric's own words or define a ratio's parts are not filters.
"""

from __future__ import annotations

import re

from genbi.assistant.planner.cues import STOPWORDS_EN
from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.text import has_cjk, normalize
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.assistant.planner.vocabulary import people_counts
from genbi.semantic_layer.model import Metric, MetricType, SemanticModel
from genbi.semantic_layer.query_spec import (
    METRIC_TIME,
    DimensionRef,
    Filter,
    FilterOp,
)


def drop_echo_filters(
    model: SemanticModel, reading: Reading, metrics: list[str], filters: list[Filter]
) -> list[Filter]:
    """Drop a value that only echoes the metric's own words and could not filter it anyway.

    "customers who made a purchase" (buyers) is not "buyers filtered by the purchase funnel
    step"; "获客的新用户" (new customers) is not "campaigns with objective acquisition".
    """
    if not metrics or not filters:
        return filters
    words: set[str] | None = None  # the metrics' own words, read only for a filter they cannot take
    kept = []
    for spec_filter in filters:
        blocked = any(not model.can_filter_by(m, spec_filter.dimension) for m in metrics)
        surfaces = [v.surface for v in reading.values if v.term.target == spec_filter.dimension]
        if blocked and surfaces:
            words = words if words is not None else set().union(*(_metric_words(model, m) for m in metrics))
            if all(_echoes(surface, words) for surface in surfaces):
                continue
        kept.append(spec_filter)
    return kept


def parts_of_ratios(model: SemanticModel, metrics: list[str], filters: list[Filter], *,
                     steps: bool) -> tuple[list[str], list[Filter]]:
    """"Conversion rate from visit to purchase", "从访问到购买的转化率": the steps name the
    ratio's own parts. A value its numerator or denominator is defined by (event = 'purchase')
    is not a filter on the whole ratio, and (when the question names ``steps``) a metric that
    is one of its parts is not a second metric ("orders and AOV" keeps both)."""
    ratios = [m for m in metrics if model.metric(m).type == MetricType.RATIO]
    if not ratios:
        return metrics, filters
    parts = {measure.name for r in ratios for measure in model.metric_measures(r)}
    defined = {pair for r in ratios for measure in model.metric_measures(r)
               for pair in equalities_of(model, measure.filter)}
    kept_metrics = metrics if not steps else \
        [m for m in metrics if m in ratios or not {x.name for x in model.metric_measures(m)} <= parts]
    kept_filters = []
    for spec_filter in filters:
        column = (model.dimension(spec_filter.dimension).column or "").lower()
        if spec_filter.op in (FilterOp.EQ, FilterOp.IN) and column and all(
            (column, str(v).lower()) in defined for v in spec_filter.values
        ):
            continue
        kept_filters.append(spec_filter)
    return kept_metrics or metrics, kept_filters


def equalities_of(model: SemanticModel, condition: str | None) -> frozenset[tuple[str, str]]:
    """``_equalities`` of a measure's filter, worked out once per model."""
    return model.derived(("equalities", condition), lambda: _equalities(condition))


def _equalities(condition: str | None) -> frozenset[tuple[str, str]]:
    """``column = 'literal'`` pairs of a measure's filter (lower case)."""
    if not condition:
        return frozenset()
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(condition)
    except sqlglot.errors.SqlglotError:
        return frozenset()
    pairs = set()
    for equal in tree.find_all(exp.EQ):
        left, right = equal.this, equal.expression
        if isinstance(left, exp.Literal):
            left, right = right, left
        if isinstance(left, exp.Column) and isinstance(right, exp.Literal):
            pairs.add((left.name.lower(), right.this.lower()))
    for member in tree.find_all(exp.In):
        if isinstance(member.this, exp.Column):
            pairs |= {(member.this.name.lower(), e.this.lower()) for e in member.expressions
                      if isinstance(e, exp.Literal)}
    return frozenset(pairs)


def _metric_words(model: SemanticModel, metric: str) -> set[str]:
    m = model.metric(metric)
    return {normalize(w) for w in (m.name, m.label, m.label_zh, *m.synonyms)}


def _echoes(surface: str, metric_words: set[str]) -> bool:
    stem = surface.rstrip("s")
    return any(
        stem in word.split() or (len(stem) >= 4 and stem in word) or (has_cjk(surface) and surface in word)
        for word in metric_words
    )


def reachable_metrics(
    model: SemanticModel,
    metrics: list[str],
    group_by: list[DimensionRef],
    filters: list[Filter],
    notes: list[str],
    zh: bool,
    swaps: dict[str, str] | None = None,
    spent: frozenset[str] = frozenset(),
) -> tuple[list[str], list[DimensionRef], list[Filter]]:
    """``swaps`` (when given) receives each metric shown instead of an asked one. A breakdown
    or filter the metric cannot take swaps it only for the same quantity by another name, or
    for the money people spent (``spent``, see ``spent_by_people``); "CTR by city tier" is no
    repeat purchase rate, "app 的转化率" no repeat purchase rate either."""
    splits = [g.name for g in group_by if g.name != METRIC_TIME]
    resolved = []
    for metric in metrics:
        blocked = [d for d in splits if not model.can_group_by(metric, d)] + [
            f.dimension for f in filters if not model.can_filter_by(metric, f.dimension)
        ]
        if not blocked:
            resolved.append(metric)
            continue
        substitute = _substitute(model, metric, splits, [f.dimension for f in filters])
        if substitute is None or (metric not in spent and not same_quantity(model, metric, substitute)):
            raise Unanswerable(_blocked_reason(model, metric, blocked, zh))
        notes.append(_substitute_note(model, metric, substitute, blocked, zh))
        resolved.append(substitute)
        if swaps is not None:
            swaps[metric] = substitute
    return list(dict.fromkeys(resolved)), group_by, filters


_CONTAINING = re.compile(
    r"\border(?:s|ed)?\b|\b(?:includ\w*|contain\w*|with|having|bought|purchased)\b|订单|包含|含有|含|买过|购买过|买了"
)


def money_of_lines(model: SemanticModel, reading: Reading, metrics: list[str], filters: list[Filter],
                    notes: list[str], zh: bool) -> list[str]:
    """"makeup sales", "护肤品的销售额": money filtered by an attribute of the lines below an
    order (a product category) means the money of those lines, not of whole orders that
    include one: the model's closest metric those lines carry, with a note. The question
    keeps whole orders when it says so ("orders that included skincare", "包含彩妆的订单")."""
    if _CONTAINING.search(reading.text):
        return metrics
    out = []
    for metric in metrics:
        bridged = [f.dimension for f in filters if model.can_filter_by(metric, f.dimension)
                   and not model.can_group_by(metric, f.dimension)]
        substitute = _substitute(model, metric, bridged, [f.dimension for f in filters]) if bridged else None
        if substitute is None or model.metric(metric).format.value != "currency":
            out.append(metric)
            continue
        m, sub = model.metric(metric), model.metric(substitute)
        dims = [model.dimension(d) for d in dict.fromkeys(bridged)]
        notes.append(
            f"按{'、'.join(d.label_zh for d in dims)}筛选时用“{sub.label_zh}”（这些商品本身的金额），"
            f"而不是包含它们的整单“{m.label_zh}”。" if zh
            else f"Filtered by {', '.join(d.label.lower() for d in dims)}: showing {sub.label} of those items, "
                 f"not {m.label.lower()} of whole orders that include them (ask for orders that include them "
                 "for that)."
        )
        out.append(substitute)
    return list(dict.fromkeys(out))


_VERB_FORM = re.compile(r"spends|spent|spending|buys|bought|pays|paid")
"""A metric said as what someone did ("which city tier spends the most"), not by its noun."""


def spent_by_people(reading: Reading, model: SemanticModel) -> frozenset[str]:
    """Money metrics the question says people spent: named by a verb of spending ("which city
    tier spends the most"), or a sum of money said of customers ("how much did platinum
    members spend", "spend per buyer"). What they spent is the model's sales, not ad spend."""
    verbs = {m.term.target for m in reading.metrics if _VERB_FORM.fullmatch(normalize(m.surface))}
    people = people_counts(model)
    customers = model.role_table("customer_entity") if "customer_entity" in model.roles else None
    if any(m.term.target in people for m in reading.metrics) or any(
            model.has_dimension(v.term.target) and model.dimension(v.term.target).table == customers
            for v in reading.values):
        verbs |= {m.term.target for m in reading.metrics if model.metric(m.term.target).type == MetricType.SIMPLE
                  and model.metric(m.term.target).format.value == "currency"}
    return frozenset(verbs)


def same_quantity(model: SemanticModel, metric: str, other: str) -> bool:
    """One of the two metrics goes by the other's own name ("category revenue" is product
    sales; "experiment conversion rate" is a conversion rate): the same quantity measured on
    other rows. Rows split by something only ``other`` has are then ``metric``'s rows too;
    "CTR by city tier" as the repeat purchase rate (a shared word "rate") was another number."""
    first, second = model.metric(metric), model.metric(other)
    return _goes_by(first, second) or _goes_by(second, first)


def _goes_by(named: Metric, by: Metric) -> bool:
    label = normalize(named.label)
    return any(re.search(rf"(?<![a-z]){re.escape(label)}(?![a-z])", normalize(word))
               for word in (by.label, by.label_zh, *by.synonyms) if word)


def _substitute(model: SemanticModel, metric: str, splits: list[str], filtered: list[str]) -> str | None:
    """The model's closest metric that every requested dimension can split or filter."""
    original = model.metric(metric)
    words = metric_words_of(model, original)
    best, best_score = None, 0
    for candidate in model.metrics:
        if candidate.name == metric or candidate.format != original.format:
            continue
        if not all(model.can_group_by(candidate.name, d) for d in splits):
            continue
        if not all(model.can_filter_by(candidate.name, d) for d in filtered):
            continue
        score = len(words & metric_words_of(model, candidate))
        if score > best_score:
            best, best_score = candidate.name, score
    return best


def metric_words_of(model: SemanticModel, metric: Metric) -> frozenset[str]:
    """``_words`` of a metric's names, worked out once per model."""
    return model.derived(("metric words", metric.name), lambda: frozenset(
        _words(metric.name, metric.label, metric.label_zh, *metric.synonyms)))


_GENERIC_ZH = frozenset({"数量", "总数", "次数", "人数", "金额", "总额", "比例", "比率", "平均", "均值", "人均", "中位",
                         "总计", "合计", "占比", "率"})
_HOW_EN = frozenset({"average", "avg", "mean", "median", "rate", "ratio", "daily", "per", "typical", "overall"})
"""How a metric aggregates, not what it measures: "average review score" and "average product
weight" share "average" and nothing else, and one is no stand-in for the other."""


def _words(*texts: str) -> set[str]:
    """Content words (English) and character pairs (Chinese) of a metric's names."""
    out: set[str] = set()
    for text in texts:
        folded = normalize(text)
        out |= {w for w in folded.split() if len(w) > 2 and w not in STOPWORDS_EN and w not in _HOW_EN}
        out |= {
            folded[i:i + 2] for i in range(len(folded) - 1)
            if has_cjk(folded[i:i + 2]) and folded[i:i + 2] not in _GENERIC_ZH and folded[i + 1] != "数"
        }
    return out


def _blocked_reason(model: SemanticModel, metric: str, blocked: list[str], zh: bool) -> str:
    m = model.metric(metric)
    names = [model.dimension(d) for d in dict.fromkeys(blocked)]
    if zh:
        return f"“{m.label_zh}”无法按{'、'.join(d.label_zh for d in names)}拆分或筛选：数据之间没有可靠的关联。"
    return (
        f"{m.label} can't be split or filtered by {', '.join(d.label for d in names)}: "
        "the data doesn't link them without double counting."
    )


def _substitute_note(model: SemanticModel, metric: str, substitute: str, blocked: list[str], zh: bool) -> str:
    m, s = model.metric(metric), model.metric(substitute)
    dims = [model.dimension(d) for d in dict.fromkeys(blocked)]
    if zh:
        return f"“{m.label_zh}”无法按{'、'.join(d.label_zh for d in dims)}拆分，改用“{s.label_zh}”。"
    return f"{m.label} can't be split by {', '.join(d.label for d in dims)}; showing {s.label} instead."
