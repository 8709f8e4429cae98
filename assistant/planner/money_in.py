""""How much did we make?": money coming in, said with a verb instead of a metric word.

Marketers ask for revenue with verbs ("how much did we make on douyin", "上个月赚了多少")
that no model lists as synonyms. When a question names no metric but asks how much money
came in, it is read again with the model's own word for sales in the verb's place, so the
model (not a list here) decides which metric that is; the answer says how it was read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from genbi.assistant.planner.first_time import buyers_metric
from genbi.assistant.planner.reading import Mention, Reading, Reread, read
from genbi.assistant.planner.text import expand_shorthand, normalize
from genbi.assistant.planner.vocabulary import Vocabulary
from genbi.screened import Screened
from genbi.semantic_layer.model import SemanticModel

_EARNED_EN = re.compile(
    r"\bhow much (?:money |cash )?(?:did|do|does|have|has|will) (?:we|i|you|they|the (?:company|business|brand|store|shop)"
    r"|(?!we\b|i\b|you\b|they\b)(?P<subject>[\w'-]+(?: [\w'-]+){0,2}))"
    r" (?:make|earn|bring in|take in|generate|pull in|rake in|gross|buy|purchase|pay)\b(?! (?:in|of) (?:units|items|pieces))"
    r"|\bhow much (?:money |cash )?(?:we|i|they) (?:made|earned|brought in|took in|generated|grossed)\b"
    r"|\bwhat (?:did|do|does|have|has|will) (?:we|i|they) (?:make|made|earn|earned|bring in|take in|generate|gross)\b",
    re.IGNORECASE,
)
_EARNED_ZH = Screened(r"(?:赚|挣)了?多少(?:钱)?|卖了多少钱|卖了多少(?![件单笔个瓶份次人支盒套台位])|进账(?:了)?多少(?:钱)?|入账(?:了)?多少(?:钱)?"
                        r"|(?:买|消费|花)了多少钱|买了?多少(?![件单笔个瓶份次人支盒套台位种款样])|消费了?多少|卖得(?:怎么样|如何|咋样|好不好|怎样)|(?:多|少)卖了?多少(?:钱)?"
                        r"|(?<![人平均单])消费(?:额|金额|总额)?(?!者|了|品|人数|次数|频次)")
"""A subject may be a value ("how much did tmall bring in", "how much did the app make"): who
brought the money in is a filter the re-read question keeps."""
_EACH_BEFORE_VERB = re.compile(r"各(?=(?:卖|赚|挣|花|买|消费|进账|入账))")
""""各卖了多少": the 各 says each of the members; the re-read replaces the verb after it with the
metric's word, where a bare 各 would read as a split of that metric, so it is said as 分别."""
_BOUGHT_EN = re.compile(r"\b(?:buy|purchase|pay)\b")
"""Buying (paying) is money coming in only when customers buy ("how much did shanghai customers
buy", "how much did tmall customers pay"); "how much did we pay" is the brand's own outlay."""
_SALES_WORDS = {"en": ("sales", "revenue"), "zh": ("销售额", "收入")}
_ORDERS_SOLD_ZH = re.compile(r"(?:卖|售|成交|下)(?:了|出)?(?:多少|几)(?:单|笔)")
"""Orders said with a verb ("天猫卖了多少单", "成交了几笔"): the model's word for orders. "卖了多少"
with no unit after it is the money (sales), as a marketer says it; "卖了多少件" stays the units."""
_ORDER_WORDS = ("订单数", "订单", "单数")
_SELLS_BEST_ZH = re.compile(r"(?:卖|销售)(?:得|的)(?:最好|最多|最火|最快|更好|更多|多|好|第(?:\d{1,2}|[二三四五六七八九十]{1,3})(?:好|多))|最(?:畅销|好卖|热销|受欢迎)|销路最好"
                            r"|(?:花|消费|买)(?:得|的|钱)?最多|最能(?:花|买)")
