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
