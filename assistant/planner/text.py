"""Text normalisation shared by the vocabulary and the questions, so both match alike.

Full-width forms fold to ASCII (NFKC), case folds, separators become spaces, and Chinese
numerals become digits ("近三十天" → "近30天", "前五" → "前5") so one pattern serves both.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence

from genbi.screened import Screened, ScreenedGroup

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千]+")
_PERCENT_WORD = "百分"
""""百分之几", "百分比": a percent, not a hundred ("100分之几" was read as a number compared against)."""
_KEPT = "\ue000"
_SEPARATORS = Screened(r"(?<!\d)[\-‐–—/]+|[\-‐–—/]+(?!\d)|[_·・|]+")
_SPACES = re.compile(r"\s+")
_PERIOD_WORD = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
                r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|q[1-4]|h[12])")
_PERIOD_DASH = re.compile(rf"(?<![a-z0-9])({_PERIOD_WORD}) ?[\-‐–—~] ?({_PERIOD_WORD})(?![a-z0-9])")
""""jan-mar 2025", "q1–q3": a dash between two periods is the range from one to the other; read as
a separator it became two periods compared side by side (January against March)."""
_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "sixty": 60, "ninety": 90,
}
_ENGLISH_NUMBER = re.compile(r"\b(" + "|".join(_ENGLISH_NUMBERS) + r")\b")


@functools.lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Fold width and case, turn separators into spaces and numerals into digits.

    Remembered: the model's own words (labels, values, intent words) are normalised again
    for every question."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub("了(?!解)", "", text)  # aspect particle: "进入了结算" reads as "进入结算" (not 了解)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace(_PERCENT_WORD, _KEPT)
    text = _NUMERAL_RUN.sub(lambda m: str(chinese_number(m.group())), text).replace(_KEPT, _PERCENT_WORD)
    text = _ENGLISH_NUMBER.sub(lambda m: str(_ENGLISH_NUMBERS[m.group()]), text)
    text = _PERIOD_DASH.sub(r"\1 to \2", text)
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()



_TO_DATE_UNITS = {"ytd": "year", "qtd": "quarter", "mtd": "month", "wtd": "week"}
_QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                     "last": 4, "final": 4}
""""last QTD": the quarter before, to the same day (the period-before reading aligns it)."""

_SHORTHAND: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"\bwks\b"), "weeks"), (re.compile(r"\bwk\b"), "week"),
    (re.compile(r"\bmos\b"), "months"), (re.compile(r"\bmo\b"), "month"),
    (re.compile(r"\byrs\b"), "years"), (re.compile(r"\byr\b"), "year"),
    (re.compile(r"\bqtrs\b"), "quarters"), (re.compile(r"\bqtr\b"), "quarter"),
    (re.compile(r"\b(\d+) ?d\b"), r"\1 days"), (re.compile(r"\b(\d+) ?w\b"), r"\1 weeks"),
    (re.compile(r"\b([12])h ?(20\d{2})\b|\b([12])h(\d{2})\b"),  # "1H 2025", "2H24": the half, said the other way round
     lambda m: f"{'first' if (m[1] or m[3]) == '1' else 'second'} half of {m[2] or '20' + m[4]}"),
    (re.compile(r"\bh([12]) ?(\d{4})\b"), lambda m: f"{'first' if m[1] == '1' else 'second'} half of {m[2]}"),
    (re.compile(r"\b(\d{4}) ?h([12])\b"), lambda m: f"{'first' if m[2] == '1' else 'second'} half of {m[1]}"),
    (re.compile(r"(\d{4}年|去年|今年|前年)的?h([12])(?![a-z0-9])"), lambda m: f"{m[1]}{'上' if m[2] == '1' else '下'}半年"),
    (re.compile(r"(?<![a-z0-9])h([12])(?![a-z0-9])"), lambda m: f"{'first' if m[1] == '1' else 'second'} half"),
    (re.compile(r"\b(ca|wo|did|do|does|is|are|was|were|has|have|had|could|would|should)n't\b"),
     lambda m: {"ca": "can", "wo": "will"}.get(m[1], m[1]) + " not"),
    (re.compile(r"\bhw\b"), "how"), (re.compile(r"\b(?:whts|wht|wts|wat|wats)\b"), "what"),
    (re.compile(r"\blst\b(?= (?:week|wk|month|mnth|mth|mo|quarter|qtr|q|year|yr|\d))"), "last"),
    (re.compile(r"\bthru\b"), "through"),  # "click-thru rate", "oct thru dec"
    # "the past half year", "近半年", "半年内": the six months up to now (a half of the calendar,
    # "上半年" / "H1", is read above and by the calendar halves)
    (re.compile(r"\b(past|last|previous|trailing|recent|prior)\s+half(?:\s+a|-a)?[\s-]+year\b"), r"\1 6 months"),
    (re.compile(r"\b(?:in|within|over|during)\s+(?:the\s+)?half\s+a\s+year\b"), "in the past 6 months"),
    (re.compile(r"(近|最近|过去)的?半年(?!度)"), r"\g<1>6个月"),  # not 前半年: the first half, said so too
    (re.compile(r"(?<![上下前近去过今本这每])半年(?:内|以内|之内)"), "近6个月"),
    # "25年", "24年每个月", "fy25", "in '24": a year said by its last two digits (2010-2029); not
    # a count of years ("近25年", "满10年", "10年前"), a decade ("90年代") or an age ("25年龄")
    (re.compile(r"(?<![\d.\-/:近去前上这那几满第每共约过])(1\d|2\d)年(?![代龄级限前后内来]|以|之)"), r"20\1年"),
    (re.compile(r"\bfy ?(1\d|2\d)\b|(?<![\w'])'(1\d|2\d)\b"), lambda m: f"20{m[1] or m[2]}"),
    (re.compile(r"\b(thx|thanks|thank you|ty|tks|tnx)\s(?:so much|a lot|a ton|a bunch|heaps|loads|very much|in advance)\b"),
     r"\1"),
    (re.compile(r"#\s?of\b"), "number of"),
    (re.compile(r"\bexcl\b\.?"), "excluding"), (re.compile(r"\bincl\b\.?"), "including"),
    (re.compile(r"\bw o\b"), "without"), (re.compile(r"(?<!\d )(?<!\d)\bw\b(?= [a-z])"), "with"),  # "w/ add to cart"
    (re.compile(r"(?<=[a-z]) n (?=[a-z])"), " and "),
    (re.compile(r"\bavg\b"), "average"),
    # "which campaigns burned the most budget", "how much did we burn on douyin": money spent, said
    # as slang (the word was unknown and declined); "burn rate" is a rate of its own, left alone
    (re.compile(r"\bburn(?:ed|t|s|ing)?(?: through| thru)?(?! rate)\b(?: (?:the |our |all the )?(?:(most|more|least|less) )?"
                r"(?:budget|money|cash|dollars|rmb|yuan|kuai)\b)?"),
     lambda m: "spent" + (f" the {m[1]}" if m[1] else "")),
    (re.compile(r"\bl(ytd|qtd|mtd)\b"), r"last \1"),  # "ytd vs lytd": last year to date
    (re.compile(r"\b(day|week|month|quarter|year) on \1\b"), r"\1 over \1"),  # "week on week": British for over
    (re.compile(r"\b(?:last|previous|prior|the previous|the prior) (ytd|qtd|mtd|wtd)\b"),
     lambda m: f"the {_TO_DATE_UNITS[m[1]]} before"),
    (re.compile(r"\b(?:last|previous|prior|the previous|the prior) (year|quarter|month|week)[- ]to[- ]date\b"),
     r"the \1 before"),  # "ytd vs last year to date": the year before, to the same day
    (re.compile(r"\b(first|second|1st|2nd) half of the year\b"), r"\1 half of this year"),
    (re.compile(r"\b(?:the )?(first|1st|second|2nd|third|3rd|fourth|4th|last|final) quarter of "
                r"(?:the year|this year|(?=last year|\d{4}\b))"),
     lambda m: f"q{_QUARTER_ORDINALS[m[1]]} " + ("this year" if m.group(0).endswith("year") and "last year" not in
                                                 m.group(0) else "")),
    (re.compile(r"(\d{4}年|去年|今年|前年|上一年|本年)的?第?([一二三四1234])(?:个)?季度"), r"\1q\2"),
    (re.compile(r"(\d{4}年|去年|今年|前年|上一年|本年)的?最后[一1]?个?季度"), r"\1q4"),
    (re.compile(r"(?<![年\d])第([一二三四1234])(?:个)?季度"), r"\1季度"),  # "第一季度": Q1, not a ranking's first
    (re.compile(r"\b(?:the )?(first|1st|second|2nd|third|3rd|fourth|4th) quarter\b(?! of)"),
     lambda m: f"q{_QUARTER_ORDINALS[m[1]]}"),  # "the first quarter": Q1 ("last quarter" is the one before)
    (re.compile(r"\bl(\d{1,3}) ?d\b"), r"last \1 days"), (re.compile(r"\b(?:yday|ytday|yest)\b"), "yesterday"),
    (re.compile(r"\bcontributions?(\s(?:to|of)\b)?(?![^.?!]{0,40}\b(?:change|growth|drop|increase|decrease|decline|"
                r"difference|delta|lift|uplift|swing|gap|fall|rise|jump|dip)s?\b)"),
     lambda m: "share of" if m[1] else "share"),  # "tmall's contribution to revenue": its share (not of a change)
    (re.compile(r"\blw\b"), "last week"), (re.compile(r"\blm\b"), "last month"), (re.compile(r"\blq\b"), "last quarter"),
    (re.compile(r"\bly\b"), "last year"), (re.compile(r"\b(last|this|previous|prior) q\b"), r"\1 quarter"),
    (re.compile(r"\bacq\b\.?"), "acquisition"), (re.compile(r"\bmktg\b"), "marketing"),
    (re.compile(r"\bppl\b"), "people"),
    (re.compile(r"\b(?:folks|peeps)\b(?= (?:who|that|bought|buy|purchased|ordered|shopped|signed|from|in|on|with|did|"
                r"have|had|spent|made|placed)\b)"), "people"),  # "gold folks who bought": people ("hi folks": a greeting)
    (re.compile(r"\bcusts?\b"), "customers"),
    (re.compile(r"\bchnls?\b"), "channel"), (re.compile(r"\bcats\b"), "categories"),
    (re.compile(r"\bprods?\b"), "products"), (re.compile(r"\bmth\b"), "month"), (re.compile(r"\bmths\b"), "months"),
    (re.compile(r"\b(how|what|where|who|why)'d\b"), r"\1 did"),
    (re.compile(r"\bhow many times (?:does|did|do|will|would) (?:an? |each |every |the average |the typical |"
                r"a typical |our )?((?:[\w.'-]+ ){0,3}?)(buyer|customer|shopper|member|user|person)s? "
                r"(?:order|buy|purchase|shop|place an order)(?: from us)?(?: on average)?\b"),
     r"\1orders per buyer"),  # "how many times does a tmall buyer order on average": tmall orders per buyer
    # ("how often" stays a duration: the time between purchases, or the count, is not said)
    (re.compile(r"\bconv(?:s|ersion)? ?rate\b|\bcvr\b"), "conversion rate"), (re.compile(r"\bconvs\b"), "conversions"),
    (re.compile(r"\brev\b"), "revenue"), (re.compile(r"\bimps\b"), "impressions"),
    (re.compile(r"\b(paid|spent) by (?:all |the |our )?(?:buyers|customers|users|shoppers|members|clients)\b(?! (?:in|from|who|with|of)\b)"),
     r"\1"),  # "total amount paid by buyers": who paid is everyone, no second metric of buyers
    (re.compile(r"\b(items?|units?|pieces?|pcs)\s(?:were|was|have been|had been|got|did we get)\s(sold|bought|ordered|purchased)\b"),
     r"\1 \2"),  # "how many items were sold": the items sold
    (re.compile(r"\b(did|do|does|have|has|had|will|can) we (?:move|shift|push|clear)\b"), r"\1 we sell"),
    (re.compile(r"\bwe(?:'ve| have)? (?:moved|shifted|pushed|cleared)\b"), "we sold"),  # units "moved": sold
    (re.compile(r"\bi\.e\.?,?(?= )|\bie,"), "that is"), (re.compile(r"\be\.g\.?,?(?= )|\beg,"), "for example"),
    (re.compile(r"定单"), "订单"), (re.compile(r"(?<![的量数])下单(?=的?(?:最多|最少|高峰|峰值|低谷|最旺|最淡))"), "下单量"), (re.compile(r"(点击|转化|复购)律"), r"\1率"), (re.compile(r"复够"), "复购"),
    (re.compile(r"(?<=月)(\d{1,2})号|(?<=[到至~\-])(\d{1,2})号"), lambda m: f"{m[1] or m[2]}日"),
    (re.compile(r"(\d{1,2})月(\d{1,2})日 ?([到至~\-]) ?(\d{1,2})日"), r"\1月\2日\3\1月\4日"),
    (re.compile(r"(?<![\d月日号.:])(1[0-2]|[1-9]) ?([到至~\-]) ?(1[0-2]|[1-9])月(?!\d{1,2}[日号])"), r"\1月\2\3月"),
    (re.compile(r"\b(?:ordered|bought|purchased|shopped)(?: from us)? (more than|over|at least|no less than|exactly|fewer than|"
                r"less than|under|at most|no more than) (?:(\d+) times?|twice)\b"),
     lambda m: f"placed {m[1]} {m[2] or '2'} orders"),
    (re.compile(r"\b(?:ordered|bought|purchased|shopped)(?: from us)? (\d+) (?:or more |\+ ?)times\b"),
     r"placed at least \1 orders"),
    (re.compile(r"\b(?:ordered|bought|purchased|shopped)(?: from us)? (?:(\d+) times|(twice)) (?:or more|and more|or above)\b"),
     lambda m: f"placed at least {m[1] or 2} orders"),  # "bought twice or more", "ordered 3 times or more"
    (re.compile(r"\b(?:came back (?:and |to )?)?(?:placed|made) (?:a |their )?(?:second|2nd|repeat) (?:order|purchase)\b"
                r"|\b(?:came back and )?(?:ordered|bought|purchased|shopped) again\b"), "placed at least 2 orders"),
    (re.compile(r"\b(?:only |just )?(?:ordered|bought|purchased|shopped)(?: from us)? (?:(?:only|just|exactly) )?"
                r"(?:once|one time)\b(?! or)"), "placed exactly 1 orders"),
    (re.compile(r"\b(?:made|completed|had|did|placed) (more than|over|at least|no less than|fewer than|less than|under|"
                r"at most|no more than|exactly) (\d+) (?:purchases|transactions)\b"), r"placed \1 \2 orders"),
    (re.compile(r"(?<!平均)(?<!人均)每单(?:的)?(?:平均)?(?=[\u4e00-\u9fff])"), "每个订单的平均"),
    # "平均日订单量", "平均月销售额": per day / month, before a count or amount word only ("平均月费", a
    # monthly fee, and "日活" are names of their own)
    (re.compile(r"平均(?:的)?([日周月])(?=销售|订单|单量|下单|销量|成交|收入|营收|买家|购买|新客|新增|注册|花费|消耗|点击|曝光|访问|会话|gmv)"),
     r"平均每\1"),
    (re.compile(r"(只|仅仅|仅|就)?(?:下单|下了单|下过单|下过|购买过|购买了|购买|购物|买过|买了|买|消费过|消费)"
                r"(超过|多于|大于|至少|不少于|不到|少于|不超过|不止)?(\d+)次单?(以上|及以上|或以上|以下|及以下)?"),
     lambda m: f"订单数{_times_op(m[1], m[2], m[4])}{m[3]}{m[4] or ''}"),
]


def _times_op(only: str | None, said: str | None, after: str | None) -> str:
    """"买了不止1次": more than once; "只买过1次": exactly once; "买了3次以上": as said."""
    if said == "不止":
        return "超过"
    if said is None and only and not after:
        return "等于"
    return said or ""
"""Abbreviations marketers type ("didn't": did not, "hw": how, "whts": what, "lst month": last month, "thru": through, "how many times does a buyer order": orders per buyer, "thx a lot": thx, "last wk", "past 7d", "H1 2025", "# of", "ppl", "chnl", "how'd", "conv
rate", "rev", "last qtd", "l7d", "yday", "lw", "lm", "lq", "ly", "last q", "did we move": sold, "contribution to revenue": share of revenue), the spoken day of a month ("11月1号": 11月1日) and a range's month said once
("11月1日到11日": to 11月11日), a range of months whose first month is said once ("1到10月": 1月到10月)
and how often people bought ("bought more than 3 times", "下单超过3次": a number of orders); "每单收入",
"每单平均销售额": per order, as "每个订单的平均…" reads it."""


def expand_shorthand(text: str) -> str:
    """Spell out period abbreviations in normalised question text."""
    patterns = _ANY_SHORTHAND.patterns
    if not any(patterns[index].search(text) for index in _ANY_SHORTHAND.candidates(text)):
        return text  # no pattern matches the text, so none changes it (most questions: a few searches)
    for pattern, replacement in _SHORTHAND:
        text = pattern.sub(replacement, text)
    return text


_ANY_SHORTHAND = ScreenedGroup([pattern for pattern, _ in _SHORTHAND])
"""Which shorthand patterns may match a text, in one look (``genbi.screened``)."""


def blank_taken(text: str, taken: Sequence[bool], fill: str = " ") -> str:
    """``text`` with each character whose ``taken`` is true replaced by ``fill``:
    ``"".join(fill if taken[i] else ch for i, ch in enumerate(text))``, without the join when
    nothing is taken."""
    if len(taken) < len(text):  # as the join would: taken[i] out of range
        return "".join(fill if taken[i] else ch for i, ch in enumerate(text))
    if True not in taken[:len(text)]:
        return text
    return "".join([fill if flag else ch for ch, flag in zip(text, taken, strict=False)])


def chinese_number(numeral: str) -> int:
    """Value of a run of Chinese numerals: 三十 → 30, 十一 → 11, 二〇二五 → 2025."""
    if all(ch in _DIGITS for ch in numeral) and len(numeral) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total, current = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


_EN_WORD = re.compile(r"[A-Za-z]{2,}")


def language_of(text: str) -> str:
    """'zh' when Chinese carries the question, else 'en'. A Chinese name inside an English
    sentence ("revenue on 双11 by channel", "sales of 小红书 campaigns") keeps it English: the
    answer is read in the language of most of its words (about two characters a word)."""
    characters = len(_CJK.findall(text))
    if not characters:
        return "en"
    words = len(_EN_WORD.findall(text))
    return "en" if words >= 2 and words * 2 > characters else "zh"
