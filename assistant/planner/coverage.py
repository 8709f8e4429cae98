"""Coverage: every content word of a question is explained, or it is reported as unknown.

The last pass of reading a question. Whatever the earlier passes understood (metrics,
dimensions, values, periods, cues) is ``taken``; what is left must be a function word,
politeness or filler ("pls", "would you mind", "麻烦", "谢谢"). Anything else is a word the
planner did not understand, and an ignored word may change the number ("on rainy days",
"下雨天", "90后"), so the assembler declines on it rather than answering a bigger question.

Chinese has no spaces: the leftover text is segmented with jieba and a word is explained
only when it is *entirely* made of filler entries, so a filler character inside an unknown
word ("下" and "天" in "下雨天") no longer hides it. English words are explained by the
stop/filler list; short words are no longer skipped for being short ("wk", "yr" are read as
periods by ``text.expand_shorthand``; an unknown two-letter word declines).
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

from genbi.assistant.planner import cues
from genbi.assistant.planner.text import blank_taken, normalize
from genbi.screened import Screened

POLITE_EN = frozenset(
    ["thanks", "thank", "thx", "ty", "tks", "pls", "plz", "please", "kindly", "mind", "wondering", "wonder", "curious", "checking", "check", "sorry", "bother", "chance", "hey", "hi", "hello", "team", "guys", "folks", "cheers", "appreciate", "appreciated", "appreciate", "help", "asap", "lmk", "quick", "q", "u", "ur", "pull", "pulling", "grab", "grabbing", "fetch", "get", "gimme", "give", "run", "running", "wanna", "gonna", "gotta", "just", "real", "quick", "one", "question", "was", "were", "am", "is", "are", "be", "been", "could", "would", "can", "will", "may", "might", "should", "shall", "do", "does", "did", "yo", "dear", "wonderful", "great", "happen", "happened", "know", "tell", "telling", "let", "see", "able", "possible", "if", "okay", "ok", "sure", "again", "actually", "basically", "roughly", "approximately", "approx", "about", "around", "exactly", "exact", "precisely", "like", "number", "numbers", "figure", "figures", "stat",
     "ever", "something", "anything", "money", "attached", "assigned", "linked", "associated", "tied", "got", "yet", "still"]
)
"""Politeness and conversational filler: never a reason to decline."""

VERBS_EN = frozenset(["sold", "sell", "sells", "selling", "given", "giving", "offered", "pay", "paying", "pays", "earn", "earned", "earning", "bring", "bringing", "brings", "make",
                      "making", "makes", "spend", "spends", "went", "go", "goes", "going", "look", "looks", "looked", "worth",
                      "shown", "served", "displayed", "collected", "collect", "collecting", "charged", "billed",
                      "reached", "reaching"])
"""Verbs that only carry the question ("how much did we pay per conversion"): the metric
words around them say what is computed."""

SHORT_EN = frozenset(
    ["a", "i", "u", "r", "an", "as", "at", "be", "by", "do", "go", "hi", "if", "in", "is", "it", "me", "my", "no", "of", "ok", "on", "or", "so", "to", "up", "us", "we", "vs", "am", "pm", "hey", "the", "s", "t", "d", "ll", "re", "ve", "m"]
)
"""Short English words that carry no meaning for a query."""

FILLER_ZH = frozenset(
    {
        *cues.STOPWORDS_ZH,
        "麻烦", "谢谢", "多谢", "谢", "谢啦", "谢谢啦", "多谢啦", "谢谢您", "感谢", "辛苦", "辛苦了", "帮忙", "帮", "帮我", "拉", "拉一下", "列", "列一下", "列个", "列下", "取", "取一下", "跑", "跑一下",
        "我", "我们", "你", "您", "想", "想要", "要", "了解", "知道", "想知道", "老板", "领导", "同事", "一下", "下", "呀",
        "哦", "嘛", "啦", "哈", "呗", "哇", "吧", "请", "问", "请问", "查", "查查", "看", "看看", "瞧", "瞧瞧", "给", "出",
        "具体", "大概", "大约", "左右", "目前", "现在", "当前", "水平", "怎么样", "如何", "咋样", "咋", "啥", "什么",
        "情况", "多少", "几", "多", "少", "能", "能否", "可以", "可否", "是否", "会", "还", "又", "再", "就", "才",
        "总共", "共计", "一共", "到底", "究竟", "呢", "吗", "么", "嗯", "好", "好的", "ok", "一个", "个", "些", "这些",
        "那些", "每", "各", "之", "其", "被", "把", "将", "对", "向", "以", "为", "于", "由", "从", "到", "至", "及",
        "该", "本", "整个", "整", "共", "数", "数字", "数值", "金额", "结果", "报表", "报告", "汇报", "对比", "比",
        "比较", "怎样", "下降", "上升", "增长", "变化", "多久", "怎么", "哪", "哪些", "哪个", "是", "有", "没有",
        "端", "买", "买过", "人", "人数", "走", "走到", "步", "这一步", "一步", "为止", "目前为止", "截至", "截止", "到现在",
        "占", "数量", "数目", "总额", "总量", "总计", "统计", "效果", "表现", "成绩", "当月", "当周", "当年", "当季", "下单", "下过", "次", "及以上", "以上", "以下", "达到", "累计", "所有人",
        "历史上", "有史以来", "史上", "任何", "东西", "买东西", "买过东西", "过", "涨", "跌", "涨了", "跌了", "上涨", "下跌", "还是",
        "投", "投了", "主要", "来", "来的", "里面", "当中",
        "卖出", "卖出了", "卖出去", "售出", "售出了", "卖掉", "卖掉了",  # "卖出的件数": the verb carries the question
        "拆开", "分开", "拆开看", "分开看",  # "按渠道拆开": a breakdown (``cues.GROUP_AFTER``)
        "百分之几", "百分之多少",  # "占总数的百分之几": the share cue (``cues.SHARE``) reads it
        "比例", "比重", "占比",  # "各占多少比例": the share cue reads them too
        "张", "位", "名", "笔",  # measure words of "多少张发票", "几位客户", "多少笔交易": the noun after them is counted
    }
)
"""Chinese function words, politeness and filler (full words; see ``_explained``)."""

_UNKNOWN_GENERATION = re.compile(r"\d{2}后")
""""90后", "00后": a birth cohort; only a model that defines it can read it."""


def unknown_words(text: str, taken: list[bool]) -> list[str]:
    """Content words of ``text`` that no pass explained (``taken`` marks explained chars)."""
    free = _split_count_words(text, taken, blank_taken(text, taken))
    unknown = _unknown_breakdowns(free)
    cohorts = [m.group() for m in _UNKNOWN_GENERATION.finditer(free)]
    free = _UNKNOWN_GENERATION.sub(" ", free)
    free = _without_digit_fillers(free)
    if _DIGIT.search(free):  # every condition holds a digit (``\d+``): most texts left have none
        free = _NUMERIC_CONDITION.sub(" ", free)
    free = cues.CUE_WORDS.sub(" ", free)
    free = cues.AVERAGE.sub(" ", free)
    free = _others_after_exclusion(text, free)
    for word in cohorts + _qualified_purchases(text, taken) + _paid_with(text, taken) + _unknown_english(free) \
            + _unknown_chinese(free):
        if not any(word in u for u in unknown):
            unknown.append(word)
    return unknown


_PAY_AFTER_WORD = re.compile(r"\b([a-z][a-z0-9]*) ?pay\b")
_PAYER = re.compile(r"\b(?:did|does|do|will|would|to|we|they|i|you|customers?|buyers?|people|users?|shoppers?|members?)$")
"""Who pays, said right before "pay" or before its subject ("did tmall pay"): the verb."""


def _paid_with(text: str, taken: list[bool]) -> list[str]:
    """"orders paid with wechat pay", "apple pay orders": a word of the model said before "pay" names
    a way to pay (a wallet), not that member ("wechat", the marketing channel): answered, the rows
    of the channel would stand for the payments, so the phrase stays unexplained. "how much did
    tmall customers pay" keeps its verb."""
    out = []
    for match in _PAY_AFTER_WORD.finditer(text):
        start, end = match.span(1)
        if any(taken[start:end]) and not _PAYER.search(text[:end]) and not _PAYER.search(text[:start].rstrip()):
            out.append(match.group(0))
    return out


