"""A shop platform's own order export named in Chinese (抖店订单导出_20251201.csv: 主订单编号,
下单时间, 选购商品, 订单应付金额, 流量来源, 达人昵称, 订单状态): the file's and headers' words
were unknown (抖店, 主订单, 应付, 选购, 流量), so the file was no orders table: "各省份的订单数",
"上个月的客单价" were declined and "各流量来源的销售额" had no sales. The platform's words are
now read; each answer is checked against pandas on the raw rows (closed orders never paid)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from genbi.assistant import AnswerRequest, Assistant

_SESSIONS = itertools.count()


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    rng = np.random.default_rng(5)
    n = 3000
    placed = pd.Timestamp("2025-09-01") + pd.to_timedelta(rng.integers(0, 91 * 24 * 3600, n), unit="s")
    quantity = rng.integers(1, 4, n)
    frame = pd.DataFrame({"主订单编号": [f"69{1000000 + i}" for i in range(n)],
                          "下单时间": placed.strftime("%Y/%m/%d %H:%M:%S"),
                          "选购商品": rng.choice(["保湿面霜", "精华液", "洁面乳"], n), "商品数量": quantity,
                          "订单应付金额": (quantity * rng.choice([59.9, 89.0, 129.0], n)).round(2),
                          "支付方式": rng.choice(["抖音支付", "微信", "支付宝"], n),
                          "省": rng.choice(["广东省", "浙江省", "四川省"], n),
                          "流量来源": rng.choice(["直播", "短视频", "商品卡"], n),
                          "订单状态": rng.choice(["已完成", "已完成", "已完成", "已关闭"], n)})
    path = tmp_path_factory.mktemp("douyin") / "抖店订单导出_20251201.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path, frame


@pytest.fixture(scope="module")
def chat(export: tuple[Path, pd.DataFrame]) -> Assistant:
    assistant = Assistant.open(export[0], llm=False)
    yield assistant
    assistant.close()


def _by(chat: Assistant, question: str) -> dict[str, float]:
    answer = chat.answer(AnswerRequest(question, session_id=f"dy-{next(_SESSIONS)}"))
    assert answer.spec is not None and not answer.error and answer.tool_call is None, (question, answer.narrative)
    return {str(row[0]): float(row[-1]) for row in answer.rows}


def _paid(export: tuple[Path, pd.DataFrame]) -> pd.DataFrame:
    raw = export[1]
    return raw[raw["订单状态"] != "已关闭"]


@pytest.mark.parametrize("question", ["各流量来源的销售额", "sales by traffic source"])
def test_sales_by_traffic_source(chat: Assistant, export: tuple[Path, pd.DataFrame], question: str) -> None:
    expected = _paid(export).groupby("流量来源")["订单应付金额"].sum().to_dict()
    assert _by(chat, question) == pytest.approx(expected)


def test_orders_by_province(chat: Assistant, export: tuple[Path, pd.DataFrame]) -> None:
    """Orders placed, closed ones included (as the file counts them); sales are the paid ones."""
    assert _by(chat, "各省份的订单数") == export[1].groupby("省")["主订单编号"].nunique().to_dict()


def test_average_order_value(chat: Assistant, export: tuple[Path, pd.DataFrame]) -> None:
    paid = _paid(export)
    answer = chat.answer(AnswerRequest("客单价", session_id="dy-aov"))
    assert answer.spec is not None and len(answer.rows) == 1, answer.narrative
    assert float(answer.rows[0][-1]) == pytest.approx(paid["订单应付金额"].sum() / paid["主订单编号"].nunique())
