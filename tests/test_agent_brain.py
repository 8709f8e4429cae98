"""The LLM brain against a scripted OpenAI-compatible server: requests sent, answers given."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agent_support import all_text, attach_brain, script

from genbi.assistant.agent.brain import Final, NarrativeDelta
from genbi.assistant.agent.fake_server import (
    call,
    calls,
    json_in_content,
    malformed,
    reply,
    slow,
    status,
)
from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

pytestmark = pytest.mark.llm

REVENUE_2025 = {"metrics": ["revenue"], "time_range": {"start": "2025-01-01", "end": "2025-12-31"}}


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


@pytest.fixture()
def ask(assistant: Assistant, request: pytest.FixtureRequest) -> Any:
    session = request.node.name

    def ask(question: str, **kwargs: Any) -> Any:
        return assistant.answer(AnswerRequest(question, session_id=session, **kwargs))

    return ask


@pytest.fixture(scope="module")
def revenue_2025(assistant: Assistant) -> Any:
    return assistant.answer_offline(AnswerRequest("What was revenue in 2025?", session_id="offline"))


def test_single_metric_question_is_one_request(assistant, ask, tmp_path, revenue_2025) -> None:
    with script(call("query_metrics", **REVENUE_2025)) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("What was total revenue in 2025?")
    assert len(server.requests) == 1
    assert answer.brain == "scripted-model" and answer.rows == revenue_2025.rows
    assert answer.usage.llm_calls == 1 and answer.usage.input_tokens > 0
    assert answer.usage.tool_calls == 1 and answer.usage.cost_usd == 0.0  # a local server
    sent = server.requests[0]
    system = sent["messages"][0]["content"]
    assert sent["messages"][0]["role"] == "system" and sent["model"] == "scripted-model"
    assert "- revenue: Revenue / 销售额" in system  # retrieved metric documentation
    assert "Today (as_of): 2025-12-31" in system
    assert "Verified examples" in system  # the train split, verified on this warehouse
    assert {t["function"]["name"] for t in sent["tools"]} >= {"query_metrics", "lookup_values", "run_sql"}
    assert sent["stream"] is True and sent["max_tokens"] > 0


def test_personal_data_never_reaches_the_model(assistant, ask, tmp_path) -> None:
    raw = assistant.warehouse.policy.allowing_private()  # the test's own read of the raw values
    rows = assistant.warehouse.run("SELECT email, phone FROM customers LIMIT 50", policy=raw).rows
    with script(call("run_sql", sql="SELECT email FROM customers LIMIT 5"),
                call("query_metrics", metrics=["customers"], group_by=[{"name": "phone"}]),
                reply("I cannot share personal data.")) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("list the emails of our customers in Shanghai")
    sent = all_text(server.requests)
    assert not any(email in sent or phone in sent for email, phone in rows)
    system = server.requests[0]["messages"][0]["content"]
    assert "- email:" not in system and "- phone:" not in system
    tool_results = [m["content"] for m in server.requests[-1]["messages"] if m["role"] == "tool"]
    assert "personal data" in tool_results[0] and "personal" in tool_results[1].lower()
    assert answer.rows == () and "@" not in answer.narrative


@pytest.mark.parametrize("style", ["fenced", "bare", "tagged"])
def test_tool_call_written_as_json_text_is_recovered(assistant, ask, tmp_path, revenue_2025, style) -> None:
    with script(json_in_content("query_metrics", REVENUE_2025, style)) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("revenue in 2025")
    assert answer.rows == revenue_2025.rows and answer.brain == "scripted-model"
    assert "{" not in answer.narrative and answer.usage.recovered_calls == 1
    assert len(server.requests) == 1


def test_bare_arguments_without_a_tool_name_are_recovered(assistant, ask, tmp_path, revenue_2025) -> None:
    with script(json_in_content(None, REVENUE_2025, "fenced")) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("revenue in 2025")
    assert answer.rows == revenue_2025.rows


def test_hallucinated_metric_goes_back_with_suggestions(assistant, ask, tmp_path, revenue_2025) -> None:
    wrong = {**REVENUE_2025, "metrics": ["total_sales_amount"]}
    with script(call("query_metrics", **wrong), call("query_metrics", **REVENUE_2025)) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("total sales 2025")
    feedback = server.requests[1]["messages"][-1]
    assert feedback["role"] == "tool" and "total_sales_amount" in feedback["content"]
    assert "revenue" in feedback["content"]  # the valid names come back as suggestions
    assert answer.rows == revenue_2025.rows and answer.usage.corrections == 1


@pytest.mark.parametrize("first", [
    call("query_metrics", metrics=[], time_range={"start": "2025-01-01"}),  # invalid arguments
    call("revenue_report", year=2025),  # a tool that does not exist
    calls(("query_metrics", "metrics=revenue, year=2025")),  # arguments that are not JSON
])
def test_bad_tool_calls_are_corrected(assistant, ask, tmp_path, revenue_2025, first) -> None:
    with script(first, call("query_metrics", **REVENUE_2025)) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("revenue in 2025")
    assert len(server.requests) == 2
    assert server.requests[1]["messages"][-1]["role"] in ("tool", "user")
    assert answer.rows == revenue_2025.rows and answer.brain == "scripted-model"


def test_unreadable_json_text_goes_back_to_the_model(assistant, ask, tmp_path, revenue_2025) -> None:
    broken = reply('```json\n{"name": "query_metrics", "arguments": {"metrics": ["revenue"],\n```')
    with script(broken, call("query_metrics", **REVENUE_2025)) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("revenue in 2025")
    assert "not valid JSON" in server.requests[1]["messages"][-1]["content"]
    assert answer.rows == revenue_2025.rows and "```" not in answer.narrative


def test_two_failed_corrections_fall_back_to_the_offline_planner(assistant, ask, tmp_path, revenue_2025) -> None:
    wrong = call("query_metrics", metrics=["gmv_total"])
    with script(wrong, wrong, wrong) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("What was revenue in 2025?")
    assert len(server.requests) == 3  # the first try and two corrections
    assert answer.brain == "offline planner" and answer.rows == revenue_2025.rows
    assert any("offline planner" in w for w in answer.warnings)
    assert answer.usage.corrections == 3 and answer.usage.llm_calls == 3


def test_rate_limit_is_retried_with_backoff(assistant, ask, tmp_path, revenue_2025) -> None:
    with script(status(429, retry_after=0.5), call("query_metrics", **REVENUE_2025)) as server:
        sleeps = attach_brain(assistant, server, tmp_path)
        answer = ask("revenue in 2025")
    assert sleeps == [0.5]  # Retry-After honoured
    assert answer.brain == "scripted-model" and answer.usage.retries == 1 and answer.usage.llm_calls == 2
    assert answer.rows == revenue_2025.rows


@pytest.mark.parametrize("failure", [status(500), status(503), malformed(), slow(1.0)])
def test_persistent_endpoint_failures_fall_back(assistant, ask, tmp_path, revenue_2025, failure) -> None:
    with script(failure, failure, failure) as server:
        sleeps = attach_brain(assistant, server, tmp_path, timeout_s=0.4)
        answer = ask("What was revenue in 2025?")
    assert len(server.requests) == 3 and sleeps == [0.25, 0.5]  # exponential backoff
    assert answer.brain == "offline planner" and answer.rows == revenue_2025.rows
    (note,) = [w for w in answer.warnings if "could not answer" in w]
    assert ("HTTP 5" in note or "unreadable" in note or "timed out" in note) and "genbi answered" not in note


def test_one_timeout_then_success(assistant, ask, tmp_path, revenue_2025) -> None:
    with script(slow(1.0), call("query_metrics", **REVENUE_2025)) as server:
        attach_brain(assistant, server, tmp_path, timeout_s=0.4)
        answer = ask("revenue in 2025")
    assert answer.brain == "scripted-model" and answer.rows == revenue_2025.rows


def test_follow_up_resolves_against_the_last_spec(assistant, ask, tmp_path) -> None:
    by_channel = {**REVENUE_2025, "group_by": [{"name": "sales_channel"}]}
    with script(call("query_metrics", **REVENUE_2025), call("query_metrics", **by_channel)) as server:
        attach_brain(assistant, server, tmp_path)
        ask("What was revenue in 2025?")
        answer = ask("now split that by sales channel")
    second = server.requests[1]["messages"]
    assert 'previous_spec: {"metrics":["revenue"]' in second[0]["content"]
    assert [m["content"] for m in second if m["role"] == "user"] == [
        "What was revenue in 2025?", "now split that by sales channel"]
    assert answer.columns == ("sales_channel", "revenue") and len(answer.rows) == 6


def test_final_narrative_streams_and_json_never_does(assistant, tmp_path) -> None:
    text = "ROAS is attributed revenue divided by ad spend: how much each yuan of spend brought back."
    with script(json_in_content("describe_model", {"name": "roas"}, "bare"), reply(text)) as server:
        attach_brain(assistant, server, tmp_path)
        events = list(assistant.agent.stream(AnswerRequest("What does ROAS mean?", session_id="stream"),
                                             assistant))
    deltas = [e.text for e in events if isinstance(e, NarrativeDelta)]
    final = events[-1]
    assert isinstance(final, Final) and final.answer.narrative == text
    assert len(deltas) > 3 and "".join(deltas) == text
    assert not any("{" in d for d in deltas)


def test_multi_step_question_explains_with_the_data(assistant, ask, tmp_path) -> None:
    monthly = {**REVENUE_2025, "group_by": [{"name": "metric_time", "grain": "month"}], "then": "continue"}
    explanation = "Revenue peaked in November with Double Eleven."
    with script(call("query_metrics", **monthly), reply(explanation)) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("Which month of 2025 had the most revenue, and why?")
    tool_result = json.loads(server.requests[1]["messages"][-1]["content"])
    assert tool_result["row_count"] == 12 and len(tool_result["first_rows"]) == 10  # compact
    assert answer.narrative == explanation and len(answer.rows) == 12 and answer.chart is not None


def test_out_of_scope_question_is_declined(assistant, ask, tmp_path) -> None:
    with script(call("decline", reason="I only answer questions about marketing data.")) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("What's the weather in Shanghai tomorrow?")
    assert answer.declined and answer.decline.reason.startswith("I only answer")


def test_analytics_tool_result_is_compact_for_the_model(assistant, ask, tmp_path) -> None:
    with script(call("funnel", start="2025-01-01", end="2025-12-31"),
                reply("The biggest drop is from product view to add to cart.")) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("Show the conversion funnel for 2025")
    offered = {t["function"]["name"] for t in server.requests[0]["tools"]}
    assert "funnel" in offered
    result = json.loads(server.requests[1]["messages"][-1]["content"])
    assert result["tool"] == "funnel" and "facts" in result and len(result["first_rows"]) <= 5
    assert answer.tool_call.name == "funnel" and answer.rows and answer.narrative.startswith("The biggest")


def test_make_chart_redraws_the_last_result(assistant, ask, tmp_path) -> None:
    by_tier = {**REVENUE_2025, "group_by": [{"name": "city_tier"}]}
    with script(call("query_metrics", **by_tier), call("make_chart", kind="pie")) as server:
        attach_brain(assistant, server, tmp_path)
        ask("revenue by city tier in 2025")
        answer = ask("show that as a pie chart")
    assert answer.chart.data[0].type == "pie" and len(answer.rows) == 3


def test_generate_copy_runs_the_tool_with_the_model_as_writer(assistant, ask, tmp_path) -> None:
    drafts = [{"text": "Your skincare favourites are back in stock: come back for 15% off"},
              {"text": "We saved your usual skincare for you: 15% off this week only " * 4}]
    fixed = [{"text": "Your usual skincare is waiting: 15% off this week"}]
    with script(call("generate_copy", segment="At risk", channel="sms", goal="reactivate", variants=2),
                call("SmsVariants", variants=drafts), call("SmsVariants", variants=fixed)) as server:
        attach_brain(assistant, server, tmp_path)
        answer = ask("Write an SMS to win back the At-risk segment")
        shorter = ask("make it shorter")
    writer_prompt = server.requests[1]["messages"][0]["content"]
    assert "At risk" in writer_prompt and "Reply STOP" in writer_prompt  # the audience and the rules
    assert "length:text" in server.requests[2]["messages"][0]["content"]  # the violation fed back once
    assert answer.tool_call.name == "generate_copy" and answer.usage.llm_calls == 3
    texts = list(answer.rows[i][answer.columns.index("text")] for i in range(len(answer.rows)))
    assert len(texts) == 2 and all(t.endswith("Reply STOP to opt out") and len(t) <= 160 for t in texts)
    assert answer.extras["facts"]["writer"] == "llm:scripted-model" and answer.extras["facts"]["retried"]
    # the follow-up revises the last copy with the templates (the script has no more replies)
    assert shorter.tool_call.name == "generate_copy" and shorter.tool_call.arguments["short"] is True
    assert shorter.extras["facts"]["writer"] == "templates" and shorter.extras["facts"]["writer_fallback"]
    assert len(server.requests) == 4  # one writer request for the revision, no agent loop


def test_empty_or_huge_questions_never_reach_the_model(assistant, ask, tmp_path) -> None:
    with script() as server:
        attach_brain(assistant, server, tmp_path)
        empty, huge = ask("   "), ask("revenue " * 300)
    assert server.requests == [] and empty.declined and huge.declined


def test_the_ui_shows_the_narrative_as_the_model_writes_it(assistant, tmp_path) -> None:
    """The Gradio handler streams the LLM brain's narrative (through guardrails and audit)."""
    import types

    import gradio as gr

    from genbi.assistant.state import StateStore
    from genbi.ui.app import Handlers, UiContext, _answer_panel

    text = "ROAS is attributed revenue divided by ad spend: how much each yuan of spend brought back."
    with gr.Blocks():
        panel, _ = _answer_panel()
    handlers = Handlers(UiContext(assistant, StateStore(tmp_path / "ui.sqlite"), tmp_path / "csv"), panel)
    with script(json_in_content("describe_model", {"name": "roas"}, "bare"), reply(text)) as server:
        attach_brain(assistant, server, tmp_path)
        shown = [str(o[0][-1]["content"])  # read as it is yielded: the history list is reused
                 for o in handlers.ask("What does ROAS mean?", None, "English", [],
                                       types.SimpleNamespace(session_hash="streaming"))
                 if isinstance(o[0], list) and o[0]]
    partial = [s for s in shown if s and s != text and text.startswith(s)]
    assert len(partial) >= 3, shown  # growing prefixes of the narrative, before the answer
    assert text in shown[-1]
