"""The sessions service: it owns what chargers report.

It consumes ``chargebus.sessions`` (every charger-initiated message the
gateways publish), answers the decision messages (BootNotification,
Authorize, 1.6 Start/StopTransaction, TransactionEvent with an idToken,
DataTransfer, ...), keeps chargers, connectors, id tokens, sessions, meter
samples, reports and the audit log in the store, and publishes domain events
on ``chargebus.events``.

Consumers are idempotent: every write is keyed so that a redelivered message
changes nothing, and a domain event is written into the changed document's
outbox in the same write, then published and removed.  A crash between the
two publishes it later (at the next change of that document or by the
sweeper), and a redelivery, finding the change already made, publishes
nothing twice.

Messages of one charger may be worked on concurrently and out of order (by
several consumers, or several replicas): merges are order-independent (the
newer status by the charger's timestamp wins, a session's start is its
earliest reading, seqNos are merged as a set) and every document write is a
compare-and-set on its version.

This module is the service's life cycle and its face to the API and the
tests; the work is done by the rooms it assembles:

    consumer        delivery, retry, audit, outbox; the action -> handler table
    boot, connectors, tokens, transactions16, transactions2x, meter_values,
    reports         one concern's pure decisions and its handlers
    administration  operators' decisions and password rotations
    registrations   what the gateways read from the route table
    housekeeping    presence flush, outbox sweep, audit purge, seeding
    repositories    one typed repository per collection
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

from chargebus.common.bus import Bus
from chargebus.common.routes import RouteTable, RouteTableUnavailable
from chargebus.common.store import DocumentStore, StoreUnavailable
from chargebus.common.tasks import TaskSet
from chargebus.sessions.administration import ChargerAdministration
from chargebus.sessions.consumer import Consumer
from chargebus.sessions.context import DataTransferHandler, HandlerPorts
from chargebus.sessions.housekeeping import Housekeeping
from chargebus.sessions.metrics import SessionsMetrics
from chargebus.sessions.model import Presence
from chargebus.sessions.presence import PresenceBook
from chargebus.sessions.registrations import Registrations
from chargebus.sessions.repositories import Repositories
from chargebus.sessions.settings import SessionsSettings

__all__ = ["SessionsService"]

log = logging.getLogger(__name__)


class SessionsService:
    def __init__(
        self,
        settings: SessionsSettings,
        store: DocumentStore,
        bus: Bus,
        routes: RouteTable,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.store = store
        self.bus = bus
        self.routes = routes
        self.clock = clock
        self.repositories = Repositories(store)
        self.metrics = SessionsMetrics()
        self.registrations = Registrations(
            self.repositories.chargers,
            routes,
            hex_key_models=frozenset(m.casefold() for m in settings.hex_key_models),
            heartbeat_interval=settings.heartbeat_interval,
        )
        self.presence_book = PresenceBook(
            self.repositories.presences, settings.clock_skew_tolerance
        )
        self.administration = ChargerAdministration(
            self.repositories.chargers, self.registrations, clock
        )
        self.ports = HandlerPorts(
            settings, self.repositories, self.registrations, self.presence_book, self.metrics, clock
        )
        self.consumer = Consumer(
            self.ports,
            bus,
            on_event=self.administration.on_rotation,
            running=lambda: self.started,
        )
        self.housekeeping = Housekeeping(
            self.repositories,
            bus,
            self.presence_book,
            self.registrations,
            audit_retention_days=settings.audit_retention_days,
            presence_flush_interval=settings.presence_flush_interval,
            clock=clock,
        )
        self._tasks = TaskSet("sessions housekeeping")
        self.started = False
        # What the API and the tests reach.
        self.on_delivery = self.consumer.on_delivery
        self.set_registration = self.administration.set_registration
        self.set_security = self.administration.set_security
        self.flush_presence = self.housekeeping.flush_presence
        self.sweep_outboxes = self.housekeeping.sweep_outboxes
        self.purge_audit = self.housekeeping.purge_audit
        self.seed_registrations = self.housekeeping.seed_registrations
        self.reseed_lost_registrations = self.housekeeping.reseed_lost_registrations
        self.lookup_token = self.repositories.tokens.get

    @property
    def data_transfer(self) -> dict[str, DataTransferHandler]:
        """DataTransfer handlers by vendorId; others get UnknownVendorId."""
        return self.ports.data_transfer

    @property
    def presence(self) -> dict[str, Presence]:
        """Last seen per charger, as this replica knows it (not yet flushed)."""
        return self.presence_book.by_charger

    async def start(self) -> None:
        await self.store.start()
        await self.bus.start()
        await self.routes.start()
        try:
            await self.seed_registrations()
        except RouteTableUnavailable as exc:  # the check writes them later
            log.warning("registration states not written yet: %s", exc)
        await self.sweep_outboxes()
        await self.bus.consume(
            "chargebus.sessions", self.on_delivery, prefetch=self.settings.prefetch
        )
        self.housekeeping.start(self._tasks)
        self.started = True
        log.info(
            "sessions service started (unknown chargers: %s)",
            self.settings.unknown_charger_policy,
        )

    async def stop(self) -> None:
        self.started = False
        await self._tasks.cancel()
        with contextlib.suppress(StoreUnavailable):
            await self.flush_presence()
        await self.bus.close()
        await self.routes.close()
        await self.store.close()

    def ready(self) -> bool:
        return self.started and self.bus.healthy and self.store.healthy and self.routes.healthy
