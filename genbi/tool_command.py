"""``genbi tool NAME --arg value ...``: every registered marketing tool from the shell.

The flags are the tool's own argument model (``--seed-segment Champions`` fills
``seed_segment``), so the CLI, the LLM agent and the planner share one schema. Tools that
take a file (``--paths-file``, ``--file``) run on it without opening a warehouse.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from genbi.errors import ConfigError, GenbiError
from genbi.tools.base import ToolResult, ToolSpec, registered_tools, tool_spec

if TYPE_CHECKING:
    from genbi.semantic_layer.model import SemanticModel

@dataclass(frozen=True)
class ToolRun:
    """One ``genbi tool`` run: the tool, its checked arguments, its result and the semantic
    model it ran through (None for a tool run on a file)."""

    spec: ToolSpec[Any]
    args: BaseModel
    result: ToolResult
    model: SemanticModel | None


_FILE_FIELDS = ("file", "paths_file", "touches_file", "events_file", "records_file", "counts_file")


def tool_names() -> list[str]:
    return sorted(registered_tools())


def parse_flags(spec: ToolSpec[Any], flags: list[str]) -> dict[str, Any]:
    """``["--seed-segment", "Champions", "--strict"]`` -> ``{"seed_segment": "Champions", "strict": True}``."""
    fields = spec.args_model.model_fields
    values: dict[str, Any] = {}
    index = 0
    while index < len(flags):
        flag = flags[index]
        if not flag.startswith("--"):
            raise ConfigError(f"Unexpected argument '{flag}' for tool {spec.name}.", _usage(spec))
        name, _, inline = flag[2:].partition("=")
        key = name.replace("-", "_")
        if key not in fields:
            raise ConfigError(f"The tool {spec.name} has no option --{name}.", _usage(spec))
        if inline:
            values[key] = inline
        elif index + 1 < len(flags) and not flags[index + 1].startswith("--"):
            index += 1
            values[key] = flags[index]
        else:
            values[key] = True
        index += 1
    return values


def run_tool(name: str, flags: list[str], *, db: Any, resolve_db: Any, user: str = "cli:local",
             role: str | None = None, per_customer: bool = False, use_cache: bool = True) -> ToolRun:
    """Run a tool as ``user`` under the SQL policy of their role (``roles.yaml``): the
    model's tables and columns only, personal data only for a role allowed to see it.
    With ``per_customer`` the tool's per-customer rows are fetched before the warehouse
    closes (``result.per_customer()`` then returns them). ``use_cache`` False (``--no-cache``):
    the tool reads the warehouse only, not what genbi kept from it."""
    found = tool_spec(name)  # imports that tool only: a CLI run does not pay for every tool's libraries
    if found is None:
        raise ConfigError(f"Unknown tool '{name}'.", f"Tools: {', '.join(sorted(registered_tools()))}.")
    spec = found
    raw = parse_flags(spec, flags)
    try:
        args = spec.args_model(**raw)
    except ValidationError as error:
        problems = "; ".join(f"--{'-'.join(map(str, e['loc'])).replace('_', '-')}: {e['msg']}" for e in error.errors())
        raise ConfigError(f"Bad options for {name}: {problems}.", _usage(spec)) from None
    if any(getattr(args, f, None) for f in _FILE_FIELDS):
        return ToolRun(spec, args, _fetched(spec.run(args, None), per_customer), None)
    from genbi.assistant.access import AccessControl
    from genbi.assistant.answer import AnswerRequest
    from genbi.assistant.audit import AuditLog, audit_tool
    from genbi.assistant.workspace import choose_model
    from genbi.semantic_layer.sources import table_sources
    from genbi.semantic_layer.warehouse import Warehouse
    from genbi.tools.roles import RoleSource

    db_path = resolve_db(db)  # ``db`` is a settings.Workspace (or a path), resolved by the caller's function
    model = choose_model(db_path, getattr(getattr(db, "model", None), "value", None)).model
    from genbi import settings
    from genbi.assistant.formatting import use_currency

    use_currency(settings.currency(model.currency))  # a drafted model of a euro shop is not shown in ¥
    access = AccessControl.load(model, role=role).for_request(AnswerRequest("", user=user), llm=False)
    started, outcome, reason, rows = time.perf_counter(), "internal_error", None, 0
    try:
        access.check_tool(name)
        warehouse = Warehouse.open(db_path, allowed_tables=model.table_names, policy=access.policy,
                                   sources=table_sources(model))
        try:
            source = RoleSource.from_model(model, warehouse)
            source.use_cache = use_cache
            result = _fetched(spec.run(args, source), per_customer)
        finally:
            warehouse.close()
        outcome, rows = "answered", len(result.table)
        return ToolRun(spec, args, result, model)
    except GenbiError as error:
        outcome, reason = ("refused" if "role" in str(error) or "Refused" in str(error) else "error"), str(error)
        raise
    finally:
        audit_tool(AuditLog(), user=user, role=access.role.name, tool=name,
                   arguments=args.model_dump(mode="json", exclude_defaults=True), outcome=outcome,
                   reason=reason, rows=rows, started=started)


def _fetched(result: ToolResult, per_customer: bool) -> ToolResult:
    """The result with its per-customer rows already fetched (or the table, for tools without)."""
    if not per_customer:
        return result
    frame = result.per_customer() if result.per_customer is not None else result.table
    return replace(result, per_customer=lambda: frame)


def tool_help(spec: ToolSpec[Any]) -> str:
    """``genbi tool NAME --help``: the tool's description and each of its own options."""
    lines = [f"genbi tool {spec.name} [--db FILE] [--json] [--out FILE.csv] [--no-cache] [OPTIONS]", "",
             spec.description, "", "Options:"]
    for name, field in spec.args_model.model_fields.items():
        kind = getattr(field.annotation, "__name__", None) or str(field.annotation)
        kind = kind.replace("typing.", "").replace("datetime.", "").replace(" | None", "")
        default = "" if field.is_required() else f" (default: {field.default})"
        text = field.description or ""
        lines.append(f"  --{name.replace('_', '-'):<24} {kind:<14} {text}{default}")
    lines += ["", "--out writes one row per customer (scores, segment, cluster, predictions) when the "
              "tool has them, else the result table. --no-cache reads the warehouse only, not what genbi "
              "kept from it (attribution's journeys)."]
    return "\n".join(lines)


def tools_overview() -> str:
    """``genbi tool --help``: every tool with the first sentence of its description."""
    tools = registered_tools()
    rows = [f"  {name:<18} {spec.description.split(': ')[0]}" for name, spec in sorted(tools.items())]
    return "\n".join(["genbi tool NAME [OPTIONS]   (genbi tool NAME --help for a tool's options)", "", *rows])


def result_payload(result: ToolResult) -> dict[str, Any]:
    table = json.loads(result.table.to_json(orient="split", date_format="iso", index=False))
    return {"tool": result.tool, "columns": table["columns"], "rows": table["data"], "facts": result.facts,
            "customers": len(result.customer_ids) if result.customer_ids is not None else None}


def _usage(spec: ToolSpec[Any]) -> str:
    options = ", ".join(
        f"--{name.replace('_', '-')}" for name in spec.args_model.model_fields
    )
    return f"Options of {spec.name}: {options}."
