"""Language knowledge the planner needs besides the model: cue words, in both languages.

These are about how people ask (group by, rank, exclude, follow up), never about what a
particular warehouse holds; everything warehouse-specific comes from the semantic model.
All patterns run on text already passed through ``text.normalize``.
"""

from __future__ import annotations

import re
from typing import Any

from genbi.screened import Screened

# Words that introduce a breakdown: "by X", "per X", "按X", "各X", "每个X", "分X".
GROUP_BEFORE = re.compile(
    r"(?:\b(?:by|per|for each|for every|each|every|across|split by|broken down by|breakdown by|"
    r"break down by|grouped by|group by|segmented by|across all|for all|among|of each|of every|"
    r"for the different|by each|by their|by customer|by the)\s+(?:different\s+|each\s+|the\s+|their\s+|customer\s+|our\s+|all\s+)?)$"
    r"|(?:按照?|各个?|每个?|每一个|分|不同|以|根据|各家|哪个|哪些|哪一个|哪家|哪类|哪种|哪1个|哪1类|哪1种)\s?$"
)
GROUP_AFTER = re.compile(
    r"^\s?(?:breakdown|split|wise|level|by\b)|^(?:分别|各自|的分布|分布|拆分|拆开|分开|维度|来看|看|排名|排行)"
)
WHICH = re.compile(r"\b(?:which|what)\s+$")

# Ranking: top / bottom N, highest, lowest, rank.
TOP_N = re.compile(
    r"(?<![a-z0-9])(?:top|best|highest|largest|biggest|leading|which|what)\s?(\d+)(?![\d.,%a-z])|\b(\d+) (?:best|top|highest|largest|biggest|leading)\b"
    r"|(?<!倒数)前(\d+)(?:名|个|位|大)?|(?:最高|最多|最大|最好)的?(\d+)(?:个|名|位|家|款)?|排名前(\d+)"
)
BOTTOM_N = re.compile(
    r"(?<![a-z0-9])(?:bottom|worst|lowest|smallest|(?<!\bat )least|fewest)\s?(\d+)(?![\d.,%a-z])|\b(\d+) (?:worst|lowest|smallest|weakest)\b"
    r"|倒数前?(\d+)(?:名|个|位)?|后(\d+)(?:名|个|位)|(?:最低|最少|最小|最差)的?(\d+)(?:个|名|位|家|款)?|排名后(\d+)"
)
HIGHEST = re.compile(
    r"\b(?!most recent|most recently)(?:highest|most|best|largest|biggest|top|maximum|max|leading|strongest|greatest|more|fastest|quickest|busiest|peak)\b|最高|高峰|峰值|最旺|最快|高吗|多吗|最多|最大|最好|最强|第1|冠军|最赚钱|领先|更高|更多|更大|更好|较高|较多|higher|bigger|larger|better"
)
LOWEST = re.compile(
    r"\b(?:lowest|least|worst|smallest|fewest|bottom|minimum|min|weakest|slowest|quietest)\b|最低|低谷|最淡|最慢|低吗|少吗|最少|最小|最差|最弱|垫底|更低|更少|更小|更差|较低|较少|lower|smaller|fewer|worse"
)
_HIGH_END = r"(?:highest|largest|biggest|most|best|top|greatest|strongest|high|big|large)"
_LOW_END = r"(?:lowest|smallest|least|fewest|worst|bottom|weakest|low|small)"
# Both ends of an order said: "best first", "biggest on top", "best to worst", "从多到少",
# "降序" — every row, ordered (was: "best" alone read as the one best row).
RANK = re.compile(
    rf"\b(?:rank|ranked|ranking|sort|sorted|order by|ordered by|leaderboard|(?:{_HIGH_END}|{_LOW_END}) (?:first|on top|at the top)|"
    rf"in (?:descending|ascending) order|descending|ascending|{_LOW_END} to {_HIGH_END}|{_HIGH_END} to {_LOW_END})\b"
    r"|排名|排行|排个?名|排一下|排个?序"
    r"|(?:按照?)?[从由](?:高到低|低到高|大到小|小到大|多到少|少到多|好到差|差到好)(?:排序|排列|排名|排)?|降序|升序|倒序"
)
ASCENDING = re.compile(
    rf"\b(?:ascending|from low to high|{_LOW_END} (?:first|on top|at the top)|{_LOW_END} to {_HIGH_END})\b"
    r"|从低到高|从小到大|升序|由低到高|由少到多|从少到多|[从由]差到好"
)
# "which 3 …", "what 5 …": a count with no direction of its own.
NEUTRAL_N = re.compile(r"\b(?:which|what)\b")
# A count before the ranked noun: "the 2 cities with the fewest", "订单最少的3个城市".
COUNTED_NOUN = re.compile(
    r"(?:^|\bthe |\b)(\d{1,3}) (?!days?\b|weeks?\b|months?\b|quarters?\b|years?\b|percent|%)(?=[a-z])"
    r"|(\d{1,3}) ?(?:个|名|家|款|位|类|种|大)(?!月|季度|星期|小时)"
)