_SELLS_BEST_EN = re.compile(r"\b(?:sold|sells|sell|spends|spend|spent|buys|bought|paid|pays|pay) (?:the )?(?:most|best)\b"
                            r"|\b(?:top|best)[- ]?sell(?:ers?|ing)\b|\bbestsell(?:ers?|ing)\b|\bmost popular\b",
                            re.IGNORECASE)
_SELLS_WORST_ZH = re.compile(r"(?:卖|销售)(?:得|的)(?:最差|最少|最慢|最不好|最烂|更差|更少|第(?:\d{1,2}|[二三四五六七八九十]{1,3})(?:差|少))|最(?:不好卖|滞销|难卖|不受欢迎)|销路最差")
_SELLS_WORST_EN = re.compile(r"\b(?:sold|sells|sell) (?:the )?(?:least|worst)\b|\b(?:worst|slowest|lowest)[- ]?sell(?:ers?|ing)\b"
                             r"|\bleast popular\b", re.IGNORECASE)
"""Selling worst ("去年哪个大区卖得最差", "the 5 worst-selling products"): the least sales."""
"""Selling best said with a verb ("哪个品类卖得最好", "which product sold the most", "which
segment spends the most", "哪个城市的客户消费最多", "上海和北京哪个卖得多"): the most sales, by the
model's own word."""



def read_money_in(question: str, reading: Reading, vocabulary: Vocabulary, model: SemanticModel,
                  as_of: date) -> Reread | None:
    """``reading`` re-read with the model's word for sales where the question said it with a
    verb; None when it named a metric, has no such verb, or the model has no single
    money metric by that word."""
    zh = reading.language == "zh"
    text = expand_shorthand(question)  # "hw much did tmall bring in": the verb, shorthand spelled out
    text = _EACH_BEFORE_VERB.sub("分别", text)  # "其他渠道各卖了多少": each, kept when the verb is replaced
    spenders = _spenders(reading, vocabulary, model, zh)
    named = [m for m in reading.metrics if m not in spenders]
    if any(model.metric(m.term.target).format.value != "number" for m in named):
        return None  # money or a rate was named; "男性客户买了多少钱": a count of people only says who
    counts_only = all(model.metric(m.term.target).format.value == "number" for m in named)
    if zh and counts_only and (sold := _ORDERS_SOLD_ZH.search(text)) is not None:
        for word in _ORDER_WORDS:  # "今年618当天天猫卖了多少单": the orders, by the model's word
            again = read(_ORDERS_SOLD_ZH.sub(f"{word}", text, count=1), vocabulary, as_of)
            targets = {m.term.target for m in again.metrics}
            if len(targets) == 1 and model.metric(next(iter(targets))).format.value == "number":
                again.question = question
                label = model.metric(next(iter(targets))).label_zh or model.metric(next(iter(targets))).label
                return Reread(again, f"我把“{sold.group(0)}”理解为{label}。")
    if spenders and not named and (spent := _spent_metric(spenders, vocabulary)) is not None:
        return _spent_as_sales(reading, spent, spenders, vocabulary, model, as_of)
    pattern, said, ranked, low = _money_said(text, zh)
    if said is None or any(w in vocabulary.terms for w in re.findall(r"sellers?", said.group(0).lower())):
        return None  # "top sellers" where the model has sellers: the sellers, ranked
    if ranked and named:  # "卖得最好的5个产品（按件数）": best by the number named, not by sales
        return _best_by_named(text, said, pattern, named, vocabulary, model, as_of, zh, low, asked=question)
    if any(m.start <= said.start() and said.end() <= m.end and m.end - m.start > len(said.group(0))
           for m in vocabulary.find(text)):
        return None  # the verb is inside a name the model has ('消费评分', a spending score): no verb
    for word in (*_SALES_WORDS["zh" if zh else "en"], *_only_money_sum(model, zh)):
        if ranked:  # "哪个品类卖得最好": the most sales; "卖得最差": the least; "卖得第二好": the 2nd most
            place = re.search(r"第(\d{1,2}|[二三四五六七八九十]{1,3})", said.group(0))
            top = normalize(place.group(0)) if place else "最"
            word = (f"{word}{top}低" if low else f"{word}{top}高") if zh else f"{'lowest' if low else 'highest'} {word}"
        again = read(pattern.sub(_keeping_subject(word), text, count=1), vocabulary, as_of)
        if ranked and not again.dimensions and again.grain is None and len(again.values) < 2:
            return None  # "what sold best": best of which products, categories …? not the total
        if spenders:  # "哪个城市的客户消费最多": the customers are who spends, not a second number
            people = {m.term.target for m in spenders if m.term.target in vocabulary.people_counts}
            again.metrics = [m for m in again.metrics if m.term.target not in people]
        targets = {m.term.target for m in again.metrics} - {m.term.target for m in named}
        if len(targets) == 1:
            metric = model.metric(next(iter(targets)))
            if metric.format.value != "currency":
                continue
            again.question = question
            label = (metric.label_zh or metric.label) if zh else metric.label
            note = (f"我把“{said.group(0)}”理解为{label}。" if zh
                    else f"I read '{said.group(0)}' as {label}.")
            return Reread(again, note)
    return None


