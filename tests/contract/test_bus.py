"""The bus contract: the in-memory adapter and RabbitMQ behave the same."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from chargebus.common.bus import Bus, Delivery, Unroutable
from chargebus.common.bus.amqp import AmqpBus
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.bus.topology import DEAD_LETTERS, EVENTS, GATEWAYS, OCPP

BusFactory = Callable[[], Bus]


@pytest.fixture(params=["memory", "rabbitmq"])
async def make_bus(request: pytest.FixtureRequest) -> AsyncIterator[BusFactory]:
    """A factory of started buses sharing one broker (like several services)."""
    made: list[Bus] = []
    if request.param == "memory":
        broker = MemoryBroker()

        def make() -> Bus:
            bus = MemoryBus(broker)
            made.append(bus)
            return bus
    else:
        url = await request.getfixturevalue("clean_rabbitmq")()

        def make() -> Bus:
            bus = AmqpBus(url, name="contract-test")
            made.append(bus)
            return bus

    yield make
    for bus in made:
        await bus.close()


class Inbox:
    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.arrived = asyncio.Condition()

    async def __call__(self, delivery: Delivery) -> None:
        async with self.arrived:
            self.deliveries.append(delivery)
            self.arrived.notify_all()

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        async def enough() -> None:
            async with self.arrived:
                await self.arrived.wait_for(lambda: len(self.deliveries) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.deliveries


async def started(factory: BusFactory) -> Bus:
    bus = factory()
    await bus.start()
    return bus


async def test_a_message_reaches_the_queue_bound_to_its_topic(make_bus: BusFactory) -> None:
    bus = await started(make_bus)
    inbox = Inbox()
    await bus.consume("chargebus.sessions", inbox)
    await bus.publish(
        OCPP,
        "ocpp.v16.StartTransaction",
        b'{"x":1}',
        correlation_id="c-1",
        reply_to="somewhere",
        headers={"charger": "CP-1"},
    )
    [delivery] = await inbox.wait_for(1)
    assert delivery.body == b'{"x":1}'
    assert delivery.routing_key == "ocpp.v16.StartTransaction"
    assert delivery.correlation_id == "c-1"
    assert delivery.reply_to == "somewhere"
    assert delivery.headers["charger"] == "CP-1"
    assert delivery.redelivered is False


async def test_a_mandatory_message_nobody_takes_is_returned(make_bus: BusFactory) -> None:
    bus = await started(make_bus)
    with pytest.raises(Unroutable):
        await bus.publish(GATEWAYS, "no-such-gateway", b"{}")
    # not mandatory: dropped quietly, as AMQP does
    await bus.publish(GATEWAYS, "no-such-gateway", b"{}", mandatory=False)


async def test_a_published_message_waits_in_its_queue_for_a_consumer(make_bus: BusFactory) -> None:
    publisher = await started(make_bus)
    for i in range(5):
        await publisher.publish(OCPP, "ocpp.v201.StatusNotification", str(i).encode())
    consumer = await started(make_bus)
    inbox = Inbox()
    await consumer.consume("chargebus.sessions", inbox)
    deliveries = await inbox.wait_for(5)
    assert [d.body for d in deliveries] == [b"0", b"1", b"2", b"3", b"4"]


async def test_a_message_past_its_expiration_is_dropped_undelivered(make_bus: BusFactory) -> None:
    """A decision request waits at most as long as its asker does: past
    its expiration it is dropped from the queue, never handed to a consumer
    (a quorum queue, as the services' are)."""
    publisher = await started(make_bus)
    await publisher.publish(OCPP, "ocpp.v16.BootNotification", b"stale", expiration=0.2)
    await publisher.publish(OCPP, "ocpp.v16.BootNotification", b"kept")
    await publisher.publish(OCPP, "ocpp.v16.BootNotification", b"fresh", expiration=30.0)
    await asyncio.sleep(0.6)
    consumer = await started(make_bus)
    inbox = Inbox()
    await consumer.consume("chargebus.sessions", inbox)
    await inbox.wait_for(2)
    await asyncio.sleep(0.3)  # nothing more comes
    assert [d.body for d in inbox.deliveries] == [b"kept", b"fresh"]


async def test_consumers_of_one_queue_compete(make_bus: BusFactory) -> None:
    publisher = await started(make_bus)
    first, second = Inbox(), Inbox()
    all_forty = asyncio.Event()

    def counted(inbox: Inbox) -> Callable[[Delivery], Awaitable[None]]:
        async def handle(delivery: Delivery) -> None:
            await inbox(delivery)
            if len(first.deliveries) + len(second.deliveries) >= 40:
                all_forty.set()

        return handle

    one, two = await started(make_bus), await started(make_bus)
    await one.consume("chargebus.sessions", counted(first), prefetch=1)
    await two.consume("chargebus.sessions", counted(second), prefetch=1)
    await asyncio.gather(
        *(publisher.publish(OCPP, "ocpp.v16.Heartbeat", str(i).encode()) for i in range(40))
    )
    await asyncio.wait_for(all_forty.wait(), 10)
    bodies = sorted(int(d.body) for d in first.deliveries + second.deliveries)
    assert bodies == list(range(40))  # each exactly once
    assert first.deliveries and second.deliveries


async def test_a_failing_handler_gets_one_redelivery_then_the_message_is_dead_lettered(
    make_bus: BusFactory,
) -> None:
    bus = await started(make_bus)
    attempts: list[bool] = []

    async def failing(delivery: Delivery) -> None:
        attempts.append(delivery.redelivered)
        raise RuntimeError("poison")

    dead = Inbox()
    await bus.consume("chargebus.dead-letters", dead)
    await bus.consume("chargebus.sessions", failing)
    await bus.publish(OCPP, "ocpp.v16.MeterValues", b"poison")
    [delivery] = await dead.wait_for(1)
    assert delivery.body == b"poison"
    assert attempts == [False, True]


async def test_an_inbox_receives_direct_messages_and_replies(make_bus: BusFactory) -> None:
    gateway = await started(make_bus)
    service = await started(make_bus)
    inbox = Inbox()
    name = await gateway.inbox(GATEWAYS, "gw-1", inbox)
    assert gateway.inbox_name == name
    await service.publish(GATEWAYS, "gw-1", b"command", persistent=False)
    await service.publish("", name, b"reply", correlation_id="r-1", persistent=False)
    deliveries = await inbox.wait_for(2)
    assert [(d.body, d.correlation_id) for d in deliveries] == [
        (b"command", None),
        (b"reply", "r-1"),
    ]
    with pytest.raises(Unroutable):
        await service.publish(GATEWAYS, "gw-2", b"command")


async def test_topic_wildcards_follow_amqp(make_bus: BusFactory) -> None:
    bus = await started(make_bus)
    commands, billing = Inbox(), Inbox()
    await bus.consume("chargebus.commands", commands)
    await bus.consume("chargebus.billing", billing)
    for key in (
        "charger.connected",
        "session.started",
        "session.ended",
        "connector.status_changed",
    ):
        await bus.publish(EVENTS, key, key.encode(), mandatory=False)
    await commands.wait_for(2)
    await billing.wait_for(2)
    await asyncio.sleep(0.2)
    assert sorted(d.body for d in commands.deliveries) == [b"charger.connected", b"session.started"]
    assert sorted(d.body for d in billing.deliveries) == [b"session.ended", b"session.started"]


async def test_dead_letter_exchange_exists(make_bus: BusFactory) -> None:
    bus = await started(make_bus)
    dead = Inbox()
    await bus.consume("chargebus.dead-letters", dead)
    await bus.publish(DEAD_LETTERS, "anything.at.all", b"x")
    await dead.wait_for(1)
