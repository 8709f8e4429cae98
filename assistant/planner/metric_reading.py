"""Which metrics a reading asks for.

Metric nouns that only qualify who ("Shanghai customers' revenue"), two metrics joined by
"per" that are the model's ratio of them ("revenue per buyer"), money asked per unit of a
count ("平均每个订单多少钱"), a value word that is also a metric ("浏览商品的会话数").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from genbi.assistant.planner.cohorts import signup_dimension
from genbi.assistant.planner.per_pairs import ratio_of
from genbi.assistant.planner.reading import CONNECTOR, Mention, Reading
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.assistant.planner.vocabulary import (
    TermKind,
    counts_rows_of,
    entity_count,
    plain_people_metric,
)
from genbi.screened import Screened
from genbi.semantic_layer.model import MetricType, SemanticModel

WEAK_METRIC_WORDS = frozenset(
    {"sell", "sold", "selling", "sells", "spent", "buy", "bought", "卖", "卖了", "花了", "买", "买了"}
)
"""Verbs that name a metric only when nothing else does ("how many units did we sell"), unless
the money follows ("campaigns that spent money but got zero orders": the spend is asked)."""
_MONEY_AFTER = re.compile(r"\s?(?:money|cash|钱)")


def only_qualifiers(reading: Reading, model: SemanticModel) -> bool:
    """Every metric word is an entity noun right after a value ("Shanghai customers")."""
    return all(follows_value(reading, m) and entity_count(model, m.term.target) for m in reading.metrics)


def bare_metric_question(reading: Reading) -> bool:
    """"看订单数", "orders?": a short question naming only a metric continues the conversation."""
    said_more = reading.dimensions or reading.values or reading.times or reading.top_n or reading.descending is not None \
        or reading.never
    short = len(reading.text) <= (12 if reading.language == "zh" else 30)
    return bool(reading.metrics) and not said_more and short


def ranks_the_rows_before(reading: Reading, previous_split: bool) -> bool:
    """"top 3 by spend", "花费最高的前三个" right after "spend by channel last month": a short
    ranking naming no breakdown, value or period ranks the rows just shown; alone it would ask
    "highest among what?"."""
    ranked = reading.top_n is not None or reading.superlative
    said_more = reading.dimensions or reading.values or reading.times
    short = len(reading.text) <= (16 if reading.language == "zh" else 40)
    return previous_split and ranked and bool(reading.metrics) and not said_more and short


def metric_words_as_values(reading: Reading, model: SemanticModel) -> None:
    """"浏览商品的会话数": a word that is both a metric and a value, right before a metric
    that is only a metric and whose rows that value labels, is the value (sessions at the
    view-product step)."""
    plain = [m for m in reading.metrics if not any(t.kind == TermKind.VALUE for t in m.options)]
    for mention in list(reading.metrics):
        values = [t for t in mention.options if t.kind == TermKind.VALUE]
        if not values or mention in plain:
            continue
        head = next((p for p in plain if 0 <= p.start - mention.end <= 2
                     and reading.text[mention.end:p.start].strip() in {"", "的"}), None)
        fitting = [t for t in values if head and model.can_group_by(head.term.target, t.target)]
        if fitting:
            reading.metrics.remove(mention)
            reading.values.append(replace(mention, term=min(fitting, key=lambda t: t.rank)))
    reading.values.sort(key=lambda m: m.start)


_PER = Screened(r"\bper\b|\bfor each\b|\bfor every\b|\bdivided by\b|每个?|每位|每一个?|平均|人均|单均|/")


def compose_ratios(model: SemanticModel, reading: Reading, metrics: list[str]) -> list[str]:
    """"revenue per buyer", "每个买家平均带来多少销售额", "conversions per click": two
    metrics joined by "per" are the model's ratio of them, when it has one."""
    mentions = sorted((m for m in reading.metrics if m.term.target in metrics), key=lambda m: m.start)
    result = list(metrics)
    for first, second in itertools.pairwise(mentions):
        between = reading.text[first.end:second.start]
        before = reading.text[max(0, first.start - 6):first.start]
        if _FROM_TO.match(between) and _FROM.search(before):
            # "conversion rate from visit to purchase", "从访问到购买的转化率": the steps are
            # the ratio's parts and the rate word names that ratio, not a metric of its own
            ratio = ratio_of(model, first.term.target, second.term.target)
            if ratio is not None:
                result = [ratio if m in (first.term.target, second.term.target)
                          or model.metric(m).type == MetricType.RATIO else m for m in result]
            continue
        part_of = bool(_PART_OF.match(between))
        if part_of or _PER.search(between) or _A_UNIT.search(between):  # "revenue per buyer": the first over the second
            ratio = ratio_of(model, first.term.target, second.term.target, directed=True)
        elif _PER.search(before) or _A_UNIT.search(before):  # "每个买家带来的销售额", "what did a click cost"
            ratio = ratio_of(model, second.term.target, first.term.target, directed=True)
        else:
            continue
        if ratio is not None:
            result = [ratio if m in (first.term.target, second.term.target) else m for m in result]
            reading.share = reading.share and not part_of  # "折扣占折前销售额的比例" is the ratio itself
    if len(mentions) == 1 and reading.language and _MONEY.search(reading.text):
        result = [_money_per(model, reading, mentions[0]) or m for m in result]
    return list(dict.fromkeys(result))


