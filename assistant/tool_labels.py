"""How a marketing tool's answer is titled and its table labelled, in English and Chinese.

Tools return data with stable snake_case column names and, where they name things, an
``x`` / ``x_zh`` pair of columns; this module turns both into what a marketer reads:
a title ("RFM segments · as of 2025-12-31 · Champions"), column headers in the answer's
language, members by their names in that language (the ``_zh`` twin, or the semantic
model's value labels), and a tool's own chart relabelled the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from genbi.assistant.columns import ColumnInfo, ColumnKind
from genbi.assistant.formatting import Format, Language, format_date
from genbi.assistant.labels import member_labels, null_label
from genbi.semantic_layer.model import SemanticModel

if TYPE_CHECKING:
    import pandas as pd

TWIN = "_zh"

TITLES: dict[str, tuple[str, str]] = {
    "rfm": ("RFM segments", "RFM客户分层"),
    "segments": ("Behavioural segments", "行为聚类分群"),
    "lifecycle": ("Customer lifecycle (AIPL)", "客户生命周期（AIPL）"),
    "cohort_retention": ("Cohort retention", "同期群留存"),
    "funnel": ("Conversion funnel", "转化漏斗"),
    "attribution": ("Multi-touch attribution", "多触点归因"),
    "ab_test": ("A/B test readout", "A/B实验结果"),
    "lookalike": ("Lookalike audience", "相似人群扩展"),
    "churn_risk": ("Churn risk", "流失风险预测"),
    "clv": ("Customer lifetime value", "客户终身价值预测"),
    "generate_copy": ("Marketing copy", "营销文案"),
    "explain_change": ("Why it changed", "变化归因"),
    "anomalies": ("Unusual days", "异常日期"),
    "budget_allocation": ("Budget allocation", "预算分配"),
    "identity_resolution": ("Identity resolution", "统一身份识别"),
}

_C = "currency"
_P = "percent"
_N = "number"
# column -> (English, Chinese, kind, format)
COLUMNS: dict[str, tuple[str, str, ColumnKind, Format]] = {
    "segment": ("Segment", "客户分层", "dimension", _N),
    "cluster": ("Cluster", "分群", "dimension", _N),
    "name": ("Profile", "群体特征", "dimension", _N),
    "customers": ("Customers", "客户数", "metric", _N),
    "customer_id": ("Customer ID", "客户编号", "dimension", _N),
    "revenue": ("Revenue", "销售额", "metric", _C),
    "avg_recency_days": ("Avg days since last order", "平均距上次购买天数", "metric", _N),
    "avg_frequency": ("Avg orders", "平均订单数", "metric", _N),
    "avg_monetary": ("Avg spend", "平均消费", "metric", _C),
    "customer_share": ("Share of customers", "客户占比", "metric", _P),
    "revenue_share": ("Share of revenue", "销售额占比", "metric", _P),
    "recency_days": ("Days since last order", "距上次购买天数", "metric", _N),
    "frequency": ("Orders", "订单数", "metric", _N),
    "monetary": ("Spend", "消费金额", "metric", _C),
    "tenure_days": ("Days as a customer", "成为客户天数", "metric", _N),
    "aov": ("AOV", "客单价", "metric", _C),
    "discount_share": ("Discount share", "折扣占比", "metric", _P),
    "stage": ("Stage", "阶段", "dimension", _N),
    "customers_start": ("Customers at start", "期初人数", "metric", _N),
    "customers_end": ("Customers at end", "期末人数", "metric", _N),
    "change": ("Change", "变化", "metric", _N),
    "cohort": ("Cohort", "同期群", "dimension", _N),
    "cohort_size": ("Cohort size", "同期群人数", "metric", _N),
    "group": ("Group", "分组", "dimension", _N),
    "step": ("Step", "步骤", "dimension", _N),
    "sessions": ("Sessions", "会话数", "metric", _N),
    "step_index": ("Step #", "步骤序号", "metric", _N),
    "step_conversion": ("Step conversion", "步骤转化率", "metric", _P),
    "overall_conversion": ("Overall conversion", "整体转化率", "metric", _P),
    "drop_off": ("Drop-off", "流失率", "metric", _P),
    "channel": ("Channel", "渠道", "dimension", _N),
    "campaign": ("Campaign", "营销活动", "dimension", _N),
    "first_touch": ("First touch", "首次触点", "metric", _N),
    "last_touch": ("Last touch", "末次触点", "metric", _N),
    "linear": ("Linear", "线性", "metric", _N),
    "time_decay": ("Time decay", "时间衰减", "metric", _N),
    "position_based": ("Position based", "位置加权", "metric", _N),
    "markov": ("Markov", "马尔可夫", "metric", _N),
    "shapley": ("Shapley", "沙普利", "metric", _N),
    "markov_value": ("Markov (by value)", "马尔可夫链（按金额）", "metric", _N),
    "markov_2nd": ("2nd-order Markov", "二阶马尔可夫链", "metric", _N),
    "shapley_rate": ("Shapley (with non-converting)", "沙普利（含未转化）", "metric", _N),
    "experiment": ("Experiment", "实验", "dimension", _N),
    "variant": ("Variant", "实验组别", "dimension", _N),
    "outcome": ("Outcome", "指标", "dimension", _N),
    "is_control": ("Control", "对照组", "dimension", _N),
    "n": ("Customers", "样本量", "metric", _N),
    "metric": ("Statistic", "统计量", "dimension", _N),
    "value": ("Value", "数值", "metric", _N),
    "value_low": ("Low (95%)", "下限（95%）", "metric", _N),
    "value_high": ("High (95%)", "上限（95%）", "metric", _N),
    "difference": ("Difference", "差值", "metric", _N),
    "diff_low": ("Difference low", "差值下限", "metric", _N),
    "diff_high": ("Difference high", "差值上限", "metric", _N),
    "relative_lift": ("Relative lift", "相对提升", "metric", _P),
    "p_value": ("p-value", "p值", "metric", _N),
    "p_adjusted": ("Adjusted p", "校正后p值", "metric", _N),
    "overall_p_value": ("Overall p", "整体p值", "metric", _N),
    "test": ("Test", "检验方法", "dimension", _N),
    "significant": ("Significant", "显著", "dimension", _N),
    "similarity": ("Similarity", "相似度", "metric", _P),
    "churn_probability": ("Churn probability", "流失概率", "metric", _P),
    "top_reasons": ("Main reasons", "主要原因", "dimension", _N),
    "avg_predicted_value": ("Avg predicted value", "人均预测价值", "metric", _C),
    "total_predicted_value": ("Total predicted value", "预测总价值", "metric", _C),
    "predicted_value": ("Predicted value", "预测价值", "metric", _C),
    "value_share": ("Share of value", "价值占比", "metric", _P),
    "variant_id": ("Variant", "编号", "dimension", _N),
    "goal": ("Goal", "目标", "dimension", _N),
    "language": ("Language", "语言", "dimension", _N),
    "tone": ("Tone", "语气", "dimension", _N),
    "text": ("Copy", "文案", "dimension", _N),
    "subject": ("Subject", "主题", "dimension", _N),
    "preheader": ("Preheader", "预览文字", "dimension", _N),
    "body": ("Body", "正文", "dimension", _N),
    "title": ("Title", "标题", "dimension", _N),
    "headline": ("Headline", "标题", "dimension", _N),
    "description": ("Description", "描述", "dimension", _N),
    "status": ("Checks", "检查结果", "dimension", _N),
    "problems": ("Problems", "问题", "dimension", _N),
    "rewrites": ("Rewrites", "改写", "dimension", _N),
    "facts_used": ("Facts used", "依据数据", "dimension", _N),
    "member": ("Member", "成员", "dimension", _N),
    "dimension": ("Dimension", "维度", "dimension", _N),
    "before": ("Before", "对比期", "metric", _N),
    "after": ("After", "本期", "metric", _N),
    "contribution": ("Contribution", "贡献", "metric", _N),
    "share": ("Share of change", "占变化比例", "metric", _P),
    "change_pct": ("Own change", "自身变化率", "metric", _P),
    "rate_effect": ("Rate effect", "率效应", "metric", _N),
    "mix_effect": ("Mix effect", "结构效应", "metric", _N),
    "day": ("Day", "日期", "dimension", _N),
    "expected": ("Expected", "预期值", "metric", _N),
    "low": ("Expected low", "正常下限", "metric", _N),
    "high": ("Expected high", "正常上限", "metric", _N),
    "z": ("Robust z", "稳健z值", "metric", _N),
    "anomaly": ("Unusual", "异常", "dimension", _N),
    "festival": ("Festival", "节日", "dimension", _N),
    "current_spend": ("Weekly spend now", "当前周投放", "metric", _C),
    "proposed_spend": ("Proposed weekly spend", "建议周投放", "metric", _C),
    "spend_change": ("Spend change", "投放变化", "metric", _C),
    "current_revenue": ("Weekly revenue now (model)", "当前周销售额（模型）", "metric", _C),
    "proposed_revenue": ("Expected weekly revenue", "预计周销售额", "metric", _C),
    "revenue_change": ("Revenue change", "销售额变化", "metric", _C),
    "change_low": ("Change, low (90%)", "变化下限（90%）", "metric", _C),
    "change_high": ("Change, high (90%)", "变化上限（90%）", "metric", _C),
    "elasticity": ("Elasticity", "弹性", "metric", _N),
    "elasticity_se": ("Elasticity s.e.", "弹性标准误", "metric", _N),
    "marginal_roas": ("Marginal ROAS", "边际投产比", "metric", _N),
    "weeks_fitted": ("Weeks fitted", "拟合周数", "metric", _N),
    "r_squared": ("R²", "拟合优度", "metric", _N),
    "identifier": ("Identifier", "标识", "dimension", _N),
    "records_with_value": ("Records with a value", "有值记录数", "metric", _N),
    "distinct_values": ("Distinct values", "不同取值数", "metric", _N),
    "merges": ("Merges", "合并次数", "metric", _N),
    "conflicts": ("Conflicts", "冲突次数", "metric", _N),
}
_KEYWORD = re.compile(r"^keyword(\d+)$")
_LENGTH = re.compile(r"^(\w+)_length$")
_MONTH = re.compile(r"^m(\d+)$")
_CHECK = re.compile(r"^ok_(\w+)$")

VALUES: dict[str, tuple[str, str]] = {
    "all": ("All", "全部"), "converted": ("Conversion", "转化"), "revenue": ("Revenue", "销售额"),
    "rate": ("Rate", "比率"), "mean": ("Average", "均值"), "pass": ("Pass", "通过"),
    "rewritten": ("Rewritten", "已改写"), "fail": ("Fail", "未通过"),
    "acquire": ("Acquire", "拉新"), "convert": ("Convert", "促转化"), "retain": ("Retain", "留存"),
    "reactivate": ("Win back", "召回"), "upsell": ("Upsell", "推新连带"),
    "friendly": ("Friendly", "亲切"), "playful": ("Playful", "活泼"), "premium": ("Premium", "高级"),
    "urgent": ("Urgent", "紧迫"), "formal": ("Formal", "正式"), "zh": ("Chinese", "中文"), "en": ("English", "英文"),
    "first_touch": ("First touch", "首次触点"), "last_touch": ("Last touch", "末次触点"),
    "linear": ("Linear", "线性"), "time_decay": ("Time decay", "时间衰减"),
    "position_based": ("Position based", "位置加权"), "markov": ("Markov", "马尔可夫"), "shapley": ("Shapley", "沙普利"),
    "two-proportion z": ("two-proportion z", "双比例z检验"), "Welch t": ("Welch t", "韦尔奇t检验"),
    "Shapley": ("Shapley", "沙普利"), "Markov": ("Markov", "马尔可夫"),
    "revenue share": ("Revenue share", "销售额占比"), "customers": ("customers", "位客户"),
    "markov_value": ("Markov (by value)", "马尔可夫链（按金额）"), "markov_2nd": ("2nd-order Markov", "二阶马尔可夫链"),
    "shapley_rate": ("Shapley (with non-converting)", "沙普利（含未转化）"),
}
CHECKS: dict[str, tuple[str, str]] = {
    "length": ("length", "长度"), "signature": ("signature", "签名"), "opt_out": ("opt-out", "退订提示"),
    "segments": ("SMS segments", "短信条数"), "gsm7": ("GSM-7 characters", "字符编码"),
    "compliance": ("compliance", "合规"), "grounding": ("uses a fact", "数据依据"),
}
HIDDEN = frozenset({"rewrites", "facts_used", "step_index", "position"})
"""Detail kept in CSV / JSON but not worth a column on screen."""
"""Words tools use as values (outcomes, statuses, attribution models, copy goals)."""

MODEL_DIMENSIONS = {"channel": "channel", "experiment": "experiment_id", "variant": "variant",
                    "category": "category", "city": "city", "device": "device"}
"""Tool columns whose values are a semantic-model dimension's members."""


