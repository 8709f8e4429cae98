"""Multi-touch attribution: pure models on path tables, journeys from SQL, the tool."""

from .models import MODELS, attribute, comparison, markov_chain, path_table, shapley_credit
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
