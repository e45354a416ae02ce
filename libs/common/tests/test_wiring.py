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


async def test_gc_is_frozen_and_cycles_among_frozen_objects_are_still_freed() -> None:
    """keep_gc_short freezes what survived (full passes then skip it) and
    collects everything now and then: a reference cycle that was frozen and
    became garbage is freed at the next full pass, not leaked."""
    import gc
    import weakref

    from chargebus.common.wiring import keep_gc_short

    class Node:
        other: object = None

    keeper = asyncio.get_running_loop().create_task(
        keep_gc_short(freeze_every=0.01, full_every=0.2)
    )
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        await asyncio.sleep(0.05)
        assert gc.get_freeze_count() > 0
        del a, b  # garbage now, but frozen: only a full pass frees it
        for _ in range(100):
            if ref() is None:
                break
            await asyncio.sleep(0.02)
        assert ref() is None
    finally:
        keeper.cancel()
        gc.unfreeze()


def test_run_loop_leaves_the_collector_as_it_found_it() -> None:
    """A process that runs run_loop and goes on (the CLI, a test) gets its
    garbage collector back: the pause watcher gone, nothing left frozen."""
    import gc

    from chargebus.common.wiring import run_loop

    callbacks = list(gc.callbacks)

    async def main() -> int:
        assert len(gc.callbacks) == len(callbacks) + 1  # pauses are watched
        gc.freeze()  # as keep_gc_short does every 30 s
        return 7

    assert run_loop(main()) == 7
    assert gc.callbacks == callbacks
    assert gc.get_freeze_count() == 0


def test_run_loop_sets_the_first_threshold_and_gives_it_back() -> None:
    """A service that asks for another young-collection threshold runs with
    it; the process gets its own back when run_loop returns."""
    import gc

    from chargebus.common.wiring import run_loop

    before = gc.get_threshold()

    async def main() -> tuple[int, int, int]:
        return gc.get_threshold()

    assert run_loop(main(), gc_threshold0=before[0] + 12_345) == (
        before[0] + 12_345,
        *before[1:],
    )
    assert gc.get_threshold() == before
    assert run_loop(main()) == before  # not asked: as it was