_EXCLUSION_ZH = re.compile(r"除(?!以)|不含|不包含|不包括|不计|排除|去掉")
"""An exclusion said in normalised text ("除了" reads "除"; "除以" divides)."""
_OTHERS_ZH = re.compile(r"其他|其它|其余|别的|剩下的?|剩余的?")


def _others_after_exclusion(text: str, free: str) -> str:
    """"除了京东，其他渠道一共卖了多少": after an exclusion, "the others" are the members left,
    which the exclusion's filter already keeps; without an exclusion "其他" names no members
    and stays unknown (reading it as every member would answer a bigger question)."""
    if not _OTHERS_ZH.search(free) or (excluded := _EXCLUSION_ZH.search(text)) is None:
        return free
    chars = list(free)
    for match in _OTHERS_ZH.finditer(free, excluded.end()):
        chars[match.start():match.end()] = " " * (match.end() - match.start())
    return "".join(chars)


_QUALIFIED_PURCHASE = re.compile(
    r"\b(?P<q>first|second|third|1st|2nd|3rd|initial|repeat|returning|recurring|last)(?:[ -]time)?\s+"
    r"(?:orders?|purchases?|transactions?|invoices?|baskets?|buyers?|customers?|shoppers?)\b"
    r"|(?P<zh>(?:首次|首|复购|二次|回头|老|第\d次|头\d[次回]))(?:下单|购买|买|消费|订单|单|购|客)"
)
"""Which purchases: "first orders", "repeat customers", "首单", "老客". A model without that
distinction would answer for every order (the qualifier is a stopword or unread); a model
that has it reads the whole phrase as its term, which takes the words first."""