def tool_title(name: str, language: Language, fallback: str = "") -> str:
    pair = TITLES.get(name)
    if pair is None:
        return fallback or name.replace("_", " ")
    return pair[1] if language == "zh" else pair[0]


def column_label(name: str, language: Language, words: Mapping[str, str] | None = None) -> str:
    zh = language == "zh"
    if name in COLUMNS:
        return COLUMNS[name][1 if zh else 0]
    if match := _MONTH.match(name):
        return f"第{match[1]}个月" if zh else f"Month {match[1]}"
    if match := _KEYWORD.match(name):
        return f"关键词{match[1]}" if zh else f"Keyword {match[1]}"
    if match := _CHECK.match(name):
        check = CHECKS.get(match[1], (match[1].replace("_", " "), match[1]))
        return f"检查：{check[1]}" if zh else f"Check: {check[0]}"
    if match := _LENGTH.match(name):
        return f"{column_label(match[1], language)}{'字数' if zh else ' length'}"
    if name.startswith(("cat_", "ch_")) and words is not None:
        kind, _, member = name.partition("_")
        shown = words.get(member, member.replace("_", " "))
        if kind == "cat":
            return f"{shown}消费占比" if zh else f"{shown} share of spend"
        return f"{shown}触达占比" if zh else f"{shown} share of touches"
    return name.replace("_", " ").capitalize()


