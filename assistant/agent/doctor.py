"""``genbi doctor``: which brain answers, and whether the configured endpoint works.

One cheap call (a five-token chat completion) checks the URL, the key and the model name;
a second, streamed one measures speed — prompt tokens/s up to the first token, generated
tokens/s after it — which decides whether a local model can answer in seconds. The
embeddings setting is reported, and checked with one call when it uses the API.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from genbi.assistant.agent.config import LlmSettings, llm_settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(settings: LlmSettings | None = None, *, environ: dict[str, str] | None = None) -> list[Check]:
    """The brain in use and, when an LLM is configured, its endpoint and embeddings."""
    settings = settings or llm_settings(environ)
    if settings is None:
        return [Check("brain", True, "offline planner (set GENBI_LLM_MODEL, OPENAI_BASE_URL and "
                      "OPENAI_API_KEY to use an LLM)")]
    key = "set" if settings.api_key else "not set (fine for local servers)"
    if settings.gguf:
        from genbi.assistant.agent.local_model import serve_gguf

        settings = serve_gguf(settings)
    checks = [Check("brain", True, f"LLM {settings.model} at {settings.endpoint} (API key {key}); "
                    f"route: {settings.route}"), _chat_check(settings)]
    if checks[-1].ok:
        checks.append(_speed_check(settings))
    if settings.embedding_model is None:
        checks.append(Check("embeddings", True, "local multilingual-e5-small (no download)"))
    else:
        checks.append(_embedding_check(settings))
    return checks


def _chat_check(settings: LlmSettings) -> Check:
    from openai import OpenAI, OpenAIError

    client = OpenAI(base_url=settings.base_url, api_key=settings.key, max_retries=0,
                    timeout=settings.timeout_s if settings.gguf else min(settings.timeout_s, 30.0))
    started = time.perf_counter()
    try:
        response = client.chat.completions.create(
            model=settings.model, max_tokens=5, temperature=0,
            messages=[{"role": "user", "content": "Reply with OK."}],
        )
    except OpenAIError as error:
        return Check("endpoint", False, f"{type(error).__name__}: {str(error)[:200]}")
    elapsed = (time.perf_counter() - started) * 1000
    tokens = response.usage.total_tokens if response.usage else "?"
    return Check("endpoint", True, f"{response.model or settings.model} answered in {elapsed:.0f} ms "
                 f"({tokens} tokens)")


def _embedding_check(settings: LlmSettings) -> Check:
    from openai import OpenAIError

    from genbi.assistant.retrieval.embeddings import ApiEmbedding

    try:
        vector = ApiEmbedding(settings.embedding_model or "", settings.base_url, settings.api_key)(["ok"])[0]
    except OpenAIError as error:
        return Check("embeddings", False, f"{settings.embedding_model}: {type(error).__name__}: {str(error)[:200]}")
    return Check("embeddings", True, f"{settings.embedding_model} via the API ({len(vector)} dimensions)")


SPEED_PROMPT = "Count from 1 to 40, separated by commas."
SPEED_TOKENS = 48


def _speed_check(settings: LlmSettings) -> Check:
    """Prompt and generation speed from one streamed reply (time to first token, then rate)."""
    from openai import OpenAI, OpenAIError

    client = OpenAI(base_url=settings.base_url, api_key=settings.key, max_retries=0,
                    timeout=settings.timeout_s)
    started = time.perf_counter()
    first: float | None = None
    usage = None
    pieces = 0
    try:
        stream = client.chat.completions.create(
            model=settings.model, max_tokens=SPEED_TOKENS, temperature=0, stream=True,
            stream_options={"include_usage": True}, messages=[{"role": "user", "content": SPEED_PROMPT}])
        for chunk in stream:
            if chunk.usage is not None:
                usage = chunk.usage
            if chunk.choices and chunk.choices[0].delta.content:
                pieces += 1
                first = first if first is not None else time.perf_counter()
    except OpenAIError as error:
        return Check("speed", False, f"{type(error).__name__}: {str(error)[:200]}")
    ended = time.perf_counter()
    return Check("speed", True, describe_speed(started, first, ended, usage, pieces))


def describe_speed(started: float, first: float | None, ended: float, usage: object, pieces: int) -> str:
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    generated = int(getattr(usage, "completion_tokens", 0) or 0) or pieces
    if first is None or generated < 2:
        return f"{generated} tokens in {ended - started:.1f} s"
    prompt_rate = prompt / max(first - started, 1e-6)
    rate = (generated - 1) / max(ended - first, 1e-6)
    return (f"{rate:.1f} tokens/s generated, {prompt_rate:.0f} tokens/s prompt "
            f"({prompt} prompt + {generated} generated tokens in {ended - started:.1f} s)")
