"""The agent loop's guard rails, as one LangChain agent middleware.

- Around each model call: bounded retries with backoff (``llm.call_with_retries``), token
  counting, and recovery of tool calls written as JSON text (``recovery``).
- Before a model call: end the turn when the last step was one terminal tool result (a
  single-metric question costs one model call), and count correction rounds: after
  ``MAX_CORRECTIONS`` failed rounds, or ``MAX_LLM_CALLS`` model calls, the loop stops and
  the brain falls back to the offline planner.
- After a model call: a reply that tried to be a tool call but is not valid JSON, or a
  native tool call whose arguments do not parse, goes back to the model as an error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain.agents.middleware.types import hook_config
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from pydantic import BaseModel

from genbi.assistant.agent.llm import RetryPolicy, call_with_retries
from genbi.assistant.agent.recovery import looks_like_tool_call, recover_message
from genbi.assistant.agent.turn import MAX_CORRECTIONS, MAX_LLM_CALLS, Turn

NOT_JSON = ("Your reply looked like a tool call but is not valid JSON ({error}). Reply with only "
            'one JSON object {{"name": "<tool>", "arguments": {{...}}}}, or call the tool natively.')


class GenbiMiddleware(AgentMiddleware):
    def __init__(self, turn: Turn, policy: RetryPolicy, schemas: Mapping[str, type[BaseModel]]) -> None:
        super().__init__()
        self.turn = turn
        self.policy = policy
        self.schemas = dict(schemas)

    # --- around the model call ---

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        turn = self.turn

        def attempt() -> ModelResponse:
            turn.llm_calls += 1
            return handler(request)

        response = call_with_retries(attempt, self.policy, on_retry=lambda _: self._retried())
        turn.model_turns += 1
        messages = [self._fix(m) if isinstance(m, AIMessage) else m for m in response.result]
        return ModelResponse(result=messages, structured_response=response.structured_response)

    def _retried(self) -> None:
        self.turn.retries += 1

    def _fix(self, message: AIMessage) -> AIMessage:
        self.turn.count_usage(dict(message.usage_metadata) if message.usage_metadata else None)
        repaired = self._repair_invalid(message)
        recovered = recover_message(repaired, self.schemas)
        if recovered is not None:
            self.turn.recovered_calls += len(recovered.tool_calls)
            return recovered
        return repaired

    def _repair_invalid(self, message: AIMessage) -> AIMessage:
        """Native tool calls whose argument string is not JSON, when it can be mended."""
        if not message.invalid_tool_calls:
            return message
        fixed, still_invalid = list(message.tool_calls), []
        for bad in message.invalid_tool_calls:
            from genbi.assistant.agent.recovery import _loads

            args = _loads(bad.get("args") or "") if bad.get("name") else None
            if isinstance(args, dict):
                fixed.append({"name": bad["name"] or "", "args": args, "id": bad.get("id"), "type": "tool_call"})
            else:
                still_invalid.append(bad)
        return message.model_copy(update={"tool_calls": fixed, "invalid_tool_calls": still_invalid})

    def wrap_tool_call(self, request: Any, handler: Callable[[Any], Any]) -> Any:
        self.turn.tool_calls += 1
        return handler(request)

    # --- between steps ---

    @hook_config(can_jump_to=["end"])
    def before_model(self, state: Any, runtime: Any) -> dict[str, Any] | None:
        turn = self.turn
        ai, results = _last_step(state["messages"])
        if turn.decline is not None:
            return {"jump_to": "end"}
        if ai is not None and results:
            failed = [r for r in results if r.status == "error"]
            if failed:
                turn.last_error = str(failed[-1].content)[:500]
                return self._correction()
            last = turn.outcomes[-1] if turn.outcomes else None
            if len(ai.tool_calls) == 1 and last is not None and last.terminal:
                turn.end_with = last.answer
                return {"jump_to": "end"}
        if turn.model_turns >= MAX_LLM_CALLS:
            turn.gave_up = f"the model did not finish within {MAX_LLM_CALLS} calls"
            return {"jump_to": "end"}
        return None

    @hook_config(can_jump_to=["model", "end"])
    def after_model(self, state: Any, runtime: Any) -> dict[str, Any] | None:
        message = state["messages"][-1]
        if not isinstance(message, AIMessage) or message.tool_calls:
            return None
        if message.invalid_tool_calls:
            errors = [ToolMessage(f"The arguments of {bad.get('name')} are not valid JSON. Call it "
                                  "again with a JSON object of arguments.",
                                  tool_call_id=bad.get("id") or "invalid", name=bad.get("name") or "unknown",
                                  status="error") for bad in message.invalid_tool_calls]
            return {"messages": errors, "jump_to": "model"}
        text = message.content if isinstance(message.content, str) else ""
        if looks_like_tool_call(text) and _mentions_tool(text, self.schemas):
            self.turn.last_error = f"unreadable tool call: {_json_error(text)}"
            update = self._correction()
            if update is not None:
                return update
            return {"messages": [HumanMessage(NOT_JSON.format(error=_json_error(text)))], "jump_to": "model"}
        return None

    def _correction(self) -> dict[str, Any] | None:
        turn = self.turn
        turn.corrections += 1
        if turn.corrections > MAX_CORRECTIONS:
            turn.gave_up = f"still invalid after {MAX_CORRECTIONS} corrections ({turn.last_error})"
            return {"jump_to": "end"}
        return None


def _last_step(messages: list[Any]) -> tuple[AIMessage | None, list[ToolMessage]]:
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], AIMessage):
            return messages[index], [m for m in messages[index + 1:] if isinstance(m, ToolMessage)]
    return None, []


def _mentions_tool(text: str, schemas: Mapping[str, Any]) -> bool:
    return any(name in text for name in schemas) or '"metrics"' in text or '"arguments"' in text


def _json_error(text: str) -> str:
    body = text.strip().strip("`").removeprefix("json").strip()
    try:
        json.loads(body)
    except json.JSONDecodeError as error:
        return f"{error.msg} at line {error.lineno} column {error.colno}"
    return "not a tool call"
