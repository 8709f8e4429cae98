"""Personal data in any spelling is masked, and nothing else is: the one redaction step for
answers shown to a role without personal-data access and for everything sent to an LLM."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genbi.assistant.access import mask_chart
from genbi.assistant.redaction import redact_payload
from genbi.semantic_layer.masking import mask_email, mask_phone, mask_rows, mask_text, mask_value

RAW = "luo.ning1987"
SPELLINGS = [
    f"{RAW}@example.net",
    f"{RAW} AT example.net",
    f"{RAW} at example dot net",
    f"{RAW} [at] example [dot] net",
    f"{RAW}(at)example.net",
    f"{RAW}#example.net",
    "ｌｕｏ．ｎｉｎｇ１９８７＠ｅｘａｍｐｌｅ．ｎｅｔ",
    f"mail me: {RAW}＠example.net please",
]
PHONES = ["15919601569", "159 1960 1569", "159-1960-1569", "+86 159 1960 1569", "+8615919601569",
          "0086-159-1960-1569", "(+86)15919601569", "（+86）１５９１９６０１５６９", "１５９ １９６０ １５６９",
          "1 5 9 1 9 6 0 1 5 6 9", "8615919601569"]


@pytest.mark.parametrize("text", SPELLINGS)
def test_emails_in_any_spelling_are_masked(text: str) -> None:
    masked = mask_text(f"what did {text} buy?")
    assert "ning1987" not in masked and "ｎｉｎｇ" not in masked, masked
    assert "***@" in masked
    assert mask_text(masked) == masked


@pytest.mark.parametrize("text", PHONES)
def test_phone_numbers_in_any_spelling_are_masked(text: str) -> None:
    masked = mask_text(f"tel {text} ok")
    digits = "".join(str(int(c)) for c in masked if c.isdigit())
    assert "19601569" not in digits and "1960" not in digits, masked
    assert "****" in masked
    assert mask_text(masked) == masked


@pytest.mark.parametrize("text", [
    "Revenue grew at Tmall. Then JD followed.",
    "1.38 14.55 17.22 19.01 20.33",
    "13 14 15 16 17 18 19 13 14 15 16",
    "orders 2025-01-13 to 2025-02-14, 12,345,678,901 yuan",
    "C# and F# on .net",
    "campaign 双11 #1 best seller",
    "order_id 123456789012345",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_text(text) == text


def test_a_phone_cast_to_a_number_is_masked_but_other_numbers_are_not() -> None:
    assert mask_value(15919601569) == "159****1569"
    assert mask_value(12345678901) == 12345678901
    assert mask_value(1234) == 1234 and mask_value(True) is True
    assert mask_rows([(1, "x AT y.com", 13912345678)]) == ((1, "x***@y.com", "139****5678"),)


def test_every_text_an_llm_reads_is_redacted_but_ids_are_not() -> None:
    body = {"model": "m", "messages": [
        {"role": "system", "content": "example: bob@corp.cn"},
        {"role": "user", "content": [{"type": "text", "text": "tel 159 1960 1569"}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_15919601569", "type": "function",
             "function": {"name": "run_sql", "arguments": json.dumps({"sql": "SELECT 'a AT b.com'"})}}]},
        {"role": "tool", "tool_call_id": "call_15919601569", "content": "15919601569"}]}
    redacted = json.dumps(redact_payload(body))
    assert "bob@" not in redacted and "1960" not in redacted.replace("call_15919601569", "")
    assert "a AT b.com" not in redacted
    assert redacted.count("call_15919601569") == 2
    assert redact_payload({"input": ["x 13912345678"], "model": "e"}) == {"input": ["x 139****5678"], "model": "e"}


def test_charts_with_numpy_arrays_mask_without_comparing_arrays() -> None:
    """The A/B-test chart holds numpy arrays: masking compares nothing element-wise."""
    clean = go.Figure(go.Bar(x=np.array(["control", "treatment"]), y=np.array([0.1, 0.2]),
                             error_y={"array": np.array([0.01, 0.02])}))
    assert mask_chart(clean) is clean
    dirty = go.Figure(go.Bar(x=np.array(["bob@corp.cn", "b"], dtype=object), y=np.array([1.0, 2.0])))
    assert "bob@" not in mask_chart(dirty).to_json()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789１３５８９ -\t+＋@＠#＃.abtATcdeF上月¥　[]()", max_size=40))
def test_the_quick_checks_skip_only_text_the_patterns_would_leave_alone(text: str) -> None:
    """``mask_text`` skips the full patterns for most text (dates, amounts); whatever it
    skips, the patterns themselves would not have changed."""
    assert mask_text(text) == mask_phone(mask_email(text))


PIECES = ["a", "b", "K", "\u212a", "\u017f", "x1", "at", "AT", " at ", "[at]", "(dot)", " dot ", "dot", ".", ".cn",
          ".com", "\uff0e", "@", "\uff20", "#", "\uff03", "#4C78A8", " ", "-", "\t", "\n", "\u3000", "+", "\uff0b", "86",
          "138", "1", "3", "5", "0", "\uff11", "\uff13", "5678", "1234", "(", ")", "上月", "\uff08", "_"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_what_the_quick_check_skips_the_patterns_leave_alone(text: str) -> None:
    """Text built from the pieces addresses and phone numbers are made of (every spelling of
    'at' and 'dot', full-width forms, separators): whatever the quick check skips, the full
    patterns would not have changed."""
    from genbi.semantic_layer.masking import _may_hold_personal

    if not _may_hold_personal(text):
        assert mask_phone(mask_email(text)) == text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="0123456789１３ -\t+@#.abtATc上\n", max_size=16), max_size=6))
def test_texts_checked_together_are_clean_only_when_each_is(texts: list[str]) -> None:
    """``texts_unchanged`` checks joined text; when it says clean, every text is."""
    from genbi.semantic_layer.masking import texts_unchanged

    if texts_unchanged(texts):
        assert all(mask_text(text) == text for text in texts)
    assert texts_unchanged([*texts, "mail bob@corp.cn"]) is False
    assert texts_unchanged([*texts, "call 138 1234 5678"]) is False


def test_a_chart_is_masked_when_any_one_of_its_texts_is_personal() -> None:
    """The chart-wide check (one look at all of a chart's texts) still finds personal data in
    any single label or value, and leaves a clean chart as it is."""
    from genbi.assistant.chart_spec import ChartSpec

    def chart(label: str, title: str = "Revenue by channel") -> ChartSpec:
        return ChartSpec([{"type": "bar", "x": ["tmall", label], "y": [1.0, 2.0], "marker": {"color": "#4C78A8"},
                           "hovertemplate": "%{x}: %{y:,.0f}<extra></extra>"}], {"title": {"text": title}})

    clean = chart("jd")
    assert mask_chart(clean) is clean
    for dirty in (chart("bob@corp.cn"), chart("13812345678"), chart("jd", "bob at corp dot cn"),
                  chart("+44 20 7946 0958")):
        text = mask_chart(dirty).to_json()
        assert not any(raw in text for raw in ("bob@", "bob at", "13812345678", "7946 0958")), text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.none(),
                          st.integers(10**9, 10**14), st.sampled_from(["tmall", "jd", "天猫"])),
                min_size=1, max_size=8))
def test_a_column_is_masked_as_each_of_its_cells_would_be(values: list[object]) -> None:
    """A text column is first looked at whole (one check of all its distinct values): the
    rows come out as masking each cell would make them, personal data in any one cell included."""
    rows = tuple((value, 1.5) for value in values)
    assert mask_rows(rows) == tuple((mask_value(value), 1.5) for value in values)


def _answer(**texts: object) -> object:
    from genbi.assistant.answer import Answer, Decline
    from genbi.assistant.chart_spec import ChartSpec

    fields: dict[str, object] = {
        "question": "revenue by channel", "language": "en", "brain": "offline planner",
        "interpretation": "Revenue · by channel · 2025",
        "sql": "SELECT channel, SUM(revenue) FROM orders WHERE ordered_at >= DATE '2025-01-01' GROUP BY 1",
        "columns": ("channel", "revenue"), "rows": (("tmall", 1.0), ("jd", 2.0)),
        "chart": ChartSpec([{"type": "bar", "x": ["tmall", "jd"], "y": [1.0, 2.0]}], {"title": {"text": "Revenue"}}),
        "narrative": "Tmall led with 1.", "warnings": ("Showing the first 2 rows.",), "error": None,
        "decline": None}
    fields.update(texts)
    if isinstance(fields["decline"], tuple):
        fields["decline"] = Decline(*fields["decline"])  # type: ignore[misc]
    return Answer(**fields)  # type: ignore[arg-type]


def test_an_answer_is_masked_field_by_field_whenever_any_of_its_texts_is_personal() -> None:
    """``Access.mask`` looks at all of an answer's texts at once; personal data in any one
    of them (question, reading, SQL, narrative, a warning, an error, a decline and its
    suggestions, a row, the chart) is still masked where it is, and a clean answer keeps
    every value."""
    from genbi.assistant.access import AccessControl, RolesConfig
    from genbi.assistant.answer import AnswerRequest
    from genbi.semantic_layer.loader import load_model

    access = AccessControl(RolesConfig(), load_model()).for_request(AnswerRequest("q"), llm=False)
    clean = _answer()
    masked = access.mask(clean)  # type: ignore[arg-type]
    assert masked == clean and masked is not clean
    email, phone = "bob.lee@corp.cn", "13812345678"
    for raw in (email, phone):
        for dirty in (_answer(question=f"orders of {raw}"), _answer(interpretation=f"Orders · {raw}"),
                      _answer(sql=f"SELECT 1 WHERE note = '{raw}'"), _answer(narrative=f"Top buyer {raw}."),
                      _answer(warnings=("fine", f"see {raw}")), _answer(error=f"failed for {raw}"),
                      _answer(decline=(f"no {raw}", ("ok", f"ask {raw}"))),
                      _answer(rows=(("tmall", 1.0), (raw, 2.0)))):
            shown = repr(access.mask(dirty))  # type: ignore[arg-type]
            assert raw not in shown, shown
            assert mask_text(raw) in shown


def test_a_path_in_an_error_is_no_address() -> None:
    """'No warehouse file or folder at nofile.csv' read as 'folder AT nofile.csv', an address, and
    the user was told about 'f***@nofile.csv'; a file's type is no top-level domain."""
    for path in ("nofile.csv", "sales.xlsx", "shop.duckdb", "data/orders.parquet"):
        said = f"No warehouse file or folder at {path} (from --db)."
        assert mask_text(said) == said
    assert mask_text("write to bob at example.com") == "write to b***@example.com"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
                          st.one_of(st.none(), st.integers(10**9, 10**14)),
                          st.lists(st.sampled_from(PIECES), max_size=6).map("".join)),
                min_size=1, max_size=6),
       st.sets(st.integers(0, 2)))
def test_fetched_rows_need_only_their_private_columns_masked(rows: list[tuple[object, ...]],
                                                              private: set[int]) -> None:
    """An answer's rows were masked by the warehouse (every text cell, by the columns' types);
    ``Access.mask_fetched`` then masks only the personal-data columns whole: the same rows as
    masking them all over again (``mask_rows``), so no text cell is left unmasked."""
    from genbi.semantic_layer.masking import mask_private_columns

    fetched = mask_rows(tuple(rows), types=("VARCHAR", "BIGINT", "VARCHAR"))
    assert mask_private_columns(fetched, private) == mask_rows(fetched, private)
