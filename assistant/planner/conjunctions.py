""""Customers who bought skincare and makeup": both, which a list of values does not say.

Two values of one column make an ``IN`` filter: a row with either. For a metric whose own rows
carry the column (product sales of skincare and makeup) that is the sum of both, as asked.
For a distinct count said as a buyer clause ("customers who bought on tmall and jd"), and for
a metric the column only reaches through a semi-join (buyers, orders: each has many order
lines, each line one category), "X and Y" is ambiguous at best and usually means the members
with both (customers who bought skincare and also makeup), which an ``IN`` filter answers as
either one: a bigger, wrong number, said with confidence. The spec cannot say "has a row of
each value", so the question is declined, saying what can be asked instead; "or" keeps the
union it names.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from genbi.assistant.planner.cues import BUYER_PHRASES
from genbi.assistant.planner.reading import Reading
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.semantic_layer.model import Aggregation, SemanticModel
from genbi.semantic_layer.query_spec import Filter, FilterOp

_BUYER_CLAUSE = re.compile("|".join(re.escape(p) for p in BUYER_PHRASES.values()))
"""The members said as those who did it ("customers who bought on tmall and jd"): people who
did each, not the people of the rows of either."""

_EITHER = re.compile(r"\b(?:or|either)\b|或者|或是|或|还是|任一|任意")
"""The union said: "skincare or makeup", "护肤或彩妆" (also in between or before the values)."""
_BOTH = re.compile(r"\b(?:and|both|plus|as well as|also)\b|&|[,，、]|和|与|及|以及|跟|同时|既|又|也|都")
"""The values joined as a list ("and", a comma, "和", "同时…又…")."""


def check_all_of(reading: Reading, model: SemanticModel, metrics: Sequence[str],
                 filters: Sequence[Filter], zh: bool) -> None:
    """Decline listed values joined by "and" for a metric that reaches them only by a semi-join."""
    for spec_filter in filters:
        if spec_filter.op != FilterOp.IN or len(spec_filter.values) < 2 or not model.has_dimension(spec_filter.dimension):
            continue
        semi = [m for m in metrics if model.has_metric(m) and (not all(
            model.dimension_reachable(table, spec_filter.dimension) for table in model.measure_tables(m))
            or (_people(model, m) and _BUYER_CLAUSE.search(reading.text)))]
        if not semi:
            continue
        said = sorted((v for v in reading.values if v.term.target == spec_filter.dimension and not v.negated),
                      key=lambda v: v.start)
        if len(said) < 2:
            continue
        between = reading.text[said[0].start - 12 if said[0].start >= 12 else 0:said[0].start] + " ".join(
            reading.text[a.end:b.start] for a, b in itertools.pairwise(said))
        if _EITHER.search(between) or not _BOTH.search(between):
            continue
        raise Unanswerable(_reason(model, semi[0], spec_filter, [v.surface for v in said], zh))


def _people(model: SemanticModel, metric: str) -> bool:
    """A distinct count ("buyers"): each member counted once, however many rows of each value."""
    measures = model.metric_measures(metric)
    return len(measures) == 1 and measures[0].agg == Aggregation.COUNT_DISTINCT


def _reason(model: SemanticModel, metric: str, spec_filter: Filter, surfaces: list[str], zh: bool) -> str:
    definition = model.metric(metric)
    dimension = model.dimension(spec_filter.dimension)
    if zh:
        listed = "和".join(surfaces)
        return (f"“{listed}”可能是指同时有这几种{dimension.label_zh or dimension.label}的{definition.label_zh or definition.label}，"
                f"这个我算不了（只能算有其中任一种的）。可以问“{'或'.join(surfaces)}”（任一种），或分别问每一种。")
    listed = " and ".join(surfaces)
    return (f"'{listed}' reads as {definition.label.lower()} with both, which I can't compute: a list of "
            f"{dimension.label.lower()} values counts {definition.label.lower()} with either. Ask for "
            f"'{' or '.join(surfaces)}' (either one), or for each on its own.")
