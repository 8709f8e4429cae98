"""Roles, personal data and row filters through every path (planner, agent, SQL, tools)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest
from agent_support import all_text, attach_brain
from guardrails_support import AttackWarehouse, build_attack_warehouse, leaks

from genbi.assistant.access import AccessControl, load_roles_config, mask_any, mask_chart
from genbi.assistant.agent.fake_server import ScriptedLLM, call, reply
from genbi.assistant.answer import Answer, AnswerRequest
from genbi.assistant.service import Assistant
from genbi.errors import ConfigError
from genbi.semantic_layer.guard import model_policy
from genbi.semantic_layer.masking import mask_email, mask_phone, mask_private, mask_text
from genbi.semantic_layer.query_spec import QuerySpec
from genbi.tools.base import ToolResult

ROLES = """
default_role: marketer
roles:
  east_marketer:
    description: Marketing for the East region.
    row_filters: [{dimension: region, values: [East]}]
users:
  "slack:T0:U0BOSS": admin
  "slack:*:U0EAST": east_marketer
"""
BOSS, EAST, NOBODY = "slack:T0:U0BOSS", "slack:T9:U0EAST", "slack:T0:U0ANA"
BY_EMAIL = QuerySpec.model_validate({"metrics": ["revenue"], "group_by": [{"name": "email"}], "limit": 5,
                                     "order_by": [{"field": "revenue"}]})


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("roles-home")
    (folder / "state").mkdir()
    (folder / "state" / "roles.yaml").write_text(ROLES, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENBI_HOME", str(folder))
        for name in ("GENBI_ROLE", "GENBI_ROLES", "GENBI_AUDIT_LOG", "GENBI_LLM_MODEL"):
            patch.delenv(name, raising=False)
        yield folder


@pytest.fixture(scope="module")
def attack(tmp_path_factory: pytest.TempPathFactory) -> AttackWarehouse:
    return build_attack_warehouse(tmp_path_factory.mktemp("roles-warehouse"))


@pytest.fixture(scope="module")
def assistant(attack: AttackWarehouse, home: Path) -> Iterator[Assistant]:
    opened = Assistant.open(attack.path, llm=False)
    yield opened
    opened.close()


def ask(assistant: Assistant, question: str, user: str) -> Answer:
    return assistant.answer(AnswerRequest(question, session_id=f"{user}:{question}", user=user))


# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "masked"), [
    ("13812345678", "138****5678"), ("+86 138-1234-5678", "+86 138****5678"),
    ("wangfang4821@example.com", "w***@example.com"), ("call 13912345678 now", "call 139****5678 now"),
    ("a***@example.com", "a***@example.com"), ("138****5678", "138****5678"),
    ("2025-12-31 13:45:12", "2025-12-31 13:45:12"), ("order 20250101134512", "order 20250101134512"),
])
def test_masking_keeps_the_shape_and_is_idempotent(raw: str, masked: str) -> None:
    assert mask_text(raw) == masked and mask_text(masked) == masked
    assert mask_phone("13812345678") == "138****5678" and mask_email("bob@x.cn") == "b***@x.cn"
    assert mask_private("Alice") == "A***" and mask_private(None) is None


def test_tables_charts_and_tool_results_are_masked() -> None:
    frame = pd.DataFrame({"name": ["x 13812345678"], "phone": ["13999998888"], "n": [1]})
    figure = go.Figure(go.Bar(x=["bob@example.com"], y=[1]), layout={"title": {"text": "for 13812345678"}})
    result = ToolResult(tool="t", table=frame, chart=figure, facts={"top": "bob@example.com"},
                        tables={"detail": frame})
    masked = mask_any({"tool_result": result, "facts": {"email": "x@y.com"}}, frozenset({"phone", "email"}))
    text = masked["tool_result"].table.to_csv() + masked["tool_result"].tables["detail"].to_csv()
    assert "13812345678" not in text and "139****8888" in text and "138****5678" in text
    assert masked["tool_result"].facts == {"top": "b***@example.com"} and masked["facts"] == {"email": "x***@y.com"}
    chart = masked["tool_result"].chart.to_json()
    assert "bob@example.com" not in chart and "13812345678" not in chart and "b***@example.com" in chart
    assert mask_chart(go.Figure(go.Bar(x=["clean"], y=[1]))) is not None


def test_numbers_under_a_channel_called_email_are_not_masked() -> None:
    """"email" is a marketing channel too: its share or revenue is a number, never masked."""
    facts = {"engaged_channels": {"wechat": 0.33, "email": 0.05}, "email": "ana@example.com"}
    frame = pd.DataFrame({"email": [0.2, 0.3], "phone": ["13999998888", None]})
    masked = mask_any({"facts": facts, "table": frame}, frozenset({"phone", "email"}))
    assert masked["facts"] == {"engaged_channels": {"wechat": 0.33, "email": 0.05}, "email": "a***@example.com"}
    assert masked["table"]["email"].tolist() == [0.2, 0.3]
    assert masked["table"]["phone"].tolist()[0] == "139****8888"


# --- configuration -------------------------------------------------------------------------------


def test_roles_come_from_the_file_and_the_environment(home: Path, assistant: Assistant,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    access = AccessControl.load(assistant.model)
    assert access.role_for(BOSS).name == "admin" and access.role_for(EAST).name == "east_marketer"
    assert access.role_for(NOBODY).name == "marketer" and access.role_for(None).name == "marketer"
    monkeypatch.setenv("GENBI_ROLE", "analyst")
    assert AccessControl.load(assistant.model).role_for(BOSS).name == "analyst", "forced for everyone"
    assert access.forcing("admin").role_for(NOBODY).allow_pii


@pytest.mark.parametrize(("text", "message"), [
    ("default_role: boss\n", "unknown role"),
    ("users: {'ui:*': root}\n", "unknown role"),
    ("roles: {x: {row_filters: [{dimension: planet, values: [Mars]}]}}\n", "does not have"),
    ("roles: {x: {row_filters: [{dimension: phone, values: ['1']}]}}\n", "personal data"),
    ("roles: {x: {allow_everything: true}}\n", "invalid"),
    ("roles: [\n", "invalid"),
])
def test_a_bad_roles_file_is_one_clear_error(tmp_path: Path, text: str, message: str, assistant: Assistant) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        AccessControl(load_roles_config(path), assistant.model)
    with pytest.raises(ConfigError, match="Unknown role"):
        AccessControl.load(assistant.model, role="superuser")


# --- personal data by role ------------------------------------------------------------------------


def test_a_low_role_never_gets_personal_data_an_admin_does(assistant: Assistant, attack: AttackWarehouse) -> None:
    low = assistant.execute(BY_EMAIL, AnswerRequest("top emails", user=NOBODY), language="en")
    assert low.declined and "personal" in low.decline.reason.lower()
    high = assistant.execute(BY_EMAIL, AnswerRequest("top emails", user=BOSS), language="en")
    assert len(high.rows) == 5 and all(row[0] in attack.emails for row in high.rows)
    assert leaks(str(high.rows), attack), "the leak check sees raw values (it is not blind)"


def test_with_an_llm_brain_even_an_admin_gets_masked_values(assistant: Assistant) -> None:
    access = assistant.access.for_request(AnswerRequest("x", user=BOSS), llm=True)
    assert not access.raw_pii and not access.policy.allow_private
    answer = Answer(question="q", language="en", brain="m", columns=("email", "revenue"),
                    rows=(("wangfang4821@example.com", 1.0),), narrative="top: wangfang4821@example.com")
    masked = access.mask(answer)
    assert masked.rows == (("w***@example.com", 1.0),) and masked.narrative == "top: w***@example.com"


@pytest.fixture()
def genbi(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run the ``genbi`` command line in-process: (exit code, stdout, stderr)."""
    from genbi.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["genbi", *argv])
        with pytest.raises(SystemExit) as stopped:
            main()
        out = capsys.readouterr()
        return int(stopped.value.code or 0), out.out, out.err

    return run