_A_UNIT = re.compile(r"\b(?:a|an|each|every|one|single)\s$")
""""cost of a click", "what did a click cost": the count after "a" is the unit of a ratio."""


_PART_OF = re.compile(r"^\s?(?:占|在|as a (?:share|percentage|percent|fraction|proportion) of|as (?:a )?% of|out of|relative to)\s?$")


_MONEY = Screened(r"\bhow much\b|\bcost\b|\bpay\b|\bpaid\b|多少钱|花多少|花了多少|成本|金额")


def _money_per(model: SemanticModel, reading: Reading, mention: Mention) -> str | None:
    """"平均每个订单多少钱", "每次点击花多少钱", "how much did we pay per conversion": money
    asked per unit of one count is the model's only money ratio over that count."""
    before = reading.text[max(0, mention.start - 8):mention.start]
    if not (_PER.search(before) or _A_UNIT.search(before)):
        return None
    definition = model.metric(mention.term.target)
    if definition.type != MetricType.SIMPLE or definition.format.value == "currency":
        return None
    fitting = [m.name for m in model.metrics if m.type == MetricType.RATIO and m.denominator == definition.measure
               and m.format.value == "currency"]
    fitting = sales_first(model, fitting)
    return fitting[0] if len(fitting) == 1 else None


_SALES_NAMES = frozenset({"sales", "revenue", "销售额", "收入"})


def sales_first(model: SemanticModel, ratios: list[str]) -> list[str]:
    """Of several money ratios over one count ("average order": average order value or the
    average discount per order), the ones of sales: money said with no word for which money
    is what was paid. ``ratios`` unchanged when there are fewer than two or none is of sales."""
    if len(ratios) < 2:
        return ratios
    return [r for r in ratios if of_sales(model, model.metric(r).numerator)] or ratios


def of_sales(model: SemanticModel, measure: str | None) -> bool:
    """``measure`` is what a simple metric the model calls sales or revenue adds up."""
    return any(m.type == MetricType.SIMPLE and m.measure == measure
               and _SALES_NAMES & {normalize(w) for w in (m.name, m.label, m.label_zh, *m.synonyms) if w}
               for m in model.metrics)


_FROM_TO = re.compile(r"^\s?(?:to|through|到|至|->|→)\s?$")


_FROM = re.compile(r"(?:\bfrom|从|由)\s?$")


