"""What the planner works out from the model alone, worked out when a planner is made.

The planner asks the model the same things for most questions: whether a metric can be
split or filtered by a dimension, a metric's measures and words, which metric counts
people, the patterns that name a share's members. The (frozen) model keeps each answer
(``SemanticModel.derived``); ``prepare`` fills them for every metric and dimension when an
assistant opens, so a first question pays for none of them. The same for what a reader
derives from every term of the planner's vocabulary (the "non-X" values, the touch
channels' words: scans of thousands of surfaces on a big warehouse), kept by the vocabulary
(``Vocabulary.derived``). Nothing here depends on a question.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from genbi.assistant.planner.complement_only import complements
from genbi.assistant.planner.contacted import touch_dimensions, touch_values
from genbi.assistant.planner.reachability import equalities_of, metric_words_of
from genbi.assistant.planner.share_members import share_tests
from genbi.assistant.planner.vocabulary import (
    Vocabulary,
    entity_count,
    people_counts,
    plain_people_metric,
)
from genbi.semantic_layer.model import SemanticModel


def prepare(model: SemanticModel, vocabulary: Vocabulary | None = None) -> None:
    """Work out the model's facts the planner looks up (see the module's note), and what its
    readers derive from every term of ``vocabulary`` (``Vocabulary.derived``). A fact that
    cannot be worked out is left to the question that asks for it, which then says why."""
    if vocabulary is not None:
        for zh in (False, True):
            _try(complements, vocabulary, zh)
        if "touchpoint_channel" in model.roles:
            _try(lambda: touch_values(vocabulary, touch_dimensions(model)))
    _try(plain_people_metric, model)
    _try(people_counts, model)
    for zh in (False, True):
        _try(_share_patterns, model, zh)
    for measure in model.measures:
        _try(equalities_of, model, measure.filter)
    for metric in model.metrics:
        _try(entity_count, model, metric.name)
        _try(metric_words_of, model, metric)
        for dimension in model.dimensions:
            _try(model.can_group_by, metric.name, dimension.name)


def _share_patterns(model: SemanticModel, zh: bool) -> None:
    for _, _, named, doings in share_tests(model, zh):
        for pattern in (*named, *doings):
            _ = pattern.needles  # screened from the first question on


def _try(step: Callable[..., Any], *args: Any) -> None:
    with contextlib.suppress(Exception):  # not needed to open; the question that needs it says why
        step(*args)
