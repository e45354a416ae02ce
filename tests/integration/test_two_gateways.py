"""Two gateway processes sharing one RabbitMQ and one Redis, as behind a load
balancer: commands follow the charger from pod to pod, the newest connection
wins, and a pod killed with SIGKILL leaves no route behind once its TTL runs
out."""

from __future__ import annotations

import asyncio
import json
import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import websockets
from gateways import ROUTE_TTL, GatewayProcess
from ocpp.routing import on
from ocpp.v16 import ChargePoint, call_result
from websockets.asyncio.client import connect

from chargebus.common import envelope
from chargebus.common.bus import Delivery
from chargebus.common.bus.amqp import AmqpBus
from chargebus.common.bus.topology import GATEWAYS
from chargebus.common.envelope import Command, CommandOutcome
from chargebus.common.routes.redis import RedisRouteTable


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[list[GatewayProcess]]:
    started: list[GatewayProcess] = []
    yield started
    for process in started:
        process.stop()


class Charger(ChargePoint):
    remote_starts: list[str]

    @on("RemoteStartTransaction")
    async def on_remote_start(self, id_tag: str, **kwargs: Any) -> Any:
        self.remote_starts.append(id_tag)
        return call_result.RemoteStartTransaction(status="Accepted")


class Operator:
    """What the commands service does: look the route up, send, await the outcome."""

    def __init__(self, amqp_url: str, redis_url: str) -> None:
        self.bus = AmqpBus(amqp_url, name="operator")
        self.routes = RedisRouteTable(redis_url)
        self.outcomes: dict[str, asyncio.Future[CommandOutcome]] = {}

    async def start(self) -> None:
        await self.bus.start()
        await self.routes.start()
        await self.bus.inbox(GATEWAYS, f"operator-{uuid.uuid4().hex[:6]}", self._on_outcome)

    async def _on_outcome(self, delivery: Delivery) -> None:
        future = self.outcomes.get(delivery.correlation_id or "")
        if future and not future.done():
            future.set_result(envelope.decode(delivery.body, CommandOutcome))

    async def remote_start(self, charger_id: str, id_tag: str) -> tuple[str, CommandOutcome]:
        route = await self.routes.lookup(charger_id)
        assert route is not None, f"no route for {charger_id}"
        correlation_id = uuid.uuid4().hex
        self.outcomes[correlation_id] = asyncio.get_running_loop().create_future()
        command = Command(
            charger_id=charger_id,
            action="RemoteStartTransaction",
            payload=msgspec.Raw(json.dumps({"idTag": id_tag}).encode()),
            message_id=uuid.uuid4().hex,
            epoch=route.epoch,
        )
        await self.bus.publish(
            GATEWAYS,
            route.instance,
            envelope.encode(command),
            correlation_id=correlation_id,
            reply_to=self.bus.inbox_name,
            persistent=False,
        )
        return route.instance, await asyncio.wait_for(self.outcomes[correlation_id], 15)

    async def close(self) -> None:
        await self.bus.close()
        await self.routes.close()


@pytest.fixture
async def operator(clean_rabbitmq, clean_redis) -> AsyncIterator[Operator]:
    amqp_url = await clean_rabbitmq()
    redis_url = await clean_redis()
    operator = Operator(amqp_url, redis_url)
    operator.amqp_url, operator.redis_url = amqp_url, redis_url  # type: ignore[attr-defined]
    await operator.start()
    yield operator
    await operator.close()


