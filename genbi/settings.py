"""Where genbi keeps things and which data it answers from, resolved once for every front end.

Every command, the UI and the Slack bot ask this module the same three questions — which
warehouse, which semantic model, which "today" — and get the answer together with *why*
(``Choice.origin``), so ``genbi doctor`` can say it. Order, first wins:

1. the flag (``--db``, ``--model``, ``--as-of``),
2. the environment (``GENBI_DB``, ``GENBI_MODEL``, ``GENBI_AS_OF``),
3. the project file ``genbi.yaml`` in the working folder (``GENBI_PROJECT`` names another),
4. the defaults: the demo warehouse with the demo model and the demo's fixed 2025-12-31;
   on any other warehouse the real date.

genbi never writes to a user's warehouse; its own state (verified examples, audiences,
feedback, the retrieval index, the audit log) lives under a per-user state directory, and
the demo warehouse it generates on first run lives under a per-user data directory.
This module imports nothing heavy: the CLI reads it before deciding what to load.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

import platformdirs

from genbi.errors import ConfigError

APP_NAME = "genbi"
DEMO_AS_OF = date(2025, 12, 31)
"""The demo warehouse's "today" for relative time (warehouse contract)."""
PROJECT_FILES = ("genbi.yaml", "genbi.yml")
PROJECT_KEYS = ("warehouse", "model", "as_of", "brand", "roles", "currency")
AS_OF_POLICIES = ("today", "data_end")
"""``as_of`` in the project file: a date, ``today`` (the real date) or ``data_end`` (the last
date in the data: "last month" means the data's last full month)."""

_T = TypeVar("_T")


@dataclass(frozen=True)
class Choice(Generic[_T]):
    """A resolved setting and where it came from ("--db", "GENBI_DB", "genbi.yaml", "default")."""

    value: _T
    origin: str


@dataclass(frozen=True)
class Project:
    """The project file: a team writes once which warehouse, model, today, brand and roles."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        value = self.values.get(key)
        return None if value is None else str(value)

    def path_of(self, key: str) -> str | None:
        """A path setting, relative to the project file's folder (URLs kept as they are)."""
        value = self.get(key)
        if value is None or "://" in value:
            return value
        return str((self.path.parent / Path(value).expanduser()).resolve())


def data_dir() -> Path:
    """Per-user data directory (``GENBI_HOME`` overrides, handy for tests)."""
    home = os.environ.get("GENBI_HOME")
    return Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))


def state_dir() -> Path:
    """Per-user state directory for genbi's own state, separate from any warehouse."""
    home = os.environ.get("GENBI_HOME")
    return Path(home) / "state" if home else Path(platformdirs.user_state_dir(APP_NAME))


def default_db_path() -> Path:
    """The demo warehouse's location when no warehouse is configured."""
    return data_dir() / "demo.duckdb"


def log_path() -> Path:
    """genbi's own log file (tracebacks of internal errors go here, never to the user)."""
    return state_dir() / "logs" / "genbi.log"


# --- the project file -----------------------------------------------------------------------


def project() -> Project | None:
    """``$GENBI_PROJECT``, else ``genbi.yaml`` in the working folder; None when there is none."""
    named = os.environ.get("GENBI_PROJECT")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"No project file at {path} (GENBI_PROJECT).",
                              "Fix the path or unset GENBI_PROJECT.")
        return _read_project(path)
    for name in PROJECT_FILES:
        path = Path.cwd() / name
        if path.is_file():
            return _read_project(path)
    return None


def _read_project(path: Path) -> Project:
    import yaml

    from genbi import safe_yaml

    try:
        data = safe_yaml.load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"The project file {path} could not be read: {str(error).splitlines()[0]}.",
                          "It is YAML with keys: " + ", ".join(PROJECT_KEYS) + ".") from None
    if not isinstance(data, dict):
        raise ConfigError(f"The project file {path} must be a mapping.",
                          "Write e.g. 'warehouse: sales.duckdb' and 'model: sales.yaml'.")
    unknown = sorted(set(map(str, data)) - set(PROJECT_KEYS))
    if unknown:
        raise ConfigError(f"Unknown key(s) in {path}: {', '.join(unknown)}.",
                          "Known keys: " + ", ".join(PROJECT_KEYS) + ".")
    return Project(path, {str(k): v for k, v in data.items()})


# --- which warehouse, which model, which today ----------------------------------------------


def _pick(flag: Any, env: str, key: str, *, as_path: bool) -> Choice[str] | None:
    flag_name = "--" + key.replace("warehouse", "db").replace("_", "-")
    if flag not in (None, ""):
        return Choice(str(Path(flag).expanduser()) if as_path and "://" not in str(flag) else str(flag), flag_name)
    value = os.environ.get(env)
    if value:
        return Choice(str(Path(value).expanduser()) if as_path and "://" not in value else value, env)
    found = project()
    if found is not None:
        from_file = found.path_of(key) if as_path else found.get(key)
        if from_file:
            return Choice(from_file, f"{found.path.name} ({found.path.parent})")
    return None


