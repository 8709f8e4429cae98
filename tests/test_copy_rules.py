"""generate_copy without a warehouse: channel rules, the banned-terms lexicon, the template
library on many audiences, the checks, and copy requests read from questions."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

import genbi.tools.catalog  # noqa: F401  (every tool registered in catalogue order first)
from genbi.tools.base import ToolError
from genbi.tools.copywriting.channels import (
    CHANNELS,
    SMS_OPT_OUT,
    FieldRule,
    compose,
    compose_sms,
    display_width,
    field_budgets,
    measure,
    rules_for,
    sms_segments,
)
from genbi.tools.copywriting.checks import check
from genbi.tools.copywriting.compliance import KINDS, lexicon, rewrite, scan
from genbi.tools.copywriting.facts import AudienceFacts, FactView
from genbi.tools.copywriting.question import arguments_from_question, revision
from genbi.tools.copywriting.templates import (
    BLOCKS_PER_GOAL,
    TONES,
    TemplateWriter,
    parse_fields,
    template,
    tones,
)
from genbi.tools.copywriting.tool import draft_and_check
from genbi.tools.copywriting.writer import CopyRequest, Draft

GOALS = ("acquire", "convert", "retain", "reactivate", "upsell")
BRAND = "Lumière"


def facts(**overrides: Any) -> AudienceFacts:
    base: dict[str, Any] = dict(
        as_of=date(2025, 12, 31), customers=500, buyers=400, orders=900, revenue=2.5e5, aov=286.0,
        median_recency_days=536, orders_per_buyer=2.2,
        top_categories=(("skincare", 0.5), ("fragrance", 0.3)),
        top_products=(("Velvet Cleansing Foam 120g", 120, 251.0),),
        sales_channels=(("tmall", 0.4), ("app", 0.2)), loyalty_tiers=(("silver", 0.8),),
    )
    return AudienceFacts(**(base | overrides))


AUDIENCES = {
    "lapsed silver": facts(),
    "platinum in Shanghai": facts(top_categories=(("supplements", 0.4), ("bodycare", 0.3)), median_recency_days=45,
                                  top_products=(("HydraBloom Vitamin C Serum 30ml", 50, 249.0),),
                                  sales_channels=(("offline_store", 0.5),), loyalty_tiers=(("platinum", 1.0),),
                                  cities=(("Shanghai", 0.9),)),
    "little known": facts(top_categories=(("makeup", 1.0),), top_products=(), sales_channels=(),
                          loyalty_tiers=(("none", 0.9),), median_recency_days=None),
}
BRIEFS = {
    "zh": ({}, {"offer": "满299减50"}, {"product": "新品面霜", "offer": "立减30元", "link": "t.cn/A6xYz9"}),
    "en": ({}, {"offer": "15% off"}, {"product": "Night Cream", "offer": "¥30 off", "link": "lumi.re/x1"}),
}


def request(channel: str, goal: str, language: str, **options: Any) -> CopyRequest:
    rules = rules_for(channel, language)
    return CopyRequest(channel=channel, goal=goal, language=language, tone=options.pop("tone", "friendly"),
                       variants=options.pop("variants", 3), audience="test", facts={}, fields=rules.field_names,
                       rules=tuple(rules.describe()), brand=BRAND, **options)


def write(req: CopyRequest, audience: AudienceFacts) -> list[Any]:
    view = FactView(audience, req.language)
    return [checked for _, checked in draft_and_check(TemplateWriter(view), req, view)[0]]


# --- channel rules -----------------------------------------------------------------------------


def test_sms_length_counts_signature_and_opt_out() -> None:
    zh = compose_sms("好久不见", "zh", BRAND)
    assert zh == "【Lumière】好久不见。回T退订"
    assert compose_sms("【Lumière】好久不见！回T退订", "zh", BRAND) == "【Lumière】好久不见！回T退订"  # never doubled
    en = compose_sms("We miss you Reply STOP to opt out", "en", BRAND)
    assert en == "Lumière: We miss you. Reply STOP to opt out"
    rule = rules_for("sms", "zh").fields[0]
    assert measure("【Lumière】" + "好" * 57 + "回T退订", rule) == (70, 70)
    assert sms_segments("好" * 70, "zh") == 1 and sms_segments("好" * 71, "zh") == 2
    gsm = rules_for("sms", "en").fields[0]
    assert measure("a" * 158 + "[]", gsm) == (162, 160)  # extension characters take two septets
    assert measure("Hi 😀 there", gsm) == (10, 70)  # an emoji makes the whole SMS UCS-2
    assert sms_segments("a" * 161, "en") == 2


def test_widths_and_budgets() -> None:
    assert display_width("Lumière护肤_回归礼") == 7 + 4 + 1 + 6
    assert measure("百度标题", FieldRule("headline", 50, unit="width")) == (8, 50)
    assert field_budgets("sms", "zh", BRAND) == {"text": 70 - len("【Lumière】。回T退订")}
    assert field_budgets("search", "zh", BRAND) == {"headline": 25, "description": 40}
    assert field_budgets("sms", "en", BRAND)["text"] == 160 - len("Lumière: . Reply STOP to opt out")


def test_every_channel_documents_its_rules() -> None:
    for channel, language in itertools.product(CHANNELS, ("zh", "en")):
        rules = rules_for(channel, language)
        assert rules.fields and rules.describe(), (channel, language)
    assert rules_for("app_push", "zh").field_names == ("title", "body")
    assert [f.max for f in rules_for("app_push", "en").fields] == [20, 50]
    assert rules_for("email", "en").fields[0].max == 50 and rules_for("email", "en").opt_out
    assert rules_for("wechat", "zh").field_names == ("title", "keyword1", "keyword2", "keyword3")
    assert compose("email", "zh", {"subject": "x"}, BRAND)["footer"].endswith("可随时点击退订。")


# --- compliance --------------------------------------------------------------------------------


def test_lexicon_is_large_and_documented() -> None:
    terms = lexicon()
    assert len(terms) >= 200
    assert {t.kind for t in terms} <= set(KINDS)
    assert {"最", "第一", "顶级", "国家级", "极致", "100%", "治疗", "药用", "根治"} <= {
        t.text for t in terms} | {"最", "第一"}
    assert {"best", "#1", "guaranteed", "cure"} <= {t.text for t in terms}


@pytest.mark.parametrize("term", lexicon(), ids=lambda t: f"{t.language}:{t.text}")
def test_every_banned_term_is_caught_and_rewritten(term: Any) -> None:
    text = f"这款{term.text}面霜，欢迎选购。" if term.language == "zh" else f"Our {term.text} serum for you."
    hits = scan(text)
    assert hits, text
    assert any(term.pattern.fullmatch(h.found) or h.found.lower() == term.text.lower() for h in hits), hits
    clean, changes = rewrite(text)
    assert changes and not scan(clean), (text, clean)
    assert not scan(term.replace), f"the replacement for {term.text} is itself banned"


@pytest.mark.parametrize("text", [
    "第一次见面，最近好吗？", "最后一天，最终版本", "Treat yourself to a little treat.", "A secure, healthy routine",
    "Bond Repair Treatment", "best-in-class"[:0] + "The bestie pack",
])
def test_ordinary_words_are_not_flagged(text: str) -> None:
    assert scan(text) == []


def test_rewrite_keeps_the_sentence_tidy() -> None:
    assert rewrite("100%纯天然，顶级面霜！")[0] == "温和，高品质面霜！"
    assert rewrite("Guaranteed results, the best glow.")[0] == "Results, a great glow."
    assert rewrite("全网最低价，国家级品质")[0] == "超值价，专业级品质"


# --- the template library ------------------------------------------------------------------------


def test_template_library_covers_every_channel_goal_and_language() -> None:
    for channel, language in itertools.product(CHANNELS, ("zh", "en")):
        blocks = template(channel, language).blocks
        for goal in GOALS:
            assert all(f"{goal}_{n}" in blocks for n in range(1, BLOCKS_PER_GOAL + 1)), (channel, language, goal)
    for language in ("zh", "en"):
        assert set(tones(language)) == set(TONES)
        assert all({"hello", "miss", "go_link", "go_shop", "go_plain", "excl"} <= set(t) for t in tones(language).values())


def test_parse_fields_splits_fields_a_tag_ran_together() -> None:
    text = "@title 好久不见{% endif %}@body 你常用的护肤\n都在\n"
    assert parse_fields(text.replace("{% endif %}", ""), "zh", names=("title", "body")) == {
        "title": "好久不见", "body": "你常用的护肤都在"}
    assert parse_fields("@text hi there. see you! ok", "en") == {"text": "Hi there. See you! Ok"}


@pytest.mark.parametrize(("channel", "language"), list(itertools.product(CHANNELS, ("zh", "en"))))
def test_many_variants_keep_every_channel_rule(channel: str, language: str) -> None:
    """Every goal, the five tones, three audiences and three briefs: every variant fits, carries
    its signature and opt-out, uses the audience's facts and needs no compliance rewrite."""
    seen = 0
    for (name, audience), goal, brief in itertools.product(AUDIENCES.items(), GOALS, BRIEFS[language]):
        tone = TONES[(GOALS.index(goal) + len(name)) % len(TONES)]
        for checked in write(request(channel, goal, language, tone=tone, **brief), audience):
            seen += 1
            assert checked.status == "pass", (name, goal, tone, brief, checked.problems(), checked.fields)
            assert checked.facts_used and not checked.rewrites
            rules = rules_for(channel, language)
            for rule in rules.fields:
                used, limit = measure(checked.fields[rule.name], rule)
                assert rule.min <= used <= limit
            if channel == "sms":
                text = checked.fields["text"]
                assert text.endswith(SMS_OPT_OUT[language]) and BRAND in text[:10]
            if channel == "email":
                assert ("退订" if language == "zh" else "Unsubscribe") in checked.fields["footer"]
            if "product" in brief and goal in ("upsell", "convert", "acquire"):
                pass  # the brief's product may appear; grounding is checked above
    assert seen >= 3 * 5 * 3 * 3 - 10