def asked_metrics(reading: Reading, model: SemanticModel) -> list[str]:
    """Metric names asked for, dropping metric nouns that only qualify something else.

    "Shanghai customers' revenue", "上海用户下了多少单": the entity noun (customers, 用户)
    names who, not what to count, when the question names another metric it isn't listed
    with ("customers and orders" keeps both).
    """
    kept = _one_phrase(list(reading.metrics), model, reading)
    if len({m.term.target for m in kept}) > 1:
        verbs = [m for m in kept if m.surface in WEAK_METRIC_WORDS and not _MONEY_AFTER.match(reading.text, m.end)]
        if len(verbs) < len(kept):
            kept = [m for m in kept if m not in verbs]
    if len({m.term.target for m in kept}) > 1:
        qualifiers = [  # "Shanghai customers' revenue"; but "tmall revenue and orders" asks for both
            m for m in kept
            if (follows_value(reading, m) and entity_count(model, m.term.target))
            or (not _listed(reading, m, model)
                and (follows_value(reading, m) or entity_count(model, m.term.target) or _part_of_other(model, m, kept, reading.text)
                     or _whose_keys(model, m, kept, reading.text)))
        ]
        if len(qualifiers) < len(kept):
            asked = [m for m in kept if m not in qualifiers]
            _check_qualifying_subset(model, qualifiers, asked, reading.text, reading.language)
            _check_own_column(model, qualifiers, asked, reading.language)
            kept = [m for m in kept if m not in qualifiers]
    names = list(dict.fromkeys(m.term.target for m in kept))
    # Two names of one computation ("customers signed up", "新注册客户": both count customers
    # by signup date) are one column: the longer words name it (ties: the later).
    longest = {n: max(len(m.surface) for m in kept if m.term.target == n) for n in names}
    same = {n: _definition(model, n) for n in names}
    drop = {n for n in names for o in names if o != n and same[n] is not None and same[n] == same[o]
            and (longest[o], names.index(o)) > (longest[n], names.index(n))}
    return [n for n in names if n not in drop]


_JOINED = {"zh": re.compile(r"^的?$"), "en": re.compile(r"^(?:'s|’s)? $")}
"""Nothing between two words said as one name but "的" / "'s" (a blank is a clause read apart)."""


def _one_phrase(mentions: list[Mention], model: SemanticModel, reading: Reading) -> list[Mention]:
    """"revenue before discounts", "折扣前的销售额": two metric words side by side, nothing
    listing them, that said together are one name of one of the two ("sales before discounts",
    "折扣前销售额", either word swapped for another name of its metric) ask for that one only;
    both were answered, the net revenue beside the gross."""
    if len({m.term.target for m in mentions}) < 2:
        return mentions
    dropped: set[int] = set()
    for first, second in itertools.pairwise(mentions):
        if first.term.target == second.term.target or not _JOINED["zh" if reading.language == "zh" else "en"].match(reading.text[first.end:second.start]):
            continue
        named = _named_together(model, first, second, reading.language)
        if named is not None:
            dropped.add(id(second) if named == first.term.target else id(first))
    return [m for m in mentions if id(m) not in dropped]


def _named_together(model: SemanticModel, first: Mention, second: Mention, language: str) -> str | None:
    """The metric whose name the two words make, each said or swapped for another name of its own."""
    names = {m.term.target: _names(model, m.term.target) for m in (first, second)}
    glue = "" if language == "zh" else " "
    for left in {normalize(first.surface), *names[first.term.target]}:
        for right in {normalize(second.surface), *names[second.term.target]}:
            phrase = f"{left}{glue}{right}"
            for target in (first.term.target, second.term.target):
                if phrase in names[target]:
                    return target
    return None


def _names(model: SemanticModel, metric: str) -> frozenset[str]:
    m = model.metric(metric)
    return frozenset(normalize(w) for w in (m.name, m.label, m.label_zh, *m.synonyms) if w)


_WHOSE = re.compile(r"^(?:'s?|’s?)?\s?(?:的)?\s?(?:平均|总|整体)?\s?$")
_FROM_WHOM = re.compile(r"^\s?(?:(?:that |which )?(?:came|comes|come|coming|was|were|is|are|did we get|we got)\s(?:in\s)?)?"
                        r"(?:from|of|by|among|for|generated by|made by|spent by|brought in by|contributed by)\s"
                        r"(?:the |our |all )?$")
""""revenue from new customers", "revenue came from new customers": the metric said of whom."""


