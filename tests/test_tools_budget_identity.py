"""Budget allocation and identity resolution: golden numbers against independent computations
(closed-form optimum, SciPy's general solver, known curve parameters, graph components), files,
and the chat path (planner, tool, masking, chart rendering)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from scipy.optimize import minimize
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

import genbi.tools.catalog  # noqa: F401  (every tool registered)
from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.tools import budget_curves, identity_graph
from genbi.tools.base import ToolError
from genbi.tools.budget import BudgetArgs
from genbi.tools.budget import run as budget_run
from genbi.tools.identity import IdentityArgs
from genbi.tools.identity import run as identity_run

# --- budget -------------------------------------------------------------------------------


def _weekly(k: dict[str, float], b: dict[str, float], weeks: int = 104, noise: float = 0.05,
            seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    start = pd.Timestamp("2024-01-01")  # a Monday
    for channel in k:
        spend = rng.uniform(500, 5000, weeks)
        revenue = k[channel] * spend ** b[channel] * np.exp(rng.normal(0, noise, weeks))
        rows += [{"date": (start + pd.Timedelta(weeks=w)).date(), "channel": channel, "spend": s, "revenue": r}
                 for w, (s, r) in enumerate(zip(spend, revenue, strict=True))]
    return pd.DataFrame(rows)


def test_curves_recover_known_parameters() -> None:
    frame = _weekly({"search": 40.0, "email": 15.0}, {"search": 0.6, "email": 0.75}, noise=0.02)
    for channel, b in (("search", 0.6), ("email", 0.75)):
        part = frame[frame["channel"] == channel]
        curve = budget_curves.fit_curve(channel, part["spend"].to_numpy(), part["revenue"].to_numpy())
        assert curve.b == pytest.approx(b, abs=0.02) and curve.movable
        assert curve.revenue(2000.0) == pytest.approx({"search": 40.0, "email": 15.0}[channel] * 2000.0 ** b, rel=0.03)


def test_curve_fit_equals_statsmodels_ols_to_the_last_bit() -> None:
    """The fit is statsmodels' ``OLS(y, add_constant(x)).fit()`` done with NumPy (importing
    statsmodels cost ~0.9 s per budget run): parameters, residuals, covariance and R² equal."""
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(11)
    for case in range(300):
        n = int(rng.integers(3, 160))
        x = np.log(rng.uniform(1.0, 10 ** rng.uniform(1, 7), n))
        x = np.round(x, 1) if case % 5 == 0 else x  # repeated spends
        y = rng.uniform(-0.5, 1.5) * x + rng.normal(0, rng.uniform(0.01, 2.0), n) + 3.0
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        params, resid, cov, rsquared = budget_curves._ols(x, y)
        assert np.array_equal(params, fit.params) and np.array_equal(resid, fit.resid)
        assert np.array_equal(cov, np.asarray(fit.cov_params())) and rsquared == float(fit.rsquared)


def _curve(channel: str, k: float, b: float) -> budget_curves.Curve:
    return budget_curves.Curve(channel, float(np.log(k)), b, np.diag([1e-4, 1e-4]), 1.0, 52, 0.9)


def test_optimum_matches_the_closed_form_with_a_common_elasticity() -> None:
    """With revenue_c = k_c x^b, the optimum is x_c proportional to k_c^(1/(1-b))."""
    ks, b = np.array([30.0, 10.0, 20.0]), 0.6
    curves = [_curve(f"c{i}", k, b) for i, k in enumerate(ks)]
    current = np.array([1800.0, 300.0, 900.0])  # bounds 0..2x current leave the optimum inside
    found = budget_curves.optimise(curves, current, 3000.0, shift=1.0)
    expected = ks ** (1 / (1 - b)) / (ks ** (1 / (1 - b))).sum() * 3000.0
    assert found == pytest.approx(expected, rel=1e-6)


def test_optimum_matches_a_general_solver_with_bounds() -> None:
    curves = [_curve("a", 30.0, 0.5), _curve("b", 8.0, 0.8), _curve("c", 20.0, 0.65)]
    current = np.array([2000.0, 500.0, 1500.0])
    budget, shift = 4000.0, 0.4
    found = budget_curves.optimise(curves, current, budget, shift)
    bounds = [(x * (1 - shift), x * (1 + shift)) for x in current]
    reference = minimize(lambda x: -sum(float(c.revenue(v)) for c, v in zip(curves, x, strict=True)), current,
                         method="SLSQP", bounds=bounds,
                         constraints=[{"type": "eq", "fun": lambda x: x.sum() - budget}], options={"ftol": 1e-12})
    assert found.sum() == pytest.approx(budget)
    assert found == pytest.approx(reference.x, rel=1e-3)
    assert all(lo - 1e-9 <= x <= hi + 1e-9 for x, (lo, hi) in zip(found, bounds, strict=True))


def test_budget_tool_on_a_file_what_if_and_interval(tmp_path: Path) -> None:
    file = tmp_path / "spend.csv"
    _weekly({"search": 40.0, "display": 5.0, "email": 15.0}, {"search": 0.6, "display": 0.7, "email": 0.75}).to_csv(
        file, index=False)
    optimised = budget_run(BudgetArgs(file=str(file), weeks=104))
    facts = optimised.facts
    assert facts["mode"] == "optimised" and facts["channels"] == 3
    assert facts["proposed_weekly_spend"] == pytest.approx(facts["current_weekly_spend"], rel=1e-6)
    assert facts["expected_change"] >= 0  # the current split is feasible, so the optimum is no worse
    assert facts["change_low"] <= facts["expected_change"] <= facts["change_high"]
    table = optimised.table.set_index("channel")
    assert table["elasticity"]["search"] == pytest.approx(0.6, abs=0.05)
    what_if = budget_run(BudgetArgs(file=str(file), weeks=104, change="search=+20%; display=-100"))
    moved = what_if.table.set_index("channel")
    assert moved.loc["search", "proposed_spend"] == pytest.approx(moved.loc["search", "current_spend"] * 1.2, abs=0.01)
    assert moved.loc["display", "spend_change"] == pytest.approx(-100, abs=0.01)
    assert moved.loc["email", "revenue_change"] == 0
    curve_gain = 40.0 * ((moved.loc["search", "proposed_spend"]) ** 0.6 - moved.loc["search", "current_spend"] ** 0.6)
    assert moved.loc["search", "revenue_change"] == pytest.approx(curve_gain, rel=0.1)
    with pytest.raises(ToolError, match="no channel 'tv'"):
        budget_run(BudgetArgs(file=str(file), change="tv=+10%"))
    with pytest.raises(ToolError, match="not 'channel=\\+20%'"):
        budget_run(BudgetArgs(file=str(file), change="search up a bit"))


# --- identity -----------------------------------------------------------------------------


RECORDS = """rid,src,mobile,unionid,mail,device
r1,crm,138-1234-5678,,a@x.com,
r2,app,+86 13812345678,u1,,d1
r3,wechat,,u1,,d2
r4,web,,,A@X.com ,d3
r5,app,13999990000,,,d2
r6,crm,13700001111,,b@y.com,d9
r7,web,,,,d9
r8,crm,13600002222,,b@y.com,
"""


def test_identity_by_hand_priorities_and_conflicts(tmp_path: Path) -> None:
    file = tmp_path / "records.csv"
    file.write_text(RECORDS, encoding="utf-8")
    flags = {"file": str(file), "record_column": "rid", "source_column": "src", "phone_column": "mobile",
             "union_id_column": "unionid", "email_column": "mail", "device_id_column": "device"}
    result = identity_run(IdentityArgs(**flags))
    mapping = result.per_customer().set_index("record")["one_id"]  # type: ignore[misc]
    groups = sorted(sorted(g.index) for _, g in mapping.groupby(mapping))
    # +86 and dashes normalised, e-mail case and spaces ignored; d2 would join two phones, b@y.com too
    assert groups == [["r1", "r2", "r3", "r4"], ["r5"], ["r6", "r7"], ["r8"]]
    facts = result.facts
    assert facts["records"] == 8 and facts["identities"] == 4 and facts["largest_identity"] == 4
    assert facts["merges_by_identifier"] == {"phone": 1, "union_id": 1, "email": 1, "device_id": 1}
    assert facts["conflicts_by_identifier"] == {"phone": 0, "union_id": 0, "email": 1, "device_id": 1}
    assert set(result.tables["conflicts"]["refused_by"]) == {"phone"}
    # device first: d2 and d9 join first (a person may have several devices); then the phones
    # refuse u1 (r2's phone vs r5's) and b@y.com, while a@x.com joins r4 (no phone)
    device_first = identity_run(IdentityArgs(**flags, priority="device_id,phone,union_id,email"))
    mapping = device_first.per_customer().set_index("record")["one_id"]  # type: ignore[misc]
    assert sorted(sorted(g.index) for _, g in mapping.groupby(mapping)) == [
        ["r1", "r2", "r4"], ["r3", "r5"], ["r6", "r7"], ["r8"]]
    assert device_first.facts["conflicts_by_identifier"] == {"device_id": 0, "phone": 0, "union_id": 1, "email": 1}
    # nothing one-per-person: plain connected components, d2 and b@y.com join everything they touch
    loose = identity_run(IdentityArgs(**flags, unique=""))
    mapping = loose.per_customer().set_index("record")["one_id"]  # type: ignore[misc]
    assert sorted(sorted(g.index) for _, g in mapping.groupby(mapping)) == [
        ["r1", "r2", "r3", "r4", "r5"], ["r6", "r7", "r8"]]
    assert loose.facts["conflicts"] == 0
    with pytest.raises(ToolError, match="not a list of distinct identifiers"):
        identity_run(IdentityArgs(**flags, priority="phone,fax"))


def test_stitching_without_conflicts_is_graph_components() -> None:
    """People with their own phone / e-mails / devices (never shared): stitching must find
    exactly the connected components of the record-identifier graph, and the true people."""
    rng = np.random.default_rng(11)
    people, rows = 400, []
    for person in range(people):
        phone = person if rng.random() < 0.6 else -1
        emails = [person * 3 + j for j in range(rng.integers(1, 3))]
        devices = [person * 5 + j for j in range(rng.integers(1, 4))]
        for _ in range(rng.integers(1, 6)):
            rows.append((person, phone if rng.random() < 0.5 else -1,
                         rng.choice(emails) if rng.random() < 0.6 else -1,
                         rng.choice(devices) if rng.random() < 0.7 else -1))
    data = np.array(rows)
    codes = data[:, 1:]
    stitched = identity_graph.stitch(codes, unique=[True, False, False])  # one phone, many e-mails and devices
    assert sum(stitched.conflicts) == 0
    n = len(codes)
    edges = [(i, n + level * 10_000 + v) for i in range(n) for level, v in enumerate(codes[i]) if v >= 0]
    a, b = np.array(edges).T
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n + 40_000, n + 40_000))
    _, components = connected_components(graph, directed=False)
    same_ours = stitched.labels[:, None] == stitched.labels[None, :]
    same_graph = components[:n, None] == components[None, :n]
    assert (same_ours == same_graph).all()
    truth = data[:, 0]
    assert ((truth[:, None] == truth[None, :]) | ~same_ours).all()  # never joins two true people


def _identity_warehouse(folder: Path) -> tuple[Path, Path]:
    db = folder / "cdp.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE records (record_id VARCHAR PRIMARY KEY, source VARCHAR, phone_hash VARCHAR, "
                    "union_id VARCHAR, email_hash VARCHAR, device_id VARCHAR, created_at TIMESTAMP)")
        rows = [(f"rec{i:03d}", ["crm", "app", "wechat"][i % 3], f"p{i // 4}" if i % 2 == 0 else None,
                 f"u{i // 6}" if i % 3 == 0 else None, f"e{i // 3}" if i % 5 else None, f"d{i // 2}",
                 "2025-01-01") for i in range(120)]
        con.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    model = folder / "model.yaml"
    model.write_text("""name: cdp_records
