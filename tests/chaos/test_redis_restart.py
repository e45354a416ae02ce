"""Chaos 4: Redis restarted under charging traffic, losing every route.

A Redis of the test's own, run as the suite's is (no persistence), is shut
down without saving and started again with the same command line on the
same port: the route table comes back empty. Messages flow meanwhile (they
don't need Redis); within one route refresh period each gateway writes back
the routes of the sockets it holds, and then a command to every charger
succeeds. Every transaction message answered is stored exactly once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path
from typing import Any

from chaos import (
    Fleet,
    Forwarder,
    Processes,
    RedisServer,
    commands,
    gateway,
    reconciled,
    sessions,
    sqlite_documents,
)

from chargebus.common.commands import CommandClient
from chargebus.common.routes.redis import RedisRouteTable

CHARGERS = 60
REFRESH = 1.0


async def test_routes_are_rebuilt_after_redis_loses_them(
    processes: Processes, clean_rabbitmq: Any, tmp_path: Path
) -> None:
    amqp_url = await clean_rabbitmq()
    redis = processes.add(RedisServer(tmp_path / "redis"))
    await redis.start()
    settings = {"CHARGEBUS_ROUTE_REFRESH": str(REFRESH), "CHARGEBUS_ROUTE_TTL": "10"}
    a = processes.add(gateway("gw-a", tmp_path, amqp_url, redis.url, **settings))
    b = processes.add(gateway("gw-b", tmp_path, amqp_url, redis.url, **settings))
    store = processes.add(sessions(tmp_path, amqp_url, redis.url))
    cmds = processes.add(commands(tmp_path, amqp_url, redis.url))
    services = (a, b, store, cmds)
    for process in services:
        process.start()
    await asyncio.gather(*(p.ready() for p in services))
    forwarder = Forwarder([a.ocpp_port, b.ocpp_port])
    await forwarder.start()
    fleet = Fleet(CHARGERS, forwarder.url, "KD-")
    ids = [c.charger_id for c in fleet.chargers]
    client = CommandClient(amqp_url)
    await client.start()
    routes = RedisRouteTable(redis.url)
    await routes.start()
    try:
        fleet.start()
        await fleet.until_sent(CHARGERS * 2, 60)
        held = {i: r.instance for i, r in zip(ids, await routes.lookup_many(ids), strict=True) if r}
        assert len(held) == CHARGERS and set(held.values()) == {"gw-a", "gw-b"}

        await redis.shutdown_nosave()
        await asyncio.sleep(1.5)  # the gateways' refreshes fail meanwhile
        await redis.start()
        restarted = time.monotonic()
        assert await routes.lookup_many(ids) == [None] * CHARGERS  # all gone

        # Each gateway writes its routes back at its next refresh.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while True:
            found = await routes.lookup_many(ids)
            if all(r is not None for r in found):
                break
            assert loop.time() < deadline, f"{found.count(None)} routes still missing"
            await asyncio.sleep(0.1)
        rebuilt_in = time.monotonic() - restarted
        assert {i: r.instance for i, r in zip(ids, found, strict=True) if r} == held

        # A command to every charger succeeds.
        states = await asyncio.gather(*(client.send("clear_cache", cid, timeout=60) for cid in ids))
        outcome = Counter(s.status for s in states)
        assert outcome == {"accepted": CHARGERS}, [s for s in states if s.status != "accepted"]

        await fleet.all_answered_since(restarted, 30)
        await fleet.finish()
        db = tmp_path / "sessions-data" / "sessions.db"
        result = await reconciled(
            fleet,
            lambda: (sqlite_documents(db, "sessions"), sqlite_documents(db, "samples")),
        )
        print(
            result.line(
                "restart Redis",
                f"; {CHARGERS} routes rebuilt {rebuilt_in:.1f} s after the restart "
                f"(refresh period {REFRESH:.0f} s); then commands to every charger "
                f"{dict(outcome)}; chargers saw {dict(fleet.errors())}",
            )
        )
        assert result.lost == 0 and result.duplicates == 0, result.problems[:10]
        assert not result.problems, result.problems[:10]
    finally:
        await fleet.halt()
        await client.close()
        await routes.close()
        await forwarder.close()


async def test_the_route_table_survives_redis_dropping_every_connection(
    clean_redis: Any,
) -> None:
    """Regression: a Redis restart leaves every pooled connection dead, and
    each failed its next command; a refresh took a dead one each period
    (the failed pipeline kept it, so the next refresh took the next), so a
    gateway whose pool had grown to N connections restored its routes only
    N refresh periods later. A dead connection is now retried at once on a
    fresh one."""
    import redis.asyncio as aioredis

    redis_url = await clean_redis()
    table = RedisRouteTable(redis_url)
    await table.start()
    admin = aioredis.from_url(redis_url)
    try:
        routes = await asyncio.gather(
            *(table.claim(f"RT-{n}", "gw", "ocpp1.6", time.time()) for n in range(20))
        )
        await admin.execute_command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
        await admin.flushdb()  # and the data, as a restart without persistence
        assert await table.refresh_many(routes) == [True] * 20
        assert [r.instance for r in await table.lookup_many([r.charger_id for r in routes])] == [
            "gw"
        ] * 20
    finally:
        await admin.aclose()
        await table.close()