async def routed(operator: Operator, charger_id: str, instance: str, timeout: float = 10) -> None:
    """Wait until the route table says ``instance`` holds the charger."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        route = await operator.routes.lookup(charger_id)
        if route is not None and route.instance == instance:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{charger_id} not routed to {instance}")


async def attach(url: str) -> tuple[Charger, Any, asyncio.Task[None]]:
    ws = await connect(url, subprotocols=["ocpp1.6"])
    charger = Charger("CP-roaming", ws)
    charger.remote_starts = []
    return charger, ws, asyncio.create_task(charger.start())


async def test_commands_follow_the_charger_across_gateway_processes(
    operator, processes, tmp_path
) -> None:
    a = GatewayProcess("gw-a", operator.amqp_url, operator.redis_url, tmp_path)
    b = GatewayProcess("gw-b", operator.amqp_url, operator.redis_url, tmp_path)
    processes += [a, b]
    await asyncio.gather(a.ready(), b.ready())

    # The charger is on B: a command sent through the bus reaches it there.
    on_b, ws_b, task_b = await attach(b.url("CP-roaming"))
    await routed(operator, "CP-roaming", "gw-b")
    instance, outcome = await operator.remote_start("CP-roaming", "TAG-B")
    assert (instance, outcome.status) == ("gw-b", "result")
    assert on_b.remote_starts == ["TAG-B"]

    # It reconnects to A while its socket to B is still open: A wins, B closes.
    on_a, ws_a, task_a = await attach(a.url("CP-roaming"))
    [ended] = await asyncio.wait_for(asyncio.gather(task_b, return_exceptions=True), 5)
    assert isinstance(ended, websockets.ConnectionClosed)
    assert ws_b.close_reason == "a newer connection holds this charger"
    instance, outcome = await operator.remote_start("CP-roaming", "TAG-A")
    assert (instance, outcome.status) == ("gw-a", "result")
    assert on_a.remote_starts == ["TAG-A"]
    assert on_b.remote_starts == ["TAG-B"]

    # SIGKILL A: nothing releases the route, and it expires with its TTL.
    a.proc.send_signal(signal.SIGKILL)
    a.proc.wait()
    assert (await operator.routes.lookup("CP-roaming")) is not None
    await asyncio.sleep(ROUTE_TTL + 0.5)
    assert await operator.routes.lookup("CP-roaming") is None
    task_a.cancel()
    await asyncio.gather(task_a, task_b, return_exceptions=True)


async def test_a_stale_command_is_refused_by_the_old_pod(operator, processes, tmp_path) -> None:
    b = GatewayProcess("gw-b", operator.amqp_url, operator.redis_url, tmp_path)
    processes.append(b)
    await b.ready()
    charger, ws, task = await attach(b.url("CP-roaming"))
    await routed(operator, "CP-roaming", "gw-b")
    route = await operator.routes.lookup("CP-roaming")
    assert route is not None
    correlation_id = uuid.uuid4().hex
    operator.outcomes[correlation_id] = asyncio.get_running_loop().create_future()
    command = Command(
        charger_id="CP-roaming",
        action="ClearCache",
        payload=msgspec.Raw(b"{}"),
        message_id="m-1",
        epoch=route.epoch - 1,
    )
    await operator.bus.publish(
        GATEWAYS,
        "gw-b",
        envelope.encode(command),
        correlation_id=correlation_id,
        reply_to=operator.bus.inbox_name,
    )
    outcome = await asyncio.wait_for(operator.outcomes[correlation_id], 10)
    assert outcome.status == "not_connected"
    await ws.close()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


class Resettable(Charger):
    resets: list[str]

    @on("Reset")
    async def on_reset(self, type: str, **kwargs: Any) -> Any:
        self.resets.append(type)
        return call_result.Reset(status="Accepted")


async def test_the_commands_service_follows_a_charger_between_gateway_processes(
    operator, processes, tmp_path
) -> None:
    """The real commands service, on RabbitMQ and Redis, with two gateway
    processes: a command reaches the charger on whichever pod holds it, even
    when the route it looked up went stale between lookup and send."""
    from chargebus.commands.model import SCHEMA
    from chargebus.commands.service import CommandsService
    from chargebus.commands.settings import CommandsSettings
    from chargebus.common.commands import CommandClient
    from chargebus.common.store.sqlite import SqliteStore

    a = GatewayProcess("gw-a", operator.amqp_url, operator.redis_url, tmp_path)
    b = GatewayProcess("gw-b", operator.amqp_url, operator.redis_url, tmp_path)
    processes += [a, b]
    await asyncio.gather(a.ready(), b.ready())
    service = CommandsService(
        CommandsSettings(call_timeout=5),
        SqliteStore(tmp_path / "commands.db", SCHEMA),
        AmqpBus(operator.amqp_url, name="commands"),
        RedisRouteTable(operator.redis_url),
    )
    await service.start()
    client = CommandClient(operator.amqp_url)
    await client.start()

    async def attach_resettable(url: str) -> tuple[Resettable, Any, asyncio.Task[None]]:
        ws = await connect(url, subprotocols=["ocpp1.6"])
        charger = Resettable("CP-roaming", ws)
        charger.remote_starts, charger.resets = [], []
        return charger, ws, asyncio.create_task(charger.start())

    try:
        on_a, ws_a, task_a = await attach_resettable(a.url("CP-roaming"))
        await routed(operator, "CP-roaming", "gw-a")
        first = await client.send("reset", "CP-roaming", {"type": "soft"}, timeout=20)
        assert first.status == "accepted" and on_a.resets == ["Soft"]
        stale = await operator.routes.lookup("CP-roaming")

        on_b, ws_b, task_b = await attach_resettable(b.url("CP-roaming"))
        await routed(operator, "CP-roaming", "gw-b")
        lookup = service.routes.lookup
        calls = 0

        async def stale_once(charger_id: str) -> Any:
            nonlocal calls
            calls += 1
            return stale if calls == 1 else await lookup(charger_id)

        service.routes.lookup = stale_once  # type: ignore[method-assign]
        second = await client.send("reset", "CP-roaming", {"type": "hard"}, timeout=20)
        assert second.status == "accepted", second
        assert on_b.resets == ["Hard"] and on_a.resets == ["Soft"]
        assert calls == 2  # gw-a said not_connected; the second lookup found gw-b
        for ws, task in ((ws_a, task_a), (ws_b, task_b)):
            await ws.close()
            task.cancel()
    finally:
        await client.close()
        await service.stop()


async def test_a_fanout_reaches_chargers_on_both_gateway_processes(
    operator, processes, tmp_path
) -> None:
    """One fan-out to chargers spread over two gateway pods: a CommandBatch
    to each pod, every charger reset exactly once; a charger that moved to
    the other pod after the lookup is routed again the single command's way."""
    from chargebus.commands.model import SCHEMA
    from chargebus.commands.service import CommandsService
    from chargebus.commands.settings import CommandsSettings
    from chargebus.common.commands import CommandClient
    from chargebus.common.store.sqlite import SqliteStore

    a = GatewayProcess("gw-a", operator.amqp_url, operator.redis_url, tmp_path)
    b = GatewayProcess("gw-b", operator.amqp_url, operator.redis_url, tmp_path)
    processes += [a, b]
    await asyncio.gather(a.ready(), b.ready())
    service = CommandsService(
        CommandsSettings(call_timeout=5),
        SqliteStore(tmp_path / "commands.db", SCHEMA),
        AmqpBus(operator.amqp_url, name="commands"),
        RedisRouteTable(operator.redis_url),
    )
    await service.start()
    client = CommandClient(operator.amqp_url)
    await client.start()
    attached: list[tuple[Resettable, Any, asyncio.Task[None]]] = []

    async def plug(charger_id: str, gateway: GatewayProcess) -> Resettable:
        ws = await connect(gateway.url(charger_id), subprotocols=["ocpp1.6"])
        charger = Resettable(charger_id, ws)
        charger.remote_starts, charger.resets = [], []
        attached.append((charger, ws, asyncio.create_task(charger.start())))
        await routed(operator, charger_id, gateway.name)
        return charger

    try:
        on_a = [await plug(f"FA-{n}", a) for n in range(3)]
        on_b = [await plug(f"FB-{n}", b) for n in range(3)]
        await plug("F-MOVER", a)
        stale = await operator.routes.lookup("F-MOVER")
        mover = await plug("F-MOVER", b)  # the newer connection wins; a closes its own
        await asyncio.wait_for(attached[-2][1].wait_closed(), 10)
        lookup_many = service.routes.lookup_many

        async def stale_mover(ids: Any) -> Any:
            found = await lookup_many(ids)
            return [stale if i == "F-MOVER" else r for i, r in zip(ids, found, strict=True)]

        service.routes.lookup_many = stale_mover  # type: ignore[method-assign]
        ids = [c.id for c in on_a + on_b] + ["F-MOVER", "F-GONE"]
        state = await client.fanout("reset", ids, {"type": "soft"}, timeout=30)
        assert state.final, state
        assert state.statuses == {"accepted": 7, "charger_offline": 1}, state
        assert all(c.resets == ["Soft"] for c in [*on_a, *on_b, mover])
        moved = await service.find(f"fanout:{state.fanout_id}:F-MOVER")
        assert moved is not None and moved.status == "accepted"
        assert "routed again" in " ".join(t.detail or "" for t in moved.history)
    finally:
        for _, ws, task in attached:
            await ws.close()
            task.cancel()
        await client.close()
        await service.stop()
