"""The one redaction step between genbi and any language model.

Everything genbi sends to an LLM endpoint — the system prompt with retrieved examples, the
user's question, tool results, earlier turns, texts to embed — passes ``redact_payload`` just
before it is serialised, so personal data the user typed or a tool returned never reaches
the model, whichever code path assembled the request. Masking is ``mask_text``: e-mail
addresses and phone numbers in any common spelling.
"""

from __future__ import annotations

from typing import Any

from genbi.semantic_layer.masking import mask_text

_TEXT_KEYS = frozenset({"content", "text", "arguments", "instructions", "output", "input"})
"""Keys of an OpenAI request whose string values are text a model reads (in a list of
strings, as embeddings' ``input``, too); ids and names beside them are left intact."""


def redact_payload(payload: Any, *, inside: bool = False) -> Any:
    """``payload`` (a chat / responses / embeddings request body) with personal data masked
    in every text a model reads; ids, names and settings are left as they are."""
    if isinstance(payload, str):
        return mask_text(payload) if inside else payload
    if isinstance(payload, dict):
        return {k: redact_payload(v, inside=k in _TEXT_KEYS) for k, v in payload.items()}
    if isinstance(payload, list | tuple):
        return [redact_payload(v, inside=inside) for v in payload]
    return payload


def redact_texts(texts: list[str]) -> list[str]:
    return [mask_text(t) for t in texts]
