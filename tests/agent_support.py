"""Helpers for the LLM agent tests: one assistant and one retrieval index per process.

The retrieval index embeds the semantic model once (a few seconds); every agent test reuses
its folder. Each test gets its own scripted server, state store and session ids.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from genbi.assistant.agent import build_brain
from genbi.assistant.agent.config import LlmSettings
from genbi.assistant.agent.fake_server import ScriptedLLM, Step
from genbi.assistant.state import StateStore

_INDEX_DIR: Path | None = None


def index_dir() -> Path:
    global _INDEX_DIR
    if _INDEX_DIR is None:
        _INDEX_DIR = Path(tempfile.mkdtemp(prefix="genbi-test-index-"))
    return _INDEX_DIR


def attach_brain(assistant: Any, server: ScriptedLLM, tmp_path: Path, **options: Any) -> list[float]:
    """Point ``assistant`` at ``server``; returns the list the retry sleeps are recorded in.

    The state store (verified examples, seeded once from the train split) and the index are
    shared by the tests of a process; conversations are not (each test has its session).
    """
    sleeps: list[float] = []
    options.setdefault("route", "agent")  # most tests exercise the agent loop; hybrid ones say so
    settings = LlmSettings(model="scripted-model", base_url=server.url, api_key="test-key",
                           timeout_s=options.pop("timeout_s", 5.0), retries=options.pop("retries", 2),
                           backoff_s=0.25, **options)
    assistant.agent = build_brain(assistant, settings, index_path=index_dir(),
                                  store=StateStore(index_dir() / "state.sqlite"), sleep=sleeps.append)
    return sleeps


def all_text(requests: Iterable[dict[str, Any]]) -> str:
    """Everything the agent sent, as one string (for 'never in the prompt' checks)."""
    import json

    return "\n".join(json.dumps(r, ensure_ascii=False) for r in requests)


def script(*steps: Step) -> ScriptedLLM:
    return ScriptedLLM(list(steps))