def column_words(language: Language) -> dict[str, str]:
    """Tool column names → their labels (a tool chart's axis titled "channel")."""
    return {name: column_label(name, language) for name in COLUMNS}


def value_words(model: SemanticModel | None, language: Language) -> dict[str, str]:
    """Every word a tool may put in a table or chart → its name in ``language``."""
    index = 1 if language == "zh" else 0
    words = {key: pair[index] for key, pair in VALUES.items()}
    if model is not None:
        for dimension in MODEL_DIMENSIONS.values():
            words.update(member_labels(model, dimension, language))
    return words


def all_member_words(model: SemanticModel, language: Language) -> dict[str, str]:
    """Every member the model names, of any dimension (for filters like ``tier=platinum``)."""
    words: dict[str, str] = {}
    for dimension in model.dimensions:
        words.update(member_labels(model, dimension.name, language))
    return words


def tool_columns(
    table: pd.DataFrame, language: Language, model: SemanticModel | None = None,
    arguments: Mapping[str, Any] | None = None,
) -> tuple[ColumnInfo, ...]:
    """Column infos for a tool's table: labels, formats, members named in ``language``.

    A ``x_zh`` twin is hidden; in Chinese its values name ``x``'s members.
    """
    names = [str(c) for c in table.columns]
    words = value_words(model, language)
    if model is not None:
        words.update(member_labels(model, "category", language))
    infos = []
    for name in names:
        if name in HIDDEN or (name.endswith(TWIN) and name[: -len(TWIN)] in names):
            infos.append(ColumnInfo(name, column_label(name.removesuffix(TWIN), language), "dimension", hidden=True))
            continue
        kind, fmt = _kind(name, table[name])
        labels: dict[Any, str] = {}
        dimension = MODEL_DIMENSIONS.get(name) or (str(arguments.get("by")) if name == "group" and arguments else None)
        if kind == "dimension":
            labels = dict(value_words(model, language))
            if model is not None and dimension:
                labels.update(member_labels(model, dimension, language))
            if language == "zh" and name + TWIN in names:
                labels.update({str(k): translate_words(str(v), labels)
                               for k, v in zip(table[name], table[name + TWIN], strict=True)
                               if isinstance(v, str) and v})
            elif language == "zh" and name == "top_reasons":
                labels.update({str(v): reasons_zh(str(v), labels) for v in set(table[name]) if isinstance(v, str)})
            elif name == "variant_id":  # "wechat-upsell-zh-A-614121" reads as "A"
                labels.update({str(v): str(v).split("-")[3] for v in table[name] if str(v).count("-") >= 4})
        empty = null_label(model, dimension, language) if model is not None and dimension else None
        infos.append(ColumnInfo(name, column_label(name, language, words), kind, fmt=fmt, value_labels=labels,
                                null_label=empty))
    return tuple(infos)


