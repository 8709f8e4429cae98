""""How many customers did we email?": people a channel reached, said with a verb of contact.

"email", "短信" are values of three dimensions in a marketing model: the campaign's channel,
the channel a customer was acquired through, and the channel of a marketing touch. Said as
what was sent ("got an email from us", "did we email", "给多少客户发过短信", "邮件触达了多少人"),
the channel is the touch's, and the people counted are those touched. Read by rank instead,
the question was answered as the customers who signed up through email: a plausible number
for another question, with no word said.

The touch table and its channel are the model's own roles (``touchpoint_entity``,
``touchpoint_channel``) and the count the model's people count on that table; a model
without them is left as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.vocabulary import Term, TermKind, Vocabulary, people_counts
from genbi.semantic_layer.model import SemanticModel

_SENT_BEFORE_EN = re.compile(
    r"(?:\b(?:got|get|gets|getting|receiv(?:e|ed|es|ing)|sent|send|sends|sending|opened|open|opens)"
    r"\s(?:(?:an?|our|the|any|one|us|them|an?\s(?:promo|marketing))\s)?"
    r"|\b(?:did|do|does|have|has|had)\s+we\s+"
    r"|\b(?:reached|contacted|touched|messaged|targeted)\s(?:\w+\s){0,2}(?:via|by|through|over|with|on)\s(?:an?\s|the\s)?)$"
)
"""Right before the channel: "got an email", "sent sms", "did we email", "reached via sms"."""
_SENT_BEFORE_ZH = re.compile(r"(?:发|发过|发了|发送|发送过|推送过?|收到|收到过|收到了|用|通过)$")
"""Right before the channel: "发过短信", "收到过邮件"; "通过/用" only with 触达 said too."""
_REACHED_ZH = re.compile(r"触达")
_REACHED_EN = re.compile(r"\b(?:have|has|had|did|do)\s(?:we|you|they)\s(?:reach|reached|contact|contacted|touch|touched|"
                         r"message|messaged|target|targeted)\b|\b(?:we|you|they)\s(?:have\s|had\s)?(?:reached|contacted|"
                         r"touched|messaged|targeted)\b")
""""how many customers have we reached": people the brand contacted (the customers' own "reached
checkout" is no contact: its subject is not "we")."""
_SENT_ZH = re.compile(r"发|收到|推送")
_CONTACT_UNKNOWN = frozenset({"触达", "发", "发过", "收到", "推送", "contacted", "contact", "reached", "reach", "touched",
                              "messaged", "targeted", "emailed", "texted", "pushed", "sent", "received", "got"})
"""Words of contact the vocabulary has no term for, used here (so not left unknown)."""


@dataclass(frozen=True)
class Contacted:
    reading: Reading
    note: str


def read_contacted(reading: Reading, model: SemanticModel, vocabulary: Vocabulary) -> Contacted | None:
    """``reading`` with a channel said as what was sent read as the touch's channel, and a
    count of people as the people touched; None when the question says no contact."""
    if "touchpoint_entity" not in model.roles or "touchpoint_channel" not in model.roles:
        return None
    touch_dims = set(touch_dimensions(model))
    touched = [m for m in sorted(people_counts(model))
               if model.metric_measures(m)[0].table == model.role_table("touchpoint_entity")]
    if not touch_dims or len(touched) != 1:
        return None
    zh = reading.language == "zh"
    text = reading.text
    reached_zh = zh and bool(_REACHED_ZH.search(text))
    reached = reached_zh or (not zh and bool(_REACHED_EN.search(text)))
    values: list[Mention] = []
    if not zh and (verb := _channel_verb(reading, vocabulary, touch_dims)) is not None:
        reading.values.append(verb)  # "did we text", "customers we emailed": the channel is the verb
        reading.unknown = [w for w in reading.unknown if w != verb.surface and not verb.surface.startswith(w)]
        values.append(verb)
    for index, mention in enumerate(reading.values):
        if mention in values:
            continue
        option = next((t for t in mention.options if t.kind == TermKind.VALUE and t.target in touch_dims), None)
        if option is None:
            continue
        before = text[:mention.start].rstrip() + (" " if not zh else "")
        sent = bool(_SENT_BEFORE_ZH.search(before)) and (reached_zh or not before.endswith(("用", "通过"))) if zh \
            else bool(_SENT_BEFORE_EN.search(before))
        if sent or (reached_zh and 0 <= _REACHED_ZH.search(text).start() - mention.end <= 2):  # type: ignore[union-attr]
            reading.values[index] = replace(mention, term=option, options=(option,))
            values.append(mention)
    if not values and not reached:
        return None
    people = people_counts(model)
    swapped = False
    for index, metric in enumerate(reading.metrics):
        if metric.term.target in people and metric.term.target != touched[0]:
            term = replace(metric.term, target=touched[0])
            reading.metrics[index] = replace(metric, term=term, options=(term,))
            swapped = True
    if not values and not swapped:
        return None
    reading.unknown = [w for w in reading.unknown if w not in _CONTACT_UNKNOWN and not _SENT_ZH.fullmatch(w)]
    return Contacted(reading, _note(model, touched[0], zh, swapped=swapped))


_VERB_EN = re.compile(r"\b(?:did|do|does|have|has|had|will)\s(?:we|you|they)\s(?P<verb>[a-z-]+)\b"
                      r"|\b(?:we|you|they)\s(?:have\s|had\s)?(?P<past>[a-z-]+?)(?:ed|d)\b")


def _channel_verb(reading: Reading, vocabulary: Vocabulary, touch_dims: set[str]) -> Mention | None:
    """"how many customers did we text", "customers we emailed": a channel said as the verb of
    sending. The verb is the first word of one touch channel's own name ("text" of "text
    message", "email", "push"), so the model's words, not a list here, say which."""
    said = _VERB_EN.search(reading.text)
    if said is None:
        return None
    verb = said["verb"] or said["past"]
    touch, by_first_word = touch_values(vocabulary, tuple(sorted(touch_dims)))
    named = by_first_word.get(verb, frozenset())  # the surfaces that are the verb or start with it and a space
    if len(named) != 1:
        return None
    term = touch[next(iter(named))]
    start = said.start("verb") if said["verb"] else said.start("past")
    return Mention(start, said.end(), reading.text[start:said.end()], term, options=(term,))


def touch_dimensions(model: SemanticModel) -> tuple[str, ...]:
    """The dimensions on the column of the model's ``touchpoint_channel`` role, in order."""
    table, column = model.role_column("touchpoint_channel")
    return tuple(sorted({d.name for d in model.dimensions if d.table == table and d.column == column}))


def touch_values(vocabulary: Vocabulary, touch_dims: tuple[str, ...]) -> tuple[
        dict[object, Term], dict[str, frozenset[object]]]:
    """The touch channels' values (value -> its term), and by the first word of every surface
    naming one of those values (of any dimension) the values it names. The same for every
    question: worked out once per vocabulary (``Vocabulary.derived``; the planner does it when
    it is made) instead of two scans of every term each time a question says "did we …"."""
    return vocabulary.derived(f"touch values of {touch_dims}", lambda v: _touch_values(v, touch_dims))


def _touch_values(vocabulary: Vocabulary, touch_dims: tuple[str, ...]) -> tuple[
        dict[object, Term], dict[str, frozenset[object]]]:
    touch = {t.value: t for terms in vocabulary.terms.values() for t in terms
             if t.kind == TermKind.VALUE and t.target in touch_dims}
    named: dict[str, set[object]] = {}
    for surface, terms in vocabulary.terms.items():
        for t in terms:
            if t.kind == TermKind.VALUE and t.value in touch:
                named.setdefault(surface.split(" ", 1)[0], set()).add(t.value)
    return touch, {word: frozenset(values) for word, values in named.items()}


def _note(model: SemanticModel, metric: str, zh: bool, *, swapped: bool) -> str:
    label = model.metric(metric).label_zh or model.metric(metric).label if zh else model.metric(metric).label
    if zh:
        return f"渠道按触达渠道算（发给客户的），{'数的是“' + label + '”' if swapped else ''}。".replace("，。", "。")
    return f"The channel is read as the channel of the marketing touch{f', counting {label.lower()}' if swapped else ''}."
