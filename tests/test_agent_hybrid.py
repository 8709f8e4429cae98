"""Planner first, the model for the rest: routing, constrained spec filling, grounding, caching.

Every model reply comes from the scripted OpenAI-compatible server; no network, no key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant.agent.brain import LlmBrain
from genbi.assistant.agent.config import LlmSettings, llm_settings
from genbi.assistant.agent.fake_server import (
    ScriptedLLM,
    Step,
    call,
    json_in_content,
    reply,
    status,
)
from genbi.assistant.agent.routing import decide
from genbi.assistant.agent.spec_schema import SPEC_FUNCTION, fill_schema, parse_filled
from genbi.assistant.answer import AnswerRequest, ToolCall
from genbi.assistant.planner.planner import PlannerResult
from genbi.assistant.service import Assistant
from genbi.errors import ConfigError

pytestmark = pytest.mark.llm


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def filled(**fields: Any) -> dict[str, Any]:
    """A reply the way a schema-constrained model writes it (every field present)."""
    base: dict[str, Any] = {"unsupported": [], "metrics": [], "group_by": [], "filters": [],
                            "period": {"start": "", "end": "", "words": ""},
                            "top": {"limit": 0, "highest_first": True}}
    return {**base, **fields}


def as_reply(**fields: Any) -> Step:
    return reply(json.dumps(filled(**fields), ensure_ascii=False))


class Session:
    """One conversation with the hybrid brain on a scripted server."""

    def __init__(self, assistant: Assistant, server: ScriptedLLM, name: str, route: str = "hybrid") -> None:
        self.assistant, self.server, self.name = assistant, server, name
        assistant.agent = LlmBrain(LlmSettings(model="scripted-model", base_url=server.url, api_key="k",
                                               retries=0, route=route))

    def ask(self, question: str, **kwargs: Any) -> Any:
        return self.assistant.answer(AnswerRequest(question, session_id=self.name, **kwargs))


@pytest.fixture()
def hybrid(assistant: Assistant, request: pytest.FixtureRequest) -> Iterator[Any]:
    servers: list[ScriptedLLM] = []

    def start(*steps: Step, route: str = "hybrid") -> Session:
        server = ScriptedLLM(list(steps)).start()
        servers.append(server)
        return Session(assistant, server, f"{request.node.name}-{len(servers)}", route)

    yield start
    for server in servers:
        server.stop()
    assistant.agent = None


def offline(assistant: Assistant, question: str) -> Any:
    return assistant.answer_offline(AnswerRequest(question, session_id=f"offline-{question}"))


# --- routing ---------------------------------------------------------------------------


def test_a_complete_reading_is_answered_with_no_llm_call(assistant, hybrid) -> None:
    session = hybrid()
    answer = session.ask("revenue by channel in 2025")
    assert session.server.requests == []
    assert answer.brain == "offline planner" and "read every word" in answer.route
    assert answer.usage.llm_calls == 0 and answer.rows == offline(assistant, "revenue by channel in 2025").rows


def test_declines_that_a_model_cannot_fix_stay_with_the_planner(hybrid) -> None:
    session = hybrid()
    write = session.ask("Delete all orders from 2024")
    assert write.declined and write.brain == "offline planner" and "only reads" in write.route
    assert session.server.requests == []


@pytest.mark.parametrize("question", [
    "我们公司今天的股价是多少？", "what is our market cap", "revenue on rainy days",
    "how many employees do we have", "profit by channel last month", "客户满意度怎么样？",
    "下雨天上海门店的销售额会下降多少", "公众号粉丝数", "上个季度的商品成本一共多少",
])
def test_a_term_the_planner_knows_the_model_lacks_is_declined_without_a_call(hybrid, question) -> None:
    """Was: the 1.5B model read "股价" (share price) as revenue and answered today's sales.
    Asked "does '股价' mean revenue?" it says yes to every pairing, so no call is made."""
    session = hybrid(as_reply(metrics=[{"name": "revenue", "words": question}]))
    answer = session.ask(question)
    assert answer.declined and answer.brain == "offline planner" and "has no" in answer.route
    assert session.server.requests == []
    assert "won't answer another metric" in answer.narrative or "不会用别的指标" in answer.narrative


def test_copy_and_explanations_go_to_the_agent_loop() -> None:
    copy = PlannerResult(language="zh", tool_call=ToolCall("generate_copy", {}))
    assert decide(copy, "写一条短信给流失客户").kind == "agent"
    rfm = PlannerResult(language="en", tool_call=ToolCall("rfm", {}))
    assert decide(rfm, "RFM analysis").kind == "planner"


# --- constrained spec filling and grounding -------------------------------------------


def test_an_unknown_word_is_read_by_the_model_and_shown_as_an_assumption(assistant, hybrid) -> None:
    session = hybrid(as_reply(metrics=[{"name": "revenue", "words": "take"}]))
    answer = session.ask("What was the take last quarter?")
    assert len(session.server.requests) == 1
    assert answer.brain == "scripted-model" and "'take'" in answer.route
    assert "I read 'take' as revenue." in answer.warnings
    assert answer.rows == offline(assistant, "revenue last quarter").rows  # the planner's own period
    assert answer.usage.llm_calls == 1 and answer.usage.input_tokens > 0
    sent = session.server.requests[0]
    schema = sent["response_format"]["json_schema"]["schema"]
    assert sent["response_format"]["type"] == "json_schema"
    assert schema["properties"]["metrics"]["items"]["properties"]["name"]["enum"] == list(assistant.model.metric_names)
    assert "tools" not in sent and sent["max_tokens"] > 0 and sent["temperature"] == 0


def test_the_model_fills_only_the_gap_the_planner_keeps_its_reading(assistant, hybrid) -> None:
    """The model's period is wrong (2024–2025): the planner's 'in 2025' stands."""
    session = hybrid(as_reply(metrics=[{"name": "new_customers", "words": "punters signed up"}],
                              period={"start": "2024-01-01", "end": "2025-12-31", "words": "in 2025"}))
    answer = session.ask("How many punters signed up in 2025?")
    assert answer.brain == "scripted-model"
    assert answer.rows == offline(assistant, "new customers in 2025").rows


def test_a_metric_stretched_over_a_distant_unknown_word_is_rejected(hybrid) -> None:
    session = hybrid(as_reply(metrics=[{"name": "revenue", "words": "revenue from left-handed shoppers"}]))
    answer = session.ask("revenue from left-handed shoppers")
    assert answer.declined and answer.brain == "offline planner"
    assert "not used" in answer.route and answer.usage.llm_calls == 1


def test_what_the_model_says_the_data_lacks_declines(hybrid) -> None:
    session = hybrid(as_reply(unsupported=["moon phase"], metrics=[{"name": "revenue", "words": "sales"}]))
    answer = session.ask("How much did the moon phase affect sales last month")
    assert answer.declined and "does not record 'moon phase'" in answer.route


def test_items_whose_words_are_not_in_the_question_are_not_used(hybrid) -> None:
    session = hybrid(as_reply(metrics=[{"name": "spend", "words": "marketing budget"}]))
    answer = session.ask("What was the take last quarter?")
    assert answer.declined and answer.brain == "offline planner"


def test_a_value_the_planner_does_not_know_becomes_a_filter_with_a_note(assistant, hybrid) -> None:
    session = hybrid(as_reply(metrics=[{"name": "revenue", "words": "revenue"}],
                              filters=[{"dimension": "city", "exclude": False, "values": ["shanghai"],
                                        "words": "the magic city"}]))
    answer = session.ask("revenue in the magic city in 2025")
    assert answer.brain == "scripted-model", answer.route
    assert answer.rows == offline(assistant, "revenue in Shanghai in 2025").rows
    assert any("'magic'" in w and "Shanghai" in w for w in answer.warnings), answer.warnings


@pytest.mark.parametrize("question, words", [("数据怎么样", "数据"), ("how are the numbers looking", "numbers")])
def test_words_for_data_in_general_are_not_read_as_one_metric(hybrid, question, words) -> None:
    """Was (Qwen 1.5B): "数据怎么样" (how is the data) answered one metric's total."""
    session = hybrid(as_reply(metrics=[{"name": "revenue", "words": words}]))
    answer = session.ask(question)
    assert len(session.server.chat_requests) == 1  # the model was asked, its reading not used
    assert answer.declined and answer.brain == "offline planner", answer.route


