"""What the planner's phrasing tests share: a question's spec (it must have one) and a
question's decline (it must have one, and a reason), as of the demo's today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.query_spec import QuerySpec

AS_OF = date(2025, 12, 31)


def spec_of(planner: OfflinePlanner, question: str, as_of: date = AS_OF,
            previous: QuerySpec | None = None) -> QuerySpec:
    result = planner.plan(question, as_of=as_of, previous=previous)
    assert result.spec is not None, result.decline_reason
    return result.spec


def declines(planner: OfflinePlanner, question: str, as_of: date = AS_OF) -> str:
    result = planner.plan(question, as_of=as_of)
    assert result.spec is None and result.tool_call is None, result.spec
    assert result.decline_reason
    return result.decline_reason


def demo_assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """An assistant on the test session's demo warehouse with a state directory of its own
    (for a module-scoped fixture: ``yield from demo_assistant(...)``)."""
    from genbi.assistant.service import Assistant

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(tmp_path_factory.mktemp("home")))
        patch.delenv("GENBI_DB", raising=False)
        opened = Assistant.open(warehouse_path, llm=False)
        yield opened
        opened.close()
