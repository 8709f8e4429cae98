"""The parts of Slack's payloads the bot reads, validated, and the question text cleaned.

Slack adds fields to its payloads over time, so these models ignore unknown keys rather
than forbid them; what they do declare is checked (a command without a channel is refused
before anything runs).
"""

from __future__ import annotations

import html
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class SlashCommand(_Payload):
    """A ``/genbi …`` invocation (form fields of the slash command request)."""

    team_id: str
    channel_id: str
    user_id: str
    text: str = ""
    channel_name: str = ""
    response_url: str | None = None

    @property
    def direct(self) -> bool:
        return self.channel_id.startswith("D") or self.channel_name == "directmessage"


class MessageEvent(_Payload):
    """An ``app_mention`` or ``message`` event."""

    type: str
    channel: str
    ts: str
    user: str | None = None
    text: str = ""
    thread_ts: str | None = None
    channel_type: str | None = None
    subtype: str | None = None
    bot_id: str | None = None
    team: str | None = None
    user_team: str | None = None

    @property
    def direct(self) -> bool:
        return self.channel_type == "im" or self.channel.startswith("D")

    @property
    def from_person(self) -> bool:
        """A person's new message (not an edit, a join notice or another bot)."""
        return self.user is not None and self.subtype is None and self.bot_id is None


class _Id(_Payload):
    id: str


class _UserRef(_Payload):
    id: str
    team_id: str | None = None


class _Message(_Payload):
    ts: str
    thread_ts: str | None = None
    blocks: list[dict[str, Any]] = Field(default_factory=list)


class _Action(_Payload):
    action_id: str
    value: str = ""


class BlockAction(_Payload):
    """A button click on one of the bot's messages."""

    user: _UserRef
    channel: _Id
    message: _Message
    actions: list[_Action] = Field(min_length=1)
    team: _Id | None = None
    trigger_id: str | None = None

    @property
    def team_id(self) -> str | None:
        return self.user.team_id or (self.team.id if self.team else None)

    @property
    def thread_ts(self) -> str:
        return self.message.thread_ts or self.message.ts


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^>|]*)?(?:\|([^>]*))?>")


def clean_text(raw: str, bot_user_id: str | None = None) -> str:
    """The question as typed: the bot's own mention removed and Slack markup unwrapped.

    >>> clean_text("<@UBOT> revenue in <#C1|sales> &amp; <https://x.io|x.io>", "UBOT")
    'revenue in #sales & x.io'
    """
    def mention(match: re.Match[str]) -> str:
        if match.group(1) == bot_user_id:
            return " "
        return f"@{match.group(2) or match.group(1)}"

    text = _MENTION.sub(mention, raw)
    text = _CHANNEL.sub(lambda m: f"#{m.group(2) or m.group(1)}", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _SPECIAL.sub(lambda m: m.group(2) or f"@{m.group(1)}", text)
    return " ".join(html.unescape(text).split())


def escape(text: str) -> str:
    """Text safe for Slack mrkdwn: only ``&``, ``<`` and ``>`` are special."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mentions(raw: str, user_id: str | None) -> bool:
    return bool(user_id) and f"<@{user_id}" in raw