def resolve_db(flag: str | Path | None = None) -> Choice[str]:
    """The warehouse: a DuckDB file, a folder of CSV/Parquet, one such file, or a URL.

    ``origin`` is "default" for the per-user demo warehouse (which may not exist yet).
    """
    return _pick(flag, "GENBI_DB", "warehouse", as_path=True) or Choice(str(default_db_path()), "default")


def resolve_model(flag: str | Path | None = None) -> Choice[str | None]:
    """The semantic model file; ``None`` means "not configured" (see ``assistant.setup``)."""
    picked = _pick(flag, "GENBI_MODEL", "model", as_path=True)
    return Choice(picked.value, picked.origin) if picked else Choice(None, "default")


def resolve_as_of(flag: str | date | None = None) -> Choice[str | None]:
    """The as-of setting as written: a date, ``today``, ``data_end``, or None (not set).

    ``as_of_for`` turns it into a date once it is known whether the data is the demo's.
    """
    if isinstance(flag, date):
        return Choice(flag.isoformat(), "--as-of")
    picked = _pick(flag, "GENBI_AS_OF", "as_of", as_path=False)
    if picked is None:
        return Choice(None, "default")
    value = picked.value.strip().lower().replace("-", "_") if not picked.value[:1].isdigit() else picked.value
    if value not in AS_OF_POLICIES:
        try:
            date.fromisoformat(value)
        except ValueError:
            where = "--as-of" if picked.origin == "--as-of" else picked.origin
            raise ConfigError(f"'{picked.value}' ({where}) is not a date.",
                              "Give YYYY-MM-DD, 'today' or 'data_end'.") from None
    return Choice(value, picked.origin)


def as_of_for(setting: str | None, *, demo: bool, data_end: date | None = None) -> date:
    """Today for relative time: a fixed date as given; unset, the demo's 2025-12-31 on the
    demo and the real date on anything else; ``data_end`` the data's last date."""
    if setting is None:
        return DEMO_AS_OF if demo else date.today()
    if setting == "today":
        return date.today()
    if setting == "data_end":
        return data_end or (DEMO_AS_OF if demo else date.today())
    return date.fromisoformat(setting)


def as_of_date(flag: date | str | None = None) -> date:
    """``--as-of`` beats ``GENBI_AS_OF`` beats the project file beats the demo's 2025-12-31
    (kept for callers that only ever answer on the demo)."""
    return as_of_for(resolve_as_of(flag).value, demo=True)


def configured_db_path(flag: str | Path | None = None) -> Path:
    """The configured warehouse as a path (see ``resolve_db``)."""
    return Path(resolve_db(flag).value)


def brand(default: str) -> str:
    """Sender name for copy: ``GENBI_BRAND``, else the project file's ``brand``."""
    found = os.environ.get("GENBI_BRAND") or ((project() or Project(Path("."))).get("brand"))
    return found or default


def currency(model_currency: str | None) -> str | None:
    """Money symbol: ``GENBI_CURRENCY``, else the project file's ``currency``, else the model's."""
    found = os.environ.get("GENBI_CURRENCY") or ((project() or Project(Path("."))).get("currency"))
    return found if found is not None else model_currency


def roles_file() -> str | None:
    """``GENBI_ROLES``, else the project file's ``roles`` (relative to it), else None."""
    found = os.environ.get("GENBI_ROLES")
    if found:
        return found
    file = project()
    return file.path_of("roles") if file else None


@dataclass(frozen=True)
class Workspace:
    """What one command answers from: the warehouse, the model and today, each with its origin."""

    db: Choice[str]
    model: Choice[str | None]
    as_of: Choice[str | None]

    @property
    def demo_default(self) -> bool:
        """Nothing configured: the per-user demo warehouse (generated on first run)."""
        return self.db.origin == "default"

    def describe(self) -> list[tuple[str, str, str]]:
        """(setting, value, why) rows for ``genbi doctor``."""
        from genbi.semantic_layer.backends.location import mask_url

        return [
            ("warehouse", mask_url(self.db.value), _why(self.db.origin, "the demo warehouse")),
            ("model", self.model.value or "(chosen when the warehouse opens)",
             _why(self.model.origin, "the demo model on the demo's tables, else a draft of the warehouse")),
            ("as of", self.as_of.value or "(demo: 2025-12-31, else today's date)",
             _why(self.as_of.origin, "fixed on the demo, the real date on your data")),
        ]


def workspace(db: str | Path | None = None, model: str | Path | None = None,
              as_of: str | date | None = None) -> Workspace:
    """Resolve ``--db``, ``--model`` and ``--as-of`` the same way in every front end."""
    return Workspace(resolve_db(db), resolve_model(model), resolve_as_of(as_of))


def _why(origin: str, default: str) -> str:
    if origin == "default":
        return f"default: {default}"
    return f"from {origin}"
