"""The Gradio chat app behind ``genbi ui``: a thin adapter over ``Assistant.answer``.

Layout: a side panel (language, data source, who is answering, example questions, the
semantic model browser, saved audiences) and the conversation with an answer panel (how
the question was read, chart, table, CSV, SQL, feedback). Each browser session keeps its
own ``Session`` in a ``gr.State`` and its own conversation key, so sessions never share
context. The handlers here are the only place in ``ui/`` that catches every exception:
it is logged and the user gets a friendly message with what to try.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import logging
import queue
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import gradio as gr

from genbi.assistant.answer import Answer, AnswerRequest
from genbi.assistant.audience_commands import AudienceCommand
from genbi.assistant.audiences import AudienceDesk, answer_customers
from genbi.assistant.conversation import Conversation
from genbi.assistant.state import StateStore
from genbi.errors import ConfigError, GenbiError
from genbi.semantic_layer.masking import mask_text
from genbi.shutdown import stop_signals, wait
from genbi.text_safety import safe_markdown
from genbi.ui import render
from genbi.ui.data_roots import check_openable
from genbi.ui.identity import UiIdentity
from genbi.ui.model_browser import browse_markdown, column_labels
from genbi.ui.private_temp import cleanup, private_dir
from genbi.ui.session import Session, Shown
from genbi.ui.strings import LANGUAGE_CHOICES, Language, language_of, text

log = logging.getLogger("genbi.ui")

EXAMPLES_PER_LANGUAGE = 4
OFFLINE_BRAIN = "offline planner"
CSS = """
#genbi-side {min-width: 300px}
@media (max-width: 720px) {
  /* phones: the chat and the question box first, the side panel below it */
  #genbi-layout {flex-direction: column}
  #genbi-main {order: 1; min-width: 0 !important}
  #genbi-side {order: 2; min-width: 0 !important}
  #chat {height: 55vh !important}
}
#answer-note {font-size: 0.9em; opacity: 0.85}
.genbi-example {text-align: left !important; justify-content: flex-start !important}
#genbi-side.genbi-collapsed {display: none !important}
.genbi-follow-up {text-align: left !important; justify-content: flex-start !important}
"""
MAX_FOLLOW_UPS = 4
TOGGLE_SIDE_JS = "() => { document.getElementById('genbi-side')?.classList.toggle('genbi-collapsed'); }"
"""The side panel collapses in the browser (no round trip): the chat gets the whole width."""


class AssistantLike(Protocol):
    """What the UI needs from ``genbi.assistant.Assistant``."""

    model: Any
    source: str

    @property
    def brain(self) -> str: ...

    def answer(self, request: AnswerRequest) -> Answer: ...
    """An assistant with an LLM brain (``agent`` set) also takes ``on_delta=`` to stream."""


@dataclass
class UiContext:
    """What every handler shares: the assistant, genbi's state store, where CSVs go."""

    assistant: AssistantLike
    store: StateStore
    csv_root: Path
    examples: dict[str, list[str]] = field(default_factory=dict)
    identity: UiIdentity = field(default_factory=UiIdentity)
    """Who is asking (a login or a trusted proxy header); anonymous without configuration."""

    def brain_label(self, language: Language) -> str:
        brain = self.assistant.brain
        return text("brain_offline", language) if brain == OFFLINE_BRAIN else brain


# --- start-up helpers (no UI) ---


def choose_examples(assistant: AssistantLike, language: Language) -> list[str]:
    """Example questions the assistant really answers: the curated ones that do, topped up
    with the planner's own suggestions. Running them also warms the assistant up."""
    curated = [q for q in text("example_questions", language).split("\n") if q.strip()]
    good = [q for q in curated if _answers(assistant, q, language)]
    planner = getattr(assistant, "planner", None)
    if len(good) < EXAMPLES_PER_LANGUAGE and planner is not None:
        good += [q for q in planner.suggestions(language) if q not in good]
    return good[:EXAMPLES_PER_LANGUAGE]


def _stream_answer(assistant: Any, request: AnswerRequest) -> Iterator[tuple[str, Answer | None]]:
    """(narrative so far, None) while the LLM brain writes, then ("", answer).

    The answer runs on a worker thread (guardrails, policy and audit included, as in
    ``Assistant.answer``); its deltas come back through a queue so the Gradio generator can
    yield between them. An exception on the worker is raised here.
    """
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def delta(part: str | None) -> None:
        events.put(("delta", part))

    def work() -> None:
        try:
            events.put(("done", assistant.answer(request, on_delta=delta)))
        except BaseException as error:  # handed to the UI thread, which logs and shows it
            events.put(("error", error))

    threading.Thread(target=work, name="genbi-ui-answer", daemon=True).start()
    written = ""
    while True:
        kind, value = events.get()
        if kind == "error":
            raise value
        if kind == "done":
            yield "", value
            return
        written = "" if value is None else written + value
        yield written, None


def _answers(assistant: AssistantLike, question: str, language: Language) -> bool:
    session = f"ui-warmup-{language}"
    try:
        answer = assistant.answer(AnswerRequest(question=question, session_id=session))
    except Exception:
        log.exception("example question failed at start-up: %s", question)
        return False
    finally:
        forget = getattr(getattr(assistant, "conversations", None), "forget", None)
        if callable(forget):
            forget(session)
    return not answer.declined and not answer.error and bool(answer.rows)


