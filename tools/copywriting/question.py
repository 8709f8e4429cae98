"""Copy requests in words: arguments from a question, and revisions of the last copy.

``arguments_from_question`` reads what the planner's vocabulary does not know — channel,
goal, tone, product, offer, link, number of variants, language, cluster, saved audience —
and turns the model values the planner found (``loyalty_tier=platinum``) into an audience
filter. ``revision`` reads a follow-up ("make it shorter", "more playful", "换个语气",
"换成短信") as changed arguments for the last ``generate_copy`` call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

CHANNEL_WORDS: tuple[tuple[str, str], ...] = (
    ("wechat", r"微信|wechat|weixin|公众号|服务号|模板消息"),
    ("xiaohongshu", r"小红书|xiaohongshu|rednote|red note|\bxhs\b"),
    ("douyin", r"抖音|douyin|tiktok|巨量"),
    ("search", r"搜索广告|搜索推广|search ads?\b|\bsem\b|百度推广|baidu|google ads|关键词广告"),
    ("email", r"邮件|e-?mail|\bedm\b|subject line|newsletter"),
    ("sms", r"短信|\bsms\b|text messages?"),
    ("app_push", r"\bpush\b|推送|通知栏|notification"),
)
GOAL_WORDS: tuple[tuple[str, str], ...] = (
    ("reactivate", r"win (?:\w+ )?back|win-?back|bring (?:\w+ )?back|lure (?:\w+ )?back|reactivat|re-?engag|lapsed|召回|唤醒|挽回|回流|流失"),
    ("upsell", r"up-?sell|cross-?sell|upgrade|new product|new launch|launch|推新品|新品|升级|连带|交叉销售"),
    ("retain", r"\bretain|retention|\bloyal\b|thank|复购|留存|维系|回购|感谢"),
    ("acquire", r"\bacquir|acquisition|new customers?|first (?:order|purchase)|拉新|获客|新客|首单"),
    ("convert", r"\bconvert|conversion|purchase|\bbuy\b|checkout|促单|转化|下单|成交|购买"),
)
OBJECTIVE_GOALS = {"acquisition": "acquire", "conversion": "convert", "retention": "retain",
                   "reactivation": "reactivate"}
TONE_WORDS: tuple[tuple[str, str], ...] = (
    ("playful", r"playful|\bfun\b|funny|cheeky|cute|活泼|俏皮|可爱|有趣|轻松|好玩"),
    ("premium", r"premium|luxur|elegant|upscale|classy|高级感|高端|优雅|轻奢|质感"),
    ("urgent", r"urgent|urgency|fomo|紧迫|紧急|催促"),
    ("formal", r"formal|professional|serious|正式|专业|严肃|官方"),
    ("friendly", r"friendly|\bwarm|casual|亲切|温暖|温柔|亲和|暖心"),
)
TONE_CYCLE = ("friendly", "playful", "premium", "urgent", "formal")
_OFFER = re.compile(
    r"满\d+减\d+|\d+(?:\.\d+)?折|立减\d+元?|\d+元(?:优惠)?券|买\d+送\d+|第二件半价|免费试用|包邮|新人礼包"
    r"|\d+\s?% off|[¥$]\s?\d+ off|\d+ (?:yuan|rmb) off|buy one,? get one(?: free)?|\bbogo\b"
    r"|free shipping|free (?:gift|sample)s?", re.IGNORECASE)
_LINK = re.compile(r"https?://\S+|\b[a-z0-9-]+\.(?:cn|com|net|me|ly)/\S*", re.IGNORECASE)
_PRODUCT_ZH = re.compile(r"(?:主推|推广|推荐|介绍|宣传|推)(?!送)(?:一下|我们的|一款)?(.{2,16}?)(?=[，,。.!！?？；;]|$)")
_PRODUCT_EN = re.compile(
    r"\b(?:promot(?:e|ing)|featuring|feature|about|launch(?:ing)?|introduc(?:e|ing))\s+"
    r"(?:our |the |a |an )?(?:new |latest )?([a-z0-9'][a-z0-9' -]{1,40}?)(?=[,.;!?]|$|\s(?:to|with|for|in|and)\s)",
    re.IGNORECASE)
_VARIANTS = re.compile(r"(\d+)\s?(?:[a-z-]+\s){0,2}(?:variants?|versions?|options?|variations?|messages?|texts?"
                       r"|notifications?|emails?|sms|subject lines?|headlines?|ads?|notes?|posts?"
                       r"|条|个版本|版|种写法|封|篇|句|段)")
_CLUSTER = re.compile(r"\bcluster\s?#?(\d+)|第(\d+)类|(\d+)号(?:人群|聚类|类)", re.IGNORECASE)
_SAVED = re.compile(r"audience\s+['\"“‘]([^'\"”’]+)['\"”’]|人群\s?[「“\"']([^」”\"']+)[」”\"']", re.IGNORECASE)
_ENGLISH = re.compile(r"in english|英文|英语", re.IGNORECASE)
_CHINESE = re.compile(r"in chinese|中文|汉语|普通话", re.IGNORECASE)
_SHORT = re.compile(r"\bshort(?:er)?\b|concise|brief|trim it|cut it down|短一点|短一些|更短|精简|简短|简洁|缩短")
_LONGER = re.compile(r"\blonger\b|more detail|长一点|长一些|详细一点|丰富一点")
_AGAIN = re.compile(r"another (?:batch|set|round|version)|new (?:versions|options|variants)|more options"
                    r"|try again|other options|换一批|再来|重新写|再写|换几条|换个写法|不满意")
_NEW_TONE = re.compile(r"(?:another|different|change the|new) tone|换个语气|换种语气|换一种语气|换个风格|换种风格")
_TONE_CUE = re.compile(r"\bmore\b|\bless\b|make it|sound|tone|更|一点|一些|些|语气|风格|改成|改得")
_SWITCH = re.compile(r"\bas an?\b|\bfor\b|\binto\b|改成|换成|写成|改为|换到|用")
_NEW_REQUEST = re.compile(r"\bwrite\b|\bdraft\b|写一|写几|写个|写条|写段|写封|写篇|写句", re.IGNORECASE)
MAX_REVISION_CHARS = 80
_NUMERALS = str.maketrans({"一": "1", "两": "2", "二": "2", "三": "3", "四": "4", "五": "5"})


def language_of(text: str) -> str:
    return "zh" if re.search(r"[\u3400-\u9fff]", text) else "en"


def normalize_question(text: str) -> str:
    """Lower case, Chinese numerals one to five as digits ("三条" -> "3条"), English too."""
    text = text.lower().translate(_NUMERALS)
    for word, digit in (("two", "2"), ("three", "3"), ("four", "4"), ("five", "5")):
        text = re.sub(rf"\b{word}\b", digit, text)
    return text


def _first(table: Iterable[tuple[str, str]], text: str) -> str | None:
    found = [(m.start(), name) for name, pattern in table if (m := re.search(pattern, text, re.IGNORECASE))]
    return min(found)[1] if found else None


def channel_in(text: str) -> str | None:
    """The channel a text names first (微信推送 is WeChat, not app push: listed first)."""
    for name, pattern in CHANNEL_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return name
    return None


def arguments_from_question(question: str, values: Iterable[tuple[str, Any]] = ()) -> dict[str, Any]:
    """Copy arguments a question states; ``values`` are the (dimension, value) pairs the planner
    read from it — customer attributes among them become the audience filter."""
    out = _brief(question) | _audience(question)
    goal = _first(GOAL_WORDS, question)
    where: dict[str, list[str]] = {}
    for dimension, value in values:
        word = str(value)
        if word.lower() in OBJECTIVE_GOALS:
            goal = goal or OBJECTIVE_GOALS[word.lower()]
        elif not _channel_value(word) and not _product_like(dimension):
            where.setdefault(dimension, []).append(word)
    if goal:
        out["goal"] = goal
    if where:
        out["where"] = "; ".join(f"{d}={','.join(dict.fromkeys(v))}" for d, v in where.items())
    return out


def _brief(question: str) -> dict[str, Any]:
    """Channel, language, tone, offer, link, product, variants and length the words state."""
    out: dict[str, Any] = {"language": language_of(question)}
    if _ENGLISH.search(question):
        out["language"] = "en"
    elif _CHINESE.search(question):
        out["language"] = "zh"
    found = {
        "channel": channel_in(question), "tone": _first(TONE_WORDS, question), "product": _product(question),
        "offer": (m.group().strip() if (m := _OFFER.search(question)) else None),
        "link": (m.group().rstrip("，。,.") if (m := _LINK.search(question)) else None),
    }
    out |= {k: v for k, v in found.items() if v}
    if (count := _VARIANTS.search(normalize_question(question))) is not None and 2 <= int(count.group(1)) <= 5:
        out["variants"] = int(count.group(1))
    if _SHORT.search(question):
        out["short"] = True
    return out


def _audience(question: str) -> dict[str, Any]:
    """A cluster number or a saved audience's name."""
    out: dict[str, Any] = {}
    if (cluster := _CLUSTER.search(normalize_question(question))) is not None:
        out["cluster"] = int(next(g for g in cluster.groups() if g))
    if (saved := _SAVED.search(question)) is not None:
        out["audience"] = next(g for g in saved.groups() if g)
    return out


