"""Where a warehouse lives: a DuckDB file path or a URL, parsed once and shown masked.

``--db`` and ``GENBI_DB`` take either. A URL's password is a secret: ``Location.shown`` is
what every message, log line, audit record and ``doctor`` line prints, with the password
replaced by ``***``. Credentials can stay out of the URL altogether: each engine's own
environment variables (``PGPASSWORD``, ``SNOWFLAKE_PASSWORD`` ...) or ``GENBI_DB_PASSWORD``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from genbi.errors import ConfigError

ENGINES: dict[str, str] = {
    "postgresql": "postgres",
    "postgres": "postgres",
    "sc": "spark",
    "snowflake": "snowflake",
    "bigquery": "bigquery",
    "trino": "trino",
    "duckdb": "duckdb",
}
"""URL scheme -> engine (also the sqlglot dialect it speaks)."""

PASSWORD_ENV = "GENBI_DB_PASSWORD"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_SECRET_PARAMS = re.compile(r"((?:password|token|secret|key)=)([^;&]*)", re.IGNORECASE)


def is_url(text: str | Path) -> bool:
    """True for ``scheme://...``; a plain path (even one with a colon) is a file."""
    return isinstance(text, str) and bool(_URL.match(text))


@dataclass(frozen=True)
class Location:
    """A parsed warehouse location. ``url`` holds secrets; print ``shown``, never ``url``."""

    engine: str
    """'duckdb', 'postgres', 'spark', 'snowflake', 'bigquery' or 'trino'."""
    url: str
    """The URL as given (a file path for DuckDB); may contain a password."""
    path: Path | None = None
    """The DuckDB file, for a file location."""

    @property
    def shown(self) -> str:
        """The location with any password or token masked: safe for messages and logs."""
        return str(self.path) if self.path is not None else mask_url(self.url)

    @property
    def parts(self) -> SplitResult:
        return urlsplit(self.url)

    def password(self) -> str | None:
        """The URL's password, else ``GENBI_DB_PASSWORD``; None lets the driver look
        (``PGPASSWORD``, ``~/.pgpass``, a cloud credential chain ...)."""
        given = self.parts.password
        return unquote(given) if given else os.environ.get(PASSWORD_ENV) or None

    def secrets(self) -> list[str]:
        """Every secret the URL carries or points to: the password and the values of
        ``token=`` / ``password=`` / ``secret=`` / ``key=`` parameters (Spark Connect's
        ``;token=``)."""
        found = [self.password() or ""]
        found += [value for _name, value in _SECRET_PARAMS.findall(self.url)]
        found += [unquote(value) for value in found]
        return sorted({value for value in found if value}, key=len, reverse=True)


def parse_location(target: str | Path) -> Location:
    """A ``Location`` for a file path or a URL; ``ConfigError`` for an unknown scheme."""
    if not is_url(target):
        return Location("duckdb", str(target), Path(target).expanduser())
    text = str(target)
    scheme = text.split("://", 1)[0].lower().split("+", 1)[0]
    engine = ENGINES.get(scheme)
    if engine is None:
        raise ConfigError(
            f"genbi does not know the warehouse URL scheme '{scheme}://' ({mask_url(text)}).",
            "Use a DuckDB file path or one of: postgresql://, sc:// (Spark Connect), "
            "snowflake://, bigquery://, trino://.",
        )
    if engine == "duckdb":
        return Location("duckdb", text, Path(unquote(urlsplit(text).path)).expanduser())
    return Location(engine, text)


def mask_url(text: str) -> str:
    """``text`` with the password of ``user:password@`` and secret parameters as ``***``."""
    masked = re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1***@", text)
    return _SECRET_PARAMS.sub(r"\1***", masked)


def mask_secrets(text: str, location: Location | None) -> str:
    """``text`` (an error message, say) with the location's password and tokens removed
    wherever they appear, then any URL in it masked."""
    if location is not None:
        for secret in location.secrets():
            text = text.replace(secret, "***")
    return re.sub(r"[a-zA-Z][a-zA-Z0-9+.-]*://\S+", lambda m: mask_url(m.group(0)), text)