def source_summary(assistant: AssistantLike, language: Language) -> str:
    path = Path(assistant.source) if assistant.source else None
    size = text("unknown_size", language)
    if path is not None and path.is_file():
        size = _human_size(path.stat().st_size)
    tables = len(getattr(assistant.model, "tables", ()) or ())
    name = path.name if path is not None else "—"
    line = text("source_line", language, name=name, size=size, tables=tables)
    model = getattr(assistant, "model_source", "") or getattr(assistant.model, "name", "")
    return f"{line}  \n{text('model_line', language, model=model)}" if model else line


def _human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"


def brain_summary(context: UiContext, language: Language) -> str:
    return text("brain_state", language, brain=context.brain_label(language),
                state=text("state_ready", language))


def _audience_names(store: StateStore) -> list[str]:
    try:
        return [a.name for a in store.audiences()]
    except Exception:
        log.exception("could not list saved audiences")
        return []


def audiences_summary(store: StateStore, language: Language) -> str:
    audiences = store.audiences()
    if not audiences:
        return text("audiences_none", language)
    return "\n".join(
        "- " + text("audience_line", language, name=a.name, size=a.size) for a in audiences[:20]
    )


# --- the app ---


@dataclass
class Panel:
    """The answer panel's components, in the order handlers return values for them."""

    interpretation: gr.Markdown
    chart: gr.Plot
    note: gr.Markdown
    table: gr.Dataframe
    csv: gr.DownloadButton
    sql: gr.Code
    extras_box: gr.Accordion
    extras: gr.Markdown
    extra_tables: list[gr.Dataframe]
    feedback_status: gr.Markdown
    correction_row: gr.Row
    actions: gr.Row
    sql_box: gr.Accordion
    follow_row: gr.Column
    follow_buttons: list[gr.Button]
    save_row: gr.Row

    def outputs(self) -> list[Any]:
        return [self.interpretation, self.chart, self.note, self.table, self.csv, self.sql,
                self.extras_box, self.extras, *self.extra_tables, self.feedback_status,
                self.correction_row, self.actions, self.sql_box, self.follow_row, *self.follow_buttons,
                self.save_row]

    def _next(self, rendered: render.RenderedAnswer | None) -> list[Any]:
        """The follow-up buttons and the save-audience row for ``rendered`` (hidden when none)."""
        asks = list(rendered.follow_ups) if rendered is not None else []
        buttons = [gr.update(value=asks[i], visible=True) if i < len(asks) else gr.update(visible=False)
                   for i in range(len(self.follow_buttons))]
        saveable = rendered is not None and bool(rendered.customers)
        return [gr.update(visible=bool(asks)), *buttons, gr.update(visible=saveable)]

    def show(self, rendered: render.RenderedAnswer | None, language: Language = "en") -> list[Any]:
        """Values for ``outputs()``: one rendered answer, or an empty panel."""
        if rendered is None:
            return [gr.update(value="", visible=False), gr.update(value=None, visible=False),
                    text("answer_empty", language), gr.update(value=None, visible=False),
                    gr.update(value=None, visible=False), "", gr.update(visible=False), "",
                    *[gr.update(value=None, visible=False) for _ in self.extra_tables],
                    "", gr.update(visible=False), gr.update(visible=False),
                    gr.update(visible=False), *self._next(None)]
        tables = list(rendered.extra_tables)
        extra = [
            gr.update(value=tables[i][1], label=tables[i][0], visible=True) if i < len(tables)
            else gr.update(value=None, visible=False)
            for i in range(len(self.extra_tables))
        ]
        heading = f"### {rendered.interpretation}" if rendered.interpretation else ""
        has_table = len(rendered.table.columns) > 0
        return [gr.update(value=heading, visible=bool(heading)),
                gr.update(value=rendered.chart, visible=rendered.chart is not None),
                rendered.table_note, gr.update(value=rendered.table, visible=has_table),
                gr.update(value=rendered.csv_path, visible=rendered.csv_path is not None),
                rendered.sql, gr.update(visible=bool(rendered.extras_markdown or tables)),
                rendered.extras_markdown, *extra, "", gr.update(visible=False),
                gr.update(visible=True), gr.update(visible=bool(rendered.sql)), *self._next(rendered)]


