"""``generate_copy``: channel-ready marketing copy for an audience, grounded in its data and
checked before anyone sends it.

1. Resolve the audience (RFM segment, cluster, saved audience, attribute filters).
2. Compute its facts (size, categories, products, AOV, recency, channels, device, tiers).
3. Draft variants: the LLM writer lent through ``copy_services`` or, offline, the template
   library in ``prompts/copy``.
4. Add what every message must carry (SMS signature and opt-out, email unsubscribe footer)
   and check every channel rule, banned term and grounding; an LLM writer gets one more
   call with the violations fed back.
5. Rewrite banned terms; a variant still failing is returned marked ``fail``.

The table has one row per variant (id, fields, checks) — ``genbi tool generate_copy ...
--out copy.csv`` exports it for an A/B test.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from genbi import settings
from genbi.lazy import lazy_module

from ..base import ToolError, ToolResult, ToolSpec, register_tool
from ..customer_orders import latest_order_date
from ..customer_where import WHERE_CONDITIONS
from ..roles import RoleSource
from .audience import Audience, resolve_audience
from .channels import CHANNELS, compose, rules_for
from .checks import Checked, check, rewritten
from .facts import FactView, audience_facts
from .question import arguments_from_question
from .templates import TemplateWriter
from .writer import CopyRequest, CopyWriter, Draft, current_services

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

NAME = "generate_copy"
BRAND_PLACEHOLDER = {"en": "[Brand]", "zh": "品牌名"}
"""Signs copy where no sender name is set: a drafted model is some other company's data, and
signing its copy with the demo's brand would put a wrong name on a message ready to send."""
LETTERS = "ABCDE"
Channel = Literal["sms", "email", "wechat", "app_push", "douyin", "xiaohongshu", "search"]
Goal = Literal["acquire", "convert", "retain", "reactivate", "upsell"]
Tone = Literal["friendly", "playful", "premium", "urgent", "formal"]
LAPSED_SEGMENTS = {"At risk", "Can't lose", "Hibernating", "Lost"}


class CopyArgs(BaseModel):
    """Write channel-ready copy variants for an audience, grounded in its data, and check them."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel | None = Field(
        None, description="sms, email, wechat, app_push, douyin, xiaohongshu or search; default: the "
        "channel the audience engages with most.")
    goal: Goal | None = Field(
        None, description="acquire, convert, retain, reactivate or upsell; default: reactivate for lapsed "
        "RFM segments, upsell when a product is named, else convert.")
    segment: str | None = Field(None, description="An RFM segment (English or Chinese name), e.g. 'At risk'.")
    cluster: int | None = Field(None, ge=0, description="A behavioural cluster from the segments tool.")
    audience: str | None = Field(None, description="A saved audience, by name.")
    where: str | None = Field(
        None, description=WHERE_CONDITIONS + " Attribute values ('loyalty_tier=platinum; city=Shanghai,Beijing') "
                          "match in any case.")
    product: str | None = Field(None, max_length=60, description="The product or range the copy is about.")
    offer: str | None = Field(None, max_length=40, description="The offer, as it should read, e.g. '满299减50'.")
    tone: Tone = Field("friendly", description="friendly, playful, premium, urgent or formal.")
    language: Literal["zh", "en"] | None = Field(None, description="zh or en; default zh (the chat: the question's).")
    variants: int = Field(3, ge=1, le=5, description="How many variants (for an A/B/n test).")
    brand: str | None = Field(None, max_length=20, description="Sender name for signatures; default $GENBI_BRAND, "
                       "genbi.yaml's brand, the model's brand, else a placeholder to fill in.")
    link: str | None = Field(None, max_length=40, description="A short link for the call to action.")
    short: bool = Field(False, description="Shorter copy (optional clauses left out).")
    seed: int = Field(0, ge=0, le=1000, description="Start from other template variants (revisions).")
    as_of: date | None = Field(None, description="Facts as of this date; default: the latest order date.")

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """Arguments a chat question states (channel, goal, tone, product, offer ...)."""
        return arguments_from_question(question, values)


def run(args: CopyArgs, source: RoleSource | None = None) -> ToolResult:
    """Resolve the audience, compute its facts, draft, check and (if needed) rewrite variants."""
    if source is None:
        raise ToolError("generate_copy needs a warehouse: it writes from the audience's data.")
    start = len(source.executed)
    as_of = args.as_of or latest_order_date(source)
    language = args.language or "zh"
    audience = resolve_audience(source, as_of, segment=args.segment, cluster=args.cluster,
                                saved=args.audience, where=args.where)
    facts = audience_facts(source, audience.sql, as_of, product=args.product)
    if audience.sql is not None and not facts.customers:
        raise ToolError(f"No customer is in {audience.describe('en')}.", "Widen the audience.")
    view = FactView(facts, language, settings.currency(getattr(source.model, "currency", None)))
    if not view.for_prompt() and not args.product and not args.offer:
        raise ToolError(  # copy from nothing fills its templates with blanks ("The you love is ready")
            f"There is nothing in this data to write copy for {audience.describe('en')} from: no product, category, "
            "channel or order-value facts could be read for them.",
            "Say what the message is about, e.g. 'write an SMS for Champions about our new serum'.")
    channel = args.channel or _engaged_channel(facts.touch_channels)
    goal = args.goal or _default_goal(args)
    brand = sender_name(args.brand, source.model)
    placeholder = not brand
    brand = brand or BRAND_PLACEHOLDER[language]
    rules = rules_for(channel, language)
    request = CopyRequest(
        channel=channel, goal=goal, language=language, tone=args.tone, variants=args.variants,
        audience=f"{audience.describe(language)}, {facts.customers:,}", facts=view.for_prompt(),
        fields=rules.field_names, rules=tuple(rules.describe()), brand=brand, product=args.product,
        offer=args.offer, link=args.link, short=args.short, seed=args.seed,
    )
    writer: CopyWriter = current_services().writer or TemplateWriter(view)
    fallback = None
    try:
        variants, retried = draft_and_check(writer, request, view)
    except ToolError as problem:
        if isinstance(writer, TemplateWriter):
            raise
        fallback, writer = str(problem), TemplateWriter(view)  # the templates never need a network
        variants, retried = draft_and_check(writer, request, view)
    table = variant_table(variants, request)
    result_facts = _facts(args, request, audience, view, variants, writer.name, retried)
    result_facts["writer_fallback"] = fallback
    result_facts["brand_placeholder"] = placeholder
    return ToolResult(tool=NAME, table=table, facts=result_facts,
                      audience=audience.sql, sql=tuple(source.executed[start:]))


def sender_name(given: str | None, model: Any) -> str:
    """The name copy is signed with: the tool's own argument, GENBI_BRAND or the project file,
    then the semantic model's ``brand``; empty when none is set."""
    return (given or settings.brand("") or getattr(model, "brand", None) or "").strip()


