"""The spec-filling prompt, laid out for prompt caching.

The system message (instructions and the whole semantic model) and the JSON schema depend
only on the model, so they are byte-identical for every question: llama.cpp reuses its KV
cache for that prefix and hosted APIs bill it as cached input. Everything that changes per
question — today's date, the previous query, what the planner already understood, the
question — is in the user message, last.
"""

from __future__ import annotations

import re
from datetime import date

from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.timeparse import describe_range
from genbi.assistant.prompts import render_prompt
from genbi.assistant.retrieval.documents import sample_values
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import QuerySpec

DESCRIPTION_CHARS = 70
VALUES_SHOWN = 6


def system_prompt(model: SemanticModel, *, full: bool = True) -> str:
    """The static part: instructions and the model (same text for every question);
    ``full=False`` for the planner-first form without period and ranking."""
    metrics = [{"name": m.name, "label": m.label, "label_zh": m.label_zh,
                "description": _short(m.description)} for m in model.metrics]
    dimensions = [{"name": d.name, "label": d.label, "label_zh": d.label_zh, "type": d.type.value,
                   "values": sample_values(d, VALUES_SHOWN)} for d in model.dimensions if not d.pii]
    return render_prompt("spec_fill_system", "en", model_description=" ".join(model.description.split()),
                         metrics=metrics, dimensions=dimensions, full=full, examples=examples(model, full))


def examples(model: SemanticModel, full: bool) -> list[dict[str, str]]:
    """Worked examples made from the model's own words (any model, no hand-written ones):
    a synonym read as its metric, and a condition the data does not record."""
    metric = next((m for m in model.metrics if _plain_synonym(m)), model.metrics[0] if model.metrics else None)
    if metric is None:
        return []
    synonym = _plain_synonym(metric) or metric.label.lower()
    extra = ', "period": {"start": "", "end": "", "words": ""}, "top": {"limit": 0, "highest_first": true}' \
        if full else ""

    def answer(unsupported: str, words: str) -> str:
        return (f'{{"metrics": [{{"name": "{metric.name}", "words": "{words}"}}], '
                f'"group_by": [], "filters": []{extra}, "unsupported": [{unsupported}]}}')

    return [{"question": f"{synonym} last month", "answer": answer("", synonym)},
            {"question": f"{metric.label.lower()} on rainy days", "answer": answer('"rainy days"', metric.label.lower())}]


def _plain_synonym(metric: object) -> str:
    """A one-or-two-word English synonym that is not the label itself."""
    label = str(getattr(metric, "label", "")).lower()
    for word in getattr(metric, "synonyms", ()):
        if word.isascii() and word.islower() and 0 < len(word.split()) <= 2 and word != label:
            return str(word)
    return ""


def question_prompt(question: str, *, as_of: date, previous: QuerySpec | None,
                    reading: Reading | None) -> str:
    """The per-question part: today, the previous query, the planner's partial reading."""
    return render_prompt(
        "spec_fill_question", "en", as_of=as_of.isoformat(), question=question.strip(),
        previous_spec=previous.model_dump_json(exclude_defaults=True) if previous else "",
        understood=understood(reading, as_of) if reading else "",
        not_understood=[f'"{w}"' for w in reading.unknown] if reading else [],
    )


def understood(reading: Reading, as_of: date) -> str:
    """What the planner read, in the spec's own terms: 'metric revenue ("sales"); ...'."""
    parts: list[str] = []
    parts += [f'metric {m.term.target} ("{m.surface}")' for m in reading.metrics]
    parts += [f'{"split by" if m.grouped else "dimension"} {m.term.target} ("{m.surface}")'
              for m in reading.dimensions]
    parts += [f'{m.term.target} {"not " if m.negated else ""}= {m.term.value} ("{m.surface}")'
              for m in reading.values]
    for mention in reading.times:
        if mention.time_range is not None:
            start, end = mention.time_range.resolve(as_of)
            words = reading.text[mention.start:mention.end].strip()
            period = describe_range(mention.time_range, as_of)
            parts.append(f'period {start} to {end} ({period}, "{words}")' if start and end else f"period {period}")
    if reading.top_n:
        parts.append(f"top {reading.top_n}")
    return "; ".join(parts)


def _short(text: str) -> str:
    """A description's first clause: the meaning, without the formula a small model skips."""
    text = re.split(r",\s|\s\(|;\s", " ".join(text.split()))[0].rstrip(".")
    return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
