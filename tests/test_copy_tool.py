"""generate_copy on the demo warehouse: grounded in the audience's data, reached from the chat
(with follow-up revisions), from the CLI (--out CSV) and from saved audiences."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import genbi.tools.catalog  # noqa: F401  (every tool registered in catalogue order first)
from genbi.assistant.answer import AnswerRequest
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.service import Assistant
from genbi.assistant.state import StateStore
from genbi.semantic_layer.loader import load_model
from genbi.tools.base import ToolError, registered_tools
from genbi.tools.copywriting import copy_services
from genbi.tools.copywriting.compliance import scan
from genbi.tools.copywriting.tool import CopyArgs, run
from genbi.tools.rfm import RFMArgs
from genbi.tools.rfm import run as rfm_run
from genbi.tools.roles import RoleSource
from genbi.tools.testing import demo_source as _demo_source

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def test_at_risk_sms_is_grounded_in_the_segment(source: RoleSource) -> None:
    result = run(CopyArgs(segment="At risk", channel="sms", goal="reactivate"), source)
    at_risk = rfm_run(RFMArgs.model_validate({"segment": "At risk"}), source).customer_ids
    facts = result.facts
    assert result.audience is not None and result.audience.members(source) == tuple(sorted(at_risk or ()))
    listed = ", ".join(str(i) for i in sorted(at_risk or ())[:3])
    assert not any(listed in sql for sql in result.sql)  # the segment went as SQL, not as its ids
    assert facts["audience_size"] == len(at_risk or ()) and facts["audience"] == "RFM分群“重要挽留客户”"
    summary = facts["audience_facts"]
    assert summary["median_recency_days"] > 180 and summary["aov"] > 0 and summary["top_categories"]
    assert len(result.table) == 3 and result.table["variant_id"].is_unique
    for row in result.table.to_dict("records"):
        assert row["status"] == "pass" and row["ok_opt_out"] and row["ok_signature"] and row["ok_length"]
        assert row["text"].startswith("【Lumière】") and row["text"].endswith("回T退订")
        assert len(row["text"]) <= 70 and row["facts_used"]
    used = {key for v in facts["variants"] for key in v["facts_used"]}
    worded = facts["facts_used"]
    assert used and worded and all(value in " ".join(result.table["text"]) for value in worded.values())
    assert result.sql  # the facts came from the warehouse


def test_platinum_wechat_about_a_new_cream(source: RoleSource) -> None:
    result = run(CopyArgs(where="loyalty_tier=platinum", channel="wechat", product="新品面霜"), source)
    facts = result.facts
    assert facts["goal"] == "upsell" and facts["audience"] == "铂金会员"
    assert facts["audience_facts"]["loyalty_tiers"] == {"platinum": 1.0}
    assert facts["audience_facts"]["product_category"] == "skincare"  # 面霜 -> the catalogue's creams
    texts = [" ".join(str(row[f]) for f in ("title", "keyword1", "keyword2", "keyword3")) for row in
             result.table.to_dict("records")]
    assert all("新品面霜" in t or "护肤" in t for t in texts)
    assert all(len(str(row[f])) <= 20 for row in result.table.to_dict("records")
               for f in ("title", "keyword1", "keyword2", "keyword3"))


def test_english_email_for_champions_with_an_offer(source: RoleSource) -> None:
    result = run(CopyArgs(segment="Champions", channel="email", goal="retain", language="en", offer="15% off",
                          tone="premium"), source)
    for row in result.table.to_dict("records"):
        assert row["status"] == "pass", row["problems"]
        assert len(row["subject"]) <= 50 and "Unsubscribe" in row["footer"]
        assert "15% off" in " ".join((row["subject"], row["preheader"], row["body"]))
        assert not scan(row["body"])


def test_no_channel_means_the_one_the_audience_engages_with(source: RoleSource) -> None:
    result = run(CopyArgs(segment="Champions", language="en"), source)
    engaged = next(iter(result.facts["audience_facts"]["engaged_channels"]))
    assert result.facts["channel"] == engaged and "channel" in result.facts["defaulted"]
    assert result.facts["goal"] == "convert"


def test_audience_mistakes_are_clear(source: RoleSource) -> None:
    with pytest.raises(ToolError, match=r"no attribute 'shoe_size'.*loyalty_tier"):
        run(CopyArgs(where="shoe_size=42", channel="sms"), source)
    with pytest.raises(ToolError, match="No customer"):
        run(CopyArgs(where="loyalty_tier=platinum; city=Nowhere", channel="sms"), source)
    with pytest.raises(ToolError, match="not 'attribute=value'"):
        run(CopyArgs(where="platinum", channel="sms"), source)


def test_saved_audiences_from_the_state_store(source: RoleSource, genbi_home: Path) -> None:
    StateStore().save_audience("vip shanghai", [1, 2, 3, 5, 8, 13, 21, 34, 55, 89], source="test")
    default = run(CopyArgs(audience="VIP Shanghai", channel="app_push"), source)  # genbi's state file
    assert default.facts["audience_size"] == 10 and default.audience is not None
    assert default.audience.members(source) == (1, 2, 3, 5, 8, 13, 21, 34, 55, 89)
    with copy_services(audiences=StateStore()):
        lent = run(CopyArgs(audience="vip shanghai", channel="app_push"), source)
    assert lent.facts["audience_size"] == 10
    with pytest.raises(ToolError, match="No saved audience called 'nobody'"):
        run(CopyArgs(audience="nobody", channel="sms"), source)


def test_registered_for_cli_agent_and_planner() -> None:
    spec = registered_tools()["generate_copy"]
    schema = spec.args_model.model_json_schema()
    assert schema["additionalProperties"] is False
    assert {"channel", "goal", "segment", "cluster", "audience", "where", "product", "offer", "tone",
            "language", "variants"} <= set(schema["properties"])


@pytest.mark.parametrize(("question", "arguments"), [
    ("Write an SMS to win back the At-risk segment",
     {"channel": "sms", "goal": "reactivate", "segment": "At risk", "language": "en"}),
    ("给铂金会员写一条微信推送, 推新品面霜",
     {"channel": "wechat", "goal": "upsell", "where": "loyalty_tier=platinum", "product": "新品面霜", "language": "zh"}),
    ("Write an email subject line for gold members in Shanghai",
     {"channel": "email", "where": "loyalty_tier=gold; city=Shanghai"}),
    ("帮我写三条小红书文案，推广护肤新品，给重要价值客户",
     {"channel": "xiaohongshu", "segment": "Champions", "goal": "upsell"}),
    # the writing verb names the action; churn / retention words only describe the audience
    ("给重要挽留客户写两条召回短信，满299减50",
     {"channel": "sms", "segment": "At risk", "goal": "reactivate", "offer": "满299减50", "variants": 2}),
    ("draft 2 push notifications to retain our Champions",
     {"channel": "app_push", "segment": "Champions", "goal": "retain", "variants": 2}),
    ("请撰写一封面向流失客户的召回邮件", {"channel": "email", "goal": "reactivate", "language": "zh"}),
])
def test_the_planner_reaches_the_tool(question: str, arguments: dict[str, str]) -> None:
    plan = OfflinePlanner(load_model()).plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == "generate_copy", plan.decline_reason
    assert {k: plan.tool_call.arguments.get(k) for k in arguments} == arguments


@pytest.mark.parametrize("question", [
    "SMS spend last month", "list sms campaigns", "给所有白金会员发一条促销短信", "RFM analysis",
    "and for welcome_email_subject?", "CTR for email, SMS and app push in 2025 - one row per channel",
    "帮我写个SQL查各渠道销售额", "write a query for revenue by channel", "churn risk of our customers",
    "which customers will churn and how many texts did we send them",
])
def test_other_questions_do_not_reach_it(question: str) -> None:
    plan = OfflinePlanner(load_model()).plan(question, as_of=AS_OF)
    assert plan.tool_call is None or plan.tool_call.name != "generate_copy"


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path) -> Iterator[Assistant]:
    opened = Assistant.open(warehouse_path, llm=False)
    yield opened
    opened.close()


def test_the_chat_writes_and_revises_copy(assistant: Assistant, genbi_home: Path) -> None:
    def ask(question: str) -> object:
        return assistant.answer(AnswerRequest(question, session_id="copy-chat"))

    first = ask("Write an SMS to win back the At-risk segment")
    assert first.error is None and first.tool_call.name == "generate_copy"
    assert "3 SMS variants for RFM segment At risk" in first.narrative and "Reply STOP" in first.narrative
    assert "text" in first.columns and len(first.rows) == 3
    texts = [row[first.columns.index("text")] for row in first.rows]
    shorter = ask("make it shorter")
    assert shorter.tool_call.arguments["short"] is True
    assert sum(len(r[shorter.columns.index("text")]) for r in shorter.rows) < sum(len(t) for t in texts)
    playful = ask("more playful")
    assert playful.tool_call.arguments["tone"] == "playful" and playful.tool_call.arguments["short"] is True
    assert set(r[playful.columns.index("tone")] for r in playful.rows) == {"playful"}
    email = ask("换成邮件")
    assert email.tool_call.arguments["channel"] == "email" and email.language == "zh"
    assert "subject" in email.columns
    other = ask("What was revenue in 2025?")
    assert other.spec is not None  # a new question, not a revision


def test_the_chat_in_chinese(assistant: Assistant, genbi_home: Path) -> None:
    answer = assistant.answer(AnswerRequest("给铂金会员写一条微信推送, 推新品面霜", session_id="copy-zh"))
    assert answer.error is None and answer.language == "zh"
    assert answer.narrative.startswith("为铂金会员（212人）写了3条微信模板消息文案") or "微信模板消息" in answer.narrative
    assert "新品面霜" in answer.narrative
    revised = assistant.answer(AnswerRequest("换个语气", session_id="copy-zh"))
    assert revised.tool_call.arguments["tone"] == "playful"
    assert revised.tool_call.arguments["product"] == "新品面霜"


def test_cli_exports_variants_for_an_ab_test(warehouse_path: Path, tmp_path: Path, genbi_home: Path,
                                            source: RoleSource) -> None:
    out = tmp_path / "copy.csv"
    at_risk = rfm_run(RFMArgs.model_validate({"segment": "At risk"}), source).customer_ids or ()
    StateStore().save_audience("lapsed", at_risk, source="rfm")  # as `genbi tool rfm --save-audience` does
    env = {**os.environ, "GENBI_HOME": str(genbi_home)}
    env.pop("GENBI_DB", None)
    done = subprocess.run([sys.executable, "-m", "genbi", "tool", "generate_copy", "--db", str(warehouse_path),
                           "--audience", "lapsed", "--channel", "sms", "--goal", "reactivate", "--language", "en",
                           "--variants", "4", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 and len({r["variant_id"] for r in rows}) == 4
    assert {"variant_id", "text", "text_length", "status", "ok_length", "ok_opt_out", "ok_compliance",
            "ok_grounding", "facts_used"} <= set(rows[0])
    assert all(r["text"].endswith("Reply STOP to opt out") and r["status"] == "pass" for r in rows)


GENERIC_SLOTS = ("心愿好物提醒", "好物都在这里")
"""The fixed-slot WeChat copy an audience's facts used to be left out of."""


