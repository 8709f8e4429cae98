"""Per-customer tools limited to the customers a question names ("churn risk for VIP customers").

Before (session 19) the RFM, churn-risk and CLV tools ran on everyone and said so in a note;
a marketer asking about VIPs got the whole base. Now the question's conditions on who the
customers are (a yes/no tag, a value or number on the customer table, the signup period,
"customers who bought on Tmall") become the tool's ``where``, and the semantic layer lists the
members with the same WHERE its count compiles to (``compile_members``). Scores stay those of
the whole base; the result lists only these customers. Every number here is checked against
SQL written by hand on the raw tables.

Also here: a count of people named by a tag ("how many VIPs", "vip会员数量") and buyers said
with the tag ("how many vip customers bought last month", "上个月有多少女性客户购买"), which
declined or counted purchase sessions before.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from planner_support import AS_OF, demo_assistant

from genbi.assistant import AnswerRequest
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.compiler import compile_members, compile_spec
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec
from genbi.tools.base import ToolError
from genbi.tools.churn import ChurnArgs
from genbi.tools.churn import run as churn_run
from genbi.tools.clv import CLVArgs
from genbi.tools.clv import run as clv_run
from genbi.tools.customer_where import parse_where
from genbi.tools.funnel import FunnelArgs
from genbi.tools.funnel import run as funnel_run
from genbi.tools.lifecycle import LifecycleArgs
from genbi.tools.lifecycle import run as lifecycle_run
from genbi.tools.rfm import RFMArgs
from genbi.tools.rfm import run as rfm_run
from genbi.tools.roles import RoleSource
from genbi.tools.segments import SegmentArgs
from genbi.tools.segments import run as segments_run
from genbi.tools.testing import demo_source as _demo_source

TODAY = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.fixture(scope="module")
def con(warehouse_path: Path) -> Any:
    connection = duckdb.connect(str(warehouse_path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def _ids(con: Any, where: str) -> set[int]:
    return {int(r[0]) for r in con.execute(f"SELECT customer_id FROM customers WHERE {where}").fetchall()}


# -- the planner: who the question names becomes ``where`` --------------------------------

@pytest.mark.parametrize(("question", "where"), [
    ("churn risk for vip customers", "is_vip=true"),
    ("which vip customers are likely to churn", "is_vip=true"),
    ("churn risk for non-vip customers", "is_vip=false"),
    ("RFM analysis for customers over 30", "age>30"),
    ("rfm for female customers in shanghai", "gender=female; city=Shanghai"),
    ("rfm for gold members", "loyalty_tier=gold"),
    ("customer lifetime value of customers who joined last year", "joined=2024-01-01..2024-12-31"),
    ("clv for customers who bought on tmall", "sales_channel=tmall"),
    ("RFM for 90后 customers", "generation=1990s"),
    ("vip客户的RFM", "is_vip=true"),
    ("上海女性客户的流失风险", "city=Shanghai; gender=female"),
    ("去年注册的客户的流失风险", "joined=2024-01-01..2024-12-31"),
    ("金卡会员的客户终身价值", "loyalty_tier=gold"),
    ("customer lifecycle for customers over 30", "age>30"),
    ("vip客户的生命周期", "is_vip=true"),
    ("funnel for vip customers", "is_vip=true"),
    ("女性客户的转化漏斗", "gender=female"),
    ("customer segments for vip customers", "is_vip=true"),
])
def test_who_the_question_names_is_the_tools_where(planner: OfflinePlanner, question: str, where: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None, plan.decline_reason
    assert plan.tool_call.arguments.get("where") == where, plan.tool_call.arguments
    assert str(plan.tool_call.arguments.get("as_of", AS_OF)) == AS_OF.isoformat()  # never the signup period
    assert not [n for n in plan.notes if "not limited" in n or "限定" in n or "not used" in n], plan.notes


@pytest.mark.parametrize("question", [
    "RFM analysis", "churn risk", "customer lifetime value", "rfm by city", "churn risk by vip",
    "RFM analysis on rainy days", "rfm for tmall",
])
def test_no_customer_named_no_where(planner: OfflinePlanner, question: str) -> None:
    """Controls: a tool asked plainly, a split it can't make, a word it does not know, and a
    channel said as no one ("rfm for tmall": orders or buyers?) are not a customer condition."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None, plan.decline_reason
    assert "where" not in plan.tool_call.arguments, plan.tool_call.arguments


