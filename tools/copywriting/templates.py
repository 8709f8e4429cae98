"""The offline writer: jinja2 templates in ``prompts/copy`` filled with the audience's facts.

One file per channel and language (``sms.zh.jinja``), one block per goal and variant
(``reactivate_1`` ... ``reactivate_3``); a block writes its fields as ``@name value`` lines.
Tones (``tones.<lang>.jinja``) give openers, sentence ends and calls to action. Variants
come from different blocks; beyond the blocks a goal has, the next tones are used. When a
variant is over a channel limit it is written again in its short form (optional clauses
left out) before it is handed to the checks — never cut mid-word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

from ..base import ToolError
from .channels import compose, measure, rules_for
from .checks import check
from .compliance import tidy
from .facts import FactView
from .writer import CopyRequest, Draft

if TYPE_CHECKING:
    import jinja2
else:
    jinja2 = lazy_module("jinja2")

TONES = ("friendly", "playful", "premium", "urgent", "formal")
BLOCKS_PER_GOAL = 3
_FIELD = re.compile(r"^@(\w+)[ \t]?(.*)$")
_SENTENCE = re.compile(r"([.!?]\s+)([a-z])")


def _load(name: str) -> str:
    try:
        return files("genbi.prompts.copy").joinpath(name).read_text("utf-8")
    except FileNotFoundError:
        raise jinja2.TemplateNotFound(name) from None


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (_load(name), None, lambda: True)),
        undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=True, autoescape=False,
        finalize=lambda value: "" if value is None else value,
    )
    env.filters["cap"] = lambda text: str(text)[:1].upper() + str(text)[1:]  # "our Tmall store"
    return env


@lru_cache(maxsize=4)
def tones(language: str) -> dict[str, dict[str, Any]]:
    module = environment().get_template(f"tones.{language}.jinja").module
    found: dict[str, dict[str, Any]] = module.tones  # type: ignore[attr-defined]
    return found


def template(channel: str, language: str) -> jinja2.Template:
    try:
        return environment().get_template(f"{channel}.{language}.jinja")
    except jinja2.TemplateNotFound:
        raise ToolError(f"There are no {language} templates for {channel} copy.") from None


def call_to_action(tone: dict[str, Any], view: FactView, link: str | None, variant: int = 0) -> str:
    """The tone's call to action: the link when there is one, else where they usually buy
    (the wording rotates across variants)."""
    if link:
        return str(tone["go_link"]).replace("{link}", link)
    if view.shop:
        shop = tone["go_shop"]
        pattern = shop[variant % len(shop)] if isinstance(shop, list) else shop
        return str(pattern).replace("{shop}", view.shop)
    return str(tone["go_plain"])


_GAP_MARK = "\x00"


class _Gap(str):
    """A fact the data lacks: false where a template tests for it, a mark where it prints it,
    so a block that needs the fact is left out instead of sent with a blank ("The  you love")."""

    def __bool__(self) -> bool:
        return False


_GAP = _Gap(_GAP_MARK)


class _Known:
    """The worded facts as templates read them: a missing one is ``_GAP``, not None."""

    def __init__(self, view: FactView) -> None:
        self._view = view

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._view, name)
        return _GAP if value is None else value


class _Unfilled(Exception):
    """A block printed a fact the data lacks."""


class TemplateWriter:
    """Writes variants from the template library; needs the audience's worded facts."""

    name = "templates"
    retries_on_violation = False

    def __init__(self, view: FactView) -> None:
        self.view = view

    def write(self, request: CopyRequest) -> list[Draft]:
        """Variants from different blocks in the asked tone; when a block cannot fit the channel
        even in its short form, or more variants are asked than a goal has blocks, the next
        tones fill in. Variants that fit come first; ones that cannot fit are still returned
        (the checks mark them) rather than cut."""
        fitting: list[Draft] = []
        overflow: list[Draft] = []
        seen: set[str] = set()
        for round_ in range(len(TONES)):
            tone = _tone_for(request.tone, round_)
            for index in range(BLOCKS_PER_GOAL):
                block = f"{request.goal}_{(request.seed + index) % BLOCKS_PER_GOAL + 1}"
                try:
                    draft = self._fitted(request, block, tone)
                except _Unfilled:
                    continue
                key = "\n".join(draft.fields.values())
                if key in seen:
                    continue
                seen.add(key)
                (fitting if _usable(request, draft, self.view) else overflow).append(draft)
                if len(fitting) == request.variants:
                    return fitting
            if round_ == 0 and len(fitting) + len(overflow) >= request.variants and not overflow:
                break
        if not fitting and not overflow:
            if self.view.product and not self.view.category:  # products by name, no category column
                raise ToolError(
                    f"Every {request.channel} template is written around a product category, and this data names "
                    "products but no category, so no copy was written.",
                    "Ask for an SMS, which is written from the top product (e.g. 'write an SMS for Champions'), "
                    "or add the products' category to the data.")
            raise ToolError(
                "This data says nothing about what the audience buys (no product or category), and every "
                f"{request.channel} template is written around it, so no copy was written.",
                "Copy needs products: order lines with a product or category column beside the orders.")
        return (fitting + overflow)[: request.variants]

    def render(self, request: CopyRequest, block: str, tone: str, *, short: bool) -> Draft:
        found = template(request.channel, request.language)
        if block not in found.blocks:
            raise ToolError(f"The {request.channel} templates have no block '{block}'.")
        phrases = tones(request.language)[tone]
        context: dict[str, Any] = {
            "f": _Known(self.view), "t": phrases, "tone": tone, "brand": request.brand,
            "offer": request.offer, "product": request.product, "link": request.link,
            "top": self.view.product or _GAP, "item": self._item(request) or _GAP, "short": short,
            "go": call_to_action(phrases, self.view, request.link, int(block.rsplit("_", 1)[1]) - 1),
            "goal": request.goal,
        }
        text = "".join(found.blocks[block](found.new_context(context)))
        if _GAP_MARK in text:
            raise _Unfilled(block)
        fields = parse_fields(text, request.language, multiline=_multiline(request.channel),
                              names=request.fields)
        return Draft({name: fields.get(name, "") for name in request.fields}, tone=tone)

    def _item(self, request: CopyRequest) -> str | None:
        """What the copy features: the product asked about, else the audience's top product;
        win-back and loyalty copy recall what they bought, so always the top product there."""
        fallback = None if not self.view.category else (
            f"{self.view.category}好物" if request.language == "zh" else f"our {self.view.category} picks")
        if request.goal in ("reactivate", "retain"):
            return self.view.product
        return request.product or self.view.product or fallback

    def _fitted(self, request: CopyRequest, block: str, tone: str) -> Draft:
        draft = self.render(request, block, tone, short=request.short)
        if request.short or _fits(request, draft):
            return draft
        return self.render(request, block, tone, short=True)


