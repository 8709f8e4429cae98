"""The planner's vocabulary: every word the semantic model and the warehouse give us.

Metric and dimension names, labels and synonyms, and dimension values (the model's frequent
values with their synonyms, plus the distinct values found in the warehouse), each folded by
``text.normalize`` and compiled into one matcher that finds the longest term at each place
of a question, in English (on word boundaries) and Chinese (anywhere).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from genbi.assistant.planner.text import has_cjk, normalize
from genbi.semantic_layer.model import (
    Aggregation,
    Dimension,
    DimensionType,
    Measure,
    MetricType,
    SemanticModel,
    counts_rows_of,
)
from genbi.semantic_layer.naming import label_zh

_T = TypeVar("_T")


class TermKind(StrEnum):
    METRIC = "metric"
    DIMENSION = "dimension"
    VALUE = "value"


@dataclass(frozen=True)
class Term:
    """One meaning of a surface form."""

    kind: TermKind
    target: str
    """Metric or dimension name."""
    value: str | int | bool | None = None
    """For VALUE terms: the canonical warehouse value."""
    rank: int = 0
    """Model order of the target; lower ranks win ties between meanings."""
    exact: bool = True
    """False for surfaces derived from a name (plurals, spaced underscores)."""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    surface: str
    terms: tuple[Term, ...]
    fuzzy: bool = False


@dataclass
class Vocabulary:
    """Surface forms -> terms, found longest-first, left to right, on word edges.

    Matching looks substrings up in the dict (every surface length, longest first, at each
    position) rather than compiling one alternation of every surface: with the warehouse's
    values that regex took a third of a second to build each time an assistant opened, and
    looking up a question's substrings is as fast as running it."""

    terms: dict[str, list[Term]] = field(default_factory=dict)
    number_dimensions: frozenset[str] = frozenset()
    """Dimensions compared with numbers ("age under 25")."""
    boolean_dimensions: frozenset[str] = frozenset()
    """Yes/no dimensions ('click' 0/1): a ranking "by clicks" runs over the clicks metric."""
    row_counts: frozenset[str] = frozenset()
    """Metrics that count a table's rows by its key ('orders'): what "手机订单的数量" counts."""
    time_dimensions: frozenset[str] = frozenset()
    """Dimensions that are a time itself (Avazu's timestamp 'hour'): "by hour of day" is a part of
    that time, never the column named for it."""
    row_numbers: dict[str, str] = field(default_factory=dict)
    """Metric -> the number dimension of the same column: 'spending score' is a metric (its
    average), and "customers with a spending score above 80" compares each row's."""
    age_dimension: str | None = None
    """The number dimension that is a person's age ("customers under 25" needs no word for it)."""
    birth_year_dimension: str | None = None
    """The dimension of the model's birth-year role, for cohorts ("95后")."""
    people_metric: str | None = None
    """The count of the model's customers, for "how many members", "金卡会员有多少人"."""
    people_counts: frozenset[str] = frozenset()
    """Metrics that count customers (by any date or table): "how many people signed up" is
    new customers, "people" being what they count, not a word left over."""
    people_dimensions: frozenset[str] = frozenset()
    """Dimensions on the table of the people metric (a customer's city, tier): "silver people",
    "people in Shanghai" say whose rows, as "silver customers" does."""
    uncorrected: frozenset[str] = frozenset()
    """Words of personal-data columns ("phone", "email"): never read as a typo of another word
    ("customers with a phone number" had become the device iPhone)."""
    counted_rows: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)
    """A count of some of a table's rows ("Cancellations": the rows with a cancellation date) ->
    (its table, the yes/no dimension that keeps the same rows or None, what it counts): "monthly fee of
    cancelled subscriptions" keeps those rows for the fee; it does not add their count beside it."""
    plain_counts: dict[str, str] = field(default_factory=dict)
    """Counts with no condition ("Sessions") -> what they count: "加购的会话数" is the
    add-to-cart sessions themselves (the same sessions counted), not a condition on a count of
    all sessions."""
    table_row_counts: dict[str, str] = field(default_factory=dict)
    """Categorical dimension -> the one metric that counts its table's rows: "交易关闭的数量" (a
    status said, then "how many") is the orders with that status."""
    metric_tables: dict[str, frozenset[str]] = field(default_factory=dict)
    """Metric -> the tables its measures are on."""
    shared_heads: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A last word several dimensions end with and no term of its own ("state" of customer
    state and seller state) -> those dimensions: the question's metric picks, else it is asked."""
    _lengths: tuple[int, ...] | None = None
    _starting: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _pairs: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Lengths of the surfaces of two or more characters by their first two, longest first."""
    """First character -> the lengths of the surfaces that start with it, longest first: a
    position only tries the lengths a surface there could have."""
    _single_words: list[str] = field(default_factory=list)
    _endings: dict[str, frozenset[str]] | None = None
    _component_words: list[str] = field(default_factory=list)
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def add(self, surface: str, term: Term) -> None:
        key = normalize(surface)
        if len(key) < 2 and not has_cjk(key):
            return
        bucket = self.terms.setdefault(key, [])
        if term not in bucket:
            bucket.append(term)
        self._lengths = None
        self._derived.clear()

    def derived(self, key: str, build: Callable[[Vocabulary], _T]) -> _T:
        """``build(self)``, worked out once per vocabulary: what a reader derives from every term
        (a scan of thousands of surfaces with the warehouse's values) is the same for every
        question, so it is not redone per question. Forgotten when a term is added; ``key``
        names what ``build`` makes (one key, one builder)."""
        if key not in self._derived:
            self._derived[key] = build(self)
        found: _T = self._derived[key]
        return found

    def compile(self) -> None:
        self._lengths = tuple(sorted({len(s) for s in self.terms}, reverse=True))
        starting: dict[str, set[int]] = {}
        pairs: dict[str, set[int]] = {}
        for surface in self.terms:
            starting.setdefault(surface[0], set()).add(len(surface))
            if len(surface) >= 2:
                pairs.setdefault(surface[:2], set()).add(len(surface))
        self._starting = {first: tuple(sorted(lengths, reverse=True)) for first, lengths in starting.items()}
        self._pairs = {pair: tuple(sorted(lengths, reverse=True)) for pair, lengths in pairs.items()}
        self._single_words = [s for s in self.terms if " " not in s and s.isascii() and len(s) >= 4]
        self._component_words = sorted({w for s in self.terms if s.isascii() for w in s.split() if len(w) >= 4})

    def _longest_at(self, text: str, start: int) -> str | None:
        """The longest surface starting at ``start`` whose ASCII edges are word edges."""
        assert self._lengths is not None
        if start > 0 and _ascii_word(text[start]) and _same_kind(text[start - 1], text[start]):
            return None  # inside an ASCII word: no surface may start here ("双11gmv" may)
        # the lengths of the surfaces that start with the two characters here (longest first),
        # then a surface of one character
        lengths = self._pairs.get(text[start:start + 2], ())
        if text[start] in self.terms:
            lengths = (*lengths, 1)
        for length in lengths:
            end = start + length
            if end > len(text):
                continue
            surface = text[start:end]
            if surface not in self.terms:
                continue
            if end < len(text) and _ascii_word(surface[-1]) and _same_kind(surface[-1], text[end]):
                continue
            return surface
        return None

    def kind_endings(self, dimension: str) -> frozenset[str]:
        """The last characters of ``dimension``'s Chinese names ("区" of 大区 and 地区, "市" of
        城市): said right after one of its members ("华东区", "杭州市") they name the member's
        kind, not another condition."""
        if self._endings is None:
            found: dict[str, set[str]] = {}
            for surface, terms in self.terms.items():
                if len(surface) >= 2 and has_cjk(surface[-1]):
                    for term in terms:
                        if term.kind == TermKind.DIMENSION:
                            found.setdefault(term.target, set()).add(surface[-1])
            self._endings = {name: frozenset(ends) for name, ends in found.items()}
        return self._endings.get(dimension, frozenset())

    def find(self, text: str, taken: Sequence[bool] | None = None) -> list[Match]:
        """Longest terms, left to right, skipping characters already ``taken``."""
        if self._lengths is None:
            self.compile()
        found: list[Match] = []
        pos = 0
        starting = self._starting
        while pos < len(text):
            if text[pos] not in starting:  # no surface starts with this character
                pos += 1
                continue
            surface = self._longest_at(text, pos)
            if surface is None:
                pos += 1
                continue
            end = pos + len(surface)
            if taken is not None and any(taken[pos:end]):
                pos += 1
                continue
            found.append(Match(pos, end, surface, tuple(self.terms[surface])))
            pos = end
        return found

    def fuzzy(self, word: str, cutoff: float = 0.84) -> Match | None:
        """A close single-word term for a typo ("revnue" → revenue), or None."""
        if len(word) < 5 or word in self.uncorrected:
            return None
        close = difflib.get_close_matches(word, self._single_words, n=1, cutoff=cutoff) or [
            s for s in self._single_words if _swapped(word, s)][:1]
        if not close:
            return None
        return Match(0, 0, close[0], tuple(self.terms[close[0]]), fuzzy=True)

    def correct(self, word: str, cutoff: float = 0.84) -> str | None:
        """The word of a longer term a typo stands for ("averge" → average, "valeu" → value)."""
        if len(word) < 5 or not word.isascii() or word in self.uncorrected:
            return None
        if self._lengths is None:
            self.compile()
        close = difflib.get_close_matches(word, self._component_words, n=1, cutoff=cutoff) or [
            w for w in self._component_words if _swapped(word, w)][:1]
        return close[0] if close else None

    def surfaces_for(self, kind: TermKind, target: str) -> list[str]:
        return [s for s, terms in self.terms.items() if any(t.kind == kind and t.target == target for t in terms)]


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
"""A surface with an ASCII letter or digit at an edge must not continue a word there."""


def _same_kind(a: str, b: str) -> bool:
    """Two ASCII word characters of one run: both letters or both digits ("gmv" after "11"
    starts a word; "rev" inside "revenue" does not)."""
    return a in _WORD_CHARS and b in _WORD_CHARS and a.isdigit() == b.isdigit()


def _ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def build_vocabulary(
    model: SemanticModel, warehouse_values: Mapping[str, Iterable[object]] | None = None
) -> Vocabulary:
    """All surface forms of the model's metrics, dimensions and values."""
    vocabulary = Vocabulary()
    for rank, metric in enumerate(model.metrics):
        term = Term(TermKind.METRIC, metric.name, rank=rank)
        for surface in _surfaces(metric.name, metric.label, metric.label_zh, metric.synonyms):
            vocabulary.add(surface, term)
    private = [d for d in model.dimensions if d.pii]
    vocabulary.uncorrected = frozenset(
        word for d in private for text in (d.name.replace("_", " "), d.label, *d.synonyms)
        for word in normalize(text).split() if word.isascii() and word.isalpha())
    for rank, dimension in enumerate(model.dimensions):
        if dimension.pii:
            continue
        term = Term(TermKind.DIMENSION, dimension.name, rank=rank)
        for surface in _surfaces(dimension.name, dimension.label, dimension.label_zh, dimension.synonyms):
            vocabulary.add(surface, term)
        if dimension.type != DimensionType.CATEGORICAL:
            continue
        for value in dimension.values:
            term_value = Term(TermKind.VALUE, dimension.name, value=value.value, rank=rank)
            words = (str(value.value), value.label or "", value.label_zh or "", *value.synonyms)
            for surface in _value_surfaces(words) - _BARE_ANSWERS:
                vocabulary.add(surface, term_value)
        for raw in (warehouse_values or {}).get(dimension.name, ()):
            if isinstance(raw, str) and raw.strip():
                for surface in _value_surfaces((raw,)) - _BARE_ANSWERS:
                    vocabulary.add(surface, Term(TermKind.VALUE, dimension.name, value=raw, rank=rank))
    numbers = [d for d in model.dimensions if d.type == DimensionType.NUMBER and not d.pii]
    vocabulary.number_dimensions = frozenset(d.name for d in numbers)
    vocabulary.row_counts = frozenset(m.name for m in model.metrics if _counts_rows(model, m.name))
    vocabulary.table_row_counts = _table_row_counts(model, vocabulary.row_counts)
    vocabulary.boolean_dimensions = frozenset(d.name for d in model.dimensions if d.type == DimensionType.BOOLEAN)
    vocabulary.time_dimensions = frozenset(d.name for d in model.dimensions if d.type == DimensionType.TIME)
    vocabulary.row_numbers = _row_numbers(model, numbers)
    vocabulary.age_dimension = next((d.name for d in numbers if _is_age(d)), None)
    vocabulary.birth_year_dimension = _birth_year_dimension(model)
    _head_nouns(vocabulary, model)
    vocabulary.people_metric = plain_people_metric(model)
    vocabulary.people_counts = people_counts(model)
    _people_count_forms(vocabulary, model)
    vocabulary.metric_tables = {m.name: frozenset(x.table for x in model.metric_measures(m.name)) for m in model.metrics}
    people_tables = vocabulary.metric_tables.get(vocabulary.people_metric or "", frozenset())
    vocabulary.people_dimensions = frozenset(d.name for d in model.dimensions if d.table in people_tables)
    vocabulary.counted_rows = _counted_rows(model)
    vocabulary.plain_counts = {
        m.name: _counted(measure) for m in model.metrics if m.type == MetricType.SIMPLE and m.measure is not None
        and (measure := model.measure(m.measure)).agg.value in ("count", "count_distinct") and not measure.filter}
    ranks = {m.name: rank for rank, m in enumerate(model.metrics)}
    for close in model.close_readings:
        for word in close.words:
            for metric in close.metrics:
                vocabulary.add(word, Term(TermKind.METRIC, metric, rank=ranks.get(metric, 0)))
    vocabulary.compile()
    return vocabulary


