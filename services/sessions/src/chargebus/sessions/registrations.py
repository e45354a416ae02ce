"""What the gateways read about each charger from the route table: its
registration state and its credentials.  The store is the truth; this
module writes it through.

Rules: a state is always read afresh from the store before it is written
(so two writers can't leave an older state last); while the route table is
away nothing waits for it: the periodic seeding catches up (gateways that
can't read credentials refuse the charger: they fail closed).
"""

from __future__ import annotations

import logging

import msgspec

from chargebus.common.routes import RouteTable, RouteTableUnavailable
from chargebus.sessions.model import Charger
from chargebus.sessions.repositories import Chargers

__all__ = ["Registrations", "credentials_record"]

log = logging.getLogger(__name__)

#: Chargers read per page while seeding.
_PAGE = 1000


def credentials_record(charger: Charger, hex_key_models: frozenset[str]) -> bytes | None:
    """A charger's credentials as the gateways read them: a 1.6 charger of a
    model that sends its key as hex text gets hex_key."""
    credentials = charger.credentials
    if credentials is None:
        return None
    model = f"{charger.vendor or ''}/{charger.model or ''}".casefold()
    if not credentials.hex_key and model in hex_key_models:
        credentials = msgspec.structs.replace(credentials, hex_key=True)
    return credentials.encode()


class Registrations:
    def __init__(
        self,
        chargers: Chargers,
        routes: RouteTable,
        *,
        hex_key_models: frozenset[str],
        heartbeat_interval: int,
    ) -> None:
        self.chargers = chargers
        self.routes = routes
        self.hex_key_models = hex_key_models
        self.heartbeat_interval = heartbeat_interval

    def record(self, charger: Charger) -> bytes | None:
        return credentials_record(charger, self.hex_key_models)

    async def seed(self) -> None:
        """Write every charger's registration state to the route table (the
        store is the truth), then mark them complete."""
        after: str | None = None
        while True:
            page = await self.chargers.page(limit=_PAGE, after=after)
            if not page:
                break
            await self.routes.set_registrations({c.id: c.registration for c in page})
            await self.routes.set_credentials(
                {c.id: self.record(c) for c in page if c.credentials is not None}
            )
            after = page[-1].id
        # With the mark, the interval an accepted boot gets: gateways answer
        # the BootNotification of a charger held as Accepted with it.
        await self.routes.set_registrations(
            {}, complete=True, heartbeat_interval=self.heartbeat_interval
        )

    async def reseed_if_lost(self) -> None:
        if not await self.routes.registrations_complete():
            log.warning("the route table lost the registration states: writing them again")
            await self.seed()

    async def publish_registration(self, charger_id: str) -> None:
        """Tell the gateways a charger's state, read afresh."""
        try:
            charger = await self.chargers.get(charger_id)
            if charger is not None:
                await self.routes.set_registrations({charger_id: charger.registration})
        except RouteTableUnavailable as exc:
            log.warning("registration of %s not passed on yet: %s", charger_id, exc)

    async def publish_credentials(self, charger_id: str) -> None:
        """Tell the gateways a charger's credentials, read afresh."""
        try:
            charger = await self.chargers.get(charger_id)
            # Two writers (a PUT, a rotation's event, a boot) may each read
            # then write: read again after writing, and write again until the
            # newest version is the one written last.
            for _ in range(5):
                if charger is None:
                    return
                await self.routes.set_credentials({charger_id: self.record(charger)})
                again = await self.chargers.get(charger_id)
                if again is None or again.v == charger.v:
                    return
                charger = again
        except RouteTableUnavailable as exc:
            log.warning("credentials of %s not passed on yet: %s", charger_id, exc)
