"""Retrieval for the LLM brain: the semantic model's words and verified examples, offline.

Two chroma collections under genbi's state directory: the model's metrics, dimensions and
analytics tools (rebuilt when the model changes) and verified question → query-spec
examples (the eval train split, the UI's and Slack's 👍). Embeddings run in-process with no
download (``embeddings.LocalE5Embedding``), in Chinese and English.
"""

from genbi.assistant.retrieval.index import RetrievalIndex, Retrieved, ScoredName

__all__ = ["RetrievalIndex", "Retrieved", "ScoredName"]
