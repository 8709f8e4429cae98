"""Change explanation: exact decompositions, a planted spend cut found first, normal variation.

The warehouse here is the demo with one known change planted (every douyin campaign spends
5 % of its usual amount in October 2025). Shares and usual ranges are recomputed in the test
from plain SQL on the tables, independently of the semantic layer and the tool.
"""

from __future__ import annotations

import itertools
import math
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from planted_support import PLANTED_CUT

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.service import Assistant
from genbi.demo.planted import SpendCut
from genbi.errors import GenbiError
from genbi.semantic_layer import Warehouse, load_model
from genbi.tools.change_explainer import explain_change
from genbi.tools.change_math import (
    USUAL_SWING_Z,
    additive_contributions,
    ratio_effects,
    ratio_totals,
    usual_range,
)
from genbi.tools.change_periods import Period, baseline, history_chain

CUT = SpendCut(*PLANTED_CUT)
OCTOBER = Period(date(2025, 10, 1), date(2025, 10, 31))
SEPTEMBER = Period(date(2025, 9, 1), date(2025, 9, 30))
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planted(planted_warehouse_path: Path) -> Path:
    return planted_warehouse_path


@pytest.fixture(scope="module")
def opened(planted: Path):
    model = load_model()
    warehouse = Warehouse.open(planted, allowed_tables=model.table_names)
    yield model, warehouse
    warehouse.close()


def _spend(path: Path, period: Period, channel: str | None = None) -> float:
    """Spend from the raw tables, no semantic layer."""
    sql = ("SELECT COALESCE(SUM(s.spend), 0) FROM ad_spend s JOIN campaigns c ON c.campaign_id = s.campaign_id "
           "WHERE s.date BETWEEN ? AND ?" + (" AND c.channel = ?" if channel else ""))
    params = [period.start, period.end, *([channel] if channel else [])]
    with duckdb.connect(str(path), read_only=True) as con:
        return float(con.execute(sql, params).fetchone()[0])


# --- the arithmetic -----------------------------------------------------------------------------


def test_additive_contributions_add_up_to_the_change() -> None:
    rng = np.random.default_rng(1)
    before = pd.Series(rng.uniform(0, 100, 6), index=list("abcdef"))
    after = pd.Series(rng.uniform(0, 100, 5), index=list("abcdg"))  # e, f gone; g new
    table = additive_contributions(before, after)
    assert table["contribution"].sum() == pytest.approx(after.sum() - before.sum())
    assert table["share"].sum() == pytest.approx(1.0)
    assert table.loc["g", "contribution"] == pytest.approx(after["g"])


@pytest.mark.parametrize("seed", range(5))
def test_rate_and_mix_effects_add_up_to_the_ratio_change(seed: int) -> None:
    rng = np.random.default_rng(seed)
    members = list("abcde")
    numerator = pd.DataFrame({"before": rng.uniform(0, 50, 5), "after": rng.uniform(0, 50, 5)}, index=members)
    denominator = pd.DataFrame({"before": rng.uniform(1, 20, 5), "after": rng.uniform(1, 20, 5)}, index=members)
    denominator.loc["e", "before"] = 0.0  # a member that only spent in the second period
    numerator.loc["e", "before"] = 0.0
    table = ratio_effects(numerator, denominator)
    totals = ratio_totals(numerator, denominator, table)
    ratio_before = numerator["before"].sum() / denominator["before"].sum()
    ratio_after = numerator["after"].sum() / denominator["after"].sum()
    assert (totals.before, totals.after) == pytest.approx((ratio_before, ratio_after))
    assert totals.rate_effect + totals.mix_effect == pytest.approx(ratio_after - ratio_before)
    assert totals.unexplained == pytest.approx(0.0, abs=1e-12)
    assert table.loc["e", "rate_effect"] == 0.0  # no rate before: all mix


def test_a_rate_change_is_rate_and_a_weight_shift_is_mix() -> None:
    numerator = pd.DataFrame({"before": [10.0, 40.0], "after": [10.0, 40.0]}, index=["low", "high"])
    same_spend = pd.DataFrame({"before": [10.0, 10.0], "after": [10.0, 10.0]}, index=["low", "high"])
    shifted = pd.DataFrame({"before": [10.0, 10.0], "after": [5.0, 15.0]}, index=["low", "high"])
    scaled = numerator.assign(after=numerator["after"] * [1.0, 1.5])
    rate_only = ratio_effects(numerator, same_spend)
    assert rate_only["rate_effect"].sum() == 0 and rate_only["mix_effect"].sum() == 0
    mix = ratio_effects(numerator.assign(after=[5.0, 60.0]), shifted)  # rates unchanged, spend moved
    assert mix["rate_effect"].abs().sum() == pytest.approx(0.0)
    assert mix["mix_effect"].sum() > 0
    rate = ratio_effects(scaled, same_spend)
    assert rate["mix_effect"].abs().sum() == pytest.approx(0.0)
    assert rate.loc["high", "rate_effect"] > 0


