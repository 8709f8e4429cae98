"""The LLM brain: retrieval → prompt → LangChain agent loop → one ``Answer``.

``LlmBrain.answer(request, assistant)`` is what ``Assistant.answer`` calls when an LLM is
configured; ``stream`` yields the final narrative as it is written, then the answer. Every
failure the model or its endpoint can cause ends in the offline planner's answer with a
note (``assistant.answer_offline``), never in an exception or a JSON blob for the user.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import openai
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage

from genbi.assistant.agent.config import LlmSettings
from genbi.assistant.agent.extra_tools import (
    analytics_tools,
    generate_copy,
    intent_matches,
    make_chart,
)
from genbi.assistant.agent.hybrid import HybridRouter
from genbi.assistant.agent.llm import (
    LlmUnavailable,
    RetryPolicy,
    call_with_retries,
    make_chat_model,
)
from genbi.assistant.agent.middleware import GenbiMiddleware
from genbi.assistant.agent.recovery import clean_text, looks_like_tool_call
from genbi.assistant.agent.tools import CORE_TOOLS
from genbi.assistant.agent.turn import Turn
from genbi.assistant.agent.usage import price_for
from genbi.assistant.answer import Answer, AnswerRequest, ToolCall
from genbi.assistant.copywriter import copy_revision, generate_copy_answer
from genbi.assistant.planner.planner import MAX_QUESTION_CHARS
from genbi.assistant.planner.text import language_of
from genbi.assistant.prompts import render_prompt
from genbi.assistant.retrieval.documents import sample_values
from genbi.assistant.retrieval.index import RetrievalIndex, Retrieved

log = logging.getLogger(__name__)
OFFLINE_BRAIN = "offline planner"
HISTORY_TURNS = 3
FULL_MODEL_MAX_ITEMS = 40
"""Models with at most this many metrics + dimensions are shown whole; larger ones only
the retrieved metrics and dimensions (plus those of the previous query)."""
TOP_METRICS, TOP_DIMENSIONS, TOP_EXAMPLES, TOP_TOOLS = 8, 8, 4, 3


@dataclass(frozen=True)
class NarrativeDelta:
    """More of the final narrative."""

    text: str


@dataclass(frozen=True)
class NarrativeReset:
    """Discard the narrative streamed so far (it turned out to precede a tool call)."""


@dataclass(frozen=True)
class Final:
    answer: Answer


StreamEvent = NarrativeDelta | NarrativeReset | Final


class LlmBrain:
    """An OpenAI-compatible chat model with genbi's tools, retrieval and fallbacks."""

    def __init__(
        self,
        settings: LlmSettings,
        *,
        index: RetrievalIndex | None = None,
        chat_model: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.index = index
        self.chat_model = chat_model if chat_model is not None else make_chat_model(settings)
        self.policy = RetryPolicy(retries=settings.retries, backoff_s=settings.backoff_s, sleep=sleep)
        self.examples: Any = None
        """Refreshes the index's verified examples before each question (``ExampleFeed``)."""
        self.router = HybridRouter(settings, self.policy)
        """Planner first; the model only for what the planner could not read (``hybrid``)."""

    @property
    def name(self) -> str:
        return self.settings.model

    def answer(self, request: AnswerRequest, assistant: Any) -> Answer:
        final: Answer | None = None
        for event in self.stream(request, assistant):
            if isinstance(event, Final):
                final = event.answer
        assert final is not None
        return final

    def stream(self, request: AnswerRequest, assistant: Any) -> Iterator[StreamEvent]:
        """Narrative deltas as the model writes its final answer, then ``Final(answer)``."""
        if not request.question.strip() or len(request.question) > MAX_QUESTION_CHARS:
            yield Final(assistant.answer_offline(request))  # the planner's own message, no LLM call
            return
        why = "every question goes to the agent loop (GENBI_LLM_ROUTE=agent)"
        if self.settings.route != "agent":
            routed, route = self.router.answer(request, assistant)
            if routed is not None:
                self._remember_answer(assistant, request, routed)
                if routed.narrative:
                    yield NarrativeDelta(routed.narrative)
                yield Final(routed)
                return
            why = route.why
        started = time.perf_counter()
        language = request.language or language_of(request.question)
        turn = Turn(assistant=assistant, request=request, language=language,
                    as_of=request.as_of or assistant.as_of, model_name=self.name,
                    chat_model=self.chat_model)
        revised = copy_revision(request.question, assistant.conversations.get(request.session_id).last_tool)
        if revised is not None:  # "make it shorter": the last copy again, no agent loop needed
            yield from self._revise_copy(turn, revised, started)
            return
        retrieved = self._retrieve(request.question)
        retrieval_ms = _ms(started)
        tools = self._tools(turn, retrieved)
        system = self._system_prompt(turn, retrieved, [t.name for t in tools])
        messages = [*self._history(turn), HumanMessage(request.question)]
        streamed: list[str] = []
        final_state: dict[str, Any] = {}
        try:
            for event in self._run(turn, tools, system, messages, final_state):
                if isinstance(event, NarrativeDelta):
                    streamed.append(event.text)
                elif isinstance(event, NarrativeReset):
                    streamed.clear()
                yield event
        except (LlmUnavailable, openai.OpenAIError) as error:
            log.warning("LLM brain failed: %s", error)
            turn.gave_up = error.reason if isinstance(error, LlmUnavailable) else _describe(error)
        except _loop_errors() as error:
            turn.gave_up = f"the agent loop stopped ({type(error).__name__})"
        answer = self._finish(turn, final_state.get("messages", []))
        timings = {**answer.timings_ms, "retrieval_ms": retrieval_ms, "total_ms": _ms(started)}
        answer = dataclasses.replace(answer, usage=turn.usage(price_for(self.settings)), timings_ms=timings,
                                     route=why)
        self._remember(turn, answer)
        log.info("answered by %s: %d LLM calls, %d+%d tokens", answer.brain, answer.usage.llm_calls
                 if answer.usage else 0, turn.input_tokens, turn.output_tokens)
        if "".join(streamed) != answer.narrative:  # a terminal tool's answer, or a fallback
            if streamed:
                yield NarrativeReset()
            if answer.narrative:
                yield NarrativeDelta(answer.narrative)
        yield Final(answer)

    def _revise_copy(self, turn: Turn, call: ToolCall, started: float) -> Iterator[StreamEvent]:
        answer = generate_copy_answer(turn.assistant, call, turn.request, language=turn.language,
                                      chat_model=self.chat_model, brain=self.name, wrap=self._wrap(turn))
        answer = dataclasses.replace(answer, usage=turn.usage(price_for(self.settings)),
                                     timings_ms={**answer.timings_ms, "total_ms": _ms(started)})
        self._remember(turn, answer)
        if answer.narrative:
            yield NarrativeDelta(answer.narrative)
        yield Final(answer)

    # --- the loop ---

    def _run(self, turn: Turn, tools: list[Any], system: str, messages: list[BaseMessage],
             final_state: dict[str, Any]) -> Iterator[StreamEvent]:
        from langchain.agents import create_agent

        schemas = {tool.name: _args_model(tool) for tool in tools}
        middleware = GenbiMiddleware(turn, self.policy, schemas)
        graph = create_agent(self.chat_model, tools, system_prompt=system, middleware=[middleware])
        held: list[str] = []
        current: str | None = None
        shown = False
        inputs: Any = {"messages": messages}
        parts: Iterator[Any] = graph.stream(inputs, {"recursion_limit": 40},
                                            stream_mode=["messages", "values"])
        for mode, data in parts:
            if mode == "values":
                final_state.update(data)
                continue
            chunk, meta = data
            if not isinstance(chunk, AIMessageChunk) or meta.get("langgraph_node") != "model":
                continue
            if chunk.id != current:
                if shown:
                    yield NarrativeReset()
                current, held, shown = chunk.id, [], False
            if chunk.tool_call_chunks or not isinstance(chunk.content, str) or not chunk.content:
                continue
            held.append(chunk.content)
            text = "".join(held)
            if not shown and (not text.strip() or looks_like_tool_call(text) or "<think>" in text):
                continue
            yield NarrativeDelta(text if not shown else chunk.content)
            shown = True

    def _finish(self, turn: Turn, messages: list[BaseMessage]) -> Answer:
        assistant = turn.assistant
        if turn.decline is not None:
            return turn.decline
        if turn.end_with is not None:
            return turn.end_with
        last = messages[-1] if messages else None
        text = clean_text(last.content) if isinstance(last, AIMessage) and isinstance(last.content, str) \
            and not last.tool_calls else ""
        if turn.gave_up or (not text and not turn.outcomes) or looks_like_tool_call(text):
            reason = turn.gave_up or "the model gave no answer"
            note = (f"语言模型未能完成（{reason}），以下是离线规划器的回答。" if turn.language == "zh"
                    else f"The language model could not answer ({reason}); this is the offline planner's answer.")
            answer: Answer = assistant.answer_offline(turn.request, note=note)
            return dataclasses.replace(answer, brain=OFFLINE_BRAIN)
        base = turn.last_data if turn.outcomes else None
        if base is not None:
            return dataclasses.replace(base, narrative=text or base.narrative, brain=turn.model_name)
        return Answer(question=turn.request.question, language=turn.language,
                      brain=turn.model_name, narrative=text)

    # --- context ---

    def _retrieve(self, question: str) -> Retrieved:
        if self.index is None:
            return Retrieved()
        if self.examples is not None:
            self.examples.refresh()
        return self.index.search(question, metrics=TOP_METRICS, dimensions=TOP_DIMENSIONS,
                                 tools=TOP_TOOLS, examples=TOP_EXAMPLES)

    def _tools(self, turn: Turn, retrieved: Retrieved) -> list[Any]:
        core = [factory(turn) for factory in CORE_TOOLS]
        names = intent_matches(turn.request.question)
        if not any(m.lexical for m in retrieved.metrics):  # no metric named: maybe a tool question
            names += [t.name for t in retrieved.tools]
        extra = analytics_tools(turn, list(dict.fromkeys(names)))
        return [*core, *extra, make_chart(turn), generate_copy(turn, self._wrap(turn))]

    def _wrap(self, turn: Turn) -> Callable[[Callable[[], Any]], Any]:
        """A model request made by a tool (the copy writer), counted in the turn's usage and
        retried like the loop's own requests."""

        def wrap(request: Callable[[], Any]) -> Any:
            def attempt() -> Any:
                turn.llm_calls += 1
                return request()

            reply = call_with_retries(attempt, self.policy, on_retry=lambda _: None)
            raw = reply.get("raw") if isinstance(reply, dict) else reply
            usage = getattr(raw, "usage_metadata", None)
            turn.count_usage(dict(usage) if usage else None)
            return reply

        return wrap

    def _system_prompt(self, turn: Turn, retrieved: Retrieved, tool_names: list[str]) -> str:
        model = turn.assistant.model
        conversation = turn.assistant.conversations.get(turn.request.session_id)
        previous = conversation.last_spec
        dims_all = [d for d in model.dimensions if not d.pii]
        if len(model.metrics) + len(dims_all) <= FULL_MODEL_MAX_ITEMS or not retrieved.metrics:
            metric_names = list(model.metric_names)
            dimension_names = [d.name for d in dims_all]
        else:
            metric_names = retrieved.names("metric")
            dimension_names = retrieved.names("dimension")
            if previous is not None:
                metric_names += [m for m in previous.metrics if m not in metric_names]
                used = [g.name for g in previous.group_by] + [f.dimension for f in previous.filters]
                dimension_names += [d for d in used if d not in dimension_names and model.has_dimension(d)]
            dimension_names += [d for d, _ in retrieved.values if d not in dimension_names]
        metrics = [model.metric(n) for n in metric_names if model.has_metric(n)]
        dimensions = [
            {"name": d.name, "label": d.label, "label_zh": d.label_zh, "type": d.type.value,
             "values": sample_values(d, 8)}
            for d in (model.dimension(n) for n in dimension_names if model.has_dimension(n))
            if not d.pii
        ]
        examples = [{"question": e.question, "spec": json.dumps(e.spec, ensure_ascii=False)}
                    for e in retrieved.examples]
        analytic = [n for n in tool_names if n not in {"query_metrics", "describe_model", "lookup_values",
                                                        "run_sql", "decline", "make_chart", "generate_copy"}]
        return render_prompt(
            "agent_system", turn.language, model_description=model.description.strip(),
            as_of=turn.as_of.isoformat(), tools=analytic, metrics=metrics,
            metric_total=len(model.metrics), dimensions=dimensions,
            values=[(d, v) for d, v in retrieved.values][:8], examples=examples,
            previous_spec=previous.model_dump_json(exclude_defaults=True) if previous else "",
        )

    def _history(self, turn: Turn) -> list[BaseMessage]:
        conversation = turn.assistant.conversations.get(turn.request.session_id)
        pairs = conversation.extras.get("agent_turns", [])[-HISTORY_TURNS:]
        out: list[BaseMessage] = []
        for question, summary in pairs:
            out += [HumanMessage(question), AIMessage(summary)]
        return out

    def _remember(self, turn: Turn, answer: Answer) -> None:
        self._remember_answer(turn.assistant, turn.request, answer)

    def _remember_answer(self, assistant: Any, request: AnswerRequest, answer: Answer) -> None:
        """Keep the turn for the agent's history (a later question may go to the loop)."""
        conversation = assistant.conversations.get(request.session_id)
        summary = answer.interpretation or answer.narrative
        if answer.decline is not None:
            summary = answer.decline.reason
        history = conversation.extras.setdefault("agent_turns", [])
        history.append((request.question, summary[:300]))
        del history[:-HISTORY_TURNS * 2]
        if answer.columns:
            conversation.extras["agent_last"] = answer


def _args_model(tool: Any) -> Any:
    from pydantic import BaseModel

    schema = (tool.metadata or {}).get("args_model")
    return schema if isinstance(schema, type) and issubclass(schema, BaseModel) else _AnyArgs


class _AnyArgs:
    @staticmethod
    def model_validate(value: Any) -> Any:
        raise ValueError("no schema")


def _loop_errors() -> tuple[type[BaseException], ...]:
    from langgraph.errors import GraphRecursionError

    return (GraphRecursionError,)


def _describe(error: BaseException) -> str:
    status = getattr(error, "status_code", None)
    return f"the endpoint refused the request (HTTP {status})" if status else type(error).__name__


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
