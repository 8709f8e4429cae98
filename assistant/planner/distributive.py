""""Each" said of a member: "各一线城市的销售额", "each wechat campaign's spend", "各门店的销售额".

A distributive word (各, 每个, each, every) right before a member asks for one row per thing
inside that member, not its total: each tier-1 city, each wechat campaign. The things are named
by the noun after the member ("微信活动": campaigns) or inside the member's own words ("一线城市":
cities); several members listed ("每个天猫和京东") are split by their own dimension. When the
model has nothing finer to split by ("各门店": the demo knows offline stores only as one sales
channel), the question is declined: answering the member's total dropped the "each" without a
word, a silently wrong shape.
"""

from __future__ import annotations

import re
from collections import Counter

from genbi.assistant.planner.reading import Mention, Reading
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.unanswerable import Unanswerable
from genbi.semantic_layer.model import DimensionType, SemanticModel
from genbi.semantic_layer.query_spec import DimensionRef

_EACH_ZH = re.compile(r"(?:各|各个|每个|每一个|每家|每一家|每位)\s?$")
_EACH_EN = re.compile(r"\b(?:each|every)\s(?:single\s|individual\s|one of (?:the |our )?)?$")
_AVERAGE = re.compile(r"平均|人均|均值|\b(?:average|avg|mean|typical)\b")
_NOUN_GAP = re.compile(r"^\s?(?:-?\s?(?:type|kind)s?\s)?(?:的|类|类型|型|类别)?(?:的)?\s?$")
"""Between a member and the noun naming its things: "微信活动", "拉新类活动", "acquisition-type campaigns"."""


def each_member_splits(reading: Reading, model: SemanticModel, group_by: list[DimensionRef]) -> list[DimensionRef]:
    """The breakdowns a distributive word before a member asks for (added to ``group_by``);
    raises ``Unanswerable`` when the model has none for it."""
    each = _EACH_ZH if reading.language == "zh" else _EACH_EN
    if _AVERAGE.search(reading.text):
        return []  # "平均每位金卡会员消费多少", "average spend for each gold member": a per-member average
    listed = Counter(v.term.target for v in reading.values if not v.negated)
    added: list[DimensionRef] = []
    for value in reading.values:
        said = each.search(reading.text[:value.start])
        if value.negated or said is None:
            continue
        split = _split_of(reading, model, value, listed)
        if split is None:
            if any(g.name != value.term.target for g in group_by):
                continue  # "各门店各渠道…": a breakdown is named anyway
            raise _nothing_finer(model, value, said.group().strip(), reading.language == "zh")
        if all(g.name != split for g in [*group_by, *added]):
            added.append(DimensionRef(name=split))
    return added


def _split_of(reading: Reading, model: SemanticModel, value: Mention, listed: Counter[str]) -> str | None:
    """The dimension "each <member>" splits by: the noun after the member, the last words of
    the member's own name, or the member's own dimension when several of it are listed."""
    own = value.term.target
    if listed[own] > 1:
        return own
    for dimension in reading.dimensions:
        if dimension.term.target != own and dimension.start >= value.end \
                and _NOUN_GAP.match(reading.text[value.end:dimension.start]):
            return dimension.term.target
    surface = normalize(value.surface)
    for dimension in model.dimensions:
        if dimension.name == own or dimension.pii or dimension.type != DimensionType.CATEGORICAL:
            continue
        names = {normalize(n) for n in (dimension.label, dimension.label_zh, *dimension.synonyms) if n}
        if any(len(n) < len(surface) and surface.endswith(n) for n in names if n):
            return dimension.name
    return None


def _nothing_finer(model: SemanticModel, value: Mention, each: str, zh: bool) -> Unanswerable:
    dimension = model.dimension(value.term.target)
    if zh:
        label = dimension.label_zh or dimension.label
        return Unanswerable(f"“{each}{value.surface}”要按{value.surface}里面的每一个拆开，但模型里没有比{label}"
                            f"“{value.surface}”更细的维度可以拆分。可以问它的合计（去掉“{each}”），或按模型里的维度拆分。")
    return Unanswerable(f"'{each} {value.surface}' asks for one row per thing inside {dimension.label.lower()} "
                        f"'{value.surface}', but the model has nothing finer to split it by. Ask for its total "
                        f"(drop '{each}'), or split by a dimension the model has.")
