"""Every string the chat UI shows, in English and Chinese.

One table keyed by a short name; ``text(key, language, **values)`` formats the entry.
Nothing else in ``ui/`` holds user-facing words, so the language toggle reaches everything
and a test can check that no key lacks a translation.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
LANGUAGE_CHOICES: tuple[tuple[str, Language], ...] = (("English", "en"), ("中文", "zh"))

STRINGS: dict[str, dict[Language, str]] = {
    "title": {
        "en": "## genbi · ask your marketing data",
        "zh": "## genbi · 用对话分析营销数据",
    },
    "tagline": {
        "en": "Ask in plain English or Chinese. Every answer shows how it was read, the numbers, "
              "a chart and the SQL behind it.",
        "zh": "用中文或英文直接提问。每个回答都会给出我的理解、数据、图表和背后的 SQL。",
    },
    "language": {"en": "Language", "zh": "语言"},
    "chat": {"en": "Conversation", "zh": "对话"},
    "chat_placeholder": {
        "en": "**Ask about revenue, orders, ROAS, customers…**\n\nFor example *revenue by channel "
              "in 2025*, then follow up with *only Shanghai* or *what about orders?* "
              "Examples on the left run with one click.",
        "zh": "**可以问销售额、订单数、投产比、客户……**\n\n例如“2025年各渠道的销售额”，接着追问"
              "“只看上海”或“换成订单数”。点击左侧的示例问题即可直接运行。",
    },
    "question": {"en": "Your question", "zh": "你的问题"},
    "question_placeholder": {
        "en": "e.g. revenue by channel in 2025",
        "zh": "例如：2025年各渠道的销售额",
    },
    "ask": {"en": "Ask", "zh": "提问"},
    "new_chat": {"en": "New conversation", "zh": "新对话"},
    # --- streaming stages ---
    "stage_reading": {"en": "_Reading your question…_", "zh": "_正在理解你的问题……_"},
    "stage_running": {"en": "_Running the query…_", "zh": "_正在查询数据……_"},
    "stage_drawing": {"en": "_Drawing the chart…_", "zh": "_正在绘制图表……_"},
    # --- the answer panel ---
    "answer_panel": {"en": "Answer details", "zh": "回答详情"},
    "answer_empty": {
        "en": "_The chart, table and SQL of the selected answer appear here. Click an earlier "
              "answer in the conversation to see its details again._",
        "zh": "_所选回答的图表、数据表和 SQL 会显示在这里。点击对话中较早的回答可再次查看其详情。_",
    },
    "interpretation": {"en": "How I read it", "zh": "我的理解"},
    "chart": {"en": "Chart", "zh": "图表"},
    "table": {"en": "Result table (click a header to sort)", "zh": "结果表（点击表头排序）"},
    "rows_all": {"en": "{rows:,} row(s).", "zh": "共 {rows:,} 行。"},
    "rows_cut": {
        "en": "Showing the first {shown:,} of {rows:,} rows; the CSV has all {rows:,}.",
        "zh": "仅显示前 {shown:,} 行（共 {rows:,} 行）；CSV 文件包含全部 {rows:,} 行。",
    },
    "rows_capped": {
        "en": "The warehouse returned more rows than genbi keeps; narrow the question "
              "(a shorter period, a filter or a top N) to see everything.",
        "zh": "查询结果超过 genbi 的行数上限；请缩小问题范围（更短的时间、加筛选或取前 N 名）。",
    },
    "sql": {"en": "SQL", "zh": "SQL 语句"},
    "download_csv": {"en": "Download CSV", "zh": "下载 CSV"},
    "extras": {"en": "More from this answer", "zh": "更多结果"},
    "facts": {"en": "Key facts", "zh": "要点"},
    "variants": {"en": "Copy variants", "zh": "文案候选"},
    "checks": {"en": "checks", "zh": "检查"},
    "copy_pass": {"en": "passes every check", "zh": "全部检查通过"},
    "copy_rewritten": {"en": "banned terms rewritten", "zh": "违规用语已改写"},
    "copy_fail": {"en": "fails a rule: do not send as is", "zh": "未通过：请勿直接发送"},
    "check_ok": {"en": "passed", "zh": "通过"},
    "check_failed": {"en": "failed", "zh": "未通过"},
    "notes": {"en": "Note", "zh": "注意"},
    "brain_line": {"en": "Answered by the {brain}.", "zh": "回答来自{brain}。"},
    # --- feedback ---
    "feedback": {"en": "Was this answer right?", "zh": "这个回答对吗？"},
    "thumbs_up": {"en": "👍 Right", "zh": "👍 正确"},
    "thumbs_down": {"en": "👎 Not right", "zh": "👎 不对"},
    "correction": {
        "en": "What should I have read? e.g. 'revenue by sales channel, not marketing channel'",
        "zh": "正确的理解是什么？例如：“按销售渠道，而不是营销渠道”",
    },
    "correction_send": {"en": "Send correction", "zh": "提交更正"},
    "thanks_up": {
        "en": "Thanks! Saved as a verified example: similar questions will be read this way.",
        "zh": "谢谢！已保存为验证过的示例，类似的问题今后会这样理解。",
    },
    "thanks_up_known": {
        "en": "Thanks! This reading was already a verified example.",
        "zh": "谢谢！这个理解已经是验证过的示例了。",
    },
    "ask_correction": {
        "en": "Sorry about that. Tell me the right reading below and I'll keep it for the team.",
        "zh": "抱歉。请在下方告诉我正确的理解，我会记录下来。",
    },
    "thanks_down": {
        "en": "Thanks, your correction is saved for the team to review.",
        "zh": "谢谢，你的更正已保存，团队会跟进。",
    },
    "feedback_nothing": {
        "en": "Ask a question first; feedback applies to the answer shown.",
        "zh": "请先提问；反馈针对当前显示的回答。",
    },
    "feedback_not_query": {
        "en": "Thanks, noted. Only answers with a query can become verified examples.",
        "zh": "谢谢，已记录。只有带查询的回答才能保存为示例。",
    },
    # --- the side panel ---
    "source": {"en": "Data source", "zh": "数据源"},
    "source_line": {
        "en": "**{name}** · {size} · {tables} tables",
        "zh": "**{name}** · {size} · {tables} 张表",
    },
    "model_line": {"en": "model: {model}", "zh": "语义模型：{model}"},
    "open_placeholder": {
        "en": "Open another warehouse: a .duckdb file, a CSV/Parquet/Excel file or folder (local path)",
        "zh": "打开其他数据：.duckdb 文件、CSV/Parquet/Excel 文件或文件夹（本地路径）",
    },
    "open": {"en": "Open", "zh": "打开"},
    "opened": {"en": "Now answering from {name}.", "zh": "已切换到 {name}。"},
    "brain": {"en": "Who is answering", "zh": "当前解析方式"},
    "brain_state": {"en": "**{brain}** · {state}", "zh": "**{brain}** · {state}"},
    "brain_offline": {"en": "offline planner", "zh": "离线解析器"},
    "state_ready": {"en": "ready", "zh": "就绪"},
    "model_browser": {"en": "Metrics and dimensions", "zh": "指标与维度"},
    "model_search": {
        "en": "Search by name, description or synonym (e.g. ROAS, 渠道)",
        "zh": "按名称、说明或同义词搜索（例如：ROAS、渠道）",
    },
    "model_no_match": {
        "en": "No metric or dimension matches “{query}”.",
        "zh": "没有与“{query}”匹配的指标或维度。",
    },
    "col_kind": {"en": "Kind", "zh": "类型"},
    "col_name": {"en": "Name", "zh": "名称"},
    "col_description": {"en": "Description", "zh": "说明"},
    "col_synonyms": {"en": "Also called", "zh": "同义词"},
    "col_values": {"en": "Values", "zh": "取值"},
    "kind_metric": {"en": "metric", "zh": "指标"},
    "kind_dimension": {"en": "dimension", "zh": "维度"},
    "examples": {"en": "Try asking (click to run)", "zh": "试着问（点击即运行）"},
    "example_questions": {
        # Tried against the model at start-up; any the assistant cannot answer are replaced
        # by the planner's own suggestions. One question a line.
        "en": "Revenue by sales channel in 2025\nTop 5 cities by revenue last quarter\n"
              "Monthly orders in 2025\nROAS by channel last month",
        "zh": "2025年各销售渠道的销售额\n上个月各城市等级的客单价\n2025年每月的订单数\n"
              "销售额最高的5个城市",
    },
    "audiences": {"en": "Saved audiences", "zh": "已保存的人群"},
    "audiences_none": {
        "en": "_None yet. Ask for a segment (e.g. RFM champions) and save it as an audience._",
        "zh": "_暂无。可以先查询一个人群（例如 RFM 重要价值客户）再保存。_",
    },
    "audience_line": {"en": "**{name}** · {size:,} customers", "zh": "**{name}** · {size:,} 位客户"},
    "audiences_hint": {
        "en": "_In the chat: “save these customers as …”, “write an SMS for NAME”, “export audience NAME”._",
        "zh": "_在对话里说：“把这些客户存为…”、“给人群名写一条短信”、“导出人群 人群名”。_",
    },
    "audiences_manage": {"en": "Rename, delete or export", "zh": "重命名、删除或导出"},
    "audience_pick": {"en": "Audience", "zh": "人群"},
    "audience_new_name": {"en": "New name", "zh": "新名称"},
    "audience_rename": {"en": "Rename", "zh": "重命名"},
    "audience_delete": {"en": "Delete", "zh": "删除"},
    "audience_export": {"en": "Export CSV", "zh": "导出 CSV"},
    "save_audience": {"en": "Save as audience", "zh": "保存为人群"},
    "save_audience_name": {"en": "Audience name, e.g. VIP lapsed", "zh": "人群名称，例如 高价值召回"},
    "follow_ups": {"en": "**Ask next**", "zh": "**接着问**"},
    "toggle_side": {"en": "☰ Panel", "zh": "☰ 侧栏"},
    "unknown_size": {"en": "size unknown", "zh": "大小未知"},
    # --- answers that are not numbers ---
    "declined": {
        "en": "I couldn't answer that as asked.",
        "zh": "这个问题我暂时无法按原样回答。",
    },
    "try_instead": {"en": "You could try:", "zh": "可以试试："},
    "query_failed": {
        "en": "I understood the question but the query did not run: {error}",
        "zh": "我理解了问题，但查询没有成功：{error}",
    },
    "internal_error": {
        "en": "Sorry, something went wrong on my side while answering. Nothing was changed. "
              "Try asking again, rephrase the question, or start a new conversation. "
              "The details were logged for the team.",
        "zh": "抱歉，回答时我这边出了点问题，没有任何数据被改动。请重试、换个问法，"
              "或开始新对话。详细信息已记录，团队会跟进。",
    },
    "empty_question": {
        "en": "Type a question first, or click an example on the left.",
        "zh": "请先输入问题，或点击左侧的示例问题。",
    },
    "no_rows": {"en": "No rows.", "zh": "没有数据。"},
    # --- pins, dashboards and monitors (ui.dashboard_page) ---
    "pin": {"en": "📌 Pin", "zh": "📌 固定"},
    "pin_dashboard": {"en": "Dashboard to pin to", "zh": "固定到哪个看板"},
    "pin_default": {"en": "My dashboard", "zh": "我的看板"},
    "pinned": {
        "en": "Pinned to **{name}**: it is re-run with the current date on the [Dashboards](/dashboards) page.",
        "zh": "已固定到 **{name}**：在[看板](/dashboards)页面会按当天日期重新计算。",
    },
    "dashboards": {"en": "Dashboards", "zh": "看板"},
    "dashboards_title": {
        "en": "## Dashboards · 看板\nPinned answers, re-run as of the date below every time the page opens.",
        "zh": "## 看板\n固定的回答，每次打开都按下面的日期重新计算。",
    },
    "dashboard": {"en": "Dashboard", "zh": "看板"},
    "dashboard_as_of": {"en": "As of (YYYY-MM-DD)", "zh": "截至日期（YYYY-MM-DD）"},
    "dashboard_refresh": {"en": "Re-run", "zh": "重新计算"},
    "dashboard_export_html": {"en": "Export HTML", "zh": "导出 HTML"},
    "dashboard_export_png": {"en": "Export PNG", "zh": "导出 PNG"},
    "dashboards_none": {
        "en": "_No dashboards yet: pin an answer in the chat (📌 Pin, or say \"pin this to 'Weekly'\")._",
        "zh": "_还没有看板：在对话里固定一个回答（📌 固定，或说“把这个固定到周报”）。_",
    },
    "dashboard_status": {
        "en": "**{name}** · {count} pin(s) · as of {as_of}",
        "zh": "**{name}** · {count} 个回答 · 截至 {as_of}",
    },
    "dashboard_bad_date": {"en": "'{value}' is not a date: use YYYY-MM-DD.", "zh": "“{value}”不是日期，请用 YYYY-MM-DD。"},
    "monitors_title": {
        "en": "## Monitors · 监控\nScheduled reports and alerts, created in Slack (\"tell me every Monday how "
              "revenue by channel did\").",
        "zh": "## 监控\n在 Slack 里创建的定时报告和提醒（“每周一告诉我各渠道的销售额”）。",
    },
    "monitor_number": {"en": "Monitor #", "zh": "监控编号"},
    "monitor_pause": {"en": "Pause", "zh": "暂停"},
    "monitor_resume": {"en": "Resume", "zh": "恢复"},
    "monitor_delete": {"en": "Delete", "zh": "删除"},
    "monitor_pick": {"en": "Type a monitor's number first.", "zh": "请先填写监控编号。"},
    "monitor_paused": {"en": "Paused monitor #{number}.", "zh": "已暂停监控 #{number}。"},
    "monitor_resumed": {"en": "Resumed monitor #{number}.", "zh": "已恢复监控 #{number}。"},
    "monitor_deleted": {"en": "Deleted monitor #{number}.", "zh": "已删除监控 #{number}。"},
    "monitor_unknown": {"en": "There is no monitor #{number}.", "zh": "没有 #{number} 号监控。"},
}


def text(key: str, language: str, **values: object) -> str:
    """The string ``key`` in ``language`` (English for anything else), formatted with ``values``.

    >>> text("rows_all", "en", rows=1200)
    '1,200 row(s).'
    """
    entry = STRINGS[key]
    template = entry["zh"] if language == "zh" else entry["en"]
    return template.format(**values) if values else template


def language_of(choice: str | None) -> Language:
    """The language code behind a toggle choice ("English" / "中文" or a code)."""
    for label, code in LANGUAGE_CHOICES:
        if choice in (label, code):
            return code
    return "en"
