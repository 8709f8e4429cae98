"""Checks that decline rather than answer a bigger question than the one asked.

Words the reading left unexplained, period words no period was read from, numbers compared
against that the spec cannot hold, a split of a date the model lacks, an "average" of a
metric that is no average; and the notes that say how a typo was read.
"""

from __future__ import annotations

import re
from datetime import date

from genbi.assistant.planner import cues
from genbi.assistant.planner.coverage import condition_number
from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.assistant.planner.unmodelled import decline_reason
from genbi.semantic_layer.model import MetricType, SemanticModel
from genbi.semantic_layer.query_spec import QuerySpec

SAME_PART_MOVED = re.compile(
    r"\b(?:the\s)?same\s(?:day|date|weekday|day of (?:the )?week|time|hour|days|dates|period|stretch)\s"
    r"(?:of\s|in\s)?(?:the\s)?(?:last|previous|prior|a|one)\s(?:week|month|quarter)(?:\s(?:ago|before|earlier))?\b"
    r"|上周同(?:一天|日|天|期)|上月同(?:一天|日|天|期)|上个月同(?:一天|日|天|期)|上季度同期"
)
""""yesterday vs the same day last week", "上周同期": a period moved back a week or a month (not
a year, which ``SAME_PERIOD_LAST_YEAR`` reads). No period reads it: it compared yesterday with
the whole of last week, a confident wrong comparison; declined until it is read."""


def check_coverage(reading: Reading, model: SemanticModel, previous: QuerySpec | None, zh: bool) -> None:
    """Decline what the reading did not explain: a write, an unknown word, a period word no
    period was read from, a split of a date the model lacks."""
    if reading.write_intent:
        raise Unanswerable(
            "genbi 只读取数据，不会修改数据或发送消息。" if zh
            else "genbi only reads data; it does not change data or send messages."
        )
    _check_targets(reading, model, zh)
    if (moved := SAME_PART_MOVED.search(reading.text)) is not None:
        raise Unanswerable(
            f"我还不能把一个时间段往前挪一周或一个月来比较（“{moved.group()}”）；可以分别问两个日期。" if zh else
            f"I can't move a day or part of a period back by a week or a month yet ('{moved.group()}'); ask for "
            "each date on its own, e.g. 'revenue on 2025-12-23'."
        )
    if reading.excluded_periods:  # "orders in 2025 except for december": it answered December alone
        raise Unanswerable(
            f"我不能从一段时间里去掉另一段（“{reading.excluded_periods[0]}”）；可以按月拆分后自己去掉，例如“今年每个月的销售额”。"
            if zh else
            f"I can't leave one period out of another ('{reading.excluded_periods[0]}'); ask for each period "
            "separately, e.g. 'revenue by month this year'."
        )
    part = cues.DATE_PART.search(reading.text)  # before unknown words: "周末" is one, said more clearly here
    before = [m.span() for m in cues.PERIOD_BEFORE.finditer(reading.text)] if reading.period_before else []
    if part and not any(m.start < part.end() and part.start() < m.end  # "by hour of day": a dimension's "hour of day"
                        for m in (*reading.dimensions, *reading.values, *reading.parts, *reading.times)) \
            and not any(a <= part.start() < b for a, b in before):  # "the weekend before that": the period before
        raise Unanswerable(
            "模型里没有按小时这样的拆分，还没到的周末也没有数据；可以按天或按星期几看，例如“上个月每天的销售额”、“上周末的订单数”、"
            "“今年周末和工作日的订单数”。" if zh
            else "The model has no hour-of-day breakdown, and a weekend still to come has no data; ask by day, "
                 "by day of week or for a weekend that has begun, e.g. 'revenue by day last month', 'orders last "
                 "weekend' or 'orders by day of week this year'."
        )
    _check_presence(reading, model, zh)
    _check_counted_members(reading, model, zh)
    _check_money_after_count(reading, model, zh)
    if [w for w in reading.unknown if w not in reading.unplaced_periods]:
        raise Unanswerable(decline_reason(model, reading.unknown, zh, reading.question))
    if reading.unplaced_periods and (previous is None or reading.unknown):
        raise Unanswerable(_unplaced_period_reason(reading.unplaced_periods, zh))


