"""``genbi doctor`` and ``genbi eval --llm`` against the scripted OpenAI-compatible server."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genbi.assistant.agent.fake_server import ScriptedLLM, planner_oracle, reply, status
from genbi.assistant.service import Assistant
from genbi.cli import app

pytestmark = pytest.mark.llm
runner = CliRunner()


@pytest.fixture()
def llm_env(monkeypatch: pytest.MonkeyPatch, genbi_home: Path) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("GENBI_LLM_MODEL", "scripted-model")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("GENBI_LLM_RETRIES", "0")
    monkeypatch.setenv("GENBI_LLM_ROUTE", "agent")  # these exercise the agent loop itself
    yield monkeypatch


def test_doctor_reports_the_offline_planner_when_no_llm_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENBI_LLM_MODEL", raising=False)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0 and "offline planner" in result.output


def test_doctor_checks_the_endpoint_with_one_cheap_call_then_measures_speed(llm_env: pytest.MonkeyPatch) -> None:
    counting = ", ".join(str(n) for n in range(1, 41))
    with ScriptedLLM([reply("OK"), reply(counting)]) as server:
        llm_env.setenv("OPENAI_BASE_URL", server.url)
        result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "LLM scripted-model at http://127.0.0.1" in result.output and "answered in" in result.output
    assert len(server.requests) == 2 and server.requests[0]["max_tokens"] == 5
    assert server.requests[1]["stream"] is True and server.requests[1]["max_tokens"] > 5
    speed = next(line for line in result.output.splitlines() if "speed" in line)
    assert "tokens/s generated" in speed and "tokens/s prompt" in speed, speed


def test_doctor_fails_on_a_refusing_endpoint(llm_env: pytest.MonkeyPatch) -> None:
    with ScriptedLLM([status(401)]) as server:
        llm_env.setenv("OPENAI_BASE_URL", server.url)
        result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1 and "FAIL endpoint" in result.output


def test_eval_llm_needs_a_configured_llm(monkeypatch: pytest.MonkeyPatch, genbi_home: Path,
                                         warehouse_path: Path) -> None:
    monkeypatch.delenv("GENBI_LLM_MODEL", raising=False)
    result = runner.invoke(app, ["eval", "--llm", "--db", str(warehouse_path)])
    assert result.exit_code != 0 and "GENBI_LLM_MODEL" in str(result.exception)


def test_eval_llm_through_the_scripted_server(llm_env: pytest.MonkeyPatch, warehouse_path: Path,
                                              tmp_path: Path) -> None:
    """The plumbing end to end: a perfect tool caller (the offline planner behind the scripted
    server) must score what the offline planner scores, with one request per question."""
    from agent_support import index_dir

    shutil.copytree(index_dir(), Path(str(llm_env_home())) / "state" / "retrieval", dirs_exist_ok=True)
    cases = tmp_path / "cases"
    cases.mkdir()
    source = Path(__file__).parents[1] / "eval" / "cases"
    lines = [line for name in ("followups.jsonl", "declines.jsonl")
             for line in (source / name).read_text(encoding="utf-8").splitlines()[:8]]
    (cases / "subset.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    offline = Assistant.open(warehouse_path, llm=False)
    try:
        oracle = planner_oracle(offline.planner)
    finally:
        offline.close()
    with ScriptedLLM(oracle) as server:
        llm_env.setenv("OPENAI_BASE_URL", server.url)
        report = tmp_path / "report.json"
        result = runner.invoke(app, ["eval", str(cases), "--llm", "--db", str(warehouse_path),
                                     "--report", str(report)])
        offline_run = runner.invoke(app, ["eval", str(cases), "--db", str(warehouse_path)])
    print(result.output)
    assert "brain: scripted-model" in result.output and "LLM: scripted-model at http://127.0.0.1" in result.output
    assert "(1.00 per answer)" in result.output  # one LLM call per question, context ones included
    ours = json.loads(report.read_text(encoding="utf-8"))
    assert ours["llm"]["requests"] == ours["llm"]["answers"] == len(server.requests)
    assert all(case["brain"] == "scripted-model" and case["usage"]["llm_calls"] == 1 for case in ours["cases"])
    assert _accuracy_line(result.output) == _accuracy_line(offline_run.output)


def _accuracy_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("overall"))


def llm_env_home() -> str:
    import os

    return os.environ["GENBI_HOME"]


def test_ask_json_reports_the_llm_usage(llm_env: pytest.MonkeyPatch, warehouse_path: Path) -> None:
    from agent_support import index_dir

    from genbi.assistant.agent.fake_server import call

    shutil.copytree(index_dir(), Path(llm_env_home()) / "state" / "retrieval", dirs_exist_ok=True)
    with ScriptedLLM([call("query_metrics", metrics=["revenue"]), reply("Revenue was high.")]) as server:
        llm_env.setenv("OPENAI_BASE_URL", server.url)
        result = runner.invoke(app, ["ask", "total revenue", "--db", str(warehouse_path), "--json"])
    payload = json.loads(result.output)
    assert payload["brain"] == "scripted-model", result.output
    usage = payload["usage"]  # query_metrics ends the turn: one request, no second model call
    assert usage["model"] == "scripted-model" and usage["llm_calls"] == 1 and len(server.requests) == 1
    assert usage["tool_calls"] == 1 and usage["input_tokens"] > 0
