"""The one-line spec grammar for llama.cpp servers: it accepts what the schema accepts,
written on one line, and nothing laid out over lines (the tokens a small model wastes).

llama.cpp itself is not in CI, so the grammar is checked by translating its rules into one
regular expression (the grammar has no recursion) and matching documents against it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant.agent.fake_server import ScriptedLLM, reply
from genbi.assistant.agent.spec_grammar import GrammarError, compact_grammar
from genbi.assistant.agent.spec_schema import fill_schema
from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.semantic_layer.loader import load_model

_TOKEN = re.compile(r'\s*(?:(?P<lit>"(?:[^"\\]|\\.)*")|(?P<cls>\[(?:[^\]\\]|\\.)*\])|(?P<name>[a-z][a-z0-9-]*)'
                    r"|(?P<rep>\{\d+(?:,\d+)?\})|(?P<op>[()|?*+]))")


def as_regex(grammar: str) -> re.Pattern[str]:
    rules = dict(line.split(" ::= ", 1) for line in grammar.strip().splitlines())

    def expand(name: str) -> str:
        out, body = [], rules[name]
        position = 0
        while position < len(body.rstrip()):
            token = _TOKEN.match(body, position)
            assert token is not None, body[position:]
            position = token.end()
            if token["lit"]:
                out.append(re.escape(json.loads(token["lit"])))
            elif token["cls"]:
                out.append(token["cls"])
            elif token["name"]:
                out.append(f"(?:{expand(token['name'])})")
            else:
                out.append(token["rep"] or token["op"])
        return "".join(out)

    return re.compile(expand("root"))


@pytest.fixture(scope="module")
def pattern() -> re.Pattern[str]:
    return as_regex(compact_grammar(fill_schema(load_model(), full=False)))


SPEC: dict[str, Any] = {
    "metrics": [{"name": "revenue", "words": "take"}, {"name": "orders", "words": "订单"}],
    "group_by": [{"name": "city", "grain": "none", "words": "by city"}],
    "filters": [{"dimension": "channel", "exclude": True, "values": ["douyin", "说 \"引号\""], "words": "除了抖音"}],
    "unsupported": ["rainy days"],
}


@pytest.mark.parametrize("separators", [(",", ":"), (", ", ": ")])
def test_a_spec_on_one_line_is_accepted(pattern: re.Pattern[str], separators: tuple[str, str]) -> None:
    assert pattern.fullmatch(json.dumps(SPEC, ensure_ascii=False, separators=separators))
    empty = {"metrics": [], "group_by": [], "filters": [], "unsupported": []}
    assert pattern.fullmatch(json.dumps(empty))


@pytest.mark.parametrize("document", [
    json.dumps(SPEC, ensure_ascii=False, indent=2),                                  # laid out
    json.dumps({**SPEC, "metrics": [{"name": "profit", "words": "profit"}]}),          # not a metric
    json.dumps({k: v for k, v in SPEC.items() if k != "unsupported"}),                 # a field missing
    json.dumps({**SPEC, "metrics": [{"name": "revenue", "words": "x" * 61}]}),         # words too long
    json.dumps({**SPEC, "metrics": [{"name": "revenue", "words": "a"}] * 5}),          # too many items
])
def test_anything_else_is_not(pattern: re.Pattern[str], document: str) -> None:
    assert not pattern.fullmatch(document)


def test_the_full_schema_with_period_and_ranking_has_a_grammar_too() -> None:
    full = as_regex(compact_grammar(fill_schema(load_model(), full=True)))
    spec = {**SPEC, "period": {"start": "2025-01-01", "end": "2025-12-31", "words": "in 2025"},
            "top": {"limit": 10, "highest_first": True}}
    spec = {k: spec[k] for k in ("metrics", "group_by", "filters", "period", "top", "unsupported")}
    assert full.fullmatch(json.dumps(spec, ensure_ascii=False))
    assert not full.fullmatch(json.dumps({**spec, "top": {"limit": -1, "highest_first": True}}))


def test_constructs_outside_the_subset_are_refused() -> None:
    with pytest.raises(GrammarError):
        compact_grammar({"type": "object", "properties": {"a": {"type": "number"}}, "required": ["a"]})


def test_a_llama_cpp_server_is_sent_the_grammar_instead_of_a_json_schema(warehouse_path: Path) -> None:
    from genbi.assistant.agent.brain import LlmBrain
    from genbi.assistant.agent.config import LlmSettings

    spec = {"metrics": [{"name": "revenue", "words": "take"}], "group_by": [], "filters": [], "unsupported": []}
    assistant = Assistant.open(warehouse_path, llm=False)
    try:
        with ScriptedLLM([reply(json.dumps(spec))], llama_cpp=True) as server:
            assistant.agent = LlmBrain(LlmSettings(model="scripted-model", base_url=server.url, api_key="k",
                                                   retries=0, route="hybrid"))
            answer = assistant.answer(AnswerRequest("What was the take last quarter?", session_id="grammar"))
            sent = server.chat_requests[0]
    finally:
        assistant.close()
    assert answer.brain == "scripted-model" and not answer.declined
    assert "response_format" not in sent and "tools" not in sent
    assert as_regex(sent["grammar"]).fullmatch(json.dumps(spec))