_MONEY_AFTER = re.compile(r"\s?(?:value|values|amount|amounts|spend|spent|revenue|金额|价值|价格)(?![a-z])")


_MONEY_OF = re.compile(r"(?<![a-z])(?:value|values|amount|amounts)\s+of\s+(?:the\s+|our\s+|all\s+|an?\s+)?$")


def _check_money_after_count(reading: Reading, model: SemanticModel, zh: bool) -> None:
    """"average order value" read as "average order" (a customers file's average number of
    orders) with "value" left as a filler word: money said right after a metric that is no
    money asks for money per that thing. Declined unless money was read too, rather than
    answering the count in its place."""
    money = [m for m in reading.metrics if model.metric(m.term.target).format.value == "currency"]
    if money:
        return
    for mention in reading.metrics:
        if mention.negated or model.metric(mention.term.target).format.value in ("currency", "percent"):
            continue
        said = _MONEY_AFTER.match(reading.text, mention.end)
        before = _MONEY_OF.search(reading.text, 0, mention.start)  # "the value of orders"
        if said is not None and any(c.money and 0 <= c.start - said.end() <= 1 for c in reading.metric_conditions):
            continue  # "订单金额超过1000元的订单": the money is each order's, in the condition on it
        if said is not None or before is not None:
            label = model.metric(mention.term.target)
            name = (label.label_zh or label.label) if zh else label.label.lower()
            span = reading.text[before.start() if before else mention.start:said.end() if said else mention.end]
            money_of = _money_of_table(model, mention.term.target, zh)
            if money_of:  # "typical order value" on a model with revenue and AOV: say which to ask for
                raise Unanswerable(
                    f"“{span.strip()}”问的是金额，但“{name}”是个数；请直接问金额指标，例如{'、'.join(money_of)}。"
                    if zh else
                    f"'{span.strip()}' asks for money, but {name} is a count; ask for a money metric by its name, "
                    f"e.g. {', '.join(money_of)}."
                )
            raise Unanswerable(
                f"“{span.strip()}”问的是金额，但“{name}”是个数，模型里没有对应的金额指标。"
                if zh else
                f"'{span.strip()}' asks for money, but {name} is a count, not "
                "money, and the model has no money metric for it; ask for a money metric (e.g. total spent) instead."
            )


def _money_of_table(model: SemanticModel, count: str, zh: bool) -> list[str]:
    """Labels of the model's money metrics on the counted rows' own table (at most three)."""
    tables = {m.table for m in model.metric_measures(count)}
    found = [(m.label_zh or m.label) if zh else m.label.lower() for m in model.metrics
             if m.format.value == "currency" and {x.table for x in model.metric_measures(m.name)} == tables]
    return found[:3]


_TARGET_AFTER = re.compile(r"^\s?(?:的)?\s?(?:(?:vs\.?|versus|against|compared (?:to|with)|对比|相比|和)\s?(?:the |our |a )?)?(?:目标|指标完成|kpi|达成|完成率|预算目标|target|targets|goal|goals|quota|plan)(?![a-z])")
_TARGET_BEFORE = re.compile(r"(?:目标|target|goal|quota|kpi)\s?(?:的|for|of|on)?\s?$")


def _check_targets(reading: Reading, model: SemanticModel, zh: bool) -> None:
    """"GMV目标完成了多少", "revenue target this year", "how close are we to our sales goal": a
    goal for a metric is a number the warehouse does not hold; the metric alone would be
    answered as if it were the goal (the campaign objective, 活动目标, took "目标" silently)."""
    grouped = [(d.start, d.end) for d in reading.dimensions if d.grouped]

    def split_by(start: int, end: int) -> bool:  # "各活动目标的销售额": the objective, a breakdown
        return any(a < end and start < b for a, b in grouped)

    for mention in reading.metrics:
        after = _TARGET_AFTER.match(reading.text[mention.end:])
        before = _TARGET_BEFORE.search(reading.text[:mention.start])
        if (after and not split_by(mention.end + after.start(), mention.end + after.end())) or (
                before and not split_by(before.start(), before.end())):
            metric = model.metric(mention.term.target)
            label = (metric.label_zh or metric.label) if zh else metric.label
            raise Unanswerable(
                f"模型里没有“{label}”的目标值，没法算完成率；可以看实际的{label}，例如“今年的{label}”。" if zh
                else f"The model has no targets for {label}, so I can't tell progress against one; ask for "
                     f"the actual number instead, e.g. '{label.lower()} this year'."
            )


