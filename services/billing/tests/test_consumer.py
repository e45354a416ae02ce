"""The consumer shell (chargebus.billing.consumer): what it does with a
delivery before any decision, and how it waits for the store.  The store is
never reached: ``apply`` is replaced by one that fails as told."""

from __future__ import annotations

import asyncio
from pathlib import Path

import msgspec
import pytest

from chargebus.billing import consumer
from chargebus.billing.billed_sessions import SessionEvent
from chargebus.billing.model import SCHEMA
from chargebus.billing.service import BillingService
from chargebus.billing.settings import BillingSettings
from chargebus.common.backoff import Backoff
from chargebus.common.bus import Delivery
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.events import SessionStarted
from chargebus.common.store import StoreUnavailable
from chargebus.common.store.sqlite import SqliteStore


def delivery(session_id: str) -> Delivery:
    event = SessionStarted(
        event_id=f"{session_id}:s",
        charger_id="CP-1",
        session_id=session_id,
        transaction_id="tx",
        evse_id=1,
        connector_id=1,
        occurred_at=0.0,
        started_at=0.0,
    )
    return Delivery(body=msgspec.json.encode(event), routing_key="session.started")


class Failing:
    """Stands in for the consumer's ``apply``: the store is out for each
    session as many times as told."""

    def __init__(self, **outages: int) -> None:
        self.outages = outages
        self.applied: list[str] = []

    async def __call__(self, event: SessionEvent) -> None:
        if self.outages.get(event.session_id, 0):
            self.outages[event.session_id] -= 1
            raise StoreUnavailable("the store is out")
        self.applied.append(event.session_id)


@pytest.fixture
def service(tmp_path: Path) -> BillingService:
    service = BillingService(
        BillingSettings(), SqliteStore(tmp_path / "billing.db", SCHEMA), MemoryBus(MemoryBroker())
    )
    service.started = True  # as after start(): deliveries wait for the store
    return service


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[list[float]]:
    """The waits of each Backoff the consumer makes, without waiting."""
    made: list[list[float]] = []

    class Recorded(Backoff):
        def __init__(self, first: float = 0.1, cap: float = 5.0) -> None:
            super().__init__(first, cap)
            self.waits: list[float] = []
            made.append(self.waits)

        async def wait(self) -> None:
            self.waits.append(self.next_delay())
            await asyncio.sleep(0)

    monkeypatch.setattr(consumer, "Backoff", Recorded)
    return made


async def test_each_delivery_waits_with_its_own_backoff(
    service: BillingService, waits: list[list[float]], monkeypatch: pytest.MonkeyPatch
) -> None:
    apply = Failing(**{"S-long": 4, "S-short": 1})
    monkeypatch.setattr(service.consumer, "apply", apply)
    await asyncio.gather(
        service.on_delivery(delivery("S-long")), service.on_delivery(delivery("S-short"))
    )
    assert sorted(apply.applied) == ["S-long", "S-short"]
    # S-short getting through doesn't shorten S-long's waits.
    assert sorted(waits) == [[0.1], [0.1, 0.2, 0.4, 0.8]]


async def test_a_stopping_service_hands_the_delivery_back(
    service: BillingService, waits: list[list[float]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service.consumer, "apply", Failing(**{"S-1": 1}))
    service.started = False
    with pytest.raises(StoreUnavailable):
        await service.on_delivery(delivery("S-1"))
    assert waits == [[]]


async def test_what_isnt_a_readable_session_event_is_dropped(
    service: BillingService, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply = Failing()
    monkeypatch.setattr(service.consumer, "apply", apply)
    await service.on_delivery(Delivery(body=b"{not json", routing_key="session.started"))
    await service.on_delivery(Delivery(body=delivery("S-1").body, routing_key="charger.booted"))
    assert apply.applied == []
    await service.on_delivery(delivery("S-1"))
    assert apply.applied == ["S-1"]
