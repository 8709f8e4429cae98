"""Anomaly detection: planted spikes and dips found, weekdays and festivals not flagged.

The pure core is checked on a synthetic series whose every effect is known (trend, weekly
pattern, 双11 / 618 / 双12 lifts, noise, two planted days); the tool on the demo warehouse
with a planted douyin spend cut, its daily values recomputed with plain SQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer import Warehouse, load_model
from genbi.tools.anomaly_detection import THRESHOLD, detect_anomalies, score_days
from genbi.tools.base import ToolError
from genbi.tools.calendar_effects import calendar_days
from genbi.tools.change_explainer import filters_from_text

AS_OF = date(2025, 12, 31)
SPIKE, DIP = date(2025, 12, 3), date(2025, 12, 17)
WEEKDAY = np.array([0.9, 0.92, 0.95, 1.0, 1.05, 1.15, 1.1])
LIFT = {"double11:lead": 1.5, "double11:peak": 8.0, "double11:after": 1.6, "618:lead": 1.3, "618:peak": 5.0,
        "618:after": 1.3, "double12:lead": 1.1, "double12:peak": 2.5}


def synthetic(start: date = date(2024, 1, 1), end: date = AS_OF, plant: bool = True, seed: int = 3,
              noise: float = 0.05) -> pd.Series:
    """Daily sales: growth, weekday pattern, festival lifts, 5 % noise, and two planted days."""
    days = pd.date_range(start, end, freq="D")
    rng = np.random.default_rng(seed)
    labels = calendar_days(start, end)
    lift = np.array([LIFT.get(labels[d.date()].key, 1.0) if d.date() in labels else 1.0 for d in days])
    values = 1000 * np.linspace(1.0, 1.3, len(days)) * WEEKDAY[days.weekday] * lift * rng.lognormal(0, noise, len(days))
    series = pd.Series(values, index=days)
    if plant:
        series[pd.Timestamp(SPIKE)] *= 1.8
        series[pd.Timestamp(DIP)] *= 0.5
    return series


@pytest.mark.parametrize("seed", range(3))
def test_the_planted_days_and_only_they_are_unusual(seed: int) -> None:
    days = score_days(synthetic(seed=seed), date(2025, 12, 1), AS_OF)
    window = days[days["day"] >= date(2025, 12, 1)]
    flagged = window[window["anomaly"]]
    assert set(flagged["day"]) == {SPIKE, DIP}
    assert flagged.set_index("day").loc[SPIKE, "z"] > THRESHOLD
    assert flagged.set_index("day").loc[DIP, "z"] < -THRESHOLD
    expected = window.set_index("day").loc[SPIKE, "expected"]
    assert expected == pytest.approx(synthetic(plant=False, noise=0.0)[pd.Timestamp(SPIKE)], rel=0.1)


@pytest.mark.parametrize("seed", range(4))
def test_festival_peaks_seen_last_year_are_expected_not_anomalies(seed: int) -> None:
    days = score_days(synthetic(plant=False, seed=seed), date(2025, 6, 1), AS_OF)
    window = days[days["day"] >= date(2025, 6, 1)]
    peaks = window[window["festival"].str.endswith(":peak")]
    assert {"double11:peak", "618:peak", "double12:peak"} <= set(peaks["festival"])
    assert not peaks["anomaly"].any()
    # 5 % noise over 214 days: a 3.5 robust-z day happens by chance now and then, rarely twice
    assert window["anomaly"].sum() <= 2
    double11 = peaks.set_index("festival").loc["double11:peak"]
    assert double11["expected"] > 5 * days["value"].median()  # the lift is in the expectation
    assert double11["expected"] == pytest.approx(double11["value"], rel=0.2)


def test_a_festival_the_history_never_saw_is_not_judged() -> None:
    days = score_days(synthetic(start=date(2024, 8, 1), plant=False), date(2024, 11, 1), date(2024, 11, 30))
    window = days[days["day"] >= date(2024, 11, 1)]
    peak = window.set_index("day").loc[date(2024, 11, 11)]
    assert peak["unlearned"] and not peak["anomaly"]


def test_too_little_data_is_refused_clearly() -> None:
    with pytest.raises(ToolError, match="at least 28 days"):
        score_days(synthetic(start=date(2025, 12, 10), plant=False), date(2025, 12, 20), AS_OF)


@pytest.fixture(scope="module")
def planted(planted_warehouse_path: Path) -> Path:
    return planted_warehouse_path  # every douyin campaign spends 5 % of its usual in October 2025


def test_the_first_days_of_a_planted_spend_cut_are_dips(planted: Path) -> None:
    model = load_model()
    with Warehouse.open(planted, allowed_tables=model.table_names) as warehouse:
        report = detect_anomalies(model, warehouse, "spend", date(2025, 10, 1), date(2025, 10, 31), as_of=AS_OF,
                                  filters=filters_from_text("channel=douyin"))
    with duckdb.connect(str(planted), read_only=True) as con:
        raw = dict(con.execute(
            "SELECT s.date, SUM(s.spend) FROM ad_spend s JOIN campaigns c USING (campaign_id) "
            "WHERE c.channel = 'douyin' AND s.date BETWEEN '2025-10-01' AND '2025-10-31' GROUP BY 1").fetchall())
    days = report.days.set_index("day")
    for day in (date(2025, 10, 1) + timedelta(days=i) for i in range(31)):
        assert days.loc[day, "value"] == pytest.approx(raw.get(day, 0.0))
    first = report.anomalies[0] if report.anomalies else None
    assert first is not None and first.direction == "dip"
    assert min(a.day for a in report.anomalies) <= date(2025, 10, 3)
    assert all(a.direction == "dip" for a in report.anomalies if a.day <= date(2025, 10, 7))


@pytest.mark.parametrize(("question", "metric", "start", "end"), [
    ("any unusual days in December?", None, "2025-12-01", "2025-12-31"),
    ("12月销售额有没有异常的日子", "revenue", "2025-12-01", "2025-12-31"),
    ("were there any anomalies in ROAS last month", "roas", "2025-11-01", "2025-11-30"),
    ("抖音的投放花费10月有异常吗", "spend", "2025-10-01", "2025-10-31"),
])
def test_planner_reads_anomaly_questions(question: str, metric: str | None, start: str, end: str) -> None:
    plan = OfflinePlanner(load_model()).plan(question, as_of=AS_OF)
    assert plan.tool_call is not None and plan.tool_call.name == "anomalies", plan
    arguments = plan.tool_call.arguments
    assert (arguments.get("metric"), arguments.get("start"), arguments.get("end")) == (metric, start, end)


def test_black_friday_is_the_day_after_the_fourth_thursday_of_november() -> None:
    from genbi.tools.calendar_effects import black_friday

    assert [black_friday(y) for y in (2010, 2011, 2024, 2025, 2026)] == [
        date(2010, 11, 26), date(2011, 11, 25), date(2024, 11, 29), date(2025, 11, 28), date(2026, 11, 27)]


def test_a_western_shop_is_judged_by_its_own_calendar_not_by_double_11() -> None:
    """A UK shop's 11 November is an ordinary day: a drop then is an anomaly (China's calendar
    called it 双11 and, never having seen one, did not judge it); its Black Friday, never seen
    before either, is a festival day, not a spike."""
    series = synthetic(start=date(2024, 8, 1), end=date(2024, 12, 10), plant=False)
    series[pd.Timestamp(date(2024, 11, 11))] *= 0.4
    series[pd.Timestamp(date(2024, 11, 29))] *= 3.0
    days = score_days(series, date(2024, 11, 1), date(2024, 12, 10), calendar="western").set_index("day")
    assert days.loc[date(2024, 11, 11), "anomaly"] and days.loc[date(2024, 11, 11), "festival"] == ""
    assert days.loc[date(2024, 11, 29), "festival"] == "black_friday:peak"
    assert not days.loc[date(2024, 11, 29), "anomaly"] and days.loc[date(2024, 11, 29), "unlearned"]
    china = score_days(series, date(2024, 11, 1), date(2024, 12, 10), calendar="cn").set_index("day")
    assert not china.loc[date(2024, 11, 11), "anomaly"]  # what the Western shop got before


def test_the_calendar_follows_the_model(tmp_path: Path) -> None:
    from genbi.semantic_layer.introspection import check_draft, draft_model
    from genbi.tools.calendar_effects import model_calendar

    model = load_model()
    assert model_calendar(model) == "cn"  # the demo says so
    assert model_calendar(model.model_copy(update={"calendar": None, "currency": "£"})) == "western"
    assert model_calendar(model.model_copy(update={"calendar": None, "currency": "¥"})) == "cn"
    assert model_calendar(model.model_copy(update={"calendar": "none"})) == "none"
    rows = "\n".join(f"A{i},2024-0{i % 9 + 1}-1{i % 9},{i * 3.5},C{i % 7}" for i in range(60))
    (tmp_path / "uk.csv").write_text("InvoiceNo,InvoiceDate,Amount,CustomerID\n" + rows + "\n")
    (tmp_path / "cn.csv").write_text("订单号,下单时间,实付金额,买家\n" + rows + "\n", encoding="utf-8")
    assert model_calendar(check_draft(draft_model(tmp_path / "uk.csv").text)) == "western"
    assert model_calendar(check_draft(draft_model(tmp_path / "cn.csv").text)) == "cn"