_HAVING_EN = re.compile(r"^\s?(?:(?:that|which|who)\s)?(?:had|have|has|with|having|got|get|used|use|received|came with)"
                        r"\s(?:(?:a|an|any|some)\s)?$")
_HAVING_ZH = re.compile(r"(?:有|带|带有|用了?|使用了?|享受了?|享有)$")


def drop_counts_narrowed(reading: Reading, model: SemanticModel) -> None:
    """"sessions that had an add to cart", "有加购的会话数": a count of things that have another
    metric which counts the very same things with a condition (add-to-cart sessions: distinct
    sessions where the event is add_to_cart) is that metric itself; the plain count's mention
    is dropped from ``reading.metrics``. Any other "X that have Y" stays for the checks below."""
    mentions = sorted(reading.metrics, key=lambda m: m.start)
    for count in mentions:
        for other in mentions:
            if other is count or not _said_having(reading, count, other):
                continue
            if _narrows(model, count.term.target, other.term.target):
                reading.metrics.remove(count)
                return


def _said_having(reading: Reading, count: Mention, other: Mention) -> bool:
    english = other.start > count.end and _HAVING_EN.match(reading.text[count.end:other.start])
    chinese = (other.end <= count.start and reading.text[other.end:count.start].strip() in {"的", ""}
               and _HAVING_ZH.search(reading.text[:other.start].rstrip()))
    return bool(english or chinese)


def _narrows(model: SemanticModel, count: str, other: str) -> bool:
    """``other`` counts the same distinct things as ``count``, only those meeting a condition."""
    one, two = model.metric(count), model.metric(other)
    if one.type != MetricType.SIMPLE or two.type != MetricType.SIMPLE or not one.measure or not two.measure:
        return False
    a, b = model.measure(one.measure), model.measure(two.measure)
    return (a.table, a.agg, a.expr, a.time) == (b.table, b.agg, b.expr, b.time) and a.agg.value == "count_distinct" \
        and a.filter is None and b.filter is not None


def _check_presence(reading: Reading, model: SemanticModel, zh: bool) -> None:
    """"how many orders had a discount", "有优惠的订单数": a count of things that have some of
    another metric is a condition on each of them (more than zero), which the spec cannot
    hold; the count of all of them, beside the other total, would answer without it."""
    mentions = sorted(reading.metrics, key=lambda m: m.start)
    for count in mentions:
        definition = model.metric(count.term.target)
        if definition.type != MetricType.SIMPLE or definition.format.value != "number":
            continue
        for other in mentions:
            if other.term.target == count.term.target or any(c.mention is other for c in reading.metric_conditions):
                continue  # "customers with revenue above 2000": a threshold, read as a condition on each one
            english = other.start > count.end and _HAVING_EN.match(reading.text[count.end:other.start])
            chinese = (other.end <= count.start and reading.text[other.end:count.start].strip() in {"的", ""}
                       and _HAVING_ZH.search(reading.text[:other.start].rstrip()))
            if not (english or chinese):
                continue
            what, which = model.metric(count.term.target), model.metric(other.term.target)
            raise Unanswerable(
                f"模型不能只数有{which.label_zh or which.label}的{what.label_zh or what.label}（这是对每一条的条件）；"
                f"可以分别看{what.label_zh or what.label}和{which.label_zh or which.label}的总数。" if zh
                else f"The model can't count only the {what.label.lower()} that have {which.label.lower()} (a "
                     f"condition on each one); ask for {what.label.lower()} and {which.label.lower()} as totals instead."
            )


_HOW_MANY = re.compile(r"\b(?:how many|number of|count of|# of)\s(?:(?:different|distinct|unique|separate|of (?:our|the))\s)?$"
                       r"|(?:多少|几)(?:个|种|款|家|类)?(?:不同的?)?$")
_SELLING = frozenset({"sell", "sold", "selling", "sells", "卖", "卖了", "卖出", "售出"})