def _check_qualifying_subset(model: SemanticModel, qualifiers: list[Mention], asked: list[Mention],
                             text: str, language: str) -> None:
    """"revenue from new customers", "新客的客单价": a count of customers other than the plain
    one (new customers: those who signed up in the period) names a subset the other metric
    cannot be limited to. Dropped as a word for who, the answer would be everyone's; so it
    is declined, with both numbers offered side by side."""
    for noun in qualifiers:
        if not names_a_subset(model, noun.term.target, [m.term.target for m in asked]):
            continue
        if joining_dimension(model, noun.term.target, [m.term.target for m in asked]) is not None:
            continue  # those who joined in the question's period: the planner limits the spec to them
        if not any(_WHOSE.match(text[noun.end:m.start]) if noun.end <= m.start else _FROM_WHOM.match(text[m.end:noun.start])
                   for m in asked) and not _said_before_zh(noun, asked, text, language):
            continue  # "ad spend per new customer": the unit of a ratio, not who
        who = model.metric(noun.term.target)
        what = [model.metric(m.term.target) for m in asked]
        if language == "zh":
            names = "、".join(m.label_zh or m.label for m in what)
            label = who.label_zh or who.label
            raise Unanswerable(f"模型不能只算{label}（“{noun.surface}”）的{names}：{label}是按注册时间数的客户，"
                               f"不能用来筛选{names}。可以并排看两者，例如“今年的{label}和{names}”。")
        names = ", ".join(m.label.lower() for m in what)
        raise Unanswerable(f"The model can't limit {names} to {who.label.lower()} ('{noun.surface}'): it counts "
                           f"{who.label.lower()} on their own date, not which {names} came from them. Ask for both "
                           f"side by side, e.g. '{who.label.lower()} and {names} this year'.")


_PER_BEFORE_ZH = re.compile(r"(?:每|每个|每位|每名|平均每|人均|单个)\s?$")
_CLAUSE_ZH = re.compile(r"^[\u4e00-\u9fff\d\s]{0,12}$")


def _said_before_zh(noun: Mention, asked: list[Mention], text: str, language: str) -> bool:
    """"今年新客贡献了多少销售额", "新用户上个月下了多少单": in Chinese the people a metric is
    said of come first, with a verb between ("贡献", "带来的", "下"), not only "的"; a count of
    them there names whose metric it is, unless it is the unit after "每" ("每个新客的花费")."""
    if language != "zh" or _PER_BEFORE_ZH.search(text[:noun.start]):
        return False
    return any(noun.end <= m.start and _CLAUSE_ZH.match(text[noun.end:m.start]) for m in asked)


def keyed_entity(model: SemanticModel, metric: str) -> str | None:
    """The table whose rows a distinct count of a key counts: "tracks" as COUNT(DISTINCT
    invoice_line.track_id) counts rows of ``track``; None for any other metric."""
    definition = model.metric(metric)
    if definition.type != MetricType.SIMPLE or not definition.measure:
        return None
    measure = model.measure(definition.measure)
    expr = measure.expr.strip()
    if measure.agg.value != "count_distinct" or measure.filter or ("." in expr and expr.split(".")[0] != measure.table):
        return None
    key = expr.split(".")[-1]
    return next((link.to for link in model.table(measure.table).many_to_one if link.column == key), None)


def _whose_keys(model: SemanticModel, mention: Mention, mentions: list[Mention], text: str) -> bool:
    """"average unit price of tracks", "revenue of customers" (customers counted on invoices):
    a count of the things another metric is measured for names whose it is, not a second
    metric, when "of" / "for" ties it to that metric."""
    if keyed_entity(model, mention.term.target) is None:
        return False
    return any(other.term.target != mention.term.target and other.end <= mention.start
               and _QUALIFIES.match(text[other.end:mention.start]) for other in mentions)


