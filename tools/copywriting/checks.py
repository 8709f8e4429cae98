"""Every rule, checked on every variant: lengths, signature and opt-out, GSM-7, one-line
fields, banned terms, grounding. A variant that still fails after the compliance rewrite
is returned marked ``fail`` with its reasons — never passed off as fine.
"""

from __future__ import annotations

from dataclasses import dataclass

from .channels import (
    OPT_OUT_WORDS,
    SMS_OPT_OUT,
    ChannelRules,
    is_gsm7,
    measure,
    sms_segments,
)
from .compliance import rewrite, scan
from .facts import FactView, used_facts


@dataclass(frozen=True)
class Check:
    rule: str
    """``length:<field>``, ``required:<field>``, ``one_line:<field>``, ``signature``, ``opt_out``,
    ``gsm7``, ``compliance`` or ``grounding``."""
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class Checked:
    """A variant as it would be sent, with the outcome of every rule."""

    fields: dict[str, str]
    checks: tuple[Check, ...]
    facts_used: tuple[str, ...]
    rewrites: tuple[tuple[str, str], ...] = ()

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def status(self) -> str:
        if not self.passed:
            return "fail"
        return "rewritten" if self.rewrites else "pass"

    def problems(self) -> list[str]:
        return [f"{c.rule}: {c.detail}" for c in self.checks if not c.ok]


def check(fields: dict[str, str], rules: ChannelRules, view: FactView, brand: str) -> Checked:
    """Run every rule of the channel on composed fields (signature, opt-out already added)."""
    checks: list[Check] = []
    for rule in rules.fields:
        text = fields.get(rule.name, "")
        used, limit = measure(text, rule)
        checks.append(Check(f"length:{rule.name}", rule.min <= used <= limit,
                            f"{used}/{limit}" + (f" (min {rule.min})" if rule.min > 1 else "")))
        if rule.single_line and "\n" in text:
            checks.append(Check(f"one_line:{rule.name}", False, "has a line break"))
    if rules.channel == "sms":
        checks += _sms_checks(fields.get("text", ""), rules.language, brand)
    elif rules.opt_out:
        footer = fields.get("footer", "").lower()
        ok = any(word in footer for word in OPT_OUT_WORDS[rules.language])
        checks.append(Check("opt_out", ok, "unsubscribe footer" if ok else "no unsubscribe line"))
    hits = [hit for text in fields.values() for hit in scan(text)]
    checks.append(Check("compliance", not hits,
                        "; ".join(h.describe(rules.language) for h in hits) if hits else "no banned terms"))
    facts = used_facts(list(fields.values()), view)
    checks.append(Check("grounding", bool(facts), ", ".join(facts) if facts else "uses none of the audience's facts"))
    return Checked(fields, tuple(checks), tuple(facts))


def _sms_checks(text: str, language: str, brand: str) -> list[Check]:
    signature = f"【{brand}】" if language == "zh" else f"{brand}:"
    out = [
        Check("signature", text.startswith(signature), signature),
        Check("opt_out", text.rstrip().endswith(SMS_OPT_OUT[language]), SMS_OPT_OUT[language]),
        Check("segments", sms_segments(text, language) == 1, f"{sms_segments(text, language)} segment(s)"),
    ]
    if language == "en":
        out.append(Check("gsm7", is_gsm7(text), "GSM-7" if is_gsm7(text) else
                         "has characters outside GSM-7: " + "".join(sorted({c for c in text if not is_gsm7(c)}))))
    return out


def rewritten(fields: dict[str, str]) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Every field with its banned terms rewritten, and what changed."""
    out: dict[str, str] = {}
    changes: list[tuple[str, str]] = []
    for name, text in fields.items():
        out[name], changed = rewrite(text)
        changes += changed
    return out, tuple(changes)
