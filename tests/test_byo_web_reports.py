"""Site-analytics reports by page or source and day (Universal Analytics' landing pages, 百度统计's
sources): a per-row rate whose parts the file lacks ('Bounce Rate' 45.67%, '% New Sessions', 'Pages
/ Session', 跳出率) is each row's rate weighed by its sessions or visits, and a duration printed as
a clock ('Avg. Session Duration' 00:01:57, 平均访问时长) is seconds, weighed the same way.

Before: bounce rate was the plain average of the rows' rates (0.4917 for 0.4940), conversion rate,
average session duration, pages per session and 跳出率 were declined."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant

SHAPES = {
    "ua": {"by": "Landing Page", "date": "Date", "base": "Sessions", "bounce": "Bounce Rate",
           "duration": "Avg. Session Duration", "pages": "Pages / Session", "orders": "Transactions",
           "rate": "Ecommerce Conversion Rate", "values": ["/", "/sale", "/blog/how-to-layer"]},
    "baidu": {"by": "来源", "date": "日期", "base": "访问次数", "bounce": "跳出率", "duration": "平均访问时长",
              "pages": "", "orders": "", "rate": "", "values": ["百度", "直接访问", "外部链接"]},
}
QUESTIONS = {
    "ua": {"bounce": "bounce rate", "bounce_by": "bounce rate by landing page", "duration": "average session duration",
           "pages": "pages per session", "rate": "conversion rate"},
    "baidu": {"bounce": "跳出率", "bounce_by": "各来源的跳出率", "duration": "平均访问时长"},
}


def _report(path: Path, shape: str) -> pd.DataFrame:
    names, rng = SHAPES[shape], random.Random(len(shape))
    rows = []
    day = date(2024, 5, 1)
    while day <= date(2024, 6, 30):
        for value in names["values"]:
            base = rng.randint(20, 900)
            rows.append({"by": value, "day": day, "base": base, "bounces": int(base * rng.uniform(0.3, 0.7)),
                         "seconds": int(rng.uniform(30, 240)), "pages": round(rng.uniform(1.5, 4), 2),
                         "orders": int(base * rng.uniform(0.005, 0.04))})
        day += timedelta(days=1)
    clean = pd.DataFrame(rows)
    clean["bounce"] = [round(b / s, 4) for b, s in zip(clean["bounces"], clean["base"], strict=True)]
    shown = pd.DataFrame({names["by"]: clean["by"], names["date"]: [d.strftime("%Y%m%d") for d in clean["day"]],
                          names["base"]: clean["base"], names["bounce"]: [f"{b * 100:.2f}%" for b in clean["bounce"]],
                          names["duration"]: [f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
                                              for s in clean["seconds"]]})
    if names["pages"]:
        shown[names["pages"]] = clean["pages"]
        shown[names["orders"]] = clean["orders"]
        shown[names["rate"]] = [f"{o / s * 100:.2f}%" for o, s in zip(clean["orders"], clean["base"], strict=True)]
    shown.to_csv(path, index=False, encoding="utf-8-sig" if shape == "baidu" else "utf-8")
    return clean


def _weighted(frame: pd.DataFrame, column: str) -> float:
    return float((frame[column] * frame["base"]).sum() / frame["base"].sum())


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_site_report_weighs_its_rates_by_sessions(tmp_path: Path, shape: str) -> None:
    path = tmp_path / f"{shape} report 20240501-20240630.csv"
    clean = _report(path, shape)
    said = QUESTIONS[shape]
    assistant = Assistant.open(path, llm=False)
    try:
        def rows(question: str) -> dict[object, object]:
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is None and answer.error is None, (question, answer.narrative)
            return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}

        assert rows(said["bounce"]) == {None: pytest.approx(_weighted(clean, "bounce"))}
        by = {value: _weighted(part, "bounce") for value, part in clean.groupby("by")}
        assert rows(said["bounce_by"]) == pytest.approx(by)
        assert rows(said["duration"]) == {None: pytest.approx(_weighted(clean, "seconds"))}
        if "pages" in said:
            assert rows(said["pages"]) == {None: pytest.approx(_weighted(clean, "pages"))}
            assert rows(said["rate"]) == {None: pytest.approx(clean["orders"].sum() / clean["base"].sum())}
    finally:
        assistant.warehouse.close()