# Exclusions: "excluding offline stores", "除了线下门店", "不含天猫".
NEGATION = re.compile(
    r"\b(?:excluding|exclude|excludes|except|except for|without|other than|not in|not from|not|"
    r"apart from|besides|minus|leaving out|ignoring|ignore|omitting|non|(?:everywhere|anything|everything|all|any|every)(?: [a-z][a-z_'-]*){0,3} but|"
    r"outside(?: of)?|aside from|drop|remove|take out|filter out|leave out|hide)\s*(?:(?:the|our|all)\s+)?$"
    r"|\b(?:excluding|exclude|excludes|except|except for|without|other than|apart from|besides|minus|ignoring|"
    r"not counting|not including|leaving out|omitting|aside from)\s(?:(?:the|our|all|any)\s)?"
    r"(?:(?:customers?|people|users?|buyers?|shoppers?|members?|orders?|sales|purchases|those|ones|anyone|anything|"
    r"everything|everyone|spend|signups?)\s(?:(?:who|that)\s(?:are|were|is|was|live|lives|came|come)\s)?"
    r"(?:(?:placed|made|based|located)\s)?)?"  # "except from tier 3": no noun between
    r"(?:from|in|on|at|via|through|thru)\s(?:the\s)?$"
    r"|\b(?:not counting|not including)\s(?:(?:the|our|all)\s+)?$"
    r"|\b(?:not|never)\s(?:(?:been|be|get|got|come|came|coming|go|gone|went|bought|buy|purchased|ordered|order|sold|"
    r"placed|made|happen|happened|arrive|arrived|use|used|booked|done|spent|spend)\s)?(?:from|through|thru|via|on|in|at|with|by|to|into)\s"
    r"(?:(?:the|our|an?)\s)?$"
    r"|(?:除了|除去|除|不含|不包含|不包括|不计|排除|剔除|去掉|去除|刨除|扣除|非|不是|不算|不要|不看|不要没有)\s?$"
    r"|(?:没有?|未|不是?)(?:通过|经过|经由|走|用|使用|在|从|来自)\s?$"
)
# A yes/no said as no: "no loan", "without a partner", "did not churn", "non-churned", "未流失", "没有房贷".
FLAG_NOT = re.compile(
    r"\b(?:no|not|non|without|never|did not|didn't|does not|doesn't|do not|don't|has not|hasn't|have not|"
    r"haven't|had not|hadn't|is not|isn't|are not|aren't|was not|wasn't|were not|weren't)"
    r"(?:\s*-\s*|\s+)(?:(?:a|an|the|any|have|has|had|get|got|been)\s+)?$"
    r"|(?:没有|未|无|不|非|没)\s?$"
)
NEGATION_AFTER = re.compile(
    r"^\s?(?:以外|之外|外的|除外|excluded|not included|left out|removed|aside)"
)

# A list of values to be shown one by one: "Beijing and Shanghai separately", "分别".
EACH = re.compile(
    r"\b(?:each|separately|respectively|individually|one by one|side by side|per (?:one|item)|one row (?:per|for) each|one row per|"
    r"for each of (?:them|these|those)|broken out)\b|分别|各自|逐个|每个都"
    r"|各(?=花|卖|买|下单|有|是|占|多少|几|赚|带来|贡献|消费|产生|拉来|获得)"
)
""""separately", "分别", "小红书和抖音各花了多少": listed members shown one by one."""
# "across all channels", "所有渠道": the total over a dimension, not a breakdown.
ALL_OF = re.compile(r"(?:\b(?:across|over|for|from|in|of)?\s?all(?: of)?(?: our| the| its)?|\bany|\bevery single|所有|全部|全体|整体|总体|全)\s?$")
# Articles and possessives before a dimension noun: "our campaigns" names no breakdown.
DETERMINER = re.compile(r"\b(?:our|the|a|an|its|their|any|some|this|that|these|those|my|your)\s$")
# Chinese verbs after a dimension noun that make it a subject, not a breakdown.
SUBJECT_AFTER = re.compile(r"^\s?(?:带来|产生|贡献|获得|拿到|投放的|花的)")
# Words that ask for an average: redundant before a ratio metric ("average order value").
AVERAGE = re.compile(r"\b(?:average|avg|mean|typical)\b|平均|均值|人均|单均")

