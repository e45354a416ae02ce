"""A sessions service on SQLite and the in-memory bus, fed envelopes
directly (as the broker would deliver them) so a test can deliver the same
message twice, or many at once."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from chargebus.common import envelope
from chargebus.common.bus import Delivery
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.bus.topology import EVENTS, GATEWAYS, ocpp_routing_key
from chargebus.common.envelope import OcppMessage, Reply
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.store.sqlite import SqliteStore
from chargebus.sessions.schema import SCHEMA
from chargebus.sessions.service import SessionsService
from chargebus.sessions.settings import SessionsSettings


class Harness:
    def __init__(self, path: Path, *, mongo: bool = False, **settings: Any) -> None:
        self.path = path
        #: The MongoDB adapter over the stand-in instead of SQLite.
        self.mongo = mongo
        self._standin: Any = None
        self.settings = SessionsSettings(**{"session_update_interval": 0.0, **settings})
        self.broker = MemoryBroker()
        self.routes = MemoryRouteTable()
        self.events: list[dict[str, Any]] = []
        self.replies: dict[str, asyncio.Future[Reply]] = {}
        self.clock = time.time
        self._ids = itertools.count(1)
        self.service: SessionsService | None = None
        self.inbox = ""

    def make_store(self) -> Any:
        if not self.mongo:
            return SqliteStore(self.path, SCHEMA)
        from mongo_standin import standin_client_factory

        from chargebus.common.store.mongo import MongoStore

        if self._standin is None:
            self._standin = standin_client_factory("mongodb://standin")
        client = self._standin
        return MongoStore("mongodb://standin/chargebus", SCHEMA, client_factory=lambda _u: client)

    def make_service(self) -> SessionsService:
        return SessionsService(
            self.settings,
            self.make_store(),
            MemoryBus(self.broker),
            self.routes,
            clock=lambda: self.clock(),
        )

    async def start(self) -> Harness:
        side = MemoryBus(self.broker)
        await side.start()
        await side.inbox(EVENTS, "#", self._on_event)
        self.inbox = await side.inbox(GATEWAYS, "test-gateway", self._on_reply)
        self.service = self.make_service()
        await self.service.start()
        return self

    async def restart(self) -> None:
        assert self.service is not None
        await self.service.stop()
        self.service = self.make_service()
        await self.service.start()

    async def _on_event(self, delivery: Delivery) -> None:
        self.events.append(msgspec.json.decode(delivery.body))

    async def _on_reply(self, delivery: Delivery) -> None:
        future = self.replies.get(delivery.correlation_id or "")
        if future is not None and not future.done():
            future.set_result(envelope.decode(delivery.body, Reply))

    def envelope(
        self,
        action: str,
        payload: Any,
        *,
        version: str = "v16",
        charger_id: str = "CP-1",
        message_id: str | None = None,
        received_at: float | None = None,
    ) -> OcppMessage:
        return OcppMessage(
            charger_id=charger_id,
            version=version,
            action=action,
            message_id=message_id or f"m{next(self._ids)}",
            payload=msgspec.Raw(msgspec.json.encode(payload)),
            received_at=received_at if received_at is not None else self.clock(),
            gateway="test-gateway",
        )

    async def deliver(
        self,
        message: OcppMessage,
        *,
        decision: bool = True,
        redelivered: bool = False,
        raises: type[Exception] | None = None,
    ) -> dict[str, Any] | Reply | None:
        """Hand the message to the service as the broker would; return the
        answer's payload (or the Reply when it is an error)."""
        assert self.service is not None
        correlation_id = uuid.uuid4().hex if decision else None
        future: asyncio.Future[Reply] | None = None
        if correlation_id is not None:
            future = asyncio.get_running_loop().create_future()
            self.replies[correlation_id] = future
        delivery = Delivery(
            body=envelope.encode(message),
            routing_key=ocpp_routing_key(message.version, message.action),
            correlation_id=correlation_id,
            reply_to=self.inbox if decision else None,
            redelivered=redelivered,
        )
        if raises is None:
            await self.service.on_delivery(delivery)
        else:  # the broker would requeue it
            with pytest.raises(raises):
                await self.service.on_delivery(delivery)
        if future is None:
            return None
        reply = await asyncio.wait_for(future, 5)
        if reply.error_code is not None:
            return reply
        answer: dict[str, Any] = msgspec.json.decode(bytes(reply.payload))
        return answer

    async def settle(self) -> None:
        """Let the in-memory broker hand out what was published."""
        for _ in range(20):
            await asyncio.sleep(0)

    def events_of(self, type_: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == type_]

    async def all(self, collection: str, **where: Any) -> list[dict[str, Any]]:
        assert self.service is not None
        return await self.service.store.find(collection, where, limit=10_000)

    async def close(self) -> None:
        if self.service is not None:
            await self.service.stop()


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(tmp_path / "chargebus.db")
    await h.start()
    yield h
    await h.close()


@pytest.fixture
def harness_class() -> type[Harness]:
    """For tests that run their own event loop (hypothesis)."""
    return Harness