def test_genbi_sql_personal_data_by_role(attack: AttackWarehouse, home: Path, genbi: Any) -> None:
    def sql(*extra: str) -> tuple[int, str, str]:
        return genbi("sql", "SELECT email, phone FROM customers LIMIT 3", "--db", str(attack.path), "--json", *extra)

    code, out, err = sql()
    assert code == 1 and "Refused: 'customers.email' is personal data" in err and not leaks(out + err, attack)
    code, out, err = sql("--role", "admin")
    assert code == 0 and leaks(out, attack), "an admin reads them raw on the command line"
    code, out, err = sql("--role", "east_marketer")
    assert code == 1 and "sees only data where region = East" in err


def test_genbi_tool_runs_under_the_role(attack: AttackWarehouse, home: Path, genbi: Any) -> None:
    """Tools read all customers: a role with row filters is refused before any SQL runs."""
    code, out, err = genbi("tool", "rfm", "--db", str(attack.path), "--json")
    assert code == 0 and '"tool": "rfm"' in out and not leaks(out + err, attack)
    code, out, err = genbi("tool", "rfm", "--db", str(attack.path), "--json", "--role", "east_marketer")
    assert code == 1 and "the rfm tool reads all customers" in err and not out


# --- row filters --------------------------------------------------------------------------------