def test_variants_differ_and_short_is_shorter() -> None:
    audience = AUDIENCES["lapsed silver"]
    normal = write(request("sms", "reactivate", "zh"), audience)
    short = write(request("sms", "reactivate", "zh", short=True), audience)
    assert len({c.fields["text"] for c in normal}) == 3
    assert sum(len(c.fields["text"]) for c in short) < sum(len(c.fields["text"]) for c in normal)
    five = write(request("app_push", "retain", "en", variants=5), audience)
    assert len({tuple(c.fields.values()) for c in five}) == 5


def test_a_brief_too_long_for_the_channel_is_marked_not_cut() -> None:
    product = "Lumière Ultra Hydrating Overnight Repair Night Cream Deluxe Edition 100ml"
    checked = write(request("app_push", "upsell", "en", product=product), AUDIENCES["lapsed silver"])
    failing = [c for c in checked if c.status == "fail"]
    assert failing and all(any("length" in p for p in c.problems()) for c in failing)
    assert all(product in " ".join(c.fields.values()) for c in failing)  # never truncated


def test_banned_words_in_the_brief_are_rewritten_and_reported() -> None:
    checked = write(request("sms", "upsell", "zh", product="顶级修复面霜", offer="全网最低价"), AUDIENCES["lapsed silver"])
    assert all(c.status == "rewritten" for c in checked)
    text = checked[0].fields["text"]
    assert "顶级" not in text and "修复" not in text and "高品质修护面霜" in text and not scan(text)
    assert ("顶级", "高品质") in checked[0].rewrites


