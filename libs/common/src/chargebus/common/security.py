"""Chargers' credentials: security profiles and salted, slow password hashes.

The sessions service owns each charger's :class:`Credentials` (stored with
the charger) and writes them to the route table; the gateway reads them
before the WebSocket upgrade and checks the charger's login against them.
A password is never stored, logged or sent anywhere in clear: only its
scrypt hash (RFC 7914) with a random salt per password.

What a password *is*, as bytes (OCPP Security White Paper §2, A00.FR.205):

* 1.6: the ``AuthorizationKey``, 16 to 20 bytes, configured over OCPP as 32
  to 40 hex characters; in the Basic header chargers send the raw bytes
  (J16 §6.2.2, OCTT TC_085_CS) or, some models, the hex text.  The hash is
  of the raw bytes; a charger marked ``hex_key`` may also send the hex text.
* 2.x: ``SecurityCtrlr.BasicAuthPassword``, 16 to 40 UTF-8 characters; the
  hash is of its UTF-8 bytes.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
import string
import time
from typing import Literal

import msgspec

__all__ = [
    "Credentials",
    "PasswordHash",
    "generate_authorization_key",
    "generate_password",
    "hash_password",
    "login_secrets",
    "verify_password",
]

#: scrypt's cost: N = 2**COST (r=8, p=1): 2**14 takes about 50 ms and 16 MiB
#: here.  Chargers' secrets are machine-generated, but a leaked hash must
#: still be expensive to test guesses against.
DEFAULT_COST = 14
_MAXMEM = 128 << 20


class PasswordHash(msgspec.Struct, frozen=True, kw_only=True):
    #: Names this password in logs and events (never the password).
    id: str
    salt: bytes
    digest: bytes
    cost: int = DEFAULT_COST
    #: Set by a rotation: accepted beside the current one until the charger
    #: logs in with it, then the only one.
    pending: bool = False
    created_at: float = 0.0


class Credentials(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    #: 0: none (trusted networks only); 1: Basic over ws; 2: Basic over wss;
    #: 3: mutual TLS.
    profile: Literal[0, 1, 2, 3]
    passwords: tuple[PasswordHash, ...] = ()
    #: Profile 3: the serial number the client certificate's CN must hold
    #: (A00.FR.405).  Unset: the charger id.
    serial_number: str | None = None
    #: 1.6 chargers that send the AuthorizationKey's hex text in the Basic
    #: header instead of its bytes.
    hex_key: bool = False

    def encode(self) -> bytes:
        return msgspec.json.encode(self)

    @classmethod
    def decode(cls, data: bytes) -> Credentials:
        return msgspec.json.decode(data, type=cls)


def hash_password(
    secret: bytes, *, cost: int = DEFAULT_COST, pending: bool = False
) -> PasswordHash:
    salt = os.urandom(16)
    return PasswordHash(
        id=secrets.token_hex(4),
        salt=salt,
        digest=_scrypt(secret, salt, cost),
        cost=cost,
        pending=pending,
        created_at=time.time(),
    )


def verify_password(secret: bytes, stored: PasswordHash) -> bool:
    """Constant-time comparison of ``secret``'s hash with ``stored``.
    Runs scrypt: call it off the event loop (hashlib releases the GIL)."""
    return hmac.compare_digest(_scrypt(secret, stored.salt, stored.cost), stored.digest)


def _scrypt(secret: bytes, salt: bytes, cost: int) -> bytes:
    return hashlib.scrypt(secret, salt=salt, n=1 << cost, r=8, p=1, maxmem=_MAXMEM, dklen=32)


def login_secrets(password: bytes, hex_key: bool) -> list[bytes]:
    """The byte strings a Basic password may stand for: itself and, for a
    charger sending its 1.6 AuthorizationKey as hex text, the bytes the
    text spells."""
    candidates = [password]
    if hex_key and len(password) % 2 == 0:
        with contextlib.suppress(binascii.Error, ValueError):
            candidates.append(binascii.unhexlify(password))
    return candidates


_PASSWORD_ALPHABET = string.ascii_letters + string.digits + "*-_=+|@."


def generate_password(length: int = 32) -> str:
    """A 2.x BasicAuthPassword: 16 to 40 characters (identifierString-safe,
    so no charger's configuration parser trips on it)."""
    if not 16 <= length <= 40:
        raise ValueError("a BasicAuthPassword is 16 to 40 characters")
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def generate_authorization_key(length: int = 20) -> bytes:
    """A 1.6 AuthorizationKey: 16 to 20 random bytes (sent over OCPP as hex)."""
    if not 16 <= length <= 20:
        raise ValueError("an AuthorizationKey is 16 to 20 bytes")
    return secrets.token_bytes(length)