def test_a_breakdown_read_from_words_unlike_its_names_is_not_used(hybrid) -> None:
    """Was (Qwen 1.5B): "revenue by payment method" answered revenue by another dimension."""
    session = hybrid(as_reply(metrics=[{"name": "revenue", "words": "revenue"}],
                              group_by=[{"name": "sales_channel", "grain": "none", "words": "payment method"}]))
    answer = session.ask("revenue by payment method")
    assert answer.declined and answer.brain == "offline planner", answer.route


def test_a_breakdown_read_from_words_it_shares_with_its_names_is_used(assistant, hybrid) -> None:
    session = hybrid(as_reply(metrics=[{"name": "orders", "words": "orders"}],
                              group_by=[{"name": "city", "grain": "none", "words": "customer home city"}]))
    answer = session.ask("orders by customer home city in 2025")
    assert answer.brain == "scripted-model", answer.route
    assert answer.rows == offline(assistant, "orders by city in 2025").rows


def test_a_failing_endpoint_leaves_the_planners_decline(hybrid) -> None:
    session = hybrid(status(500))
    answer = session.ask("What was the take last quarter?")
    assert answer.declined and answer.brain == "offline planner" and "failed" in answer.route


# --- servers without JSON schema --------------------------------------------------------


def test_a_server_refusing_json_schema_gets_a_named_tool_call_from_then_on(assistant, hybrid) -> None:
    arguments = filled(metrics=[{"name": "revenue", "words": "take"}])
    session = hybrid(status(400), call(SPEC_FUNCTION, **arguments), call(SPEC_FUNCTION, **arguments))
    first = session.ask("What was the take last quarter?")
    second = session.ask("What was the take last month?")
    assert first.brain == second.brain == "scripted-model"
    retried, later = session.server.requests[1], session.server.requests[2]
    for sent in (retried, later):
        assert "response_format" not in sent
        assert sent["tool_choice"] == {"type": "function", "function": {"name": SPEC_FUNCTION}}
        assert [t["function"]["name"] for t in sent["tools"]] == [SPEC_FUNCTION]
    assert second.rows == offline(assistant, "revenue last month").rows


