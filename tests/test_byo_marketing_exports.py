"""Marketing exports nobody tuned genbi for, zero config: a Stripe payments export, a Klaviyo
campaign report, Salesforce opportunities, an AppsFlyer install report, the UCI bank call
campaign and a 有赞 order export (generators in ``byo_marketing_exports``); every number is
checked against pandas on the generator's clean values.

Before: failed and refunded Stripe charges and 有赞's 已退款 / 交易关闭 orders were summed as
sales (总销售额 246,194 for 182,405; the amounts under their own names still sum every row); Salesforce's 'Grand Total (400 records)' row was counted
as an opportunity and doubled the amount; Klaviyo's open rate was the 'Open Rate' column
weighed by recipients (its 'Opens', 'Delivered' … were read as codes), and unsubscribe rate,
bounce rate, CPI, install rate, won revenue, open pipeline, average deal size, 退款率 and
买家数 were declined."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import byo_marketing_exports as exports
import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

Rows = Callable[[str], dict[object, object]]


def _key(value: object) -> object:
    return value.isoformat()[:10] if isinstance(value, date | pd.Timestamp) else value


@pytest.fixture
def ask(tmp_path: Path) -> Iterator[Callable[[Callable[[Path], pd.DataFrame], str], tuple[Rows, pd.DataFrame, Any]]]:
    """Open the file a generator writes and ask questions of it; the rows keyed by their first column."""
    opened: list[Assistant] = []

    def open_file(generator: Callable[[Path], pd.DataFrame], name: str) -> tuple[Rows, pd.DataFrame, Any]:
        path = tmp_path / name
        clean = generator(path)
        assistant = Assistant.open(path, llm=False)
        opened.append(assistant)

        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {_key(row[0]) if len(row) > 1 else None: row[-1] for row in answer.rows}

        return rows, clean, assistant

    yield open_file
    for assistant in opened:
        assistant.warehouse.close()


def _months(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.to_period("M").dt.to_timestamp().map(lambda t: t.date().isoformat())


def _one(value: float) -> dict[object, object]:
    return {None: pytest.approx(value)}


def test_stripe_revenue_leaves_failed_and_refunded_charges_out(ask: Any) -> None:
    rows, clean, _ = ask(exports.stripe, "payments.csv")
    paid = clean[clean["status"] == "succeeded"]
    not_failed = clean[clean["status"] != "failed"]
    assert rows("total revenue") == _one(paid["amount"].sum())
    assert rows("总收入") == _one(paid["amount"].sum())
    assert rows("net revenue") == _one((not_failed["amount"] - not_failed["refunded"]).sum())
    # the column under its own name still sums every charge; "revenue" is what came in
    assert rows("total payment amount") == _one(clean["amount"].sum())
    assert rows("average payment amount") == _one(clean["amount"].mean())
    assert rows("revenue by status") == pytest.approx({"succeeded": paid["amount"].sum()})
    by_month = paid.groupby(_months(paid["created"]))["amount"].sum()
    assert rows("revenue by month") == pytest.approx(by_month.to_dict())
    assert rows("每月收入") == pytest.approx(by_month.to_dict())
    assert rows("revenue by description") == pytest.approx(paid.groupby("description")["amount"].sum().to_dict())
    refund_rate = (clean["status"] == "refunded").sum() / len(not_failed)
    assert rows("refund rate") == _one(refund_rate)
    assert rows("退款率") == _one(refund_rate)
    # counts and the refunds themselves stay whole
    assert rows("how many payments") == {None: len(clean)}
    assert rows("how many failed payments") == {None: (clean["status"] == "failed").sum()}
    assert rows("payments by status") == clean.groupby("status").size().to_dict()
    assert rows("total refunded") == _one(clean["refunded"].sum())
    assert rows("total fees") == _one(clean["fee"].sum())


def test_klaviyo_rates_are_of_the_delivered_emails(ask: Any) -> None:
    rows, clean, _ = ask(exports.klaviyo, "campaigns.csv")
    delivered = clean["delivered"].sum()
    assert rows("open rate") == _one(clean["unique_opens"].sum() / delivered)
    assert rows("打开率") == _one(clean["unique_opens"].sum() / delivered)
    assert rows("click rate") == _one(clean["clicks"].sum() / delivered)
    assert rows("unsubscribe rate") == _one(clean["unsubscribes"].sum() / delivered)
    assert rows("退订率") == _one(clean["unsubscribes"].sum() / delivered)
    assert rows("bounce rate") == _one(clean["bounces"].sum() / clean["recipients"].sum())
    months = clean.groupby(_months(clean["send"]))
    assert rows("open rate by month") == pytest.approx(
        (months["unique_opens"].sum() / months["delivered"].sum()).to_dict())
    assert rows("每月收入") == pytest.approx(months["revenue"].sum().to_dict())
    assert rows("total recipients") == _one(clean["recipients"].sum())
    assert rows("total unsubscribes") == _one(clean["unsubscribes"].sum())
    top = clean.set_index("campaign")["revenue"].nlargest(5)
    assert rows("top 5 campaigns by revenue") == pytest.approx(top.to_dict())


def test_salesforce_won_revenue_is_the_closed_won_amount(ask: Any) -> None:
    rows, clean, _ = ask(exports.salesforce, "opportunities.csv")
    won = clean[clean["stage"] == "Closed Won"]
    decided = clean[clean["stage"].isin(["Closed Won", "Closed Lost"])]
    still_open = clean[~clean["stage"].isin(["Closed Won", "Closed Lost"])]
    assert rows("how many opportunities") == {None: len(clean)}  # the 'Grand Total' row is no opportunity
    assert rows("total amount") == _one(clean["amount"].sum())
    assert rows("won revenue") == _one(won["amount"].sum())
    assert rows("total closed won amount") == _one(won["amount"].sum())
    assert rows("average deal size") == _one(won["amount"].mean())
    assert rows("open pipeline") == _one(still_open["amount"].sum())
    assert rows("win rate") == _one(len(won) / len(decided))
    assert rows("赢单率") == _one(len(won) / len(decided))
    by_source = won.groupby("source").size() / decided.groupby("source").size()
    assert rows("win rate by lead source") == pytest.approx(by_source.to_dict())
    by_owner = won.groupby("owner")["amount"].sum().to_dict()
    assert rows("won amount by owner") == pytest.approx(by_owner)
    assert rows("各负责人的赢单金额") == pytest.approx(by_owner)
    assert rows("won revenue by month") == pytest.approx(won.groupby(_months(won["close"]))["amount"].sum().to_dict())
    assert rows("how many deals did we win") == {None: len(won)}
    assert rows("opportunities by stage") == clean.groupby("stage").size().to_dict()


def test_appsflyer_cpi_roas_and_install_rate_come_from_the_sums(ask: Any) -> None:
    rows, clean, _ = ask(exports.appsflyer, "installs.csv")
    sources = clean.groupby("source")
    assert rows("total installs") == {None: clean["installs"].sum()}
    assert rows("CPI") == _one(clean["cost"].sum() / clean["installs"].sum())
    assert rows("每次安装成本") == _one(clean["cost"].sum() / clean["installs"].sum())
    assert rows("CPI by media source") == pytest.approx((sources["cost"].sum() / sources["installs"].sum()).to_dict())
    assert rows("ROAS") == _one(clean["revenue"].sum() / clean["cost"].sum())
    assert rows("ROAS by media source") == pytest.approx(
        (sources["revenue"].sum() / sources["cost"].sum()).to_dict())
    assert rows("install rate") == _one(clean["installs"].sum() / clean["clicks"].sum())
    assert rows("CTR") == _one(clean["clicks"].sum() / clean["impressions"].sum())
    assert rows("各渠道的安装量") == sources["installs"].sum().to_dict()
    # each row's retention is a share of its own installs (printed to a tenth of a percent)
    shown = {day: (clean[day] * 100).round(1) / 100 * clean["installs"] for day in ("d1", "d7")}
    assert rows("day 7 retention") == _one(shown["d7"].sum() / clean["installs"].sum())
    assert rows("次日留存率") == _one(shown["d1"].sum() / clean["installs"].sum())
    assert rows("day 1 retention by media source") == pytest.approx(
        (shown["d1"].groupby(clean["source"]).sum() / sources["installs"].sum()).to_dict())
    assert rows("cost by month") == pytest.approx(clean.groupby(_months(clean["date"]))["cost"].sum().to_dict())
    top = clean.groupby("campaign")["installs"].sum().nlargest(3)
    assert rows("top 3 campaigns by installs") == top.to_dict()


def test_bank_calls_yes_no_outcome_is_the_conversion(ask: Any) -> None:
    rows, clean, _ = ask(exports.bank_calls, "bank-additional-full.csv")
    said_yes = clean["y"] == "yes"
    assert rows("conversion rate") == _one(said_yes.mean())
    assert rows("转化率") == _one(said_yes.mean())
    assert rows("how many clients subscribed") == {None: said_yes.sum()}
    by_job = said_yes.groupby(clean["job"]).mean().to_dict()
    assert rows("conversion rate by job") == pytest.approx(by_job)
    assert rows("各职业的转化率") == pytest.approx(by_job)
    assert rows("conversion rate by month") == pytest.approx(said_yes.groupby(clean["month"]).mean().to_dict())
    assert rows("conversion rate by contact") == pytest.approx(said_yes.groupby(clean["contact"]).mean().to_dict())
    assert rows("subscription rate by marital status") == pytest.approx(
        said_yes.groupby(clean["marital"]).mean().to_dict())
    assert rows("average call duration") == _one(clean["duration"].mean())
    assert rows("clients by job") == clean.groupby("job").size().to_dict()


def test_youzan_sales_leave_refunded_and_closed_orders_out(ask: Any) -> None:
    rows, clean, _ = ask(exports.youzan, "订单导出.csv")
    kept = clean[~clean["status"].isin(["已退款", "交易关闭"])]
    paid = clean[clean["status"] != "交易关闭"]
    assert rows("总销售额") == _one(kept["paid"].sum())
    assert rows("total sales") == _one(kept["paid"].sum())
    assert rows("客单价") == _one(kept["paid"].mean())
    by_province = kept.groupby("province")["paid"].sum().to_dict()
    assert rows("各省份的销售额") == pytest.approx(by_province)
    assert rows("sales by province") == pytest.approx(by_province)
    assert rows("每月销售额") == pytest.approx(kept.groupby(_months(kept["placed"]))["paid"].sum().to_dict())
    assert rows("销售额最高的5个商品") == pytest.approx(kept.groupby("product")["paid"].sum().nlargest(5).to_dict())
    refund_rate = (clean["status"] == "已退款").sum() / len(paid)
    assert rows("退款率") == _one(refund_rate)
    assert rows("refund rate") == _one(refund_rate)
    assert rows("订单数") == {None: len(clean)}
    assert rows("各订单状态的订单数") == clean.groupby("status").size().to_dict()
    assert rows("总优惠金额") == _one(clean["discount"].sum())
    assert rows("买家数") == {None: clean["buyer"].nunique()}


REWORDED: list[tuple[Callable[[Path], pd.DataFrame], str, tuple[str, ...]]] = [
    (exports.stripe, "payments.csv", ("total revenue", "revenue in total", "how much revenue did we make")),
    (exports.stripe, "payments.csv", ("revenue by month", "monthly revenue")),
    (exports.klaviyo, "campaigns.csv", ("unsubscribe rate", "what was the unsubscribe rate")),
    (exports.salesforce, "opportunities.csv", ("won revenue by owner", "won revenue for each opportunity owner",
                                               "closed won amount by opportunity owner")),
    (exports.appsflyer, "installs.csv", ("CPI by media source", "cost per install by media source")),
    (exports.appsflyer, "installs.csv", ("install rate", "click to install rate")),
    (exports.bank_calls, "bank.csv", ("conversion rate by job", "subscription rate by job")),
    (exports.youzan, "订单导出.csv", ("各省份的销售额", "每个省份的销售额", "按省份看销售额")),
    (exports.youzan, "订单导出.csv", ("退款率", "退款比例")),
]


@pytest.mark.parametrize(("generator", "name", "questions"), REWORDED, ids=[r[2][0] for r in REWORDED])
def test_a_reworded_question_reads_the_same(ask: Any, generator: Callable[[Path], pd.DataFrame], name: str,
                                            questions: tuple[str, ...]) -> None:
    _, _, assistant = ask(generator, name)
    specs = [assistant.answer(AnswerRequest(q, use_cache=False, session_id=q)).spec for q in questions]
    assert specs[0] is not None
    assert all(spec == specs[0] for spec in specs), questions


UNKNOWN: list[tuple[Callable[[Path], pd.DataFrame], str, str]] = [
    (exports.stripe, "payments.csv", "total revenue from platinum tier customers"),
    (exports.klaviyo, "campaigns.csv", "unsubscribe rate for the VIP segment on mobile devices"),
    (exports.salesforce, "opportunities.csv", "won revenue in the EMEA territory"),
    (exports.appsflyer, "installs.csv", "installs on android devices"),
    (exports.bank_calls, "bank.csv", "conversion rate for clients with a credit score above 700"),
    (exports.youzan, "订单导出.csv", "会员等级为黄金的总销售额"),
]


@pytest.mark.parametrize(("generator", "name", "question"), UNKNOWN, ids=[u[2] for u in UNKNOWN])
def test_an_added_unknown_condition_still_declines(ask: Any, generator: Callable[[Path], pd.DataFrame], name: str,
                                                   question: str) -> None:
    _, _, assistant = ask(generator, name)
    answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
    assert answer.spec is None and answer.decline is not None, (question, answer.rows)


@pytest.mark.parametrize(("label", "total"), [("Grand Total (400 records)", True), ("Total (USD)", True),
                                              ("合计（12条）", True), ("Total: Account", True),
                                              ("Total Wine (NY)", False), ("Totally Fit (Gym)", False)])
def test_a_totals_label_may_say_how_many_rows_it_sums(label: str, total: bool) -> None:
    import re

    from genbi.semantic_layer.sources import TOTAL_LABEL

    assert bool(re.fullmatch(TOTAL_LABEL, label.strip(), re.IGNORECASE)) is total


def _table(values: dict[str, list[object]], name: str = "orders") -> Any:
    from genbi.semantic_layer.introspection import ColumnInfo, TableInfo

    columns = [ColumnInfo(name, "VARCHAR", distinct=len(v), values=v, clean=name.lower().replace(" ", "_"))
               for name, v in values.items()]
    return TableInfo(name, 100, columns, clean=name)


@pytest.mark.parametrize(("values", "left_out"), [
    ({"Status": ["succeeded", "failed", "refunded"]}, ("failed", "refunded")),
    ({"订单状态": ["交易成功", "已退款", "交易关闭"]}, ("交易关闭", "已退款")),
    ({"Financial Status": ["paid", "partially_refunded", "voided"]}, ("voided",)),
    ({"Status": ["open", "closed"]}, None),  # Shopify's closed orders were paid
    ({"Status": ["failed", "refunded"]}, None),  # nothing was ever paid: no rows to keep
    ({"Status": ["paid", "failed"], "Payment Status": ["ok", "declined"]}, None),  # two statuses disagree
    ({"Description": ["paid", "failed"]}, None),  # not a status column
])
def test_which_status_values_leave_a_row_out_of_the_money(values: dict[str, list[object]],
                                                          left_out: tuple[str, ...] | None) -> None:
    from genbi.semantic_layer.void_rows import void_status

    status = void_status(_table(values))
    assert (status.left_out if status else None) == left_out


def test_a_contracts_status_leaves_its_amount_whole() -> None:
    """A cancelled insurance policy's premium, a cancelled subscription's fee: what became of a
    contract, not an unpaid purchase (the insurance eval sums every policy's premium)."""
    from genbi.semantic_layer.void_rows import void_status

    assert void_status(_table({"Policy Status": ["Active", "Cancelled"]}, "policy")) is None
    assert void_status(_table({"Status": ["Active", "Cancelled"]}, "subscriptions")) is None
    assert void_status(_table({"Status": ["paid", "cancelled"]}, "export")) is None
    assert void_status(_table({"Status": ["paid", "cancelled"], "order_id": [1, 2]}, "export")) is not None