def draft_and_check(writer: CopyWriter, request: CopyRequest, view: FactView) -> tuple[list[tuple[Draft, Checked]], bool]:
    """Drafts with their final checks; one more writer call when an LLM's drafts break rules."""
    rules = rules_for(request.channel, request.language)
    drafts = _drafts(writer, request)
    checked = [check(compose(request.channel, request.language, d.fields, request.brand), rules, view, request.brand)
               for d in drafts]
    retried = False
    failing = [i for i, c in enumerate(checked) if not c.passed]
    if failing and writer.retries_on_violation:
        retried = True
        feedback = tuple(f"variant {n + 1}: {problem}" for n, i in enumerate(failing) for problem in checked[i].problems())
        try:
            again = _drafts(writer, _retry_request(request, [drafts[i] for i in failing], feedback, len(failing)))
        except ToolError:
            again = []  # keep the first drafts; the checks below mark what still fails
        for i, draft in zip(failing, again, strict=False):
            drafts[i] = draft
    out = []
    for draft in drafts:
        shown = compose(request.channel, request.language, draft.fields, request.brand)
        first = check(shown, rules, view, request.brand)
        if any(c.rule == "compliance" and not c.ok for c in first.checks):
            clean, changes = rewritten(shown)
            final = check(clean, rules, view, request.brand)
            first = Checked(final.fields, final.checks, final.facts_used, changes)
        out.append((draft, first))
    return out, retried


def _drafts(writer: CopyWriter, request: CopyRequest) -> list[Draft]:
    drafts = [Draft({name: str(d.fields.get(name, "")).strip() for name in request.fields}, d.tone)
              for d in writer.write(request)][: request.variants]
    if not drafts:
        raise ToolError(f"The {writer.name} writer returned no copy.", "Try again, or simplify the brief.")
    return drafts


def _retry_request(request: CopyRequest, previous: list[Draft], feedback: tuple[str, ...], count: int) -> CopyRequest:
    return replace(request, variants=count, feedback=feedback, previous=tuple(previous))


def _engaged_channel(touch_channels: tuple[tuple[str, float], ...]) -> str:
    return next((c for c, _ in touch_channels if c in CHANNELS), "sms")


def _default_goal(args: CopyArgs) -> str:
    if args.segment:
        from ..rfm import find_segment

        if find_segment(args.segment) in LAPSED_SEGMENTS:
            return "reactivate"
    return "upsell" if args.product else "convert"


def variant_id(request: CopyRequest, index: int, fields: dict[str, str]) -> str:
    digest = hashlib.sha1("\n".join(fields.values()).encode()).hexdigest()[:6]
    return f"{request.channel}-{request.goal}-{request.language}-{LETTERS[index]}-{digest}"