_TOKEN = re.compile(r"[A-Za-z][A-Za-z_]+")
_REASON = re.compile(r"^(more|less) (\w+) (spend|touches)$")


def translate_words(text: str, words: Mapping[str, str]) -> str:
    """Known member words left in a tool's Chinese text ("少skincare") by their names (少护肤)."""
    return _TOKEN.sub(lambda m: words.get(m[0], m[0]), text)


def reasons_zh(text: str, words: Mapping[str, str]) -> str:
    """A churn model's "long time since last order; more sms touches" in Chinese."""
    from genbi.tools.churn import FEATURE_LABELS  # a churn answer, so the module is loaded

    zh = {en: zh for en, zh in FEATURE_LABELS.values()}
    parts = []
    for part in text.split("; "):
        match = _REASON.match(part)
        if part in zh:
            parts.append(zh[part])
        elif match:
            parts.append(f"{'更多' if match[1] == 'more' else '更少'}{words.get(match[2], match[2])}"
                         f"{'消费' if match[3] == 'spend' else '触达'}")
        else:
            parts.append(translate_words(part, words))
    return "；".join(parts)


def _kind(name: str, column: pd.Series) -> tuple[ColumnKind, Format]:
    import pandas as pd  # a tool ran, so pandas is loaded already

    if name in COLUMNS:
        _, _, kind, fmt = COLUMNS[name]
        return kind, fmt
    if _MONTH.match(name) and pd.api.types.is_numeric_dtype(column):
        return "metric", "percent"
    if name.startswith(("cat_", "ch_")) and pd.api.types.is_float_dtype(column):
        return "metric", "percent"
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return "metric", "number"
    return "dimension", "number"