def test_usual_range_is_robust_and_symmetric_in_log_ratio() -> None:
    calm = [0.02, -0.03, 0.01, 0.04, -0.02, 0.0, 0.03, -0.01]
    assert usual_range(calm, 0.01).within
    assert not usual_range(calm, -0.5).within
    festival = [*calm, 0.9, -0.45]  # two festival months do not widen the range much
    assert not usual_range(festival, -0.3).within
    assert usual_range(calm[:3], 0.0) is None  # too little history to say


# --- periods ------------------------------------------------------------------------------------


def test_the_period_before_a_month_is_the_calendar_month_before() -> None:
    assert baseline(OCTOBER, "previous") == SEPTEMBER
    assert baseline(Period(date(2025, 10, 1), date(2025, 12, 31)), "previous") == Period(date(2025, 7, 1), date(2025, 9, 30))
    assert baseline(OCTOBER, "year") == Period(date(2024, 10, 1), date(2024, 10, 31))
    assert baseline(Period(date(2025, 3, 5), date(2025, 3, 14)), "previous") == Period(date(2025, 2, 23), date(2025, 3, 4))
    chain = history_chain(OCTOBER)
    assert len(chain) == 13 and chain[-1] == OCTOBER and chain[0] == Period(date(2024, 10, 1), date(2024, 10, 31))


# --- the planted change -------------------------------------------------------------------------


def test_the_planted_spend_cut_is_named_first_with_its_share(opened, planted: Path) -> None:
    model, warehouse = opened
    explanation = explain_change(model, warehouse, "spend", OCTOBER, as_of=AS_OF)
    total_change = _spend(planted, OCTOBER) - _spend(planted, SEPTEMBER)
    douyin_change = _spend(planted, OCTOBER, "douyin") - _spend(planted, SEPTEMBER, "douyin")
    assert explanation.change == pytest.approx(total_change)
    top = explanation.top
    assert top is not None and top.score is not None
    assert (top.dimension, top.score.top_member) == ("channel", "douyin")
    assert top.score.explained_share == pytest.approx(douyin_change / total_change)
    assert top.table.loc["douyin", "contribution"] == pytest.approx(douyin_change)
    assert top.table["contribution"].sum() == pytest.approx(total_change)
    assert explanation.drill is not None and explanation.drill.dimension != "channel"
    assert not explanation.member_variation.within  # douyin's own drop is far outside its usual swing
    assert any("drill into channel = douyin" in step.label for step in explanation.steps)


def test_without_the_plant_the_same_month_does_not_blame_douyin(warehouse_path: Path) -> None:
    model = load_model()
    with Warehouse.open(warehouse_path, allowed_tables=model.table_names) as warehouse:
        explanation = explain_change(model, warehouse, "spend", OCTOBER, as_of=AS_OF)
    top = explanation.top
    assert top is None or top.score is None or top.score.top_member != "douyin"


def _independent_range(path: Path, sql: str, period: Period) -> tuple[float, bool]:
    """The month's relative change and whether it is inside median ± Z·MAD of the 11 before."""
    chain = history_chain(period)
    with duckdb.connect(str(path), read_only=True) as con:
        values = [float(con.execute(sql, [p.start, p.end]).fetchone()[0] or 0) for p in chain]
    changes = [math.log(b / a) for a, b in itertools.pairwise(values) if a]
    earlier, now = np.array(changes[:-1]), changes[-1]
    median = float(np.median(earlier))
    spread = max(1.4826 * float(np.median(np.abs(earlier - median))), float(np.std(earlier)) / 4)
    return math.exp(now) - 1, abs(now - median) <= USUAL_SWING_Z * spread


def test_a_change_inside_the_usual_range_is_reported_as_normal(opened, planted: Path) -> None:
    model, warehouse = opened
    orders_sql = "SELECT COUNT(*) FROM orders WHERE CAST(ordered_at AS DATE) BETWEEN ? AND ?"
    change, within = _independent_range(planted, orders_sql, SEPTEMBER)
    assert within, "the demo's September orders should be an ordinary month"
    explanation = explain_change(model, warehouse, "orders", SEPTEMBER, as_of=AS_OF)
    assert explanation.variation is not None and explanation.variation.within
    assert explanation.change_pct == pytest.approx(change)


def test_roas_splits_into_rate_and_mix_that_add_up(opened, planted: Path) -> None:
    model, warehouse = opened
    explanation = explain_change(model, warehouse, "roas", OCTOBER, as_of=AS_OF)
    sql = ("SELECT (SELECT SUM(revenue) FROM orders WHERE campaign_id IS NOT NULL AND CAST(ordered_at AS DATE) "
           "BETWEEN $1 AND $2) / (SELECT SUM(spend) FROM ad_spend WHERE date BETWEEN $1 AND $2)")
    with duckdb.connect(str(planted), read_only=True) as con:
        before, after = (float(con.execute(sql, [p.start, p.end]).fetchone()[0]) for p in (SEPTEMBER, OCTOBER))
    assert (explanation.before, explanation.after) == pytest.approx((before, after))
    ratio = explanation.ratio
    assert ratio is not None and explanation.kind == "ratio"
    assert ratio.rate_effect + ratio.mix_effect + ratio.unexplained == pytest.approx(after - before)
    assert explanation.top is not None and explanation.top.dimension == "channel"
    assert explanation.top.score.top_member == "douyin"  # spending 5 % for the same returns


