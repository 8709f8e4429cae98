"""Exports genbi was not tuned on (eval/byodata/platform_reports.py), each failure turned into a rule.

* a CSV saved on a Chinese Windows is GBK: read as Chinese, not as Windows-1252 mojibake
  (whose headers had no words, and the drafter crashed on them);
* a column of plain numbers with '-' for "none" (an SMS's opens) is a number;
* an order's amounts repeated on each of its lines (有赞's 订单实付金额, 运费) count once per order;
* a Chinese ad report's 展示数 / 转化数 are impressions / conversions, and its own per-row rates
  (点击率, 支付ROI) are never summed nor averaged: the ratio of the sums answers;
* a tool's action said inside a value ('Abandoned Cart' flow) is the value;
* 'total flow revenue' is one total; 'by month of close date' splits and dates by the close date;
* a CRM export whose open deals carry an expected close date is open or closed by its stage.

Files are generated here with other names and values than the eval exports, so what passes is
the rule, not the file."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.eval.byodata.exports import build_file
from genbi.semantic_layer.introspection import check_draft, draft_model
from genbi.semantic_layer.sources import open_raw

AS_OF = date(2024, 12, 31)


def _write(path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _ask(path: Path, *questions: str) -> list[Any]:
    assistant = Assistant.open(path, as_of=AS_OF, llm=False)
    try:
        found = []
        for question in questions:
            answer = assistant.answer(AnswerRequest(question, as_of=AS_OF, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            found.append(answer)
        return found
    finally:
        assistant.warehouse.close()


def _columns(path: Path) -> dict[str, str]:
    connection = open_raw(path)
    try:
        table = connection.execute("SHOW TABLES").fetchall()[0][0]
        return {str(n): str(k) for n, k, *_ in connection.execute(f'DESCRIBE "{table}"').fetchall()}
    finally:
        connection.close()


# --- 有赞-like order lines: GBK, order amounts on every line -----------------------------------

def _order_lines(rng: random.Random, repeated: bool) -> tuple[list[str], list[list[Any]]]:
    header = ["订单编号", "订单状态", "下单时间", "商品名称", "购买数量", "商品实付金额", "运费", "订单实付金额", "收货省份"]
    rows: list[list[Any]] = []
    for n in range(300):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(300))
        status = rng.choice(["交易成功", "交易成功", "交易成功", "已退款", "已关闭"])
        lines = [(rng.choice(["面霜", "精华", "口红"]), rng.randrange(1, 4), round(rng.uniform(20, 300), 2))
                 for _ in range(rng.randrange(1, 4))]
        freight = 0.0 if sum(x[2] for x in lines) >= 150 else 10.0
        total = round(sum(x[2] for x in lines) + freight, 2)
        province = rng.choice(["浙江省", "江苏省"])
        for k, (product, quantity, paid) in enumerate(lines):
            first = k == 0 or repeated
            rows.append([f"YZ{n:06d}", status, f"{day} 10:00:00", product, quantity, paid,
                         freight if first else "", total if first else "", province])
    return header, rows


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_a_chinese_export_in_any_encoding_keeps_its_headers(tmp_path: Path, encoding: str) -> None:
    header, rows = _order_lines(random.Random(3), repeated=True)
    columns = _columns(_write(tmp_path / "订单.csv", header, rows, encoding))
    assert list(columns) == header
    assert columns["订单实付金额"] == "DOUBLE"


def test_a_header_with_no_word_drafts(tmp_path: Path) -> None:
    """'#' (a row number) and '(%)' have no words: the draft names them 'field', never crashes."""
    path = _write(tmp_path / "t.csv", ["#", "Campaign", "Spend", "(%)", "Date"],
                  [[i, f"C{i % 3}", 10 * i, i % 7, f"2024-01-{i:02d}"] for i in range(1, 29)])
    check_draft(draft_model(path).text)


@pytest.mark.parametrize("repeated", [True, False])
def test_an_orders_amounts_count_once_whether_repeated_on_its_lines_or_not(tmp_path: Path, repeated: bool) -> None:
    """Metamorphic twin: the same orders written with the order's amounts on every line (有赞) or
    on its first line only (Shopify) answer the same totals."""
    header, rows = _order_lines(random.Random(11), repeated)
    path = _write(tmp_path / "orders.csv", header, rows, "gbk")
    freight = {r[0]: r[6] for r in rows if r[6] != ""}
    totals = {r[0]: r[7] for r in rows if r[7] != ""}
    kept = [r for r in rows if r[1] not in ("已退款", "已关闭")]
    answers = _ask(path, "运费总计", "订单实付金额总计", "销售额是多少", "一共有多少订单")
    assert answers[0].rows[0][-1] == pytest.approx(sum(freight.values()))
    assert answers[1].rows[0][-1] == pytest.approx(sum(totals.values()))
    assert answers[2].rows[0][-1] == pytest.approx(sum(r[5] for r in kept))  # the goods, paid orders only
    assert answers[3].rows[0][-1] == len(totals)


def test_a_number_repeated_on_an_orders_lines_that_is_no_amount_stays(tmp_path: Path) -> None:
    """A buyer's phone (or age) on each line of an order is no order amount: kept on every line."""
    header, rows = _order_lines(random.Random(5), repeated=True)
    header = [*header, "买家手机号", "年龄"]
    rows = [[*r, 13800000000 + int(r[0][2:]), 20 + int(r[0][2:]) % 40] for r in rows]
    connection = open_raw(_write(tmp_path / "lines.csv", header, rows))
    try:
        blank = connection.execute('SELECT COUNT(*) FILTER (WHERE "买家手机号" IS NULL), COUNT(*) FILTER '
                                   '(WHERE "年龄" IS NULL), COUNT(*) FILTER (WHERE "运费" IS NULL) FROM lines').fetchone()
    finally:
        connection.close()
    assert blank is not None and blank[0] == 0 and blank[1] == 0 and blank[2] > 0


