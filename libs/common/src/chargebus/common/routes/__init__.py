"""The route table port: which gateway instance holds each charger.

Two adapters with the same semantics: :mod:`.redis` for deployments and
:mod:`.memory` for ``chargebus run``; one contract suite runs against both.

Rules (the newest connection always wins; a stale pod can never overwrite or
remove a newer route):

* ``claim`` bumps the charger's epoch and records ``{instance, epoch,
  protocol, connected_at}`` with a TTL.  It never fails because an older
  route exists: a half-open socket must not lock a charger out.
* ``refresh`` keeps a route alive only for its owner at its epoch.  A route
  with a newer epoch means the charger has moved on: ``refresh`` answers
  False and the caller closes its socket.  A route that vanished (it
  expired, or Redis lost its data) is restored, unless the charger's epoch
  has moved past ours in the meantime.
* ``release`` removes the route only if it is still ours.

Each caller depends on the side it uses, a small Protocol that
:class:`RouteTable` (every adapter) satisfies:

* :class:`RouteClaims`: the gateway's connections claim, refresh and release
  their routes.
* :class:`RouteLookups`: who holds a charger (the commands service, the
  sessions API, a gateway before it claims).
* :class:`RegistrationLookups`: a charger's registration state and
  credentials, read by the gateway before it lets the charger in (and by
  the commands service when it rotates a password).
* :class:`RegistrationUpdates`: the sessions service writes both.
* :class:`RememberedLogins`: the gateways' cache of logins that passed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import msgspec

__all__ = [
    "Registration",
    "RegistrationLookups",
    "RegistrationUpdates",
    "RememberedLogins",
    "Route",
    "RouteClaims",
    "RouteLookups",
    "RouteTable",
    "RouteTableUnavailable",
]


class RouteTableUnavailable(Exception):
    """The route table (Redis) could not be reached, or can't answer yet."""


class Route(msgspec.Struct, frozen=True, kw_only=True):
    charger_id: str
    instance: str
    epoch: int
    protocol: str
    connected_at: float


class Registration(msgspec.Struct, frozen=True, kw_only=True):
    """What the route table holds of a charger's registration."""

    #: Accepted, Pending or Rejected; None when the CSMS doesn't know it.
    state: str | None
    #: The heartbeat interval the sessions service answers an accepted
    #: BootNotification with (written with the states); None from a
    #: sessions service that doesn't write it.
    heartbeat_interval: int | None = None


class RouteClaims(Protocol):
    """The gateway's side: its connections' routes, claimed, kept and let go."""

    async def claim(
        self, charger_id: str, instance: str, protocol: str, connected_at: float, *, floor: int = 0
    ) -> Route:
        """A new connection's route, with an epoch above every earlier one and
        above ``floor`` (an epoch the caller knows was used)."""

    async def claim_unless_newer(
        self, charger_id: str, instance: str, protocol: str, connected_at: float
    ) -> Route | None:
        """``claim``, in one atomic step, unless the route held now belongs to
        a connection that started later (for sockets routed late, after the
        route table was away); None when refused."""

    async def refresh(self, route: Route) -> bool: ...

    async def refresh_many(self, routes: Sequence[Route]) -> list[bool]:
        """``refresh`` for many routes in one round trip."""

    async def release(self, route: Route) -> bool: ...


class RouteLookups(Protocol):
    """Which gateway holds a charger, for whoever sends it something."""

    async def lookup(self, charger_id: str) -> Route | None: ...

    async def lookup_many(self, charger_ids: Sequence[str]) -> list[Route | None]:
        """``lookup`` for many chargers in one round trip."""


# Registration states: what the sessions service answered the charger's
# BootNotification (Accepted, Pending, Rejected), kept next to the routes
# so the gateway learns a reconnecting charger's state in the same place,
# once per connection.  No TTL: the sessions service owns the truth and
# writes every known state back at start-up.
#
# Credentials: each charger's security profile and salted password
# hashes (chargebus.common.security), written by the sessions service
# beside the registration states and read by the gateway before the
# upgrade.  Same completeness rule: while the states are not complete
# the read raises RouteTableUnavailable and the gateway refuses (fails
# closed) instead of letting an unchecked charger in.


class RegistrationLookups(Protocol):
    """A charger's registration state and credentials, read."""

    async def registration(self, charger_id: str) -> Registration:
        """The charger's registration state (None when the CSMS doesn't know
        it) and the heartbeat interval of an accepted boot, in one read.
        Raises RouteTableUnavailable while the states are not complete
        (never written, or lost with a Redis restart), as when unreachable."""

    async def credentials(self, charger_id: str) -> bytes | None:
        """The charger's credentials record, None when it has none."""


class RegistrationUpdates(Protocol):
    """The sessions service's side: registration states and credentials, written."""

    async def set_registrations(
        self,
        states: Mapping[str, str],
        *,
        complete: bool = False,
        heartbeat_interval: int | None = None,
    ) -> None:
        """Write states; ``complete`` marks the states as all there are (the
        end of a full write), and records ``heartbeat_interval`` with that
        mark."""

    async def registrations_complete(self) -> bool: ...

    async def set_credentials(self, records: Mapping[str, bytes | None]) -> None:
        """Write records; None removes one."""


class RememberedLogins(Protocol):
    """Logins the gateways remember (chargebus.gateway.security): a keyed
    digest of a password that passed the slow hash, so a charger's first
    login at another gateway, or after a restart, skips it.  Useless
    without the gateways' key; expires."""

    async def remembered_login(self, charger_id: str) -> bytes | None: ...

    async def remember_login(self, charger_id: str, proof: bytes, ttl: float) -> None: ...


class RouteTable(
    RouteClaims,
    RouteLookups,
    RegistrationLookups,
    RegistrationUpdates,
    RememberedLogins,
    Protocol,
):
    """The whole table, as an adapter provides it and the wiring holds it."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    @property
    def healthy(self) -> bool: ...
