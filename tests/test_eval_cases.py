"""The project's case files: valid, unique, and covering what the eval promises."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import sqlglot
from pydantic import ValidationError

from genbi.eval.cases import (
    CASES_DIR,
    GLOSSARY_METRICS,
    TRAIN_FILE_NAME,
    CaseFileError,
    EvalCase,
    default_case_paths,
    load_case_file,
    load_cases,
    select_by_tags,
    stratified_sample,
)

SCORED = load_cases(default_case_paths())
TRAIN = load_case_file(CASES_DIR / TRAIN_FILE_NAME)
ALL = SCORED + TRAIN


def _words(question: str) -> str:
    return re.sub(r"[\s\W_]+", " ", question.lower()).strip()


def test_every_line_is_a_valid_case() -> None:
    for path in [*default_case_paths(), CASES_DIR / TRAIN_FILE_NAME]:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(lines) == len(load_case_file(path)), path
        for line in lines:
            EvalCase.model_validate(json.loads(line))


def test_ids_unique_across_all_files() -> None:
    counts = Counter(case.id for case in ALL)
    assert [i for i, n in counts.items() if n > 1] == []


def test_counts() -> None:
    assert len(SCORED) >= 200
    assert sum(case.lang == "zh" for case in SCORED) >= 70
    assert sum(case.expect_decline for case in SCORED) >= 20
    assert 30 <= len(TRAIN) <= 60


def test_train_questions_are_not_scored() -> None:
    scored = {_words(case.question) for case in SCORED}
    assert [case.id for case in TRAIN if _words(case.question) in scored] == []


def test_scored_questions_are_distinct() -> None:
    keys = Counter((_words(c.question), c.as_of, c.context) for c in SCORED)
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_glossary_metric_asked_three_times() -> None:
    tags = Counter(tag for case in SCORED for tag in case.tags)
    assert {m: tags[m] for m in GLOSSARY_METRICS if tags[m] < 3} == {}


def test_every_answerable_case_names_its_metric() -> None:
    untagged = [
        case.id
        for case in SCORED
        if not case.expect_decline and not set(case.tags) & set(GLOSSARY_METRICS)
    ]
    assert untagged == []


@pytest.mark.parametrize(
    ("tag", "minimum"),
    [
        ("breakdown", 30),
        ("two_dims", 8),
        ("filter", 30),
        ("negation", 8),
        ("multi_value", 8),
        ("relative_time", 60),
        ("absolute_time", 60),
        ("as_of", 20),
        ("leap_day", 3),
        ("trend", 15),
        ("ranking", 15),
        ("fanout_trap", 20),
        ("ratio", 40),
        ("followup", 15),
        ("decline", 20),
    ],
)
def test_tag_coverage(tag: str, minimum: int) -> None:
    assert sum(tag in case.tags for case in SCORED) >= minimum


def test_both_languages_in_every_major_tag() -> None:
    for tag in (
        "breakdown",
        "filter",
        "negation",
        "relative_time",
        "trend",
        "ranking",
        "fanout_trap",
        "followup",
        "decline",
        "two_dims",
        "multi_value",
    ):
        langs = {case.lang for case in SCORED if tag in case.tags}
        assert langs == {"en", "zh"}, tag


def test_declines_have_no_gold_and_answers_have_gold() -> None:
    for case in SCORED:
        assert case.expect_decline == ("decline" in case.tags), case.id
        assert (case.gold_sql is None) == case.expect_decline, case.id


def test_ordered_only_on_rankings() -> None:
    assert all("ranking" in case.tags for case in ALL if case.ordered)


def test_gold_sql_is_a_single_select_with_half_open_time_filters() -> None:
    for case in ALL:
        if not case.gold_sql:
            continue
        statements = sqlglot.parse(case.gold_sql, read="duckdb")
        assert len(statements) == 1, case.id
        assert isinstance(statements[0], sqlglot.exp.Query), case.id
        # time filters are ">= start AND < next day", never BETWEEN or "<="
        assert " BETWEEN " not in case.gold_sql.upper(), case.id
        assert "<=" not in case.gold_sql, case.id


def test_relative_time_cases_say_so() -> None:
    relative = re.compile(
        r"last|past|this|ytd|qtd|mtd|wtd|to.date|so far|上个|上月|上季|上周|近\d|本月|本季|本周|这周|今年|去年|这个月|最近"
    )
    for case in SCORED:
        if "relative_time" in case.tags:
            text = " ".join([*case.context, case.question]).lower()
            assert relative.search(text), case.id


def test_as_of_cases_vary_boundaries() -> None:
    as_ofs = {case.as_of.isoformat() for case in SCORED if case.as_of}
    assert {"2024-02-29", "2025-01-01", "2025-04-01", "2025-03-01"} <= as_ofs


# ---------------------------------------------------------------- the loader itself


def test_case_model_rejects_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        EvalCase.model_validate(
            {"id": "x", "question": "q", "lang": "en", "gold_sql": "SELECT 1", "orderd": True}
        )


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "x", "question": "q", "lang": "en"},  # no answer defined
        {"id": "x", "question": "q", "lang": "en", "gold_sql": "SELECT 1", "expect_decline": True},
        {"id": "x", "question": "q", "lang": "fr", "gold_sql": "SELECT 1"},
        {"id": "x y", "question": "q", "lang": "en", "gold_sql": "SELECT 1"},
        {"id": "x", "question": "q", "lang": "en", "expect_decline": True, "ordered": True},
        {"id": "x", "question": "q", "lang": "en", "gold_sql": "SELECT 1", "as_of": "yesterday"},
    ],
)
def test_case_model_rejects_bad_cases(payload: dict) -> None:
    with pytest.raises(ValidationError):
        EvalCase.model_validate(payload)


def test_loader_reports_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "a", "question": "q", "lang": "en", "gold_sql": "SELECT 1"}\n\n{"id": "b"}\n'
    )
    with pytest.raises(CaseFileError, match=r"bad\.jsonl:3"):
        load_case_file(path)


def test_loader_rejects_duplicate_ids_across_files(tmp_path: Path) -> None:
    line = '{"id": "a", "question": "q", "lang": "en", "gold_sql": "SELECT 1"}\n'
    (tmp_path / "one.jsonl").write_text(line)
    (tmp_path / "two.jsonl").write_text(line)
    with pytest.raises(CaseFileError, match="already used"):
        load_cases([tmp_path])


def test_folder_excludes_train_file(tmp_path: Path) -> None:
    (tmp_path / "one.jsonl").write_text(
        '{"id": "a", "question": "q", "lang": "en", "gold_sql": "SELECT 1"}\n'
    )
    (tmp_path / TRAIN_FILE_NAME).write_text(
        '{"id": "t", "question": "q2", "lang": "en", "gold_sql": "SELECT 1"}\n'
    )
    assert [case.id for case in load_cases([tmp_path])] == ["a"]


def test_select_by_tags() -> None:
    rankings = select_by_tags(SCORED, ["ranking"])
    assert rankings and all("ranking" in case.tags for case in rankings)
    assert select_by_tags(SCORED, None) == SCORED


def test_stratified_sample_keeps_every_language_and_tag() -> None:
    files = sorted(CASES_DIR.glob("*.jsonl"))
    share = stratified_sample(files, every=3)
    pairs = {(case.lang, tag) for case in ALL for tag in case.tags}
    assert {(case.lang, tag) for case in share for tag in case.tags} == pairs
    assert len(ALL) / 3 <= len(share) <= len(ALL) / 3 + len(pairs) / 4
    assert len({case.id for case in share}) == len(share)


def test_stratified_sample_adds_a_case_for_a_pair_the_stride_missed(tmp_path: Path) -> None:
    line = '{{"id": "{0}", "question": "q{0}", "lang": "{1}", "gold_sql": "SELECT 1", "tags": ["{2}"]}}\n'
    (tmp_path / "one.jsonl").write_text(line.format("a", "en", "x") + line.format("b", "en", "x")
                                        + line.format("c", "zh", "x") + line.format("d", "zh", "y"))
    assert [case.id for case in stratified_sample([tmp_path / "one.jsonl"], every=2)] == ["a", "c", "d"]
    assert [case.id for case in stratified_sample([tmp_path / "one.jsonl"], every=1)] == ["a", "b", "c", "d"]


PHRASINGS = [
    # relative time, every form of the contract in both languages
    ("en", r"\b(past|last) (7|14|30|90) days"),
    ("zh", r"近(7|14|30|90)天"),
    ("en", r"\blast month\b"),
    ("zh", r"上个月"),
    ("en", r"\blast quarter\b"),
    ("zh", r"上(个)?季度"),
    ("en", r"\blast year\b"),
    ("zh", r"去年"),
    ("en", r"\bthis month\b"),
    ("zh", r"本月"),
    ("en", r"\bthis quarter\b"),
    ("zh", r"本季度"),
    ("en", r"\bthis year\b"),
    ("zh", r"今年"),
    ("en", r"\bmonth.to.date\b"),
    ("en", r"\b(ytd|year to date)\b"),
    ("en", r"\bquarter.to.date\b"),
    ("zh", r"到目前为止|截至目前"),
    ("en", r"\bthis week\b"),
    ("zh", r"本周|这周"),
    ("en", r"\blast week\b"),
    ("zh", r"上周"),
    # absolute time
    ("en", r"\b(march|november|december) 2025\b"),
    ("zh", r"20\d\d年\d{1,2}月"),
    ("en", r"\bq[1-4] 20\d\d\b"),
    ("zh", r"20\d\d年第[一二三四]季度"),
    ("en", r"\bbetween\b|\bfrom .* to\b|\bthrough\b"),
    ("zh", r"至|到"),
    # group-by phrasings
    ("en", r"\bby (city tier|channel|month|sales channel|category|gender)\b"),
    ("en", r"\bper (sales channel|category|month|channel|marketing channel|city tier)\b"),
    ("en", r"\bfor each\b"),
    ("en", r"\bsplit by\b"),
    ("zh", r"按"),
    ("zh", r"各"),
    ("zh", r"每个"),
    ("zh", r"分(性别|渠道)"),
    # synonyms of metrics
    ("en", r"\bgmv\b"),
    ("en", r"\bsales\b"),
    ("zh", r"销售额"),
    ("zh", r"营收"),
    ("zh", r"成交额"),
    ("zh", r"客单价"),
    ("zh", r"复购率"),
    ("zh", r"投产比"),
    ("zh", r"点击率"),
    # value filters by their Chinese names
    ("zh", r"上海"),
    ("zh", r"一线城市"),
    ("zh", r"白金会员"),
    ("zh", r"抖音"),
    ("zh", r"天猫"),
    ("zh", r"护肤"),
    ("zh", r"女性"),
    ("zh", r"安卓"),
    # several values, negation
    ("en", r"\bapp and the mini program\b"),
    ("en", r"\bexcluding offline stores\b"),
    ("zh", r"除了线下门店"),
    ("zh", r"不含天猫"),
    # ranking
    ("en", r"\btop \d+\b"),
    ("en", r"\bbottom \d+\b"),
    ("en", r"\b(highest|most|lowest)\b"),
    ("zh", r"最高的?\d个|最高的5个|前五|最多的\d个"),
    ("zh", r"排名|排个名"),
    # trends
    ("en", r"\bmonthly\b"),
    ("en", r"\bweekly\b"),
    ("zh", r"每月"),
    ("zh", r"按周"),
    ("zh", r"趋势|走势"),
    # follow-ups
    ("en", r"^now\b"),
    ("en", r"^only 2024$"),
    ("en", r"^what about orders\?$"),
    ("zh", r"^换成订单数$"),
    ("zh", r"^只看上海$"),
]


@pytest.mark.parametrize(("lang", "pattern"), PHRASINGS, ids=[p for _, p in PHRASINGS])
def test_phrasing_is_covered(lang: str, pattern: str) -> None:
    regex = re.compile(pattern, re.IGNORECASE)
    assert any(case.lang == lang and regex.search(case.question) for case in SCORED)
