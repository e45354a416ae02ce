"""The commands service's collections, one typed repository each: the only
code that names a collection (model.SCHEMA declares them).

Rules: documents go in and come out as the model's Structs; the scans the
sweep and the fan-outs run over many commands hand out the stored dicts
(``raw``), read a page at a time, since decoding each of thousands of
commands every second would cost more than the work itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from chargebus.commands.model import CommandDoc, FanoutDoc, SessionSeen
from chargebus.common.bus import Bus
from chargebus.common.commands import CommandStatus
from chargebus.common.store import DocumentStore
from chargebus.common.store.documents import (
    from_doc,
    modify,
    publish_outbox,
    sweep_outboxes,
    to_doc,
)

__all__ = ["Commands", "FanoutRequests", "RequestIds", "SessionsSeen"]

#: A page of a scan.
PAGE = 1000


class Commands:
    """``commands``: every command, single or part of a fan-out."""

    name = "commands"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, id: str) -> CommandDoc | None:
        raw = await self.store.get(self.name, id)
        return from_doc(raw, CommandDoc) if raw is not None else None

    async def by_command_id(self, command_id: str) -> CommandDoc | None:
        raw = await self.store.find_one(self.name, "command_id", command_id)
        return from_doc(raw, CommandDoc) if raw is not None else None

    async def insert(self, doc: CommandDoc) -> bool:
        """False if its command id is taken."""
        return await self.store.insert(self.name, to_doc(doc))

    async def insert_many(self, docs: Sequence[CommandDoc]) -> int:
        """How many were written (a taken command id is skipped)."""
        return await self.store.insert_many(self.name, [to_doc(d) for d in docs])

    async def modify(
        self, id: str, change: Callable[[CommandDoc | None], CommandDoc | None]
    ) -> tuple[CommandDoc | None, bool]:
        """Read, change, compare-and-set (see store.documents.modify)."""
        return await modify(self.store, self.name, CommandDoc, id, change)

    async def replace_many(self, docs: Sequence[tuple[CommandDoc, int]]) -> list[bool]:
        """Compare-and-set each against the version given."""
        return await self.store.replace_many(self.name, [(to_doc(d), v) for d, v in docs])

    async def clear_outboxes(self, items: Sequence[tuple[str, int]]) -> list[bool]:
        return await self.store.clear_outboxes(self.name, items)

    async def publish_outbox(self, bus: Bus, doc: CommandDoc, emitted: set[str]) -> None:
        await publish_outbox(self.store, bus, self.name, CommandDoc, doc, emitted)

    async def sweep_outboxes(self, bus: Bus) -> None:
        await sweep_outboxes(self.store, bus, self.name, CommandDoc)

    async def page(
        self, where: dict[str, Any], limit: int, after: str | None, *, descending: bool = False
    ) -> list[CommandDoc]:
        docs = await self.store.find(
            self.name, where, limit=limit, after=after, descending=descending
        )
        return [from_doc(d, CommandDoc) for d in docs]

    async def of_charger(
        self, charger_id: str, status: CommandStatus, limit: int
    ) -> list[dict[str, Any]]:
        """A charger's commands in a status (raw)."""
        return await self.store.find(
            self.name, {"charger_id": charger_id, "status": status}, limit=limit
        )

    async def scan(self, where: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        """Every command matching ``where`` (raw), read a page at a time and
        handed out one by one (a caller that only counts holds no pages)."""
        after: str | None = None
        while True:
            page = await self.store.find(self.name, where, limit=PAGE, after=after)
            for raw in page:
                yield raw
            if len(page) < PAGE:
                return
            after = page[-1]["_id"]

    async def in_status(self, status: CommandStatus, **where: Any) -> list[dict[str, Any]]:
        """Every command in a status (and matching ``where``), raw."""
        return [raw async for raw in self.scan({"status": status, **where})]


class FanoutRequests:
    """``fanouts``: each fan-out as asked for (its commands carry its id)."""

    name = "fanouts"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def claim(self, fanout: FanoutDoc) -> bool:
        """Write it; False if the id is taken."""
        return await self.store.insert(self.name, to_doc(fanout))

    async def get(self, fanout_id: str) -> FanoutDoc | None:
        raw = await self.store.get(self.name, fanout_id)
        return from_doc(raw, FanoutDoc) if raw is not None else None

    async def put(self, fanout: FanoutDoc) -> None:
        await self.store.put(self.name, to_doc(fanout))


class SessionsSeen:
    """``sessions_seen``: sessions as session.started told of them."""

    name = "sessions_seen"

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def put(self, seen: SessionSeen) -> None:
        await self.store.put(self.name, to_doc(seen))

    async def get(self, session_id: str) -> SessionSeen | None:
        raw = await self.store.get(self.name, session_id)
        return from_doc(raw, SessionSeen) if raw is not None else None

    async def by_transaction(self, charger_id: str, transaction_id: str) -> SessionSeen | None:
        found = await self.store.find(
            self.name, {"charger_id": charger_id, "transaction_id": transaction_id}, limit=1
        )
        return from_doc(found[0], SessionSeen) if found else None


class RequestIds:
    """The integer ids 2.x CALLs carry (remoteStartId, requestId), each
    counter increasing across replicas."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def remote_start_id(self) -> int:
        return await self.store.increment("remote_start_id")

    async def request_id(self) -> int:
        return await self.store.increment("request_id")
