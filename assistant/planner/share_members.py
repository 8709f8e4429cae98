"""The members a share counts, named as people: "how many repeat customers in 2025", "复购客户有多少".

A share metric is defined by a test on each member (repeat purchase rate: buyers with 2 or
more orders in the period). Its words without the rate ("repeat" from "repeat rate", "复购"
from "复购率") before a word for people name the members who pass that test. The question is
read again with that test spelled out in the model's own words ("customers with at least 2
orders", "订单数至少2的客户"), so it becomes the condition on each customer it means, and the
reading says so. Nothing is guessed: a share with no plain metric for its measure, or words
that are a whole synonym of something else, are left as they were.
"""

from __future__ import annotations

import re
from datetime import date

from genbi.assistant.planner import cues
from genbi.assistant.planner.reading import Reading, Reread, read
from genbi.assistant.planner.vocabulary import Vocabulary
from genbi.screened import Screened
from genbi.semantic_layer.model import Metric, MetricType, SemanticModel

_RATE_EN = re.compile(r"\s*\b(?:rate|ratio|share|percentage|percent|pct)$")
_RATE_ZH = re.compile(r"(?:率|比例|占比|比率)$")
_PEOPLE_EN = r"(?:customers?|buyers?|shoppers?|users?|members?|clients?)"
_PEOPLE_ZH = r"(?:客户|用户|顾客|买家|会员|消费者|客人|人数|人)"
_WORDS_EN = {">=": "at least", ">": "more than"}
_WORDS_ZH = {">=": "至少", ">": "超过"}



def read_share_members(question: str, reading: Reading, vocabulary: Vocabulary, model: SemanticModel,
                       as_of: date) -> Reread | None:
    """``reading`` again with "repeat customers" spelled as the share's test, when the
    question names them and the spelled test reads as a condition; None otherwise."""
    zh = reading.language == "zh"
    if reading.first_time is not None:  # "returning buyers": whose first order came before the period
        return None
    asks_share = None
    for metric, counted, named, doings in share_tests(model, zh):
        patterns = named
        if doings:
            if asks_share is None:
                asks_share = bool(_ASKS_SHARE.search(reading.text))
            if not asks_share:  # "the share of customers who bought more than once" is the rate
                patterns = named + doings
        for pattern in patterns:
            found = pattern.search(reading.text)
            if found is None:
                continue
            assert metric.share is not None
            value = f"{metric.share.value:g}"
            who = found.groupdict().get("who") or ("客户" if zh else "customers")  # "how many bought more than once"
            if zh:
                spelled = f"{counted.label_zh or counted.label}{_WORDS_ZH[metric.share.op.value]}{value}的{who}"
            else:
                spelled = f"{who} with {_WORDS_EN[metric.share.op.value]} {value} {counted.label.lower()}"
                if found.groupdict().get("none") is not None:
                    spelled = f"how many {spelled}"
            again = read(reading.text[:found.start()] + spelled + reading.text[found.end():], vocabulary, as_of)
            if len(again.unknown) > len(reading.unknown) or not again.metric_conditions:
                continue
            again.question = question
            note = (f"我把“{found.group().strip()}”理解为{spelled}（{metric.label_zh or metric.label}的定义）。" if zh
                    else f"I read '{found.group().strip()}' as {spelled} (as {metric.label} defines them).")
            return Reread(again, note)
    return None


_ShareTest = tuple[Metric, Metric, tuple[Screened, ...], tuple[Screened, ...]]


def share_tests(model: SemanticModel, zh: bool) -> tuple[_ShareTest, ...]:
    """Each share metric a question can name its members by, with its plain count and the
    patterns that name them ("repeat customers"; "buyers who bought more than once"), in
    model order: worked out once per model."""
    return model.derived(("share members", zh), lambda: _share_tests(model, zh))


