"""Starting a service while what it needs isn't up yet."""

from __future__ import annotations

import asyncio

from chargebus.common.bus import BusUnavailable
from chargebus.common.store import StoreUnavailable
from chargebus.common.wiring import start_patiently


class Flaky:
    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.attempts = 0

    async def start(self) -> None:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)

    async def stop(self) -> None:
        pass


async def test_a_service_starts_once_its_broker_and_store_are_up() -> None:
    service = Flaky([BusUnavailable("no broker"), StoreUnavailable("no store"), OSError(111)])
    assert await start_patiently(service, "test", asyncio.Event(), first_delay=0.01)
    assert service.attempts == 4


async def test_a_stop_while_waiting_ends_it() -> None:
    stop = asyncio.Event()
    service = Flaky([BusUnavailable("no broker")] * 100)
    waiting = asyncio.create_task(start_patiently(service, "test", stop, first_delay=0.05))
    await asyncio.sleep(0.01)
    stop.set()
    assert await asyncio.wait_for(waiting, 1) is False
    assert service.attempts == 1


async def test_a_bug_is_not_retried() -> None:
    service = Flaky([ValueError("a bug")])
    try:
        await start_patiently(service, "test", asyncio.Event(), first_delay=0.01)
    except ValueError:
        pass
    else:
        raise AssertionError("a bug was retried")
    assert service.attempts == 1