def build_app(
    assistant: AssistantLike,
    *,
    store: StateStore | None = None,
    csv_root: Path | None = None,
    identity: UiIdentity | None = None,
) -> gr.Blocks:
    """The chat app over ``assistant`` (not launched). ``store`` defaults to genbi's own."""
    context = UiContext(
        assistant=assistant,
        store=store or StateStore(),
        csv_root=csv_root or private_dir("answers"),
        identity=identity or UiIdentity(),
    )
    context.examples = {lang: choose_examples(assistant, lang) for lang in ("en", "zh")}
    with gr.Blocks(title="genbi", analytics_enabled=False) as app:
        session = gr.State(None)
        with gr.Row(equal_height=False, elem_id="genbi-layout"):
            side = _side_panel(context)
            with gr.Column(scale=3, elem_id="genbi-main"):
                toggle = gr.Button(text("toggle_side", "en"), size="sm", elem_id="toggle-side", min_width=80,
                                   scale=0)
                chatbot = gr.Chatbot(
                    label=text("chat", "en"), placeholder=text("chat_placeholder", "en"),
                    height=440, elem_id="chat", feedback_options=None, buttons=["copy"],
                )
                with gr.Row():
                    question = gr.Textbox(
                        label=text("question", "en"), show_label=False, scale=6, lines=1,
                        placeholder=text("question_placeholder", "en"), elem_id="question",
                        autofocus=True,
                    )
                    ask = gr.Button(text("ask", "en"), variant="primary", scale=1, min_width=90,
                                    elem_id="ask")
                    new_chat = gr.Button(text("new_chat", "en"), scale=1, min_width=150,
                                         size="sm", elem_id="new-chat")
                panel, panel_chrome = _answer_panel()
        toggle.click(None, js=TOGGLE_SIDE_JS, api_visibility="undocumented")
        panel_chrome["toggle_side"] = toggle
        _wire(app, context, side, panel, panel_chrome, session, chatbot, question, ask, new_chat)
    from genbi.ui.dashboard_page import dashboard_page

    dashboard_page(app, context)
    return app


@dataclass
class Side:
    language: gr.Radio
    chrome: dict[str, Any]
    """Components whose words change with the language, by string key."""
    examples: list[gr.Button]
    search: gr.Textbox
    browser: gr.Markdown
    source: gr.Markdown
    brain: gr.Markdown
    audiences: gr.Markdown
    open_path: gr.Textbox
    open_button: gr.Button
    audience_pick: gr.Dropdown
    audience_new_name: gr.Textbox
    audience_rename: gr.Button
    audience_delete: gr.Button
    audience_export: gr.DownloadButton


def _side_panel(context: UiContext) -> Side:
    assistant = context.assistant
    with gr.Column(scale=1, min_width=300, elem_id="genbi-side"):
        title = gr.Markdown(text("title", "en"))
        tagline = gr.Markdown(text("tagline", "en"))
        language = gr.Radio(
            [label for label, _ in LANGUAGE_CHOICES], value=LANGUAGE_CHOICES[0][0],
            label=text("language", "en"), elem_id="language",
        )
        source_head = gr.Markdown(f"**{text('source', 'en')}**")
        source = gr.Markdown(source_summary(assistant, "en"), elem_id="source")
        with gr.Row():
            open_path = gr.Textbox(show_label=False, placeholder=text("open_placeholder", "en"),
                                   elem_id="open-db", scale=4, min_width=160)
            open_button = gr.Button(text("open", "en"), size="sm", elem_id="open-db-button",
                                    scale=1, min_width=60)
        brain_head = gr.Markdown(f"**{text('brain', 'en')}**")
        brain = gr.Markdown(brain_summary(context, "en"), elem_id="brain")
        examples_head = gr.Markdown(f"**{text('examples', 'en')}**")
        buttons = [
            gr.Button(q, size="sm", elem_classes=["genbi-example"])
            for lang in ("en", "zh") for q in context.examples[lang]
        ]
        with gr.Accordion(text("model_browser", "en"), open=False, elem_id="model-browser") as browser_box:
            search = gr.Textbox(show_label=False, placeholder=text("model_search", "en"),
                                elem_id="model-search")
            browser = gr.Markdown(browse_markdown(assistant.model, "", "en"), max_height=420,
                                  elem_id="model-table")
        audiences_head = gr.Markdown(f"**{text('audiences', 'en')}**")
        audiences = gr.Markdown(audiences_summary(context.store, "en"), elem_id="audiences")
        hint = gr.Markdown(text("audiences_hint", "en"), elem_id="audiences-hint")
        with gr.Accordion(text("audiences_manage", "en"), open=False, elem_id="audience-manage") as manage:
            pick = gr.Dropdown(choices=_audience_names(context.store), value=None, label=text("audience_pick", "en"),
                               elem_id="audience-pick", interactive=True)
            new_name = gr.Textbox(show_label=False, placeholder=text("audience_new_name", "en"),
                                  elem_id="audience-new-name")
            with gr.Row():
                rename = gr.Button(text("audience_rename", "en"), size="sm", elem_id="audience-rename", min_width=60)
                delete = gr.Button(text("audience_delete", "en"), size="sm", elem_id="audience-delete", min_width=60)
                export = gr.DownloadButton(text("audience_export", "en"), size="sm", elem_id="audience-export",
                                           min_width=60, interactive=False)
    chrome = {"title": title, "tagline": tagline, "language": language, "source": source_head,
              "brain": brain_head, "examples": examples_head, "model_browser": browser_box,
              "model_search": search, "audiences": audiences_head, "open_placeholder": open_path,
              "open": open_button, "audiences_hint": hint, "audiences_manage": manage, "audience_pick": pick,
              "audience_new_name": new_name, "audience_rename": rename, "audience_delete": delete,
              "audience_export": export}
    return Side(language, chrome, buttons, search, browser, source, brain, audiences, open_path, open_button,
                pick, new_name, rename, delete, export)


