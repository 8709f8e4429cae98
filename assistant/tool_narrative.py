"""What a tool's result says, in a sentence or two, from the facts the tool computed.

Tools return numbers, never prose; this is the one place that words them, per tool, in
English and Chinese. An unknown tool gets a plain summary of its table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from genbi.assistant.formatting import Language, format_value

_WORDS: ContextVar[Mapping[str, str] | None] = ContextVar("tool_words", default=None)


def narrate_tool(name: str, facts: dict[str, Any], language: Language, rows: int,
                 words: Mapping[str, str] | None = None) -> str:
    """The tool's result in a sentence or two; ``words`` name members in ``language``."""
    writer = _WRITERS.get(name)
    if writer is not None:
        token = _WORDS.set(words or {})
        try:
            return writer(facts, language)
        except (KeyError, TypeError, ValueError, IndexError):
            pass
        finally:
            _WORDS.reset(token)
    return f"共{rows}行结果。" if language == "zh" else f"{rows} rows."


def _pct(value: float) -> str:
    return format_value(value, "percent")


def _name(value: Any, lang: Language) -> str:
    """A member (channel, segment, variant, model) by its name in the answer's language."""
    from genbi.tools.rfm import SEGMENT_ZH  # a tool ran, so its module is loaded already

    text = str(value)
    if lang == "zh" and text in SEGMENT_ZH:
        return SEGMENT_ZH[text]
    return (_WORDS.get() or {}).get(text, text.replace("_", " ") if lang == "en" else text)


def _rfm(f: dict[str, Any], lang: Language) -> str:
    sizes, shares = f["segment_sizes"], f["revenue_share"]
    top, largest = f["top_revenue_segment"], f["largest_segment"]
    if lang == "zh":
        return (f"截至{f['as_of']}，{f['customers']:,}位购买过的客户分为8个RFM分层；"
                f"“{_name(top, lang)}”贡献了{_pct(shares[top])}的销售额，人数最多的是“{_name(largest, lang)}”（{sizes[largest]:,}人）。")
    return (f"As of {f['as_of']}, {f['customers']:,} buyers fall into 8 RFM segments; {top} bring "
            f"{_pct(shares[top])} of revenue, and the largest segment is {largest} ({sizes[largest]:,}).")


def _attribution(f: dict[str, Any], lang: Language) -> str:
    shifts = f.get("share_shift_vs_last_touch", {})
    moved = max((k for k in shifts if k != "last_touch"), key=lambda k: shifts[k], default=None)
    markov_top = _name(f["top_by_model"].get("markov"), lang)
    if lang == "zh":
        text = f"{int(f['conversions']):,}笔转化的归因：平均路径{f['mean_path_length']:.1f}个触点，{_pct(f['multi_touch_share'])}为多触点；马尔可夫模型下贡献最大的是{markov_top}"
        if moved:
            text += f"；{_name(moved, lang)}模型相对末次触点模型转移了{_pct(shifts[moved])}的功劳"
        return text + "。"
    text = (f"Attribution of {int(f['conversions']):,} conversions: journeys average {f['mean_path_length']:.1f} "
            f"touches and {_pct(f['multi_touch_share'])} are multi-touch; Markov credits {markov_top} most")
    if moved:
        text += f"; {_name(moved, lang).lower()} moves {_pct(shifts[moved])} of credit versus last touch"
    return text + "."


def _ab_test(f: dict[str, Any], lang: Language) -> str:
    experiments = f.get("experiments", {"": f})
    return ("" if lang == "zh" else " ").join(
        _experiment(name, facts, lang) for name, facts in list(experiments.items())[:4])


