"""generate_copy's LLM path against the scripted OpenAI-compatible server: structured output
per channel, one retry with the violations fed back, marking what still fails, recovery of
JSON written as text, and the templates when the model is unavailable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import genbi.tools.catalog  # noqa: F401  (every tool registered in catalogue order first)
from genbi.assistant.agent.config import LlmSettings
from genbi.assistant.agent.fake_server import ScriptedLLM, Step, call, json_in_content, status
from genbi.assistant.agent.llm import make_chat_model
from genbi.assistant.answer import AnswerRequest, ToolCall
from genbi.assistant.copywriter import LangChainCopyWriter, copy_revision, generate_copy_answer
from genbi.assistant.service import Assistant
from genbi.tools.copywriting import copy_services
from genbi.tools.copywriting.tool import CopyArgs, run
from genbi.tools.roles import RoleSource
from genbi.tools.testing import demo_source as _demo_source

pytestmark = pytest.mark.llm

GOOD_ZH = [{"text": "好久不见！你常用的护肤都在等你，去天猫旗舰店看看"}, {"text": "护肤回购提醒：天猫旗舰店等你来逛"}]
BAD_ZH = [{"text": "好久不见！最好用的护肤，100%有效，去天猫旗舰店看看"},
          {"text": "你常用的护肤已为你备好，去天猫旗舰店看看" * 3}]


@pytest.fixture(scope="module")
def source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def server(*steps: Step) -> ScriptedLLM:
    return ScriptedLLM(list(steps))


def chat_model(scripted: ScriptedLLM) -> Any:
    return make_chat_model(LlmSettings(model="scripted-model", base_url=scripted.url, api_key="test-key",
                                       timeout_s=5.0, max_tokens=512))


def prompt_of(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content", "")) for m in body["messages"])


def sms_at_risk(source: RoleSource, scripted: ScriptedLLM, **options: Any) -> Any:
    with copy_services(writer=LangChainCopyWriter(chat_model(scripted))):
        return run(CopyArgs(segment="At risk", channel="sms", goal="reactivate", variants=2, **options), source)


def test_a_rule_violation_is_fed_back_once_and_fixed(source: RoleSource) -> None:
    fixed = [{"text": "护肤回购提醒：你常用的好物都在，天猫旗舰店等你来逛"}, {"text": "想你了！常买的护肤已备好，去天猫旗舰店看看"}]
    with server(call("SmsVariants", variants=BAD_ZH), call("SmsVariants", variants=fixed)) as scripted:
        result = sms_at_risk(source, scripted)
    assert len(scripted.chat_requests) == 2
    first, second = scripted.chat_requests
    assert first["tools"][0]["function"]["name"] == "SmsVariants"  # the channel's pydantic model
    assert first["tool_choice"]["function"]["name"] == "SmsVariants"
    assert "重要挽留客户" in prompt_of(first) and "主要品类：护肤" in prompt_of(first)
    assert "text 56" in prompt_of(first)  # the SMS budget after 【Lumière】 and 回T退订
    feedback = prompt_of(second)
    assert "上一版违反了这些规则" in feedback and "compliance" in feedback and "length:text" in feedback
    assert "'最好'" in feedback and "100%" in feedback
    assert result.facts["retried"] is True and result.facts["writer"] == "llm:scripted-model"
    assert [v["status"] for v in result.facts["variants"]] == ["pass", "pass"]
    assert all(t.startswith("【Lumière】") and t.endswith("回T退订") for t in result.table["text"])


def test_still_failing_after_the_retry_is_rewritten_or_marked(source: RoleSource) -> None:
    with server(call("SmsVariants", variants=BAD_ZH), call("SmsVariants", variants=BAD_ZH)) as scripted:
        result = sms_at_risk(source, scripted)
    assert len(scripted.chat_requests) == 2  # at most one retry
    rows = result.table.to_dict("records")
    assert rows[0]["status"] == "rewritten" and "最好 -> 很好" in rows[0]["rewrites"]
    assert "最好" not in rows[0]["text"] and "100%" not in rows[0]["text"]
    assert rows[1]["status"] == "fail" and rows[1]["ok_length"] is False
    assert result.facts["failed"] == 1 and result.facts["rewritten"] == 1


def test_english_email_structured_output(source: RoleSource) -> None:
    emails = [{"subject": "Your skincare misses you", "preheader": "It's been a while. Come back and look.",
               "body": "Hi there,\n\nYour favourite skincare is still at our Tmall store.\n\nWarmly,\nLumière",
               "cta": "Come back"}]
    with server(call("EmailVariants", variants=emails)) as scripted, \
            copy_services(writer=LangChainCopyWriter(chat_model(scripted))):
        result = run(CopyArgs(segment="At risk", channel="email", goal="reactivate", language="en", variants=1), source)
    assert len(scripted.chat_requests) == 1 and result.facts["retried"] is False
    row = result.table.to_dict("records")[0]
    assert row["status"] == "pass" and row["subject"] == "Your skincare misses you"
    assert "Unsubscribe" in row["footer"] and "top category: skincare" in prompt_of(scripted.chat_requests[0])


def test_json_written_as_text_is_recovered(source: RoleSource) -> None:
    with server(json_in_content(None, {"variants": GOOD_ZH})) as scripted:
        result = sms_at_risk(source, scripted)
    assert len(scripted.chat_requests) == 1
    assert [v["status"] for v in result.facts["variants"]] == ["pass", "pass"]
    assert result.table["text"].iloc[0] == "【Lumière】好久不见！你常用的护肤都在等你，去天猫旗舰店看看。回T退订"


def test_an_unavailable_model_falls_back_to_the_templates(source: RoleSource) -> None:
    with server(status(500)) as scripted:
        result = sms_at_risk(source, scripted)
    assert result.facts["writer"] == "templates" and "could not write" in result.facts["writer_fallback"]
    assert all(v["status"] == "pass" for v in result.facts["variants"])


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def test_the_chat_with_an_llm_writer_and_a_revision(assistant: Assistant, genbi_home: Path) -> None:
    request = AnswerRequest("给铂金会员写一条微信推送, 推新品面霜", session_id="copy-llm")
    wechat = [{"title": "新品到店通知", "keyword1": "新品面霜", "keyword2": "搭配你常用的护肤", "keyword3": "去天猫旗舰店看看"}]
    calls: list[str] = []

    def wrap(request_model: Any) -> Any:
        calls.append("call")  # the agent passes its retry-and-usage wrapper here
        return request_model()

    with server(call("WeChatVariants", variants=wechat)) as scripted:
        answer = generate_copy_answer(
            assistant, ToolCall("generate_copy", {"where": "loyalty_tier=platinum", "channel": "wechat",
                                                  "product": "新品面霜", "variants": 1}),
            request, language="zh", chat_model=chat_model(scripted), brain="scripted-model", wrap=wrap)
    assert calls == ["call"] and answer.brain == "scripted-model" and answer.error is None
    assert "新品到店通知 | 新品面霜 | 搭配你常用的护肤 | 去天猫旗舰店看看" in answer.narrative
    last = assistant.conversations.get("copy-llm").last_tool
    revised = copy_revision("短一点", last)
    assert revised is not None and revised.arguments["short"] is True and revised.arguments["channel"] == "wechat"
    assert json.dumps(revised.arguments, ensure_ascii=False)