def _channel_value(word: str) -> bool:
    return word.lower() in {"email", "sms", "wechat", "douyin", "xiaohongshu", "search", "display", "app_push",
                            "organic", "referral"} or channel_in(word) is not None


def _product_like(dimension: str) -> bool:
    return any(part in dimension for part in ("product", "category", "campaign", "experiment", "event"))


def _product(question: str) -> str | None:
    found = _PRODUCT_ZH.search(question)
    if found:
        product = found.group(1).strip()
        return product if channel_in(product) is None else None
    found = _PRODUCT_EN.search(question)
    if found:
        words = found.group(1).strip()
        if channel_in(words) is None and not re.search(r"\b(?:segment|customers?|members?|audience)\b", words, re.IGNORECASE):
            return " ".join(w[:1].upper() + w[1:] for w in words.split())
    return None


def revision(question: str, previous: dict[str, Any]) -> dict[str, Any] | None:
    """The previous copy arguments changed as a short follow-up asks, or None when the
    question is not a revision ("make it shorter", "more playful", "换个语气", "换成短信")."""
    text = question.strip()
    if not text or len(text) > MAX_REVISION_CHARS or _NEW_REQUEST.search(text):
        return None
    changes: dict[str, Any] = {}
    if _SHORT.search(text):
        changes["short"] = True
    elif _LONGER.search(text):
        changes["short"] = False
    current = str(previous.get("tone") or "friendly")
    if _NEW_TONE.search(text):
        changes["tone"] = TONE_CYCLE[(TONE_CYCLE.index(current) + 1) % len(TONE_CYCLE)] \
            if current in TONE_CYCLE else "friendly"
    elif (tone := _first(TONE_WORDS, text)) is not None and _TONE_CUE.search(text):
        changes["tone"] = tone
    if _ENGLISH.search(text):
        changes["language"] = "en"
    elif _CHINESE.search(text):
        changes["language"] = "zh"
    if (channel := channel_in(text)) is not None and _SWITCH.search(text):
        changes["channel"] = channel
    if _AGAIN.search(text):
        changes["seed"] = int(previous.get("seed") or 0) + int(previous.get("variants") or 3)
    if (count := _VARIANTS.search(normalize_question(text))) is not None and 1 <= int(count.group(1)) <= 5:
        changes["variants"] = int(count.group(1))
    if not changes:
        return None
    return {**previous, **changes}