def _experiment(name: str, f: dict[str, Any], lang: Language) -> str:
    """One experiment's verdict from its numbers: best arm vs control on the primary outcome."""
    control, values = f["control"], f["values"]
    best = max((v for v in f["variants"] if v != control), key=lambda v: values[v])
    fmt = "percent" if 0 <= values[control] <= 1 and 0 <= values[best] <= 1 else "currency"
    shown = {v: format_value(values[v], fmt, lang) for v in (best, control)}
    p = f["min_p_adjusted"]
    p_text = "p<0.01" if p < 0.01 else f"p={p:.2f}"
    outcome = _name(f["primary_outcome"], lang)
    head = f"{_name(name, lang)}：" if lang == "zh" and name else (f"{_name(name, lang)}: " if name else "")
    if lang == "zh":
        verdict = "差异显著" if f["significant"] else "差异不显著，可继续实验或视为无效果"
        text = (f"{head}{_name(best, lang)}的{outcome}为{shown[best]}，{_name(control, lang)}为{shown[control]}，"
                f"{verdict}（{p_text}）。")
        return text + ("注意：样本比例失衡，请先检查分流。" if f.get("srm_detected") else "")
    verdict = "a significant difference" if f["significant"] else "not a significant difference; keep testing or treat it as no effect"
    text = (f"{head}{_name(best, lang)} reaches {shown[best]} {outcome.lower()} vs {shown[control]} for "
            f"{_name(control, lang).lower()} — {verdict} ({p_text}).")
    return text + (" Warning: sample ratio mismatch; check the assignment first." if f.get("srm_detected") else "")


def _funnel(f: dict[str, Any], lang: Language) -> str:
    drop = f["biggest_drop"]
    if lang == "zh":
        return (f"整体转化率{_pct(f['overall_conversion'])}；流失最大的一步是{f.get('biggest_drop_zh') or drop['from_step'] + ' → ' + drop['to_step']}"
                f"（仅{_pct(drop['step_conversion'])}进入下一步）。")
    return (f"Overall conversion is {_pct(f['overall_conversion'])}; the biggest drop is "
            f"{drop['from_step']} → {drop['to_step']} (only {_pct(drop['step_conversion'])} continue).")


def _cohort(f: dict[str, Any], lang: Language) -> str:
    """Month 1, 3 and 12 retention, the months the cohorts have lived to (cohorts from March
    this year have no month 12: said without it, not as "10 rows.")."""
    months = [m for m in (1, 3, 12) if f.get(f"avg_retention_m{m}") is not None]
    if 1 not in months:
        raise KeyError("avg_retention_m1")
    if lang == "zh":
        later = "".join(f"，第{m}个月{_pct(f[f'avg_retention_m{m}'])}" for m in months[1:])
        return (f"{f['cohorts']}个月度同期群：次月留存平均{_pct(f['avg_retention_m1'])}{later}；"
                f"次月留存最好的是{_cohort_name(f['best_cohort_m1'], lang)}。")
    months_said = [f"month {m} {_pct(f[f'avg_retention_m{m}'])}" for m in months[1:]]
    tail = (", " + " and ".join(months_said)) if len(months_said) > 1 else \
        (f" and {months_said[0]}" if months_said else "")
    return (f"Across {f['cohorts']} monthly cohorts, month-1 retention averages {_pct(f['avg_retention_m1'])}{tail}; "
            f"the best month-1 cohort is {f['best_cohort_m1']}.")


def _cohort_name(cohort: Any, lang: Language) -> str:
    year, _, month = str(cohort).partition("-")
    return f"{year}年{int(month)}月同期群" if lang == "zh" and month.isdigit() else str(cohort)


def _clv(f: dict[str, Any], lang: Language) -> str:
    total = format_value(f["total_predicted_value"], "currency", lang)
    mean = format_value(f["mean_predicted_value"], "currency", lang)
    if lang == "zh":
        return f"未来{f['horizon_days']}天预计客户价值合计{total}，人均{mean}（按RFM分层的同期群估计，已用上一周期校准）。"
    return f"Predicted value over the next {f['horizon_days']} days totals {total}, {mean} per customer ({f['method']})."