def _answer_panel() -> tuple[Panel, dict[str, Any]]:
    with gr.Group(elem_id="answer-panel"):
        interpretation = gr.Markdown("", visible=False, elem_id="answer-interpretation")
        chart = gr.Plot(label=text("chart", "en"), elem_id="answer-chart", visible=False)
        note = gr.Markdown(text("answer_empty", "en"), elem_id="answer-note")
        table = gr.Dataframe(label=text("table", "en"), interactive=False, max_height=420,
                             elem_id="answer-table", buttons=["fullscreen", "copy"],
                             visible=False)
        with gr.Row(visible=False, elem_id="answer-actions") as actions:
            csv = gr.DownloadButton(text("download_csv", "en"), visible=False, size="sm",
                                    elem_id="csv-download")
            up = gr.Button(text("thumbs_up", "en"), size="sm", elem_id="thumbs-up")
            down = gr.Button(text("thumbs_down", "en"), size="sm", elem_id="thumbs-down")
            pin_name = gr.Textbox(value=text("pin_default", "en"), show_label=False, min_width=140,
                                  placeholder=text("pin_dashboard", "en"), elem_id="pin-dashboard")
            pin = gr.Button(text("pin", "en"), size="sm", elem_id="pin-answer")
        with gr.Row(visible=False, elem_id="save-audience-row") as save_row:
            save_name = gr.Textbox(show_label=False, placeholder=text("save_audience_name", "en"),
                                   scale=4, elem_id="save-audience-name")
            save_button = gr.Button(text("save_audience", "en"), size="sm", scale=1,
                                    elem_id="save-audience")
        feedback_status = gr.Markdown("", elem_id="feedback-status")
        with gr.Column(visible=False, elem_id="follow-ups") as follow_row:
            follow_head = gr.Markdown(text("follow_ups", "en"))
            follow_buttons = [gr.Button("", size="sm", visible=False, elem_classes=["genbi-follow-up"],
                                        elem_id=f"follow-up-{i}") for i in range(MAX_FOLLOW_UPS)]
        with gr.Row(visible=False) as correction_row:
            correction = gr.Textbox(show_label=False, placeholder=text("correction", "en"),
                                    scale=5, elem_id="correction")
            send = gr.Button(text("correction_send", "en"), size="sm", scale=1,
                             elem_id="correction-send")
        with gr.Accordion(text("sql", "en"), open=False, visible=False,
                          elem_id="answer-sql-box") as sql_box:
            sql = gr.Code(language="sql", interactive=False, show_label=False, elem_id="answer-sql")
        with gr.Accordion(text("extras", "en"), open=True, visible=False,
                          elem_id="answer-extras") as extras_box:
            extras = gr.Markdown("")
            extra_tables = [gr.Dataframe(interactive=False, visible=False, max_height=320)
                            for _ in range(render.MAX_EXTRA_TABLES)]
    panel = Panel(interpretation, chart, note, table, csv, sql, extras_box, extras, extra_tables,
                  feedback_status, correction_row, actions, sql_box, follow_row, follow_buttons, save_row)
    chrome = {"chart": chart, "table": table, "download_csv": csv, "thumbs_up": up,
              "thumbs_down": down, "correction": correction, "correction_send": send,
              "pin": pin, "pin_dashboard": pin_name,
              "sql": sql_box, "extras": extras_box, "follow_ups": follow_head,
              "save_audience_name": save_name, "save_audience": save_button}
    return panel, chrome


def _wire(
    app: gr.Blocks, context: UiContext, side: Side, panel: Panel, panel_chrome: dict[str, Any],
    session: gr.State, chatbot: gr.Chatbot, question: gr.Textbox, ask: gr.Button,
    new_chat: gr.Button,
) -> None:
    handlers = Handlers(context, panel)
    ask_outputs = [chatbot, question, session, *panel.outputs()]
    ask_inputs = [question, session, side.language, chatbot]
    hidden: dict[str, Any] = {"api_visibility": "undocumented"}
    refresh = (handlers.refresh_audiences, [side.language], [side.audiences, side.audience_pick])
    question.submit(handlers.ask, ask_inputs, ask_outputs, api_name="ask").then(*refresh, **hidden)
    ask.click(handlers.ask, ask_inputs, ask_outputs, **hidden).then(*refresh, **hidden)
    for button in [*side.examples, *panel.follow_buttons]:  # a click asks the button's question
        button.click(handlers.ask, [button, session, side.language, chatbot], ask_outputs,
                     **hidden).then(*refresh, **hidden)
    new_chat.click(handlers.new_chat, [session, side.language], [chatbot, session, *panel.outputs()],
                   api_name="new_chat")
    chatbot.clear(handlers.new_chat, [session, side.language], [chatbot, session, *panel.outputs()],
                  **hidden)
    chatbot.select(handlers.select, [session, side.language], [session, *panel.outputs()], **hidden)
    side.search.change(handlers.search, [side.search, side.language], [side.browser],
                       api_name="search_model")
    side.open_button.click(handlers.open_warehouse, [side.open_path, side.language],
                           [side.source, side.browser], api_name="open_warehouse")
    up, down = panel_chrome["thumbs_up"], panel_chrome["thumbs_down"]
    correction, send = panel_chrome["correction"], panel_chrome["correction_send"]
    up.click(handlers.thumbs_up, [session, side.language],
             [panel.feedback_status, panel.correction_row], api_name="thumbs_up")
    down.click(handlers.thumbs_down, [session, side.language],
               [session, panel.feedback_status, panel.correction_row], api_name="thumbs_down")
    pin, pin_name = panel_chrome["pin"], panel_chrome["pin_dashboard"]
    pin.click(handlers.pin, [session, side.language, pin_name], [panel.feedback_status], api_name="pin")
    correction_outputs = [session, panel.feedback_status, panel.correction_row, correction]
    send.click(handlers.correct, [session, side.language, correction], correction_outputs,
               api_name="correct")
    correction.submit(handlers.correct, [session, side.language, correction], correction_outputs,
                      **hidden)
    chrome = {**side.chrome, **panel_chrome, "chat": chatbot, "question": question, "ask": ask,
              "new_chat": new_chat}
    keys = list(chrome)

    def switch_language(choice: str, query: str, state: Session | None, request: gr.Request) -> list[Any]:
        return handlers.switch_language(choice, query, state, keys, request)

    side.language.change(
        switch_language,
        [side.language, side.search, session],
        [*chrome.values(), side.source, side.brain, side.audiences, side.browser, panel.note],
        **hidden,
    )
    app.load(handlers.refresh_audiences, [side.language], [side.audiences, side.audience_pick], **hidden)
    _wire_audiences(handlers, side, panel, panel_chrome, session, chatbot, question, ask)


