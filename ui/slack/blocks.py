"""Answers as Slack Block Kit messages: pure functions of the answer, tested without Slack.

An answer reads top to bottom: the narrative, the first rows as an aligned table, how the
question was read (and any notes), the SQL, then 👍 / 👎. A decline offers the planner's
suggestions as buttons that ask them in the same thread. Slack's limits (3,000 characters
a section, 75 a button label) are respected here so a long SQL never breaks a reply.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from genbi.assistant.answer import Answer
from genbi.assistant.columns import ColumnInfo
from genbi.ui.slack.payloads import escape
from genbi.ui.slack.strings import Language, text
from genbi.ui.slack.table import TABLE_ROWS, text_table, visible_columns

FEEDBACK_BLOCK = "genbi_feedback"
SUGGESTIONS_BLOCK = "genbi_suggestions"
ACTION_RIGHT = "genbi_feedback_right"
ACTION_WRONG = "genbi_feedback_wrong"
ACTION_SUGGEST = "genbi_suggest"
"""Prefix; each suggestion button is ``genbi_suggest_<n>`` (ids are unique per block)."""
CORRECTION_VIEW = "genbi_correction"
CORRECTION_BLOCK = "correction"
CORRECTION_INPUT = "text"
SECTION_LIMIT = 3_000
FALLBACK_LIMIT = 300
MAX_SUGGESTIONS = 5
MAX_CONTEXT_ELEMENTS = 10


@dataclass(frozen=True)
class Reply:
    """One Slack message: ``text`` is the notification / fallback, ``blocks`` the layout."""

    text: str
    blocks: tuple[dict[str, Any], ...] = ()

    def kwargs(self) -> dict[str, Any]:
        """Arguments for ``chat.postMessage`` / ``chat.update``."""
        return {"text": self.text, "blocks": list(self.blocks)} if self.blocks else {"text": self.text}


def notice(message: str) -> Reply:
    """A plain message (help, refusal, error) as one section."""
    return Reply(_fallback(message), (_section(message),))


def answer_reply(
    answer: Answer, columns: Sequence[ColumnInfo], key: str, *, feedback_note: str | None = None,
    source: str | None = None, follow_ups: Sequence[str] = (),
) -> Reply:
    """The full answer. ``key`` identifies it in the feedback buttons; once rated, the buttons
    give way to ``feedback_note``. ``source`` names the warehouse and model that answered;
    ``follow_ups`` are suggested next questions, as buttons that ask them in the thread."""
    language = answer.language
    if answer.decline is not None:
        return decline_reply(answer)
    if answer.error:
        lead = text("query_failed", language, error=escape(answer.error))
    else:
        lead = escape(answer.narrative) or text("no_rows", language)
    blocks = [_section(lead)]
    if not answer.error and answer.columns:
        blocks += _table_blocks(answer, columns, language)
    blocks.append(_reading(answer, language, source))
    if answer.sql:
        blocks.append(_sql(answer.sql, language))
    if not answer.error:
        blocks.append(_feedback(key, language) if feedback_note is None else _context([feedback_note]))
    asks = [a for a in follow_ups if a.strip()][:MAX_SUGGESTIONS]
    if asks and not answer.error:
        blocks.append(_context([text("ask_next", language)]))
        blocks.append(_suggestions(asks))
    fallback = " · ".join(p for p in (answer.interpretation, answer.error or answer.narrative) if p)
    return Reply(_fallback(escape(fallback)), tuple(blocks))


def decline_reply(answer: Answer) -> Reply:
    """Why the question was not answered, with its suggestions as buttons."""
    assert answer.decline is not None
    language = answer.language
    message = text("declined", language, reason=escape(answer.decline.reason))
    blocks: list[dict[str, Any]] = [_section(message)]
    suggestions = [s for s in answer.decline.suggestions if s.strip()][:MAX_SUGGESTIONS]
    if suggestions:
        blocks.append(_context([text("try_instead", language)]))
        blocks.append(_suggestions(suggestions))
    return Reply(_fallback(message), tuple(blocks))


def _suggestions(questions: Sequence[str]) -> dict[str, Any]:
    """Buttons that ask ``questions`` in the thread (a decline's suggestions, an answer's next questions)."""
    return {
        "type": "actions",
        "block_id": SUGGESTIONS_BLOCK,
        "elements": [_button(f"{ACTION_SUGGEST}_{i}", q, q[:2000]) for i, q in enumerate(questions)],
    }


def correction_modal(key: str, language: Language) -> dict[str, Any]:
    """The 👎 follow-up: what should the answer have been (stored with the feedback)."""
    return {
        "type": "modal",
        "callback_id": CORRECTION_VIEW,
        "private_metadata": json.dumps({"key": key, "language": language}),
        "title": _plain(text("correction_title", language)),
        "submit": _plain(text("send", language)),
        "close": _plain(text("skip", language)),
        "blocks": [{
            "type": "input",
            "block_id": CORRECTION_BLOCK,
            "optional": True,
            "label": _plain(text("correction_label", language)),
            "element": {
                "type": "plain_text_input",
                "action_id": CORRECTION_INPUT,
                "multiline": True,
                "max_length": 2000,
                "placeholder": _plain(text("correction_hint", language)[:150]),
            },
        }],
    }


# --- pieces ---


def _table_blocks(answer: Answer, columns: Sequence[ColumnInfo], language: Language) -> list[dict[str, Any]]:
    if not answer.rows:
        return [_context([text("no_rows", language)])]
    shown = visible_columns(columns, answer.rows, language)
    table = text_table([columns[i] for i in shown], [[row[i] for i in shown] for row in answer.rows],
                       language)
    total = len(answer.rows)
    note = (text("rows_cut", language, shown=TABLE_ROWS, rows=f"{total:,}") if total > TABLE_ROWS
            else text("rows_all", language, rows=f"{total:,}"))
    if len(shown) < len(columns):
        note += " " + text("columns_cut", language, shown=len(shown), columns=len(columns))
    if answer.truncated:
        note += " " + text("rows_capped", language)
    table = _cut(escape(table), SECTION_LIMIT - 8)
    return [_section(f"```\n{table}\n```"), _context([note])]


def _reading(answer: Answer, language: Language, source: str | None = None) -> dict[str, Any]:
    notes = [text("read_as", language, interpretation=escape(answer.interpretation))] if answer.interpretation else []
    notes += [text("note", language, warning=escape(w)) for w in answer.warnings]
    if source:
        notes = [*notes[:MAX_CONTEXT_ELEMENTS - 1], text("answered_from", language, source=escape(source))]
    return _context(notes[:MAX_CONTEXT_ELEMENTS] or [escape(answer.question)])


def _sql(sql: str, language: Language) -> dict[str, Any]:
    body = escape(sql.strip())
    limit = SECTION_LIMIT - 8
    if len(body) > limit:
        note = "\n" + text("sql_cut", language)
        body = _cut(body, limit - len(note)) + note
    return _section(f"```\n{body}\n```")


def _feedback(key: str, language: Language) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK,
        "elements": [_button(ACTION_RIGHT, text("right", language), key),
                     _button(ACTION_WRONG, text("wrong", language), key)],
    }


def _section(markdown: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(markdown, SECTION_LIMIT)}}


def _context(items: Sequence[str]) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(i, 2_000)} for i in items]}


def _button(action_id: str, label: str, value: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": _plain(_cut(label, 75)), "value": value}


def _plain(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value, "emoji": True}


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _fallback(message: str) -> str:
    return _cut(" ".join(message.split()), FALLBACK_LIMIT)
