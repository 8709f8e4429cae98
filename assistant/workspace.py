"""Which model answers on a warehouse, and which "today" — decided once when it opens.

Zero configuration: with no model configured, the demo model answers on a warehouse that
has the demo's tables; any other warehouse gets a model drafted from its own schema and data
(``genbi model draft``), cached in the state directory until the warehouse changes.

"Today" on a user's data is the real date unless set; where the data ends earlier, relative
periods count back from the data's last date instead ("last month" = the data's last full
month), and answers say so (``Assistant.data_note``). The demo keeps its fixed 2025-12-31.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlglot import exp

from genbi import settings
from genbi.errors import GenbiError
from genbi.semantic_layer.backends.location import is_url, parse_location
from genbi.semantic_layer.fingerprint import fingerprint
from genbi.semantic_layer.loader import demo_model_path, load_model
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.sources import is_file_source, open_raw
from genbi.semantic_layer.warehouse import Warehouse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChosenModel:
    model: SemanticModel
    path: Path | None
    """The model file (the cached draft for a drafted model)."""
    why: str
    demo: bool


def choose_model(db_path: str | Path, model_path: str | Path | None) -> ChosenModel:
    """The configured model; else the demo model on the demo's tables; else a draft."""
    if model_path is not None:
        path = Path(model_path).expanduser()
        demo = path.resolve() == demo_model_path().resolve()
        return ChosenModel(load_model(path), path, "configured", demo)
    demo_model = load_model()
    if is_url(db_path):
        return _choose_for_server(str(db_path), demo_model)
    location = Path(db_path).expanduser()
    if not location.exists():  # Warehouse.open says what is wrong
        return ChosenModel(demo_model, None, "the demo model", True)
    if _has_tables(location, demo_model.table_names):
        return ChosenModel(demo_model, demo_model_path(), "the demo model (the warehouse has its tables)", True)
    draft = drafted_model_path(location)
    if not draft.exists():
        from genbi.semantic_layer.introspection import draft_model

        draft.parent.mkdir(parents=True, exist_ok=True)
        draft.write_text(draft_model(location).text, encoding="utf-8")
    return ChosenModel(load_model(draft), draft,
                       "drafted from the warehouse (copy it with `genbi model draft --out` to edit)", False)


def _choose_for_server(url: str, demo_model: SemanticModel) -> ChosenModel:
    """A warehouse URL: the demo model on the demo's tables, else a draft read through the
    seam (a user's Postgres must not be read with the demo's tables and columns). A server
    has no file to fingerprint, so its draft is cached for the day."""
    from genbi.semantic_layer.backends.reader import ServerReader

    try:
        reader = ServerReader(url)
    except GenbiError:  # Warehouse.open says what is wrong when the assistant opens it
        return ChosenModel(demo_model, None, "the demo model", True)
    try:
        present = set(reader.warehouse.tables())
    finally:
        reader.close()
    if all(t in present for t in demo_model.table_names):
        return ChosenModel(demo_model, demo_model_path(), "the demo model (the warehouse has its tables)", True)
    key = hashlib.sha256(f"{url}|{date.today().isoformat()}|{_drafter()}".encode()).hexdigest()[:16]
    draft = settings.state_dir() / "drafts" / f"{parse_location(url).engine}-{key}.yaml"
    if not draft.exists():
        from genbi.semantic_layer.introspection import draft_model

        draft.parent.mkdir(parents=True, exist_ok=True)
        draft.write_text(draft_model(url).text, encoding="utf-8")
    return ChosenModel(load_model(draft), draft,
                       "drafted from the warehouse (copy it with `genbi model draft --out` to edit)", False)


def drafted_model_path(location: Path) -> Path:
    """Where the draft of a warehouse is cached: keyed by its path, size and change time, and
    by the drafter's own code (a newer genbi drafts again)."""
    stamp = "|".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in _files_of(location))
    key = hashlib.sha256(f"{location.resolve()}|{stamp}|{_drafter()}".encode()).hexdigest()[:16]
    return settings.state_dir() / "drafts" / f"{_stem(location)}-{key}.yaml"


@functools.cache
def _drafter() -> str:
    """A fingerprint of the drafter's code: its modules and the words it names things with."""
    from genbi.semantic_layer import drafted_roles, introspection, naming, void_rows

    digest = hashlib.sha256()
    for module in (introspection, naming, void_rows, drafted_roles):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:12]


def as_of_and_note(setting: date | str | None, *, demo: bool, model: SemanticModel,
                   warehouse: Warehouse) -> tuple[date, date | None]:
    """Today for relative time, and the data's last date when today was moved back to it."""
    if isinstance(setting, date):
        return setting, None
    if demo and setting is None:
        return settings.DEMO_AS_OF, None
    end = data_end(model, warehouse)
    today = settings.as_of_for(setting, demo=demo, data_end=end)
    if setting in (None, "today") and end is not None and end < today:
        return end, end
    return today, None


def data_end(model: SemanticModel, warehouse: Warehouse) -> date | None:
    """The last date any measure's time column reaches (None when there is none)."""
    ends = [end for time_column in dict.fromkeys(m.time for m in model.measures if m.time)
            if (end := time_column_end(warehouse, time_column)) is not None]
    return max(ends) if ends else None


def time_column_end(warehouse: Warehouse, time_column: str, *, first: bool = False) -> date | None:
    """The last (``first``: the first) date of one ``table.column`` (None when it has none or
    cannot be read)."""
    table, _, column = time_column.partition(".")
    try:
        bound = exp.Min if first else exp.Max
        query = exp.select(bound(this=exp.column(column, quoted=True))).from_(exp.table_(table, quoted=True))
        result = warehouse.run(query.sql("duckdb"), max_rows=1)
    except GenbiError as problem:
        log.warning("no data end for %s: %s", time_column, problem)
        return None
    value = result.rows[0][0] if result.rows else None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _has_tables(location: Path, tables: tuple[str, ...]) -> bool:
    present = _table_names(location)
    return present is not None and all(t in present for t in tables)


def _table_names(location: Path) -> set[str] | None:
    """The warehouse's tables, kept on disk per fingerprint: opening the file once more just
    to list them costs every ``genbi`` command a DuckDB open (the warehouse opens it again)."""
    stamp = fingerprint(location)
    path = settings.state_dir() / "cache" / "tables" / f"{stamp}.json"
    if stamp is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            return {str(name) for name in json.loads(path.read_text(encoding="utf-8"))}
    try:
        connection = open_raw(location)
    except GenbiError:
        return None
    try:
        rows = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    finally:
        connection.close()
    present = {str(r[0]) for r in rows}
    if stamp is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps(sorted(present)), encoding="utf-8")
            partial.replace(path)  # atomic: a reader sees no file or the whole one
            for old in sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEPT_TABLE_LISTS]:
                old.unlink(missing_ok=True)
    return present


KEPT_TABLE_LISTS = 50


def _files_of(location: Path) -> list[Path]:
    if location.is_dir() and is_file_source(location):
        return sorted(p for p in location.iterdir() if p.is_file())
    return [location]


def _stem(location: Path) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in location.stem.lower())[:40] or "warehouse"
