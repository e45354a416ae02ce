"""Command batches (a fan-out): one CommandBatch message to a gateway for
many chargers, their outcomes back in OutcomeBatch messages, over real
sockets with the simulator's chargers (its link), in the embedded mode and
against real RabbitMQ and Redis."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from typing import Any

import msgspec
from chargers import SimulatedCharger

from chargebus.common import envelope
from chargebus.common.bus import Bus, Delivery
from chargebus.common.bus.topology import GATEWAYS
from chargebus.common.envelope import Command, CommandBatch, CommandOutcome, OutcomeBatch
from chargebus.gateway.app import Gateway


async def raw_chargers(
    gateway: Gateway, url: Any, ids: list[str], wait_attached: Any, *, silent: bool = False
) -> list[SimulatedCharger]:
    """1.6 chargers of the simulator's that answer every CALL with their own
    id in the payload (a DataTransfer answer), or, silent, keep the CALLs."""
    chargers = [
        SimulatedCharger(
            url(gateway, cid), reply={"status": "Accepted", "data": cid}, silent=silent
        )
        for cid in ids
    ]
    for charger in chargers:
        await charger.start()
    for cid in ids:
        await wait_attached(gateway, cid)
    return chargers


class Batches:
    """The sender's inbox: OutcomeBatch messages by correlation id, and
    anything else that arrives (there should be nothing)."""

    def __init__(self) -> None:
        self.by_correlation: dict[str, list[OutcomeBatch]] = {}
        self.other: list[Delivery] = []
        self.arrived = asyncio.Event()
        self.other_arrived = asyncio.Event()

    async def __call__(self, delivery: Delivery) -> None:
        if delivery.headers.get("kind") != "outcomes":
            self.other.append(delivery)
            self.other_arrived.set()
            return
        batch = envelope.decode(delivery.body, OutcomeBatch)
        self.by_correlation.setdefault(delivery.correlation_id or "", []).append(batch)
        self.arrived.set()

    def outcomes(self, correlation_id: str) -> list[CommandOutcome]:
        return [o for b in self.by_correlation.get(correlation_id, []) for o in b.outcomes]

    async def wait(self, correlation_id: str, count: int, timeout: float = 20) -> None:
        """Until ``count`` outcomes of the batch have come back."""

        async def enough() -> None:
            while len(self.outcomes(correlation_id)) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(enough(), timeout)


async def sender(deployment: Any) -> tuple[Bus, Batches]:
    bus = deployment.bus("batch-test")
    await bus.start()
    batches = Batches()
    await bus.inbox(GATEWAYS, f"batch-test-{uuid.uuid4().hex[:6]}", batches)
    return bus, batches


async def send_batch(bus: Bus, instance: str, body: bytes) -> str:
    correlation_id = uuid.uuid4().hex
    await bus.publish(
        GATEWAYS,
        instance,
        body,
        correlation_id=correlation_id,
        reply_to=bus.inbox_name,
        headers={"kind": "commands"},
        persistent=False,
    )
    return correlation_id


def data_transfer(charger_id: str, **fields: Any) -> Command:
    return Command(
        charger_id=charger_id,
        action="DataTransfer",
        payload=msgspec.Raw(b'{"vendorId":"chargebus"}'),
        message_id=uuid.uuid4().hex,
        **fields,
    )


def by_id(outcomes: list[CommandOutcome]) -> dict[str, CommandOutcome]:
    assert all(n == 1 for n in Counter(o.message_id for o in outcomes).values()), outcomes
    return {o.message_id: o for o in outcomes}


def sample(gateway: Gateway, name: str) -> float:
    return gateway.metrics.registry.get_sample_value(name) or 0.0


async def test_a_batch_comes_back_as_one_outcome_per_command(
    deployment, url, wait_attached, wait_until
) -> None:
    gateway = await deployment.gateway()
    instance = gateway.settings.instance_id
    bus, batches = await sender(deployment)
    ids = ["CP-B1", "CP-B2", "CP-B3"]
    chargers = await raw_chargers(gateway, url, ids, wait_attached)
    try:
        route = await gateway.routes.lookup("CP-B1")
        assert route is not None
        sent = [
            data_transfer("CP-B1", epoch=route.epoch),
            data_transfer("CP-B2"),
            data_transfer("CP-B3", timeout_s=10),
            data_transfer("CP-absent"),
            data_transfer("CP-B1", expires_at=time.time() - 1),
        ]
        correlation_id = await send_batch(
            bus, instance, envelope.encode(CommandBatch(commands=sent))
        )
        await batches.wait(correlation_id, 5)
        outcomes = by_id(batches.outcomes(correlation_id))
        assert len(batches.outcomes(correlation_id)) == 5
        assert set(outcomes) == {c.message_id for c in sent}
        for command in sent[:3]:
            outcome = outcomes[command.message_id]
            assert outcome.status == "result"
            assert json.loads(bytes(outcome.payload)) == {
                "status": "Accepted",
                "data": command.charger_id,
            }
        assert outcomes[sent[3].message_id].status == "not_connected"
        assert "CP-absent" in outcomes[sent[3].message_id].error_description
        assert outcomes[sent[4].message_id].status == "expired"
        # The expired one never reached CP-B1: one CALL each.
        assert [len(c.calls) for c in chargers] == [1, 1, 1]
        assert batches.other == []  # no single outcome, no other correlation id
        assert set(batches.by_correlation) == {correlation_id}
        assert sample(gateway, "chargebus_gateway_command_batches_total") == 1
        assert sample(gateway, "chargebus_gateway_batched_commands_total") == 5
        assert sample(gateway, "chargebus_gateway_batched_outcomes_total") == 5
        await wait_until(lambda: len(gateway.outcomes) == 0)  # nothing held once flushed
    finally:
        for charger in chargers:
            await charger.close()


async def test_a_batch_command_the_charger_never_answers_times_out_then_its_late_answer_follows(
    deployment, url, wait_attached
) -> None:
    gateway = await deployment.gateway()
    bus, batches = await sender(deployment)
    (charger,) = await raw_chargers(gateway, url, ["CP-SILENT"], wait_attached, silent=True)
    try:
        command = data_transfer("CP-SILENT", timeout_s=0.5)
        correlation_id = await send_batch(
            bus, gateway.settings.instance_id, envelope.encode(CommandBatch(commands=[command]))
        )
        await batches.wait(correlation_id, 1)
        (timeout,) = batches.outcomes(correlation_id)
        assert (timeout.status, timeout.message_id) == ("timeout", command.message_id)
        # The answer comes after all: it goes back through the batch too.
        await charger.answer_held(command.message_id)
        await batches.wait(correlation_id, 2)
        late = batches.outcomes(correlation_id)[1]
        assert (late.status, late.message_id) == ("result", command.message_id)
        assert late.error_description.startswith("late")
        assert json.loads(bytes(late.payload))["data"] == "CP-SILENT"
        assert batches.other == []
    finally:
        await charger.close()


async def test_a_batch_command_in_flight_when_the_charger_leaves_comes_back_closed(
    deployment, url, wait_attached, wait_until
) -> None:
    gateway = await deployment.gateway()
    bus, batches = await sender(deployment)
    (charger,) = await raw_chargers(gateway, url, ["CP-GONE"], wait_attached, silent=True)
    command = data_transfer("CP-GONE", timeout_s=30)
    correlation_id = await send_batch(
        bus, gateway.settings.instance_id, envelope.encode(CommandBatch(commands=[command]))
    )
    await wait_until(lambda: len(charger.calls) == 1)
    await charger.close()
    await batches.wait(correlation_id, 1)
    (closed,) = batches.outcomes(correlation_id)
    assert (closed.status, closed.message_id) == ("closed", command.message_id)
    assert batches.other == []


async def test_a_malformed_batch_comes_back_as_one_invalid_outcome(deployment) -> None:
    gateway = await deployment.gateway()
    bus, batches = await sender(deployment)
    for body in (b"not json", b'{"commands": [{"charger_id": 5}]}', b'{"commands": {}}'):
        correlation_id = await send_batch(bus, gateway.settings.instance_id, body)
        await batches.wait(correlation_id, 1)
        assert len(batches.by_correlation[correlation_id]) == 1
        (invalid,) = batches.outcomes(correlation_id)
        assert (invalid.status, invalid.message_id) == ("invalid", "")
        assert invalid.error_description.startswith("malformed command batch")
    assert batches.other == []


async def test_600_batched_commands_come_back_in_several_outcome_batches_each_once(
    deployment, url, wait_attached, wait_until
) -> None:
    # 50 chargers, 12 commands each (one in flight, the rest queued).
    gateway = await deployment.gateway(max_pending_calls=16)
    bus, batches = await sender(deployment)
    ids = [f"CP-F{n:02d}" for n in range(50)]
    chargers = await raw_chargers(gateway, url, ids, wait_attached)
    try:
        sent = [data_transfer(cid, timeout_s=30) for _ in range(12) for cid in ids]
        assert len(sent) == 600
        correlation_id = await send_batch(
            bus, gateway.settings.instance_id, envelope.encode(CommandBatch(commands=sent))
        )
        await batches.wait(correlation_id, 600, timeout=60)
        outcomes = by_id(batches.outcomes(correlation_id))
        assert len(batches.outcomes(correlation_id)) == 600
        assert set(outcomes) == {c.message_id for c in sent}
        assert {o.status for o in outcomes.values()} == {"result"}
        for command in sent:
            payload = json.loads(bytes(outcomes[command.message_id].payload))
            assert payload["data"] == command.charger_id
        messages = batches.by_correlation[correlation_id]
        assert len(messages) > 1
        assert all(1 <= len(m.outcomes) <= 500 for m in messages)
        assert sorted(len(c.calls) for c in chargers) == [12] * 50
        assert batches.other == []
        await wait_until(lambda: len(gateway.outcomes) == 0)
    finally:
        for charger in chargers:
            await charger.close()


async def test_single_commands_still_get_single_outcomes_beside_batches(
    deployment, url, wait_attached
) -> None:
    gateway = await deployment.gateway()
    instance = gateway.settings.instance_id
    bus, batches = await sender(deployment)
    chargers = await raw_chargers(gateway, url, ["CP-S1"], wait_attached)
    try:
        batched = data_transfer("CP-S1")
        batch_id = await send_batch(
            bus, instance, envelope.encode(CommandBatch(commands=[batched]))
        )
        single = data_transfer("CP-S1")
        await bus.publish(
            GATEWAYS,
            instance,
            envelope.encode(single),
            correlation_id="single-1",
            reply_to=bus.inbox_name,
            persistent=False,
        )
        await batches.wait(batch_id, 1)
        (outcome,) = batches.outcomes(batch_id)
        assert (outcome.status, outcome.message_id) == ("result", batched.message_id)
        await asyncio.wait_for(batches.other_arrived.wait(), 10)
        (delivery,) = batches.other
        assert delivery.correlation_id == "single-1"
        assert "kind" not in delivery.headers
        alone = envelope.decode(delivery.body, CommandOutcome)
        assert (alone.status, alone.message_id) == ("result", single.message_id)
    finally:
        for charger in chargers:
            await charger.close()
