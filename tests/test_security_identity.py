"""The UI's identity: a login or a trusted proxy header, never the browser's session id."""

from __future__ import annotations

import hashlib
import types
from pathlib import Path

import pytest

from genbi.assistant.access import AccessControl, RolesConfig
from genbi.errors import ConfigError
from genbi.semantic_layer.loader import load_model
from genbi.ui.identity import UiIdentity, read_users

ROLES = RolesConfig.model_validate({"users": {"ui:boss": "admin", "ui:boss-session": "admin", "ui:*": "analyst"}})


def _request(session: str, username: str | None = None, headers: dict[str, str] | None = None) -> object:
    return types.SimpleNamespace(session_hash=session, username=username, headers=headers or {})


def test_without_configuration_everyone_is_anonymous_whatever_their_session() -> None:
    access = AccessControl(ROLES, load_model())
    identity = UiIdentity()
    for session in ("boss-session", "boss", "*", "../admin"):
        user = identity.user(_request(session, username="boss", headers={"X-Forwarded-User": "boss"}))
        assert user is None
        assert access.role_for(user).name == "marketer"


def test_a_login_is_the_identity(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    digest = hashlib.sha256(b"s3cret").hexdigest()
    users.write_text(f"# who may log in\nboss:sha256:{digest}\nana:plain-pw\n", encoding="utf-8")
    identity = UiIdentity(read_users(users))
    assert identity.auth is not None and identity.auth("boss", "s3cret") and identity.auth("ana", "plain-pw")
    assert not identity.auth("boss", "wrong") and not identity.auth("eve", "s3cret")
    access = AccessControl(ROLES, load_model())
    assert access.role_for(identity.user(_request("x", username="boss"))).name == "admin"
    assert access.role_for(identity.user(_request("boss-session", username="ana"))).name == "analyst"
    assert identity.user(_request("boss", username=None)) is None


def test_a_trusted_header_is_the_identity_only_when_configured() -> None:
    identity = UiIdentity(header="X-Forwarded-User")
    assert identity.user(_request("s", headers={"X-Forwarded-User": "boss"})) == "ui:boss"
    assert identity.user(_request("boss-session")) is None
    assert identity.user(_request("s", headers={"X-Forwarded-User": "a:b*c"})) is None


@pytest.mark.parametrize("content", ["", "nobody\n", ":pw\n", "bad name:pw\n"])
def test_a_bad_users_file_is_one_clear_error(content: str, tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError):
        read_users(users)


def test_from_env_reads_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    users = tmp_path / "users.txt"
    users.write_text("boss:pw\n", encoding="utf-8")
    monkeypatch.setenv("GENBI_UI_AUTH", str(users))
    assert UiIdentity.from_env().configured
    monkeypatch.delenv("GENBI_UI_AUTH")
    assert not UiIdentity.from_env().configured


def test_the_ui_opens_only_warehouses_inside_the_allowed_folders(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from genbi.ui.data_roots import check_openable

    monkeypatch.delenv("GENBI_UI_DATA_ROOTS", raising=False)
    started = tmp_path / "data" / "demo.duckdb"
    started.parent.mkdir()
    started.write_bytes(b"")
    assert check_openable(str(tmp_path / "data" / "other.duckdb"), started).name == "other.duckdb"
    for outside in ("/etc/passwd", str(tmp_path / "data" / ".." / "secret.csv"), "~/.ssh/id_rsa"):
        with pytest.raises(ConfigError, match="GENBI_UI_DATA_ROOTS"):
            check_openable(outside, started)
    monkeypatch.setenv("GENBI_UI_DATA_ROOTS", str(tmp_path))
    assert check_openable(str(tmp_path / "secret.csv"), started).name == "secret.csv"