@pytest.mark.parametrize(("plain", "limited"), [
    ("churn risk", "churn risk for customers aged 25 to 34"), ("RFM分析", "女性客户的RFM分析"),
    ("customer lifetime value", "customer lifetime value for platinum members"),
])
def test_metamorphic_a_condition_changes_the_call(planner: OfflinePlanner, plain: str, limited: str) -> None:
    one, two = planner.plan(plain, as_of=AS_OF), planner.plan(limited, as_of=AS_OF)
    assert one.tool_call is not None and two.tool_call is not None
    assert two.tool_call.arguments != one.tool_call.arguments
    assert two.tool_call.arguments.get("where")


# -- the semantic layer: members by the count's own WHERE ----------------------------------

@pytest.mark.parametrize("spec", [
    {"metrics": ["customers"], "filters": [{"dimension": "is_vip", "values": [True]}]},
    {"metrics": ["customers"], "filters": [{"dimension": "age", "op": ">", "values": [30]}],
     "time_range": {"start": "2024-01-01", "end": "2024-12-31"}},
    {"metrics": ["customers"], "filters": [{"dimension": "sales_channel", "values": ["tmall"]}]},
    {"metrics": ["buyers"], "filters": [{"dimension": "gender", "values": ["female"]}],
     "time_range": {"start": "2025-11-01", "end": "2025-11-30"}},
])
def test_members_are_as_many_as_the_count_says(con: Any, spec: dict[str, Any]) -> None:
    model, query = load_model(), QuerySpec.model_validate(spec)
    members = compile_members(query, model, as_of=TODAY)
    counted = con.execute(compile_spec(query, model, as_of=TODAY).sql).fetchone()[0]
    listed = con.execute(f"SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM ({members})").fetchone()
    assert listed == (counted, counted)


def test_members_of_vip_customers_by_hand(con: Any) -> None:
    spec = QuerySpec.model_validate({"metrics": ["customers"], "filters": [{"dimension": "is_vip", "values": [True]}]})
    listed = {int(r[0]) for r in con.execute(compile_members(spec, load_model(), as_of=TODAY)).fetchall()}
    assert listed == _ids(con, "loyalty_tier IN ('gold', 'platinum')")


# -- the tools: scores of everyone, reported for these customers -----------------------------

def test_rfm_for_some_customers_is_everyones_scores_for_them(demo_source: RoleSource, con: Any) -> None:
    everyone = rfm_run(RFMArgs(as_of=TODAY), demo_source).per_customer()
    limited = rfm_run(RFMArgs(as_of=TODAY, where="is_vip=true; age>30"), demo_source)
    wanted = _ids(con, "loyalty_tier IN ('gold', 'platinum') AND 2025 - birth_year > 30")
    expected = everyone[everyone["customer_id"].isin(wanted)]
    counts = expected["segment"].value_counts()
    table = limited.table.set_index("segment")
    for segment, row in table.iterrows():
        assert int(row["customers"]) == int(counts.get(segment, 0)), segment
    assert float(table["revenue"].sum()) == pytest.approx(float(expected["monetary"].sum()))
    per = limited.per_customer().set_index("customer_id").sort_index()
    assert per[["segment", "r_score", "f_score", "m_score"]].equals(
        expected.set_index("customer_id").sort_index()[["segment", "r_score", "f_score", "m_score"]])


def test_churn_risk_for_some_customers_lists_only_them(demo_source: RoleSource, con: Any) -> None:
    everyone = churn_run(ChurnArgs(as_of=TODAY, top_n=100_000), demo_source)
    limited = churn_run(ChurnArgs(as_of=TODAY, top_n=100_000, where="gender=female; city=Shanghai"), demo_source)
    wanted = _ids(con, "gender = 'female' AND city = 'Shanghai'")
    theirs = everyone.table[everyone.table["customer_id"].isin(wanted)]
    assert set(limited.table["customer_id"]) == set(theirs["customer_id"]) and len(theirs) > 0
    merged = limited.table.merge(theirs, on="customer_id", suffixes=("", "_all"))
    assert (merged["churn_probability"] == merged["churn_probability_all"]).all()  # the same model
    assert limited.facts["active_customers"] == len(theirs)


def test_clv_for_a_signup_cohort(demo_source: RoleSource, con: Any) -> None:
    everyone = clv_run(CLVArgs(as_of=TODAY), demo_source).per_customer()
    limited = clv_run(CLVArgs(as_of=TODAY, where="joined=2024-01-01..2024-12-31"), demo_source)
    wanted = _ids(con, "signup_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31'")
    expected = everyone[everyone["customer_id"].isin(wanted)]
    assert limited.facts["customers"] == len(expected) > 0
    assert limited.facts["total_predicted_value"] == pytest.approx(round(float(expected["predicted_value"].sum()), 2))
    pd.testing.assert_frame_equal(limited.per_customer().reset_index(drop=True), expected.reset_index(drop=True))