@pytest.mark.parametrize("style", ["fenced", "tagged", "bare"])
def test_json_written_in_content_is_recovered(assistant, hybrid, style) -> None:
    session = hybrid(json_in_content(SPEC_FUNCTION, filled(metrics=[{"name": "revenue", "words": "take"}]), style))
    answer = session.ask("What was the take last quarter?")
    assert answer.brain == "scripted-model" and answer.rows == offline(assistant, "revenue last quarter").rows


def test_a_reply_naming_what_the_model_lacks_is_parsed_without_those_names(assistant) -> None:
    parsed = parse_filled(filled(metrics=[{"name": "gmv_total", "words": "gmv"}, {"name": "orders", "words": "x"}]),
                          assistant.model)
    assert [m.name for m in parsed.metrics] == ["orders"] and parsed.unknown_names == ("gmv_total",)


def test_the_schema_never_offers_personal_data(assistant) -> None:
    schema = fill_schema(assistant.model)
    dimensions = schema["properties"]["filters"]["items"]["properties"]["dimension"]["enum"]
    assert dimensions and not any(assistant.model.dimension(d).pii for d in dimensions)


# --- prompt layout for caching ---------------------------------------------------------


def test_the_static_prefix_is_byte_identical_across_questions_and_days(hybrid) -> None:
    reply_ = as_reply(metrics=[{"name": "revenue", "words": "take"}])
    session = hybrid(reply_, reply_, as_reply(metrics=[{"name": "revenue", "words": "haul"}]))
    session.ask("What was the take last quarter?")
    session.ask("the take in Shanghai, by month", as_of=date(2024, 6, 30))
    session.ask("what was the haul last week")
    requests = session.server.requests
    assert len(requests) == 3
    systems = {r["messages"][0]["content"] for r in requests}
    schemas = {json.dumps(r["response_format"], sort_keys=False) for r in requests}
    assert len(systems) == 1 and len(schemas) == 1
    assert [m["role"] for m in requests[0]["messages"]] == ["system", "user"]
    users = [r["messages"][1]["content"] for r in requests]
    assert users[0].endswith("Question: What was the take last quarter?\n") and "2024-06-30" in users[1]
    assert "2025-12-31" not in requests[0]["messages"][0]["content"]  # today is per question
    schema = requests[0]["response_format"]["json_schema"]["schema"]
    assert "period" not in schema["properties"]  # the planner reads periods; fewer tokens to write


