"""The memo of texts masking found clean: exact (a text with personal data is never taken for
clean, alone or among known-clean ones), bounded, and invisible in what masking returns."""

from __future__ import annotations

import pytest

from genbi.semantic_layer import masking
from genbi.semantic_layer.masking import mask_text, texts_unchanged


@pytest.fixture(autouse=True)
def _empty_memo() -> None:
    masking._CLEAN.clear()


def test_clean_text_is_remembered_and_returned_as_is() -> None:
    text = "revenue by channel in 2025"
    assert mask_text(text) is text
    assert text in masking._CLEAN
    assert mask_text(text) is text


def test_personal_text_is_never_remembered() -> None:
    text = "call 138-1234-5678 or mail bob@x.cn"
    assert mask_text(text) == "call 138****5678 or mail b***@x.cn"
    assert text not in masking._CLEAN
    assert mask_text(text) == "call 138****5678 or mail b***@x.cn"


def test_known_clean_texts_do_not_hide_a_personal_one() -> None:
    clean = ["Tmall", "JD", "revenue on 双11 2025"]
    assert texts_unchanged(clean)
    assert all(text in masking._CLEAN for text in clean)
    assert not texts_unchanged([*clean, "alice.wang@example.com"])
    assert not texts_unchanged(["13812345678", *clean])
    assert "alice.wang@example.com" not in masking._CLEAN


def test_the_same_answers_with_and_without_the_memo() -> None:
    texts = ["revenue by channel", "a AT b dot com", "+86 138 1234 5678", "peaked at 20,641.", "#4C78A8",
             "１３８１２３４５６７８", "order 12345678901 shipped"]
    first = [mask_text(text) for text in texts]
    again = [mask_text(text) for text in texts]
    masking._CLEAN.clear()
    assert first == again == [masking.mask_phone(masking.mask_email(text)) for text in texts]


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(masking, "_CLEAN_KEPT", 10)
    for number in range(25):
        mask_text(f"channel {number}")
    assert len(masking._CLEAN) <= 10
    long_text = "x" * (masking._CLEAN_LONGEST + 1)
    assert mask_text(long_text) is long_text
    assert long_text not in masking._CLEAN


def test_a_big_batch_neither_asks_nor_fills_the_memo() -> None:
    names = [f"customer {number}" for number in range(masking._CLEAN_BATCH + 1)]
    assert texts_unchanged(names)
    assert not masking._CLEAN
    assert not texts_unchanged([*names, "bob@x.cn"])
