"""Chaos 3: RabbitMQ restarted under charging traffic (``rabbitmqctl
stop_app`` then ``start_app`` on the tests' private node: every connection
is dropped, the listener goes away, durable queues come back from disk).

While the broker is away the gateway answers the chargers' CALLs with
InternalError (so they send them again) and acknowledges nothing it could
not hand to the broker; afterwards every service reconnects by itself:
chargers are answered again, commands reach them, and every transaction
message answered is stored exactly once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path
from typing import Any

from chaos import (
    Fleet,
    Processes,
    commands,
    gateway,
    reconciled,
    sessions,
    sqlite_documents,
)
from rabbitmq import rabbitmqctl_command

from chargebus.common.commands import CommandClient

CHARGERS = 60


async def ctl(command: str, *args: str) -> None:
    proc = await asyncio.create_subprocess_shell(
        " ".join([command, *args]),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 120)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError(f"rabbitmqctl {' '.join(args)} took over 120 s") from None
    assert proc.returncode == 0, f"rabbitmqctl {' '.join(args)}: {out.decode()[-2000:]}"


async def test_every_service_comes_back_after_a_rabbitmq_restart(
    processes: Processes, clean_rabbitmq: Any, clean_redis: Any, tmp_path: Path
) -> None:
    control = rabbitmqctl_command()
    amqp_url, redis_url = await clean_rabbitmq(), await clean_redis()
    gw = processes.add(gateway("gw", tmp_path, amqp_url, redis_url))
    store = processes.add(sessions(tmp_path, amqp_url, redis_url))
    cmds = processes.add(commands(tmp_path, amqp_url, redis_url))
    services = (gw, store, cmds)
    for process in services:
        process.start()
    await asyncio.gather(*(p.ready() for p in services))
    # Chargers answer commands after a second: in flight when the broker goes.
    fleet = Fleet(CHARGERS, lambda: f"ws://127.0.0.1:{gw.ocpp_port}/ocpp", "KR-", answer_delay=1.0)
    ids = [c.charger_id for c in fleet.chargers]
    client = CommandClient(amqp_url)
    await client.start()
    stopped = False
    try:
        fleet.start()
        await fleet.until_sent(CHARGERS * 2, 60)
        before = Counter(fleet.errors())

        # Commands in flight as the broker stops: each still ends, accepted
        # or timed_out (its outcome could not travel), never left hanging.
        in_flight = [
            asyncio.create_task(client.send("clear_cache", cid, timeout=120)) for cid in ids[40:]
        ]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while sum(bool(c.commands) for c in fleet.chargers[40:]) < 5:
            assert loop.time() < deadline, "the commands never reached the chargers"
            await asyncio.sleep(0.02)
        await ctl(control, "stop_app")
        stopped = True
        down = time.monotonic()
        await asyncio.sleep(2)  # chargers keep sending meanwhile
        assert not any([await p.is_ready() for p in services])
        await ctl(control, "start_app")
        await ctl(control, "await_startup", "--timeout", "60")
        stopped = False
        during = fleet.errors() - before

        # Every service is back by itself, and so is the traffic.
        await asyncio.gather(*(p.ready(timeout=90) for p in services))
        await fleet.all_answered_since(time.monotonic(), 90)
        assert all(c.last_answer_at > down for c in fleet.chargers)

        # Commands go through again: the commands service's intake and
        # inbox, the gateway's inbox (one per charger, all of them).
        states = await asyncio.gather(
            *(client.send("clear_cache", cid, timeout=60) for cid in ids[:20])
        )
        outcome = Counter(s.status for s in states)
        assert outcome == {"accepted": 20}, [s for s in states if s.status != "accepted"]

        crossed = await asyncio.gather(*in_flight)
        across = Counter(s.status for s in crossed)
        assert all(s.final and s.status in ("accepted", "timed_out") for s in crossed), crossed

        await asyncio.sleep(1)
        await fleet.finish()
        db = tmp_path / "sessions-data" / "sessions.db"
        result = await reconciled(
            fleet,
            lambda: (sqlite_documents(db, "sessions"), sqlite_documents(db, "samples")),
        )
        print(
            result.line(
                "restart RabbitMQ",
                f"; while it was away the chargers saw {dict(during)}; commands across "
                f"the restart {dict(across)}, after it {dict(outcome)}",
            )
        )
        assert during["InternalError"] >= 1, during
        assert result.lost == 0 and result.duplicates == 0, result.problems[:10]
        assert not result.problems, result.problems[:10]
    finally:
        if stopped:
            await ctl(control, "start_app")
            await ctl(control, "await_startup", "--timeout", "60")
        await fleet.halt()
        await client.close()