def test_lifecycle_stages_of_some_customers(demo_source: RoleSource, con: Any) -> None:
    everyone = lifecycle_run(LifecycleArgs(end=TODAY), demo_source).per_customer()
    limited = lifecycle_run(LifecycleArgs(end=TODAY, where="is_vip=true", stage="at_risk"), demo_source)
    wanted = _ids(con, "loyalty_tier IN ('gold', 'platinum')")
    expected = everyone[everyone["customer_id"].isin(wanted)]
    assert dict(zip(limited.table["stage"], limited.table["customers_end"], strict=True)) == {
        stage: int((expected["aipl_end"] == stage).sum()) for stage in limited.table["stage"]}
    assert limited.facts["lifecycle"]["at_risk"] == int((expected["stage"] == "at_risk").sum())
    assert set(limited.customer_ids or ()) == set(expected.loc[expected["stage"] == "at_risk", "customer_id"])


def test_segments_of_some_customers_are_everyones_clusters(demo_source: RoleSource, con: Any) -> None:
    everyone = segments_run(SegmentArgs(as_of=TODAY, k_min=4, k_max=4), demo_source).per_customer()
    limited = segments_run(SegmentArgs(as_of=TODAY, k_min=4, k_max=4, where="is_vip=true"), demo_source)
    wanted = _ids(con, "loyalty_tier IN ('gold', 'platinum')")
    theirs = everyone[everyone["customer_id"].isin(wanted)]
    assert dict(zip(limited.table["cluster"], limited.table["customers"], strict=True)) == {
        int(k): int(v) for k, v in theirs["cluster"].value_counts().items()}
    per = limited.per_customer()
    assert set(per["customer_id"]) == set(theirs["customer_id"])


def test_the_funnel_of_some_customers_counts_their_sessions(demo_source: RoleSource, con: Any) -> None:
    limited = funnel_run(FunnelArgs(where="is_vip=true; city_tier=tier1"), demo_source)
    by_hand = dict(con.execute(
        "SELECT event_name, COUNT(DISTINCT session_id) FROM events JOIN customers USING (customer_id) "
        "WHERE loyalty_tier IN ('gold', 'platinum') AND city_tier = 'tier1' GROUP BY 1").fetchall())
    assert dict(zip(limited.table["step"], limited.table["sessions"], strict=True)) == {
        step: by_hand.get(step, 0) for step in limited.table["step"]}


@pytest.mark.parametrize(("where", "said"), [
    ("favourite_colour=red", "no dimension 'favourite_colour'"),
    ("age>abc", "'age' is a number"),
    ("is_vip=maybe", "'is_vip' is yes or no"),
    ("vip", "not 'dimension operator value'"),
    ("joined=last year", "not a signup period"),
    ("email=a@b.c", "can't be used"),
])
def test_a_bad_condition_says_what_to_write(demo_source: RoleSource, where: str, said: str) -> None:
    with pytest.raises(ToolError) as raised:
        rfm_run(RFMArgs(as_of=TODAY, where=where), demo_source)
    assert said in str(raised.value)


def test_no_such_customer_is_a_clear_error(demo_source: RoleSource) -> None:
    with pytest.raises(ToolError, match="is one of 'age>200'"):
        rfm_run(RFMArgs(as_of=TODAY, where="age>200"), demo_source)


def test_a_transactions_file_has_no_customer_attributes(tmp_path: Path) -> None:
    path = tmp_path / "tx.csv"
    pd.DataFrame({"customer_id": [1, 2], "ordered_at": ["2025-01-01", "2025-02-01"], "revenue": [10.0, 20.0]}).to_csv(
        path, index=False)
    with pytest.raises(ToolError, match="needs the warehouse"):
        rfm_run(RFMArgs(file=str(path), where="is_vip=true"))


def test_where_parses_every_form() -> None:
    parsed = parse_where("is_vip=true; age>=25；age<=34; city!=Shanghai,Beijing; joined=..2024-06-30")
    assert parsed.filters == (
        {"dimension": "is_vip", "op": "in", "values": ["true"]},
        {"dimension": "age", "op": ">=", "values": ["25"]},
        {"dimension": "age", "op": "<=", "values": ["34"]},
        {"dimension": "city", "op": "not in", "values": ["Shanghai", "Beijing"]},
    )
    assert parsed.joined == (None, date(2024, 6, 30))


# -- the real answer path -----------------------------------------------------------------

@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


def test_a_limited_funnel_through_the_answer_path(assistant: Any, con: Any) -> None:
    answer = assistant.answer(AnswerRequest(question="conversion funnel for female customers"))
    assert answer.tool_call is not None and not answer.error, answer.error
    frame = pd.DataFrame(answer.rows, columns=answer.columns)
    visits = con.execute("SELECT COUNT(DISTINCT session_id) FROM events JOIN customers USING (customer_id) "
                         "WHERE gender = 'female' AND event_name = 'visit'").fetchone()[0]
    assert visits in {int(v) for v in frame.select_dtypes("number").to_numpy().ravel() if v == v}
    assert answer.chart is not None


