"""Channel rules: the fields each channel's copy has, their length limits, and the parts
(signature, opt-out, unsubscribe footer) genbi adds itself so no writer can forget them.

Limits as implemented (check the platform's current spec before a launch; they move):

- ``sms``: one segment. Chinese: at most 70 characters (UCS-2), counting the 【brand】
  signature and the opt-out "回T退订" (MIIT: commercial SMS must carry a signature and a
  way to unsubscribe). English: at most 160 GSM-7 septets (``^{}[]~|€\\`` count two),
  counting "Brand: " and "Reply STOP to opt out"; a character outside GSM-7 (an emoji,
  curly quotes) turns the whole message into UCS-2 and the limit into 70.
- ``app_push``: title at most 20 characters, body at most 50 (what a lock screen shows
  without truncation on common Android skins and iOS).
- ``email``: subject at most 50 characters, preheader at most 60 (Chinese) / 100 (English),
  body, call-to-action button at most 10 / 25; genbi adds the unsubscribe footer
  (PRC Advertising Law art. 43, CAN-SPAM).
- ``wechat``: a template message (模板消息). Since May 2023 WeChat no longer shows the
  ``first`` and ``remark`` fields, so the message is the template title and keyword
  values: title at most 20 characters, three keyword values at most 20 characters each,
  one line each. Template messages are for service notices (benefits, coupons, orders);
  WeChat's rules forbid pure advertising in them.
- ``douyin``: Ocean Engine (巨量引擎) creative title, 5 to 55 characters; English (TikTok
  ad text) 12 to 100 characters.
- ``xiaohongshu``: note ad (聚光) title at most 20 characters, body at most 1000.
- ``search``: Chinese (Baidu 搜索推广) title 8 to 50 and description 16 to 80 display
  units, a Chinese character counting two; English (Google responsive search ads) headline
  at most 30 and description at most 90 characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Unit = Literal["chars", "width", "gsm"]
CHANNELS = ("sms", "email", "wechat", "app_push", "douyin", "xiaohongshu", "search")

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")
SMS_UCS2_LIMIT = 70

SMS_OPT_OUT = {"zh": "回T退订", "en": "Reply STOP to opt out"}
EMAIL_FOOTER = {
    "zh": "您收到这封邮件是因为您是{brand}会员。如不想再收到此类邮件，可随时点击退订。",
    "en": "You are receiving this email as a {brand} member. Unsubscribe at any time.",
}
OPT_OUT_WORDS = {"zh": ("退订",), "en": ("stop", "unsubscribe", "opt out")}


@dataclass(frozen=True)
class FieldRule:
    """One field of a channel's copy and its limits."""

    name: str
    max: int
    min: int = 1
    unit: Unit = "chars"
    single_line: bool = True

    def describe(self) -> str:
        unit = {"chars": "characters", "width": "display units (a Chinese character = 2)",
                "gsm": "GSM-7 characters"}[self.unit]
        span = f"{self.min}-{self.max}" if self.min > 1 else f"at most {self.max}"
        return f"{self.name}: {span} {unit}" + ("" if self.single_line else " (may span lines)")


@dataclass(frozen=True)
class ChannelRules:
    channel: str
    language: str
    fields: tuple[FieldRule, ...]
    opt_out: bool = False
    """A way to unsubscribe must be in the message (SMS, email)."""
    signature: bool = False
    """The sender's brand must open the message (SMS)."""
    note: str = ""

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def describe(self) -> list[str]:
        lines = [f.describe() for f in self.fields]
        if self.signature:
            lines.append("starts with the brand signature" + (" 【brand】" if self.language == "zh" else " 'Brand: '"))
        if self.opt_out:
            lines.append(f"carries the opt-out '{SMS_OPT_OUT[self.language]}'" if self.channel == "sms"
                         else "ends with an unsubscribe footer")
        if self.note:
            lines.append(self.note)
        return lines