def _counted(measure: Measure) -> str:
    """What a count counts, in one spelling ("count_distinct events.session_id")."""
    expr = measure.expr.strip()
    return f"{measure.agg.value} {expr if '.' in expr or expr in ('1', '*') else f'{measure.table}.{expr}'}"


def _counted_rows(model: SemanticModel) -> dict[str, tuple[str, str | None, str]]:
    flags = {(d.table, _condition(d.expr)): d.name for d in model.dimensions
             if d.type == DimensionType.BOOLEAN and not d.pii and d.expr and d.table}
    found: dict[str, tuple[str, str | None, str]] = {}
    for metric in model.metrics:
        if metric.type != MetricType.SIMPLE or metric.measure is None:
            continue
        measure = model.measure(metric.measure)
        if measure.agg.value in ("count", "count_distinct") and measure.filter:
            found[metric.name] = (measure.table, flags.get((measure.table, _condition(measure.filter))), _counted(measure))
    return found


def _condition(expr: str) -> str:
    """A row condition in one spelling: "NOT x IS NULL" and "x IS NOT NULL" alike."""
    said = " ".join(expr.lower().replace("\"", "").split())
    return re.sub(r"^not (\w+) is null$", r"\1 is not null", said)


def _table_row_counts(model: SemanticModel, row_counts: frozenset[str]) -> dict[str, str]:
    by_table: dict[str, list[str]] = {}
    for metric in model.metrics:
        definition = model.metric(metric.name)
        if metric.name in row_counts and definition.measure is not None:
            by_table.setdefault(model.measure(definition.measure).table, []).append(metric.name)
    return {d.name: by_table[d.table][0] for d in model.dimensions
            if d.type == DimensionType.CATEGORICAL and d.table and len(by_table.get(d.table, [])) == 1}