# --- the writer seam: one retry with the violations fed back ------------------------------------


class _Scripted:
    """A CopyWriter that returns scripted drafts and records its requests."""

    name = "scripted"
    retries_on_violation = True

    def __init__(self, *batches: list[dict[str, str]]) -> None:
        self.batches = list(batches)
        self.requests: list[CopyRequest] = []

    def write(self, req: CopyRequest) -> list[Draft]:
        self.requests.append(req)
        return [Draft(fields) for fields in self.batches.pop(0)]


def test_a_violation_gets_one_retry_with_the_problems_fed_back() -> None:
    view = FactView(AUDIENCES["lapsed silver"], "zh")
    writer = _Scripted([{"text": "好久不见，你常用的护肤都在等你！"}, {"text": "最好的面霜" * 12}],
                       [{"text": "护肤回购提醒，天猫旗舰店等你来逛"}])
    out, retried = draft_and_check(writer, request("sms", "reactivate", "zh", variants=2), view)
    assert retried and len(writer.requests) == 2
    feedback = writer.requests[1].feedback
    assert writer.requests[1].variants == 1 and writer.requests[1].previous[0].fields["text"].startswith("最好")
    assert any("length:text" in line for line in feedback) and any("compliance" in line for line in feedback)
    assert [c.status for _, c in out] == ["pass", "pass"]


