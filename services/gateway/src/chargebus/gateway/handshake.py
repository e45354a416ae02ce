"""Who is connecting and which OCPP they speak, decided before the upgrade.

* The charger's identity is the last path segment of ``/ocpp/{id}``,
  percent-decoded (J16 §3.1.1).  It must be an identifierString of 1 to 48
  characters without ``:`` (J201 §3.1.1): letters, digits and ``*-_=+|@.``.
  Anything else is refused with an HTTP error before the upgrade.
* The subprotocol is the first of the server's preferences that the charger
  offers.  With no match the handshake completes without one and the
  connection is then closed (J201 §3.2, J21 §3.3); we never fall back to a
  version the charger did not offer.
* Credentials are checked by an :class:`Authenticator` before the upgrade
  (the security profiles: chargebus.gateway.security).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Protocol
from urllib.parse import unquote

from cryptography import x509
from websockets.datastructures import Headers

__all__ = [
    "Admission",
    "AllowAll",
    "Authenticator",
    "Login",
    "Refusal",
    "charger_id_from_path",
    "select_subprotocol",
]

PATH_PREFIX = "/ocpp/"
_IDENTITY = re.compile(r"[A-Za-z0-9*\-_=+|@.]{1,48}")


class Refusal(Exception):
    """Refuse the upgrade with an HTTP status and a short reason."""

    def __init__(
        self,
        status: HTTPStatus,
        reason: str,
        *,
        headers: Mapping[str, str] | None = None,
        counts_as_failure: bool = True,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = dict(headers or {})
        #: A failed login (slowed down and blocked when repeated), not an
        #: outage of ours.
        self.counts_as_failure = counts_as_failure


@dataclass(frozen=True, slots=True)
class Login:
    """What is known of a connecting charger before the upgrade."""

    charger_id: str
    headers: Headers
    #: The peer's IP address (the proxy's client, when a trusted proxy says so).
    address: str
    #: wss: TLS at this gateway or at a trusted proxy.
    tls: bool
    #: The client certificate, verified by TLS here or forwarded by a
    #: trusted proxy (``proxied``).
    client_cert: x509.Certificate | None = None
    proxied: bool = False


@dataclass(frozen=True, slots=True)
class Admission:
    """How a charger got in: its profile and, for Basic, which password
    (a rotation's pending one tells the sessions service it is in use)."""

    profile: int
    password_id: str | None = None
    pending: bool = False


def charger_id_from_path(path: str) -> str:
    """The decoded charger id, or :class:`Refusal`."""
    path = path.split("?", 1)[0]
    if not path.startswith(PATH_PREFIX):
        raise Refusal(HTTPStatus.NOT_FOUND, f"chargers connect to {PATH_PREFIX}{{chargePointId}}")
    encoded = path[len(PATH_PREFIX) :]
    if not encoded or "/" in encoded:
        raise Refusal(HTTPStatus.NOT_FOUND, f"chargers connect to {PATH_PREFIX}{{chargePointId}}")
    try:
        charger_id = unquote(encoded, errors="strict")
    except UnicodeDecodeError:
        raise Refusal(HTTPStatus.BAD_REQUEST, "charger id is not valid UTF-8") from None
    if not _IDENTITY.fullmatch(charger_id):
        raise Refusal(
            HTTPStatus.BAD_REQUEST,
            "charger id must be 1 to 48 of A-Z a-z 0-9 * - _ = + | @ . (no ':')",
        )
    return charger_id


def select_subprotocol(offered: Sequence[str], preference: Sequence[str]) -> str | None:
    """Our most preferred subprotocol among those offered, or None."""
    offered_set = {p.strip() for p in offered}
    for protocol in preference:
        if protocol in offered_set:
            return protocol
    return None


class Authenticator(Protocol):
    async def authenticate(self, login: Login) -> Admission:
        """Return to let the charger in; raise :class:`Refusal` to refuse."""


class AllowAll:
    """No credentials checked: security profile 0 for every charger (tests
    of other things use it).  The gateway's default is the profile
    authenticator (chargebus.gateway.security)."""

    async def authenticate(self, login: Login) -> Admission:
        return Admission(profile=0)
