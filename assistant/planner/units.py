""""Average basket size in units": a money metric asked for in another unit.

"in units", "in pieces", "按件数" after an amount of money does not add a second metric (units
sold); it asks for the first one measured differently (units per order), which is another
metric. The planner used to answer both the average order value and the units sold. Now
the question is declined, naming what was asked and what the model has.
"""

from __future__ import annotations

import itertools
import re

from genbi.assistant.planner.reading import Reading
from genbi.semantic_layer.model import SemanticModel

_IN_UNITS = re.compile(r"^\s*(?:in|measured in|counted in)\s+(?:number of\s+)?$|^\s*以\s*$")
"""What stands between a money metric and the quantity word naming its unit."""
_UNIT_WORDS = re.compile(r"^(?:units?|pieces?|items?|quantity|件数?|数量|件数计|件计)$")
"""The unit said as a quantity ("in units"), not a metric of its own ("revenue in orders
with a discount" qualifies which orders)."""


def unit_conflict(reading: Reading, model: SemanticModel) -> str | None:
    """Why the question is declined, or None when no money metric is asked in another unit."""
    metrics = sorted(reading.metrics, key=lambda m: m.start)
    for money, unit in itertools.pairwise(metrics):
        if model.metric(money.term.target).format.value != "currency":
            continue
        if model.metric(unit.term.target).format.value != "number":
            continue
        if not _IN_UNITS.match(reading.text[money.end:unit.start]) or not _UNIT_WORDS.match(unit.surface):
            continue
        if reading.language == "zh":
            return (f"“{money.surface}”是金额，按“{unit.surface}”计是另一个指标，模型里没有。"
                    f"可以分别问“{money.surface}”或“{unit.surface}”。")
        return (f"'{money.surface}' is an amount of money; measured in {unit.surface} it is another "
                f"metric, which the model does not have. Ask for '{money.surface}' or '{unit.surface}' "
                "on its own.")
    return None