def _counts_rows(model: SemanticModel, metric: str) -> bool:
    definition = model.metric(metric)
    if definition.type != MetricType.SIMPLE or definition.measure is None:
        return False
    return counts_rows_of(model, metric, model.measure(definition.measure).table)


def entity_count(model: SemanticModel, metric: str) -> bool:
    """A plain count of a table's rows by its key ("customers"): a noun as much as a metric."""
    return model.derived(("entity count", metric), lambda: _entity_count(model, metric))


def _entity_count(model: SemanticModel, metric: str) -> bool:
    definition = model.metric(metric)
    if definition.type != MetricType.SIMPLE or definition.measure is None:
        return False
    table = model.measure(definition.measure).table
    if "customer_entity" in model.roles and table != model.role_table("customer_entity"):
        return False
    return counts_rows_of(model, metric, table)


def average_twin(model: SemanticModel, metric: str) -> str | None:
    """The model's one average of the column a summed ``metric`` adds up ("average premium"
    for "premium"), on the same table and rows (a deal's amount: the average of every deal's,
    not that of the won ones); None when it has none or several."""
    measures = model.metric_measures(metric)
    if len(measures) != 1 or measures[0].agg.value != "sum":
        return None
    summed = measures[0]
    twins = [m.name for m in model.metrics if m.type == MetricType.SIMPLE and m.measure is not None
             and (twin := model.measure(m.measure)).agg.value == "avg"
             and twin.table == summed.table and twin.expr == summed.expr and twin.filter == summed.filter]
    return twins[0] if len(twins) == 1 else None