# --- placeholders in number columns -----------------------------------------------------------

def test_plain_numbers_with_dashes_are_numbers_and_a_code_stays_text(tmp_path: Path) -> None:
    rows = [[f"2024-07-{d:02d}", ch, "-" if ch == "SMS" else 100 + d, "-" if d % 5 == 0 else f"{d:05d}", 5 * d]
            for d in range(1, 29) for ch in ("Email", "SMS")]
    columns = _columns(_write(tmp_path / "flows.csv", ["Day", "Channel", "Opens", "Store Code", "Clicks"], rows))
    assert columns["Opens"] == "BIGINT" and columns["Store Code"] == "VARCHAR"


# --- a Chinese ad platform report --------------------------------------------------------------

def _ad_report(path: Path) -> list[list[Any]]:
    rng = random.Random(8)
    header = ["时间", "计划名称", "消耗", "展示数", "点击数", "点击率", "转化数", "转化成本", "成交金额", "支付ROI"]
    rows: list[list[Any]] = []
    for d in range(60):
        for plan, scale in (("A计划", 1.0), ("B计划", 6.0), ("C计划", 0.2)):
            spend = round(500 * scale * rng.uniform(0.5, 1.5), 2)
            shown = int(spend * rng.uniform(20, 60))
            clicks = int(shown * rng.uniform(0.005, 0.05))
            conversions = int(clicks * rng.uniform(0.01, 0.2))
            gmv = round(conversions * rng.uniform(50, 150), 2)
            rows.append([str(date(2024, 7, 1) + timedelta(days=d)), plan, spend, shown, clicks,
                         f"{clicks / shown * 100:.2f}%", conversions, f"{spend / conversions:.2f}" if conversions else "-",
                         gmv, f"{gmv / spend:.2f}"])
    _write(path, header, [["总计", "-", *["-"] * 8], *rows], "utf-8-sig")
    return rows


@pytest.mark.parametrize(("question", "numerator", "denominator"), [
    ("点击率是多少", 4, 3), ("支付ROI是多少", 8, 2), ("转化成本是多少", 2, 6), ("cost per conversion", 2, 6)])
def test_a_chinese_ad_reports_rates_are_ratios_of_its_sums(tmp_path: Path, question: str, numerator: int,
                                                           denominator: int) -> None:
    rows = _ad_report(tmp_path / "巨量引擎_计划报表.csv")
    (answer,) = _ask(tmp_path / "巨量引擎_计划报表.csv", question)
    want = sum(float(r[numerator]) for r in rows) / sum(float(r[denominator]) for r in rows)
    assert answer.rows[0][-1] == pytest.approx(want), answer.sql


# --- words of a flow report and a deals export -------------------------------------------------

def _flows(path: Path) -> list[list[Any]]:
    rng = random.Random(2)
    rows = [[str(date(2024, 8, 1) + timedelta(days=d)), flow, channel, n, n - 3, int(n * 0.05),
             f"{int(n * 0.05) / (n - 3) * 100:.2f}%", f"${n * 1.7:,.2f}"]
            for d in range(40) for flow in ("Abandoned Cart", "Welcome", "Browse Abandonment")
            for channel in ("Email", "SMS") for n in [rng.randrange(200, 900)]]
    _write(path, ["Day", "Flow Name", "Channel", "Recipients", "Delivered", "Clicks", "Click Rate", "Revenue"], rows)
    return rows


