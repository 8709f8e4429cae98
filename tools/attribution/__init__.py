"""Multi-touch attribution: pure models on path tables, journeys from SQL, the tool."""

from .markov import markov_chain
from .models import MODELS, attribute, comparison, path_table, shapley_credit
from .tool import AttributionArgs, run

__all__ = [
    "MODELS",
    "AttributionArgs",
    "attribute",
    "comparison",
    "markov_chain",
    "path_table",
    "run",
    "shapley_credit",
]
