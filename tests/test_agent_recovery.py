"""Pure pieces of the LLM brain: tool-call recovery, PII refusal, settings, compact results,
prompt rendering."""

from __future__ import annotations

import json

import pytest

from genbi.assistant.agent.compact import compact_table
from genbi.assistant.agent.config import llm_settings
from genbi.assistant.agent.llm import LlmUnavailable, RetryPolicy, call_with_retries, is_transient
from genbi.assistant.agent.recovery import clean_text, looks_like_tool_call, recover_tool_calls
from genbi.assistant.agent.sql_policy import check_no_pii
from genbi.assistant.agent.tools import DeclineArgs, LookupValuesArgs, QueryMetricsArgs
from genbi.assistant.prompts import prompt_names, render_prompt
from genbi.errors import ConfigError, UnsafeSQLError
from genbi.semantic_layer.loader import load_model

SCHEMAS = {"query_metrics": QueryMetricsArgs, "lookup_values": LookupValuesArgs, "decline": DeclineArgs}
ARGS = {"metrics": ["revenue"], "time_range": {"relative": {"kind": "previous", "unit": "month"}}}
CALL = json.dumps({"name": "query_metrics", "arguments": ARGS})


@pytest.mark.parametrize("text", [
    f"```json\n{CALL}\n```",
    f"```\n{CALL}\n```",
    CALL,
    f"<tool_call>\n{CALL}\n</tool_call>",
    f"Sure, let me look that up.\n{CALL}",
    json.dumps([{"name": "query_metrics", "arguments": ARGS}]),
    json.dumps({"type": "function", "function": {"name": "query_metrics", "arguments": json.dumps(ARGS)}}),
    json.dumps({"action": "query_metrics", "action_input": ARGS}),
    json.dumps({"name": "query_metrics", "parameters": ARGS}),
    f"<think>the user wants revenue</think>\n```json\n{json.dumps(ARGS)}\n```",  # bare arguments
])
def test_tool_calls_written_as_text_are_recovered(text: str) -> None:
    (call,) = recover_tool_calls(text, SCHEMAS)
    assert call["name"] == "query_metrics" and call["args"] == ARGS and call["id"]
    assert looks_like_tool_call(text) or text.startswith("Sure")


def test_several_calls_and_unknown_tools_are_kept_for_the_tool_node() -> None:
    text = json.dumps([{"name": "lookup_values", "arguments": {"text": "上海"}},
                       {"name": "weather", "arguments": {"city": "Shanghai"}}])
    assert [c["name"] for c in recover_tool_calls(text, SCHEMAS)] == ["lookup_values", "weather"]


@pytest.mark.parametrize("text", [
    "Revenue was ¥6.99M in 2025, up 12% on 2024.",
    '{"name": "query_metrics", "arguments": {"metrics": ["revenue"]',  # not JSON: goes back as an error
    json.dumps({"city": "Shanghai", "revenue": 123.4}),  # data, not a call
    json.dumps({"name": "Shanghai", "revenue": 123.4}),
])
def test_text_that_is_not_a_tool_call_stays_text(text: str) -> None:
    assert recover_tool_calls(text, SCHEMAS) == []


def test_reasoning_blocks_are_not_shown() -> None:
    assert clean_text("<think>hmm</think>\nRevenue rose.") == "Revenue rose."


@pytest.mark.parametrize("sql", [
    "SELECT email FROM customers",
    "SELECT lower(phone) AS p FROM customers",
    "SELECT * FROM customers",
    "SELECT c.* FROM orders o JOIN customers c USING (customer_id)",
    "SELECT customers FROM customers",
    "SELECT COLUMNS('e.*') FROM customers",
])
def test_run_sql_refuses_personal_data(sql: str) -> None:
    with pytest.raises(UnsafeSQLError):
        check_no_pii(sql, load_model())


