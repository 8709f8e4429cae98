"""Find and rewrite words copy must not carry: absolute claims (PRC Advertising Law art. 9),
medical and efficacy claims for cosmetics, false urgency, endorsements; English equivalents.

The lexicon is data (``banned_terms.yaml``, with the legal basis of each kind). Every text
is scanned with both languages' entries (Chinese copy often carries English words like
"NO.1"); a rewrite replaces each hit with its compliant wording and tidies the sentence,
and the result is scanned again by the caller, so nothing is called clean unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from genbi import safe_yaml

KINDS = {
    "absolute": ("absolute claim", "绝对化用语"),
    "urgency": ("false urgency or price claim", "虚假紧迫或价格用语"),
    "endorsement": ("forbidden endorsement", "违规背书"),
    "medical": ("medical claim", "医疗用语"),
    "efficacy": ("efficacy or safety guarantee", "功效或安全保证"),
    "special_use": ("special-use cosmetic claim", "特殊化妆品宣称"),
}


@dataclass(frozen=True)
class Term:
    """One lexicon entry."""

    text: str
    """The literal term, or the example a pattern must match."""
    replace: str
    kind: str
    language: str
    pattern: re.Pattern[str]
    literal: bool = True
    """False for a regex entry (always searched); a literal is searched only when it occurs."""


@dataclass(frozen=True)
class Hit:
    """A banned term found in a text."""

    found: str
    term: Term
    start: int

    def describe(self, language: str = "en") -> str:
        kind = KINDS[self.term.kind][1 if language == "zh" else 0]
        return f"'{self.found}' ({kind})"


@lru_cache(maxsize=1)
def lexicon() -> tuple[Term, ...]:
    """Every entry, literal terms longest first, then patterns in file order."""
    raw = safe_yaml.load(files("genbi.tools.copywriting").joinpath("banned_terms.yaml").read_text("utf-8"))
    literal: list[Term] = []
    patterns: list[Term] = []
    for language, entries in raw.items():
        for entry in entries:
            if "pattern" in entry:
                flags = re.IGNORECASE if language == "en" else 0
                term = Term(str(entry["example"]), str(entry["replace"]), entry["kind"], language,
                            re.compile(entry["pattern"], flags), literal=False)
                patterns.append(term)
            else:
                text = str(entry["term"])
                literal.append(Term(text, str(entry["replace"]), entry["kind"], language, _literal(text, language)))
    literal.sort(key=lambda t: -len(t.text))
    return (*literal, *patterns)


def _literal(text: str, language: str) -> re.Pattern[str]:
    if language == "zh":
        return re.compile(re.escape(text))
    return re.compile(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])", re.IGNORECASE)


def scan(text: str) -> list[Hit]:
    """Every banned term in ``text``, left to right; where hits overlap, the one that starts
    first (then the longest) wins. Literal terms are looked for only when their text occurs."""
    lowered = text.lower()
    found: list[Hit] = []
    for term in lexicon():
        if not term.literal or term.text.lower() in lowered:
            found += [Hit(m.group(), term, m.start()) for m in term.pattern.finditer(text)]
    found.sort(key=lambda h: (h.start, -len(h.found)))
    hits: list[Hit] = []
    for hit in found:
        if not hits or hit.start >= hits[-1].start + len(hits[-1].found):
            hits.append(hit)
    return hits


def rewrite(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text with every hit replaced, tidied; and the (found, replacement) pairs."""
    hits = scan(text)
    if not hits:
        return text, []
    out: list[str] = []
    position = 0
    changes = []
    for hit in hits:
        replacement = _cased(hit.term.replace, hit.found)
        out.append(text[position:hit.start])
        out.append(replacement)
        position = hit.start + len(hit.found)
        changes.append((hit.found, replacement))
    out.append(text[position:])
    clean = tidy("".join(out))
    if text[:1].isupper() and clean[:1].islower():  # "Guaranteed results" -> "Results"
        clean = clean[0].upper() + clean[1:]
    return clean, changes


def _cased(replacement: str, found: str) -> str:
    if replacement and found[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


_TIDY = [
    (re.compile(r"[ \t]{2,}"), " "),
    (re.compile(r"[ \t]+([,.!?;:，。！？；：、）】])"), r"\1"),
    (re.compile(r"([，。！？；：、])[，。；：、]+"), r"\1"),
    (re.compile(r"([（【(])[ \t]*[，。；：、,.;:]+"), r"\1"),
    (re.compile(r"^[ \t]*[，。；：、,.;:]+[ \t]*", re.MULTILINE), ""),
]


def tidy(text: str) -> str:
    """Spaces and punctuation left behind by a dropped word."""
    for pattern, replacement in _TIDY:
        text = pattern.sub(replacement, text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()
