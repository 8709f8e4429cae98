"""The ``genbi`` command line: a thin adapter over the library, like the UI and the bot.

Every command turns a ``GenbiError`` into one line on stderr and a non-zero exit; anything
else is our bug, logged with its traceback to the state directory and summarised in one line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from genbi import __version__, settings
from genbi.errors import ConfigError, GenbiError
from genbi.logs import configure_logging
from genbi.text_safety import strip_terminal

app = typer.Typer(
    name="genbi",
    help="Conversational generative BI for marketing teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
data_app = typer.Typer(help="The demo warehouse.", no_args_is_help=True)
model_app = typer.Typer(help="The semantic model.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log: every question and SQL statement.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(model_app, name="model")
audience_app = typer.Typer(help="Saved audiences: customers saved from a tool answer (chat or --save-audience).",
                           no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(audience_app, name="audience")


def _add_watch_commands() -> None:
    from genbi.watch_command import dashboard_app, watch_app

    app.add_typer(dashboard_app, name="dashboard")
    app.add_typer(watch_app, name="watch")


_add_watch_commands()

log = logging.getLogger("genbi.cli")

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="The warehouse: a DuckDB file, a folder of CSV/Parquet files or one "
                 "such file, or a URL: postgresql://user@host/db, sc://host:15002 (Spark Connect), "
                 "snowflake://, bigquery://, trino:// (default: $GENBI_DB, genbi.yaml, else the demo)."),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="Semantic model YAML (default: $GENBI_MODEL, genbi.yaml, else the "
                 "demo model on the demo, a draft of any other warehouse)."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Today for relative time: YYYY-MM-DD, 'today' or 'data_end' "
                 "(default: the demo's 2025-12-31 on the demo, the real date on your data)."),
]
RoleOption = Annotated[
    str | None,
    typer.Option("--role", help="Answer as this role (roles.yaml; default $GENBI_ROLE, else marketer)."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"genbi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    configure_logging()


@data_app.command("generate")
def data_generate(
    out: Annotated[Path, typer.Option("--out", help="Where to write the DuckDB file.")],
    customers: Annotated[int, typer.Option(help="Number of customers (scales every table).")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed and scale, same data.")] = 42,
    plant_spend_cut: Annotated[str | None, typer.Option(
        help="Plant a known change for testing explanations: 'channel:YYYY-MM[:factor]', e.g. "
             "'douyin:2025-10:0.1' (douyin spends 10 % of its usual amount that month).")] = None,
) -> None:
    """Generate the demo marketing warehouse."""
    from genbi.demo import generate_warehouse
    from genbi.demo.planted import SpendCut

    cut = SpendCut.parse(plant_spend_cut) if plant_spend_cut else None
    report = generate_warehouse(out, customers=customers, seed=seed, spend_cut=cut)
    total = sum(report.rows.values())
    typer.echo(f"Wrote {out} ({customers:,} customers, {total:,} rows) in {report.seconds:.1f} s")
    for table, rows in report.rows.items():
        typer.echo(f"  {table:<24}{rows:>12,}")


@data_app.command("load")
def data_load(
    to: Annotated[str, typer.Option("--to", help="postgresql://user@host/db or sc://host:15002 (Spark Connect).")],
    source: Annotated[Path | None, typer.Option("--from", help="A DuckDB file (default: the demo warehouse).")] = None,
) -> None:
    """Copy the demo warehouse (or any DuckDB file) into Postgres or a Spark catalog."""
    from genbi.demo.load import load_warehouse

    path = source if source is not None else settings.default_db_path()
    if source is None and not path.exists():
        from genbi.demo import generate_warehouse

        typer.echo(f"First run: generating the demo warehouse at {path} ...", err=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        generate_warehouse(path)
    report = load_warehouse(path, to, on_table=lambda table, rows: typer.echo(f"  {table:<24}{rows:>12,}"))
    total = sum(report.rows.values())
    typer.echo(f"Copied {len(report.rows)} tables ({total:,} rows) from {path} to {report.target} "
               f"in {report.seconds:.1f} s")


@app.command("sql")
def sql_command(
    query: Annotated[str, typer.Argument(help="One read-only SELECT statement.")],
    db: DbOption = None,
    max_rows: Annotated[int, typer.Option(help="Show at most this many rows.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    role: RoleOption = None,
    model: ModelOption = None,
) -> None:
    """Run read-only SQL on the warehouse and print the result.

    Only the model's tables and columns can be read; personal data only by a role allowed
    to see it. Every statement is audited (`genbi audit tail`).
    """
    from genbi.assistant.access import AccessControl
    from genbi.assistant.answer import AnswerRequest
    from genbi.assistant.audit import AuditLog, audit_sql
    from genbi.assistant.workspace import choose_model
    from genbi.errors import UnsafeSQLError
    from genbi.semantic_layer.sources import table_sources
    from genbi.semantic_layer.warehouse import Warehouse

    workspace = settings.workspace(db, model)
    db_path = open_db(workspace)
    chosen = choose_model(db_path, workspace.model.value).model
    user = _cli_user()
    access = AccessControl.load(chosen, role=role).for_request(AnswerRequest("", user=user), llm=False)
    started = time.perf_counter()
    warehouse = Warehouse.open(db_path, allowed_tables=chosen.table_names, policy=access.policy,
                               sources=table_sources(chosen))
    try:
        result = warehouse.run(query)
    except GenbiError as error:
        audit_sql(AuditLog(), user=user, role=access.role.name, sql=query, reason=str(error), rows=0,
                  outcome="refused" if isinstance(error, UnsafeSQLError) else "error",
                  truncated=False, started=started)
        raise
    finally:
        warehouse.close()
    rows = access.mask_rows(tuple(result.columns), result.rows)
    audit_sql(AuditLog(), user=user, role=access.role.name, sql=query, outcome="answered", reason=None,
              rows=len(rows), truncated=result.truncated, started=started)
    if as_json:
        typer.echo(json.dumps(_result_json(result.columns, rows, result.truncated)))
        return
    _print_table(result.columns, rows[:max_rows])
    shown = min(len(rows), max_rows)
    more = " (more rows were cut)" if result.truncated or len(rows) > max_rows else ""
    typer.echo(f"{shown} row(s){more}", err=True)


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help="A question in English or Chinese.")],
    db: DbOption = None,
    as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    max_rows: Annotated[int, typer.Option(help="Show at most this many rows.")] = 50,
    role: RoleOption = None,
    model: ModelOption = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Recompute from the warehouse instead of reusing a recent identical result.")] = False,
) -> None:
    """Ask a question; prints how it was read, the numbers, a narrative and the SQL.

    A question whose SQL, data and role match one answered in the last 10 minutes
    (GENBI_CACHE_TTL seconds) is answered from the result cache, and says so."""
    from genbi.assistant import AnswerRequest
    from genbi.assistant.serialize import answer_to_dict

    if not question.strip():
        typer.echo('error: the question is empty. Ask one, e.g. genbi ask "revenue by channel last month" '
                   'or genbi ask "上个月各渠道的销售额".', err=True)
        raise typer.Exit(2)
    assistant = open_assistant(settings.workspace(db, model, as_of))
    try:
        assert assistant.access is not None
        assistant.access = assistant.access.forcing(role)
        assistant.charts = False  # a terminal shows no chart: don't build one
        answer = assistant.answer(AnswerRequest(question=question, session_id="cli", user=_cli_user(),
                                                use_cache=not no_cache))
    finally:
        assistant.close()
    if as_json:
        payload = answer_to_dict(answer)
        payload.pop("chart", None)
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_answer(answer, max_rows)
    if answer.error:
        raise typer.Exit(1)


def _print_answer(answer: Any, max_rows: int, *, sql: bool = True) -> None:
    """How it was read, the table through the formatting layer (money, rates, counts, labels
    in the answer's language, as the chat shows it), the narrative, notes and the SQL."""
    from rich.console import Console
    from rich.syntax import Syntax

    from genbi.assistant.display import display_table

    console = Console()
    if answer.declined:
        console.print(f"[yellow]{_plain(answer.decline.reason)}[/yellow]")
        if answer.decline.suggestions:
            console.print("Try: " + " | ".join(_plain(s) for s in answer.decline.suggestions))
        return
    if answer.interpretation:
        console.print(f"[bold]{_plain(answer.interpretation)}[/bold]")
    if answer.error:
        console.print(f"[red]{_plain(answer.error)}[/red]")
        return
    if answer.columns:
        shown = display_table(answer, max_rows)
        _print_table(shown.headers, shown.rows, numeric=shown.numeric)
    if len(answer.rows) > max_rows:
        console.print(f"… {len(answer.rows) - max_rows:,} more rows (use --json for all)")
    if answer.narrative:
        console.print(_plain(answer.narrative))
    for warning in answer.warnings:
        console.print(f"[yellow]note:[/yellow] {_plain(warning)}")
    if answer.cached_age_s is not None:
        console.print("[yellow]note:[/yellow] --no-cache recomputes it from the warehouse.")
    if sql and answer.sql:
        console.print(Syntax(strip_terminal(_display_sql(answer.sql)), "sql", theme="ansi_dark", word_wrap=True))


def _plain(text: str) -> str:
    """Text from the warehouse or an LLM for rich: no escape sequences, no markup."""
    from rich.markup import escape

    return escape(strip_terminal(text))


@app.command("eval")
def eval_command(
    cases: Annotated[
        list[Path] | None, typer.Argument(help="Case files or folders (default: eval/cases).")
    ] = None,
    db: DbOption = None,
    model: ModelOption = None,
    as_of: AsOfOption = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write a JSON report here.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Only cases with this tag.")] = None,
    llm: Annotated[
        bool, typer.Option("--llm", help="Answer through the LLM agent (GENBI_LLM_MODEL ...); "
                           "prints requests, tokens and cost.")
    ] = False,
) -> None:
    """Measure execution accuracy on eval case files; exit 1 below the threshold."""
    from genbi.eval.cli import main_eval

    paths = cases or [_default_cases()]
    workspace = settings.workspace(db, model, as_of)
    db_path = open_db(workspace)
    assistant = open_assistant(workspace, llm=llm)
    answerer: Any = assistant
    if llm:
        from genbi.assistant.agent.evalrun import RecordingAnswerer

        answerer = RecordingAnswerer(assistant)
        typer.echo(f"brain: {assistant.brain} at {assistant.agent.settings.endpoint}")
    try:
        code = main_eval(paths, answerer=answerer, db_path=db_path, report_path=report, tags=tag,
                         progress=True, default_as_of=assistant.as_of)
        if llm:
            _llm_summary(answerer, assistant, report)
    finally:
        assistant.close()
    raise typer.Exit(code)


def _llm_summary(recorder: Any, assistant: Any, report: Path | None) -> None:
    from genbi.assistant.agent.evalrun import add_usage_to_report

    endpoint = assistant.agent.settings.endpoint
    for line in recorder.summary_lines(assistant.brain, endpoint):
        typer.echo(line)
    if report is not None and report.exists():
        add_usage_to_report(report, recorder, assistant.brain, endpoint)


@app.command("doctor")
def doctor_command(db: DbOption = None, model: ModelOption = None, as_of: AsOfOption = None) -> None:
    """Which warehouse, model and "today" genbi uses and why; which brain answers (offline
    planner or an LLM) and whether the LLM endpoint works."""
    from genbi.assistant.agent.doctor import run_checks

    workspace = settings.workspace(db, model, as_of)
    for name, value, why in workspace.describe():
        typer.echo(f"{'    '} {name:<11}{value}  ({why})")
    from genbi.setup_checks import environment_checks

    checks = environment_checks(workspace) + run_checks()
    for check in checks:
        typer.echo(f"{'ok  ' if check.ok else 'FAIL'} {check.name:<11}{check.detail}")
    if not all(check.ok for check in checks):
        raise typer.Exit(1)


def _default_cases() -> Path:
    from importlib.resources import files

    return Path(str(files("genbi.eval") / "cases"))


@app.command(
    "tool",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
)
def tool_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="rfm, segments, lifecycle, cohort_retention, funnel, attribution, ab_test, lookalike, churn_risk, clv, generate_copy, ...; `genbi tool NAME --help` lists its options.")] = None,
    db: DbOption = None,
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write one row per customer (or the result table) as CSV.")] = None,
    save_audience: Annotated[str | None, typer.Option("--save-audience", help="Save the customers in the result as a named audience.")] = None,
    role: RoleOption = None,
    lang: Annotated[str | None, typer.Option("--lang", help="en or zh: the language of the table and its sentences (default: the tool's --language, else en).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Read the warehouse only, not what genbi kept from it (attribution's kept journeys).")] = False,
) -> None:
    """Run a marketing tool; its options are the tool's own (e.g. --seed-segment Champions)."""
    from genbi.tool_command import result_payload, run_tool, tool_help, tools_overview
    from genbi.tools.base import registered_tools, tool_spec, without_charts
    from genbi.tools.progress import TerminalBar, listening

    flags = list(ctx.args)
    if name is None or name in ("--help", "-h"):
        typer.echo(tools_overview())
        return
    if "--help" in flags or "-h" in flags:
        spec = tool_spec(name)  # that tool's module only, not every tool's
        if spec is None:
            raise ConfigError(f"Unknown tool '{name}'.", f"Tools: {', '.join(sorted(registered_tools()))}.")
        typer.echo(tool_help(spec))
        return
    if lang not in (None, "en", "zh"):
        raise ConfigError(f"--lang must be en or zh, not '{lang}'.", "Use --lang en or --lang zh.")
    bar = TerminalBar(name)
    try:
        with listening(bar), without_charts():  # JSON or a table: no chart is shown
            workspace = settings.workspace(db, model)
            ran = run_tool(name, flags, db=workspace, resolve_db=open_db, user=_cli_user(), role=role,
                           per_customer=out is not None, use_cache=not no_cache)
            result = ran.result
            if out is not None and result.per_customer is not None:
                frame = result.per_customer()
                frame.to_csv(out, index=False, encoding="utf-8-sig")
    finally:
        bar.close()
    if save_audience:
        from genbi.assistant.state import StateStore

        if result.customer_ids is None:
            raise ConfigError(f"The {name} result is not a set of customers.", "Pick a segment, cluster or top-N list first.")
        call = {"tool": name, "arguments": ran.args.model_dump(mode="json", exclude_defaults=True)}
        audience = StateStore().save_audience(save_audience, result.customer_ids, source=json.dumps(
            call, ensure_ascii=False, sort_keys=True))
        typer.echo(f"Saved audience '{audience.name}' ({audience.size:,} customers).", err=True)
    if as_json:
        typer.echo(json.dumps(result_payload(result), ensure_ascii=False, default=str, indent=2))
        return
    _print_answer(_tool_answer(ran, lang), max_rows=30, sql=False)
    if out is not None:
        typer.echo(f"Wrote {len(frame):,} rows to {out}", err=True)


