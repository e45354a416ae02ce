"""The billing service: prices sessions from the sessions service's events.

``session.started`` picks the tariff in force at the session's start (the
charger's, else its group's, else the default); ``session.updated`` moves
the running cost on, published now and then as ``billing.cost_updated``;
``session.ended`` makes the charge detail record, published as
``billing.cdr_created``.  A later revision of ``session.ended`` (the
session changed after it ended) makes a new version of the same CDR when
the CDR comes out different; a redelivered event changes nothing.

Every change is a compare-and-set on the session's document, with its
events in the document's outbox (chargebus.common.store.documents), so a
crash publishes late, not never, and nothing twice.

This module puts the service together from the store and the bus it is
given and runs its life cycle; the parts are:

* decisions, pure: chargebus.billing.billed_sessions (events applied),
  costs (the running cost), cdrs (CDRs and their versions), tariffs;
* the shell: consumer (deliveries, retries), issuer (CDRs made and
  written), outbox, housekeeping (the sweeps), catalogue (tariffs and
  assignments), over the typed repositories.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from chargebus.billing.catalogue import TariffCatalogue
from chargebus.billing.consumer import Consumer
from chargebus.billing.housekeeping import Housekeeping
from chargebus.billing.issuer import CdrIssuer
from chargebus.billing.metrics import BillingMetrics
from chargebus.billing.model import AssignmentDoc, TariffDoc
from chargebus.billing.outbox import Outbox
from chargebus.billing.repositories import Assignments, BilledSessions, Cdrs, Tariffs
from chargebus.billing.settings import BillingSettings
from chargebus.billing.tariffs import TariffChoice
from chargebus.common.billing import Cdr, Tariff
from chargebus.common.bus import Bus, Delivery
from chargebus.common.store import DocumentStore
from chargebus.common.tasks import TaskSet

__all__ = ["QUEUE", "BillingService"]

#: The queue billing consumes (chargebus.common.bus.topology binds it).
QUEUE = "chargebus.billing"


class BillingService:
    def __init__(
        self,
        settings: BillingSettings,
        store: DocumentStore,
        bus: Bus,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.store = store
        self.bus = bus
        self.clock = clock
        self.metrics = BillingMetrics()
        self.started = False
        self.tariffs = Tariffs(store)
        self.assignments = Assignments(store)
        self.sessions = BilledSessions(store)
        self.cdrs = Cdrs(store)
        self.catalogue = TariffCatalogue(self.tariffs, self.assignments, clock)
        self.outbox = Outbox(self.sessions, bus)
        self.issuer = CdrIssuer(
            self.sessions, self.cdrs, self.outbox, self.metrics, clock, currency=settings.currency
        )
        self.consumer = Consumer(
            settings,
            self.sessions,
            self.catalogue,
            self.issuer,
            self.outbox,
            bus,
            self.metrics,
            clock,
            running=lambda: self.started,
        )
        self.housekeeping = Housekeeping(self.sessions, self.issuer, self.outbox, clock)
        self._tasks = TaskSet("billing housekeeping")

    # -- life cycle --------------------------------------------------------------------

    async def start(self) -> None:
        await self.store.start()
        await self.bus.start()
        await self.bus.consume(QUEUE, self.on_delivery, prefetch=self.settings.prefetch)
        self.housekeeping.start(self._tasks)
        self.started = True

    async def stop(self) -> None:
        self.started = False
        await self._tasks.cancel()
        await self.bus.close()
        await self.store.close()

    def ready(self) -> bool:
        return self.started and self.bus.healthy and self.store.healthy

    # -- what the API, the tests and the benchmarks call -------------------------------

    async def on_delivery(self, delivery: Delivery) -> None:
        await self.consumer.on_delivery(delivery)

    async def sweep(self) -> None:
        """Due CDRs made, and versions a crash left unwritten written."""
        await self.housekeeping.sweep_cdrs()

    async def put_tariff(self, tariff_id: str, tariff: Tariff) -> Tariff:
        return await self.catalogue.put_tariff(tariff_id, tariff)

    async def get_tariff(self, tariff_id: str) -> TariffDoc | None:
        return await self.catalogue.get_tariff(tariff_id)

    async def assign(
        self, key: str, tariff_id: str | None, group: str | None = None
    ) -> AssignmentDoc:
        return await self.catalogue.assign(key, tariff_id, group)

    async def assignment(self, key: str) -> AssignmentDoc | None:
        return await self.catalogue.assignment(key)

    async def resolve(self, charger_id: str, at: float) -> TariffChoice:
        return await self.catalogue.resolve(charger_id, at)

    async def cdr_of(self, session_id: str, version: int | None = None) -> Cdr | None:
        """The session's latest CDR, or the version asked for."""
        if version is None:
            session = await self.sessions.get(session_id)
            return session.cdr if session is not None else None
        doc = await self.cdrs.version(session_id, version)
        return doc.cdr if doc is not None else None