def _qualified_purchases(text: str, taken: list[bool]) -> list[str]:
    out = []
    for match in _QUALIFIED_PURCHASE.finditer(text):
        group = "q" if match.group("q") else "zh"
        start, end = match.span(group)
        if not any(taken[start:end]):
            out.append(match.group(0))
    return out


_COUNT_WORDS = ("数量", "数目")
"""Ways to say "the number of"; a term ending in 数 ("新客数", "订单数") takes the first
character, so "新客数量" leaves a lone "量" that only finishes the count word."""


def _split_count_words(text: str, taken: list[bool], free: str) -> str:
    chars = list(free)
    for word in _COUNT_WORDS:
        for match in re.finditer(word, text):
            head, tail = match.start(), match.start() + 1
            if taken[head] and not taken[tail]:
                chars[tail] = " "
    return "".join(chars)


_NUMERIC_CONDITION = re.compile(
    r"(?:\b(?:more|less|fewer|greater|higher|lower|bigger|smaller) than |\b(?:over|under|above|below|at least|at most|"
    r"up to|exceeding|beyond|min|max) |超过|大于|小于|低于|高于|不少于|不低于|不超过|多于|少于|满|达到|至少|最多)?"
    r"[¥$￥]?\s?\d+(?:[.,]\d+)?\s?(?:k\b|w\b|万|千|元|块钱?|rmb\b|yuan\b|%)?"
    r"(?:\s?(?:次|单|笔|件|个|元|块)?(?:以上|以下|及以上|及以下|或以上|或以下|\+))?"
)
"""A number no pass explained, with the comparison around it ("more than 5", "over ¥500",
"超过3次"): a condition the model cannot express, never a word to drop (the number would
be the whole, not the part the question asked about)."""

_DIGIT = re.compile(r"\d")
r"""What every ``_NUMERIC_CONDITION`` match consumes (the same ``\d``: any Unicode digit)."""


