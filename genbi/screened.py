"""Regular expressions that are not tried on text they cannot match.

The planner reads every question with a few hundred patterns, and most of them cannot match
it ("yesterday", "上上个月", "quarter to date" in "revenue on 双11 by sales channel"); trying
a pattern at every character costs 1–70 µs, looking for its words with ``in`` a fraction of
that. ``Screened(pattern)`` works out from the pattern's own parse a few strings one of which
every match contains (``needles``), and runs the pattern only on text that holds one.

Exact by construction: a needle is text a match must consume — literal characters, one of
the alternatives of a branch, the body of a repeat that runs at least once — never a
look-around, a boundary, an optional or zero-times part. A pattern whose parse holds
anything else where a needle would come from (classes such as ``\\d``, inline flags, case-
insensitive letters beyond ASCII) simply gets no needles and is always run. Case-insensitive
patterns are screened only on text whose characters beyond ASCII have no case (Chinese, digits,
punctuation: ``plainly_folded``), where ``str.lower`` and the regex engine agree; their needles
are lower-case ASCII or characters without a case, which the engine matches only as written.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

try:  # the standard library's own parser (typeshed does not describe it)
    _parser: Any = importlib.import_module("re._parser")
    _op: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - another Python: no screening, every pattern runs
    _parser = _op = None
try:  # the regex engine's own test of a character having a case (what IGNORECASE folds)
    _iscased: Callable[[int], bool] | None = importlib.import_module("_sre").unicode_iscased
except (ImportError, AttributeError):  # pragma: no cover - another Python: folding as before
    _iscased = None

_MOST_CHARS = 32
"""A character class of more characters than this gives no needles."""
_SCREEN_FROM = 2
"""The use of a pattern from which it is screened (see ``Screened``)."""
_FEW = 4
"""Up to this many needles are looked for in turn; more, only those filed under a character
the text has."""
_COMMON = " etaoinsrhldcumfpgwybvkxjqz0123456789"
"""Characters from the most to the least frequent in questions; any other is rarer still."""


class Screened:
    """``pattern`` with ``search``, ``match``, ``finditer``, ``findall`` and ``sub`` that
    return at once (no match, the text unchanged) when the text holds none of its needles.

    Each needle is filed under its rarest character (every character of a needle is in a
    text that holds it): one C-level intersection finds the characters the text has, and
    only the needles filed under those are looked for, with ``in``.

    The needles are worked out at the pattern's second use, not when it is compiled: parsing
    the planner's patterns again costs a one-shot process (``genbi ask``) more than screening
    its one question saves, while a process that answers more pays it once."""

    __slots__ = ("_filed", "_fold", "_keys", "_needles", "_uses", "pattern")

    def __init__(self, pattern: re.Pattern[str] | str, flags: int = 0) -> None:
        self.pattern = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        self._uses = 0
        self._needles: tuple[str, ...] | None = None
        self._fold = False
        self._filed: dict[str, tuple[str, ...]] = {}
        self._keys: frozenset[str] | None = None

    @property
    def needles(self) -> tuple[str, ...] | None:
        """Strings one of which every match contains (None: no such set is known)."""
        if self._uses < _SCREEN_FROM:
            self._prepare()
        return self._needles

    def _prepare(self) -> None:
        needles, fold = needles_of(self.pattern)
        filed: dict[str, list[str]] = {}
        for needle in needles or ():
            filed.setdefault(rarest_char(needle), []).append(needle)
        self._needles, self._fold = needles, fold
        self._filed = {key: tuple(found) for key, found in filed.items()}
        self._keys = frozenset(filed) if needles else None
        self._uses = _SCREEN_FROM  # ready (another thread doing the same meanwhile finds the same)

    def may_match(self, text: str) -> bool:
        """False only when no match of the pattern can exist in ``text``."""
        if self._uses < _SCREEN_FROM:
            self._uses += 1
            if self._uses < _SCREEN_FROM:
                return True  # not screened yet: the pattern runs
            self._prepare()
        keys = self._keys
        if keys is None:
            return True
        if self._fold:
            if not plainly_folded(text):
                return True
            text = text.lower()
        if keys.isdisjoint(text):
            return False
        needles = self._needles
        assert needles is not None
        if len(needles) <= _FEW:
            return any(needle in text for needle in needles)
        filed = self._filed
        return any(needle in text for key in keys.intersection(text) for needle in filed[key])

    def search(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.pattern.search(text, *bounds) if self.may_match(text) else None

    def match(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.pattern.match(text, *bounds) if self.may_match(text) else None

    def finditer(self, text: str, *bounds: int) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text, *bounds) if self.may_match(text) else iter(())

    def findall(self, text: str, *bounds: int) -> list[Any]:
        return self.pattern.findall(text, *bounds) if self.may_match(text) else []

    def sub(self, replace: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        return self.pattern.sub(replace, text, count) if self.may_match(text) else text

    def __repr__(self) -> str:
        return f"Screened({self.pattern.pattern!r})"


def rarest_char(needle: str) -> str:
    """The character of ``needle`` least often found in questions (a text that holds the
    needle holds each of its characters, so looking for this one first is exact)."""
    return max(needle, key=_rarity)


def _rarity(char: str) -> int:
    found = _COMMON.find(char)
    return len(_COMMON) if found < 0 else found


@functools.lru_cache(maxsize=4096)
def needles_of(pattern: re.Pattern[str]) -> tuple[tuple[str, ...] | None, bool]:
    """(strings one of which every match of ``pattern`` contains, or None when no such set
    is known; whether they are to be looked for in lower-cased ASCII text). Remembered per
    pattern (text and flags): the patterns are the code's own, made again by each planner."""
    if _parser is None or not isinstance(pattern.pattern, str) or pattern.flags & (re.LOCALE | re.VERBOSE):
        return None, False
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        found = _sequence(list(tree))
    except Exception:  # a parse this code does not know: no screening
        return None, False
    if not found or "" in found:
        return None, False
    fold = bool(pattern.flags & re.IGNORECASE)
    if fold:
        if all(_caseless(needle) for needle in found):
            fold = False  # "实验", "2025": matched only as written, on any text
        elif all(needle.isascii() or _caseless(needle) for needle in found):
            found = frozenset(needle.lower() for needle in found)  # a caseless needle is its own lower case
        else:
            return None, False
    return tuple(sorted(found, key=lambda n: (-len(n), n))), fold


