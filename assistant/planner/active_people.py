"""People counted in a period by what they did: "app users last month", "how many tmall
customers in 2025".

The model's plain count of customers is dated by signup ("customers in 2025" are those who
signed up then). Filtered by an attribute of what customers do (the sales channel of their
orders), with a period, that count is the customers who signed up in the period and ever
ordered so: a different question from the one asked, who did it in the period. Those are
the model's people count on that activity (buyers), when it has exactly one that reads the
filter; with none, the question is declined.
"""

from __future__ import annotations

from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.assistant.planner.vocabulary import entity_count, people_counts, plain_people_metric
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import Filter


def active_people(model: SemanticModel, metrics: list[str], filters: list[Filter], dated: bool,
                  notes: list[str], zh: bool) -> list[str]:
    """``metrics`` with the plain count of customers swapped for the people count of the
    activity its filters describe, when a period is named."""
    if not dated or not any(entity_count(model, m) for m in metrics):
        return metrics  # most questions: no count of people at all (the plain one is looked up only then)
    plain = plain_people_metric(model)
    if plain not in metrics:
        return metrics
    activity = [f.dimension for f in filters
                if model.can_filter_by(plain, f.dimension) and not model.can_group_by(plain, f.dimension)]
    if not activity:
        return metrics
    fitting = [p for p in sorted(people_counts(model)) if p != plain
               and all(model.can_group_by(p, d) for d in activity)
               and model.metric_measures(p)[0].table != model.metric_measures(plain)[0].table]
    label = (lambda n: model.metric(n).label_zh or model.metric(n).label) if zh else (lambda n: model.metric(n).label)
    dims = [model.dimension(d) for d in dict.fromkeys(activity)]
    said = "、".join(d.label_zh or d.label for d in dims) if zh else ", ".join(d.label.lower() for d in dims)
    if len(fitting) != 1:
        raise Unanswerable(
            f"“{label(plain)}”按注册时间计；按{said}筛选时，模型没有一个按行为时间数人的指标，所以不回答。" if zh
            else f"{label(plain)} are counted by signup date; filtered by {said}, the model has no count of the "
                 "people who did that in the period, so I won't answer."
        )
    notes.append(f"按{said}和时间段数的是期间内有此行为的人：“{label(fitting[0])}”。" if zh
                 else f"People filtered by {said} in a period are those active then: showing {label(fitting[0])}.")
    return [fitting[0] if m == plain else m for m in metrics]
