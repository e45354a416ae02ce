"""The billing service's consumer: session events in from ``chargebus.billing``,
decisions (chargebus.billing.billed_sessions) applied to the store, their
events out through the outbox.

Rules: an event that can't be read is logged and dropped (redelivering it
would not make it readable); an event waits for the store as long as it
takes, since losing it would lose a bill, each delivery with a backoff of
its own; while the service stops it goes back to the broker instead.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import msgspec

from chargebus.billing.billed_sessions import SessionEvent, apply_event, tariff_wanted, too_late
from chargebus.billing.catalogue import TariffCatalogue
from chargebus.billing.costs import cost_command
from chargebus.billing.issuer import CdrIssuer
from chargebus.billing.metrics import BillingMetrics
from chargebus.billing.model import BillingSession
from chargebus.billing.outbox import Outbox
from chargebus.billing.repositories import BilledSessions
from chargebus.billing.settings import BillingSettings
from chargebus.common.backoff import Backoff
from chargebus.common.bus import Bus, BusError, Delivery
from chargebus.common.bus.topology import COMMANDS
from chargebus.common.events import SessionEnded, SessionStarted, SessionUpdated, decode_event
from chargebus.common.logs import bind, log_context
from chargebus.common.store import StoreUnavailable
from chargebus.common.store.documents import emit

__all__ = ["SESSION_EVENTS", "Consumer"]

log = logging.getLogger(__name__)

#: The routing keys billing works on; anything else on its queue is ignored.
SESSION_EVENTS = frozenset({"session.started", "session.updated", "session.ended"})

_T = TypeVar("_T")


class Consumer:
    def __init__(
        self,
        settings: BillingSettings,
        sessions: BilledSessions,
        catalogue: TariffCatalogue,
        issuer: CdrIssuer,
        outbox: Outbox,
        bus: Bus,
        metrics: BillingMetrics,
        clock: Callable[[], float],
        running: Callable[[], bool],
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.catalogue = catalogue
        self.issuer = issuer
        self.outbox = outbox
        self.bus = bus
        self.metrics = metrics
        self.clock = clock
        #: False once the service stops: a delivery waiting for the store
        #: goes back to the broker.
        self.running = running

    async def on_delivery(self, delivery: Delivery) -> None:
        if delivery.routing_key not in SESSION_EVENTS:
            return
        with log_context(correlation_id=delivery.correlation_id):
            try:
                event = decode_event(delivery.body)
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                log.error("%s that can't be read, dropped: %s", delivery.routing_key, exc)
                return
            if isinstance(event, SessionStarted | SessionUpdated | SessionEnded):
                bind(charger_id=event.charger_id, session_id=event.session_id)
                await self._retrying(lambda: self.apply(event))

    async def _retrying(self, work: Callable[[], Awaitable[_T]]) -> _T:
        """The work, tried again while the store is unavailable: unacked
        meanwhile, so the prefetch limit holds back the rest."""
        backoff = Backoff(first=0.1, cap=5.0)
        while True:
            try:
                return await work()
            except StoreUnavailable as exc:
                if not self.running():
                    raise
                log.warning("store unavailable, waiting: %s", exc)
                await backoff.wait()

    async def apply(self, event: SessionEvent) -> None:
        """The event applied to its billed session, its cost published, and
        its CDR made when due at once."""
        known = await self.sessions.get(event.session_id)
        if too_late(known, event):
            return
        wanted = tariff_wanted(known, event)
        tariff = None if wanted is None else await self.catalogue.resolve(event.charger_id, wanted)
        now = self.clock()
        emitted: set[str] = set()
        untariffed = False

        def change(session: BillingSession | None) -> BillingSession | None:
            nonlocal untariffed
            emitted.clear()
            applied = apply_event(session, event, tariff, now, self.settings)
            if applied is None:
                return None
            untariffed = applied.untariffed
            if applied.cost_updated is not None:
                emitted.add(emit(applied.session, applied.cost_updated))
            return applied.session

        session, changed = await self.sessions.change(event.session_id, change)
        if not changed or session is None:
            return
        if untariffed:
            self.metrics.untariffed.inc()
            log.warning(
                "session %s on %s: no tariff in force at its start; priced at zero",
                event.session_id,
                event.charger_id,
            )
        await self.outbox.publish(session, emitted)
        if emitted:
            self.metrics.cost_updates.inc()
            await self._show_cost(session)
        if session.cdr_pending and self.settings.cdr_delay <= 0:
            await self.issuer.make(session.id)

    async def _show_cost(self, session: BillingSession) -> None:
        """A best-effort command, never queued: a cost shown late is wrong."""
        request = cost_command(session, self.settings.show_cost_on_charger)
        if request is None:
            return
        try:
            await self.bus.publish(COMMANDS, "command.call", msgspec.json.encode(request))
        except BusError as exc:
            log.info("CostUpdated for %s not sent: %s", session.id, exc)