def test_still_failing_after_the_retry_is_marked() -> None:
    view = FactView(AUDIENCES["lapsed silver"], "en")
    bad = [{"text": "The best skincare, guaranteed. Take a look at our Tmall store"}]
    writer = _Scripted(bad, [{"text": "Our skincare cures everything " * 6}])
    out, retried = draft_and_check(writer, request("sms", "retain", "en", variants=1), view)
    assert retried and len(writer.requests) == 2  # at most one retry
    checked = out[0][1]
    assert checked.status == "fail" and checked.rewrites  # cure rewritten, length still over
    assert any(p.startswith("length:text") for p in checked.problems())


def test_an_ungrounded_variant_fails_the_grounding_check() -> None:
    view = FactView(AUDIENCES["lapsed silver"], "zh")
    checked = check(compose("sms", "zh", {"text": "新年快乐，万事如意"}, BRAND), rules_for("sms", "zh"), view, BRAND)
    assert not checked.passed and checked.problems() == ["grounding: uses none of the audience's facts"]


def test_template_writer_is_not_retried() -> None:
    view = FactView(AUDIENCES["lapsed silver"], "zh")
    req = replace(request("sms", "upsell", "zh"), product="超长" * 40)
    _, retried = draft_and_check(TemplateWriter(view), req, view)
    assert not retried


def test_a_writer_that_returns_nothing_is_an_error() -> None:
    with pytest.raises(ToolError):
        draft_and_check(_Scripted([]), request("sms", "retain", "zh"), FactView(AUDIENCES["lapsed silver"], "zh"))


# --- questions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "values", "expected"), [
    ("Write an SMS to win back the At-risk segment", [], {"channel": "sms", "goal": "reactivate", "language": "en"}),
    ("给铂金会员写一条微信推送, 推新品面霜", [("loyalty_tier", "platinum"), ("channel", "wechat"), ("channel", "app_push")],
     {"channel": "wechat", "goal": "upsell", "product": "新品面霜", "where": "loyalty_tier=platinum", "language": "zh"}),
    ("Write 3 playful push notifications for gold members about our new night cream, 20% off",
     [("loyalty_tier", "gold")], {"channel": "app_push", "tone": "playful", "product": "Night Cream",
                                  "offer": "20% off", "where": "loyalty_tier=gold", "variants": 3}),
    ("给上海的金卡会员写五条短信，满299减50，链接 t.cn/abc", [("city", "Shanghai"), ("loyalty_tier", "gold")],
     {"channel": "sms", "offer": "满299减50", "link": "t.cn/abc", "variants": 5,
      "where": "city=Shanghai; loyalty_tier=gold"}),
    ("draft an email for cluster 2 in English, keep it short", [], {"channel": "email", "cluster": 2, "short": True}),
    ("为人群“高潜新客”写一段小红书文案，拉新", [], {"channel": "xiaohongshu", "audience": "高潜新客", "goal": "acquire"}),
    ("write a search ad for win-back campaigns", [("objective", "reactivation")], {"channel": "search", "goal": "reactivate"}),
])
def test_arguments_from_questions(question: str, values: list[tuple[str, str]], expected: dict[str, Any]) -> None:
    found = arguments_from_question(question, values)
    assert {k: found.get(k) for k in expected} == expected