def test_an_action_said_inside_a_value_is_the_value_and_total_is_one_number(tmp_path: Path) -> None:
    rows = _flows(tmp_path / "flow-report.csv")
    rate, total, split = _ask(tmp_path / "flow-report.csv", "click rate of the Abandoned Cart flow",
                              "total flow revenue", "flow revenue")
    cart = [r for r in rows if r[1] == "Abandoned Cart"]
    assert rate.rows[0][-1] == pytest.approx(sum(r[5] for r in cart) / sum(r[4] for r in cart))
    assert len(total.rows) == 1 and total.rows[0][-1] == pytest.approx(sum(r[3] * 1.7 for r in rows), rel=1e-3)
    assert len(split.rows) == 3


def _deals(path: Path) -> list[list[Any]]:
    rng = random.Random(4)
    rows = []
    for n in range(500):
        created = date(2023, 6, 1) + timedelta(days=rng.randrange(450))
        stage = rng.choice(["Closed Won", "Closed Lost", "Negotiation", "Discovery", "Closed Won"])
        closing = created + timedelta(days=rng.randrange(10, 200))  # an open deal's expected close date too
        rows.append([n + 1, stage, round(rng.uniform(1, 50)) * 1000, f"{created} 09:00", f"{closing} 00:00",
                     rng.choice(["Ann", "Bo"]), rng.choice(["New Business", "Renewals"])])
    _write(path, _DEAL_HEADER, rows)
    return rows


_DEAL_HEADER = ["Deal ID", "Stage", "Amount", "Create Date", "Close Date", "Deal Owner", "Pipeline"]


@pytest.mark.parametrize("question", ["won amount by month of close date in 2024",
                                      "won amount by close date month in 2024"])
def test_a_date_split_by_its_unit_is_also_the_date_its_period_is_of(tmp_path: Path, question: str) -> None:
    rows = _deals(tmp_path / "deals.csv")
    (answer,) = _ask(tmp_path / "deals.csv", question)
    want: dict[str, float] = {}
    for r in rows:
        if r[1] == "Closed Won" and r[4].startswith("2024"):
            want[r[4][:7]] = want.get(r[4][:7], 0) + r[2]
    assert {str(row[0])[:7]: row[-1] for row in answer.rows} == want


def test_open_deals_are_open_by_their_stage_when_open_deals_have_a_close_date(tmp_path: Path) -> None:
    rows = _deals(tmp_path / "deals.csv")
    rows[0][4] = ""  # one deal with no close date: the date column is optional
    _write(tmp_path / "deals.csv", _DEAL_HEADER, rows)
    opened, closed = _ask(tmp_path / "deals.csv", "how many open deals", "how many deals are closed")
    decided = sum(r[1] in ("Closed Won", "Closed Lost") for r in rows)
    assert opened.rows[0][-1] == len(rows) - decided and closed.rows[0][-1] == decided


# --- the five exports, scored as a user would run them ----------------------------------------

_UNTUNED = {"klaviyo": 0, "oceanengine": 0, "youzan": 0, "loyalty": 0, "deals": 2}
"""Each export and the wrong answers it is allowed: deals' two are a blank (no owner, no
reason) group shown beside the named ones, where the gold SQL leaves the blanks out."""