description: Records from several touchpoints before identity resolution.
tables:
  - name: records
    description: One row per source record.
    primary_key: record_id
    columns:
      - {name: record_id, type: VARCHAR}
      - {name: source, type: VARCHAR}
      - {name: phone_hash, type: VARCHAR}
      - {name: union_id, type: VARCHAR}
      - {name: email_hash, type: VARCHAR}
      - {name: device_id, type: VARCHAR}
      - {name: created_at, type: TIMESTAMP}
dimensions:
  - {name: source, table: records, column: source, label: Source, label_zh: 来源, description: The system the record came from.}
measures:
  - {name: records, table: records, agg: count, expr: record_id, time: records.created_at}
metrics:
  - {name: records, type: simple, measure: records, format: number, label: Records, label_zh: 记录数, description: Source records.}
roles:
  identity_entity: records
  identity_record: records.record_id
  identity_source: records.source
  identity_phone: records.phone_hash
  identity_union_id: records.union_id
  identity_email: records.email_hash
  identity_device_id: records.device_id
""", encoding="utf-8")
    return db, model


@pytest.mark.parametrize("question", ["run identity resolution (One ID) on our records", "做一次ID打通，统一身份识别"])
def test_identity_resolution_in_chat(tmp_path: Path, question: str) -> None:
    db, model = _identity_warehouse(tmp_path)
    assistant = Assistant.open(db, model_path=model, llm=False)
    try:
        answer = assistant.answer(AnswerRequest(question=question, session_id="one-id"))
    finally:
        assistant.close()
    assert answer.error is None and answer.decline is None, (answer.error, answer.decline)
    assert answer.tool_call is not None and answer.tool_call.name == "identity_resolution"
    assert answer.chart is not None
    json.loads(pio.to_json(answer.chart))  # what the UI sends to the browser
    assert "120" in answer.narrative


@pytest.mark.parametrize(("question", "tool"), [
    ("how should we reallocate the budget across channels?", "budget_allocation"),
    ("各渠道预算分配怎么优化", "budget_allocation"),
    ("run identity resolution (One ID)", "identity_resolution"),
    ("帮我做ID打通", "identity_resolution"),
])
def test_the_llm_agent_is_offered_the_tool(question: str, tool: str) -> None:
    from genbi.assistant.agent.extra_tools import intent_matches

    assert tool in intent_matches(question)