# Follow-ups that edit the previous question.
FOLLOWUP = re.compile(
    r"^(?:and |now |ok |okay |then |so |also |same |just |only |but |instead |what about|how about|and what about|"
    r"for (?!each\b|every\b|all\b)|"
    r"same for|same but|(?:do )?the same\b|show (?:it|that|me that|this) |break (?:it|that) |split (?:it|that) |"
    r"do (?:it|that) |make it |switch to|change (?:to|it)\b|compare|drill|filter)"
    r"|^(?:of (?:those|them|these)|among (?:those|them|these)|(?:how many|which) of (?:those|them|these))\b"
    r"|^(?:那|那么|再|换成|改成|换为|改为|只看|仅看|只要|只|仅|那就|然后|再看|再按|换|改|按照?|加上|去掉|也|同样|看看"
    r"|其中|这些人?里|这些人?中|他们中|他们里|这里面|里面)"
    r"|(?:呢|instead)\s*[?？]?$"
)
# A follow-up that swaps what is shown, said as a verb: "switch to ROAS", "can you swap it to
# orders?", "same thing but for Q3", "改看ROAS", "切换到订单数". The verb edits the previous
# question; only at the start, so "customers who switched to jd" keeps its (unknown) verb.
SWITCH_TO = re.compile(
    r"^(?:(?:can|could|would) (?:you|u) (?:please |pls )?|please |pls |ok |okay |now |and |then |so )*"
    r"(?:(?:switch|swap|flip|change|turn|move)(?: (?:it|that|this|the (?:metric|number|numbers|chart|table)|over|back))*"
    r" (?:to|into|for)\b|(?:the )?same (?:thing|one|query|question|table|chart|breakdown|again)(?: but| for| with)?\b)"
    r"|^(?:改看|换看|切换到|切换成|切换为|切到|切成|换到)"
)
# Politeness around a question: stripped before the follow-up cues, which are anchored at
# the start or end ("千次曝光成本呢，谢谢！", "hi, could you tell me what about orders?").
POLITE_HEAD = re.compile(
    r"^(?:(?:hi|hey|hello|ok|okay|please|pls|plz|sorry|thanks)\b[\s,!-]*|(?:(?:could|can|would) (?:you|u) "
    r"(?:please |pls )?(?:tell|show|give|get|pull) (?:me|us)\b[\s,]*)|(?:请问|麻烦|劳驾|帮我|帮忙)\s?)+"
)
POLITE_TAIL = re.compile(
    r"(?:[\s,，]*(?:please|pls|plz|thanks|thank you|thx|ty|cheers|谢谢|多谢|感谢|麻烦了|麻烦|辛苦了|辛苦)[\s!！.。,，~-]*)+$"
)


def without_politeness(text: str) -> str:
    """``text`` without greetings before it and thanks after it."""
    return POLITE_TAIL.sub("", POLITE_HEAD.sub("", text)).strip()


# The words that hand over from a story about the question to the question itself: "my boss
# wants a million things but the main one is just: spend in Q3", "说白了就是：上周GMV多少".
HANDOVER = re.compile(
    r"\b(?:the|my|our)\s(?:main|real|actual|key|big|1|only|first)\s(?:1|thing|question|ask|q|number)"
    r"(?:\s(?:rn|right now|for now|today|here))?\s(?:is|is just|is simply|is basically|'s|would be)(?:\s(?:just|simply|basically))?"
    r"|\b(?:all|what)\si\s(?:really\s|actually\s)?need\s(?:right now\s|rn\s|for now\s)?is(?:\sjust)?|\b(?:the|my)\s(?:1|only)\sthing\si\s(?:really\s)?need\s(?:right now\s|rn\s|for now\s)?is(?:\sjust)?"
    r"|\bmy\s(?:actual\s|real\s|main\s)?question\sis(?:\sjust)?|\bthe ask is(?:\sjust)?"
    r"|\b(?:long story short|tl;?dr|bottom line)"
    r"|主要是?想(?:问|知道|看)(?:一下)?|其实(?:就是)?想(?:问|知道|看)(?:一下)?|说白了?(?:就是)?|简单(?:来)?说(?:就是)?"
    r"|我?就想知道|核心(?:问题)?(?:就)?是|最想知道的(?:就)?是"
)
HANDOVER_END = re.compile(r"^\s?[:：,，\-—]*\s?")
# Words of a story about the asker's work ("my boss", "the QBR deck", "lots of meetings", "年底"):
# only a story told in them is passed over ("I'm on the dog food account, tl;dr: revenue" is not).
STORY_CUE = re.compile(
    r"\b(?:boss|manager|team|deck|slides?|meetings?|board|qbr|report|offsite|week|day|morning|monday|friday|"
    r"exec|execs|cmo|ceo|vp|director|stakeholders?|presentation|review|sync|standup)\b"
    r"|老板|领导|汇报|开会|会议|复盘|周报|月报|年报|ppt|年底|年终|事情|这周|今天|忙"
)
# Words that put a condition on the data: a story before a hand-over holding one is no story.
STORY_CONDITION = re.compile(
    r"\b(?:who|whose|which|that|where|with|without|from|among|only|except|excluding|but not|not|no|"
    r"customers?|users?|buyers?|shoppers?|people|members?|orders?|\w{2,}(?:ers|ents|ists|ees))\b"
    r"|客户|用户|买家|会员|的人|订单|只|不|没|除|之外|以外|主人|人群|群体|粉丝|家长|学生|人士|族"
)


ADD_METRIC = re.compile(r"\b(?:also|too|as well|add|plus|along with|together with)\b|加上|也看|同时|以及|还有|并且|也(?=去掉|排除|不要|剔除|去除|不看)")
ONLY = re.compile(r"\b(?:only|just|solely|exclusively)\b|只看|只要|仅看|仅|只")

