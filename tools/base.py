"""What every marketing tool shares: a typed result and a registry the front ends read.

A tool is one entry function taking a pydantic args model (the same schema serves the CLI,
the LLM agent's tool list and the offline planner) and returning a ``ToolResult``: a table,
an optional chart, and key facts the narrative is written from. Tools return data, never
prompt text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from genbi.errors import GenbiError
from genbi.lazy import lazy_module

from .audience_sql import AudienceSQL

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

ArgsT = TypeVar("ArgsT", bound=BaseModel)


class ToolError(GenbiError):
    """A tool could not run on the given input (missing role, empty audience, bad file)."""


@dataclass(frozen=True)
class ToolResult:
    """A tool's answer: the main table, an optional plotly chart, facts for the narrative."""

    tool: str
    table: pd.DataFrame
    chart: Any = None
    facts: dict[str, Any] = field(default_factory=dict)
    """Key numbers and names the narrative and the LLM are given (small, JSON-able)."""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Secondary tables (e.g. per-model attribution detail), by name."""
    customer_ids: tuple[int, ...] | tuple[str, ...] | None = None
    """Set when the result is a set of customers that can be saved as an audience."""
    audience: AudienceSQL | None = None
    """The same set of customers as SQL, for tools that use it as an audience (copy facts)."""
    sql: tuple[str, ...] = ()
    """The SQL the tool ran, for transparency."""
    per_customer: Callable[[], pd.DataFrame] | None = None
    """Fetches one row per customer (scores, cluster, predicted value ...) on demand: for
    ``--out`` exports, so a summary answer never pays for moving every customer."""


@dataclass(frozen=True)
class ToolSpec(Generic[ArgsT]):
    """A registered tool: name, argument model, entry function and intent words."""

    name: str
    args_model: type[ArgsT]
    run: Callable[..., ToolResult]
    description: str
    intents: tuple[str, ...] = ()
    """Words (English and Chinese) that make the offline planner pick this tool."""
    actions: tuple[str, ...] = ()
    """Regular expressions for the action a question asks of this tool ("写3条", "draft"):
    when one matches, the other tools' words only describe its input ("write an SMS for
    the churn-risk customers" is copy, not a churn model)."""


_CHARTS: ContextVar[bool] = ContextVar("genbi_tool_charts", default=True)


def chart(build: Callable[[], Any]) -> Any:
    """``build()``: the tool's chart, or None inside ``without_charts`` (plotly's import and
    the figure cost a fifth of a second that a caller showing no chart need not pay)."""
    return build() if _CHARTS.get() else None


@contextlib.contextmanager
def without_charts() -> Iterator[None]:
    """Tools run inside build no chart (``genbi tool`` prints JSON or a table, never a chart)."""
    token = _CHARTS.set(False)
    try:
        yield
    finally:
        _CHARTS.reset(token)


_REGISTRY: dict[str, ToolSpec[Any]] = {}


def register_tool(spec: ToolSpec[Any]) -> ToolSpec[Any]:
    """Add a tool to the registry (module import time); names are unique."""
    if spec.name in _REGISTRY and _REGISTRY[spec.name] is not spec:
        raise ValueError(f"tool {spec.name!r} registered twice")
    _REGISTRY[spec.name] = spec
    return spec


TOOL_MODULES: dict[str, str] = {
    "ab_test": "genbi.tools.ab_test", "anomalies": "genbi.tools.anomalies",
    "budget_allocation": "genbi.tools.budget", "churn_risk": "genbi.tools.churn", "clv": "genbi.tools.clv",
    "cohort_retention": "genbi.tools.cohort", "explain_change": "genbi.tools.explain_change",
    "funnel": "genbi.tools.funnel", "identity_resolution": "genbi.tools.identity",
    "lifecycle": "genbi.tools.lifecycle", "lookalike": "genbi.tools.lookalike", "rfm": "genbi.tools.rfm",
    "segments": "genbi.tools.segments", "attribution": "genbi.tools.attribution.tool",
    "generate_copy": "genbi.tools.copywriting.tool",
}
"""Tool name -> the module that registers it (a test keeps it equal to the catalog's), so
``genbi tool NAME`` imports that tool alone, not every tool and their libraries."""


def tool_spec(name: str) -> ToolSpec[Any] | None:
    """The tool called ``name`` (None if there is none), importing only its module when known."""
    module = TOOL_MODULES.get(name)
    if module is not None:
        import importlib

        importlib.import_module(module)
        if name in _REGISTRY:
            return _REGISTRY[name]
    return registered_tools().get(name)


def registered_tools() -> dict[str, ToolSpec[Any]]:
    """All tools, importing the tool modules on first use, in the catalog's order: the
    planner breaks ties between tools by this order, so it must not depend on which module
    happened to be imported first ("at risk of churning" went to rfm after an import of rfm)."""
    from genbi.tools import catalog

    order = {name: i for i, name in enumerate(catalog.ORDER)}
    return dict(sorted(_REGISTRY.items(), key=lambda item: (order.get(item[1].run.__module__, len(order)), item[0])))