def _keeping_subject(word: str) -> Callable[[re.Match[str]], str]:
    """The model's word for sales in the verb's place, and who brought the money in when the
    verb's subject is not "we" ("how much did tmall bring in"): kept as words, so a filter."""
    def replace(said: re.Match[str]) -> str:
        return f" {word} {said.groupdict().get('subject') or ''} "
    return replace


def _money_said(question: str, zh: bool) -> tuple[Screened | re.Pattern[str], re.Match[str] | None, bool, bool]:
    """The verb saying money came in: (its pattern, the match, ranked, lowest first)."""
    said_as: tuple[tuple[Screened | re.Pattern[str], bool, bool], ...] = (
        (_EARNED_ZH if zh else _EARNED_EN, False, False),
        (_SELLS_BEST_ZH if zh else _SELLS_BEST_EN, True, False),
        (_SELLS_WORST_ZH if zh else _SELLS_WORST_EN, True, True),
    )
    for pattern, ranked, low in said_as:
        if (said := pattern.search(question)) is not None:
            if not said.groupdict().get("subject") and _BOUGHT_EN.search(said.group(0)):
                break  # "how much did we buy": the brand's own purchases, which no sales metric counts
            return pattern, said, ranked, low
    return said_as[0][0], None, False, False


def _best_by_named(question: str, said: re.Match[str], pattern: Screened | re.Pattern[str], named: list[Mention],
                   vocabulary: Vocabulary, model: SemanticModel, as_of: date, zh: bool,
                   low: bool, asked: str = "") -> Reread | None:
    """"卖得最好的5个产品（按件数）", "最畅销的品类（按销量）": selling best said beside the number
    it is judged by: the highest of that number (sales added as a second number ranked first)."""
    end = (" 最低 " if low else " 最高 ") if zh else (" lowest " if low else " highest ")
    again = read(pattern.sub(end, question, count=1), vocabulary, as_of)
    if {m.term.target for m in again.metrics} != {m.term.target for m in named}:
        return None
    again.question = asked or question
    metric = model.metric(named[0].term.target)
    label = (metric.label_zh or metric.label) if zh else metric.label
    return Reread(again, f"我把“{said.group(0)}”理解为{label}{end.strip()}。" if zh
                   else f"I read '{said.group(0)}' as the {end.strip()} {label}.")


def _spent_metric(spenders: list[Mention], vocabulary: Vocabulary) -> Mention | None:
    """The metric the spending verb itself named ("customers spend": ad spend), if any."""
    return next((m for m in spenders if m.term.target not in vocabulary.people_counts), None)