def _tool_answer(ran: Any, lang: str | None) -> Any:
    """A ``genbi tool`` run as the chat would show it: titled, labelled and formatted."""
    from genbi.assistant.answer import ToolCall
    from genbi.assistant.tool_answer import tool_answer

    language = lang or getattr(ran.args, "language", None) or "en"
    call = ToolCall(ran.spec.name, ran.args.model_dump(mode="json", exclude_defaults=True))
    return tool_answer(call, ran.result, question="", language=language, brain="genbi tool", model=ran.model,
                       chart=False)


@app.command("ui")
def ui_command(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7860,
    as_of: AsOfOption = None,
    model: ModelOption = None,
) -> None:
    """Start the chat UI in the browser (http://127.0.0.1:7860 by default)."""
    import os

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    workspace = settings.workspace(db, model, as_of)
    path = open_db(workspace)
    typer.echo(f"Starting genbi ui on http://{host}:{port} over {_shown(path)} ...", err=True)
    from genbi.ui.app import launch

    launch(path, host=host, port=port, as_of=_as_of_arg(workspace), model_path=workspace.model.value)


@app.command("slack")
def slack_command(
    db: DbOption = None,
    port: Annotated[int, typer.Option(help="Port for HTTP mode (not used in Socket Mode).")] = 3000,
    host: Annotated[str, typer.Option(help="Interface for HTTP mode.")] = "0.0.0.0",
    as_of: AsOfOption = None,
    model: ModelOption = None,
) -> None:
    """Run the Slack bot: Socket Mode with SLACK_APP_TOKEN, else HTTP on --port (see README)."""
    from genbi.ui.slack.config import load_config

    config = load_config()  # settings first: a typo costs one line, not a warehouse build
    workspace = settings.workspace(db, model, as_of)
    path = open_db(workspace)
    from genbi.ui.slack.server import serve

    serve(config, path, host=host, port=port, as_of=_as_of_arg(workspace), model_path=workspace.model.value,
          announce=lambda line: typer.echo(line, err=True))