@pytest.mark.parametrize("sql", [
    "SELECT city, COUNT(*) AS n FROM customers GROUP BY city",
    "SELECT * FROM orders LIMIT 5",
])
def test_run_sql_allows_the_rest(sql: str) -> None:
    check_no_pii(sql, load_model())


def test_no_model_means_no_llm_and_settings_are_checked() -> None:
    assert llm_settings({"OPENAI_API_KEY": "sk-test"}) is None  # a key alone sends nothing anywhere
    settings = llm_settings({"GENBI_LLM_MODEL": "deepseek-chat", "OPENAI_BASE_URL": "https://api.deepseek.com/v1",
                             "GENBI_LLM_PRICE": "0.27,1.10", "GENBI_LLM_RETRIES": "3"})
    assert settings is not None and settings.retries == 3 and settings.price_per_million == (0.27, 1.10)
    assert settings.key == "not-needed" and settings.embedding_model is None
    assert llm_settings({"GENBI_LLM_MODEL": "m", "GENBI_EMBEDDINGS": "api"}).embedding_model == "text-embedding-3-small"  # type: ignore[union-attr]
    for bad in ({"GENBI_LLM_TIMEOUT": "soon"}, {"GENBI_LLM_PRICE": "cheap"}, {"GENBI_EMBEDDINGS": "hub"}):
        with pytest.raises(ConfigError):
            llm_settings({"GENBI_LLM_MODEL": "m", **bad})


def test_retries_are_bounded_and_only_for_transient_errors() -> None:
    import httpx2 as httpx
    import openai

    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    busy = openai.RateLimitError("busy", response=httpx.Response(429, request=request), body=None)
    denied = openai.AuthenticationError("no", response=httpx.Response(401, request=request), body=None)
    assert is_transient(busy) and not is_transient(denied)
    sleeps: list[float] = []
    attempts = []

    def always_busy() -> None:
        attempts.append(1)
        raise busy

    with pytest.raises(LlmUnavailable, match="rate limited"):
        call_with_retries(always_busy, RetryPolicy(retries=2, backoff_s=1.0, sleep=sleeps.append))
    assert len(attempts) == 3 and sleeps == [1.0, 2.0]


def test_compact_results_never_carry_whole_tables() -> None:
    rows = [(f"city {i}", i * 1.23456, i) for i in range(500)]
    summary = compact_table(("city", "revenue", "orders"), rows)
    assert summary["row_count"] == 500 and len(summary["first_rows"]) == 10
    assert summary["stats"]["orders"] == {"min": 0, "max": 499, "sum": 124750}
    assert "city" not in summary["stats"] and len(json.dumps(summary)) < 1500


def test_every_prompt_renders_in_both_languages_and_is_strict() -> None:
    import jinja2

    assert {"agent_system.en.jinja", "agent_system.zh.jinja", "copy/writer.en.jinja", "copy/writer.zh.jinja"} <= set(prompt_names())
    context = {"model_description": "A shop.", "as_of": "2025-12-31", "tools": ["rfm"], "metrics": [],
               "metric_total": 0, "dimensions": [], "values": [], "examples": [], "previous_spec": ""}
    assert "Answer in English" in render_prompt("agent_system", "en", **context)
    assert "请用中文回答" in render_prompt("agent_system", "zh", **context)
    with pytest.raises(jinja2.UndefinedError):
        render_prompt("agent_system", "en", as_of="2025-12-31")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_scripted_oracle_reads_today_and_the_previous_query(language: str) -> None:
    from genbi.assistant.agent.fake_server import _AS_OF, _PREVIOUS

    context = {"model_description": "", "as_of": "2025-06-30", "tools": [], "metrics": [], "metric_total": 0,
               "dimensions": [], "values": [], "examples": [], "previous_spec": '{"metrics":["spend"]}'}
    prompt = render_prompt("agent_system", language, **context)
    assert _AS_OF.search(prompt).group(1) == "2025-06-30"  # type: ignore[union-attr]
    assert _PREVIOUS.search(prompt).group(1) == '{"metrics":["spend"]}'  # type: ignore[union-attr]
