"""The bot's settings, read from the environment and checked before anything starts.

``SLACK_BOT_TOKEN`` is always needed. ``SLACK_APP_TOKEN`` switches on Socket Mode (no public
URL needed); without it the bot serves HTTP and ``SLACK_SIGNING_SECRET`` verifies every
request. Three optional allow-lists limit who may ask. Every problem found is reported in
one line that names the variable, so a typo costs one try, not a debugging session.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, SecretStr

from genbi.errors import ConfigError
from genbi.ui.slack.access import AccessList

BOT_TOKEN = "SLACK_BOT_TOKEN"
APP_TOKEN = "SLACK_APP_TOKEN"
SIGNING_SECRET = "SLACK_SIGNING_SECRET"
ALLOWED_TEAMS = "GENBI_SLACK_ALLOWED_TEAMS"
ALLOWED_CHANNELS = "GENBI_SLACK_ALLOWED_CHANNELS"
ALLOWED_USERS = "GENBI_SLACK_ALLOWED_USERS"
API_URL = "GENBI_SLACK_API_URL"
DEFAULT_API_URL = "https://slack.com/api/"
DM_KEYWORD = "dm"
"""Listed in ``GENBI_SLACK_ALLOWED_CHANNELS``, lets direct messages through a channel list."""

_TOKEN_KINDS = {"xoxb-": "a bot token", "xapp-": "an app-level token", "xoxp-": "a user token"}
_TOKEN = re.compile(r"^(xoxb|xapp|xoxp)-[A-Za-z0-9-]+$")
_SECRET = re.compile(r"^[0-9a-fA-F]{16,128}$")
_IDS = {
    ALLOWED_TEAMS: (re.compile(r"^[TE][A-Z0-9]{2,}$"), "a workspace id (like T0123ABCD)"),
    ALLOWED_CHANNELS: (re.compile(r"^[CGD][A-Z0-9]{2,}$"), "a channel id (like C0123ABCD) or 'dm'"),
    ALLOWED_USERS: (re.compile(r"^[UW][A-Z0-9]{2,}$"), "a user id (like U0123ABCD)"),
}


class SlackMode(StrEnum):
    SOCKET = "socket"
    """Socket Mode: the bot dials out to Slack over a websocket (``SLACK_APP_TOKEN``)."""
    HTTP = "http"
    """HTTP mode: Slack posts signed requests to this server's public URL."""


class SlackConfig(BaseModel):
    """Checked settings; the secrets never show in a repr or a log line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bot_token: SecretStr
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    access: AccessList = AccessList()
    api_url: str = DEFAULT_API_URL
    """The Web API's base URL: GovSlack's https://slack-gov.com/api/, a proxy, or a test fake."""

    @property
    def mode(self) -> SlackMode:
        return SlackMode.SOCKET if self.app_token is not None else SlackMode.HTTP


def load_config(environ: Mapping[str, str] | None = None) -> SlackConfig:
    """Read and check the settings; raises one ``ConfigError`` line naming every bad variable."""
    env = os.environ if environ is None else environ
    problems: list[str] = []
    bot_token = _token(env, BOT_TOKEN, "xoxb-", problems, required=True)
    app_token = _token(env, APP_TOKEN, "xapp-", problems, required=False)
    secret = _value(env, SIGNING_SECRET)
    if app_token is None and secret is None:
        problems.append(
            f"{SIGNING_SECRET} is not set: HTTP mode needs the app's Signing Secret (Basic "
            f"Information → App Credentials); or set {APP_TOKEN} to use Socket Mode."
        )
    elif secret is not None and not _SECRET.match(secret):
        problems.append(
            f"{SIGNING_SECRET} does not look like a Signing Secret (32 hexadecimal characters, "
            "Basic Information → App Credentials; not the Verification Token or Client Secret)."
        )
    lists = {name: _ids(env, name, problems) for name in _IDS}
    api_url = _value(env, API_URL) or DEFAULT_API_URL
    if not re.match(r"^https?://[^\s/]+(/\S*)?$", api_url):
        problems.append(f"{API_URL} is not an http(s) URL like {DEFAULT_API_URL}.")
    if problems:
        raise ConfigError(" ".join(problems), "See the Slack section of the README.")
    channels = lists[ALLOWED_CHANNELS]
    access = AccessList(
        teams=frozenset(lists[ALLOWED_TEAMS]) or None,
        channels=frozenset(c for c in channels if c != DM_KEYWORD) if channels else None,
        direct_messages=not channels or DM_KEYWORD in channels,
        users=frozenset(lists[ALLOWED_USERS]) or None,
    )
    assert bot_token is not None
    return SlackConfig(
        bot_token=SecretStr(bot_token),
        app_token=SecretStr(app_token) if app_token else None,
        signing_secret=SecretStr(secret) if secret else None,
        access=access,
        api_url=api_url if api_url.endswith("/") else api_url + "/",
    )


def _value(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _token(
    env: Mapping[str, str], name: str, prefix: str, problems: list[str], *, required: bool
) -> str | None:
    value = _value(env, name)
    if value is None:
        if required:
            problems.append(
                f"{name} is not set: give the app's Bot User OAuth Token ({prefix}…, "
                "OAuth & Permissions page, after installing the app to the workspace)."
            )
        return None
    if _TOKEN.match(value) and value.startswith(prefix):
        return value
    kind = next((k for k in _TOKEN_KINDS if value.startswith(k)), None)
    if kind == "xapp-" and name == BOT_TOKEN:
        problems.append(f"{name} holds an app-level token (xapp-…): that one goes in {APP_TOKEN}.")
    elif kind == "xoxb-" and name == APP_TOKEN:
        problems.append(f"{name} holds a bot token (xoxb-…): that one goes in {BOT_TOKEN}.")
    elif kind is not None and _TOKEN.match(value):
        problems.append(f"{name} holds {_TOKEN_KINDS[kind]} ({kind}…); it needs {_TOKEN_KINDS[prefix]} ({prefix}…).")
    else:
        problems.append(f"{name} is malformed: expected {_TOKEN_KINDS[prefix]} like {prefix}123-abc, "
                        "without quotes or spaces.")
    return None


def _ids(env: Mapping[str, str], name: str, problems: list[str]) -> list[str]:
    pattern, what = _IDS[name]
    values = [v for v in re.split(r"[\s,]+", env.get(name, "")) if v]
    for value in values:
        if value == DM_KEYWORD and name == ALLOWED_CHANNELS:
            continue
        if not pattern.match(value):
            problems.append(f"{name}: '{value[:40]}' is not {what}.")
            break
    return values
