"""Lifecycle / AIPL: stage rules by hand and transitions on the demo warehouse."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from genbi.tools.base import ToolError
from genbi.tools.lifecycle import LifecycleArgs, aipl, lifecycle_stage, run
from genbi.tools.roles import RoleSource
from genbi.tools.testing import demo_source as _demo_source


def test_aipl_rules() -> None:
    touches = np.array([0, 3, 3, 0, 1, 5])
    clicks = np.array([0, 0, 1, 0, 0, 0])
    visits = np.array([0, 0, 0, 2, 0, 0])
    orders = np.array([0, 0, 0, 0, 1, 2])
    assert aipl(touches, clicks, visits, orders).tolist() == [
        "none", "awareness", "interest", "interest", "purchase", "loyalty",
    ]


def test_lifecycle_stage_rules() -> None:
    first = pd.to_datetime(pd.Series(["2025-12-01", "2025-01-01", "2025-01-01", "2024-01-01", None]))
    last = pd.to_datetime(pd.Series(["2025-12-20", "2025-12-01", "2025-08-01", "2024-05-01", None]))
    stages = lifecycle_stage(first, last, date(2025, 12, 31), 90, 180)
    assert stages.tolist() == ["new", "active", "at_risk", "churned", "prospect"]


@pytest.fixture()
def demo_source(request: pytest.FixtureRequest) -> RoleSource:
    return _demo_source(request)


def test_demo_lifecycle(demo_source: RoleSource) -> None:
    result = run(LifecycleArgs(stage="流失风险"), demo_source)
    transitions = result.tables["transitions"].set_index("from")
    assert int(transitions.to_numpy().sum()) == int(result.table["customers_end"].sum())
    assert result.table["customers_start"].sum() == result.table["customers_end"].sum()
    assert len(result.customer_ids or ()) == result.facts["lifecycle"]["at_risk"]
    assert all(v > 0 for v in result.facts["lifecycle"].values())
    with pytest.raises(ToolError, match="Stages:"):
        run(LifecycleArgs(stage="whale"), demo_source)
