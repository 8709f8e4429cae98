"""``genbi dashboard …`` and ``genbi watch …``: pinned dashboards and monitors from the shell.

Thin adapters like the rest of the CLI: the same pins and monitors the chat, the UI and
Slack use, in the same state directory.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from genbi import settings
from genbi.errors import ConfigError, GenbiError

dashboard_app = typer.Typer(help="Pinned answers on named dashboards.", no_args_is_help=True)
watch_app = typer.Typer(help="Scheduled reports and alerts posted to Slack (run, list, pause, delete).",
                        invoke_without_command=True)

DbOption = Annotated[str | None, typer.Option("--db", help="The warehouse (default: as for genbi ask).")]
ModelOption = Annotated[str | None, typer.Option("--model", help="Semantic model YAML.")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Today for relative periods, YYYY-MM-DD "
                                                "(default: the real date; the demo's 2025-12-31 on the demo).")]


def _assistant(db: str | None, model: str | None) -> Any:
    from genbi.cli import open_assistant

    return open_assistant(settings.workspace(db, model), llm=False)


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"'{value}' is not a date.", "Give --as-of as YYYY-MM-DD.") from None


def _user() -> str:
    from genbi.cli import _cli_user

    return _cli_user()


# --- dashboards ---


@dashboard_app.command("list")
def dashboard_list() -> None:
    """Every dashboard and how many pins it has."""
    from genbi.assistant.watch.pins import PinStore

    found = PinStore().dashboards()
    if not found:
        typer.echo("No dashboards yet: pin an answer (genbi dashboard pin NAME \"question\").", err=True)
    for name, count in found:
        typer.echo(f"{name}\t{count} pin(s)")


@dashboard_app.command("pin")
def dashboard_pin(
    name: Annotated[str, typer.Argument(help="The dashboard (created by its first pin).")],
    question: Annotated[str, typer.Argument(help="A question; its query is pinned, not its numbers.")],
    db: DbOption = None, model: ModelOption = None, as_of: AsOfOption = None,
) -> None:
    """Ask ``question`` and pin its answer to dashboard ``name``."""
    from genbi.assistant import AnswerRequest
    from genbi.assistant.watch.pins import PinSource, PinStore

    assistant = _assistant(db, model)
    try:
        assistant.charts = False
        answer = assistant.answer(AnswerRequest(question=question, session_id="cli-pin", user=_user(),
                                                as_of=_day(as_of)))
    finally:
        assistant.close()
    if answer.declined:
        raise GenbiError(f"Not pinned: {answer.decline.reason if answer.decline else ''}")
    pin = PinStore().add(name, PinSource.of(answer), user=_user())
    typer.echo(f"Pinned {pin.title!r} to {pin.dashboard!r} (pin {pin.id}).")


@dashboard_app.command("show")
def dashboard_show(
    name: Annotated[str, typer.Argument(help="The dashboard.")],
    db: DbOption = None, model: ModelOption = None, as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Re-run every pin of a dashboard as of today (or --as-of) and print the answers."""
    from genbi.assistant.serialize import answer_to_dict
    from genbi.cli import _print_answer

    board = _open(name, db, model, as_of, charts=False)
    if as_json:
        payload = {"dashboard": board.name, "as_of": board.as_of.isoformat(),
                   "tiles": [{"pin": t.pin.id, **{k: v for k, v in answer_to_dict(t.answer).items() if k != "chart"}}
                             for t in board.tiles]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    typer.echo(f"{board.name} · as of {board.as_of.isoformat()}")
    for tile in board.tiles:
        typer.echo(f"\n[pin {tile.pin.id}]")
        _print_answer(tile.answer, 20)


@dashboard_app.command("export")
def dashboard_export(
    name: Annotated[str, typer.Argument(help="The dashboard.")],
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write (self-contained, opens offline).")],
    png: Annotated[Path | None, typer.Option("--png", help="Also write the tiles as one PNG image.")] = None,
    db: DbOption = None, model: ModelOption = None, as_of: AsOfOption = None,
) -> None:
    """Write a dashboard, re-run now, as a static HTML file (and a PNG)."""
    from genbi.ui.dashboard_export import dashboard_html, dashboard_png

    board = _open(name, db, model, as_of, charts=True)
    out.write_text(dashboard_html(board), encoding="utf-8")
    typer.echo(f"Wrote {out} ({len(board.tiles)} tile(s), as of {board.as_of.isoformat()}).", err=True)
    if png is not None:
        png.write_bytes(dashboard_png(board))
        typer.echo(f"Wrote {png}.", err=True)


@dashboard_app.command("unpin")
def dashboard_unpin(pin_id: Annotated[int, typer.Argument(help="The pin's number (genbi dashboard show).")]) -> None:
    """Remove one pin."""
    from genbi.assistant.watch.pins import PinStore

    if not PinStore().remove(pin_id):
        raise GenbiError(f"No pin {pin_id}.", "genbi dashboard show NAME lists the pins with their numbers.")
    typer.echo(f"Removed pin {pin_id}.")


@dashboard_app.command("delete")
def dashboard_delete(name: Annotated[str, typer.Argument(help="The dashboard.")]) -> None:
    """Remove a dashboard and all its pins."""
    from genbi.assistant.watch.pins import PinStore

    removed = PinStore().delete_dashboard(name)
    if not removed:
        raise GenbiError(f"No dashboard called '{name}'.", "genbi dashboard list shows them.")
    typer.echo(f"Deleted '{name}' ({removed} pin(s)).")


def _open(name: str, db: str | None, model: str | None, as_of: str | None, *, charts: bool) -> Any:
    from genbi.assistant.watch.dashboards import open_dashboard
    from genbi.assistant.watch.pins import PinStore

    PinStore().pins(name)  # an unknown name fails before a warehouse is opened
    assistant = _assistant(db, model)
    try:
        assistant.charts = charts
        return open_dashboard(assistant, name, as_of=_day(as_of), user=_user())
    finally:
        assistant.close()


# --- monitors ---


@watch_app.callback()
def watch_run(
    ctx: typer.Context,
    db: DbOption = None, model: ModelOption = None,
    once: Annotated[bool, typer.Option("--once", help="Run what is due now and exit (for cron).")] = False,
) -> None:
    """Run the monitors (with SLACK_BOT_TOKEN) until Ctrl+C; `genbi slack` runs them too."""
    if ctx.invoked_subcommand is not None:
        return
    from genbi.cli import _as_of_arg, open_db
    from genbi.ui.slack.monitors import watch

    workspace = settings.workspace(db, model)
    watch(open_db(workspace), model_path=workspace.model.value, as_of=_as_of_arg(workspace), once=once,
          announce=lambda line: typer.echo(line, err=True))


@watch_app.command("list")
def watch_list(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """Every monitor, with its schedule, next run and where it posts."""
    from genbi.assistant.watch.chat import shared_watcher

    listed = shared_watcher().monitors()
    if as_json:
        typer.echo(json.dumps([{**m.monitor.model_dump(mode="json"),
                                "next_run": m.next_run.isoformat() if m.next_run else None} for m in listed],
                              ensure_ascii=False, indent=2))
        return
    if not listed:
        typer.echo("No monitors yet: in Slack, say \"tell me every Monday how revenue by channel did\".", err=True)
    for item in listed:
        state = "paused" if item.paused else f"next {item.next_run.isoformat(timespec='minutes')}"
        typer.echo(f"{item.monitor.describe('en')} · {state} · {item.monitor.destination}")


def _edit(action: str, number: int) -> None:
    from genbi.assistant.watch.chat import shared_watcher

    watcher = shared_watcher()
    done = {"pause": watcher.pause, "resume": watcher.resume, "delete": watcher.delete}[action](number)
    if not done:
        raise GenbiError(f"No monitor #{number}.", "genbi watch list shows them.")
    typer.echo(f"{action.capitalize()}d monitor #{number}." if action != "pause" else f"Paused monitor #{number}.")


@watch_app.command("pause")
def watch_pause(number: Annotated[int, typer.Argument(help="The monitor's number.")]) -> None:
    """Stop a monitor until it is resumed."""
    _edit("pause", number)


@watch_app.command("resume")
def watch_resume(number: Annotated[int, typer.Argument(help="The monitor's number.")]) -> None:
    """Run a paused monitor again from its next due time."""
    _edit("resume", number)


@watch_app.command("delete")
def watch_delete(number: Annotated[int, typer.Argument(help="The monitor's number.")]) -> None:
    """Remove a monitor."""
    _edit("delete", number)


@watch_app.command("add")
def watch_add(
    request: Annotated[str, typer.Argument(help="\"tell me every Monday how revenue by channel did\", "
                                           "\"alert me when daily ROAS on douyin drops below 2\", …")],
    channel: Annotated[str, typer.Option("--channel", help="The Slack channel (or DM) id to post to, e.g. C0123ABCD.")],
    db: DbOption = None, model: ModelOption = None,
) -> None:
    """Create a scheduled report or alert, as if asked in the channel."""
    from genbi.assistant import AnswerRequest
    from genbi.ui.slack.monitors import destination

    assistant = _assistant(db, model)
    try:
        assistant.charts = False
        answer = assistant.answer(AnswerRequest(question=request, session_id="cli-watch", user=_user(),
                                                reply_to=destination(None, channel.strip())))
    finally:
        assistant.close()
    if answer.declined or "monitor" not in answer.extras:
        reason = answer.decline.reason if answer.decline else "That is not a schedule or an alert."
        raise GenbiError(f"No monitor created: {reason}",
                         "e.g. genbi watch add \"tell me every Monday how revenue by channel did\" --channel C0123ABCD")
    typer.echo(answer.narrative)
