"""The chat model (ChatOpenAI on any OpenAI-compatible server) and bounded retries.

The OpenAI client's own retries are off (``max_retries=0``): genbi retries timeouts, 429s,
5xx answers and unreadable responses itself, a bounded number of times with exponential
backoff (a 429's ``Retry-After`` is honoured up to a cap), and then gives up with
``LlmUnavailable`` so the brain can fall back to the offline planner.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import openai

from genbi.assistant.agent.config import LlmSettings
from genbi.assistant.redaction import redact_payload
from genbi.errors import GenbiError

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_RETRY_AFTER_S = 20.0


class LlmUnavailable(GenbiError):
    """The LLM endpoint failed (timeouts, rate limits, server errors) after every retry."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The language model {reason}.",
                         "genbi answered with its offline planner instead.")
        self.reason = reason


@functools.cache
def _redacting_chat_model() -> type[Any]:
    """``ChatOpenAI`` whose every request body passes ``redact_payload`` (the one place all
    of its calls — invoke, stream, structured output — build the body)."""
    from langchain_openai import ChatOpenAI

    class RedactingChatOpenAI(ChatOpenAI):
        def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None,
                                 **kwargs: Any) -> dict[str, Any]:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            return dict(redact_payload(payload))

    return RedactingChatOpenAI


def make_chat_model(settings: LlmSettings, *, streaming: bool = True) -> Any:
    """A ``ChatOpenAI`` for the configured endpoint; temperature 0, bounded output, every
    request redacted (``assistant.redaction``)."""
    options: dict[str, Any] = {}
    if settings.base_url:
        # Local and third-party servers know ``max_tokens``; langchain-openai would send
        # only ``max_completion_tokens``. Always bound the output: a runaway generation
        # on a small local model can take minutes.
        options["extra_body"] = {"max_tokens": settings.max_tokens}
    else:
        options["max_tokens"] = settings.max_tokens
    return _redacting_chat_model()(
        model=settings.model,
        base_url=settings.base_url,
        api_key=settings.key,
        max_retries=0,
        timeout=settings.timeout_s,
        temperature=0,
        streaming=streaming,
        stream_usage=True,
        **options,
    )


def is_transient(error: BaseException) -> bool:
    """Worth another try: timeouts, lost connections, 408/409/429/5xx, unreadable bodies."""
    if isinstance(error, openai.APIConnectionError | openai.APIResponseValidationError):
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in (408, 409, 429) or error.status_code >= 500
    if isinstance(error, ValueError) and "No generations found" in str(error):
        return True  # an empty or unreadable stream
    return isinstance(error, json.JSONDecodeError)


def describe(error: BaseException) -> str:
    """A short, user-safe description of an LLM failure."""
    if isinstance(error, openai.APITimeoutError):
        return "timed out"
    if isinstance(error, openai.APIStatusError):
        return {429: "rate limited (429)"}.get(error.status_code, f"HTTP {error.status_code}")
    if isinstance(error, openai.APIConnectionError):
        return "could not be reached"
    return f"sent an unreadable response ({type(error).__name__})"


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 2
    backoff_s: float = 1.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, error: BaseException) -> float:
        """Seconds before retry ``attempt`` (1-based)."""
        wait = self.backoff_s * 2 ** (attempt - 1)
        after = _retry_after(error)
        return min(after, MAX_RETRY_AFTER_S) if after is not None else wait


def call_with_retries(
    call: Callable[[], T], policy: RetryPolicy, *, on_retry: Callable[[BaseException], None] | None = None
) -> T:
    """``call()``, retried on transient errors; ``LlmUnavailable`` when they persist."""
    attempt = 0
    while True:
        try:
            return call()
        except Exception as error:
            if not is_transient(error):
                raise
            attempt += 1
            if attempt > policy.retries:
                raise LlmUnavailable(describe(error)) from error
            delay = policy.delay(attempt, error)
            log.warning("LLM call failed (%s); retry %d/%d in %.1f s", describe(error), attempt,
                        policy.retries, delay)
            if on_retry is not None:
                on_retry(error)
            policy.sleep(delay)


def _retry_after(error: BaseException) -> float | None:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    raw = headers.get("retry-after") if headers is not None else None
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None