@pytest.mark.parametrize("name", sorted(_UNTUNED))
def test_an_untuned_export_holds_its_score(tmp_path: Path, name: str) -> None:
    cases = Path(__file__).resolve().parents[1] / "eval" / "byodata" / name
    data = build_file(name, tmp_path / "data")
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENBI_")}
    env.update(GENBI_HOME=str(tmp_path / "home"), HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", "genbi", "eval", str(cases), "--db", str(data), "--report", str(report)],
                          capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    results = json.loads(report.read_text())
    wrong = [c["id"] for c in results["cases"] if not c["ok"] and not c["declined"]]
    assert len(wrong) <= _UNTUNED[name], wrong
    assert results["summary"]["accuracy"] >= json.loads((cases / "threshold.json").read_text())["min_accuracy"]


def test_a_deals_pipeline_owner_and_average_are_its_own(tmp_path: Path) -> None:
    """'by pipeline' is HubSpot's Pipeline column (not the open-pipeline amount); 各负责人 is the
    deal owner (the Chinese of the label's English head); the average of won deals' amounts is
    the amount's average over those deals."""
    rows = _deals(tmp_path / "deals.csv")
    by_pipeline, by_owner, average = _ask(tmp_path / "deals.csv", "deal amount by pipeline", "各负责人的赢单金额",
                                          "average amount of closed won deals")
    pipelines: dict[str, float] = {}
    owners: dict[str, float] = {}
    for r in rows:
        pipelines[r[6]] = pipelines.get(r[6], 0) + r[2]
        if r[1] == "Closed Won":
            owners[r[5]] = owners.get(r[5], 0) + r[2]
    assert dict(by_pipeline.rows) == pytest.approx(pipelines)
    assert dict(by_owner.rows) == pytest.approx(owners)
    won = [r[2] for r in rows if r[1] == "Closed Won"]
    assert average.rows[0][-1] == pytest.approx(sum(won) / len(won))


def test_placed_orders_and_a_ledgers_transactions_are_counted(tmp_path: Path) -> None:
    rng = random.Random(6)
    flows = [[str(date(2024, 8, 1) + timedelta(days=d)), channel, rng.randrange(100, 500), rng.randrange(0, 9)]
             for d in range(60) for channel in ("Email", "SMS")]
    _write(tmp_path / "flows" / "flows.csv", ["Day", "Channel", "Recipients", "Placed Order"], flows)
    by_channel, august = _ask(tmp_path / "flows" / "flows.csv", "placed orders by channel", "8月的下单数")
    assert dict(by_channel.rows) == {c: sum(r[3] for r in flows if r[1] == c) for c in ("Email", "SMS")}
    assert august.rows[0][-1] == sum(r[3] for r in flows if r[0].startswith("2024-08"))
    ledger = [[f"T{n}", f"M{n % 40:03d}", f"{8 + n % 3:02d}/{1 + n % 28:02d}/2024", 10 * (1 + n % 5) * (-1 if n % 4 else 1)]
              for n in range(400)]
    _write(tmp_path / "ledger" / "points_ledger.csv", ["Txn ID", "Member ID", "Txn Date", "Points"], ledger)
    english, chinese = _ask(tmp_path / "ledger" / "points_ledger.csv", "how many transactions in August 2024",
                            "2024年8月有多少笔交易")
    assert english.rows[0][-1] == chinese.rows[0][-1] == sum(r[2].startswith("08/") for r in ledger)


@pytest.mark.parametrize(("question", "start", "end"), [("how many deals closed in 2024", "2024-01", "2025-01"),
                                                         ("deals closed in August 2024", "2024-08", "2024-09")])
def test_a_period_said_after_a_verb_is_of_the_date_the_verb_names(tmp_path: Path, question: str, start: str,
                                                                   end: str) -> None:
    """'deals closed in 2024' are those whose close date is in 2024, not those created in 2024."""
    rows = _deals(tmp_path / "deals.csv")
    rows[0][4] = ""
    _write(tmp_path / "deals.csv", _DEAL_HEADER, rows)
    (answer,) = _ask(tmp_path / "deals.csv", question)
    assert answer.rows[0][-1] == sum(r[1] in ("Closed Won", "Closed Lost") and start <= r[4][:7] < end for r in rows)


def test_first_time_buyers_without_customers_say_what_is_missing(tmp_path: Path) -> None:
    """A period was said: the decline names what is missing (whose first order), never the period."""
    rng = random.Random(9)
    _write(tmp_path / "orders.csv", ["Order ID", "Customer ID", "Order Date", "Amount"],
           [[n, f"C{rng.randrange(80)}", str(date(2024, 1, 1) + timedelta(days=rng.randrange(270))),
             round(rng.uniform(5, 90), 2)] for n in range(600)])
    assistant = Assistant.open(tmp_path / "orders.csv", as_of=AS_OF, llm=False)
    try:
        answer = assistant.answer(AnswerRequest("how many first-time buyers were there in September 2024", as_of=AS_OF,
                                                use_cache=False))
    finally:
        assistant.warehouse.close()
    assert answer.decline is not None and "first order" in answer.decline.reason and "name one" not in answer.decline.reason


@pytest.mark.parametrize("question", ["clicks by ad plan", "which plan had the most clicks", "各计划的点击数"])
def test_a_chinese_ad_plan_is_asked_as_a_plan_in_english(tmp_path: Path, question: str) -> None:
    rows = _ad_report(tmp_path / "巨量引擎_计划报表.csv")
    (answer,) = _ask(tmp_path / "巨量引擎_计划报表.csv", question)
    clicks = {plan: sum(r[4] for r in rows if r[1] == plan) for plan in ("A计划", "B计划", "C计划")}
    if "most" in question:
        assert tuple(answer.rows[0]) == max(clicks.items(), key=lambda item: item[1])
    else:
        assert dict(answer.rows) == clicks


def test_a_row_with_no_status_is_no_void_row(tmp_path: Path) -> None:
    """A status column that says some orders were refunded or closed leaves those out of sales;
    an order whose status cell is empty was never said to be void, so its money counts."""
    header, rows = _order_lines(random.Random(13), repeated=True)
    rows = [[*r[:1], "" if int(r[0][2:]) % 7 == 0 else r[1], *r[2:]] for r in rows]
    (answer,) = _ask(_write(tmp_path / "orders.csv", header, rows), "销售额是多少")
    assert answer.rows[0][-1] == pytest.approx(sum(r[5] for r in rows if r[1] not in ("已退款", "已关闭")))