@model_app.command("draft")
def model_draft(
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the YAML here.")] = None,
) -> None:
    """Draft a semantic model from a warehouse: keys, joins, metrics, dimensions, words."""
    from genbi.semantic_layer.introspection import check_draft, draft_model

    workspace = settings.workspace(db)
    draft = draft_model(open_db(workspace))
    model = check_draft(draft.text)
    summary = (
        f"Drafted {len(model.tables)} tables, {sum(len(t.many_to_one) for t in model.tables)} joins, "
        f"{len(model.metrics)} metrics, {len(model.dimensions)} dimensions from {_shown(workspace.db.value)}."
    )
    _write_draft(draft, out, summary)
    if out is not None:
        typer.echo(f"Wrote {out}. Check it with `genbi model show --model {out}`; "
                   f"use it with --model {out} (or GENBI_MODEL, or genbi.yaml).")


@model_app.command("import-dbt")
def model_import_dbt(
    project: Annotated[Path, typer.Argument(help="A dbt project folder (or one YAML file) with semantic_models and metrics.")],
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the YAML here.")] = None,
) -> None:
    """Import a dbt MetricFlow semantic layer (semantic_models + metrics) as a genbi model."""
    from genbi.semantic_layer.dbt_import import import_dbt
    from genbi.semantic_layer.introspection import check_draft

    columns = None
    if db is not None or settings.resolve_db().origin != "default":
        from genbi.semantic_layer.warehouse import Warehouse

        with Warehouse.open(open_db(settings.workspace(db))) as warehouse:
            columns = warehouse.tables()
    draft = import_dbt(project, columns=columns)
    model = check_draft(draft.text)
    _write_draft(draft, out, f"Imported {len(model.tables)} tables, {len(model.measures)} measures, "
                 f"{len(model.metrics)} metrics, {len(model.dimensions)} dimensions from {project}.")