def _spent_as_sales(reading: Reading, spent: Mention, spenders: list[Mention], vocabulary: Vocabulary,
                    model: SemanticModel, as_of: date) -> Reread | None:
    """"how much did customers spend last month", "女性客户花了多少": what people spend is
    sales, not advertising; the verb is read again as the model's word for sales and the
    people are who spent, not a second number."""
    zh = reading.language == "zh"
    people = {m.term.target for m in spenders if m.term.target in vocabulary.people_counts}
    each = not zh and any(m.term.target in people and _EACH_PERSON_EN.search(reading.text[:m.start]) for m in spenders)
    buyers = buyers_metric(model) if each else None
    for word in (*_SALES_WORDS["zh" if zh else "en"], *_only_money_sum(model, zh)):
        again = read(f"{reading.text[:spent.start]} {word} {reading.text[spent.end:]}", vocabulary, as_of)
        if each:  # "how much does each customer spend": the money per person who spent (a buyer), not the total
            again.metrics = [_as_buyers(m, buyers) if m.term.target in people and buyers else m for m in again.metrics]
        elif not again.metric_conditions:  # "customers who spent over 3000": the people are counted, per member
            again.metrics = [m for m in again.metrics if m.term.target not in people]
        targets = {m.term.target for m in again.metrics if m.term.target not in people and m.term.target != buyers}
        if len(targets) == 1 and model.metric(next(iter(targets))).format.value == "currency":
            again.question = reading.question
            metric = model.metric(next(iter(targets)))
            label = (metric.label_zh or metric.label) if zh else metric.label
            return Reread(again, f"我把“{spent.surface}”理解为客户的{label}。" if zh
                           else f"I read '{spent.surface}' as what customers spent: {label}.")
    return None


_EACH_PERSON_EN = re.compile(r"\b(?:each|every|a single|per)\s$")


def _as_buyers(mention: Mention, buyers: str) -> Mention:
    """A person who spends is a buyer: "each customer spends" is the money per buyer."""
    term = replace(mention.term, target=buyers)
    return replace(mention, term=term, options=(term,))


def _only_money_sum(model: SemanticModel, zh: bool) -> tuple[str, ...]:
    """The label of the model's one summed amount of money, when no metric is called sales or
    revenue (a drafted invoices export's "Invoice amount"); nothing when there are several."""
    sums = [m for m in model.metrics if m.format.value == "currency" and m.type.value == "simple"
            and m.measure is not None and model.measure(m.measure).agg.value == "sum"]
    if len(sums) != 1:
        return ()
    return ((sums[0].label_zh or sums[0].label) if zh else sums[0].label.lower(),)


_SPENDS_AFTER_EN = re.compile(r"(?:'s)?\s+(?:who\s+)?(?:spend|spends|spent|buy|buys|bought|pay|pays|paid)\b")
_SPENDS_AFTER_ZH = Screened(r"\s*(?:都|一共|总共|总计)?\s*(?:消费|花钱|花了|花得|买了|购买了)")


def _spenders(reading: Reading, vocabulary: Vocabulary, model: SemanticModel, zh: bool) -> list[Mention]:
    """People counted by a metric who are the subject of a spending verb ("which city's
    customers spend the most", "客户消费最多"), with any metric the verb itself named ("spend"
    as ad spend: customers spending is sales, not advertising)."""
    after = _SPENDS_AFTER_ZH if zh else _SPENDS_AFTER_EN
    found: list[Mention] = []
    for mention in reading.metrics:
        if mention.term.target not in vocabulary.people_counts:
            continue
        verb = after.match(reading.text, mention.end)
        if verb is None:
            continue
        named = [m for m in reading.metrics if m is not mention and m.start < verb.end() and m.end > verb.start()]
        if any(m.end > verb.end() and model.metric(m.term.target).format.value == "percent" for m in named):
            continue  # "buyers bought more than once": the verb begins a rate's name, not spending
        found.append(mention)
        found += named
    return found
