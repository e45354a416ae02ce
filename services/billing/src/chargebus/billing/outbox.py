"""Publishing the events a billed session's change put in its outbox.

Rule: an event is written with the change that made it and published after
(chargebus.common.store.documents), so a crash publishes late, not never,
and nothing twice; whatever is left behind, the outbox sweep publishes.
"""

from __future__ import annotations

import logging

from chargebus.billing.model import BillingSession
from chargebus.billing.repositories import BilledSessions
from chargebus.common.bus import Bus
from chargebus.common.store import StoreUnavailable

__all__ = ["Outbox"]

log = logging.getLogger(__name__)


class Outbox:
    def __init__(self, sessions: BilledSessions, bus: Bus) -> None:
        self.sessions = sessions
        self.bus = bus

    async def publish(self, session: BillingSession, event_ids: set[str]) -> None:
        """Publish the events just written with the session."""
        if not event_ids:
            return
        try:
            await self.sessions.publish(self.bus, session, event_ids)
        except StoreUnavailable as exc:  # published; the sweep clears the outbox
            log.warning("outbox of %s not cleared: %s", session.id, exc)

    async def sweep(self) -> None:
        """Publish what a crash or an outage left in outboxes."""
        await self.sessions.sweep_outboxes(self.bus)
