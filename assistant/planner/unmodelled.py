"""Marketing terms a model may lack, so a decline can name the term and what the model has.

"UV last week", "上个月的动销率": these are common words for measures most marketing
warehouses model differently or not at all. When such a word is left unexplained by the
reading, the planner declines (it never answers another metric in its place) and says what
the word means and which of the model's own metrics come closest. The closest metrics are
found in the model by the hint words below, so the same table serves any model; where no
hint matches, the model's first metrics are listed instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from genbi.assistant.planner.text import normalize
from genbi.semantic_layer.model import Metric, SemanticModel


@dataclass(frozen=True)
class UnmodelledTerm:
    """A marketing word: how it is written, what it means, and where to look for kin."""

    pattern: re.Pattern[str]
    name: str
    name_zh: str
    hints: tuple[str, ...]
    """Words searched in the model's metric names, labels and synonyms (closest metrics)."""


def _term(words: str, name: str, name_zh: str, *hints: str) -> UnmodelledTerm:
    return UnmodelledTerm(re.compile(rf"(?<![a-z])(?:{words})(?![a-z])"), name, name_zh, hints)


TERMS: tuple[UnmodelledTerm, ...] = (
    _term(r"uv|uvs|unique visitors?|访客数?|独立访客", "UV (unique visitors)", "UV（独立访客数）",
          "visit", "访问", "session", "会话"),
    _term(r"pv|pvs|page ?views?|浏览量|页面浏览", "PV (page views)", "PV（页面浏览量）",
          "view", "浏览", "session", "会话"),
    _term(r"dau|daily active users?|日活跃?(?:用户)?", "DAU (daily active users)", "DAU（日活跃用户）",
          "visit", "访问", "buyer", "买家"),
    _term(r"mau|monthly active users?|月活跃?(?:用户)?", "MAU (monthly active users)", "MAU（月活跃用户）",
          "visit", "访问", "buyer", "买家"),
    _term(r"wau|weekly active users?|周活跃?(?:用户)?", "WAU (weekly active users)", "WAU（周活跃用户）",
          "visit", "访问", "buyer", "买家"),
    _term(r"动销率?|sell[ -]?through(?: rate)?", "sell-through rate (动销率)", "动销率",
          "units", "销量", "product", "商品"),
    _term(r"nps|net promoter(?: score)?|净推荐值", "NPS (net promoter score)", "NPS（净推荐值）"),
    _term(r"bounce(?: rate)?|跳出率?", "bounce rate", "跳出率", "session", "会话"),
    _term(r"retention(?: rate)?|留存率?", "retention rate", "留存率", "repeat", "复购"),
    _term(r"refunds?|refund amount|退款(?:金额|额)?", "refunds", "退款", "discount", "折扣"),
    _term(r"returns? rate|退货率?", "returns", "退货", "order", "订单"),
    _term(r"profits?|margins?|gross margin|cogs|cost of goods(?: sold)?|毛利率?|利润率?|净利|销货成本|商品成本|货品成本|进货成本|采购成本|产品成本", "profit / margin", "利润 / 毛利",
          "revenue", "销售额", "discount", "折扣"),
    _term(r"inventory|stock levels?|库存", "inventory", "库存", "units", "销量"),
    _term(r"complaints?|客诉率?|投诉率?", "complaints", "客诉", "order", "订单"),
    _term(r"ratings?|reviews?|好评率?|差评率?|(?:customer )?satisfaction|csat|满意度", "reviews, ratings and satisfaction",
          "评价与满意度", "order", "订单"),
    _term(r"cac|customer acquisition cost|获客成本", "CAC (customer acquisition cost)", "CAC（获客成本）",
          "spend", "花费", "new customer", "新客", "cpa"),
    _term(r"arpu|average revenue per user", "ARPU (average revenue per user)", "ARPU（每用户平均收入）",
          "per buyer", "人均"),
    _term(r"加购率|add[ -]to[ -]cart rate", "add-to-cart rate", "加购率", "cart", "加购"),
    _term(r"连带率|units per (?:transaction|order)|upt", "units per transaction (连带率)", "连带率",
          "units", "销量", "order", "订单"),
    _term(r"坪效|sales per square (?:meter|metre|foot)", "sales per floor area (坪效)", "坪效"),
    _term(r"渗透率|penetration(?: rate)?", "penetration rate", "渗透率", "buyer", "买家"),
    _term(r"followers?|fans|subscribers|粉丝(?:数|量)?|关注(?:者|数|人数)", "social-media followers", "粉丝数",
          "customer", "客户"),
    # a model with no metric of that name (a drafted SaaS export: invoice amount, MRR)
    _term(r"revenues?|sales|income|turnover|gmv|earnings|收入|营收|销售额|营业额|成交额", "revenue", "销售额",
          "amount", "金额", "revenue", "sales", "mrr", "value"),
    # outside a marketing warehouse altogether: a language model asked to fill a spec maps
    # these onto the nearest metric ("股价" read as revenue), so they are named and declined
    _term(r"stock price|share price|stock market|market cap(?:italization)?|股价|股票|市值",
          "stock price / market value", "股价 / 市值"),
    _term(r"weather|temperatures?|rain(?:fall|y)?|snow(?:y|fall)?|天气|气温|温度|降雨|下雨天?|雨天|下雪天?|雪天", "weather", "天气"),
    _term(r"employees?|staff|headcount|salar(?:y|ies)|payroll|wages?|员工|职员|工资|薪资|薪水",
          "employees and payroll", "员工与薪资"),
    _term(r"exchange rates?|fx rates?|汇率", "exchange rates", "汇率"),
    _term(r"gdp|inflation|cpi|国内生产总值|通胀|通货膨胀", "macro-economic figures", "宏观经济数据"),
    _term(r"competitors?|竞争对手|竞品", "competitors' figures", "竞品数据"),
)