def _check_counted_members(reading: Reading, model: SemanticModel, zh: bool) -> None:
    """"how many products did we sell", "number of SKUs sold by category": how many of a
    breakdown's members is a count of different ones, not the money the verb "sell" names
    otherwise (it answered revenue). The model has no such count, so it is declined."""
    if not reading.metrics or any(m.surface not in _SELLING for m in reading.metrics):
        return
    for mention in reading.dimensions:
        if not _HOW_MANY.search(reading.text[:mention.start]):
            continue
        label = model.dimension(mention.term.target)
        raise Unanswerable(
            f"模型不能数有多少个不同的{label.label_zh or label.label}；可以问销量或销售额，例如“上个月各{label.label_zh or label.label}的销量”。"
            if zh else f"The model can't count how many different {label.label.lower()} values there are; ask for "
                       f"units sold or sales instead, e.g. 'units sold by {label.label.lower()} last month'."
        )


STEP_RATE = re.compile(
    r"\b(?:conversion|rate)\b.{0,12}\bfrom\b.{1,30}?\bto\b|\bfrom\b.{1,30}?\bto\b.{0,20}\b(?:conversion|rate)\b"
    r"|\b[a-z-]+(?: [a-z-]+)? to [a-z-]+(?: [a-z-]+)? (?:conversion|rate|cvr)\b"  # "checkout to purchase conversion"
    r"|从.{1,12}?(?:到|至).{1,12}?转化率?|转化率.{0,4}从.{1,12}?(?:到|至)"
    # "加购到购买的转化率": two steps without 从 (never periods: "1月到3月的转化率")
    r"|[^\s，。,\d月年日号周天今昨前后上下本这现]{1,6}(?:到|至)[^\s，。,\d月年日号周天今昨前后上下本这现]{1,6}的?转化率?"
)


def is_average(model: SemanticModel, metric: str) -> bool:
    """Ratios and averages already are "average"s: "average order value", "平均客单价"."""
    kind = model.metric(metric).type
    if kind != MetricType.SIMPLE:
        return True
    return any(m.agg.value == "avg" for m in model.metric_measures(metric))


def average_reason(model: SemanticModel, metrics: list[str], zh: bool) -> str:
    labels = [model.metric(m) for m in metrics]
    if zh:
        names = "、".join(m.label_zh for m in labels)
        return f"“平均{names}”需要说明按什么平均（每天、每单还是每个买家？），例如问“客单价”或“人均销售额”。"
    names = ", ".join(m.label.lower() for m in labels)
    return (
        f"I can't tell what to average {names} over (per day, per order, per buyer?). "
        "Try a per-unit metric such as average order value or revenue per buyer."
    )


_BEGINNING = re.compile(r"start|signup|sign_up|regist|join|creat|launch|open")
"""Names of a column holding when a row began (a campaign's start, a customer's signup)."""


_STARTS_SAID = frozenset({"signed up", "joined", "registered", "sign ups", "signups", "new sign-ups"})


def _counts_starts(model: SemanticModel, metric: str) -> bool:
    """A count said as sign-ups ('joined', 'signed up'): its time is when each began, whatever
    the column is called ('Dt_Customer', the day each became a customer)."""
    return bool(_STARTS_SAID & {w.lower() for w in model.metric(metric).synonyms})


def counts_starts(model: SemanticModel, metric: str) -> bool:
    """The metric is counted on when its rows began (signups, campaign budgets by start date)."""
    return metric in starting_counts(model)


def starting_counts(model: SemanticModel) -> frozenset[str]:
    """Every metric ``counts_starts``: a fact of the model alone, worked out once per model
    (every question asks it of every metric)."""
    return model.derived("starting counts", lambda: frozenset(
        m.name for m in model.metrics if _counts_starts(model, m.name) or all(
            x.time and _BEGINNING.search(x.time.rsplit(".", 1)[-1]) for x in model.metric_measures(m.name))))


def check_hours(model: SemanticModel, metrics: list[str], spec_group_by: tuple[str | None, ...], zh: bool) -> None:
    """"signups by hour": a metric recorded by day (a DATE) has no hour; said, not answered as 0."""
    if "hour" not in spec_group_by:
        return
    for metric in metrics:
        for measure in model.metric_measures(metric):
            if not measure.time:
                continue
            table, _, column = measure.time.partition(".")
            said = model.table(table).column(column) if table in model.table_names else None
            if said is not None and said.type.upper() == "DATE":
                label = (model.metric(metric).label_zh or model.metric(metric).label) if zh else model.metric(metric).label
                raise Unanswerable(
                    f"“{label}”只按天记录，没有几点钟，不能按小时拆分；可以按天或按星期几看。" if zh
                    else f"{label} is recorded by day, with no time of day, so it can't be split by hour; "
                         "ask by day or by day of week instead."
                )