# Out-of-scope intents: writes and actions genbi never takes.
WRITE_INTENT = re.compile(
    r"\b(?:delete|drop (?:(?:the|all|a|this|that|your)\s)?(?:\w+\s)?(?:tables?|database|schema|views?|columns?|rows|records|data)|^drop (?:table|database|schema|view)|"
    r"truncate|insert|update|alter|create table|remove all|wipe|send (?:an? )?(?:email|sms|message|push)|"
    r"email (?:all|every)|unsubscribe(?!\s+(?:rates?|ratio|counts?|numbers?|percentage|share))|change the|set the|modify|grant|revoke)\b"
    r"|删除|删掉|清空|修改|更新数据|插入|发送|群发|发短信|发邮件|推送给所有"
)

# Comparison to another period (YoY, MoM): answered as a trend with a note.
# Listed values set side by side: "tmall vs jd", "男性和女性的销售额对比" -> one row each.
VERSUS = re.compile(r"\b(?:vs\.?|versus|compare|compared (?:to|with)|comparing|against)\b|对比|相比|比较|比一比|比一下")

# A share of the total: "share of revenue by channel", "各渠道销售额占比", "what percentage of orders".
SHARE = Screened(
    r"\b(?:share|shares|proportions?|percentages?|percents?|pct|mix|split of|fractions?|portions?)\b|%\s?of\b|\bas %"
    r"|\bwhat\s?%\s*(?:is|are|was|were|for|of)?\s*(?:each|every|they|them|it)\b"
    r"|\bwhat\s?(?:%|percent|share|proportion)\s(?:of\s(?:them|those|these)\s)?(?:were|are|came|come)\b"
    r"|^\s*(?:and |now |show it |show |as )?in\s?%\s*$"
    r"|\b(?:cut|slice|chunk|piece)\sof\b"
    r"|占比|比例|比重|份额|构成|占了?多少|占总|占[^，。,？?]{0,6}?百分之(?:几|多少)"
    r"|(?:贡献|带来|来自|创造|拿下)了?的?(?:总)?(?:百分之(?:几|多少)|多少\s?%|几成)"
)
""""占比", "贡献了百分之多少的销售额": each row's share of the total ("增长了百分之多少" is growth);
"tmall's cut of revenue", "a slice of the orders": a part of the whole said as slang (it was
dropped as filler and answered tmall's own revenue, not its share); "among jd buyers, what % were
female": the part said after "what % were" (read without it, female jd buyers were counted). ("contribution" is read as
"share" by ``text.expand_shorthand``, except a contribution to a change.)"""

# Growth against the same period a year before, or against the period just before.
YEAR_ON_YEAR = re.compile(r"同比|\b(?:yoy|year over year|year-over-year|vs\.? last year|versus last year|"
                          r"compared (?:to|with) last year|than last year|from last year)\b|比去年|较去年|跟去年比|和去年比")
PERIOD_ON_PERIOD = re.compile(r"环比|\b(?:mom|qoq|wow|month over month|quarter over quarter|week over week|"
                              r"vs\.? (?:the )?(?:previous|prior) (?:month|quarter|week)|than the (?:previous|prior) "
                              r"(?:month|quarter|week))\b|比上个?月|比上周|比上个?季度|较上月|较上季度")

# "same month last year", "去年同期": the period moved back a year (read before the periods,
# so "last year" inside it is not a period of its own).
SAME_PERIOD_LAST_YEAR = Screened(
    r"\b(?:the )?same (?:period|time|month|quarter|week|day|days|dates?|time frame|timeframe|stretch) "
    r"(?:of |in |from )?(?:the )?(?:last|previous|prior|a|one) year(?: ago| before)?\b"
    r"|\b(?:the )?same (?:period|time|month|quarter|week) (?:a|one|the) year (?:before|earlier|ago)\b"
    r"|\b(?:a|one) year (?:before|earlier|ago)\b"
    r"|\b(?:this|that) (?:time|point|week|day) (?:last|a) year\b|\b(?:this|that) time a year ago\b"
    r"|去年同期|上年同期|去年的同期|同期|去年(?:的)?(?:这个|那个)?(?:时候|时间|此时|这时候?)"
)
ELLIPTICAL_BEFORE = re.compile(
    r"\b(?:vs\.?|versus|compared (?:to|with)|against|than)\s+(?:the\s+)?(?:last|previous|prior|preceding)\b"
    r"(?:\s+(?:one|1)\b)?(?!\s*(?:year|quarter|month|week|day|period|\d))")
""""this quarter vs last", "this year compared to the previous one": the unit left out is the
period's own, so the period before it is the base (it was dropped: the current period alone)."""

