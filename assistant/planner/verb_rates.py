""""Which channel converts best?": a rate said with its verb instead of its name.

Marketers rank by a rate with the verb it is named after ("converts best", "best-converting
channel", "哪个渠道转化最好") and no metric word. The planner found no metric and asked "best by
which number?" (or, in Chinese, read "转化" as the campaign objective 'conversion'). When a
question names no metric, has no word the model does not know, and says the verb beside a
superlative, it is read again with the rate's own name in the verb's place ("conversion rate",
"转化率"), so the model (not this module) decides which metric that is; when the model has no
metric by that name nothing changes. The answer says how it was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from genbi.assistant.planner.reading import Reading, read
from genbi.assistant.planner.vocabulary import Vocabulary

_SUPERLATIVE_EN = r"(?:the\s)?(?:best|most|highest|worst|least|lowest|better|worse)"
_CONVERTS_EN = re.compile(
    rf"\bconvert(?:s|ed|ing)?\s(?:{_SUPERLATIVE_EN})\b"
    r"|\b(?:best|highest|top|worst|lowest)[- ]converting\b",
    re.IGNORECASE,
)
_CONVERTS_ZH = re.compile(r"转化(?!率)(?:得|的)?(?=(?:最好|最高|最多|最差|最低|最少|更好|更高|更差|更低|好不好|怎么样|如何))")
_NAMES = {"en": "conversion rate", "zh": "转化率"}


@dataclass(frozen=True)
class VerbRate:
    reading: Reading
    note: str
    metric: str
    """The rate read: the answer must be that rate (a substitute for it would answer another question)."""


def read_verb_rate(question: str, reading: Reading, vocabulary: Vocabulary, as_of: date) -> VerbRate | None:
    """``reading`` re-read with the rate's name where the question said its verb, or None."""
    if reading.metrics:
        return None
    zh = reading.language == "zh"
    name = _NAMES["zh" if zh else "en"]
    if name not in vocabulary.terms:
        return None
    pattern = _CONVERTS_ZH if zh else _CONVERTS_EN
    said = pattern.search(question)
    if said is None:
        return None
    if zh:
        text = question[:said.start()] + name + question[said.end():]
    else:
        ranking = re.search(r"best|most|highest|worst|least|lowest|better|worse|top", said.group(0), re.IGNORECASE)
        word = ranking.group(0).lower() if ranking else "best"
        word = "best" if word == "top" else word
        text = question[:said.start()] + f"{word} {name}" + question[said.end():]
    again = read(text, vocabulary, as_of)
    if len({m.term.target for m in again.metrics}) != 1:
        return None
    again.question = question
    note = (f"我把“{said.group(0).rstrip('得的')}”理解为{name}。" if zh
            else f"I read '{said.group(0)}' as the {name}.")
    return VerbRate(again, note, next(iter({m.term.target for m in again.metrics})))