def variant_table(variants: list[tuple[Draft, Checked]], request: CopyRequest) -> pd.DataFrame:
    """One row per variant: id, the fields as sent, and every check."""
    rows = []
    rules = rules_for(request.channel, request.language)
    for index, (draft, checked) in enumerate(variants):
        fields = checked.fields
        lengths = {c.rule.split(":", 1)[1]: c.detail for c in checked.checks if c.rule.startswith("length:")}
        row: dict[str, Any] = {"variant_id": variant_id(request, index, fields), "channel": request.channel,
                               "goal": request.goal, "language": request.language, "tone": draft.tone or request.tone}
        row |= {name: fields.get(name, "") for name in (*rules.field_names, *(["footer"] if "footer" in fields else []))}
        row |= {f"{name}_length": lengths.get(name, "") for name in rules.field_names}
        row |= {"status": checked.status, "problems": "; ".join(checked.problems()),
                "rewrites": "; ".join(f"{a} -> {b or '(removed)'}" for a, b in checked.rewrites),
                "facts_used": ", ".join(checked.facts_used)}
        row |= {f"ok_{rule}": ok for rule, ok in _rule_outcomes(checked).items()}
        rows.append(row)
    return pd.DataFrame(rows)


def _rule_outcomes(checked: Checked) -> dict[str, bool]:
    """Per rule (all of a field's lengths as one ``length``), whether the variant keeps it."""
    out: dict[str, bool] = {}
    for c in checked.checks:
        rule = c.rule.split(":", 1)[0]
        out[rule] = out.get(rule, True) and c.ok
    return out


def _facts(args: CopyArgs, request: CopyRequest, audience: Audience, view: FactView,
           variants: list[tuple[Draft, Checked]], writer: str, retried: bool) -> dict[str, Any]:
    summary = view.facts.summary()
    statuses = [c.status for _, c in variants]
    used = view.for_prompt(key for _, c in variants for key in c.facts_used)
    shown = {"sms": ("text",), "app_push": ("title", "body"), "email": ("subject", "preheader"),
             "wechat": ("title", "keyword1", "keyword2", "keyword3"), "douyin": ("headline",),
             "xiaohongshu": ("title",), "search": ("headline", "description")}[request.channel]
    return {
        "channel": request.channel, "goal": request.goal, "language": request.language, "tone": request.tone,
        "audience": audience.describe(request.language), "audience_en": audience.describe("en"),
        "audience_size": summary["customers"], "audience_facts": summary,
        "facts_worded": request.facts, "facts_used": used, "channel_rules": list(request.rules), "brand": request.brand,
        "product": args.product, "offer": args.offer, "writer": writer, "retried": retried,
        "passed": statuses.count("pass"), "rewritten": statuses.count("rewritten"), "failed": statuses.count("fail"),
        "variants": [{"id": variant_id(request, i, c.fields), "status": c.status, "text": " | ".join(c.fields.get(f, "") for f in shown if c.fields.get(f)),
                      "facts_used": list(c.facts_used), "problems": c.problems()}
                     for i, (_, c) in enumerate(variants)],
        "defaulted": [name for name, value in (("channel", args.channel), ("goal", args.goal)) if value is None],
    }


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=CopyArgs,
        run=run,
        description=(
            "Marketing copy: variants for an audience (RFM segment, cluster, saved audience or filter) "
            "and a channel (SMS, email, WeChat, app push, Douyin, Xiaohongshu, search ads), written from "
            "the audience's data (top categories, products, AOV, recency, channels) and checked for "
            "length, signature and opt-out rules and banned advertising claims."
        ),
        intents=("copywriting", "copy", "文案", "write sms", "write email",
                 "write push", "subject line", "subject lines", "headline", "slogan", "tagline",
                 "ad copy", "写一条", "写几条", "写个", "写条", "写段", "写封", "写篇", "写句",
                 "帮我写", "撰写", "短信文案", "推送文案", "营销文案", "广告语", "种草文案"),
        actions=(
            r"\b(?:write|draft|compose|come up with)\b.{0,60}?\b(?:sms|texts?|messages?|e-?mails?|push|"
            r"notifications?|copy|subject|headlines?|ads?|posts?|notes?|taglines?|slogans?|captions?|wechat|"
            r"newsletters?|variants?)\b",
            r"(?:写|撰写|起草|拟)[^，。,.?？!！]{0,14}?(?:文案|短信|推送|邮件|标题|广告|笔记|模板消息|口号|话术|slogan)",
            r"写\s*[0-9一二两三四五六七八九十几]+\s*(?:条|封|篇|段|句|版|份|则)",
            # a channel's message asked for by whom it is for: "xiaohongshu post aimed at platinum members"
            r"\b(?:sms|text|e-?mail|push|wechat|xiaohongshu|rednote|douyin|tiktok|social)\s+(?:posts?|notes?|captions?|"
            r"copy|blasts?|notifications?)\s+(?:for|to|aimed at|targeting|targeted at|that (?:targets?|speaks? to))\b",
        ),
    )
)