# "the quarter before", "前一个月": the period just before the one in question.
PERIOD_BEFORE = Screened(
    r"\b(?:the )?(?:month|quarter|week|weekend|year|day|period) before(?! last\b)(?! yesterday\b)(?: (?:that|it|this))?\b"
    r"|\b(?:the )?preceding (?:month|quarter|week|year|period)\b"
    r"|\b(?:the )?(?:previous|prior|preceding) \d+ (?:days|weeks|months|quarters|years)\b"
    r"|\b(?:the )?\d+ (?:days|weeks|months|quarters|years) (?:before|prior|earlier)(?! last\b)(?: (?:that|it|this))?\b"
    r"|(?:之前|此前|再往前)的?\d+(?:天|周|个?星期|个?月)"
    r"|(?:再往前|往前|再前|之前|前)1个?(?:周末|礼拜六日|双休日?)"
    r"|(?:^|那|跟|和|与|比|较|对比|再看)\s?(?:前|上)1个?(?:月|季度|周|星期|年)|上1期|上期"
)

COMPARISON = re.compile(
    r"\b(?:vs\.?|versus|compared (?:to|with)|compare|growth rates?|growth|grew|change|changed|yoy|mom|qoq|year over year|month over month|increase[sd]?|decrease[sd]?|decline[sd]?|drop(?:ped|s)?|grow|grows|growing|rose|fell|fallen)\b"
    r"|同比|环比|对比|相比|比较|增长|下降|变化|增幅|降幅"
)

# Words that carry no meaning for the query (after normalisation). English is tokenised on
# word boundaries; Chinese fillers are removed as substrings.
STOPWORDS_EN = frozenset(
    ["a", "about", "across", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "get", "give", "had", "has", "have", "having", "how", "i", "in", "into", "is", "it", "its", "let", "me", "my", "of", "on", "or", "our", "out", "over", "per", "please", "show", "so", "some", "tell", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "total", "up", "us", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "overall", "amount", "number", "numbers", "figure", "figures", "value", "values", "count", "counts", "much", "many", "level", "levels", "each", "every", "look", "looking", "see", "view", "list", "lists", "display", "report", "reports", "breakdown", "broken", "down", "split", "group", "grouped", "grand", "sum", "summary", "whole", "entire", "did", "done", "kindly", "quick", "quickly", "just", "now", "only", "ok", "okay", "hey", "hi", "hello", "thanks", "thank", "could", "would", "want", "wanted", "need", "needed", "know", "like", "find", "found", "pull", "pulled", "give", "gave", "compute", "computed", "calculate", "calculated", "what's", "whats", "how's", "hows", "we've", "i'd", "i'm", "im", "during", "period", "time", "times", "versus", "vs", "compared", "compare", "comparison", "between", "across", "among", "along", "within", "inside", "outside", "top", "bottom", "highest", "lowest", "most", "least", "best", "worst", "rank", "ranked", "ranking", "sort", "sorted", "order", "ordered", "first", "last", "latest", "recent", "descending", "ascending", "biggest", "largest", "smallest", "fewest", "more", "less", "greater", "lower", "higher", "max", "min", "maximum", "minimum", "leading", "strongest", "weakest", "which", "one", "ones", "them", "it's", "there's", "excluding", "exclude", "except", "without", "other", "than", "against", "not", "non", "apart", "besides", "minus", "ignoring", "ignore", "instead", "same", "also", "too", "well", "add", "plus", "together", "including", "include", "includes", "only", "solely", "exclusively", "across", "different", "various", "all", "trend", "trends", "trending", "over", "time", "series", "timeline", "monthly", "weekly", "daily", "yearly", "quarterly", "annual", "annually", "month", "months", "week", "weeks", "day", "days", "year", "years", "quarter", "quarters", "date", "dates", "since", "until", "till", "through", "thru", "starting", "beginning", "ending", "end", "start", "so", "far", "to-date", "customers'", "company's", "business", "store", "stores", "brand", "brand's", "performance", "performing", "perform", "has", "had", "have", "been", "got", "getting", "get", "make", "made", "generated", "generate", "bring", "brought", "drive", "driven", "come", "came", "from", "via", "through", "using", "used", "use", "based", "combined", "altogether", "together", "overall", "totals", "separately", "respectively", "individually", "row", "rows", "both", "inclusive", "included", "exclusive", "inclusively", "full", "whole", "entire", "entirety", "across", "everywhere", "showing", "breakdowns", "listing", "sliced", "slice", "cut", "break", "broke", "further", "unique", "distinct", "separate", "number", "figure", "tally", "count", "counting", "head", "headcount", "kpi", "kpis", "metric", "metrics", "stats", "statistics", "across", "along", "alongside", "respective", "corresponding", "relevant", "related", "associated", "various", "did", "does", "got", "gets", "getting", "generate", "generated", "drove", "drive", "driven", "ads", "ad", "advertising", "advert", "adverts", "marketing", "media", "paid", "campaigns'", "promotion", "promotions", "divided", "containing", "contain", "contains", "contained", "having", "featuring", "items", "item", "products'", "share", "mix", "distribution", "proportion", "percentage", "percent", "pct", "portion", "fraction", "placed", "place", "received", "recorded", "happened", "occurred", "booked", "processed", "logged", "tracked", "seen", "saw", "everyone", "everybody", "everything", "itself"]
)
STOPWORDS_ZH = (
    "是多少", "有多少", "多少钱", "多少", "分别", "各自", "情况", "数据", "统计", "一下", "看看", "看下", "查看",
    "查询", "查一下", "查下", "帮我", "请问", "请", "给我", "告诉我", "显示", "列出", "展示", "计算", "分析",
    "我们", "我们的", "公司", "品牌", "的", "了", "吗", "呢", "啊", "吧", "是", "有", "在", "和", "与", "及",
    "跟", "以及", "或", "或者", "总共", "一共", "合计", "总计", "总的", "总", "整体", "全部", "所有", "共",
    "为", "个", "哪个", "哪些", "哪1个", "哪", "什么", "怎么样", "如何", "怎样", "几", "期间", "时候", "时间",
    "里", "中", "内", "上", "下", "之间", "按照", "按", "各个", "各", "每个", "每", "分", "不同", "排名",
    "排行", "排序", "最高", "最低", "最多", "最少", "最大", "最小", "前", "后", "名", "位", "家", "类", "种",
    "对应", "相应", "带来", "产生", "贡献", "实现", "达到", "完成", "做了", "做", "卖了", "有几",
    "呈现", "表现", "趋势", "走势", "变化", "来看", "看", "维度", "拆分", "分布", "从", "到", "至", "以来",
    "至今", "期", "份", "度", "年", "月", "日", "周", "天", "季", "除了", "除", "不含", "不包括", "不包含",
    "排除", "剔除", "去掉", "以外", "之外", "外", "只看", "只", "仅", "换成", "改成", "那", "那么", "再",
    "也", "还", "并且", "同时", "加上", "里面", "当中", "其中", "这", "这个", "那个", "啥", "谁",
    "由高到低", "从高到低", "从大到小", "从低到高", "从小到大", "来自", "通过", "用户的", "客户的",
    "加起来", "加总", "汇总", "合起来", "一起", "分别是", "各自的", "都", "一下", "拆一下", "拆", "包括",
    "含", "两天", "首尾", "新增", "包含", "含有", "占比", "比例", "比重", "广告", "投放", "营销", "推广", "花了", "花", "用了", "当天", "期间", "那几天", "这段时间", "算", "排个名", "排一下", "排列", "排", "给",
)