def argument_phrase(call_name: str, arguments: Mapping[str, Any], language: Language,
                    words: Mapping[str, str]) -> str:
    """The tool call's arguments as words: "as of 2025-12-31 · Champions · by device"."""
    zh = language == "zh"
    parts = []
    for key, value in arguments.items():
        if value is None or value == "" or key in ("language", "seed"):
            continue
        shown = format_date(value) if isinstance(value, date) else words.get(str(value), str(value))
        if key == "as_of":
            parts.append(f"截至{shown}" if zh else f"as of {shown}")
        elif key == "start":
            parts.append(f"自{shown}" if zh else f"from {shown}")
        elif key == "end":
            parts.append(f"至{shown}" if zh else f"to {shown}")
        elif key == "by":
            parts.append(f"按{column_label(str(value), language)}" if zh else f"by {str(value).replace('_', ' ')}")
        elif key in ("segment", "seed_segment", "audience", "experiment", "product", "offer"):
            parts.append(("相似：" if zh else "like ") + shown if key == "seed_segment" else shown)
        elif key == "cluster":
            parts.append(f"第{shown}类" if zh else f"cluster {shown}")
        elif key == "where":
            parts.append(_where_phrase(str(value), words, zh))
        elif key == "lookback_days":
            parts.append(f"近{shown}天的订单" if zh else f"orders of the {shown} days to then")
        elif key == "seed_where":
            parts.append(("相似：" if zh else "like ") + _where_phrase(str(value), words, zh))
        elif key in ("channel", "goal", "tone", "metric"):
            parts.append(shown)
        elif key == "compare":
            year = value == "year"
            parts.append(("同比" if year else "环比") if zh else ("vs a year earlier" if year else "vs the period before"))
        elif key in ("top_n", "variants"):
            parts.append(f"{shown}{'条' if key == 'variants' else '位'}" if zh else f"{shown} {'variants' if key == 'variants' else 'customers'}")
    return " · ".join(parts)