def _churn(f: dict[str, Any], lang: Language) -> str:
    if lang == "zh":
        return (f"{f['active_customers']:,}位近期活跃客户中，{f['high_risk_customers']:,}位流失风险高；"
                f"模型在后一时点验证的AUC为{f['auc']:.2f}。")
    return (f"Of {f['active_customers']:,} recently active customers, {f['high_risk_customers']:,} are at high "
            f"risk of churning; the model's AUC on a later date is {f['auc']:.2f}.")


def _lifecycle(f: dict[str, Any], lang: Language) -> str:
    if lang == "zh":
        stages = "，".join(f"{k}{v:,}人" for k, v in f["lifecycle_zh"].items())
        return f"{f['start']}至{f['end']}：{stages}；{f['moved_up']:,}人在AIPL中上升。"
    stages = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in f["lifecycle"].items())
    return f"From {f['start']} to {f['end']}: {stages}; {f['moved_up']:,} customers moved up the AIPL ladder."


def _segments(f: dict[str, Any], lang: Language) -> str:
    clusters = [str(c).split("): ")[0] + (")" if "): " in str(c) else "") for c in f["clusters"].values()]
    if lang == "zh":
        clusters = list(f.get("clusters_zh", {}).values()) or [f"第{k}类" for k in f["clusters"]]
        return f"按行为特征聚成{f['k']}类（轮廓系数最优）：" + "；".join(clusters) + "。"
    return f"K-means found {f['k']} clusters (best silhouette): " + "; ".join(clusters) + "."


def _lookalike(f: dict[str, Any], lang: Language) -> str:
    auc = f.get("auc")
    size = f.get("seed_size") or f.get("seed_customers")
    if lang == "zh":
        return f"以{size:,}位种子客户训练相似度模型（AUC {auc:.2f}），返回最相似的{f.get('returned', '')}位客户。"
    return f"Trained a similarity model on {size:,} seed customers (AUC {auc:.2f}) and returned the {f.get('returned', '')} closest customers."


_COPY_CHANNELS = {"sms": ("SMS", "短信"), "email": ("email", "邮件"), "wechat": ("WeChat template message", "微信模板消息"),
                  "app_push": ("app push", "App推送"), "douyin": ("Douyin ad", "抖音广告"),
                  "xiaohongshu": ("Xiaohongshu note", "小红书笔记"), "search": ("search ad", "搜索广告")}
_COPY_GOALS = {"acquire": ("acquire", "拉新"), "convert": ("convert", "促转化"), "retain": ("retain", "留存"),
               "reactivate": ("win back", "召回"), "upsell": ("upsell", "推新连带")}
_COPY_STATUS = {"pass": ("passes every check", "全部检查通过"), "rewritten": ("banned terms rewritten", "违规用语已改写"),
                "fail": ("FAILS", "未通过")}


def _generate_copy(f: dict[str, Any], lang: Language) -> str:
    zh = lang == "zh"
    channel = _COPY_CHANNELS[f["channel"]][1 if zh else 0]
    goal = _COPY_GOALS[f["goal"]][1 if zh else 0]
    basis = ("；" if zh else "; ").join(f"{k}{'：' if zh else ': '}{v}" for k, v in f["facts_used"].items())
    lines = []
    for variant in f["variants"]:
        status = _COPY_STATUS[variant["status"]][1 if zh else 0]
        problems = f" ({'; '.join(variant['problems'])})" if variant["problems"] else ""
        lines.append(f"{variant['id'].split('-')[3]}. {variant['text']} [{status}{problems}]")
    if zh:
        head = f"为{f['audience']}（{f['audience_size']:,}人）写了{len(lines)}条{channel}文案，目标：{goal}。依据数据：{basis}。"
        head += f"{f['passed']}条全部检查通过" + (f"，{f['rewritten']}条已改写违规用语" if f["rewritten"] else "")
        head += (f"，{f['failed']}条未通过（已标出，勿直接发送）" if f["failed"] else "") + "。"
        if "channel" in f.get("defaulted", ()):
            head += f"未指定渠道，按该人群互动最多的渠道选了{channel}。"
        if f.get("brand_placeholder"):
            head += f"签名是占位符“{f['brand']}”：发送前请替换，或用 GENBI_BRAND、genbi.yaml 的 brand 设置品牌名。"
    else:
        head = (f"{len(lines)} {channel} variants for {f['audience']} ({f['audience_size']:,} customers), "
                f"goal: {goal}. Written from: {basis}. {f['passed']} pass every check")
        head += (f", {f['rewritten']} had banned terms rewritten" if f["rewritten"] else "")
        head += (f", {f['failed']} fail (marked: do not send as is)" if f["failed"] else "") + "."
        if "channel" in f.get("defaulted", ()):
            head += f" No channel was given: {channel} is where this audience engages most."
        if f.get("brand_placeholder"):
            head += (f" Signed with the placeholder '{f['brand']}': replace it before sending, or set your "
                     "brand with GENBI_BRAND or genbi.yaml's brand.")
    return head + "\n" + "\n".join(lines)


