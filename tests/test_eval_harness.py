"""The harness with fake answerers: scoring, conversations, errors, report, threshold, CLI entry."""

from __future__ import annotations

import io
import json
from datetime import date
from itertools import count
from pathlib import Path

import duckdb
import pytest

from genbi.assistant.answer import Answer, AnswerRequest, Decline, ToolCall
from genbi.eval import main_eval, run_eval
from genbi.eval.cases import EvalCase
from genbi.eval.harness import Answerer, GoldRunner, connect_read_only, run_cases
from genbi.eval.report import render_text
from genbi.eval.threshold import Threshold, check_threshold, load_threshold
from genbi.settings import DEMO_AS_OF

CASES = [
    {
        "id": "rev_total",
        "question": "total revenue",
        "lang": "en",
        "tags": ["metric", "revenue"],
        "gold_sql": "SELECT SUM(revenue) AS revenue FROM orders",
    },
    {
        "id": "rev_by_month",
        "question": "每月销售额",
        "lang": "zh",
        "tags": ["trend", "revenue"],
        "gold_sql": "SELECT CAST(DATE_TRUNC('month', ordered_at) AS DATE) AS month, SUM(revenue) AS revenue "
        "FROM orders GROUP BY 1",
    },
    {
        "id": "top_channel",
        "question": "top 2 sales channels by revenue",
        "lang": "en",
        "tags": ["ranking"],
        "ordered": True,
        "gold_sql": "SELECT sales_channel, SUM(revenue) AS revenue FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 2",
    },
    {
        "id": "fu_orders",
        "question": "what about orders?",
        "lang": "en",
        "tags": ["followup", "orders"],
        "context": ["total revenue", "now for the app"],
        "as_of": "2024-02-29",
        "gold_sql": "SELECT COUNT(*) AS orders FROM orders WHERE sales_channel = 'app'",
    },
    {
        "id": "dec_weather",
        "question": "weather tomorrow?",
        "lang": "en",
        "tags": ["decline"],
        "expect_decline": True,
    },
    {
        "id": "zh_dec_vague",
        "question": "数据怎么样",
        "lang": "zh",
        "tags": ["decline"],
        "expect_decline": True,
    },
]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "mini.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "CREATE TABLE orders (order_id BIGINT, ordered_at TIMESTAMP, sales_channel VARCHAR, revenue DOUBLE)"
        )
        connection.execute(
            """INSERT INTO orders VALUES
            (1, '2025-01-03 10:00', 'app', 100.0), (2, '2025-01-20 12:30', 'tmall', 250.5),
            (3, '2025-02-02 08:00', 'app', 80.25), (4, '2025-02-14 20:00', 'jd', 60.0)"""
        )
    return path


def write_cases(path: Path, cases: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8"
    )
    return path


@pytest.fixture()
def case_file(tmp_path: Path) -> Path:
    return write_cases(tmp_path / "cases.jsonl", CASES)


