"""Tool calls a model wrote as JSON text instead of ``tool_calls``, recovered and validated.

Small local models (llama.cpp, Ollama, vLLM without a tool parser) often answer a tools
request with the call in ``content``: fenced (```json {...}```), bare, wrapped in Qwen's
``<tool_call>`` tags, or in another agent framework's shape (``{"function": {...}}``,
``{"action": ..., "action_input": ...}``), sometimes with only the arguments. This module
turns such text back into proper tool calls, so the agent carries on and the user never
sees the JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from langchain_core.messages import AIMessage
from pydantic import BaseModel, ValidationError

_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)
_FENCED = re.compile(r"```(?:json|JSON|tool_call|tool)?\s*\n?(.*?)```", re.DOTALL)
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL)
_NAME_KEYS = ("name", "tool", "tool_name", "function_name", "action")
_ARG_KEYS = ("arguments", "parameters", "args", "input", "tool_input", "action_input")
_JSON_START = ("{", "[", "```", "<tool_call>")
PRIMARY_TOOL = "query_metrics"
"""Bare arguments that fit this tool's schema are taken as a call to it."""


def clean_text(text: str) -> str:
    """A final answer without reasoning blocks (``<think>...</think>``) or stray whitespace."""
    return _THINKING.sub("", text).strip()


def looks_like_tool_call(text: str) -> bool:
    """True when text starts like JSON or a fenced / tagged call (held back while streaming)."""
    return clean_text(text).lstrip().startswith(_JSON_START)


def recover_tool_calls(
    text: str, schemas: Mapping[str, type[BaseModel]]
) -> list[dict[str, Any]]:
    """Tool calls (``{"name", "args", "id"}``) found in ``text``; [] when there are none.

    A call is kept when it names a tool (known or not: an unknown name goes back to the
    model as an error) or, without a name, when its arguments fit exactly one tool's schema.
    """
    calls: list[dict[str, Any]] = []
    for candidate in _candidates(clean_text(text)):
        for item in candidate if isinstance(candidate, list) else [candidate]:
            call = _as_call(item, schemas)
            if call is not None:
                calls.append({**call, "id": f"call_recovered_{len(calls) + 1}", "type": "tool_call"})
        if calls:
            return calls
    return []


def recover_message(message: AIMessage, schemas: Mapping[str, type[BaseModel]]) -> AIMessage | None:
    """``message`` with its content turned into tool calls, or None when it holds none."""
    if message.tool_calls or not isinstance(message.content, str) or not message.content.strip():
        return None
    calls = recover_tool_calls(message.content, schemas)
    if not calls:
        return None
    return AIMessage(content="", tool_calls=calls, id=message.id,
                     usage_metadata=message.usage_metadata,
                     response_metadata={**message.response_metadata, "genbi_recovered": len(calls)})


def json_candidates(text: str) -> Iterator[Any]:
    """JSON values found in a reply: tagged or fenced blocks first, else bare objects."""
    return _candidates(text)


def _candidates(text: str) -> Iterator[Any]:
    blocks = [m.group(1) for m in _TAGGED.finditer(text)] + [m.group(1) for m in _FENCED.finditer(text)]
    for block in blocks:
        parsed = _loads(block)
        if parsed is not None:
            yield parsed
    if not blocks:
        yield from _embedded_json(text)


def _embedded_json(text: str) -> Iterator[Any]:
    """Each top-level JSON object or array in free text, left to right."""
    decoder = json.JSONDecoder()
    position = 0
    while True:
        starts = [i for i in (text.find("{", position), text.find("[", position)) if i >= 0]
        if not starts:
            return
        start = min(starts)
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            position = start + 1
            continue
        yield value
        position = end


def _loads(block: str) -> Any:
    try:
        return json.loads(block)
    except json.JSONDecodeError:
        found = list(_embedded_json(block))
        return found[0] if found else None


def _as_call(item: Any, schemas: Mapping[str, type[BaseModel]]) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("function"), dict):
        item = item["function"]
    name = next((item[k] for k in _NAME_KEYS if isinstance(item.get(k), str)), None)
    has_args = any(k in item for k in _ARG_KEYS)
    if name is not None and (has_args or name in schemas):
        args = next((item[k] for k in _ARG_KEYS if k in item), None)
        if isinstance(args, str):
            args = _loads(args) if args.strip() else {}
        if args is None:
            args = {k: v for k, v in item.items() if k not in _NAME_KEYS and k != "type"}
        return {"name": name, "args": args if isinstance(args, dict) else {}}
    if name is not None:
        return None
    fitting = [tool for tool, schema in schemas.items() if _fits(schema, item)]
    if PRIMARY_TOOL in fitting:
        return {"name": PRIMARY_TOOL, "args": item}
    return {"name": fitting[0], "args": item} if len(fitting) == 1 else None


def _fits(schema: type[BaseModel], args: dict[str, Any]) -> bool:
    try:
        schema.model_validate(args)
    except ValidationError:
        return False
    return bool(args)