def plain_people_metric(model: SemanticModel) -> str | None:
    """The plainest count of customers: "Customers" rather than "New customers", which counts
    the same rows on their signup date."""
    return model.derived("plain people metric", lambda: _plain_people_metric(model))


def _plain_people_metric(model: SemanticModel) -> str | None:
    if "customer_entity" not in model.roles:
        counted = sorted(people_counts(model), key=lambda n: (len(model.metric(n).label), n))
        return counted[0] if counted else None
    table = model.role_table("customer_entity")
    counts = [m for m in model.metrics if entity_count(model, m.name)]
    plain = sorted(counts, key=lambda m: (normalize(m.label) not in {table, table.rstrip("s"), m.name}, len(m.label)))
    return plain[0].name if plain else None


def people_counts(model: SemanticModel) -> frozenset[str]:
    """Simple metrics counting (distinct) customer keys, on the customer table or any other
    (customers, new customers, buyers); with no customer table, distinct counts of a column
    keyed by a person."""
    return model.derived("people counts", lambda: _people_counts(model))


def _people_counts(model: SemanticModel) -> frozenset[str]:
    key = model.table(model.role_table("customer_entity")).primary_key if "customer_entity" in model.roles else None
    found: set[str] = set()
    for metric in model.metrics:
        if metric.type != MetricType.SIMPLE or metric.measure is None:
            continue
        measure = model.measure(metric.measure)
        column = measure.expr.strip().rsplit(".", 1)[-1].lower()
        if measure.agg.value not in ("count", "count_distinct") or (measure.filter is not None and key is None):
            continue
        if column == key or (key is None and measure.agg.value == "count_distinct" and _PERSON_KEY.fullmatch(column)):
            found.add(metric.name)
    return frozenset(found)


