"""genbi's state store keeps examples, feedback and audiences apart from the warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from genbi.assistant.state import StateError, StateStore


def test_examples_are_stored_once(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "s.sqlite")
    spec = {"metrics": ["revenue"]}
    assert store.add_example("Revenue 2025", spec=spec, sql="SELECT 1", language="en", source="ui")
    assert not store.add_example("Revenue 2025", spec=spec, sql="SELECT 1", language="en", source="ui")
    (example,) = store.examples()
    assert example.spec == spec and example.source == "ui"
    assert StateStore(tmp_path / "s.sqlite").examples() == [example]


def test_feedback_rating_is_checked(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "s.sqlite")
    store.add_feedback(question="q", rating=-1, comment="should be by sales channel")
    assert store.feedback()[0]["comment"] == "should be by sales channel"
    with pytest.raises(StateError):
        store.add_feedback(question="q", rating=5)


def test_audiences_round_trip_and_errors(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "s.sqlite")
    saved = store.save_audience("Champions", [3, 1, 2, 2], source="rfm")
    assert saved.customer_ids == (1, 2, 3)
    assert store.audience("champions").size == 3
    with pytest.raises(StateError, match="Champions"):
        store.audience("Lost")
    with pytest.raises(StateError):
        store.save_audience("empty", [])


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StateError, match="GENBI_HOME"):
        StateStore(blocker / "sub" / "s.sqlite")
