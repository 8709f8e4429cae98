"""The LLM brain: an OpenAI-compatible chat model with genbi's tools, retrieval and fallbacks.

``build_brain(assistant)`` returns the brain when ``GENBI_LLM_MODEL`` is set (see
``config``), else None and the offline planner answers. Modules: ``config`` (settings from
the environment), ``llm`` (ChatOpenAI and retries), ``tools`` / ``extra_tools`` (the agent's
tools), ``recovery`` (tool calls written as JSON text), ``middleware`` (the loop's guard
rails), ``brain`` (the loop, streaming and fallbacks), ``usage`` (cost), ``doctor`` (the
endpoint check), ``fake_server`` (a scripted OpenAI-compatible server for tests).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from genbi.assistant.agent.config import LlmSettings, llm_settings
from genbi.errors import ConfigError

log = logging.getLogger(__name__)
EXAMPLE_REFRESH_S = 30.0


def build_brain(
    assistant: Any, settings: LlmSettings | None = None, *, required: bool = False,
    index_path: str | Path | None = None, store: Any = None, chat_model: Any = None,
    sleep: Any = None,
) -> Any:
    """The LLM brain for ``assistant``, or None when no LLM is configured (unless ``required``)."""
    settings = settings or llm_settings()
    if settings is None:
        if required:
            raise ConfigError("No LLM is configured.",
                              "Set GENBI_LLM_MODEL (and OPENAI_BASE_URL / OPENAI_API_KEY).")
        return None
    if settings.gguf:
        from genbi.assistant.agent.local_model import serve_gguf

        settings = serve_gguf(settings)
    from genbi.assistant.agent.brain import LlmBrain
    from genbi.assistant.retrieval.index import RetrievalIndex
    from genbi.assistant.state import StateStore

    index = RetrievalIndex(assistant.model, path=index_path, embedding=_embedding(settings),
                           vocabulary=assistant.planner.vocabulary, tools=_tool_docs())
    store = store if store is not None else StateStore()
    options: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
    brain = LlmBrain(settings, index=index, chat_model=chat_model, **options)
    brain.examples = ExampleFeed(store, index, assistant)
    return brain


class ExampleFeed:
    """Keeps the examples collection in step with the state store (👍 from the UI and Slack)."""

    def __init__(self, store: Any, index: Any, assistant: Any) -> None:
        self.store, self.index, self.assistant = store, index, assistant
        self._checked = 0.0
        self._seeded = False
        self._lock = threading.Lock()

    def refresh(self) -> None:
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        now = time.monotonic()
        if self._seeded and now - self._checked < EXAMPLE_REFRESH_S:
            return
        from genbi.assistant.retrieval.examples import TRAIN_SOURCE, seed_train_examples
        from genbi.assistant.retrieval.index import example_records

        if not self._seeded and not self.store.examples(source=TRAIN_SOURCE):
            added = seed_train_examples(self.store, self.assistant)
            log.info("seeded %d verified examples from the eval train split", added)
        self._seeded = True
        self._checked = now
        self.index.add_examples(example_records(self.store.examples()))


def _embedding(settings: LlmSettings) -> Any:
    from genbi.assistant.retrieval.embeddings import ApiEmbedding, LocalE5Embedding

    if settings.embedding_model is None:
        return LocalE5Embedding()
    return ApiEmbedding(model=settings.embedding_model, base_url=settings.base_url,
                        api_key=settings.api_key)


def _tool_docs() -> list[tuple[str, str, tuple[str, ...]]]:
    from genbi.tools.base import registered_tools

    return [(name, spec.description, tuple(spec.intents)) for name, spec in registered_tools().items()]


__all__ = ["LlmSettings", "build_brain", "llm_settings"]
