"""Every marketing tool's real answer — table, chart, extras — through the masking and the
rendering of each front end, for a role without personal-data access (the default).

Found by the red team: the A/B-test chart's numpy arrays made masking crash for every
non-admin; this walks every tool so no other chart or extra can do the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.tools.base import registered_tools
from genbi.ui import render
from genbi.ui.slack import blocks
from genbi.ui.slack.chart import chart_png
from genbi.ui.slack.table import column_infos

QUESTIONS = {
    "rfm": "RFM analysis",
    "segments": "customer segments clustering",
    "lifecycle": "AIPL lifecycle stages",
    "cohort_retention": "cohort retention by signup month",
    "funnel": "funnel by device in 2025",
    "attribution": "Shapley attribution by channel",
    "ab_test": "checkout_coupon A/B test results",
    "lookalike": "find customers similar to Champions",
    "churn_risk": "which customers are at risk of churning",
    "clv": "predicted customer lifetime value",
    "generate_copy": "write an SMS to win back the At risk segment",
    "explain_change": "why did revenue drop in November?",
    "anomalies": "any unusual days in December?",
    "budget_allocation": "how should we reallocate the budget across channels",
}
OWN_WAREHOUSE = {"identity_resolution": "tests/test_tools_budget_identity.py (a warehouse with identity roles)"}
"""Tools the demo model cannot serve, masked and rendered on their own warehouse instead."""


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(tmp_path_factory.mktemp("tools-home")))
        for name in ("GENBI_ROLE", "GENBI_ROLES", "GENBI_LLM_MODEL"):
            patch.delenv(name, raising=False)
        opened = Assistant.open(warehouse_path, llm=False)
        yield opened
        opened.close()


def test_every_tool_has_a_question() -> None:
    missing = set(registered_tools()) - set(QUESTIONS) - set(OWN_WAREHOUSE)
    assert not missing, missing


@pytest.mark.parametrize("tool", sorted(QUESTIONS))
def test_a_tools_answer_masks_and_renders_for_a_marketer(tool: str, assistant: Assistant, tmp_path: Path) -> None:
    request = AnswerRequest(QUESTIONS[tool], session_id=f"tools-{tool}", user="slack:T0:U0MARKETER")
    assert assistant.access.role_for(request.user).name == "marketer"
    answer = assistant.answer(request)
    assert answer.tool_call is not None and answer.tool_call.name == tool, answer.decline or answer.error
    assert not answer.error and not answer.declined
    rendered = render.render_answer(answer, answer.language, csv_dir=tmp_path)
    assert rendered.message and (rendered.csv_path is None or Path(rendered.csv_path).is_file())
    columns = tuple(column_infos(answer.columns, answer.rows, assistant.model, answer.language))
    reply = blocks.answer_reply(answer, columns, key="k")
    assert reply.blocks
    if answer.rows and answer.columns:
        chart_png(columns, answer.rows, title=answer.interpretation, language=answer.language)