# Every cue, unanchored (but never half a word: "drop" of "dropped"), for removing understood
# words before looking for unknown ones.
CUE_WORDS = Screened(
    "|".join(
        "(?:" + p.pattern.replace("\\s*$", "").replace("\\s?$", "").replace("$", "").lstrip("^") + ")(?![a-z])"
        for p in (NEGATION, NEGATION_AFTER, EACH, ALL_OF, ADD_METRIC, ONLY, RANK, HIGHEST, LOWEST, COMPARISON, ASCENDING)
    )
)

GENERIC_EN = re.compile(r"[a-z][a-z']+")


# Buyers said as a relative clause: "customers who bought skincare", "people that have
# purchased X", "买过保健品的顾客". The model names buyers with one phrase ("customers who
# bought", "购买的客户"); the object in between is a filter, so the clause is rewritten to
# that phrase with the object kept beside it (only when the model knows the phrase).
BUYER_PHRASES = {"en": "customers who bought", "zh": "购买的客户"}
BUYER_CLAUSE_EN = re.compile(
    r"\b(?:(?:the\s+)?(?:number|count|total)\s+of\s+)?"  # "number of customers" is the customers metric
    r"(?:(?:unique|distinct|different|individual)\s+)?"  # "distinct customers bought X": buyers, counted once
    r"(?:customers?|people|users?|shoppers?|members?|consumers?|clients?)\s+(?:who\s+|that\s+)?"
    r"(?:have\s+|had\s+|ever\s+|already\s+)*(?:bought|purchased|ordered|shopped"
    r"|(?:placed|made)\s+(?:an?\s+|any\s+|one\s+or\s+more\s+)?(?:orders?|purchases?))\b"
)
""""people who placed an order", "customers that made a purchase": the people who bought,
counted once (it counted the orders they placed)."""
BUYER_CLAUSE_ZH = re.compile(
    r"(?:买过|购买过|买了|购买了|下单过|下过单|(?:购买|买)(?![人者家量数力次额金率频单方]))([^的，。？?！!,]{1,24}?)"
    r"的(?:顾客|客户|用户|会员|人|消费者)"
)
"""Bare "买"/"购买" too, before an object: the text is read with "了" taken out ("买了护肤品的客户"
is "买护肤品的客户"), never "购买人数" or "买家"."""


BOTH_BOUGHT_ZH = re.compile(r"既?(买过|买了?|购买过|购买了?)([^的，。？?！!,又既]{1,12}?)(?:又|也)(?:买过|买了?|购买过|购买了?)")
""""既买了护肤品又买了彩妆的人": one buyer clause listing both ("买了护肤品和彩妆的人"), whose "and"
``conjunctions`` reads as both."""


