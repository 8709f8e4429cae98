"""The Slack bot: questions in (slash command, mention, DM, thread reply), answers out.

Every listener acknowledges Slack at once (Bolt's lazy listeners) and does the work on a
worker thread: check the allow-list, ask ``Assistant.answer`` with the thread as the
conversation, post the answer in the thread, upload the chart. A slow answer gets a
"still working" message that goes away when the answer arrives. Anything unexpected is
logged and the asker gets a polite line in the thread, never a traceback.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError
from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from genbi.assistant.answer import Answer, AnswerRequest
from genbi.assistant.columns import ColumnInfo
from genbi.assistant.state import StateStore
from genbi.ui.slack import blocks
from genbi.ui.slack.access import AccessList, Refusal
from genbi.ui.slack.chart import chart_kind, chart_png
from genbi.ui.slack.monitors import destination
from genbi.ui.slack.payloads import (
    BlockAction,
    MessageEvent,
    SlashCommand,
    clean_text,
    escape,
    mentions,
)
from genbi.ui.slack.recent import Recent
from genbi.ui.slack.strings import Language, language_of, text
from genbi.ui.slack.table import answer_column_infos

log = logging.getLogger(__name__)

COMMAND = "/genbi"
HELP_WORDS = frozenset({"", "help", "?", "帮助"})
CHART_FILENAME = "genbi-chart.png"


class Answerer(Protocol):
    """What the bot needs from the assistant: the one entry point. A ``model`` attribute, when
    there is one (``Assistant.model``), gives result columns their labels and formats."""

    def answer(self, request: AnswerRequest) -> Answer: ...


@dataclass(frozen=True)
class Ask:
    """One question to answer in one Slack thread."""

    team: str | None
    """The workspace the bot is installed in (part of the conversation key)."""
    channel: str
    user: str
    question: str
    thread_ts: str
    """The thread the answer goes in; also keys the conversation, so follow-ups keep context."""
    direct: bool = False

    @property
    def session_id(self) -> str:
        return f"slack:{self.team or '-'}:{self.channel}:{self.thread_ts}"

    @property
    def language(self) -> Language:
        return language_of(self.question)


@dataclass(frozen=True)
class Posted:
    """An answer that can still be rated: what 👍 / 👎 store."""

    answer: Answer
    columns: tuple[ColumnInfo, ...]
    session_id: str
    follow_ups: tuple[str, ...] = ()


class SlackBot:
    """The bot's behaviour, independent of how requests arrive (HTTP or Socket Mode)."""

    def __init__(
        self,
        assistant: Answerer,
        *,
        store: StateStore | None = None,
        access: AccessList | None = None,
        progress_after: float = 2.5,
        progress_every: float = 10.0,
        workers: int = 4,
    ) -> None:
        self.assistant = assistant
        self.model = getattr(assistant, "model", None)
        self._store = store
        self.access = access or AccessList()
        self.progress_after = progress_after
        self.progress_every = progress_every
        self.threads: Recent[tuple[str, str], str] = Recent(5_000)
        """(channel, thread ts) → the user who started the conversation there."""
        self.posted: Recent[str, Posted] = Recent(2_000)
        self.events: Recent[str, bool] = Recent(5_000)
        self._sessions: Recent[str, threading.Lock] = Recent(2_000)
        self.workers = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="genbi-answer")

    @property
    def store(self) -> StateStore:
        """genbi's state store, opened on the first 👍 / 👎 (the UI's store, same file)."""
        if self._store is None:
            self._store = StateStore()
        return self._store

    def register(self, app: App) -> None:
        """Attach the listeners: each acknowledges at once and works in a lazy listener."""
        app.command(COMMAND)(ack=self.command_ack, lazy=[self.command_run])
        app.event("app_mention")(ack=_ack, lazy=[self.mention_run])
        app.event("message")(ack=_ack, lazy=[self.message_run])
        app.action(blocks.ACTION_RIGHT)(ack=_ack, lazy=[self.feedback_run])
        app.action(blocks.ACTION_WRONG)(ack=_ack, lazy=[self.feedback_run])
        app.action({"block_id": blocks.SUGGESTIONS_BLOCK})(ack=_ack, lazy=[self.suggestion_run])
        app.view(blocks.CORRECTION_VIEW)(ack=_ack, lazy=[self.correction_run])

    # --- slash command ---

    def command_ack(self, ack: Ack, command: dict[str, Any]) -> None:
        """Answer the command request itself: a refusal or the help, else an empty ack."""
        try:
            gate = self._command_gate(SlashCommand.model_validate(command))
        except ValidationError:
            log.warning("malformed slash command payload: %s", sorted(command))
            ack()
            return
        if gate:
            ack(text=gate, response_type="ephemeral")
        else:
            ack()

    def command_run(self, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        try:
            cmd = SlashCommand.model_validate(command)
        except ValidationError:
            return
        if self._command_gate(cmd) is not None:
            return  # refused or help: command_ack has replied, nothing runs
        question = clean_text(cmd.text)
        language = language_of(question)
        try:
            parent = client.chat_postMessage(
                channel=cmd.channel_id, text=text("asked", language, user=cmd.user_id, question=escape(question)))
        except SlackApiError as error:
            log.info("cannot post in %s: %s", cmd.channel_id, _error_code(error))
            with suppress(SlackClientError, OSError):
                respond(text=text("not_in_channel", language), response_type="ephemeral")
            return
        ask = Ask(team=cmd.team_id, channel=cmd.channel_id, user=cmd.user_id, question=question,
                  thread_ts=str(parent["ts"]), direct=cmd.direct)
        self.answer(ask, client)

    def _command_gate(self, cmd: SlashCommand) -> str | None:
        question = clean_text(cmd.text)
        refusal = self.access.check(team=cmd.team_id, channel=cmd.channel_id, user=cmd.user_id,
                                    direct=cmd.direct)
        if refusal is not None:
            return _refusal_text(refusal, language_of(question))
        if question.lower() in HELP_WORDS:
            return text("help", language_of(question))
        return None

    # --- events: mentions, direct messages, replies in the bot's threads ---

    def mention_run(self, body: dict[str, Any], event: dict[str, Any], client: WebClient,
                    context: BoltContext) -> None:
        message = self._event(body, event)
        if message is None or message.direct or not message.from_person:
            return  # a mention in a DM also arrives as a message event, handled there
        self._take(message, body, client, context.bot_user_id)

    def message_run(self, body: dict[str, Any], event: dict[str, Any], client: WebClient,
                    context: BoltContext) -> None:
        message = self._event(body, event)
        if message is None or not message.from_person:
            return
        if message.direct:
            self._take(message, body, client, context.bot_user_id)
            return
        if message.thread_ts is None or mentions(message.text, context.bot_user_id):
            return  # channel chatter, or a mention (answered by mention_run)
        owner = self.threads.get((message.channel, message.thread_ts))
        if owner is not None and owner == message.user:
            self._take(message, body, client, context.bot_user_id)

    def _event(self, body: dict[str, Any], event: dict[str, Any]) -> MessageEvent | None:
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not self.events.add(event_id):
            return None  # Slack retried an event we already took
        try:
            return MessageEvent.model_validate(event)
        except ValidationError:
            log.warning("malformed %s event: %s", event.get("type"), sorted(event))
            return None

    def _take(self, message: MessageEvent, body: dict[str, Any], client: WebClient,
              bot_user_id: str | None) -> None:
        assert message.user is not None
        question = clean_text(message.text, bot_user_id)
        team = body.get("team_id") if isinstance(body.get("team_id"), str) else message.team
        ask = Ask(team=team, channel=message.channel, user=message.user, question=question,
                  thread_ts=message.thread_ts or message.ts, direct=message.direct)
        refusal = self.access.check(team=message.user_team or message.team or team,
                                    channel=message.channel, user=message.user, direct=message.direct)
        if refusal is not None:
            self._refuse(ask, refusal, client)
        elif question.lower() in HELP_WORDS:
            self._post(client, ask, blocks.notice(text("help", ask.language)))
        else:
            self.answer(ask, client)

    # --- buttons and the correction modal ---

    def feedback_run(self, body: dict[str, Any], client: WebClient) -> None:
        click = _block_action(body)
        if click is None:
            return
        ask = _click_ask(click, "")
        refusal = self.access.check(team=click.team_id, channel=click.channel.id, user=click.user.id,
                                    direct=click.channel.id.startswith("D"))
        posted = self.posted.get(click.actions[0].value)
        language: Language = posted.answer.language if posted else "en"
        if refusal is not None:
            self._refuse(ask, refusal, client, language)
            return
        if posted is None:
            self._whisper(client, ask, text("answer_gone", language))
            return
        right = click.actions[0].action_id == blocks.ACTION_RIGHT
        note = self._rate(posted, click, right)
        reply = blocks.answer_reply(posted.answer, posted.columns, click.actions[0].value, feedback_note=note,
                                    source=self._source(), follow_ups=posted.follow_ups)
        with _logged("update the rated answer"):
            client.chat_update(channel=click.channel.id, ts=click.message.ts, **reply.kwargs())
        if not right and click.trigger_id:
            with _logged("open the correction modal"):
                client.views_open(trigger_id=click.trigger_id,
                                  view=blocks.correction_modal(click.actions[0].value, language))

    def _rate(self, posted: Posted, click: BlockAction, right: bool) -> str:
        answer, user = posted.answer, click.user.id
        spec = answer.spec.model_dump(mode="json") if answer.spec is not None else None
        self.store.add_feedback(question=answer.question, rating=1 if right else -1,
                                session=posted.session_id, user=_who(click.team_id, user),
                                interpretation=answer.interpretation, spec=spec, sql=answer.sql)
        if not right:
            return text("thanks_down", answer.language, user=user)
        if spec is None or answer.error:
            return text("thanks_up_plain", answer.language, user=user)
        added = self.store.add_example(answer.question, spec=spec, sql=answer.sql,
                                       language=answer.language, source="slack")
        return text("thanks_up" if added else "thanks_up_known", answer.language, user=user)

    def correction_run(self, body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            comment = view["state"]["values"][blocks.CORRECTION_BLOCK][blocks.CORRECTION_INPUT]["value"]
        except (KeyError, TypeError, ValueError):
            return
        posted = self.posted.get(str(meta.get("key", "")))
        user = body.get("user") or {}
        if posted is None or not (comment or "").strip():
            return
        answer = posted.answer
        self.store.add_feedback(
            question=answer.question, rating=-1, session=posted.session_id,
            user=_who(user.get("team_id"), str(user.get("id", ""))), interpretation=answer.interpretation,
            spec=answer.spec.model_dump(mode="json") if answer.spec is not None else None,
            sql=answer.sql, comment=comment.strip(),
        )

    def suggestion_run(self, body: dict[str, Any], client: WebClient) -> None:
        click = _block_action(body)
        if click is None:
            return
        ask = _click_ask(click, click.actions[0].value)
        refusal = self.access.check(team=click.team_id, channel=click.channel.id, user=click.user.id,
                                    direct=ask.direct)
        if refusal is not None:
            self._refuse(ask, refusal, client)
        elif ask.question.strip():
            self.answer(ask, client)

    # --- answering ---

    def answer(self, ask: Ask, client: WebClient) -> Future[None]:
        """Queue ``ask`` for the answer workers; progress shows from now if it takes a while.

        Bolt's own workers only acknowledge and hand over, so a few slow questions never
        hold up the acknowledgement of the next request.
        """
        self.threads.setdefault((ask.channel, ask.thread_ts), lambda: ask.user)
        progress = Progress(client, ask, self.progress_after, self.progress_every)
        progress.start()
        return self.workers.submit(self._answer_now, ask, client, progress)

    def _answer_now(self, ask: Ask, client: WebClient, progress: Progress) -> None:
        """The outermost handler of one question, so it catches everything (and logs it)."""
        try:
            with self._one_at_a_time(ask.session_id):  # a thread's replies stay in order
                answer = self.assistant.answer(AnswerRequest(
                    question=ask.question, session_id=ask.session_id, user=_who(ask.team, ask.user),
                    reply_to=destination(ask.team, ask.channel)))
                columns = answer_column_infos(answer, self.model)
                png = self._chart(answer, columns)
                progress.stop()
                key = uuid.uuid4().hex[:16]
                asks = self._follow_ups(answer)
                self.posted.put(key, Posted(answer, columns, ask.session_id, asks))
                self._post(client, ask, blocks.answer_reply(answer, columns, key, source=self._source(),
                                                            follow_ups=asks),
                           fallback=answer.narrative)
                if png is not None:
                    self._upload(client, ask, png, answer)
                if answer.extras.get("audience") and answer.columns == ("customer_id",):
                    self._upload_ids(client, ask, answer)
        except Exception:
            log.exception("could not answer %r in %s", ask.question, ask.session_id)
            progress.stop()
            with suppress(SlackClientError, OSError):
                self._post(client, ask, blocks.notice(text("internal_error", ask.language)))

    def close(self, *, cancel: bool = False) -> None:
        """Finish the questions already taken, then stop the workers; with ``cancel`` (a
        shutdown signal) drop queued questions and stop running queries instead of waiting."""
        if cancel:
            warehouse = getattr(self.assistant, "warehouse", None)
            self.workers.shutdown(wait=False, cancel_futures=True)
            if warehouse is not None and hasattr(warehouse, "cancel"):
                warehouse.cancel()
            deadline = time.monotonic() + 3.0
            for thread in list(getattr(self.workers, "_threads", ())):  # the running answers
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
            return
        self.workers.shutdown(wait=True)

    def _source(self) -> str | None:
        """'retail.duckdb · model retail.yaml': which warehouse and model answered."""
        where = str(getattr(self.assistant, "source", "") or "")
        if not where:
            return None
        model = str(getattr(self.assistant, "model_source", "") or "").split(" (")[0]
        name = where.rsplit("/", 1)[-1]
        return f"{name} · model {model.rsplit('/', 1)[-1]}" if model else name

    def _chart(self, answer: Answer, columns: tuple[ColumnInfo, ...]) -> bytes | None:
        if answer.declined or answer.error or not answer.rows:
            return None
        if answer.tool_call is not None and chart_kind(columns, answer.rows) not in ("line", "bars"):
            return None  # a tool's wide table (segments, funnel steps) reads better than a guess
        try:
            return chart_png(columns, answer.rows, title=answer.interpretation, language=answer.language)
        except Exception:  # a chart is a nice-to-have: the answer still goes out
            log.exception("could not draw the chart for %r", answer.question)
            return None

    def _follow_ups(self, answer: Answer) -> tuple[str, ...]:
        """Suggested next questions (buttons under the answer), when the assistant makes them."""
        suggest = getattr(self.assistant, "follow_ups", None)
        if not callable(suggest) or answer.declined or answer.error:
            return ()
        try:
            return tuple(suggest(answer))
        except Exception:  # a nice-to-have: the answer still goes out
            log.exception("could not suggest follow-ups for %r", answer.question)
            return ()

    def _upload_ids(self, client: WebClient, ask: Ask, answer: Answer) -> None:
        """An exported audience: its customer ids as a CSV file in the thread."""
        name = str(answer.extras["audience"])
        body = "customer_id\n" + "".join(f"{row[0]}\n" for row in answer.rows)
        try:
            client.files_upload_v2(
                channel=ask.channel, thread_ts=ask.thread_ts, content=body.encode("utf-8-sig"),
                filename=f"audience-{uuid.uuid4().hex[:8]}.csv", title=name,
            )
        except (SlackClientError, OSError) as error:
            log.warning("audience export upload failed in %s: %s", ask.channel, _error_code(error))
            self._post(client, ask, blocks.notice(text("file_failed", answer.language, error=_error_code(error))))

    def _upload(self, client: WebClient, ask: Ask, png: bytes, answer: Answer) -> None:
        try:
            client.files_upload_v2(
                channel=ask.channel, thread_ts=ask.thread_ts, file=png, filename=CHART_FILENAME,
                title=answer.interpretation or "genbi chart", alt_txt=answer.interpretation or answer.question,
            )
        except (SlackClientError, OSError) as error:
            code = _error_code(error)
            log.warning("chart upload failed in %s: %s", ask.channel, code)
            self._post(client, ask, blocks.notice(text("chart_failed", answer.language, error=code)))

    def _post(self, client: WebClient, ask: Ask, reply: blocks.Reply, *, fallback: str | None = None) -> None:
        """Post in the ask's thread; if Slack refuses the blocks, post the plain text instead."""
        try:
            client.chat_postMessage(channel=ask.channel, thread_ts=ask.thread_ts, unfurl_links=False,
                                    unfurl_media=False, **reply.kwargs())
        except SlackApiError as error:
            if not reply.blocks:
                raise
            log.warning("Slack refused the answer blocks (%s); posting text", _error_code(error))
            client.chat_postMessage(channel=ask.channel, thread_ts=ask.thread_ts,
                                    text=escape(fallback or reply.text))

    def _refuse(self, ask: Ask, refusal: Refusal, client: WebClient, language: Language | None = None) -> None:
        """Tell only the asker (an ephemeral message in channels); nothing is queried."""
        message = _refusal_text(refusal, language or ask.language)
        log.info("refused %s in %s/%s: %s", ask.user, ask.team, ask.channel, refusal.value)
        if ask.direct:
            self._post(client, ask, blocks.notice(message))
        else:
            self._whisper(client, ask, message)

    def _whisper(self, client: WebClient, ask: Ask, message: str) -> None:
        with _logged("post an ephemeral message"):
            client.chat_postEphemeral(channel=ask.channel, user=ask.user, text=message,
                                      thread_ts=ask.thread_ts)

    @contextmanager
    def _one_at_a_time(self, session_id: str) -> Iterator[None]:
        """Questions of one thread run in order, so a follow-up sees the answer before it."""
        with self._sessions.setdefault(session_id, threading.Lock):
            yield



class Progress:
    """A "still working" message in the thread while a slow answer runs, removed at the end."""

    def __init__(self, client: WebClient, ask: Ask, after: float, every: float,
                 clock: Callable[[], float] | None = None) -> None:
        self._client, self._ask, self._after, self._every = client, ask, after, every
        self._clock = clock or time.monotonic
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="genbi-slack-progress", daemon=True)
        self._ts: str | None = None

    def start(self) -> None:
        self._started = self._clock()
        self._thread.start()

    def stop(self) -> None:
        """Stop updating and remove the message (if one was posted); safe to call twice."""
        self._done.set()
        self._thread.join()
        ts, self._ts = self._ts, None
        if ts is not None:
            with _logged("remove the progress message"):
                self._client.chat_delete(channel=self._ask.channel, ts=ts)

    def _run(self) -> None:
        if self._done.wait(self._after):
            return
        with _logged("post progress"):
            response = self._client.chat_postMessage(
                channel=self._ask.channel, thread_ts=self._ask.thread_ts, text=self._message())
            self._ts = str(response["ts"])
        while self._ts is not None and not self._done.wait(self._every):
            with _logged("update progress"):
                self._client.chat_update(channel=self._ask.channel, ts=self._ts, text=self._message())

    def _message(self) -> str:
        seconds = round(self._clock() - self._started)
        return text("still_working", self._ask.language, seconds=seconds)


def _ack(ack: Ack) -> None:
    ack()


def _block_action(body: dict[str, Any]) -> BlockAction | None:
    try:
        return BlockAction.model_validate(body)
    except ValidationError:
        log.warning("malformed block action: %s", sorted(body))
        return None


def _click_ask(click: BlockAction, question: str) -> Ask:
    return Ask(team=click.team.id if click.team else click.user.team_id, channel=click.channel.id,
               user=click.user.id, question=question, thread_ts=click.thread_ts,
               direct=click.channel.id.startswith("D"))


def _refusal_text(refusal: Refusal, language: Language) -> str:
    return text(f"refused_{refusal.value}", language)


def _who(team: str | None, user: str) -> str:
    return f"slack:{team or '-'}:{user}"


def _error_code(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error", "unknown_error"))
    return type(error).__name__


@contextmanager
def _logged(what: str) -> Iterator[None]:
    """For the optional calls (progress, reactions, modals): a failure is logged, not raised."""
    try:
        yield
    except (SlackClientError, OSError) as error:
        log.warning("could not %s: %s", what, _error_code(error))
