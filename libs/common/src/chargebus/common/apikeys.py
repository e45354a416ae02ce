"""API keys for the HTTP API (docs/api.md, "Authentication").

A key reads ``cb_<key id>_<secret>``: the key id (12 hex digits) names it
and may be logged; the secret (32 random bytes, URL-safe base64) is shown
once, when the key is made, and never stored.  The server knows each key
as one line ``<name>:<scope>:<key id>:<sha256 of the secret, hex>``, from
``CHARGEBUS_API_KEYS`` (comma-separated) or ``CHARGEBUS_API_KEYS_FILE``
(one a line).

A plain SHA-256 is enough here, unlike for passwords: the secret is 256
bits from ``secrets``, so there is no dictionary to try and nothing a slow
hash would add; a stolen configuration gives no key.  Hashes are compared
with :func:`hmac.compare_digest` (constant time).

Scopes are levels: ``read`` (GET and HEAD), ``command`` (send commands to
chargers, and read), ``admin`` (everything).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chargebus.common.settings import SettingsError, env_name

__all__ = [
    "ENTRY_PATTERN",
    "SCOPES",
    "ApiKey",
    "ApiKeys",
    "KeyCheck",
    "bootstrap",
    "load_api_keys",
    "new_key",
    "parse_entry",
]

#: From least to most: a scope allows what every scope before it does.
SCOPES = ("read", "command", "admin")

_KEY_ID = r"[0-9a-f]{12}"
_NAME = r"[A-Za-z0-9._@-]{1,64}"
#: ``name:scope:keyid:sha256hex``, as settings accept it.
ENTRY_PATTERN = rf"^{_NAME}:(?:read|command|admin):{_KEY_ID}:[0-9a-f]{{64}}$"
_ENTRY = re.compile(ENTRY_PATTERN)
_KEY = re.compile(rf"^cb_({_KEY_ID})_([A-Za-z0-9_-]{{20,128}})$")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    name: str
    scope: str
    key_id: str
    sha256: str

    def allows(self, scope: str) -> bool:
        return SCOPES.index(self.scope) >= SCOPES.index(scope)

    @property
    def entry(self) -> str:
        return f"{self.name}:{self.scope}:{self.key_id}:{self.sha256}"


def parse_entry(entry: str) -> ApiKey:
    """``name:scope:keyid:hash``; ValueError saying what is wrong (never
    echoing the hash, which is harmless, but keeps the messages short)."""
    entry = entry.strip()
    if not _ENTRY.match(entry):
        raise ValueError(
            "an API key entry is name:scope:keyid:sha256 (scope read, command or admin; "
            "`chargebus api-key new` prints one)"
        )
    name, scope, key_id, digest = entry.split(":")
    return ApiKey(name, scope, key_id, digest)


@dataclass(frozen=True)
class KeyCheck:
    """What a presented key is: ``key`` set when valid, else ``reason``
    (``missing``, ``malformed``, ``unknown``, ``mismatch``)."""

    key: ApiKey | None
    reason: str | None = None
    key_id: str | None = None


class ApiKeys:
    """The keys a service accepts, by key id."""

    def __init__(self, keys: Iterable[ApiKey] = ()) -> None:
        self.by_id: dict[str, ApiKey] = {}
        for key in keys:
            if key.key_id in self.by_id and self.by_id[key.key_id] != key:
                raise ValueError(f"key id {key.key_id} is configured twice, differently")
            self.by_id[key.key_id] = key

    def __len__(self) -> int:
        return len(self.by_id)

    @classmethod
    def parse(cls, entries: Iterable[str]) -> ApiKeys:
        return cls(parse_entry(e) for e in entries if e.strip() and not e.strip().startswith("#"))

    def check(self, presented: str | None) -> KeyCheck:
        """``presented``: None when the request carried no key."""
        if presented is None:
            return KeyCheck(None, "missing")
        match = _KEY.match(presented.strip())
        if match is None:
            return KeyCheck(None, "malformed")
        key_id, secret = match.groups()
        key = self.by_id.get(key_id)
        digest = _digest(secret)
        # Compared even for an unknown id, so both take the same time.
        expected = key.sha256 if key is not None else "0" * 64
        if not hmac.compare_digest(digest, expected) or key is None:
            return KeyCheck(None, "unknown" if key is None else "mismatch", key_id)
        return KeyCheck(key, None, key_id)


def new_key(name: str, scope: str) -> tuple[str, ApiKey]:
    """A fresh key (to show once) and what the server stores of it."""
    if scope not in SCOPES:
        raise ValueError(f"scope {scope!r}: one of {', '.join(SCOPES)}")
    if not re.fullmatch(_NAME, name):
        raise ValueError("a key's name is 1 to 64 of A-Z a-z 0-9 . _ @ -")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"cb_{key_id}_{secret}", ApiKey(name, scope, key_id, _digest(secret))


def read_entries(path: str | Path) -> list[str]:
    """The lines of a keys file (blank lines and ``#`` comments skipped)."""
    text = Path(path).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[:1] != "#"]


def load_api_keys(settings: Any) -> ApiKeys:
    """The keys a service's settings configure: ``api_keys`` and the lines
    of ``api_keys_file``.  A bad entry or an unreadable file is a
    SettingsError naming the variable."""
    entries: list[tuple[str, str]] = [(env_name("api_keys"), e) for e in settings.api_keys]
    path = settings.api_keys_file
    if path:
        try:
            entries += [(f"{env_name('api_keys_file')} ({path})", e) for e in read_entries(path)]
        except OSError as exc:
            raise SettingsError(f"{env_name('api_keys_file')}: {exc}") from None
    keys: list[ApiKey] = []
    for source, entry in entries:
        try:
            keys.append(parse_entry(entry))
        except ValueError as exc:
            raise SettingsError(f"{source}: {exc}") from None
    try:
        return ApiKeys(keys)
    except ValueError as exc:
        raise SettingsError(f"{env_name('api_keys')}: {exc}") from None


def bootstrap(data_dir: str | Path) -> tuple[Path, Path, bool]:
    """The embedded ``chargebus run`` with no keys configured: the keys
    file ``<data_dir>/api-keys`` (hashes only), made on first start with an
    admin key whose secret goes to ``<data_dir>/api-key`` (mode 0600).
    Returns both paths and whether the key was made now."""
    folder = Path(data_dir)
    keys_file, key_file = folder / "api-keys", folder / "api-key"
    if keys_file.exists():
        return keys_file, key_file, False
    folder.mkdir(parents=True, exist_ok=True)
    key, stored = new_key("admin", "admin")
    _write_private(key_file, key + "\n")
    _write_private(
        keys_file,
        "# chargebus API keys: name:scope:keyid:sha256 of the secret, one a line.\n"
        "# `chargebus api-key new` makes more; restart to apply.\n" + stored.entry + "\n",
    )
    return keys_file, key_file, True


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, 0o600)


def scope_needed(method: str, declared: str | None) -> str:
    """A route's own scope, else ``read`` for GET and HEAD, ``admin`` for
    the rest."""
    if declared is not None:
        return declared
    return "read" if method.upper() in ("GET", "HEAD") else "admin"


def presented_key(headers: Mapping[str, str]) -> str | None:
    """``Authorization: Bearer <key>``, else ``X-API-Key: <key>``."""
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return str(value.strip())
        return ""  # another scheme: malformed, not missing
    key = headers.get("x-api-key")
    return str(key).strip() if key is not None else None
