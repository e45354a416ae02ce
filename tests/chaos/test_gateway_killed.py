"""Chaos 1: a gateway process killed with SIGKILL under charging traffic.

Two gateways share the chargers (a TCP forwarder on loopback stands in for
the load balancer: each connection goes to the next gateway that accepts
it). One is killed mid-stream while commands to its chargers are in
flight: its chargers reconnect to the other and carry on, every transaction
message they got an answer for is stored exactly once, and every command
ends in a final state (``timed_out`` for those the dead gateway held)."""

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
    commands,
    gateway,
    reconciled,
    sessions,
    sqlite_documents,
)

from chargebus.common.commands import CommandClient
from chargebus.common.routes.redis import RedisRouteTable

CHARGERS = 60
FINAL = {"accepted", "timed_out", "charger_offline"}


async def test_a_killed_gateways_chargers_carry_on_elsewhere(
    processes: Processes, clean_rabbitmq: Any, clean_redis: Any, tmp_path: Path
) -> None:
    amqp_url, redis_url = await clean_rabbitmq(), await clean_redis()
    a = processes.add(gateway("gw-a", tmp_path, amqp_url, redis_url))
    b = processes.add(gateway("gw-b", tmp_path, amqp_url, redis_url))
    store = processes.add(sessions(tmp_path, amqp_url, redis_url))
    cmds = processes.add(commands(tmp_path, amqp_url, redis_url))
    for process in (a, b, store, cmds):
        process.start()
    await asyncio.gather(*(p.ready() for p in (a, b, store, cmds)))
    forwarder = Forwarder([a.ocpp_port, b.ocpp_port])
    await forwarder.start()
    # Chargers answer our commands after a second: in flight when A dies.
    fleet = Fleet(CHARGERS, forwarder.url, "KG-", answer_delay=1.0)
    ids = [c.charger_id for c in fleet.chargers]
    client = CommandClient(amqp_url)
    routes = RedisRouteTable(redis_url)
    await client.start()
    await routes.start()
    try:
        fleet.start()
        await fleet.until_sent(CHARGERS * 2, 60)
        found = await routes.lookup_many(ids)
        on_a = [i for i, r in zip(ids, found, strict=True) if r and r.instance == "gw-a"]
        on_b = [i for i, r in zip(ids, found, strict=True) if r and r.instance == "gw-b"]
        assert on_a and on_b, (len(on_a), len(on_b))

        # Commands in flight on A (and some on B) as A is killed, and more
        # sent to A's chargers just after, while their routes still say A.
        sends = [
            asyncio.create_task(client.send("clear_cache", cid, timeout=90))
            for cid in on_a[:20] + on_b[:10]
        ]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        held = [c for c in fleet.chargers if c.charger_id in on_a[:20]]
        while sum(bool(c.commands) for c in held) < 5:  # reached them, not yet answered
            assert loop.time() < deadline, "the commands never reached gw-a's chargers"
            await asyncio.sleep(0.02)
        a.kill()
        killed = time.monotonic()
        await asyncio.sleep(0.2)
        sends += [
            asyncio.create_task(client.send("clear_cache", cid, timeout=90)) for cid in on_a[20:30]
        ]

        # Every charger carries on, A's through B.
        await fleet.all_answered_since(killed, 60)
        deadline = loop.time() + 30
        while True:
            found = await routes.lookup_many(ids)
            if all(r is not None and r.instance == "gw-b" for r in found):
                break
            assert loop.time() < deadline, [
                (i, r and r.instance) for i, r in zip(ids, found, strict=True)
            ][:10]
            await asyncio.sleep(0.2)
        moved = [c for c in fleet.chargers if c.charger_id in on_a]
        assert all(c.connections >= 2 for c in moved)

        # Every command ends, none silently: accepted, or timed_out (the dead
        # gateway held it), or charger_offline (routed to it after it died).
        states = await asyncio.gather(*sends)
        outcome = Counter(s.status for s in states)
        assert all(s.final and s.status in FINAL for s in states), states
        assert outcome["timed_out"] >= 1, outcome  # A held some when it died

        await asyncio.sleep(2)  # a while longer on B alone
        await fleet.finish()
        db = tmp_path / "sessions-data" / "sessions.db"
        result = await reconciled(
            fleet,
            lambda: (sqlite_documents(db, "sessions"), sqlite_documents(db, "samples")),
        )
        print(
            result.line(
                "kill -9 a gateway",
                f"; {len(moved)} chargers moved from gw-a to gw-b; commands "
                + ", ".join(f"{k} {n}" for k, n in sorted(outcome.items()))
                + f"; charger saw {dict(fleet.errors())}",
            )
        )
        assert result.lost == 0 and result.duplicates == 0, result.problems[:10]
        assert not result.problems, result.problems[:10]
    finally:
        await fleet.halt()
        await client.close()
        await routes.close()
        await forwarder.close()