def test_a_regional_role_sees_only_its_region(assistant: Assistant) -> None:
    east = ask(assistant, "revenue by region in 2025", EAST)
    everyone = ask(assistant, "revenue by region in 2025", NOBODY)
    assert [row[0] for row in east.rows] == ["East"] and len(everyone.rows) > 1
    assert east.rows[0][1] == pytest.approx(next(row[1] for row in everyone.rows if row[0] == "East"))
    assert "region = East" in east.sql.replace("'", "") or "region = 'East'" in east.sql
    total = ask(assistant, "revenue in 2025", EAST)
    assert total.rows[0][0] == pytest.approx(east.rows[0][1])


@pytest.mark.parametrize("question", ["ad spend in 2025", "RFM analysis"])
def test_what_a_regional_role_cannot_scope_is_refused(assistant: Assistant, question: str) -> None:
    answer = ask(assistant, question, EAST)
    assert answer.declined and "Your role (east_marketer)" in answer.decline.reason
    assert not answer.rows


@pytest.mark.llm
def test_the_agent_runs_under_the_askers_role(assistant: Assistant, tmp_path: Path, attack: AttackWarehouse) -> None:
    """The request's policy reaches the agent's tools (their SQL runs on LangGraph's threads)."""
    steps = [call("run_sql", sql="SELECT region, SUM(revenue) FROM orders JOIN customers USING (customer_id) "
                  "GROUP BY 1"),
             call("query_metrics", metrics=["revenue"], group_by=[{"name": "region"}], then="continue"),
             reply("Done.")]
    with ScriptedLLM(list(steps)) as server:
        attach_brain(assistant, server, tmp_path)
        try:
            answer = ask(assistant, "revenue by region, all regions please", EAST)
        finally:
            assistant.agent = None
    tools = [m["content"] for m in server.requests[-1]["messages"] if m["role"] == "tool"]
    assert "sees only data where region = East" in tools[0], "hand-written SQL is closed to the role"
    assert '"East"' in tools[1] and '"West"' not in tools[1] and '"North"' not in tools[1]
    assert [row[0] for row in answer.rows] == ["East"]
    assert not leaks(all_text(server.requests), attack)


@pytest.mark.llm
def test_the_agent_never_sends_personal_data_to_the_llm_even_for_an_admin(
        assistant: Assistant, tmp_path: Path, attack: AttackWarehouse) -> None:
    steps = [call("run_sql", sql="SELECT email, phone FROM customers LIMIT 5"),
             call("query_metrics", metrics=["revenue"], group_by=[{"name": "email"}], limit=5, then="continue"),
             reply("Done.")]
    with ScriptedLLM(list(steps)) as server:
        attach_brain(assistant, server, tmp_path)
        try:
            answer = ask(assistant, "top customers' emails and phones", BOSS)
        finally:
            assistant.agent = None
    assert not leaks(all_text(server.requests), attack)
    assert not leaks(str(answer.rows) + answer.narrative, attack)


def test_the_model_policy_knows_the_personal_columns(assistant: Assistant) -> None:
    policy = model_policy(assistant.model)
    assert policy.private == {"customers": frozenset({"email", "phone"})}
    assert set(policy.columns) == set(assistant.model.table_names)
