"""Metamorphic checks of the offline planner over every eval question, in both languages.

The eval scores one phrasing per question; these checks change the phrasing in ways whose
effect on the answer is known, and compare the planner's plans (no warehouse needed):

- ``polite``: politeness and filler added ("…, thanks!", "麻烦帮我看一下…") → the same plan;
- ``unknown``: a condition the model does not have added ("on rainy days", "下雨天…") → a
  decline or a different plan, never the same plan (the same number) as without it;
- ``reorder``: the period moved from the end to the front (or the other way) → the same plan;
- ``abbreviate``: shorthand marketers type ("last wk", "excl.", "avg", "上月") → the same plan;
- ``typo``: two letters swapped in the longest English word → the same plan or a decline,
  never another answer;
- ``reword``: the first metric said with another of the model's own words for it → the same
  plan (a few rewordings legitimately read as an equal plan of another shape: "orders
  attributed to a campaign" vs "number of orders" filtered by attribution).

The unknown conditions are several kinds (weather, who the customer is, an order amount,
a purchase count), so no single word can satisfy the relation.

``python -m genbi.eval.metamorphic`` prints the pass rate of each over the project's cases.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from genbi.assistant.planner import cues
from genbi.assistant.planner.planner import OfflinePlanner, PlannerResult
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.timeparse import find_time
from genbi.assistant.planner.vocabulary import TermKind
from genbi.eval.cases import EvalCase, default_case_paths, load_cases
from genbi.settings import DEMO_AS_OF

Transform = Callable[[str, str], str | None]
"""(question, language) → the changed question, or None when it does not apply."""


def polite(question: str, language: str) -> str | None:
    if language == "zh":
        return f"{question.rstrip('？?。')}，麻烦了，谢谢！"
    return f"{question.rstrip('?.! ')}, please - thanks!"


def polite_prefix(question: str, language: str) -> str | None:
    if language == "zh":
        return f"请问{question}"
    return f"hi, could you tell me {question[:1].lower()}{question[1:]}"


def unknown(question: str, language: str) -> str | None:
    if language == "zh":
        return f"下雨天{question}"
    return f"{question.rstrip('?.! ')} on rainy days"


def unknown_who(question: str, language: str) -> str | None:
    if language == "zh":
        return f"{question.rstrip('？?。')}，只看左撇子客户"
    return f"{question.rstrip('?.! ')} for left-handed customers"


def unknown_number(question: str, language: str) -> str | None:
    """A numeric condition the model cannot express (an order amount, a purchase count)."""
    if language == "zh":
        return f"只看金额超过500元的订单，{question}"
    return f"{question.rstrip('?.! ')}, only orders over ¥500"


def unknown_frequency(question: str, language: str) -> str | None:
    if language == "zh":
        return f"下单超过3次的客户{question}"
    return f"{question.rstrip('?.! ')} from customers who ordered more than 3 times"


_SHORTHAND_EN = [(r"\blast week\b", "last wk"), (r"\blast year\b", "last yr"), (r"\blast month\b", "last mo"),
                 (r"\bexcluding\b", "excl."), (r"\baverage\b", "avg"), (r"\bnumber of\b", "# of"),
                 (r"\bquarter\b", "qtr"), (r"\bplease\b", "pls")]
_SHORTHAND_ZH = [("上个月", "上月"), ("上季度", "上个季度"), ("一共", "总共"), ("是多少", "有多少")]


def abbreviate(question: str, language: str) -> str | None:
    """Shorthand marketers type ("last wk", "excl.", "avg", "上月"): the same question."""
    changed = question
    if language == "zh":
        for long, short in _SHORTHAND_ZH:
            changed = changed.replace(long, short)
    else:
        for pattern, short in _SHORTHAND_EN:
            changed = re.sub(pattern, short, changed, flags=re.IGNORECASE)
    return changed if changed != question else None


def typo(question: str, language: str) -> str | None:
    """Two neighbouring letters swapped in the longest English word (7+ letters)."""
    words = sorted(re.findall(r"[A-Za-z]{7,}", question), key=len, reverse=True)
    if not words:
        return None
    word = words[0]
    middle = len(word) // 2
    swapped = word[:middle] + word[middle + 1] + word[middle] + word[middle + 2:]
    return None if swapped == word else question.replace(word, swapped, 1)


def reword(question: str, language: str, planner: OfflinePlanner) -> str | None:
    """The first metric the planner reads in the question, said with another of the model's
    own words for it in the same script ("revenue" → "sales", "销售额" → "营收")."""
    folded = normalize(question)
    if folded != question.lower():
        return None  # only where the folded text maps back onto the question one to one
    for match in planner.vocabulary.find(folded):
        targets = {(t.kind, t.target) for t in match.terms}
        if len(targets) != 1 or match.terms[0].kind != TermKind.METRIC:
            continue
        metric = planner.model.metric(match.terms[0].target)
        words = {normalize(w) for w in (metric.label, metric.label_zh, *metric.synonyms) if w}
        others = sorted((w for w in words if w != match.surface and w.isascii() == match.surface.isascii()
                         and len(planner.vocabulary.terms.get(w, ())) == 1), key=lambda w: (len(w), w))
        if match.surface not in words or not others:
            return None
        return question[:match.start] + others[0] + question[match.end:]
    return None


_EN_TAIL = re.compile(r"^(?P<rest>.+?)[,\s]+(?P<time>(?:in |for |during |over )?[^,]+)$")


def reorder(question: str, language: str) -> str | None:
    """Move the one period from the end to the front (en) or from the front to the end (zh)."""
    text = question.strip().rstrip("?？.。")
    folded = normalize(text)
    mentions = [m for m in find_time(folded, DEMO_AS_OF) if m.time_range is not None]
    if len(mentions) != 1 or folded != text.lower():
        return None  # only where the folded text maps back onto the question one to one
    mention = mentions[0]
    period, rest = text[mention.start:mention.end], (text[:mention.start] + text[mention.end:]).strip(" ,，")
    if not rest or re.search(r"\b(?:from|to|between|since|until|and|vs)$", text[:mention.start].strip()):
        return None
    if cues.SAME_PERIOD_LAST_YEAR.search(folded) or cues.PERIOD_BEFORE.search(folded) or any(
        0 <= i < len(text) and text[i].isascii() and text[i].isalnum() for i in (mention.start - 1, mention.end)
    ):
        return None  # the period is part of a longer phrase ("去年H1", "same period last year")
    if language == "zh":
        return f"{rest}，{period}" if mention.start == 0 else f"{period}，{rest}"
    if mention.end < len(text) - 1:
        return None
    return f"{period.strip()}, {rest}"


TRANSFORMS: dict[str, tuple[Transform, ...]] = {
    "polite": (polite, polite_prefix),
    "unknown": (unknown, unknown_who, unknown_number, unknown_frequency),
    "reorder": (reorder,),
    "abbreviate": (abbreviate,),
    "typo": (typo,),
    "reword": (reword,),  # type: ignore[dict-item]  # needs the planner's vocabulary: see check()
}
SAME: dict[str, bool | None] = {"polite": True, "reorder": True, "abbreviate": True, "unknown": False, "typo": None,
                                "reword": True}
"""Whether the changed question must get the same plan (True), must not (False), or must
get the same plan or a decline (None: never a different answer)."""


@dataclass
class Outcome:
    checked: int = 0
    passed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.passed / self.checked if self.checked else 1.0


def _signature(result: PlannerResult) -> object:
    if result.spec is not None:
        return ("spec", result.spec)
    if result.tool_call is not None:
        return ("tool", result.tool_call.name, repr(sorted(result.tool_call.arguments.items())))
    return ("decline",)


def _plan(planner: OfflinePlanner, case: EvalCase, question: str) -> PlannerResult:
    as_of = case.as_of or DEMO_AS_OF
    previous = None
    for earlier in case.context:
        result = planner.plan(earlier, as_of=as_of, previous=previous)
        previous = result.spec or previous
    return planner.plan(question, as_of=as_of, previous=previous)


def check(planner: OfflinePlanner, cases: Iterable[EvalCase], as_of: date = DEMO_AS_OF) -> dict[str, Outcome]:
    """Pass counts per relation over ``cases`` (questions a relation does not apply to are skipped)."""
    outcomes = {name: Outcome() for name in SAME}
    for case in cases:
        base = _signature(_plan(planner, case, case.question))
        for name, transforms in TRANSFORMS.items():
            for transform in transforms:
                changed = reword(case.question, case.lang, planner) if transform is reword else \
                    transform(case.question, case.lang)
                if changed is None or (name == "unknown" and base == ("decline",)):
                    continue
                result = _signature(_plan(planner, case, changed))
                same = SAME[name]
                ok = result in (base, ("decline",)) if same is None else (result == base) == same
                outcome = outcomes[name]
                outcome.checked += 1
                outcome.passed += ok
                if not ok:
                    outcome.failures.append((case.id, changed))
    return outcomes


def main() -> int:
    from genbi.semantic_layer.loader import load_model

    planner = OfflinePlanner(load_model())
    cases = load_cases(default_case_paths())
    for language in ("en", "zh"):
        outcomes = check(planner, [c for c in cases if c.lang == language])
        for name, outcome in outcomes.items():
            print(f"{language} {name:8} {outcome.passed}/{outcome.checked} = {outcome.rate:.1%}")
            for case_id, question in outcome.failures[:15]:
                print(f"    {case_id}: {question}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
