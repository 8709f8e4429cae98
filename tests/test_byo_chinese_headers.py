"""A Chinese marketer's own export, headers in Chinese ('订单编号', '销售额', '下单时间'), asked in
Chinese and in English. Its headers are read as the English words the drafter knows (订单编号 →
order number), so keys, dates, money, quantities, places and per-order values are found as on
an English file; a header with a word the lexicon lacks keeps its Chinese. Two files with
different headers for the same things, so what passes is the rule."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.semantic_layer import naming

SHAPES = {  # file -> role -> header
    "订单明细": {"id": "订单编号", "date": "订单日期", "place": "省份", "channel": "渠道", "money": "销售额",
             "quantity": "数量", "kind": "产品类别"},
    "店铺销售记录": {"id": "订单号", "date": "下单时间", "place": "城市", "channel": "平台", "money": "实付金额",
               "quantity": "购买数量", "kind": "商品分类"},
}


def _ask(assistant: Assistant, question: str) -> dict[object, object]:
    answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
    assert answer.decline is None and answer.error is None, (question, answer.narrative)
    return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_chinese_export_is_asked_in_chinese_and_english(tmp_path: Path, name: str) -> None:
    h = SHAPES[name]
    rng = random.Random(name)
    start = date(2024, 1, 1)
    frame = pd.DataFrame([{h["id"]: f"CN-{100000 + i}", h["date"]: (start + timedelta(days=rng.randrange(0, 540))).isoformat(),
                           h["place"]: rng.choice(["广东", "浙江", "北京"]), h["channel"]: rng.choice(["天猫", "京东", "抖音"]),
                           h["kind"]: rng.choice(["办公用品", "家具"]), h["money"]: round(rng.uniform(10, 900), 2),
                           h["quantity"]: rng.randrange(1, 9)} for i in range(1500)])
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    year = pd.to_datetime(frame[h["date"]]).dt.year
    in_2024 = frame[year == 2024]
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        by_channel = in_2024.groupby(h["channel"])[h["money"]].sum().to_dict()
        said = "渠道" if h["channel"] == "渠道" else "平台"
        assert _ask(assistant, f"2024年各{said}的销售额") == pytest.approx(by_channel)
        assert _ask(assistant, f"revenue by {'channel' if said == '渠道' else 'platform'} in 2024") == \
            pytest.approx(by_channel)
        assert _ask(assistant, "2025年的订单数") == {None: int((year == 2025).sum())}
        assert _ask(assistant, "how many orders in 2025") == {None: int((year == 2025).sum())}
        assert _ask(assistant, "客单价") == {None: pytest.approx(frame[h["money"]].sum() / len(frame))}
        assert _ask(assistant, f"各{'省份' if h['place'] == '省份' else '城市'}的销量") == \
            frame.groupby(h["place"])[h["quantity"]].sum().to_dict()
    finally:
        assistant.warehouse.close()


def test_a_header_with_an_unknown_word_keeps_its_chinese() -> None:
    assert naming.words("订单编号") == ["order", "number"] and naming.is_id_like("订单编号")
    assert naming.words("用户ID") == ["user", "id"]
    assert naming.words("鬼话连篇") == ["鬼话连篇"]  # no half translation
    assert naming.words("订单鬼话") == ["订单鬼话"]
    assert naming.clean_name("销售额") == "sales_amount"


KPI_REPORTS = {  # file -> (date, visits, orders, money, conversion rate, average order value)
    "shop_daily_kpis": ("Day", "Sessions", "Orders", "Total sales", "Conversion rate", "Average order value"),
    "店铺经营数据": ("统计日期", "访客数", "支付买家数", "支付金额", "支付转化率", "客单价"),
}


@pytest.mark.parametrize("name", sorted(KPI_REPORTS))
def test_a_daily_kpi_report_recomputes_its_rates_from_their_parts(tmp_path: Path, name: str) -> None:
    """A day's conversion rate or order value averaged over the days weighs a quiet day like a
    busy one: the month's rate is its orders over its visits, its order value its money over its
    orders. A Chinese rate or price the lexicon lacks is never summed."""
    day, visits, orders, money, rate, value = KPI_REPORTS[name]
    rng = random.Random(name)
    rows = []
    for i in range(120):
        seen = rng.randrange(500, 6000)
        bought = max(1, int(seen * rng.uniform(0.01, 0.06)))
        paid = round(bought * rng.uniform(60, 160), 2)
        rows.append({day: (date(2025, 1, 1) + timedelta(days=i)).isoformat(), visits: seen, orders: bought,
                     money: paid, rate: round(bought / seen, 4), value: round(paid / bought, 2)})
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    march = frame[pd.to_datetime(frame[day]).dt.month == 3]
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        zh = not name.isascii()
        found = _ask(assistant, "3月的转化率" if zh else "conversion rate in march")
        assert found == {None: pytest.approx(march[orders].sum() / march[visits].sum())}
        found = _ask(assistant, "3月的客单价" if zh else "aov in march")
        assert found == {None: pytest.approx(march[money].sum() / march[orders].sum())}
        assert _ask(assistant, "3月的销售额" if zh else "total sales in march") == \
            {None: pytest.approx(march[money].sum())}
    finally:
        assistant.warehouse.close()


def test_a_chinese_rate_the_lexicon_lacks_is_averaged_not_summed() -> None:
    assert naming.said_as_rate_zh("退货率") and naming.said_as_rate_zh("平均停留时长") and naming.said_as_rate_zh("件单价")
    assert not naming.said_as_rate_zh("销售额") and not naming.said_as_rate_zh("Average price")


def test_a_chinese_member_list_counts_members_and_keeps_their_phones_private(tmp_path: Path) -> None:
    """会员名单 (a member list): 用户ID keys its members, who are counted by city and by the day
    each signed up; 手机号 and 姓名 are personal data, never listed."""
    rng = random.Random(5)
    frame = pd.DataFrame({"用户ID": range(1, 301),
                          "姓名": [rng.choice("张李王赵") + rng.choice("一二三四") for _ in range(300)],
                          "手机号": [str(13800000000 + rng.randrange(10**7)) for _ in range(300)],
                          "城市": [rng.choice(["北京", "上海", "广州"]) for _ in range(300)],
                          "消费金额": [round(rng.uniform(10, 900), 2) for _ in range(300)],
                          "注册日期": [f"2025-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}" for _ in range(300)]})
    frame.to_csv(tmp_path / "会员名单.csv", index=False)
    assistant = Assistant.open(tmp_path / "会员名单.csv", llm=False)
    try:
        assert _ask(assistant, "各城市的会员数") == frame.groupby("城市").size().to_dict()
        assert _ask(assistant, "各城市的消费金额") == pytest.approx(frame.groupby("城市")["消费金额"].sum().to_dict())
        for question in ("列出会员的手机号", "list member names", "members by phone"):
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            shown = " ".join(str(v) for row in answer.rows for v in row)
            assert not any(phone in shown for phone in frame["手机号"]), question
            assert not any(name in shown for name in frame["姓名"]), question
    finally:
        assistant.warehouse.close()