_PERSON_KEY = re.compile(r"(?:customer|client|user|member|buyer|shopper|consumer|patient|policyholder)s?"
                         r"(?:_?(?:id|no|key|number|code))?")
"""A column keyed by a person, for models with no customer table (a drafted invoices export
counts "customers" as distinct customer_id values)."""


def _people_count_forms(vocabulary: Vocabulary, model: SemanticModel) -> None:
    """A Chinese count of people is said with 数 or 人数 alike ("拉新数" / "拉新人数"): each
    metric counting customers gets the 人数 form of its names. Without it
    "2025年拉新人数" read 拉新 as the campaign objective and counted its customers."""
    for rank, metric in enumerate(model.metrics):
        if metric.name not in vocabulary.people_counts:
            continue
        term = Term(TermKind.METRIC, metric.name, rank=rank)
        for surface in (metric.label_zh, *metric.synonyms):
            if not surface or not has_cjk(surface) or not surface.endswith("数") or surface.endswith("人数"):
                continue
            other = surface[:-1] + "人数"  # never the other way: "购买数" may count purchases
            if normalize(other) not in vocabulary.terms:
                vocabulary.add(other, term)


def _head_nouns(vocabulary: Vocabulary, model: SemanticModel) -> None:
    """A dimension's bare head noun is also a second choice of every dimension it heads.

    "channel" is the model's marketing channel, but "new customers by channel" can only mean
    the acquisition channel: new customers have no marketing channel. Without this the planner
    kept the first meaning and swapped the metric instead (buyers for new customers). The
    model's own meaning still wins wherever it fits (ranks after every dimension's own)."""
    offset = len(model.dimensions)
    heads = {s for s, terms in vocabulary.terms.items() if any(t.kind == TermKind.DIMENSION for t in terms)}
    heads |= _unclaimed_heads(vocabulary, model)
    surfaces: dict[str, list[str]] = {}  # dimension -> its surfaces, as ``surfaces_for`` lists them
    for surface, terms in vocabulary.terms.items():
        for target in dict.fromkeys(t.target for t in terms if t.kind == TermKind.DIMENSION):
            surfaces.setdefault(target, []).append(surface)
    for rank, dimension in enumerate(model.dimensions):
        if dimension.pii:
            continue
        term = Term(TermKind.DIMENSION, dimension.name, rank=offset + rank, exact=False)
        for surface in surfaces.get(dimension.name, ()):
            for head in _heads(surface, heads):
                if all(t.target != dimension.name for t in vocabulary.terms.get(head, ())):
                    vocabulary.add(head, term)


