"""Prices for the cost of an answer: ``GENBI_LLM_PRICE`` first, then a few list prices.

List prices (USD per million input / output tokens) as published when this was written;
they change, so a deployment that cares sets ``GENBI_LLM_PRICE``. A model served on this
machine (localhost) costs nothing; an unknown hosted model has no known cost (None).
"""

from __future__ import annotations

from urllib.parse import urlparse

from genbi.assistant.agent.config import LlmSettings

PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1": (2.00, 8.00),
    "deepseek-chat": (0.27, 1.10),
    "qwen-plus": (0.40, 1.20),
    "qwen-turbo": (0.05, 0.20),
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def price_for(settings: LlmSettings) -> tuple[float, float] | None:
    """USD per million input and output tokens, or None when unknown."""
    if settings.price_per_million is not None:
        return settings.price_per_million
    if settings.model in PRICES:
        return PRICES[settings.model]
    host = urlparse(settings.base_url or "").hostname
    return (0.0, 0.0) if host in LOCAL_HOSTS else None
