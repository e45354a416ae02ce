"""The billing service's documents in the store: one typed repository per
collection (chargebus.billing.model declares the collections and their indexes).

Rules: nothing else in the service names a collection; a change is a
compare-and-set (chargebus.common.store.documents.modify), its ``change``
function run again when another writer came first, so it must be a pure
function of the document it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chargebus.billing.model import AssignmentDoc, BillingSession, CdrDoc, TariffDoc
from chargebus.common.bus import Bus
from chargebus.common.store import DocumentStore
from chargebus.common.store.documents import (
    from_doc,
    modify,
    publish_outbox,
    sweep_outboxes,
    to_doc,
)

__all__ = ["Assignments", "BilledSessions", "Cdrs", "Tariffs"]

#: How many sessions one sweep works on.
_SWEEP_BATCH = 500


class Tariffs:
    """``tariffs``: every version of each tariff."""

    collection = "tariffs"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, tariff_id: str) -> TariffDoc | None:
        raw = await self.store.get(self.collection, tariff_id)
        return from_doc(raw, TariffDoc) if raw is not None else None

    async def exists(self, tariff_id: str) -> bool:
        return await self.store.get(self.collection, tariff_id) is not None

    async def change(
        self, tariff_id: str, change: Callable[[TariffDoc | None], TariffDoc | None]
    ) -> tuple[TariffDoc | None, bool]:
        return await modify(self.store, self.collection, TariffDoc, tariff_id, change)

    async def page(self, limit: int, after: str | None) -> list[TariffDoc]:
        """Tariffs by id, after ``after``."""
        raws = await self.store.find(self.collection, {}, limit=limit, after=after)
        return [from_doc(raw, TariffDoc) for raw in raws]


class Assignments:
    """``tariff_assignments``: charger:<id>, group:<name> (group:default)."""

    collection = "tariff_assignments"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, key: str) -> AssignmentDoc | None:
        raw = await self.store.get(self.collection, key)
        return from_doc(raw, AssignmentDoc) if raw is not None else None

    async def change(
        self, key: str, change: Callable[[AssignmentDoc | None], AssignmentDoc | None]
    ) -> tuple[AssignmentDoc | None, bool]:
        return await modify(self.store, self.collection, AssignmentDoc, key, change)


class BilledSessions:
    """``billed_sessions``: what billing knows of each session, with the
    events it is yet to publish in its outbox."""

    collection = "billed_sessions"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, session_id: str) -> BillingSession | None:
        raw = await self.store.get(self.collection, session_id)
        return from_doc(raw, BillingSession) if raw is not None else None

    async def change(
        self, session_id: str, change: Callable[[BillingSession | None], BillingSession | None]
    ) -> tuple[BillingSession | None, bool]:
        return await modify(self.store, self.collection, BillingSession, session_id, change)

    async def unwritten_cdrs(self) -> list[BillingSession]:
        """Sessions whose latest CDR's document isn't written yet."""
        raws = await self.store.find(self.collection, {"cdr_unstored": True}, limit=_SWEEP_BATCH)
        return [from_doc(raw, BillingSession) for raw in raws]

    async def due_cdrs(self, now: float) -> list[str]:
        """The ids of sessions whose next CDR is due by ``now``."""
        raws = await self.store.find(self.collection, {"cdr_pending": True}, limit=_SWEEP_BATCH)
        return [raw["_id"] for raw in raws if (raw.get("cdr_due_at") or 0) <= now]

    async def publish(self, bus: Bus, session: BillingSession, only: set[str]) -> None:
        """Publish the outbox events named, then clear them from it."""
        await publish_outbox(self.store, bus, self.collection, BillingSession, session, only)

    async def sweep_outboxes(self, bus: Bus, settle_s: float = 10.0) -> None:
        """Publish what a crash left in outboxes (chargebus.common.store.documents)."""
        await sweep_outboxes(self.store, bus, self.collection, BillingSession, settle_s=settle_s)


class Cdrs:
    """``cdrs``: every CDR version, ``latest`` on the highest of each session."""

    collection = "cdrs"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def add(self, cdr: CdrDoc) -> None:
        """Write the version (once: its version_key is unique) and move
        ``latest`` to the highest version written.  Both idempotent, so a
        crash, a sweep racing a handler or another replica change nothing
        twice."""
        await self.store.insert(self.collection, to_doc(cdr))
        for other in await self.store.find(
            self.collection, {"session_id": cdr.session_id, "latest": True}, limit=100
        ):
            if other["version"] < cdr.version:
                await self._not_latest(other)
            elif other["version"] > cdr.version:
                # A later version is written already: this one isn't the latest.
                mine = await self.store.find_one(self.collection, "version_key", cdr.version_key)
                if mine is not None and mine.get("latest"):
                    await self._not_latest(mine)

    async def _not_latest(self, raw: dict[str, Any]) -> None:
        await self.store.replace(self.collection, {**raw, "latest": False}, raw.get("_v", 0))

    async def version(self, session_id: str, version: int) -> CdrDoc | None:
        raw = await self.store.find_one(self.collection, "version_key", f"{session_id}:{version}")
        return from_doc(raw, CdrDoc) if raw is not None else None

    async def page(
        self, *, charger_id: str | None, latest_only: bool, limit: int, after: str | None
    ) -> list[CdrDoc]:
        """CDR versions by ``_id`` (by the time they were written), after ``after``."""
        where: dict[str, Any] = {}
        if charger_id:
            where["charger_id"] = charger_id
        if latest_only:
            where["latest"] = True
        raws = await self.store.find(self.collection, where, limit=limit, after=after)
        return [from_doc(raw, CdrDoc) for raw in raws]