def check_start_dates(model: SemanticModel, reading: Reading, metrics: list[str], zh: bool) -> None:
    """"CVR by channel for campaigns that started in Q3": the period is a start date, but the
    metric is counted on when its rows happened (clicks and orders in Q3, of any campaign).
    Only a metric whose own time is a start date ("budget of campaigns that started in Q4")
    reads it; any other declines rather than answer a different period's question."""
    if not reading.started:
        return
    other = [m for m in metrics if not counts_starts(model, m)]
    if not other:
        return
    names = [model.metric(m) for m in other]
    said = reading.started[0]
    if zh:
        raise Unanswerable(f"“{said}”是开始的时间，而“{'、'.join(m.label_zh or m.label for m in names)}”是按发生的时间算的；"
                           "模型不能按开始时间筛选它。可以去掉开始时间，只按它发生的时间问。")
    raise Unanswerable(f"'{said}' is when they started, but {', '.join(m.label for m in names)} is counted on when "
                       "it happened; the model can't limit it by a start date. Ask for the period it happened in "
                       "instead.")


def check_conditions(model: SemanticModel, reading: Reading, metrics: list[str], zh: bool) -> None:
    """A number compared against ("more than 5 orders", "超过500元") is a condition the spec
    cannot hold, unless it restates the threshold of a metric asked for ("复购率（下单2次及以上）")."""
    thresholds = {model.metric(m).share.value for m in metrics if model.metric(m).share is not None}
    left = [c for c in reading.conditions if condition_number(c) not in thresholds]
    if not left:
        return
    said = "、".join(left) if zh else ", ".join(f"'{c}'" for c in left)
    if zh:
        raise Unanswerable(f"模型不能按“{said}”这样的数值条件筛选；去掉这个条件我会算出更大范围的数字，所以不回答。"
                           "可以改问不带条件的指标，或按维度拆分。")
    raise Unanswerable(f"The model can't filter on a numeric condition like {said}; without it the number would "
                       "cover more than you asked, so I won't answer. Ask without the condition, or split by a "
                       "dimension instead.")


def _unplaced_period_reason(words: list[str], zh: bool) -> str:
    said = "、".join(words) if zh else ", ".join(f"'{w}'" for w in words)
    if zh:
        return f"我不确定“{said}”指哪段时间；请说明时间，例如“近30天”“本月至今”或“2025年11月”。"
    return (f"I can't tell which period {said} means; name it, e.g. 'last 30 days', 'this year so far' "
            "or 'November 2025'.")


def fuzzy_note(typed: str, surface: str, zh: bool) -> str:
    return f"把“{typed}”理解为“{surface}”。" if zh else f"Read '{typed}' as '{surface}'."


def future_period_reason(spec: QuerySpec, as_of: date, zh: bool) -> str | None:
    """Why a spec whose period (or one of its compared periods) starts after the as-of date is
    declined: "orders in Q1 2026", "下个月的销售额", "revenue next week" asked for numbers the
    warehouse cannot hold yet; answered, they were a confident 0 (or, with the period dropped,
    every order ever). genbi reports, it does not forecast."""
    ranges = ([spec.time_range] if spec.time_range is not None else []) + list(spec.periods)
    for time_range in ranges:
        start, _ = time_range.resolve(as_of)
        if start is not None and start > as_of:
            return (f"数据只到{as_of.isoformat()}，{start.isoformat()}开始的这段时间还没有数据；genbi只报告已发生的数据，"
                    "不做预测。可以问已经过去的时间段，例如“上个月的销售额”。" if zh else
                    f"The data runs to {as_of.isoformat()}; the period starting {start.isoformat()} hasn't happened "
                    "yet, and genbi reports what happened rather than forecasting. Ask about a period that has "
                    "passed, e.g. 'revenue last month'.")
    return None