def _check_own_column(model: SemanticModel, qualifiers: list[Mention], asked: list[Mention], language: str) -> None:
    """"average unit price of tracks" where the price measured is the invoice lines' and the
    track table has a unit price of its own: which one is meant is not said, and the model
    measures only one. Answered, it would be the other table's number under the asked words;
    declined with both named."""
    for noun in qualifiers:
        table = keyed_entity(model, noun.term.target)
        if table is None and entity_count(model, noun.term.target):
            table = _tables_of(model, noun.term.target)[0]
        if table is None:
            continue
        for metric in asked:
            for measure in model.metric_measures(metric.term.target):
                column = measure.expr.strip()
                owner = model.table(table)
                if measure.table == table or not column.isidentifier() or owner.column(column) is None \
                        or column == owner.primary_key:
                    continue  # the owner's key counted on another table ("buyers" of customers) is theirs
                label = model.metric(metric.term.target)
                if language == "zh":
                    raise Unanswerable(
                        f"“{label.label_zh or label.label}”算的是{measure.table}表的{column}；“{noun.surface}”问的像是"
                        f"{table}表自己的{column}，模型里没有它的度量。去掉“{noun.surface}”可以看{measure.table}表的"
                        f"{label.label_zh or label.label}。")
                raise Unanswerable(
                    f"'{label.label}' is measured on the {measure.table} rows' {column}; '{noun.surface}' sounds like the "
                    f"{table} table's own {column}, which the model has no measure of. Ask for "
                    f"'{label.label.lower()}' without '{noun.surface}' for the {measure.table} figure.")


def joining_dimension(model: SemanticModel, noun: str, asked: list[str]) -> str | None:
    """The signup date ``noun`` counts customers on ("new customers": COUNT(customers) by
    their signup date), when every ``asked`` metric can be filtered by it: "revenue from new
    customers last month" is last month's revenue of the customers who signed up last month,
    the very people "new customers last month" counts. None for any other count."""
    dimension = signup_dimension(model)
    if dimension is None or not all(model.can_filter_by(m, dimension) for m in asked):
        return None
    signup = model.dimension(dimension)
    column = f"{signup.table}.{signup.column or signup.name}"
    measures = model.metric_measures(noun)
    return dimension if measures and all(m.time == column and m.table == signup.table for m in measures) else None


def names_a_subset(model: SemanticModel, noun: str, asked: list[str]) -> bool:
    """``noun`` counts some of the people ("new customers": those who signed up in the period,
    not the plain count of customers) whose rows the ``asked`` metrics cannot be limited to:
    said of them, the answer would be everyone's."""
    if noun == plain_people_metric(model) or not entity_count(model, noun):
        return False
    if {t for m in asked for t in _tables_of(model, m)} <= set(_tables_of(model, noun)):
        return False  # "average income of customers" on a file of customers: those rows are the customers
    return not _belongs_to(model, asked, noun)  # "sales of invoices": lines of an invoice, dated by it: all


def _belongs_to(model: SemanticModel, asked: list[str], noun: str) -> bool:
    """Every row the asked metrics measure belongs to a row ``noun`` counts (a many-to-one link)
    and is dated by that row's date: "sales of invoices" is all sales. Not "revenue from new
    customers", counted by their signup date, not by the orders' own."""
    owners = {m.table for m in model.metric_measures(noun)}
    times = {m.time for m in model.metric_measures(noun)}
    measures = [x for m in asked for x in model.metric_measures(m)]
    return bool(measures) and None not in times and all(
        x.time in times and any(link.to in owners for link in model.table(x.table).many_to_one) for x in measures)


def _tables_of(model: SemanticModel, metric: str) -> tuple[str, ...]:
    return tuple(m.table for m in model.metric_measures(metric))


def _definition(model: SemanticModel, metric: str) -> tuple[str, ...] | None:
    definition = model.metric(metric)
    if definition.type == MetricType.SIMPLE and definition.measure:
        return ("simple", definition.measure)
    return None


def _part_of_other(model: SemanticModel, mention: Mention, mentions: list[Mention], text: str) -> bool:
    """"AOV of orders", "订单的客单价": the noun names a part of another metric asked for, not
    a metric, when it qualifies that metric; "spend last quarter and what was the roas"
    asks for both."""
    own = {m.name for m in model.metric_measures(mention.term.target)}
    return any(
        other.term.target != mention.term.target
        and ((model.metric(other.term.target).type != MetricType.SIMPLE
             and own <= {m.name for m in model.metric_measures(other.term.target)})
             or _rows_summed(model, mention.term.target, other.term.target))
        and _QUALIFIES.match(text[other.end:mention.start] if other.end <= mention.start
                             else text[mention.end:other.start])
        for other in mentions
    )


