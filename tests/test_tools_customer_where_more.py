"""Customer conditions on the tools that did not take them yet, found asking the demo.

Before: "cohort retention for vip customers" passed ``where`` to the cohort tool, which has it
(through ``TransactionsInput``) and ignored it -- **everyone's cohorts under a VIP title**;
"find customers similar to our vip customers in shanghai" seeded the lookalike on Shanghai
alone and noted the VIPs as "not limited"; "找和上海女性客户相似的人群" seeded on Shanghai and
dropped 女性 **in silence**; "a/b test results for vip customers" read out everyone; "RFM只看上海的"
was limited to Shanghai *and* said it was not; a follow-up naming other customers ("and for vip
customers?" after "... in shanghai") replaced the condition instead of adding to it as a metric
question's filters do. Every number here is checked against SQL written by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from planner_support import AS_OF, demo_assistant

from genbi.assistant import AnswerRequest
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.tools.ab_test import ABTestArgs
from genbi.tools.ab_test import run as ab_run
from genbi.tools.base import ToolError
from genbi.tools.cohort import CohortArgs
from genbi.tools.cohort import run as cohort_run
from genbi.tools.customer_where import merged_where
from genbi.tools.lookalike import LookalikeArgs
from genbi.tools.lookalike import run as lookalike_run
from genbi.tools.roles import RoleSource
from genbi.tools.testing import demo_source as _demo_source

VIP_SHANGHAI = "SELECT customer_id FROM customers WHERE loyalty_tier IN ('gold', 'platinum') AND city = 'Shanghai'"


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


# -- cohorts of some customers ------------------------------------------------------------------

_FIRST = f"""WITH o AS (SELECT DISTINCT customer_id, date_trunc('month', ordered_at::DATE) AS m FROM orders
  WHERE customer_id IN ({VIP_SHANGHAI}) AND ordered_at < DATE '2026-01-01'),
c AS (SELECT customer_id, MIN(m) AS cohort FROM o GROUP BY 1)
SELECT strftime(cohort, '%Y-%m') AS cohort, COUNT(*) AS size,
  COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM o AS o2 WHERE o2.customer_id = c.customer_id
                                 AND o2.m = c.cohort + INTERVAL 1 MONTH)) AS back FROM c GROUP BY 1"""
_SIGNUP = f"""WITH c AS (SELECT customer_id, date_trunc('month', signup_date::DATE) AS cohort FROM customers
  WHERE customer_id IN ({VIP_SHANGHAI}) AND signup_date < DATE '2026-01-01')