def _wire_audiences(
    handlers: Handlers, side: Side, panel: Panel, panel_chrome: dict[str, Any], session: gr.State,
    chatbot: gr.Chatbot, question: gr.Textbox, ask: gr.Button,
) -> None:
    """Save the answer's customers; rename, delete and export saved audiences from the side panel."""
    listing = [side.audiences, side.audience_pick]
    name = panel_chrome["save_audience_name"]
    panel_chrome["save_audience"].click(
        handlers.save_audience, [name, session, side.language],
        [panel.feedback_status, panel.save_row, name, *listing], api_name="save_audience")
    side.audience_rename.click(handlers.rename_audience, [side.audience_pick, side.audience_new_name, side.language],
                               [*listing, side.audience_new_name], api_name="rename_audience")
    side.audience_delete.click(handlers.delete_audience, [side.audience_pick, side.language], listing,
                               api_name="delete_audience")
    side.audience_pick.change(handlers.export_audience, [side.audience_pick], [side.audience_export],
                              api_visibility="undocumented")


class Handlers:
    """The event handlers; each returns values for its outputs and never raises."""

    def __init__(self, context: UiContext, panel: Panel) -> None:
        self.context = context
        self.panel = panel
        self._opened: OrderedDict[str, Any] = OrderedDict()
        """Warehouses a browser session opened from the side panel, by Gradio session: one
        person opening their CSV folder must not switch everyone else's answers."""
        self._opened_lock = threading.Lock()

    def _assistant(self, request: gr.Request | None) -> Any:
        """The assistant answering this browser session: the one it opened, else the shared one."""
        key = getattr(request, "session_hash", None)
        with self._opened_lock:
            return self._opened.get(key, self.context.assistant) if key else self.context.assistant

    # --- asking ---

    def ask(
        self, question: str, session: Session | None, choice: str,
        history: list[dict[str, Any]] | None, request: gr.Request,
    ) -> Iterator[list[Any]]:
        """Stream one answer: "reading…" → how it was read + table → chart and narrative."""
        language = language_of(choice)
        session = session or Session()
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            yield [gr.skip(), gr.skip(), session, *[gr.skip()] * len(self.panel.outputs())]
            gr.Info(text("empty_question", language))
            return
        history += [{"role": "user", "content": safe_markdown(mask_text(question))},
                    {"role": "assistant", "content": text("stage_reading", language)}]
        yield [history, "", session, *[gr.skip()] * len(self.panel.outputs())]
        try:
            yield from self._answer(question, session, language, history, request)
        except Exception:
            log.exception("the UI could not answer %r (session %s)", question, session.conversation_id)
            history[-1] = {"role": "assistant", "content": text("internal_error", language)}
            session.selected = None
            yield [history, "", session, *self.panel.show(None, language)]

    def _answer(
        self, question: str, session: Session, language: Language,
        history: list[dict[str, Any]], request: gr.Request,
    ) -> Iterator[list[Any]]:
        asked = AnswerRequest(question=question, session_id=session.conversation_id,
                              user=self.context.identity.user(request))
        assistant = self._assistant(request)
        if getattr(assistant, "agent", None) is None:
            answer = assistant.answer(asked)
        else:  # the LLM brain: show its narrative as it is written
            answer = None
            for written, final in _stream_answer(assistant, asked):
                if final is not None:
                    answer = final
                    break
                history[-1] = {"role": "assistant",
                               "content": safe_markdown(written) if written else text("stage_reading", language)}
                yield [history, "", session, *[gr.skip()] * len(self.panel.outputs())]
            assert answer is not None
        labels = column_labels(answer.columns, assistant.model, answer.language)
        rendered = render.render_answer(
            answer, language, labels=labels,
            csv_dir=self.context.csv_root / session.conversation_id / str(len(session.shown)),
            brain_label=self.context.brain_label(answer.language),
        )
        if answer.interpretation and not answer.declined:
            partial = f"**{answer.interpretation}**\n\n{text('stage_drawing', language)}"
            history[-1] = {"role": "assistant", "content": partial}
            staged = _without_chart(rendered)
            yield [history, "", session, *self.panel.show(staged, language)]
            compare = getattr(assistant, "with_period_change", None)  # a KPI card's change: one more query
            compared = compare(answer, asked) if compare is not None else answer
            if compared is not answer:
                answer, rendered = compared, replace(rendered, chart=compared.chart)
        customers = answer_customers(answer)
        rendered = replace(rendered, follow_ups=_follow_ups(assistant, answer),
                           customers=len(customers.ids) if customers is not None else None)
        history[-1] = {"role": "assistant", "content": rendered.message}
        session.add(answer, rendered, len(history) - 1)
        yield [history, "", session, *self.panel.show(rendered, language)]

    def new_chat(self, session: Session | None, choice: str) -> list[Any]:
        session = session or Session()
        session.restart()
        return [[], session, *self.panel.show(None, language_of(choice))]

    def select(self, session: Session | None, choice: str, event: gr.SelectData) -> list[Any]:
        """Clicking an earlier answer in the chat shows its details again."""
        index = event.index[0] if isinstance(event.index, list | tuple) else event.index
        shown = session.at_message(int(index)) if session is not None and index is not None else None
        if session is None or shown is None:
            return [session, *[gr.skip()] * len(self.panel.outputs())]
        session.selected = shown
        rendered = shown.rendered
        if session.shown and shown is not session.shown[-1]:  # its follow-ups would edit the latest answer
            rendered = replace(rendered, follow_ups=())
        return [session, *self.panel.show(rendered, language_of(choice))]

    # --- feedback ---

    def _user(self, request: gr.Request | None) -> str:
        """Who gave feedback: the identity, else anonymous (never the browser's session id)."""
        return self.context.identity.user(request) or "ui:anonymous"

    def thumbs_up(self, session: Session | None, choice: str, request: gr.Request) -> list[Any]:
        language = language_of(choice)
        shown = session.selected if session else None
        if shown is None:
            return [text("feedback_nothing", language), gr.update(visible=False)]
        try:
            message = self._store_thumbs_up(shown, session, request)
        except Exception:
            log.exception("could not store 👍 feedback")
            return [text("internal_error", language), gr.update(visible=False)]
        return [text(message, language), gr.update(visible=False)]

    def _store_thumbs_up(self, shown: Shown, session: Session | None, request: gr.Request) -> str:
        answer, store = shown.answer, self.context.store
        spec = answer.spec.model_dump(mode="json") if answer.spec is not None else None
        store.add_feedback(question=answer.question, rating=1, session=_sid(session),
                           user=self._user(request), interpretation=answer.interpretation,
                           spec=spec, sql=answer.sql)
        if spec is None or answer.error:
            return "feedback_not_query"
        added = store.add_example(answer.question, spec=spec, sql=answer.sql,
                                  language=answer.language, source="ui")
        return "thanks_up" if added else "thanks_up_known"

    def thumbs_down(self, session: Session | None, choice: str, request: gr.Request) -> list[Any]:
        language = language_of(choice)
        shown = session.selected if session else None
        if session is None or shown is None:
            return [session, text("feedback_nothing", language), gr.update(visible=False)]
        try:
            self._store_thumbs_down(shown, session, request, comment=None)
        except Exception:
            log.exception("could not store 👎 feedback")
            return [session, text("internal_error", language), gr.update(visible=False)]
        session.pending_correction = shown
        return [session, text("ask_correction", language), gr.update(visible=True)]

    def correct(
        self, session: Session | None, choice: str, comment: str, request: gr.Request
    ) -> list[Any]:
        language = language_of(choice)
        shown = session.pending_correction if session else None
        if session is None or shown is None or not (comment or "").strip():
            return [session, gr.skip(), gr.skip(), gr.skip()]
        try:
            self._store_thumbs_down(shown, session, request, comment=comment.strip())
        except Exception:
            log.exception("could not store a correction")
            return [session, text("internal_error", language), gr.update(visible=False), ""]
        session.pending_correction = None
        return [session, text("thanks_down", language), gr.update(visible=False), ""]

    def _store_thumbs_down(
        self, shown: Shown, session: Session, request: gr.Request, *, comment: str | None
    ) -> None:
        answer = shown.answer
        self.context.store.add_feedback(
            question=answer.question, rating=-1, session=_sid(session), user=self._user(request),
            interpretation=answer.interpretation,
            spec=answer.spec.model_dump(mode="json") if answer.spec is not None else None,
            sql=answer.sql, comment=comment,
        )

    def pin(self, session: Session | None, choice: str, name: str, request: gr.Request) -> str:
        """Pin the selected answer (its query, not its numbers) to the named dashboard."""
        from genbi.assistant.watch.pins import PinSource, PinStore

        language = language_of(choice)
        shown = session.selected if session else None
        if shown is None:
            return text("feedback_nothing", language)
        try:
            pinned = PinStore().add((name or "").strip() or text("pin_default", language),
                                    PinSource.of(shown.answer), user=self._user(request))
        except GenbiError as problem:
            return safe_markdown(str(problem))
        except Exception:
            log.exception("could not pin an answer")
            return text("internal_error", language)
        return text("pinned", language, name=safe_markdown(pinned.dashboard))

    # --- the side panel ---

    def open_warehouse(self, path: str, choice: str, request: gr.Request) -> list[Any]:
        """Answer this browser session from another warehouse (a DuckDB file, a CSV/Parquet
        folder or file) from now on, with its model (a draft when it is not the demo's); no
        restart, and no other session's answers change."""
        from genbi.assistant import Assistant
        from genbi.assistant.runtime import ready
        from genbi.errors import GenbiError

        language = language_of(choice)
        path = (path or "").strip()
        if not path:
            return [gr.skip(), gr.skip()]
        old = self._assistant(request)
        try:
            chosen = check_openable(path, getattr(old, "source", None))
            new = Assistant.open(chosen, llm=getattr(old, "agent", None) is not None or None)
        except GenbiError as error:
            gr.Warning(str(error))
            return [gr.skip(), gr.skip()]
        for closing in self._keep_opened(getattr(request, "session_hash", None), new):
            close = getattr(closing, "close", None)
            if callable(close):
                close()
        ready(new)  # warmed up; it joins the frozen heap and a closed one's cycles are collected
        gr.Info(text("opened", language, name=Path(path).name))
        return [source_summary(new, language), browse_markdown(new.model, "", language)]

    def _keep_opened(self, key: str | None, new: Any, most: int = 8) -> list[Any]:
        """Remember ``new`` for session ``key``; returns the assistants no session uses now."""
        with self._opened_lock:
            if not key:  # no browser session (a direct call): the shared assistant changes
                old, self.context.assistant = self.context.assistant, new
                return [old]
            dropped = [self._opened.pop(key)] if key in self._opened else []
            self._opened[key] = new
            while len(self._opened) > most:
                dropped.append(self._opened.popitem(last=False)[1])
            return dropped

    def search(self, query: str, choice: str, request: gr.Request) -> Any:
        try:
            return browse_markdown(self._assistant(request).model, query, language_of(choice))
        except Exception:
            log.exception("model browser search failed for %r", query)
            return gr.skip()

    # --- saved audiences ---

    def refresh_audiences(self, choice: str) -> list[Any]:
        names = _audience_names(self.context.store)
        return [self.refresh_side(choice), gr.update(choices=names, value=None)]

    def _desk(self, request: gr.Request | None) -> AudienceDesk:
        return AudienceDesk(self.context.store, model=getattr(self._assistant(request), "model", None))

    def save_audience(self, name: str, session: Session | None, choice: str, request: gr.Request) -> list[Any]:
        """The selected answer's customers under ``name`` (the "Save as audience" button)."""
        language = language_of(choice)
        shown = session.selected if session else None
        customers = answer_customers(shown.answer) if shown is not None else None
        if customers is None:
            return [text("feedback_nothing", language), gr.skip(), gr.skip(), gr.skip(), gr.skip()]
        try:
            desk = self._desk(request)
            problem = desk.name_problem(name or "", language)
            if problem:
                return [problem, gr.skip(), gr.skip(), gr.skip(), gr.skip()]
            saved, previous = desk.save(name, customers)
            message = desk.saved_message(saved, previous, language)
        except Exception:
            log.exception("could not save an audience")
            return [text("internal_error", language), gr.skip(), gr.skip(), gr.skip(), gr.skip()]
        return [render.escape_markdown(message), gr.update(visible=False), "", *self.refresh_audiences(choice)]

    def rename_audience(self, name: str | None, new_name: str, choice: str, request: gr.Request) -> list[Any]:
        return self._audience_command(AudienceCommand("rename", name, (new_name or "").strip()), choice, request,
                                      extra=[""])

    def delete_audience(self, name: str | None, choice: str, request: gr.Request) -> list[Any]:
        return self._audience_command(AudienceCommand("delete", name), choice, request)

    def _audience_command(self, command: AudienceCommand, choice: str, request: gr.Request,
                          extra: list[Any] | None = None) -> list[Any]:
        """Rename or delete from the side panel, answered as the chat would; the outcome as a toast."""
        language = language_of(choice)
        skipped = [gr.skip(), gr.skip(), *[gr.skip() for _ in extra or []]]
        if not command.name or (command.action == "rename" and not command.new_name):
            return skipped
        try:
            answer = self._desk(request).answer(
                command, AnswerRequest(question="", user=self.context.identity.user(request)), language,
                Conversation("ui-side-panel"))
        except Exception:
            log.exception("could not %s an audience", command.action)
            gr.Warning(text("internal_error", language))
            return skipped
        if answer.declined:
            gr.Warning(answer.narrative)
            return skipped
        gr.Info(answer.narrative)
        return [*self.refresh_audiences(choice), *(extra or [])]

    def export_audience(self, name: str | None, request: gr.Request) -> Any:
        """The picked audience's customer ids as a CSV the export button downloads."""
        if not name:
            return gr.update(value=None, interactive=False)
        try:
            found = next((a for a in self.context.store.audiences() if a.name == name), None)
            if found is None:
                return gr.update(value=None, interactive=False)
            folder = self.context.csv_root / "audiences" / uuid.uuid4().hex
            path = render.write_csv(folder / "audience.csv", ["customer_id"], [(i,) for i in found.customer_ids])
        except Exception:
            log.exception("could not export the audience %r", name)
            return gr.update(value=None, interactive=False)
        return gr.update(value=str(path), interactive=True)

    def refresh_side(self, choice: str) -> str:
        try:
            return audiences_summary(self.context.store, language_of(choice))
        except Exception:
            log.exception("could not list saved audiences")
            return text("audiences_none", language_of(choice))

    def switch_language(
        self, choice: str, query: str, session: Session | None, keys: Sequence[str],
        request: gr.Request | None = None,
    ) -> list[Any]:
        """Every UI string in the chosen language (answers already given stay as they were)."""
        language = language_of(choice)
        updates = [_chrome_update(key, language) for key in keys]
        try:
            browser = browse_markdown(self._assistant(request).model, query, language)
        except Exception:
            log.exception("model browser failed while switching language")
            browser = gr.skip()
        return [*updates, source_summary(self._assistant(request), language),
                brain_summary(self.context, language), self.refresh_side(choice), browser,
                gr.skip() if session and session.selected else text("answer_empty", language)]


