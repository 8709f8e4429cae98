""""How many orders over 500 yuan" on a marketer's own order export (no roles drafted): the
condition is each order's own sales, the file's one sum of money named as its sales (a profit
column beside it is never the order's value). Two files with different names and languages."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

FILES = {  # file -> (id, date, channel, sales, profit)
    "orders_export": ("order_id", "order_date", "channel", "sales_amount", "profit"),
    "订单导出": ("订单编号", "下单日期", "渠道", "销售额", "利润"),
}


def _number(assistant: Assistant, question: str) -> float:
    answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
    assert answer.decline is None and answer.error is None, (question, answer.narrative)
    assert len(answer.rows) == 1 and len(answer.rows[0]) == 1, answer.rows
    return float(answer.rows[0][0])


@pytest.mark.parametrize("name", sorted(FILES))
def test_an_amount_after_orders_is_each_orders_sales(tmp_path: Path, name: str) -> None:
    key, day, channel, sales, profit = FILES[name]
    rng = random.Random(name)
    frame = pd.DataFrame([{key: 100000 + i, day: f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                           channel: rng.choice(["tmall", "jd", "douyin"]),
                           sales: round(rng.uniform(50, 1500), 2), profit: round(rng.uniform(5, 600), 2)}
                          for i in range(800)])
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        assert _number(assistant, "how many orders over 500 yuan") == int((frame[sales] > 500).sum())
        assert _number(assistant, "sales from orders over 1000 yuan") == pytest.approx(
            frame.loc[frame[sales] > 1000, sales].sum())
    finally:
        assistant.warehouse.close()
