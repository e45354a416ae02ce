"""Fuzzing the billing service's handler with session events: built from
the event types (every field of the right type, edge values included:
times before the start, negative and huge energy, revisions out of order,
meter profiles backwards), for a few sessions so their events meet, some
delivered twice; and garbage on the session keys.  Nothing escapes the
handler, nothing is logged as an internal error, a redelivered event
changes nothing stored, every stored session still reads as its model, and
every CDR adds up: VAT on top, never negative.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest
from fuzz_tally import from_type_info, fuzz_settings, install, record
from hypothesis import given
from hypothesis import strategies as st

from chargebus.billing.model import SCHEMA, BillingSession
from chargebus.billing.service import BillingService
from chargebus.billing.settings import BillingSettings
from chargebus.common.billing import Tariff
from chargebus.common.bus import Delivery
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.events import SessionEnded, SessionStarted, SessionUpdated
from chargebus.common.store.sqlite import SqliteStore

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC).timestamp()
SESSIONS = ["S-1", "S-2", "S-3"]
KEYS = {
    SessionStarted: "session.started",
    SessionUpdated: "session.updated",
    SessionEnded: "session.ended",
}
TIMES = ("occurred_at", "started_at", "ended_at", "meter_at", "idle_since")
ENERGY = ("energy_wh", "meter_wh", "meter_start_wh", "meter_stop_wh", "power_w")


@pytest.fixture(autouse=True, scope="module")
def _tally(pytestconfig: pytest.Config) -> None:
    install(pytestconfig)


times = st.one_of(
    st.floats(-3600, 48 * 3600).map(lambda offset: T0 + offset),
    st.sampled_from([0.0, T0, T0 - 1, T0 + 0.001, 4102444800.0]),
)
energies = st.one_of(
    st.floats(0, 200_000),
    st.sampled_from([0.0, -1.0, -50_000.0, 1e12, 0.1]),
)


@st.composite
def events(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    type_ = draw(st.sampled_from(list(KEYS)))
    event: dict[str, Any] = draw(from_type_info(msgspec.inspect.type_info(type_)))
    event["session_id"] = draw(st.sampled_from(SESSIONS))
    event["charger_id"] = "CP-B"
    event["transaction_id"] = f"tx-{event['session_id']}"
    event["event_id"] = f"e{draw(st.integers(0, 10**9))}"
    for name in TIMES:
        if name in event and event[name] is not None and draw(st.integers(0, 3)):
            event[name] = draw(times)
    for name in ENERGY:
        if name in event and event[name] is not None and draw(st.integers(0, 3)):
            event[name] = draw(energies)
    if "meter_profile" in event:
        event["meter_profile"] = draw(st.lists(st.tuples(times, energies), max_size=6))
    if "revision" in event:
        event["revision"] = draw(st.integers(1, 4))
    return KEYS[type_], event


garbage = st.tuples(
    st.sampled_from(sorted(KEYS.values())),
    st.one_of(
        st.binary(max_size=60),
        st.just(b"{}"),
        st.just(b'{"type":"session.ended"}'),
        st.just(b'{"type":"session.started","session_id":7}'),
        st.just(b'{"type":"charger.booted"}'),
    ),
)


def test_the_billing_service_survives_whatever_it_is_fed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="chargebus")
    loop = asyncio.new_event_loop()
    service = BillingService(
        BillingSettings(cdr_delay=0.0, cost_update_interval=0.0),
        SqliteStore(tmp_path / "billing.db", SCHEMA),
        MemoryBus(MemoryBroker()),
        clock=lambda: T0 + 72 * 3600,
    )
    tried = {"events": 0, "redelivered": 0, "garbage": 0, "cdrs checked": 0}
    escaped: list[str] = []

    async def setup() -> None:
        await service.start()
        await service.put_tariff(
            "standard",
            Tariff(
                currency="EUR",
                energy_price=Decimal("0.30"),
                time_price=Decimal("0.02"),
                session_fee=Decimal("0.50"),
                vat_rate=Decimal(19),
            ),
        )
        await service.assign("group:default", "standard")

    async def deliver(key: str, body: bytes) -> None:
        try:
            await service.on_delivery(Delivery(body=body, routing_key=key))
        except Exception as exc:
            escaped.append(f"{key} {body[:120]!r}: {exc!r}")

    async def stored() -> list[dict[str, Any]]:
        return await service.store.find("billed_sessions", {}, limit=10_000)

    def check_cdr(session_id: str) -> None:
        cdr = loop.run_until_complete(service.cdr_of(session_id))
        if cdr is None:
            return
        tried["cdrs checked"] += 1
        assert cdr.total_cost.excl_vat >= 0, cdr
        assert cdr.total_cost.incl_vat >= cdr.total_cost.excl_vat, cdr
        assert cdr.total_energy >= 0 and cdr.total_time >= 0, cdr

    loop.run_until_complete(setup())

    @fuzz_settings(300)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        if data.draw(st.sampled_from([True, False, False, False]), label="garbage?"):
            key, body = data.draw(garbage, label="garbage")
            loop.run_until_complete(deliver(key, body))
            tried["garbage"] += 1
            return
        key, event = data.draw(events(), label="event")
        body = json.dumps(event).encode()
        loop.run_until_complete(deliver(key, body))
        tried["events"] += 1
        if data.draw(st.integers(0, 3), label="redeliver?") == 0:
            before = loop.run_until_complete(stored())
            loop.run_until_complete(deliver(key, body))
            tried["redelivered"] += 1
            after = loop.run_until_complete(stored())
            assert len(after) == len(before)
        if key == "session.ended":
            check_cdr(event["session_id"])

    try:
        check()
        loop.run_until_complete(service.sweep())
        for doc in loop.run_until_complete(stored()):
            msgspec.convert(doc, BillingSession, strict=False)
        for session_id in SESSIONS:
            check_cdr(session_id)
    finally:
        loop.run_until_complete(service.stop())
        loop.close()
    for kind, count in tried.items():
        record(f"billing service: {kind}", count)
    assert not escaped, escaped[:5]
    errors = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.name.startswith("chargebus")
        and (r.exc_info or (r.levelno >= logging.ERROR and "can't be read" not in r.getMessage()))
    ]
    assert not errors, errors[:5]