@pytest.mark.parametrize(("question", "shown"), [
    ("RFM analysis for vip customers", "VIP member"), ("vip客户的RFM分析", "VIP会员"),
])
def test_the_answer_is_for_those_customers(assistant: Any, con: Any, question: str, shown: str) -> None:
    answer = assistant.answer(AnswerRequest(question=question))
    assert answer.tool_call is not None and not answer.error, answer.error
    assert shown in answer.interpretation
    frame = pd.DataFrame(answer.rows, columns=answer.columns)
    buyers = con.execute("SELECT COUNT(DISTINCT o.customer_id) FROM orders o JOIN customers c USING (customer_id) "
                         "WHERE c.loyalty_tier IN ('gold', 'platinum') AND o.ordered_at < DATE '2026-01-01'").fetchone()[0]
    counted = next(c for c in frame.columns if str(c).lower() in ("customers", "客户数"))
    assert int(frame[counted].sum()) == buyers
    assert not [w for w in answer.warnings if "not limited" in w or "限定" in w], answer.warnings


# -- counts of people named by a tag ----------------------------------------------------------

@pytest.mark.parametrize(("question", "metric", "filters"), [
    ("how many vip customers", "customers", {("is_vip", True)}),
    ("how many vips do we have", "customers", {("is_vip", True)}),
    ("count of vip members", "customers", {("is_vip", True)}),
    ("vip customers count", "customers", {("is_vip", True)}),
    ("有多少个vip会员", "customers", {("is_vip", True)}),
    ("vip会员数量", "customers", {("is_vip", True)}),
    ("how many vip customers by city", "customers", {("is_vip", True)}),
    ("how many non-vip customers", "customers", {("is_vip", False)}),
    ("how many vip customers bought last month", "buyers", {("is_vip", True)}),
    ("how many vip customers ordered last month", "buyers", {("is_vip", True)}),
    ("上个月有多少客户购买", "buyers", set()),
    ("上个月有多少女性客户购买", "buyers", {("gender", "female")}),
    ("上个月购买的vip客户有多少", "buyers", {("is_vip", True)}),
    ("上个月下单的女性用户数", "buyers", {("gender", "female")}),
])
def test_people_named_by_a_tag_are_counted(planner: OfflinePlanner, question: str, metric: str,
                                           filters: set[tuple[str, Any]]) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None, plan.decline_reason
    assert plan.spec.metrics == (metric,)
    assert {(f.dimension, f.values[0]) for f in plan.spec.filters} == filters


@pytest.mark.parametrize("question", ["how many by vip", "vip revenue", "有多少客户购买次数超过3次"])
def test_a_tag_that_is_not_counted_keeps_its_reading(planner: OfflinePlanner, question: str) -> None:
    """Controls: no metric and a split (declines as before), a metric said, a member condition."""
    plan = planner.plan(question, as_of=AS_OF)
    if plan.spec is not None:
        assert plan.spec.metrics != ("customers",)


@pytest.mark.parametrize(("question", "counted"), [
    ("how many vips do we have", "is_vip"), ("有多少个vip会员", "is_vip"),
])
def test_a_count_after_a_tool_answer_is_a_question_of_its_own(assistant: Any, con: Any, question: str,
                                                              counted: str) -> None:
    """Found in the UI: after "churn risk for vip customers in shanghai", "how many vips do we have" was
    taken as the churn tool again, limited to VIPs. A count said as such is asked on its own."""
    session = f"count-after-tool-{counted}-{len(question)}"
    first = assistant.answer(AnswerRequest(question="churn risk for vip customers in shanghai", session_id=session))
    assert first.tool_call is not None
    answer = assistant.answer(AnswerRequest(question=question, session_id=session))
    assert answer.tool_call is None and answer.spec is not None, answer.interpretation
    assert [f.dimension for f in answer.spec.filters] == [counted]
    assert int(answer.rows[0][0]) == len(_ids(con, "loyalty_tier IN ('gold', 'platinum')"))


def test_an_edit_after_a_tool_answer_still_edits_it(assistant: Any) -> None:
    session = "edit-after-tool"
    assistant.answer(AnswerRequest(question="churn risk for customers in shanghai", session_id=session))
    answer = assistant.answer(AnswerRequest(question="and for vip customers?", session_id=session))
    assert answer.tool_call is not None and answer.tool_call.name == "churn_risk", answer.interpretation
    assert "is_vip=true" in str(answer.tool_call.arguments.get("where")), answer.tool_call.arguments
