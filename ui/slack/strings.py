"""Every word the Slack bot says, in English and Chinese.

``text(key, language, **values)`` formats one entry. The bot answers in the question's
language; its own words (progress, refusals, errors) follow the same rule.
"""

from __future__ import annotations

from typing import Literal

from genbi.assistant.planner.text import language_of as planner_language

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")

STRINGS: dict[str, dict[Language, str]] = {
    "asked": {"en": "<@{user}> asked: {question}", "zh": "<@{user}> 提问：{question}"},
    "still_working": {
        "en": "⏳ Still working on it… ({seconds} s)",
        "zh": "⏳ 还在处理中……（{seconds} 秒）",
    },
    "help": {
        "en": "Ask me about your marketing data, in English or Chinese: `/genbi revenue by channel "
              "in 2025`, mention me in a channel, or send me a direct message. I answer in a "
              "thread; reply there to follow up (\"now by month\", \"only Shanghai\").",
        "zh": "用中文或英文问我营销数据：`/genbi 2025年各渠道的销售额`，或在频道里 @我，或直接私信我。"
              "我会在话题（thread）里回答；在同一话题里回复即可追问（“按月看”“只看上海”）。",
    },
    "refused_team": {
        "en": "Sorry, genbi isn't enabled for your workspace, so I haven't looked anything up. "
              "Ask whoever runs genbi to add it.",
        "zh": "抱歉，genbi 未对你所在的工作区开放，我没有查询任何数据。请联系 genbi 的管理员开通。",
    },
    "refused_channel": {
        "en": "Sorry, genbi isn't enabled in this channel, so I haven't looked anything up. "
              "Ask whoever runs genbi to add it, or ask in a channel where it is enabled.",
        "zh": "抱歉，genbi 未在此频道开放，我没有查询任何数据。请联系管理员开通，或到已开通的频道提问。",
    },
    "refused_dm": {
        "en": "Sorry, genbi doesn't answer direct messages here, so I haven't looked anything up. "
              "Please ask in one of the channels where it is enabled.",
        "zh": "抱歉，genbi 不接受私信提问，我没有查询任何数据。请到已开通的频道提问。",
    },
    "refused_user": {
        "en": "Sorry, you're not on genbi's access list, so I haven't looked anything up. "
              "Ask whoever runs genbi to add you.",
        "zh": "抱歉，你不在 genbi 的访问名单上，我没有查询任何数据。请联系 genbi 的管理员添加。",
    },
    "not_in_channel": {
        "en": "I can't post in this conversation yet. Invite me with `/invite @genbi`, or send "
              "me a direct message.",
        "zh": "我还不能在这个对话里发言。请用 `/invite @genbi` 邀请我，或直接私信我。",
    },
    "internal_error": {
        "en": "Sorry, something went wrong on my side and I couldn't answer. It has been logged; "
              "please try again, or rephrase the question.",
        "zh": "抱歉，我这边出了问题，没能回答。已记录日志；请重试或换个说法。",
    },
    "query_failed": {
        "en": "Sorry, I couldn't get the numbers: {error}",
        "zh": "抱歉，没能取到数据：{error}",
    },
    "declined": {"en": "I couldn't answer that. {reason}", "zh": "这个问题我答不了。{reason}"},
    "try_instead": {"en": "You could ask:", "zh": "可以这样问："},
    "ask_next": {"en": "Ask next:", "zh": "接着问："},
    "file_failed": {"en": "The file could not be attached ({error}).", "zh": "文件未能上传（{error}）。"},
    "read_as": {"en": "Read as: {interpretation}", "zh": "我的理解：{interpretation}"},
    "note": {"en": "Note: {warning}", "zh": "注意：{warning}"},
    "answered_from": {"en": "Data: {source}", "zh": "数据：{source}"},
    "rows_cut": {"en": "First {shown} of {rows} rows.", "zh": "共{rows}行，显示前{shown}行。"},
    "rows_all": {"en": "{rows} rows.", "zh": "共{rows}行。"},
    "columns_cut": {
        "en": "Showing {shown} of {columns} columns.",
        "zh": "显示{columns}列中的前{shown}列。",
    },
    "rows_capped": {
        "en": "The warehouse returned only the first rows.",
        "zh": "数据仓库只返回了前面的行。",
    },
    "no_rows": {"en": "No rows matched.", "zh": "没有符合条件的数据。"},
    "sql_cut": {"en": "SQL shortened to fit Slack.", "zh": "SQL 过长，已截断。"},
    "right": {"en": "👍 Right", "zh": "👍 正确"},
    "wrong": {"en": "👎 Wrong", "zh": "👎 不对"},
    "thanks_up": {
        "en": "👍 <@{user}> marked this right. Saved as a verified example.",
        "zh": "👍 <@{user}> 标记为正确，已存为验证过的示例。",
    },
    "thanks_up_known": {
        "en": "👍 <@{user}> marked this right (already a verified example).",
        "zh": "👍 <@{user}> 标记为正确（已是验证过的示例）。",
    },
    "thanks_up_plain": {"en": "👍 <@{user}> marked this right.", "zh": "👍 <@{user}> 标记为正确。"},
    "thanks_down": {
        "en": "👎 <@{user}> marked this wrong. Thanks, it's saved for review.",
        "zh": "👎 <@{user}> 标记为不对。谢谢，已记录以便改进。",
    },
    "answer_gone": {
        "en": "That answer is too old to rate now. Ask again and rate the new one.",
        "zh": "这个回答太久了，无法评价。请重新提问后再评价。",
    },
    "correction_title": {"en": "What was wrong?", "zh": "哪里不对？"},
    "correction_label": {
        "en": "What did you expect? (optional)",
        "zh": "你期望的结果是什么？（可选）",
    },
    "correction_hint": {
        "en": "e.g. revenue should exclude refunds; I meant last calendar month",
        "zh": "例如：销售额应扣除退款；我指的是上个自然月",
    },
    "send": {"en": "Send", "zh": "发送"},
    "skip": {"en": "Skip", "zh": "跳过"},
    "chart_failed": {
        "en": "The chart could not be attached ({error}).",
        "zh": "图表未能上传（{error}）。",
    },
}


def text(key: str, language: Language = "en", **values: object) -> str:
    """One string in ``language``, with ``values`` filled in."""
    template = STRINGS[key][language]
    return template.format(**values) if values else template


def language_of(question: str) -> Language:
    """The planner's reading of the question's language, so replies match its answers."""
    return "zh" if planner_language(question) == "zh" else "en"