_GENERIC_HEADS = frozenset({"id", "key", "code", "date", "time", "timestamp", "name", "number", "no", "num", "value",
                            "amount", "count", "type", "flag", "level", "group", "at", "on", "ts", "dt", "year",
                            "month", "day", "week", "quarter"})
"""Last words that name no dimension on their own ("order date", "payment type")."""


def _unclaimed_heads(vocabulary: Vocabulary, model: SemanticModel) -> set[str]:
    """Last words of dimension labels that are no term of their own ("status" of "order
    status", "来源" of "线索来源"), so "orders by status" reads. A head several dimensions
    have ("state" of a customer state and a seller state) is kept in ``shared_heads``: the
    metric asked decides between them, or the marketer is asked."""
    counts: dict[str, int] = {}
    owners: dict[str, list[str]] = {}
    for dimension in model.dimensions:
        if dimension.pii:
            continue
        words = normalize(dimension.label).split()
        heads = set()
        if len(words) > 1 and words[-1].isascii() and words[-1].isalpha() and len(words[-1]) > 3 \
                and words[-1] not in _GENERIC_HEADS:
            heads |= _plural_variants(words[-1])  # "which states …" as well as "by state"
        zh = normalize(dimension.label_zh or "")
        said = label_zh([words[-1]]) if words and words[-1].isalpha() else ""
        if len(said) >= 2 and len(zh) > len(said) and zh.endswith(said) and said not in _GENERIC_HEADS_ZH:
            heads.add(said)  # "交易负责人" (deal owner) → 负责人, the Chinese of its English head
        elif len(zh) >= 4 and has_cjk(zh[-2:]) and zh[-2:] not in _GENERIC_HEADS_ZH:
            heads.add(zh[-2:])  # "线索来源" → 来源, "客户城市" → 城市
        elif len(zh) >= 3 and zh[-1] in _PLACE_HEADS_ZH:
            heads.add(zh[-1])  # "客户州" → 州: a place named by one character
        for head in heads - set(vocabulary.terms):
            counts[head] = counts.get(head, 0) + 1
            owners.setdefault(head, []).append(dimension.name)
    vocabulary.shared_heads = {head: tuple(names) for head, names in owners.items() if len(names) > 1}
    return set(counts)


_PLACE_HEADS_ZH = frozenset({"州", "省", "市", "国"})
"""Places Chinese names with one character ("各州", "各省"): a head of their own."""

_GENERIC_HEADS_ZH = frozenset({"时间", "日期", "编号", "名称", "金额", "数量", "代码", "类型", "方式", "年份", "月份"})


def _heads(surface: str, heads: set[str]) -> list[str]:
    """The dimension surfaces ``surface`` ends with: its last English word ("acquisition
    channel" → channel), or a shorter Chinese ending ("获客渠道" → 渠道)."""
    if surface.isascii():
        words = surface.split()
        return [words[-1]] if len(words) > 1 and words[-1] in heads else []
    ends = [surface[i:] for i in range(1, len(surface) - 1) if surface[i:] in heads
            and not (_ascii_word(surface[i - 1]) and _ascii_word(surface[i]))]  # never inside a word ('产品 subcategory')
    return ends + ([surface[-1]] if len(surface) > 1 and surface[-1] in _PLACE_HEADS_ZH and surface[-1] in heads
                   else [])