def _write_draft(draft: Any, out: Path | None, summary: str) -> None:
    """The YAML to ``out`` (or stdout, the summary and report then on stderr), then the
    summary and what could not be decided."""
    if out is None:
        typer.echo(draft.text)
    else:
        out.write_text(draft.text, encoding="utf-8")
    typer.echo(summary, err=out is None)
    for line in draft.report:
        typer.echo(f"  - {line}", err=out is None)


@model_app.command("check")
def model_check(model: ModelOption = None, db: DbOption = None) -> None:
    """Validate a model file (every problem at once) and that the warehouse has its tables."""
    from genbi.assistant.workspace import choose_model
    from genbi.semantic_layer.sources import table_sources
    from genbi.semantic_layer.warehouse import Warehouse

    workspace = settings.workspace(db, model)
    db_path = open_db(workspace)
    chosen = choose_model(db_path, workspace.model.value)
    with Warehouse.open(db_path, allowed_tables=chosen.model.table_names,
                        sources=table_sources(chosen.model)) as warehouse:
        missing = _missing_columns(chosen.model, warehouse.tables())
    if missing:
        raise ConfigError("The warehouse lacks what the model reads: " + "; ".join(missing) + ".",
                          "Fix the names (or 'source:') in the model, or draft it again.")
    model_name = chosen.path or chosen.model.name
    typer.echo(f"ok: {model_name} is valid on {db_path}: {len(chosen.model.tables)} tables, "
               f"{len(chosen.model.metrics)} metrics, {len(chosen.model.dimensions)} dimensions.")


