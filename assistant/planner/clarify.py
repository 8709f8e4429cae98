"""Close readings: a word the model gives two metrics ("花了多少钱": what customers spent,
or what we spent on ads) is resolved by the rest of the question, else asked about.

A pass of the planner, before the spec is built. The readings left after the question's
own evidence (dimensions and values each metric can be split or filtered by, a customer as
the subject) become a clarifying question with one full question per reading: the UI and
Slack show them as choices, and a short reply ("1", "ad spend", "销售额") picks one
(``pick_choice``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.text import has_cjk, normalize
from genbi.assistant.planner.vocabulary import Term, TermKind
from genbi.semantic_layer.model import SemanticModel


class Clarification(Exception):
    """Two close readings; ``choices`` are the question rewritten for each, ``labels`` name them."""

    def __init__(self, question: str, choices: tuple[str, ...], labels: tuple[str, ...]) -> None:
        super().__init__(question)
        self.question, self.choices, self.labels = question, choices, labels


def resolve_metric_words(reading: Reading, model: SemanticModel) -> None:
    """Give each metric word with several metric meanings the one the question supports,
    or raise ``Clarification`` when more than one stays possible."""
    for index, mention in enumerate(reading.metrics):
        options = [t for t in mention.options if t.kind == TermKind.METRIC]
        if len(options) < 2:
            continue
        fitting = [t for t in options if _fits(model, t.target, reading)] or options
        # a customer as the subject first: "客户花了多少钱" is what they spent, never a ratio partner
        # of ad spend (customers and spend make cost per signup)
        subject = _customer_subject(reading, mention, model) if len(fitting) > 1 else None
        if subject is not None:
            fitting = [t for t in fitting if _on_customer_rows(model, t.target)] or fitting
        elif len(fitting) > 1 and _spender_of_no_customer(reading, mention, model, fitting):
            # "小红书和抖音今年各花了多少", "各渠道花了多少钱": a channel or campaign spends: the ad spend
            fitting = [t for t in fitting if not _on_customer_rows(model, t.target)] or fitting
        for hint in (_named_nearby, _pairs_with_other_metric):
            if len(fitting) > 1:
                fitting = [t for t in fitting if hint(model, t.target, reading, mention)] or fitting
        if len(fitting) > 1:
            raise _clarification(reading, mention, fitting, model)
        reading.metrics[index] = Mention(mention.start, mention.end, mention.surface, fitting[0],
                                         options=mention.options)
        if subject is not None and subject in reading.metrics:
            reading.metrics.remove(subject)  # "客户花了多少钱": the customers are who, not a count


def _fits(model: SemanticModel, metric: str, reading: Reading) -> bool:
    return all(model.can_filter_by(metric, v.term.target) for v in reading.values) and all(
        model.can_group_by(metric, d.term.target) for d in reading.dimensions if d.grouped)


def _named_nearby(model: SemanticModel, metric: str, reading: Reading, mention: Mention) -> bool:
    """A word just before the verb that is part of this metric's own names ("广告花了多少",
    "投放花了多少": 广告费, 投放花费 are names of ad spend)."""
    window = _ADVERBS.sub("", reading.text[max(0, mention.start - 8):mention.start])[-4:].strip()
    if any(m.start < mention.start and m.end > mention.start - 4 for m in (*reading.metrics, *reading.values)
           if m is not mention):
        window = window[-2:]
    definition = model.metric(metric)
    names = [normalize(w) for w in (definition.label, definition.label_zh, *definition.synonyms) if w]
    words = re.findall(r"[a-z]{3,}", window) + ([window[-2:]] if has_cjk(window[-2:]) and len(window) >= 2 else [])
    return any(word in name for word in words for name in names if name != normalize(mention.surface))


_ADVERBS = re.compile(r"一共|1共|总共|共计|合计|总计|累计|大概|大约|到底|究竟|一起|加起来|总体|整体|都|总")
""""广告一共花了多少钱": the adverbs between the metric's own word and the verb don't count."""


def _pairs_with_other_metric(model: SemanticModel, metric: str, reading: Reading, mention: Mention) -> bool:
    """Another metric asked with it forms one of the model's ratios with this reading
    ("每次点击花多少钱": spend per click is CPC)."""
    own = model.metric(metric).measure
    others = {model.metric(m.term.target).measure for m in reading.metrics if m is not mention}
    return any((r.numerator == own and r.denominator in others) or (r.denominator == own and r.numerator in others)
               for r in model.metrics if r.numerator and r.denominator)


def _spender_of_no_customer(reading: Reading, mention: Mention, model: SemanticModel, options: list[Term]) -> bool:
    """Who spent is a member or split of a table that is neither the customers' nor the rows of
    the customer-side reading (a marketing channel, a campaign): the spending is not theirs."""
    if "customer_entity" not in model.roles:
        return False
    customers = model.role_table("customer_entity")
    own = {m.table for t in options if _on_customer_rows(model, t.target) for m in model.metric_measures(t.target)}
    before = [m for m in (*reading.values, *reading.dimensions)
              if m.end <= mention.start and mention.start - m.end <= 6]
    if not before:
        return False
    tables = {model.dimension(m.term.target).table for m in before if model.has_dimension(m.term.target)}
    return bool(tables) and not tables & ({customers} | own)


def _customer_subject(reading: Reading, mention: Mention, model: SemanticModel) -> Mention | None:
    """Who did it, when it is a customer: "客户花了多少钱", "女性花了多少", "90后花了多少"."""
    if "customer_entity" not in model.roles:
        return None
    customers = model.role_table("customer_entity")
    before = [m for m in (*reading.values, *reading.dimensions, *reading.metrics)
              if m.end <= mention.start and mention.start - m.end <= 6]
    for other in before:
        if other.term.kind == TermKind.VALUE and model.dimension(other.term.target).table == customers:
            return other
        if other.term.kind == TermKind.METRIC and other is not mention:
            measures = model.metric_measures(other.term.target)
            if measures and all(m.table == customers for m in measures):
                return other
    return None


def _on_customer_rows(model: SemanticModel, metric: str) -> bool:
    """The metric adds up rows that belong to a customer (orders), not to campaigns."""
    customers = model.role_table("customer_entity")
    return all(m.table == customers or any(link.to == customers for link in model.table(m.table).many_to_one)
               for m in model.metric_measures(metric))


def _clarification(reading: Reading, mention: Mention, options: list[Term], model: SemanticModel) -> Clarification:
    zh = reading.language == "zh"
    labels = [(model.metric(t.target).label_zh if zh else model.metric(t.target).label) or t.target for t in options]
    return _asked(reading, mention, labels, lower=True)


def _asked(reading: Reading, mention: Mention, labels: list[str], *, lower: bool = False) -> Clarification:
    """"By 'state' do you mean 1. customer state, or 2. seller state?", one question per label."""
    surface = mention.surface
    choices = tuple(_rewrite(reading, mention, label) for label in labels)
    if reading.language == "zh":
        question = f"“{surface}”指的是哪一个：" + "，还是".join(f"{i}. {label}" for i, label in enumerate(labels, 1)) + "？"
    else:
        question = f"By '{surface}' do you mean " + ", or ".join(
            f"{i}. {label.lower() if lower else label}" for i, label in enumerate(labels, 1)) + "?"
    return Clarification(question, choices, tuple(labels))


def _rewrite(reading: Reading, mention: Mention, label: str) -> str:
    text = reading.text
    return re.sub(r"\s+", " ", f"{text[:mention.start]}{label}{text[mention.end:]}").strip()


_ORDINALS = {"1": 0, "2": 1, "3": 2, "4": 3, "first": 0, "second": 1, "third": 2, "第1个": 0, "第2个": 1,
             "第3个": 2, "前者": 0, "后者": 1, "the first": 0, "the second": 1, "the former": 0, "the latter": 1}


def pick_choice(reply: str, choices: tuple[str, ...], labels: tuple[str, ...]) -> str | None:
    """The choice a short reply picks: its number ("1", "第二个") or words of one label."""
    text = normalize(reply).strip(" .。!！?？")
    if len(text) > 30:
        return None
    text = re.sub(r"^(?:option|choice|选项?|选|就|要)\s?", "", text).removesuffix("吧").strip()
    if text in _ORDINALS and _ORDINALS[text] < len(choices):
        return choices[_ORDINALS[text]]
    matching = [c for c, label in zip(choices, labels, strict=True)
                if text and (text in normalize(label) or normalize(label) in text)]
    return matching[0] if len(matching) == 1 else None


def resolve_dimension_heads(reading: Reading, model: SemanticModel, metrics: list[str]) -> None:
    """A breakdown said by a last word several dimensions share ("revenue by state": the
    customer's state or the seller's): the dimensions every metric can be split by, then
    those whose label shares a word with the metric's ("claim amount by status": the claim
    status); more than one left is asked, never picked by model order."""
    _compound_heads(reading)
    for index, mention in enumerate(reading.dimensions):
        options = [t for t in dict.fromkeys(mention.options) if t.kind == TermKind.DIMENSION]
        if len({t.target for t in options}) < 2 or not all(_only_head(mention.surface, model, t.target) for t in options):
            continue
        fitting = [t for t in options if all(model.can_group_by(m, t.target) for m in metrics)] or options
        if len(fitting) > 1 and metrics:  # "claim amount by status": the claim's status, not the policy's
            said = {w for m in metrics for w in normalize(model.metric(m).label).split() if len(w) > 2}
            fitting = [t for t in fitting if said & set(normalize(model.dimension(t.target).label).split())] or fitting
        if len(fitting) > 1:  # "all channels except jd": a member named beside the word says which dimension
            named = {v.term.target for v in reading.values}
            fitting = [t for t in fitting if t.target in named] or fitting
        if len(fitting) > 1:
            zh = reading.language == "zh"
            raise _asked(reading, mention, [(model.dimension(t.target).label_zh if zh
                                             else model.dimension(t.target).label.lower()) or t.target
                                            for t in fitting])
        reading.dimensions[index] = replace(mention, term=fitting[0])


def _compound_heads(reading: Reading) -> None:
    """"revenue by store channel": a head word right after a word naming one of its own meanings
    is that meaning, one split (read apart, the rows were split by two channels)."""
    for index in range(1, len(reading.dimensions)):
        previous, mention = reading.dimensions[index - 1], reading.dimensions[index]
        if reading.text[previous.end:mention.start] == " " and previous.term.target != mention.term.target \
                and any(t.target == previous.term.target for t in mention.options):
            reading.dimensions[index] = replace(mention, term=previous.term)


def _only_head(surface: str, model: SemanticModel, dimension: str) -> bool:
    """``surface`` is only the last word of the dimension's label, not a name of its own."""
    definition = model.dimension(dimension)
    said = normalize(surface)
    names = {normalize(n) for n in (definition.name.replace("_", " "), definition.label, definition.label_zh or "",
                                    *definition.synonyms)}
    if said in names:
        return False
    if has_cjk(said):
        zh = normalize(definition.label_zh or "")
        return len(zh) > len(said) and zh.endswith(said)
    words = normalize(definition.label).split()
    return len(words) > 1 and said.rstrip("s") == words[-1].rstrip("s")