def unmodelled_terms(words: list[str], question: str = "") -> list[UnmodelledTerm]:
    """The known marketing terms among the words a reading left unexplained, or written in
    the question around one of them ("加购率" when only "率" was left over)."""
    found: list[UnmodelledTerm] = []
    folded_words = [normalize(w) for w in words]
    for term in TERMS:
        if any(term.pattern.search(w) for w in folded_words) or any(
            any(w and w in m.group() for w in folded_words) for m in term.pattern.finditer(normalize(question))
        ):
            found.append(term)
    return found


def closest_metrics(model: SemanticModel, term: UnmodelledTerm | None, limit: int = 3) -> list[Metric]:
    """The model's metrics whose names hold one of the term's hints, then those whose
    synonyms do (else the model's first metrics)."""
    hits: list[Metric] = []
    for names_only in (True, False):
        for hint in term.hints if term else ():
            for metric in model.metrics:
                words = (metric.name.replace("_", " "), metric.label, metric.label_zh,
                         *(() if names_only else metric.synonyms))
                if normalize(hint) in " ".join(normalize(w) for w in words) and metric not in hits:
                    hits.append(metric)
    return (hits or list(model.metrics))[:limit]


def decline_reason(model: SemanticModel, unknown: list[str], zh: bool, question: str = "") -> str:
    """Why the question is declined: the word(s) not understood, what a known marketing term
    means, and which of the model's metrics it does have."""
    terms = unmodelled_terms(unknown, question)
    known = [m for term in terms for m in closest_metrics(model, term)] or closest_metrics(model, None, 5)
    names = list(dict.fromkeys((m.label_zh or m.label) if zh else m.label for m in known))[:5]
    note = unnamed_note(model, zh)  # a file read without its header row: what to do about it
    if terms:
        named = "、".join(t.name_zh for t in terms) if zh else ", ".join(t.name for t in terms)
        kin = any(t.hints for t in terms)
        if zh:
            listed = "模型里相近的指标有" if kin else "模型里的指标例如"
            return f"模型里没有{named}，我不会用别的指标代替它。{listed}：{'、'.join(names)}。{note}"
        listed = "Closest metrics it has" if kin else "Metrics it has include"
        return (f"The model has no {named}, and I won't answer another metric in its place. "
                f"{listed}: {', '.join(names)}.{note}")
    if zh:
        words = "、".join(unknown)
        return f"我不理解问题中的“{words}”：它不是模型里的指标、维度或取值。模型里的指标例如：{'、'.join(names)}。{note}"
    words = ", ".join(f"'{w}'" for w in unknown)
    return (f"I don't know what {words} refers to: it isn't a metric, dimension or value in the model. "
            f"Metrics it has include: {', '.join(names)}.{note}")


_UNNAMED = re.compile(r"column_?\d+")


def unnamed_note(model: SemanticModel, zh: bool) -> str:
    """What to do about a file read without a header row, said after a decline ('' otherwise)."""
    unnamed = _unnamed_columns(model)
    if not unnamed:
        return ""
    if zh:
        return (f"{unnamed}的列没有名称（column0、column1 …）：文件第一行就是数据，没有表头。请在文件开头加一行列名"
                "（例如 user_id,item_id,…）后再问。")
    return (f" {unnamed} has no column names (column0, column1 …): its first line is data, not a header. Add a header "
            "line naming the columns (e.g. user_id,item_id,…) at the top of the file and ask again.")


def _unnamed_columns(model: SemanticModel) -> str:
    """A table read from a file with no header row (Tianchi's UserBehavior.csv is five columns of
    data from the first line): the reader named its columns column0, column1 …, so no word of a
    question can name them. The table's name, or ''."""
    for table in model.tables:
        if table.columns and all(_UNNAMED.fullmatch((c.source or c.name).lower()) for c in table.columns):
            return table.source or table.name
    return ""
