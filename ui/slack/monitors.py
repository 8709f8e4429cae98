"""Posting monitor runs to Slack: a scheduled report or an alert with its chart, or a clear
error when the run failed — in the channel or DM where the monitor was asked for.

The scheduler (``assistant.watch.scheduler``) decides when; this only renders and posts.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from genbi.assistant.watch.monitors import Outcome
from genbi.ui.slack import blocks
from genbi.ui.slack.chart import chart_png
from genbi.ui.slack.payloads import escape
from genbi.ui.slack.table import answer_column_infos

log = logging.getLogger(__name__)

CHART_FILENAME = "genbi-monitor.png"


def destination(team: str | None, channel: str) -> str:
    """How a Slack channel or DM is stored as a monitor's destination."""
    return f"slack:{team or '-'}:{channel}"


def channel_of(where: str) -> str | None:
    """The channel id of a destination written by ``destination`` (None for anything else)."""
    kind, _, rest = where.partition(":")
    channel = rest.rpartition(":")[2]
    return channel if kind == "slack" and channel else None


class SlackDelivery:
    """``Watcher``'s deliver function for Slack."""

    def __init__(self, client: WebClient, model: Any = None) -> None:
        self.client = client
        self.model = model

    def __call__(self, outcome: Outcome) -> None:
        channel = channel_of(outcome.monitor.destination)
        if channel is None:
            log.warning("monitor %s has no Slack destination (%s)", outcome.monitor.id, outcome.monitor.destination)
            return
        if outcome.kind == "error" or outcome.answer is None:
            reply = blocks.notice(escape(outcome.message))
            self.client.chat_postMessage(channel=channel, unfurl_links=False, **reply.kwargs())
            return
        answer = outcome.answer
        columns = answer_column_infos(answer, self.model)
        stop = outcome.monitor.describe(answer.language)
        body = blocks.answer_reply(answer, columns, "", feedback_note=stop)
        heading = blocks.notice(escape(outcome.message))
        self.client.chat_postMessage(channel=channel, unfurl_links=False, text=heading.text,
                                     blocks=[*heading.blocks, *body.blocks])
        self._chart(channel, answer, columns)

    def _chart(self, channel: str, answer: Any, columns: Any) -> None:
        try:
            png = chart_png(columns, answer.rows, title=answer.interpretation, language=answer.language)
        except Exception:  # a chart is a nice-to-have: the report is already posted
            log.exception("could not draw the monitor chart")
            return
        if png is None:
            return
        try:
            self.client.files_upload_v2(channel=channel, file=png, filename=CHART_FILENAME,
                                        title=answer.interpretation or "genbi", alt_txt=answer.interpretation)
        except (SlackClientError, OSError) as error:
            log.warning("monitor chart upload failed in %s: %s", channel, type(error).__name__)


def start_watcher(assistant: Any, client: WebClient) -> tuple[Any, str]:
    """The monitors' runner for this process, attached to ``assistant`` (so chat commands
    add and edit the running schedule) — a list-and-edit watcher when another process
    already runs them — and a sentence for the start-up banner."""
    from genbi.assistant.watch.scheduler import Watcher
    from genbi.errors import ConfigError

    deliver = SlackDelivery(client, getattr(assistant, "model", None))
    watcher = Watcher(assistant, deliver)
    try:
        watcher.open(run=True)
    except ConfigError as problem:
        log.warning("monitors not run by this process: %s", problem)
        watcher = Watcher(assistant, deliver).open(run=False)
        assistant.monitors = watcher
        return watcher, f"Monitors are not run here: {problem}"
    assistant.monitors = watcher
    return watcher, f"{len(watcher.monitors())} monitor(s) scheduled (time zone {watcher.timezone.key})."


def watch(db_path: Any, *, model_path: Any = None, as_of: Any = None, once: bool = False,
          announce: Any = print) -> None:
    """``genbi watch``: run the monitors and post to Slack without serving the bot (needs only
    ``SLACK_BOT_TOKEN``); ``once`` runs what is due now and exits (for a cron entry)."""
    import os

    from genbi.assistant import Assistant
    from genbi.assistant.runtime import ready
    from genbi.assistant.watch.scheduler import Watcher
    from genbi.errors import ConfigError
    from genbi.shutdown import stop_signals, wait
    from genbi.ui.slack.config import API_URL, BOT_TOKEN, DEFAULT_API_URL
    from genbi.ui.slack.server import check_token

    token = os.environ.get(BOT_TOKEN, "").strip()
    if not token.startswith("xoxb-"):
        raise ConfigError(f"{BOT_TOKEN} is not set to a bot token (xoxb-…): monitors post with it.",
                          "Copy the Bot User OAuth Token from the Slack app's OAuth & Permissions page.")
    client = WebClient(token=token, base_url=os.environ.get(API_URL, "").strip() or DEFAULT_API_URL)
    check_token(client)
    assistant = Assistant.open(db_path, model_path=model_path, as_of=as_of)
    assistant.charts = False
    watcher = Watcher(assistant, SlackDelivery(client, assistant.model), inline=once)
    try:
        watcher.open(run=True)
        assistant.monitors = watcher
        if once:
            watcher.run_due()
            return
        ready(assistant)  # a long-running watcher: warmed up, what opening built out of later collections
        announce(f"genbi watch: {len(watcher.monitors())} monitor(s) over {assistant.source}, "
                 f"time zone {watcher.timezone.key}. Ctrl+C stops it.")
        with stop_signals() as stop:
            wait(stop)
        announce("genbi watch: stopped.")
    finally:
        watcher.close()
        assistant.close()
