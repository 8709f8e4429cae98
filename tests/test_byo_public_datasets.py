"""Five public customer / marketing datasets nobody tuned genbi for, zero config (lookalikes in
``byo_public_datasets``): Taobao's UserBehavior event log, UCI online shoppers' sessions, the
bank Churn_Modelling customers, the Cookie Cats A/B test and iFood's marketing_data. The
questions and their pandas answers (``byo7_blind_questions``) were committed before genbi ran on
them; each must now be answered with the independent number.

Blind (before): Taobao 0/13 (no header row: every question declined or wrong; with the header a
user adds, 'timestamp' was summed as an amount, 'how many users' counted rows, 2/13 wrong, 11
declined), online shoppers 3/13 ('sessions', 'conversion rate', 'region' declined), churn 0/13
('RowNumber' was the key, so customers were 'Rows'; 'churn rate' ran the churn tool and
declined), Cookie Cats 0/10 ('players', 'game rounds', '7-day retention' declined), iFood
13/14 ('how many complaints' declined). Round 2 (23 more phrasings, written after those fixes and
before genbi ran on them): 21 right, 2 silently wrong ('how many users viewed items' split by
item id: ids of single items are no breakdown since; 'how many customers accepted campaign 5
by marital status' split by the yes/no too, as on main: a yes/no said right before 'by' another
breakdown is who did it since)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import byo7_blind_questions as blind
import byo_public_datasets as datasets
import duckdb
import pytest
from byo_blind_support import score

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.semantic_layer import naming

KNOWN_GAPS = {
    ("cookie_cats", "how many players played 0 game rounds"),  # 'played' is no word of the model
}

_OPEN: dict[str, tuple[Assistant, Any]] = {}


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Assistant, Any]]]:
    yield _OPEN
    for assistant, _ in _OPEN.values():
        assistant.warehouse.close()
    _OPEN.clear()


def _assistant(opened: dict[str, tuple[Assistant, Any]], name: str, folder: Path) -> tuple[Assistant, Any]:
    if name not in opened:
        build = datasets.GENERATORS["taobao"] if name == "taobao_header" else datasets.GENERATORS[name]
        path, clean = build(folder, header=True) if name == "taobao_header" else build(folder)  # type: ignore[call-arg]
        opened[name] = (Assistant.open(path, llm=False), clean)
    return opened[name]


CASES = [(name if name != "taobao" else "taobao_header", question)
         for round_ in (blind.QUESTIONS, blind.ROUND2) for name, questions in round_.items() for question, _ in questions]


@pytest.mark.parametrize(("name", "question"), CASES, ids=[f"{n}:{q}" for n, q in CASES])
def test_blind_question_is_answered_with_the_independent_number(
        opened: dict[str, tuple[Assistant, Any]], tmp_path_factory: pytest.TempPathFactory, name: str,
        question: str) -> None:
    assistant, clean = _assistant(opened, name, tmp_path_factory.mktemp(name))
    asked = dict(blind.QUESTIONS["taobao" if name == "taobao_header" else name])
    asked |= dict(blind.ROUND2["taobao" if name == "taobao_header" else name])
    expect = asked[question](clean)
    answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
    result = {"rows": [list(r) for r in answer.rows], "declined": answer.decline is not None,
              "error": answer.error, "narrative": answer.narrative}
    if (name, question) in KNOWN_GAPS:  # a known gap: declined, never answered with another number
        assert answer.decline is not None and not answer.rows, (question, answer.narrative)
        return
    verdict, detail = score(result, expect)
    assert verdict == "right", (question, verdict, detail, answer.narrative)


def test_a_file_with_no_header_row_is_declined_saying_how_to_fix_it(tmp_path: Path) -> None:
    path, _ = datasets.taobao(tmp_path)
    assistant = Assistant.open(path, llm=False)
    try:
        for question in ("how many purchases", "how many users are there", "daily active users", "top 5 categories"):
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is not None and not answer.rows, question
            assert "no column names" in answer.narrative and "header" in answer.narrative, answer.narrative
        zh = assistant.answer(AnswerRequest("购买用户数", use_cache=False, session_id="zh"))
        assert zh.decline is not None and "表头" in zh.narrative
    finally:
        assistant.warehouse.close()


@pytest.mark.parametrize(("values", "kind"), [
    ([1511544070, 1512110393], "TIMESTAMP"),  # unix seconds
    ([1720000000123, 1720086400000], "TIMESTAMP"),  # milliseconds
    ([15115440, 1512110393], "BIGINT"),  # one value is no time
])
def test_unix_epochs_are_read_as_times(tmp_path: Path, values: list[int], kind: str) -> None:
    path = tmp_path / "events.csv"
    path.write_text("user_id,event_time\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    from genbi.semantic_layer.sources import _parse_epoch_times

    with duckdb.connect() as connection:
        connection.execute(f"CREATE TABLE t AS SELECT * FROM read_csv_auto('{path}')")
        _parse_epoch_times(connection, "t")
        found = connection.execute("SELECT typeof(event_time), MIN(event_time) FROM t GROUP BY 1").fetchone()
    assert found is not None and found[0] == kind
    if kind == "TIMESTAMP":
        assert str(found[1]).startswith(("2017-11-24", "2024-07-03"))  # UTC, never the machine's zone


@pytest.mark.parametrize(("name", "words"), [
    ("userid", ["user", "id"]), ("custid", ["customer", "id"]), ("valid", ["valid"]), ("paid", ["paid"]),
    ("sum_gamerounds", ["sum", "game", "rounds"]), ("RowNumber", ["row", "number"]),
])
def test_header_words(name: str, words: list[str]) -> None:
    assert naming.words(name) == words


def test_the_funnel_runs_on_an_event_log_with_its_own_event_names(tmp_path: Path) -> None:
    """Taobao's pv → cart → buy, each user's events one path (no session column): the funnel
    declined ('no column for the role event_entity'); now the drafted event roles and the log's
    own step names (the default steps are named otherwise) give the users reaching each step."""
    path, clean = datasets.taobao(tmp_path, header=True)
    assistant = Assistant.open(path, llm=False)
    try:
        answer = assistant.answer(AnswerRequest("show me the conversion funnel", use_cache=False))
        assert answer.error is None and answer.decline is None, answer.narrative
        reached = {row[1]: row[3] for row in answer.rows}
        users = {step: clean[clean["behavior_type"] == step]["user_id"].nunique() for step in ("pv", "cart", "buy")}
        assert reached == users
    finally:
        assistant.warehouse.close()
