"""The billing service's background work: CDRs that are due, CDR documents
a crash left unwritten, and outboxes a crash left unpublished.

Rules: every replica may run it at once (each step is a compare-and-set
or idempotent); an outage of the store or the bus is logged and tried again
on the next round (chargebus.common.tasks.every).
"""

from __future__ import annotations

from collections.abc import Callable

from chargebus.billing.issuer import CdrIssuer
from chargebus.billing.outbox import Outbox
from chargebus.billing.repositories import BilledSessions
from chargebus.common.bus import BusError
from chargebus.common.store import StoreUnavailable
from chargebus.common.tasks import TaskSet, every

__all__ = ["Housekeeping"]

#: Due CDRs are made within a second of cdr_delay.
_CDR_SWEEP_S = 1.0
#: Outboxes are left to their writers first (store.documents' settle time).
_OUTBOX_SWEEP_S = 30.0
_OUTAGES = (StoreUnavailable, BusError)


class Housekeeping:
    def __init__(
        self,
        sessions: BilledSessions,
        issuer: CdrIssuer,
        outbox: Outbox,
        clock: Callable[[], float],
    ) -> None:
        self.sessions = sessions
        self.issuer = issuer
        self.outbox = outbox
        self.clock = clock

    def start(self, tasks: TaskSet) -> None:
        tasks.spawn(every(_CDR_SWEEP_S, self.sweep_cdrs, _OUTAGES))
        tasks.spawn(every(_OUTBOX_SWEEP_S, self.sweep_outboxes, _OUTAGES))

    async def sweep_cdrs(self) -> None:
        """Write the CDRs a crash left unwritten, then make the ones that are
        due (in that order: a version is made only once the one before it
        is written)."""
        for session in await self.sessions.unwritten_cdrs():
            await self.issuer.write(session)
        for session_id in await self.sessions.due_cdrs(self.clock()):
            await self.issuer.make(session_id)

    async def sweep_outboxes(self) -> None:
        """Publish what a crash or an outage left in outboxes."""
        await self.outbox.sweep()