def _explain_change(f: dict[str, Any], lang: Language) -> str:
    from genbi.assistant.change_narrative import narrate_change

    return narrate_change(f, lang, _name)


def _anomalies(f: dict[str, Any], lang: Language) -> str:
    from genbi.assistant.anomaly_narrative import narrate_anomalies

    return narrate_anomalies(f, lang)


def _budget(f: dict[str, Any], lang: Language) -> str:
    change = format_value(f["expected_change"], "currency", lang)
    low = format_value(f["change_low"], "currency", lang)
    high = format_value(f["change_high"], "currency", lang)
    level = _pct(f["interval_level"])
    up = "、".join(_name(c, lang) for c in f["increase"]) if lang == "zh" else ", ".join(_name(c, lang) for c in f["increase"])
    down = "、".join(_name(c, lang) for c in f["decrease"]) if lang == "zh" else ", ".join(_name(c, lang) for c in f["decrease"])
    if lang == "zh":
        text = (f"基于过去{f['weeks']}周各渠道的投放响应曲线，{'按指定调整' if f['mode'] == 'what-if' else '优化分配'}后"
                f"预计每周销售额变化{change}（{level}区间{low}至{high}）")
        text += (f"；加投：{up}" if up else "") + (f"；减投：{down}" if down else "")
        return text + ("。区间跨过零，效果不确定。" if f["change_is_uncertain"] else "。")
    text = (f"From {f['weeks']} weeks of per-channel response curves, the {'what-if' if f['mode'] == 'what-if' else 'optimised'} "
            f"split changes expected weekly revenue by {change} ({level} interval {low} to {high})")
    text += (f"; more for {up}" if up else "") + (f"; less for {down}" if down else "")
    return text + (". The interval spans zero: the effect is uncertain." if f["change_is_uncertain"] else ".")


def _identity(f: dict[str, Any], lang: Language) -> str:
    if lang == "zh":
        return (f"{f['records']:,}条记录合并为{f['identities']:,}个统一身份（减少{_pct(f['reduction'])}），"
                f"最大的身份含{f['largest_identity']:,}条记录；{f['conflicts']:,}次合并因更高优先级标识不一致被拒绝。")
    return (f"{f['records']:,} records resolve to {f['identities']:,} people ({_pct(f['reduction'])} fewer); the largest "
            f"holds {f['largest_identity']:,} records, and {f['conflicts']:,} joins were refused because a "
            "higher-priority identifier differed.")


_WRITERS: dict[str, Callable[[dict[str, Any], Language], str]] = {
    "explain_change": _explain_change,
    "anomalies": _anomalies,
    "budget_allocation": _budget,
    "identity_resolution": _identity,
    "generate_copy": _generate_copy,
    "rfm": _rfm,
    "attribution": _attribution,
    "ab_test": _ab_test,
    "funnel": _funnel,
    "cohort_retention": _cohort,
    "clv": _clv,
    "churn_risk": _churn,
    "lifecycle": _lifecycle,
    "segments": _segments,
    "lookalike": _lookalike,
}
