"""Making a session's CDR when it is due, and writing its versions: the
I/O around chargebus.billing.cdrs.

Rules: the session's document changes first (its CDR and the
``billing.cdr_created`` in its outbox, one compare-and-set), then the CDR's
own document is written, then the event published; a crash in between
leaves ``cdr_unstored`` set, and the sweep (chargebus.billing.housekeeping)
finishes the write before it makes the next version.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from chargebus.billing.cdrs import cdr_document, issue_cdr, mark_written
from chargebus.billing.metrics import BillingMetrics
from chargebus.billing.model import BillingSession
from chargebus.billing.outbox import Outbox
from chargebus.billing.repositories import BilledSessions, Cdrs
from chargebus.common.store.documents import emit

__all__ = ["CdrIssuer"]

log = logging.getLogger(__name__)


class CdrIssuer:
    def __init__(
        self,
        sessions: BilledSessions,
        cdrs: Cdrs,
        outbox: Outbox,
        metrics: BillingMetrics,
        clock: Callable[[], float],
        *,
        currency: str,
    ) -> None:
        self.sessions = sessions
        self.cdrs = cdrs
        self.outbox = outbox
        self.metrics = metrics
        self.clock = clock
        #: For sessions with no tariff (chargebus.billing.settings).
        self.currency = currency

    async def make(self, session_id: str) -> None:
        """The session's next CDR version, if one is due."""
        current = await self.sessions.get(session_id)
        if current is not None and current.cdr_unstored:
            # The previous version isn't written yet (a crash, an outage):
            # write it first, so versions never skip and one stays latest.
            await self.write(current)
        now = self.clock()
        emitted: set[str] = set()

        def change(session: BillingSession | None) -> BillingSession | None:
            emitted.clear()
            issue = issue_cdr(session, now, self.currency)
            if issue is None:
                return None
            if issue.created is not None:
                emitted.add(emit(issue.session, issue.created))
            return issue.session

        session, changed = await self.sessions.change(session_id, change)
        if not changed or session is None:
            return
        if session.cdr_error is not None:
            log.error("session %s %s", session.id, session.cdr_error)
        if emitted:
            cdr = session.cdr
            assert cdr is not None
            self.metrics.cdrs.labels("new" if cdr.version == 1 else "corrected").inc()
            log.info(
                "CDR %s version %d: %s %s",
                cdr.id,
                cdr.version,
                cdr.total_cost.incl_vat,
                cdr.currency,
            )
            await self.write(session)
            await self.outbox.publish(session, emitted)

    async def write(self, session: BillingSession) -> None:
        """Write the session's latest CDR version's document, if it isn't yet."""
        if not session.cdr_unstored or session.cdr is None:
            return
        version = session.cdr.version
        await self.cdrs.add(cdr_document(session, self.clock()))
        await self.sessions.change(session.id, lambda current: mark_written(current, version))