def _chrome_update(key: str, language: Language) -> Any:
    words = text(key, language)
    if key in ("source", "brain", "examples", "audiences"):
        return gr.update(value=f"**{words}**")
    if key in ("title", "tagline", "follow_ups", "audiences_hint"):
        return gr.update(value=words)
    if key in ("ask", "new_chat", "download_csv", "thumbs_up", "thumbs_down", "correction_send", "open", "pin",
               "save_audience", "audience_rename", "audience_delete", "toggle_side", "audience_export"):
        return gr.update(value=words) if key not in ("download_csv", "audience_export") else gr.update(label=words)
    if key in ("question", "model_search", "correction", "open_placeholder", "pin_dashboard", "save_audience_name",
               "audience_new_name"):
        placeholder = {"question": "question_placeholder"}.get(key, key)
        return gr.update(placeholder=text(placeholder, language))
    if key == "chat":
        return gr.update(label=words, placeholder=text("chat_placeholder", language))
    return gr.update(label=words)


def _follow_ups(assistant: Any, answer: Answer) -> tuple[str, ...]:
    """Suggested next questions, when the assistant makes them (a nice-to-have: never fails an answer)."""
    suggest = getattr(assistant, "follow_ups", None)
    if not callable(suggest) or answer.declined or answer.error:
        return ()
    try:
        return tuple(suggest(answer))[:MAX_FOLLOW_UPS]
    except Exception:
        log.exception("could not suggest follow-ups for %r", answer.question)
        return ()