_PERIOD_WORD = Screened(
    r"\b(?:last|past|previous|prior|recent|recently|latest|lately|ago|since|until|till|so far|earlier|"
    r"that (?:day|week|month|quarter|year|period|time))\b|最近|近期|以来|前段时间|这段时间|那段时间|当时|那时|那周|那个月|那天"
    r"|[上近前]?\d+ ?个?(?:天|日|周|星期|月|季度|年)(?!龄|级)"  # "上0个月": a count of periods no period was read from
    r"|(?:周|星期|礼拜)(?:[1-7]|日|天)(?!\d)"  # "周一的订单": which Monday? (it was all-time, the day dropped)
)


def numeric_conditions(text: str, taken: list[bool]) -> list[str]:
    """Numbers no pass explained, with the comparison around them ("more than 5", "over
    ¥500", "超过3次"). A bare 1 ("one row per year", "a quick one") and "at least 1" (any)
    are not conditions."""
    free = _without_digit_fillers(blank_taken(text, taken))
    found: list[str] = []
    if not _DIGIT.search(free):  # every condition holds a digit (``\d+``)
        return found
    for match in _NUMERIC_CONDITION.finditer(free):
        said = match.group().strip()
        number = re.search(r"\d+(?:[.,]\d+)?", said)
        if number and number.group() in {"0", "1"} and (said == number.group() or said.startswith("at least")):
            continue
        found.append(said)
    return found


def condition_number(said: str) -> float | None:
    """The number in a condition ("超过3次" → 3.0)."""
    number = re.search(r"\d+(?:\.\d+)?", said.replace(",", ""))
    return float(number.group()) if number else None


def _without_digit_fillers(free: str) -> str:
    """"拉1下", "1共": numerals the normaliser folded inside filler words are filler."""
    if _FILLER_DIGITS.isdisjoint(free):
        return free  # every such filler holds one of these digits
    for word in _FILLER_WITH_DIGITS:
        free = free.replace(word, " ")
    return free


_FILLER_WITH_DIGITS = sorted({normalize(w) for w in (*cues.STOPWORDS_ZH, *FILLER_ZH) if any(c.isdigit() for c in normalize(w))},
                             key=len, reverse=True)
_FILLER_DIGITS = frozenset(ch for word in _FILLER_WITH_DIGITS for ch in word if ch.isdigit())


def unread_period_words(text: str, taken: list[bool]) -> list[str]:
    """Period words left over when no period was read ("revenue so far", "sales that week",
    "最近的订单"): the question names a period the planner could not place, and answering
    over all time would be a confident wrong number."""
    free = blank_taken(text, taken)
    return [m.group() for m in _PERIOD_WORD.finditer(free) if not _ATTRIBUTION_TOUCH.match(text, m.end())]


_ATTRIBUTION_TOUCH = re.compile(r" ?(?:click|touch|non direct|interaction)")
""""last click", "last touch": an attribution model, not a period."""


def _unknown_english(free: str) -> list[str]:
    out = []
    for token in re.findall(r"[a-z][a-z'’]*", free):
        token = token.strip("'’")
        if not token or (token.endswith("'s") and _known_en(token[:-2])):
            continue
        if not _known_en(token):
            out.append(token)
    return out


def _known_en(token: str) -> bool:
    stems = {token, token.rstrip("s"), token.removesuffix("ing"), token.removesuffix("ed"), token.removesuffix("'s")}
    if len(token) < 3:
        return token in SHORT_EN or token in cues.STOPWORDS_EN or token in POLITE_EN
    return any(s in cues.STOPWORDS_EN or s in POLITE_EN or s in VERBS_EN for s in stems)


FILLER_TYPO_TARGETS = frozenset(
    ["total", "totals", "please", "thanks", "thank", "overall", "amount", "number", "numbers", "figure", "figures",
     "could", "would", "kindly", "quickly", "hello", "summary", "entire", "whole", "altogether", "combined"]
)
"""Filler a typo may stand for ("totl", "pleae", "ovrall"): words that never change a query.
Meaningful stopwords (periods, rankings, negations: "mnth", "exluding") are not among them: a
typo of one must not be read as nothing."""


