"""How Chinese asks a count of orders ("2017年一共多少单", "每个用户平均下了几单") on a drafted model.

The demo model lists 多少单 / 几单 among its orders' words; a drafted one did not: on Superstore's
export (an Order ID on each line) and on Instacart's orders, both questions were declined ("我不理解
问题中的“单”"). A count of distinct order numbers, and a table of orders, now take those words.
(Orders per customer on such lines still declines: the draft has no ratio of them.)"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from genbi.assistant import AnswerRequest, Assistant


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Assistant, pd.DataFrame]]:
    rng = np.random.default_rng(11)
    orders = pd.DataFrame({"Order ID": [f"CA-{2016 + i % 2}-{100000 + i}" for i in range(300)],
                           "Customer ID": [f"C-{i % 40}" for i in range(300)],
                           "Order Date": pd.to_datetime("2016-01-01") + pd.to_timedelta(rng.integers(0, 730, 300), "D")})
    frame = orders.loc[orders.index.repeat(rng.integers(1, 4, len(orders)))].reset_index(drop=True)
    frame.insert(0, "Row ID", range(1, len(frame) + 1))
    frame["Sales"] = rng.integers(5, 500, len(frame)).astype(float)
    path = tmp_path_factory.mktemp("lines") / "Sample - Store.csv"
    frame.assign(**{"Order Date": frame["Order Date"].dt.strftime("%m/%d/%Y")}).to_csv(path, index=False)
    assistant = Assistant.open(path, llm=False)
    yield assistant, frame
    assistant.close()


def test_how_many_orders_said_in_chinese(lines: tuple[Assistant, pd.DataFrame]) -> None:
    assistant, frame = lines
    answer = assistant.answer(AnswerRequest(question="2017年一共多少单"))
    assert answer.rows, answer.narrative
    in_2017 = frame[frame["Order Date"].dt.year == 2017]["Order ID"].nunique()
    assert int(answer.rows[0][-1]) == in_2017

