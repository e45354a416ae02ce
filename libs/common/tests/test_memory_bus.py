"""What only the in-memory bus has: a bound on its queues."""

from __future__ import annotations

import pytest

from chargebus.common.bus import BusUnavailable
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.bus.topology import OCPP


async def test_a_full_queue_refuses_the_publish_instead_of_growing() -> None:
    broker = MemoryBroker(max_queue_length=3)
    bus = MemoryBus(broker)
    await bus.start()
    for i in range(3):
        await bus.publish(OCPP, "ocpp.v16.MeterValues", str(i).encode())
    with pytest.raises(BusUnavailable, match="full"):
        await bus.publish(OCPP, "ocpp.v16.MeterValues", b"3")
    assert [d.body for d in broker.queues["chargebus.sessions"].messages] == [b"0", b"1", b"2"]
