"""Ad-platform reports as users download them (Amazon Sponsored Products, a Walmart-style
sponsored-search report, Taobao 直通车, an Ocean-Engine-style 巨量 report): every rate and
ratio a marketer asks for (CTR, CPC, ROAS, ACOS, conversion rate, 点击率, 投入产出比) is the
ratio of the summed parts, never the sum or the row average of the report's own column.

Before: Amazon's 'Total Advertising Cost of Sales (ACOS)' answered "total sales" (98.2 for
47,472.88) and made ROAS 0.0078; '7 Day Total Sales' was no metric (its 'Day' read as a
calendar part); CPC was the average of the rows' CPC; 直通车's 展现量/点击量 were unread, so
点击率 and 投入产出比 were row averages and "各计划的花费" was declined."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

ROLES = ("date", "campaign", "impressions", "clicks", "spend", "sales", "orders", "ctr", "cpc", "acos", "roas")
SHAPES: dict[str, dict[str, str]] = {
    "amazon": dict(zip(ROLES, ("Date", "Campaign Name", "Impressions", "Clicks", "Spend", "7 Day Total Sales ",
                               "7 Day Total Orders (#)", "Click-Thru Rate (CTR)", "Cost Per Click (CPC)",
                               "Total Advertising Cost of Sales (ACOS) ",
                               "Total Return on Advertising Spend (ROAS)"), strict=True)),
    "walmart": dict(zip(ROLES, ("Day", "Ad Campaign", "Impr", "Clicks", "Ad Spend", "14 Day Attributed Sales",
                                "14 Day Attributed Orders", "Click Through Rate (CTR)", "Cost Per Click (CPC)",
                                "Advertising Cost Of Sales (ACOS)", "Return On Ad Spend (ROAS)"), strict=True)),
    "zhitongche": dict(zip(ROLES, ("日期", "计划名称", "展现量", "点击量", "花费", "成交金额", "成交笔数", "点击率",
                                   "平均点击花费", "", "投入产出比"), strict=True)),
    "juliang": dict(zip(ROLES, ("日期", "推广计划", "曝光量", "点击数", "消耗", "成交金额", "订单数", "点击率", "",
                                "", "投产比"), strict=True)),
    "google_zh": dict(zip(ROLES, ("天", "广告系列", "展示次数", "点击次数", "费用", "转化价值", "转化次数", "点击率",
                                  "平均每次点击费用", "", ""), strict=True)),
}
ZH = ("zhitongche", "juliang", "google_zh")
CAMPAIGNS = {"amazon": ["SP - Auto", "SP - Exact - rain jacket", "SB - Video"],
             "walmart": ["Sponsored Search | Jackets", "Sponsored Search | Boots", "Brand Amplifier"],
             "zhitongche": ["日常推广-连衣裙", "大促-双11预热", "新品测款-防晒衣"],
             "juliang": ["抖音-直播间引流", "抖音-短视频种草", "头条-信息流"],
             "google_zh": ["搜索-品牌词", "购物广告-全部商品", "效果最大化"]}


def _report(path: Path, shape: str) -> pd.DataFrame:
    """The file (money and rates as text, a totals row at the bottom) and the clean numbers."""
    names, rng = SHAPES[shape], random.Random(len(shape))
    rows = []
    day = date(2024, 6, 1)
    while day <= date(2024, 8, 31):
        for n, campaign in enumerate(CAMPAIGNS[shape]):
            spend = round(rng.uniform(20, 80) * (n + 1), 2)
            clicks = max(1, int(spend / rng.uniform(0.6, 1.4)))
            orders = int(clicks * rng.uniform(0.02, 0.15))
            rows.append({"date": day, "campaign": campaign, "impressions": int(clicks / rng.uniform(0.002, 0.03)),
                         "clicks": clicks, "spend": spend, "sales": round(orders * rng.uniform(30, 90), 2),
                         "orders": orders})
        day += timedelta(days=1)
    clean = pd.DataFrame(rows)
    zh = shape in ZH
    shown = pd.DataFrame({
        names["date"]: [d.strftime("%Y%m%d") if zh else d.strftime("%b %d, %Y") for d in clean["date"]],
        names["campaign"]: clean["campaign"], names["impressions"]: clean["impressions"], names["clicks"]: clean["clicks"],
        names["ctr"]: [f"{c / i * 100:.2f}%" for c, i in zip(clean["clicks"], clean["impressions"], strict=True)],
        names["spend"]: clean["spend"] if zh else [f"$ {s:,.2f}" for s in clean["spend"]],
        names["sales"]: clean["sales"] if zh else [f"$ {s:,.2f}" for s in clean["sales"]],
        names["orders"]: clean["orders"],
        })
    if names["roas"]:
        shown[names["roas"]] = [round(v / s, 2) for v, s in zip(clean["sales"], clean["spend"], strict=True)]
    if names["cpc"]:
        shown[names["cpc"]] = [round(s / c, 2) for s, c in zip(clean["spend"], clean["clicks"], strict=True)]
    if names["acos"]:
        shown[names["acos"]] = [f"{s / v * 100:.2f}%" if v else "" for s, v in zip(clean["spend"], clean["sales"],
                                                                                  strict=True)]
    total = {c: "" for c in shown.columns}
    total.update({names["date"]: "合计" if zh else "Total", names["impressions"]: clean["impressions"].sum(),
                  names["clicks"]: clean["clicks"].sum(), names["orders"]: clean["orders"].sum(),
                  names["spend"]: round(clean["spend"].sum(), 2) if zh else f"$ {clean['spend'].sum():,.2f}",
                  names["sales"]: round(clean["sales"].sum(), 2) if zh else f"$ {clean['sales'].sum():,.2f}"})
    pd.concat([shown, pd.DataFrame([total])], ignore_index=True).to_csv(path, index=False,
                                                                       encoding="utf-8-sig" if zh else "utf-8")
    return clean


def _ratio(frame: pd.DataFrame, top: str, bottom: str) -> float:
    return float(frame[top].sum() / frame[bottom].sum())


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_an_ad_report_recomputes_its_ratios_from_the_parts(tmp_path: Path, shape: str) -> None:
    path = tmp_path / f"{shape}_report.csv"
    clean = _report(path, shape)
    by_campaign = clean.groupby("campaign")
    zh = shape in ZH
    campaign = {"zhitongche": "计划", "juliang": "计划", "google_zh": "广告系列"}.get(shape, "campaign")
    assistant = Assistant.open(path, llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        said = {"spend": "总花费" if zh else "total spend", "sales": SHAPES[shape]["sales"] if zh else "total sales",
                "orders": SHAPES[shape]["orders"] if zh else "how many orders", "ctr": "点击率" if zh else "CTR",
                "roas": "投入产出比" if zh else "ROAS", "cpc": "平均点击花费" if zh else "average CPC",
                "cvr": "转化率" if zh else "conversion rate"}
        assert rows(said["spend"]) == {None: pytest.approx(clean["spend"].sum())}
        assert rows(said["sales"]) == {None: pytest.approx(clean["sales"].sum())}
        assert rows(said["orders"]) == {None: clean["orders"].sum()}
        assert rows(said["ctr"]) == {None: pytest.approx(_ratio(clean, "clicks", "impressions"))}
        assert rows(said["roas"]) == {None: pytest.approx(_ratio(clean, "sales", "spend"))}
        assert rows(said["cpc"]) == {None: pytest.approx(_ratio(clean, "spend", "clicks"))}
        assert rows(said["cvr"]) == {None: pytest.approx(_ratio(clean, "orders", "clicks"))}
        roas = (by_campaign["sales"].sum() / by_campaign["spend"].sum()).to_dict()
        assert rows(f"各{campaign}的投入产出比" if zh else "ROAS by campaign") == pytest.approx(roas)
        spend = by_campaign["spend"].sum().to_dict()
        assert rows(f"各{campaign}的花费" if zh else "spend by campaign") == pytest.approx(spend)
        months = clean.groupby(clean["date"].map(lambda d: d.replace(day=1)))
        ctr = (months["clicks"].sum() / months["impressions"].sum()).to_dict()
        assert rows("每月点击率" if zh else "CTR by month") == pytest.approx(ctr)
        if not zh:
            assert rows("ACOS") == {None: pytest.approx(_ratio(clean, "spend", "sales"))}
            assert rows("orders by month") == months["orders"].sum().to_dict()
    finally:
        assistant.warehouse.close()


@pytest.mark.parametrize("shape", ["walmart", "zhitongche"])
def test_numbers_a_spreadsheet_stores_as_text_are_numbers(tmp_path: Path, shape: str) -> None:
    """A platform's .xlsx with a title row and every number stored as text ('15267', '294.58'):
    before, only the percent-text CTR was read as a number, and "总花费" / "total spend" was declined."""
    clean = _report(tmp_path / "report.csv", shape)
    text = pd.read_csv(tmp_path / "report.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    path = tmp_path / ("推广报表.xlsx" if shape in ZH else "Sponsored Search Report.xlsx")
    with pd.ExcelWriter(path) as out:
        pd.DataFrame([["推广计划报表 2024-06-01 至 2024-08-31" if shape in ZH else "Campaign report, Jun-Aug 2024"]]
                     ).to_excel(out, index=False, header=False)
        text.to_excel(out, index=False, startrow=2)
    assistant = Assistant.open(path, llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        zh = shape in ZH
        assert rows("总花费" if zh else "total spend") == {None: pytest.approx(clean["spend"].sum())}
        assert rows("点击率" if zh else "CTR") == {None: pytest.approx(_ratio(clean, "clicks", "impressions"))}
        by_campaign = clean.groupby("campaign")
        roas = (by_campaign["sales"].sum() / by_campaign["spend"].sum()).to_dict()
        assert rows("各计划的投入产出比" if zh else "ROAS by campaign") == pytest.approx(roas)
    finally:
        assistant.warehouse.close()