def _where_phrase(where: str, words: Mapping[str, str], zh: bool) -> str:
    """"loyalty_tier=platinum; city=Shanghai" → "白金会员、上海" (values only, named)."""
    shown = []
    for part in (p.strip() for p in re.split(r"[;；]", where) if p.strip()):
        found = re.match(r"^(?P<name>[^<>=!]+?)\s*(?P<op>>=|<=|!=|=|>|<)\s*(?P<value>.+)$", part)
        if found is None:
            shown.append(part)
            continue
        name, op, value = found["name"].strip(), found["op"], found["value"].strip()
        if name in ("joined", "signed_up", "signup"):
            start, _, end = value.partition("..")
            shown.append(f"{start or '…'}至{end or '…'}注册" if zh else f"joined {start or '…'} to {end or '…'}")
        elif op in ("=", "!=") and value.lower() in ("true", "false", "yes", "no"):
            label = words.get(name, name.replace("_", " "))
            negated = (value.lower() in ("false", "no")) != (op == "!=")
            shown.append((f"非{label}" if zh else f"not {label}") if negated else label)
        elif op == "=":
            shown.append("、".join(words.get(v.strip(), v.strip()) for v in re.split(r"[,，]", value) if v.strip()))
        else:
            shown.append(f"{words.get(name, name.replace('_', ' '))} {op} {words.get(value, value)}")
    return "、".join(shown)


_CJK = re.compile(r"[\u3400-\u9fff]")
_TEMPLATE_WORDS = {" customers": "位客户", " of revenue": "的销售额", " of customers": "的客户"}
_TEMPLATE_ZH = re.compile("|".join(re.escape(w) for w in _TEMPLATE_WORDS))
_PAIR = re.compile(r"^(?P<a>.+?)\s*(?: / |<br>)\s*(?P<b>.+)$")


def localize_text(text: str, language: Language, words: Mapping[str, str]) -> str:
    """A tool chart's label in one language: the right half of "Champions / 重要价值客户",
    and known words ("wechat", "checkout_coupon · control") by their names."""
    pair = _PAIR.match(text)
    if pair is not None and bool(_CJK.search(pair["a"])) != bool(_CJK.search(pair["b"])):
        halves = (pair["a"], pair["b"]) if _CJK.search(pair["b"]) else (pair["b"], pair["a"])
        return translate_words(halves[1], words) if language == "zh" else halves[0]
    if " · " in text:
        return " · ".join(words.get(part, part) for part in text.split(" · "))
    if _MONTH.match(text):  # a cohort heatmap's "m3" column
        return column_label(text, language)
    if "%{" in text and language == "zh":  # a text template: "%{value} customers<br>%{x} of revenue"
        return _TEMPLATE_ZH.sub(lambda m: _TEMPLATE_WORDS[m[0]], text)
    return words.get(text, text)


def localize_chart(chart: Any, language: Language, words: Mapping[str, str], title: str) -> Any:
    """A tool's plotly chart with its title, labels and category names in ``language``."""
    if chart is None or not hasattr(chart, "to_plotly_json"):
        return chart
    import plotly.graph_objects as go

    from genbi.assistant.charts import style_figure

    spec = _walk(chart.to_plotly_json(), language, words)
    figure = go.Figure(spec)
    if any(getattr(trace, "type", "") == "heatmap" for trace in figure.data):
        # periods as they are written ("2024-01"), not re-read as dates ("Jan 2024")
        figure.update_yaxes(type="category")
        figure.update_traces(colorbar={"tickformat": ".0%"}, selector={"type": "heatmap"})
    return style_figure(figure, title)


_LOCALIZED = frozenset({"text", "name", "x", "y", "labels", "parents", "ids", "ticktext", "label", "hovertext",
                        "texttemplate"})
"""Chart properties that hold words people read (titles, series, categories, node labels)."""


def _walk(value: Any, language: Language, words: Mapping[str, str], readable: bool = False) -> Any:
    import numpy as np

    if isinstance(value, str):
        return localize_text(value, language, words) if readable else value
    if isinstance(value, dict):
        return {k: v if k in ("bdata", "dtype") else _walk(v, language, words, k in _LOCALIZED or
                                                          (readable and k == "text"))
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(v, language, words, readable) for v in value]
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array([_walk(v, language, words, readable) for v in value.tolist()], dtype=object)
    return value