@pytest.mark.parametrize("goal", ["convert", "upsell", "retain", "reactivate"])
def test_member_copy_is_written_from_the_audiences_facts(source: RoleSource, goal: str) -> None:
    """Offline WeChat copy for platinum members names their tier's benefit, what they buy or
    when they last ordered in every variant — never only generic slots."""
    result = run(CopyArgs.model_validate({"where": "loyalty_tier=platinum", "channel": "wechat", "goal": goal,
                                          "language": "zh"}), source)
    table = result.table
    assert (table["status"] == "pass").all(), table[["status", "problems"]]
    texts = [" | ".join(row[f] for f in ("title", "keyword1", "keyword2", "keyword3")) for _, row in table.iterrows()]
    specific = ("铂金会员", "双倍积分", "距上次下单")
    assert all(any(word in text for word in specific) for text in texts), texts
    assert not any(all(slot in text for slot in GENERIC_SLOTS) for text in texts), texts
    assert sum("member_benefit" in used for used in table["facts_used"]) >= 1, list(table["facts_used"])


def test_the_benefits_come_from_the_brands_own_file(source: RoleSource, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    benefits = tmp_path / "benefits.yaml"
    benefits.write_text('platinum: {en: "Free express delivery", zh: "顺丰包邮"}\n', encoding="utf-8")
    monkeypatch.setenv("GENBI_BENEFITS", str(benefits))
    result = run(CopyArgs.model_validate({"where": "loyalty_tier=platinum", "channel": "wechat", "goal": "convert",
                                          "language": "zh"}), source)
    assert result.facts["facts_used"].get("该等级的会员权益") == "顺丰包邮"
    gold = run(CopyArgs.model_validate({"where": "loyalty_tier=gold", "channel": "wechat", "goal": "convert",
                                        "language": "zh"}), source)
    assert "该等级的会员权益" not in gold.facts["facts_used"]  # a tier the file leaves out: no benefit invented