def _without_chart(rendered: render.RenderedAnswer) -> render.RenderedAnswer:
    return replace(rendered, chart=None, csv_path=None, sql="")


def _sid(session: Session | None) -> str | None:
    return session.conversation_id if session else None





# --- launching ---


def launch(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    as_of: date | str | None = None,
    open_browser: bool = False,
    model_path: str | Path | None = None,
) -> None:
    """Open the assistant on ``db_path`` and serve the app until interrupted."""
    from genbi.assistant import Assistant
    from genbi.assistant.runtime import ready
    from genbi.logs import configure_logging

    configure_logging()
    identity = UiIdentity.from_env()
    # Gradio copies every file it serves (the answer CSVs) into its cache: a private one.
    os.environ["GRADIO_TEMP_DIR"] = str(private_dir("gradio"))
    assistant = Assistant.open(db_path, model_path=model_path, as_of=as_of)
    try:
        app = build_app(assistant, identity=identity)
        app.queue(default_concurrency_limit=8)
        try:
            _serve(app, host, port, open_browser, auth=identity.auth)
            ready(assistant)  # warmed up; what was opened so far stays out of later collections
        except OSError:
            app.close()
            raise ConfigError(
                f"genbi ui cannot listen on {host}:{port}: the port is in use or not allowed.",
                "Pass --port with a free port (or --host with an address of this machine).",
            ) from None
        url = f"http://{host}:{port}"
        log.info("genbi ui ready on %s over %s", url, assistant.source)
        with stop_signals() as stop:  # before "ready": a signal sent on that line must be caught
            print(f"genbi is ready: open {url} in your browser (Ctrl+C to stop).", flush=True)
            wait(stop)
            print("genbi ui: stopping.", flush=True)
            assistant.warehouse.cancel()
            app.close()
    finally:
        assistant.close()
        cleanup()


def _serve(app: gr.Blocks, host: str, port: int, open_browser: bool, auth: Any = None) -> None:
    """Start serving in a background thread: local only, no share link, no analytics;
    ``auth`` is Gradio's login check when UI users are configured (``ui.identity``)."""
    app.launch(
        server_name=host, server_port=port, inbrowser=open_browser, share=False, auth=auth,
        show_error=False, theme=gr.themes.Default(), css=CSS, footer_links=[],
        run_history=False, ssr_mode=False, mcp_server=False, quiet=True,
        prevent_thread_lock=True,
    )