def _is_age(dimension: Dimension) -> bool:
    words = {normalize(w) for w in (dimension.name, dimension.label, dimension.label_zh, *dimension.synonyms)}
    return bool(words & {"age", "岁", "年龄", "years old"})


def _row_numbers(model: SemanticModel, numbers: list[Dimension]) -> dict[str, str]:
    """Metrics that sum or average one column a number dimension compares row by row."""
    by_column = {(d.table, d.column): d.name for d in numbers if d.column}
    found = {}
    for metric in model.metrics:
        if metric.type != MetricType.SIMPLE or not metric.measure:
            continue
        measure = model.measure(metric.measure)
        dimension = by_column.get((measure.table, measure.expr.strip()))
        if dimension and measure.filter is None and measure.agg in (Aggregation.AVG, Aggregation.SUM):
            found[metric.name] = dimension
    return found


def _birth_year_dimension(model: SemanticModel) -> str | None:
    if "customer_birth_year" not in model.roles:
        return None
    table, column = model.role_column("customer_birth_year")
    return next((d.name for d in model.dimensions if d.table == table and d.column == column and not d.pii), None)


def _surfaces(name: str, label: str, label_zh: str, synonyms: Iterable[str]) -> set[str]:
    words = {name, name.replace("_", " "), label, label_zh, *synonyms}
    return {variant for word in words if word for bare in _article_variants(word) for variant in _plural_variants(bare)}


_INNER_ARTICLE = re.compile(r"(?<=\S) (?:the|a|an) (?=\S)")


def _article_variants(word: str) -> set[str]:
    """A phrase with and without its inner articles: "added something to the cart" is also
    "added something to cart", "customers who made a purchase" also "… made purchase" (people
    type without them; the phrase means the same)."""
    base = normalize(word)
    bare = _INNER_ARTICLE.sub(" ", base) if base.isascii() else base
    return {base, bare}


_BARE_ANSWERS = {"yes", "no", "true", "false", "y", "n"} | {
    "in", "on", "at", "to", "of", "by", "or", "and", "an", "a", "as", "is", "for", "per", "the", "from", "with",
    "vs", "if", "so", "do", "be", "are", "was", "how", "what", "all", "any"} | {
    "top", "bottom", "best", "worst", "highest", "lowest", "most", "least"}
"""A yes/no/unknown column's answers alone name no column ('clients with no loan' is not
'default = no'): they are found through the column's own words ('housing loan', 'no loan').
Nor does a code that is also an English function word (AdventureWorks' PersonType 'IN' in
'sales in 2013'), nor a value that is a ranking word (a clothing category 'Top' in "top 3
states by sales"; "tops" still names it); 'US' stays a country."""


def _value_surfaces(words: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for word in words:
        if not word:
            continue
        for bare in _article_variants(word):
            out |= _plural_variants(bare)
        out |= _plural_variants(word.replace("_", " "))
    return out


def _plural_variants(word: str) -> set[str]:
    """English nouns in both numbers: "city" ~ "cities", "order" ~ "orders"."""
    base = normalize(word)
    if not base or has_cjk(base) or not base[-1].isalpha():
        return {base}
    head, _, last = base.rpartition(" ")
    prefix = f"{head} " if head else ""
    forms = {last}
    if len(last) < 3:  # a code ("A", "SP"), not a noun: "as" is no plural of variant A
        return {prefix + last}
    if last.endswith("ies"):
        forms.add(last[:-3] + "y")
    elif last.endswith(("ses", "xes", "ches", "shes")):
        forms.add(last[:-2])
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        forms.add(last[:-1])
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        forms.add(last[:-1] + "ies")
    elif last.endswith(("s", "x", "ch", "sh")):
        forms.add(last + "es")
    else:
        forms.add(last + "s")
    return {prefix + form for form in forms}


def _swapped(typed: str, word: str) -> bool:
    """One pair of neighbouring letters swapped ("ordres" for "orders")."""
    if len(typed) != len(word) or typed == word:
        return False
    diffs = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and typed[diffs[0]] == word[diffs[1]] \
        and typed[diffs[1]] == word[diffs[0]]