def _share_tests(model: SemanticModel, zh: bool) -> tuple[_ShareTest, ...]:
    found = []
    for metric in model.metrics:
        if metric.type != MetricType.SHARE or metric.share is None or metric.share.op.value not in _WORDS_EN:
            continue
        counted = next((m for m in model.metrics if m.type == MetricType.SIMPLE and m.measure == metric.share.measure),
                       None)
        if counted is None:
            continue
        words = [*metric.synonyms, metric.label, metric.label_zh or ""]
        found.append((metric, counted, tuple(Screened(_named(prefix, zh)) for prefix in _prefixes(words, zh)),
                      tuple(Screened(_doing(phrase, zh)) for phrase in _doings(words, zh))))
    return tuple(found)


def _prefixes(words: list[str], zh: bool) -> list[str]:
    """A share's words without their rate word, longest first: "repeat customer", "repeat", "复购"."""
    found = set()
    for word in words:
        word = word.strip().lower()
        stripped = (_RATE_ZH if zh else _RATE_EN).sub("", word)
        if stripped and stripped != word and len(stripped) >= 2:
            found.add(stripped)
    return sorted(found, key=len, reverse=True)


_ASKS_SHARE = re.compile(r"\b(?:share|percent|percentage|pct|rate|ratio|proportion|fraction)\b|%|比例|占比|比率|百分|率")
_VERB_PHRASE_EN = re.compile(r"^(?:bought|ordered|purchased|shopped|came back|returned)\b")


def _doings(words: list[str], zh: bool) -> list[str]:
    """A share's words that say what its members did ("bought more than once", "多次购买"), longest first."""
    if zh:
        found = {w.strip() for w in words if w and not _RATE_ZH.search(w.strip()) and re.search(r"[购买单]", w)}
    else:
        found = {w.strip().lower() for w in words if w and _VERB_PHRASE_EN.match(w.strip().lower())}
    return sorted(found, key=len, reverse=True)


def _doing(phrase: str, zh: bool) -> re.Pattern[str]:
    """People said with what they did: "buyers who ordered more than once", "多次购买的客户"."""
    if zh:
        return re.compile(rf"{re.escape(phrase)}(?:过)?的(?P<who>{_PEOPLE_ZH})")
    return re.compile(rf"\b(?P<who>{_PEOPLE_EN}) (?:(?:who|that) )?(?:have |had |has )?{re.escape(phrase)}\b"
                      rf"|\bhow many (?:(?:of )?(?:them|those|these) )?(?:have |had )?(?P<none>){re.escape(phrase)}\b")


def _named(prefix: str, zh: bool) -> re.Pattern[str]:
    if zh:
        return re.compile(rf"{re.escape(prefix)}(?:过的|的)?(?P<who>{_PEOPLE_ZH})")
    stem = re.escape(re.sub(r"(?:customer|buyer|shopper|user|member|client)$", "", prefix).strip())
    return re.compile(rf"\b{stem}\s?(?P<who>{_PEOPLE_EN})\b" if stem else r"(?!)")



