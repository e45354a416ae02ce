"""The gatherer of batched commands' outcomes (OutcomeBatch messages)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from chargebus.common import envelope
from chargebus.common.bus import BusError
from chargebus.common.envelope import CommandOutcome, OutcomeBatch
from chargebus.gateway.outcomes import OutcomeGatherer

#: Long enough that only the count or close() flushes in these tests.
NEVER = 3600.0


class FakeBus:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.published: list[dict[str, Any]] = []

    async def publish(self, exchange: str, routing_key: str, body: bytes, **kw: Any) -> None:
        await asyncio.sleep(0)  # a real publish yields
        if self.fail:
            raise BusError("broker away")
        batch = envelope.decode(body, OutcomeBatch)
        self.published.append(
            {"exchange": exchange, "to": routing_key, "outcomes": batch.outcomes, **kw}
        )

    def ids(self) -> list[str]:
        return [o.message_id for p in self.published for o in p["outcomes"]]


def outcome(n: int) -> CommandOutcome:
    return CommandOutcome(status="not_connected", message_id=f"m{n}")


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_500_gathered_are_published_at_once_the_rest_at_close() -> None:
    bus = FakeBus()
    gatherer = OutcomeGatherer(bus, delay=NEVER)  # type: ignore[arg-type]
    for n in range(1200):
        gatherer.add("q", "c1", outcome(n))
    await settle()
    assert [len(p["outcomes"]) for p in bus.published] == [500, 500]
    assert len(gatherer) == 1  # 200 still gathered
    await gatherer.close()
    assert [len(p["outcomes"]) for p in bus.published] == [500, 500, 200]
    assert bus.ids() == [f"m{n}" for n in range(1200)]
    assert len(gatherer) == 0
    first = bus.published[0]
    assert (first["exchange"], first["to"], first["correlation_id"]) == ("", "q", "c1")
    assert first["headers"] == {"kind": "outcomes"}
    assert (first["mandatory"], first["persistent"]) == (False, False)


async def test_a_few_are_published_after_the_delay_and_the_gathering_is_dropped() -> None:
    bus = FakeBus()
    gatherer = OutcomeGatherer(bus, delay=0.001)  # type: ignore[arg-type]
    for n in range(3):
        gatherer.add("q", "c1", outcome(n))
    assert bus.published == []
    for _ in range(500):
        if bus.published and len(gatherer) == 0:
            break
        await asyncio.sleep(0.01)
    assert [len(p["outcomes"]) for p in bus.published] == [3]
    assert len(gatherer) == 0


async def test_destinations_are_gathered_apart_and_no_reply_to_is_dropped() -> None:
    bus = FakeBus()
    gatherer = OutcomeGatherer(bus, delay=NEVER)  # type: ignore[arg-type]
    gatherer.add("q", "c1", outcome(1))
    gatherer.add("q", "c2", outcome(2))
    gatherer.add("r", "c1", outcome(3))
    gatherer.add(None, "c1", outcome(4))
    gatherer.add("", "c1", outcome(5))
    await gatherer.close()
    got = {
        (p["to"], p["correlation_id"]): [o.message_id for o in p["outcomes"]] for p in bus.published
    }
    assert got == {("q", "c1"): ["m1"], ("q", "c2"): ["m2"], ("r", "c1"): ["m3"]}
    assert len(gatherer) == 0


async def test_after_close_outcomes_go_out_at_once() -> None:
    bus = FakeBus()
    gatherer = OutcomeGatherer(bus, delay=NEVER)  # type: ignore[arg-type]
    await gatherer.close()
    gatherer.add("q", "c1", outcome(1))
    await settle()
    assert bus.ids() == ["m1"]
    assert len(gatherer) == 0


async def test_outcomes_added_while_publishing_are_published_too() -> None:
    bus = FakeBus()
    gatherer = OutcomeGatherer(bus, limit=2, delay=NEVER)  # type: ignore[arg-type]
    gatherer.add("q", "c1", outcome(1))
    gatherer.add("q", "c1", outcome(2))  # due: the flush task starts
    gatherer.add("q", "c1", outcome(3))
    gatherer.add("q", "c1", outcome(4))  # due while the first publish is under way
    gatherer.add("q", "c1", outcome(5))
    await settle()
    assert [[o.message_id for o in p["outcomes"]] for p in bus.published] == [
        ["m1", "m2"],
        ["m3", "m4"],
    ]
    await gatherer.close()
    assert bus.ids() == ["m1", "m2", "m3", "m4", "m5"]
    assert len(gatherer) == 0


async def test_a_lost_publish_is_logged_with_the_count(caplog: pytest.LogCaptureFixture) -> None:
    bus = FakeBus(fail=True)
    gatherer = OutcomeGatherer(bus, delay=NEVER)  # type: ignore[arg-type]
    for n in range(3):
        gatherer.add("q", "c1", outcome(n))
    with caplog.at_level(logging.WARNING, logger="chargebus.gateway.outcomes"):
        await gatherer.close()
    assert "3 outcomes of batch c1 lost" in caplog.text
    assert len(gatherer) == 0


async def test_published_counts_are_reported() -> None:
    counts: list[int] = []
    gatherer = OutcomeGatherer(FakeBus(), limit=2, delay=NEVER, published=counts.append)  # type: ignore[arg-type]
    for n in range(5):
        gatherer.add("q", "c1", outcome(n))
    await gatherer.close()
    assert counts == [2, 2, 1]
