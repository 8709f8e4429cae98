"""Who is asking in the chat UI: a real identity or nobody in particular.

The browser chooses its Gradio session id, so a session id never decides anything: roles are
keyed to an identity the server established. Two ways, both configured by whoever runs genbi:

- ``GENBI_UI_AUTH=/path/to/users.txt``: Gradio's own login page. One ``name:password`` per
  line, or ``name:sha256:<hex digest of the password>``; ``#`` starts a comment.
- ``GENBI_UI_USER_HEADER=X-Forwarded-User``: a reverse proxy that authenticates people (SSO,
  OAuth) and sets this header. Only for a UI that listens on localhost behind that proxy: a
  client that reaches genbi directly could set the header itself.

The identity is ``ui:NAME``, the key for ``roles.yaml`` (``"ui:alice": admin``). Without either
setting everyone is anonymous (``None``) and gets the default role; so does a request that
lacks the configured header.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbi.errors import ConfigError

AUTH_ENV = "GENBI_UI_AUTH"
HEADER_ENV = "GENBI_UI_USER_HEADER"
_NAME = re.compile(r"^[\w.@+\-]{1,128}$")


@dataclass(frozen=True)
class UiIdentity:
    """How the UI knows its users (``from_env``); ``auth`` goes to Gradio's ``launch``."""

    passwords: dict[str, str] = field(default_factory=dict)
    """Name -> 'sha256:<hex>' or the plain password."""
    header: str | None = None

    @classmethod
    def from_env(cls) -> UiIdentity:
        path = os.environ.get(AUTH_ENV, "").strip()
        header = os.environ.get(HEADER_ENV, "").strip() or None
        return cls(read_users(Path(path).expanduser()) if path else {}, header)

    @property
    def configured(self) -> bool:
        return bool(self.passwords) or self.header is not None

    @property
    def auth(self) -> Callable[[str, str], bool] | None:
        """The ``auth=`` callable for ``gr.Blocks.launch``, when users are configured."""
        return self.check_password if self.passwords else None

    def check_password(self, name: str, password: str) -> bool:
        stored = self.passwords.get(name)
        if stored is None:
            return False
        if stored.startswith("sha256:"):
            given = hashlib.sha256(password.encode("utf-8", "replace")).hexdigest()
            return hmac.compare_digest(given, stored[len("sha256:"):].lower())
        return hmac.compare_digest(password.encode("utf-8", "replace"), stored.encode("utf-8"))

    def user(self, request: Any) -> str | None:
        """``ui:NAME`` for the person behind ``request`` (a ``gr.Request``), or None."""
        name: str | None = None
        if self.passwords:
            name = getattr(request, "username", None)
        elif self.header is not None:
            headers = getattr(request, "headers", None)
            name = headers.get(self.header) if headers is not None else None
        if not name or not _NAME.match(str(name)):
            return None
        return f"ui:{name}"


def read_users(path: Path) -> dict[str, str]:
    """``name:password`` / ``name:sha256:<hex>`` lines; ``ConfigError`` names a bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"Cannot read the UI users file {path} ({AUTH_ENV}): {error}.",
                          "One 'name:password' or 'name:sha256:<hex>' per line.") from None
    users: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, secret = line.partition(":")
        if not _NAME.match(name) or not secret:
            raise ConfigError(f"Line {number} of {path} is not 'name:password'.",
                              "Names are letters, digits and . @ + - _; passwords are not empty.")
        users[name] = secret
    if not users:
        raise ConfigError(f"The UI users file {path} lists nobody.", "Add a 'name:password' line.")
    return users
