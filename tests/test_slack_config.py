"""The Slack bot's settings and allow-list: every mistake is one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from genbi.errors import ConfigError
from genbi.ui.slack.access import AccessList, Refusal
from genbi.ui.slack.config import SlackMode, load_config

BOT = "xoxb-1234-5678-AbCdEf"
APP = "xapp-1-A0123-4567-abcdef"
SECRET = "8f742231b10e8888abcd99eeff0011aa"


def _error(env: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_http_mode_needs_the_bot_token_and_the_signing_secret() -> None:
    config = load_config({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET})
    assert config.mode is SlackMode.HTTP
    assert not config.access.restricted
    assert BOT not in repr(config) and SECRET not in repr(config)


def test_socket_mode_when_the_app_token_is_set_and_no_secret_is_needed() -> None:
    config = load_config({"SLACK_BOT_TOKEN": f"  {BOT}\n", "SLACK_APP_TOKEN": APP})
    assert config.mode is SlackMode.SOCKET
    assert config.bot_token.get_secret_value() == BOT


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({}, ["SLACK_BOT_TOKEN is not set", "SLACK_SIGNING_SECRET is not set"]),
        ({"SLACK_SIGNING_SECRET": SECRET}, ["SLACK_BOT_TOKEN is not set"]),
        ({"SLACK_BOT_TOKEN": BOT}, ["SLACK_SIGNING_SECRET is not set", "SLACK_APP_TOKEN"]),
        ({"SLACK_BOT_TOKEN": APP, "SLACK_SIGNING_SECRET": SECRET},
         ["SLACK_BOT_TOKEN holds an app-level token", "goes in SLACK_APP_TOKEN"]),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": BOT}, ["SLACK_APP_TOKEN holds a bot token"]),
        ({"SLACK_BOT_TOKEN": "xoxp-1-2-3", "SLACK_SIGNING_SECRET": SECRET},
         ["SLACK_BOT_TOKEN holds a user token"]),
        ({"SLACK_BOT_TOKEN": '"xoxb-1-2"', "SLACK_SIGNING_SECRET": SECRET},
         ["SLACK_BOT_TOKEN is malformed", "without quotes"]),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": "not-a-secret"},
         ["SLACK_SIGNING_SECRET does not look like a Signing Secret"]),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET,
          "GENBI_SLACK_ALLOWED_CHANNELS": "C0123ABCD, #marketing"},
         ["GENBI_SLACK_ALLOWED_CHANNELS: '#marketing' is not a channel id"]),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET, "GENBI_SLACK_ALLOWED_USERS": "alice"},
         ["GENBI_SLACK_ALLOWED_USERS: 'alice' is not a user id"]),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET, "GENBI_SLACK_ALLOWED_TEAMS": "C0123"},
         ["GENBI_SLACK_ALLOWED_TEAMS: 'C0123' is not a workspace id"]),
    ],
)
def test_each_mistake_names_its_variable_in_one_line(env: dict[str, str], names: list[str]) -> None:
    message = _error(env)
    for name in names:
        assert name in message
    assert "xoxb-1234" not in message, "a token must never be echoed"


def test_allow_lists_parse_with_commas_or_spaces_and_dm() -> None:
    config = load_config({
        "SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET,
        "GENBI_SLACK_ALLOWED_TEAMS": "T0001", "GENBI_SLACK_ALLOWED_CHANNELS": "C0001 G0002,dm",
        "GENBI_SLACK_ALLOWED_USERS": "U0001,W0002",
    })
    access = config.access
    assert access.teams == {"T0001"} and access.channels == {"C0001", "G0002"}
    assert access.users == {"U0001", "W0002"} and access.direct_messages


def test_access_rules() -> None:
    open_ = AccessList()
    assert open_.check(team="T9", channel="C9", user="U9", direct=False) is None
    assert open_.check(team="T9", channel="D9", user="U9", direct=True) is None

    channels = AccessList(channels=frozenset({"C1"}), direct_messages=False)
    assert channels.check(team="T1", channel="C1", user="U1", direct=False) is None
    assert channels.check(team="T1", channel="C2", user="U1", direct=False) is Refusal.CHANNEL
    assert channels.check(team="T1", channel="D1", user="U1", direct=True) is Refusal.DM

    people = AccessList(teams=frozenset({"T1"}), users=frozenset({"U1"}))
    assert people.check(team="T1", channel="C5", user="U1", direct=False) is None
    assert people.check(team="T1", channel="C5", user="U2", direct=False) is Refusal.USER
    assert people.check(team="T2", channel="C5", user="U1", direct=False) is Refusal.TEAM


def test_the_web_api_url_can_point_elsewhere() -> None:
    base = {"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET}
    assert load_config(base).api_url == "https://slack.com/api/"
    gov = load_config({**base, "GENBI_SLACK_API_URL": "https://slack-gov.com/api"})
    assert gov.api_url == "https://slack-gov.com/api/"
    assert "GENBI_SLACK_API_URL is not an http(s) URL" in _error({**base, "GENBI_SLACK_API_URL": "slack.com"})


def test_a_channel_list_of_only_dm_allows_dms_and_no_channel() -> None:
    config = load_config({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET,
                          "GENBI_SLACK_ALLOWED_CHANNELS": "dm"})
    assert config.access.check(team="T", channel="D1", user="U", direct=True) is None
    assert config.access.check(team="T", channel="C1", user="U", direct=False) is Refusal.CHANNEL


def test_genbi_slack_without_settings_prints_one_line_and_generates_nothing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GENBI_"))}
    env["GENBI_HOME"] = str(tmp_path / "home")
    done = subprocess.run([sys.executable, "-m", "genbi", "slack"], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: SLACK_BOT_TOKEN is not set")
    assert not (tmp_path / "home" / "data").exists(), "no demo warehouse before the settings are right"
