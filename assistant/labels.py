"""Names for what a result holds, in the answer's language: dimension members from the
semantic model's bilingual value labels (Shanghai → 上海, tmall → 天猫), and the label of the
group of rows with no value ("no campaign (organic)" / "无活动（自然）")."""

from __future__ import annotations

from genbi.assistant.formatting import Language
from genbi.semantic_layer.model import SemanticModel


def member_labels(model: SemanticModel, dimension: str, language: Language) -> dict[str, str]:
    """Value → display name for the members the model names; others show as they are."""
    if not model.has_dimension(dimension):
        return {}
    labels = {}
    for value in model.dimension(dimension).values:
        label = value.label_zh if language == "zh" else value.label
        if label:
            labels[str(value.value)] = label
    return labels


def null_label(model: SemanticModel, dimension: str, language: Language) -> str | None:
    """The model's name for rows with no value of ``dimension`` (None: the generic one)."""
    if not model.has_dimension(dimension):
        return None
    found = model.dimension(dimension)
    return found.null_label_zh if language == "zh" else found.null_label


GRAIN_LABELS: dict[str, tuple[str, str]] = {
    "day": ("Day", "日期"), "week": ("Week", "周"), "month": ("Month", "月份"),
    "quarter": ("Quarter", "季度"), "year": ("Year", "年份"), "hour": ("Hour", "小时"),
}


def time_label(ref: str, label: str, grain: str, language: Language) -> str:
    """A time column's header: "Month" for the metrics' own time, "Signup date (Week)" else."""
    named = GRAIN_LABELS.get(grain, (grain, grain))[1 if language == "zh" else 0]
    if ref == "metric_time":
        return named
    return f"{label}（{named}）" if language == "zh" else f"{label} ({named})"