class PerfectAnswerer:
    """Runs the gold SQL of the question it is asked; declines what should be declined."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.requests: list[AnswerRequest] = []
        self.by_question = {c["question"]: c for c in CASES}

    def answer(self, request: AnswerRequest) -> Answer:
        self.requests.append(request)
        case = self.by_question.get(request.question)
        if case is None or ("context" in case and request.question in case["context"]):
            return Answer(question=request.question, language="en", brain="perfect")
        if case.get("expect_decline"):
            return Answer(
                question=request.question,
                language=case["lang"],
                brain="perfect",
                decline=Decline("out of scope"),
            )
        with connect_read_only(self.db) as connection:
            cursor = connection.execute(case["gold_sql"])
            columns = tuple(d[0] for d in cursor.description)
            rows = tuple(cursor.fetchall())
        return Answer(
            question=request.question,
            language=case["lang"],
            brain="perfect",
            sql=case["gold_sql"],
            columns=columns,
            rows=rows,
        )


class DecliningAnswerer:
    def answer(self, request: AnswerRequest) -> Answer:
        return Answer(
            question=request.question,
            language="en",
            brain="offline planner",
            decline=Decline("I can't answer that", ("Try: revenue last month",)),
        )


class ExplodingAnswerer:
    def answer(self, request: AnswerRequest) -> Answer:
        raise RuntimeError(f"boom on {request.question!r}")


def ticking_clock(step_ms: float = 10.0):
    ticks = count()
    return lambda: next(ticks) * step_ms / 1000


def test_answerers_satisfy_the_protocol(db: Path) -> None:
    answerers: list[Answerer] = [PerfectAnswerer(db), DecliningAnswerer(), ExplodingAnswerer()]
    assert all(callable(a.answer) for a in answerers)


def test_perfect_answerer_scores_100(db: Path, case_file: Path) -> None:
    report = run_eval([case_file], answerer=PerfectAnswerer(db), db_path=db)
    assert [r.case.id for r in report.misses] == []
    assert report.summary["accuracy"] == 1.0
    assert report.summary["cases"] == len(CASES)
    assert report.summary["brains"] == {"perfect": len(CASES)}


def test_declining_answerer_scores_only_declines(db: Path, case_file: Path) -> None:
    report = run_eval([case_file], answerer=DecliningAnswerer(), db_path=db)
    passed = {r.case.id for r in report.results if r.ok}
    assert passed == {"dec_weather", "zh_dec_vague"}
    assert report.summary["accuracy"] == round(2 / len(CASES), 4)
    assert report.summary["decline_cases"] == {"cases": 2, "passed": 2, "accuracy": 1.0}
    assert report.summary["declined"] == len(CASES)
    miss = next(r for r in report.results if r.case.id == "rev_total")
    assert miss.reason == "declined: I can't answer that"


def test_exploding_answerer_fails_each_case_without_crashing(db: Path, case_file: Path) -> None:
    report = run_eval([case_file], answerer=ExplodingAnswerer(), db_path=db)
    assert report.summary["passed"] == 0
    assert report.summary["errors"] == len(CASES)
    by_id = {r.case.id: r for r in report.results}
    assert by_id["rev_total"].error == "RuntimeError: boom on 'total revenue'"
    assert (
        by_id["fu_orders"].error
        == "context question 1 raised RuntimeError: boom on 'total revenue'"
    )
    entry = next(c for c in report.to_json()["cases"] if c["id"] == "rev_total")
    assert entry["ok"] is False and entry["error"].startswith("RuntimeError")
    assert entry["expected"] == {"columns": ["revenue"], "rows": [[490.75]]}


def test_context_asked_first_in_one_fresh_session_with_as_of(db: Path, case_file: Path) -> None:
    answerer = PerfectAnswerer(db)
    run_eval([case_file], answerer=answerer, db_path=db)
    asked = [(r.question, r.as_of) for r in answerer.requests]
    i = asked.index(("total revenue", date(2024, 2, 29)))
    assert asked[i : i + 3] == [
        ("total revenue", date(2024, 2, 29)),
        ("now for the app", date(2024, 2, 29)),
        ("what about orders?", date(2024, 2, 29)),
    ]
    sessions = [r.session_id for r in answerer.requests]
    assert sessions[i] == sessions[i + 1] == sessions[i + 2]
    assert len(set(sessions)) == len(CASES)  # one fresh session per case
    assert answerer.requests[0].as_of == DEMO_AS_OF


def test_fresh_sessions_across_runs(db: Path, case_file: Path) -> None:
    first, second = PerfectAnswerer(db), PerfectAnswerer(db)
    run_eval([case_file], answerer=first, db_path=db)
    run_eval([case_file], answerer=second, db_path=db)
    assert not {r.session_id for r in first.requests} & {r.session_id for r in second.requests}


def test_wrong_answers_fail_with_reason(db: Path, tmp_path: Path) -> None:
    class OffByABit(PerfectAnswerer):
        def answer(self, request: AnswerRequest) -> Answer:
            answer = super().answer(request)
            if request.question == "total revenue":
                return Answer(
                    question=answer.question,
                    language="en",
                    brain="x",
                    columns=("revenue",),
                    rows=((490.75 * 1.001,),),
                )
            if request.question.startswith("top 2"):  # right rows, wrong order
                return Answer(
                    question=answer.question,
                    language="en",
                    brain="x",
                    columns=answer.columns,
                    rows=answer.rows[::-1],
                )
            if request.question == "weather tomorrow?":
                return Answer(
                    question=answer.question, language="en", brain="x", columns=("n",), rows=((1,),)
                )
            return answer

    report = run_eval(
        [write_cases(tmp_path / "c.jsonl", CASES)], answerer=OffByABit(db), db_path=db
    )
    reasons = {r.case.id: r.reason for r in report.misses}
    assert reasons == {
        "rev_total": "no predicted column holds the values of 'revenue'",
        "top_channel": "same rows, but not in the order the question asked for",
        "dec_weather": "answered a question it should decline",
    }


def test_broken_gold_sql_is_a_gold_error(db: Path, tmp_path: Path) -> None:
    cases = [
        {"id": "bad", "question": "q", "lang": "en", "gold_sql": "SELECT nope FROM orders"},
        {
            "id": "write",
            "question": "q2",
            "lang": "en",
            "gold_sql": "CREATE TABLE t AS SELECT 1 AS x",
        },
    ]
    report = run_eval(
        [write_cases(tmp_path / "c.jsonl", cases)], answerer=PerfectAnswerer(db), db_path=db
    )
    assert all(
        r.gold_error and r.error and r.error.startswith("gold SQL failed") for r in report.results
    )
    assert report.summary["gold_errors"] == 2
    assert report.summary["errors"] == 0


def test_expect_tool_cases(db: Path) -> None:
    case = EvalCase(id="rfm", question="segment my customers", lang="en", expect_tool="rfm")

    class ToolAnswerer:
        def __init__(self, name: str) -> None:
            self.name = name

        def answer(self, request: AnswerRequest) -> Answer:
            return Answer(
                question=request.question,
                language="en",
                brain="x",
                tool_call=ToolCall(self.name, {}),
            )

    assert run_cases([case], answerer=ToolAnswerer("rfm"), db_path=db).results[0].ok
    wrong = run_cases([case], answerer=ToolAnswerer("attribution"), db_path=db).results[0]
    assert not wrong.ok and wrong.reason == "expected tool 'rfm', got 'attribution'"


def test_tag_filter(db: Path, case_file: Path) -> None:
    report = run_eval([case_file], answerer=PerfectAnswerer(db), db_path=db, tags=["decline"])
    assert {r.case.id for r in report.results} == {"dec_weather", "zh_dec_vague"}


def test_summary_per_language_tag_and_latency(db: Path, case_file: Path) -> None:
    report = run_eval(
        [case_file], answerer=DecliningAnswerer(), db_path=db, clock=ticking_clock(10.0)
    )
    summary = report.summary
    assert summary["by_lang"]["zh"] == {"cases": 2, "passed": 1, "accuracy": 0.5}
    assert summary["by_lang"]["en"] == {"cases": 4, "passed": 1, "accuracy": 0.25}
    assert summary["by_tag"]["revenue"] == {"cases": 2, "passed": 0, "accuracy": 0.0}
    assert summary["latency_ms"] == {"p50": 10.0, "p95": 10.0, "max": 10.0}
    assert summary["brains"] == {"offline planner": len(CASES)}


def test_report_json_shape(db: Path, case_file: Path) -> None:
    report = run_eval([case_file], answerer=PerfectAnswerer(db), db_path=db)
    data = json.loads(json.dumps(report.to_json()))
    assert set(data) == {"summary", "cases"}
    entry = next(c for c in data["cases"] if c["id"] == "rev_by_month")
    assert {
        "id",
        "question",
        "lang",
        "tags",
        "sql",
        "columns",
        "rows",
        "declined",
        "ok",
        "error",
        "latency_ms",
    } <= set(entry)
    assert entry["rows"] == [["2025-01-01", 350.5], ["2025-02-01", 140.25]] or entry["rows"] == [
        ["2025-02-01", 140.25],
        ["2025-01-01", 350.5],
    ]
    assert "expected" not in entry  # only misses carry the expected result
    decline = next(c for c in data["cases"] if c["id"] == "dec_weather")
    assert decline["declined"] is True and decline["sql"] is None


def test_text_summary_shows_misses(db: Path, case_file: Path) -> None:
    report = run_eval([case_file], answerer=DecliningAnswerer(), db_path=db)
    text = render_text(report)
    assert "overall" in text and "lang zh" in text and "tag ranking" in text
    assert "[rev_by_month] 每月销售额" in text
    assert "expected: [month | revenue] 2025-01-01 | 350.5" in text
    assert "got:      declined" in text
    assert "context:  total revenue → now for the app" in text


def test_threshold(db: Path, case_file: Path) -> None:
    report = run_eval([case_file], answerer=DecliningAnswerer(), db_path=db)
    assert not check_threshold(report, Threshold(min_accuracy=0.95)).passed
    assert check_threshold(report, Threshold(min_accuracy=0.3)).passed
    assert "FAIL" in check_threshold(report, Threshold(min_accuracy=0.95)).message
    assert 0.0 < load_threshold().min_accuracy <= 1.0


def test_main_eval_passes_and_writes_report(db: Path, case_file: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    report_path = tmp_path / "out" / "report.json"
    code = main_eval(
        [case_file],
        answerer=PerfectAnswerer(db),
        db_path=db,
        report_path=report_path,
        tags=None,
        out=out,
    )
    assert code == 0
    assert "PASS: accuracy 100.0% over 6 cases" in out.getvalue()
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert data["summary"]["accuracy"] == 1.0 and len(data["cases"]) == len(CASES)


def test_main_eval_below_threshold(db: Path, case_file: Path) -> None:
    out = io.StringIO()
    code = main_eval(
        [case_file],
        answerer=ExplodingAnswerer(),
        db_path=db,
        report_path=None,
        tags=None,
        out=out,
        progress=True,
    )
    assert code == 1
    assert out.getvalue().startswith("EEEEEE\n")
    assert "FAIL" in out.getvalue()


def test_main_eval_unusable_inputs(db: Path, case_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")

    def run(paths: list[Path], **kw) -> int:
        answerer = DecliningAnswerer()
        return main_eval(paths, answerer=answerer, report_path=None, out=io.StringIO(), **kw)

    assert run([bad], db_path=db, tags=None) == 2
    assert run([case_file], db_path=tmp_path / "missing.duckdb", tags=None) == 2
    assert run([case_file], db_path=db, tags=["no_such_tag"]) == 2


def test_gold_runner_coexists_with_answerer_connections(db: Path) -> None:
    """The assistant may hold the warehouse open in-process under other read-only settings."""
    with duckdb.connect(str(db), read_only=True) as plain, GoldRunner(db) as gold:
        assert gold.run("SELECT COUNT(*) AS n FROM orders").rows == ((4,),)
        assert plain.execute("SELECT 1").fetchall() == [(1,)]
    with connect_read_only(db) as locked, GoldRunner(db) as gold:
        assert gold.run("SELECT COUNT(*) AS n FROM orders").rows == ((4,),)
        assert locked.execute("SELECT 1").fetchall() == [(1,)]


def test_gold_runner_cannot_write_or_read_files(db: Path, tmp_path: Path) -> None:
    with GoldRunner(db) as gold:
        with pytest.raises(duckdb.Error):
            gold.run("CREATE TABLE t AS SELECT 1")
        with pytest.raises(duckdb.Error):
            gold.run(f"COPY orders TO '{tmp_path / 'leak.csv'}'")


def test_threshold_uses_exact_accuracy() -> None:
    from genbi.eval.report import EvalReport

    summary = {"cases": 200000, "passed": 189999, "accuracy": round(189999 / 200000, 4)}
    report = EvalReport(summary=summary, results=())
    assert summary["accuracy"] == 0.95  # rounded for display ...
    assert not check_threshold(report, Threshold(min_accuracy=0.95)).passed  # ... not for the bar


def test_truncated_answers_say_so(db: Path) -> None:
    case = EvalCase(id="c", question="q", lang="en", gold_sql="SELECT order_id FROM orders")

    class Truncating:
        def answer(self, request: AnswerRequest) -> Answer:
            return Answer(
                question="q",
                language="en",
                brain="x",
                columns=("order_id",),
                rows=((1,), (2,)),
                truncated=True,
            )

    result = run_cases([case], answerer=Truncating(), db_path=db).results[0]
    assert result.reason == "row count differs: expected 4, got 2 (the answer was truncated)"


def test_json_values() -> None:
    from datetime import datetime
    from decimal import Decimal

    from genbi.eval.report import json_rows

    rows = [
        (
            datetime(2025, 3, 1, 8, 30),
            date(2025, 3, 1),
            Decimal("1.25"),
            float("nan"),
            None,
            "上海",
            True,
        )
    ]
    assert json_rows(rows) == [
        ["2025-03-01T08:30:00", "2025-03-01", 1.25, None, None, "上海", True]
    ]


def test_report_cases_alias(db: Path, case_file: Path) -> None:
    report = run_eval([case_file], answerer=DecliningAnswerer(), db_path=db)
    assert report.cases == report.results and len(report.cases) == len(CASES)