def _rules(channel: str, language: str) -> ChannelRules:
    zh = language == "zh"
    if channel == "sms":
        text = FieldRule("text", 70 if zh else 160, unit="chars" if zh else "gsm")
        return ChannelRules(channel, language, (text,), opt_out=True, signature=True,
                            note="one SMS segment, signature and opt-out included")
    if channel == "app_push":
        return ChannelRules(channel, language, (FieldRule("title", 20), FieldRule("body", 50)))
    if channel == "email":
        return ChannelRules(channel, language, (
            FieldRule("subject", 50), FieldRule("preheader", 60 if zh else 100),
            FieldRule("body", 1000 if zh else 2000, min=20, single_line=False),
            FieldRule("cta", 10 if zh else 25),
        ), opt_out=True)
    if channel == "wechat":
        return ChannelRules(channel, language, (
            FieldRule("title", 20), FieldRule("keyword1", 20), FieldRule("keyword2", 20),
            FieldRule("keyword3", 20),
        ), note="a service notice (benefit, coupon, reminder), not a pure advertisement")
    if channel == "douyin":
        return ChannelRules(channel, language, (FieldRule("headline", 55, min=5) if zh
                                                else FieldRule("headline", 100, min=12),))
    if channel == "xiaohongshu":
        return ChannelRules(channel, language, (
            FieldRule("title", 20), FieldRule("body", 1000, min=20, single_line=False),
        ))
    if channel == "search":
        if zh:
            return ChannelRules(channel, language, (
                FieldRule("headline", 50, min=8, unit="width"),
                FieldRule("description", 80, min=16, unit="width"),
            ))
        return ChannelRules(channel, language, (FieldRule("headline", 30), FieldRule("description", 90)))
    raise ValueError(f"unknown channel {channel!r}")


RULES: dict[tuple[str, str], ChannelRules] = {
    (channel, language): _rules(channel, language) for channel in CHANNELS for language in ("zh", "en")
}


def rules_for(channel: str, language: str) -> ChannelRules:
    return RULES[(channel, language)]


# --- measuring -------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Display units: wide and full-width characters (Chinese, 【】, ，) count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def gsm7_length(text: str) -> int:
    """Septets: extension-table characters take two."""
    return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)


def measure(text: str, rule: FieldRule) -> tuple[int, int]:
    """(used, limit) for a field: GSM-7 texts with a non-GSM character fall back to UCS-2."""
    if rule.unit == "width":
        return display_width(text), rule.max
    if rule.unit == "gsm":
        if is_gsm7(text):
            return gsm7_length(text), rule.max
        return len(text), SMS_UCS2_LIMIT
    return len(text), rule.max


def sms_segments(text: str, language: str) -> int:
    """How many SMS segments a message takes (concatenated parts carry a 7- or 3-unit header)."""
    if language == "en" and is_gsm7(text):
        length = gsm7_length(text)
        return 1 if length <= 160 else -(-length // 153)
    return 1 if len(text) <= 70 else -(-len(text) // 67)


# --- parts genbi adds itself --------------------------------------------------------------------


def compose(channel: str, language: str, fields: dict[str, str], brand: str) -> dict[str, str]:
    """The fields as the recipient sees them: SMS signature and opt-out, email footer."""
    out = {k: v.strip() for k, v in fields.items()}
    if channel == "sms":
        out["text"] = compose_sms(out.get("text", ""), language, brand)
    elif channel == "email":
        out["footer"] = EMAIL_FOOTER[language].format(brand=brand)
    return out


def compose_sms(body: str, language: str, brand: str) -> str:
    """``【brand】body回T退订`` / ``Brand: body Reply STOP to opt out``, never doubled."""
    text = body.strip()
    if language == "zh":
        for opt_out in ("回T退订", "回TD退订", "退订回T", "退订回TD", "拒收请回复R"):
            text = text.replace(opt_out, "")
        text = text.strip()
        if text.startswith("【"):
            text = text[text.find("】") + 1:].lstrip() if "】" in text else text
        if text and text[-1] not in "。！？!?～~":
            text += "。"
        return f"【{brand}】{text}{SMS_OPT_OUT['zh']}"
    lowered = text.lower()
    for opt_out in ("reply stop to opt out", "reply stop to unsubscribe", "text stop to opt out"):
        at = lowered.find(opt_out)
        if at >= 0:
            text = (text[:at] + text[at + len(opt_out):]).strip()
            lowered = text.lower()
    prefix = f"{brand}:"
    if text.lower().startswith(prefix.lower()):
        text = text[len(prefix):].strip()
    text = text.rstrip()
    if text and text[-1] not in ".!?":
        text += "."
    return f"{brand}: {text} {SMS_OPT_OUT['en']}"


def field_budgets(channel: str, language: str, brand: str) -> dict[str, int]:
    """What a writer may spend per field, after the parts genbi adds (SMS signature, opt-out)."""
    rules = rules_for(channel, language)
    budgets = {f.name: f.max // 2 if f.unit == "width" else f.max for f in rules.fields}
    if channel == "sms":
        overhead = len(compose_sms("x", language, brand)) - 1
        budgets["text"] = (SMS_UCS2_LIMIT if language == "zh" else 160) - overhead
    return budgets