def _missing_columns(model: Any, tables: dict[str, dict[str, str]]) -> list[str]:
    missing = []
    for table in model.tables:
        found = tables.get(table.name)
        if found is None:
            missing.append(f"table {table.name}")
            continue
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in found]
    return missing


@model_app.command("show")
def model_show(
    model: ModelOption = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A readable summary: metrics, dimensions, joins, and what each metric can be split by."""
    from genbi.assistant.workspace import choose_model
    from genbi.semantic_layer.summary import summarize_model

    workspace = settings.workspace(db, model)
    chosen = choose_model(open_db(workspace), workspace.model.value)
    summary = summarize_model(chosen.model)
    if as_json:
        typer.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
        return
    typer.echo(f"model {chosen.path or chosen.model.name} ({chosen.why})")
    typer.echo(summary.render())


@audit_app.command("tail")
def audit_tail(
    lines: Annotated[int, typer.Option("-n", "--lines", help="How many records to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON lines as stored.")] = False,
) -> None:
    """Show the latest audit records: who asked what, the outcome, rows and time."""
    from genbi.assistant.audit import AuditLog, format_record

    audit = AuditLog()
    records = audit.tail(lines)
    if not records:
        typer.echo(f"No audit records yet ({audit.path}).", err=True)
        return
    for record in records:
        typer.echo(json.dumps(record, ensure_ascii=False) if as_json else format_record(record))


LangOption = Annotated[str, typer.Option("--lang", help="en or zh: the language of the table and sentences.")]


@audience_app.command("list")
def audience_list(lang: LangOption = "en") -> None:
    """Every saved audience: name, customers, what it was built from, when."""
    _audience_command("list", None, None, lang)


@audience_app.command("rename")
def audience_rename(name: Annotated[str, typer.Argument(help="The audience's name.")],
                    new_name: Annotated[str, typer.Argument(help="Its new name.")], lang: LangOption = "en") -> None:
    """Rename a saved audience (same customers)."""
    _audience_command("rename", name, new_name, lang)


@audience_app.command("delete")
def audience_delete(name: Annotated[str, typer.Argument(help="The audience's name.")], lang: LangOption = "en") -> None:
    """Delete a saved audience."""
    _audience_command("delete", name, None, lang)


@audience_app.command("export")
def audience_export(
    name: Annotated[str, typer.Argument(help="The audience's name.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the customer ids as CSV (default: print them).")] = None,
) -> None:
    """Export a saved audience's customer ids (CSV with one customer_id column)."""
    import csv

    from genbi.assistant.audiences import AudienceDesk
    from genbi.assistant.state import StateStore

    desk = AudienceDesk(StateStore())
    found = next((a for a in desk.store.audiences() if a.name.casefold() == name.strip().casefold()), None)
    if found is None:
        known = ", ".join(desk.names()) or "none saved yet"
        raise ConfigError(f"No saved audience called '{name}'.", f"Saved audiences: {known}.")
    if out is None:
        typer.echo("customer_id")
        typer.echo("\n".join(str(i) for i in found.customer_ids))
        return
    with out.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id"])
        writer.writerows((i,) for i in found.customer_ids)
    typer.echo(f"Wrote {found.size:,} customer ids of '{found.name}' to {out}", err=True)


def _audience_command(action: str, name: str | None, new_name: str | None, lang: str) -> None:
    """An audience command answered as the chat answers it, printed as a table."""
    from genbi.assistant.answer import AnswerRequest
    from genbi.assistant.audience_commands import AudienceCommand
    from genbi.assistant.audiences import AudienceDesk
    from genbi.assistant.conversation import Conversation
    from genbi.assistant.state import StateStore

    if lang not in ("en", "zh"):
        raise ConfigError(f"--lang must be en or zh, not '{lang}'.", "Use --lang en or --lang zh.")
    command = AudienceCommand(action, name, new_name)
    answer = AudienceDesk(StateStore(), "genbi audience").answer(
        command, AnswerRequest(question="", user=_cli_user()), lang, Conversation("cli"))
    _print_answer(answer, max_rows=200, sql=False)
    if answer.declined:
        raise typer.Exit(1)


def _cli_user() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:local"


def open_db(workspace: settings.Workspace) -> str:
    """The workspace's warehouse; generates the demo on first run when none is configured."""
    path = Path(workspace.db.value)
    if "://" in workspace.db.value or path.exists():
        return workspace.db.value
    if not workspace.demo_default:
        raise ConfigError(
            f"No warehouse file or folder at {path} (from {workspace.db.origin}).",
            "Check the path: a DuckDB file, a folder of CSV/Parquet files or one such file; "
            "or leave out --db / GENBI_DB to use the demo warehouse.",
        )
    from genbi.demo import generate_warehouse

    typer.echo(f"First run: generating the demo warehouse at {path} ...", err=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    generate_warehouse(path)
    return str(path)


def resolve_db(flag: str | Path | None) -> str:
    """The warehouse for ``--db``: a local path or a URL (see ``open_db``)."""
    return open_db(settings.workspace(flag))


def _shown(target: str | Path) -> str:
    """A warehouse location safe to print (a URL's password masked)."""
    from genbi.semantic_layer.backends.location import parse_location

    return parse_location(target).shown


def open_assistant(workspace: settings.Workspace, *, llm: bool | None = None) -> Any:
    """The assistant over the workspace's warehouse, model and today."""
    from genbi.assistant import Assistant

    return Assistant.open(open_db(workspace), model_path=workspace.model.value,
                          as_of=_as_of_arg(workspace), llm=llm)


def _as_of_arg(workspace: settings.Workspace) -> date | str | None:
    value = workspace.as_of.value
    return date.fromisoformat(value) if value and value[:1].isdigit() else value


def parse_as_of(value: str | None) -> date:
    try:
        return settings.as_of_date(value)
    except ValueError:
        raise ConfigError(
            f"'{value}' is not a date.", "Give --as-of (or GENBI_AS_OF) as YYYY-MM-DD."
        ) from None


def _not_yet(command: str, what: str) -> None:
    typer.echo(f"genbi {command} is not available yet: it arrives with {what}.", err=True)
    raise typer.Exit(2)


MIN_COLUMN_WIDTH = 12
"""Narrower than this per column, a table prints one record per block instead (copy variants,
tool results with many columns): a grid of ellipses tells nobody anything."""


def _print_table(columns: tuple[str, ...], rows: Any, *, numeric: tuple[bool, ...] = ()) -> None:
    """A table for the terminal; ``numeric`` columns are right-aligned."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if len(columns) * MIN_COLUMN_WIDTH > console.width:
        for number, row in enumerate(rows, 1):
            record = Table(show_header=False, box=None, title=f"row {number}", title_justify="left")
            record.add_column(style="bold", no_wrap=True)
            record.add_column()
            for column, value in zip(columns, row, strict=False):
                if value not in (None, ""):
                    record.add_row(_plain(column), _cell(value))
            console.print(record)
        return
    table = Table(show_lines=False)
    for index, column in enumerate(columns):
        right = index < len(numeric) and numeric[index]
        table.add_column(_plain(column), justify="right" if right else "left")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    console.print(table)


_LONG_LIST = re.compile(r"\[((?:-?\d+, ){3})(?:-?\d+, ){20,}(-?\d+)\]")


def _display_sql(sql: str) -> str:
    """The SQL with long literal id lists cut to their first values and a count (display only)."""
    return _LONG_LIST.sub(lambda m: f"[{m.group(1)}... /* {m.group(0).count(',') + 1:,} values */]", sql)


def _cell(value: Any) -> str:
    """A cell for the terminal: warehouse text without escape sequences or markup."""
    if value is None:
        return "∅"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else str(value)
    return _plain(str(value))


def _result_json(columns: tuple[str, ...], rows: Any, truncated: bool) -> dict[str, Any]:
    return {
        "columns": list(columns),
        "rows": [[_json_value(v) for v in row] for row in rows],
        "truncated": truncated,
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def main() -> None:
    """Console-script entry point: the only place that catches everything.

    Typer handles usage errors itself (standalone mode exits with code 2); a ``GenbiError``
    becomes one line and exit 1; anything else is logged and summarised, exit 70.
    """
    from genbi.text_safety import clean_text

    cleaned = [clean_text(arg) for arg in sys.argv]
    if any(replaced for _, replaced in cleaned):  # bytes that are not UTF-8 on the command line
        sys.argv = [arg for arg, _ in cleaned]
        typer.echo("note: some arguments held bytes that are not valid text; they were replaced by '\ufffd'.",
                   err=True)
    try:
        app()
    except GenbiError as error:
        from genbi.semantic_layer.masking import mask_text

        typer.echo(f"error: {mask_text(strip_terminal(str(error)))}", err=True)
        sys.exit(1)
    except Exception as error:
        log.exception("unexpected error")
        typer.echo(
            f"error: genbi hit an internal problem ({type(error).__name__}: {error}). "
            f"Details are in {settings.log_path()}.",
            err=True,
        )
        sys.exit(70)
