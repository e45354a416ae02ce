"""The in-process route table for ``chargebus run``; same rules as Redis's,
including TTLs (read against a monotonic clock that tests can replace)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from chargebus.common.routes import Registration, Route, RouteTableUnavailable

__all__ = ["MemoryRouteTable"]


class MemoryRouteTable:
    def __init__(self, ttl: float = 90.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._epochs: dict[str, int] = {}
        self._routes: dict[str, tuple[Route, float]] = {}
        self._registrations: dict[str, str] = {}
        self._registrations_complete = False
        self._heartbeat_interval: int | None = None
        self._credentials: dict[str, bytes] = {}
        self._logins: dict[str, tuple[bytes, float]] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    @property
    def healthy(self) -> bool:
        return True

    def _live(self, charger_id: str) -> Route | None:
        entry = self._routes.get(charger_id)
        if entry is None:
            return None
        route, expires = entry
        if self.clock() >= expires:
            del self._routes[charger_id]
            return None
        return route

    async def claim(
        self, charger_id: str, instance: str, protocol: str, connected_at: float, *, floor: int = 0
    ) -> Route:
        current = self._live(charger_id)
        known = max(self._epochs.get(charger_id, 0), current.epoch if current else 0, floor)
        epoch = known + 1
        self._epochs[charger_id] = epoch
        route = Route(
            charger_id=charger_id,
            instance=instance,
            epoch=epoch,
            protocol=protocol,
            connected_at=connected_at,
        )
        self._routes[charger_id] = (route, self.clock() + self.ttl)
        return route

    async def claim_unless_newer(
        self, charger_id: str, instance: str, protocol: str, connected_at: float
    ) -> Route | None:
        current = self._live(charger_id)
        if current is not None and current.connected_at > connected_at:
            return None
        return await self.claim(charger_id, instance, protocol, connected_at)

    async def refresh(self, route: Route) -> bool:
        current = self._live(route.charger_id)
        counter = self._epochs.get(route.charger_id, 0)
        if current is None:
            if counter > route.epoch:
                return False
        elif current.epoch > route.epoch or (
            current.epoch == route.epoch and current.instance != route.instance
        ):
            return False
        # The counter never stays behind a live route.
        self._epochs[route.charger_id] = max(counter, route.epoch)
        self._routes[route.charger_id] = (route, self.clock() + self.ttl)
        return True

    async def refresh_many(self, routes: Sequence[Route]) -> list[bool]:
        return [await self.refresh(route) for route in routes]

    async def release(self, route: Route) -> bool:
        current = self._live(route.charger_id)
        if current is None or (current.epoch, current.instance) != (route.epoch, route.instance):
            return False
        del self._routes[route.charger_id]
        return True

    async def lookup(self, charger_id: str) -> Route | None:
        return self._live(charger_id)

    def forget_everything(self) -> None:
        """What a Redis restart without persistence does (tests use it)."""
        self._epochs.clear()
        self._routes.clear()
        self._registrations.clear()
        self._registrations_complete = False
        self._heartbeat_interval = None
        self._credentials.clear()
        self._logins.clear()

    async def lookup_many(self, charger_ids: Sequence[str]) -> list[Route | None]:
        return [self._live(charger_id) for charger_id in charger_ids]

    async def registration(self, charger_id: str) -> Registration:
        if not self._registrations_complete:
            raise RouteTableUnavailable("registration states not written yet")
        return Registration(
            state=self._registrations.get(charger_id), heartbeat_interval=self._heartbeat_interval
        )

    async def set_registrations(
        self,
        states: Mapping[str, str],
        *,
        complete: bool = False,
        heartbeat_interval: int | None = None,
    ) -> None:
        self._registrations.update(states)
        if complete:
            self._registrations_complete = True
            self._heartbeat_interval = heartbeat_interval or None

    async def registrations_complete(self) -> bool:
        return self._registrations_complete

    async def credentials(self, charger_id: str) -> bytes | None:
        if not self._registrations_complete:
            raise RouteTableUnavailable("credentials not written yet")
        return self._credentials.get(charger_id)

    async def remembered_login(self, charger_id: str) -> bytes | None:
        entry = self._logins.get(charger_id)
        if entry is None or self.clock() >= entry[1]:
            self._logins.pop(charger_id, None)
            return None
        return entry[0]

    async def remember_login(self, charger_id: str, proof: bytes, ttl: float) -> None:
        self._logins[charger_id] = (proof, self.clock() + ttl)

    async def set_credentials(self, records: Mapping[str, bytes | None]) -> None:
        for charger_id, record in records.items():
            if record is None:
                self._credentials.pop(charger_id, None)
            else:
                self._credentials[charger_id] = record
