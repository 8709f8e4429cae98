"""The LLM brain's settings, from environment variables; none set means the offline planner.

- ``GENBI_LLM_MODEL``: the model name (``gpt-4o-mini``, ``deepseek-chat``, ``qwen-plus``,
  ``qwen2.5-coder-1.5b-instruct`` ...). The LLM brain is on only when this is set, so an
  ``OPENAI_API_KEY`` exported for other programs never sends genbi's data anywhere.
- ``OPENAI_API_KEY``: the key; local servers (Ollama, llama.cpp, vLLM) need none.
- ``OPENAI_BASE_URL``: any OpenAI-compatible endpoint, e.g. ``https://api.deepseek.com/v1``,
  ``https://dashscope.aliyuncs.com/compatible-mode/v1``, ``http://127.0.0.1:11434/v1``.
- ``GENBI_EMBEDDINGS``: ``local`` (default: multilingual-e5-small in-process, no download),
  ``api`` (the same endpoint's ``/v1/embeddings`` with ``text-embedding-3-small``) or
  ``api:<model>``.
- ``GENBI_LLM_ROUTE``: ``hybrid`` (default: the offline planner answers every question it
  reads completely, with no LLM call; the model is asked only for what the planner could not
  read, as a constrained query spec that is grounding-checked), ``agent`` (every question
  through the LangChain agent loop) or ``spec`` (every question as one constrained spec call,
  no planner: the LLM-only baseline of ``bench/bench_llm.py``).
- ``GENBI_LLM_STRUCTURED``: how the spec is constrained: ``auto`` (default: a one-line
  grammar on llama.cpp servers, else JSON schema as ``response_format``, falling back to a
  named tool call when the server refuses it), ``grammar``, ``json_schema`` or ``tools``.
- ``GENBI_LLM_GGUF``: a GGUF model file run in process by llama-cpp-python (``genbi[local]``);
  ``GENBI_LLM_MODEL`` then defaults to the file's name and no server is needed.
- Tuning: ``GENBI_LLM_TIMEOUT`` (seconds per call, default 60), ``GENBI_LLM_RETRIES``
  (retries after a timeout, 429 or 5xx, default 2), ``GENBI_LLM_MAX_TOKENS`` (default 1024),
  ``GENBI_LLM_PRICE`` (USD per million input and output tokens, ``"0.15,0.60"``, for the
  cost of each answer when the model is not in ``usage.PRICES``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from genbi.errors import ConfigError

ROUTES = ("hybrid", "agent", "spec")
STRUCTURED = ("auto", "grammar", "json_schema", "tools")
NO_KEY = "not-needed"
"""Sent as the key to local servers that need none (the OpenAI client requires one)."""


@dataclass(frozen=True)
class LlmSettings:
    model: str
    """The model name sent with every request; also the answer's ``brain``."""
    base_url: str | None = None
    api_key: str | None = None
    embeddings: str = "local"
    """``local`` or ``api`` or ``api:<model>``."""
    timeout_s: float = 60.0
    retries: int = 2
    max_tokens: int = 1024
    backoff_s: float = 1.0
    """First retry waits this long, doubling each time (a 429's Retry-After wins, capped)."""
    price_per_million: tuple[float, float] | None = None
    route: str = "hybrid"
    """``hybrid`` (planner first), ``agent`` (the agent loop for everything) or ``spec``."""
    structured: str = "auto"
    """How the spec call is constrained: ``auto``, ``json_schema`` or ``tools``."""
    gguf: str | None = None
    """A GGUF file run in process (llama-cpp-python) instead of an HTTP endpoint."""

    @property
    def key(self) -> str:
        return self.api_key or NO_KEY

    @property
    def endpoint(self) -> str:
        if self.gguf:
            return f"in-process llama.cpp ({self.gguf})"
        return self.base_url or "https://api.openai.com/v1"

    @property
    def embedding_model(self) -> str | None:
        """The API embedding model, or None for the local one."""
        if self.embeddings == "local":
            return None
        _, _, name = self.embeddings.partition(":")
        return name or "text-embedding-3-small"


def llm_settings(environ: Mapping[str, str] | None = None) -> LlmSettings | None:
    """The configured LLM, or None when ``GENBI_LLM_MODEL`` is not set."""
    env = os.environ if environ is None else environ
    gguf = env.get("GENBI_LLM_GGUF", "").strip() or None
    model = env.get("GENBI_LLM_MODEL", "").strip() or (Path(gguf).stem if gguf else "")
    if not model:
        return None
    if gguf and not Path(gguf).is_file():
        raise ConfigError(f"GENBI_LLM_GGUF={gguf!r} is not a file.",
                          "Give the path of a .gguf model file, or unset GENBI_LLM_GGUF.")
    embeddings = env.get("GENBI_EMBEDDINGS", "local").strip() or "local"
    if embeddings != "local" and not embeddings.startswith("api"):
        raise ConfigError(f"GENBI_EMBEDDINGS={embeddings!r} is not understood.",
                          "Use 'local' (default), 'api' or 'api:<embedding model>'.")
    return LlmSettings(
        model=model,
        base_url=env.get("OPENAI_BASE_URL", "").strip() or None,
        api_key=env.get("OPENAI_API_KEY", "").strip() or None,
        embeddings=embeddings,
        timeout_s=_number(env, "GENBI_LLM_TIMEOUT", 60.0),
        retries=int(_number(env, "GENBI_LLM_RETRIES", 2)),
        max_tokens=int(_number(env, "GENBI_LLM_MAX_TOKENS", 1024)),
        price_per_million=_price(env.get("GENBI_LLM_PRICE")),
        route=_choice(env, "GENBI_LLM_ROUTE", ROUTES),
        structured=_choice(env, "GENBI_LLM_STRUCTURED", STRUCTURED),
        gguf=gguf,
    )


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip().lower() or allowed[0]
    if raw not in allowed:
        raise ConfigError(f"{name}={raw!r} is not understood.", f"Use one of: {', '.join(allowed)}.")
    return raw


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number.") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative (got {raw}).")
    return value


def _price(raw: str | None) -> tuple[float, float] | None:
    if not raw or not raw.strip():
        return None
    try:
        prompt, completion = (float(part) for part in raw.split(","))
    except ValueError:
        raise ConfigError(f"GENBI_LLM_PRICE={raw!r} is not understood.",
                          "Give USD per million input and output tokens, e.g. '0.15,0.60'.") from None
    return prompt, completion
