"""Chaos 5: MongoDB unavailable under charging traffic.

No MongoDB server can run here, so this runs against the stand-in
(``tests/support/mongo_standin.py``, mongomock behind PyMongo's async API)
with failures injected in the client it provides: while "down", every
operation raises PyMongo's own network errors, and half of them only after
the operation was applied (the write reached the server, its answer was
lost: the ambiguous case). The sessions service runs in this process on
the real MongoStore adapter, RabbitMQ and Redis; the gateway is a process
of its own.

While the store is away, decisions are answered InternalError (no false
Accepted) and notifications wait unacked; once it is back everything
answered is stored exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import mongomock
from chaos import Fleet, Processes, gateway, reconciled
from mongo_standin import StandinClient
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from chargebus.common.bus.amqp import AmqpBus
from chargebus.common.routes.redis import RedisRouteTable
from chargebus.common.store.mongo import MongoStore
from chargebus.sessions.schema import SCHEMA
from chargebus.sessions.service import SessionsService
from chargebus.sessions.settings import SessionsSettings

T = TypeVar("T")

CHARGERS = 60
URL = "mongodb://127.0.0.1:27017/chargebus"


class FlakyClient(StandinClient):
    """The stand-in's client, with an outage switch."""

    def __init__(self, server: Any) -> None:
        super().__init__(server)
        self.down = False
        self.refused = 0
        self.applied_then_lost = 0

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if not self.down:
            return await super()._run(fn, *args, **kwargs)
        if random.random() < 0.5:
            self.applied_then_lost += 1
            with contextlib.suppress(Exception):
                await super()._run(fn, *args, **kwargs)
            raise AutoReconnect("connection closed before the answer (injected)")
        self.refused += 1
        await asyncio.sleep(0.01)
        raise ServerSelectionTimeoutError("no server reachable (injected)")


async def test_writes_wait_for_mongodb_and_nothing_is_falsely_accepted(
    processes: Processes, clean_rabbitmq: Any, clean_redis: Any, tmp_path: Path
) -> None:
    amqp_url, redis_url = await clean_rabbitmq(), await clean_redis()
    gw = processes.add(gateway("gw", tmp_path, amqp_url, redis_url))
    gw.start()
    server: Any = mongomock.MongoClient(URL, tz_aware=True)
    client = FlakyClient(server)
    service = SessionsService(
        SessionsSettings(unknown_chargers="accept", presence_flush_interval=2),
        MongoStore(URL, SCHEMA, client_factory=lambda url: client),
        AmqpBus(amqp_url, name="sessions"),
        RedisRouteTable(redis_url),
    )
    await service.start()
    await gw.ready()
    fleet = Fleet(CHARGERS, lambda: f"ws://127.0.0.1:{gw.ocpp_port}/ocpp", "KM-")
    try:
        fleet.start()
        await fleet.until_sent(CHARGERS * 2, 60)
        before = fleet.errors()
        client.down = True
        down = time.monotonic()
        await asyncio.sleep(4)
        client.down = False
        during = fleet.errors() - before
        assert client.refused + client.applied_then_lost > 0
        await fleet.all_answered_since(time.monotonic(), 60)
        assert all(c.last_answer_at > down for c in fleet.chargers)
        await asyncio.sleep(1)
        await fleet.finish()

        db = server["chargebus"]
        result = await reconciled(
            fleet, lambda: (list(db["sessions"].find()), list(db["samples"].find()))
        )
        print(
            result.line(
                "MongoDB unavailable (the stand-in)",
                f"; {client.refused + client.applied_then_lost} store operations failed "
                f"({client.applied_then_lost} of them after being applied); chargers "
                f"saw {dict(during)} while it was away",
            )
        )
        assert during["InternalError"] >= 1, during
        assert result.lost == 0 and result.duplicates == 0, result.problems[:10]
        assert not result.problems, result.problems[:10]
    finally:
        client.down = False
        await fleet.halt()
        await service.stop()