PREVIOUS = {"channel": "sms", "segment": "At risk", "goal": "reactivate", "tone": "friendly", "variants": 3}


@pytest.mark.parametrize(("question", "changes"), [
    ("make it shorter", {"short": True}),
    ("短一点", {"short": True}),
    ("more playful", {"tone": "playful"}),
    ("再正式一点", {"tone": "formal"}),
    ("换个语气", {"tone": "playful"}),
    ("different tone please", {"tone": "playful"}),
    ("换成邮件", {"channel": "email"}),
    ("now as a push notification", {"channel": "app_push"}),
    ("用英文写", {"language": "en"}),
    ("another batch", {"seed": 3}),
    ("give me 5 versions", {"variants": 5}),
])
def test_revisions_change_the_last_copy(question: str, changes: dict[str, Any]) -> None:
    revised = revision(question, dict(PREVIOUS))
    assert revised is not None, question
    assert {k: v for k, v in revised.items() if PREVIOUS.get(k) != v} == changes


@pytest.mark.parametrize("question", [
    "revenue last month", "Write an email for Champions", "上个月各渠道的销售额", "RFM analysis", "",
    "what is the " + "very " * 30 + "long question about shorter delivery times",
])
def test_other_questions_are_not_revisions(question: str) -> None:
    assert revision(question, dict(PREVIOUS)) is None


def test_templates_write_no_placeholder_text() -> None:
    """No 'None', no jinja left-overs, no empty fields, on an audience with few facts."""
    audience = AUDIENCES["little known"]
    for channel, language, goal in itertools.product(CHANNELS, ("zh", "en"), GOALS):
        for checked in write(request(channel, goal, language), audience):
            text = "\n".join(checked.fields.values())
            assert "None" not in text and "{" not in text and "@" not in text, text
            assert all(v.strip() for v in checked.fields.values()), checked.fields
            assert not re.search(r"[，,]{2}|\s[，。,.!?]", text), text


PROMISES = re.compile(r"优惠券|礼包|新人礼|回归礼|尝鲜礼|到账|满\d|立减|折|包邮|赠|coupon|gift|reward|% off|free |discount|"
                      r"\bsave\b|\bdeal\b", re.IGNORECASE)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_offer_in_the_brief_means_no_offer_in_the_copy(language: str) -> None:
    """Copy must not promise a coupon, gift or discount the marketer did not give: every
    channel, goal, tone and audience without an offer."""
    for (name, audience), channel, goal in itertools.product(AUDIENCES.items(), CHANNELS, GOALS):
        tone = TONES[(GOALS.index(goal) + len(name)) % len(TONES)]
        for checked in write(request(channel, goal, language, tone=tone, variants=5), audience):
            text = "\n".join(v for k, v in checked.fields.items() if k != "footer")
            assert not PROMISES.search(text), (channel, goal, tone, text)


@pytest.mark.parametrize(("name", "shown"), [
    ("BOX OF 6 ASSORTED COLOUR TEASPOONS", "Box of 6 Assorted Colour Teaspoons"),
    ("WHITE HANGING HEART T-LIGHT HOLDER", "White Hanging Heart T-light Holder"),
    ("Lumière Night Cream 50g", "Lumière Night Cream"),
    ("iPhone case", "iPhone case"),
    ("UV", "UV"),
])
def test_product_names_read_as_customers_read_them(name: str, shown: str) -> None:
    from genbi.tools.copywriting.facts import short_product

    assert short_product(name) == shown


def test_order_value_in_copy_is_in_the_models_money() -> None:
    facts = AUDIENCES["lapsed silver"]
    assert FactView(facts, "en", "£").aov == f"£{facts.aov:,.0f}"
    assert FactView(facts, "en", None).aov == f"{facts.aov:,.0f}"
