"""The one exception family genbi raises for things a user can fix.

Every front end (CLI, Gradio, Slack, eval) catches ``GenbiError`` and shows ``str(error)``:
a message that says what was wrong and, in ``hint``, what to do about it. Anything else that
escapes is our bug and is logged with its traceback, never shown to a marketer.
"""

from __future__ import annotations


class GenbiError(Exception):
    """A problem the user can act on: bad input, a missing file, an unsafe statement."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class WarehouseError(GenbiError):
    """The warehouse could not be opened or a query on it failed."""


class UnsafeSQLError(GenbiError):
    """A statement was refused by the SQL guard (not a single read-only SELECT)."""


class ModelError(GenbiError):
    """The semantic model (YAML) is invalid or a query names something it lacks."""


class PlanError(GenbiError):
    """A question could not be turned into a query."""


class ConfigError(GenbiError):
    """A setting (environment variable, flag, config file) is missing or malformed."""
