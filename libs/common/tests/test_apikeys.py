"""API keys: their shape, what the server stores of them, how a presented
key is checked, and the embedded first-start key."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import msgspec
import pytest

from chargebus.common.apikeys import (
    ApiKey,
    ApiKeys,
    bootstrap,
    load_api_keys,
    new_key,
    parse_entry,
    presented_key,
    scope_needed,
)
from chargebus.common.settings import SettingsError, load_settings


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    api_keys: tuple[str, ...] = ()
    api_keys_file: str | None = None


def test_a_new_key_is_stored_only_as_the_hash_of_its_secret() -> None:
    key, stored = new_key("app", "command")
    prefix, key_id, secret = key.split("_", 2)
    assert prefix == "cb" and key_id == stored.key_id and len(key_id) == 12
    assert len(secret) >= 43  # 32 random bytes
    assert stored.sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored.entry and stored.entry.startswith(f"app:command:{key_id}:")
    assert parse_entry(stored.entry) == stored
    assert new_key("app", "command")[0] != key


@pytest.mark.parametrize(
    ("name", "scope", "message"),
    [
        ("app", "root", "scope 'root': one of"),
        ("a:b", "read", "a key's name is"),
        ("", "read", "a key's name is"),
        ("a,b", "read", "a key's name is"),
    ],
)
def test_a_key_needs_a_known_scope_and_a_plain_name(name: str, scope: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        new_key(name, scope)


@pytest.mark.parametrize(
    "entry",
    [
        "app:read:0123456789ab",
        "app:root:0123456789ab:" + "0" * 64,
        "app:read:0123456789AB:" + "0" * 64,
        "app:read:0123456789ab:" + "0" * 63,
        "app:read:0123456789ab:" + "g" * 64,
        "a:b:read:0123456789ab:" + "0" * 64,
    ],
)
def test_malformed_entries_are_refused(entry: str) -> None:
    with pytest.raises(ValueError, match="name:scope:keyid:sha256"):
        parse_entry(entry)


def test_scopes_are_levels() -> None:
    read, command, admin = (
        ApiKey("k", s, "0" * 12, "0" * 64) for s in ("read", "command", "admin")
    )
    assert read.allows("read") and not read.allows("command") and not read.allows("admin")
    assert command.allows("read") and command.allows("command") and not command.allows("admin")
    assert admin.allows("read") and admin.allows("command") and admin.allows("admin")


def test_the_scope_a_request_needs() -> None:
    assert scope_needed("GET", None) == "read" and scope_needed("head", None) == "read"
    for method in ("PUT", "POST", "DELETE", "PATCH"):
        assert scope_needed(method, None) == "admin"
    assert scope_needed("POST", "command") == "command"


def test_a_presented_key_is_checked() -> None:
    key, stored = new_key("app", "read")
    keys = ApiKeys([stored])
    assert keys.check(key).key == stored
    assert keys.check(None).reason == "missing"
    assert keys.check("").reason == "malformed"
    assert keys.check("Bearer " + key).reason == "malformed"
    assert keys.check(key + "x").reason == "mismatch"
    _, key_id, secret = key.split("_", 2)
    assert keys.check(f"cb_{key_id}_{secret[::-1]}").reason == "mismatch"
    unknown = keys.check(f"cb_0123456789ab_{secret}")
    assert unknown.reason == "unknown" and unknown.key_id == "0123456789ab"
    assert ApiKeys().check(key).reason == "unknown"


def test_where_a_request_carries_its_key() -> None:
    assert presented_key({"authorization": "Bearer cb_x"}) == "cb_x"
    assert presented_key({"authorization": "bearer  cb_x "}) == "cb_x"
    assert presented_key({"x-api-key": "cb_y"}) == "cb_y"
    assert presented_key({"authorization": "Basic abc", "x-api-key": "cb_y"}) == ""
    assert presented_key({}) is None


def test_keys_from_the_settings_and_a_file(tmp_path: Path) -> None:
    one, first = new_key("one", "read")
    two, second = new_key("two", "admin")
    path = tmp_path / "keys"
    path.write_text(f"# comment\n\n{second.entry}\n")
    keys = load_api_keys(Settings(api_keys=(first.entry,), api_keys_file=str(path)))
    assert keys.check(one).key == first and keys.check(two).key == second
    with pytest.raises(SettingsError, match="CHARGEBUS_API_KEYS_FILE"):
        load_api_keys(Settings(api_keys_file=str(tmp_path / "missing")))
    path.write_text("nonsense\n")
    with pytest.raises(SettingsError, match=r"CHARGEBUS_API_KEYS_FILE \(.*\): an API key entry"):
        load_api_keys(Settings(api_keys_file=str(path)))
    clash = ApiKey("x", "admin", first.key_id, second.sha256).entry
    with pytest.raises(SettingsError, match="configured twice"):
        load_api_keys(Settings(api_keys=(first.entry, clash)))


def test_a_bad_entry_in_the_environment_names_the_variable() -> None:
    from chargebus.commands.settings import CommandsSettings

    _, stored = new_key("a", "read")
    _, other = new_key("b", "command")
    settings = load_settings(
        CommandsSettings, {"CHARGEBUS_API_KEYS": f"{stored.entry}, {other.entry}"}
    )
    assert settings.api_keys == (stored.entry, other.entry)
    with pytest.raises(SettingsError, match="CHARGEBUS_API_KEYS"):
        load_settings(CommandsSettings, {"CHARGEBUS_API_KEYS": "cb_0123456789ab_secret"})


def test_the_first_start_makes_one_admin_key_and_keeps_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    keys_file, key_file, made = bootstrap(data)
    assert made and keys_file == data / "api-keys" and key_file == data / "api-key"
    for path in (keys_file, key_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert key.split("_", 2)[2] not in keys_file.read_text()
    keys = load_api_keys(Settings(api_keys_file=str(keys_file)))
    check = keys.check(key)
    assert check.key is not None and check.key.scope == "admin"
    assert bootstrap(data) == (keys_file, key_file, False)
    assert key_file.read_text().strip() == key