def _tone_for(tone: str, round_: int) -> str:
    return TONES[(TONES.index(tone) + round_) % len(TONES)] if tone in TONES else tone


def _multiline(channel: str) -> set[str]:
    rules = rules_for(channel, "en")
    return {f.name for f in rules.fields if not f.single_line}


def _fits(request: CopyRequest, draft: Draft) -> bool:
    rules = rules_for(request.channel, request.language)
    shown = compose(request.channel, request.language, draft.fields, request.brand)
    return all(measure(shown.get(f.name, ""), f)[0] <= measure(shown.get(f.name, ""), f)[1] for f in rules.fields)


def _usable(request: CopyRequest, draft: Draft, view: FactView) -> bool:
    """Keeps every rule but compliance (banned words from the brief are rewritten later)."""
    rules = rules_for(request.channel, request.language)
    shown = compose(request.channel, request.language, draft.fields, request.brand)
    return all(c.ok for c in check(shown, rules, view, request.brand).checks if c.rule != "compliance")


def parse_fields(
    text: str, language: str, *, multiline: set[str] | frozenset[str] = frozenset(),
    names: tuple[str, ...] = (),
) -> dict[str, str]:
    """``@name value`` lines (a field runs until the next ``@name``) -> tidy field texts."""
    if names:  # a field ending in a jinja tag loses its newline: "...{% endif %}@body"
        text = re.sub(r"@(?=(?:" + "|".join(map(re.escape, names)) + r")\b)", "\n@", text)
    raw: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        found = _FIELD.match(line.strip())
        if found:
            current = found.group(1)
            raw[current] = [found.group(2)]
        elif current is not None:
            raw[current].append(line)
    return {name: _clean(lines, language, name in multiline) for name, lines in raw.items()}


def _clean(lines: list[str], language: str, multiline: bool) -> str:
    if multiline:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in lines).strip())
    else:
        joiner = "" if language == "zh" else " "
        text = joiner.join(line.strip() for line in lines if line.strip())
    text = tidy(text)
    if language == "en":
        text = _SENTENCE.sub(lambda m: m.group(1) + m.group(2).upper(), text)
        text = text[:1].upper() + text[1:]
    return text
