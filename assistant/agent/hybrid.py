"""Planner first, the model for the rest: one answer, the brain that gave it, and why.

``HybridRouter.answer`` is what the LLM brain runs before its agent loop (``GENBI_LLM_ROUTE``
``hybrid``, the default): the planner reads the question; a complete reading is answered
with no model call; a reading that lacks words is completed by one constrained spec call
(``spec_call``) whose result passes the grounding check (``grounding``); copy and free-form
explanations go to the agent loop (``None`` is returned). With ``GENBI_LLM_ROUTE=spec``
every question is one spec call without the planner (the LLM-only baseline).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any

import openai

from genbi.assistant.agent.config import LlmSettings
from genbi.assistant.agent.grounding import Grounded, ground, known_values
from genbi.assistant.agent.llm import LlmUnavailable, RetryPolicy
from genbi.assistant.agent.routing import Route, decide
from genbi.assistant.agent.spec_call import CallStats, SpecCaller
from genbi.assistant.agent.spec_prompt import question_prompt, system_prompt
from genbi.assistant.agent.spec_schema import (
    FilledSpec,
    SpecReplyError,
    fill_schema,
    parse_filled,
    to_query_spec,
)
from genbi.assistant.agent.usage import price_for
from genbi.assistant.answer import Answer, AnswerRequest, Decline, Usage
from genbi.assistant.copywriter import copy_revision
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.planner.text import language_of
from genbi.errors import GenbiError
from genbi.semantic_layer.model import SemanticModel

log = logging.getLogger(__name__)
OFFLINE_BRAIN = OfflinePlanner.name


class HybridRouter:
    """Routes each question; owns the spec caller and the cached static prompt."""

    def __init__(self, settings: LlmSettings, policy: RetryPolicy, client: Any = None) -> None:
        self.settings = settings
        self.caller = SpecCaller(settings, policy, client)
        self._static: tuple[SemanticModel, str, dict[str, Any]] | None = None

    def static_prefix(self, model: SemanticModel) -> tuple[str, dict[str, Any]]:
        """The system prompt and JSON schema: the same bytes for every question on ``model``
        (planner first, the short form without period and ranking; LLM only, the full one)."""
        if self._static is None or self._static[0] is not model:
            full = self.settings.route == "spec"
            self._static = (model, system_prompt(model, full=full), fill_schema(model, full=full))
        return self._static[1], self._static[2]

    def answer(self, request: AnswerRequest, assistant: Any) -> tuple[Answer | None, Route]:
        """The answer, or None when the agent loop should answer; and the route taken."""
        conversation = assistant.conversations.get(request.session_id)
        if copy_revision(request.question, conversation.last_tool) is not None:
            return None, Route("agent", "a revision of the last copy is written by the language model")
        if self.settings.route == "spec":
            return self._spec_only(request, assistant), Route("spec", "every question goes to the language model")
        started = time.perf_counter()
        plan = assistant.offline_plan(request)
        route = decide(plan, request.question)
        if route.kind == "agent":
            return None, route
        if route.kind == "planner":
            answer = assistant.answer_offline(request, plan=plan)
            return self._finish(answer, OFFLINE_BRAIN, route.why, CallStats()), route
        assert plan.reading is not None
        stats = CallStats()
        as_of = request.as_of or assistant.as_of
        previous = conversation.last_spec
        try:
            filled = self._fill(assistant.model, request.question, as_of, previous, plan.reading, stats)
            grounded = ground(request.question, filled, planner=assistant.planner, reading=plan.reading,
                              as_of=as_of, previous=previous)
        except (LlmUnavailable, openai.OpenAIError, SpecReplyError) as error:
            grounded = Grounded(rejected=f"the language model failed ({_describe(error)})")
        if grounded.ignored:
            log.info("model items without support in the question: %s", "; ".join(grounded.ignored))
        if grounded.spec is None:
            log.info("model reading rejected: %s", grounded.rejected)
            answer = assistant.answer_offline(request, plan=plan)
            why = f"{route.why}; the model's reading was not used: {grounded.rejected}"
            return self._finish(answer, OFFLINE_BRAIN, why, stats, started), route
        language = request.language or plan.language
        notes = tuple(a.text(assistant.model, language) for a in grounded.assumptions)
        assert grounded.plan is not None
        answer = assistant.execute(grounded.spec, request, language=language,
                                   notes=notes + grounded.plan.notes, brain=self.settings.model)
        read = ", ".join(f"'{a.words}'" for a in grounded.assumptions)
        return self._finish(answer, self.settings.model, f"{route.why}; the model read {read}", stats, started), route

    def _spec_only(self, request: AnswerRequest, assistant: Any) -> Answer:
        stats = CallStats()
        started = time.perf_counter()
        conversation = assistant.conversations.get(request.session_id)
        as_of = request.as_of or assistant.as_of
        language = request.language or language_of(request.question)
        try:
            filled = self._fill(assistant.model, request.question, as_of, conversation.last_spec, None, stats)
            if filled.unsupported:
                raise SpecReplyError(f"the model says the data does not record '{filled.unsupported[0]}'")
            spec = to_query_spec(filled, assistant.model, known_values(assistant.planner.vocabulary, assistant.model))
        except (LlmUnavailable, openai.OpenAIError, SpecReplyError, GenbiError, ValueError) as error:
            answer = Answer(question=request.question, language=language, brain=self.settings.model,
                            narrative=_describe(error), decline=_decline(_describe(error)))
            return self._finish(answer, self.settings.model, "the language model gave no usable spec", stats, started)
        answer = assistant.execute(spec, request, language=language, brain=self.settings.model)
        return self._finish(answer, self.settings.model, "the language model filled the spec", stats, started)

    def _fill(self, model: SemanticModel, question: str, as_of: Any, previous: Any, reading: Any,
              stats: CallStats) -> FilledSpec:
        system, schema = self.static_prefix(model)
        user = question_prompt(question, as_of=as_of, previous=previous, reading=reading)
        data = self.caller.fill(system, user, schema, stats)
        return parse_filled(data, model)

    def _finish(self, answer: Answer, brain: str, why: str, stats: CallStats,
                started: float | None = None) -> Answer:
        price = price_for(self.settings)
        cost = None if price is None else round(
            (stats.input_tokens * price[0] + stats.output_tokens * price[1]) / 1_000_000, 6)
        usage = Usage(model=self.settings.model, llm_calls=stats.calls, input_tokens=stats.input_tokens,
                      output_tokens=stats.output_tokens, cost_usd=cost, retries=stats.retries,
                      recovered_calls=stats.recovered)
        timings = dict(answer.timings_ms)
        if stats.calls:
            timings["llm_ms"] = round(stats.seconds * 1000, 2)
        if started is not None:
            timings["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return dataclasses.replace(answer, brain=brain, route=why, usage=usage, timings_ms=timings)


def _decline(reason: str) -> Decline:
    return Decline(reason=reason)


def _describe(error: BaseException) -> str:
    if isinstance(error, LlmUnavailable):
        return error.reason
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code}"
    return str(error) or type(error).__name__