def test_a_metric_that_cannot_be_split_is_refused_clearly(opened) -> None:
    model, warehouse = opened
    with pytest.raises(GenbiError, match="sum, a count or a ratio"):
        explain_change(model, warehouse, "repeat_purchase_rate", OCTOBER, as_of=AS_OF)


# --- in the chat --------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "metric", "start", "compare"), [
    ("why did revenue drop in November?", "revenue", "2025-11-01", None),
    ("为什么上个月ROAS下降了", "roas", "2025-11-01", None),
    ("what drove the growth in Q4?", None, "2025-10-01", None),
    ("Why did ad spend fall in October compared with last year?", "spend", "2025-10-01", "year"),
    ("十月份销售额同比为什么下滑", "revenue", "2025-10-01", "year"),
    ("what caused the spike in orders in June", "orders", "2025-06-01", None),
])
def test_planner_reads_change_questions(question: str, metric: str | None, start: str, compare: str | None) -> None:
    plan = OfflinePlanner(load_model()).plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == "explain_change", plan
    arguments = plan.tool_call.arguments
    assert arguments.get("metric") == metric
    assert arguments.get("start") == start
    assert arguments.get("compare") == compare


def test_drop_as_a_write_is_still_refused() -> None:
    plan = OfflinePlanner(load_model()).plan("revenue by channel in 2025; DROP TABLE orders", as_of=AS_OF)
    assert plan.spec is None and plan.tool_call is None


def test_the_chat_answer_names_douyin_in_both_languages(planted: Path) -> None:
    assistant = Assistant.open(planted, llm=False, as_of=AS_OF)
    try:
        english = assistant.answer(AnswerRequest("Why did ad spend drop in October 2025?", session_id="en"))
        chinese = assistant.answer(AnswerRequest("为什么2025年10月的投放花费下降了", session_id="zh"))
    finally:
        assistant.close()
    for answer in (english, chinese):
        assert answer.error is None and answer.decline is None, answer
        assert answer.tool_call is not None and answer.tool_call.name == "explain_change"
        assert answer.chart is not None and answer.chart.data[0].type == "waterfall"
        assert answer.sql and answer.sql.count("SELECT") >= 3
    assert "Douyin" in english.narrative and "%" in english.narrative
    assert "抖音" in chinese.narrative
    for answer, douyin, october in ((english, "Douyin", "Oct 2025"), (chinese, "抖音", "2025年10月")):
        assert answer.chart.layout.xaxis.type == "category"  # bars named, never read as dates
        bars = list(answer.chart.data[0].x)
        assert bars[1] == douyin and bars[-1] == october


def test_the_llm_agent_is_offered_both_tools_for_such_questions() -> None:
    from genbi.assistant.agent.extra_tools import agent_schema, intent_matches
    from genbi.tools.base import registered_tools

    assert "explain_change" in intent_matches("Why did ROAS fall last month?")
    assert "explain_change" in intent_matches("为什么上个月销售额下降了")
    assert "anomalies" in intent_matches("any unusual days in December?")
    assert not {"explain_change", "anomalies"} & set(intent_matches("revenue by channel last month"))
    schema = agent_schema(registered_tools()["explain_change"].args_model)
    assert {"metric", "start", "end", "compare", "where"} <= set(schema["properties"])


def test_the_plant_changes_only_the_channels_month(warehouse_path: Path, planted: Path) -> None:
    sql = ("SELECT c.channel = 'douyin' AND s.date BETWEEN '2025-10-01' AND '2025-10-31' AS cut, "
           "SUM(s.spend), COUNT(*) FROM ad_spend s JOIN campaigns c USING (campaign_id) GROUP BY 1 ORDER BY 1")
    facts = "SELECT COUNT(*), SUM(revenue) FROM orders"
    with duckdb.connect(str(warehouse_path), read_only=True) as plain, \
            duckdb.connect(str(planted), read_only=True) as cut:
        (_, spent, rows), (_, cut_spent, cut_rows) = plain.execute(sql).fetchall()
        (_, spent_cut, rows_cut), (_, cut_spent_cut, cut_rows_cut) = cut.execute(sql).fetchall()
        assert plain.execute(facts).fetchall() == cut.execute(facts).fetchall()
    assert (spent, rows) == pytest.approx((spent_cut, rows_cut))
    assert cut_rows == cut_rows_cut and cut_spent_cut == pytest.approx(cut_spent * CUT.factor, rel=0.01)


@pytest.mark.parametrize("text", ["douyin", "tiktok:2025-10", "douyin:2025-13:0.5", "douyin:2023-01", "douyin:2025-10:x"])
def test_a_bad_plant_is_refused_clearly(text: str) -> None:
    with pytest.raises(GenbiError):
        SpendCut.parse(text)