def _caseless(needle: str) -> bool:
    """Every character of ``needle`` is one the regex engine has no other case of: under
    IGNORECASE it compiles it to an exact match (``re._compiler``), so a match holds it as
    written."""
    return _iscased is not None and not any(map(_iscased, map(ord, needle)))


def plainly_folded(text: str) -> bool:
    """True when lower-casing ``text`` (``str.lower``) is all the regex engine's IGNORECASE
    folding can make of it: ASCII text, or text whose other characters have no case (Chinese,
    full-width digits...). A character with a case beyond ASCII ("ſ" folds to "s", the Kelvin
    sign to "k") makes the text unscreenable for case-insensitive patterns."""
    return text.isascii() or _uncased_beyond_ascii(text)


@functools.lru_cache(maxsize=4096)
def _uncased_beyond_ascii(text: str) -> bool:
    if _iscased is None:
        return False
    return not any(_iscased(ord(char)) for char in set(text) if not char.isascii())


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Needles of a sequence: those of the one part (every part must match) that screens best."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _op.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        found = _part(op, av)
        if found:
            options.append(found)
    if run:
        options.append(frozenset({"".join(run)}))
    if not options:
        return None
    return max(options, key=lambda found: (min(map(len, found)), -len(found)))


def _part(op: Any, av: Any) -> frozenset[str] | None:
    if op is _op.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        return None if add_flags or del_flags else _sequence(list(body))
    if op is _op.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is _op.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            found = _sequence(list(alternative))
            if not found:
                return None  # an alternative without needles: the branch has none
            union |= found
        return frozenset(union)
    if op in (_op.MAX_REPEAT, _op.MIN_REPEAT, getattr(_op, "POSSESSIVE_REPEAT", None)):
        low, _high, body = av
        return _sequence(list(body)) if low >= 1 else None
    if op is _op.IN:
        if len(av) > _MOST_CHARS or any(kind is not _op.LITERAL for kind, _ in av):
            return None  # a negation, a range or a category: too many characters to list
        return frozenset(chr(code) for _, code in av)
    return None  # zero-width (boundaries, look-arounds) or anything else: nothing certain


class ScreenedGroup:
    """Patterns tried in turn on the same text: ``candidates(text)`` gives, in order, the
    positions of those that may match it — exactly the patterns whose ``Screened`` would run
    (``may_match``) — with one look at the text for the whole group instead of one per
    pattern. The needles of every pattern are filed under their rarest character; only those
    filed under a character the text has are looked for. Worked out at the group's second
    use, as ``Screened``."""

    __slots__ = ("_always", "_filed", "_folded", "_keys", "_uses", "patterns")

    def __init__(self, patterns: list[re.Pattern[str]] | tuple[re.Pattern[str], ...]) -> None:
        self.patterns = tuple(patterns)
        self._uses = 0
        self._always: frozenset[int] = frozenset()
        self._filed: dict[str, tuple[tuple[str, int, bool], ...]] = {}
        self._keys: frozenset[str] | None = None
        """None until prepared (set last): every pattern is a candidate meanwhile."""
        self._folded: frozenset[int] = frozenset()

    def _prepare(self) -> None:
        always: set[int] = set()
        folded: set[int] = set()
        filed: dict[str, list[tuple[str, int, bool]]] = {}
        for index, pattern in enumerate(self.patterns):
            needles, fold = needles_of(pattern)
            if needles is None:
                always.add(index)
                continue
            if fold:
                folded.add(index)
            for needle in needles:
                filed.setdefault(rarest_char(needle), []).append((needle, index, fold))
        self._always, self._folded = frozenset(always), frozenset(folded)
        self._filed = {key: tuple(found) for key, found in filed.items()}
        self._keys = frozenset(filed)  # last: another thread reading meanwhile runs every pattern
        self._uses = _SCREEN_FROM

    def candidates(self, text: str) -> list[int]:
        """Positions (ascending) of the patterns that may match ``text``."""
        if self._uses < _SCREEN_FROM:
            self._uses += 1
            if self._uses < _SCREEN_FROM:
                return list(range(len(self.patterns)))
            self._prepare()
        keys = self._keys
        if keys is None:  # being prepared by another thread
            return list(range(len(self.patterns)))
        found = set(self._always)
        foldable = plainly_folded(text) if self._folded else True
        if self._folded and not foldable:
            found |= self._folded  # case-insensitive patterns are screened only where lower() folds as they do
        lowered = text.lower() if self._folded and foldable else text
        filed = self._filed
        present = keys.intersection(text)
        if lowered is not text:
            present |= keys.intersection(lowered)
        for key in present:
            for needle, index, fold in filed[key]:
                if index in found:
                    continue
                if fold:
                    if foldable and needle in lowered:
                        found.add(index)
                elif needle in text:
                    found.add(index)
        return sorted(found)
