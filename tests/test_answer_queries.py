"""An answer runs the statement it needs and builds its chart from the fetched rows only; a
KPI card's change on the period before is one more statement, asked for separately (the
chat UI does it while it draws the chart), under the same guardrails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant


@pytest.fixture()
def assistant(warehouse_path: Path, genbi_home: Path) -> Any:
    opened = Assistant.open(warehouse_path, llm=False)
    statements: list[str] = []
    run = opened.warehouse.run

    def counted(sql: str, **options: Any) -> Any:
        statements.append(sql)
        return run(sql, **options)

    opened.warehouse.run = counted  # type: ignore[method-assign]
    opened.statements = statements
    yield opened
    opened.close()


def card_text(chart: Any) -> str:
    return " ".join(str(a.get("text", "")) for a in chart.to_plotly_json()["layout"].get("annotations", []))


def test_a_single_number_runs_one_statement_and_the_change_one_more(assistant: Any) -> None:
    request = AnswerRequest("total revenue in 2025", session_id="kpi", use_cache=False)
    answer = assistant.answer(request)
    assert len(assistant.statements) == 1 and answer.sql in assistant.statements[0]
    assert "period before" not in card_text(answer.chart)
    compared = assistant.with_period_change(answer, request)
    assert len(assistant.statements) == 2
    assert "'2024-01-01" in assistant.statements[1] and "'2025-01-01" in assistant.statements[1]  # 2024
    text = card_text(compared.chart)
    assert "on the period before" in text and compared.rows == answer.rows
    go.Figure(compared.chart.to_plotly_json())  # valid plotly


def test_no_comparison_where_there_is_no_single_closed_period(assistant: Any) -> None:
    for question in ("revenue by channel in 2025", "total revenue"):
        request = AnswerRequest(question, session_id=question, use_cache=False)
        answer = assistant.answer(request)
        assert assistant.with_period_change(answer, request) is answer
    assert len(assistant.statements) == 2, "one statement per answer, none for a comparison"


def test_a_dashboard_tile_of_one_number_shows_its_change(assistant: Any) -> None:
    from dataclasses import dataclass

    from genbi.assistant.answer import ToolCall
    from genbi.assistant.watch.replay import replay
    from genbi.semantic_layer.query_spec import QuerySpec

    asked = assistant.answer(AnswerRequest("total revenue in 2025", session_id="pin", use_cache=False))

    @dataclass
    class Pin:
        question: str
        language: str
        spec: QuerySpec | None
        tool_call: ToolCall | None = None

    tile = replay(assistant, Pin("total revenue in 2025", "en", asked.spec))
    assert "on the period before" in card_text(tile.chart)
