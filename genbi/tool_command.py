"""``genbi tool NAME --arg value ...``: every registered marketing tool from the shell.

The flags are the tool's own argument model (``--seed-segment Champions`` fills
``seed_segment``), so the CLI, the LLM agent and the planner share one schema. Tools that
take a file (``--paths-file``, ``--file``) run on it without opening a warehouse.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from genbi.errors import ConfigError
from genbi.tools.base import ToolResult, ToolSpec, registered_tools

_FILE_FIELDS = ("file", "paths_file")


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
             role: str | None = None) -> tuple[ToolSpec[Any], ToolResult]:
    """Run a tool as ``user`` under the SQL policy of their role (``roles.yaml``): the
    model's tables and columns only, personal data only for a role allowed to see it."""
    tools = registered_tools()
    if name not in tools:
        raise ConfigError(f"Unknown tool '{name}'.", f"Tools: {', '.join(sorted(tools))}.")
    spec = tools[name]
    raw = parse_flags(spec, flags)
    try:
        args = spec.args_model(**raw)
    except ValidationError as error:
        problems = "; ".join(f"--{'-'.join(map(str, e['loc'])).replace('_', '-')}: {e['msg']}" for e in error.errors())
        raise ConfigError(f"Bad options for {name}: {problems}.", _usage(spec)) from None
    if any(getattr(args, f, None) for f in _FILE_FIELDS):
        return spec, spec.run(args, None)
    from genbi.assistant.access import AccessControl
    from genbi.assistant.answer import AnswerRequest
    from genbi.assistant.workspace import choose_model
    from genbi.semantic_layer.sources import table_sources
    from genbi.semantic_layer.warehouse import Warehouse
    from genbi.tools.roles import RoleSource

    db_path = resolve_db(db)  # ``db`` is a settings.Workspace (or a path), resolved by the caller's function
    model = choose_model(db_path, getattr(getattr(db, "model", None), "value", None)).model
    access = AccessControl.load(model, role=role).for_request(AnswerRequest("", user=user), llm=False)
    access.check_tool(name)
    warehouse = Warehouse.open(db_path, allowed_tables=model.table_names, policy=access.policy,
                               sources=table_sources(model))
    try:
        return spec, spec.run(args, RoleSource.from_model(model, warehouse))
    finally:
        warehouse.close()


def result_payload(result: ToolResult) -> dict[str, Any]:
    table = json.loads(result.table.to_json(orient="split", date_format="iso", index=False))
    return {"tool": result.tool, "columns": table["columns"], "rows": table["data"], "facts": result.facts,
            "customers": len(result.customer_ids) if result.customer_ids is not None else None}


def _usage(spec: ToolSpec[Any]) -> str:
    options = ", ".join(
        f"--{name.replace('_', '-')}" for name in spec.args_model.model_fields
    )
    return f"Options of {spec.name}: {options}."