QUALIFIED_BUYER_EN = re.compile(
    r"\b(?:customers?|people|users?|shoppers?|members?|consumers?|clients?)\s+"
    r"((?:aged|over|under|in|from|born|living in|based in)\s[^,.?!;]{1,30}?)\s+(?:who\s+|that\s+)?"
    r"(?:have\s+|had\s+|ever\s+|already\s+)*(?:bought|purchased|ordered|shopped)\b"
)
""""how many customers aged 45+ bought this year", "people in shanghai who purchased": the buyers,
with what is said of them between the people and the verb kept ("buyers aged 45+"); the verb was
unknown and declined."""


JOINED_THEN_BOUGHT_EN = re.compile(
    r"\b(?:customers?|people|users?|shoppers?|members?|consumers?|clients?)\s+(?:who|that)\s+"
    r"((?:signed up|registered|joined)\s+(?:in|during|on|between|since|before|after|last|this)\b[^,.?!;]{0,40}?)"
    r",?\s+(?:and\s+(?:then\s+|also\s+|later\s+)?|then\s+|but\s+|also\s+)?(?:have\s+|had\s+|ever\s+)*"
    r"(?:bought|purchased|ordered)\b"
)
""""customers who signed up in 2024 and ordered on tmall": buyers, with when they joined said
of them (read as a cohort, ``cohorts``), not the customers who signed up."""


PER_WHO_EN = re.compile(
    r"\b(?P<per>per|for each|each)\s+(?P<who>(?:[a-z0-9'-]+\s+){1,3}?)"
    r"(?P<noun>customers?|members?|users?|buyers?|shoppers?|clients?)\b"
)
""""revenue per female customer", "orders per gold member": a ratio to people who are the
members said in between. Written as the ratio's own words with who they are after it ("per
customer female"), so the ratio is read and the members are its filter, never the total
with "per" dropped. Only when the words in between are a term of the model (a value or a tag)."""


def _members_said(who: str, with_noun: str, known: Any) -> bool:
    """``who`` names members (a value or a yes/no tag), alone or with the people noun, and
    neither is a metric of its own ("purchasing customers" are the buyers, "购买用户" too)."""
    if not hasattr(known, "get"):
        return False
    kinds = {str(getattr(t.kind, "value", t.kind)) for surface in (who, with_noun) for t in known.get(surface, ())}
    return bool(kinds & {"value", "dimension"}) and "metric" not in kinds


_AVERAGED = re.compile(r"\b(?:average|avg|mean)\b|平均|人均")
"""An average said of people ("average spend per gold member", "平均每位金卡会员消费") is
``per_person``'s reading, which knows whom to divide by; ``per_who`` leaves it."""


def per_who(text: str, known: set[str] | frozenset[str] | object) -> str:
    if _AVERAGED.search(text):
        return text
    def moved(found: re.Match[str]) -> str:
        who = found["who"].strip()
        if not _members_said(who, f"{who} {found['noun']}", known):
            return found.group()
        return f"{found['per']} {found['noun']} for {who}"

    def moved_zh(found: re.Match[str]) -> str:
        who = found["who"]
        if not _members_said(who, f"{who}{found['noun']}", known):
            return found.group()
        return f"{who}{found['per']}{found['noun']}"
    return PER_WHO_ZH.sub(moved_zh, PER_WHO_EN.sub(moved, text))


PER_WHO_ZH = re.compile(r"(?P<per>每(?:位|个|名)?)(?P<who>[^，。？?！!,的每]{1,8}?)(?P<noun>客户|会员|用户|顾客|买家)")
""""每位VIP客户的销售额": who they are said before "每" ("VIP每位客户"), as in English."""


def buyer_clauses(text: str, known: set[str] | frozenset[str] | object) -> str:
    """``text`` with buyer relative clauses as the model's buyers phrase (``known``: the
    vocabulary's surfaces; a phrase it lacks is never introduced)."""
    if BUYER_PHRASES["en"] in known:  # type: ignore[operator]
        text = JOINED_THEN_BOUGHT_EN.sub(lambda m: f"{BUYER_PHRASES['en']} ({m.group(1)})", text)
        text = BUYER_CLAUSE_EN.sub(BUYER_PHRASES["en"], text)
        text = QUALIFIED_BUYER_EN.sub(lambda m: f"{BUYER_PHRASES['en']} {m.group(1)}", text)
    if BUYER_PHRASES["zh"] in known:  # type: ignore[operator]
        text = BOTH_BOUGHT_ZH.sub(r"\1\2和", text)
        text = COUNTED_THEN_BOUGHT_ZH.sub(r"\1\2\4\5\6\7的\3", text)
        text = BUYER_CLAUSE_ZH.sub(lambda m: f"{m.group(1)}{BUYER_PHRASES['zh']}", text)
        text = ORDERED_THEN_WHO_ZH.sub(r"\1" + BUYER_PHRASES["zh"], text)
        text = ORDERED_CLAUSE_ZH.sub(BUYER_PHRASES["zh"], text)
    return text