def filler_typo(word: str) -> str | None:
    """The filler word ``word`` is one slip away from (a letter dropped, added, changed or two
    swapped), for words of at least four letters; None otherwise."""
    if len(word) < 4 or not word.isascii() or word in FILLER_TYPO_TARGETS:
        return None
    close = [t for t in FILLER_TYPO_TARGETS if _one_slip(word, t)]
    return min(close) if len(close) == 1 else None


PERIOD_TYPO_TARGETS = frozenset({
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "quarter", "quarters", "quarterly", "month", "months", "monthly",
    "weekend", "weekends", "weekly", "yesterday", "today", "fortnight", "daily", "yearly", "annual",
    "previous", "current",
})
"""Period words a typo may stand for ("quater", "octobr", "mnoth"): read as the word, with a
note, rather than declined as unknown (or, worse, the period dropped)."""


PERIOD_QUALIFIERS = frozenset({"early", "earlier", "late", "later", "latter", "middle", "mid"})
"""Words one slip from a period word that mean something of their own ("early december" is no
"yearly december"): never corrected, so a part of a period the planner cannot read is declined."""


def period_typo(word: str) -> str | None:
    """The period word ``word`` is one slip away from, for words of at least four letters."""
    if len(word) < 4 or not word.isascii() or word in PERIOD_TYPO_TARGETS or word in PERIOD_QUALIFIERS:
        return None
    close = [t for t in PERIOD_TYPO_TARGETS if _one_slip(word, t)]
    return close[0] if len(close) == 1 else None


def _one_slip(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _unknown_chinese(free: str) -> list[str]:
    out = []
    for run in re.findall(r"[\u3400-\u9fff]+", free):
        if all(ch in FILLER_ZH for ch in run):
            continue  # every word of any segmentation is made of filler characters: no jieba load
        for word in _segment(run):
            if not _explained(word):
                out.append(word)
    return _merge_adjacent(out, free)


def _merge_adjacent(words: list[str], free: str) -> list[str]:
    """Report "下雨天" rather than "下雨", "天" when both halves are unknown and adjacent."""
    merged: list[str] = []
    for word in words:
        if merged and merged[-1] + word in free:
            merged[-1] += word
        else:
            merged.append(word)
    return merged


@cache
def _explained(word: str) -> bool:
    """A word made entirely of filler entries (longest first), e.g. "帮我查一下"."""
    if word in FILLER_ZH:
        return True
    return any(word.startswith(f) and _explained(word[len(f):]) for f in _FILLER_BY_LENGTH if len(f) < len(word))


_FILLER_BY_LENGTH = sorted(FILLER_ZH, key=len, reverse=True)


def _segment(run: str) -> list[str]:
    return [w for w in _tokenizer().lcut(run) if w.strip()]


def ready_tokenizer() -> None:
    """Load the Chinese tokenizer now (a serving process, before its first question)."""
    _tokenizer()


@cache
def _tokenizer() -> Any:
    """jieba's tokenizer, loaded once (its dictionary takes about a second)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in FILLER_ZH:
        if len(word) > 1:
            tokenizer.add_word(word)
    return tokenizer


_BREAKDOWN_NOUN = re.compile(
    r"(?:各个?|每个?|按照?|哪个|哪些|哪1个|不同)(?![个照]|占|花|卖|赚|贡献|带来|消费|产生|获得)((?:(?!的)[\u3400-\u9fff]){2,8}?)"
    r"(?:的|之间|分别|\s|$)"
)
""""各门店", "哪个省份": a breakdown cue and its noun; "各占多少", "各花了多少" (each … how much, ``cues.EACH``) name none."""


def _unknown_breakdowns(free: str) -> list[str]:
    """Words after a breakdown cue ("哪个省份", "各门店") that nothing understood: the
    question asks to split by something the model lacks, so it must not be answered as a
    total. Fillers among them ("各个时间段") don't count."""
    out = []
    for match in _BREAKDOWN_NOUN.finditer(free):
        word = match.group(1)
        rest = word
        for filler in sorted(cues.STOPWORDS_ZH, key=len, reverse=True):
            rest = rest.replace(filler, "")
        if rest:
            out.append(word)
    return out