SELECT strftime(cohort, '%Y-%m') AS cohort, COUNT(*) AS size,
  COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders AS o WHERE o.customer_id = c.customer_id
                   AND date_trunc('month', o.ordered_at::DATE) = c.cohort + INTERVAL 1 MONTH)) AS back FROM c GROUP BY 1"""


@pytest.mark.parametrize(("basis", "sql"), [("first_purchase", _FIRST), ("signup", _SIGNUP)])
def test_cohorts_of_some_customers_are_theirs(demo_source: RoleSource, con: Any, basis: str, sql: str) -> None:
    result = cohort_run(CohortArgs(basis=basis, where="is_vip=true; city=Shanghai", as_of=AS_OF), demo_source)
    expected = con.execute(sql).df().set_index("cohort")
    table = result.table.set_index("cohort")
    assert sorted(table.index) == sorted(expected.index)
    assert (table["cohort_size"] == expected.loc[table.index, "size"]).all()
    month_one = table["m1"].dropna()
    assert (month_one - expected.loc[month_one.index, "back"] / expected.loc[month_one.index, "size"]).abs().max() < 1e-12
    everyone = cohort_run(CohortArgs(basis=basis, as_of=AS_OF), demo_source)
    assert result.facts["customers"] < everyone.facts["customers"]  # metamorphic: the condition narrows


def test_cohorts_of_nobody_say_so(demo_source: RoleSource) -> None:
    with pytest.raises(ToolError, match="No customer of 'age>500'"):
        cohort_run(CohortArgs(where="age>500", as_of=AS_OF), demo_source)


# -- lookalikes of customers said by conditions ---------------------------------------------------

def test_a_seed_of_conditions_is_those_customers(demo_source: RoleSource, con: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    args = LookalikeArgs(seed_where="is_vip=true; city=Shanghai", as_of=AS_OF, top_n=40)
    in_memory = lookalike_run(args, demo_source)
    buyers = con.execute(f"SELECT COUNT(DISTINCT customer_id) FROM orders WHERE customer_id IN ({VIP_SHANGHAI}) "
                         "AND ordered_at < DATE '2026-01-01'").fetchone()[0]
    assert in_memory.facts["seed_customers"] == buyers
    seeds = {int(r[0]) for r in con.execute(VIP_SHANGHAI).fetchall()}
    assert not seeds & {int(i) for i in in_memory.table["customer_id"]}  # lookalikes are others
    # the SQL path (a warehouse that can't read columns) learns the same seed and returns the same people
    import genbi.tools.feature_sql as feature_sql

    monkeypatch.setattr(feature_sql.FeatureQuery, "everyone", lambda self, *a, **k: None)
    in_sql = lookalike_run(args, demo_source)
    assert in_sql.facts["seed_customers"] == buyers
    assert in_sql.table["customer_id"].tolist() == in_memory.table["customer_id"].tolist()
    assert (in_sql.table["similarity"] - in_memory.table["similarity"]).abs().max() < 1e-9


def test_one_seed_at_a_time(demo_source: RoleSource) -> None:
    with pytest.raises(ToolError, match="exactly one seed"):
        lookalike_run(LookalikeArgs(seed_where="is_vip=true", seed_segment="Champions"), demo_source)


# -- an A/B test read out for some customers -----------------------------------------------------

def test_an_ab_test_for_some_customers_counts_their_assignments(demo_source: RoleSource, con: Any) -> None:
    result = ab_run(ABTestArgs(where="is_vip=true"), demo_source)
    expected = con.execute(
        "SELECT experiment_id, variant, COUNT(*) AS n, AVG(converted::DOUBLE) AS rate FROM experiment_assignments "
        "WHERE customer_id IN (SELECT customer_id FROM customers WHERE loyalty_tier IN ('gold', 'platinum')) "
        "GROUP BY 1, 2").df()
    rates = result.table[result.table["outcome"] == "converted"].merge(
        expected, left_on=["experiment", "variant"], right_on=["experiment_id", "variant"])
    assert len(rates) == len(expected)
    assert (rates["n_x"] == rates["n_y"]).all()
    assert (rates["value"] - rates["rate"]).abs().max() < 1e-12


def test_an_ab_test_file_has_no_customer_attributes(tmp_path: Path) -> None:
    path = tmp_path / "ab.csv"
    pd.DataFrame({"variant": ["A", "B"] * 20, "converted": [0, 1] * 20, "revenue": [1.0] * 40}).to_csv(path, index=False)
    with pytest.raises(ToolError, match="needs the warehouse"):
        ab_run(ABTestArgs(file=str(path), where="is_vip=true"))


# -- the planner ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "tool", "setting", "value"), [
    ("cohort retention for vip customers", "cohort_retention", "where", "is_vip=true"),
    ("上海vip客户的留存", "cohort_retention", "where", "is_vip=true; city=Shanghai"),
    ("find customers similar to our vip customers in shanghai", "lookalike", "seed_where", "is_vip=true; city=Shanghai"),
    ("lookalikes of vip customers", "lookalike", "seed_where", "is_vip=true"),
    ("找和上海女性客户相似的人群", "lookalike", "seed_where", "city=Shanghai; gender=female"),
    ("跟北京90后客户类似的人", "lookalike", "seed_where", "city=Beijing; generation=1990s"),
    ("lookalikes of platinum members over 40", "lookalike", "seed_where", "loyalty_tier=platinum; age>40"),
    ("a/b test results for vip customers", "ab_test", "where", "is_vip=true"),
    ("AB测试结果 只看上海客户", "ab_test", "where", "city=Shanghai"),
])
def test_the_customers_said_go_to_the_tools_setting(planner: OfflinePlanner, question: str, tool: str,
                                                    setting: str, value: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == tool, plan.decline_reason
    assert plan.tool_call.arguments.get(setting) == value, plan.tool_call.arguments
    assert not {"seed_dimension", "seed_value"} & plan.tool_call.arguments.keys()
    assert not [n for n in plan.notes if "not limited" in n or "限定" in n or "筛选" in n], plan.notes


@pytest.mark.parametrize("question", ["lookalikes of platinum members", "和白金会员相似的用户"])
def test_a_seed_of_one_value_stays_an_attribute_seed(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None
    assert {k: plan.tool_call.arguments.get(k) for k in ("seed_dimension", "seed_value", "seed_where")} == {
        "seed_dimension": "loyalty_tier", "seed_value": "platinum", "seed_where": None}


def test_a_named_segment_stays_the_seed_and_the_rest_is_noted(planner: OfflinePlanner) -> None:
    plan = planner.plan("customers who look like our Champions in shanghai", as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.arguments.get("seed_segment") == "Champions"
    assert "seed_where" not in plan.tool_call.arguments
    assert any("shanghai" in n.lower() for n in plan.notes), plan.notes


@pytest.mark.parametrize("question", ["RFM只看上海的", "流失风险 只看女性", "churn risk only for shanghai"])
def test_a_restriction_a_setting_took_is_not_also_said_missing(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.arguments.get("where"), plan.tool_call
    assert not plan.notes, plan.notes


@pytest.mark.parametrize("question", ["RFM只看新客", "churn risk excluding wholesale"])
def test_a_restriction_no_setting_took_is_still_said(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.notes


# -- follow-ups: conditions merged by dimension -------------------------------------------------

@pytest.mark.parametrize(("before", "said", "merged"), [
    ("city=Shanghai", "is_vip=true", "city=Shanghai; is_vip=true"),
    ("city=Shanghai; is_vip=true", "city=Beijing", "city=Beijing; is_vip=true"),
    ("age>30; age<=40; gender=female", "age<25", "age<25; gender=female"),
    ("joined=2024-01-01..2024-12-31; city=Shanghai", "signup=2025-01-01..", "signup=2025-01-01..; city=Shanghai"),
])
def test_a_follow_ups_condition_merges_by_dimension(before: str, said: str, merged: str) -> None:
    """A dimension said again replaces what was said of it (the signup period under any of its names)."""
    assert merged_where(before, said) == merged


@pytest.fixture(scope="module")
def assistant(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from demo_assistant(warehouse_path, tmp_path_factory)


def test_follow_ups_narrow_then_replace_through_the_answer_path(assistant: Any, con: Any) -> None:
    session = "where-follow-ups"
    first = assistant.answer(AnswerRequest(question="cohort retention for customers in shanghai", session_id=session))
    assert first.tool_call is not None and first.tool_call.arguments.get("where") == "city=Shanghai"
    second = assistant.answer(AnswerRequest(question="and for vip customers?", session_id=session))
    assert second.tool_call is not None and second.tool_call.name == "cohort_retention", second.interpretation
    assert second.tool_call.arguments.get("where") == "city=Shanghai; is_vip=true"
    frame = pd.DataFrame(second.rows, columns=second.columns)
    sizes = next(c for c in frame.columns if "size" in str(c).lower() or "人数" in str(c) or "规模" in str(c))
    buyers = con.execute(f"SELECT COUNT(DISTINCT customer_id) FROM orders WHERE customer_id IN ({VIP_SHANGHAI}) "
                         "AND ordered_at < DATE '2026-01-01'").fetchone()[0]
    assert int(frame[sizes].sum()) == buyers
    assert second.chart is not None
    third = assistant.answer(AnswerRequest(question="and for beijing?", session_id=session))
    assert third.tool_call is not None and third.tool_call.arguments.get("where") == "city=Beijing; is_vip=true"


@pytest.mark.parametrize("question", ["find customers similar to our vip customers in shanghai",
                                      "找和上海女性客户相似的人群"])
def test_a_lookalike_of_conditions_through_the_answer_path(assistant: Any, question: str) -> None:
    answer = assistant.answer(AnswerRequest(question=question))
    assert answer.tool_call is not None and not answer.error, answer.error
    assert answer.tool_call.arguments.get("seed_where")
    assert answer.rows and answer.chart is not None
    assert not [w for w in answer.warnings if "not limited" in w or "限定" in w], answer.warnings


# -- customers said by what they bought ("with more than 3 orders", "消费超过1000元") ------------

@pytest.mark.parametrize(("where", "sql"), [
    ("orders>3", "SELECT customer_id FROM orders WHERE ordered_at < DATE '2026-01-01' GROUP BY 1 HAVING COUNT(*) > 3"),
    ("revenue>=1000; is_vip=true",
     "SELECT customer_id FROM orders WHERE ordered_at < DATE '2026-01-01' AND customer_id IN (SELECT customer_id FROM "
     "customers WHERE loyalty_tier IN ('gold', 'platinum')) GROUP BY 1 HAVING SUM(revenue) >= 1000"),
    ("orders>3; joined=2024-01-01..2024-12-31",
     "SELECT customer_id FROM orders WHERE ordered_at < DATE '2026-01-01' AND customer_id IN (SELECT customer_id FROM "
     "customers WHERE signup_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31') GROUP BY 1 HAVING COUNT(*) > 3"),
    ("orders>1", "SELECT customer_id FROM orders WHERE ordered_at < DATE '2025-07-01' GROUP BY 1 HAVING COUNT(*) > 1"),
])
def test_customers_by_what_they_bought_up_to_the_as_of_date(demo_source: RoleSource, con: Any, where: str,
                                                          sql: str) -> None:
    from datetime import date

    from genbi.tools.customer_where import customer_audience

    as_of = date(2025, 6, 30) if "2025-07-01" in sql else date(2025, 12, 31)
    members = set(customer_audience(demo_source, where, as_of).members(demo_source))
    assert members == {int(r[0]) for r in con.execute(sql).fetchall()}


@pytest.mark.parametrize("where", ["orders<3", "revenue>=-5", "orders=a lot"])
def test_a_condition_on_what_they_bought_says_what_to_write(demo_source: RoleSource, where: str) -> None:
    from genbi.tools.customer_where import customer_audience

    with pytest.raises(ToolError, match=r"orders>3|is a number|a positive number"):
        customer_audience(demo_source, where, AS_OF)


def test_churn_risk_of_big_spenders_lists_only_them(demo_source: RoleSource, con: Any) -> None:
    from genbi.tools.churn import ChurnArgs
    from genbi.tools.churn import run as churn_run

    result = churn_run(ChurnArgs(where="revenue>1000", as_of=AS_OF, top_n=5000), demo_source)
    spenders = {int(r[0]) for r in con.execute("SELECT customer_id FROM orders WHERE ordered_at < DATE '2026-01-01' "
                                               "GROUP BY 1 HAVING SUM(revenue) > 1000").fetchall()}
    listed = {int(i) for i in result.table["customer_id"]}
    assert listed and listed <= spenders


@pytest.mark.parametrize(("question", "tool", "where"), [
    ("rfm of customers with more than 3 orders", "rfm", "orders>3"),
    ("clv of customers who spent over 1000", "clv", "revenue>1000"),
    ("churn risk for vip customers with at least 2 orders", "churn_risk", "is_vip=true; orders>=2"),
    ("消费超过1000元的客户的流失风险", "churn_risk", "revenue>1000"),
    ("购买超过3次的客户的流失风险", "churn_risk", "orders>3"),
    ("消费超过1000元的客户的RFM分析", "rfm", "revenue>1000"),
])
def test_what_customers_bought_limits_the_tool(planner: OfflinePlanner, question: str, tool: str, where: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == tool, plan.decline_reason
    assert plan.tool_call.arguments.get("where") == where
    assert not plan.notes, plan.notes


def test_a_condition_a_list_cannot_hold_is_still_noted(planner: OfflinePlanner) -> None:
    """"fewer than 2 orders" includes people with none, who are no buyers: not listed, said so."""
    plan = planner.plan("churn risk for customers with fewer than 2 orders", as_of=AS_OF)
    assert plan.tool_call is not None and "where" not in plan.tool_call.arguments
    assert plan.notes


@pytest.mark.parametrize("question", ["消费超过1000元的客户有多少", "revenue from customers with more than 3 orders"])
def test_a_metric_question_with_such_customers_stays_one(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.spec is not None and plan.spec.member_conditions and plan.tool_call is None


# -- RFM segment names said as words --------------------------------------------------------------

@pytest.mark.parametrize(("question", "setting", "segment"), [
    ("write an email for our loyalty program members", "segment", None),  # "loyalty" is no Loyal
    ("rfm for the new arrivals", "segment", None),
    ("write an email for female customers over 40 about our new skincare line", "segment", None),
    ("write an email for new customers", "segment", "New"),
    ("write a push for lost customers", "segment", "Lost"),
    ("lookalikes of champions", "seed_segment", "Champions"),
    ("copy for Lost", "segment", "Lost"),
    ("email the customers in segment loyal", "segment", "Loyal"),
])
def test_a_segment_is_named_only_as_a_segment(planner: OfflinePlanner, question: str, setting: str,
                                             segment: str | None) -> None:
    """"our new skincare line" wrote copy for the RFM segment New, "loyalty program members" for
    Loyal, in silence: a one-word name is the segment only said of people or as a segment."""
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None
    assert plan.tool_call.arguments.get(setting) == segment, plan.tool_call.arguments


# -- copy for customers said by a tag, a range, the signup period or what they bought -----------

@pytest.mark.parametrize(("where", "sql", "words"), [
    ("is_vip=true; city=Shanghai", VIP_SHANGHAI, "上海"),
    ("age>40; joined=2024-01-01..2024-12-31; is_vip=false",
     "SELECT customer_id FROM customers WHERE 2025 - birth_year > 40 AND signup_date BETWEEN DATE '2024-01-01' "
     "AND DATE '2024-12-31' AND loyalty_tier NOT IN ('gold', 'platinum')", "2024-01-01至2024-12-31注册"),
    ("loyalty_tier=PLATINUM; orders>3",  # an attribute matched in any case, as before
     "SELECT customer_id FROM orders JOIN customers USING (customer_id) WHERE loyalty_tier = 'platinum' "
     "AND ordered_at < DATE '2026-01-01' GROUP BY 1 HAVING COUNT(*) > 3", "订单数>3"),
])
def test_copy_for_customers_the_semantic_layer_lists(demo_source: RoleSource, con: Any, where: str, sql: str,
                                                     words: str) -> None:
    from genbi.tools.copywriting.tool import CopyArgs
    from genbi.tools.copywriting.tool import run as copy_run

    result = copy_run(CopyArgs(where=where, channel="sms", as_of=AS_OF), demo_source)
    assert result.facts["audience_facts"]["customers"] == len(con.execute(sql).fetchall())
    assert words in result.facts["audience"]


@pytest.mark.parametrize(("question", "where"), [
    ("给上海的vip客户写一条短信", "is_vip=true; city=Shanghai"),
    ("write an email for female customers over 40 about our new skincare line", "gender=female; age>40"),
    ("draft a wechat post for customers acquired via douyin", "acquisition_channel=douyin"),
    ("给消费超过1000元的客户写一条推送", "revenue>1000"),
    ("write a wechat post for platinum members", "loyalty_tier=platinum"),
])
def test_copy_takes_the_customers_said(planner: OfflinePlanner, question: str, where: str) -> None:
    plan = planner.plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == "generate_copy", plan.decline_reason
    assert plan.tool_call.arguments.get("where") == where
    assert not [n for n in plan.notes if "not limited" in n or "限定" in n or "筛选" in n], plan.notes


@pytest.mark.parametrize(("first", "followups", "seeds"), [
    ("lookalikes of vip customers", ["and only those in shanghai", "now for beijing"],
     [{"seed_where": "is_vip=true; city=Shanghai"}, {"seed_where": "is_vip=true; city=Beijing"}]),
    ("lookalikes of platinum members", ["now for gold members", "and in shanghai"],
     [{"seed_dimension": "loyalty_tier", "seed_value": "gold"}, {"seed_where": "loyalty_tier=gold; city=Shanghai"}]),
])
def test_a_follow_up_narrows_a_lookalike_seed(planner: OfflinePlanner, first: str, followups: list[str],
                                             seeds: list[dict[str, str]]) -> None:
    """"and only those in shanghai" after "lookalikes of vip customers" seeded on Shanghai alone."""
    last = planner.plan(first, as_of=AS_OF).tool_call
    assert last is not None
    for question, seed in zip(followups, seeds, strict=True):
        found = planner.follow_tool(question, last, as_of=AS_OF)
        assert found is not None and found.tool_call is not None, question
        arguments = found.tool_call.arguments
        assert {k: arguments[k] for k in ("seed_where", "seed_dimension", "seed_value") if k in arguments} == seed
        last = found.tool_call