COUNTED_THEN_BOUGHT_ZH = re.compile(
    r"((?:多少|几)(?:个|位|名)?)([^，。？?！!,的]{0,12}?)(顾客|客户|用户|会员|消费者|人)(在[^，。？?！!,的]{1,8}?)?"
    r"(购买|下单|下过单|下了单|买过|买了|消费过|消费了|买)(过|了)?(?![人者家量数力次额金率频单方])([^，。？?！!,的]{0,24})"
)
""""上个月有多少客户购买", "多少女性客户在天猫买了护肤品": people counted, then what they did;
said again as the buyer clause ("多少女性在天猫买了护肤品的客户"), never the customers and,
beside them, the sessions with a purchase."""


ORDERED_CLAUSE_ZH = re.compile(
    r"(?:下单|下过单|下了单|下单过|购买过|购买了|购买|买过|买了|消费过|消费了|有消费|有购买|有下单)的(?:顾客|客户|用户|会员|人|消费者)"
)
ORDERED_THEN_WHO_ZH = re.compile(
    r"(?:下单|下过单|下了单|下单过|购买过|购买了|购买|买过|买了|消费过|消费了)的(?![新老])([^，。？?！!,的]{1,8}?)"
    r"(?:顾客|客户|用户|会员|消费者)"
)
""""上个月购买的VIP客户": who the buyers are said between the verb and the people ("VIP购买的客户")."""


""""上个月下单的顾客", "周末购买的客户": people who ordered, counted once (the buyers), never the
customers who signed up in that period."""


# Parts of a date the calendar grains don't give: "best day of the week", "星期几", "by hour".
DATE_PART = re.compile(
    r"\b(?:days? of (?:the )?week|weekdays?|weekends?|hours? of (?:the )?day|hourly|by hour|time of day)\b"
    r"|星期几|周几|工作日|周末|几点|每小时|按小时|时段"
)


# "how many gold members", "金卡会员有多少人", "人数": a count of people with no metric word
# for it; the noun is the model's customers (read only when no other metric was named).
PEOPLE_COUNT = re.compile(
    r"\b(?:how many|number of|count of|no\. of|# of)\b(?:\s+[\w-]+){0,3}?\s+"
    r"(?P<en>people|persons|members|shoppers|clients|consumers)\b"
    r"|多少(?:个|位)?(?P<zh>人|会员|顾客|消费者)|(?P<zh2>几个人|几位|人数)"
    r"|(?P<zh3>会员|顾客|消费者)(?=数|有多少|有几)"
)
PEOPLE_COUNT_AFTER = re.compile(r"数量?|有多少人?|有几个?人?|人数")
HOW_MANY_BEFORE = re.compile(r"\b(?:how many|number of|count of)\s+$")


REVERSED = re.compile(
    r"\b(?:flip|reverse|invert)\s(?:it|that|this|them|the (?:order|ranking|list|sort))(?!\s(?:to|into|for|over|back to)\b)"
    r"|\b(?:the\s)?other way (?:a)?round\b|\bupside down\b|反过来|倒过来|反着(?:排|看|来)|倒着(?:排|看|来)"
)
""""flip it, bottom 3", "the other way round", "反过来看": the ranking the question before asked, in
the other direction (the word was unknown and declined); "flip it to orders" swaps the metric
(``SWITCH_TO``)."""


WITH_TIES = re.compile(
    r"\b(?:(?:with|including|include|incl|plus|and|keep|keeping|count|counting|show|showing|list|listing) (?:any |all |the )?"
    r"ties|ties (?:included|including|too|as well|count|counted|kept|shown)|(?:include|keep|show|list) (?:any |all )?tied (?:ones|rows|values)?)\b"
    r"|\b(?:if|in case|in case of|when|where)\s(?:there\s?(?:'?s|is|are|was|were)\s|(?:it|they)\s?(?:'?s|'?re|are|is)\s)?"
    r"(?:an?\s|any\s|some\s)?(?:ties?|tied|draws?)\b[,\s-]*(?:then\s|just\s|pls\s|please\s)*"
    r"(?:show|keep|include|list|give|return|count)\s(?:me\s|us\s)?(?:all|both|every|each|them)\b(?:\s(?:of them|of those|tied ones))?"
    r"|并列的?(?:也|都)?(?:要|算|列出来?|显示|包括|保留|算上|包含|列上|给出)(?:在内|进来|出来|上)?|(?:包括|包含|含|算上|保留)并列(?:的)?(?:在内)?"
    r"|(?:如果|若|要是)?有并列(?:的话?)?[，,\s]?(?:就|也|都)*(?:都|全部?|一起)(?:要|算|列出来?|显示|保留|算上|给出)(?:出来|进来|上)?"
)
""""top 2 cities by orders, ties included", "前两名，并列的都列出来", "if there's a tie show all of them",
"有并列的话都列出来": rows tied with the last one
kept are kept too (``QuerySpec.with_ties``); a plain limit cut a tie at random."""