# --- the LLM-only baseline and settings ------------------------------------------------


def test_spec_route_sends_every_question_to_the_model(assistant, hybrid) -> None:
    session = hybrid(as_reply(metrics=[{"name": "revenue", "words": "revenue"}],
                              period={"start": "2025-01-01", "end": "2025-12-31", "words": "2025"}),
                     route="spec")
    answer = session.ask("revenue in 2025")
    assert len(session.server.requests) == 1 and answer.brain == "scripted-model"
    assert answer.rows == offline(assistant, "revenue in 2025").rows
    assert "period" in session.server.requests[0]["response_format"]["json_schema"]["schema"]["properties"]


def test_route_and_constraint_settings_are_checked() -> None:
    settings = llm_settings({"GENBI_LLM_MODEL": "m"})
    assert settings is not None and settings.route == "hybrid" and settings.structured == "auto"
    chosen = llm_settings({"GENBI_LLM_MODEL": "m", "GENBI_LLM_ROUTE": "Agent", "GENBI_LLM_STRUCTURED": "tools"})
    assert chosen is not None and (chosen.route, chosen.structured) == ("agent", "tools")
    for bad in ({"GENBI_LLM_ROUTE": "llm-only"}, {"GENBI_LLM_STRUCTURED": "gbnf"},
                {"GENBI_LLM_GGUF": "/nonexistent/model.gguf"}):
        with pytest.raises(ConfigError):
            llm_settings({"GENBI_LLM_MODEL": "m", **bad})


# --- the eval report -------------------------------------------------------------------


def test_eval_report_counts_llm_calls_per_question_and_says_why(assistant, hybrid, warehouse_path) -> None:
    """Planner-read cases cost no call; cases it declines for want of words cost one, and a
    model that says the data lacks something keeps the planner's decline (no EX lost)."""
    from genbi.eval.cases import load_cases
    from genbi.eval.harness import run_cases
    from genbi.eval.report import case_json, render_text

    source = Path(__file__).parents[1] / "eval" / "cases"
    cases = [c for c in load_cases([source / "metrics.jsonl"])[:4]]
    cases += [c for c in load_cases([source / "declines.jsonl"]) if "unanswerable" in c.tags][:4]
    session = hybrid()
    session.server._responder = lambda body: as_reply(unsupported=[_last_word(body)])
    report = run_cases(cases, answerer=session.assistant, db_path=warehouse_path)
    assert report.summary["passed"] == len(cases)
    calls = report.summary["llm_calls"]
    assert calls["total"] == len(session.server.requests) == calls["questions_with_calls"] > 0
    assert calls["per_question"] == round(calls["total"] / len(cases), 3) < 1
    rows = [case_json(r) for r in report.results]
    assert all(row["llm_calls"] == 0 and "read every word" in row["route"] for row in rows[:4])
    assert "LLM calls:" in render_text(report)


def _last_word(body: dict[str, Any]) -> str:
    question = body["messages"][-1]["content"].rsplit("Question:", 1)[-1]
    return question.strip().rstrip("?？").split()[-1]


def test_an_embedded_gguf_without_bindings_says_how_to_install_them(tmp_path, monkeypatch) -> None:
    import sys

    from genbi.assistant.agent.local_model import serve_gguf

    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF")
    settings = llm_settings({"GENBI_LLM_GGUF": str(model)})
    assert settings is not None and settings.model == "tiny" and "in-process" in settings.endpoint
    for name in ("xllamacpp", "llama_cpp", "llama_cpp.server.app"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails as when not installed
    with pytest.raises(ConfigError, match="genbi\\[local\\]"):
        serve_gguf(settings)


@pytest.mark.parametrize("full", [False, True])
def test_the_prompts_worked_examples_come_from_the_model_and_fit_its_schema(assistant, full) -> None:
    from genbi.assistant.agent.spec_prompt import examples, system_prompt

    shown = examples(assistant.model, full)
    assert len(shown) == 2 and all(e["question"] in system_prompt(assistant.model, full=full) for e in shown)
    for example in shown:
        reply_ = json.loads(example["answer"])
        assert set(reply_) == set(fill_schema(assistant.model, full=full)["properties"])
        assert [m.name for m in parse_filled(reply_, assistant.model).metrics] == [assistant.model.metrics[0].name]
    assert json.loads(shown[1]["answer"])["unsupported"]  # a condition the data does not record
