"""The sessions service's collections, one typed repository per aggregate.

Call sites say ``chargers.modify(id, change)`` or ``sessions.by_tx_key(key)``
instead of naming collections and converting documents; the collection
names and their keys live here and in ``schema``.  Writes keep the store's
rules: ``modify`` is a compare-and-set (see
``chargebus.common.store.documents.modify``), natural ``_id``s make a
redelivered write land once, and a document's outbox is published by the
repository that owns the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import msgspec

from chargebus.common.bus import Bus
from chargebus.common.store import DocumentRejected, DocumentStore
from chargebus.common.store.documents import (
    Outboxed,
    from_doc,
    modify,
    publish_outbox,
    sweep_outboxes,
    to_doc,
)
from chargebus.sessions.model import (
    AuditEntry,
    Charger,
    IdToken,
    Presence,
    Record,
    Sample,
    Session,
    SessionStatus,
    normalise_token,
)

__all__ = [
    "AuditLog",
    "Chargers",
    "Counters",
    "Presences",
    "Records",
    "Repositories",
    "Samples",
    "Sessions",
    "Tokens",
]

D = TypeVar("D", bound=Outboxed)


class _OutboxedRepository(Generic[D]):
    """Documents with an outbox: read, compare-and-set, publish, sweep."""

    collection: str
    type_: type[D]

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, id: str) -> D | None:
        doc = await self.store.get(self.collection, id)
        return from_doc(doc, self.type_) if doc is not None else None

    async def modify(
        self, id: str, change: Callable[[D | None], D | None]
    ) -> tuple[D | None, bool]:
        return await modify(self.store, self.collection, self.type_, id, change)

    async def publish_outbox(
        self,
        bus: Bus,
        doc: D,
        only: set[str] | None = None,
        published: Callable[[str], None] | None = None,
    ) -> None:
        await publish_outbox(self.store, bus, self.collection, self.type_, doc, only, published)

    async def sweep_outboxes(self, bus: Bus, settle_s: float) -> None:
        await sweep_outboxes(self.store, bus, self.collection, self.type_, settle_s=settle_s)


class Chargers(_OutboxedRepository[Charger]):
    collection = "chargers"
    type_ = Charger

    async def page(self, *, limit: int, after: str | None = None) -> list[Charger]:
        docs = await self.store.find(self.collection, {}, limit=limit, after=after)
        return [from_doc(d, Charger) for d in docs]


class Sessions(_OutboxedRepository[Session]):
    collection = "sessions"
    type_ = Session

    async def insert(self, session: Session) -> bool:
        """False when a session with its id or one of its unique keys is stored."""
        return await self.store.insert(self.collection, to_doc(session))

    async def _one(self, field: str, value: str) -> Session | None:
        doc = await self.store.find_one(self.collection, field, value)
        return from_doc(doc, Session) if doc is not None else None

    async def by_tx_key(self, tx_key: str) -> Session | None:
        return await self._one("tx_key", tx_key)

    async def by_start_key(self, start_key: str) -> Session | None:
        return await self._one("start_key", start_key)

    async def of_charger(
        self, charger_id: str, status: SessionStatus, *, limit: int, newest_first: bool = False
    ) -> list[Session]:
        docs = await self.store.find(
            self.collection,
            {"charger_id": charger_id, "status": status},
            limit=limit,
            descending=newest_first,
        )
        return [from_doc(d, Session) for d in docs]

    async def page(
        self, where: dict[str, Any], *, limit: int, after: str | None = None
    ) -> list[Session]:
        """Newest first."""
        docs = await self.store.find(
            self.collection, where, limit=limit, after=after, descending=True
        )
        return [from_doc(d, Session) for d in docs]


class Tokens:
    collection = "id_tokens"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, token: str) -> IdToken | None:
        doc = await self.store.get(self.collection, normalise_token(token))
        return from_doc(doc, IdToken) if doc is not None else None

    async def put(self, token: IdToken) -> None:
        await self.store.put(self.collection, to_doc(token))


class Counters:
    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def next_transaction_id(self) -> str:
        """1.6 transaction ids: one atomic counter for every charger."""
        return str(await self.store.increment("transaction_id"))


class Samples:
    collection = "samples"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def add(self, samples: Sequence[Sample]) -> None:
        """Keyed by their natural key: a reading stored twice is stored once."""
        await self.store.insert_many(self.collection, [to_doc(s) for s in samples])

    async def of_session(
        self, session_id: str, *, limit: int, after: str | None = None
    ) -> list[Sample]:
        docs = await self.store.find(
            self.collection, {"session_id": session_id}, limit=limit, after=after
        )
        return [from_doc(d, Sample) for d in docs]


class Records:
    collection = "records"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def add(self, record: Record, payload: bytes) -> None:
        """Keep a record; one too deep or with too big a number for the store
        is kept with the charger's JSON text (``payload``) as its data."""
        try:
            await self.store.insert(self.collection, to_doc(record))
        except DocumentRejected:
            record.data = {"json": payload.decode()}
            await self.store.insert(self.collection, to_doc(record))

    async def of_charger(
        self, charger_id: str, kind: str | None, *, limit: int, after: str | None = None
    ) -> list[Record]:
        where: dict[str, Any] = {"charger_id": charger_id}
        if kind:
            where["kind"] = kind
        docs = await self.store.find(self.collection, where, limit=limit, after=after)
        return [from_doc(d, Record) for d in docs]


class Presences:
    collection = "presence"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, charger_id: str) -> Presence | None:
        doc = await self.store.get(self.collection, charger_id)
        return from_doc(doc, Presence) if doc is not None else None

    async def put_newer(self, presences: Sequence[Presence]) -> None:
        """Several replicas write: the latest last_seen wins."""
        await self.store.put_newer(self.collection, [to_doc(p) for p in presences], "last_seen")


class AuditLog:
    collection = "audit"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def add(self, entries: Sequence[AuditEntry]) -> None:
        """Raises DocumentRejected when the store refuses one of them."""
        await self.store.insert_many(self.collection, [to_doc(e) for e in entries])

    async def add_as_text(self, entry: AuditEntry) -> None:
        """An entry the store refused (MongoDB: nesting deeper than 100,
        integers beyond 64 bits): its payload and answer as JSON text."""
        doc = to_doc(entry)
        text = {k: msgspec.json.encode(doc.get(k)).decode() for k in ("payload", "answer")}
        await self.store.insert_many(self.collection, [{**doc, **text, "as_text": True}])

    async def delete_before(self, before: float) -> int:
        return await self.store.delete_before(self.collection, "at", before)

    async def of_charger(
        self, charger_id: str, *, limit: int, after: str | None = None
    ) -> list[dict[str, Any]]:
        """Newest first, as stored (an entry kept as text has text)."""
        return await self.store.find(
            self.collection, {"charger_id": charger_id}, limit=limit, after=after, descending=True
        )


class Repositories:
    """Every repository of the sessions service, over one store."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store
        self.chargers = Chargers(store)
        self.sessions = Sessions(store)
        self.tokens = Tokens(store)
        self.counters = Counters(store)
        self.samples = Samples(store)
        self.records = Records(store)
        self.presences = Presences(store)
        self.audit = AuditLog(store)

    async def publish_outbox(
        self,
        bus: Bus,
        doc: Charger | Session,
        only: set[str] | None = None,
        published: Callable[[str], None] | None = None,
    ) -> None:
        """Publish a charger's or a session's outbox (``only``: these events)."""
        if isinstance(doc, Charger):
            await self.chargers.publish_outbox(bus, doc, only, published)
        else:
            await self.sessions.publish_outbox(bus, doc, only, published)