def read_tested_share(question: str, reading: Reading, vocabulary: Vocabulary, model: SemanticModel,
                      as_of: date) -> Reread | None:
    """"% of buyers who ordered at least twice last year", "去年下单两次及以上的买家占比": the
    share of the people a count names that pass a test on each of them, where that test is a
    share metric's own (repeat purchase rate: buyers with 2 or more orders) — the share metric.
    Read as a share it needed a breakdown and was declined. The people are counted on the share's
    own table and entity (buyers on orders), the condition is on its measure with the same
    threshold (more than 1 is at least 2 for a count); any other test is left as it was."""
    if not reading.share or len(reading.metric_conditions) != 1 or any(d.grouped for d in reading.dimensions):
        return None
    condition = reading.metric_conditions[0]
    people = [m for m in reading.metrics if m is not condition.mention and m.start != condition.mention.start]
    if len(people) != 1 or condition.percent or condition.money:
        return None
    counted = model.metric(people[0].term.target)
    tested = model.metric(condition.mention.term.target)
    if counted.type != MetricType.SIMPLE or tested.type != MetricType.SIMPLE or not counted.measure \
            or not tested.measure:
        return None
    people_measure, tested_measure = model.measure(counted.measure), model.measure(tested.measure)
    if people_measure.agg.value != "count_distinct" or people_measure.filter:
        return None
    for metric in model.metrics:
        share = metric.share
        if metric.type != MetricType.SHARE or share is None or share.measure != tested.measure \
                or share.entity != people_measure.expr.strip() or people_measure.table != tested_measure.table:
            continue
        if _threshold(share.op.value, share.value) != _threshold(condition.op.value, condition.number):
            continue
        zh = reading.language == "zh"
        name = (metric.label_zh or metric.label) if zh else metric.label.lower()
        spans = sorted([(people[0].start, people[0].end), (condition.start, condition.end)])
        text = reading.text
        for start, end in reversed(spans):
            text = text[:start] + (name if (start, end) == (people[0].start, people[0].end) else " " * (end - start)) \
                + text[end:]
        text = cues.SHARE.sub(" ", text)
        again = read(text, vocabulary, as_of)
        if again.unknown or again.metric_conditions or [m.term.target for m in again.metrics] != [metric.name]:
            continue
        again.question = question
        said = reading.text[spans[0][0]:spans[-1][1]].strip()
        note = (f"我把“{said}”的占比理解为{name}（{metric.description or name}）。" if zh
                else f"I read the share of '{said}' as the {name} ({metric.description or name}).")
        return Reread(again, note)
    return None


def _threshold(op: str, value: float) -> tuple[str, float] | None:
    """A count's test in one form: "> 1" is ">= 2" (counts are whole numbers)."""
    if op == ">" and float(value).is_integer():
        return ">=", float(value) + 1
    return (op, float(value)) if op in (">=", "=") else None


_PERCENT_AFTER = re.compile(r"\s?(?:\(\s?%\s?\)|（\s?%\s?）|%|pct\b|percent\b|in %|as a %|百分比)(?!\s?of\b)")



def read_percent_said(question: str, reading: Reading, vocabulary: Vocabulary, model: SemanticModel,
                      as_of: date) -> Reread | None:
    """"revenue % by sales channel", "discount % by channel", "销售额%按渠道": a percent sign
    right after a metric that is no rate asks for a rate of it, and was dropped: the plain totals
    answered. The model's rate of it (a percent ratio whose numerator is its measure: discount →
    discount rate) when it has exactly one; otherwise, with a breakdown, each row's share of the
    total (as "percentage of" reads). Nothing else is guessed."""
    zh = reading.language == "zh"
    for mention in reading.metrics:
        said = _PERCENT_AFTER.match(reading.text, mention.end)
        metric = model.metric(mention.term.target)
        if said is None or metric.format.value == "percent":
            continue
        measure = metric.measure if metric.type == MetricType.SIMPLE else None
        rates = [m for m in model.metrics if measure and m.type == MetricType.RATIO and m.numerator == measure
                 and m.format.value == "percent"]
        grouped = any(d.grouped for d in reading.dimensions)
        if len(rates) == 1 and not (reading.share and grouped):
            name = (rates[0].label_zh or rates[0].label) if zh else rates[0].label.lower()
        elif reading.share:
            continue  # "discount pct by channel": each channel's share, as "percentage" reads it
        elif not rates and grouped:
            name = f"{mention.surface}占比" if zh else f"share of {mention.surface}"
        else:  # "revenue % last month": a share of nothing; declined as one, never the total
            reading.share = True
            return Reread(reading, "")
        text = reading.text[:mention.start] + name + reading.text[said.end():]
        again = read(text, vocabulary, as_of)
        if len(again.unknown) > len(reading.unknown):
            continue
        again.question = question
        said_text = reading.text[mention.start:said.end()].strip()
        note = f"我把“{said_text}”理解为{name}。" if zh else f"I read '{said_text}' as {name}."
        return Reread(again, note)
    return None
