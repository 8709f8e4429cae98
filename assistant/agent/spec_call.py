"""One constrained chat completion: the question in, a filled spec (JSON) out.

Asked as a one-line grammar on llama.cpp servers (found by their ``/props`` page; the
``spec_grammar`` docstring says why), as ``response_format`` JSON schema where the server
enforces it (OpenAI, vLLM, Ollama), else as a tool call with ``tool_choice`` naming the one function (servers
that refuse ``json_schema`` with a 400 are switched over once, for the brain's lifetime),
and whatever comes back in ``content`` — fenced, tagged, bare — is recovered as JSON as the
agent does. Requests go through the openai SDK directly (one call, no agent loop), redacted
like every other request, retried with the brain's policy, with tokens and time recorded.
"""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import openai

from genbi.assistant.agent.config import LlmSettings
from genbi.assistant.agent.llm import RetryPolicy, call_with_retries
from genbi.assistant.agent.recovery import json_candidates
from genbi.assistant.agent.spec_grammar import compact_grammar
from genbi.assistant.agent.spec_schema import SPEC_FUNCTION, SpecReplyError
from genbi.assistant.redaction import redact_payload

log = logging.getLogger(__name__)
UNSUPPORTED_STATUS = (400, 404, 415, 422, 501)
"""Answers meaning "this server does not do response_format json_schema"."""
_FALLBACK = {"grammar": "json_schema", "json_schema": "tools"}
"""What ``auto`` asks for next when a server refuses a constraint."""
PROBE_TIMEOUT_S = 5.0
"""For the one ``/props`` request that tells a llama.cpp server (a local page, or none)."""


@dataclass
class CallStats:
    """What the spec calls of one answer cost."""

    calls: int = 0
    retries: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    seconds: float = 0.0
    recovered: int = 0
    """Replies whose JSON was found in free text rather than as the constrained output."""
    modes: list[str] = field(default_factory=list)


class SpecCaller:
    """Sends the spec request; remembers which constraint the server accepts."""

    def __init__(self, settings: LlmSettings, policy: RetryPolicy, client: Any = None) -> None:
        self.settings = settings
        self.policy = policy
        self.mode = "json_schema" if settings.structured in ("auto", "json_schema") else settings.structured
        self._probed = settings.structured != "auto"
        self._client = client
        self._grammars: dict[str, str] = {}

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = openai.OpenAI(base_url=self.settings.base_url, api_key=self.settings.key,
                                         max_retries=0, timeout=self.settings.timeout_s)
        return self._client

    def fill(self, system: str, user: str, schema: dict[str, Any], stats: CallStats) -> dict[str, Any]:
        """The model's filled spec as a dict; ``SpecReplyError`` when none can be read."""
        if not self._probed:
            self._probed = True
            if _is_llama_cpp(self.settings.base_url):
                self.mode = "grammar"
        while True:
            try:
                return self._fill(self.mode, system, user, schema, stats)
            except openai.APIStatusError as error:
                fallback = _FALLBACK.get(self.mode)
                if fallback is None or self.settings.structured != "auto" \
                        or error.status_code not in UNSUPPORTED_STATUS:
                    raise
                log.info("the server refused the %s constraint (HTTP %s); using %s from now on",
                         self.mode, error.status_code, fallback)
                self.mode = fallback

    def _fill(self, mode: str, system: str, user: str, schema: dict[str, Any],
              stats: CallStats) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.settings.model, "temperature": 0, "max_tokens": self.settings.max_tokens,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }
        if mode == "grammar":
            key = json.dumps(schema, sort_keys=True)
            grammar = self._grammars.get(key) or self._grammars.setdefault(key, compact_grammar(schema))
            body["extra_body"] = {"grammar": grammar}
        elif mode == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": SPEC_FUNCTION, "schema": schema, "strict": False}}
        else:
            body["tools"] = [{"type": "function", "function": {
                "name": SPEC_FUNCTION, "description": "The query spec of the question.", "parameters": schema}}]
            body["tool_choice"] = {"type": "function", "function": {"name": SPEC_FUNCTION}}
        body = redact_payload(body)
        stats.modes.append(mode)

        def attempt() -> Any:
            stats.calls += 1
            return self.client.chat.completions.create(**body)

        started = time.perf_counter()
        response = call_with_retries(attempt, self.policy, on_retry=lambda _: _count_retry(stats))
        stats.seconds += time.perf_counter() - started
        _count_tokens(response, stats)
        return _reply_json(response, stats)


def _is_llama_cpp(base_url: str | None) -> bool:
    """A llama.cpp server (llama-server, llama-cpp-python, xllamacpp, the embedded model):
    its ``/props`` page lists its default generation settings."""
    if not base_url:
        return False
    root = re.sub(r"/v1$", "", base_url.rstrip("/"))
    try:
        with urllib.request.urlopen(f"{root}/props", timeout=PROBE_TIMEOUT_S) as response:
            data = json.loads(response.read(1_000_000))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "default_generation_settings" in data


def _count_retry(stats: CallStats) -> None:
    stats.retries += 1


def _count_tokens(response: Any, stats: CallStats) -> None:
    usage = getattr(response, "usage", None)
    if usage is None:
        return
    stats.input_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
    stats.output_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
    details = getattr(usage, "prompt_tokens_details", None)
    stats.cached_tokens += int(getattr(details, "cached_tokens", 0) or 0) if details else 0


def _reply_json(response: Any, stats: CallStats) -> dict[str, Any]:
    choices = getattr(response, "choices", None) or []
    if not choices:
        raise SpecReplyError("the model sent no choices")
    message = choices[0].message
    for tool_call in message.tool_calls or []:
        function = getattr(tool_call, "function", None)
        if function is not None and function.arguments:
            parsed = _as_spec(function.arguments)
            if parsed is not None:
                return parsed
    text = message.content or ""
    parsed = _as_spec(text)
    if parsed is not None:
        return parsed
    for candidate in json_candidates(text):
        found = _unwrap(candidate)
        if found is not None:
            stats.recovered += 1
            return found
    raise SpecReplyError("the reply holds no JSON object")


def _as_spec(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return None
    return _unwrap(value)


def _unwrap(value: Any) -> dict[str, Any] | None:
    """The spec object, also when wrapped as ``{"name": ..., "arguments": {...}}``."""
    if not isinstance(value, dict):
        return None
    for key in ("arguments", "parameters", "args"):
        inner = value.get(key)
        if isinstance(inner, str):
            inner = _as_spec(inner)
        if isinstance(inner, dict) and "metrics" in inner:
            return inner
    return value if "metrics" in value or "unsupported" in value else None
