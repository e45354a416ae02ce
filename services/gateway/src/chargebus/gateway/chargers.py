"""The chargers this gateway holds: their connections, and their routes in
the route table (which gateway holds which charger).

Rules it owns (see chargebus.common.routes for the route table's):

* One connection per charger here, the newest: by route epoch when both are
  routed, else by this host's clock.  The one that loses is closed.
* A new socket claims the charger's route with an epoch above any this
  gateway used, and tells the gateway that held the charger before (if
  another) to close its socket now (an Evict) rather than at its next
  refresh.
* Every ``route_refresh`` seconds the routes are kept alive; a socket whose
  charger moved on is closed, one that connected while the route table was
  away is routed, unless the charger has connected elsewhere since.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import msgspec

from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError, Delivery
from chargebus.common.bus.topology import GATEWAYS
from chargebus.common.envelope import Evict
from chargebus.common.routes import Route, RouteTable, RouteTableUnavailable
from chargebus.gateway.connection import ChargerConnection

__all__ = ["Chargers"]

log = logging.getLogger(__name__)


class Chargers:
    def __init__(self, instance: str, routes: RouteTable, bus: Bus) -> None:
        self._instance = instance
        self._routes = routes
        self._bus = bus
        #: The connection held for each charger.
        self.connections: dict[str, ChargerConnection] = {}

    def local_epoch(self, charger_id: str) -> int:
        """The epoch of this pod's current socket for the charger, if any: a
        floor for the next claim, should the route table have lost count."""
        current = self.connections.get(charger_id)
        return current.route.epoch if current is not None and current.route is not None else 0

    async def claim(self, connection: ChargerConnection) -> Route | None:
        """Claim the route of a new socket, and tell the gateway that held
        the charger before (if another) to close its socket now; None while
        the route table is away (refresh_routes routes it later)."""
        charger_id = connection.charger_id
        instance = self._instance
        try:
            previous = await self._routes.lookup(charger_id)
            route = await self._routes.claim(
                charger_id,
                instance,
                connection.version.value,
                connection.connected_at,
                floor=self.local_epoch(charger_id),
            )
            if previous is not None and previous.instance != instance:
                await self.evict(previous.instance, charger_id, route.epoch)
        except RouteTableUnavailable:
            log.warning(
                "route table unavailable; %s will be routed at the next refresh", charger_id
            )
            return None
        return route

    def attach(self, connection: ChargerConnection) -> None:
        """The newest connection of a charger wins; the old socket is closed.
        Newest is by route epoch: two handshakes of one charger can finish
        their route claims in either order."""
        previous = self.connections.get(connection.charger_id)
        if previous is None or previous is connection:
            self.connections[connection.charger_id] = connection
            return
        if _newer(previous, connection):
            connection.close("a newer connection of the same charger is open")
            return
        self.connections[connection.charger_id] = connection
        previous.close("replaced by a newer connection of the same charger")

    def detach(self, connection: ChargerConnection) -> None:
        if self.connections.get(connection.charger_id) is connection:
            del self.connections[connection.charger_id]

    async def keep_routes(self, period: float) -> None:
        """Refresh the routes every ``period`` seconds, for ever."""
        while True:
            await asyncio.sleep(period)
            try:
                await self.refresh_routes()
            except RouteTableUnavailable as exc:
                log.warning("route refresh failed, sockets kept: %s", exc)
            except Exception:  # pragma: no cover - keep refreshing whatever happens
                log.exception("route refresh failed")

    async def refresh_routes(self) -> None:
        """Keep our routes alive; close sockets whose charger moved on; route
        sockets that connected while the route table was away."""
        live = [c for c in self.connections.values() if not c.closing]
        routed = [c for c in live if c.route is not None]
        results = await self._routes.refresh_many([c.route for c in routed if c.route])
        for connection, kept in zip(routed, results, strict=True):
            if not kept:
                connection.close("a newer connection holds this charger")
        for connection in live:
            if connection.route is None and not connection.closing:
                await self._route_late(connection)

    async def _route_late(self, connection: ChargerConnection) -> None:
        """Route a socket that connected while the route table was away,
        unless the charger has connected elsewhere since."""
        route = await self._routes.claim_unless_newer(
            connection.charger_id,
            self._instance,
            connection.version.value,
            connection.connected_at,
        )
        if route is None:
            connection.close("a newer connection holds this charger")
            return
        if connection.closing:  # it went away while we claimed
            with contextlib.suppress(RouteTableUnavailable):
                await self._routes.release(route)
        else:
            connection.route = route

    async def evict(self, instance: str, charger_id: str, epoch: int) -> None:
        """Tell the gateway that held ``charger_id`` before to close its socket."""
        try:
            await self._bus.publish(
                GATEWAYS,
                instance,
                envelope.encode(Evict(charger_id=charger_id, epoch=epoch)),
                headers={"kind": "evict"},
                mandatory=False,
                persistent=False,
            )
        except BusError as exc:  # the route refresh closes it later
            log.info("could not ask %s to close %s: %r", instance, charger_id, exc)

    def on_evict(self, delivery: Delivery) -> None:
        """Another gateway accepted a newer connection of one of ours."""
        try:
            evict: Evict = envelope.decode(delivery.body, Evict)
        except (msgspec.ValidationError, msgspec.DecodeError):
            return
        connection = self.connections.get(evict.charger_id)
        route = connection.route if connection is not None else None
        if connection is not None and route is not None and route.epoch < evict.epoch:
            connection.close("a newer connection holds this charger")


def _newer(a: ChargerConnection, b: ChargerConnection) -> bool:
    """Is ``a`` the newer connection?  By route epoch when both are routed,
    else by this host's clock (a socket that could not be routed must not
    lose to an old, perhaps half-open, one)."""
    if a.route is not None and b.route is not None:
        return a.route.epoch > b.route.epoch
    return a.connected_at > b.connected_at
