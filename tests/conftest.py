"""Shared fixtures: one generated demo warehouse per test session, and an isolated genbi home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

TEST_CUSTOMERS = 20_000
TEST_SEED = 42


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse at its default scale, generated once for the whole session."""
    from genbi.demo import generate_warehouse

    path = tmp_path_factory.mktemp("warehouse") / "demo.duckdb"
    generate_warehouse(path, customers=TEST_CUSTOMERS, seed=TEST_SEED)
    return path


@pytest.fixture()
def genbi_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away GENBI_HOME so no test touches the real per-user directories."""
    monkeypatch.setenv("GENBI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GENBI_DB", raising=False)
    return tmp_path / "home"