def _rows_summed(model: SemanticModel, noun: str, metric: str) -> bool:
    """"revenue of orders placed on tmall": ``noun`` counts the rows ``metric`` sums over."""
    measures = model.metric_measures(metric)
    return (model.metric(metric).type == MetricType.SIMPLE and len(measures) == 1
            and counts_rows_of(model, noun, measures[0].table))


_QUALIFIES = re.compile(r"^\s?(?:of|for|on|in|across|over|from)?\s?(?:the |all |our )?$"
                        r"|^(?:\s|的|里的|中的|平均|带来|贡献|产生|了|多少|有)*$")


def _listed(reading: Reading, metric: Mention, model: SemanticModel | None = None) -> bool:
    """Joined to another metric by "and", ",", "和": asked for in its own right.

    A bare space joins only when no "and" is implied by the words: "customers signed up"
    is a subject and its verb (both count customers), not two metrics (``model`` given).
    """
    for other in reading.metrics:
        if other is metric:
            continue
        first, second = (other, metric) if other.start < metric.start else (metric, other)
        gap = reading.text[first.end:second.start]
        if CONNECTOR.match(gap) and (gap.strip() or model is None or not _subject_and_verb(model, first, second)):
            return True
        if model is not None and not entity_count(model, first.term.target) \
                and not entity_count(model, second.term.target) and _asked_again(reading, first, second):
            return True
    return False


_NEXT_ASK = re.compile(
    r"^(?:(?:是|有)?多少钱?|几|how much|how many|\?|？)?\s?[,，;；?？]\s?"
    r"(?:(?:and|also|plus|then|how many|how much|what|the|its|our|it|did|does|do|was|were|"
    r"drive|drove|driven|bring|brought|generate|generated|get|got|make|made|in|of|"
    r"又|还|并且?|同时|以及|另外|一共|总共|共|带来|产生|贡献|下|卖|花|获得|拿到|有|了|的|多少|几)\s?)*$"
)
""""上个月抖音投了多少钱，带来多少单", "douyin spend last month, and how many orders did it drive": a
second ask after a clause break, each metric asked in its own right (the first, said right after
its channel, had been taken for a word qualifying the second and dropped without a word). People
on either side are whose metric it is ("aov last month, new customers only"), as before."""


def _asked_again(reading: Reading, first: Mention, second: Mention) -> bool:
    gap = list(reading.text[first.end:second.start])
    for mention in reading.times:  # "douyin spend last month, and …": the period is no word between
        for i in range(max(mention.start, first.end), min(mention.end, second.start)):
            gap[i - first.end] = " "
    return bool(_NEXT_ASK.match(re.sub(r"\s+", " ", "".join(gap)).strip()))


def _subject_and_verb(model: SemanticModel, first: Mention, second: Mention) -> bool:
    """An entity noun right before another count of the same table ("customers signed up")."""
    if not entity_count(model, first.term.target):
        return False
    noun, other = model.metric(first.term.target), model.metric(second.term.target)
    if other.type != MetricType.SIMPLE or other.measure is None or noun.measure is None:
        return False
    return model.measure(other.measure).table == model.measure(noun.measure).table


_KIND_GAP = re.compile(r"^\s?(?:的|类|类型|型|类别)?(?:的)?\s?$")
""""douyin campaigns", "上海用户", "拉新类活动", "转化类型的活动": a member, then (its kind and) the noun."""


def follows_value(reading: Reading, mention: Mention) -> bool:
    """Right after a value ("douyin campaigns", "Shanghai customers", "上海用户")."""
    for value in reading.values:
        gap = reading.text[value.end:mention.start]
        if 0 <= mention.start - value.end <= 4 and _KIND_GAP.match(gap):
            return True
    return False
