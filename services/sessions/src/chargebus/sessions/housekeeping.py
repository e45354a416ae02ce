"""The sessions service's periodic work, apart from the messages: writing
presence, sweeping outboxes a crash left behind, purging the audit log past
its retention, and seeding the route table with the chargers' registration
states and credentials (and seeding again when Redis lost them).

Rules: each job runs on its own ``every`` loop in the service's task set;
an outage of the store, the bus or the route table is logged and the job
tried again at its next turn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from chargebus.common.bus import Bus, BusError
from chargebus.common.routes import RouteTableUnavailable
from chargebus.common.store import StoreUnavailable
from chargebus.common.tasks import TaskSet, every
from chargebus.sessions.presence import PresenceBook
from chargebus.sessions.registrations import Registrations
from chargebus.sessions.repositories import Repositories
from chargebus.sessions.values import iso_time

__all__ = ["Housekeeping"]

log = logging.getLogger(__name__)

#: The outages a job waits out until its next turn.
_OUTAGES = (StoreUnavailable, BusError, RouteTableUnavailable)
#: Seconds between sweeps of the outboxes, purges of the audit log, full
#: seedings of the route table; and between checks that Redis still holds
#: the registrations (until they're written back, gateways with a minimum
#: security profile refuse new connections with 503: one EXISTS every 3 s
#: keeps that window short).
_SWEEP_EVERY, _PURGE_EVERY, _SEED_EVERY, _RESEED_CHECK_EVERY = 30.0, 3600.0, 600.0, 3.0


class Housekeeping:
    def __init__(
        self,
        repositories: Repositories,
        bus: Bus,
        presence: PresenceBook,
        registrations: Registrations,
        *,
        audit_retention_days: float,
        presence_flush_interval: float,
        clock: Callable[[], float],
    ) -> None:
        self.repositories = repositories
        self.bus = bus
        self.presence = presence
        self.registrations = registrations
        self.audit_retention_days = audit_retention_days
        self.presence_flush_interval = presence_flush_interval
        self.clock = clock

    def start(self, tasks: TaskSet) -> None:
        """Spawn the periodic jobs into the service's task set."""
        for period, job in (
            (self.presence_flush_interval, self.flush_presence),
            (_SWEEP_EVERY, self.sweep_outboxes),
            (_PURGE_EVERY, self.purge_audit),
            (_RESEED_CHECK_EVERY, self.reseed_lost_registrations),
            (_SEED_EVERY, self.seed_registrations),
        ):
            tasks.spawn(every(period, job, _OUTAGES))

    async def flush_presence(self) -> None:
        await self.presence.flush()

    async def sweep_outboxes(self, settle_s: float = 10.0) -> None:
        """Publish events a crash left in outboxes."""
        await self.repositories.chargers.sweep_outboxes(self.bus, settle_s)
        await self.repositories.sessions.sweep_outboxes(self.bus, settle_s)

    async def purge_audit(self) -> int:
        before = self.clock() - self.audit_retention_days * 86400
        removed = await self.repositories.audit.delete_before(before)
        if removed:
            log.info("audit log: %d entries older than %s removed", removed, iso_time(before))
        return removed

    async def seed_registrations(self) -> None:
        await self.registrations.seed()

    async def reseed_lost_registrations(self) -> None:
        await self.registrations.reseed_if_lost()
